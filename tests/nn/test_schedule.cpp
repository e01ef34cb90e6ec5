// LR schedules against torch.optim.lr_scheduler 1.13 (fixtures/schedules.json, made by
// fixtures/make_schedules.py): values, cycled momentum, the settings where torch raises; seed 002's
// closed forms, validation messages, LambdaLR's expression factor, checkpoint state.
#include "nn/errors.h"
#include "nn/schedule.h"
#include "test_util.h"

#include <cmath>
#include <set>

namespace gs::nn {
namespace {

using nlohmann::json;
using testing::all_close;
using testing::load_fixture;

std::vector<double> metrics_of(const nlohmann::json& c) {
  return c.contains("metrics") ? c["metrics"].get<std::vector<double>>() : std::vector<double>{};
}

TEST(Schedule, MatchesTorchValueForValue) {
  nlohmann::json fixture = load_fixture("schedules.json");
  ASSERT_GT(fixture["cases"].size(), 80u);
  std::set<std::string> names;
  for (const auto& c : fixture["cases"]) {
    std::vector<double> got = schedule_values(c["spec"], c["lr"].get<double>(), c["epochs"].get<int>(), metrics_of(c));
    std::vector<double> want = c["expected"].get<std::vector<double>>();
    // Bit for bit: the same operations in the same order as torch's Python.
    EXPECT_TRUE(all_close(got, want, 0.0)) << c["spec"].dump();
    names.insert(c["spec"]["name"].get<std::string>());
  }
  for (const std::string& name : schedule_names()) EXPECT_TRUE(names.count(name)) << "no fixture for " << name;
}

// OneCycleLR and CyclicLR move the momentum inversely to the lr, as torch does with SGD's momentum.
TEST(Schedule, CycledMomentumMatchesTorch) {
  nlohmann::json fixture = load_fixture("schedules.json");
  int checked = 0;
  for (const auto& c : fixture["cases"]) {
    ScheduleSeries s = schedule_series(c["spec"], c["lr"].get<double>(), c["epochs"].get<int>(), metrics_of(c));
    if (!c.contains("expected_momentum")) {
      EXPECT_TRUE(s.momentum.empty()) << c["spec"].dump();
      continue;
    }
    EXPECT_TRUE(all_close(s.momentum, c["expected_momentum"].get<std::vector<double>>(), 0.0)) << c["spec"].dump();
    ++checked;
  }
  EXPECT_GE(checked, 10);
}

// Where torch 1.13 raises (a division by zero at some step, a value its constructor refuses), the
// same spec and run length is refused with one line.
TEST(Schedule, RefusesWhereTorchRaises) {
  nlohmann::json fixture = load_fixture("schedules.json");
  ASSERT_GE(fixture["raises"].size(), 15u);
  for (const auto& c : fixture["raises"]) {
    try {
      schedule_values(c["spec"], c["lr"].get<double>(), c["epochs"].get<int>());
      ADD_FAILURE() << "accepted " << c["spec"].dump() << " (torch: " << c["torch_error"].get<std::string>() << ")";
    } catch (const InputError& e) {
      std::string m = e.what();
      EXPECT_EQ(m.find('\n'), std::string::npos) << m;
      EXPECT_EQ(m.rfind(c["spec"]["name"].get<std::string>(), 0), 0u) << "the message names the schedule: " << m;
    }
  }
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

// Smith's triangle: base at the start of each cycle, max after step_size_up steps.
TEST(Schedule, CyclicLrTriangleTouchesItsBounds) {
  std::vector<double> lr = schedule_values(
      {{"name", "cyclic"}, {"base_lr", 0.01}, {"max_lr", 0.11}, {"step_size_up", 5}, {"step_size_down", 15}}, 0.5, 41);
  EXPECT_DOUBLE_EQ(lr[0], 0.01);  // the optimizer's 0.5 is replaced by base_lr
  EXPECT_NEAR(lr[5], 0.11, 1e-15);
  EXPECT_NEAR(lr[20], 0.01, 1e-15);
  EXPECT_NEAR(lr[25], 0.11, 1e-15);
  EXPECT_NEAR(lr[40], 0.01, 1e-15);
}

void expect_input_error(const nlohmann::json& spec, double lr, const std::string& fragment, int epochs = 10) {
  try {
    schedule_values(spec, lr, epochs);
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
  expect_input_error({{"name", "multistep"}, {"milestones", {30, -1}}}, 0.1,
                     "milestones must hold non-negative integers only, got -1");
  expect_input_error({{"name", "stepp"}}, 0.1, "unknown schedule 'stepp' (did you mean 'step'?)");
  expect_input_error({{"name", "step"}, {"step_size", 2}, {"gama", 0.5}}, 0.1,
                     "step: gama is not a parameter of step (did you mean 'gamma'?)");
  expect_input_error({{"name", "step"}, {"step_size", 2.5}}, 0.1, "step_size must be an integer, got 2.5");
  expect_input_error({{"name", "step"}}, 0.1, "step: step_size is missing");
  expect_input_error({{"name", "onecycle"}, {"max_lr", 0.1}, {"anneal_strategy", "coss"}}, 0.1,
                     "anneal_strategy must be one of cos, linear, got 'coss' (did you mean 'cos'?)");
  expect_input_error({{"name", "onecycle"}, {"max_lr", 0.1}, {"three_phase", 1}}, 0.1, "three_phase must be true or false");
  expect_input_error({{"name", "sequential"}, {"milestones", {5}}, {"schedulers", {{{"name", "exponential"}, {"gamma", 0.9}}}}},
                     0.1, "must number one fewer than the schedulers");
  expect_input_error({{"name", "sequential"},
                      {"milestones", {5, 3}},
                      {"schedulers", {{{"name", "exponential"}, {"gamma", 0.9}}, {{"name", "step"}, {"step_size", 2}},
                                      {{"name", "step"}, {"step_size", 2}}}}},
                     0.1, "sequential: milestones must not decrease");
  expect_input_error({{"name", "sequential"}, {"milestones", json::array()}, {"schedulers", {{{"name", "plateau"}}}}}, 0.1,
                     "'plateau' cannot run inside sequential");
  expect_input_error({{"name", "sequential"},
                      {"milestones", {2}},
                      {"schedulers", {{{"name", "exponential"}, {"gamma", 0.9}}, {{"name", "cosine"}, {"t_max", 0}}}}},
                     0.1, "sequential member 2 (cosine): t_max must be a positive integer, got 0");
  expect_input_error({{"name", "chained"}, {"schedulers", {{{"name", "plateau"}}}}}, 0.1, "plateau cannot be chained");
  expect_input_error({{"name", "chained"}, {"schedulers", json::array()}}, 0.1,
                     "chained: schedulers must be a non-empty list of schedules");
  expect_input_error({{"name", "onecycle"}, {"max_lr", 0.1}, {"total_steps", 5}}, 0.1,
                     "total_steps is 5 but the run takes 10 steps");
  expect_input_error({{"name", "onecycle"}, {"max_lr", 0.1}, {"epochs", 5}}, 0.1,
                     "onecycle: steps_per_epoch is missing (give it with epochs, or give total_steps)");
  expect_input_error({{"name", "cyclic"}, {"base_lr", 0.1}, {"max_lr", 0.2}, {"max_momentum", 1.5}}, 0.1,
                     "cyclic: max_momentum must be between 0 and 1, got 1.5");
  expect_input_error({{"name", "plateau"}, {"factor", 1.0}}, 0.1, "plateau: factor must be >= 0 and < 1, got 1");
}

// A spec nested without end (chained inside chained …) is refused before it is built.
TEST(Schedule, NestingIsBounded) {
  nlohmann::json spec = {{"name", "exponential"}, {"gamma", 0.9}};
  for (int i = 0; i < 20; ++i) spec = {{"name", "chained"}, {"schedulers", {spec}}};
  expect_input_error(spec, 0.1, "schedules nest deeper than 8 levels");
}

// torch refuses these at the step where it divides by zero; the message says which and where.
TEST(Schedule, DivisionByZeroNamesTheStep) {
  expect_input_error({{"name", "constant"}, {"factor", 0.0}, {"total_iters", 3}}, 0.1,
                     "constant: factor makes torch divide by zero at step 3", 6);
  expect_input_error({{"name", "linear"}, {"start_factor", 0.0}, {"total_iters", 4}}, 0.1,
                     "linear: start_factor makes torch divide by zero at step 1", 3);
  // Within a shorter run torch never reaches the division: values, as torch gives them.
  EXPECT_EQ(schedule_values({{"name", "constant"}, {"factor", 0.0}, {"total_iters", 3}}, 0.1, 3),
            (std::vector<double>{0.0, 0.0, 0.0}));
}

TEST(Schedule, LambdaFactorErrorsNameTheProblem) {
  expect_input_error({{"name", "lambda"}, {"factor", "0.95^epoh"}}, 0.1,
                     "lambda: factor uses 'epoh', but the only name it may use is epoch (did you mean 'epoch'?)");
  expect_input_error({{"name", "lambda"}, {"factor", "x * epoch"}}, 0.1, "lambda: factor uses 'x'");
  expect_input_error({{"name", "multiplicative"}, {"factor", "sine(epoch)"}}, 0.1,
                     "multiplicative: factor is not a valid expression: unknown function 'sine' at column 1");
  expect_input_error({{"name", "lambda"}, {"factor", "0.95^"}}, 0.1, "lambda: factor is not a valid expression");
  expect_input_error({{"name", "lambda"}, {"factor", "reshape(epoch, 1, 1)"}}, 0.1,
                     "lambda: factor must give one number, but gives a [1×1] tensor");
  expect_input_error({{"name", "lambda"}, {"factor", "  "}}, 0.1, "lambda: factor is empty");
  expect_input_error({{"name", "lambda"}, {"factor", true}}, 0.1, "lambda: factor must be an expression in epoch");
  expect_input_error({{"name", "lambda"}, {"factor", "sqrt(4 - epoch)"}}, 0.1, "lambda: factor gives nan at epoch 5");
  expect_input_error({{"name", "lambda"}, {"factor", "1/(7 - epoch)"}}, 0.1, "lambda: factor gives inf at epoch 7");
  // A number is a constant expression.
  EXPECT_EQ(schedule_values({{"name", "lambda"}, {"factor", 0.5}}, 0.1, 2), (std::vector<double>{0.05, 0.05}));
}

// parse_schedule runs the whole run: a factor that fails at epoch 7 fails a 10-step run now,
// and a 5-step one not at all.
TEST(Schedule, ParseRunsTheWholeRun) {
  nlohmann::json spec = {{"name", "lambda"}, {"factor", "1/(7 - epoch)"}};
  EXPECT_THROW(parse_schedule(spec, {10}), InputError);
  EXPECT_NO_THROW(parse_schedule(spec, {5}));
  EXPECT_NO_THROW(parse_schedule(spec));
}

// torch 1.13's CyclicLR needs `momentum` in the optimizer's defaults: Adam has betas instead.
TEST(Schedule, CyclicMomentumNeedsAnOptimizerWithMomentum) {
  nlohmann::json spec = {{"name", "cyclic"}, {"base_lr", 0.01}, {"max_lr", 0.1}, {"step_size_up", 4}};
  auto group = std::make_shared<LrGroup>();
  group->lr = 0.1;
  ScheduleContext adam{20, false};
  try {
    make_scheduler(spec, group, adam);
    ADD_FAILURE() << "cycled Adam's momentum";
  } catch (const ScheduleParamError& e) {
    EXPECT_EQ(e.key(), "cycle_momentum");
  }
  spec["cycle_momentum"] = false;
  EXPECT_NO_THROW(make_scheduler(spec, group, adam));
}

void expect_resumes(const nlohmann::json& spec, int stop, int total) {
  std::vector<double> whole = schedule_values(spec, 0.1, total);
  auto g1 = std::make_shared<LrGroup>();
  g1->lr = 0.1;
  auto first = make_scheduler(spec, g1);
  for (int e = 0; e < stop; ++e) first->step();
  nlohmann::json saved = first->state();
  LrGroup saved_group = *g1;

  auto g2 = std::make_shared<LrGroup>();
  g2->lr = 0.1;
  auto second = make_scheduler(spec, g2);
  second->load_state(saved);
  *g2 = saved_group;
  std::vector<double> rest;
  for (int e = stop; e < total; ++e) {
    rest.push_back(second->lr());
    second->step();
  }
  EXPECT_TRUE(all_close(rest, std::vector<double>(whole.begin() + stop, whole.end()), 0.0)) << spec.dump();
}

TEST(Schedule, StateRestoresMidRun) {
  expect_resumes({{"name", "sequential"},
                  {"milestones", {4}},
                  {"schedulers", {{{"name", "linear"}, {"start_factor", 0.2}, {"total_iters", 4}},
                                  {{"name", "warm-restarts"}, {"t_0", 3}, {"t_mult", 2}}}}},
                 9, 20);
  expect_resumes({{"name", "cyclic"}, {"base_lr", 0.01}, {"max_lr", 0.1}, {"step_size_up", 3}, {"mode", "triangular2"}},
                 7, 20);
  expect_resumes({{"name", "multiplicative"}, {"factor", "0.9^epoch"}}, 5, 12);
}

}  // namespace
}  // namespace gs::nn
