// Toolbar: expression bar with an error caret, stepping buttons, player, timeline, forward mode,
// and the step banner. No GL.
#include "app/graph/view_toolbar.h"

#include "app/base/i18n.h"
#include "app/base/theme.h"
#include "app/graph/long_rows.h"
#include "app/widgets/text_wrap.h"

#include <imgui_stdlib.h>

#include <algorithm>
#include <cstdio>
#include <iterator>

namespace gs::app {

namespace {

// Byte offset of the 1-based character column `col` in UTF-8 text.
std::size_t byte_of_column(const std::string& text, int col) {
  std::size_t i = 0;
  for (int c = 1; c < col && i < text.size(); ++c) {
    ++i;
    while (i < text.size() && (text[i] & 0xC0) == 0x80) ++i;
  }
  return i;
}

// Where the caret goes after an error at byte `at`: there, unless `at` opens a bracket that its
// statement never closes ("sin(x2" + Enter: the ')' is typed at the end, not before the '('); then
// the end of that statement (its ';' or line break, or the end of the text).
std::size_t caret_for_error(const std::string& text, std::size_t at) {
  if (at >= text.size() || (text[at] != '(' && text[at] != '[')) return at;
  int depth = 0;
  std::size_t i = at;
  for (; i < text.size() && text[i] != ';' && text[i] != '\n'; ++i) {
    if (text[i] == '(' || text[i] == '[') ++depth;
    else if ((text[i] == ')' || text[i] == ']') && --depth == 0) return at;  // closed: the error is the bracket itself
  }
  while (i > at + 1 && text[i - 1] == ' ') --i;  // before the blanks that end a statement
  return i;
}

// SameLine() when an item `width` pixels wide still fits on this line after the last one, else
// the item starts the next line.
void same_line_if_fits(float width) {
  const float right = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width;
  if (right <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
}

// Steps per second the player offers.
constexpr float kSpeeds[] = {0.25f, 0.5f, 1.0f, 1.5f, 2.0f, 3.0f, 4.0f, 8.0f};

// The last item drawn, for the frame record: what it reads and where it is.
void record_control(ViewContext& ctx, const char* id, const std::string& text) { record_last_item(ctx.record, id, text); }

float button_width(const char* text) { return ImGui::CalcTextSize(text).x + ImGui::GetStyle().FramePadding.x * 2; }

Tr mode_name(StepMode m) { return m == StepMode::Forward ? Tr::ModeForward : m == StepMode::Reverse ? Tr::ModeReverse : Tr::ModeTangent; }

// The timeline: forward rows, then reverse rows (the lesson's natural order); tangent rows alone
// in tangent mode.
int timeline_position(const Lesson& l) {
  const Cursor c = l.cursor();
  if (c.mode == StepMode::Reverse) return l.row_count(StepMode::Forward) + c.step;
  return c.step;
}

}  // namespace

std::string step_banner_where(const Lesson& l) {
  const Cursor c = l.cursor();
  // Not "Forward step 0 of 0": only a problem is a fault (the trace panel says which).
  switch (no_steps(l, c.mode)) {
    case NoSteps::None: break;
    case NoSteps::Problem: return tr(Tr::StepNothing);
    default: return tr(Tr::StepNothingYet);
  }
  return trf(Tr::StepOf, tr(mode_name(c.mode)), std::to_string(c.step), std::to_string(l.row_count(c.mode)));
}

std::string step_banner_row(const Lesson& l) {
  const Cursor c = l.cursor();
  if (!l.current_node().valid()) return {};
  if (c.mode == StepMode::Forward) return on_screen(to_line(l.forward_rows()[c.step - 1]));
  if (c.mode == StepMode::Reverse) return on_screen(banner_line(l.reverse_rows()[c.step - 1]));  // a huge fan-in: its first terms
  return on_screen(to_line(l.tangent_rows()[c.step - 1]));
}

void ToolbarView::next(ViewContext& ctx) {
  if (ctx.quiz && ctx.quiz->on()) ctx.quiz->next(ctx.session.lesson());
  else ctx.session.lesson().next();
}

void ToolbarView::previous(ViewContext& ctx) {
  if (ctx.quiz && ctx.quiz->on()) ctx.quiz->previous(ctx.session.lesson());
  else ctx.session.lesson().previous();
}

void ToolbarView::draw(ViewContext& ctx) {
  draw_controls(ctx);
  draw_banner(ctx);
}

void ToolbarView::draw_controls(ViewContext& ctx) {
  tick(ctx);
  if (!lesson_hides(ctx, LessonControl::Expression)) draw_expression(ctx);
  draw_stepping(ctx);
}

void ToolbarView::toggle_play(double now) {
  playing_ = !playing_;
  next_step_at_ = now;
}

void ToolbarView::draw_expression(ViewContext& ctx) {
  Session& s = ctx.session;
  if (s.model().expression != synced_expression_) {
    synced_expression_ = s.model().expression;
    // Statements on several lines read as one line in the bar: the parser takes ';' as well.
    expression_.clear();
    for (char ch : synced_expression_) expression_ += ch == '\n' ? std::string("; ") : std::string(1, ch);
    while (!expression_.empty() && (expression_.back() == ' ' || expression_.back() == ';')) expression_.pop_back();
  }
  // A failed expression stays in the bar with its caret, even when it came from elsewhere
  // (the command line); the graph below is still the old one.
  if (s.expression_error().column > 0 && s.expression_error().text != shown_error_text_) {
    shown_error_text_ = s.expression_error().text;
    expression_ = shown_error_text_;
  }
  const float build_w = ImGui::CalcTextSize(tr(Tr::Build)).x + ImGui::GetStyle().FramePadding.x * 4;
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - build_w);
  if (ctx.fonts.mono) ImGui::PushFont(ctx.fonts.mono);
  const ImVec2 field_pos = ImGui::GetCursorScreenPos();
  // After a failed Build the field takes the keyboard back (Enter had left it), so that the
  // typo is fixed at once: typing must not fall through to the stepping keys.
  // The caret goes to the column the error names, or where a bracket it names is missing (nothing
  // selected: a key typed must not replace the whole formula).
  ImGuiInputTextFlags flags = ImGuiInputTextFlags_EnterReturnsTrue;
  if (refocus_expression_) {
    ImGui::SetKeyboardFocusHere();
    refocus_expression_ = false;
    const int column = s.expression_error().column;
    caret_to_ = static_cast<int>(column > 0 ? caret_for_error(expression_, byte_of_column(expression_, column)) : expression_.size());
  }
  if (caret_to_ >= 0) flags |= ImGuiInputTextFlags_CallbackAlways;
  auto place_caret = [](ImGuiInputTextCallbackData* data) {
    auto* self = static_cast<ToolbarView*>(data->UserData);
    if (self->caret_to_ >= 0) {
      data->CursorPos = data->SelectionStart = data->SelectionEnd = std::min(self->caret_to_, data->BufTextLen);
      self->caret_to_ = -1;
    }
    return 0;
  };
  // No length limit: a std::string grows with what is typed or pasted.
  bool submit = ImGui::InputTextWithHint("##expression", tr(Tr::ExpressionHint), &expression_, flags, place_caret, this);
  const ExpressionError& err = s.expression_error();
  if (err.column > 0) {
    // A caret under the offending column of the text as typed.
    const std::size_t b = byte_of_column(expression_, err.column);
    const std::size_t e = std::max(byte_of_column(expression_, err.column + err.length), b);
    const float x = field_pos.x + ImGui::GetStyle().FramePadding.x + ImGui::CalcTextSize(expression_.c_str(), expression_.c_str() + b).x;
    const float w = std::max(ImGui::CalcTextSize(expression_.c_str() + b, expression_.c_str() + e).x, ImGui::GetFontSize() * 0.5f);
    const float y = field_pos.y + ImGui::GetFrameHeight() - 3.0f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddLine(ImVec2(x, y), ImVec2(x + w, y), theme::kProblem, 3.0f);
    dl->AddTriangleFilled(ImVec2(x + w * 0.5f, y - 6), ImVec2(x + w * 0.5f - 6, y + 3), ImVec2(x + w * 0.5f + 6, y + 3), theme::kProblem);
  }
  if (ctx.fonts.mono) ImGui::PopFont();
  ImGui::SameLine();
  submit |= ImGui::Button(label(Tr::Build, "build").c_str());
  if (submit) {
    if (s.set_expression(expression_)) s.set_status("");
    else {
      refocus_expression_ = true;
      ctx.redraw.request_at(ctx.now);  // the next frames give the field the keyboard, before a key comes
    }
    synced_expression_ = s.model().expression;
  }
  if (err.column > 0) {
    // The parser's messages already name the column; others get it added.
    // The engine's English in the interface's language (translate(): its phrase table).
    const std::string msg = err.message.find("column") != std::string::npos ? translate(err.message)
                                                                             : trf(Tr::MsgErrorAt, std::to_string(err.column), translate(err.message));
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::kProblem));
    widgets::TextWrappedAtSpaces(msg);
    ImGui::PopStyleColor();
    if (ctx.record) {
      ctx.record->visible_text.push_back(msg);
      ctx.record->error = err.message;
      ctx.record->error_column = err.column;
    }
  }
  if (ctx.record) ctx.record->expression = expression_;
}

void ToolbarView::draw_stepping(ViewContext& ctx) {
  Lesson& l = ctx.session.lesson();
  // Greyed while there is nothing to step at all (an empty graph, a constant, a problem).
  const bool ready = no_steps(l, StepMode::Forward) == NoSteps::None;
  const ImGuiStyle& style = ImGui::GetStyle();
  ImGui::BeginDisabled(!ready);
  // The buttons flow onto a second line in a narrow window instead of running off its edge.
  const struct {
    Tr text;
    const char* id;
    Tr tip;
  } buttons[] = {{Tr::Reset, "reset", Tr::TipReset},
                 {Tr::PreviousStep, "previous", Tr::TipPrevious},
                 {Tr::NextStep, "next", Tr::TipNext},
                 {Tr::WholeForward, "whole_forward", Tr::TipWholeForward},
                 {Tr::WholeReverse, "whole_reverse", Tr::TipWholeReverse}};
  for (std::size_t i = 0; i < std::size(buttons); ++i) {
    if (i > 0) same_line_if_fits(button_width(tr(buttons[i].text)));
    const bool clicked = ImGui::Button(label(buttons[i].text, buttons[i].id).c_str());
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", tr(buttons[i].tip));
    record_control(ctx, buttons[i].id, tr(buttons[i].text));
    if (!clicked) continue;
    switch (i) {
      case 0: l.reset(); break;
      case 1: previous(ctx); break;
      case 2: next(ctx); break;
      case 3: l.jump(Cursor{StepMode::Forward, l.row_count(StepMode::Forward)}); break;
      default: l.run_backward(); break;
    }
  }
  // Play and Pause share one width, so that nothing after it moves.
  if (!lesson_hides(ctx, LessonControl::Play)) {
    const float play_w = std::max(button_width(tr(Tr::Play)), button_width(tr(Tr::Pause)));
    same_line_if_fits(play_w);
    if (ImGui::Button(label(playing_ ? Tr::Pause : Tr::Play, "play").c_str(), ImVec2(play_w, 0))) toggle_play(ctx.now);
    record_control(ctx, "play", tr(playing_ ? Tr::Pause : Tr::Play));
    // The speed: a list of speeds, its text never under a slider's handle.
    auto speed_text = [](float v) {
      char buf[48];
      std::snprintf(buf, sizeof buf, "%g %s", static_cast<double>(v), tr(Tr::Speed));
      return std::string(buf);
    };
    const std::string shown_speed = speed_text(speed_);
    const float speed_w = ImGui::CalcTextSize(speed_text(0.25f).c_str()).x + style.FramePadding.x * 2 + ImGui::GetFrameHeight();
    same_line_if_fits(speed_w);
    ImGui::SetNextItemWidth(speed_w);
    if (ImGui::BeginCombo("##speed", shown_speed.c_str())) {
      for (float v : kSpeeds)
        if (ImGui::Selectable(speed_text(v).c_str(), v == speed_)) speed_ = v;
      ImGui::EndCombo();
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(Tr::TipSpeed));
    record_control(ctx, "speed", shown_speed);
  }
  // The quiz: predict each value before it is shown.
  if (ctx.quiz) {
    bool quiz = ctx.quiz->on();
    same_line_if_fits(ImGui::GetFrameHeight() + style.ItemInnerSpacing.x + ImGui::CalcTextSize(tr(Tr::QuizToggle)).x);
    if (ImGui::Checkbox(label(Tr::QuizToggle, "quiz").c_str(), &quiz)) ctx.quiz->set_on(quiz);
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", tr(Tr::TipQuiz));
    record_control(ctx, "quiz", tr(Tr::QuizToggle));
  }

  // The timeline ends the buttons' row where it fits there (1024 px: the row it had of its own
  // was the height a tensor row's arithmetic lacked in the table, issue 9), else a row of its own.
  // Forward mode is ticked in its own tab of the trace tables (view_trace.cpp).
  if (!lesson_hides(ctx, LessonControl::Timeline)) {
    const StepMode m = l.cursor().mode;
    // Labelled inside ("go to step: Reverse 3 of 7", short "Reverse 3 of 7" beside the buttons):
    // never narrower than its widest label, so that the text is not cut (the Chinese one is as long).
    auto widest = [&](Tr text) {
      float w = 0;
      for (StepMode k : {StepMode::Forward, StepMode::Reverse, StepMode::Tangent}) {
        const std::string n = std::to_string(std::max(l.row_count(k), 1));
        w = std::max(w, ImGui::CalcTextSize(trf(text, tr(mode_name(k)), n, n).c_str()).x);
      }
      return std::max(ImGui::GetFontSize() * 8, w + style.FramePadding.x * 2 + ImGui::GetFontSize());
    };
    const float long_min = widest(Tr::TimelineAt), short_min = widest(Tr::TimelineShort);
    const float room = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x - ImGui::GetItemRectMax().x - style.ItemSpacing.x;
    const bool beside = room >= short_min;
    if (beside) ImGui::SameLine();
    const Tr form = !beside || room >= long_min ? Tr::TimelineAt : Tr::TimelineShort;
    const std::string text = trf(form, tr(mode_name(m)), std::to_string(l.cursor().step), std::to_string(l.row_count(m)));
    const int total = m == StepMode::Tangent ? l.row_count(StepMode::Tangent) : l.row_count(StepMode::Forward) + l.row_count(StepMode::Reverse);
    int pos = timeline_position(l);
    std::string format;
    for (char ch : text) format += ch == '%' ? std::string("%%") : std::string(1, ch);
    ImGui::SetNextItemWidth(std::max(ImGui::GetContentRegionAvail().x, form == Tr::TimelineAt ? long_min : short_min));
    // The label is drawn over the grab: a light grab keeps the letters under it readable (a solid
    // one hid the "of" of "Reverse 2 of 7" at 1024 px).
    for (ImGuiCol col : {ImGuiCol_SliderGrab, ImGuiCol_SliderGrabActive}) {
      ImVec4 c = ImGui::GetStyleColorVec4(col);
      c.w *= 0.4f;
      ImGui::PushStyleColor(col, c);
    }
    if (ImGui::SliderInt("##timeline", &pos, 0, std::max(total, 1), format.c_str())) {
      const int f = l.row_count(StepMode::Forward);
      if (m == StepMode::Tangent) l.jump(Cursor{StepMode::Tangent, pos});
      else l.jump(pos <= f ? Cursor{StepMode::Forward, pos} : Cursor{StepMode::Reverse, pos - f});
    }
    ImGui::PopStyleColor(2);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(Tr::TipTimeline));
    record_control(ctx, "timeline", text);
  }
  ImGui::EndDisabled();
}

void ToolbarView::draw_banner(ViewContext& ctx, bool large) {
  const Lesson& l = ctx.session.lesson();
  const Cursor c = l.cursor();
  const std::string where = step_banner_where(l);
  const std::string row = step_banner_row(l);
  banner_top_ = ImGui::GetCursorScreenPos().y;
  if (ctx.fonts.heading) ImGui::PushFont(large && ctx.fonts.banner ? ctx.fonts.banner : ctx.fonts.heading);
  ImGui::TextUnformatted(where.c_str());
  if (!row.empty()) {
    // The row wraps under itself rather than running off the window: the arithmetic is the lesson.
    const ImU32 col = c.mode == StepMode::Forward ? theme::kValue : c.mode == StepMode::Reverse ? theme::kAdjoint : theme::kTangent;
    const auto measure = [](std::string_view s) { return ImGui::CalcTextSize(s.data(), s.data() + s.size()).x; };
    const float left = ImGui::GetItemRectMin().x, top = ImGui::GetItemRectMin().y;
    const float width = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x - left;
    const float gap = ImGui::GetFontSize();
    const float beside = width - (ImGui::GetItemRectMax().x - left) - gap;  // room after "Reverse step 6 of 7"
    const std::vector<std::string> lines = widgets::WrapAtSpaces(row, width, measure);
    // The row runs on beside "Reverse step 6 of 7" where that takes no more lines than the row
    // on lines of its own (a one-line row, or at 1024×768 one_hidden_l2's 166-character v̄3 in
    // two lines, not three: the table below keeps the line, issue 9); the rest wraps under it at
    // the window's width. Broken at spaces only: ImGui's wrap breaks after a '.' ("= 1.", "7163").
    std::vector<std::string> run_in;
    if (beside > 0) {
      const std::vector<std::string> first = widgets::WrapAtSpaces(row, beside, measure);
      if (!first.empty() && measure(first[0]) <= beside) {
        run_in.push_back(first[0]);
        const std::size_t rest = row.find_first_not_of(' ', first[0].size());
        if (rest != std::string::npos)
          for (std::string& l : widgets::WrapAtSpaces(std::string_view(row).substr(rest), width, measure)) run_in.push_back(std::move(l));
      }
    }
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(col));
    std::string shown = row;
    float right = 0, bottom = 0, row_left = left, row_top = top;
    if (!run_in.empty() && run_in.size() <= lines.size() && run_in.size() <= kBannerLines) {
      ImGui::SameLine(0, gap);
      row_left = ImGui::GetCursorScreenPos().x;
      ImGui::TextUnformatted(run_in[0].c_str());
      right = ImGui::GetItemRectMax().x, bottom = ImGui::GetItemRectMax().y;
      if (run_in.size() > 1) {
        std::string under;
        for (std::size_t i = 1; i < run_in.size(); ++i) under += (i > 1 ? "\n" : "") + run_in[i];
        ImGui::TextUnformatted(under.c_str());
        row_left = left;
        right = std::max(right, ImGui::GetItemRectMax().x), bottom = ImGui::GetItemRectMax().y;
      }
    } else {
      // On lines of its own, at most kBannerLines: the banner must leave the window to the graph
      // (long_rows.h).
      if (lines.size() > kBannerLines) {
        shown.clear();
        for (const std::string& line : widgets::FirstLines(lines, kBannerLines, width, measure)) shown += (shown.empty() ? "" : "\n") + line;
      }
      widgets::TextWrappedAtSpaces(shown);
      row_left = ImGui::GetItemRectMin().x, row_top = ImGui::GetItemRectMin().y;
      right = ImGui::GetItemRectMax().x, bottom = ImGui::GetItemRectMax().y;
    }
    ImGui::PopStyleColor();
    if (ctx.record) ctx.record->banner = BannerRecord{where, shown, {row_left, row_top, right, bottom}};
  } else if (ctx.record) {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    ctx.record->banner = BannerRecord{where, row, {a.x, a.y, b.x, b.y}};
  }
  if (ctx.fonts.heading) ImGui::PopFont();
  if (ctx.record) ctx.record->visible_text.push_back(where);
}

void ToolbarView::tick(ViewContext& ctx) {
  if (!playing_) return;
  Lesson& l = ctx.session.lesson();
  if (ctx.now >= next_step_at_) {
    // The quiz waits for its answer: playing stops at a row that is asked.
    if (ctx.quiz && ctx.quiz->question(l)) {
      playing_ = false;
      return;
    }
    const Cursor before = l.cursor();
    l.next();
    if (l.cursor() == before) playing_ = false;  // the end of the lesson
    next_step_at_ = ctx.now + 1.0 / speed_;
  }
  if (playing_) ctx.redraw.request_at(next_step_at_);
}

void ToolbarView::handle_keys(ViewContext& ctx) {
  if (ImGui::GetIO().WantTextInput) return;
  Lesson& l = ctx.session.lesson();
  auto pressed = [](ImGuiKey k) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(k)); };
  if (pressed(ImGuiKey_RightArrow) || pressed(ImGuiKey_PageDown)) next(ctx);
  if (pressed(ImGuiKey_LeftArrow) || pressed(ImGuiKey_PageUp)) previous(ctx);
  if (ctx.quiz && !ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed('Q', false)) ctx.quiz->set_on(!ctx.quiz->on());
  if (pressed(ImGuiKey_End)) l.finish();
  if (pressed(ImGuiKey_Backspace)) l.undo_step();
  if (pressed(ImGuiKey_Home)) l.reset();
  if (pressed(ImGuiKey_Space)) toggle_play(ctx.now);
}

}  // namespace gs::app
