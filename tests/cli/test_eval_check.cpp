// gradscope-cli eval and check as a student or a script uses them: seed 004's numbers in the
// tables and in --json (full precision), NaN reported without failing, PASS/FAIL of check, and
// for every kind of bad input one line on stderr naming the problem and its place, exit 2.
#include "run_cli.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace gs::test {
namespace {

using nlohmann::json;

const std::string kSeed004 = "ln(x1) + x1*x2 - sin(x2)";
const std::string kAssets = GRADSCOPE_ASSETS;

void expect_one_line_error(const CliRun& r, const std::string& needle) {
  EXPECT_EQ(r.status, 2) << describe(r);
  EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << describe(r);
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "not exactly one line\n" << describe(r);
  EXPECT_NE(r.err.find(needle), std::string::npos) << describe(r);
}

// Significant digits of a JSON number as written ("11.652071455223084" has 17).
int significant_digits(const std::string& number) {
  int digits = 0;
  bool leading = true;
  for (char c : number) {
    if (c == 'e' || c == 'E') break;
    if (c < '0' || c > '9') continue;
    if (leading && c == '0') continue;
    leading = false;
    ++digits;
  }
  return digits;
}

// The text of the number after `"key": ` in a JSON text, from `from` on.
std::string raw_number(const std::string& text, const std::string& key, std::size_t from = 0) {
  std::size_t at = text.find("\"" + key + "\": ", from);
  if (at == std::string::npos) return "";
  at += key.size() + 4;
  std::size_t end = text.find_first_of(",}\n", at);
  return text.substr(at, end - at);
}

std::string temp_file(const std::string& name, const std::string& content) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

TEST(CliEval, Seed004TablesShowTheTracesAndGradients) {
  CliRun r = run_cli({"eval", "--expr", kSeed004, "--at", "x1=2", "--at", "x2=5"});
  ASSERT_EQ(r.status, 0) << describe(r);
  EXPECT_EQ(r.err, "");
  for (const char* expected : {"Forward evaluation trace", "v3    ln v1    ln 2", "0.69315", "v7    v6 − v5",
                               "y = v7 = 11.652", "Reverse trace", "v̄1       v̄4·v2 + v̄3·(1/v1)", "1·5 + 1·(1/2)",
                               "5 + 0.5", "Output       y = 11.65207146", "∂y/∂x1 = 5.5", "∂y/∂x2 = 1.716337815"})
    EXPECT_NE(r.out.find(expected), std::string::npos) << "missing '" << expected << "' in:\n" << r.out;
}

TEST(CliEval, Seed004JsonKeepsFullPrecision) {
  CliRun r = run_cli({"eval", "--expr", kSeed004, "--at", "x1=2", "--at", "x2=5", "--json"});
  ASSERT_EQ(r.status, 0) << describe(r);
  json j = json::parse(r.out);
  const double y = std::log(2.0) + 10.0 - std::sin(5.0);
  EXPECT_NEAR(j["output"].get<double>(), y, 1e-15 * y);
  EXPECT_EQ(j["gradients"]["x1"].get<double>(), 5.5);
  EXPECT_NEAR(j["gradients"]["x2"].get<double>(), 2 - std::cos(5.0), 1e-15);
  EXPECT_GE(significant_digits(raw_number(r.out, "output")), 16) << raw_number(r.out, "output");
  const std::string gradient = raw_number(r.out, "x2", r.out.find("\"gradients\""));
  EXPECT_GE(significant_digits(gradient), 16) << "gradient text: " << gradient;

  ASSERT_EQ(j["forward"].size(), 7u);
  EXPECT_EQ(j["forward"][2]["line"], "v3 = ln v1 = ln 2 = 0.69315");
  EXPECT_EQ(j["forward"][2]["value"].get<double>(), std::log(2.0));
  ASSERT_EQ(j["reverse"].size(), 7u);
  EXPECT_EQ(j["reverse"][0]["adjoint"], "v̄7");
  const json& v1 = j["reverse"][6];
  EXPECT_EQ(v1["adjoint"], "v̄1");
  EXPECT_EQ(v1["value"].get<double>(), 5.5);
  ASSERT_EQ(v1["terms"].size(), 2u) << "x1 feeds ln and the product: two partial adjoints";
  double sum = 0;
  for (const json& t : v1["terms"]) sum += t["value"].get<double>();
  EXPECT_EQ(sum, 5.5);
  EXPECT_FALSE(j.contains("non_finite"));
}

TEST(CliEval, NanFromADomainErrorIsReportedWithExitZero) {
  CliRun text = run_cli({"eval", "--expr", "y = ln(x) * 2", "--at", "x=-1"});
  ASSERT_EQ(text.status, 0) << describe(text);
  EXPECT_NE(text.out.find("warning: v2 = ln v1 = nan: ln of a negative number"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Output       y = nan"), std::string::npos) << text.out;

  CliRun js = run_cli({"eval", "--expr", "ln(x)", "--at", "x=-1", "--json"});
  ASSERT_EQ(js.status, 0) << describe(js);
  json j = json::parse(js.out);
  EXPECT_EQ(j["output"], "nan");
  EXPECT_EQ(j["non_finite"]["node"], "v2");
  EXPECT_NE(j["non_finite"]["reason"].get<std::string>().find("negative"), std::string::npos);
  EXPECT_EQ(j["gradients"]["x"].get<double>(), -1.0) << "d ln x / dx = 1/x stays finite at x = -1";
}

// Issue 10's examples, as a student types them; the numbers are PyTorch 1.13's (double).
TEST(CliEval, CrossEntropyOfLogitsWithALargeSharedOffsetIsTorchs) {
  CliRun r = run_cli({"eval", "--expr", "ce(Z, Y)", "--at", "Z=[[1e16, 1e16]]", "--at", "Y=[[0, 1]]", "--json"});
  ASSERT_EQ(r.status, 0) << describe(r);
  json j = json::parse(r.out);
  EXPECT_NEAR(j["output"].get<double>(), std::log(2.0), 1e-15);
  EXPECT_EQ(j["gradients"]["Z"], json::parse("[[0.5, -0.5]]"));
}

TEST(CliEval, PowAtZeroToTheZeroFollowsTorch) {
  CliRun r = run_cli({"eval", "--expr", "sum(x^0)", "--at", "x=[0, 1]", "--json"});
  ASSERT_EQ(r.status, 0) << describe(r);
  json j = json::parse(r.out);
  EXPECT_EQ(j["gradients"]["x"], json::parse("[0.0, 0.0]"));
  EXPECT_FALSE(j.contains("non_finite"));
  // b = 0 given as an input: ∂(0^0)/∂a = 0 and ∂(0^0)/∂b = 0 (torch), and in `check` too.
  CliRun in = run_cli({"eval", "--expr", "a^b", "--at", "a=0", "--at", "b=0", "--json"});
  ASSERT_EQ(in.status, 0) << describe(in);
  json k = json::parse(in.out);
  EXPECT_EQ(k["gradients"]["a"], 0.0);
  EXPECT_EQ(k["gradients"]["b"], 0.0);
  CliRun check = run_cli({"check", "--expr", "sum(x^0)", "--at", "x=[0, 1]"});
  EXPECT_EQ(check.status, 0) << describe(check);
}

// A NaN or infinity that first appears in the reverse trace is explained there as one in the
// forward trace is: the local derivative that is not finite, then what each later row inherits.
TEST(CliEval, NonFiniteAdjointsCarryANote) {
  CliRun r = run_cli({"eval", "--expr", "sqrt(x) * 2", "--at", "x=0", "--json"});
  ASSERT_EQ(r.status, 0) << describe(r);
  json j = json::parse(r.out);
  EXPECT_EQ(j["gradients"]["x"], "inf");
  json origin;
  for (const json& step : j["reverse"])
    if (step["adjoint"] == "v̄1") origin = step;
  ASSERT_TRUE(origin.contains("problem")) << r.out;
  EXPECT_NE(origin["problem"].get<std::string>().find("∂v2/∂v1 = 1/(2·v2) is not finite here"), std::string::npos)
      << origin["problem"];
  CliRun text = run_cli({"eval", "--expr", "sqrt(x) * 2", "--at", "x=0"});
  EXPECT_NE(text.out.find("← ∂v2/∂v1 = 1/(2·v2) is not finite here: sqrt has no finite derivative"), std::string::npos)
      << text.out;
}

TEST(CliEval, TensorsInAndOut) {
  CliRun r = run_cli({"eval", "--expr", "y = X @ W", "--at", "X=[[1, 2, 3], [4, 5, 6]]", "--at", "W=[[1], [0], [-1]]", "--json"});
  ASSERT_EQ(r.status, 0) << describe(r);
  json j = json::parse(r.out);
  EXPECT_EQ(j["output"], json::parse("[[-2.0], [-2.0]]"));
  EXPECT_EQ(j["output_shape"], json::parse("[2, 1]"));
  EXPECT_EQ(j["gradients"]["W"], json::parse("[[5.0], [7.0], [9.0]]")) << "Xᵀ·1";
  EXPECT_EQ(j["gradients"]["X"], json::parse("[[1.0, 0.0, -1.0], [1.0, 0.0, -1.0]]")) << "1·Wᵀ";
}

TEST(CliEval, GraphFileWithValuesOverriddenByAt) {
  const std::string file = kAssets + "/examples/seed004.json";
  CliRun r = run_cli({"eval", "--graph", file, "--json"});
  ASSERT_EQ(r.status, 0) << describe(r);
  EXPECT_EQ(json::parse(r.out)["gradients"]["x1"].get<double>(), 5.5);
  CliRun moved = run_cli({"eval", "--graph", file, "--at", "x2=4", "--json"});
  ASSERT_EQ(moved.status, 0) << describe(moved);
  EXPECT_EQ(json::parse(moved.out)["gradients"]["x1"].get<double>(), 4.5) << "∂y/∂x1 = 1/x1 + x2";
}

TEST(CliEval, TangentTraceOnRequest) {
  CliRun r = run_cli({"eval", "--expr", kSeed004, "--at", "x1=2", "--at", "x2=5", "--tangent", "x1", "--json"});
  ASSERT_EQ(r.status, 0) << describe(r);
  json j = json::parse(r.out);
  EXPECT_EQ(j["tangent"]["input"], "x1");
  EXPECT_EQ(j["tangent"]["steps"].back()["value"].get<double>(), 5.5) << "v̇7 = ∂y/∂x1";
}

// [SECTION] eval inputs found in review (issue 2) that crashed the program or printed a wrong
// number: each now answers as DESIGN.md's contract says.

// A graph with no input and no op (the forward trace lists no row) crashed the text output.
TEST(CliEval, AConstantExpressionEvaluates) {
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
TEST(CliEval, TheOutputLineShowsTheOutputsValue) {
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

TEST(CliEval, ALongPowerChainIsBadInputNotACrash) {
  std::string expr = "x";
  for (int i = 0; i < 30000; ++i) expr += "^x";
  expect_one_line_error(run_cli({"eval", "--expr", expr, "--at", "x=1"}), "nested too deeply");
}

// Results of terabytes: "error: std::bad_alloc" (no place), a sanitizer abort, or a hang.
TEST(CliEval, ResultsTooLargeToHoldAreBadInput) {
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
TEST(CliEval, HugeReshapeSizesAreOneLine) {
  expect_one_line_error(
      run_cli({"eval", "--expr", "reshape(x, 1000000000, 1000000000, 1000000000, 1000000000)", "--at", "x=1"}),
      "cannot reshape");
}

// A control character in the input was echoed raw: an escape sequence reached the terminal.
TEST(CliEval, ControlCharactersInMessagesAreEscaped) {
  CliRun r = run_cli({"eval", "--expr", "x\x1b[2J", "--at", "x=1"});
  expect_one_line_error(r, "unexpected character '\\x1B' at column 2");
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos);
  CliRun v = run_cli({"eval", "--expr", "x", "--at", "x=1\x07"});
  expect_one_line_error(v, "\\x07");
  EXPECT_EQ(v.err.find('\x07'), std::string::npos);
}

TEST(CliCheck, PassesTheSigmoidNeuronAndFailsAtAKink) {
  CliRun pass = run_cli({"check", "--expr", "sigmoid(w0*x0 + w1*x1 + w2)", "--at", "w0=2", "--at", "x0=-1", "--at", "w1=-3",
                         "--at", "x1=-2", "--at", "w2=-3"});
  EXPECT_EQ(pass.status, 0) << describe(pass);
  EXPECT_NE(pass.out.find("PASS: all 5 inputs"), std::string::npos) << pass.out;
  EXPECT_NE(pass.out.find("PASS    w0     -0.1966119332"), std::string::npos) << pass.out;

  // relu'(0) = 0 (PyTorch's convention) while the central difference sees 1/2.
  CliRun fail = run_cli({"check", "--expr", "relu(x)", "--at", "x=0", "--json"});
  EXPECT_EQ(fail.status, 1) << describe(fail);
  json j = json::parse(fail.out);
  EXPECT_FALSE(j["passed"].get<bool>());
  EXPECT_FALSE(j["inputs"][0]["passed"].get<bool>());
  EXPECT_NEAR(j["inputs"][0]["relative_error"].get<double>(), 0.5, 1e-6);
  EXPECT_EQ(fail.err, "");
}

TEST(CliCheck, ToleranceDecides) {
  // Central differences of exp at 1 with eps = 0.1 are off by about e·eps²/6 ≈ 0.0045 (relative 0.0017).
  CliRun loose = run_cli({"check", "--expr", "exp(x)", "--at", "x=1", "--eps", "0.1", "--tolerance", "0.01"});
  EXPECT_EQ(loose.status, 0) << describe(loose);
  CliRun strict = run_cli({"check", "--expr", "exp(x)", "--at", "x=1", "--eps", "0.1", "--tolerance", "0.001"});
  EXPECT_EQ(strict.status, 1) << describe(strict);
}

TEST(CliErrors, EveryBadInputIsOneLineOnStderrWithExit2) {
  std::mt19937 rng(11);
  std::string random_bytes(300, '\0');
  for (char& c : random_bytes) c = static_cast<char>(rng() & 0xFF);
  const std::string seed004_text = [] {
    std::ifstream in(kAssets + "/examples/seed004.json", std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  const std::string truncated = temp_file("cli_truncated.json", seed004_text.substr(0, seed004_text.size() / 2));
  const std::string random = temp_file("cli_random.json", random_bytes);
  const std::string cycle = temp_file("cli_cycle.json", R"({"format": "gradscope-graph", "version": 1, "nodes": [
      {"id": 0, "kind": "input", "name": "x"},
      {"id": 1, "kind": "op", "op": "add", "inputs": [0, 2]},
      {"id": 2, "kind": "op", "op": "exp", "inputs": [1]}], "output": 2, "values": {"x": 1}})");
  const std::string version = temp_file("cli_version.json", R"({"format": "gradscope-graph", "version": 9, "expression": "x"})");

  struct Case {
    std::vector<std::string> args;
    std::string line;  // the whole of stderr, without "error: " and the newline
  };
  const std::vector<Case> cases = {
      {{"eval", "--expr", "x + sine(x)", "--at", "x=1"}, "unknown function 'sine' at column 5 (did you mean 'sin'?)"},
      {{"eval", "--expr", "ln(x1, x2)", "--at", "x1=1", "--at", "x2=1"}, "ln takes 1 argument, got 2 at column 1"},
      {{"eval", "--expr", "(x1 + x2", "--at", "x1=1", "--at", "x2=1"},
       "unbalanced parenthesis: '(' at column 1 is never closed"},
      {{"eval", "--expr", "x + 1)", "--at", "x=1"}, "unbalanced parenthesis: ')' at column 6 has no matching '('"},
      {{"eval", "--expr", "x +", "--at", "x=1"},
       "unexpected end of expression at column 4 (expected a number, a name or '(' after '+')"},
      {{"eval", "--expr", kSeed004, "--at", "x1=2"}, "missing value for input 'x2' (use --at x2=...)"},
      {{"eval", "--expr", kSeed004, "--at", "x1=2", "--at", "x2=5", "--at", "x3=1"},
       "unused value for 'x3': the expression has inputs x1, x2"},
      {{"eval", "--expr", "X @ W", "--at", "x=[[1, 2]]", "--at", "W=[[1], [2]]"},
       "unused value for 'x': the expression has inputs X, W (did you mean --at X=...?)"},
      {{"eval", "--expr", "sum(X)", "--at", "X=[[1, 2], [3, 4, 5]]"},
       "--at X=[[1, 2], [3, 4, 5]]: row 2 has 3 elements, expected 2 at column 12"},
      {{"eval", "--expr", "sum(X)", "--at", "X=[1, a]"}, "--at X=[1, a]: expected a number, found 'a' at column 7"},
      {{"eval", "--expr", "x", "--at", "x"}, "--at x: expected NAME=VALUE, such as --at x1=2 or --at W=[[1, 2], [3, 4]]"},
      {{"eval", "--expr", "X @ W", "--at", "X=[[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 2, 3]]", "--at", "W=[[1, 2], [3, 4]]"},
       "shape mismatch at column 3: X @ W: [4×3] @ [2×2] do not match"},
      {{"eval", "--graph", truncated}, ""},  // checked by prefix below
      {{"eval", "--graph", random}, ""},
      {{"eval", "--graph", cycle}, cycle + ": cycle: node 1 → node 2 → node 1 (each uses the next as an input)"},
      {{"eval", "--graph", version}, version + ": version: 9 is newer than this program reads (1): update gradscope"},
      {{"eval", "--graph", "/nonexistent/graph.json"}, "cannot open '/nonexistent/graph.json': No such file or directory"},
      {{"eval", "--expr", "x", "--graph", "g.json"}, "give either --expr or --graph, not both"},
      {{"eval"}, "nothing to evaluate: give --expr \"...\" or --graph FILE.json"},
      {{"eval", "--exp", "x"}, "unknown option '--exp' for eval (did you mean '--expr'?); see gradscope-cli eval --help"},
      {{"eval", "--expr"}, "option --expr needs a value"},
      {{"evl", "--expr", "x"}, ""},  // the command list grows with the project: checked by prefix below
      {{}, ""},
      {{"check", "--expr", "x", "--at", "x=1", "--eps", "abc"}, "--eps needs a number, got 'abc'"},
      {{"check", "--expr", "x", "--at", "x=1", "--eps", "-1"}, "--eps must be a positive number, got -1"},
      {{"eval", "--expr", "x", "--at", "x=1", "--tangent", "y"}, "--tangent y: not an input (inputs: x)"},
  };
  for (const Case& c : cases) {
    std::string cmdline;
    for (const std::string& a : c.args) cmdline += " " + a;
    CliRun r = run_cli(c.args);
    SCOPED_TRACE("gradscope-cli" + cmdline);
    EXPECT_EQ(r.status, 2) << describe(r);
    EXPECT_EQ(r.out, "") << "nothing on stdout for bad input";
    ASSERT_FALSE(r.err.empty());
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "exactly one line: " << r.err;
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
    if (!c.line.empty()) {
      EXPECT_EQ(r.err, "error: " + c.line + "\n");
    }
  }
  EXPECT_EQ(run_cli({"eval", "--graph", truncated}).err.rfind("error: " + truncated + ": not valid JSON (byte ", 0), 0u);
  EXPECT_EQ(run_cli({"eval", "--graph", random}).err.rfind("error: " + random + ": not valid JSON (byte ", 0), 0u);
  EXPECT_EQ(run_cli({"evl", "--expr", "x"}).err.rfind("error: unknown command 'evl' (did you mean 'eval'?); commands: eval, check", 0), 0u);
  EXPECT_EQ(run_cli({}).err.rfind("error: a command is needed: gradscope-cli eval, check", 0), 0u);
  for (const std::string& f : {truncated, random, cycle, version}) std::remove(f.c_str());
}

TEST(CliHelp, HelpGoesToStdoutWithExitZero) {
  CliRun r = run_cli({"--help"});
  EXPECT_EQ(r.status, 0) << describe(r);
  EXPECT_NE(r.out.find("eval"), std::string::npos);
  CliRun sub = run_cli({"eval", "--help"});
  EXPECT_EQ(sub.status, 0) << describe(sub);
  EXPECT_NE(sub.out.find("--at"), std::string::npos);
}

// Second derivatives (issue 10): eval --hessian / --hvp and check --second against PyTorch's double
// backward (tests/cli/fixtures/make_second_golden.py -> second_golden.json).
json second_golden() {
  std::ifstream in(std::string(GRADSCOPE_CLI_FIXTURES) + "/second_golden.json");
  return json::parse(in);
}

// eval's or check's arguments for a golden case: the expression and --at for every value.
std::vector<std::string> case_args(const char* command, const json& c) {
  std::vector<std::string> args{command, "--expr", c["expression"].get<std::string>()};
  for (const auto& [name, value] : c["values"].items()) {
    args.push_back("--at");
    args.push_back(name + "=" + value.dump());
  }
  return args;
}

void expect_near_torch(double got, double want, const std::string& what) {
  EXPECT_NEAR(got, want, 1e-12 * std::max(1.0, std::abs(want))) << what;
}

// A number or a nested list as one flat list.
json flat(const json& v) {
  json out = json::array();
  if (!v.is_array()) return json::array({v});
  for (const json& e : v)
    for (const json& x : flat(e)) out.push_back(x);
  return out;
}

TEST(CliSecond, HessianAndHvpAreTorchsDoubleBackward) {
  const json golden = second_golden();
  ASSERT_GE(golden["cases"].size(), 8u);
  for (const json& c : golden["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>() + ": " + c["expression"].get<std::string>());
    std::vector<std::string> args = case_args("eval", c);
    args.push_back("--hessian");
    for (const auto& [name, value] : c["direction"].items()) {
      args.push_back("--hvp");
      args.push_back(name + "=" + value.dump());
    }
    args.push_back("--json");
    CliRun r = run_cli(args);
    ASSERT_EQ(r.status, 0) << describe(r);
    const json j = json::parse(r.out);
    expect_near_torch(j["output"].get<double>(), c["output"].get<double>(), "output");
    ASSERT_EQ(j["hessian"]["variables"], c["hessian"]["variables"]);
    const json& want = c["hessian"]["matrix"];
    const json& got = j["hessian"]["matrix"];
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i)
      for (std::size_t k = 0; k < want.size(); ++k)
        expect_near_torch(got[i][k].get<double>(), want[i][k].get<double>(),
                          "H[" + std::to_string(i) + ", " + std::to_string(k) + "]");
    for (const auto& [name, value] : c["hvp"].items()) {
      EXPECT_EQ(j["hvp"]["direction"][name], c["direction"][name]) << name;
      const json want_hv = flat(value), got_hv = flat(j["hvp"]["product"][name]);
      ASSERT_EQ(got_hv.size(), want_hv.size()) << name;
      for (std::size_t k = 0; k < want_hv.size(); ++k)
        expect_near_torch(got_hv[k].get<double>(), want_hv[k].get<double>(), "(H·v) of " + name);
    }
  }
}

TEST(CliSecond, Seed004HessianTableAndProduct) {
  CliRun r = run_cli({"eval", "--expr", kSeed004, "--at", "x1=2", "--at", "x2=5", "--hessian", "--hvp", "x1=1"});
  ASSERT_EQ(r.status, 0) << describe(r);
  // The traces and gradients come first, unchanged; the second derivatives after them.
  const std::size_t gradients = r.out.find("∂y/∂x2 = 1.716337815");
  const std::size_t hessian = r.out.find("Hessian      H[i, j] = ∂²y/∂θi∂θj");
  ASSERT_NE(gradients, std::string::npos) << r.out;
  ASSERT_NE(hessian, std::string::npos) << r.out;
  EXPECT_LT(gradients, hessian);
  for (const char* expected : {"             x1  -0.25  1\n", "             x2  1      -0.9589242747\n", "Direction    v: x1 = 1, x2 = 0",
                               "H·v          ∂(∇y·v)/∂x1 = -0.25", "∂(∇y·v)/∂x2 = 1\n"})
    EXPECT_NE(r.out.find(expected), std::string::npos) << "missing '" << expected << "' in:\n" << r.out;

  // Without the options, eval prints exactly what it printed before.
  CliRun plain = run_cli({"eval", "--expr", kSeed004, "--at", "x1=2", "--at", "x2=5"});
  EXPECT_EQ(plain.out, r.out.substr(0, plain.out.size()));
  EXPECT_EQ(plain.out.find("Hessian"), std::string::npos);
  CliRun js = run_cli({"eval", "--expr", kSeed004, "--at", "x1=2", "--at", "x2=5", "--json"});
  EXPECT_FALSE(json::parse(js.out).contains("hessian"));
  EXPECT_FALSE(json::parse(js.out).contains("hvp"));
}

TEST(CliSecond, BadSecondOrderRequestsAreOneLine) {
  expect_one_line_error(run_cli({"eval", "--expr", "x*X", "--at", "x=2", "--at", "X=[1, 2]", "--hessian"}),
                        "--hessian: the output is [2], not a scalar (second derivatives are of a scalar; sum(...) gives one)");
  expect_one_line_error(run_cli({"eval", "--expr", "x*X", "--at", "x=2", "--at", "X=[1, 2]", "--hvp", "x=1"}),
                        "--hvp: the output is [2], not a scalar");
  std::string big = "[", ones = "[";
  for (int i = 0; i < 65; ++i) {
    big += (i ? ", " : "") + std::to_string(i);
    ones += i ? ", 1" : "1";
  }
  big += "]";
  ones += "]";
  expect_one_line_error(run_cli({"eval", "--expr", "sum(X^2)", "--at", "X=" + big, "--hessian"}),
                        "--hessian: the inputs have 65 elements, the Hessian is shown for at most 64 (--hvp NAME=VALUE");
  // A product with a direction has no such limit.
  CliRun hvp = run_cli({"eval", "--expr", "sum(X^3)", "--at", "X=" + big, "--hvp", "X=" + ones, "--json"});
  ASSERT_EQ(hvp.status, 0) << describe(hvp);
  EXPECT_EQ(json::parse(hvp.out)["hvp"]["product"]["X"][64].get<double>(), 6.0 * 64) << "H·1 = 6X for sum(X³)";

  const std::vector<std::string> seed{"eval", "--expr", kSeed004, "--at", "x1=2", "--at", "x2=5"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = seed;
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  };
  expect_one_line_error(with({"--hvp", "x3=1"}), "--hvp x3: not an input (inputs: x1, x2)");
  expect_one_line_error(with({"--hvp", "x1=[1, 2]"}), "--hvp x1: the direction is [2] but input 'x1' is scalar");
  expect_one_line_error(with({"--hvp", "x1"}), "--hvp x1: expected NAME=VALUE, such as --hvp x1=2");
  expect_one_line_error(with({"--hvp", "x1=[1,"}), "--hvp x1=[1,: ");
  expect_one_line_error(with({"--hvp", "x1=1", "--hvp", "x1=2"}), "--hvp x1=2: a value for 'x1' was already given");
}

TEST(CliSecond, CheckSecondPassesOnEveryGoldenCase) {
  for (const json& c : second_golden()["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>() + ": " + c["expression"].get<std::string>());
    std::vector<std::string> args = case_args("check", c);
    args.push_back("--second");
    args.push_back("--json");
    CliRun r = run_cli(args);
    ASSERT_EQ(r.status, 0) << describe(r);
    const json j = json::parse(r.out);
    EXPECT_EQ(j["order"], 2);
    EXPECT_TRUE(j["passed"].get<bool>());
    EXPECT_EQ(j["inputs"].size(), c["values"].size());
  }
}

TEST(CliSecond, CheckSecondShowsTheCurvatureAndCanFail) {
  CliRun r = run_cli({"check", "--second", "--expr", kSeed004, "--at", "x1=2", "--at", "x2=5"});
  ASSERT_EQ(r.status, 0) << describe(r);
  for (const char* expected : {"Check        second derivatives: the extended graph's H·δ", "δᵀHδ (extended graph)",
                               "PASS    x1     -0.25", "PASS: all 2 inputs"})
    EXPECT_NE(r.out.find(expected), std::string::npos) << "missing '" << expected << "' in:\n" << r.out;
  // The first-order check is unchanged by the option's existence.
  CliRun first = run_cli({"check", "--expr", kSeed004, "--at", "x1=2", "--at", "x2=5", "--json"});
  EXPECT_FALSE(json::parse(first.out).contains("order"));

  // Central differences with a step far too large for exp(3x) (their error is about
  // eps²/6 times the fourth derivative, 1.4 at eps = 0.1): the check must say FAIL and exit 1.
  CliRun coarse = run_cli({"check", "--second", "--expr", "exp(3*x)", "--at", "x=1", "--eps", "0.1", "--json"});
  EXPECT_EQ(coarse.status, 1) << describe(coarse);
  const json j = json::parse(coarse.out);
  EXPECT_FALSE(j["passed"].get<bool>());
  EXPECT_NEAR(j["inputs"][0]["directional_analytic"].get<double>(), 9 * std::exp(3.0), 1e-9);
}

}  // namespace
}  // namespace gs::test
