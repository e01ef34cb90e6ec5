// Toolbar: expression bar with an error caret, stepping buttons, player and timeline. No GL.
#include "app/graph/view_toolbar.h"

#include "app/base/i18n.h"
#include "app/base/theme.h"

#include <algorithm>
#include <cstring>
#include <iterator>

namespace gs::app {

namespace {

// Byte offset of the 1-based character column `col` in UTF-8 text.
std::size_t byte_of_column(const char* text, int col) {
  std::size_t i = 0;
  for (int c = 1; c < col && text[i]; ++c) {
    ++i;
    while ((text[i] & 0xC0) == 0x80) ++i;
  }
  return i;
}

// SameLine() when an item `width` pixels wide still fits on this line after the last one, else
// the item starts the next line.
void same_line_if_fits(float width) {
  const float right = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width;
  if (right <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
}

// The timeline: forward rows, then reverse rows (the lesson's natural order).
int timeline_position(const Lesson& l) {
  const Cursor c = l.cursor();
  if (c.mode == StepMode::Reverse) return l.row_count(StepMode::Forward) + c.step;
  return c.step;
}

}  // namespace

void ToolbarView::draw(ViewContext& ctx) {
  tick(ctx);
  draw_expression(ctx);
  draw_stepping(ctx);
}

void ToolbarView::draw_expression(ViewContext& ctx) {
  Session& s = ctx.session;
  if (s.model().expression != synced_expression_) {
    synced_expression_ = s.model().expression;
    // Statements on several lines read as one line in the bar: the parser takes ';' as well.
    std::string one_line;
    for (char ch : synced_expression_) one_line += ch == '\n' ? std::string("; ") : std::string(1, ch);
    while (!one_line.empty() && (one_line.back() == ' ' || one_line.back() == ';')) one_line.pop_back();
    std::snprintf(expression_, sizeof expression_, "%s", one_line.c_str());
  }
  // A failed expression stays in the bar with its caret, even when it came from elsewhere
  // (the command line); the graph below is still the old one.
  if (s.expression_error().column > 0 && s.expression_error().text != shown_error_text_) {
    shown_error_text_ = s.expression_error().text;
    std::snprintf(expression_, sizeof expression_, "%s", shown_error_text_.c_str());
  }
  const float build_w = ImGui::CalcTextSize(tr(Tr::Build)).x + ImGui::GetStyle().FramePadding.x * 4;
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - build_w);
  ImGui::PushFont(ctx.fonts.mono);
  const ImVec2 field_pos = ImGui::GetCursorScreenPos();
  bool submit = ImGui::InputTextWithHint("##expression", tr(Tr::ExpressionHint), expression_, sizeof expression_,
                                         ImGuiInputTextFlags_EnterReturnsTrue);
  const ExpressionError& err = s.expression_error();
  if (err.column > 0) {
    // A caret under the offending column of the text as typed.
    const std::size_t b = byte_of_column(expression_, err.column);
    const float x = field_pos.x + ImGui::GetStyle().FramePadding.x + ImGui::CalcTextSize(expression_, expression_ + b).x;
    const float w = std::max(ImGui::CalcTextSize(expression_ + b, expression_ + byte_of_column(expression_, err.column + err.length)).x,
                             ImGui::GetFontSize() * 0.5f);
    const float y = field_pos.y + ImGui::GetFrameHeight() - 3.0f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddLine(ImVec2(x, y), ImVec2(x + w, y), theme::kProblem, 3.0f);
    dl->AddTriangleFilled(ImVec2(x + w * 0.5f, y - 6), ImVec2(x + w * 0.5f - 6, y + 3), ImVec2(x + w * 0.5f + 6, y + 3), theme::kProblem);
  }
  ImGui::PopFont();
  ImGui::SameLine();
  submit |= ImGui::Button(label(Tr::Build, "build").c_str());
  if (submit) {
    if (s.set_expression(expression_)) s.set_status("");
    synced_expression_ = s.model().expression;
  }
  if (err.column > 0) {
    // The parser's messages already name the column; others get it added.
    const std::string msg = err.message.find("column") != std::string::npos ? err.message : trf(Tr::MsgErrorAt, std::to_string(err.column), err.message);
    ImGui::TextColored(theme::vec(theme::kProblem), "%s", msg.c_str());
    if (ctx.record) {
      ctx.record->error = err.message;
      ctx.record->error_column = err.column;
    }
  }
  if (ctx.record) ctx.record->expression = expression_;
}

void ToolbarView::draw_stepping(ViewContext& ctx) {
  Lesson& l = ctx.session.lesson();
  const bool ready = l.ready();
  ImGui::BeginDisabled(!ready);
  // The buttons flow onto a second line in a narrow window instead of running off its edge.
  const Tr play = playing_ ? Tr::Pause : Tr::Play;
  const struct {
    Tr text;
    const char* id;
  } buttons[] = {{Tr::Reset, "reset"},       {Tr::StepForward, "stepf"}, {Tr::RunForward, "runf"}, {Tr::StepBackward, "stepb"},
                 {Tr::RunBackward, "runb"}, {Tr::UndoStep, "undostep"}, {play, "play"}};
  for (std::size_t i = 0; i < std::size(buttons); ++i) {
    if (i > 0) same_line_if_fits(ImGui::CalcTextSize(tr(buttons[i].text)).x + ImGui::GetStyle().FramePadding.x * 2);
    if (!ImGui::Button(label(buttons[i].text, buttons[i].id).c_str())) continue;
    switch (i) {
      case 0: l.reset(); break;
      case 1: l.step_forward(); break;
      case 2: l.run_forward(); break;
      case 3: l.step_backward(); break;
      case 4: l.run_backward(); break;
      case 5: l.undo_step(); break;
      default:
        playing_ = !playing_;
        next_step_at_ = ctx.now;
        break;
    }
  }
  same_line_if_fits(ImGui::GetFontSize() * 5 + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(tr(Tr::Speed)).x);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5);
  ImGui::SliderFloat(label(Tr::Speed, "speed").c_str(), &speed_, 0.25f, 8.0f, "%.2g");

  // Jump to any step: forward rows then reverse rows on one slider, filling the row up to the
  // tangent controls. When they do not fit beside the buttons (1024 px wide), they take a line of
  // their own rather than run off the window.
  const ImGuiStyle& style = ImGui::GetStyle();
  bool tangent = l.cursor().mode == StepMode::Tangent;
  float tangent_w = ImGui::GetFrameHeight() + style.ItemInnerSpacing.x + ImGui::CalcTextSize(tr(Tr::ModeTangent)).x;
  if (tangent) tangent_w += style.ItemSpacing.x + ImGui::GetFontSize() * 5 + style.ItemInnerSpacing.x + ImGui::CalcTextSize(tr(Tr::TangentOf)).x;
  const float timeline_min = ImGui::GetFontSize() * 6;
  same_line_if_fits((tangent ? 0.0f : timeline_min + style.ItemSpacing.x) + tangent_w);
  if (!tangent) {
    const int total = l.row_count(StepMode::Forward) + l.row_count(StepMode::Reverse);
    int pos = timeline_position(l);
    ImGui::SetNextItemWidth(std::max(ImGui::GetContentRegionAvail().x - style.ItemSpacing.x - tangent_w, timeline_min));
    if (ImGui::SliderInt("##timeline", &pos, 0, std::max(total, 1), "")) {
      const int f = l.row_count(StepMode::Forward);
      l.jump(pos <= f ? Cursor{StepMode::Forward, pos} : Cursor{StepMode::Reverse, pos - f});
    }
    ImGui::SameLine();
  }
  // Tangent mode and its input.
  if (ImGui::Checkbox(label(Tr::ModeTangent, "tangent").c_str(), &tangent)) {
    if (tangent) l.start_tangent();
    else l.reset();
  }
  if (tangent) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5);
    if (ImGui::BeginCombo(label(Tr::TangentOf, "tangent_of").c_str(), l.tangent_input().c_str())) {
      for (NodeId in : l.graph().inputs()) {
        const std::string& name = l.graph().node(in).name;
        if (ImGui::Selectable(name.c_str(), name == l.tangent_input())) {
          l.set_tangent_input(name);
          l.start_tangent();
        }
      }
      ImGui::EndCombo();
    }
  }
  ImGui::EndDisabled();

  // Where we are, in words, large enough for the back row.
  const Cursor c = l.cursor();
  const Tr mode = c.mode == StepMode::Forward ? Tr::ModeForward : c.mode == StepMode::Reverse ? Tr::ModeReverse : Tr::ModeTangent;
  const std::string where = trf(Tr::StepOf, tr(mode), std::to_string(c.step), std::to_string(l.row_count(c.mode)));
  ImGui::PushFont(ctx.fonts.heading);
  ImGui::TextUnformatted(where.c_str());
  ImGui::PopFont();
  const NodeId cur = l.current_node();
  if (cur.valid()) {
    ImGui::SameLine();
    std::string row;
    if (c.mode == StepMode::Forward) row = to_line(l.forward_rows()[c.step - 1]);
    else if (c.mode == StepMode::Reverse) row = to_line(l.reverse_rows()[c.step - 1]);
    else row = to_line(l.tangent_rows()[c.step - 1]);
    ImGui::PushFont(ctx.fonts.heading);
    ImGui::TextColored(theme::vec(c.mode == StepMode::Forward ? theme::kValue : c.mode == StepMode::Reverse ? theme::kAdjoint : theme::kTangent),
                       "   %s", row.c_str());
    ImGui::PopFont();
  }
  if (ctx.record) ctx.record->visible_text.push_back(where);
}

void ToolbarView::tick(ViewContext& ctx) {
  if (!playing_) return;
  Lesson& l = ctx.session.lesson();
  if (ctx.now >= next_step_at_) {
    const Cursor c = l.cursor();
    if (c.mode != StepMode::Reverse && c.step < l.row_count(c.mode)) l.step_forward();
    else if (c.mode == StepMode::Tangent) playing_ = false;
    else if (c.mode == StepMode::Forward || c.step < l.row_count(StepMode::Reverse)) l.step_backward();
    else playing_ = false;
    next_step_at_ = ctx.now + 1.0 / speed_;
  }
  if (playing_) ctx.redraw.request_at(next_step_at_);
}

void ToolbarView::handle_keys(ViewContext& ctx) {
  if (ImGui::GetIO().WantTextInput) return;
  Lesson& l = ctx.session.lesson();
  auto pressed = [](ImGuiKey k) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(k)); };
  if (pressed(ImGuiKey_RightArrow)) ImGui::GetIO().KeyShift ? l.run_forward() : l.step_forward();
  if (pressed(ImGuiKey_LeftArrow)) ImGui::GetIO().KeyShift ? l.run_backward() : l.step_backward();
  if (pressed(ImGuiKey_Backspace)) l.undo_step();
  if (pressed(ImGuiKey_Home)) l.reset();
  if (pressed(ImGuiKey_Space)) {
    playing_ = !playing_;
    next_step_at_ = ctx.now;
  }
}

}  // namespace gs::app
