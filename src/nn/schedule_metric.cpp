// The synthetic validation loss: progress t advances 4/epochs per ordinary epoch and slips back by
// a twentieth of that inside a plateau (the loss stalls and creeps up: no new best for the plateau
// schedule to see); the loss is floor + (start − floor)·e^(−t), times (1 + noise·N(0, 1)).
// Depends on rng.h only.
#include "nn/schedule_metric.h"

#include "nn/errors.h"
#include "nn/rng.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace gs::nn {

std::vector<double> synthetic_validation_loss(int epochs, std::uint64_t seed, const ValidationLossOptions& o) {
  if (epochs < 0 || epochs > 1000000)
    throw InputError("validation loss: epochs must be between 0 and 1000000, got " + std::to_string(epochs));
  if (!(o.start > o.floor) || !(o.floor > 0) || !std::isfinite(o.start))
    throw InputError("validation loss: start must be above floor, and floor above 0");
  Rng rng(seed);
  std::vector<bool> flat(static_cast<std::size_t>(epochs), false);
  // One plateau in each of `plateaus` equal parts of the middle 80 % of the run, so they never merge.
  const int parts = std::max(0, o.plateaus);
  const double part = parts > 0 ? 0.8 * epochs / parts : 0.0;
  for (int p = 0; p < parts && part >= 4; ++p) {
    const int room = static_cast<int>(part);
    const int length = std::clamp(static_cast<int>(std::lround(o.plateau_length * rng.uniform(0.6, 1.4))), 2,
                                  std::max(2, room * 4 / 5));
    const int first = static_cast<int>(0.1 * epochs + p * part) +
                      static_cast<int>(rng.below(static_cast<std::uint64_t>(std::max(1, room - length))));
    for (int e = first; e < std::min(epochs, first + length); ++e) flat[static_cast<std::size_t>(e)] = true;
  }
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(epochs));
  const double speed = epochs > 0 ? 4.0 / epochs : 0.0;
  double t = 0;
  for (int e = 0; e < epochs; ++e) {
    const double clean = o.floor + (o.start - o.floor) * std::exp(-t);
    const double noisy = clean * (1 + o.noise * std::clamp(rng.normal(), -3.0, 3.0));
    out.push_back(std::max(noisy, o.floor * 0.9));
    t += flat[static_cast<std::size_t>(e)] ? -speed * 0.05 : speed;
  }
  return out;
}

}  // namespace gs::nn
