// What goes with the step banner: the open lesson file's note for this step, and the quiz —
// "Predict v̄1 = v̄3·(1/v1) + v̄4·v2", a field for the number, Check, the score, then what the
// answer got (right, how far off, or that the text is no number and nothing was counted). Drawn
// under the banner in the lab and in presentation mode (larger). Commands go to the Quiz; nothing
// is computed here. No GL.
#pragma once

#include "app/graph/view_context.h"

namespace gs::app {

class StepNotesView {
 public:
  void draw(ViewContext& ctx, bool large = false);

  // The quiz field had the keyboard in the last frame: Page Down / Page Up (a clicker) still step.
  bool answer_active() const { return answer_active_; }
  // Give the keyboard to the answer field in the next frame (the quiz was switched on, a row was
  // revealed by Enter).
  void focus_answer() { focus_answer_ = true; }
  // A key stepped while the field had the keyboard: ImGui's copy of the text is dropped (the
  // field would otherwise write the answer just checked back into the draft) and the field gets
  // the keyboard again, empty, in the next draw.
  void release_answer();

 private:
  void draw_note(ViewContext& ctx, bool large);
  void draw_quiz(ViewContext& ctx, bool large);
  bool answer_active_ = false;
  bool focus_answer_ = false;
};

// The quiz's last feedback as one sentence in the interface's language ("" when there is none).
std::string quiz_feedback_text(const QuizFeedback& f);

}  // namespace gs::app
