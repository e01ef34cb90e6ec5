// Hooks into schedule.cpp's transcriptions of torch for the pitfall curves (schedule_pitfalls.cpp),
// which must show what torch really does when a schedule is misused. Not for the front ends: they
// call schedule_pitfalls.h. Depends on schedule.h.
#pragma once

#include "nn/schedule.h"

#include <optional>
#include <vector>

namespace gs::nn::detail {

// What torch's scheduler.get_lr() returns when called between steps (outside step(), where
// get_last_lr() belongs), at each of `steps` steps: the chainable formula applied once more to the
// current lr. nullopt for SequentialLR and ChainedScheduler (torch 1.13 raises
// NotImplementedError) and ReduceLROnPlateau (it has no get_lr).
std::optional<std::vector<double>> get_lr_readings(const ScheduleSpec& spec, double lr, int steps);

// The values of a multistep or sequential spec run with `milestones` in place of its own, compared
// with the integer step as torch compares them (Counter lookup, bisect_right, ==): a milestone that
// is not a whole number never matches.
std::vector<double> values_with_milestones(const ScheduleSpec& spec, const std::vector<double>& milestones,
                                           double lr, int steps);

}  // namespace gs::nn::detail
