// TensorBoard's debiased EMA (smoothing.h). No ImGui.
#include "app/training/smoothing.h"

#include <algorithm>
#include <cmath>

namespace gs::app::training {

namespace {

double debiased(double last, double weight, std::size_t k) {
  return weight == 1 ? last : last / (1 - std::pow(weight, static_cast<double>(k)));
}

}  // namespace

std::vector<double> debiased_ema(const std::vector<double>& ys, double weight) {
  // TensorBoard: `isConstant = data.every(d => d.scalar == data[0].scalar)` (NaN is never equal).
  const bool constant = std::all_of(ys.begin(), ys.end(), [&](double y) { return y == ys.front(); });
  std::vector<double> out;
  out.reserve(ys.size());
  double last = 0;
  std::size_t k = 0;
  for (double y : ys) {
    if (constant || !std::isfinite(y)) {
      out.push_back(y);
      continue;
    }
    last = last * weight + (1 - weight) * y;
    out.push_back(debiased(last, weight, ++k));
  }
  return out;
}

double DebiasedEma::push(double y) {
  restarted_ = false;
  ++count_;
  if (count_ == 1) first_ = y;
  const bool was_constant = constant_;
  constant_ = constant_ && y == first_;
  if (!std::isfinite(y)) return y;
  last_ = last_ * weight_ + (1 - weight_) * y;
  ++finite_;
  if (constant_) return y;
  // The values before this one were passed through as a constant series; now they are smoothed.
  restarted_ = was_constant && count_ > 1;
  return debiased(last_, weight_, finite_);
}

void DebiasedEma::reset() { *this = DebiasedEma(weight_); }

}  // namespace gs::app::training
