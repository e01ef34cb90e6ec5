// gradscope-cli train never runs forever and never destroys what the user had (issue 10): a
// finished run resumed with more epochs trains those epochs and ends; the metrics file and the
// checkpoint the user had stay as they were when a run fails, before training or while writing; a
// path that cannot be written is refused before training; a full disk is an error, not exit 0
// with half the rows.
#include "run_cli.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace gs::test {
namespace {


std::string contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int rows(const std::string& csv) {
  int n = 0;
  for (char c : csv) n += c == '\n';
  return n - 1;  // the header
}

bool one_line(const CliRun& r) { return !r.err.empty() && r.err.find('\n') == r.err.size() - 1; }

// Files the CLI writes fail as on a full disk (EFBIG), for the child only: the limit and the
// ignored SIGXFSZ are inherited through fork and exec.
CliRun run_cli_with_file_limit(const std::vector<std::string>& args, rlim_t bytes) {
  rlimit old{};
  getrlimit(RLIMIT_FSIZE, &old);
  auto* handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit r = old;
  r.rlim_cur = bytes;
  setrlimit(RLIMIT_FSIZE, &r);
  CliRun result = run_cli(args);
  setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, handler);
  return result;
}

// The example: resuming a finished 2-epoch run with --epochs 4 trained forever on one stale
// batch, the metrics file growing by tens of thousands of rows a second.
TEST(CliTrainOutputs, AFinishedRunResumedWithMoreEpochsTrainsThemAndEnds) {
  const std::string checkpoint = temp_path("cli_finished.ckpt.json"), metrics = temp_path("cli_resumed.csv");
  CliRun first = run_cli({"train", "--preset", "xor", "--epochs", "2", "--checkpoint", checkpoint, "--json"});
  ASSERT_EQ(first.status, 0) << describe(first);
  const long long steps_2 = nlohmann::json::parse(first.out)["steps"].get<long long>();

  CliRun resumed = run_cli({"train", "--resume", checkpoint, "--epochs", "4", "--metrics", metrics, "--json"});
  ASSERT_EQ(resumed.status, 0) << describe(resumed);
  const nlohmann::json j = nlohmann::json::parse(resumed.out);
  EXPECT_EQ(j["steps"].get<long long>(), 2 * steps_2);
  EXPECT_EQ(rows(contents(metrics)), steps_2) << "epochs 3 and 4 only";

  CliRun straight = run_cli({"train", "--preset", "xor", "--epochs", "4", "--json"});
  ASSERT_EQ(straight.status, 0) << describe(straight);
  EXPECT_EQ(j["final_loss"], nlohmann::json::parse(straight.out)["final_loss"]) << "as 4 epochs from the start";

  // Fewer epochs than the checkpoint has done: one line that says how to continue it.
  CliRun fewer = run_cli({"train", "--resume", checkpoint, "--epochs", "1"});
  EXPECT_EQ(fewer.status, 2) << describe(fewer);
  EXPECT_TRUE(one_line(fewer)) << describe(fewer);
  EXPECT_NE(fewer.err.find(checkpoint + ": checkpoint: its run is at epoch 2, past this run's 1 epochs (give --epochs 3"),
            std::string::npos)
      << describe(fewer);
  // Another batch size would give the saved position other batches.
  CliRun other = run_cli({"train", "--resume", checkpoint, "--epochs", "4", "--batch-size", "16"});
  EXPECT_EQ(other.status, 2) << describe(other);
  EXPECT_NE(other.err.find("checkpoint: its batch_size (32) is not this run's (16)"), std::string::npos) << describe(other);
  std::filesystem::remove(checkpoint);
  std::filesystem::remove(metrics);
}

// A run that fails before training (a bad checkpoint to resume, data that is not there) leaves the
// metrics file and the checkpoint the user had as they were.
TEST(CliTrainOutputs, ARunThatFailsLeavesTheUsersFilesAsTheyWere) {
  const std::string metrics = temp_path("cli_kept.csv"), checkpoint = temp_path("cli_kept.ckpt.json"),
                    bad = temp_path("cli_bad.ckpt.json");
  std::ofstream(metrics) << "last week's rows\n";
  std::ofstream(checkpoint) << "{\"last week's\": \"checkpoint\"}\n";
  std::ofstream(bad) << "{\"format\": \"gradscope-checkpoint-1\", \"config\": {\"data\": {\"name\": \"xor\"}}}\n";
  CliRun r = run_cli({"train", "--preset", "xor", "--resume", bad, "--metrics", metrics, "--checkpoint", checkpoint});
  EXPECT_EQ(r.status, 2) << describe(r);
  EXPECT_TRUE(one_line(r)) << describe(r);
  EXPECT_EQ(contents(metrics), "last week's rows\n");
  EXPECT_EQ(contents(checkpoint), "{\"last week's\": \"checkpoint\"}\n");
  for (const auto& e : std::filesystem::directory_iterator(::testing::TempDir()))
    if (e.path().filename().string().rfind("cli_kept", 0) == 0) {
      EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path() << " left behind";
    }
  std::filesystem::remove(metrics);
  std::filesystem::remove(checkpoint);
  std::filesystem::remove(bad);
}

// A --checkpoint or --metrics path that cannot be written was found only after training (the run
// lost); now before the first step.
TEST(CliTrainOutputs, AnOutputPathThatCannotBeWrittenIsRefusedBeforeTraining) {
  for (const char* option : {"--checkpoint", "--metrics"}) {
    CliRun r = run_cli({"train", "--preset", "xor", "--epochs", "3", option, "/nonexistent-folder/out"});
    EXPECT_EQ(r.status, 2) << option << "\n" << describe(r);
    EXPECT_TRUE(one_line(r)) << describe(r);
    EXPECT_NE(r.err.find("cannot write '/nonexistent-folder/out': No such file or directory"), std::string::npos)
        << describe(r);
    EXPECT_EQ(r.out.find("epoch 1/3"), std::string::npos) << option << ": nothing was trained\n" << describe(r);
  }
  CliRun same = run_cli({"train", "--preset", "xor", "--metrics", temp_path("x"), "--checkpoint", temp_path("x")});
  EXPECT_EQ(same.status, 2) << describe(same);
  EXPECT_NE(same.err.find("--metrics and --checkpoint name the same file"), std::string::npos) << describe(same);
}

// A full disk: /dev/full for the metrics, a file-size limit for a checkpoint replacing a good one.
TEST(CliTrainOutputs, AFullDiskIsAnErrorAndKeepsTheLastGoodCheckpoint) {
  CliRun full = run_cli({"train", "--preset", "xor", "--epochs", "2", "--metrics", "/dev/full", "--quiet"});
  EXPECT_EQ(full.status, 2) << describe(full);
  EXPECT_TRUE(one_line(full)) << describe(full);
  EXPECT_NE(full.err.find("metrics: cannot write '/dev/full': No space left on device"), std::string::npos)
      << describe(full);
  struct stat st {};
  ASSERT_EQ(stat("/dev/full", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode)) << "/dev/full is still the device";

  const std::string checkpoint = temp_path("cli_good.ckpt.json");
  CliRun good = run_cli({"train", "--preset", "xor", "--epochs", "1", "--checkpoint", checkpoint, "--quiet"});
  ASSERT_EQ(good.status, 0) << describe(good);
  const std::string before = contents(checkpoint);
  ASSERT_GT(before.size(), 4096u);
  CliRun limited = run_cli_with_file_limit(
      {"train", "--resume", checkpoint, "--epochs", "2", "--checkpoint", checkpoint, "--quiet"}, 4096);
  EXPECT_EQ(limited.status, 2) << describe(limited);
  EXPECT_NE(limited.err.find("checkpoint: cannot write '" + checkpoint + "': File too large"), std::string::npos)
      << describe(limited);
  EXPECT_EQ(contents(checkpoint), before) << "the last good checkpoint is kept";
  std::filesystem::remove(checkpoint);
}

// Standard output that cannot be written (a full disk under a redirection) is an error for every
// command, not exit 0 with half the output.
TEST(CliTrainOutputs, OutputThatCannotBeWrittenIsAnError) {
  CliRun r = run_cli_with_file_limit({"schedule", "step", "--step-size", "2", "--lr", "0.1", "--epochs", "2000"}, 2048);
  EXPECT_EQ(r.status, 2) << describe(r);
  EXPECT_NE(r.err.find("error: cannot write the output: File too large"), std::string::npos) << describe(r);
}

}  // namespace
}  // namespace gs::test
