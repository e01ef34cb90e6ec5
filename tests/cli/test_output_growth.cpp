// Output that grows linearly with the graph (issue 10, "output that grows quadratically"): an input
// used by n nodes has one reverse row of n partial adjoints, and the trace tables once padded every
// row to that row's width (eval of a 100,000-node graph: 17 GB, then a failure). Counted, not
// timed: the text of eval and check for n and 2n uses, and the JSON of eval with n and 2n inputs,
// must at most double (give or take the digits of longer v-numbers), where quadratic growth gives
// four times.
#include "run_cli.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace gs::test {
namespace {

// "sin(x) + sin(x) + …", n times: x̄ is the sum of n partial adjoints.
std::string fan_out_expression(int n) {
  std::string e = "sin(x)";
  for (int i = 1; i < n; ++i) e += " + sin(x)";
  return e;
}

// Bytes printed for `args` plus the expression of n uses of x.
std::size_t printed_for_fan_out(const std::vector<std::string>& args, int n) {
  std::vector<std::string> all = args;
  all.insert(all.end(), {"--expr", fan_out_expression(n), "--at", "x=0.5"});
  const CliRun r = run_cli(all);
  EXPECT_EQ(r.status, 0) << describe(r).substr(0, 2000);
  return r.out.size();
}

TEST(CliOutputGrowth, TracesOfAnInputUsedNTimesGrowLinearly) {
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"eval"}, std::vector<std::string>{"eval", "--tangent", "x"},
        std::vector<std::string>{"eval", "--json"}, std::vector<std::string>{"check"}}) {
    const std::size_t small = printed_for_fan_out(command, 600), large = printed_for_fan_out(command, 1200);
    EXPECT_LT(static_cast<double>(large), 2.3 * static_cast<double>(small))
        << command.back() << ": " << small << " bytes for 600 uses of x, " << large << " for 1200";
  }
}

// n inputs, "x1 + x2 + … + xn", each given with --at: eval --json names each in "values" and
// "gradients" and each has its rows.
std::size_t printed_for_inputs(const std::vector<std::string>& args, int n) {
  std::vector<std::string> all = args;
  std::string e;
  for (int i = 1; i <= n; ++i) {
    e += (i > 1 ? " + x" : "x") + std::to_string(i);
    all.push_back("--at");
    all.push_back("x" + std::to_string(i) + "=" + std::to_string(i % 7 + 1));
  }
  all.insert(all.end(), {"--expr", e});
  const CliRun r = run_cli(all);
  EXPECT_EQ(r.status, 0) << describe(r).substr(0, 2000);
  if (args.back() == "--json" && r.status == 0) {
    const nlohmann::json j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["gradients"].size(), static_cast<std::size_t>(n));
    EXPECT_EQ(j["gradients"]["x" + std::to_string(n)], 1.0);
  }
  return r.out.size();
}

TEST(CliOutputGrowth, ManyInputsGrowLinearly) {
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"eval"}, std::vector<std::string>{"eval", "--json"}}) {
    const std::size_t small = printed_for_inputs(command, 1000), large = printed_for_inputs(command, 2000);
    EXPECT_LT(static_cast<double>(large), 2.3 * static_cast<double>(small))
        << command.back() << ": " << small << " bytes for 1000 inputs, " << large << " for 2000";
  }
}

// check input by input evaluates the graph twice per input and per input element: 2,000 inputs of a
// 6,000-node graph are 8,000 evaluations, 50,000 of a 100,000-node graph hours. Past a work limit
// every input is checked at once along one random direction (torch's fast_mode): two evaluations.
// Counted, not timed: the output says which check was made.
TEST(CliOutputGrowth, CheckOfManyInputsTakesThemTogether) {
  std::vector<std::string> args = {"check"};
  std::string e;
  for (int i = 1; i <= 2000; ++i) {
    e += (i > 1 ? " + sin(x" : "sin(x") + std::to_string(i) + ")";
    args.push_back("--at");
    args.push_back("x" + std::to_string(i) + "=0." + std::to_string(i % 9 + 1));
  }
  args.insert(args.end(), {"--expr", e});
  const CliRun text = run_cli(args);
  ASSERT_EQ(text.status, 0) << describe(text).substr(0, 3000);
  EXPECT_NE(text.out.find("2000 inputs of a 5999-node graph are too many to check one by one"), std::string::npos)
      << text.out.substr(0, 3000);
  EXPECT_NE(text.out.find("PASS: all 2000 inputs, together"), std::string::npos) << text.out.substr(0, 3000);
  args.push_back("--json");
  const CliRun json = run_cli(args);
  ASSERT_EQ(json.status, 0) << describe(json).substr(0, 3000);
  const nlohmann::json j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["inputs_together"], true);
  ASSERT_EQ(j["inputs"].size(), 1u);
  EXPECT_EQ(j["inputs"][0]["input"], "all 2000 inputs");
  EXPECT_EQ(j["inputs"][0]["passed"], true);
  EXPECT_NEAR(j["inputs"][0]["directional_analytic"].get<double>(), j["inputs"][0]["directional_numeric"].get<double>(), 1e-5);
  // A small graph is still checked input by input.
  const CliRun small = run_cli({"check", "--expr", "sin(x1) + x1*x2", "--at", "x1=0.5", "--at", "x2=2", "--json"});
  ASSERT_EQ(small.status, 0) << describe(small);
  EXPECT_EQ(nlohmann::json::parse(small.out)["inputs"].size(), 2u);
}

// check --second (gradgradcheck) input by input costs a Hessian-vector product and two gradients per
// input and per element: quadratic in a big graph. Past the same limit as check it takes every
// input at once along one random direction (gradgradcheck's fast_mode). Counted, not timed: the
// output says which check was made, and what it compared.
TEST(CliOutputGrowth, SecondOrderCheckOfManyInputsTakesThemTogether) {
  std::vector<std::string> args = {"check", "--second"};
  std::string e;
  for (int i = 1; i <= 2000; ++i) {  // sin(x1*x2) + sin(x2*x3) + …: a Hessian with off-diagonal terms
    e += (i > 1 ? " + sin(x" : "sin(x") + std::to_string(i) + "*x" + std::to_string(i + 1) + ")";
    args.push_back("--at");
    args.push_back("x" + std::to_string(i) + "=0." + std::to_string(i % 9 + 1));
  }
  args.insert(args.end(), {"--at", "x2001=0.5", "--expr", e});
  const CliRun text = run_cli(args);
  ASSERT_EQ(text.status, 0) << describe(text).substr(0, 3000);
  EXPECT_NE(text.out.find("2001 inputs of a 8000-node graph are too many to check one by one"), std::string::npos)
      << text.out.substr(0, 3000);
  EXPECT_NE(text.out.find("gradgradcheck's fast_mode"), std::string::npos) << text.out.substr(0, 3000);
  EXPECT_NE(text.out.find("PASS: all 2001 inputs, together"), std::string::npos) << text.out.substr(0, 3000);
  args.push_back("--json");
  const CliRun json = run_cli(args);
  ASSERT_EQ(json.status, 0) << describe(json).substr(0, 3000);
  const nlohmann::json j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["order"], 2);
  EXPECT_EQ(j["inputs_together"], true);
  ASSERT_EQ(j["inputs"].size(), 1u);
  EXPECT_EQ(j["inputs"][0]["input"], "all 2001 inputs");
  EXPECT_EQ(j["inputs"][0]["passed"], true);
  const double curvature = j["inputs"][0]["directional_analytic"].get<double>();  // δᵀHδ
  EXPECT_NE(curvature, 0.0);
  EXPECT_NEAR(curvature, j["inputs"][0]["directional_numeric"].get<double>(), 1e-5);
  // A small graph is still checked input by input.
  const CliRun small =
      run_cli({"check", "--second", "--expr", "sin(x1) * x2", "--at", "x1=0.5", "--at", "x2=2", "--json"});
  ASSERT_EQ(small.status, 0) << describe(small);
  const nlohmann::json sj = nlohmann::json::parse(small.out);
  EXPECT_EQ(sj["inputs"].size(), 2u);
  EXPECT_FALSE(sj.contains("inputs_together"));
}

}  // namespace
}  // namespace gs::test
