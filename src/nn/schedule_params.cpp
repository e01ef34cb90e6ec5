// The schedule parameter table and the checks it drives. Defaults and ranges are torch 1.13's
// where torch checks (ConstantLR's 0 ≤ factor ≤ 1, warm restarts' T_0 ≥ 1); where torch accepts
// nonsense (a negative gamma, a negative step size) the range refuses it, as the lab and the CLI
// promise. Values torch divides by are checked at the division (schedule.cpp), exactly where torch
// raises. Depends on nlohmann-json, errors.h, spec_reader.h (number format) and the engine's
// closest_name (for "did you mean").
//
// [SECTION] ranges and flags
// [SECTION] the table
// [SECTION] checking a spec
// [SECTION] ParamArgs
#include "nn/schedule_params.h"

#include "engine/parse.h"
#include "nn/schedule_factor.h"
#include "nn/spec_reader.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace gs::nn {

// ============================================================================================
// [SECTION] ranges and flags
// ============================================================================================

bool ParamRange::contains(double v) const {
  if (std::isnan(v)) return false;
  if (lo_open ? !(v > lo) : !(v >= lo)) return false;
  if (hi_open ? !(v < hi) : !(v <= hi)) return false;
  return true;
}

std::string ParamRange::describe(ParamKind kind) const {
  const bool has_lo = std::isfinite(lo), has_hi = std::isfinite(hi);
  if (kind == ParamKind::Integer || kind == ParamKind::IntegerList) {
    if (has_lo && !has_hi && lo == 1) return "a positive integer";
    if (has_lo && !has_hi && lo == 0) return "a non-negative integer";
  }
  if (has_lo && has_hi && !lo_open && !hi_open) return "between " + format_number(lo) + " and " + format_number(hi);
  std::string lower = has_lo ? (lo_open ? "> " : ">= ") + format_number(lo) : "";
  std::string upper = has_hi ? (hi_open ? "< " : "<= ") + format_number(hi) : "";
  if (!lower.empty() && !upper.empty()) return lower + " and " + upper;
  return lower.empty() ? (upper.empty() ? "a number" : upper) : lower;
}

std::string ScheduleParam::flag() const {
  std::string f = key;
  std::replace(f.begin(), f.end(), '_', '-');
  if (kind == ParamKind::Boolean && default_value.is_boolean() && default_value.get<bool>()) return "--no-" + f;
  return "--" + f;
}

const ScheduleParam* ScheduleInfo::find(std::string_view key) const {
  for (const auto& p : params)
    if (p.key == key) return &p;
  return nullptr;
}

// ============================================================================================
// [SECTION] the table
// ============================================================================================

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
const ParamRange kPositive{0, kInf, true, false};
const ParamRange kNonNegative{0, kInf, false, false};
const ParamRange kUnit{0, 1, false, false};
const ParamRange kAtLeastOne{1, kInf, false, false};

const SliderHint kFactorSlider{0.0, 1.0};
const SliderHint kLrSlider{1e-6, 1.0, true};
const SliderHint kRunSlider{0, 0, false, true};
const SliderHint kRunSliderFromOne{1, 0, false, true};

ScheduleParam gamma_param(std::string help, std::string help_zh, nlohmann::json fallback = 0.1) {
  return {"gamma", "gamma", ParamKind::Number, std::move(fallback), "", kPositive, {}, "",
          std::move(help), std::move(help_zh), {0.5, 1.0}};
}

ScheduleParam eta_min_param() {
  return {"eta_min", "eta_min", ParamKind::Number, 0.0, "", kNonNegative, {}, "lr",
          "Minimum learning rate", "最小学习率", kLrSlider};
}

ScheduleParam momentum_param(std::string key, double fallback, std::string help, std::string help_zh) {
  return {key, key, ParamKind::Number, fallback, "", kUnit, {}, "", std::move(help), std::move(help_zh), {0.5, 1.0}};
}

ScheduleParam cycle_momentum_param() {
  return {"cycle_momentum", "cycle_momentum", ParamKind::Boolean, true, "", {}, {}, "",
          "Cycle the optimizer's momentum inversely to the learning rate", "让优化器的动量与学习率反向循环", {}};
}

std::vector<ScheduleInfo> make_table() {
  std::vector<ScheduleInfo> t;
  t.push_back({"step", "StepLR", "Multiplies the lr by gamma every step_size steps",
               "每 step_size 步把学习率乘以 gamma", StepUnit::Epoch, false, false, true,
               {{"step_size", "step_size", ParamKind::Integer, nullptr, "", kAtLeastOne, {}, "steps",
                 "Period of the decay: the lr is multiplied by gamma every step_size steps",
                 "衰减周期：每 step_size 步学习率乘以 gamma", kRunSliderFromOne},
                gamma_param("Multiplicative factor of the decay", "衰减的乘法因子")}});
  t.push_back({"multistep", "MultiStepLR", "Multiplies the lr by gamma at each milestone",
               "在每个里程碑把学习率乘以 gamma", StepUnit::Epoch, false, false, true,
               {{"milestones", "milestones", ParamKind::IntegerList, nullptr, "", kNonNegative, {}, "steps",
                 "Steps at which the lr is multiplied by gamma (a milestone listed twice decays twice)",
                 "学习率乘以 gamma 的步数（重复列出的里程碑衰减两次）", kRunSlider},
                gamma_param("Multiplicative factor of the decay", "衰减的乘法因子")}});
  t.push_back({"exponential", "ExponentialLR", "Multiplies the lr by gamma every step", "每步把学习率乘以 gamma",
               StepUnit::Epoch, false, false, true,
               {gamma_param("Multiplicative factor applied every step", "每步的乘法因子", nullptr)}});
  t.push_back({"cosine", "CosineAnnealingLR", "Cosine from the lr down to eta_min over T_max steps, then back up",
               "在 T_max 步内按余弦从初始学习率降到 eta_min，之后再回升", StepUnit::Epoch, false, false, true,
               {{"t_max", "T_max", ParamKind::Integer, nullptr, "", kAtLeastOne, {}, "steps",
                 "Half-period of the cosine: steps from the initial lr down to eta_min",
                 "余弦的半周期：从初始学习率降到 eta_min 的步数", kRunSliderFromOne},
                eta_min_param()}});
  t.push_back({"linear", "LinearLR", "Factor moving linearly from start_factor to end_factor over total_iters steps",
               "乘法因子在 total_iters 步内从 start_factor 线性变到 end_factor", StepUnit::Epoch, false, false, true,
               {{"start_factor", "start_factor", ParamKind::Number, 1.0 / 3, "", kUnit, {}, "",
                 "Factor multiplying the lr at step 0", "第 0 步乘在学习率上的因子", kFactorSlider},
                {"end_factor", "end_factor", ParamKind::Number, 1.0, "", kUnit, {}, "",
                 "Factor reached at step total_iters and kept after", "第 total_iters 步达到并保持的因子", kFactorSlider},
                {"total_iters", "total_iters", ParamKind::Integer, 5, "", kNonNegative, {}, "steps",
                 "Steps over which the factor moves", "因子变化所用的步数", kRunSlider}}});
  t.push_back({"constant", "ConstantLR", "The lr times factor until total_iters, then the lr",
               "在 total_iters 步之前学习率乘以 factor，之后恢复", StepUnit::Epoch, false, false, true,
               {{"factor", "factor", ParamKind::Number, 1.0 / 3, "", kUnit, {}, "",
                 "Factor multiplying the lr until total_iters", "total_iters 之前乘在学习率上的因子", kFactorSlider},
                {"total_iters", "total_iters", ParamKind::Integer, 5, "", kNonNegative, {}, "steps",
                 "Steps during which the factor applies", "因子起作用的步数", kRunSlider}}});
  t.push_back({"polynomial", "PolynomialLR", "lr · (1 − step/total_iters)^power, then 0",
               "学习率 ·(1 − 步数/total_iters)^power，之后为 0", StepUnit::Epoch, false, false, true,
               {{"total_iters", "total_iters", ParamKind::Integer, 5, "", kNonNegative, {}, "steps",
                 "Steps over which the lr decays to 0", "学习率衰减到 0 所用的步数", kRunSlider},
                {"power", "power", ParamKind::Number, 1.0, "", kNonNegative, {}, "",
                 "Power of the polynomial", "多项式的幂", {0.0, 4.0}}}});
  t.push_back({"onecycle", "OneCycleLR", "1cycle: up from max_lr/div_factor to max_lr, then down to a tiny lr",
               "1cycle：从 max_lr/div_factor 升到 max_lr，再降到极小的学习率", StepUnit::Batch, false, false, true,
               {{"max_lr", "max_lr", ParamKind::Number, nullptr, "", kPositive, {}, "lr",
                 "Peak learning rate", "峰值学习率", kLrSlider},
                {"total_steps", "total_steps", ParamKind::Integer, nullptr, "the run's number of steps", kAtLeastOne, {},
                 "steps", "Steps in the cycle", "一个周期的步数", kRunSliderFromOne},
                {"epochs", "epochs", ParamKind::Integer, nullptr, "total_steps or the run's length is used",
                 kAtLeastOne, {}, "", "With steps_per_epoch, gives total_steps = epochs · steps_per_epoch",
                 "与 steps_per_epoch 一起给出 total_steps = epochs · steps_per_epoch", {1, 100}, false},
                {"steps_per_epoch", "steps_per_epoch", ParamKind::Integer, nullptr,
                 "total_steps or the run's length is used", kAtLeastOne, {}, "",
                 "With epochs, gives total_steps = epochs · steps_per_epoch",
                 "与 epochs 一起给出 total_steps = epochs · steps_per_epoch", {1, 1000}, false},
                {"pct_start", "pct_start", ParamKind::Number, 0.3, "", kUnit, {}, "",
                 "Fraction of the cycle spent raising the lr", "周期中学习率上升所占的比例", kFactorSlider},
                {"anneal_strategy", "anneal_strategy", ParamKind::Choice, "cos", "", {}, {"cos", "linear"}, "",
                 "Shape of each phase: cosine or linear", "每个阶段的形状：余弦或线性", {}},
                cycle_momentum_param(),
                momentum_param("base_momentum", 0.85, "Momentum at the lr's peak", "学习率峰值处的动量"),
                momentum_param("max_momentum", 0.95, "Momentum at the start and end of the cycle", "周期开始和结束时的动量"),
                {"div_factor", "div_factor", ParamKind::Number, 25.0, "", kPositive, {}, "",
                 "initial_lr = max_lr / div_factor", "initial_lr = max_lr / div_factor", {1, 100}},
                {"final_div_factor", "final_div_factor", ParamKind::Number, 1e4, "", kPositive, {}, "",
                 "min_lr = initial_lr / final_div_factor", "min_lr = initial_lr / final_div_factor", {1, 1e6, true}},
                {"three_phase", "three_phase", ParamKind::Boolean, false, "", {}, {}, "",
                 "Three phases as in the paper (down to initial_lr before annealing)",
                 "论文中的三阶段（先降回 initial_lr 再退火）", {}}}});
  t.push_back({"warm-restarts", "CosineAnnealingWarmRestarts",
               "Cosine down to eta_min, restarting at the lr after T_0 steps (periods growing by T_mult)",
               "按余弦降到 eta_min，T_0 步后重启回初始学习率（周期按 T_mult 增长）", StepUnit::Epoch, false, false, true,
               {{"t_0", "T_0", ParamKind::Integer, nullptr, "", kAtLeastOne, {}, "steps",
                 "Steps until the first restart", "第一次重启前的步数", kRunSliderFromOne},
                {"t_mult", "T_mult", ParamKind::Integer, 1, "", kAtLeastOne, {}, "",
                 "Factor by which the period grows after each restart", "每次重启后周期增长的倍数", {1, 4}},
                eta_min_param()}});
  t.push_back({"plateau", "ReduceLROnPlateau", "Multiplies the lr by factor when the metric stops improving",
               "指标不再改善时把学习率乘以 factor", StepUnit::Epoch, true, false, false,
               {{"mode", "mode", ParamKind::Choice, "min", "", {}, {"min", "max"}, "",
                 "min: the metric should fall (a loss); max: it should rise (an accuracy)",
                 "min：指标应下降（损失）；max：指标应上升（准确率）", {}},
                {"factor", "factor", ParamKind::Number, 0.1, "", {0, 1, false, true}, {}, "",
                 "new lr = lr · factor", "新学习率 = 学习率 · factor", kFactorSlider},
                {"patience", "patience", ParamKind::Integer, 10, "", kNonNegative, {}, "steps",
                 "Steps without improvement tolerated before the lr is reduced", "降低学习率前容忍的无改善步数", {0, 20}},
                {"threshold", "threshold", ParamKind::Number, 1e-4, "", kNonNegative, {}, "",
                 "Least change that counts as an improvement", "算作改善的最小变化", {1e-6, 0.1, true}},
                {"threshold_mode", "threshold_mode", ParamKind::Choice, "rel", "", {}, {"rel", "abs"}, "",
                 "rel: threshold relative to the best value; abs: absolute", "rel：相对最佳值的阈值；abs：绝对阈值", {}},
                {"cooldown", "cooldown", ParamKind::Integer, 0, "", kNonNegative, {}, "steps",
                 "Steps to wait after a reduction before counting again", "降低学习率后暂停计数的步数", {0, 20}},
                {"min_lr", "min_lr", ParamKind::Number, 0.0, "", kNonNegative, {}, "lr",
                 "Lower bound on the lr", "学习率下限", kLrSlider},
                {"eps", "eps", ParamKind::Number, 1e-8, "", kNonNegative, {}, "lr",
                 "Reductions smaller than eps are ignored", "小于 eps 的降低被忽略", {1e-12, 1e-4, true}}}});
  t.push_back({"cyclic", "CyclicLR", "Triangular cycles between base_lr and max_lr (momentum cycled inversely)",
               "在 base_lr 与 max_lr 之间三角形循环（动量反向循环）", StepUnit::Batch, false, false, true,
               {{"base_lr", "base_lr", ParamKind::Number, nullptr, "", kNonNegative, {}, "lr",
                 "Lower boundary of the cycle: the lr at its start (replaces the optimizer's lr)",
                 "循环的下界：周期开始时的学习率（取代优化器的学习率）", kLrSlider},
                {"max_lr", "max_lr", ParamKind::Number, nullptr, "", kNonNegative, {}, "lr",
                 "Upper boundary of the cycle (scaled down by triangular2 and exp_range)",
                 "循环的上界（triangular2 与 exp_range 会缩小振幅）", kLrSlider},
                {"step_size_up", "step_size_up", ParamKind::Integer, 2000, "", kAtLeastOne, {}, "steps",
                 "Steps in the rising half of a cycle", "每个周期上升段的步数", kRunSliderFromOne},
                {"step_size_down", "step_size_down", ParamKind::Integer, nullptr, "= step_size_up", kNonNegative, {},
                 "steps", "Steps in the falling half of a cycle", "每个周期下降段的步数", kRunSlider},
                {"mode", "mode", ParamKind::Choice, "triangular", "", {}, {"triangular", "triangular2", "exp_range"}, "",
                 "triangular: constant amplitude; triangular2: halved every cycle; exp_range: times gamma^step",
                 "triangular：振幅不变；triangular2：每周期减半；exp_range：乘以 gamma^步数", {}},
                gamma_param("exp_range: the amplitude is multiplied by gamma^step", "exp_range：振幅乘以 gamma^步数", 1.0),
                cycle_momentum_param(),
                momentum_param("base_momentum", 0.8, "Momentum at the lr's peak", "学习率峰值处的动量"),
                momentum_param("max_momentum", 0.9, "Momentum at the start of each cycle", "每个周期开始时的动量")}});
  t.push_back({"multiplicative", "MultiplicativeLR", "Multiplies the lr by factor(epoch) every step after the first",
               "第一步之后每步把学习率乘以 factor(epoch)", StepUnit::Epoch, false, false, true,
               {{"factor", "lr_lambda", ParamKind::Expression, nullptr, "", {}, {}, "",
                 "Expression in epoch multiplying the lr at each step, e.g. 0.95 or 0.95^epoch",
                 "关于 epoch 的表达式，每步乘在学习率上，例如 0.95 或 0.95^epoch", {}}}});
  t.push_back({"lambda", "LambdaLR", "lr = initial lr · factor(epoch)", "学习率 = 初始学习率 · factor(epoch)",
               StepUnit::Epoch, false, false, true,
               {{"factor", "lr_lambda", ParamKind::Expression, nullptr, "", {}, {}, "",
                 "Expression in epoch giving the factor on the initial lr, e.g. 1/(1 + 0.1*epoch)",
                 "关于 epoch 的表达式，给出初始学习率的倍数，例如 1/(1 + 0.1*epoch)", {}}}});
  t.push_back({"sequential", "SequentialLR", "Runs one schedule after another, switching at the milestones",
               "依次运行多个调度器，在里程碑处切换", StepUnit::Epoch, false, true, false,
               {{"schedulers", "schedulers", ParamKind::ScheduleList, nullptr, "", {}, {}, "",
                 "The schedules, in order", "按顺序排列的调度器", {}},
                {"milestones", "milestones", ParamKind::IntegerList, nullptr, "", kNonNegative, {}, "steps",
                 "Steps at which the next schedule takes over (restarted at its step 0); one fewer than the schedulers",
                 "下一个调度器接管的步数（从其第 0 步重新开始）；比调度器少一个", kRunSlider}}});
  t.push_back({"chained", "ChainedScheduler", "Steps every member on the same lr: their factors multiply",
               "每步依次调用所有调度器：它们的因子相乘", StepUnit::Epoch, false, true, false,
               {{"schedulers", "schedulers", ParamKind::ScheduleList, nullptr, "", {}, {}, "",
                 "The schedules stepped together", "一起步进的调度器", {}}}});
  return t;
}

}  // namespace

const std::vector<ScheduleInfo>& schedule_table() {
  static const std::vector<ScheduleInfo> table = make_table();
  return table;
}

const ScheduleInfo* find_schedule(std::string_view name) {
  for (const auto& s : schedule_table())
    if (s.name == name) return &s;
  return nullptr;
}

const ScheduleInfo& schedule_info(std::string_view name, const std::string& where) {
  if (const ScheduleInfo* s = find_schedule(name)) return *s;
  std::vector<std::string> names;
  std::string list;
  for (const auto& s : schedule_table()) {
    names.push_back(s.name);
    list += (list.empty() ? "" : ", ") + s.name;
  }
  std::string guess = closest_name(name, names);
  throw InputError(where + ": unknown schedule '" + std::string(name) + "'" +
                   (guess.empty() ? "" : " (did you mean '" + guess + "'?)") + " (known: " + list + ")");
}

// ============================================================================================
// [SECTION] checking a spec
// ============================================================================================

ScheduleParamError::ScheduleParamError(std::string where, std::string key, std::string problem, bool top_level)
    : InputError(where + ": " + key + " " + problem),
      where_(std::move(where)),
      key_(std::move(key)),
      problem_(std::move(problem)),
      top_level_(top_level) {}

const ScheduleInfo& ScheduleSpec::info() const { return schedule_info(name); }

nlohmann::json ScheduleSpec::to_json() const {
  nlohmann::json j = {{"name", name}};
  for (const auto& [k, v] : values.items()) j[k] = v;
  if (!members.empty() || info().composite) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : members) list.push_back(m.to_json());
    j["schedulers"] = list;
  }
  return j;
}

namespace {

bool is_integer_valued(const nlohmann::json& v) { return v.is_number_integer(); }

// One value of `p`, checked; returns it as stored (an expression given as a number becomes text).
nlohmann::json checked_value(const ScheduleParam& p, const nlohmann::json& v, const std::string& where,
                             bool top_level) {
  auto fail = [&](const std::string& problem) -> void { throw ScheduleParamError(where, p.key, problem, top_level); };
  auto out_of_range = [&](const std::string& shown) {
    const std::string d = p.range.describe(p.kind);
    if (!p.is_list()) fail("must be " + d + ", got " + shown);
    fail("must hold " + (d.rfind("a ", 0) == 0 ? d.substr(2) + "s" : "values " + d) + " only, got " + shown);
  };
  switch (p.kind) {
    case ParamKind::Integer:
      if (!is_integer_valued(v)) fail("must be an integer, got " + v.dump());
      if (!p.range.contains(static_cast<double>(v.get<long long>()))) out_of_range(v.dump());
      if (v.get<long long>() > std::numeric_limits<int>::max()) fail("is out of range, got " + v.dump());
      return v;
    case ParamKind::Number: {
      if (!v.is_number()) fail("must be a number, got " + v.dump());
      double d = v.get<double>();
      if (!std::isfinite(d)) fail("must be a finite number, got " + format_number(d));
      if (!p.range.contains(d)) out_of_range(format_number(d));
      return v;
    }
    case ParamKind::Boolean:
      if (!v.is_boolean()) fail("must be true or false, got " + v.dump());
      return v;
    case ParamKind::Choice: {
      std::string list;
      for (const auto& c : p.choices) list += (list.empty() ? "" : ", ") + c;
      if (!v.is_string()) fail("must be one of " + list + ", got " + v.dump());
      if (std::find(p.choices.begin(), p.choices.end(), v.get<std::string>()) == p.choices.end()) {
        std::string guess = closest_name(v.get<std::string>(), p.choices);
        fail("must be one of " + list + ", got '" + v.get<std::string>() + "'" +
             (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
      }
      return v;
    }
    case ParamKind::Expression: {
      std::string text;
      if (v.is_number()) text = format_number(v.get<double>());
      else if (v.is_string()) text = v.get<std::string>();
      else fail("must be an expression in epoch (text such as \"0.95^epoch\"), got " + v.dump());
      EpochFunction::check(text, where, p.key, top_level);  // names, syntax, one number
      return text;
    }
    case ParamKind::IntegerList: {
      if (!v.is_array()) fail("must be a list of integers, got " + v.dump());
      for (const auto& e : v) {
        if (!is_integer_valued(e)) fail("must hold integers only, got " + e.dump());
        if (!p.range.contains(static_cast<double>(e.get<long long>()))) out_of_range(e.dump());
        if (e.get<long long>() > std::numeric_limits<int>::max()) fail("is out of range, got " + e.dump());
      }
      return v;
    }
    case ParamKind::ScheduleList:
      break;  // members are checked by the caller
  }
  return v;
}

ScheduleSpec check_spec(const nlohmann::json& spec, const std::string& where, bool top_level, int depth) {
  if (!spec.is_object()) throw InputError(where + ": expected a JSON object, got " + spec.dump());
  auto it = spec.find("name");
  if (it == spec.end() || !it->is_string()) throw InputError(where + ": the schedule needs a \"name\"");
  const ScheduleInfo& info = schedule_info(it->get<std::string>(), where);
  ScheduleSpec out;
  out.name = info.name;
  out.where = top_level ? info.name : where + " (" + info.name + ")";
  out.top_level = top_level;

  std::vector<std::string> keys;
  for (const auto& p : info.params) keys.push_back(p.key);
  for (const auto& [key, value] : spec.items()) {
    if (key == "name" || info.find(key)) continue;
    std::string guess = closest_name(key, keys);
    std::string takes;
    for (const auto& k : keys) takes += (takes.empty() ? "" : ", ") + k;
    throw ScheduleParamError(out.where, key,
                             "is not a parameter of " + info.name +
                                 (guess.empty() ? "" : " (did you mean '" + guess + "'?)") + " (it takes " +
                                 (takes.empty() ? "none" : takes) + ")",
                             top_level);
  }
  for (const auto& p : info.params) {
    auto v = spec.find(p.key);
    if (v == spec.end() || v->is_null()) {
      if (p.required()) throw ScheduleParamError(out.where, p.key, "is missing", top_level);
      continue;
    }
    if (p.kind != ParamKind::ScheduleList) {
      out.values[p.key] = checked_value(p, *v, out.where, top_level);
      continue;
    }
    if (!v->is_array() || v->empty())
      throw ScheduleParamError(out.where, p.key, "must be a non-empty list of schedules", top_level);
    if (depth + 1 >= kMaxScheduleDepth)
      throw InputError(out.where + ": schedules nest deeper than " + std::to_string(kMaxScheduleDepth) + " levels");
    for (std::size_t i = 0; i < v->size(); ++i) {
      std::string w = out.where + " member " + std::to_string(i + 1);
      out.members.push_back(check_spec((*v)[i], w, false, depth + 1));
    }
  }
  return out;
}

}  // namespace

ScheduleSpec check_schedule_spec(const nlohmann::json& spec, const std::string& where) {
  return check_spec(spec, where, where == "schedule", 0);
}

// ============================================================================================
// [SECTION] ParamArgs
// ============================================================================================

ParamArgs::ParamArgs(const ScheduleSpec& spec) : spec_(spec), info_(spec.info()) {}

const nlohmann::json& ParamArgs::value(const std::string& key) {
  const ScheduleParam* p = info_.find(key);
  if (!p) throw std::logic_error("schedule '" + info_.name + "' read '" + key + "', which the table lacks");
  read_.insert(key);
  auto it = spec_.values.find(key);
  if (it != spec_.values.end()) return *it;
  if (p->default_value.is_null())
    throw std::logic_error("schedule '" + info_.name + "' read '" + key + "' without a value or default");
  return p->default_value;
}

bool ParamArgs::has(const std::string& key) {
  if (!info_.find(key)) throw std::logic_error("schedule '" + info_.name + "' asked for '" + key + "', which the table lacks");
  read_.insert(key);
  return spec_.values.contains(key) || (key == "schedulers" && !spec_.members.empty());
}

long long ParamArgs::integer(const std::string& key) { return value(key).get<long long>(); }
double ParamArgs::number(const std::string& key) { return value(key).get<double>(); }
bool ParamArgs::boolean(const std::string& key) { return value(key).get<bool>(); }
std::string ParamArgs::text(const std::string& key) { return value(key).get<std::string>(); }
std::vector<long long> ParamArgs::integers(const std::string& key) { return value(key).get<std::vector<long long>>(); }

void ParamArgs::fail(const std::string& key, const std::string& problem) const {
  throw ScheduleParamError(spec_.where, key, problem, spec_.top_level);
}

void ParamArgs::finish() const {
  for (const auto& p : info_.params)
    if (!read_.contains(p.key))
      throw std::logic_error("schedule '" + info_.name + "' never read its parameter '" + p.key +
                             "' (schedule_params.cpp lists it; schedule.cpp must use it)");
}

}  // namespace gs::nn
