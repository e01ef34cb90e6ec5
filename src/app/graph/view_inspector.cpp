// The inspector panel. Its text is the engine's (node_text: heading, local derivatives, the
// partial adjoints' rules in symbols and shapes, the same strings as the reverse trace); numbers
// are the lesson's; the second derivative is the engine's second_derivative(). No GL.
#include "app/graph/view_inspector.h"

#include "app/base/i18n.h"
#include "app/base/theme.h"
#include "app/graph/paths.h"
#include "app/graph/tensor_heatmap.h"

#include <algorithm>
#include <cmath>

namespace gs::app {

namespace {

constexpr int kMaxGridSide = 8;  // numbers shown per side; larger tensors get a summary

void record(ViewContext& ctx, const std::string& line) {
  if (ctx.record) ctx.record->inspector.push_back(line);
}

void section(ViewContext& ctx, Tr title) {
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::kTextDim));
  ImGui::TextUnformatted(tr(title));
  ImGui::PopStyleColor();
}

void math_line(ViewContext& ctx, ImU32 color, const std::string& text) {
  ImGui::PushFont(ctx.fonts.mono);
  ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(color));
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
  ImGui::PopFont();
  record(ctx, text);
}

}  // namespace

void InspectorView::draw_tensor(ViewContext& ctx, const char* id, const TensorD& t, ImU32 color) {
  if (t.rank() == 0 || t.size() == 1) {
    math_line(ctx, color, format_number(t[0]));
    return;
  }
  Index rows = 0, cols = 0;
  tensor_grid(t, &rows, &cols);
  double lo = INFINITY, hi = -INFINITY, sum = 0;
  for (double v : t) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    sum += v;
  }
  math_line(ctx, theme::kTextDim, t.shape().to_string() + "  " +
                                      trf(Tr::InspSummary, std::to_string(t.size()), format_number(lo), format_number(hi),
                                          format_number(sum / static_cast<double>(t.size()))));
  const Index show_r = std::min<Index>(rows, kMaxGridSide), show_c = std::min<Index>(cols, kMaxGridSide);
  ImGui::PushFont(ctx.fonts.mono);
  if (ImGui::BeginTable(id, static_cast<int>(show_c), ImGuiTableFlags_BordersInner | ImGuiTableFlags_SizingFixedFit)) {
    for (Index r = 0; r < show_r; ++r) {
      ImGui::TableNextRow();
      for (Index c = 0; c < show_c; ++c) {
        ImGui::TableSetColumnIndex(static_cast<int>(c));
        ImGui::TextColored(theme::vec(color), "%s", format_number(t[r * cols + c]).c_str());
      }
    }
    ImGui::EndTable();
  }
  ImGui::PopFont();
  if (show_r < rows || show_c < cols) ImGui::TextDisabled("%s", trf(Tr::InspTruncated, std::to_string(show_r), std::to_string(show_c)).c_str());
  const float side = std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 10);
  const ImVec2 a = ImGui::GetCursorScreenPos();
  const float h = side * std::min(1.0f, static_cast<float>(std::min<Index>(rows, widgets::kMaxHeatmapCells)) /
                                            static_cast<float>(std::min<Index>(cols, widgets::kMaxHeatmapCells)));
  draw_tensor_heatmap(ImGui::GetWindowDrawList(), a, ImVec2(a.x + side, a.y + h), t, color);
  ImGui::Dummy(ImVec2(side, h));
}

// Every path from the input to the output with its product of local derivatives, and their sum
// beside reverse mode's adjoint of the input: the same number, by the other form of the chain rule.
void InspectorView::draw_paths(ViewContext& ctx, NodeId input) {
  const Lesson& lesson = ctx.session.lesson();
  const Graph& g = lesson.graph();
  section(ctx, Tr::InspPaths);
  const DocId doc = lesson.built().doc_of[input.index];
  const bool shown = ctx.focus.paths_of == doc;
  if (ImGui::Button(tr(shown ? Tr::HidePaths : Tr::ShowPaths))) ctx.focus.paths_of = shown ? DocId{} : doc;
  if (!shown) return;
  const PathSum paths = chain_paths(g, lesson.evaluation(), input);
  if (!paths.scalar) {
    math_line(ctx, theme::kTextDim, tr(Tr::PathsScalarOnly));
    return;
  }
  for (const ChainPath& p : paths.paths) math_line(ctx, theme::kPath, p.text);
  if (paths.truncated) {
    math_line(ctx, theme::kTextDim, trf(Tr::PathsTooMany, std::to_string(paths.paths.size())));
    return;
  }
  const TensorD adjoint = lesson.bundle().gradient(g, input);
  math_line(ctx, theme::kAdjoint, trf(Tr::PathsSum, paths.sum_text, adjoint_label(g.label(input)), format_tensor(adjoint)));
}

void InspectorView::draw(ViewContext& ctx) {
  const Session& s = ctx.session;
  const Lesson& lesson = s.lesson();
  const BuiltGraph& built = lesson.built();
  DocId id = ctx.focus.selected;
  if (!s.model().find(id)) {
    const NodeId cur = lesson.current_node();
    id = cur.valid() && cur.index < static_cast<int>(built.doc_of.size()) ? built.doc_of[cur.index] : DocId{};
  }
  if (!(id == shown_)) {
    shown_ = id;
    second_text_.clear();
    editor_ = ValueEditor{};
  }
  const DocNode* d = s.model().find(id);
  if (!d) {
    ImGui::TextDisabled("%s", tr(Tr::InspectorEmpty));
    return;
  }
  const NodeId e = built.engine(s.model(), id);
  const Graph& g = built.graph;
  const NodeText text = e.valid() ? node_text(g, e) : NodeText{};
  ImGui::PushFont(ctx.fonts.heading);
  const std::string heading = e.valid() ? text.heading : (d->kind == NodeKind::Op ? op_def(d->op).name : d->name);
  ImGui::TextUnformatted(heading.c_str());
  ImGui::PopFont();
  record(ctx, heading);
  if (!text.shape.empty()) ImGui::TextDisabled("%s", text.shape.c_str());

  if (d->kind == NodeKind::Input) editor_.draw(ctx.session, *d);
  if (!e.valid() || !lesson.ready()) {
    if (!lesson.problem().empty()) math_line(ctx, theme::kProblem, lesson.problem());
    return;
  }
  const Node& node = g.node(e);
  const std::string& y = text.label;

  // Forward.
  section(ctx, Tr::InspForward);
  const int frow = lesson.forward_row_of(e);
  if (frow >= 0) {
    if (lesson.value_shown(e)) math_line(ctx, theme::kText, to_line(lesson.forward_rows()[frow]));
    else math_line(ctx, theme::kTextDim, y + " = " + lesson.forward_rows()[frow].formula + "   (" + tr(Tr::InspNotReached) + ")");
  }

  // Local derivatives ∂vj/∂vi (elementwise ops), then the partial adjoint each input receives,
  // with its shapes for matrix ops ([N×D] = [N×M] @ [M×D]ᵀ).
  if (std::any_of(text.partials.begin(), text.partials.end(), [](const PartialRule& p) { return !p.local.empty(); })) {
    section(ctx, Tr::InspLocalDerivative);
    for (const PartialRule& p : text.partials)
      if (!p.local.empty()) math_line(ctx, theme::kText, p.local);
  }
  if (!text.partials.empty()) {
    section(ctx, Tr::InspReverseRule);
    for (const PartialRule& p : text.partials) {
      if (!p.gets_adjoint || p.rule.empty()) continue;
      math_line(ctx, theme::kAdjoint, p.rule);
      if (!p.shapes.empty()) math_line(ctx, theme::kTextDim, "    " + p.shapes);
    }
  }

  // Values and adjoints as numbers.
  section(ctx, Tr::InspValue);
  if (lesson.value_shown(e)) draw_tensor(ctx, "value", lesson.evaluation()[e], theme::kValue);
  else ImGui::TextDisabled("%s", tr(Tr::InspNotReached));
  if (lesson.adjoint_shown(e) && lesson.reverse_result().has_adjoint[e.index]) {
    section(ctx, Tr::InspAdjoint);
    const int rrow = lesson.reverse_row_of(e);
    if (rrow >= 0) math_line(ctx, theme::kAdjoint, to_line(lesson.reverse_rows()[rrow]));
    draw_tensor(ctx, "adjoint", lesson.reverse_result()[e], theme::kAdjoint);
  }
  if (lesson.tangent_shown(e)) {
    section(ctx, Tr::InspTangent);
    draw_tensor(ctx, "tangent", lesson.tangent_result()[e], theme::kTangent);
  }
  if (lesson.non_finite().node == e) math_line(ctx, theme::kProblem, "⚠ " + trf(Tr::NonFiniteHere, lesson.non_finite().reason));

  // Gradient check, the chain rule as paths and the second derivative, for inputs.
  if (node.kind == NodeKind::Input) draw_paths(ctx, e);
  if (node.kind == NodeKind::Input) {
    for (const InputCheck& c : lesson.gradcheck_report().inputs) {
      if (c.input != node.name) continue;
      section(ctx, Tr::InspGradcheck);
      char err[32];
      std::snprintf(err, sizeof err, "%.1e", c.relative_error);
      math_line(ctx, c.passed ? theme::kOk : theme::kProblem,
                std::string(c.passed ? "✓ " : "✗ ") + trf(Tr::InspGradcheckLine, format_number(c.directional_numeric), format_number(c.directional_analytic), err));
    }
    const bool scalar_graph = g.node(g.output()).shape.size() == 1 && node.shape.size() == 1;
    if (scalar_graph) {
      section(ctx, Tr::InspSecond);
      const std::string out = g.label(g.output());
      if (ImGui::Button(("∂²" + out + "/∂" + node.name + "²").c_str())) {
        try {
          second_text_ = "∂²" + out + "/∂" + node.name + "² = " + format_number(second_derivative(g, built.bindings, node.name));
        } catch (const std::exception& ex) {
          second_text_ = ex.what();
        }
      }
      if (!second_text_.empty()) math_line(ctx, theme::kText, second_text_);
    }
  }
}

}  // namespace gs::app
