// Automatic layered layout of a document: columns are node levels (longest path from an input),
// rows ordered by the barycentre of their inputs to limit crossings, no two nodes overlapping.
// No ImGui: works on GraphModel positions and node sizes in canvas units.
#pragma once

#include "app/graph/graph_model.h"

#include <vector>

namespace gs::app {

// A node's box in canvas units: scalars are compact, tensors leave room for a heatmap.
Point node_size(bool tensor);

// Level of each node (by document index): 0 for inputs, constants and unconnected nodes.
std::vector<int> node_levels(const GraphModel& model);

struct LayoutParams {
  float column_gap = 110.0f;  // room for a partial adjoint's label on each link
  float row_gap = 34.0f;
};

// `tensor` (by document index, may be empty) marks the nodes drawn with a heatmap.
void layered_layout(GraphModel* model, const std::vector<char>& tensor = {}, const LayoutParams& params = {});

}  // namespace gs::app
