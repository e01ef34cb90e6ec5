// One run's curves on the Training page, as the plot widget draws them: the loss raw and smoothed
// (TensorBoard's debiased EMA), the learning rate in force, the global and per-layer gradient
// norms per step, the train and test accuracy per epoch. Built from the run's history a frame's
// worth at a time, into bounded PlotBuffers, so that a run of millions of steps costs a frame what
// a run of thousands does. No GL, no training state: it reads a RunHistory only.
#pragma once

#include "app/training/run.h"
#include "app/training/smoothing.h"
#include "app/widgets/plot.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace gs::app::training {

// Points kept per curve: every step up to this many (the frame record's loss then equals the
// CLI's --metrics step for step); beyond, each curve keeps the extremes of buckets of 4^k steps
// (PlotBuffer's bounded mode: every spike stays).
inline constexpr int kMaxCurvePoints = 1 << 16;
// History records taken into the curves per frame (per run). Above the fastest preset's steps per
// frame at the slowest live frame rate (spiral: ~70 000 steps/s at 4 frames/s); a backlog (a new
// smoothing weight over a long run, the x unit changed) is taken over the next frames.
inline constexpr std::size_t kIngestPerFrame = 1 << 15;

class RunCurves {
 public:
  RunCurves();

  // Takes up to `limit` more records of `history` into the curves. Starts again from the first
  // record when the x unit or the smoothing weight changed, or the history was cut (going back
  // after the sentinel). x of step s (1-based): s, or s / batches_per_epoch in epochs. Returns
  // the records taken.
  std::size_t update(const RunHistory& history, std::int64_t batches_per_epoch, bool x_in_epochs, float smoothing,
                     std::size_t limit = kIngestPerFrame);
  std::size_t taken() const { return taken_; }
  // Records of `history` not in the curves yet.
  bool behind(const RunHistory& history) const { return taken_ < history.steps.size(); }

  widgets::PlotBuffer loss, smooth, lr, grad;        // per step
  std::vector<widgets::PlotBuffer> layers;           // per layer with parameters, per step
  widgets::PlotBuffer train_accuracy, test_accuracy; // per epoch (x: the epoch's last step, or its end in epochs)
  bool any_test = false;                             // some test accuracy is a number
  // Steps whose gradient norm was exactly 0, per layer and global: a log axis cannot draw them
  // (the view says so in words).
  std::vector<std::int64_t> layer_zero_steps;
  std::int64_t grad_zero_steps = 0;

 private:
  void reset(const RunHistory& history, bool x_in_epochs, float smoothing);

  std::size_t taken_ = 0;
  int cut_ = -1;
  bool epochs_ = false;
  float smoothing_ = -1;
  DebiasedEma ema_{0.6};
};

}  // namespace gs::app::training
