// What a node of the Graph page shows at most — its title, the value, adjoint and tangent lines
// as long as they can ever be, a heatmap and its colour scale for tensors, the output band, the
// NaN reason — and the box that holds all of it. The layout sizes nodes by it and the graph view
// draws inside it, so that a node never grows over its neighbour as the lesson steps or a value
// is edited. No ImGui: text is measured by a function the view gives (the canvas font), or by a
// generous estimate (tests, the benchmark graph).
#pragma once

#include "app/graph/graph_model.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace gs::app {

class Lesson;

// Width of `text` drawn `size` canvas units high, in canvas units.
using TextMeasure = std::function<float(std::string_view text, float size)>;
// An estimate that is never narrower than DejaVu Sans, the canvas font: 0.64 em per digit or
// lower-case letter, more for capitals, m and w, = and +, 0 for combining marks (v̄), 1 em for
// CJK, 0.86 em for other symbols (−, ×, →).
float estimate_text_width(std::string_view text, float size);

// Text sizes and spacing inside a node, canvas units: one place for the layout and the drawing.
// Spacing is tight and boxes are as wide as what they show, so that a graph fitted to a
// 1024×768 projector keeps its text at 12 px or more (issue 9).
namespace face {
inline constexpr float kPadX = 8.0f;          // text inset from the left and right edges
inline constexpr float kTitleSize = 18.0f;
inline constexpr float kValueSize = 20.0f;
inline constexpr float kAdjointSize = 17.0f;  // the adjoint (reverse) or tangent line
inline constexpr float kSmallSize = 16.0f;    // shapes, colour scales, the NaN reason: never smaller
inline constexpr float kLineGap = 4.0f;
inline constexpr float kTop = 6.0f;           // the title's top
inline constexpr float kBottom = 6.0f;        // under the last line
inline constexpr float kBandHeight = 22.0f;   // the output band above the title
inline constexpr float kHeatmapHeight = 48.0f;  // the most a heatmap takes (a tall matrix)
inline constexpr float kHeatmapRow = 10.0f;     // a heatmap is as tall as its rows, 10 units each
inline constexpr float kMinHeatmapHeight = 14.0f;
inline constexpr float kMinWidth = 112.0f;
inline constexpr float kMinTensorWidth = 150.0f;
// A node's value and adjoint lines are sized for the numbers they show (every step's, known once
// the graph is evaluated) and never narrower than a typical number (5 significant digits and a
// sign), so that editing an input to another ordinary value does not grow its box.
inline constexpr const char* kTypicalNumber = "\u22120.12346";
// A partial adjoint's label on its link: two lines (its name, then "= number"), text size and
// padding inside its box. As large as the smallest node text: the label is the smallest text.
inline constexpr float kLabelSize = 16.0f;
inline constexpr float kLabelPadX = 5.0f;
inline constexpr float kLabelPadY = 2.0f;
inline constexpr float kLabelHeight = 2 * 1.2f * kLabelSize + 2 * kLabelPadY;  // two lines, about
// The gap (canvas units) a label keeps from every node's box: the ports stand out of a box by their
// radius (5.5 units up to zoom 1.4, widgets/canvas.cpp), and a label that touches a port reads as
// part of its node (fanout's v̄2→4 against v2's output port). The layout leaves it on both sides
// of the labels across a column gap (LayoutParams::label_margin): wider, a label between two
// neighbouring columns no longer fitted at full size (conv_pool's v̄6→7 drawn at 0.85, 10.6 px).
inline constexpr float kLabelMargin = 6.0f;
}  // namespace face

// The second line of a scalar partial adjoint's label: "= −0.19661" (the number as drawn).
inline std::string label_number_line(std::string_view number) { return "= " + std::string(number); }

struct NodeFace {
  std::string title;    // "v3 = ln v1", "v6 = s0 = v1·v2"; an incomplete op: "mul (unconnected)"
  // Where the title's second line starts (0: one line). A title wider than the rest of the node
  // takes two ("v12 = J" above "= v10 + v11") rather than widening its box (break_title).
  std::size_t title_break = 0;
  std::string label;    // "v3" (empty while the node is not built)
  bool tensor = false;  // drawn with a heatmap
  std::string shape;    // tensors: "[1×3]", as the node writes it (the box is as wide as it needs)
  long heatmap_rows = 0; // tensors: the heatmap's rows (tensor_grid); the heatmap is only as tall as them
  bool compact = false; // a scalar constant: a small pill holding its number (it has no v-number)
  bool output = false;  // the graph's output: a band says so
  bool problem = false; // a NaN reason (or a build error) is written inside
  std::string problem_text;  // "⚠ " and the engine's English reason: the view translates it
  // The widest value line and adjoint-or-tangent line the node shows at any step, as drawn
  // ("= −0.19661", "v̄1 = −0.19661"); empty before the graph is evaluated.
  std::string value_line;
  std::string second_line;
};

// The faces of every document node (by document index), from the lesson's built graph.
std::vector<NodeFace> node_faces(const GraphModel& model, const Lesson& lesson);

// The title's lines: one, or two split at its last " = " (title_break).
std::string title_line(const NodeFace& f, int line);
// Breaks a title that is wider than the node's other lines would make the box into two lines, at
// its last " = " (the statement's name above, its formula below); pills keep one.
void break_title(NodeFace* f, const TextMeasure& measure);

// The box of a face, canvas units: wide enough for its title and its value, adjoint and tangent
// lines (at least a typical number's), tall enough for every line it may show.
Point face_size(const NodeFace& f, const TextMeasure& measure);

// Where the lines sit inside a node of height `h` (canvas units from its top).
struct FaceLines {
  float band = 0;       // top of the output band (when there is one)
  float title = 0;
  float first = 0;      // first line under the title: the value (scalars) or the shape (tensors)
  float heatmap = 0;    // tensors: top of the heatmap
  float heatmap_h = 0;  // tensors: its height
  float scale = 0;      // tensors: the colour scale under it
  float problem = 0;    // the NaN reason
};
FaceLines face_lines(const NodeFace& f);

}  // namespace gs::app
