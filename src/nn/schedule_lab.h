// What the schedule lab shows for one entry of its list, computed here so that the page only draws:
// the learning rate per epoch, the momentum where the schedule cycles it, plateau's metric curve
// (given, or generated from the entry's seed), the epochs to mark on the plot (milestones,
// restarts, switches, peaks), and the legend's label. Depends on schedule.h, schedule_spec.h and
// schedule_metric.h; no ImGui, no threads.
#pragma once

#include "nn/schedule.h"
#include "nn/schedule_spec.h"

#include <cstdint>
#include <string>
#include <vector>

namespace gs::nn {

enum class MarkerKind : std::uint8_t {
  Decay,      // a milestone or step: the lr is multiplied by γ (label "×0.1")
  Restart,    // warm restarts, a new cycle of CyclicLR (label "T=20" or "cycle 2")
  Switch,     // SequentialLR hands over to its next schedule (label: the schedule's torch class)
  Peak,       // OneCycleLR's and CyclicLR's maximum (label: the lr)
  WarmupEnd,  // LinearLR / ConstantLR / PolynomialLR reach total_iters (label "total_iters=5")
};

// "decay", "restart", "switch", "peak", "warmup-end" (JSON and the frame record).
const char* marker_kind_name(MarkerKind kind);

struct ScheduleMarker {
  int epoch = 0;  // the first epoch with the new value
  MarkerKind kind = MarkerKind::Decay;
  std::string label;  // numbers and torch's names only: the same in every language
};

// The markers of `spec` within epochs 0 … epochs − 1, in epoch order. `lr` is the series the spec
// gives (schedule_values), used where an event is seen in the values (plateau's reductions,
// warm restarts, OneCycleLR's peak). Throws InputError for a bad spec.
std::vector<ScheduleMarker> schedule_markers(const nlohmann::json& spec, const std::vector<double>& lr);

struct ScheduleEntryCurves {
  ScheduleSeries series;               // lr and (if cycled) momentum, one value per epoch
  std::vector<double> metrics;         // plateau: the metric the schedule read (empty otherwise)
  std::vector<ScheduleMarker> markers;
  std::string label;                   // the entry's label, or describe_schedule(spec)
};

// Everything the lab draws for `entry` at initial `lr` over `epochs` epochs; equal, value for value,
// to `gradscope-cli schedule` for the same spec (plateau: the same --metrics or --metric-seed).
// Throws InputError (ScheduleParamError for a parameter) with the CLI's message, so that the lab
// can keep the last good curve and show why beside the field.
ScheduleEntryCurves schedule_entry_curves(const ScheduleListEntry& entry, double lr, int epochs);

}  // namespace gs::nn
