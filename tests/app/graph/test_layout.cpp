// Layered layout: columns follow levels, no two nodes overlap, inputs left of their consumers.
#include "app/graph/layout.h"
#include "app/graph/session.h"
#include "app/graph/page_graph.h"

#include <gtest/gtest.h>

using namespace gs::app;

namespace {
void expect_no_overlap(const GraphModel& m, const std::vector<char>& tensor) {
  const auto& n = m.nodes();
  for (std::size_t i = 0; i < n.size(); ++i)
    for (std::size_t j = i + 1; j < n.size(); ++j) {
      const Point a = n[i].pos, sa = node_size(i < tensor.size() && tensor[i]);
      const Point b = n[j].pos, sb = node_size(j < tensor.size() && tensor[j]);
      const bool overlap = a.x < b.x + sb.x && b.x < a.x + sa.x && a.y < b.y + sb.y && b.y < a.y + sa.y;
      EXPECT_FALSE(overlap) << "nodes " << i << " and " << j << " overlap at (" << a.x << ", " << a.y << ") and (" << b.x << ", " << b.y << ")";
    }
}
}  // namespace

TEST(Layout, LevelsAreLongestPathsFromInputs) {
  const GraphModel m = builtin_seed004();
  const std::vector<int> level = node_levels(m);
  const BuiltGraph b = build_graph(m);
  for (std::size_t i = 0; i < m.nodes().size(); ++i) EXPECT_EQ(level[i], b.graph.node(b.engine_of[i]).level) << "node " << i;
}

TEST(Layout, Seed004HasNoOverlapsAndFlowsLeftToRight) {
  GraphModel m = builtin_seed004();
  layered_layout(&m);
  expect_no_overlap(m, {});
  for (const DocNode& d : m.nodes())
    for (int s = 0; s < d.arity; ++s) EXPECT_LT(m.find(d.inputs[s])->pos.x, d.pos.x);
}

TEST(Layout, FiveHundredNodeGraphHasNoOverlaps) {
  GraphModel m = benchmark_mlp();
  EXPECT_GE(m.nodes().size(), 500u);
  layered_layout(&m);
  expect_no_overlap(m, {});
}

TEST(Layout, TensorNodesGetTheirLargerBoxes) {
  GraphModel m = builtin_seed004();
  std::vector<char> tensor(m.nodes().size(), 1);
  layered_layout(&m, tensor);
  expect_no_overlap(m, tensor);
}
