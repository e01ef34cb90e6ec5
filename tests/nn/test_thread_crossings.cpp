// The training lab's thread crossings as its UI thread makes them while a run trains (issue 10: the
// ThreadSanitizer run covers every thread crossing): each new parameter snapshot loaded into the
// UI's own model and evaluated on the plane's grid (the decision boundary), the metrics channel's
// steps, latest row and epochs read, the state asked — while the training thread steps, pauses,
// evaluates the test set, runs epochs and finishes. scripts/test-tsan runs ThreadCrossing.* under
// ThreadSanitizer (a race is a report there); the checks here hold at any thread speed (waits are
// for a condition, never for a time).
#include "nn/config.h"
#include "nn/snapshot.h"
#include "nn/trainer.h"
#include "test_util.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <thread>

namespace gs::nn {
namespace {

using testing::eventually;

TrainConfig crossing_config(int epochs) {
  nlohmann::json c = preset("spiral");
  c["epochs"] = epochs;
  c["data"]["test_fraction"] = 0.2;
  return parse_config(c);
}

// The plane's grid as the training lab evaluates it for the boundary: 16 × 16 points in [−1, 1]².
TensorF plane_grid() {
  TensorF grid(Shape{256, 2});
  for (Index i = 0; i < 16; ++i)
    for (Index j = 0; j < 16; ++j) {
      grid[(i * 16 + j) * 2] = -1.0f + 2.0f * static_cast<float>(j) / 15.0f;
      grid[(i * 16 + j) * 2 + 1] = -1.0f + 2.0f * static_cast<float>(i) / 15.0f;
    }
  return grid;
}

// What the UI thread does each frame while a run trains.
struct UiReader {
  UiReader(const Trainer& t, const ModelSpec& spec) : trainer(t), model(spec) {}
  const Trainer& trainer;
  SnapshotModel model;
  TensorF grid = plane_grid();
  ModelSnapshot snapshot;
  std::int64_t cursor = 0;
  std::atomic<std::int64_t> evaluated_step{-1};
  std::atomic<int> evaluations{0}, bad{0};

  void frame() {
    if (trainer.snapshots().read_if_newer(&snapshot)) {
      if (snapshot.step < evaluated_step.load()) ++bad;  // snapshots never go back
      model.load(snapshot);
      const TensorF& z = model.forward(grid);
      for (float v : z)
        if (!std::isfinite(v)) ++bad;
      ++evaluations;
      evaluated_step = snapshot.step;
    }
    std::vector<StepMetrics> rows;
    std::int64_t missed = 0, last = 0;
    if (trainer.metrics().read_since(&cursor, &rows, &missed))
      for (const StepMetrics& m : rows) {
        if (m.step <= last) ++bad;  // steps in order
        last = m.step;
      }
    StepMetrics latest;
    trainer.metrics().latest(&latest);
    std::vector<StepMetrics> epochs;
    trainer.metrics().read_epochs(0, &epochs);
    (void)trainer.state();
    (void)trainer.steps_done();
  }
};

TEST(ThreadCrossing, UiEvaluatesEverySnapshotItReadsWhileTheRunTrains) {
  const TrainConfig c = crossing_config(20);
  Trainer t(std::make_unique<TrainingRun>(c), 64);
  t.set_snapshot_interval(0.0);  // a snapshot after every step: the most crossings
  UiReader ui(t, c.model);
  std::atomic<bool> done{false};
  std::thread ui_thread([&] {
    while (!done.load()) ui.frame();
  });
  t.start(/*paused=*/true);
  t.step_one();
  ASSERT_TRUE(eventually([&] { return t.steps_done() == 1 && t.state() == TrainerState::Paused; }));
  t.evaluate_now();  // a paused run's test predictions, published while the UI reads
  t.step_epoch();
  ASSERT_TRUE(eventually([&] { return t.state() == TrainerState::Paused && t.steps_done() > 1; }));
  t.resume();
  t.wait();
  ASSERT_EQ(t.state(), TrainerState::Finished) << t.error();
  // The UI sees the state the run finished in, whatever the threads' speed.
  ASSERT_TRUE(eventually([&] { return ui.evaluated_step.load() == t.steps_done(); }));
  done = true;
  ui_thread.join();
  EXPECT_EQ(ui.bad.load(), 0);
  EXPECT_GT(ui.evaluations.load(), 0);
  // The UI's last evaluation is the finished run's own prediction on the grid.
  SnapshotModel direct(c.model);
  ModelSnapshot final_state;
  take_snapshot(t.run().params(), t.run().steps_done(), t.run().epoch(), nullptr, -1, &final_state);
  direct.load(final_state);
  const TensorF& want = direct.forward(ui.grid);
  const TensorF& got = ui.model.forward(ui.grid);
  ASSERT_EQ(got.size(), want.size());
  for (Index i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], want[i]) << "output " << i;
}

TEST(ThreadCrossing, UiReadsWhileTheRunIsStoppedMidEpoch) {
  const TrainConfig c = crossing_config(100000);  // cannot finish before it is stopped
  Trainer t(std::make_unique<TrainingRun>(c), 64);
  t.set_snapshot_interval(0.0);
  UiReader ui(t, c.model);
  std::atomic<bool> done{false};
  std::thread ui_thread([&] {
    while (!done.load()) ui.frame();
  });
  t.start();
  ASSERT_TRUE(eventually([&] { return t.steps_done() > 20; }));
  t.pause();
  ASSERT_TRUE(eventually([&] { return t.state() == TrainerState::Paused; }));
  t.resume();
  t.stop();
  t.wait();
  ASSERT_EQ(t.state(), TrainerState::Stopped);
  ASSERT_TRUE(eventually([&] { return ui.evaluated_step.load() == t.steps_done(); }));  // stopping publishes
  done = true;
  ui_thread.join();
  EXPECT_EQ(ui.bad.load(), 0);
}

}  // namespace
}  // namespace gs::nn
