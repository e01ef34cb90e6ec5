// gradscope-cli inputs found in review (issue 2) that crashed the program or printed a wrong
// number: each now answers as DESIGN.md's contract says (exit 0 with the right output, or exit 2
// with one line "error: ..." naming the place).
#include "run_cli.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace gs::test {
namespace {

std::string describe(const CliRun& r) {
  return "exit " + std::to_string(r.status) + "\n--- stdout ---\n" + r.out.substr(0, 2000) + "--- stderr ---\n" +
         r.err.substr(0, 2000);
}

void expect_one_line_error(const CliRun& r, const std::string& needle) {
  EXPECT_EQ(r.status, 2) << describe(r);
  EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << describe(r);
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "not exactly one line\n" << describe(r);
  EXPECT_NE(r.err.find(needle), std::string::npos) << describe(r);
}

// A graph with no input and no op (the forward trace lists no row) crashed the text output.
TEST(CliReview, AConstantExpressionEvaluates) {
  CliRun r = run_cli({"eval", "--expr", "2"});
  ASSERT_EQ(r.status, 0) << describe(r);
  EXPECT_NE(r.out.find("Output       y = 2\n"), std::string::npos) << describe(r);
  EXPECT_EQ(r.err, "");

  const std::string path = ::testing::TempDir() + "review_constant.json";
  std::ofstream(path) << R"({"format": "gradscope-graph", "version": 1, "nodes": [{"id": 0, "kind": "constant", "value": 3}]})";
  CliRun f = run_cli({"eval", "--graph", path});
  ASSERT_EQ(f.status, 0) << describe(f);
  EXPECT_NE(f.out.find("Output       y = 3\n"), std::string::npos) << describe(f);
}

// The "y = vK = value" line under the forward table showed the value of the last node in
// topological order, which is not the output when a statement or a file's "output" says so.
TEST(CliReview, TheOutputLineShowsTheOutputsValue) {
  CliRun r = run_cli({"eval", "--expr", "a = sin(sin(x)); y = x + 1", "--at", "x=1"});
  ASSERT_EQ(r.status, 0) << describe(r);
  EXPECT_NE(r.out.find("\n  y = v3 = 2\n"), std::string::npos) << describe(r);

  const std::string path = ::testing::TempDir() + "review_output.json";
  std::ofstream(path) << R"({"format": "gradscope-graph", "version": 1,
    "nodes": [{"id": 0, "kind": "input", "name": "x"}, {"id": 1, "kind": "op", "op": "sin", "inputs": [0]}],
    "output": 0, "values": {"x": 1}})";
  CliRun f = run_cli({"eval", "--graph", path});
  ASSERT_EQ(f.status, 0) << describe(f);
  EXPECT_NE(f.out.find("\n  y = v1 = 1\n"), std::string::npos) << describe(f);
}

TEST(CliReview, ALongPowerChainIsBadInputNotACrash) {
  std::string expr = "x";
  for (int i = 0; i < 30000; ++i) expr += "^x";
  expect_one_line_error(run_cli({"eval", "--expr", expr, "--at", "x=1"}), "nested too deeply");
}

// Results of terabytes: "error: std::bad_alloc" (no place), a sanitizer abort, or a hang.
TEST(CliReview, ResultsTooLargeToHoldAreBadInput) {
  expect_one_line_error(run_cli({"eval", "--expr", "pad(x, 1000000)", "--at", "x=[[[[1]]]]"}), "at column 1");
  expect_one_line_error(
      run_cli({"eval", "--expr", "conv2d(x, w, padding=100000)", "--at", "x=[[[[1]]]]", "--at", "w=[[[[1]]]]"}),
      "elements");
  const std::string path = ::testing::TempDir() + "review_pad.json";
  std::ofstream(path) << R"({"format": "gradscope-graph", "version": 1,
    "nodes": [{"id": 0, "kind": "input", "name": "x", "shape": [1, 1, 2, 2]},
              {"id": 1, "kind": "op", "op": "pad", "inputs": [0], "attrs": {"padding": 10000}}],
    "values": {"x": [[[[1, 2], [3, 4]]]]}})";
  expect_one_line_error(run_cli({"eval", "--graph", path}), "node 1");
}

// One line on stderr even in a sanitizer build: the sizes' product overflowed.
TEST(CliReview, HugeReshapeSizesAreOneLine) {
  expect_one_line_error(
      run_cli({"eval", "--expr", "reshape(x, 1000000000, 1000000000, 1000000000, 1000000000)", "--at", "x=1"}),
      "cannot reshape");
}

// A control character in the input was echoed raw: an escape sequence reached the terminal.
TEST(CliReview, ControlCharactersInMessagesAreEscaped) {
  CliRun r = run_cli({"eval", "--expr", "x\x1b[2J", "--at", "x=1"});
  expect_one_line_error(r, "unexpected character '\\x1B' at column 2");
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos);
  CliRun v = run_cli({"eval", "--expr", "x", "--at", "x=1\x07"});
  expect_one_line_error(v, "\\x07");
  EXPECT_EQ(v.err.find('\x07'), std::string::npos);
}

}  // namespace
}  // namespace gs::test
