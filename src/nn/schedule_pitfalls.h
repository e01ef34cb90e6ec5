// The schedule lab's pitfalls: five ways torch code commonly gets its learning rate wrong, each
// computed from the torch transcriptions in schedule.cpp (never drawn by hand) and returned as the
// wrong curve plus one line saying what happened, in English and Chinese. The lab draws the curve
// dashed beside the right one. Which pitfall applies to which schedule (torch 1.13):
//
//   pitfall                 applies to                                         does not apply to
//   step-before-optimizer   every schedule but plateau                         plateau (needs the epoch's metric)
//   per-batch-milestones    the epoch-counted ones (all but those below)       onecycle, cyclic (meant per batch), plateau
//   float-milestones        multistep, sequential                              the rest (no milestones)
//   repeated-milestone      multistep                                          the rest
//   get-lr                  step, multistep, exponential, cosine, linear,      lambda, cyclic, onecycle, warm-restarts (their
//                           constant, polynomial, multiplicative                get_lr() is a closed form: no difference),
//                                                                               sequential, chained (NotImplementedError), plateau
//
// Depends on schedule.h and schedule_internal.h; no threads.
#pragma once

#include "nn/schedule.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gs::nn {

enum class Pitfall : std::uint8_t {
  StepBeforeOptimizer,  // scheduler.step() called before optimizer.step(): the first value is skipped
  PerBatchMilestones,   // stepped every batch although its steps were written in epochs
  FloatMilestones,      // milestones computed as floats (0.3 * epochs): a non-whole one never fires
  RepeatedMilestone,    // a milestone listed twice: MultiStepLR decays twice there (γ²)
  GetLr,                // logging scheduler.get_lr() instead of get_last_lr(): the γ² dip
  kCount
};

struct PitfallInfo {
  Pitfall id;
  std::string key;              // "step-before-optimizer": the CLI's --pitfall and the lab's saved lists
  std::string title, title_zh;  // a toggle's label
  std::string code;             // the mistake in torch code, one line
};
const std::array<PitfallInfo, static_cast<std::size_t>(Pitfall::kCount)>& pitfall_table();
const PitfallInfo* find_pitfall(std::string_view key);  // nullptr when unknown

struct PitfallOptions {
  int batches_per_epoch = 10;  // per-batch-milestones: scheduler steps per epoch (≥ 1)
  // float-milestones: each milestone written as fraction · epochs; empty: milestone / epochs of
  // the spec's own milestones (30 of 100 → 0.3 · 100). Python's float product is used as is.
  std::vector<double> milestone_fractions;
  // repeated-milestone: the milestone listed twice; none: the middle one of the spec's.
  std::optional<long long> repeated_milestone;
  std::vector<double> metrics;  // plateau's metric, when the spec (or a member) is plateau
};

struct PitfallCurve {
  bool applies = false;  // false: `explanation` says why not, and the series are empty
  // The wrong curve: x in epochs (fractional for per-batch-milestones: batch k of epoch e is at
  // e + k/batches_per_epoch), y the learning rate the optimizer uses there.
  std::vector<double> x, y;
  std::vector<double> correct;  // the right learning rate of epochs 0 … epochs − 1
  std::string explanation, explanation_zh;  // one line, with the numbers of this spec
};

// The wrong curve of `pitfall` for `spec` at initial `lr` over `epochs` epochs. Throws InputError
// for a bad spec, lr or option (the same messages as the CLI); a pitfall that does not apply to the
// spec is not an error (applies = false).
PitfallCurve pitfall_curve(Pitfall pitfall, const nlohmann::json& spec, double lr, int epochs,
                           const PitfallOptions& options = {});

// Whether `pitfall` can apply to the schedule `name` (the table above); pitfall_curve may still
// find that a particular spec shows no difference and say so.
bool pitfall_applies_to(Pitfall pitfall, std::string_view name);

}  // namespace gs::nn
