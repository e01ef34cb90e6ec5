// The schedule lab's model without a window: the default list, edits with bad values (the last
// good curve stays, src/nn's message is kept for the field), every schedule addable, composites,
// pitfall toggles, list operations, the table's CSV and Markdown, saving and loading.
#include "app/schedules/lab_model.h"

#include "nn/schedule.h"

#include <gtest/gtest.h>

using namespace gs::app::schedules;
namespace nn = gs::nn;

namespace {

std::vector<double> values_of(const nlohmann::json& spec, double lr = 0.1, int epochs = 100) {
  return nn::schedule_values(spec, lr, epochs);
}

}  // namespace

TEST(ScheduleLabModel, StartsWithTheClassicThree) {
  const ScheduleLab lab;
  EXPECT_EQ(lab.lr(), 0.1);
  EXPECT_EQ(lab.epochs(), 100);
  ASSERT_EQ(lab.size(), 3);
  EXPECT_EQ(lab.entry(0).label(), "StepLR(step_size=30, gamma=0.1)");
  EXPECT_EQ(lab.entry(1).label(), "MultiStepLR(milestones=[30, 60, 80], gamma=0.1)");
  EXPECT_EQ(lab.entry(2).label(), "ExponentialLR(gamma=0.95)");
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(lab.entry(i).error.empty());
    EXPECT_EQ(lab.entry(i).curves.series.lr, values_of(lab.entry(i).entry.spec));
  }
  // Three different colours.
  EXPECT_NE(lab.entry(0).rgb, lab.entry(1).rgb);
  EXPECT_NE(lab.entry(1).rgb, lab.entry(2).rgb);
  EXPECT_NE(lab.entry(0).rgb, lab.entry(2).rgb);
  // Milestones are marked: MultiStepLR decays at 30, 60 and 80.
  std::vector<int> at;
  for (const nn::ScheduleMarker& m : lab.entry(1).curves.markers) at.push_back(m.epoch);
  EXPECT_EQ(at, std::vector<int>({30, 60, 80}));
}

TEST(ScheduleLabModel, BadValueKeepsTheLastGoodCurveWithTheMessage) {
  ScheduleLab lab;
  const std::vector<double> good = lab.entry(0).curves.series.lr;
  EXPECT_FALSE(lab.set_param_text(0, {}, "step_size", "0"));
  const LabEntry& e = lab.entry(0);
  EXPECT_EQ(e.error, "step: step_size must be a positive integer, got 0");
  EXPECT_EQ(e.error_key, "step_size");
  EXPECT_EQ(e.curves.series.lr, good);               // the last good curve stays
  EXPECT_EQ(e.entry.spec["step_size"], 30);          // and the last good spec
  EXPECT_EQ(e.draft["step_size"], 0);                // the field shows what was typed
  EXPECT_FALSE(lab.set_param_text(0, {}, "step_size", "thirty"));
  EXPECT_EQ(lab.entry(0).error, "step: step_size must be an integer, got \"thirty\"");
  // While step_size is still wrong, its message is the one shown, whatever else is edited.
  EXPECT_FALSE(lab.set_param_text(0, {}, "gamma", "0.5"));
  EXPECT_EQ(lab.entry(0).error_key, "step_size");
  EXPECT_TRUE(lab.set_param_text(0, {}, "step_size", "30"));
  EXPECT_FALSE(lab.set_param_text(0, {}, "gamma", "-0.5"));
  EXPECT_NE(lab.entry(0).error.find("gamma must be > 0, got -0.5"), std::string::npos) << lab.entry(0).error;
  EXPECT_EQ(lab.entry(0).error_key, "gamma");
  // Fixing the field takes the curve on.
  EXPECT_TRUE(lab.set_param_text(0, {}, "gamma", "0.5"));
  EXPECT_FALSE(lab.set_param_text(0, {}, "step_size", "0"));
  EXPECT_TRUE(lab.set_param_text(0, {}, "step_size", "20"));
  EXPECT_TRUE(lab.entry(0).error.empty());
  EXPECT_EQ(lab.entry(0).curves.series.lr, values_of({{"name", "step"}, {"step_size", 20}, {"gamma", 0.5}}));
}

TEST(ScheduleLabModel, OneCycleShorterThanTheRunIsRefused) {
  ScheduleLab lab;
  const int i = lab.add("onecycle");
  ASSERT_GE(i, 0);
  EXPECT_TRUE(lab.entry(i).error.empty()) << lab.entry(i).error;
  EXPECT_FALSE(lab.set_param_text(i, {}, "total_steps", "50"));
  EXPECT_FALSE(lab.entry(i).error.empty());
  EXPECT_EQ(lab.entry(i).curves.series.lr.size(), 100u);  // the last good curve, whole
}

TEST(ScheduleLabModel, EverySchedulesStartingValuesAreGood) {
  ScheduleLab lab;
  for (const nn::ScheduleInfo& info : nn::schedule_table()) {
    if (info.composite) continue;
    const int i = lab.add(info.name);
    ASSERT_GE(i, 0) << info.name;
    EXPECT_TRUE(lab.entry(i).error.empty()) << info.name << ": " << lab.entry(i).error;
    EXPECT_EQ(lab.entry(i).curves.series.lr.size(), 100u) << info.name;
  }
  EXPECT_EQ(lab.add("nonsense"), -1);
  EXPECT_EQ(lab.add("sequential"), -1);  // built from other entries instead
}

TEST(ScheduleLabModel, CompositesAreBuiltFromOtherEntries) {
  ScheduleLab lab;
  const int seq = lab.add_composite("sequential", {0, 2});
  ASSERT_GE(seq, 0);
  const LabEntry& e = lab.entry(seq);
  EXPECT_TRUE(e.error.empty()) << e.error;
  EXPECT_EQ(e.entry.spec["milestones"], nlohmann::json({50}));
  EXPECT_EQ(e.curves.series.lr, values_of(e.entry.spec));
  // A member's parameter edited in place.
  EXPECT_TRUE(lab.set_param_text(seq, {1}, "gamma", "0.9"));
  EXPECT_EQ(lab.entry(seq).entry.spec["schedulers"][1]["gamma"], 0.9);
  EXPECT_FALSE(lab.set_param_text(seq, {0}, "step_size", "0"));
  EXPECT_EQ(lab.entry(seq).error_key, "step_size");
  EXPECT_EQ(lab.entry(seq).error_member, MemberPath({0}));
  const int chained = lab.add_composite("chained", {1, 2});
  EXPECT_TRUE(lab.entry(chained).error.empty()) << lab.entry(chained).error;
  EXPECT_EQ(lab.add_composite("chained", {1}), -1);
}

TEST(ScheduleLabModel, EachPitfallGivesSrcNnsCurveAndExplanation) {
  struct Case {
    nn::Pitfall pitfall;
    int entry;  // of the classic three
  } cases[] = {{nn::Pitfall::StepBeforeOptimizer, 0}, {nn::Pitfall::PerBatchMilestones, 1}, {nn::Pitfall::FloatMilestones, 1},
               {nn::Pitfall::RepeatedMilestone, 1},   {nn::Pitfall::GetLr, 1}};
  for (const Case& c : cases) {
    SCOPED_TRACE(nn::pitfall_table()[static_cast<std::size_t>(c.pitfall)].key);
    ScheduleLab lab;
    lab.set_pitfall(c.entry, c.pitfall, true);
    EXPECT_TRUE(lab.has_pitfall(c.entry, c.pitfall));
    const LabEntry& e = lab.entry(c.entry);
    ASSERT_EQ(e.pitfalls.size(), 1u);
    const nn::PitfallCurve want = nn::pitfall_curve(c.pitfall, e.entry.spec, 0.1, 100);
    EXPECT_TRUE(e.pitfalls[0].curve.applies) << e.pitfalls[0].curve.explanation;
    EXPECT_EQ(e.pitfalls[0].curve.x, want.x);
    EXPECT_EQ(e.pitfalls[0].curve.y, want.y);
    EXPECT_FALSE(e.pitfalls[0].curve.explanation.empty());
    EXPECT_FALSE(e.pitfalls[0].curve.explanation_zh.empty());
    // A different (wrong) curve; 30, 60 and 80 written as 0.3·100, 0.6·100, 0.8·100 happen to be
    // whole numbers, and src/nn's explanation says so.
    if (c.pitfall != nn::Pitfall::FloatMilestones) {
      EXPECT_NE(e.pitfalls[0].curve.y, e.curves.series.lr);
    }
    lab.set_pitfall(c.entry, c.pitfall, false);
    EXPECT_TRUE(lab.entry(c.entry).pitfalls.empty());
  }
}

TEST(ScheduleLabModel, PitfallEverywhereSkipsSchedulesItCannotApplyTo) {
  ScheduleLab lab;
  lab.set_pitfall_everywhere(nn::Pitfall::RepeatedMilestone, true);
  EXPECT_FALSE(lab.has_pitfall(0, nn::Pitfall::RepeatedMilestone));
  EXPECT_TRUE(lab.has_pitfall(1, nn::Pitfall::RepeatedMilestone));
  EXPECT_FALSE(lab.has_pitfall(2, nn::Pitfall::RepeatedMilestone));
}

TEST(ScheduleLabModel, ListOperations) {
  ScheduleLab lab;
  const int d = lab.duplicate(0);
  ASSERT_EQ(d, 1);
  ASSERT_EQ(lab.size(), 4);
  EXPECT_EQ(lab.entry(1).entry.spec, lab.entry(0).entry.spec);
  EXPECT_NE(lab.entry(1).rgb, lab.entry(0).rgb);
  lab.set_hidden(1, true);
  EXPECT_EQ(lab.visible(), std::vector<int>({0, 2, 3}));
  lab.remove(1);
  EXPECT_EQ(lab.size(), 3);
  lab.move(2, 0);
  EXPECT_EQ(lab.entry(0).entry.spec["name"], "exponential");
  lab.set_label(0, "mine");
  EXPECT_EQ(lab.entry(0).label(), "mine");
  lab.set_label(0, "");
  EXPECT_EQ(lab.entry(0).label(), "ExponentialLR(gamma=0.95)");
  lab.set_color(0, 0x123456);
  EXPECT_EQ(lab.entry(0).rgb, 0x123456u);
  EXPECT_EQ(lab.entry(0).entry.color, "#123456");
}

TEST(ScheduleLabModel, RunChangesRecomputeAndBadOnesAreRefused) {
  ScheduleLab lab;
  EXPECT_FALSE(lab.set_lr(-1.0));
  EXPECT_EQ(lab.run_error(), "lr must be >= 0, got -1");
  EXPECT_FALSE(lab.set_epochs(0));
  EXPECT_EQ(lab.epochs(), 100);
  EXPECT_TRUE(lab.set_lr(0.5));
  EXPECT_TRUE(lab.run_error().empty());
  EXPECT_TRUE(lab.set_epochs(40));
  EXPECT_EQ(lab.entry(2).curves.series.lr, values_of({{"name", "exponential"}, {"gamma", 0.95}}, 0.5, 40));
}

TEST(ScheduleLabModel, TableAsCsvAndMarkdown) {
  ScheduleLab lab;
  lab.set_epochs(3);
  lab.set_hidden(1, true);
  EXPECT_EQ(lab.table_csv(),
            "epoch,\"StepLR(step_size=30, gamma=0.1)\",ExponentialLR(gamma=0.95)\n"
            "0,0.1,0.1\n1,0.1,0.095\n2,0.1,0.09025\n");
  EXPECT_EQ(lab.table_markdown(),
            "| epoch | StepLR(step_size=30, gamma=0.1) | ExponentialLR(gamma=0.95) |\n"
            "|---:|---:|---:|\n"
            "| 0 | 0.1 | 0.1 |\n| 1 | 0.1 | 0.095 |\n| 2 | 0.1 | 0.09025 |\n");
}

TEST(ScheduleLabModel, SaveAndLoadKeepEverything) {
  ScheduleLab lab;
  lab.set_lr(0.05);
  lab.set_pitfall(1, nn::Pitfall::GetLr, true);
  lab.set_hidden(2, true);
  lab.set_label(0, "step, mine");
  const std::string saved = lab.save_json();
  ScheduleLab other;
  other.apply_preset("cyclic");
  std::string error;
  ASSERT_TRUE(other.load_json(saved, "lab.json", &error)) << error;
  EXPECT_EQ(other.lr(), 0.05);
  ASSERT_EQ(other.size(), 3);
  EXPECT_TRUE(other.has_pitfall(1, nn::Pitfall::GetLr));
  EXPECT_TRUE(other.entry(2).entry.hidden);
  EXPECT_EQ(other.entry(0).label(), "step, mine");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(other.entry(i).rgb, lab.entry(i).rgb);
  EXPECT_EQ(other.save_json(), saved);
  // A malformed file changes nothing and says where it is wrong.
  EXPECT_FALSE(other.load_json("{\"format\": \"gradscope-schedules\", \"schedules\": [", "bad.json", &error));
  EXPECT_NE(error.find("bad.json"), std::string::npos) << error;
  EXPECT_EQ(other.save_json(), saved);
}

TEST(ScheduleLabModel, SpecsFromTheCommandLine) {
  ScheduleLab lab;
  std::string error;
  ASSERT_TRUE(lab.load_specs("cosine:t_max=50;cyclic:base_lr=0.001,max_lr=0.1,step_size_up=10", &error)) << error;
  ASSERT_EQ(lab.size(), 2);
  EXPECT_EQ(lab.entry(0).entry.spec["t_max"], 50);
  EXPECT_TRUE(lab.entry(1).cycles_momentum());
  ASSERT_TRUE(lab.load_specs(R"([{"name": "multistep", "milestones": [30, 60, 80], "gamma": 0.1}])", &error)) << error;
  ASSERT_EQ(lab.size(), 1);
  EXPECT_FALSE(lab.load_specs("step:step_size", &error));
  EXPECT_NE(error.find("--schedules"), std::string::npos) << error;
  EXPECT_EQ(lab.size(), 1);
  // Syntax is fine but a value is not: the entry keeps the message.
  ASSERT_TRUE(lab.load_specs("step:step_size=0", &error));
  EXPECT_EQ(lab.entry(0).error, "step: step_size must be a positive integer, got 0");
}

TEST(ScheduleLabModel, PlateauMetricFromASeedOrTyped) {
  ScheduleLab lab;
  const int i = lab.add("plateau");
  ASSERT_GE(i, 0);
  EXPECT_EQ(lab.entry(i).curves.metrics.size(), 100u);
  EXPECT_TRUE(lab.set_metric_seed(i, 42));
  EXPECT_TRUE(lab.set_epochs(4));
  EXPECT_TRUE(lab.set_metrics_text(i, "1, 1, 1, 1"));
  EXPECT_EQ(lab.entry(i).curves.metrics, std::vector<double>({1, 1, 1, 1}));
  EXPECT_FALSE(lab.set_metrics_text(i, "1, x"));
  EXPECT_EQ(lab.entry(i).error_key, "metrics");
}
