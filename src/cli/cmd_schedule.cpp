// `gradscope-cli schedule NAME [options] --lr LR --epochs N [--json | --csv]`: the learning rate in
// force during each epoch 0…N−1, computed by src/nn/schedule.h (the trainer's own schedules, equal
// to torch.optim.lr_scheduler). Flags become the schedule's JSON spec; src/nn checks the values.
// Depends on src/nn (schedule, spec_reader) and CLI11.
#include "commands.h"

#include "nn/errors.h"
#include "nn/schedule.h"
#include "nn/spec_reader.h"

#include <charconv>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

namespace gs::cli {
namespace {

// Flag → spec key, e.g. --step-size → step_size. Every schedule parameter has one.
const std::vector<std::pair<std::string, std::string>> kFlags = {
    {"--step-size", "step_size"},     {"--gamma", "gamma"},
    {"--t-max", "t_max"},             {"--eta-min", "eta_min"},
    {"--start-factor", "start_factor"}, {"--end-factor", "end_factor"},
    {"--total-iters", "total_iters"}, {"--factor", "factor"},
    {"--power", "power"},             {"--max-lr", "max_lr"},
    {"--total-steps", "total_steps"}, {"--pct-start", "pct_start"},
    {"--anneal-strategy", "anneal_strategy"}, {"--div-factor", "div_factor"},
    {"--final-div-factor", "final_div_factor"}, {"--base-momentum", "base_momentum"},
    {"--max-momentum", "max_momentum"}, {"--t-0", "t_0"},
    {"--t-mult", "t_mult"},           {"--mode", "mode"},
    {"--patience", "patience"},       {"--threshold", "threshold"},
    {"--threshold-mode", "threshold_mode"}, {"--cooldown", "cooldown"},
    {"--min-lr", "min_lr"},           {"--eps", "eps"},
};

struct ScheduleOptions {
  std::string name;
  double lr = -1;
  int epochs = -1;
  bool json = false, csv = false;
  std::map<std::string, std::string> values;  // spec key → text as typed
  std::string milestones, schedulers, metrics;
  bool three_phase = false, no_cycle_momentum = false;
};

// "30" → 30, "0.5" → 0.5, "cos" → "cos": integers stay integers so that the spec reader can tell
// a non-integer milestone or step size from an integer one.
nlohmann::json typed_value(const std::string& text) {
  long long i;
  auto [pi, ei] = std::from_chars(text.data(), text.data() + text.size(), i);
  if (ei == std::errc() && pi == text.data() + text.size()) return i;
  double d;
  auto [pd, ed] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (ed == std::errc() && pd == text.data() + text.size()) return d;
  if (text == "true") return true;
  if (text == "false") return false;
  return text;
}

nlohmann::json number_list(const std::string& text, const std::string& flag) {
  nlohmann::json out = nlohmann::json::array();
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    nlohmann::json v = typed_value(item);
    if (!v.is_number()) throw InputError(flag + ": '" + item + "' is not a number");
    out.push_back(v);
  }
  return out;
}

// Members of sequential/chained: a JSON array, or "linear:start_factor=0.1,total_iters=5;cosine:t_max=15".
nlohmann::json member_list(const std::string& text) {
  if (!text.empty() && text.front() == '[') {
    try {
      return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
      throw InputError(std::string("--schedulers: not valid JSON (") + e.what() + ")");
    }
  }
  nlohmann::json out = nlohmann::json::array();
  std::stringstream ss(text);
  std::string member;
  while (std::getline(ss, member, ';')) {
    auto colon = member.find(':');
    nlohmann::json spec = {{"name", member.substr(0, colon)}};
    if (colon != std::string::npos) {
      std::stringstream ps(member.substr(colon + 1));
      std::string pair;
      while (std::getline(ps, pair, ',')) {
        auto eq = pair.find('=');
        if (eq == std::string::npos) throw InputError("--schedulers: expected key=value in '" + pair + "'");
        std::string key = pair.substr(0, eq);
        std::replace(key.begin(), key.end(), '-', '_');
        spec[key] = typed_value(pair.substr(eq + 1));
      }
    }
    out.push_back(spec);
  }
  return out;
}

nlohmann::json build_spec(const ScheduleOptions& o) {
  nlohmann::json spec = {{"name", o.name}};
  for (const auto& [key, text] : o.values) spec[key] = typed_value(text);
  if (!o.milestones.empty()) spec["milestones"] = number_list(o.milestones, "--milestones");
  if (!o.schedulers.empty()) spec["schedulers"] = member_list(o.schedulers);
  if (o.three_phase) spec["three_phase"] = true;
  if (o.no_cycle_momentum) spec["cycle_momentum"] = false;
  return spec;
}

// "step: step_size must be ..." reads better on a command line as "step: --step-size must be ...".
std::string with_flag_names(std::string message) {
  auto flags = kFlags;
  flags.insert(flags.end(), {{"--milestones", "milestones"}, {"--schedulers", "schedulers"}});
  for (const auto& [flag, key] : flags) {
    auto at = message.find(": " + key + " ");
    if (at != std::string::npos) message.replace(at + 2, key.size(), flag);
    const std::string unknown = "unknown key '" + key + "'";
    at = message.find(unknown);
    if (at != std::string::npos) message.replace(at, unknown.size(), flag + " does not apply to this schedule");
  }
  return message;
}

std::string shortest(double v) { return nn::format_number(v); }

void run_schedule(const ScheduleOptions& o) {
  if (o.lr < 0) throw InputError("schedule: --lr must be >= 0, got " + shortest(o.lr));
  if (o.epochs < 0) throw InputError("schedule: --epochs must be >= 0, got " + std::to_string(o.epochs));
  if (o.json && o.csv) throw InputError("schedule: give --json or --csv, not both");
  std::vector<double> lrs, momentum;
  try {
    nlohmann::json spec = build_spec(o);
    std::vector<double> metrics;
    if (!o.metrics.empty())
      for (const auto& v : number_list(o.metrics, "--metrics")) metrics.push_back(v.get<double>());
    lrs = nn::schedule_values(spec, o.lr, o.epochs, metrics);
    if (spec.value("name", "") == "onecycle" && !o.no_cycle_momentum) {
      auto group = std::make_shared<nn::LrGroup>();
      group->lr = o.lr;
      auto s = nn::make_scheduler(spec, group, {o.epochs});
      for (int e = 0; e < o.epochs; ++e) {
        momentum.push_back(group->momentum.value_or(0.0));
        if (e + 1 < o.epochs) s->step();
      }
    }
  } catch (const nn::InputError& e) {
    throw InputError(with_flag_names(e.what()));
  }
  if (o.json) {
    nlohmann::ordered_json j;
    j["lr"] = lrs;
    if (!momentum.empty()) j["momentum"] = momentum;
    std::cout << j.dump() << "\n";
  } else if (o.csv) {
    std::cout << (momentum.empty() ? "epoch,lr\n" : "epoch,lr,momentum\n");
    for (std::size_t e = 0; e < lrs.size(); ++e)
      std::cout << e << "," << shortest(lrs[e]) << (momentum.empty() ? "" : "," + shortest(momentum[e])) << "\n";
  } else {
    if (momentum.empty()) {
      std::printf("%6s  %s\n", "epoch", "lr");
      for (std::size_t e = 0; e < lrs.size(); ++e) std::printf("%6zu  %s\n", e, shortest(lrs[e]).c_str());
    } else {
      std::printf("%6s  %-24s%s\n", "epoch", "lr", "momentum");
      for (std::size_t e = 0; e < lrs.size(); ++e)
        std::printf("%6zu  %-24s%s\n", e, shortest(lrs[e]).c_str(), shortest(momentum[e]).c_str());
    }
  }
}

}  // namespace

void add_schedule_command(CLI::App& app) {
  auto opt = std::make_shared<ScheduleOptions>();
  CLI::App* sub = app.add_subcommand("schedule", "The learning rate of each epoch under a torch.optim.lr_scheduler schedule");
  std::string names;
  for (const auto& n : nn::schedule_names()) names += (names.empty() ? "" : ", ") + n;
  sub->add_option("name", opt->name, "Schedule: " + names)->required();
  sub->add_option("--lr", opt->lr, "Initial learning rate (the optimizer's lr)")->required();
  sub->add_option("--epochs", opt->epochs, "Number of epochs (values printed: epochs 0…N−1)")->required();
  sub->add_flag("--json", opt->json, "One JSON object {\"lr\": [...]} (full precision)");
  sub->add_flag("--csv", opt->csv, "CSV: epoch,lr");
  for (const auto& [flag, key] : kFlags) {
    std::string k = key;
    sub->add_option_function<std::string>(
           flag, [opt, k](const std::string& v) { opt->values[k] = v; }, "Schedule parameter " + key)
        ->type_name("VALUE");
  }
  sub->add_option("--milestones", opt->milestones, "multistep: decay epochs (a repeat decays twice); "
                                                   "sequential: switch epochs")
      ->type_name("E1,E2,...");
  sub->add_option("--schedulers", opt->schedulers, "sequential/chained members: 'linear:start_factor=0.1,total_iters=5;cosine:t_max=15' or a JSON list")
      ->type_name("SPECS");
  sub->add_option("--metrics", opt->metrics, "plateau: the metric reported after each epoch")->type_name("M0,M1,...");
  sub->add_flag("--three-phase", opt->three_phase, "onecycle: the original paper's three phases");
  sub->add_flag("--no-cycle-momentum", opt->no_cycle_momentum, "onecycle: leave the momentum alone");
  sub->footer(
      "Examples:\n"
      "  gradscope-cli schedule step --step-size 30 --gamma 0.1 --lr 0.1 --epochs 100\n"
      "  gradscope-cli schedule multistep --milestones 30,60,80 --gamma 0.1 --lr 0.1 --epochs 100 --json\n"
      "  gradscope-cli schedule cosine --t-max 10 --eta-min 0.001 --lr 0.1 --epochs 30 --csv\n"
      "  gradscope-cli schedule onecycle --max-lr 0.1 --lr 0.1 --epochs 50\n"
      "  gradscope-cli schedule sequential --schedulers 'linear:start_factor=0.1,total_iters=5;cosine:t_max=25' \\\n"
      "      --milestones 5 --lr 0.1 --epochs 30\n"
      "  gradscope-cli schedule plateau --patience 1 --metrics 1,0.9,0.9,0.9,0.9 --lr 0.1 --epochs 6");
  sub->callback([opt] { run_schedule(*opt); });
}

}  // namespace gs::cli
