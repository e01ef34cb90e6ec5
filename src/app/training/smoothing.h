// TensorBoard's scalar smoothing: a debiased exponential moving average, so that the first points
// are not pulled towards zero (TensorBoard's vz_line_chart, "smoothingWeight"). Used for the loss
// curve only: a learning rate is never smoothed (its staircase is the point). No ImGui.
#pragma once

#include <cstddef>
#include <vector>

namespace gs::app::training {

// The smoothed series of `ys` with weight w in [0, 1):
//   last ← w·last + (1 − w)·y (over the finite values only, last = 0 at first),
//   smoothed = last / (1 − w^k) after k finite values.
// Non-finite values are passed through unsmoothed (they stay visible as gaps), and a constant
// series is returned as it is, as TensorBoard does.
std::vector<double> debiased_ema(const std::vector<double>& ys, double weight);

// The same, one value at a time (a live curve): push(y) returns the smoothed value of y. It keeps
// TensorBoard's rule for a series that has been constant so far (its values pass through); when
// the first different value arrives, `restarted()` says the earlier smoothed values changed, and
// the caller takes them again from debiased_ema().
class DebiasedEma {
 public:
  explicit DebiasedEma(double weight = 0.6) : weight_(weight) {}
  double weight() const { return weight_; }
  double push(double y);
  bool restarted() const { return restarted_; }
  void reset();

 private:
  double weight_;
  double last_ = 0, first_ = 0;
  std::size_t count_ = 0, finite_ = 0;
  bool constant_ = true, restarted_ = false;
};

}  // namespace gs::app::training
