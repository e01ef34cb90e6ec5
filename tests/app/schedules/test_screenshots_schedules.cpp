// Screenshot tests of the Schedules page: `gradscope --screenshot --view schedules` under
// xvfb-run, checked through the frame record. Every plotted series must equal `gradscope-cli
// schedule` for the same spec (the CLI is run here too), the default page shows the three classic
// schedules, and each pitfall toggle draws src/nn's dashed curve with its explanation.
#include "../screenshot.h"
#include "../../cli/run_cli.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using nlohmann::json;
using namespace gs::app::testing;

namespace {

// `gradscope-cli schedule ARGS --json`, parsed.
json cli_schedule(std::vector<std::string> args) {
  args.insert(args.begin(), "schedule");
  args.push_back("--json");
  const gs::test::CliRun r = gs::test::run_cli(args);
  EXPECT_EQ(r.status, 0) << r.err;
  return r.status == 0 ? json::parse(r.out) : json();
}

std::vector<double> numbers(const json& a) {
  std::vector<double> v;
  for (const json& x : a) v.push_back(x.get<double>());
  return v;
}

std::vector<double> epochs(int n) {
  std::vector<double> v;
  for (int e = 0; e < n; ++e) v.push_back(e);
  return v;
}

// A series drawn as a staircase over epochs 0 … n−1 whose values equal the CLI's `key` list.
void expect_series_equals_cli(const json& p, const std::string& name, const json& cli, const char* key = "lr") {
  const json* s = series(p, name);
  ASSERT_NE(s, nullptr) << "no series '" << name << "' in " << p["series"].dump().substr(0, 400);
  EXPECT_EQ((*s)["kind"], "stairs");
  const std::vector<double> want = numbers(cli[key]);
  EXPECT_EQ(numbers((*s)["y"]), want) << name;
  EXPECT_EQ(numbers((*s)["x"]), epochs(static_cast<int>(want.size()))) << name;
}

constexpr const char* kLrPlot = "Learning rate##lr";

}  // namespace

TEST(ScreenshotSchedules, DefaultPageShowsTheClassicThreeAsTheCliComputesThem) {
  TAKE_OR_SKIP(d, "schedules_default", "--view schedules");
  EXPECT_EQ(d["page"], "schedules");
  const json* p = plot(d, kLrPlot);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ((*p)["title"], "Learning rate");
  EXPECT_EQ((*p)["x_label"], "epoch");
  EXPECT_EQ((*p)["y_label"], "learning rate");
  EXPECT_FALSE((*p)["log_y"]);
  int stairs = 0;
  for (const json& s : (*p)["series"]) stairs += s["kind"] == "stairs" ? 1 : 0;
  EXPECT_EQ(stairs, 3);
  expect_series_equals_cli(*p, "StepLR(step_size=30, gamma=0.1)",
                           cli_schedule({"step", "--step-size", "30", "--gamma", "0.1", "--lr", "0.1", "--epochs", "100"}));
  expect_series_equals_cli(*p, "MultiStepLR(milestones=[30, 60, 80], gamma=0.1)",
                           cli_schedule({"multistep", "--milestones", "30,60,80", "--gamma", "0.1", "--lr", "0.1", "--epochs", "100"}));
  expect_series_equals_cli(*p, "ExponentialLR(gamma=0.95)", cli_schedule({"exponential", "--gamma", "0.95", "--lr", "0.1", "--epochs", "100"}));
  // StepLR runs on MultiStepLR's values until epoch 80: it is drawn wider underneath, so both show;
  // ExponentialLR shares only epoch 0 with them and keeps the default width.
  const json* step = series(*p, "StepLR(step_size=30, gamma=0.1)");
  const json* multi = series(*p, "MultiStepLR(milestones=[30, 60, 80], gamma=0.1)");
  const json* expo = series(*p, "ExponentialLR(gamma=0.95)");
  ASSERT_TRUE(step && multi && expo);
  EXPECT_GT((*step)["weight"].get<double>(), 1.8 * (*multi)["weight"].get<double>());
  EXPECT_EQ((*multi)["weight"].get<double>(), (*expo)["weight"].get<double>());
  EXPECT_GT((*expo)["weight"].get<double>(), 0.0);
  // Milestones are marked where the lr drops.
  const json* decays = series(*p, "MultiStepLR(milestones=[30, 60, 80], gamma=0.1) · decay");
  ASSERT_NE(decays, nullptr);
  EXPECT_EQ(numbers((*decays)["x"]), std::vector<double>({30, 60, 80}));
  // No cycled momentum: one plot.
  EXPECT_EQ(d["plots"].size(), 1u);
  // The table: a header and one row per epoch.
  const json* t = table(d, "lr");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ((*t)["rows"].size(), 101u);
  EXPECT_EQ((*t)["rows"][0], "epoch | StepLR | MultiStepLR | ExponentialLR");
  EXPECT_EQ((*t)["rows"][31], "30 | 0.01 | 0.01 | 0.0214639");
  EXPECT_TRUE(shows_text(d, "StepLR(step_size=30, gamma=0.1)"));
}

TEST(ScreenshotSchedules, CompactSpecsEqualTheCliWithMomentumPlotted) {
  TAKE_OR_SKIP(d, "schedules_specs",
               "--view schedules --lr 0.05 --epochs 60 --schedules "
               "'cosine:t_max=50;cyclic:base_lr=0.001,max_lr=0.1,step_size_up=10;lambda:factor=0.95^epoch'");
  const json* p = plot(d, kLrPlot);
  ASSERT_NE(p, nullptr);
  expect_series_equals_cli(*p, "CosineAnnealingLR(T_max=50)", cli_schedule({"cosine", "--t-max", "50", "--lr", "0.05", "--epochs", "60"}));
  const json cyclic = cli_schedule(
      {"cyclic", "--base-lr", "0.001", "--max-lr", "0.1", "--step-size-up", "10", "--lr", "0.05", "--epochs", "60"});
  const std::string cyclic_name = "CyclicLR(base_lr=0.001, max_lr=0.1, step_size_up=10)";
  expect_series_equals_cli(*p, cyclic_name, cyclic);
  expect_series_equals_cli(*p, "LambdaLR(lr_lambda=lambda epoch: 0.95^epoch)",
                           cli_schedule({"lambda", "--factor", "0.95^epoch", "--lr", "0.05", "--epochs", "60"}));
  // CyclicLR cycles the momentum: a second plot, linked, with the CLI's momentum.
  const json* m = plot(d, "Momentum##momentum");
  ASSERT_NE(m, nullptr);
  expect_series_equals_cli(*m, cyclic_name, cyclic, "momentum");
  EXPECT_EQ((*m)["x_range"], (*p)["x_range"]);  // the epoch axes are linked
  EXPECT_EQ((*m)["area"][0], (*p)["area"][0]);  // and line up
}

TEST(ScreenshotSchedules, JsonListSpecsAndLogAxis) {
  TAKE_OR_SKIP(d, "schedules_json",
               "--view schedules --log-y --schedules '[{\"name\": \"multistep\", \"milestones\": [30, 60, 80], \"gamma\": 0.1}]'");
  const json* p = plot(d, kLrPlot);
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE((*p)["log_y"]);
  expect_series_equals_cli(*p, "MultiStepLR(milestones=[30, 60, 80], gamma=0.1)",
                           cli_schedule({"multistep", "--milestones", "30,60,80", "--gamma", "0.1", "--lr", "0.1", "--epochs", "100"}));
  for (const char* decade : {"0.1", "0.01", "0.001", "0.0001"})
    EXPECT_NE(std::find((*p)["y_ticks"].begin(), (*p)["y_ticks"].end(), decade), (*p)["y_ticks"].end()) << decade;
}

TEST(ScreenshotSchedules, BadSpecExitsWithSrcNnsMessage) {
  if (!on_path("xvfb-run") && !std::getenv("DISPLAY")) GTEST_SKIP() << "no xvfb-run and no DISPLAY";
  const std::string err = std::string(GRADSCOPE_SHOT_DIR) + "/schedules_bad.err";
  std::filesystem::create_directories(GRADSCOPE_SHOT_DIR);
  const std::string cmd = std::string(on_path("xvfb-run") ? "xvfb-run -a " : "") + "'" + GRADSCOPE_APP + "' --screenshot '" +
                          GRADSCOPE_SHOT_DIR + "/schedules_bad.png' --view schedules --schedules 'step:step_size=0' 2> '" + err + "'";
  const int rc = std::system(cmd.c_str());
  EXPECT_EQ(WEXITSTATUS(rc), 2);
  std::ifstream in(err);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("error: step: step_size must be a positive integer, got 0"), std::string::npos) << text;
}

TEST(ScreenshotSchedules, ChineseInterface) {
  TAKE_OR_SKIP(d, "schedules_zh", "--view schedules --lang zh");
  EXPECT_EQ(d["language"], "zh");
  const json* p = plot(d, "学习率##lr");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ((*p)["x_label"], "轮次");
  int stairs = 0;
  for (const json& c : (*p)["series"]) stairs += c["kind"] == "stairs" ? 1 : 0;
  EXPECT_EQ(stairs, 3);
  EXPECT_EQ(d["tabs"], json({"计算图", "学习率调度", "训练"}));
}

TEST(ScreenshotSchedules, ProjectorSizeKeepsThePlotReadable) {
  auto shot = take("schedules_1024", "--view schedules --pitfall get-lr", "1024x768");
  if (!shot) GTEST_SKIP() << "no xvfb-run and no DISPLAY";
  const json& d = shot->drawn;
  const json* p = plot(d, kLrPlot);
  ASSERT_NE(p, nullptr);
  const double area_w = (*p)["area"][2].get<double>() - (*p)["area"][0].get<double>();
  const double area_h = (*p)["area"][3].get<double>() - (*p)["area"][1].get<double>();
  EXPECT_GT(area_w, 450.0);
  EXPECT_GT(area_h, 200.0);
  EXPECT_LE((*p)["rect"][2].get<double>(), 1024.0);
  EXPECT_LE((*p)["rect"][3].get<double>(), 768.0);
  // No legend over the curves: the key under the plot names the three whole, in two rows, inside
  // the plot's width (issue 9: the legend in the corner cut them, "StepLR(step_size=30, gamma=0…").
  const json& l = (*p)["legend_rect"];
  EXPECT_EQ(l[2].get<double>() - l[0].get<double>(), 0.0);
  std::vector<std::string> labels;
  double top = 1e9, bottom = 0;
  for (const json& c : d["controls"]) {
    if (c["id"].get<std::string>().rfind("key ", 0) != 0) continue;
    labels.push_back(c["text"]);
    EXPECT_GE(c["rect"][1].get<double>(), (*p)["rect"][3].get<double>()) << c["text"];
    EXPECT_LE(c["rect"][2].get<double>(), (*p)["rect"][2].get<double>() + 0.5) << c["text"];
    top = std::min(top, c["rect"][1].get<double>());
    bottom = std::max(bottom, c["rect"][3].get<double>());
  }
  EXPECT_EQ(labels, (std::vector<std::string>{"StepLR(step_size=30, gamma=0.1)", "MultiStepLR(milestones=[30, 60, 80], gamma=0.1)", "ExponentialLR(gamma=0.95)"}));
  EXPECT_LT(bottom - top, 2.5 * 17 + 8) << "more than two rows";
}

// [SECTION] one test per pitfall toggle: the dashed curve is src/nn's, value for value as
// `gradscope-cli schedule … --pitfall KEY`, and its explanation is shown.

namespace {

void expect_pitfall(const std::string& key, const std::string& spec, const std::vector<std::string>& cli_args, const std::string& curve_name) {
  TAKE_OR_SKIP(d, "schedules_pitfall_" + key, "--view schedules --schedules '" + spec + "' --pitfall " + key);
  const json* p = plot(d, kLrPlot);
  ASSERT_NE(p, nullptr);
  std::vector<std::string> args = cli_args;
  args.insert(args.end(), {"--lr", "0.1", "--epochs", "100", "--pitfall", key});
  const json cli = cli_schedule(args);
  ASSERT_TRUE(cli.contains("pitfall")) << cli.dump().substr(0, 300);
  ASSERT_TRUE(cli["pitfall"]["applies"].get<bool>());
  const json* s = series(*p, curve_name);
  ASSERT_NE(s, nullptr) << "no dashed curve '" << curve_name << "' in " << (*p)["series"].dump().substr(0, 600);
  EXPECT_TRUE((*s)["dashed"]);
  EXPECT_EQ((*s)["kind"], "stairs");
  EXPECT_EQ(numbers((*s)["x"]), numbers(cli["pitfall"]["x"]));
  EXPECT_EQ(numbers((*s)["y"]), numbers(cli["pitfall"]["lr"]));
  // The right curve is still there, beside the wrong one.
  int solid = 0;
  for (const json& c : (*p)["series"]) solid += c["kind"] == "stairs" && !c["dashed"].get<bool>() ? 1 : 0;
  EXPECT_EQ(solid, 1);
  EXPECT_TRUE(shows_text(d, cli["pitfall"]["explanation"].get<std::string>())) << cli["pitfall"]["explanation"];
}

}  // namespace

TEST(ScreenshotSchedules, PitfallStepBeforeOptimizer) {
  expect_pitfall("step-before-optimizer", "step:step_size=30,gamma=0.1", {"step", "--step-size", "30", "--gamma", "0.1"},
                 "StepLR: scheduler.step() before optimizer.step()");
}

TEST(ScreenshotSchedules, PitfallPerBatchMilestones) {
  expect_pitfall("per-batch-milestones", "multistep:milestones=30,60,80,gamma=0.1", {"multistep", "--milestones", "30,60,80", "--gamma", "0.1"},
                 "MultiStepLR: Stepped per batch, written in epochs");
}

TEST(ScreenshotSchedules, PitfallFloatMilestones) {
  expect_pitfall("float-milestones", "multistep:milestones=30,60,80,gamma=0.1", {"multistep", "--milestones", "30,60,80", "--gamma", "0.1"},
                 "MultiStepLR: Float milestones (0.3 * epochs)");
}

TEST(ScreenshotSchedules, PitfallRepeatedMilestone) {
  expect_pitfall("repeated-milestone", "multistep:milestones=30,60,80,gamma=0.1", {"multistep", "--milestones", "30,60,80", "--gamma", "0.1"},
                 "MultiStepLR: A milestone listed twice");
}

TEST(ScreenshotSchedules, PitfallGetLr) {
  expect_pitfall("get-lr", "multistep:milestones=30,60,80,gamma=0.1", {"multistep", "--milestones", "30,60,80", "--gamma", "0.1"},
                 "MultiStepLR: get_lr() instead of get_last_lr()");
}
