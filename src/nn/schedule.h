// Learning-rate schedules equal, value for value, to torch.optim.lr_scheduler 1.13: the same
// chainable recurrences (not only the closed forms), the same start-up step at construction, the
// same composition rules for SequentialLR and ChainedScheduler. One implementation serves the
// trainer, `gradscope-cli schedule` and the schedule views. Depends on nlohmann-json only (specs
// and checkpoint state); no tensors, no threads.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gs::nn {

// The optimizer's parameter group as torch's schedulers see it: schedulers read and write `lr`
// (chainable forms multiply the current value) and remember `initial_lr` (their base_lr).
// OneCycleLR also cycles the momentum (SGD's momentum or Adam's β1) and keeps its own bounds here.
struct LrGroup {
  double lr = 0.0;
  std::optional<double> initial_lr;  // torch's group['initial_lr'], set by the first scheduler
  std::optional<double> momentum;    // set by OneCycleLR when it cycles momentum
  double max_lr = 0.0, min_lr = 0.0, max_momentum = 0.0, base_momentum = 0.0;  // OneCycleLR
};

// A schedule attached to one LrGroup. Construction performs torch's initial step, so lr() is the
// learning rate of epoch (or batch) 0 right away; step() moves to the next one.
class Scheduler {
 public:
  virtual ~Scheduler() = default;
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Advance one epoch (or batch). A schedule that needs a metric (plateau) throws std::logic_error.
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

// Where a schedule's length-dependent defaults come from (OneCycleLR's total_steps when the spec
// gives none): the number of scheduler steps the run will take.
struct ScheduleContext {
  int total_steps = 0;
};

// Builds a schedule from its JSON spec, e.g. {"name": "step", "step_size": 30, "gamma": 0.1}.
// Names: step, multistep, exponential, cosine, linear, constant, polynomial, onecycle,
// warm-restarts, plateau, sequential ({"schedulers": [...], "milestones": [...]}), chained
// ({"schedulers": [...]}). Every parameter is checked; a bad one throws InputError naming the
// schedule and the key ("step: step_size must be a positive integer, got 0").
std::unique_ptr<Scheduler> make_scheduler(const nlohmann::json& spec, std::shared_ptr<LrGroup> group,
                                          const ScheduleContext& context = {});

// Checks a spec without keeping the schedule (the config checker and the CLI call it first).
void validate_schedule(const nlohmann::json& spec, const ScheduleContext& context = {});

// The learning rate in force during each of `steps` epochs, starting from `lr`: value e is lr()
// after e calls of step(). `metrics` feeds ReduceLROnPlateau (metrics[e] is reported after epoch
// e); it must then hold at least steps − 1 values.
std::vector<double> schedule_values(const nlohmann::json& spec, double lr, int steps,
                                    const std::vector<double>& metrics = {});

// The names make_scheduler knows, in the order the CLI lists them.
const std::vector<std::string>& schedule_names();

}  // namespace gs::nn
