// The states a run keeps in memory for going back after the sentinel (TrainingRun::
// keep_epoch_checkpoints, rewind): plain copies of the parameters, the optimizer's moments, the
// learning-rate group and the schedule, in buffers reused from one epoch to the next. Going back to
// any kept state continues the run exactly as it went the first time, bit for bit.
#include "nn/config.h"
#include "nn/errors.h"
#include "nn/trainer.h"
#include "test_util.h"

#include <vector>

namespace gs::nn {
namespace {

// Spiral (10 steps an epoch) with `optimizer` and `schedule` over 6 epochs.
TrainConfig spiral_with(const nlohmann::json& optimizer, const nlohmann::json& schedule) {
  nlohmann::json c = preset("spiral");
  c["epochs"] = 6;
  c["optimizer"] = optimizer;
  c["schedule"] = schedule;
  return parse_config(c);
}

TEST(KeptStates, GoingBackToAnyKeptStateRepeatsTheRunBitForBit) {
  // Adam's two moments and step count with cosine annealing; SGD's momentum buffer with a
  // one-cycle schedule that also cycles the momentum (the group's momentum).
  const std::vector<TrainConfig> configs{
      spiral_with({{"name", "adam"}, {"lr", 0.02}}, {{"name", "cosine"}, {"t_max", 6}, {"eta_min", 0.001}}),
      spiral_with({{"name", "sgd"}, {"lr", 0.05}, {"momentum", 0.9}, {"nesterov", true}}, {{"name", "onecycle"}, {"max_lr", 0.1}}),
  };
  for (const TrainConfig& c : configs) {
    SCOPED_TRACE(c.optimizer.kind == OptimizerKind::Sgd ? "sgd, onecycle" : "adam, cosine");
    std::vector<double> loss, lr;
    {
      TrainingRun reference(c);
      while (!reference.finished()) {
        const StepMetrics m = reference.step();
        loss.push_back(m.loss);
        lr.push_back(m.lr);
      }
    }
    ASSERT_EQ(loss.size(), 60u);
    TrainingRun run(c);
    run.keep_epoch_checkpoints(2);
    for (int k = 0; k < 45; ++k) ASSERT_EQ(run.step().loss, loss[static_cast<std::size_t>(k)]);
    // The start stays; of the epoch starts, the last two (their slots were reused twice).
    ASSERT_EQ(run.kept_steps(), (std::vector<std::int64_t>{0, 30, 40}));
    EXPECT_THROW(run.rewind(20), InputError);  // dropped
    // Back to step 30: the later state is dropped, the run goes on exactly as before.
    run.rewind(30);
    EXPECT_EQ(run.steps_done(), 30);
    EXPECT_EQ(run.epoch(), 3);
    EXPECT_EQ(run.kept_steps(), (std::vector<std::int64_t>{0, 30}));
    for (std::size_t k = 30; k < 45; ++k) {
      const StepMetrics m = run.step();
      ASSERT_EQ(m.loss, loss[k]) << "step " << k + 1;
      ASSERT_EQ(m.lr, lr[k]) << "step " << k + 1;
    }
    // Keeping went on after the rewind (the start of epoch 5 again) and the start still stays.
    EXPECT_EQ(run.kept_steps(), (std::vector<std::int64_t>{0, 30, 40}));
    run.rewind(0);
    EXPECT_EQ(run.kept_steps(), std::vector<std::int64_t>{0});
    for (std::size_t k = 0; k < loss.size(); ++k) ASSERT_EQ(run.step().loss, loss[k]) << "step " << k + 1;
    EXPECT_TRUE(run.finished());
  }
}

}  // namespace
}  // namespace gs::nn
