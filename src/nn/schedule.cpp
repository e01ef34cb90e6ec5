// torch.optim.lr_scheduler 1.13, transcribed: each get_lr() below is torch's chainable form with
// its operations in torch's order (Python evaluates a*b/c as (a*b)/c, and IEEE doubles then agree
// bit for bit), each closed_form() is torch's _get_closed_form_lr (used only by SequentialLR's
// step(0)). This file is compiled with -ffp-contract=off so that no FMA changes a rounding.
// Depends on nlohmann-json and spec_reader.h; no tensors, no threads.
//
// [SECTION] base class (torch's _LRScheduler)
// [SECTION] the chainable schedules
// [SECTION] OneCycleLR, CosineAnnealingWarmRestarts, ReduceLROnPlateau
// [SECTION] SequentialLR, ChainedScheduler
// [SECTION] factory
#include "nn/schedule.h"

#include "nn/spec_reader.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace gs::nn {
namespace {

constexpr double kPi = std::numbers::pi;  // == Python's math.pi

// Python's a % b for b > 0 (the result takes the divisor's sign).
long long python_mod(long long a, long long b) {
  long long r = a % b;
  return r < 0 ? r + b : r;
}

// ============================================================================================
// [SECTION] base class (torch's _LRScheduler)
// ============================================================================================

class LrScheduler : public Scheduler {
 public:
  void step() override {
    ++step_count_;
    ++last_epoch_;
    group_->lr = get_lr();
  }
  // torch's step(epoch): jump to `epoch`, using the closed form where the schedule has one.
  virtual void step_to(int epoch) {
    ++step_count_;
    last_epoch_ = epoch;
    std::optional<double> closed = closed_form();
    group_->lr = closed ? *closed : get_lr();
  }
  // SequentialLR "undoes" the construction step of its members this way.
  void rewind_one() { --last_epoch_; }
  void initial_step() {
    step_count_ = 0;
    step();
  }

  nlohmann::json state() const override {
    nlohmann::json s = {{"last_epoch", last_epoch_}, {"step_count", step_count_}, {"base_lr", base_lr_}};
    extra_state(s);
    return s;
  }
  void load_state(const nlohmann::json& s) override {
    last_epoch_ = s.at("last_epoch").get<int>();
    step_count_ = s.at("step_count").get<int>();
    base_lr_ = s.at("base_lr").get<double>();
    load_extra_state(s);
  }

 protected:
  explicit LrScheduler(std::shared_ptr<LrGroup> group) : Scheduler(std::move(group)) {
    if (!group_->initial_lr) group_->initial_lr = group_->lr;  // group.setdefault('initial_lr', lr)
    base_lr_ = *group_->initial_lr;
  }
  virtual double get_lr() = 0;
  virtual std::optional<double> closed_form() const { return std::nullopt; }
  virtual void extra_state(nlohmann::json&) const {}
  virtual void load_extra_state(const nlohmann::json&) {}

  double lr_now() const { return group_->lr; }

  double base_lr_ = 0.0;
  int last_epoch_ = -1;
  int step_count_ = 0;
};

// ============================================================================================
// [SECTION] the chainable schedules
// ============================================================================================

// lr_e = lr₀ · γ^⌊e/s⌋ (seed 002), reached by multiplying by γ at every multiple of s.
class StepLr final : public LrScheduler {
 public:
  StepLr(std::shared_ptr<LrGroup> g, int step_size, double gamma)
      : LrScheduler(std::move(g)), step_size_(step_size), gamma_(gamma) {
    initial_step();
  }

 private:
  double get_lr() override {
    if (last_epoch_ == 0 || last_epoch_ % step_size_ != 0) return lr_now();
    return lr_now() * gamma_;
  }
  std::optional<double> closed_form() const override {
    return base_lr_ * std::pow(gamma_, static_cast<double>(last_epoch_ / step_size_));
  }
  int step_size_;
  double gamma_;
};

// lr_e = lr₀ · γ^j, j = milestones passed; a milestone listed twice decays twice (γ²).
class MultiStepLr final : public LrScheduler {
 public:
  MultiStepLr(std::shared_ptr<LrGroup> g, std::vector<int> milestones, double gamma)
      : LrScheduler(std::move(g)), milestones_(std::move(milestones)), gamma_(gamma) {
    std::sort(milestones_.begin(), milestones_.end());
    initial_step();
  }

 private:
  double get_lr() override {
    auto count = std::count(milestones_.begin(), milestones_.end(), last_epoch_);
    if (count == 0) return lr_now();
    return lr_now() * std::pow(gamma_, static_cast<double>(count));
  }
  std::optional<double> closed_form() const override {
    auto passed = std::upper_bound(milestones_.begin(), milestones_.end(), last_epoch_) - milestones_.begin();
    return base_lr_ * std::pow(gamma_, static_cast<double>(passed));
  }
  std::vector<int> milestones_;
  double gamma_;
};

// lr_e = lr₀ · γ^e (seed 002).
class ExponentialLr final : public LrScheduler {
 public:
  ExponentialLr(std::shared_ptr<LrGroup> g, double gamma) : LrScheduler(std::move(g)), gamma_(gamma) {
    initial_step();
  }

 private:
  double get_lr() override { return last_epoch_ == 0 ? lr_now() : lr_now() * gamma_; }
  std::optional<double> closed_form() const override {
    return base_lr_ * std::pow(gamma_, static_cast<double>(last_epoch_));
  }
  double gamma_;
};

// η_e = η_min + ½(η₀ − η_min)(1 + cos(π e / T)), in torch's recursive form (which keeps going past
// T: the curve climbs back up, with the (2k+1)T correction step).
class CosineLr final : public LrScheduler {
 public:
  CosineLr(std::shared_ptr<LrGroup> g, int t_max, double eta_min)
      : LrScheduler(std::move(g)), t_max_(t_max), eta_min_(eta_min) {
    initial_step();
  }

 private:
  double get_lr() override {
    const double e = last_epoch_, t = t_max_;
    if (last_epoch_ == 0) return lr_now();
    if (step_count_ == 1 && last_epoch_ > 0)
      return eta_min_ + (base_lr_ - eta_min_) * (1 + std::cos(e * kPi / t)) / 2;
    if (python_mod(last_epoch_ - 1 - t_max_, 2LL * t_max_) == 0)
      return lr_now() + (base_lr_ - eta_min_) * (1 - std::cos(kPi / t)) / 2;
    return (1 + std::cos(kPi * e / t)) / (1 + std::cos(kPi * (e - 1) / t)) * (lr_now() - eta_min_) + eta_min_;
  }
  std::optional<double> closed_form() const override {
    return eta_min_ + (base_lr_ - eta_min_) * (1 + std::cos(kPi * last_epoch_ / t_max_)) / 2;
  }
  int t_max_;
  double eta_min_;
};

// Factor moving linearly from start to end over T steps, applied as a ratio of consecutive factors.
class LinearLr final : public LrScheduler {
 public:
  LinearLr(std::shared_ptr<LrGroup> g, double start, double end, int total)
      : LrScheduler(std::move(g)), start_(start), end_(end), total_(total) {
    initial_step();
  }

 private:
  double get_lr() override {
    if (last_epoch_ == 0) return lr_now() * start_;
    if (last_epoch_ > total_) return lr_now();
    return lr_now() * (1. + (end_ - start_) / (total_ * start_ + (last_epoch_ - 1) * (end_ - start_)));
  }
  std::optional<double> closed_form() const override {
    return base_lr_ * (start_ + (end_ - start_) * std::min(total_, last_epoch_) / total_);
  }
  double start_, end_;
  int total_;
};

// lr · factor for the first T steps, then lr.
class ConstantLr final : public LrScheduler {
 public:
  ConstantLr(std::shared_ptr<LrGroup> g, double factor, int total)
      : LrScheduler(std::move(g)), factor_(factor), total_(total) {
    initial_step();
  }

 private:
  double get_lr() override {
    if (last_epoch_ == 0) return lr_now() * factor_;
    if (last_epoch_ != total_) return lr_now();
    return lr_now() * (1.0 / factor_);
  }
  std::optional<double> closed_form() const override {
    return base_lr_ * (factor_ + (last_epoch_ >= total_ ? 1.0 : 0.0) * (1 - factor_));
  }
  double factor_;
  int total_;
};

// lr₀ · (1 − min(e, T)/T)^p.
class PolynomialLr final : public LrScheduler {
 public:
  PolynomialLr(std::shared_ptr<LrGroup> g, int total, double power)
      : LrScheduler(std::move(g)), total_(total), power_(power) {
    initial_step();
  }

 private:
  double get_lr() override {
    if (last_epoch_ == 0 || last_epoch_ > total_) return lr_now();
    const double t = total_;
    double decay = std::pow((1.0 - last_epoch_ / t) / (1.0 - (last_epoch_ - 1) / t), power_);
    return lr_now() * decay;
  }
  std::optional<double> closed_form() const override {
    const double t = total_;
    return base_lr_ * std::pow(1.0 - std::min(total_, last_epoch_) / t, power_);
  }
  int total_;
  double power_;
};

// ============================================================================================
// [SECTION] OneCycleLR, CosineAnnealingWarmRestarts, ReduceLROnPlateau
// ============================================================================================

// 1cycle: lr rises from max_lr/div to max_lr over pct_start of the steps, then falls to
// initial/final_div (two phases, fastai's default) or mirrors the rise first (three phases). When
// cycle_momentum is set the momentum moves the opposite way (max_momentum → base_momentum → max).
class OneCycleLr final : public LrScheduler {
 public:
  struct Params {
    double max_lr;
    int total_steps;
    double pct_start, div_factor, final_div_factor, base_momentum, max_momentum;
    bool cosine, three_phase, cycle_momentum;
  };
  OneCycleLr(std::shared_ptr<LrGroup> g, const Params& p) : LrScheduler(prepare(g, p)), p_(p) {
    const double total = p.total_steps;
    if (p.three_phase) {
      phases_ = {{p.pct_start * total - 1, Key::Initial, Key::Max, Key::MaxMom, Key::BaseMom},
                 {2 * p.pct_start * total - 2, Key::Max, Key::Initial, Key::BaseMom, Key::MaxMom},
                 {total - 1, Key::Initial, Key::Min, Key::MaxMom, Key::MaxMom}};
    } else {
      phases_ = {{p.pct_start * total - 1, Key::Initial, Key::Max, Key::MaxMom, Key::BaseMom},
                 {total - 1, Key::Max, Key::Min, Key::BaseMom, Key::MaxMom}};
    }
    initial_step();
  }

 private:
  enum class Key { Initial, Max, Min, MaxMom, BaseMom };
  struct Phase {
    double end_step;
    Key start_lr, end_lr, start_momentum, end_momentum;
  };

  // torch sets these group keys before _LRScheduler.__init__ reads initial_lr.
  static std::shared_ptr<LrGroup> prepare(std::shared_ptr<LrGroup> g, const Params& p) {
    g->initial_lr = p.max_lr / p.div_factor;
    g->max_lr = p.max_lr;
    g->min_lr = *g->initial_lr / p.final_div_factor;
    if (p.cycle_momentum) {
      g->momentum = p.max_momentum;
      g->max_momentum = p.max_momentum;
      g->base_momentum = p.base_momentum;
    }
    return g;
  }
  double value(Key k) const {
    switch (k) {
      case Key::Initial: return *group_->initial_lr;
      case Key::Max: return group_->max_lr;
      case Key::Min: return group_->min_lr;
      case Key::MaxMom: return group_->max_momentum;
      case Key::BaseMom: return group_->base_momentum;
    }
    return 0.0;
  }
  double anneal(double start, double end, double pct) const {
    if (p_.cosine) {
      double cos_out = std::cos(kPi * pct) + 1;
      return end + (start - end) / 2.0 * cos_out;
    }
    return (end - start) * pct + start;
  }
  double get_lr() override {
    const int step_num = last_epoch_;
    if (step_num > p_.total_steps)
      throw InputError("onecycle: stepped " + std::to_string(step_num + 1) + " times, but total_steps is " +
                       std::to_string(p_.total_steps));
    double start_step = 0;
    double lr = 0, momentum = 0;
    for (std::size_t i = 0; i < phases_.size(); ++i) {
      const Phase& ph = phases_[i];
      if (step_num <= ph.end_step || i == phases_.size() - 1) {
        double pct = (step_num - start_step) / (ph.end_step - start_step);
        lr = anneal(value(ph.start_lr), value(ph.end_lr), pct);
        if (p_.cycle_momentum) momentum = anneal(value(ph.start_momentum), value(ph.end_momentum), pct);
        break;
      }
      start_step = ph.end_step;
    }
    if (p_.cycle_momentum) group_->momentum = momentum;
    return lr;
  }

  Params p_;
  std::vector<Phase> phases_;
};

// SGDR: η = η_min + ½(η₀ − η_min)(1 + cos(π T_cur / T_i)), T_cur restarting at 0 after T_i steps
// and T_i growing by T_mult at each restart.
class WarmRestartsLr final : public LrScheduler {
 public:
  WarmRestartsLr(std::shared_ptr<LrGroup> g, int t0, int t_mult, double eta_min)
      : LrScheduler(std::move(g)), t0_(t0), t_i_(t0), t_mult_(t_mult), eta_min_(eta_min), t_cur_(-1) {
    initial_step();
  }
  void step() override {
    if (last_epoch_ < 0) return step_to(0);
    t_cur_ = t_cur_ + 1;
    if (t_cur_ >= t_i_) {
      t_cur_ = t_cur_ - t_i_;
      t_i_ = t_i_ * t_mult_;
    }
    last_epoch_ = last_epoch_ + 1;
    group_->lr = get_lr();
  }
  void step_to(int epoch) override {
    if (epoch >= t0_) {
      if (t_mult_ == 1) {
        t_cur_ = epoch % t0_;
      } else {
        int n = static_cast<int>(std::log(static_cast<double>(epoch) / t0_ * (t_mult_ - 1) + 1) / std::log(t_mult_));
        long long power = 1;
        for (int i = 0; i < n; ++i) power *= t_mult_;
        t_cur_ = epoch - t0_ * static_cast<double>(power - 1) / (t_mult_ - 1);
        t_i_ = static_cast<int>(t0_ * power);
      }
    } else {
      t_i_ = t0_;
      t_cur_ = epoch;
    }
    last_epoch_ = epoch;
    group_->lr = get_lr();
  }

 private:
  double get_lr() override { return eta_min_ + (base_lr_ - eta_min_) * (1 + std::cos(kPi * t_cur_ / t_i_)) / 2; }
  void extra_state(nlohmann::json& s) const override {
    s["t_i"] = t_i_;
    s["t_cur"] = t_cur_;
  }
  void load_extra_state(const nlohmann::json& s) override {
    t_i_ = s.at("t_i").get<int>();
    t_cur_ = s.at("t_cur").get<double>();
  }
  int t0_, t_i_, t_mult_;
  double eta_min_;
  double t_cur_;
};

// Multiplies lr by `factor` once the metric has not improved for more than `patience` epochs.
// Unlike the others it takes no construction step and never touches initial_lr (as in torch).
class PlateauLr final : public Scheduler {
 public:
  struct Params {
    bool maximize, relative;
    double factor;
    int patience;
    double threshold;
    int cooldown;
    double min_lr, eps;
  };
  PlateauLr(std::shared_ptr<LrGroup> g, const Params& p) : Scheduler(std::move(g)), p_(p) { reset(); }

  bool needs_metric() const override { return true; }
  void step() override { throw std::logic_error("plateau: step() needs the metric"); }
  void step(double current) override {
    last_epoch_ += 1;
    if (is_better(current, best_)) {
      best_ = current;
      bad_epochs_ = 0;
    } else {
      bad_epochs_ += 1;
    }
    if (cooldown_counter_ > 0) {
      cooldown_counter_ -= 1;
      bad_epochs_ = 0;  // bad epochs during the cool-down do not count
    }
    if (bad_epochs_ > p_.patience) {
      double old_lr = group_->lr;
      double new_lr = std::max(old_lr * p_.factor, p_.min_lr);
      if (old_lr - new_lr > p_.eps) group_->lr = new_lr;
      cooldown_counter_ = p_.cooldown;
      bad_epochs_ = 0;
    }
  }

  nlohmann::json state() const override {
    nlohmann::json best = std::isinf(best_) ? nlohmann::json() : nlohmann::json(best_);
    return {{"last_epoch", last_epoch_}, {"best", best}, {"bad_epochs", bad_epochs_}, {"cooldown", cooldown_counter_}};
  }
  void load_state(const nlohmann::json& s) override {
    last_epoch_ = s.at("last_epoch").get<int>();
    best_ = s.at("best").is_null() ? worst() : s.at("best").get<double>();
    bad_epochs_ = s.at("bad_epochs").get<int>();
    cooldown_counter_ = s.at("cooldown").get<int>();
  }

 private:
  double worst() const {
    return p_.maximize ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  }
  void reset() {
    best_ = worst();
    cooldown_counter_ = 0;
    bad_epochs_ = 0;
  }
  bool is_better(double a, double best) const {
    if (!p_.maximize && p_.relative) return a < best * (1. - p_.threshold);
    if (!p_.maximize) return a < best - p_.threshold;
    if (p_.relative) return a > best * (p_.threshold + 1.);
    return a > best + p_.threshold;
  }
  Params p_;
  int last_epoch_ = 0;
  double best_ = 0.0;
  int bad_epochs_ = 0, cooldown_counter_ = 0;
};

// ============================================================================================
// [SECTION] SequentialLR, ChainedScheduler
// ============================================================================================

// Runs members[i] between milestones[i−1] and milestones[i]; at a milestone the member restarts
// from its epoch 0 (closed form), as torch's scheduler.step(0) does.
class SequentialLr final : public Scheduler {
 public:
  SequentialLr(std::shared_ptr<LrGroup> g, std::vector<std::unique_ptr<LrScheduler>> members,
               std::vector<int> milestones)
      : Scheduler(std::move(g)), members_(std::move(members)), milestones_(std::move(milestones)) {
    last_epoch_ = 0;
    group_->lr = *group_->initial_lr;  // reset to the initial value
    for (auto& m : members_) m->rewind_one();
    members_[0]->initial_step();
  }
  void step() override {
    last_epoch_ += 1;
    auto idx = std::upper_bound(milestones_.begin(), milestones_.end(), last_epoch_) - milestones_.begin();
    LrScheduler& member = *members_[idx];
    if (idx > 0 && milestones_[idx - 1] == last_epoch_)
      member.step_to(0);
    else
      member.step();
  }
  nlohmann::json state() const override {
    nlohmann::json members = nlohmann::json::array();
    for (const auto& m : members_) members.push_back(m->state());
    return {{"last_epoch", last_epoch_}, {"members", members}};
  }
  void load_state(const nlohmann::json& s) override {
    last_epoch_ = s.at("last_epoch").get<int>();
    for (std::size_t i = 0; i < members_.size(); ++i) members_[i]->load_state(s.at("members").at(i));
  }

 private:
  std::vector<std::unique_ptr<LrScheduler>> members_;
  std::vector<int> milestones_;
  int last_epoch_ = 0;
};

// Steps every member in turn on the same group: their chainable factors multiply.
class ChainedLr final : public Scheduler {
 public:
  ChainedLr(std::shared_ptr<LrGroup> g, std::vector<std::unique_ptr<Scheduler>> members)
      : Scheduler(std::move(g)), members_(std::move(members)) {}
  void step() override {
    for (auto& m : members_) m->step();
  }
  nlohmann::json state() const override {
    nlohmann::json members = nlohmann::json::array();
    for (const auto& m : members_) members.push_back(m->state());
    return {{"members", members}};
  }
  void load_state(const nlohmann::json& s) override {
    for (std::size_t i = 0; i < members_.size(); ++i) members_[i]->load_state(s.at("members").at(i));
  }

 private:
  std::vector<std::unique_ptr<Scheduler>> members_;
};

// ============================================================================================
// [SECTION] factory
// ============================================================================================

const std::vector<std::string> kScheduleNames = {"step",     "multistep", "exponential",   "cosine",
                                                 "linear",   "constant",  "polynomial",    "onecycle",
                                                 "warm-restarts", "plateau", "sequential", "chained"};

int as_int(long long v, SpecReader& r, const std::string& key) {
  if (v > std::numeric_limits<int>::max() || v < std::numeric_limits<int>::min()) r.fail(key, "is out of range");
  return static_cast<int>(v);
}

double factor_in_unit(SpecReader& r, const std::string& key, double fallback) {
  double f = r.number(key, fallback);
  if (!(f >= 0.0 && f <= 1.0)) r.fail(key, "must be between 0 and 1, got " + format_number(f));
  return f;
}

std::string name_of(const nlohmann::json& spec, const std::string& where) {
  if (!spec.is_object()) throw InputError(where + ": expected a JSON object, got " + spec.dump());
  auto it = spec.find("name");
  if (it == spec.end() || !it->is_string()) throw InputError(where + ": the schedule needs a \"name\"");
  std::string name = it->get<std::string>();
  if (std::find(kScheduleNames.begin(), kScheduleNames.end(), name) == kScheduleNames.end()) {
    std::string list;
    for (const auto& n : kScheduleNames) list += (list.empty() ? "" : ", ") + n;
    throw InputError(where + ": unknown schedule '" + name + "' (known: " + list + ")");
  }
  return name;
}

std::unique_ptr<Scheduler> build(const nlohmann::json& spec, const std::shared_ptr<LrGroup>& g,
                                 const ScheduleContext& ctx, const std::string& where);

std::unique_ptr<LrScheduler> build_basic(const std::string& name, SpecReader& r, const std::shared_ptr<LrGroup>& g,
                                         const ScheduleContext& ctx) {
  if (name == "step") {
    int s = as_int(r.positive_integer("step_size"), r, "step_size");
    double gamma = r.positive("gamma", 0.1);
    r.reject_unknown_keys({"name"});
    return std::make_unique<StepLr>(g, s, gamma);
  }
  if (name == "multistep") {
    std::vector<int> ms;
    for (long long m : r.integers("milestones")) {
      if (m < 0) r.fail("milestones", "must not be negative, got " + std::to_string(m));
      ms.push_back(as_int(m, r, "milestones"));
    }
    double gamma = r.positive("gamma", 0.1);
    r.reject_unknown_keys({"name"});
    return std::make_unique<MultiStepLr>(g, std::move(ms), gamma);
  }
  if (name == "exponential") {
    double gamma = r.positive("gamma");
    r.reject_unknown_keys({"name"});
    return std::make_unique<ExponentialLr>(g, gamma);
  }
  if (name == "cosine") {
    int t = as_int(r.positive_integer("t_max"), r, "t_max");
    double eta_min = r.non_negative("eta_min", 0.0);
    r.reject_unknown_keys({"name"});
    return std::make_unique<CosineLr>(g, t, eta_min);
  }
  if (name == "linear") {
    double start = factor_in_unit(r, "start_factor", 1.0 / 3);
    double end = factor_in_unit(r, "end_factor", 1.0);
    int total = as_int(r.positive_integer("total_iters", 5), r, "total_iters");
    if (start == 0.0) r.fail("start_factor", "must be > 0 (the chainable form divides by it)");
    r.reject_unknown_keys({"name"});
    return std::make_unique<LinearLr>(g, start, end, total);
  }
  if (name == "constant") {
    double factor = factor_in_unit(r, "factor", 1.0 / 3);
    int total = as_int(r.non_negative_integer("total_iters", 5), r, "total_iters");
    if (factor == 0.0) r.fail("factor", "must be > 0 (the chainable form divides by it)");
    r.reject_unknown_keys({"name"});
    return std::make_unique<ConstantLr>(g, factor, total);
  }
  if (name == "polynomial") {
    int total = as_int(r.positive_integer("total_iters", 5), r, "total_iters");
    double power = r.non_negative("power", 1.0);
    r.reject_unknown_keys({"name"});
    return std::make_unique<PolynomialLr>(g, total, power);
  }
  if (name == "onecycle") {
    OneCycleLr::Params p{};
    p.max_lr = r.positive("max_lr");
    long long total = ctx.total_steps;
    if (r.has("total_steps")) {
      total = r.positive_integer("total_steps");
    } else if (r.has("epochs") || r.has("steps_per_epoch")) {
      total = r.positive_integer("epochs") * r.positive_integer("steps_per_epoch");
    }
    if (total <= 0) r.fail("total_steps", "is missing (give total_steps, or epochs and steps_per_epoch)");
    p.total_steps = as_int(total, r, "total_steps");
    if (ctx.total_steps > p.total_steps + 1)
      r.fail("total_steps", "is " + std::to_string(p.total_steps) + " but the run takes " +
                                std::to_string(ctx.total_steps) + " steps");
    p.pct_start = factor_in_unit(r, "pct_start", 0.3);
    p.cosine = r.choice("anneal_strategy", {"cos", "linear"}, "cos") == "cos";
    p.cycle_momentum = r.boolean("cycle_momentum", true);
    p.base_momentum = r.non_negative("base_momentum", 0.85);
    p.max_momentum = r.non_negative("max_momentum", 0.95);
    p.div_factor = r.positive("div_factor", 25.0);
    p.final_div_factor = r.positive("final_div_factor", 1e4);
    p.three_phase = r.boolean("three_phase", false);
    r.reject_unknown_keys({"name"});
    return std::make_unique<OneCycleLr>(g, p);
  }
  if (name == "warm-restarts") {
    int t0 = as_int(r.positive_integer("t_0"), r, "t_0");
    int t_mult = as_int(r.positive_integer("t_mult", 1), r, "t_mult");
    double eta_min = r.non_negative("eta_min", 0.0);
    r.reject_unknown_keys({"name"});
    return std::make_unique<WarmRestartsLr>(g, t0, t_mult, eta_min);
  }
  return nullptr;
}

std::unique_ptr<Scheduler> build(const nlohmann::json& spec, const std::shared_ptr<LrGroup>& g,
                                 const ScheduleContext& ctx, const std::string& where) {
  std::string name = name_of(spec, where);
  SpecReader r(spec, where == "schedule" ? name : where + " (" + name + ")");
  if (auto basic = build_basic(name, r, g, ctx)) return basic;

  if (name == "plateau") {
    PlateauLr::Params p{};
    p.maximize = r.choice("mode", {"min", "max"}, "min") == "max";
    p.factor = r.positive("factor", 0.1);
    if (p.factor >= 1.0) r.fail("factor", "must be < 1, got " + format_number(p.factor));
    p.patience = as_int(r.non_negative_integer("patience", 10), r, "patience");
    p.threshold = r.non_negative("threshold", 1e-4);
    p.relative = r.choice("threshold_mode", {"rel", "abs"}, "rel") == "rel";
    p.cooldown = as_int(r.non_negative_integer("cooldown", 0), r, "cooldown");
    p.min_lr = r.non_negative("min_lr", 0.0);
    p.eps = r.non_negative("eps", 1e-8);
    r.reject_unknown_keys({"name"});
    return std::make_unique<PlateauLr>(g, p);
  }

  const nlohmann::json& members = r.raw("schedulers");
  if (!members.is_array() || members.empty()) r.fail("schedulers", "must be a non-empty list of schedules");
  if (name == "sequential") {
    std::vector<int> milestones;
    for (long long m : r.integers("milestones")) {
      if (m <= 0) r.fail("milestones", "must be positive, got " + std::to_string(m));
      if (!milestones.empty() && m < milestones.back()) r.fail("milestones", "must be in increasing order");
      milestones.push_back(as_int(m, r, "milestones"));
    }
    r.reject_unknown_keys({"name"});
    if (milestones.size() + 1 != members.size())
      r.fail("milestones", "must number one fewer than the schedulers (" + std::to_string(members.size()) +
                               " schedulers, " + std::to_string(milestones.size()) + " milestones)");
    std::vector<std::unique_ptr<LrScheduler>> built;
    for (std::size_t i = 0; i < members.size(); ++i) {
      std::string w = r.where() + " member " + std::to_string(i + 1);
      std::string member_name = name_of(members[i], w);
      SpecReader mr(members[i], w + " (" + member_name + ")");
      auto m = build_basic(member_name, mr, g, ctx);
      if (!m) throw InputError(w + ": '" + member_name + "' cannot run inside sequential (it has no epoch-0 restart)");
      built.push_back(std::move(m));
    }
    return std::make_unique<SequentialLr>(g, std::move(built), std::move(milestones));
  }
  // chained
  r.reject_unknown_keys({"name"});
  std::vector<std::unique_ptr<Scheduler>> built;
  for (std::size_t i = 0; i < members.size(); ++i) {
    std::string w = r.where() + " member " + std::to_string(i + 1);
    auto m = build(members[i], g, ctx, w);
    if (m->needs_metric()) throw InputError(w + ": plateau cannot be chained (it needs a metric)");
    built.push_back(std::move(m));
  }
  return std::make_unique<ChainedLr>(g, std::move(built));
}

}  // namespace

std::unique_ptr<Scheduler> make_scheduler(const nlohmann::json& spec, std::shared_ptr<LrGroup> group,
                                          const ScheduleContext& context) {
  if (!(group->lr >= 0) || !std::isfinite(group->lr))
    throw InputError("schedule: the learning rate must be >= 0, got " + format_number(group->lr));
  return build(spec, group, context, "schedule");
}

void validate_schedule(const nlohmann::json& spec, const ScheduleContext& context) {
  auto group = std::make_shared<LrGroup>();
  group->lr = 1.0;
  make_scheduler(spec, group, context);
}

std::vector<double> schedule_values(const nlohmann::json& spec, double lr, int steps,
                                    const std::vector<double>& metrics) {
  if (steps < 0) throw InputError("schedule: the number of epochs must be >= 0, got " + std::to_string(steps));
  auto group = std::make_shared<LrGroup>();
  group->lr = lr;
  auto scheduler = make_scheduler(spec, group, {steps});
  if (scheduler->needs_metric() && steps > 1 && metrics.size() < static_cast<std::size_t>(steps - 1))
    throw InputError("plateau: needs a metric for each epoch but the last (" + std::to_string(steps - 1) +
                     " values), got " + std::to_string(metrics.size()));
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(steps));
  for (int e = 0; e < steps; ++e) {
    out.push_back(scheduler->lr());
    if (e + 1 == steps) break;
    if (scheduler->needs_metric())
      scheduler->step(metrics[static_cast<std::size_t>(e)]);
    else
      scheduler->step();
  }
  return out;
}

const std::vector<std::string>& schedule_names() { return kScheduleNames; }

}  // namespace gs::nn
