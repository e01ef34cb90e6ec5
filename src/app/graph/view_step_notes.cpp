// Under the step banner: the lesson file's note for the step and the quiz. No GL.
#include "app/graph/view_step_notes.h"

#include "app/base/i18n.h"
#include "app/base/theme.h"
#include "app/widgets/text_wrap.h"

#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include <array>
#include <cmath>

namespace gs::app {

namespace {

std::array<float, 4> item_rect() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  return {a.x, a.y, b.x, b.y};
}

nlohmann::json rect_json(const std::array<float, 4>& r) { return nlohmann::json::array({r[0], r[1], r[2], r[3]}); }

std::string cursor_name(Cursor c) { return std::string(step_mode_name(c.mode)) + ":" + std::to_string(c.step); }

}  // namespace

std::string quiz_feedback_text(const QuizFeedback& f) {
  switch (f.verdict) {
    // The engine's numbers as the screen writes them; what was typed stays as typed.
    case QuizVerdict::Right: return trf(Tr::QuizRight, f.lhs, on_screen(f.shown), f.typed, format_number(f.tolerance));
    case QuizVerdict::Wrong:
      return trf(Tr::QuizWrong, f.lhs, on_screen(f.shown), f.typed, format_number(std::abs(f.answer - f.value))) + " " +
             trf(Tr::QuizTolerance, format_number(f.tolerance));
    case QuizVerdict::NotANumber: {
      std::string text = trf(Tr::QuizNotANumber, f.typed);
      if (f.comma) {
        std::string dotted = f.typed;
        for (char& c : dotted)
          if (c == ',') c = '.';
        text.append(" ").append(trf(Tr::QuizComma, dotted));
      }
      return text;
    }
    case QuizVerdict::Skipped: return trf(Tr::QuizSkipped, f.lhs, on_screen(f.shown));
    case QuizVerdict::None: break;
  }
  return {};
}

void StepNotesView::release_answer() {
  if (!answer_active_) return;
  ImGui::ClearActiveID();
  answer_active_ = false;
  focus_answer_ = true;
}

void StepNotesView::draw(ViewContext& ctx, bool large) {
  draw_note(ctx, large);
  draw_quiz(ctx, large);
}

void StepNotesView::draw_note(ViewContext& ctx, bool large) {
  if (!ctx.lesson_file) return;
  const Cursor c = ctx.session.lesson().cursor();
  const LocalText* note = ctx.lesson_file->note_at(c);
  nlohmann::json rec = {{"title", ctx.lesson_file->title.in(language())}, {"at", cursor_name(c)}, {"note", ""}};
  nlohmann::json hidden = nlohmann::json::array();
  for (int i = 0; i < static_cast<int>(LessonControl::kCount); ++i)
    if (ctx.lesson_file->hides(static_cast<LessonControl>(i))) hidden.push_back(lesson_control_name(static_cast<LessonControl>(i)));
  rec["hidden"] = hidden;
  if (note) {
    const std::string& text = note->in(language());
    ImFont* font = large && ctx.fonts.heading ? ctx.fonts.heading : nullptr;
    if (font) ImGui::PushFont(font);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::kText));
    widgets::TextWrappedAtSpaces(text);
    ImGui::PopStyleColor();
    if (font) ImGui::PopFont();
    rec["note"] = text;
    rec["note_rect"] = rect_json(item_rect());
  }
  if (ctx.record) ctx.record->lesson_file = rec;
}

void StepNotesView::draw_quiz(ViewContext& ctx, bool large) {
  answer_active_ = false;
  if (!ctx.quiz || !ctx.quiz->on()) return;
  Quiz& quiz = *ctx.quiz;
  Lesson& l = ctx.session.lesson();
  const std::optional<QuizQuestion> q = quiz.question(l);
  ImFont* font = large && ctx.fonts.heading ? ctx.fonts.heading : nullptr;
  if (font) ImGui::PushFont(font);
  nlohmann::json rec = {{"on", true}, {"asking", ""}, {"question", ""}, {"draft", quiz.draft}};
  const std::string score = trf(Tr::QuizScore, std::to_string(quiz.right()), std::to_string(quiz.answered()));
  std::array<float, 4> field{}, message{};
  if (q) {
    const std::string ask = trf(Tr::QuizAsk, q->lhs, on_screen(q->formula));
    ImGui::AlignTextToFramePadding();
    const StepMode m = q->reveals.mode;
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(m == StepMode::Forward ? theme::kValue : m == StepMode::Reverse ? theme::kAdjoint : theme::kTangent));
    ImGui::TextUnformatted(ask.c_str());
    ImGui::PopStyleColor();
    // The field and its button on the same line when they fit, else on the next.
    const float field_w = ImGui::GetFontSize() * 9;
    const float check_w = ImGui::CalcTextSize(tr(Tr::QuizCheck)).x + ImGui::GetStyle().FramePadding.x * 2;
    const float right = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x * 2 + field_w + check_w;
    if (right <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
    if (focus_answer_) {
      ImGui::SetKeyboardFocusHere();
      focus_answer_ = false;
    }
    ImGui::SetNextItemWidth(field_w);
    if (ctx.fonts.mono && !font) ImGui::PushFont(ctx.fonts.mono);
    const bool enter = ImGui::InputTextWithHint("##quiz_answer", tr(Tr::QuizAnswerHint), &quiz.draft, ImGuiInputTextFlags_EnterReturnsTrue);
    if (ctx.fonts.mono && !font) ImGui::PopFont();
    field = item_rect();
    answer_active_ = ImGui::IsItemActive();
    ImGui::SameLine();
    const bool check = ImGui::Button(label(Tr::QuizCheck, "quiz_check").c_str());
    ImGui::SameLine(0, ImGui::GetFontSize());
    ImGui::TextUnformatted(score.c_str());
    if ((enter || check) && !quiz.draft.empty()) {
      // A number reveals the row; the field keeps the keyboard for the next answer.
      quiz.answer(l, quiz.draft);
      focus_answer_ = true;
    }
    rec["asking"] = q->lhs;
    rec["question"] = ask;
    rec["tolerance"] = Quiz::tolerance(q->value);
  } else {
    // Nothing to ask at this step: say why, and what the score is.
    std::string why;
    if (l.ready()) {
      const std::string next = next_row_name(l);
      why = next.empty() ? trf(Tr::QuizDone, std::to_string(quiz.right()), std::to_string(quiz.answered())) : trf(Tr::QuizNotAsked, next);
    }
    ImGui::TextUnformatted(why.c_str());
    ImGui::SameLine(0, ImGui::GetFontSize());
    ImGui::TextUnformatted(score.c_str());
    rec["not_asked"] = why;
  }
  const QuizFeedback& f = quiz.feedback();
  const std::string said = quiz_feedback_text(f);
  if (!said.empty()) {
    const ImU32 col = f.verdict == QuizVerdict::Right ? theme::kOk : f.verdict == QuizVerdict::Skipped ? theme::kTextDim : theme::kProblem;
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(col));
    widgets::TextWrappedAtSpaces(said);
    ImGui::PopStyleColor();
    message = item_rect();
  }
  if (font) ImGui::PopFont();
  if (ctx.record) {
    rec["verdict"] = quiz_verdict_name(f.verdict);
    rec["typed"] = f.typed;
    rec["message"] = said;
    rec["right"] = quiz.right();
    rec["answered"] = quiz.answered();
    rec["score"] = score;
    rec["field_rect"] = rect_json(field);
    rec["message_rect"] = rect_json(message);
    ctx.record->quiz = rec;
  }
}

}  // namespace gs::app
