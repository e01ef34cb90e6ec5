// One run's curves (run_curves.h): history records into bounded PlotBuffers, a frame's worth at a
// time. The only computation is TensorBoard's smoothing of the loss.
#include "app/training/run_curves.h"

#include <algorithm>
#include <cmath>

namespace gs::app::training {

RunCurves::RunCurves() {
  for (widgets::PlotBuffer* b : {&loss, &smooth, &lr, &grad, &train_accuracy, &test_accuracy}) b->set_max_points(kMaxCurvePoints);
}

void RunCurves::reset(const RunHistory& h, bool x_in_epochs, float smoothing) {
  for (widgets::PlotBuffer* b : {&loss, &smooth, &lr, &grad, &train_accuracy, &test_accuracy}) b->clear();
  layers.clear();
  layer_zero_steps.clear();
  grad_zero_steps = 0;
  any_test = false;
  taken_ = 0;
  cut_ = h.cut;
  epochs_ = x_in_epochs;
  smoothing_ = smoothing;
  ema_ = DebiasedEma(smoothing);
}

std::size_t RunCurves::update(const RunHistory& h, std::int64_t batches_per_epoch, bool x_in_epochs, float smoothing,
                              std::size_t limit) {
  if (epochs_ != x_in_epochs || smoothing_ != smoothing || taken_ > h.steps.size() || cut_ != h.cut) reset(h, x_in_epochs, smoothing);
  const double per_epoch = static_cast<double>(std::max<std::int64_t>(batches_per_epoch, 1));
  // x of step s (1-based): s in steps, s / batches-per-epoch in epochs (epoch 1.0 = the end of the
  // first epoch). The lr of step s holds over [s − 1, s).
  const auto x_of = [&](double step) { return x_in_epochs ? step / per_epoch : step; };
  const std::size_t end = h.steps.size() - taken_ > limit ? taken_ + limit : h.steps.size();
  const std::size_t first = taken_;
  for (; taken_ < end; ++taken_) {
    const nn::StepMetrics& m = h.steps[taken_];
    const double x = x_of(static_cast<double>(m.step));
    loss.append(x, m.loss);
    const double s = ema_.push(m.loss);
    if (ema_.restarted()) {
      // The series had been constant so far (passed through): smoothed from the start now.
      smooth.clear();
      std::vector<double> raw;
      raw.reserve(taken_ + 1);
      for (std::size_t i = 0; i <= taken_; ++i) raw.push_back(h.steps[i].loss);
      const std::vector<double> all = debiased_ema(raw, smoothing);
      for (std::size_t i = 0; i < all.size(); ++i) smooth.append(x_of(static_cast<double>(h.steps[i].step)), all[i]);
    } else {
      smooth.append(x, s);
    }
    lr.append(x_of(static_cast<double>(m.step - 1)), m.lr);
    grad.append(x, m.grad_norm);
    grad_zero_steps += m.grad_norm == 0;
    while (static_cast<int>(layers.size()) < m.layers) {
      layers.emplace_back().set_max_points(kMaxCurvePoints);
      layer_zero_steps.push_back(0);
    }
    for (int k = 0; k < m.layers; ++k) {
      const std::size_t i = static_cast<std::size_t>(k);
      layers[i].append(x, m.layer_grad_norm[i]);
      layer_zero_steps[i] += m.layer_grad_norm[i] == 0;
    }
    if (!std::isnan(m.train_accuracy)) {
      const double ex = x_in_epochs ? m.epoch + 1.0 : static_cast<double>(m.step);
      train_accuracy.append(ex, m.train_accuracy);
      test_accuracy.append(ex, m.test_accuracy);
      any_test |= !std::isnan(m.test_accuracy);
    }
  }
  return taken_ - first;
}

}  // namespace gs::app::training
