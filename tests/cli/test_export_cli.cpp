// gradscope-cli export torch against golden files, without PyTorch at test time:
//   - the scripts of example graphs and of presets equal the committed ones in fixtures/torch/
//     (regenerate them with the command in fixtures/torch/README.md after a deliberate change);
//   - torch_results.json holds what those graph scripts printed under Debian's python3-torch
//     (written by tests/cli/torch_check.py): gradscope's own output and gradients equal them to 1e-9;
//   - a training export writes its data beside the script; bad input is one line.
#include "run_cli.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

namespace gs::test {
namespace {

const std::string kFixtures = std::string(GRADSCOPE_CLI_FIXTURES) + "/torch/";
const std::string kExamples = std::string(GRADSCOPE_ASSETS) + "/examples/";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The first line where two texts differ, for a readable failure.
std::string first_difference(const std::string& a, const std::string& b) {
  std::istringstream sa(a), sb(b);
  std::string la, lb;
  for (int line = 1;; ++line) {
    const bool ea = !std::getline(sa, la), eb = !std::getline(sb, lb);
    if (ea && eb) return "identical";
    if (ea != eb || la != lb) return "line " + std::to_string(line) + ":\n  got:      " + la + "\n  expected: " + lb;
  }
}

const char* const kGraphExamples[] = {"seed004", "sigmoid_neuron", "two_layer_ce", "svm_hinge", "conv_pool", "matmul"};

TEST(CliExportTorch, ExampleGraphScriptsMatchTheirGoldenFiles) {
  for (const char* name : kGraphExamples) {
    CliRun r = run_cli({"export", "torch", "--graph", kExamples + name + ".json"});
    ASSERT_EQ(r.status, 0) << describe(r);
    const std::string golden = read_file(kFixtures + name + ".py");
    EXPECT_EQ(r.out, golden) << name << ": " << first_difference(r.out, golden);
  }
}

TEST(CliExportTorch, AnExpressionScriptNamesItsValuesAndEveryGradient) {
  CliRun r = run_cli({"export", "torch", "--expr", "ln(x1) + x1*x2 - sin(x2)", "--at", "x1=2", "--at", "x2=5"});
  ASSERT_EQ(r.status, 0) << describe(r);
  for (const char* s : {"x1 = torch.tensor(2.0, requires_grad=True)  # v1", "v3 = torch.log(x1)  # v3 = ln v1",
                        "y.backward()", "print(\"dy/dx2 =\", grad(x2))", "torch.set_default_dtype(torch.float64)"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
}

TEST(CliExportTorch, TorchsResultsEqualGradscopesToOneInABillion) {
  std::ifstream in(kFixtures + "torch_results.json");
  ASSERT_TRUE(in) << "fixtures/torch/torch_results.json (tests/cli/torch_check.py writes it)";
  const nlohmann::json torch = nlohmann::json::parse(in);
  for (const char* name : kGraphExamples) {
    ASSERT_TRUE(torch.contains(name)) << name;
    CliRun r = run_cli({"eval", "--graph", kExamples + name + ".json", "--json"});
    ASSERT_EQ(r.status, 0) << describe(r);
    const nlohmann::json ours = nlohmann::json::parse(r.out);
    const nlohmann::json& theirs = torch[name];
    std::vector<std::pair<std::string, std::pair<nlohmann::json, nlohmann::json>>> pairs = {
        {"y", {ours["output"], theirs["y"]}}};
    for (const auto& [input, g] : ours["gradients"].items()) pairs.push_back({"dy/d" + input, {g, theirs["dy/d" + input]}});
    for (const auto& [what, values] : pairs) {
      const nlohmann::json a = values.first.flatten(), b = values.second.flatten();
      ASSERT_EQ(a.size(), b.size()) << name << " " << what;
      for (auto it = a.begin(); it != a.end(); ++it) {
        const double x = it.value(), t = b.at(it.key());
        EXPECT_LE(std::abs(x - t), 1e-9 * std::max(1.0, std::abs(t))) << name << " " << what << it.key();
      }
    }
  }
}

TEST(CliExportTorch, PresetScriptsMatchTheirGoldenFilesAndWriteTheirData) {
  const std::string dir = ::testing::TempDir();
  for (const char* preset : {"spiral", "fashion-lenet"}) {
    const std::string out = dir + preset + ".py";
    CliRun r = run_cli({"export", "torch", "--preset", preset, "-o", out});
    ASSERT_EQ(r.status, 0) << describe(r);
    const std::string script = read_file(out), golden = read_file(kFixtures + "train_" + preset + ".py");
    EXPECT_EQ(script, golden) << preset << ": " << first_difference(script, golden);
  }
  std::ifstream csv(dir + "spiral_train.csv");
  std::string header;
  std::getline(csv, header);
  EXPECT_EQ(header, "x0,x1,label");
  int rows = 0;
  for (std::string line; std::getline(csv, line);) ++rows;
  EXPECT_EQ(rows, 300);
}

TEST(CliExportTorch, ScheduleClassesAndStepsFollowTheConfig) {
  const std::string path = ::testing::TempDir() + "export_sched.json";
  std::ofstream(path) << R"({"data": {"name": "moons", "size": 100, "test_fraction": 0.2},
    "model": {"input": [2], "layers": [{"type": "linear", "out": 4}, {"type": "tanh"}, {"type": "linear", "out": 2}]},
    "loss": "hinge",
    "optimizer": {"name": "sgd", "lr": 0.1, "momentum": 0.9, "l1": 0.001, "clip_norm": 1.0},
    "schedule": {"name": "sequential", "milestones": [3],
                 "schedulers": [{"name": "lambda", "factor": "0.5^epoch"}, {"name": "multistep", "milestones": [2, 4]}]},
    "batch_size": 16, "epochs": 6})";
  const std::string out = ::testing::TempDir() + "export_sched.py";
  CliRun r = run_cli({"export", "torch", "--config", path, "-o", out});
  ASSERT_EQ(r.status, 0) << describe(r);
  const std::string s = read_file(out);
  for (const char* want : {"scheduler_1 = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lambda epoch: float(",
                           "scheduler_2 = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[2, 4])",
                           "scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, schedulers=[scheduler_1, scheduler_2], milestones=[3])",
                           "        scheduler.step()", "F.multi_margin_loss(z, y) * z.shape[1]",
                           "torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)", "objective = loss + 0.001 * sum(",
                           "export_sched_test.csv"})
    EXPECT_NE(s.find(want), std::string::npos) << want << "\n" << s;
}

TEST(CliExportTorch, BadRequestsAreOneLine) {
  CliRun none = run_cli({"export", "torch"});
  EXPECT_EQ(none.status, 2) << describe(none);
  EXPECT_NE(none.err.find("needs a graph"), std::string::npos) << describe(none);
  CliRun both = run_cli({"export", "torch", "--expr", "x", "--preset", "spiral"});
  EXPECT_EQ(both.status, 2) << describe(both);
  CliRun no_out = run_cli({"export", "torch", "--preset", "spiral"});
  EXPECT_EQ(no_out.status, 2) << describe(no_out);
  EXPECT_NE(no_out.err.find("-o FILE.py"), std::string::npos) << describe(no_out);
  CliRun grad_op = run_cli({"export", "torch", "--expr", "sine(x)", "--at", "x=1"});
  EXPECT_EQ(grad_op.status, 2) << describe(grad_op);
  EXPECT_EQ(grad_op.err.find('\n'), grad_op.err.size() - 1) << describe(grad_op);
}

}  // namespace
}  // namespace gs::test
