// Text forms of schedule specs, read by every front end through these functions:
// - the compact list of `gradscope-cli schedule sequential --schedulers` and of the desktop
//   program's `--view schedules --schedules SPECS`: "step:step_size=30,gamma=0.1;multistep:
//   milestones=30,60,80" — or the same as a JSON list of spec objects;
// - the schedule lab's saved list (a JSON file: the schedules with their labels, colours and
//   pitfall toggles, the lr and the number of epochs);
// - a schedule's one-line label in torch's words ("StepLR(step_size=30, gamma=0.1)").
// JSON is read with a nesting-depth limit and messages that give the line and column.
// Depends on nlohmann-json, schedule_params.h and schedule_pitfalls.h (pitfall names).
#pragma once

#include "nn/schedule_params.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gs::nn {

// JSON text parsed with at most `max_depth` nested arrays/objects. Throws InputError
// "WHAT: not valid JSON at line 3, column 7: ..." or "WHAT: nested deeper than 32 levels at line
// 1, column 140".
nlohmann::json parse_json_text(std::string_view text, const std::string& what, int max_depth = 32);

// A list of schedule specs from text: a JSON list of objects (`[{"name": "step", "step_size":
// 30}]`, a single object is a list of one), or the compact form `name:key=value,…;name:…` where
// keys may use '-' for '_', a list value is `[30,60,80]` or runs on over bare numbers
// (`milestones=30,60,80,gamma=0.1`), and commas inside parentheses or quotes belong to the value
// (`factor=max(0.1, 0.95^epoch)`). Values are typed as schedule_params.h's table says. Only the
// syntax and the names are checked here; parse_schedule checks the values. Throws InputError
// naming WHAT, the schedule's position and the column: "--schedules: schedule 2: expected
// key=value, got 'gamma' at column 31".
nlohmann::json parse_schedule_list_text(std::string_view text, const std::string& what = "--schedules");

// A flag's or a field's text as the table types the parameter: "30" → 30, "0.5" → 0.5, "true" →
// true, "[1,2]" → a list; Choice and Expression parameters stay text. Text that is no valid value
// of its kind is returned as text, so that the spec check names the parameter and the value.
nlohmann::json typed_param_value(const ScheduleParam* param, std::string_view text);

// One line in torch's words, for legends and tables: "StepLR(step_size=30, gamma=0.1)",
// "LambdaLR(lr_lambda=lambda epoch: 0.95^epoch)", "SequentialLR([LinearLR(…), …], milestones=[5])".
// Only the parameters the spec gives are shown. `spec` need not be valid (a lab entry being edited).
std::string describe_schedule(const nlohmann::json& spec);

// ============================================================================================
// The schedule lab's list, saved and loaded as JSON:
//   {"format": "gradscope-schedules", "version": 1, "lr": 0.1, "epochs": 100,
//    "batches_per_epoch": 10,
//    "schedules": [{"spec": {"name": "step", "step_size": 30, "gamma": 0.1},
//                   "label": "StepLR", "color": "#1f77b4", "hidden": false,
//                   "pitfalls": ["get-lr"], "metric_seed": 7}]}
// A bare JSON list of specs (what --schedules takes) reads as a list with the defaults.
// ============================================================================================

struct ScheduleListEntry {
  nlohmann::json spec;                 // checked against the table when read
  std::string label;                   // empty: describe_schedule(spec)
  std::string color;                   // "#rrggbb"; empty: the lab's palette
  bool hidden = false;
  std::vector<std::string> pitfalls;   // keys of schedule_pitfalls.h's table shown for this entry
  std::vector<double> metrics;         // plateau: an explicit metric curve (one value per epoch)
  std::uint64_t metric_seed = 1;       // plateau without `metrics`: synthetic_validation_loss's seed
};

struct ScheduleList {
  double lr = 0.1;
  int epochs = 100;
  int batches_per_epoch = 10;  // the per-batch pitfall's batches per epoch
  std::vector<ScheduleListEntry> schedules;
};

// Throws InputError naming SOURCE, the entry and the key ("lab.json: schedules[2].spec: step:
// step_size must be a positive integer, got 0"); nothing is returned half-read.
ScheduleList read_schedule_list(std::string_view text, const std::string& source = "schedule list");
std::string write_schedule_list(const ScheduleList& list);  // pretty-printed, full precision

// The lab's presets, by name: "classic" (StepLR(30, 0.1), MultiStepLR([30, 60, 80], 0.1),
// ExponentialLR(0.95) at lr 0.1 over 100 epochs: DESIGN.md's default), "warmup-cosine",
// "onecycle", "cyclic", "warm-restarts".
struct ScheduleListPreset {
  std::string key, title, title_zh;
  ScheduleList list;
};
const std::vector<ScheduleListPreset>& schedule_list_presets();

}  // namespace gs::nn
