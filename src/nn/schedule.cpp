// torch.optim.lr_scheduler 1.13, transcribed: each get_lr() below is torch's chainable form with
// its operations in torch's order (Python evaluates a*b/c as (a*b)/c, and IEEE doubles then agree
// bit for bit), each closed_form() is torch's _get_closed_form_lr (used only by SequentialLR's
// step(0)). Where Python raises ZeroDivisionError, py_div throws InputError at the same step. This
// file is compiled with -ffp-contract=off so that no FMA changes a rounding.
// Depends on schedule_params.h (the table, ParamArgs), schedule_factor.h and nlohmann-json.
//
// [SECTION] base class (torch's _LRScheduler)
// [SECTION] the chainable schedules
// [SECTION] LambdaLR, MultiplicativeLR, CyclicLR
// [SECTION] OneCycleLR, CosineAnnealingWarmRestarts, ReduceLROnPlateau
// [SECTION] SequentialLR, ChainedScheduler
// [SECTION] building from a checked spec
// [SECTION] public entry points
#include "nn/schedule.h"

#include "nn/schedule_factor.h"
#include "nn/schedule_internal.h"
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

// Where a schedule reports what torch would raise: its name in messages and whether it is the
// spec's own schedule (the CLI then names the flag) or a member.
struct Origin {
  std::string where;
  bool top_level = true;
};

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
  // scheduler.get_lr() called from outside step(): the recurrence applied to the current state
  // once more, without storing the result (torch only warns).
  virtual double peek_get_lr() { return get_lr(); }

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
  LrScheduler(std::shared_ptr<LrGroup> group, Origin origin) : Scheduler(std::move(group)), origin_(std::move(origin)) {
    if (!group_->initial_lr) group_->initial_lr = group_->lr;  // group.setdefault('initial_lr', lr)
    base_lr_ = *group_->initial_lr;
  }
  virtual double get_lr() = 0;
  virtual std::optional<double> closed_form() const { return std::nullopt; }
  virtual void extra_state(nlohmann::json&) const {}
  virtual void load_extra_state(const nlohmann::json&) {}

  double lr_now() const { return group_->lr; }

  // a / b where Python would raise ZeroDivisionError for b == 0; `why` says which division.
  double py_div(double a, double b, const std::string& key, const std::string& why) const {
    if (b == 0.0)
      throw ScheduleParamError(origin_.where, key,
                               "makes torch divide by zero at step " + std::to_string(last_epoch_) + " (" + why +
                                   "): torch raises ZeroDivisionError",
                               origin_.top_level);
    return a / b;
  }

  Origin origin_;
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
  StepLr(std::shared_ptr<LrGroup> g, Origin o, int step_size, double gamma)
      : LrScheduler(std::move(g), std::move(o)), step_size_(step_size), gamma_(gamma) {
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

// lr_e = lr₀ · γ^j, j = milestones passed; a milestone listed twice decays twice (γ²). torch keeps
// the milestones in a Counter and looks the integer step up in it: a milestone that is not a whole
// number (a float such as 0.7 * 90 = 62.99999999999999) never matches, so it is kept as a double.
class MultiStepLr final : public LrScheduler {
 public:
  MultiStepLr(std::shared_ptr<LrGroup> g, Origin o, std::vector<double> milestones, double gamma)
      : LrScheduler(std::move(g), std::move(o)), milestones_(std::move(milestones)), gamma_(gamma) {
    std::sort(milestones_.begin(), milestones_.end());
    initial_step();
  }

 private:
  double get_lr() override {
    const double e = last_epoch_;
    auto count = std::count(milestones_.begin(), milestones_.end(), e);
    if (count == 0) return lr_now();
    return lr_now() * std::pow(gamma_, static_cast<double>(count));
  }
  std::optional<double> closed_form() const override {
    const double e = last_epoch_;
    auto passed = std::upper_bound(milestones_.begin(), milestones_.end(), e) - milestones_.begin();
    return base_lr_ * std::pow(gamma_, static_cast<double>(passed));
  }
  std::vector<double> milestones_;
  double gamma_;
};

// lr_e = lr₀ · γ^e (seed 002).
class ExponentialLr final : public LrScheduler {
 public:
  ExponentialLr(std::shared_ptr<LrGroup> g, Origin o, double gamma) : LrScheduler(std::move(g), std::move(o)), gamma_(gamma) {
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
  CosineLr(std::shared_ptr<LrGroup> g, Origin o, int t_max, double eta_min)
      : LrScheduler(std::move(g), std::move(o)), t_max_(t_max), eta_min_(eta_min) {
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
// total_iters = 0 gives start_factor at step 0 and the lr after, as in torch.
class LinearLr final : public LrScheduler {
 public:
  LinearLr(std::shared_ptr<LrGroup> g, Origin o, double start, double end, int total)
      : LrScheduler(std::move(g), std::move(o)), start_(start), end_(end), total_(total) {
    initial_step();
  }

 private:
  double get_lr() override {
    if (last_epoch_ == 0) return lr_now() * start_;
    if (last_epoch_ > total_) return lr_now();
    const double denominator = total_ * start_ + (last_epoch_ - 1) * (end_ - start_);
    return lr_now() * (1. + py_div(end_ - start_, denominator, "start_factor",
                                   "the step from factor 0 has no ratio"));
  }
  std::optional<double> closed_form() const override {
    const double moved = (end_ - start_) * std::min(total_, last_epoch_);
    return base_lr_ * (start_ + py_div(moved, total_, "total_iters", "restarting inside sequential divides by total_iters"));
  }
  double start_, end_;
  int total_;
};

// lr · factor for the first T steps, then lr.
class ConstantLr final : public LrScheduler {
 public:
  ConstantLr(std::shared_ptr<LrGroup> g, Origin o, double factor, int total)
      : LrScheduler(std::move(g), std::move(o)), factor_(factor), total_(total) {
    initial_step();
  }

 private:
  double get_lr() override {
    if (last_epoch_ == 0) return lr_now() * factor_;
    if (last_epoch_ != total_) return lr_now();
    return lr_now() * py_div(1.0, factor_, "factor", "at total_iters the lr is multiplied by 1/factor");
  }
  std::optional<double> closed_form() const override {
    return base_lr_ * (factor_ + (last_epoch_ >= total_ ? 1.0 : 0.0) * (1 - factor_));
  }
  double factor_;
  int total_;
};

// lr₀ · (1 − min(e, T)/T)^p. total_iters = 0 keeps the lr, as in torch.
class PolynomialLr final : public LrScheduler {
 public:
  PolynomialLr(std::shared_ptr<LrGroup> g, Origin o, int total, double power)
      : LrScheduler(std::move(g), std::move(o)), total_(total), power_(power) {
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
    const double done = py_div(std::min(total_, last_epoch_), t, "total_iters",
                               "restarting inside sequential divides by total_iters");
    return base_lr_ * std::pow(1.0 - done, power_);
  }
  int total_;
  double power_;
};

// ============================================================================================
// [SECTION] LambdaLR, MultiplicativeLR, CyclicLR
// ============================================================================================

// lr_e = lr₀ · f(e), f typed by the user as an expression in epoch.
class LambdaLr final : public LrScheduler {
 public:
  LambdaLr(std::shared_ptr<LrGroup> g, Origin o, EpochFunction f)
      : LrScheduler(std::move(g), std::move(o)), f_(std::move(f)) {
    initial_step();
  }

 private:
  double get_lr() override { return base_lr_ * f_(last_epoch_); }
  EpochFunction f_;
};

// lr_e = lr_{e−1} · f(e) for e > 0 (f(0) is never evaluated, as in torch).
class MultiplicativeLr final : public LrScheduler {
 public:
  MultiplicativeLr(std::shared_ptr<LrGroup> g, Origin o, EpochFunction f)
      : LrScheduler(std::move(g), std::move(o)), f_(std::move(f)) {
    initial_step();
  }

 private:
  double get_lr() override { return last_epoch_ > 0 ? lr_now() * f_(last_epoch_) : lr_now(); }
  EpochFunction f_;
};

// Smith's cyclical learning rates: a triangle between base_lr and max_lr, step_size_up steps up
// and step_size_down down; triangular2 halves the amplitude every cycle, exp_range multiplies it
// by γ^step. The momentum moves the other way, from max_momentum down to base_momentum at the
// lr's peak. torch replaces the group's lr by base_lr at construction, but its initial step still
// reads the group's initial_lr as base (a CyclicLR built after another scheduler starts there).
class CyclicLr final : public LrScheduler {
 public:
  enum class Mode { Triangular, Triangular2, ExpRange };
  struct Params {
    double base_lr, max_lr;
    double step_size_up, step_size_down;
    Mode mode;
    double gamma;
    bool cycle_momentum;
    double base_momentum, max_momentum;
  };
  CyclicLr(std::shared_ptr<LrGroup> g, Origin o, const Params& p)
      : LrScheduler(prepare(std::move(g), p), std::move(o)), p_(p) {
    total_size_ = p.step_size_up + p.step_size_down;
    step_ratio_ = p.step_size_up / total_size_;
    initial_step();
    base_lr_ = p.base_lr;  // self.base_lrs = base_lrs, after super().__init__
  }

 private:
  static std::shared_ptr<LrGroup> prepare(std::shared_ptr<LrGroup> g, const Params& p) {
    g->lr = p.base_lr;
    if (p.cycle_momentum) g->momentum = p.base_momentum;
    return g;
  }
  double scale(double cycle) const {
    switch (p_.mode) {
      case Mode::Triangular: return 1.;
      case Mode::Triangular2: return 1 / std::pow(2., cycle - 1);
      case Mode::ExpRange: return std::pow(p_.gamma, static_cast<double>(last_epoch_));
    }
    return 1.;
  }
  double get_lr() override {
    const double cycle = std::floor(1 + last_epoch_ / total_size_);
    const double x = 1. + last_epoch_ / total_size_ - cycle;
    const double scale_factor = x <= step_ratio_ ? x / step_ratio_ : (x - 1) / (step_ratio_ - 1);
    const double s = scale(cycle);  // 'cycle' scale mode for the triangles, 'iterations' for exp_range
    const double base_height = (p_.max_lr - base_lr_) * scale_factor;
    const double lr = base_lr_ + base_height * s;
    if (p_.cycle_momentum) {
      const double momentum_height = (p_.max_momentum - p_.base_momentum) * scale_factor;
      group_->momentum = p_.max_momentum - momentum_height * s;
    }
    return lr;
  }
  Params p_;
  double total_size_ = 0, step_ratio_ = 0;
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
  OneCycleLr(std::shared_ptr<LrGroup> g, Origin o, const Params& p)
      : LrScheduler(prepare(std::move(g), p), std::move(o)), p_(p) {
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
      throw ScheduleParamError(origin_.where, "total_steps",
                               "is " + std::to_string(p_.total_steps) + " but the schedule was stepped " +
                                   std::to_string(step_num + 1) + " times (torch raises ValueError)",
                               origin_.top_level);
    double start_step = 0;
    double lr = 0, momentum = 0;
    for (std::size_t i = 0; i < phases_.size(); ++i) {
      const Phase& ph = phases_[i];
      if (step_num <= ph.end_step || i == phases_.size() - 1) {
        double pct = py_div(step_num - start_step, ph.end_step - start_step, "pct_start",
                            "phase " + std::to_string(i + 1) + " has no length");
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
  WarmRestartsLr(std::shared_ptr<LrGroup> g, Origin o, int t0, int t_mult, double eta_min)
      : LrScheduler(std::move(g), std::move(o)), t0_(t0), t_i_(t0), t_mult_(t_mult), eta_min_(eta_min), t_cur_(-1) {
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
// from its step 0 (closed form), as torch's scheduler.step(0) does. A milestone at 0 hands step 1
// to the second member's own step 0 (torch's bisect_right); milestones are doubles so that the
// float-milestone pitfall compares them as torch does (a non-whole one never equals the step).
class SequentialLr final : public Scheduler {
 public:
  SequentialLr(std::shared_ptr<LrGroup> g, std::vector<std::unique_ptr<LrScheduler>> members,
               std::vector<double> milestones)
      : Scheduler(std::move(g)), members_(std::move(members)), milestones_(std::move(milestones)) {
    last_epoch_ = 0;
    group_->lr = *group_->initial_lr;  // reset to the initial value
    for (auto& m : members_) m->rewind_one();
    members_[0]->initial_step();
  }
  void step() override {
    last_epoch_ += 1;
    const double e = last_epoch_;
    auto idx = std::upper_bound(milestones_.begin(), milestones_.end(), e) - milestones_.begin();
    LrScheduler& member = *members_[idx];
    if (idx > 0 && milestones_[idx - 1] == e)
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
  std::vector<double> milestones_;
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
// [SECTION] building from a checked spec
// ============================================================================================

struct BuildOptions {
  const std::vector<double>* milestones = nullptr;  // replaces multistep's or sequential's (pitfalls)
};

std::vector<double> as_doubles(const std::vector<long long>& v) { return {v.begin(), v.end()}; }

// Every schedule but plateau, sequential and chained: the ones SequentialLR can restart.
std::unique_ptr<LrScheduler> build_member(const ScheduleSpec& s, const std::shared_ptr<LrGroup>& g,
                                          const ScheduleContext& ctx, const BuildOptions& opt) {
  ParamArgs a(s);
  Origin o{s.where, s.top_level};
  std::unique_ptr<LrScheduler> out;
  if (s.name == "step") {
    out = std::make_unique<StepLr>(g, o, static_cast<int>(a.integer("step_size")), a.number("gamma"));
  } else if (s.name == "multistep") {
    std::vector<double> ms = opt.milestones ? *opt.milestones : as_doubles(a.integers("milestones"));
    if (opt.milestones) a.has("milestones");
    out = std::make_unique<MultiStepLr>(g, o, std::move(ms), a.number("gamma"));
  } else if (s.name == "exponential") {
    out = std::make_unique<ExponentialLr>(g, o, a.number("gamma"));
  } else if (s.name == "cosine") {
    out = std::make_unique<CosineLr>(g, o, static_cast<int>(a.integer("t_max")), a.number("eta_min"));
  } else if (s.name == "linear") {
    double start = a.number("start_factor"), end = a.number("end_factor");
    out = std::make_unique<LinearLr>(g, o, start, end, static_cast<int>(a.integer("total_iters")));
  } else if (s.name == "constant") {
    double factor = a.number("factor");
    out = std::make_unique<ConstantLr>(g, o, factor, static_cast<int>(a.integer("total_iters")));
  } else if (s.name == "polynomial") {
    int total = static_cast<int>(a.integer("total_iters"));
    out = std::make_unique<PolynomialLr>(g, o, total, a.number("power"));
  } else if (s.name == "onecycle") {
    OneCycleLr::Params p{};
    p.max_lr = a.number("max_lr");
    const bool has_total = a.has("total_steps"), has_epochs = a.has("epochs"), has_per = a.has("steps_per_epoch");
    long long total = ctx.total_steps;
    if (has_total) {
      total = a.integer("total_steps");
    } else if (has_epochs || has_per) {
      if (!has_epochs) a.fail("epochs", "is missing (give it with steps_per_epoch, or give total_steps)");
      if (!has_per) a.fail("steps_per_epoch", "is missing (give it with epochs, or give total_steps)");
      total = a.integer("epochs") * a.integer("steps_per_epoch");
      if (total > std::numeric_limits<int>::max()) a.fail("steps_per_epoch", "gives too many steps");
    }
    if (total <= 0) a.fail("total_steps", "is missing (give total_steps, or epochs and steps_per_epoch)");
    p.total_steps = static_cast<int>(total);
    if (ctx.total_steps > p.total_steps + 1)
      a.fail("total_steps", "is " + std::to_string(p.total_steps) + " but the run takes " +
                                std::to_string(ctx.total_steps) + " steps");
    p.pct_start = a.number("pct_start");
    p.cosine = a.text("anneal_strategy") == "cos";
    p.cycle_momentum = a.boolean("cycle_momentum");
    p.base_momentum = a.number("base_momentum");
    p.max_momentum = a.number("max_momentum");
    p.div_factor = a.number("div_factor");
    p.final_div_factor = a.number("final_div_factor");
    p.three_phase = a.boolean("three_phase");
    out = std::make_unique<OneCycleLr>(g, o, p);
  } else if (s.name == "warm-restarts") {
    int t0 = static_cast<int>(a.integer("t_0")), t_mult = static_cast<int>(a.integer("t_mult"));
    out = std::make_unique<WarmRestartsLr>(g, o, t0, t_mult, a.number("eta_min"));
  } else if (s.name == "cyclic") {
    CyclicLr::Params p{};
    p.base_lr = a.number("base_lr");
    p.max_lr = a.number("max_lr");
    p.step_size_up = static_cast<double>(a.integer("step_size_up"));
    p.step_size_down = a.has("step_size_down") ? static_cast<double>(a.integer("step_size_down")) : p.step_size_up;
    const std::string mode = a.text("mode");
    p.mode = mode == "triangular" ? CyclicLr::Mode::Triangular
             : mode == "triangular2" ? CyclicLr::Mode::Triangular2 : CyclicLr::Mode::ExpRange;
    p.gamma = a.number("gamma");
    p.cycle_momentum = a.boolean("cycle_momentum");
    p.base_momentum = a.number("base_momentum");
    p.max_momentum = a.number("max_momentum");
    if (p.cycle_momentum && !ctx.optimizer_has_momentum)
      a.fail("cycle_momentum", "needs an optimizer with momentum (SGD): torch 1.13's CyclicLR cannot cycle "
                               "Adam's betas (set cycle_momentum to false)");
    out = std::make_unique<CyclicLr>(g, o, p);
  } else if (s.name == "lambda" || s.name == "multiplicative") {
    EpochFunction f(a.text("factor"), s.where, "factor", s.top_level);
    if (s.name == "lambda")
      out = std::make_unique<LambdaLr>(g, o, std::move(f));
    else
      out = std::make_unique<MultiplicativeLr>(g, o, std::move(f));
  } else {
    return nullptr;
  }
  a.finish();
  return out;
}

std::unique_ptr<Scheduler> build(const ScheduleSpec& s, const std::shared_ptr<LrGroup>& g, const ScheduleContext& ctx,
                                 const BuildOptions& opt) {
  if (auto member = build_member(s, g, ctx, opt)) return member;
  ParamArgs a(s);
  if (s.name == "plateau") {
    PlateauLr::Params p{};
    p.maximize = a.text("mode") == "max";
    p.factor = a.number("factor");
    p.patience = static_cast<int>(a.integer("patience"));
    p.threshold = a.number("threshold");
    p.relative = a.text("threshold_mode") == "rel";
    p.cooldown = static_cast<int>(a.integer("cooldown"));
    p.min_lr = a.number("min_lr");
    p.eps = a.number("eps");
    a.finish();
    return std::make_unique<PlateauLr>(g, p);
  }
  a.has("schedulers");
  if (s.name == "sequential") {
    std::vector<double> milestones;
    if (opt.milestones) {
      a.has("milestones");
      milestones = *opt.milestones;
    } else {
      for (long long m : a.integers("milestones")) {
        if (!milestones.empty() && m < milestones.back())
          a.fail("milestones", "must not decrease (torch's bisect needs them in order), got " + std::to_string(m) +
                                   " after " + format_number(milestones.back()));
        milestones.push_back(static_cast<double>(m));
      }
    }
    if (milestones.size() + 1 != s.members.size())
      a.fail("milestones", "must number one fewer than the schedulers (" + std::to_string(s.members.size()) +
                               " schedulers, " + std::to_string(milestones.size()) + " milestones)");
    a.finish();
    std::vector<std::unique_ptr<LrScheduler>> built;
    for (const ScheduleSpec& m : s.members) {
      auto member = build_member(m, g, ctx, {});
      if (!member)
        throw InputError(m.where + ": '" + m.name + "' cannot run inside sequential (torch restarts members with "
                                   "step(0), which it does not have)");
      built.push_back(std::move(member));
    }
    return std::make_unique<SequentialLr>(g, std::move(built), std::move(milestones));
  }
  if (s.name == "chained") {
    a.finish();
    std::vector<std::unique_ptr<Scheduler>> built;
    for (const ScheduleSpec& m : s.members) {
      auto member = build(m, g, ctx, {});
      if (member->needs_metric()) throw InputError(m.where + ": plateau cannot be chained (it needs a metric)");
      built.push_back(std::move(member));
    }
    return std::make_unique<ChainedLr>(g, std::move(built));
  }
  throw std::logic_error("schedule.cpp has no builder for '" + s.name + "' (schedule_params.cpp lists it)");
}

std::shared_ptr<LrGroup> new_group(double lr) {
  if (!(lr >= 0) || !std::isfinite(lr))
    throw InputError("schedule: the learning rate must be >= 0, got " + format_number(lr));
  auto group = std::make_shared<LrGroup>();
  group->lr = lr;
  return group;
}

}  // namespace

// ============================================================================================
// [SECTION] public entry points
// ============================================================================================

ScheduleSpec parse_schedule(const nlohmann::json& spec, const ScheduleContext& context) {
  ScheduleSpec checked = check_schedule_spec(spec);
  auto scheduler = build(checked, new_group(1.0), context, {});
  // Run it: what torch raises at step k (a division by zero, a NaN factor) is an error now.
  if (!scheduler->needs_metric())
    for (int e = 1; e < context.total_steps; ++e) scheduler->step();
  return checked;
}

std::unique_ptr<Scheduler> make_scheduler(const ScheduleSpec& spec, std::shared_ptr<LrGroup> group,
                                          const ScheduleContext& context) {
  if (!(group->lr >= 0) || !std::isfinite(group->lr))
    throw InputError("schedule: the learning rate must be >= 0, got " + format_number(group->lr));
  return build(spec, group, context, {});
}

std::unique_ptr<Scheduler> make_scheduler(const nlohmann::json& spec, std::shared_ptr<LrGroup> group,
                                          const ScheduleContext& context) {
  return make_scheduler(parse_schedule(spec, context), std::move(group), context);
}

void validate_schedule(const nlohmann::json& spec, const ScheduleContext& context) { parse_schedule(spec, context); }

ScheduleSeries schedule_series(const nlohmann::json& spec, double lr, int steps, const std::vector<double>& metrics) {
  if (steps < 0) throw InputError("schedule: the number of epochs must be >= 0, got " + std::to_string(steps));
  if (steps > kMaxScheduleSteps)
    throw InputError("schedule: the number of epochs must be at most " + std::to_string(kMaxScheduleSteps) + ", got " +
                     std::to_string(steps));
  auto group = new_group(lr);
  auto scheduler = make_scheduler(spec, group, {steps});
  if (scheduler->needs_metric() && steps > 1 && metrics.size() < static_cast<std::size_t>(steps - 1))
    throw InputError("plateau: needs a metric for each epoch but the last (" + std::to_string(steps - 1) +
                     " values), got " + std::to_string(metrics.size()));
  ScheduleSeries out;
  const bool momentum = group->momentum.has_value();
  out.lr.reserve(static_cast<std::size_t>(steps));
  for (int e = 0; e < steps; ++e) {
    out.lr.push_back(scheduler->lr());
    if (momentum) out.momentum.push_back(group->momentum.value_or(0.0));
    if (e + 1 == steps) break;
    if (scheduler->needs_metric())
      scheduler->step(metrics[static_cast<std::size_t>(e)]);
    else
      scheduler->step();
  }
  return out;
}

std::vector<double> schedule_values(const nlohmann::json& spec, double lr, int steps,
                                    const std::vector<double>& metrics) {
  return schedule_series(spec, lr, steps, metrics).lr;
}

const std::vector<std::string>& schedule_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& s : schedule_table()) n.push_back(s.name);
    return n;
  }();
  return names;
}

namespace detail {

std::optional<std::vector<double>> get_lr_readings(const ScheduleSpec& spec, double lr, int steps) {
  auto scheduler = build(spec, new_group(lr), {steps}, {});
  auto* chainable = dynamic_cast<LrScheduler*>(scheduler.get());
  if (!chainable) return std::nullopt;
  std::vector<double> out;
  for (int e = 0; e < steps; ++e) {
    out.push_back(chainable->peek_get_lr());
    if (e + 1 < steps) chainable->step();
  }
  return out;
}

std::vector<double> values_with_milestones(const ScheduleSpec& spec, const std::vector<double>& milestones, double lr,
                                           int steps) {
  if (spec.name != "multistep" && spec.name != "sequential")
    throw std::logic_error("values_with_milestones: '" + spec.name + "' has no milestones");
  BuildOptions opt;
  opt.milestones = &milestones;
  auto scheduler = build(spec, new_group(lr), {steps}, opt);
  std::vector<double> out;
  for (int e = 0; e < steps; ++e) {
    out.push_back(scheduler->lr());
    if (e + 1 < steps) scheduler->step();
  }
  return out;
}

}  // namespace detail

}  // namespace gs::nn
