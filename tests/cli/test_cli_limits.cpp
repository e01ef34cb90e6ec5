// gradscope-cli reads every integer into the type it is used as and says the limit when one does
// not fit (issue 10, "silently wrong integers"); text from files — a graph title, a config name —
// reaches the terminal and generated scripts with its control characters shown, not obeyed
// ("terminal escape codes printed raw").
#include "run_cli.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace gs::test {
namespace {


void expect_one_line(const std::vector<std::string>& args, const std::string& message) {
  CliRun r = run_cli(args);
  EXPECT_EQ(r.status, 2) << describe(r);
  EXPECT_EQ(r.err, "error: " + message + "\n") << describe(r);
}

// The examples: --epochs 2147483648 trained 0 epochs and exited 0; --batch-size
// 4294967297 ran with batch 1; seeds were clamped without a word.
TEST(CliLimits, IntegerOptionsAreRefusedBeyondTheirTypeNamingTheLimit) {
  expect_one_line({"train", "--preset", "xor", "--epochs", "2147483648"},
                  "--epochs must be an integer from 1 to 2147483647, got '2147483648'");
  expect_one_line({"train", "--preset", "xor", "--batch-size", "4294967297"},
                  "--batch-size must be an integer from 1 to 2147483647, got '4294967297'");
  expect_one_line({"train", "--preset", "xor", "--seed", "18446744073709551616"},
                  "--seed must be an integer from 0 to 18446744073709551615, got '18446744073709551616'");
  expect_one_line({"train", "--preset", "xor", "--seed", "-1"},
                  "--seed must be an integer from 0 to 18446744073709551615, got '-1'");
  expect_one_line({"train", "--preset", "xor", "--threads", "100000"}, "--threads must be an integer from 1 to 64, got '100000'");
  expect_one_line({"train", "--preset", "xor", "--epochs", "2.5"}, "--epochs must be an integer from 1 to 2147483647, got '2.5'");
  expect_one_line({"bench", "spiral", "--threads", "4294967297"}, "--threads must be an integer from 1 to 64, got '4294967297'");
  expect_one_line({"schedule", "step", "--step-size", "2", "--lr", "0.1", "--epochs", "99999999999"},
                  "--epochs must be an integer from 0 to 10000000, got '99999999999'");
  expect_one_line({"schedule", "plateau", "--lr", "0.1", "--epochs", "3", "--metric-seed", "-5"},
                  "--metric-seed must be an integer from 0 to 18446744073709551615, got '-5'");

  // The whole range of a type is accepted: the largest seed trains and is printed as given.
  CliRun seed = run_cli({"train", "--preset", "xor", "--seed", "18446744073709551615", "--print-config"});
  ASSERT_EQ(seed.status, 0) << describe(seed);
  EXPECT_EQ(nlohmann::json::parse(seed.out)["seed"].get<std::uint64_t>(), 18446744073709551615ULL);

  // A config file's integers: the same limits, named by their field.
  const std::string config = temp_path("cli_limits_config.json");
  nlohmann::json c = nlohmann::json::parse(run_cli({"train", "--preset", "xor", "--print-config"}).out);
  c["epochs"] = 2147483648LL;
  std::ofstream(config) << c.dump();
  expect_one_line({"train", "--config", config}, "config: epochs must be an integer from 1 to 2147483647, got 2147483648");
  std::filesystem::remove(config);
}

// Escape codes in a graph file's title and in a config's name were printed raw; a carriage return
// in a title started a line of Python in the exported script.
TEST(CliLimits, ControlCharactersFromFilesAreShownNotObeyed) {
  const std::string graph = temp_path("cli_escape_graph.json");
  std::ifstream in(std::string(GRADSCOPE_ASSETS) + "/examples/fanout.json");
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(text.str());
  doc["title"] = "\x1b[2J\x1b]0;owned\x07 red\rimport evil";
  std::ofstream(graph) << doc.dump();

  CliRun eval = run_cli({"eval", "--graph", graph});
  ASSERT_EQ(eval.status, 0) << describe(eval);
  EXPECT_EQ(eval.out.find('\x1b'), std::string::npos) << "no escape byte reaches the terminal";
  EXPECT_EQ(eval.out.find('\r'), std::string::npos);
  EXPECT_NE(eval.out.find("Title        \\x1B[2J\\x1B]0;owned\\x07 red\\x0Dimport evil"), std::string::npos) << describe(eval);

  CliRun script = run_cli({"export", "torch", "--graph", graph});
  ASSERT_EQ(script.status, 0) << describe(script);
  EXPECT_EQ(script.out.find('\r'), std::string::npos) << "the title stays one comment line";
  EXPECT_EQ(script.out.find("\nimport evil"), std::string::npos) << describe(script);
  std::filesystem::remove(graph);

  const std::string config = temp_path("cli_escape_config.json");
  nlohmann::json c = nlohmann::json::parse(run_cli({"train", "--preset", "xor", "--print-config"}).out);
  c["name"] = "\x1b[31mred\x1b[0m";
  c["description"] = "line one\nimport evil";
  c["epochs"] = 1;
  std::ofstream(config) << c.dump();
  CliRun train = run_cli({"train", "--config", config});
  ASSERT_EQ(train.status, 0) << describe(train);
  EXPECT_EQ(train.out.find('\x1b'), std::string::npos) << describe(train);
  EXPECT_NE(train.out.find("training \\x1B[31mred\\x1B[0m: "), std::string::npos) << describe(train);
  const std::string py = temp_path("cli_escape_train.py");
  CliRun exported = run_cli({"export", "torch", "--config", config, "-o", py});
  ASSERT_EQ(exported.status, 0) << describe(exported);
  std::ifstream script_in(py);
  std::stringstream written;
  written << script_in.rdbuf();
  EXPECT_EQ(written.str().find("\nimport evil"), std::string::npos) << "the description stays a comment";
  EXPECT_NE(written.str().find("line one\\x0Aimport evil"), std::string::npos) << written.str().substr(0, 400);
  std::filesystem::remove(config);
  std::filesystem::remove(py);
}

}  // namespace
}  // namespace gs::test
