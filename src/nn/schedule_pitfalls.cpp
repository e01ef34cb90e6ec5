// The pitfall curves: each runs schedule.cpp's torch transcription the wrong way (stepped early,
// stepped per batch, with float or repeated milestones, read through get_lr()) and words what
// happened with this spec's numbers. tests/nn/fixtures/make_schedules.py makes torch do the same
// mistakes, and the tests compare. Depends on schedule.h, schedule_internal.h, spec_reader.h.
//
// [SECTION] the table
// [SECTION] helpers
// [SECTION] one function per pitfall
// [SECTION] dispatch
#include "nn/schedule_pitfalls.h"

#include "nn/schedule_internal.h"
#include "nn/spec_reader.h"

#include <algorithm>
#include <cmath>

namespace gs::nn {

// ============================================================================================
// [SECTION] the table
// ============================================================================================

const std::array<PitfallInfo, static_cast<std::size_t>(Pitfall::kCount)>& pitfall_table() {
  static const std::array<PitfallInfo, static_cast<std::size_t>(Pitfall::kCount)> table = {{
      {Pitfall::StepBeforeOptimizer, "step-before-optimizer", "scheduler.step() before optimizer.step()",
       "在 optimizer.step() 之前调用 scheduler.step()", "scheduler.step(); optimizer.step()"},
      {Pitfall::PerBatchMilestones, "per-batch-milestones", "Stepped per batch, written in epochs",
       "按批次步进，参数却按轮次写", "for batch in loader: ...; scheduler.step()"},
      {Pitfall::FloatMilestones, "float-milestones", "Float milestones (0.3 * epochs)", "浮点里程碑（0.3 * epochs）",
       "MultiStepLR(opt, milestones=[0.3 * epochs, ...])"},
      {Pitfall::RepeatedMilestone, "repeated-milestone", "A milestone listed twice", "重复的里程碑",
       "MultiStepLR(opt, milestones=[30, 60, 60, 80])"},
      {Pitfall::GetLr, "get-lr", "get_lr() instead of get_last_lr()", "用 get_lr() 代替 get_last_lr()",
       "print(scheduler.get_lr())"},
  }};
  for (std::size_t i = 0; i < table.size(); ++i)
    if (static_cast<std::size_t>(table[i].id) != i) throw std::logic_error("pitfall_table: entries out of order");
  return table;
}

const PitfallInfo* find_pitfall(std::string_view key) {
  for (const auto& p : pitfall_table())
    if (p.key == key) return &p;
  return nullptr;
}

bool pitfall_applies_to(Pitfall pitfall, std::string_view name) {
  switch (pitfall) {
    case Pitfall::StepBeforeOptimizer: return name != "plateau";
    case Pitfall::PerBatchMilestones: return name != "plateau" && name != "onecycle" && name != "cyclic";
    case Pitfall::FloatMilestones: return name == "multistep" || name == "sequential";
    case Pitfall::RepeatedMilestone: return name == "multistep";
    case Pitfall::GetLr:
      return name == "step" || name == "multistep" || name == "exponential" || name == "cosine" || name == "linear" ||
             name == "constant" || name == "polynomial" || name == "multiplicative";
    case Pitfall::kCount: break;
  }
  return false;
}

// ============================================================================================
// [SECTION] helpers
// ============================================================================================

namespace {

// Python's repr of a float: the shortest text that reads back, with ".0" on whole numbers.
std::string py_float(double v) {
  std::string s = format_number(v);
  if (std::isfinite(v) && s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

std::string lr_text(double v) { return format_number(v); }

// `spec` built as the run builds it (context: `run_steps`), stepped so that `count` values come out.
std::vector<double> run(const ScheduleSpec& spec, double lr, int run_steps, long long count,
                        const std::vector<double>& metrics = {}) {
  auto group = std::make_shared<LrGroup>();
  group->lr = lr;
  auto s = make_scheduler(spec, group, {run_steps});
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(count));
  for (long long k = 0; k < count; ++k) {
    out.push_back(s->lr());
    if (k + 1 == count) break;
    if (s->needs_metric())
      s->step(metrics.at(static_cast<std::size_t>(k)));
    else
      s->step();
  }
  return out;
}

std::vector<double> epochs_axis(int epochs) {
  std::vector<double> x(static_cast<std::size_t>(epochs));
  for (int e = 0; e < epochs; ++e) x[static_cast<std::size_t>(e)] = e;
  return x;
}

// The first index where a and b differ, or -1.
long long first_difference(const std::vector<double>& a, const std::vector<double>& b) {
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    if (a[i] != b[i]) return static_cast<long long>(i);
  return -1;
}

std::string torch_class(const ScheduleSpec& s) { return s.info().torch_class; }

PitfallCurve not_applicable(std::string en, std::string zh) {
  PitfallCurve c;
  c.explanation = std::move(en);
  c.explanation_zh = std::move(zh);
  return c;
}

// ============================================================================================
// [SECTION] one function per pitfall
// ============================================================================================

// for epoch: scheduler.step(); train(): epoch e trains with value e + 1.
PitfallCurve step_before_optimizer(const ScheduleSpec& s, double lr, int epochs, const PitfallOptions& o,
                                   PitfallCurve c) {
  std::vector<double> ahead = run(s, lr, epochs, static_cast<long long>(epochs) + 1);
  c.x = epochs_axis(epochs);
  c.y.assign(ahead.begin() + 1, ahead.end());
  const std::string warning =
      "torch 1.13 warns \"Detected call of `lr_scheduler.step()` before `optimizer.step()`\"";
  long long e = first_difference(c.y, c.correct);
  if (e < 0) {
    c.explanation = "scheduler.step() before optimizer.step() skips the first value, but this lr never changes, "
                    "so nothing shows; " + warning;
    c.explanation_zh = "在 optimizer.step() 之前调用 scheduler.step() 会跳过第一个值，但这里学习率不变，看不出差别；torch 1.13 会发出警告";
    return c;
  }
  const auto i = static_cast<std::size_t>(e);
  c.explanation = "scheduler.step() before optimizer.step(): every epoch trains with the next epoch's value and the "
                  "first value (" + lr_text(c.correct[0]) + ") is skipped — epoch " + std::to_string(e) + " uses " +
                  lr_text(c.y[i]) + " instead of " + lr_text(c.correct[i]) + "; " + warning;
  c.explanation_zh = "在 optimizer.step() 之前调用 scheduler.step()：每个 epoch 都用了下一个 epoch 的学习率，第一个值（" +
                     lr_text(c.correct[0]) + "）被跳过——第 " + std::to_string(e) + " 个 epoch 用的是 " + lr_text(c.y[i]) +
                     " 而不是 " + lr_text(c.correct[i]) + "；torch 1.13 会发出警告";
  return c;
}

// for epoch: for batch: train(); scheduler.step(): B steps per epoch on a schedule counted in epochs.
PitfallCurve per_batch(const ScheduleSpec& s, double lr, int epochs, const PitfallOptions& o, PitfallCurve c) {
  const int b = o.batches_per_epoch;
  if (b < 1 || b > 100000)
    throw InputError("pitfall per-batch-milestones: batches_per_epoch must be between 1 and 100000, got " +
                     std::to_string(b));
  const long long total = static_cast<long long>(epochs) * b;
  if (total > 2000000)
    throw InputError("pitfall per-batch-milestones: " + std::to_string(epochs) + " epochs of " + std::to_string(b) +
                     " batches are more than 2000000 steps");
  try {
    c.y = run(s, lr, static_cast<int>(total), total);
  } catch (const InputError& e) {
    return not_applicable(std::string("stepped every batch, torch would raise here: ") + e.what(),
                          std::string("按批次步进时 torch 会在此报错：") + e.what());
  }
  c.x.resize(c.y.size());
  for (std::size_t k = 0; k < c.y.size(); ++k) c.x[k] = static_cast<double>(k) / b;
  auto first_change = [](const std::vector<double>& v) -> long long {
    for (std::size_t k = 1; k < v.size(); ++k)
      if (v[k] != v[k - 1]) return static_cast<long long>(k);
    return -1;
  };
  const long long wrong_at = first_change(c.y), right_at = first_change(c.correct);
  const std::string times = std::to_string(b) + "×";
  if (wrong_at < 0) {
    c.explanation = "Stepped every batch, this schedule runs " + times + " too fast, but its lr never changes here";
    c.explanation_zh = "按批次步进时调度快了 " + times + "，但这里学习率不变";
    return c;
  }
  const std::string at = format_number(c.x[static_cast<std::size_t>(wrong_at)]);
  const std::string right = right_at < 0 ? "never within the run" : "at epoch " + std::to_string(right_at);
  const std::string right_zh = right_at < 0 ? "在训练期间不应变化" : "应在第 " + std::to_string(right_at) + " 个 epoch";
  // The first epoch that starts with a different lr (the last epoch can agree: both curves may have
  // passed every milestone by then).
  long long differ_at = -1;
  for (long long e = 1; e < epochs && differ_at < 0; ++e)
    if (c.y[static_cast<std::size_t>(e * b)] != c.correct[static_cast<std::size_t>(e)]) differ_at = e;
  std::string already, already_zh;
  if (differ_at > 0) {
    const double w = c.y[static_cast<std::size_t>(differ_at * b)], r = c.correct[static_cast<std::size_t>(differ_at)];
    already = "; epoch " + std::to_string(differ_at) + " already starts at " + lr_text(w) + " instead of " + lr_text(r);
    already_zh = "；第 " + std::to_string(differ_at) + " 个 epoch 开始时学习率已是 " + lr_text(w) + "，而不是 " + lr_text(r);
  }
  c.explanation = "Stepped every batch (" + std::to_string(b) + " per epoch) but written in epochs, the schedule runs " +
                  times + " too fast: its first change comes at epoch " + at + " (" + right + " is right)" + already;
  c.explanation_zh = "每批次步进（每 epoch " + std::to_string(b) + " 批）而参数按 epoch 写，调度快了 " + times +
                     "：第一次变化出现在第 " + at + " 个 epoch（" + right_zh + "）" + already_zh;
  return c;
}

// milestones=[f * epochs for f in fractions]: Python floats; a whole one equals the int epoch (a
// Counter finds 30 under 30.0), any other never does.
PitfallCurve float_milestones(const ScheduleSpec& s, double lr, int epochs, const PitfallOptions& o, PitfallCurve c) {
  const std::vector<long long> own = s.values.value("milestones", std::vector<long long>{});
  std::vector<double> fractions = o.milestone_fractions;
  if (fractions.empty()) {
    if (epochs <= 0) throw InputError("pitfall float-milestones: needs at least one epoch");
    for (long long m : own) fractions.push_back(static_cast<double>(m) / epochs);
  }
  if (s.name == "sequential" && fractions.size() != own.size())
    throw InputError("pitfall float-milestones: sequential needs " + std::to_string(own.size()) +
                     " fractions (one per milestone), got " + std::to_string(fractions.size()));
  if (fractions.empty())
    return not_applicable(torch_class(s) + " has no milestones here", torch_class(s) + " 这里没有里程碑");
  std::vector<double> floats;
  std::string fire, never, fire_zh, never_zh;
  for (double f : fractions) {
    if (!std::isfinite(f) || f < 0) throw InputError("pitfall float-milestones: fractions must be >= 0, got " + format_number(f));
    const double m = f * epochs;  // Python: f * epochs, a float
    floats.push_back(m);
    const std::string shown = py_float(f) + " * " + std::to_string(epochs) + " = " + py_float(m);
    std::string& list = m == std::floor(m) ? fire : never;
    list += (list.empty() ? "" : ", ") + shown;
  }
  fire_zh = fire;
  never_zh = never;
  if (s.name == "sequential") std::sort(floats.begin(), floats.end());
  c.x = epochs_axis(epochs);
  c.y = detail::values_with_milestones(s, floats, lr, epochs);
  if (never.empty()) {
    c.explanation = "Milestones written as floats: " + fire + " — all whole numbers, so they still fire (torch's "
                    "Counter finds the int epoch 30 under 30.0); a product that is not whole, such as 0.7 * 90 = "
                    "62.99999999999999, never would";
    c.explanation_zh = "浮点里程碑：" + fire_zh + "——都是整数，所以仍会触发（torch 的 Counter 能用整数 30 找到 30.0）；"
                       "不是整数的乘积（如 0.7 * 90 = 62.99999999999999）则永远不会触发";
    return c;
  }
  if (s.name == "multistep") {
    c.explanation = "Milestones written as floats: " + never + " is not a whole number, so the int epoch never equals "
                    "it and that decay never happens" + (fire.empty() ? "" : " (" + fire + " still fires)");
    c.explanation_zh = "浮点里程碑：" + never_zh + " 不是整数，整数 epoch 永远不会等于它，这次衰减永远不会发生" +
                       (fire_zh.empty() ? "" : "（" + fire_zh + " 仍会触发）");
  } else {
    c.explanation = "Milestones written as floats: " + never + " is not a whole number, so SequentialLR never sees "
                    "it equal the epoch: the next schedule takes over one epoch late, by step() from the current lr "
                    "instead of restarting with step(0)";
    c.explanation_zh = "浮点里程碑：" + never_zh + " 不是整数，SequentialLR 永远看不到它等于 epoch：下一个调度器晚一个 "
                       "epoch 接管，并用 step() 从当前学习率继续，而不是用 step(0) 重新开始";
  }
  return c;
}

// milestones=[30, 60, 60, 80]: Counter({60: 2}) multiplies by γ² at 60.
PitfallCurve repeated_milestone(const ScheduleSpec& s, double lr, int epochs, const PitfallOptions& o, PitfallCurve c) {
  std::vector<long long> ms = s.values.at("milestones").get<std::vector<long long>>();
  if (ms.empty() && !o.repeated_milestone)
    return not_applicable("MultiStepLR has no milestone to repeat here", "MultiStepLR 这里没有可重复的里程碑");
  std::vector<long long> sorted = ms;
  std::sort(sorted.begin(), sorted.end());
  const long long twice = o.repeated_milestone ? *o.repeated_milestone : sorted[sorted.size() / 2];
  if (twice < 0) throw InputError("pitfall repeated-milestone: the milestone must be >= 0, got " + std::to_string(twice));
  nlohmann::json wrong = s.to_json();
  std::vector<long long> with = ms;
  with.push_back(twice);
  std::sort(with.begin(), with.end());
  wrong["milestones"] = with;
  c.x = epochs_axis(epochs);
  c.y = run(parse_schedule(wrong, {epochs}), lr, epochs, epochs);
  const double gamma = s.values.value("gamma", 0.1);
  const long long times = std::count(with.begin(), with.end(), twice);
  std::string list;
  for (long long m : with) list += (list.empty() ? "" : ", ") + std::to_string(m);
  const std::string power = "γ^" + std::to_string(times) + " = " + lr_text(std::pow(gamma, static_cast<double>(times)));
  std::string where = twice < epochs ? "from epoch " + std::to_string(twice) + " the lr is " +
                                            lr_text(c.y[static_cast<std::size_t>(twice)]) + " instead of " +
                                            lr_text(c.correct[static_cast<std::size_t>(twice)])
                                     : "(after the end of this run)";
  std::string where_zh = twice < epochs ? "从第 " + std::to_string(twice) + " 个 epoch 起学习率是 " +
                                               lr_text(c.y[static_cast<std::size_t>(twice)]) + " 而不是 " +
                                               lr_text(c.correct[static_cast<std::size_t>(twice)])
                                        : "（在本次训练结束之后）";
  c.explanation = "milestones=[" + list + "] list " + std::to_string(twice) + " " + std::to_string(times) +
                  " times: MultiStepLR counts them (a Counter) and multiplies by " + power + " there; " + where;
  c.explanation_zh = "milestones=[" + list + "] 中 " + std::to_string(twice) + " 出现了 " + std::to_string(times) +
                     " 次：MultiStepLR 会计数（Counter），在那里乘以 " + power + "；" + where_zh;
  return c;
}

// print(scheduler.get_lr()) at the start of each epoch, where get_last_lr() belongs.
PitfallCurve get_lr(const ScheduleSpec& s, double lr, int epochs, const PitfallOptions& o, PitfallCurve c) {
  std::optional<std::vector<double>> readings = detail::get_lr_readings(s, lr, epochs);
  if (!readings) return not_applicable(torch_class(s) + ".get_lr() raises NotImplementedError in torch 1.13",
                                       torch_class(s) + ".get_lr() 在 torch 1.13 中会抛出 NotImplementedError");
  c.x = epochs_axis(epochs);
  c.y = *readings;
  const std::string warning = "torch warns \"To get the last learning rate computed by the scheduler, please use "
                              "`get_last_lr()`\"";
  long long e = first_difference(c.y, c.correct);
  if (e < 0) {
    c.explanation = "get_lr() outside step() re-applies the step, but within this run it happens to equal "
                    "get_last_lr(); " + warning;
    c.explanation_zh = "在 step() 之外调用 get_lr() 会再执行一次更新，但本次训练中恰好等于 get_last_lr()；torch 会发出警告";
    return c;
  }
  const auto i = static_cast<std::size_t>(e);
  const bool dip = c.y[i] < c.correct[i];
  c.explanation = "get_lr() outside step() applies the chainable step once more: at epoch " + std::to_string(e) +
                  " it reports " + lr_text(c.y[i]) + " while the optimizer uses " + lr_text(c.correct[i]) +
                  " (get_last_lr())" + (dip && (s.name == "step" || s.name == "multistep") ? " — the γ² dip" : "") +
                  "; " + warning;
  c.explanation_zh = "在 step() 之外调用 get_lr() 会把链式更新再做一次：第 " + std::to_string(e) + " 个 epoch 它报告 " +
                     lr_text(c.y[i]) + "，而优化器实际用的是 " + lr_text(c.correct[i]) + "（get_last_lr()）" +
                     (dip && (s.name == "step" || s.name == "multistep") ? "——γ² 的低谷" : "") + "；torch 会发出警告";
  return c;
}

PitfallCurve why_not(Pitfall p, const ScheduleSpec& s) {
  const std::string cls = torch_class(s);
  switch (p) {
    case Pitfall::StepBeforeOptimizer:
      return not_applicable("ReduceLROnPlateau.step(metric) needs the epoch's validation metric, so it cannot come "
                            "before training",
                            "ReduceLROnPlateau.step(metric) 需要本 epoch 的验证指标，不可能在训练之前调用");
    case Pitfall::PerBatchMilestones:
      if (s.name == "plateau")
        return not_applicable("ReduceLROnPlateau reads a validation metric, which exists once per epoch",
                              "ReduceLROnPlateau 读取验证指标，每个 epoch 只有一个");
      return not_applicable(cls + " is meant to be stepped every batch: its step counts are batches",
                            cls + " 本来就按批次步进：它的步数以批次计");
    case Pitfall::FloatMilestones:
      return not_applicable(cls + " has no milestones", cls + " 没有里程碑");
    case Pitfall::RepeatedMilestone:
      if (s.name == "sequential")
        return not_applicable("In SequentialLR a repeated milestone gives a schedule no epochs; it does not decay twice",
                              "在 SequentialLR 中重复的里程碑只会让某个调度器没有 epoch，不会衰减两次");
      return not_applicable("Only MultiStepLR counts repeated milestones; " + cls + " has none",
                            "只有 MultiStepLR 会对重复的里程碑计数；" + cls + " 没有里程碑");
    case Pitfall::GetLr:
      if (s.name == "plateau") return not_applicable("ReduceLROnPlateau has no get_lr()", "ReduceLROnPlateau 没有 get_lr()");
      if (s.info().composite)
        return not_applicable(cls + ".get_lr() raises NotImplementedError in torch 1.13",
                              cls + ".get_lr() 在 torch 1.13 中会抛出 NotImplementedError");
      return not_applicable(cls + ".get_lr() computes the value from last_epoch alone, so it equals get_last_lr()",
                            cls + ".get_lr() 只由 last_epoch 计算，因此等于 get_last_lr()");
    case Pitfall::kCount: break;
  }
  return not_applicable("", "");
}

}  // namespace

// ============================================================================================
// [SECTION] dispatch
// ============================================================================================

PitfallCurve pitfall_curve(Pitfall pitfall, const nlohmann::json& spec, double lr, int epochs,
                           const PitfallOptions& options) {
  if (epochs < 0) throw InputError("pitfall: the number of epochs must be >= 0, got " + std::to_string(epochs));
  ScheduleSpec s = parse_schedule(spec, {epochs});
  if (!pitfall_applies_to(pitfall, s.name)) return why_not(pitfall, s);
  PitfallCurve c;
  c.applies = true;
  c.correct = schedule_values(spec, lr, epochs, options.metrics);
  switch (pitfall) {
    case Pitfall::StepBeforeOptimizer: return step_before_optimizer(s, lr, epochs, options, std::move(c));
    case Pitfall::PerBatchMilestones: return per_batch(s, lr, epochs, options, std::move(c));
    case Pitfall::FloatMilestones: return float_milestones(s, lr, epochs, options, std::move(c));
    case Pitfall::RepeatedMilestone: return repeated_milestone(s, lr, epochs, options, std::move(c));
    case Pitfall::GetLr: return get_lr(s, lr, epochs, options, std::move(c));
    case Pitfall::kCount: break;
  }
  throw std::logic_error("pitfall_curve: unknown pitfall");
}

}  // namespace gs::nn
