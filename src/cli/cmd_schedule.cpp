// `gradscope-cli schedule NAME [options] --lr LR --epochs N [--json | --csv]`: the learning rate in
// force during each epoch 0…N−1, computed by src/nn/schedule.h (the trainer's own schedules, equal
// to torch.optim.lr_scheduler). The flags are made from src/nn's schedule parameter table, typed
// by it, and src/nn checks the values; also the momentum where a schedule cycles it, plateau's
// metric (given or generated), a pitfall's wrong curve (--pitfall) and a parameter listing
// (--params). Depends on src/nn (schedule*, spec_reader) and CLI11.
#include "commands.h"

#include "nn/errors.h"
#include "nn/schedule.h"
#include "nn/schedule_lab.h"
#include "nn/schedule_pitfalls.h"
#include "nn/schedule_spec.h"
#include "nn/spec_reader.h"

#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

namespace gs::cli {
namespace {

struct ScheduleOptions {
  std::string name;
  std::optional<double> lr;
  std::optional<int> epochs;
  bool json = false, csv = false, params = false;
  std::map<std::string, std::string> values;  // spec key → text as typed
  std::map<std::string, bool> switches;       // Boolean spec key → value its flag sets
  std::string metrics, pitfall, fractions;
  std::optional<std::uint64_t> metric_seed;
  std::optional<long long> repeated;
  int batches_per_epoch = 10;
};

std::string shortest(double v) { return nn::format_number(v); }

// Every flag the table asks for, once, with the schedules that take it (a key such as factor or
// mode means different things to different schedules: each says its own).
struct Flag {
  const nn::ScheduleParam* param;  // the first schedule's entry (key, flag, kind for Booleans)
  std::vector<std::string> schedules;
  std::vector<const nn::ScheduleParam*> entries;  // one per schedule
};
std::vector<Flag> table_flags() {
  std::vector<Flag> flags;
  for (const auto& s : nn::schedule_table())
    for (const auto& p : s.params) {
      if (!p.cli) continue;
      auto it = std::find_if(flags.begin(), flags.end(), [&](const Flag& f) { return f.param->key == p.key; });
      if (it == flags.end()) it = flags.insert(flags.end(), Flag{&p, {}, {}});
      it->schedules.push_back(s.name);
      it->entries.push_back(&p);
    }
  return flags;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

nlohmann::json build_spec(const ScheduleOptions& o) {
  const nn::ScheduleInfo& info = nn::schedule_info(o.name);
  nlohmann::json spec = {{"name", info.name}};
  for (const auto& [key, text] : o.values) spec[key] = nn::typed_param_value(info.find(key), text);
  for (const auto& [key, on] : o.switches) spec[key] = on;
  return spec;
}

// "step: step_size must be ..." reads better on a command line as "step: --step-size must be ...".
std::string with_flag(const nn::ScheduleParamError& e, const std::string& name) {
  if (!e.top_level()) return e.what();
  const nn::ScheduleInfo* info = nn::find_schedule(name);
  const nn::ScheduleParam* p = info ? info->find(e.key()) : nullptr;
  if (!p) {
    for (const Flag& f : table_flags())
      if (f.param->key == e.key()) {
        std::vector<std::string> own;
        for (const auto& q : info->params)
          if (q.cli) own.push_back(q.flag());
        return e.where() + ": " + f.param->flag() + " does not apply to " + name + " (" + name + " takes " +
               (own.empty() ? "no flags" : joined(own)) + ")";
      }
    return e.what();
  }
  return e.where() + ": " + (p->cli ? p->flag() : p->key) + " " + e.problem();
}

std::vector<double> number_list(const std::string& text, const std::string& flag) {
  nn::ScheduleParam numbers;  // read as a list parameter: "1,0.9,0.9"
  numbers.kind = nn::ParamKind::IntegerList;
  nlohmann::json v = nn::typed_param_value(&numbers, text);
  std::vector<double> out;
  if (!v.is_array()) throw InputError(flag + ": expected numbers separated by commas, got '" + text + "'");
  for (const auto& x : v) {
    if (!x.is_number()) throw InputError(flag + ": '" + x.dump() + "' is not a number");
    out.push_back(x.get<double>());
  }
  return out;
}

void print_params(const nn::ScheduleInfo& info) {
  std::printf("%s (torch's %s): %s\n", info.name.c_str(), info.torch_class.c_str(), info.summary.c_str());
  std::printf("stepped per %s in torch's documentation\n\n", info.stepped_per == nn::StepUnit::Batch ? "batch" : "epoch");
  for (const auto& p : info.params) {
    std::string def = !p.default_value.is_null() ? p.default_value.dump() : !p.absent.empty() ? p.absent : "required";
    std::string kind;
    switch (p.kind) {
      case nn::ParamKind::Integer: kind = p.range.describe(p.kind); break;
      case nn::ParamKind::Number: kind = "number, " + p.range.describe(p.kind); break;
      case nn::ParamKind::Boolean: kind = "true or false"; break;
      case nn::ParamKind::Choice: kind = "one of " + joined(p.choices); break;
      case nn::ParamKind::Expression: kind = "expression in epoch"; break;
      case nn::ParamKind::IntegerList: kind = "list of integers, each " + p.range.describe(p.kind); break;
      case nn::ParamKind::ScheduleList: kind = "list of schedules"; break;
    }
    std::printf("  %-20s %-16s %s\n      %s; default: %s\n", p.cli ? p.flag().c_str() : ("(" + p.key + ")").c_str(),
                p.torch_name.c_str(), p.help.c_str(), kind.c_str(), def.c_str());
  }
}

void run_schedule(const ScheduleOptions& o) {
  if (o.params) return print_params(nn::schedule_info(o.name));
  if (!o.lr) throw InputError("schedule: --lr is required (the optimizer's initial learning rate)");
  if (!o.epochs) throw InputError("schedule: --epochs is required (the number of values printed)");
  const double lr = *o.lr;
  const int epochs = *o.epochs;
  if (!(lr >= 0)) throw InputError("schedule: --lr must be >= 0, got " + shortest(lr));
  if (epochs < 0) throw InputError("schedule: --epochs must be >= 0, got " + std::to_string(epochs));
  if (epochs > nn::kMaxScheduleSteps)
    throw InputError("schedule: --epochs must be at most " + std::to_string(nn::kMaxScheduleSteps) + ", got " +
                     std::to_string(epochs));
  if (o.json && o.csv) throw InputError("schedule: give --json or --csv, not both");
  if (!o.metrics.empty() && o.metric_seed) throw InputError("schedule: give --metrics or --metric-seed, not both");

  nn::ScheduleEntryCurves curves;
  std::optional<nn::PitfallCurve> pitfall;
  try {
    // The lab's own computation for one entry: the same numbers as the Schedules page.
    nn::ScheduleListEntry entry;
    entry.spec = build_spec(o);
    if ((!o.metrics.empty() || o.metric_seed) && o.name != "plateau")
      throw InputError(o.name + ": " + (o.metric_seed ? "--metric-seed" : "--metrics") +
                       " applies to plateau only (it reads a metric)");
    if (!o.metrics.empty()) entry.metrics = number_list(o.metrics, "--metrics");
    entry.metric_seed = o.metric_seed.value_or(1);
    curves = nn::schedule_entry_curves(entry, lr, epochs);
    const nlohmann::json& spec = entry.spec;
    if (!o.pitfall.empty()) {
      const nn::PitfallInfo* info = nn::find_pitfall(o.pitfall);
      if (!info) {
        std::vector<std::string> keys;
        for (const auto& p : nn::pitfall_table()) keys.push_back(p.key);
        throw InputError("schedule: --pitfall must be one of " + joined(keys) + ", got '" + o.pitfall + "'");
      }
      nn::PitfallOptions po;
      po.batches_per_epoch = o.batches_per_epoch;
      po.metrics = curves.metrics;
      if (o.repeated) po.repeated_milestone = *o.repeated;
      if (!o.fractions.empty()) po.milestone_fractions = number_list(o.fractions, "--milestone-fractions");
      pitfall = nn::pitfall_curve(info->id, spec, lr, epochs, po);
    }
  } catch (const nn::ScheduleParamError& e) {
    throw InputError(with_flag(e, o.name));
  }

  const nn::ScheduleSeries& series = curves.series;
  const std::vector<double>& metrics = curves.metrics;
  if (o.json) {
    nlohmann::ordered_json j;
    j["lr"] = series.lr;
    if (!series.momentum.empty()) j["momentum"] = series.momentum;
    if (o.name == "plateau") j["metrics"] = metrics;
    if (!curves.markers.empty()) {
      nlohmann::ordered_json marks = nlohmann::ordered_json::array();
      for (const auto& m : curves.markers)
        marks.push_back({{"epoch", m.epoch}, {"kind", nn::marker_kind_name(m.kind)}, {"label", m.label}});
      j["markers"] = marks;
    }
    if (pitfall) {
      nlohmann::ordered_json p;
      p["name"] = o.pitfall;
      p["applies"] = pitfall->applies;
      p["x"] = pitfall->x;
      p["lr"] = pitfall->y;
      p["explanation"] = pitfall->explanation;
      p["explanation_zh"] = pitfall->explanation_zh;
      j["pitfall"] = p;
    }
    std::cout << j.dump() << "\n";
    return;
  }
  if (pitfall) {
    if (!o.csv) std::printf("# %s\n", pitfall->explanation.c_str());
    std::printf(o.csv ? "epoch,lr\n" : "%8s  %s\n", "epoch", "lr");
    for (std::size_t k = 0; k < pitfall->x.size(); ++k)
      std::printf(o.csv ? "%s,%s\n" : "%8s  %s\n", shortest(pitfall->x[k]).c_str(), shortest(pitfall->y[k]).c_str());
    return;
  }
  const bool momentum = !series.momentum.empty(), metric = o.name == "plateau";
  // The metric reported after epoch e (the last epoch's may be missing: nothing reads it).
  auto metric_at = [&](std::size_t e) { return e < metrics.size() ? shortest(metrics[e]) : std::string(); };
  if (o.csv) {
    std::cout << "epoch,lr" << (momentum ? ",momentum" : "") << (metric ? ",metric" : "") << "\n";
    for (std::size_t e = 0; e < series.lr.size(); ++e)
      std::cout << e << "," << shortest(series.lr[e]) << (momentum ? "," + shortest(series.momentum[e]) : "")
                << (metric ? "," + metric_at(e) : "") << "\n";
    return;
  }
  std::printf("%6s  %-24s%s%s\n", "epoch", "lr", momentum ? "momentum" : "", metric ? "metric" : "");
  for (std::size_t e = 0; e < series.lr.size(); ++e)
    std::printf("%6zu  %-24s%s%s\n", e, shortest(series.lr[e]).c_str(),
                momentum ? shortest(series.momentum[e]).c_str() : "", metric ? metric_at(e).c_str() : "");
}

}  // namespace

void add_schedule_command(CLI::App& app) {
  auto opt = std::make_shared<ScheduleOptions>();
  CLI::App* sub = app.add_subcommand("schedule", "The learning rate of each epoch under a torch.optim.lr_scheduler schedule");
  sub->add_option("name", opt->name, "Schedule: " + joined(nn::schedule_names()))->required();
  sub->add_option_function<double>("--lr", [opt](double v) { opt->lr = v; }, "Initial learning rate (the optimizer's lr)")
      ->type_name("LR");
  sub->add_option_function<std::string>("--epochs", [opt](const std::string& v) {
    opt->epochs = parse_integer_option("--epochs", v, 0, nn::kMaxScheduleSteps);
  }, "Number of epochs (values printed: epochs 0…N−1)")
      ->type_name("N");
  sub->add_flag("--json", opt->json, "One JSON object {\"lr\": [...]} (full precision; also momentum, metrics, pitfall)");
  sub->add_flag("--csv", opt->csv, "CSV: epoch,lr (and momentum, metric where they exist)");
  sub->add_flag("--params", opt->params, "List NAME's parameters: flag, torch's name, type, range, default");
  for (const Flag& f : table_flags()) {
    const nn::ScheduleParam& p = *f.param;
    const std::string key = p.key;
    bool same = true;
    for (const auto* e : f.entries) same = same && e->help == p.help;
    std::string help = p.help + " [" + joined(f.schedules) + "]";
    if (!same) {  // "step, multistep: ...; exponential: ..."
      std::vector<std::pair<std::string, std::vector<std::string>>> groups;
      for (std::size_t i = 0; i < f.entries.size(); ++i) {
        auto g = std::find_if(groups.begin(), groups.end(), [&](const auto& x) { return x.first == f.entries[i]->help; });
        if (g == groups.end()) g = groups.insert(groups.end(), {f.entries[i]->help, {}});
        g->second.push_back(f.schedules[i]);
      }
      help.clear();
      for (const auto& [text, names] : groups) help += (help.empty() ? "" : "; ") + joined(names) + ": " + text;
    }
    if (p.kind == nn::ParamKind::Boolean) {
      const bool sets = !(p.default_value.is_boolean() && p.default_value.get<bool>());
      sub->add_flag_callback(p.flag(), [opt, key, sets] { opt->switches[key] = sets; }, help);
      continue;
    }
    std::vector<std::string> types;
    for (const auto* e : f.entries) {
      std::string t = "VALUE";
      if (e->kind == nn::ParamKind::IntegerList) t = "E1,E2,...";
      if (e->kind == nn::ParamKind::ScheduleList) t = "SPECS";
      if (e->kind == nn::ParamKind::Expression) t = "EXPR";
      if (e->kind == nn::ParamKind::Choice) t = joined(e->choices);
      if (std::find(types.begin(), types.end(), t) == types.end()) types.push_back(t);
    }
    std::string type;
    for (const auto& t : types) type += (type.empty() ? "" : " | ") + t;
    sub->add_option_function<std::string>(p.flag(), [opt, key](const std::string& v) { opt->values[key] = v; }, help)
        ->type_name(type);
  }
  sub->add_option("--metrics", opt->metrics, "plateau: the metric reported after each epoch (default: a generated "
                                             "validation loss)")
      ->type_name("M0,M1,...");
  sub->add_option_function<std::string>("--metric-seed", [opt](const std::string& v) {
    opt->metric_seed = parse_integer_option("--metric-seed", v, std::uint64_t{0}, UINT64_MAX);
  },
                                          "plateau: seed of the generated validation loss (default 1)")
      ->type_name("N");
  sub->add_option("--pitfall", opt->pitfall, "Print the curve of a common mistake instead: step-before-optimizer, "
                                             "per-batch-milestones, float-milestones, repeated-milestone, get-lr")
      ->type_name("NAME");
  add_integer_option(sub, "--batches-per-epoch", opt->batches_per_epoch, 1, nn::kMaxScheduleSteps,
                     "--pitfall per-batch-milestones: batches per epoch (10)")
      ->type_name("B");
  sub->add_option("--milestone-fractions", opt->fractions, "--pitfall float-milestones: milestones as fractions of "
                                                           "--epochs (default: milestone / epochs)")
      ->type_name("F1,F2,...");
  sub->add_option_function<long long>("--repeated-milestone", [opt](long long v) { opt->repeated = v; },
                                      "--pitfall repeated-milestone: the milestone listed twice (default: the middle one)")
      ->type_name("M");
  sub->footer(
      "Examples:\n"
      "  gradscope-cli schedule step --step-size 30 --gamma 0.1 --lr 0.1 --epochs 100\n"
      "  gradscope-cli schedule multistep --milestones 30,60,80 --gamma 0.1 --lr 0.1 --epochs 100 --json\n"
      "  gradscope-cli schedule cosine --t-max 10 --eta-min 0.001 --lr 0.1 --epochs 30 --csv\n"
      "  gradscope-cli schedule cyclic --base-lr 0.001 --max-lr 0.1 --step-size-up 5 --mode triangular2 --lr 0.1 --epochs 40\n"
      "  gradscope-cli schedule lambda --factor '1/(1 + 0.1*epoch)' --lr 0.1 --epochs 20\n"
      "  gradscope-cli schedule multiplicative --factor '0.95^epoch' --lr 0.1 --epochs 20\n"
      "  gradscope-cli schedule onecycle --max-lr 0.1 --lr 0.1 --epochs 50\n"
      "  gradscope-cli schedule sequential --schedulers 'linear:start_factor=0.1,total_iters=5;cosine:t_max=25' \\\n"
      "      --milestones 5 --lr 0.1 --epochs 30\n"
      "  gradscope-cli schedule plateau --patience 1 --metrics 1,0.9,0.9,0.9,0.9 --lr 0.1 --epochs 6\n"
      "  gradscope-cli schedule step --step-size 30 --lr 0.1 --epochs 100 --pitfall get-lr\n"
      "  gradscope-cli schedule cyclic --params");
  sub->callback([opt] { run_schedule(*opt); });
}

}  // namespace gs::cli
