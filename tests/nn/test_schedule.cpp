// LR schedules against torch.optim.lr_scheduler 1.13 (fixtures/schedules.json, made by
// fixtures/make_schedules.py), seed 002's closed forms, validation messages and checkpoint state.
#include "nn/errors.h"
#include "nn/schedule.h"
#include "test_util.h"

#include <cmath>

namespace gs::nn {
namespace {

using testing::all_close;
using testing::load_fixture;

TEST(Schedule, MatchesTorchValueForValue) {
  nlohmann::json fixture = load_fixture("schedules.json");
  ASSERT_GT(fixture["cases"].size(), 20u);
  for (const auto& c : fixture["cases"]) {
    std::vector<double> metrics;
    if (c.contains("metrics")) metrics = c["metrics"].get<std::vector<double>>();
    std::vector<double> got = schedule_values(c["spec"], c["lr"].get<double>(), c["epochs"].get<int>(), metrics);
    std::vector<double> want = c["expected"].get<std::vector<double>>();
    // Bit for bit: the same operations in the same order as torch's Python.
    EXPECT_TRUE(all_close(got, want, 0.0)) << c["spec"].dump();
  }
}

TEST(Schedule, OneCycleMomentumMatchesTorch) {
  nlohmann::json fixture = load_fixture("schedules.json");
  int checked = 0;
  for (const auto& c : fixture["cases"]) {
    if (!c.contains("expected_momentum")) continue;
    auto group = std::make_shared<LrGroup>();
    group->lr = c["lr"].get<double>();
    auto s = make_scheduler(c["spec"], group);
    std::vector<double> got;
    for (int e = 0; e < c["epochs"].get<int>(); ++e) {
      got.push_back(group->momentum.value_or(-1));
      if (e + 1 < c["epochs"].get<int>()) s->step();
    }
    EXPECT_TRUE(all_close(got, c["expected_momentum"].get<std::vector<double>>(), 0.0)) << c["spec"].dump();
    ++checked;
  }
  EXPECT_GE(checked, 3);
}

// Seed 002: lr_epoch = lr_initial · γ^⌊epoch / step_size⌋; its example 0.1, 30, 0.1.
TEST(Schedule, StepLrFollowsSeed002ClosedForm) {
  std::vector<double> lr = schedule_values({{"name", "step"}, {"step_size", 30}, {"gamma", 0.1}}, 0.1, 100);
  std::vector<double> closed;
  for (int e = 0; e < 100; ++e) closed.push_back(0.1 * std::pow(0.1, e / 30));
  EXPECT_TRUE(all_close(lr, closed, 1e-14));
  EXPECT_DOUBLE_EQ(lr[29], 0.1);
  EXPECT_DOUBLE_EQ(lr[30], 0.01);
  EXPECT_DOUBLE_EQ(lr[59], 0.01);
  EXPECT_DOUBLE_EQ(lr[60], 0.001);
  EXPECT_DOUBLE_EQ(lr[90], 0.0001);
}

// Seed 002: lr = lr_initial · γ^j, j the number of milestones reached; a repeated one counts twice.
TEST(Schedule, MultiStepLrFollowsSeed002ClosedForm) {
  std::vector<long long> milestones = {30, 60, 60, 80};
  std::vector<double> lr = schedule_values({{"name", "multistep"}, {"milestones", milestones}, {"gamma", 0.5}}, 0.8, 100);
  std::vector<double> closed;
  for (int e = 0; e < 100; ++e) {
    int j = 0;
    for (long long m : milestones) j += e >= m;
    closed.push_back(0.8 * std::pow(0.5, j));
  }
  EXPECT_TRUE(all_close(lr, closed, 1e-14));
  EXPECT_DOUBLE_EQ(lr[59], 0.4);
  EXPECT_DOUBLE_EQ(lr[60], 0.1);  // decayed twice at the repeated milestone
}

// Seed 002: lr = lr_initial · γ^epoch.
TEST(Schedule, ExponentialLrFollowsSeed002ClosedForm) {
  std::vector<double> lr = schedule_values({{"name", "exponential"}, {"gamma", 0.95}}, 0.1, 80);
  std::vector<double> closed;
  for (int e = 0; e < 80; ++e) closed.push_back(0.1 * std::pow(0.95, e));
  EXPECT_TRUE(all_close(lr, closed, 1e-13));
}

void expect_input_error(const nlohmann::json& spec, double lr, const std::string& fragment) {
  try {
    schedule_values(spec, lr, 10);
    ADD_FAILURE() << "accepted " << spec.dump();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(Schedule, RejectsBadParametersWithOneLineNamingThem) {
  expect_input_error({{"name", "step"}, {"step_size", 0}}, 0.1, "step: step_size must be a positive integer, got 0");
  expect_input_error({{"name", "step"}, {"step_size", -3}}, 0.1, "step_size must be a positive integer");
  expect_input_error({{"name", "step"}, {"step_size", 2}, {"gamma", 0.0}}, 0.1, "step: gamma must be > 0, got 0");
  expect_input_error({{"name", "exponential"}, {"gamma", -0.5}}, 0.1, "gamma must be > 0, got -0.5");
  expect_input_error({{"name", "step"}, {"step_size", 2}}, -0.1, "learning rate must be >= 0, got -0.1");
  expect_input_error({{"name", "multistep"}, {"milestones", {30, 60.5}}}, 0.1,
                     "multistep: milestones must hold integers only, got 60.5");
  expect_input_error({{"name", "multistep"}, {"milestones", {30, 60.0}}}, 0.1, "must hold integers only");
  expect_input_error({{"name", "stepp"}}, 0.1, "unknown schedule 'stepp'");
  expect_input_error({{"name", "step"}, {"step_size", 2}, {"gama", 0.5}}, 0.1, "step: unknown key 'gama'");
  expect_input_error({{"name", "step"}, {"step_size", 2.5}}, 0.1, "step_size must be an integer, got 2.5");
  expect_input_error({{"name", "sequential"}, {"milestones", {5}}, {"schedulers", {{{"name", "exponential"}, {"gamma", 0.9}}}}},
                     0.1, "must number one fewer than the schedulers");
  expect_input_error({{"name", "chained"}, {"schedulers", {{{"name", "plateau"}}}}}, 0.1, "plateau cannot be chained");
  expect_input_error({{"name", "onecycle"}, {"max_lr", 0.1}, {"total_steps", 5}}, 0.1,
                     "total_steps is 5 but the run takes 10 steps");
}

TEST(Schedule, StateRestoresMidRun) {
  nlohmann::json spec = {{"name", "sequential"},
                         {"milestones", {4}},
                         {"schedulers", {{{"name", "linear"}, {"start_factor", 0.2}, {"total_iters", 4}},
                                         {{"name", "warm-restarts"}, {"t_0", 3}, {"t_mult", 2}}}}};
  std::vector<double> whole = schedule_values(spec, 0.1, 20);
  auto g1 = std::make_shared<LrGroup>();
  g1->lr = 0.1;
  auto first = make_scheduler(spec, g1);
  for (int e = 0; e < 9; ++e) first->step();
  nlohmann::json saved = first->state();
  LrGroup saved_group = *g1;

  auto g2 = std::make_shared<LrGroup>();
  g2->lr = 0.1;
  auto second = make_scheduler(spec, g2);
  second->load_state(saved);
  *g2 = saved_group;
  std::vector<double> rest;
  for (int e = 9; e < 20; ++e) {
    rest.push_back(second->lr());
    second->step();
  }
  EXPECT_TRUE(all_close(rest, std::vector<double>(whole.begin() + 9, whole.end()), 0.0));
}

}  // namespace
}  // namespace gs::nn
