// The trace tables: forward evaluation (v3 = ln v1 = ln 2 = 0.69315), reverse adjoints with their
// partial-adjoint sums, and tangents, in sync with the canvas: the current row is highlighted and
// kept in view; a click on a row selects its node. Rows come from trace.h. No GL.
#pragma once

#include "app/graph/view_context.h"

namespace gs::app {

class TraceView {
 public:
  void draw(ViewContext& ctx);

 private:
  void draw_table(ViewContext& ctx, StepMode mode);
  Cursor last_cursor_;
  Cursor last_scrolled_{StepMode::Forward, -1};
  StepMode shown_tab_ = StepMode::Forward;
  bool select_pending_ = false;  // switch tabs when the cursor changes mode
  bool first_frame_ = true;
};

}  // namespace gs::app
