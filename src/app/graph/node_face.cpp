// Node faces and their sizes. Titles are the engine's headings (trace.h's node_text); value and
// adjoint lines are sized for the numbers of the whole trace, as the screen writes them. No ImGui.
#include "app/graph/node_face.h"

#include "app/base/i18n.h"
#include "app/graph/lesson.h"
#include "engine/trace.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace gs::app {

float estimate_text_width(std::string_view text, float size) {
  float em = 0;
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = c;
    if (len > 1 && i + len <= text.size()) {
      cp = c & (0xFF >> (len + 1));
      for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    if (cp >= 0x300 && cp <= 0x36F) em += 0.0f;  // combining marks sit on the letter before
    else if (cp == ' ') em += 0.32f;
    else if (cp == 'm' || cp == 'w' || cp == 'M' || cp == 'W' || cp == '@') em += 1.0f;
    else if (cp < 0x80 && std::strchr("=+<>~^%&#", static_cast<char>(cp))) em += 0.84f;
    else if (cp >= 'A' && cp <= 'Z') em += 0.78f;
    else if (cp < 0x80) em += 0.64f;  // digits 0.636 em in DejaVu Sans, most letters less
    else if (cp >= 0x2E80) em += 1.0f;  // CJK
    else em += 0.86f;                   // −, ×, →, σ, ∂
    i += static_cast<std::size_t>(len);
  }
  return em * size;
}

std::vector<NodeFace> node_faces(const GraphModel& model, const Lesson& lesson) {
  const BuiltGraph& built = lesson.built();
  const Graph& g = built.graph;
  const auto& nodes = model.nodes();
  std::vector<NodeFace> faces(nodes.size());
  // The problem the lesson will name on a node (a NaN reason or a build error).
  const NodeId nan_node = lesson.ready() ? lesson.non_finite().node : NodeId{};
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const DocNode& d = nodes[i];
    NodeFace& f = faces[i];
    const NodeId e = i < built.engine_of.size() ? built.engine_of[i] : NodeId{};
    if (e.valid()) {
      f.label = g.label(e);
      // The inspector's heading: "v3 = ln v1", "v6 = s0 = v1·v2" for a named statement, a
      // constant's own label.
      f.title = node_text(g, e).heading;
      f.tensor = g.node(e).shape.rank() > 0;
      if (f.tensor) {
        f.shape = g.node(e).shape.to_string();
        const Shape& s = g.node(e).shape;
        const long cols = static_cast<long>(s[s.rank() - 1]);
        f.heatmap_rows = cols == 0 ? 0 : static_cast<long>(s.size()) / cols;  // tensor_grid's rows
      }
      f.output = e == g.output();
      f.compact = d.kind == NodeKind::Constant && !f.tensor && !f.output;
    } else {
      f.title = d.kind == NodeKind::Op ? std::string(op_def(d.op).name) + " (" + tr(Tr::Unconnected) + ")" : d.name;
      f.tensor = d.value.rank() > 0;
      // Only while nothing is built: else the engine's output (the last node without consumers
      // when the chosen one is not built) is the one output.
      f.output = g.size() == 0 && d.id == model.output();
    }
    // The lines the node will show, every step's: the lesson evaluated the whole trace at once.
    if (e.valid() && lesson.ready() && !f.tensor) {
      f.value_line = "= " + on_screen(format_tensor(lesson.evaluation()[e]));
      const ReverseResult& rev = lesson.reverse_result();
      if (static_cast<std::size_t>(e.index) < rev.has_adjoint.size() && rev.has_adjoint[e.index])
        f.second_line = adjoint_label(f.label) + " = " + on_screen(format_tensor(rev[e]));
      if (static_cast<std::size_t>(e.index) < lesson.tangent_result().tangents.size()) {
        const std::string tangent = tangent_label(f.label) + " = " + on_screen(format_tensor(lesson.tangent_result()[e]));
        if (tangent.size() > f.second_line.size()) f.second_line = tangent;
      }
    }
    if (e.valid() && e == nan_node) {
      f.problem = true;
      f.problem_text = "⚠ " + lesson.non_finite().reason;
    } else if (!built.error.empty() && built.error_node == d.id) {
      f.problem = true;
      f.problem_text = "⚠ " + built.error;
    }
  }
  return faces;
}

FaceLines face_lines(const NodeFace& f) {
  using namespace face;
  FaceLines l;
  l.band = 0;
  l.title = (f.output ? kBandHeight : 0.0f) + kTop;
  const float title_h = f.title_break > 0 ? 2 * kTitleSize + kLineGap : kTitleSize;
  if (f.tensor) {
    l.first = l.title + title_h + kLineGap;
    l.heatmap = l.first + kSmallSize + kLineGap;
    // Unknown rows (nothing built): the tallest.
    l.heatmap_h = f.heatmap_rows > 0 ? std::clamp(static_cast<float>(f.heatmap_rows) * kHeatmapRow, kMinHeatmapHeight, kHeatmapHeight)
                                     : kHeatmapHeight;
    l.scale = l.heatmap + l.heatmap_h + 3.0f;
    l.problem = l.scale + kSmallSize + kLineGap;
  } else {
    l.first = l.title + title_h + 5.0f;
    l.problem = l.first + kValueSize + kLineGap + kAdjointSize + kLineGap;
  }
  return l;
}

std::string title_line(const NodeFace& f, int line) {
  if (f.title_break == 0 || f.title_break >= f.title.size()) return line == 0 ? f.title : std::string();
  return line == 0 ? f.title.substr(0, f.title_break - 3) : f.title.substr(f.title_break - 2);  // "v12 = J", "= v10 + v11"
}

namespace {
// The widest line of a node other than its title (canvas units).
float body_width(const NodeFace& f, const TextMeasure& measure) {
  using namespace face;
  const std::string label = f.label.empty() ? std::string("v1") : f.label;
  if (f.tensor)
    return std::max({kMinTensorWidth - 2 * kPadX, measure(adjoint_label(label) + "  " + (f.shape.empty() ? std::string("[64×64×64]") : f.shape), kSmallSize),
                     2 * measure("−0.36", kSmallSize) + 30.0f});  // the colour bar between its ends
  return std::max({kMinWidth - 2 * kPadX, measure(std::string("= ") + kTypicalNumber, kValueSize),
                   measure(adjoint_label(label) + " = " + kTypicalNumber, kAdjointSize), measure(f.value_line, kValueSize),
                   measure(f.second_line, kAdjointSize)});
}
}  // namespace

void break_title(NodeFace* f, const TextMeasure& measure) {
  f->title_break = 0;
  if (f->compact || f->problem) return;
  const std::size_t at = f->title.rfind(" = ");
  if (at == std::string::npos || at == 0) return;
  const float body = body_width(*f, measure);
  if (measure(f->title, face::kTitleSize) <= body) return;
  f->title_break = at + 3;
  // Only where two lines make the box narrower.
  const float two = std::max(measure(title_line(*f, 0), face::kTitleSize), measure(title_line(*f, 1), face::kTitleSize));
  if (two >= measure(f->title, face::kTitleSize) - 1.0f) f->title_break = 0;
}

Point face_size(const NodeFace& f, const TextMeasure& measure) {
  using namespace face;
  const FaceLines l = face_lines(f);
  float w = f.title_break > 0 ? std::max(measure(title_line(f, 0), kTitleSize), measure(title_line(f, 1), kTitleSize))
                              : measure(f.title, kTitleSize);
  float h = 0;
  if (f.compact && !f.problem) return Point{std::ceil(std::max(w + 2 * kPadX + 8.0f, 40.0f) / 4.0f) * 4.0f, 34.0f};
  w = std::max(w, body_width(f, measure));
  h = f.tensor ? l.scale + kSmallSize : l.first + kValueSize + kLineGap + kAdjointSize;
  if (f.problem) h = l.problem + kSmallSize;
  // Whole steps of 4 units keep columns tidy.
  w = std::ceil((w + 2 * kPadX) / 4.0f) * 4.0f;
  h = std::ceil((h + kBottom) / 2.0f) * 2.0f;
  return Point{w, h};
}

}  // namespace gs::app
