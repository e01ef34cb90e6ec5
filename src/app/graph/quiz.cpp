// Predict the adjoint: the question, the check against the engine's value, the score. No ImGui.
#include "app/graph/quiz.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace gs::app {

namespace {

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The value of a scalar row (forward value, adjoint or tangent), nothing for a tensor.
std::optional<double> row_value(const Lesson& l, StepMode m, NodeId id) {
  const TensorD* t = nullptr;
  switch (m) {
    case StepMode::Forward: t = &l.evaluation()[id]; break;
    case StepMode::Reverse: t = &l.reverse_result()[id]; break;
    case StepMode::Tangent: t = &l.tangent_result()[id]; break;
  }
  if (!t || t->size() != 1) return std::nullopt;
  return t->data()[0];
}

}  // namespace

Cursor next_row(const Lesson& l) {
  const Cursor c = l.cursor();
  if (c.mode == StepMode::Forward && c.step >= l.row_count(StepMode::Forward)) return Cursor{StepMode::Reverse, 0};
  return c;
}

std::string next_row_name(const Lesson& l) {
  const Cursor c = next_row(l);
  if (c.step >= l.row_count(c.mode)) return {};
  if (c.mode == StepMode::Forward) return l.forward_rows()[c.step].lhs;
  if (c.mode == StepMode::Reverse) return l.reverse_rows()[c.step].lhs;
  return l.tangent_rows()[c.step].lhs;
}

const char* quiz_verdict_name(QuizVerdict v) {
  switch (v) {
    case QuizVerdict::Right: return "right";
    case QuizVerdict::Wrong: return "wrong";
    case QuizVerdict::NotANumber: return "not_a_number";
    case QuizVerdict::Skipped: return "skipped";
    case QuizVerdict::None: break;
  }
  return "";
}

std::optional<double> parse_quiz_number(std::string_view text) {
  text = trim_spaces(text);
  std::string s;
  // The traces write the minus sign − in formulas; a student copying one types it.
  constexpr std::string_view kMinus = "\xE2\x88\x92";
  if (text.substr(0, kMinus.size()) == kMinus) {
    s = "-";
    text.remove_prefix(kMinus.size());
  } else if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
  }
  s += text;
  if (s.empty() || s == "-") return std::nullopt;
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

double Quiz::tolerance(double value) { return std::max(0.01 * std::abs(value), 0.001); }

void Quiz::set_on(bool on) {
  on_ = on;
  feedback_ = {};
  draft.clear();
}

void Quiz::reset_score() {
  answered_.clear();
  right_ = 0;
  feedback_ = {};
}

std::optional<QuizQuestion> Quiz::question(const Lesson& l) const {
  if (!on_ || !l.ready()) return std::nullopt;
  const Cursor c = next_row(l);
  if (c.step >= l.row_count(c.mode)) return std::nullopt;
  const int row = c.step;
  const NodeId id = l.row_node(c.mode, row);
  if (!id.valid()) return std::nullopt;
  if (c.mode == StepMode::Forward && l.graph().node(id).kind != NodeKind::Op) return std::nullopt;  // an input's value is given
  QuizQuestion q;
  q.reveals = Cursor{c.mode, row + 1};
  // The row's variable and formula without numbers (those are the answer's work), and its value.
  auto take = [&q](const auto& step, const std::string& formula) {
    q.lhs = step.lhs;
    q.formula = formula;
    q.shown = step.value;
  };
  if (c.mode == StepMode::Forward) take(l.forward_rows()[row], l.forward_rows()[row].formula);
  else if (c.mode == StepMode::Reverse) take(l.reverse_rows()[row], l.reverse_rows()[row].symbolic);
  else take(l.tangent_rows()[row], l.tangent_rows()[row].symbolic);
  const std::optional<double> v = row_value(l, c.mode, id);
  if (!v || !std::isfinite(*v)) return std::nullopt;  // a tensor, or a NaN the row explains
  q.value = *v;
  return q;
}

QuizVerdict Quiz::answer(Lesson& l, std::string_view typed) {
  const std::optional<QuizQuestion> q = question(l);
  if (!q) return QuizVerdict::None;
  feedback_ = {};
  feedback_.typed = std::string(trim_spaces(typed));
  feedback_.lhs = q->lhs;
  feedback_.shown = q->shown;
  feedback_.value = q->value;
  feedback_.tolerance = tolerance(q->value);
  const std::optional<double> a = parse_quiz_number(typed);
  if (!a) {
    // Nothing counted, nothing stepped: the text stays for the student to fix.
    feedback_.verdict = QuizVerdict::NotANumber;
    std::string dotted = feedback_.typed;
    std::replace(dotted.begin(), dotted.end(), ',', '.');
    feedback_.comma = dotted != feedback_.typed && parse_quiz_number(dotted).has_value();
    return feedback_.verdict;
  }
  feedback_.answer = *a;
  const bool right = std::abs(*a - q->value) <= feedback_.tolerance;
  feedback_.verdict = right ? QuizVerdict::Right : QuizVerdict::Wrong;
  const auto key = std::make_pair(static_cast<int>(q->reveals.mode), q->reveals.step);
  if (answered_.emplace(key, right).second && right) ++right_;
  draft.clear();
  l.jump(q->reveals);
  return feedback_.verdict;
}

void Quiz::next(Lesson& l) {
  const std::optional<QuizQuestion> q = question(l);
  if (!q) {
    feedback_ = {};
    l.next();
    return;
  }
  if (!trim_spaces(draft).empty()) {
    answer(l, draft);
    return;
  }
  // Nothing typed (the room answered aloud): the row is shown, nothing counted.
  feedback_ = {};
  feedback_.verdict = QuizVerdict::Skipped;
  feedback_.lhs = q->lhs;
  feedback_.shown = q->shown;
  feedback_.value = q->value;
  l.jump(q->reveals);
}

void Quiz::previous(Lesson& l) {
  feedback_ = {};
  draft.clear();  // typed for the row that is no longer asked
  l.previous();
}

}  // namespace gs::app
