// Automatic layered layout of a document (Sugiyama's method): op nodes in columns by level,
// inputs and constants in the column just before their first consumer, long links given a
// channel (a dummy node) in every column they cross so that they run between nodes, rows ordered
// to limit crossings, each node pulled level with its neighbours, no two boxes overlapping, and
// the gap between two columns wide enough for the partial-adjoint labels of the links across it.
// No ImGui: works on GraphModel positions and node sizes in canvas units.
#pragma once

#include "app/graph/graph_model.h"
#include "app/graph/node_face.h"

#include <array>
#include <vector>

namespace gs::app {

// The smallest box of a node (canvas units): the layout of callers that do not size their nodes.
Point node_size(bool tensor);

// Level of each node (by document index): the longest path from an input; 0 for inputs,
// constants and unconnected nodes. The engine's Node::level, and the v-numbers' order.
std::vector<int> node_levels(const GraphModel& model);
// The column of each node: its level for ops; for inputs and constants, one less than their
// first consumer's level (an input used only by v7 sits just before v7), 0 when unused.
std::vector<int> layout_columns(const GraphModel& model);

struct LayoutParams {
  // Tight enough for a lecture graph fitted to a 1024×768 projector to keep 12 px text (issue 9);
  // a routed link keeps 9 units from nodes (canvas.cpp), so it still passes between two rows.
  float column_gap = 48.0f;  // the least gap between columns; wider where labels need it
  float row_gap = 20.0f;     // between two boxes of a column
  float channel = 18.0f;     // the height a long link reserves in each column it crosses
  float label_margin = face::kLabelMargin;  // room on both sides of a label across a gap
  float beside_gap = 12.0f;   // between a pill placed beside its consumer and the consumer
  // The height of a partial-adjoint label (0: labels take no height). Where a gap's labels do not
  // fit one above the other in the graph's height, the gap holds them side by side.
  float label_height = 0.0f;
};

// What a layout made, counted (tests: it grows linearly with the graph). A long link is carried
// through each column it crosses by a dummy box; in a graph where that would make more than
// dummy_budget(n) of them (a fan-out: sin(x) + sin(x) + … has n²/8) ops are placed as late as
// their consumers allow and the long links of one node share one chain of dummies
// (`shared_channels`); links past the budget even then get none. Lecture-sized graphs never
// reach it: they are laid out as they always were.
struct LayoutWork {
  std::size_t boxes = 0;    // nodes and dummies
  std::size_t dummies = 0;
  bool shared_channels = false;
};
inline std::size_t dummy_budget(std::size_t nodes) { return 8 * nodes + 20000; }

// Lays the graph out. `size` (by document index) is each node's box; `label_width` (by document
// index and input slot, may be empty) the width of the label the link into that slot may carry;
// `beside` (by document index, may be empty) marks small nodes (a constant's pill) that sit just
// left of their only consumer, level with the input port they feed, instead of taking a place in
// a column (a column of inputs stacked with three pills made seed 003's graph too tall for 12 px
// text at 1024×768). One per consumer; a pill whose consumer has several inputs goes beside it
// only where the consumer is tall enough for the pill between its ports.
LayoutWork layered_layout(GraphModel* model, const std::vector<Point>& size, const std::vector<std::array<float, 3>>& label_width,
                          const LayoutParams& params = {}, const std::vector<char>& beside = {});
// With node_size() boxes: `tensor` (by document index, may be empty) marks the tensor nodes.
LayoutWork layered_layout(GraphModel* model, const std::vector<char>& tensor = {}, const LayoutParams& params = {});

}  // namespace gs::app
