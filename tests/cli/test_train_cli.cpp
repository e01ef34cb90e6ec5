// gradscope-cli train as a script uses it: presets from assets/presets, the metrics file's columns
// (src/nn's, shared with the desktop program), the printed config as a starting point for --config,
// and bad input as one line naming it.
#include "run_cli.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>

namespace gs::test {
namespace {

TEST(CliTrain, MetricsFileHasOneRowPerStep) {
  const std::string path = ::testing::TempDir() + "train_metrics.csv";
  CliRun r = run_cli({"train", "--preset", "xor", "--epochs", "2", "--metrics", path, "--json"});
  ASSERT_EQ(r.status, 0) << describe(r);
  const nlohmann::json j = nlohmann::json::parse(r.out);
  std::ifstream in(path);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header, "step,epoch,batch,loss,accuracy,lr,grad_norm,samples_per_second,epoch_loss,train_accuracy,test_accuracy");
  int rows = 0;
  for (std::string line; std::getline(in, line);) ++rows;
  EXPECT_EQ(rows, j["steps"].get<int>());
}

TEST(CliTrain, PrintedConfigTrainsAsTheSameConfig) {
  CliRun printed = run_cli({"train", "--preset", "moons", "--print-config"});
  ASSERT_EQ(printed.status, 0) << describe(printed);
  const nlohmann::json config = nlohmann::json::parse(printed.out);
  EXPECT_EQ(config["name"], "moons");
  EXPECT_EQ(config["model"]["layers"][0]["type"], "linear");
  const std::string path = ::testing::TempDir() + "moons_config.json";
  std::ofstream(path) << printed.out;
  CliRun again = run_cli({"train", "--config", path, "--print-config"});
  ASSERT_EQ(again.status, 0) << describe(again);
  EXPECT_EQ(again.out, printed.out) << "reading the printed config gives the same config";
  CliRun trained = run_cli({"train", "--config", path, "--epochs", "1", "--json"});
  EXPECT_EQ(trained.status, 0) << describe(trained);
}

TEST(CliTrain, AnUnknownPresetIsOneLineWithASuggestion) {
  CliRun r = run_cli({"train", "--preset", "spirl"});
  EXPECT_EQ(r.status, 2) << describe(r);
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << describe(r);
  EXPECT_NE(r.err.find("unknown preset 'spirl' (did you mean 'spiral'?)"), std::string::npos) << describe(r);
}

// Issue 10: a config whose name is a list nested 100,000 levels deep killed train --config (the
// stack overflowed copying or printing it); a directory given as a config said only
// "basic_filebuf::underflow". Every config reader refuses both in one line naming the file.
TEST(CliTrain, DeeplyNestedConfigsAndDirectoriesAreOneLineErrors) {
  const std::string deep = ::testing::TempDir() + "deep_config.json";
  std::ofstream(deep) << "{\"name\": " << std::string(100000, '[') << std::string(100000, ']') << "}";
  for (const char* flag : {"--config", "--resume"}) {
    CliRun r = run_cli({"train", flag, deep, "--epochs", "1"});
    EXPECT_EQ(r.status, 2) << flag << "\n" << describe(r);
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << describe(r);
    EXPECT_NE(r.err.find(deep + ": nested deeper than 64 levels at line 1, column 73"), std::string::npos) << describe(r);
  }
  CliRun dir = run_cli({"train", "--config", ::testing::TempDir()});
  EXPECT_EQ(dir.status, 2) << describe(dir);
  EXPECT_NE(dir.err.find("is a directory, not a file"), std::string::npos) << describe(dir);
}

}  // namespace
}  // namespace gs::test
