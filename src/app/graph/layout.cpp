// Layered layout (Sugiyama-style, without dummy nodes: graphs here are shallow and small).
// No ImGui.
#include "app/graph/layout.h"

#include <algorithm>
#include <numeric>

namespace gs::app {

Point node_size(bool tensor) { return tensor ? Point{176.0f, 150.0f} : Point{150.0f, 88.0f}; }

std::vector<int> node_levels(const GraphModel& model) {
  const auto& nodes = model.nodes();
  std::vector<int> level(nodes.size(), -1);
  // Nodes are not stored in topological order after edits: relax until nothing changes
  // (at most depth passes; each pass is linear).
  bool changed = true;
  for (std::size_t pass = 0; changed && pass <= nodes.size(); ++pass) {
    changed = false;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      int l = 0;
      for (int s = 0; s < nodes[i].arity; ++s) {
        int k = model.index_of(nodes[i].inputs[s]);
        if (k >= 0) l = std::max(l, std::max(level[k], 0) + 1);
      }
      if (l != level[i]) {
        level[i] = l;
        changed = true;
      }
    }
  }
  return level;
}

void layered_layout(GraphModel* model, const std::vector<char>& tensor, const LayoutParams& params) {
  const auto& nodes = model->nodes();
  const int n = static_cast<int>(nodes.size());
  if (n == 0) return;
  std::vector<int> level = node_levels(*model);
  const int columns = *std::max_element(level.begin(), level.end()) + 1;
  std::vector<std::vector<int>> column(columns);
  for (int i = 0; i < n; ++i) column[level[i]].push_back(i);

  // Row order: inputs keep document order; later columns sort by the mean row of their inputs.
  std::vector<float> row(n, 0.0f);
  for (int c = 0; c < columns; ++c) {
    auto& col = column[c];
    if (c > 0) {
      std::vector<float> key(n, 0.0f);
      for (int i : col) {
        float sum = 0;
        int count = 0;
        for (int s = 0; s < nodes[i].arity; ++s) {
          int k = model->index_of(nodes[i].inputs[s]);
          if (k >= 0) {
            sum += row[k];
            ++count;
          }
        }
        key[i] = count ? sum / count : 0.0f;
      }
      std::stable_sort(col.begin(), col.end(), [&](int a, int b) { return key[a] < key[b]; });
    }
    for (std::size_t r = 0; r < col.size(); ++r) row[col[r]] = static_cast<float>(r);
    // Rows are compared across columns of different heights: centre them.
    for (int i : col) row[i] -= (static_cast<float>(col.size()) - 1.0f) * 0.5f;
  }

  // Column widths and heights in canvas units.
  std::vector<float> width(columns, 0.0f), height(columns, 0.0f);
  for (int c = 0; c < columns; ++c)
    for (int i : column[c]) {
      Point s = node_size(i < static_cast<int>(tensor.size()) && tensor[i]);
      width[c] = std::max(width[c], s.x);
      height[c] += s.y + params.row_gap;
    }
  const float tallest = *std::max_element(height.begin(), height.end());
  float x = 0.0f;
  for (int c = 0; c < columns; ++c) {
    float y = (tallest - height[c]) * 0.5f;
    for (int i : column[c]) {
      Point s = node_size(i < static_cast<int>(tensor.size()) && tensor[i]);
      model->set_position(nodes[i].id, Point{x + (width[c] - s.x) * 0.5f, y});
      y += s.y + params.row_gap;
    }
    x += width[c] + params.column_gap;
  }
}

}  // namespace gs::app
