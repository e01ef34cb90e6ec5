// The schedule lab's pitfall curves against torch 1.13 misused the same way (fixtures/schedules.json,
// "pitfalls", made by fixtures/make_schedules.py): stepped before the optimizer, per batch, with float
// or repeated milestones, read through get_lr(). Bit for bit, and the explanation quotes torch.
#include "nn/errors.h"
#include "nn/schedule_pitfalls.h"
#include "test_util.h"

#include <map>
#include <regex>
#include <set>

namespace gs::nn {
namespace {

using nlohmann::json;
using testing::all_close;
using testing::load_fixture;

TEST(Pitfalls, MatchTorchMisusedTheSameWay) {
  json fixture = load_fixture("schedules.json");
  std::map<std::string, int> seen;
  for (const auto& c : fixture["pitfalls"]) {
    const std::string key = c["pitfall"].get<std::string>();
    const PitfallInfo* info = find_pitfall(key);
    ASSERT_TRUE(info) << key;
    PitfallOptions o;
    if (c.contains("batches_per_epoch")) o.batches_per_epoch = c["batches_per_epoch"].get<int>();
    if (c.contains("milestone_fractions")) o.milestone_fractions = c["milestone_fractions"].get<std::vector<double>>();
    if (c.contains("repeated_milestone")) o.repeated_milestone = c["repeated_milestone"].get<long long>();
    PitfallCurve p = pitfall_curve(info->id, c["spec"], c["lr"].get<double>(), c["epochs"].get<int>(), o);
    const std::string what = key + " " + c["spec"].dump();
    ASSERT_TRUE(p.applies) << what << ": " << p.explanation;
    EXPECT_TRUE(all_close(p.y, c["expected"].get<std::vector<double>>(), 0.0)) << what;
    EXPECT_TRUE(all_close(p.x, c["x"].get<std::vector<double>>(), 0.0)) << what;
    EXPECT_EQ(p.correct.size(), c["epochs"].get<std::size_t>()) << what;
    EXPECT_FALSE(p.explanation.empty() || p.explanation_zh.empty()) << what;
    EXPECT_EQ(p.explanation.find('\n'), std::string::npos) << what;
    // "A instead of B" always names two different numbers.
    static const std::regex contrast(R"((\d[0-9.e+-]*) instead of (\d[0-9.e+-]*))");
    for (std::sregex_iterator m(p.explanation.begin(), p.explanation.end(), contrast), end; m != end; ++m)
      EXPECT_NE((*m)[1].str(), (*m)[2].str()) << what << "\n" << p.explanation;
    // The warning torch prints is quoted (its first sentence).
    if (c.contains("torch_warning") && c["torch_warning"].is_string()) {
      std::string warning = c["torch_warning"].get<std::string>();
      warning = warning.substr(0, warning.find(". "));
      if (!warning.empty() && warning.back() == '.') warning.pop_back();
      EXPECT_NE(p.explanation.find(warning), std::string::npos) << what << "\n" << p.explanation;
    }
    ++seen[key];
  }
  for (const auto& info : pitfall_table()) EXPECT_GE(seen[info.key], 2) << "no fixture for " << info.key;
}

PitfallCurve curve(Pitfall p, const json& spec, int epochs = 100, const PitfallOptions& o = {}) {
  return pitfall_curve(p, spec, 0.1, epochs, o);
}

PitfallOptions batches(int b) {
  PitfallOptions o;
  o.batches_per_epoch = b;
  return o;
}

const json kStep = {{"name", "step"}, {"step_size", 30}, {"gamma", 0.1}};
const json kMultiStep = {{"name", "multistep"}, {"milestones", {30, 60, 80}}, {"gamma", 0.1}};

TEST(Pitfalls, ExplanationsCarryThisSpecsNumbers) {
  PitfallCurve early = curve(Pitfall::StepBeforeOptimizer, kStep);
  EXPECT_NE(early.explanation.find("epoch 29 uses 0.010000000000000002 instead of 0.1"), std::string::npos)
      << early.explanation;
  PitfallCurve batch = curve(Pitfall::PerBatchMilestones, kStep);
  EXPECT_NE(batch.explanation.find("first change comes at epoch 3 (at epoch 30 is right)"), std::string::npos)
      << batch.explanation;
  EXPECT_NE(batch.explanation.find("epoch 3 already starts at 0.010000000000000002 instead of 0.1"),
            std::string::npos)
      << batch.explanation;
  EXPECT_EQ(batch.x.size(), 1000u);
  // MultiStepLR([30, 60, 80]) stepped per batch has passed every milestone by the last epoch, as the
  // right curve has: the contrast is where they first part, not at the end.
  PitfallCurve multi = curve(Pitfall::PerBatchMilestones, kMultiStep, 100, batches(10));
  EXPECT_NE(multi.explanation.find("epoch 3 already starts at 0.010000000000000002 instead of 0.1"),
            std::string::npos)
      << multi.explanation;
  PitfallCurve twice = curve(Pitfall::RepeatedMilestone, kMultiStep);
  EXPECT_NE(twice.explanation.find("milestones=[30, 60, 60, 80] list 60 2 times"), std::string::npos) << twice.explanation;
  EXPECT_NE(twice.explanation.find("γ^2 = 0.010000000000000002"), std::string::npos) << twice.explanation;
  PitfallCurve dip = curve(Pitfall::GetLr, kStep);
  EXPECT_NE(dip.explanation.find("at epoch 30 it reports 0.0010000000000000002 while the optimizer uses "
                                 "0.010000000000000002 (get_last_lr()) — the γ² dip"),
            std::string::npos)
      << dip.explanation;
  EXPECT_EQ(dip.y[31], dip.correct[31]);  // one epoch only
}

// 0.3 * 100 is exactly 30.0, and torch's Counter finds the int 30 under it: those fire. 0.7 * 90 is
// 62.99999999999999, which no int epoch equals.
TEST(Pitfalls, FloatMilestonesFireOnlyWhenWhole) {
  PitfallCurve whole = curve(Pitfall::FloatMilestones, kMultiStep);
  EXPECT_EQ(whole.y, whole.correct);
  EXPECT_NE(whole.explanation.find("all whole numbers, so they still fire"), std::string::npos) << whole.explanation;
  json spec = {{"name", "multistep"}, {"milestones", {27, 63}}, {"gamma", 0.1}};
  PitfallCurve never = curve(Pitfall::FloatMilestones, spec, 90);
  EXPECT_NE(never.explanation.find("0.7 * 90 = 62.99999999999999 is not a whole number"), std::string::npos)
      << never.explanation;
  EXPECT_EQ(never.y[89], never.correct[62]);  // the second decay never comes
  EXPECT_THROW(curve(Pitfall::FloatMilestones,
                     {{"name", "sequential"},
                      {"milestones", {4}},
                      {"schedulers", {{{"name", "exponential"}, {"gamma", 0.9}}, {{"name", "cosine"}, {"t_max", 9}}}}},
                     20, [] {
                       PitfallOptions o;
                       o.milestone_fractions = {0.2, 0.5};
                       return o;
                     }()),
               InputError);
}

TEST(Pitfalls, SayWhyTheyDoNotApply) {
  struct Case {
    Pitfall p;
    json spec;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {Pitfall::StepBeforeOptimizer, {{"name", "plateau"}}, "needs the epoch's validation metric"},
      {Pitfall::PerBatchMilestones, {{"name", "onecycle"}, {"max_lr", 0.1}}, "is meant to be stepped every batch"},
      {Pitfall::PerBatchMilestones, {{"name", "plateau"}}, "once per epoch"},
      {Pitfall::FloatMilestones, kStep, "StepLR has no milestones"},
      {Pitfall::RepeatedMilestone, kStep, "Only MultiStepLR counts repeated milestones"},
      {Pitfall::GetLr, {{"name", "lambda"}, {"factor", "0.9^epoch"}}, "LambdaLR.get_lr() computes the value from last_epoch alone"},
      {Pitfall::GetLr,
       {{"name", "chained"}, {"schedulers", {kStep}}},
       "ChainedScheduler.get_lr() raises NotImplementedError in torch 1.13"},
      {Pitfall::GetLr, {{"name", "plateau"}}, "ReduceLROnPlateau has no get_lr()"},
  };
  for (const Case& c : cases) {
    PitfallOptions o;
    o.metrics = std::vector<double>(49, 1.0);
    PitfallCurve p = pitfall_curve(c.p, c.spec, 0.1, 50, o);
    EXPECT_FALSE(p.applies) << c.spec.dump();
    EXPECT_TRUE(p.y.empty());
    EXPECT_NE(p.explanation.find(c.reason), std::string::npos) << p.explanation;
    EXPECT_FALSE(p.explanation_zh.empty());
    EXPECT_EQ(pitfall_applies_to(c.p, c.spec["name"].get<std::string>()), false);
  }
}

TEST(Pitfalls, TableIsInOrderAndFindable) {
  std::set<std::string> keys;
  for (std::size_t i = 0; i < pitfall_table().size(); ++i) {
    const PitfallInfo& p = pitfall_table()[i];
    EXPECT_EQ(static_cast<std::size_t>(p.id), i);
    EXPECT_TRUE(keys.insert(p.key).second);
    EXPECT_EQ(find_pitfall(p.key), &p);
    EXPECT_FALSE(p.title.empty() || p.title_zh.empty() || p.code.empty());
  }
  EXPECT_EQ(find_pitfall("nope"), nullptr);
  for (const std::string& name : schedule_names()) {
    int applicable = 0;
    for (const auto& p : pitfall_table()) applicable += pitfall_applies_to(p.id, name);
    if (name != "plateau") {
      EXPECT_GE(applicable, 1) << name;
    }
  }
}

TEST(Pitfalls, BadInputIsAnInputError) {
  EXPECT_THROW(curve(Pitfall::PerBatchMilestones, kStep, 100, batches(0)), InputError);
  EXPECT_THROW(curve(Pitfall::PerBatchMilestones, kStep, 100000, batches(100)), InputError);
  EXPECT_THROW(curve(Pitfall::GetLr, {{"name", "step"}, {"step_size", 0}}), InputError);
  EXPECT_THROW(curve(Pitfall::GetLr, kStep, -1), InputError);
}

}  // namespace
}  // namespace gs::nn
