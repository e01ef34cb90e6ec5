// The schedule parameter table: every schedule make_scheduler knows, with its parameters as torch
// 1.13 spells them, their types, defaults, valid ranges and help (English and Chinese). One place
// serves the CLI's flags (cmd_schedule.cpp builds them from it), the spec reader (every value of a
// spec is checked against it here) and the schedule lab's editor (sliders and fields). Adding a
// parameter is one entry below plus its use in the schedule's recurrence (schedule.cpp), which
// reads it through ParamArgs: a parameter nobody reads, or a read of a key not in the table, is a
// logic_error at the first build (tests build every schedule). Depends on nlohmann-json and errors.h.
#pragma once

#include "nn/errors.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace gs::nn {

// ============================================================================================
// [SECTION] the table
// ============================================================================================

enum class ParamKind : std::uint8_t {
  Integer,       // a JSON integer (30, never 30.0)
  Number,        // any JSON number
  Boolean,       // true / false
  Choice,        // one of `choices`
  Expression,    // text in gradscope's expression language, in the variable `epoch`
  IntegerList,   // a list of integers, each in `range`
  ScheduleList,  // a list of schedule specs (sequential, chained members)
};

// Valid values lo ≤ v ≤ hi, either end open; for lists, each element.
struct ParamRange {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false, hi_open = false;

  bool contains(double v) const;
  // What the message says a value must be: "a positive integer", "> 0", "between 0 and 1".
  std::string describe(ParamKind kind) const;
};

// Where a slider for the parameter should go (the lab's editor). Valid values outside it can still
// be typed; `to_run_length` makes the upper end the run's number of steps (step sizes, periods).
struct SliderHint {
  double lo = 0.0, hi = 1.0;
  bool log = false;
  bool to_run_length = false;
};

struct ScheduleParam {
  std::string key;         // the spec's JSON key: "step_size", "t_max" (the CLI flag --step-size, --t-max)
  std::string torch_name;  // torch's argument name: "step_size", "T_max", "lr_lambda"
  ParamKind kind = ParamKind::Number;
  nlohmann::json default_value;  // null: no fixed default (required, unless `absent` says otherwise)
  std::string absent;            // non-empty: may be left out, and this says what that means
  ParamRange range;
  std::vector<std::string> choices;  // Choice only
  std::string unit;                  // "steps" (scheduler steps: epochs, or batches per batch), "lr", ""
  std::string help, help_zh;         // one line each
  SliderHint slider;
  bool cli = true;  // false: not a flag of `gradscope-cli schedule` (it would clash with the run's own)

  bool is_list() const { return kind == ParamKind::IntegerList || kind == ParamKind::ScheduleList; }
  bool required() const { return default_value.is_null() && absent.empty(); }
  // The CLI flag: "--step-size"; a Boolean defaulting to true is turned off by "--no-KEY".
  std::string flag() const;
};

enum class StepUnit : std::uint8_t { Epoch, Batch };

struct ScheduleInfo {
  std::string name;         // make_scheduler's name: "cyclic"
  std::string torch_class;  // "CyclicLR"
  std::string summary, summary_zh;
  StepUnit stepped_per = StepUnit::Epoch;  // how torch's documentation steps it
  bool needs_metric = false;               // ReduceLROnPlateau: step(metric)
  bool composite = false;                  // built from member schedules (sequential, chained)
  bool can_be_member = true;               // may run inside SequentialLR (it restarts members at 0)
  std::vector<ScheduleParam> params;

  const ScheduleParam* find(std::string_view key) const;
};

// Every schedule, in the order the CLI and the lab list them.
const std::vector<ScheduleInfo>& schedule_table();
// nullptr for an unknown name.
const ScheduleInfo* find_schedule(std::string_view name);
// The table's entry for `name`; InputError "WHERE: unknown schedule 'stepp' (did you mean 'step'?
// known: ...)" otherwise.
const ScheduleInfo& schedule_info(std::string_view name, const std::string& where = "schedule");

// ============================================================================================
// [SECTION] checked specs
// ============================================================================================

// A bad parameter value: `where` names the schedule ("step", "sequential member 2 (cosine)"),
// `key` the parameter, `problem` what is wrong. what() is "WHERE: KEY PROBLEM"; the CLI says
// "WHERE: --FLAG PROBLEM" for a top-level schedule and the lab shows it beside the field.
class ScheduleParamError : public InputError {
 public:
  ScheduleParamError(std::string where, std::string key, std::string problem, bool top_level);
  const std::string& where() const { return where_; }
  const std::string& key() const { return key_; }
  const std::string& problem() const { return problem_; }
  bool top_level() const { return top_level_; }  // the spec's own key, not a member's

 private:
  std::string where_, key_, problem_;
  bool top_level_;
};

// A schedule spec whose every value has been checked against the table: known keys only, types
// and ranges right, members checked likewise. Read once; make_scheduler builds from it.
struct ScheduleSpec {
  std::string name;
  nlohmann::json values = nlohmann::json::object();  // the keys the spec gave (members excluded)
  std::vector<ScheduleSpec> members;                 // sequential, chained
  std::string where;                                 // for messages: "step", "chained member 2 (cosine)"
  bool top_level = true;

  const ScheduleInfo& info() const;
  nlohmann::json to_json() const;  // the spec back as JSON (members included)
};

// Checks `spec` (e.g. {"name": "step", "step_size": 30}) against the table: ScheduleParamError
// (an InputError) for the first bad value, InputError for a bad name or a spec that is not an
// object. Members nest at most kMaxScheduleDepth deep. Rules between parameters (milestone counts,
// run lengths) are checked when the schedule is built (schedule.h's parse_schedule does both).
ScheduleSpec check_schedule_spec(const nlohmann::json& spec, const std::string& where = "schedule");
constexpr int kMaxScheduleDepth = 8;

// Reads a checked spec's values for one build, with the table's defaults, and remembers what was
// read: finish() throws std::logic_error naming a table parameter the build never read, and
// reading a key the table lacks is a logic_error too (schedule.cpp's builders use it).
class ParamArgs {
 public:
  explicit ParamArgs(const ScheduleSpec& spec);
  bool has(const std::string& key);  // given in the spec (marks the key read)
  long long integer(const std::string& key);
  double number(const std::string& key);
  bool boolean(const std::string& key);
  std::string text(const std::string& key);  // Choice, Expression
  std::vector<long long> integers(const std::string& key);
  [[noreturn]] void fail(const std::string& key, const std::string& problem) const;
  void finish() const;
  const ScheduleSpec& spec() const { return spec_; }

 private:
  const nlohmann::json& value(const std::string& key);  // the given value or the default
  const ScheduleSpec& spec_;
  const ScheduleInfo& info_;
  std::set<std::string> read_;
};

}  // namespace gs::nn
