// The chain rule as paths: each path's product of local derivatives, and their sum equal to the
// adjoint reverse mode accumulates. No GL.
#include "app/graph/paths.h"
#include "app/graph/session.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace gs;
using namespace gs::app;

namespace {
NodeId input_named(const Graph& g, const char* name) { return g.find_input(name); }
}  // namespace

TEST(ChainPaths, Seed004SumsItsPathsToTheAdjoints) {
  Session s;
  s.load(builtin_seed004(), "");
  const Lesson& l = s.lesson();
  const PathSum x1 = chain_paths(l.graph(), l.evaluation(), input_named(l.graph(), "x1"));
  ASSERT_TRUE(x1.scalar);
  ASSERT_EQ(x1.paths.size(), 2u);  // through ln and through the product
  EXPECT_EQ(x1.paths[0].text, "v1 → v3 → v6 → v7: 0.5·1·1 = 0.5");
  EXPECT_EQ(x1.paths[1].text, "v1 → v4 → v6 → v7: 5·1·1 = 5");
  EXPECT_DOUBLE_EQ(x1.sum, 5.5);
  EXPECT_EQ(x1.sum_text, "0.5 + 5 = 5.5");
  const PathSum x2 = chain_paths(l.graph(), l.evaluation(), input_named(l.graph(), "x2"));
  ASSERT_EQ(x2.paths.size(), 2u);
  EXPECT_NEAR(x2.sum, 2.0 - std::cos(5.0), 1e-12);
  EXPECT_NEAR(x2.sum, l.bundle().gradient(l.graph(), input_named(l.graph(), "x2"))[0], 1e-12);
  EXPECT_EQ(x2.paths[1].text, "v2 → v5 → v7: 0.28366·(-1) = -0.28366");
}

TEST(ChainPaths, ANodeUsedTwiceByOneConsumerGivesTwoPaths) {
  Session s;
  ASSERT_TRUE(s.set_expression("y = x * x"));
  s.edit([](GraphModel& m) { m.find(DocId{0})->value = TensorD::scalar(3.0); });
  const Lesson& l = s.lesson();
  const PathSum p = chain_paths(l.graph(), l.evaluation(), l.graph().inputs()[0]);
  ASSERT_EQ(p.paths.size(), 2u);  // x·x: one path per slot, each worth x
  EXPECT_EQ(p.paths[0].slots[0], 0);
  EXPECT_EQ(p.paths[1].slots[0], 1);
  EXPECT_DOUBLE_EQ(p.sum, 6.0);
}

TEST(ChainPaths, TensorsAndUnusedInputsHaveNoPaths) {
  Session s;
  s.open_example("two_layer_ce");
  const Lesson& l = s.lesson();
  ASSERT_TRUE(l.ready());
  EXPECT_FALSE(chain_paths(l.graph(), l.evaluation(), l.graph().inputs()[0]).scalar);
  Session t;
  ASSERT_TRUE(t.set_expression("y = sin(a)"));
  EXPECT_TRUE(chain_paths(t.lesson().graph(), t.lesson().evaluation(), t.lesson().graph().output()).paths.size() == 1u);
}

TEST(ChainPaths, ManyPathsAreCutAndSaySo) {
  // Each stage doubles the paths: h = h·h gives 2^k paths.
  std::string text = "h0 = x";
  for (int i = 1; i <= 8; ++i) text += "; h" + std::to_string(i) + " = h" + std::to_string(i - 1) + " * h" + std::to_string(i - 1);
  Session s;
  ASSERT_TRUE(s.set_expression(text));
  const PathSum p = chain_paths(s.lesson().graph(), s.lesson().evaluation(), s.lesson().graph().inputs()[0], 64);
  EXPECT_TRUE(p.truncated);
  EXPECT_EQ(p.paths.size(), 64u);
}
