// The toolbar: the expression bar (an error puts a caret under its column and leaves the graph
// as it was) and the stepping controls with their keys: reset, step/run forward, step/run
// backward, undo step, play at a speed, jump to any step, tangent mode. Commands go to the
// Lesson; nothing is computed here. No GL.
#pragma once

#include "app/graph/view_context.h"

namespace gs::app {

class ToolbarView {
 public:
  void draw(ViewContext& ctx);
  // Stepping keys, active whenever no text field has the keyboard.
  void handle_keys(ViewContext& ctx);
  bool playing() const { return playing_; }

 private:
  void draw_expression(ViewContext& ctx);
  void draw_stepping(ViewContext& ctx);
  void tick(ViewContext& ctx);

  char expression_[512] = "";
  std::string synced_expression_;  // the model's expression the buffer was last filled from
  std::string shown_error_text_;
  bool playing_ = false;
  float speed_ = 1.5f;  // steps per second
  double next_step_at_ = 0;
};

}  // namespace gs::app
