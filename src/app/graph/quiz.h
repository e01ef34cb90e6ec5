// Predict the adjoint: a quiz over the Lesson's stepping. While it is on, the row the next step
// would show is asked first — the student (or the room) types a number, the quiz says right or
// wrong within a stated tolerance, then the row is revealed with its chain-rule terms. Forward,
// reverse and tangent rows are asked alike; an input's forward row (its value is given) and a
// tensor row (no single number to type) are stepped without asking. The answer is compared with
// the engine's value at full precision, never with the rounded text. No ImGui, no GL.
#pragma once

#include "app/graph/lesson.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace gs::app {

// The row the next step reveals, when it is asked.
struct QuizQuestion {
  Cursor reveals;       // the cursor once it is shown
  std::string lhs;      // "v̄1"
  std::string formula;  // "v̄3·(1/v1) + v̄4·v2" (no numbers: those are the answer's work)
  double value = 0;     // the engine's value, full precision
  std::string shown;    // the value as the trace prints it ("5.5")
};

enum class QuizVerdict : std::uint8_t { None, Right, Wrong, NotANumber, Skipped };
const char* quiz_verdict_name(QuizVerdict v);  // "right", "wrong", "not_a_number", "skipped", ""

// What the last answer got, for the view to say.
struct QuizFeedback {
  QuizVerdict verdict = QuizVerdict::None;
  std::string typed;     // as typed
  std::string lhs;       // the row it answered
  std::string shown;     // the row's value as printed
  double value = 0;      // the row's value
  double answer = 0;     // the typed number (Right/Wrong)
  double tolerance = 0;
  bool comma = false;    // NotANumber only: it reads as a number with '.' for ',' ("5,5")
};

// The row the lecturer's next step shows: {mode, row index} (the reverse trace continues the
// forward one); step == row_count when the pass is at its end.
Cursor next_row(const Lesson& lesson);
// Its variable ("v̄2"); "" at the end of the pass.
std::string next_row_name(const Lesson& lesson);

// The typed text as a number: decimal or exponent notation, surrounding spaces, a leading '+',
// and the minus sign − (U+2212) as the traces print it in formulas. Nothing else: "5,5", "1/2",
// "" are not numbers.
std::optional<double> parse_quiz_number(std::string_view text);

class Quiz {
 public:
  // How close is right: within 1% of the value, and never tighter than ±0.001 (a value worked
  // out by hand from the five-digit numbers the traces print).
  static double tolerance(double value);

  bool on() const { return on_; }
  void set_on(bool on);

  // The row the next step would show when it is asked; nothing at the end of the pass, for an
  // input's forward row or a tensor row, or while the quiz is off.
  std::optional<QuizQuestion> question(const Lesson& lesson) const;

  // The answer being typed (the view's text field edits it); kept when it is not a number.
  std::string draft;

  // The lecturer's "next": with a question asked, checks the draft (a non-number changes
  // nothing and is named) or, with nothing typed, reveals the row without counting it; otherwise
  // one row on. This is what Next, → and Page Down do while the quiz is on.
  void next(Lesson& lesson);
  // Checks `typed` against the question and, when it is a number, reveals the row (one step).
  QuizVerdict answer(Lesson& lesson, std::string_view typed);
  // One row back, as Lesson::previous(); the feedback goes (the question is asked again).
  void previous(Lesson& lesson);

  const QuizFeedback& feedback() const { return feedback_; }
  // Rows answered right, and rows answered (a number typed); each row counts once, its first
  // answer (going back and answering again does not change the score).
  int right() const { return right_; }
  int answered() const { return static_cast<int>(answered_.size()); }
  void reset_score();

 private:
  bool on_ = false;
  QuizFeedback feedback_;
  std::map<std::pair<int, int>, bool> answered_;  // (mode, row) -> right
  int right_ = 0;
};

}  // namespace gs::app
