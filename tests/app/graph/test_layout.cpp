// Layered layout: columns follow levels, no two nodes overlap, inputs left of their consumers.
#include "app/graph/layout.h"
#include "app/graph/session.h"
#include "app/graph/page_graph.h"
#include "seed004_session.h"

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

namespace {
// No two of a session's boxes (its own sizes) overlap.
void expect_session_boxes_apart(const Session& s) {
  const auto& n = s.model().nodes();
  const auto& size = s.node_sizes();
  for (std::size_t i = 0; i < n.size(); ++i)
    for (std::size_t j = i + 1; j < n.size(); ++j) {
      const Point a = n[i].pos, b = n[j].pos;
      const bool overlap = a.x < b.x + size[j].x && b.x < a.x + size[i].x && a.y < b.y + size[j].y && b.y < a.y + size[i].y;
      EXPECT_FALSE(overlap) << "nodes " << i << " and " << j;
    }
}
}  // namespace

// A constant's pill sits just left of its only consumer instead of taking a column (issue 9).
TEST(Layout, ConstantPillSitsBesideItsConsumer) {
  Session s = seed004_session();
  ASSERT_TRUE(s.set_expression("y = 3 * x"));
  const auto& n = s.model().nodes();
  int pill = -1, mul = -1;
  for (std::size_t i = 0; i < n.size(); ++i) {
    if (n[i].kind == NodeKind::Constant) pill = static_cast<int>(i);
    if (n[i].kind == NodeKind::Op) mul = static_cast<int>(i);
  }
  ASSERT_GE(pill, 0);
  ASSERT_GE(mul, 0);
  const Point p = n[pill].pos, m = n[mul].pos, ps = s.node_sizes()[pill], ms = s.node_sizes()[mul];
  EXPECT_LT(p.x + ps.x, m.x);
  EXPECT_GT(p.x + ps.x, m.x - 30.0f) << "beside, not a column away";
  EXPECT_GE(p.y, m.y);
  EXPECT_LE(p.y + ps.y, m.y + ms.y);
  expect_session_boxes_apart(s);
}

// `x = -2`: the graph's only constant moves beside its node and leaves its column empty; the
// layout closes the column up (it once crashed on it).
TEST(Layout, GraphWhoseOnlyColumnIsAPillLaysOut) {
  Session s = seed004_session();
  for (const char* text : {"x = -2", "-2", "y = 2 + 3", "x = -(2)"}) {
    ASSERT_TRUE(s.set_expression(text)) << text;
    expect_session_boxes_apart(s);
    const auto [lo, hi] = s.bounds();
    EXPECT_LT(hi.x - lo.x, 400.0f) << text;
  }
}
