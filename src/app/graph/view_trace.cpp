// Trace tables drawn with ImGui tables; text from the engine's trace rows. No GL.
#include "app/graph/view_trace.h"

#include "app/base/i18n.h"
#include "app/base/theme.h"

#include <algorithm>

namespace gs::app {

namespace {

// One row as the engine formats it: variable, formula, with numbers, value (trace.h).
TraceCells cells(const Lesson& l, StepMode mode, int row) {
  switch (mode) {
    case StepMode::Forward: return trace_cells(l.forward_rows()[row]);
    case StepMode::Reverse: return trace_cells(l.reverse_rows()[row]);
    case StepMode::Tangent: return trace_cells(l.tangent_rows()[row]);
  }
  return {};
}

// Why a row's value or adjoint is NaN/inf, as the engine says it (ForwardStep/ReverseStep::problem;
// the CLI's "←" column), or "".
const std::string& problem_of(const Lesson& l, StepMode mode, int row) {
  static const std::string kNone;
  switch (mode) {
    case StepMode::Forward: return l.forward_rows()[row].problem;
    case StepMode::Reverse: return l.reverse_rows()[row].problem;
    case StepMode::Tangent: break;
  }
  return kNone;
}

std::string output_name(const Graph& g) {
  const Node& out = g.node(g.output());
  return out.kind == NodeKind::Op && !out.name.empty() ? out.name : std::string("y");
}

Tr title_of(StepMode m) {
  return m == StepMode::Forward ? Tr::TraceForward : m == StepMode::Reverse ? Tr::TraceReverse : Tr::TraceTangent;
}

}  // namespace

void TraceView::draw(ViewContext& ctx) {
  const Lesson& lesson = ctx.session.lesson();
  if (!lesson.ready()) {
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::kProblem));
    ImGui::TextWrapped("%s", trf(Tr::NothingToStep, lesson.problem().empty() ? "-" : lesson.problem()).c_str());
    ImGui::PopStyleColor();
    return;
  }
  const Cursor c = lesson.cursor();
  if (c.mode != last_cursor_.mode || first_frame_) {
    // The tab follows the stepping mode until ImGui has shown it selected.
    shown_tab_ = c.mode;
    select_pending_ = true;
  }
  first_frame_ = false;
  last_cursor_ = c;

  if (ctx.presenting) {
    // Only the trace being stepped, no tabs: what the lecture is about, large.
    ImGui::PushFont(ctx.fonts.heading);
    const std::string title = c.mode == StepMode::Reverse ? trf(Tr::TraceReverse, output_name(lesson.graph())) : std::string(tr(title_of(c.mode)));
    ImGui::TextUnformatted(title.c_str());
    if (ctx.record) ctx.record->visible_text.push_back(title);
    ImGui::PopFont();
    draw_table(ctx, c.mode);
    return;
  }
  if (ImGui::BeginTabBar("traces")) {
    for (StepMode m : {StepMode::Forward, StepMode::Reverse, StepMode::Tangent}) {
      const ImGuiTabItemFlags flags = (select_pending_ && m == shown_tab_) ? ImGuiTabItemFlags_SetSelected : 0;
      const Tr name = m == StepMode::Forward ? Tr::ModeForward : m == StepMode::Reverse ? Tr::ModeReverse : Tr::ModeTangent;
      if (ImGui::BeginTabItem(label(name, step_mode_name(m)).c_str(), nullptr, flags)) {
        if (m == shown_tab_) select_pending_ = false;
        else if (!select_pending_) shown_tab_ = m;
        ImGui::PushFont(ctx.fonts.heading);
        // The reverse trace names the output as the notes do: v̄i = ∂L/∂vi for `L = …`.
        const std::string title = m == StepMode::Reverse ? trf(Tr::TraceReverse, output_name(lesson.graph())) : std::string(tr(title_of(m)));
        ImGui::TextUnformatted(title.c_str());
        if (ctx.record) ctx.record->visible_text.push_back(title);
        ImGui::PopFont();
        draw_table(ctx, m);
        ImGui::EndTabItem();
      }
    }
    ImGui::EndTabBar();
  }
}

void TraceView::draw_table(ViewContext& ctx, StepMode mode) {
  const Lesson& lesson = ctx.session.lesson();
  const Cursor cur = lesson.cursor();
  // Rows up to the cursor carry their numbers; later rows show only what will be computed.
  int shown = 0;
  if (cur.mode == mode) shown = cur.step;
  else if (mode == StepMode::Forward && cur.mode == StepMode::Reverse) shown = lesson.row_count(mode);
  const int current = cur.mode == mode ? cur.step - 1 : -1;
  const NodeId selected = lesson.built().engine(ctx.session.model(), ctx.focus.selected);

  TableRecord rec;
  rec.name = step_mode_name(mode);
  // Columns as wide as their text; the formula and the same formula with numbers stacked in one
  // column (two lines a row), so that the chain-rule arithmetic — what the lesson is about — fits
  // beside the value instead of in a fourth column scrolled out of view. Rows of one height, so
  // that a clipper draws only the visible ones of a long trace.
  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX | ImGuiTableFlags_RowBg |
                                ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit;  // not resizable: columns follow their text
  if (!ImGui::BeginTable("rows", 3, flags, ImGui::GetContentRegionAvail())) return;
  {
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const ImVec2 size = ImGui::GetContentRegionAvail();
    rec.rect[0] = at.x;
    rec.rect[1] = at.y;
    rec.rect[2] = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    rec.rect[3] = at.y + size.y;
  }
  // The variable stays in view, the arithmetic next to it; the value (a tensor's can be long, and
  // the banner and the canvas show it too) comes last and scrolls sideways if it must.
  ImGui::TableSetupScrollFreeze(1, 1);
  ImGui::TableSetupColumn(tr(Tr::ColumnVariable));
  const std::string header = std::string(tr(Tr::ColumnFormula)) + " / " + tr(Tr::ColumnSubstituted);
  ImGui::TableSetupColumn(header.c_str());
  ImGui::TableSetupColumn(tr(Tr::ColumnValue));
  ImGui::TableHeadersRow();
  ImGui::PushFont(ctx.presenting && ctx.fonts.mono_large ? ctx.fonts.mono_large : ctx.fonts.mono);
  const int rows = lesson.row_count(mode);
  const float line_h = ImGui::GetTextLineHeightWithSpacing();
  const float row_h = line_h * 2.0f + ImGui::GetStyle().CellPadding.y * 2.0f;
  // Keep the current row in view when the cursor moves (before the clipper decides what to draw).
  if (current >= 0 && !(lesson.cursor() == last_scrolled_)) {
    const float y = current * row_h;
    if (y < ImGui::GetScrollY() + row_h || y > ImGui::GetScrollY() + ImGui::GetWindowHeight() - 3 * row_h)
      ImGui::SetScrollY(std::max(0.0f, y - ImGui::GetWindowHeight() * 0.5f));
  }
  float text_right = 0;  // of the formula / with-numbers column: the lesson's arithmetic
  auto note_right = [&] { text_right = std::max(text_right, ImGui::GetItemRectMax().x); };
  ImGuiListClipper clipper;
  clipper.Begin(rows, row_h);
  while (clipper.Step()) {
    for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
      const TraceCells c = cells(lesson, mode, r);
      const NodeId node = lesson.row_node(mode, r);
      const bool reached = r < shown;
      ImGui::TableNextRow(0, row_h);
      if (r == current) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, theme::kRowCurrent);
      else if (node == selected && node.valid()) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, theme::kRowSelected);
      ImGui::TableSetColumnIndex(0);
      ImGui::PushID(r);
      if (ImGui::Selectable(c.lhs.c_str(), false, ImGuiSelectableFlags_SpanAllColumns, ImVec2(0, row_h - ImGui::GetStyle().CellPadding.y * 2.0f))) {
        const int doc = node.valid() && node.index < static_cast<int>(lesson.built().doc_of.size()) ? node.index : -1;
        if (doc >= 0) {
          ctx.focus.selected = lesson.built().doc_of[doc];
          ctx.focus.from_table = true;
        }
      }
      if (reached && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", c.line.c_str());
      ImGui::PopID();
      ImGui::TableSetColumnIndex(1);
      if (!c.formula.empty()) {
        ImGui::TextColored(theme::vec(reached ? theme::kText : theme::kTextDim), "= %s", c.formula.c_str());
        note_right();
      }
      if (reached && !c.numbers.empty()) {
        ImGui::Text("= %s", c.numbers.c_str());
        note_right();
      }
      if (reached) {
        if (const std::string& problem = problem_of(lesson, mode, r); !problem.empty()) {
          if (!c.numbers.empty()) ImGui::SameLine();
          ImGui::TextColored(theme::vec(theme::kProblem), "\u2190 %s", problem.c_str());
          note_right();
        }
        ImGui::TableSetColumnIndex(2);
        const ImU32 col = !c.finite ? theme::kProblem : mode == StepMode::Forward ? theme::kValue : mode == StepMode::Reverse ? theme::kAdjoint : theme::kTangent;
        ImGui::TextColored(theme::vec(col), "= %s", c.value.c_str());
      }
    }
  }
  rec.text_right = text_right;
  // What was drawn, for screenshots: every row as a person would read it, with its NaN note.
  for (int r = 0; ctx.record && r < rows; ++r) {
    const TraceCells c = cells(lesson, mode, r);
    std::string row = r < shown ? c.line : c.lhs + (c.formula.empty() ? "" : " = " + c.formula);
    if (r < shown && !problem_of(lesson, mode, r).empty()) row += "  \u2190 " + problem_of(lesson, mode, r);
    rec.rows.push_back(std::move(row));
    if (r == current) {
      rec.highlighted_row = r;
      rec.highlighted_text = c.line;
    }
  }
  last_scrolled_ = lesson.cursor();
  ImGui::PopFont();
  ImGui::EndTable();
  if (ctx.record) ctx.record->tables.push_back(std::move(rec));
}

}  // namespace gs::app
