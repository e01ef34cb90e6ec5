// The schedule parameter table against the schedules it describes: every schedule has an entry,
// every entry is read by its schedule's build, defaults lie in their own ranges, and the checks it
// drives give one-line messages naming the parameter.
#include "nn/errors.h"
#include "nn/schedule.h"
#include "nn/schedule_params.h"
#include "test_util.h"

#include <set>

namespace gs::nn {
namespace {

using nlohmann::json;

// A value `p` accepts, for specs that must give it.
json sample(const ScheduleParam& p) {
  if (!p.default_value.is_null()) return p.default_value;
  switch (p.kind) {
    case ParamKind::Integer: return p.slider.to_run_length ? 20LL : static_cast<long long>(std::max(1.0, p.range.lo));
    case ParamKind::Number: return std::isfinite(p.range.lo) ? p.range.lo + 0.5 : 0.5;
    case ParamKind::Boolean: return true;
    case ParamKind::Choice: return p.choices.front();
    case ParamKind::Expression: return "0.9^epoch";
    case ParamKind::IntegerList: return json::array();
    case ParamKind::ScheduleList: return json::array({{{"name", "exponential"}, {"gamma", 0.9}}});
  }
  return nullptr;
}

// The smallest spec of `info` (required values only) and the fullest (every parameter given).
json spec_of(const ScheduleInfo& info, bool every) {
  json spec = {{"name", info.name}};
  for (const auto& p : info.params)
    if (p.required() || every) spec[p.key] = sample(p);
  return spec;
}

TEST(ScheduleParams, EveryScheduleHasAnEntryAndEveryEntryIsRead) {
  std::set<std::string> names;
  for (const ScheduleInfo& info : schedule_table()) {
    EXPECT_TRUE(names.insert(info.name).second) << "duplicate " << info.name;
    for (bool every : {false, true}) {
      json spec = spec_of(info, every);
      // A parameter the build never reads, or a read of a key the table lacks, throws logic_error.
      EXPECT_NO_THROW(schedule_values(spec, 0.1, 20, std::vector<double>(19, 1.0))) << spec.dump();
    }
  }
  EXPECT_EQ(schedule_names().size(), schedule_table().size());
  EXPECT_GE(schedule_table().size(), 15u);
  for (const char* torch_has : {"cyclic", "multiplicative", "lambda"}) EXPECT_TRUE(find_schedule(torch_has));
}

TEST(ScheduleParams, EntriesAreWellFormed) {
  std::set<std::string> classes;
  for (const ScheduleInfo& info : schedule_table()) {
    EXPECT_TRUE(classes.insert(info.torch_class).second) << info.torch_class;
    EXPECT_FALSE(info.summary.empty() || info.summary_zh.empty()) << info.name;
    std::set<std::string> keys;
    for (const ScheduleParam& p : info.params) {
      const std::string where = info.name + "." + p.key;
      EXPECT_TRUE(keys.insert(p.key).second) << "duplicate " << where;
      EXPECT_NE(p.key, "name") << where;
      EXPECT_FALSE(p.torch_name.empty() || p.help.empty() || p.help_zh.empty()) << where;
      EXPECT_EQ(p.help.find('\n'), std::string::npos) << where;
      EXPECT_EQ(p.kind == ParamKind::Choice, !p.choices.empty()) << where;
      if (p.default_value.is_null()) continue;
      // A default must pass its own check.
      json spec = spec_of(info, false);
      spec[p.key] = p.default_value;
      EXPECT_NO_THROW(check_schedule_spec(spec)) << where;
      if (p.kind == ParamKind::Number || p.kind == ParamKind::Integer) {
        EXPECT_TRUE(p.range.contains(p.default_value.get<double>())) << where;
      }
    }
  }
}

// Every parameter given out of its range is refused with a message naming the schedule and the key.
TEST(ScheduleParams, OutOfRangeValuesAreRefusedNamingTheKey) {
  int checked = 0;
  for (const ScheduleInfo& info : schedule_table()) {
    for (const ScheduleParam& p : info.params) {
      json bad;
      if ((p.kind == ParamKind::Number || p.kind == ParamKind::Integer) && std::isfinite(p.range.lo))
        bad = p.kind == ParamKind::Integer ? json(static_cast<long long>(p.range.lo) - 1) : json(p.range.lo - 1);
      else if (p.kind == ParamKind::Choice)
        bad = "no-such-choice";
      else if (p.kind == ParamKind::Boolean)
        bad = "yes";
      else
        continue;
      json spec = spec_of(info, false);
      spec[p.key] = bad;
      try {
        check_schedule_spec(spec);
        ADD_FAILURE() << info.name << " accepted " << p.key << " = " << bad.dump();
      } catch (const ScheduleParamError& e) {
        EXPECT_EQ(e.key(), p.key);
        EXPECT_EQ(std::string(e.what()).rfind(info.name + ": " + p.key + " ", 0), 0u) << e.what();
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 40);
}

TEST(ScheduleParams, RangesDescribeThemselves) {
  EXPECT_EQ((ParamRange{1, INFINITY, false, false}.describe(ParamKind::Integer)), "a positive integer");
  EXPECT_EQ((ParamRange{0, INFINITY, false, false}.describe(ParamKind::Integer)), "a non-negative integer");
  EXPECT_EQ((ParamRange{0, INFINITY, true, false}.describe(ParamKind::Number)), "> 0");
  EXPECT_EQ((ParamRange{0, 1, false, false}.describe(ParamKind::Number)), "between 0 and 1");
  EXPECT_EQ((ParamRange{0, 1, false, true}.describe(ParamKind::Number)), ">= 0 and < 1");
  EXPECT_FALSE((ParamRange{0, 1, false, true}.contains(1.0)));
  EXPECT_FALSE((ParamRange{0, 1, false, false}.contains(NAN)));
}

TEST(ScheduleParams, FlagsFollowTheKeys) {
  const ScheduleInfo& cyclic = schedule_info("cyclic");
  EXPECT_EQ(cyclic.find("step_size_up")->flag(), "--step-size-up");
  EXPECT_EQ(cyclic.find("cycle_momentum")->flag(), "--no-cycle-momentum");
  EXPECT_EQ(schedule_info("onecycle").find("three_phase")->flag(), "--three-phase");
  EXPECT_EQ(schedule_info("cosine").find("t_max")->torch_name, "T_max");
  EXPECT_EQ(schedule_info("lambda").find("factor")->torch_name, "lr_lambda");
  EXPECT_EQ(schedule_info("lambda").find("factor")->kind, ParamKind::Expression);
  EXPECT_TRUE(schedule_info("multistep").find("milestones")->is_list());
  EXPECT_EQ(schedule_info("cyclic").stepped_per, StepUnit::Batch);
  EXPECT_THROW(schedule_info("cyclicc"), InputError);
}

// A checked spec prints back as the JSON it came from, members included.
TEST(ScheduleParams, CheckedSpecRoundTrips) {
  json spec = {{"name", "sequential"},
               {"milestones", {5}},
               {"schedulers", {{{"name", "linear"}, {"start_factor", 0.1}, {"total_iters", 5}},
                               {{"name", "lambda"}, {"factor", "0.95^epoch"}}}}};
  ScheduleSpec s = check_schedule_spec(spec);
  EXPECT_EQ(s.to_json(), spec);
  EXPECT_EQ(s.members.size(), 2u);
  EXPECT_EQ(s.members[1].where, "sequential member 2 (lambda)");
  EXPECT_FALSE(s.members[1].top_level);
}

}  // namespace
}  // namespace gs::nn
