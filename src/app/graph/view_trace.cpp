// Trace tables drawn with ImGui tables; text from the engine's trace rows. No GL.
#include "app/graph/view_trace.h"

#include "app/base/i18n.h"
#include "app/base/theme.h"
#include "app/graph/long_rows.h"
#include "app/widgets/text_wrap.h"

#include <algorithm>
#include <cmath>

namespace gs::app {

namespace {

// One row as the engine formats it: variable, formula, with numbers, value (trace.h).
// A row's cells as the screen writes them (on_screen: the minus sign −), a huge row cut to about
// 2,000 characters (long_rows.h: a 50,000-term fan-in would cost every frame).
TraceCells cells(const Lesson& l, StepMode mode, int row) {
  TraceCells c;
  switch (mode) {
    case StepMode::Forward: c = trace_cells_cut(l.forward_rows()[row]); break;
    case StepMode::Reverse: c = trace_cells_cut(l.reverse_rows()[row]); break;
    case StepMode::Tangent: c = trace_cells_cut(l.tangent_rows()[row]); break;
  }
  for (std::string* text : {&c.formula, &c.numbers, &c.value, &c.line}) *text = on_screen(*text);
  return c;
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

const std::string kNoText;

Tr title_of(StepMode m) {
  return m == StepMode::Forward ? Tr::TraceForward : m == StepMode::Reverse ? Tr::TraceReverse : Tr::TraceTangent;
}

}  // namespace

std::string output_name(const Graph& g) {
  const Node& out = g.node(g.output());
  return out.kind == NodeKind::Op && !out.name.empty() ? out.name : std::string("y");
}

float TraceView::row_height(const ViewContext& ctx, int lines) {
  const ImGuiStyle& st = ImGui::GetStyle();
  const ImFont* mono = ctx.presenting && ctx.fonts.mono_large ? ctx.fonts.mono_large : ctx.fonts.mono;
  const float line = (mono ? mono->FontSize : ImGui::GetFontSize()) + st.ItemSpacing.y;
  return line * static_cast<float>(lines) + st.CellPadding.y * 2.0f;
}

float TraceView::title_height(const ViewContext& ctx) {
  return (ctx.fonts.heading ? ctx.fonts.heading->FontSize : ImGui::GetFontSize()) + ImGui::GetStyle().ItemSpacing.y;
}

float TraceView::lecture_height(const ViewContext& ctx) {
  const float tabs = ctx.presenting ? 0.0f : ImGui::GetFrameHeightWithSpacing();
  return tabs + title_height(ctx) + 2.0f * row_height(ctx, 2) + ImGui::GetStyle().ItemSpacing.y;
}

void TraceView::draw(ViewContext& ctx, const std::function<void()>& inspector) {
  // Too short for the column headers and two rows of two lines: the rows keep the room (the tab
  // and the title name the trace; the headers only name the columns). Too short for the title
  // and one row of two lines: the title goes too (the tab still names the trace).
  const float room = ImGui::GetContentRegionAvail().y;
  const bool headers = room >= lecture_height(ctx) + ImGui::GetFrameHeight();
  const bool titled = room >= lecture_height(ctx) - row_height(ctx, 2);
  const Lesson& lesson = ctx.session.lesson();
  if (!lesson.ready()) {
    draw_no_steps(ctx, no_steps(lesson, lesson.cursor().mode));
    return;
  }
  const Cursor c = lesson.cursor();
  const bool stepped = !first_frame_ && !(c == last_cursor_);
  if (c.mode != last_cursor_.mode || first_frame_ || (stepped && (inspector_shown_ || inspector_pending_))) {
    // The tab follows the stepping mode until ImGui has shown it selected; a step leaves the
    // inspector's tab for the trace.
    shown_tab_ = c.mode;
    select_pending_ = true;
    inspector_pending_ = false;
  }
  // A node picked on the canvas (not by a row of the table) shows the inspector's tab.
  if (inspector && ctx.focus.selected.valid() && !(ctx.focus.selected == last_selected_) && !ctx.focus.from_table) {
    inspector_pending_ = true;
    select_pending_ = false;
  }
  last_selected_ = ctx.focus.selected;
  first_frame_ = false;
  last_cursor_ = c;

  if (ctx.presenting) {
    // Only the trace being stepped, no tabs: what the lecture is about, large.
    ImGui::PushFont(ctx.fonts.heading);
    const std::string title = c.mode == StepMode::Reverse ? trf(Tr::TraceReverse, output_name(lesson.graph())) : std::string(tr(title_of(c.mode)));
    if (titled) ImGui::TextUnformatted(title.c_str());
    if (titled && ctx.record) ctx.record->visible_text.push_back(title);
    ImGui::PopFont();
    draw_table(ctx, c.mode, headers);
    return;
  }
  if (ImGui::BeginTabBar("traces")) {
    for (StepMode m : {StepMode::Forward, StepMode::Reverse, StepMode::Tangent}) {
      const ImGuiTabItemFlags flags = (select_pending_ && m == shown_tab_) ? ImGuiTabItemFlags_SetSelected : 0;
      const Tr name = m == StepMode::Forward ? Tr::ModeForward : m == StepMode::Reverse ? Tr::ModeReverse : Tr::ModeTangent;
      if (ImGui::BeginTabItem(label(name, step_mode_name(m)).c_str(), nullptr, flags)) {
        if (m == shown_tab_) select_pending_ = false;
        else if (!select_pending_) shown_tab_ = m;
        if (m == StepMode::Tangent) draw_tangent_choice(ctx);
        ImGui::PushFont(ctx.fonts.heading);
        // The reverse trace names the output as the notes do: v̄i = ∂L/∂vi for `L = …`.
        const std::string title = m == StepMode::Reverse ? trf(Tr::TraceReverse, output_name(lesson.graph())) : std::string(tr(title_of(m)));
        if (titled) ImGui::TextUnformatted(title.c_str());
        if (titled && ctx.record) ctx.record->visible_text.push_back(title);
        ImGui::PopFont();
        draw_table(ctx, m, headers);
        ImGui::EndTabItem();
      }
    }
    inspector_shown_ = false;
    if (inspector) {
      const ImGuiTabItemFlags flags = inspector_pending_ ? ImGuiTabItemFlags_SetSelected : 0;
      if (ImGui::BeginTabItem(label(Tr::Inspector, "inspector").c_str(), nullptr, flags)) {
        inspector_shown_ = true;
        inspector_pending_ = false;
        ImGui::BeginChild("inspector_tab");  // scrolls on its own, under the tabs
        inspector();
        ImGui::EndChild();
        ImGui::EndTabItem();
      }
    }
    ImGui::EndTabBar();
  }
}

// Forward mode on or off, and along which input: in its own tab, not in the toolbar (whose row
// of its own the 1024×768 table lacked, issue 9). Ticking it keeps this tab: nothing moves.
void TraceView::draw_tangent_choice(ViewContext& ctx) {
  if (lesson_hides(ctx, LessonControl::Tangent)) return;  // a lesson file may hide it
  Lesson& l = ctx.session.lesson();
  ImGui::BeginDisabled(no_steps(l, StepMode::Forward) != NoSteps::None);
  bool tangent = l.cursor().mode == StepMode::Tangent;
  if (ImGui::Checkbox(label(Tr::ModeTangentAlong, "tangent").c_str(), &tangent)) {
    if (tangent) l.start_tangent();
    else l.reset();
  }
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", tr(Tr::TipTangent));
  record_last_item(ctx.record, "tangent", tr(Tr::ModeTangentAlong));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 4.5f);
  ImGui::BeginDisabled(!tangent);
  if (ImGui::BeginCombo("##tangent_of", l.tangent_input().c_str())) {
    for (NodeId in : l.graph().inputs()) {
      const std::string& name = l.graph().node(in).name;
      if (ImGui::Selectable(name.c_str(), name == l.tangent_input())) {
        l.set_tangent_input(name);
        l.start_tangent();
      }
    }
    ImGui::EndCombo();
  }
  record_last_item(ctx.record, "tangent_of", l.tangent_input());
  ImGui::EndDisabled();
  ImGui::EndDisabled();
}

// The widest variable and value of the rows of `mode` (the current font), for the columns'
// widths: measured once per lesson and font, not every frame (a 500-node trace has 500 rows).
const TraceView::RowWidths& TraceView::measure(ViewContext& ctx, StepMode mode) {
  const Lesson& lesson = ctx.session.lesson();
  RowWidths& w = widths_[static_cast<int>(mode)];
  const WidthsKey key{ctx.session.generation(), lesson.engine_runs(), lesson.row_count(mode), ImGui::GetFontSize(), lesson.tangent_input()};
  if (w.key == key) return w;
  w = RowWidths{};
  w.key = key;
  for (int r = 0; r < lesson.row_count(mode); ++r) {
    const TraceCells c = cells(lesson, mode, r);
    w.lhs = std::max(w.lhs, ImGui::CalcTextSize(c.lhs.c_str()).x);
    w.value = std::max(w.value, ImGui::CalcTextSize(("= " + c.value).c_str()).x);
  }
  return w;
}

// In place of a trace with no row: what to do (the normal text colour), or the problem (red).
void TraceView::draw_no_steps(ViewContext& ctx, NoSteps why) {
  const Lesson& lesson = ctx.session.lesson();
  std::string text;
  switch (why) {
    case NoSteps::None: return;
    case NoSteps::EmptyGraph: text = tr(Tr::TraceEmptyGraph); break;
    case NoSteps::ConstantOutput: text = tr(Tr::TraceConstantOutput); break;
    case NoSteps::NoInput: text = tr(Tr::TraceNoInput); break;
    case NoSteps::Problem: text = trf(Tr::NothingToStep, translate(lesson.problem())); break;
  }
  ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(why == NoSteps::Problem ? theme::kProblem : theme::kText));
  widgets::TextWrappedAtSpaces(text);
  ImGui::PopStyleColor();
  if (ctx.record) ctx.record->visible_text.push_back(text);
}

void TraceView::draw_table(ViewContext& ctx, StepMode mode, bool headers) {
  const Lesson& lesson = ctx.session.lesson();
  if (const NoSteps why = no_steps(lesson, mode); why != NoSteps::None) {
    draw_no_steps(ctx, why);
    return;
  }
  const Cursor cur = lesson.cursor();
  // Rows up to the cursor carry their numbers; later rows show only what will be computed.
  int shown = 0;
  if (cur.mode == mode) shown = cur.step;
  else if (mode == StepMode::Forward && cur.mode == StepMode::Reverse) shown = lesson.row_count(mode);
  const int current = cur.mode == mode ? cur.step - 1 : -1;
  const NodeId selected = lesson.built().engine(ctx.session.model(), ctx.focus.selected);
  const int rows = lesson.row_count(mode);
  // A long trace (a generated network) keeps rows of one height, so that a clipper draws only
  // the visible ones; a lesson's trace wraps its arithmetic inside the table instead.
  const bool clipped = rows > kMaxWrappedRows;

  TableRecord rec;
  rec.name = step_mode_name(mode);
  // The variable, then the formula with the same formula with numbers beside it (one line) or
  // under it (two), wrapped at the column's edge and never cut or scrolled out of view — the
  // chain-rule arithmetic is what the lesson is about — then the value, last.
  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                (clipped ? ImGuiTableFlags_ScrollX | ImGuiTableFlags_SizingFixedFit : ImGuiTableFlags_SizingStretchProp);
  if (!ImGui::BeginTable("rows", 3, flags, ImGui::GetContentRegionAvail())) return;
  {
    // Where the table is on the screen: its content starts above the top when scrolled.
    const ImVec2 at(ImGui::GetCursorScreenPos().x + ImGui::GetScrollX(), ImGui::GetCursorScreenPos().y + ImGui::GetScrollY());
    const ImVec2 size = ImGui::GetContentRegionAvail();
    rec.rect[0] = at.x;
    rec.rect[1] = at.y;
    rec.rect[2] = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    rec.rect[3] = at.y + size.y;
  }
  ImGui::PushFont(ctx.presenting && ctx.fonts.mono_large ? ctx.fonts.mono_large : ctx.fonts.mono);
  const RowWidths& widths = measure(ctx, mode);
  ImGui::TableSetupScrollFreeze(0, headers ? 1 : 0);
  const std::string header = std::string(tr(Tr::ColumnFormula)) + " / " + tr(Tr::ColumnSubstituted);
  if (clipped) {
    ImGui::TableSetupColumn(tr(Tr::ColumnVariable));
    ImGui::TableSetupColumn(header.c_str());
    ImGui::TableSetupColumn(tr(Tr::ColumnValue));
  } else {
    // The variable as wide as its widest text, the arithmetic the rest, and the value as wide as
    // the current row's value (at most half the table) unless a narrower one, wrapping it, keeps
    // that row to fewer lines: sized to the trace's widest value, a tensor row's arithmetic
    // wrapped onto lines the 1024×768 table has no room for (issue 9). With no current row in
    // this trace, the widest value, at most a third.
    const float pad = ImGui::GetStyle().CellPadding.x * 2;
    const float width = rec.rect[2] - rec.rect[0];
    const float lhs_w = std::max(widths.lhs, ImGui::CalcTextSize(tr(Tr::ColumnVariable)).x) + pad;
    const float header_w = ImGui::CalcTextSize(tr(Tr::ColumnValue)).x;
    const float widest_w = std::min(std::max(widths.value, header_w) + pad, width / 3);
    float value_w = widest_w;
    if (current >= 0) {
      const TraceCells now = cells(lesson, mode, current);
      const std::string value = "= " + now.value, formula = "= " + now.formula, numbers = "= " + now.numbers;
      const auto measure = widgets::ImGuiTextWidth;
      const auto lines = [&](float value_col) {  // the current row's lines with this value column
        const float arith = width - lhs_w - value_col - pad;
        const std::size_t v = widgets::WrapAtSpaces(value, value_col - pad, measure).size();
        const std::size_t f = measure(formula) + measure(" ") + measure(numbers) <= arith
                                  ? 1
                                  : widgets::WrapAtSpaces(formula, arith, measure).size() + widgets::WrapAtSpaces(numbers, arith, measure).size();
        return std::max(v, f);
      };
      value_w = std::min(std::max(measure(value), header_w) + pad, width / 2);
      // As wide as the trace's widest value where that costs the current row no line: the other
      // rows' values stay whole ("= −0.95892" broke after its "=" beside a current "= 10.693")
      // and the column keeps its edge as the steps go on.
      if (widest_w > value_w && lines(widest_w) <= lines(value_w)) value_w = widest_w;
      std::size_t fewest = lines(value_w);
      for (float narrower : {width / 3, width / 4, header_w + pad})  // a narrow table (beside the canvas)
        if (narrower < value_w && lines(narrower) < fewest) {
          value_w = narrower;
          fewest = lines(narrower);
        }
    }
    ImGui::TableSetupColumn(tr(Tr::ColumnVariable), ImGuiTableColumnFlags_WidthFixed, lhs_w);
    ImGui::TableSetupColumn(header.c_str(), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn(tr(Tr::ColumnValue), ImGuiTableColumnFlags_WidthFixed, value_w);
  }
  ImGui::PopFont();
  if (headers) ImGui::TableHeadersRow();
  ImGui::PushFont(ctx.presenting && ctx.fonts.mono_large ? ctx.fonts.mono_large : ctx.fonts.mono);
  const float line_h = ImGui::GetTextLineHeightWithSpacing();
  const float row_h = line_h * 2.0f + ImGui::GetStyle().CellPadding.y * 2.0f;  // clipped rows
  // The current row is brought into view for a few frames after the cursor moves: the first
  // frames of a table (a new tab, a new graph) do not know its rows' heights yet.
  // So is it when the table's height changes (a two-line error message above the stepping
  // buttons, a dragged split): the current row sat below the bottom until the next step.
  const float view_h = rec.rect[3] - rec.rect[1];
  if (!(lesson.cursor() == last_scrolled_) || std::abs(view_h - last_view_h_) > 0.5f) scroll_frames_ = 3;
  last_view_h_ = view_h;
  const bool moved = scroll_frames_ > 0;
  // Keep the current row in view when the cursor moves (before the clipper decides what to draw).
  if (clipped && current >= 0 && moved) {
    const float y = current * row_h;
    if (y < ImGui::GetScrollY() + row_h || y > ImGui::GetScrollY() + ImGui::GetWindowHeight() - 3 * row_h)
      ImGui::SetScrollY(std::max(0.0f, y - ImGui::GetWindowHeight() * 0.5f));
  }
  float text_right = 0;  // of the formula / with-numbers column: the lesson's arithmetic
  auto note_right = [&] { text_right = std::max(text_right, ImGui::GetItemRectMax().x); };
  // Text of the arithmetic column: wrapped at its edge unless the rows are clipped.
  auto cell_text = [&](ImU32 colour, const std::string& text) {
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(colour));
    if (clipped) ImGui::TextUnformatted(text.c_str());
    else widgets::TextWrappedAtSpaces(text);
    ImGui::PopStyleColor();
    note_right();
  };
  int rows_in_view = 0;
  bool any_stacked = clipped;
  const float view_top = ImGui::GetWindowPos().y + (headers ? ImGui::GetFrameHeight() : 0.0f), view_bottom = ImGui::GetWindowPos().y + ImGui::GetWindowHeight();
  float current_top = 0, current_bottom = 0;  // the current row's extent, screen pixels
  auto draw_row = [&](int r) {
    const TraceCells c = cells(lesson, mode, r);
    const NodeId node = lesson.row_node(mode, r);
    const bool reached = r < shown;
    ImGui::TableNextRow(0, clipped ? row_h : 0.0f);
    if (r == current) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, theme::kRowCurrent);
    else if (node == selected && node.valid()) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, theme::kRowSelected);
    ImGui::TableSetColumnIndex(0);
    const float row_top = ImGui::GetCursorScreenPos().y;
    ImGui::PushID(r);
    if (ImGui::Selectable(c.lhs.c_str(), false, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap,
                          ImVec2(0, clipped ? row_h - ImGui::GetStyle().CellPadding.y * 2.0f : 0.0f))) {
      const int doc = node.valid() && node.index < static_cast<int>(lesson.built().doc_of.size()) ? node.index : -1;
      if (doc >= 0) {
        ctx.focus.selected = lesson.built().doc_of[doc];
        ctx.focus.from_table = true;
      }
    }
    if (reached && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", c.line.c_str());
    ImGui::PopID();
    ImGui::TableSetColumnIndex(1);
    // One line (= formula = numbers) where it fits the column, else the numbers under the formula.
    const std::string formula = c.formula.empty() ? std::string() : "= " + c.formula;
    const std::string numbers = reached && !c.numbers.empty() ? "= " + c.numbers : std::string();
    const std::string& problem = reached ? problem_of(lesson, mode, r) : kNoText;
    const std::string note = problem.empty() ? std::string() : "\u2190 " + translate(problem);
    float one = 0;
    for (const std::string* part : {&formula, &numbers, &note})
      if (!part->empty()) one += (one > 0 ? ImGui::CalcTextSize(" ").x : 0.0f) + ImGui::CalcTextSize(part->c_str()).x;
    const bool one_line = !clipped && one <= ImGui::GetContentRegionAvail().x;
    if (!one_line) any_stacked = true;
    bool first = true;
    for (const auto& [part, colour] : {std::pair{&formula, reached ? theme::kText : theme::kTextDim}, std::pair{&numbers, theme::kText},
                                       std::pair{&note, theme::kProblem}}) {
      if (part->empty()) continue;
      if (!first && (one_line || part == &note)) ImGui::SameLine();
      // A translated note is drawn in the interface font: the mono font has no CJK glyphs.
      const bool cjk = part == &note && ctx.fonts.ui && has_cjk(*part);
      if (cjk) ImGui::PushFont(ctx.fonts.ui);
      cell_text(colour, *part);
      if (cjk) ImGui::PopFont();
      first = false;
    }
    float bottom = ImGui::GetItemRectMax().y;
    if (reached) {
      ImGui::TableSetColumnIndex(2);
      const ImU32 col = !c.finite ? theme::kProblem : mode == StepMode::Forward ? theme::kValue : mode == StepMode::Reverse ? theme::kAdjoint : theme::kTangent;
      ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(col));
      if (clipped) ImGui::Text("= %s", c.value.c_str());
      else widgets::TextWrappedAtSpaces("= " + c.value);
      ImGui::PopStyleColor();
      bottom = std::max(bottom, ImGui::GetItemRectMax().y);
    }
    if (r == current) {
      current_top = row_top;
      current_bottom = bottom + ImGui::GetStyle().CellPadding.y;
    }
    return row_top;
  };
  if (clipped) {
    ImGuiListClipper clipper;
    clipper.Begin(rows, row_h);
    while (clipper.Step())
      for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) draw_row(r);
    rows_in_view = static_cast<int>((rec.rect[3] - rec.rect[1]) / row_h);
  } else {
    float last_top = 0;
    for (int r = 0; r < rows; ++r) {
      const float top = draw_row(r);
      if (r > 0 && last_top >= view_top - 0.5f && top <= view_bottom + 0.5f) ++rows_in_view;  // row r − 1 fully visible
      last_top = top;
    }
    // The last row's bottom is the table's content end.
    ImGui::TableNextRow();
    if (rows > 0 && last_top >= view_top - 0.5f && ImGui::GetCursorScreenPos().y <= view_bottom + 0.5f) ++rows_in_view;
  }
  // The current row whole, at the bottom of the view so that the rows before it show above it
  // (its top at the top where it is taller than the view): centring its first line, as before,
  // cut its numbers off in a short table.
  if (!clipped && current >= 0 && moved && current_bottom > current_top) {
    const float to_content = ImGui::GetScrollY() - ImGui::GetWindowPos().y;
    const float visible = view_bottom - view_top;
    const float target = current_bottom - current_top <= visible ? current_bottom + to_content - (view_bottom - ImGui::GetWindowPos().y)
                                                                 : current_top + to_content - (view_top - ImGui::GetWindowPos().y);
    ImGui::SetScrollY(std::max(0.0f, target));
  }
  rec.current_row_whole = !clipped && current >= 0 && current_bottom > current_top && current_top >= view_top - 0.5f && current_bottom <= view_bottom + 0.5f;
  rec.text_right = text_right;
  rec.lines_per_row = any_stacked ? 2 : 1;
  rec.rows_in_view = rows_in_view;
  // What was drawn, for screenshots: every row as a person would read it, with its NaN note.
  for (int r = 0; ctx.record && r < rows; ++r) {
    const TraceCells c = cells(lesson, mode, r);
    std::string row = r < shown ? c.line : c.lhs + (c.formula.empty() ? "" : " = " + c.formula);
    if (r < shown && !problem_of(lesson, mode, r).empty()) row += "  \u2190 " + translate(problem_of(lesson, mode, r));
    rec.rows.push_back(std::move(row));
    if (r == current) {
      rec.highlighted_row = r;
      rec.highlighted_text = c.line;
    }
  }
  last_scrolled_ = lesson.cursor();
  if (scroll_frames_ > 0) --scroll_frames_;
  ImGui::PopFont();
  ImGui::EndTable();
  if (ctx.record) ctx.record->tables.push_back(std::move(rec));
}

}  // namespace gs::app
