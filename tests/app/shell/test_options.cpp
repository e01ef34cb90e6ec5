// The command line's small parsers (--steps, --size). No GL.
#include "app/graph/page_graph.h"
#include "app/shell/options.h"

#include <gtest/gtest.h>

using namespace gs::app;

TEST(Options, StepsNameAModeAndACount) {
  Cursor c;
  ASSERT_TRUE(parse_steps("forward:4", &c));
  EXPECT_EQ(c, (Cursor{StepMode::Forward, 4}));
  ASSERT_TRUE(parse_steps("reverse:0", &c));
  EXPECT_EQ(c, (Cursor{StepMode::Reverse, 0}));
  ASSERT_TRUE(parse_steps("tangent:12", &c));
  EXPECT_EQ(c.mode, StepMode::Tangent);
  for (const char* bad : {"forward", "forward:", "sideways:3", "reverse:-1", "reverse:3x", "forward:99999999"})
    EXPECT_FALSE(parse_steps(bad, &c)) << bad;
}

TEST(Options, SizeIsWidthByHeightWithinLimits) {
  int w = 0, h = 0;
  ASSERT_TRUE(parse_size("1600x900", &w, &h));
  EXPECT_EQ(w, 1600);
  EXPECT_EQ(h, 900);
  for (const char* bad : {"1600", "1600x", "x900", "10x10", "1600x900x2", "99999x900"}) EXPECT_FALSE(parse_size(bad, &w, &h)) << bad;
}

TEST(Options, BenchmarkGraphHasAboutFiveHundredNodes) {
  const GraphModel m = benchmark_mlp();
  const BuiltGraph b = build_graph(m);
  ASSERT_TRUE(b.ok()) << b.error;
  EXPECT_GE(b.graph.size(), 500);
  EXPECT_LE(b.graph.size(), 600);
}
