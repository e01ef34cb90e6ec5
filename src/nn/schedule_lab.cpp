// The schedule lab's numbers for one list entry. Markers come from the spec where the spec says
// when an event happens (step sizes, milestones, periods, cycle lengths, warm-up lengths) and from
// the values where only the run knows (plateau's reductions, OneCycleLR's peak). SequentialLR's
// members are marked within their own stretch of the run, shifted to where they start.
// Depends on schedule.h, schedule_spec.h, schedule_metric.h, spec_reader.h (number format).
#include "nn/schedule_lab.h"

#include "nn/schedule_metric.h"
#include "nn/spec_reader.h"

#include <algorithm>
#include <cmath>

namespace gs::nn {
namespace {

struct Window {
  int begin = 0, end = 0;  // global epochs [begin, end) the schedule is in force
  int offset = 0;          // global epoch of the schedule's own step 0
};

void add(std::vector<ScheduleMarker>& out, const Window& w, long long local, MarkerKind kind, std::string label) {
  const long long global = w.offset + local;
  if (global < w.begin || global >= w.end) return;
  out.push_back({static_cast<int>(global), kind, std::move(label)});
}

std::string times(double factor) { return "×" + format_number(factor); }

void mark(const ScheduleSpec& s, const std::vector<double>& lr, const Window& w, std::vector<ScheduleMarker>& out) {
  const nlohmann::json& v = s.values;
  const int span = w.end - w.offset;  // local steps that can fall inside the window
  if (s.name == "step") {
    const long long size = v.at("step_size").get<long long>();
    const double gamma = v.value("gamma", 0.1);
    for (long long e = size; e < span; e += size) add(out, w, e, MarkerKind::Decay, times(gamma));
  } else if (s.name == "multistep") {
    std::vector<long long> ms = v.at("milestones").get<std::vector<long long>>();
    std::sort(ms.begin(), ms.end());
    const double gamma = v.value("gamma", 0.1);
    for (std::size_t i = 0; i < ms.size();) {
      std::size_t j = i;
      while (j < ms.size() && ms[j] == ms[i]) ++j;
      add(out, w, ms[i], MarkerKind::Decay, times(std::pow(gamma, static_cast<double>(j - i))));
      i = j;
    }
  } else if (s.name == "linear" || s.name == "constant" || s.name == "polynomial") {
    const long long total = v.value("total_iters", 5LL);
    if (total > 0) add(out, w, total, MarkerKind::WarmupEnd, "total_iters=" + std::to_string(total));
  } else if (s.name == "warm-restarts") {
    long long period = v.at("t_0").get<long long>(), at = period;
    const long long mult = v.value("t_mult", 1LL);
    while (at < span) {
      period *= mult;
      add(out, w, at, MarkerKind::Restart, "T_i=" + std::to_string(period));
      at += period;
    }
  } else if (s.name == "cyclic") {
    const long long up = v.value("step_size_up", 2000LL);
    const long long down = v.contains("step_size_down") ? v["step_size_down"].get<long long>() : up;
    for (long long start = 0, cycle = 1; start < span; start += up + down, ++cycle) {
      if (cycle > 1) add(out, w, start, MarkerKind::Restart, "cycle " + std::to_string(cycle));
      const long long peak = start + up;
      if (w.offset + peak < w.end && w.offset + peak < static_cast<long long>(lr.size()))
        add(out, w, peak, MarkerKind::Peak, format_number(lr[static_cast<std::size_t>(w.offset + peak)]));
    }
  } else if (s.name == "onecycle") {
    if (w.begin < w.end) {
      auto first = lr.begin() + w.begin, last = lr.begin() + std::min<long long>(w.end, lr.size());
      auto peak = std::max_element(first, last);
      if (peak != last) add(out, w, (peak - lr.begin()) - w.offset, MarkerKind::Peak, format_number(*peak));
    }
  } else if (s.name == "plateau") {
    const double factor = v.value("factor", 0.1);
    for (int e = std::max(w.begin, 1); e < w.end && e < static_cast<int>(lr.size()); ++e)
      if (lr[static_cast<std::size_t>(e)] < lr[static_cast<std::size_t>(e - 1)])
        add(out, w, e - w.offset, MarkerKind::Decay, times(factor));
  } else if (s.name == "sequential") {
    std::vector<long long> ms = v.at("milestones").get<std::vector<long long>>();
    // Member i's step 0 falls on its milestone (step(0) there); after a milestone at 0 the next
    // member's own first step comes at epoch 1.
    std::vector<int> starts = {w.offset};
    for (long long m : ms) starts.push_back(w.offset + static_cast<int>(std::max(m, 1LL)));
    for (std::size_t i = 0; i < s.members.size(); ++i) {
      Window mw{std::max(w.begin, starts[i]), w.end, starts[i]};
      if (i + 1 < starts.size()) mw.end = std::min(w.end, starts[i + 1]);
      if (i > 0 && mw.begin < mw.end)
        add(out, {w.begin, w.end, 0}, starts[i], MarkerKind::Switch, s.members[i].info().torch_class);
      if (mw.begin < mw.end) mark(s.members[i], lr, mw, out);
    }
  } else if (s.name == "chained") {
    for (const ScheduleSpec& m : s.members) mark(m, lr, w, out);
  }
  // exponential, cosine, lambda, multiplicative: change every step, nothing to mark.
}

}  // namespace

const char* marker_kind_name(MarkerKind kind) {
  switch (kind) {
    case MarkerKind::Decay: return "decay";
    case MarkerKind::Restart: return "restart";
    case MarkerKind::Switch: return "switch";
    case MarkerKind::Peak: return "peak";
    case MarkerKind::WarmupEnd: return "warmup-end";
  }
  return "?";
}

std::vector<ScheduleMarker> schedule_markers(const nlohmann::json& spec, const std::vector<double>& lr) {
  ScheduleSpec s = check_schedule_spec(spec);
  std::vector<ScheduleMarker> out;
  mark(s, lr, {0, static_cast<int>(lr.size()), 0}, out);
  std::stable_sort(out.begin(), out.end(), [](const ScheduleMarker& a, const ScheduleMarker& b) { return a.epoch < b.epoch; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const ScheduleMarker& a, const ScheduleMarker& b) {
                          return a.epoch == b.epoch && a.kind == b.kind && a.label == b.label;
                        }),
            out.end());
  return out;
}

ScheduleEntryCurves schedule_entry_curves(const ScheduleListEntry& entry, double lr, int epochs) {
  ScheduleEntryCurves c;
  if (entry.spec.is_object() && entry.spec.value("name", "") == "plateau")
    c.metrics = entry.metrics.empty() ? synthetic_validation_loss(epochs, entry.metric_seed) : entry.metrics;
  c.series = schedule_series(entry.spec, lr, epochs, c.metrics);
  c.markers = schedule_markers(entry.spec, c.series.lr);
  c.label = entry.label.empty() ? describe_schedule(entry.spec) : entry.label;
  return c;
}

}  // namespace gs::nn
