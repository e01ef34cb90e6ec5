// Screenshot test of "Open step k in the graph" (issue 11): the Training page trains the spiral
// preset 5 steps, opens step 5 on the Graph page (--open-in-graph, the run bar's button), and the
// frame record shows the network's graph, laid out and ready to step, with the comparison of the
// trainer's gradients and the graph's adjoints on the status line — the same figures as
// `gradscope-cli replay --step 5` prints.
#include "../screenshot.h"
#include "../../cli/run_cli.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

using nlohmann::json;
using namespace gs::app::testing;

TEST(ScreenshotReplay, OpenStepInTheGraphShowsTheNetworkAndTheComparison) {
  auto shot = take("training_replay_step5", "--view training --preset spiral --train-steps 5 --open-in-graph", "1024x768");
  if (!shot) GTEST_SKIP() << "no xvfb-run and no DISPLAY";
  const json& d = shot->drawn;
  ASSERT_FALSE(d.is_null());
  EXPECT_EQ(d["page"], "graph");
  // The network: inputs X, Y and the three layers' weights and biases (v1 = X, …), their
  // products, sums and tanh, and the loss: 17 nodes.
  EXPECT_EQ(d["nodes"].size(), 17u);
  for (const char* input : {"X", "Y", "W1", "b1", "W2", "b2", "W3", "b3"}) {
    bool found = false;
    for (const json& n : d["nodes"]) found = found || n["title"].get<std::string>().ends_with(std::string(" = ") + input);
    EXPECT_TRUE(found) << input;
  }
  // Ready to step: nothing computed yet, every step of the forward and reverse traces ahead.
  EXPECT_EQ(d["step"], 0);
  EXPECT_GT(d["step_count"].get<int>(), 0);
  // The comparison, parameter by parameter, as the CLI computes it.
  const std::string status = d["status"];
  EXPECT_NE(status.find("Step 5, 32 samples"), std::string::npos) << status;
  EXPECT_NE(status.find("max relative difference"), std::string::npos) << status;
  const gs::test::CliRun r = gs::test::run_cli({"replay", "--preset", "spiral", "--step", "5", "--json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const json cli = json::parse(r.out);
  ASSERT_FALSE(cli["max_rel_diff"].empty());
  for (const auto& [name, diff] : cli["max_rel_diff"].items()) {
    EXPECT_LT(diff.get<double>(), 1e-5) << name;
    char expected[64];
    std::snprintf(expected, sizeof expected, "%s %.1e", name.c_str(), diff.get<double>());
    EXPECT_NE(status.find(expected), std::string::npos) << expected << " not in: " << status;
    // The panel above the canvas lists every parameter too (wrapped, never cut at 1024 pixels).
    bool listed = false;
    for (const json& t : d["visible_text"]) listed = listed || t.get<std::string>().find(expected) != std::string::npos;
    EXPECT_TRUE(listed) << expected;
  }
  EXPECT_TRUE(shows_text(d, "Step 5 replayed: the trainer's gradients against the graph's adjoints (32 samples)"));
}
