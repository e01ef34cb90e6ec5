// gradscope-cli schedule as a user or a script meets it: every torch fixture case typed as flags
// gives torch's values, the new schedules (cyclic, multiplicative, lambda) and their momentum,
// plateau's metric, the pitfall curves, --params; and for bad input one line on stderr naming the
// flag, exit 2.
#include "run_cli.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>
#include <vector>

namespace gs::test {
namespace {

using nlohmann::json;

json run_json(const std::vector<std::string>& args) {
  CliRun r = run_cli(args);
  if (r.status != 0) {
    ADD_FAILURE() << describe(r);
    return json::object();
  }
  return json::parse(r.out);
}

std::string number_text(const json& v) {
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  return v.dump();  // 17 significant digits: reads back exactly
}

// A spec as `gradscope-cli schedule` flags; false when it needs a key the CLI has no flag for.
bool as_flags(const json& spec, std::vector<std::string>* args) {
  args->push_back("schedule");
  args->push_back(spec["name"].get<std::string>());
  for (const auto& [key, value] : spec.items()) {
    if (key == "name") continue;
    if (key == "epochs" || key == "steps_per_epoch") return false;  // onecycle's: the run's --epochs is the CLI's
    std::string flag = "--" + key;
    std::replace(flag.begin(), flag.end(), '_', '-');
    if (value.is_boolean()) {
      if (key == "cycle_momentum" && !value.get<bool>()) args->push_back("--no-cycle-momentum");
      if (key == "three_phase" && value.get<bool>()) args->push_back("--three-phase");
      continue;
    }
    std::string text;
    if (key == "schedulers") {
      text = value.dump();
    } else if (value.is_array()) {
      for (const auto& v : value) {
        if (!text.empty()) text += ',';
        text += number_text(v);
      }
    } else if (value.is_string()) {
      text = value.get<std::string>();
    } else {
      text = number_text(value);
    }
    args->push_back(flag);
    args->push_back(text);
  }
  return true;
}

TEST(ScheduleCli, EveryTorchFixtureCaseThroughFlags) {
  std::ifstream in(std::string(GRADSCOPE_NN_FIXTURES) + "/schedules.json");
  json fixture = json::parse(in);
  int checked = 0;
  for (const auto& c : fixture["cases"]) {
    std::vector<std::string> args;
    if (!as_flags(c["spec"], &args)) continue;
    args.insert(args.end(), {"--lr", number_text(c["lr"]), "--epochs", std::to_string(c["epochs"].get<int>()), "--json"});
    if (c.contains("metrics")) {
      std::string m;
      for (const auto& v : c["metrics"]) {
        if (!m.empty()) m += ',';
        m += number_text(v);
      }
      args.insert(args.end(), {"--metrics", m});
    }
    json out = run_json(args);
    EXPECT_EQ(out["lr"], c["expected"]) << c["spec"].dump();
    if (c.contains("expected_momentum")) EXPECT_EQ(out["momentum"], c["expected_momentum"]) << c["spec"].dump();
    else EXPECT_FALSE(out.contains("momentum")) << c["spec"].dump();
    ++checked;
  }
  EXPECT_GT(checked, 80);
}

TEST(ScheduleCli, NewSchedulesAsDesignSpellsThem) {
  json cyclic = run_json({"schedule", "cyclic", "--base-lr", "0.01", "--max-lr", "0.11", "--step-size-up", "5",
                          "--mode", "triangular2", "--lr", "0.1", "--epochs", "21", "--json"});
  ASSERT_EQ(cyclic["lr"].size(), 21u);
  EXPECT_DOUBLE_EQ(cyclic["lr"][0].get<double>(), 0.01);
  EXPECT_NEAR(cyclic["lr"][5].get<double>(), 0.11, 1e-15);
  EXPECT_NEAR(cyclic["lr"][15].get<double>(), 0.06, 1e-15);  // the second peak is halved
  EXPECT_DOUBLE_EQ(cyclic["momentum"][0].get<double>(), 0.9);
  EXPECT_NEAR(cyclic["momentum"][5].get<double>(), 0.8, 1e-15);
  json lambda = run_json({"schedule", "lambda", "--factor", "1/(1 + 0.1*epoch)", "--lr", "0.1", "--epochs", "3", "--json"});
  EXPECT_EQ(lambda["lr"], json::parse("[0.1, 0.09090909090909091, 0.08333333333333334]"));
  json mult = run_json({"schedule", "multiplicative", "--factor", "0.5", "--lr", "1", "--epochs", "3", "--json"});
  EXPECT_EQ(mult["lr"], json::parse("[1.0, 0.5, 0.25]"));
  CliRun table = run_cli({"schedule", "cyclic", "--base-lr", "0.01", "--max-lr", "0.1", "--step-size-up", "2", "--lr",
                          "0.1", "--epochs", "3"});
  EXPECT_EQ(table.status, 0) << describe(table);
  EXPECT_NE(table.out.find("momentum"), std::string::npos) << table.out;
  CliRun csv = run_cli({"schedule", "lambda", "--factor", "0.9^epoch", "--lr", "1", "--epochs", "3", "--csv"});
  EXPECT_EQ(csv.out, "epoch,lr\n0,1\n1,0.9\n2,0.81\n") << describe(csv);
}

TEST(ScheduleCli, PlateauMetricIsGivenOrGenerated) {
  json given = run_json({"schedule", "plateau", "--patience", "0", "--metrics", "1,1", "--lr", "0.1", "--epochs", "3", "--json"});
  EXPECT_EQ(given["lr"], json::parse("[0.1, 0.1, 0.010000000000000002]"));
  EXPECT_EQ(given["metrics"], json::parse("[1, 1]"));
  json a = run_json({"schedule", "plateau", "--lr", "0.1", "--epochs", "100", "--metric-seed", "3", "--json"});
  json b = run_json({"schedule", "plateau", "--lr", "0.1", "--epochs", "100", "--metric-seed", "3", "--json"});
  EXPECT_EQ(a, b);
  EXPECT_EQ(a["metrics"].size(), 100u);
  EXPECT_LT(a["lr"][99].get<double>(), 0.1);  // the generated loss stalls: plateau cuts the lr
  EXPECT_EQ(a["markers"][0]["kind"], "decay");
  // The last epoch's metric is never read, so it may be left out: the table shows it empty.
  CliRun text = run_cli({"schedule", "plateau", "--patience", "1", "--metrics", "1,0.9,0.9", "--lr", "0.1", "--epochs", "4"});
  EXPECT_EQ(text.status, 0) << describe(text);
  CliRun csv = run_cli({"schedule", "plateau", "--patience", "1", "--metrics", "1,1,1", "--lr", "0.1", "--epochs", "4",
                        "--csv"});
  EXPECT_EQ(csv.out, "epoch,lr,metric\n0,0.1,1\n1,0.1,1\n2,0.1,1\n3,0.010000000000000002,\n") << describe(csv);
}

TEST(ScheduleCli, JsonMarksMilestonesRestartsAndSwitches) {
  json multistep = run_json({"schedule", "multistep", "--milestones", "30,60,60,80", "--lr", "0.1", "--epochs", "100", "--json"});
  EXPECT_EQ(multistep["markers"], json::parse(R"([{"epoch": 30, "kind": "decay", "label": "×0.1"},
      {"epoch": 60, "kind": "decay", "label": "×0.010000000000000002"}, {"epoch": 80, "kind": "decay", "label": "×0.1"}])"));
  json restarts = run_json({"schedule", "warm-restarts", "--t-0", "10", "--lr", "0.1", "--epochs", "25", "--json"});
  EXPECT_EQ(restarts["markers"].size(), 2u);
  json seq = run_json({"schedule", "sequential", "--schedulers", "linear:start_factor=0.1,total_iters=5;cosine:t_max=20",
                       "--milestones", "5", "--lr", "0.1", "--epochs", "25", "--json"});
  EXPECT_EQ(seq["markers"], json::parse(R"([{"epoch": 5, "kind": "switch", "label": "CosineAnnealingLR"}])"));
  json plain = run_json({"schedule", "exponential", "--gamma", "0.9", "--lr", "0.1", "--epochs", "5", "--json"});
  EXPECT_FALSE(plain.contains("markers"));
}

TEST(ScheduleCli, PitfallCurves) {
  json dip = run_json({"schedule", "step", "--step-size", "30", "--lr", "0.1", "--epochs", "40", "--pitfall", "get-lr", "--json"});
  ASSERT_TRUE(dip.contains("pitfall")) << dip.dump();
  EXPECT_TRUE(dip["pitfall"]["applies"].get<bool>());
  EXPECT_DOUBLE_EQ(dip["pitfall"]["lr"][30].get<double>(), 0.0010000000000000002);
  EXPECT_DOUBLE_EQ(dip["lr"][30].get<double>(), 0.010000000000000002);
  EXPECT_NE(dip["pitfall"]["explanation"].get<std::string>().find("γ² dip"), std::string::npos);
  json batch = run_json({"schedule", "multistep", "--milestones", "30,60,80", "--lr", "0.1", "--epochs", "100",
                         "--pitfall", "per-batch-milestones", "--batches-per-epoch", "4", "--json"});
  EXPECT_EQ(batch["pitfall"]["x"].size(), 400u);
  EXPECT_DOUBLE_EQ(batch["pitfall"]["x"][30].get<double>(), 7.5);
  json na = run_json({"schedule", "cyclic", "--base-lr", "0.01", "--max-lr", "0.1", "--step-size-up", "2", "--lr", "0.1",
                      "--epochs", "10", "--pitfall", "repeated-milestone", "--json"});
  EXPECT_FALSE(na["pitfall"]["applies"].get<bool>());
  CliRun text = run_cli({"schedule", "multistep", "--milestones", "27,63", "--lr", "0.1", "--epochs", "90", "--pitfall",
                         "float-milestones"});
  EXPECT_EQ(text.status, 0) << describe(text);
  EXPECT_NE(text.out.find("# Milestones written as floats: 0.7 * 90 = 62.99999999999999"), std::string::npos) << text.out;
}

TEST(ScheduleCli, ParamsListsTheTable) {
  CliRun r = run_cli({"schedule", "cyclic", "--params"});
  EXPECT_EQ(r.status, 0) << describe(r);
  for (const char* s : {"CyclicLR", "--base-lr", "--step-size-down", "= step_size_up", "--no-cycle-momentum",
                        "triangular, triangular2, exp_range"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
  CliRun lambda = run_cli({"schedule", "lambda", "--params"});
  EXPECT_NE(lambda.out.find("lr_lambda"), std::string::npos) << lambda.out;
}

// Each: exit 2, nothing on stdout, one line on stderr that contains `says`.
TEST(ScheduleCli, BadInputIsOneLineNamingTheFlag) {
  const std::vector<std::string> run = {"--lr", "0.1", "--epochs", "10"};
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{"cyclic", "--base-lr", "0.01", "--max-lr", "0.1", "--step-size-up", "0"},
       "error: cyclic: --step-size-up must be a positive integer, got 0"},
      {{"cyclic", "--base-lr", "0.01", "--max-lr", "0.1", "--step-size-up", "2.5"}, "cyclic: --step-size-up must be an integer, got 2.5"},
      {{"cyclic", "--base-lr", "0.01", "--max-lr", "0.1", "--mode", "triangualr"},
       "cyclic: --mode must be one of triangular, triangular2, exp_range, got 'triangualr' (did you mean 'triangular'?)"},
      {{"cyclic", "--max-lr", "0.1"}, "cyclic: --base-lr is missing"},
      {{"cyclic", "--base-lr", "0.01", "--max-lr", "0.1", "--base-momentum", "-0.5"},
       "cyclic: --base-momentum must be between 0 and 1, got -0.5"},
      {{"lambda", "--factor", "epoh^2"}, "lambda: --factor uses 'epoh', but the only name it may use is epoch (did you mean 'epoch'?)"},
      {{"lambda", "--factor", "sine(epoch)"}, "lambda: --factor is not a valid expression: unknown function 'sine' at column 1"},
      {{"lambda"}, "lambda: --factor is missing"},
      {{"multiplicative", "--factor", "1/(3 - epoch)"}, "multiplicative: --factor gives inf at epoch 3 ('1/(3 - epoch)')"},
      {{"step", "--step-size", "3", "--max-lr", "0.1"}, "step: --max-lr does not apply to step (step takes --step-size, --gamma)"},
      {{"step", "--step-size", "0"}, "step: --step-size must be a positive integer, got 0"},
      {{"multistep", "--milestones", "30,x"}, "multistep: --milestones must be a list of integers"},
      {{"stepp"}, "unknown schedule 'stepp' (did you mean 'step'?)"},
      {{"sequential", "--schedulers", "linear:start_factor=0.1;cosine:t_max=0", "--milestones", "5"},
       "sequential member 2 (cosine): t_max must be a positive integer, got 0"},
      {{"sequential", "--schedulers", "stepp:step_size=3"},
       "--schedulers: schedule 1: unknown schedule 'stepp' (did you mean 'step'?) at column 1"},
      {{"sequential", "--schedulers", "[{\"name\": \"step\",}]"}, "--schedulers: not valid JSON at line 1, column"},
      {{"constant", "--factor", "0", "--total-iters", "3"}, "constant: --factor makes torch divide by zero at step 3"},
      {{"step", "--step-size", "3", "--pitfall", "nope"}, "--pitfall must be one of step-before-optimizer"},
      {{"step", "--step-size", "3", "--metrics", "1,2"}, "step: --metrics applies to plateau only"},
      {{"onecycle", "--max-lr", "0.1", "--total-steps", "5"}, "onecycle: --total-steps is 5 but the run takes 10 steps"},
      {{"step", "--step-size", "3", "--gamma", "inf"}, "step: --gamma must be a finite number, got inf"},
      {{"sequential", "--schedulers", ";;", "--milestones", "1"}, "--schedulers: empty schedule between ';' at column 1"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"schedule"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    args.insert(args.end(), run.begin(), run.end());
    CliRun r = run_cli(args);
    EXPECT_EQ(r.status, 2) << describe(r);
    EXPECT_TRUE(r.out.empty()) << describe(r);
    EXPECT_NE(r.err.find(c.says), std::string::npos) << "want: " << c.says << "\n" << describe(r);
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << describe(r);
  }
  CliRun huge = run_cli({"schedule", "step", "--step-size", "3", "--lr", "0.1", "--epochs", "100000000"});
  EXPECT_EQ(huge.status, 2);
  EXPECT_NE(huge.err.find("--epochs must be an integer from 0 to 10000000, got '100000000'"), std::string::npos)
      << describe(huge);
  CliRun no_lr = run_cli({"schedule", "step", "--step-size", "3", "--epochs", "5"});
  EXPECT_EQ(no_lr.status, 2);
  EXPECT_NE(no_lr.err.find("--lr is required"), std::string::npos) << describe(no_lr);
}

}  // namespace
}  // namespace gs::test
