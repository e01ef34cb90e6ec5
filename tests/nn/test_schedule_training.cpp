// The new schedules inside a training run: CyclicLR stepped per batch gives the trainer the
// schedule's own values and cycles SGD's momentum; a LambdaLR factor in a config; what torch 1.13
// refuses (CyclicLR cycling Adam's momentum, a factor that turns NaN during the run) is refused by
// the config check with one line naming the key.
#include "nn/config.h"
#include "nn/errors.h"
#include "nn/schedule.h"
#include "nn/trainer.h"
#include "test_util.h"

namespace gs::nn {
namespace {

using nlohmann::json;

json spiral(int epochs) {
  json c = preset("spiral");
  c["epochs"] = epochs;
  c["optimizer"] = {{"name", "sgd"}, {"lr", 0.1}, {"momentum", 0.9}};
  return c;
}

void expect_refused(const json& config, const std::string& fragment) {
  try {
    TrainingRun s(parse_config(config));
    ADD_FAILURE() << "accepted " << config["schedule"].dump();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(ScheduleTraining, CyclicPerBatchDrivesLrAndMomentum) {
  json c = spiral(2);
  c["schedule"] = {{"name", "cyclic"}, {"base_lr", 0.01}, {"max_lr", 0.2}, {"step_size_up", 7}, {"mode", "triangular2"}};
  c["schedule_step"] = "batch";
  TrainingRun s(parse_config(c));
  std::vector<double> lrs;
  while (!s.finished()) lrs.push_back(s.step().lr);
  ScheduleSeries want = schedule_series(c["schedule"], 0.1, static_cast<int>(s.total_steps()));
  EXPECT_TRUE(testing::all_close(lrs, want.lr, 0.0));
  // After the last step the optimizer holds the momentum the schedule set for it.
  EXPECT_DOUBLE_EQ(s.optimizer().config().momentum, want.momentum.back());
}

TEST(ScheduleTraining, LambdaFactorInAConfig) {
  json c = spiral(4);
  c["schedule"] = {{"name", "lambda"}, {"factor", "1/(1 + epoch)"}};
  TrainingRun s(parse_config(c));
  std::vector<double> epoch_lr;
  while (!s.finished()) {
    StepMetrics m = s.step();
    if (m.batch == 0) epoch_lr.push_back(m.lr);
  }
  EXPECT_TRUE(testing::all_close(epoch_lr, std::vector<double>{0.1, 0.05, 0.1 / 3, 0.025}, 0.0));
}

TEST(ScheduleTraining, WhatTorchRefusesTheConfigRefuses) {
  json adam = spiral(3);
  adam["optimizer"] = {{"name", "adam"}, {"lr", 0.01}};
  adam["schedule"] = {{"name", "cyclic"}, {"base_lr", 0.001}, {"max_lr", 0.01}, {"step_size_up", 2}};
  expect_refused(adam, "cyclic: cycle_momentum needs an optimizer with momentum (SGD)");
  adam["schedule"]["cycle_momentum"] = false;
  EXPECT_NO_THROW(parse_config(adam));

  json nan = spiral(6);
  nan["schedule"] = {{"name", "lambda"}, {"factor", "sqrt(3 - epoch)"}};
  expect_refused(nan, "lambda: factor gives nan at epoch 4");
  // Stepped per batch the run is longer: the same factor fails in the session, before any step.
  json per_batch = spiral(1);
  per_batch["schedule"] = {{"name", "lambda"}, {"factor", "sqrt(3 - epoch)"}};
  per_batch["schedule_step"] = "batch";
  expect_refused(per_batch, "lambda: factor gives nan at epoch 4");
}

}  // namespace
}  // namespace gs::nn
