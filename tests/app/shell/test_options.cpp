// The command line's small parsers (--steps, --size) and flags (--new). No GL.
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

namespace {
// parse_options on a command line; `status` is its return (-1: go on).
LaunchOptions parsed(std::vector<std::string> args, int* status) {
  args.insert(args.begin(), "gradscope");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  LaunchOptions out;
  *status = parse_options(static_cast<int>(argv.size()), argv.data(), {"lab", "graph"}, &out);
  return out;
}
}  // namespace

TEST(Options, NewStartsEmptyAndExcludesWhatWouldOpenAGraph) {
  int status = 0;
  EXPECT_FALSE(parsed({}, &status).new_graph) << "without --new: seed 004, as before";
  EXPECT_EQ(status, -1);
  const LaunchOptions o = parsed({"--new", "--size", "1024x768", "--steps", "forward:1"}, &status);
  EXPECT_EQ(status, -1);
  EXPECT_TRUE(o.new_graph);
  EXPECT_TRUE(o.example.empty());
  EXPECT_TRUE(parsed({"--new", "--expression", "y = x*x"}, &status).new_graph);
  EXPECT_EQ(status, -1) << "a formula on an empty graph: as typed after File > New";
  for (const char* other : {"--example", "--graph", "--lesson"}) {
    parsed({"--new", other, "fanout"}, &status);
    EXPECT_EQ(status, 2) << "--new with " << other;
  }
}

TEST(Options, BenchmarkGraphHasAboutFiveHundredNodes) {
  const GraphModel m = benchmark_mlp();
  const BuiltGraph b = build_graph(m);
  ASSERT_TRUE(b.ok()) << b.error;
  EXPECT_GE(b.graph.size(), 500);
  EXPECT_LE(b.graph.size(), 600);
}
