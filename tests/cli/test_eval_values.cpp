// gradscope-cli eval with inputs whose values the expression gives (`X = [[1, 2], [3, 4]]`,
// `W1 = randn(2, 3)`, `Y = onehot([0, 2], 3)`): no --at needed, the same numbers on every run,
// --at replaces a given value of the same shape, and a bad literal is one line naming its column.
#include "run_cli.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace gs::test {
namespace {

using nlohmann::json;

const std::string kTwoLayer =
    "X = [[1, 2], [3, 4]]; W1 = randn(2, 3); W2 = randn(3, 3); Y = onehot([0, 2], 3); L = ce(relu(X @ W1) @ W2, Y)";

TEST(CliEvalValues, TheFormulaGivesTheValuesAndTheSameNumbersEachRun) {
  CliRun a = run_cli({"eval", "--expr", kTwoLayer, "--json"});
  ASSERT_EQ(a.status, 0) << describe(a);
  json j = json::parse(a.out);
  EXPECT_EQ(j["values"]["X"], json::parse("[[1.0, 2.0], [3.0, 4.0]]"));
  EXPECT_EQ(j["values"]["Y"], json::parse("[[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]"));
  EXPECT_EQ(j["values"]["W1"][0][0].get<double>(), -0.6249265520006299);
  ASSERT_EQ(j["gradients"]["W2"].size(), 3u);
  EXPECT_EQ(j["forward"][0]["line"], "v1 = X = [[1, 2], [3, 4]]");
  CliRun b = run_cli({"eval", "--expr", kTwoLayer, "--json"});
  EXPECT_EQ(a.out, b.out) << "randn is seeded by the input's name";

  CliRun table = run_cli({"eval", "--expr", kTwoLayer});
  ASSERT_EQ(table.status, 0) << describe(table);
  EXPECT_NE(table.out.find("Values       X = [[1, 2], [3, 4]], W1 = [[-0.62493, 1.4512, -1.2381]"), std::string::npos)
      << table.out;
}

TEST(CliEvalValues, AtReplacesAGivenValueOfTheSameShape) {
  CliRun r = run_cli({"eval", "--expr", "W = randn(1, 2); y = sum(W * W)", "--at", "W=[[1, 2]]", "--json"});
  ASSERT_EQ(r.status, 0) << describe(r);
  EXPECT_EQ(json::parse(r.out)["output"].get<double>(), 5.0);
  CliRun wrong = run_cli({"eval", "--expr", "W = randn(1, 2); y = sum(W * W)", "--at", "W=[1, 2]"});
  EXPECT_EQ(wrong.status, 2);
  EXPECT_EQ(wrong.err, "error: --at W: the value is [2] but the expression gives 'W' as [1×2]\n");
}

TEST(CliEvalValues, ABadLiteralIsOneLineNamingItsColumn) {
  struct Case {
    const char* expr;
    const char* err;
  };
  for (const Case& c : {
           Case{"X = [[1, 2], [3]]; y = sum(X)", "error: row 2 has 1 element, expected 2 at column 14\n"},
           Case{"X = [[1, 2], [3, a]]; y = sum(X)", "error: expected a number, found 'a' at column 18\n"},
           Case{"X = [[1, 2]; y = sum(X)", "error: unbalanced bracket: '[' at column 5 is never closed\n"},
           Case{"W = randn(2, 3); y = sum(W @ V)", "error: missing value for input 'V' (use --at V=...)\n"},
       }) {
    CliRun r = run_cli({"eval", "--expr", c.expr});
    EXPECT_EQ(r.status, 2) << c.expr;
    EXPECT_EQ(r.err, c.err) << c.expr;
  }
}

}  // namespace
}  // namespace gs::test
