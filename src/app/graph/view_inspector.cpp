// The inspector panel. Its text is the engine's (node_text: heading, local derivatives, the
// partial adjoints' rules in symbols and shapes, the same strings as the reverse trace); numbers
// are the lesson's; the second derivative is the engine's second_derivative(). No GL.
#include "app/graph/view_inspector.h"

#include "app/base/i18n.h"
#include "app/base/theme.h"
#include "app/graph/paths.h"
#include "app/graph/tensor_heatmap.h"
#include "app/graph/view_trace.h"
#include "app/widgets/text_wrap.h"

#include <algorithm>
#include <cmath>

namespace gs::app {

namespace {

constexpr int kMaxGridSide = 8;   // numbers shown per side; larger tensors get a summary
constexpr Index kMaxCheckRows = 8;  // elements of a gradient check listed (then the worst one)

// "[1, 0]": element k of a tensor of `shape`, row-major, as an index a student would write.
std::string element_index_text(const Shape& shape, Index k) {
  std::vector<Index> at(static_cast<std::size_t>(shape.rank()));
  for (int a = shape.rank() - 1; a >= 0; --a) {
    at[static_cast<std::size_t>(a)] = k % shape[a];
    k /= shape[a];
  }
  std::string out = "[";
  for (std::size_t i = 0; i < at.size(); ++i) out += (i ? ", " : "") + std::to_string(at[i]);
  return out + "]";
}

void record(ViewContext& ctx, const std::string& line) {
  if (ctx.record) ctx.record->inspector.push_back(line);
}

void section(ViewContext& ctx, Tr title) {
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::kTextDim));
  ImGui::TextUnformatted(tr(title));
  ImGui::PopStyleColor();
}

// A line of numbers or formulas, as the screen writes them (on_screen: the minus sign −).
void math_line(ViewContext& ctx, ImU32 color, const std::string& engine_text) {
  const std::string text = on_screen(engine_text);
  ImGui::PushFont(has_cjk(text) && ctx.fonts.ui ? ctx.fonts.ui : ctx.fonts.mono);
  ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(color));
  widgets::TextWrappedAtSpaces(text);
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
        ImGui::TextColored(theme::vec(color), "%s", on_screen(format_number(t[r * cols + c])).c_str());
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
  // Its colour scale, −m … +m (m the largest magnitude), as under the canvas's heatmaps.
  const double m = widgets::HeatmapMaxAbs(t.data(), t.size());
  const std::string lo_text = on_screen(heatmap_scale_end(-m)), hi_text = on_screen(heatmap_scale_end(m));
  const ImVec2 s = ImGui::GetCursorScreenPos();
  const float lo_w = ImGui::CalcTextSize(lo_text.c_str()).x, hi_w = ImGui::CalcTextSize(hi_text.c_str()).x, th = ImGui::GetTextLineHeight();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddText(s, theme::kTextDim, lo_text.c_str());
  dl->AddText(ImVec2(s.x + side - hi_w, s.y), theme::kTextDim, hi_text.c_str());
  if (side - lo_w - hi_w > 16)
    widgets::DrawHeatmapScale(dl, ImVec2(s.x + lo_w + 4, s.y + th * 0.2f), ImVec2(s.x + side - hi_w - 4, s.y + th * 0.85f), theme::kBorder);
  ImGui::Dummy(ImVec2(side, th));
  record(ctx, trf(Tr::InspColourScale, lo_text, hi_text));
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

// The gradient check of an input, once the reverse trace has reached it (before, it would give
// the adjoint away): the numeric ∂y/∂x by central differences beside the analytic adjoint v̄i,
// the same quantity, element by element for a tensor, each labelled so.
void InspectorView::draw_gradcheck(ViewContext& ctx, NodeId input) {
  const Lesson& lesson = ctx.session.lesson();
  const Graph& g = lesson.graph();
  const std::string& name = g.node(input).name;
  const auto& checks = lesson.gradcheck_report().inputs;
  const auto c = std::find_if(checks.begin(), checks.end(), [&](const InputCheck& k) { return k.input == name; });
  if (c == checks.end()) return;
  section(ctx, Tr::InspGradcheck);
  const std::string v = g.label(input);
  if (!lesson.adjoint_shown(input) || !lesson.reverse_result().has_adjoint[input.index]) {
    math_line(ctx, theme::kTextDim, trf(Tr::InspGradcheckLater, v));
    return;
  }
  const std::string dy_dx = "∂" + output_name(g) + "/∂" + name;
  const TensorD& analytic = lesson.reverse_result()[input];
  char err[32];
  std::snprintf(err, sizeof err, "%.1e", c->relative_error);
  if (c->numeric.size() == 1) {
    math_line(ctx, theme::kText, trf(Tr::InspGradcheckNumeric, dy_dx, format_number(c->numeric[0])));
    math_line(ctx, theme::kAdjoint, trf(Tr::InspGradcheckAnalytic, adjoint_label(v), format_number(analytic[0])));
  } else if (c->numeric.size() == static_cast<std::size_t>(analytic.size())) {
    // Element by element: where, numeric, analytic; the first kMaxCheckRows, then the worst one.
    math_line(ctx, theme::kTextDim, trf(Tr::InspGradcheckElements, dy_dx, adjoint_label(v)));
    std::vector<Index> shown;
    for (Index k = 0; k < analytic.size() && k < kMaxCheckRows; ++k) shown.push_back(k);
    if (c->worst_element >= kMaxCheckRows) shown.push_back(c->worst_element);
    ImGui::PushFont(ctx.fonts.mono);
    if (ImGui::BeginTable("gradcheck", 3, ImGuiTableFlags_BordersInner | ImGuiTableFlags_SizingFixedFit)) {
      ImGui::TableSetupColumn(tr(Tr::InspGradcheckElement));
      ImGui::TableSetupColumn(tr(Tr::InspGradcheckNumericHead));
      ImGui::TableSetupColumn(tr(Tr::InspGradcheckAnalyticHead));
      ImGui::TableHeadersRow();
      for (Index k : shown) {
        const std::string at = element_index_text(analytic.shape(), k);
        const std::string num = on_screen(format_number(c->numeric[static_cast<std::size_t>(k)])), ana = on_screen(format_number(analytic[k]));
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted(at.c_str());
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(num.c_str());
        ImGui::TableSetColumnIndex(2);
        ImGui::TextColored(theme::vec(theme::kAdjoint), "%s", ana.c_str());
        record(ctx, at + "  " + num + "  " + ana);
      }
      ImGui::EndTable();
    }
    ImGui::PopFont();
    if (static_cast<Index>(shown.size()) < analytic.size())
      math_line(ctx, theme::kTextDim, trf(Tr::InspGradcheckMore, std::to_string(analytic.size() - static_cast<Index>(shown.size()))));
  }
  math_line(ctx, c->passed ? theme::kOk : theme::kProblem, std::string(c->passed ? "✓ " : "✗ ") + trf(c->passed ? Tr::InspGradcheckAgree : Tr::InspGradcheckDisagree, err));
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
    if (!lesson.problem().empty()) math_line(ctx, theme::kProblem, translate(lesson.problem()));
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
  if (lesson.non_finite().node == e) math_line(ctx, theme::kProblem, "⚠ " + trf(Tr::NonFiniteHere, translate(lesson.non_finite().reason)));

  // Gradient check, the chain rule as paths and the second derivative, for inputs.
  if (node.kind == NodeKind::Input) draw_paths(ctx, e);
  if (node.kind == NodeKind::Input) {
    draw_gradcheck(ctx, e);
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
