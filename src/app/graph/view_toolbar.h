// The toolbar: the expression bar (an error puts a caret under its column and leaves the graph
// as it was; any length), the stepping controls and their keys — reset, previous and next step
// (the reverse trace is the continuation of the forward one), the whole forward or reverse pass,
// play at a speed, a timeline to jump to any step, forward mode (tangents) along one input — and
// the step banner: where the lesson is and the row it just computed, wrapped, never cut off.
// Controls keep their places whatever their state (Play/Pause, forward mode on or off).
// Commands go to the Lesson; nothing is computed here. No GL.
#pragma once

#include "app/graph/view_context.h"

#include <string>

namespace gs::app {

class ToolbarView {
 public:
  void draw(ViewContext& ctx);
  // The expression bar and the controls only (not the banner).
  void draw_controls(ViewContext& ctx);
  // Where the lesson is, in words, and the row it just computed, in the heading font, wrapped to
  // the width there is. `large` is presentation mode's size.
  void draw_banner(ViewContext& ctx, bool large = false);
  // Stepping keys, active whenever no text field has the keyboard: → and Page Down next step,
  // ← and Page Up previous step (a presentation clicker sends these), Home reset, End the whole
  // pass, Space play, Backspace undo the last stepping command, Q the quiz on or off.
  void handle_keys(ViewContext& ctx);
  // One step on and back, as Next and Previous do: while the quiz is on, a step that is asked
  // checks the typed answer or reveals the row (Quiz::next).
  static void next(ViewContext& ctx);
  static void previous(ViewContext& ctx);
  bool playing() const { return playing_; }
  // The top of the banner drawn last (screen pixels; 0 before it is drawn): the exported picture
  // starts there.
  float banner_top() const { return banner_top_; }
  void toggle_play(double now);

 private:
  void draw_expression(ViewContext& ctx);
  void draw_stepping(ViewContext& ctx);
  void tick(ViewContext& ctx);

  std::string expression_;
  std::string synced_expression_;  // the model's expression the buffer was last filled from
  std::string shown_error_text_;
  bool refocus_expression_ = false;  // a Build failed: the field takes the keyboard next frame
  int caret_to_ = -1;                // then its caret goes to this byte (the error's column)
  bool playing_ = false;
  float speed_ = 1.5f;  // steps per second
  double next_step_at_ = 0;
  float banner_top_ = 0;
};

// The step banner's text: "Reverse step 5 of 8" and the current row as one line ("" at step 0).
std::string step_banner_where(const Lesson& l);
std::string step_banner_row(const Lesson& l);

}  // namespace gs::app
