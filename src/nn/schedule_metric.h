// A plausible validation-loss curve for ReduceLROnPlateau in the schedule lab and in
// `gradscope-cli schedule plateau --metric-seed N`: it falls quickly, then slowly towards a floor,
// with stretches (plateaus) of some twenty epochs where it stalls and creeps up a little, as a
// validation loss does when the lr is too high for the next step down, so that a patience-based
// schedule cuts the lr there; and a little noise. Seeded: the same seed gives the same curve on every machine (nn's own Rng, no
// std:: distributions). An explicit curve needs no generator: pass it as `metrics`.
// Depends on rng.h only.
#pragma once

#include <cstdint>
#include <vector>

namespace gs::nn {

struct ValidationLossOptions {
  double start = 2.3;       // the loss at epoch 0 (ln 10: ten classes at chance)
  double floor = 0.25;      // the loss it approaches and never goes below
  int plateaus = 3;         // stalls, one placed at random in each third of the middle 80 % of the run
  int plateau_length = 20;  // their mean length in epochs
  double noise = 0.005;     // relative noise of each value
};

// One value per epoch, epochs ≥ 0 (at most 10^6). Every value is finite and > floor · 0.9.
std::vector<double> synthetic_validation_loss(int epochs, std::uint64_t seed, const ValidationLossOptions& options = {});

}  // namespace gs::nn
