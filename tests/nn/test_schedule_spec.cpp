// The text forms of schedule specs: the compact `name:key=value,…;…` list and its JSON twin (the
// CLI's --schedulers and the desktop program's --schedules), JSON depth limits, torch-style labels,
// the lab's saved list and its presets; and the synthetic validation loss of the plateau lab.
#include "nn/errors.h"
#include "nn/schedule.h"
#include "nn/schedule_metric.h"
#include "nn/schedule_spec.h"
#include "test_util.h"

#include <cmath>
#include <functional>

namespace gs::nn {
namespace {

using nlohmann::json;

void expect_error(const std::function<void()>& f, const std::string& fragment) {
  try {
    f();
    ADD_FAILURE() << "no error; expected one containing: " << fragment;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
  }
}

TEST(ScheduleText, CompactFormEqualsTheJsonForm) {
  json compact = parse_schedule_list_text(
      "step:step_size=30,gamma=0.1; multistep:milestones=30,60,80,gamma=0.1 ;exponential:gamma=0.95");
  json listed = parse_schedule_list_text(R"([{"name": "step", "step_size": 30, "gamma": 0.1},
      {"name": "multistep", "milestones": [30, 60, 80], "gamma": 0.1}, {"name": "exponential", "gamma": 0.95}])");
  EXPECT_EQ(compact, listed);
  EXPECT_TRUE(compact[1]["milestones"][0].is_number_integer());
  EXPECT_EQ(parse_schedule_list_text("multistep:milestones=[30, 60],gamma=0.5"),
            parse_schedule_list_text("multistep:gamma=0.5,milestones=30,60"));
  EXPECT_EQ(parse_schedule_list_text(R"({"name": "cosine", "t_max": 10})"), parse_schedule_list_text("cosine:t-max=10"));
}

TEST(ScheduleText, ValuesAreTypedByTheTable) {
  json s = parse_schedule_list_text(
      "lambda:factor=max(0.1, 0.95^epoch);onecycle:max_lr=1,three_phase=true,anneal_strategy=linear;"
      "multiplicative:factor='0.9';plateau:mode=max,patience=3")[0];
  EXPECT_EQ(s["factor"], "max(0.1, 0.95^epoch)");  // the comma inside parentheses belongs to the value
  json all = parse_schedule_list_text("onecycle:max_lr=1,three_phase=true,anneal_strategy=linear;"
                                      "multiplicative:factor='0.9';lambda:factor=2");
  EXPECT_EQ(all[0]["three_phase"], true);
  EXPECT_EQ(all[0]["max_lr"], 1);
  EXPECT_EQ(all[1]["factor"], "0.9");
  EXPECT_EQ(all[2]["factor"], "2");  // an expression stays text even when it is a number
  EXPECT_NO_THROW(parse_schedule(all[0], {20}));
  EXPECT_EQ(typed_param_value(schedule_info("step").find("step_size"), "2.5"), 2.5);  // the check says "an integer"
  EXPECT_EQ(typed_param_value(schedule_info("step").find("step_size"), "abc"), "abc");
  EXPECT_EQ(typed_param_value(nullptr, "true"), true);
}

TEST(ScheduleText, CompactErrorsNameThePlaceAndColumn) {
  expect_error([] { parse_schedule_list_text("step:step_size=30;stepp:gamma=0.5"); },
               "--schedules: schedule 2: unknown schedule 'stepp' (did you mean 'step'?) at column 19");
  expect_error([] { parse_schedule_list_text("multistep:gamma=0.1,30"); },
               "--schedules: schedule 1: expected key=value, got '30' at column 21");
  expect_error([] { parse_schedule_list_text("lambda:factor=max(0.1, 0.95^epoch"); }, "unclosed '('");
  expect_error([] { parse_schedule_list_text("step:step_size=3);"); }, "unmatched ')' at column 17");
  expect_error([] { parse_schedule_list_text("step:step_size=3;;exponential:gamma=0.9"); },
               "empty schedule between ';'");
  expect_error([] { parse_schedule_list_text("step:step_size=3,step_size=4"); }, "'step_size' is given twice");
  expect_error([] { parse_schedule_list_text("step:step_size="); }, "'step_size' has no value");
  expect_error([] { parse_schedule_list_text(""); }, "no schedule given");
  EXPECT_EQ(parse_schedule_list_text("step:step_size=3;").size(), 1u);
}

TEST(ScheduleText, JsonIsReadWithLimitsAndPlaces) {
  expect_error([] { parse_schedule_list_text("[{\"name\": \"step\",\n \"step_size\": }]"); },
               "--schedules: not valid JSON at line 2, column");
  std::string deep(100, '[');
  expect_error([&] { parse_json_text(deep, "lab.json"); }, "lab.json: nested deeper than 32 levels at line 1, column 33");
  expect_error([] { parse_schedule_list_text("[1, 2]"); }, "schedule 1: expected a JSON object");
  expect_error([] { parse_schedule_list_text("[]"); }, "expected a non-empty JSON list of schedules");
  // Brackets inside strings do not count as nesting.
  EXPECT_NO_THROW(parse_json_text("{\"a\": \"" + deep + "\"}", "x", 2));
}

TEST(ScheduleText, LabelsSpeakTorch) {
  EXPECT_EQ(describe_schedule({{"name", "step"}, {"step_size", 30}, {"gamma", 0.1}}), "StepLR(step_size=30, gamma=0.1)");
  EXPECT_EQ(describe_schedule({{"name", "cosine"}, {"t_max", 10}}), "CosineAnnealingLR(T_max=10)");
  EXPECT_EQ(describe_schedule({{"name", "lambda"}, {"factor", "0.95^epoch"}}), "LambdaLR(lr_lambda=lambda epoch: 0.95^epoch)");
  EXPECT_EQ(describe_schedule({{"name", "onecycle"}, {"max_lr", 0.1}, {"three_phase", true}, {"anneal_strategy", "cos"}}),
            "OneCycleLR(max_lr=0.1, anneal_strategy='cos', three_phase=True)");
  EXPECT_EQ(describe_schedule(parse_schedule_list_text(
                R"([{"name": "sequential", "milestones": [5], "schedulers": [{"name": "linear", "total_iters": 5},
                    {"name": "exponential", "gamma": 0.9}]}])")[0]),
            "SequentialLR([LinearLR(total_iters=5), ExponentialLR(gamma=0.9)], milestones=[5])");
  EXPECT_EQ(describe_schedule({{"name", "nope"}}), "nope(?)");
  EXPECT_EQ(describe_schedule(3), "?");
}

TEST(ScheduleList, RoundTripsThroughItsFile) {
  ScheduleList list;
  list.lr = 0.05;
  list.epochs = 60;
  list.batches_per_epoch = 7;
  ScheduleListEntry a;
  a.spec = {{"name", "cyclic"}, {"base_lr", 0.001}, {"max_lr", 0.1}, {"step_size_up", 5}};
  a.label = "CLR";
  a.color = "#1f77b4";
  a.pitfalls = {"step-before-optimizer"};
  ScheduleListEntry b;
  b.spec = {{"name", "plateau"}, {"patience", 2}};
  b.hidden = true;
  b.metrics = {1.0, 0.9, 0.9, 0.1 + 0.2};
  b.metric_seed = 42;
  list.schedules = {a, b};
  ScheduleList back = read_schedule_list(write_schedule_list(list), "lab.json");
  EXPECT_EQ(back.lr, 0.05);
  EXPECT_EQ(back.epochs, 60);
  EXPECT_EQ(back.batches_per_epoch, 7);
  ASSERT_EQ(back.schedules.size(), 2u);
  EXPECT_EQ(back.schedules[0].spec, a.spec);
  EXPECT_EQ(back.schedules[0].label, "CLR");
  EXPECT_EQ(back.schedules[0].color, "#1f77b4");
  EXPECT_EQ(back.schedules[0].pitfalls, a.pitfalls);
  EXPECT_TRUE(back.schedules[1].hidden);
  EXPECT_EQ(back.schedules[1].metrics, b.metrics);  // full precision: 0.30000000000000004 survives
  EXPECT_EQ(back.schedules[1].metric_seed, 42u);
  // A bare list of specs is a list with the defaults.
  ScheduleList bare = read_schedule_list(R"([{"name": "step", "step_size": 3}])");
  EXPECT_EQ(bare.epochs, 100);
  EXPECT_EQ(bare.schedules.at(0).spec["step_size"], 3);
}

TEST(ScheduleList, BadFilesAreRefusedWithTheirPlace) {
  auto read = [](const std::string& text) { return [text] { read_schedule_list(text, "lab.json"); }; };
  expect_error(read(R"({"schedules": [{"spec": {"name": "step", "step_size": 0}}]})"),
               "lab.json: schedules[1].spec: step: step_size must be a positive integer, got 0");
  expect_error(read(R"({"schedules": [{"spec": {"name": "step", "step_size": 3}, "color": "blue"}]})"),
               "lab.json: schedules[1]: color must be \"#rrggbb\", got 'blue'");
  expect_error(read(R"({"schedules": [{"spec": {"name": "step", "step_size": 3}, "pitfalls": ["get_lr"]}]})"),
               "pitfalls holds an unknown pitfall \"get_lr\"");
  expect_error(read(R"({"schedules": [{"spec": {"name": "step", "step_size": 3}, "colour": "#000000"}]})"),
               "lab.json: schedules[1]: unknown key 'colour'");
  expect_error(read(R"({"format": "gradscope-graph", "schedules": []})"), "lab.json: format must be \"gradscope-schedules\"");
  expect_error(read(R"({"version": 2, "schedules": []})"), "version must be 1");
  expect_error(read(R"({"epochs": 0, "schedules": []})"), "lab.json: epochs must be a positive integer, got 0");
  expect_error(read(R"({"schedules": {}})"), "schedules must be a list");
  expect_error(read("{\"schedules\": [" + std::string(40, '[')), "lab.json: nested deeper than 32 levels");
  expect_error(read("{\"schedules\": [}"), "lab.json: not valid JSON at line 1, column");
}

TEST(ScheduleList, PresetsAreValidAndTheFirstIsDesignsDefault) {
  const auto& presets = schedule_list_presets();
  ASSERT_GE(presets.size(), 5u);
  EXPECT_EQ(presets[0].key, "classic");
  const ScheduleList& classic = presets[0].list;
  EXPECT_EQ(classic.lr, 0.1);
  EXPECT_EQ(classic.epochs, 100);
  ASSERT_EQ(classic.schedules.size(), 3u);
  EXPECT_EQ(describe_schedule(classic.schedules[0].spec), "StepLR(step_size=30, gamma=0.1)");
  EXPECT_EQ(describe_schedule(classic.schedules[1].spec), "MultiStepLR(milestones=[30, 60, 80], gamma=0.1)");
  EXPECT_EQ(describe_schedule(classic.schedules[2].spec), "ExponentialLR(gamma=0.95)");
  for (const auto& p : presets) {
    EXPECT_FALSE(p.title.empty() || p.title_zh.empty()) << p.key;
    for (const auto& e : p.list.schedules)
      EXPECT_NO_THROW(schedule_values(e.spec, p.list.lr, p.list.epochs)) << p.key << ": " << e.spec.dump();
    ScheduleList back = read_schedule_list(write_schedule_list(p.list));
    EXPECT_EQ(back.schedules.size(), p.list.schedules.size()) << p.key;
  }
}

// A validation loss with flat stretches: plateau cuts the lr at least once over 100 epochs with
// its default patience, and the same seed gives the same curve.
TEST(ValidationLoss, IsSeededFallsAndHasPlateaus) {
  std::vector<double> a = synthetic_validation_loss(100, 7), b = synthetic_validation_loss(100, 7);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, synthetic_validation_loss(100, 8));
  ASSERT_EQ(a.size(), 100u);
  EXPECT_LT(a.back(), a.front() / 2);
  for (double v : a) EXPECT_TRUE(std::isfinite(v) && v > 0.2) << v;
  int flat_windows = 0;
  for (std::size_t e = 0; e + 10 < a.size(); ++e)
    if (*std::min_element(a.begin() + e + 1, a.begin() + e + 11) > a[e] * 0.99) ++flat_windows;  // no progress in 10
  EXPECT_GT(flat_windows, 5);
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    std::vector<double> lr = schedule_values({{"name", "plateau"}}, 0.1, 100, synthetic_validation_loss(100, seed));
    EXPECT_LT(lr.back(), 0.1) << "seed " << seed;
  }
  EXPECT_TRUE(synthetic_validation_loss(0, 1).empty());
  EXPECT_THROW(synthetic_validation_loss(-1, 1), InputError);
}

}  // namespace
}  // namespace gs::nn
