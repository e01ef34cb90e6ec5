// The trace tables: forward evaluation (v3 = ln v1 = ln 2 = 0.69315), reverse adjoints with their
// partial-adjoint sums, and tangents, in sync with the canvas: the current row is highlighted and
// kept in view; a click on a row selects its node. Rows come from trace.h. No GL.
#pragma once

#include "app/graph/view_context.h"

#include <functional>

namespace gs::app {

// The output's name as the notes write it in ∂L/∂vi: its statement name (`L = …`), else "y".
std::string output_name(const Graph& g);

class TraceView {
 public:
  // With `inspector`, the inspector is a tab beside the traces' (the stacked lab, where the tables
  // take the whole width): a node picked on the canvas shows it, a step shows the trace again.
  void draw(ViewContext& ctx, const std::function<void()>& inspector = {});
  // The height (pixels, current fonts and style) the tables need to show their tabs, their title
  // and two rows of two lines — the current row and the one before it — without the column
  // headers: the least a lecture needs (issue 9). The stacked lab gives them at least this where
  // the canvas's 12 px text leaves it; shorter, the tables drop the column headers, then the title.
  static float lecture_height(const ViewContext& ctx);

 private:
  void draw_table(ViewContext& ctx, StepMode mode, bool headers);
  void draw_no_steps(ViewContext& ctx, NoSteps why);
  void draw_tangent_choice(ViewContext& ctx);
  static float row_height(const ViewContext& ctx, int lines);
  static float title_height(const ViewContext& ctx);
  // The widest text of each column of a trace, and what it was measured for.
  struct WidthsKey {
    int generation = -1, engine_runs = -1, rows = -1;
    float font = 0;
    std::string tangent_input;
    friend bool operator==(const WidthsKey&, const WidthsKey&) = default;
  };
  struct RowWidths {
    WidthsKey key;
    float lhs = 0, value = 0;
  };
  const RowWidths& measure(ViewContext& ctx, StepMode mode);
  RowWidths widths_[3];  // by StepMode
  // Traces longer than this keep rows of one height (two lines, not wrapped) under a clipper.
  static constexpr int kMaxWrappedRows = 200;
  Cursor last_cursor_;
  Cursor last_scrolled_{StepMode::Forward, -1};
  int scroll_frames_ = 0;  // frames left that bring the current row into view
  float last_view_h_ = 0;  // the table's visible height last frame, pixels
  StepMode shown_tab_ = StepMode::Forward;
  bool select_pending_ = false;  // switch tabs when the cursor changes mode
  bool first_frame_ = true;
  DocId last_selected_;            // the focus of the last frame: a new pick shows the inspector tab
  bool inspector_pending_ = false;  // select the inspector tab until ImGui has shown it
  bool inspector_shown_ = false;
};

}  // namespace gs::app
