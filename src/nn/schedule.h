// Learning-rate schedules equal, value for value, to torch.optim.lr_scheduler 1.13: the same
// chainable recurrences (not only the closed forms), the same start-up step at construction, the
// same composition rules for SequentialLR and ChainedScheduler, and the same edge cases (where
// torch returns values we return them; where torch raises we throw InputError at the same step).
// One implementation serves the trainer, `gradscope-cli schedule` and the schedule lab. The
// parameters of every schedule are listed in schedule_params.h. Depends on nlohmann-json and the
// engine's expression evaluator (LambdaLR's factor); no tensors, no threads.
#pragma once

#include "nn/schedule_params.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gs::nn {

// The optimizer's parameter group as torch's schedulers see it: schedulers read and write `lr`
// (chainable forms multiply the current value) and remember `initial_lr` (their base_lr).
// OneCycleLR and CyclicLR also cycle the momentum (SGD's momentum; OneCycleLR also Adam's β1);
// OneCycleLR keeps its own bounds here as torch keeps them in the group.
struct LrGroup {
  double lr = 0.0;
  std::optional<double> initial_lr;  // torch's group['initial_lr'], set by the first scheduler
  std::optional<double> momentum;    // set by a schedule that cycles the momentum
  double max_lr = 0.0, min_lr = 0.0, max_momentum = 0.0, base_momentum = 0.0;  // OneCycleLR
};

// A schedule attached to one LrGroup. Construction performs torch's initial step, so lr() is the
// learning rate of step 0 right away; step() moves to the next one. A step is an epoch or a batch,
// as the caller steps it (the trainer's "schedule_step").
class Scheduler {
 public:
  virtual ~Scheduler() = default;
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Advance one step. A schedule that needs a metric (plateau) throws std::logic_error. Throws
  // InputError where torch raises (a division by zero in the recurrence, a LambdaLR factor that
  // is NaN, OneCycleLR stepped past total_steps).
  virtual void step() = 0;
  // ReduceLROnPlateau's step(metrics); other schedules ignore the value and step().
  virtual void step(double metric) { step(); }
  virtual bool needs_metric() const { return false; }

  double lr() const { return group_->lr; }
  const LrGroup& group() const { return *group_; }

  // Everything needed to resume (epoch counters, plateau state, the group): for checkpoints.
  virtual nlohmann::json state() const = 0;
  virtual void load_state(const nlohmann::json& state) = 0;

 protected:
  explicit Scheduler(std::shared_ptr<LrGroup> group) : group_(std::move(group)) {}
  std::shared_ptr<LrGroup> group_;
};

// What a schedule may need to know about the run it is part of.
struct ScheduleContext {
  // The number of steps the run takes (values 0 … total_steps − 1): OneCycleLR's total_steps
  // when the spec gives none, and how far parse_schedule runs the schedule to check it.
  int total_steps = 0;
  // False for Adam and AdamW: torch 1.13's CyclicLR refuses to cycle the momentum of an optimizer
  // without a `momentum` setting (OneCycleLR cycles Adam's β1 instead).
  bool optimizer_has_momentum = true;
};

// Reads and checks a spec once: every value against schedule_params.h's table, the rules between
// parameters, and — when context.total_steps > 0 — every step of the run, so that a problem torch
// would raise at step k (a LambdaLR factor that is NaN at epoch k, a division by zero) is reported
// now. Throws InputError (ScheduleParamError for a parameter: "step: step_size must be a positive
// integer, got 0").
ScheduleSpec parse_schedule(const nlohmann::json& spec, const ScheduleContext& context = {});

// Builds a checked spec's schedule on `group` (group.lr is the optimizer's lr, >= 0).
std::unique_ptr<Scheduler> make_scheduler(const ScheduleSpec& spec, std::shared_ptr<LrGroup> group,
                                          const ScheduleContext& context = {});
// parse_schedule then make_scheduler. Names and parameters: schedule_params.h
// ({"name": "step", "step_size": 30, "gamma": 0.1}; sequential: {"schedulers": [...],
// "milestones": [...]}; chained: {"schedulers": [...]}).
std::unique_ptr<Scheduler> make_scheduler(const nlohmann::json& spec, std::shared_ptr<LrGroup> group,
                                          const ScheduleContext& context = {});

// Checks a spec without keeping the schedule (the config checker and the CLI call it first).
void validate_schedule(const nlohmann::json& spec, const ScheduleContext& context = {});

// The learning rate in force during each of `steps` steps, starting from `lr`: value e is lr()
// after e calls of step(). `metrics` feeds ReduceLROnPlateau (metrics[e] is reported after step
// e); it must then hold at least steps − 1 values.
std::vector<double> schedule_values(const nlohmann::json& spec, double lr, int steps,
                                    const std::vector<double>& metrics = {});

// The learning rate and, where the schedule cycles it (OneCycleLR, CyclicLR with
// cycle_momentum), the momentum in force during each of `steps` steps. The momentum series is
// empty for schedules that leave the optimizer's momentum alone.
// At most kMaxScheduleSteps steps (a long run stepped per batch: 1000 epochs of 10000 batches).
inline constexpr int kMaxScheduleSteps = 10000000;
struct ScheduleSeries {
  std::vector<double> lr;
  std::vector<double> momentum;
};
ScheduleSeries schedule_series(const nlohmann::json& spec, double lr, int steps,
                               const std::vector<double>& metrics = {});

// The names make_scheduler knows, in the order the CLI lists them (schedule_table()'s order).
const std::vector<std::string>& schedule_names();

}  // namespace gs::nn
