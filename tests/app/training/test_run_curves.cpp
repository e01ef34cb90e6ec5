// One run's curves (app/training/run_curves.h): a frame's worth of history per update, every step
// kept exactly up to the bound (what the frame record compares with the CLI's --metrics), the
// curves bounded beyond it with their spikes, and a new smoothing weight taken from the start.
// Not timed: the bounds are counts.
#include "app/training/run_curves.h"

#include "app/base/i18n.h"
#include "app/training/view_training_plots.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using gs::app::training::debiased_ema;
using gs::app::training::kIngestPerFrame;
using gs::app::training::kMaxCurvePoints;
using gs::app::training::RunCurves;
using gs::app::training::RunHistory;

namespace {

// A run of `steps` steps of 100 batches an epoch: a falling, noisy loss with one spike at step
// 90 001, a learning rate halved every 50 000 steps, two layers' gradient norms.
RunHistory curves_test_history(int steps) {
  RunHistory h;
  for (int s = 1; s <= steps; ++s) {
    gs::nn::StepMetrics m;
    m.step = s;
    m.epoch = (s - 1) / 100;
    m.batch = (s - 1) % 100;
    m.loss = s == 90001 ? 40.0 : 2.0 / std::sqrt(s) + 0.1 * std::sin(s * 0.7);
    m.lr = 0.1 * std::pow(0.5, (s - 1) / 50000);
    m.grad_norm = 1.0 + 0.5 * std::cos(s * 0.3);
    m.layers = 2;
    m.layer_grad_norm[0] = 0.5f;
    m.layer_grad_norm[1] = static_cast<float>(0.25 + 0.1 * std::sin(s * 0.1));
    if (s % 100 == 0) {
      m.train_accuracy = 1.0 - 1.0 / s;
      m.test_accuracy = 1.0 - 2.0 / s;
    }
    h.append(m);
  }
  return h;
}

}  // namespace

TEST(RunCurves, TakesAtMostAFramesWorthOfStepsPerUpdate) {
  const RunHistory h = curves_test_history(70000);
  RunCurves c;
  int frames = 0;
  while (c.behind(h)) {
    const std::size_t before = c.taken();
    const std::size_t taken = c.update(h, 100, false, 0.6f);
    EXPECT_LE(taken, kIngestPerFrame);
    EXPECT_EQ(c.taken(), before + taken);
    ++frames;
    ASSERT_LT(frames, 100);
  }
  EXPECT_EQ(frames, static_cast<int>((70000 + kIngestPerFrame - 1) / kIngestPerFrame));
  EXPECT_EQ(c.update(h, 100, false, 0.6f), 0u);  // nothing new: nothing taken
  EXPECT_EQ(c.loss.appended(), 70000);
  EXPECT_EQ(c.train_accuracy.appended(), 700);
}

TEST(RunCurves, EveryStepIsKeptExactlyUpToTheBound) {
  const RunHistory h = curves_test_history(3000);
  RunCurves c;
  c.update(h, 100, false, 0.6f);
  ASSERT_EQ(c.loss.size(), 3000);
  std::vector<double> losses;
  for (const gs::nn::StepMetrics& m : h.steps) losses.push_back(m.loss);
  const std::vector<double> smoothed = debiased_ema(losses, 0.6f);  // the slider's float, as the curves take it
  for (int i = 0; i < 3000; ++i) {
    EXPECT_EQ(c.loss.xs()[i], i + 1.0);
    EXPECT_EQ(c.loss.ys()[i], losses[static_cast<std::size_t>(i)]);
    EXPECT_EQ(c.smooth.ys()[i], smoothed[static_cast<std::size_t>(i)]);
    EXPECT_EQ(c.lr.xs()[i], static_cast<double>(i));  // the lr of step s holds over [s − 1, s)
  }
  ASSERT_EQ(c.layers.size(), 2u);
  EXPECT_EQ(c.train_accuracy.size(), 30);
  EXPECT_TRUE(c.any_test);
  EXPECT_LE(kMaxCurvePoints, 1 << 20);  // what "up to the bound" means for a picture
  EXPECT_GE(kMaxCurvePoints, 50000);    // a preset's whole run, and more, kept exactly
}

TEST(RunCurves, ALongRunKeepsBoundedCurvesWithTheirSpike) {
  const RunHistory h = curves_test_history(140000);
  RunCurves c;
  c.update(h, 100, false, 0.6f, h.steps.size());
  for (const gs::app::widgets::PlotBuffer* b : {&c.loss, &c.smooth, &c.lr, &c.grad, &c.layers[0], &c.layers[1]})
    EXPECT_LE(b->size(), kMaxCurvePoints);
  EXPECT_LT(c.loss.size(), 140000);
  // The spike at step 90 001 is drawn, and the curve ends at the last step.
  bool spike = false;
  for (int i = 0; i < c.loss.size(); ++i) spike |= c.loss.xs()[i] == 90001.0 && c.loss.ys()[i] == 40.0;
  EXPECT_TRUE(spike);
  EXPECT_EQ(c.loss.xs()[c.loss.size() - 1], 140000.0);
  EXPECT_EQ(c.lr.ys()[c.lr.size() - 1], 0.1 * std::pow(0.5, (140000 - 1) / 50000));
}

TEST(RunCurves, ANewSmoothingWeightOrXUnitStartsAgainFromTheFirstStep) {
  const RunHistory h = curves_test_history(500);
  RunCurves c;
  c.update(h, 100, false, 0.6f);
  c.update(h, 100, false, 0.9f);
  ASSERT_EQ(c.smooth.size(), 500);
  std::vector<double> losses;
  for (const gs::nn::StepMetrics& m : h.steps) losses.push_back(m.loss);
  EXPECT_EQ(c.smooth.ys()[499], debiased_ema(losses, 0.9f)[499]);
  c.update(h, 100, true, 0.9f);
  ASSERT_EQ(c.loss.size(), 500);
  EXPECT_DOUBLE_EQ(c.loss.xs()[499], 5.0);            // step 500 of 100 an epoch: the end of epoch 5
  EXPECT_DOUBLE_EQ(c.train_accuracy.xs()[0], 1.0);    // epoch 1's accuracy at its end
}

// Gradient norms of exactly 0 (saturated units, a hinge loss already met) cannot be drawn on the
// log axis: the curves count the steps per layer, and the plot says so in words, not "layer 1
// Linear(2,16): 99 ≤ 0 on a log axis not drawn".
TEST(RunCurves, ZeroGradientStepsAreCountedAndNamedInWords) {
  RunHistory h;
  for (int s = 1; s <= 10; ++s) {
    gs::nn::StepMetrics m;
    m.step = s;
    m.loss = 1;
    m.grad_norm = 1;
    m.layers = 3;
    m.layer_grad_norm[0] = s > 1 ? 0.0f : 0.5f;  // 9 steps 0
    m.layer_grad_norm[1] = 0.25f;
    m.layer_grad_norm[2] = s > 1 ? 0.0f : 0.5f;  // 9 steps 0
    h.append(m);
  }
  RunCurves c;
  c.update(h, 10, false, 0.6f);
  ASSERT_EQ(c.layer_zero_steps, (std::vector<std::int64_t>{9, 0, 9}));
  EXPECT_EQ(c.grad_zero_steps, 0);
  using gs::app::training::zero_gradient_note;
  namespace app = gs::app;
  app::set_language(app::Language::English);
  // Layers 1, 3 and 5 of the model are the ones with parameters (2 and 4 are tanh).
  EXPECT_EQ(zero_gradient_note({1, 3, 5}, c.layer_zero_steps), "layers 1 and 5: gradient exactly 0 in 9 steps — not drawable on a log axis (▼ at the bottom)");
  EXPECT_EQ(zero_gradient_note({1, 3, 5}, {4, 0, 0}), "layer 1: gradient exactly 0 in 4 steps — not drawable on a log axis (▼ at the bottom)");
  EXPECT_EQ(zero_gradient_note({1, 3, 5}, {4, 9, 2}).rfind("every layer: gradient exactly 0 in 2–9 steps", 0), 0u);
  EXPECT_EQ(zero_gradient_note({1, 3, 5, 7}, {4, 4, 4, 0}).rfind("layers 1, 3 and 5: ", 0), 0u);
  EXPECT_EQ(zero_gradient_note({1, 3, 5}, {0, 0, 0}), "");
  app::set_language(app::Language::Chinese);
  EXPECT_EQ(zero_gradient_note({1, 3, 5}, c.layer_zero_steps).rfind("第 1、5 层：梯度在 9 步中恰为 0", 0), 0u);
  app::set_language(app::Language::English);
}

// The accuracy markers of compared runs: nested sizes (each a visible ring beyond the next one's
// rim), never under the readable minimum, thinned to every k-th epoch where every epoch's would
// overlap, and none at all when that would leave fewer than one epoch in kMaxMarkEvery marked.
TEST(AccuracyMarks, NestReadableSizesAndThinOutWhereEpochsAreClose) {
  using gs::app::training::AccuracyMarks;
  using gs::app::training::accuracy_marks;
  const float rim = gs::app::widgets::kMarkerOutlinePx;
  const AccuracyMarks wide = accuracy_marks(3, 60.0f, 17.0f);
  ASSERT_EQ(wide.radii.size(), 3u);
  EXPECT_EQ(wide.every, 1);
  EXPECT_GE(wide.radii[2], 0.25f * 17.0f);
  for (int k = 0; k < 2; ++k) EXPECT_GE(wide.radii[k] - wide.radii[k + 1], rim + 1.0f) << k;
  EXPECT_LE(1.8f * (wide.radii[0] + rim), 60.0f);
  // 1024 × 768, ten epochs in 160 px: every second epoch, at the same sizes.
  const AccuracyMarks close = accuracy_marks(3, 16.0f, 17.0f);
  EXPECT_EQ(close.radii, wide.radii);
  EXPECT_EQ(close.every, 2);
  EXPECT_LE(1.8f * (close.radii[0] + rim), 16.0f * close.every);
  // Alone: one size, at least the minimum; a 13 px font keeps 3.5 px.
  const AccuracyMarks alone = accuracy_marks(1, 60.0f, 13.0f);
  ASSERT_EQ(alone.radii.size(), 1u);
  EXPECT_GE(alone.radii[0], 3.5f);
  // Four runs over 200 epochs in 400 px: too dense, the lines alone.
  EXPECT_TRUE(accuracy_marks(4, 2.0f, 17.0f).radii.empty());
  EXPECT_TRUE(accuracy_marks(0, 60.0f, 17.0f).radii.empty());
}

// The marked epochs end at the newest; a run with no epoch yet (a compared run still queued while
// another fills the x axis, so markers are thinned) marks none: it once indexed point −1.
TEST(AccuracyMarks, MarkedEpochsEndAtTheNewestAndNoneBeforeTheFirst) {
  using gs::app::training::marked_epochs;
  EXPECT_EQ(marked_epochs(10, 1), std::vector<int>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(marked_epochs(10, 2), std::vector<int>({1, 3, 5, 7, 9}));
  EXPECT_EQ(marked_epochs(10, 3), std::vector<int>({0, 3, 6, 9}));
  EXPECT_EQ(marked_epochs(1, 4), std::vector<int>({0}));
  EXPECT_TRUE(marked_epochs(0, 2).empty());
  EXPECT_TRUE(marked_epochs(0, 1).empty());
}
