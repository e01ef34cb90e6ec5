// gradscope-cli replay: a training step rebuilt as a graph agrees with the trainer (float32 training
// against the float64 graph: about 1e-5 at most) on spiral, moons and fashion-lenet at several
// steps, with the regularisation term when the optimizer decays weights; the graph file it writes
// is one that eval reads back to the same loss; bad input is one line.
#include "run_cli.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <string>

namespace gs::test {
namespace {

nlohmann::json replay(const std::vector<std::string>& args) {
  std::vector<std::string> a = {"replay"};
  a.insert(a.end(), args.begin(), args.end());
  a.push_back("--json");
  CliRun r = run_cli(a);
  EXPECT_EQ(r.status, 0) << describe(r);
  return r.status == 0 ? nlohmann::json::parse(r.out) : nlohmann::json::object();
}

// Every parameter agrees to 1e-5 (relative to its largest adjoint) and so do the two losses.
void expect_agreement(const nlohmann::json& j, std::int64_t step, std::size_t params) {
  ASSERT_TRUE(j.contains("max_rel_diff")) << j.dump();
  EXPECT_EQ(j["step"].get<std::int64_t>(), step);
  const double lt = j["loss_trainer"], lg = j["loss_graph"];
  EXPECT_LT(std::abs(lt - lg), 1e-6 * std::max(1.0, std::abs(lg))) << j.dump();
  EXPECT_EQ(j["max_rel_diff"].size(), params) << j.dump();
  for (const auto& [name, diff] : j["max_rel_diff"].items()) {
    EXPECT_LT(diff.get<double>(), 1e-5) << name << " in " << j.dump();
    EXPECT_GE(diff.get<double>(), 0.0) << name;
  }
}

TEST(CliReplay, SpiralAgreesWithTheTrainerAtSeveralSteps) {
  for (int step : {1, 7, 40}) expect_agreement(replay({"--preset", "spiral", "--step", std::to_string(step)}), step, 6);
}

TEST(CliReplay, MoonsAgreesOnTheFirstSamplesOfABatch) {
  const nlohmann::json j = replay({"--preset", "moons", "--step", "25", "--samples", "5"});
  EXPECT_EQ(j["samples"], 5);
  expect_agreement(j, 25, 6);
}

TEST(CliReplay, FashionLeNetAgreesAsConvolutionAndPoolingNodes) {
  const std::string out = ::testing::TempDir() + "replay_lenet.json";
  const nlohmann::json j = replay({"--preset", "fashion-lenet", "--step", "3", "--samples", "4", "--graph-out", out});
  expect_agreement(j, 3, 10);
  std::ifstream in(out);
  const nlohmann::json file = nlohmann::json::parse(in);
  int conv = 0, pool = 0, flatten = 0;
  for (const auto& n : file["nodes"]) {
    const std::string op = n.value("op", "");
    conv += op == "conv2d";
    pool += op == "maxpool";
    flatten += op == "flatten";
  }
  EXPECT_EQ(conv, 2);
  EXPECT_EQ(pool, 2);
  EXPECT_EQ(flatten, 1);
  EXPECT_LE(file["nodes"].size(), 40u) << "LeNet is a graph of a few dozen tensor nodes";
}

TEST(CliReplay, WeightDecayAndL1BecomeTheGraphsRegularisationTerm) {
  const std::string path = ::testing::TempDir() + "replay_decay.json";
  std::ofstream(path) << R"({"data": {"name": "blobs", "size": 60, "classes": 3, "seed": 2},
    "model": {"input": [2], "layers": [{"type": "linear", "out": 5}, {"type": "relu"}, {"type": "linear", "out": 3}]},
    "optimizer": {"name": "sgd", "lr": 0.1, "momentum": 0.9, "weight_decay": 0.05, "l1": 0.01},
    "batch_size": 16, "epochs": 2, "seed": 3})";
  const nlohmann::json j = replay({"--config", path, "--step", "6"});
  expect_agreement(j, 6, 4);
  EXPECT_GT(j["objective_graph"].get<double>(), j["loss_graph"].get<double>() + 1e-3) << "J = L + s with s > 0";
}

TEST(CliReplay, TheGraphFileEvaluatesToTheSameLoss) {
  const std::string out = ::testing::TempDir() + "replay_spiral.json";
  const nlohmann::json j = replay({"--preset", "spiral", "--step", "3", "--samples", "4", "--graph-out", out});
  CliRun eval = run_cli({"eval", "--graph", out, "--json"});
  ASSERT_EQ(eval.status, 0) << describe(eval);
  const nlohmann::json e = nlohmann::json::parse(eval.out);
  EXPECT_NEAR(e["output"].get<double>(), j["loss_graph"].get<double>(), 1e-12);
  EXPECT_TRUE(e["gradients"].contains("W1"));
}

TEST(CliReplay, TextReportNamesEveryParameter) {
  CliRun r = run_cli({"replay", "--preset", "xor", "--step", "2"});
  ASSERT_EQ(r.status, 0) << describe(r);
  for (const char* s : {"loss", "trainer", "graph", "W1", "b3", "max rel diff", "X @ W1 + b1"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
}

TEST(CliReplay, AStepOutsideTheRunIsOneLine) {
  for (const char* step : {"0", "100000000"}) {
    CliRun r = run_cli({"replay", "--preset", "spiral", "--step", step});
    EXPECT_EQ(r.status, 2) << describe(r);
    EXPECT_NE(r.err.find("step must be between 1 and 3000"), std::string::npos) << describe(r);
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << describe(r);
  }
  CliRun none = run_cli({"replay", "--step", "1"});
  EXPECT_EQ(none.status, 2) << describe(none);
  EXPECT_NE(none.err.find("--preset NAME or --config FILE"), std::string::npos) << describe(none);
}

}  // namespace
}  // namespace gs::test
