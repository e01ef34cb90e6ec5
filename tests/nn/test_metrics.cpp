// Tests of the metrics file (src/nn/metrics.h): its columns, its rows, and that the file a run
// writes holds the run's numbers step for step (the CLI's --metrics and the training page both
// write and read it).
#include "nn/config.h"
#include "nn/metrics.h"
#include "nn/trainer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

namespace gs::nn {
namespace {

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string f; std::getline(in, f, ',');) out.push_back(f);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

TEST(MetricsCsv, ColumnsAndRows) {
  EXPECT_EQ(metrics_csv_header(),
            "step,epoch,batch,loss,accuracy,lr,grad_norm,samples_per_second,epoch_loss,train_accuracy,test_accuracy");
  StepMetrics m;
  m.step = 7;
  m.epoch = 1;
  m.batch = 2;
  m.loss = 0.125;
  m.accuracy = 0.75;
  m.lr = 0.1;
  m.grad_norm = 2.5;
  m.samples_per_second = 1234.6;
  EXPECT_EQ(metrics_csv_row(m), "7,1,2,0.125,0.75,0.1,2.5,1235,,,") << "epoch figures are empty mid-epoch";
  m.epoch_loss = 0.5;
  m.train_accuracy = 0.8;
  m.test_accuracy = NAN;
  EXPECT_EQ(fields(metrics_csv_row(m)).size(), metrics_csv_columns().size());
  const std::string row = metrics_csv_row(m);
  EXPECT_EQ(row.substr(row.size() - 9), ",0.5,0.8,") << "the epoch's loss and train accuracy; no test split";
}

TEST(MetricsCsv, TheFileHoldsTheRunsLossesStepForStep) {
  nlohmann::json c = preset("spiral");
  c["epochs"] = 2;
  TrainingRun run(parse_config(c));
  const std::string path = (std::filesystem::path(::testing::TempDir()) / "gradscope_metrics.csv").string();
  std::vector<double> losses;
  {
    MetricsCsvWriter writer(path);
    while (!run.finished()) {
      const StepMetrics m = run.step();
      losses.push_back(m.loss);
      writer.write(m);
    }
    writer.close();
  }
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, metrics_csv_header());
  std::size_t row = 0;
  while (std::getline(in, line)) {
    ASSERT_LT(row, losses.size());
    EXPECT_EQ(std::stod(fields(line)[3]), losses[row]) << "row " << row << ": shortest exact text reads back the same";
    ++row;
  }
  EXPECT_EQ(row, losses.size());
  std::filesystem::remove(path);
  EXPECT_THROW(MetricsCsvWriter("/nonexistent-dir/metrics.csv"), InputError);
}

// Issue 10: `--metrics m.csv` emptied the file to its header before anything was checked, so any
// run that failed wiped it, and a full disk went unnoticed. The file the user had stays until
// close() replaces it with a complete one; a bad path fails when the writer is made; a full disk
// is an error naming the file.
TEST(MetricsCsv, TheOldFileStaysUntilACompleteOneReplacesIt) {
  const std::string path = (std::filesystem::path(::testing::TempDir()) / "gradscope_kept_metrics.csv").string();
  std::ofstream(path) << "yesterday's rows\n";
  auto contents = [&] {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  StepMetrics m;
  m.step = 1;
  {
    MetricsCsvWriter writer(path);
    writer.write(m);
    EXPECT_EQ(contents(), "yesterday's rows\n") << "nothing replaced while the run goes on";
  }  // the run failed: no close()
  EXPECT_EQ(contents(), "yesterday's rows\n");
  {
    MetricsCsvWriter writer(path);
    writer.write(m);
    writer.close();
  }
  EXPECT_EQ(contents(), metrics_csv_header() + "\n" + metrics_csv_row(m) + "\n");
  std::filesystem::remove(path);

  auto message = [](const std::function<void()>& f) -> std::string {
    try {
      f();
    } catch (const InputError& e) {
      return e.what();
    }
    return "(no error)";
  };
  EXPECT_EQ(message([] { MetricsCsvWriter w("/nonexistent-dir/metrics.csv"); }),
            "metrics: cannot write '/nonexistent-dir/metrics.csv': No such file or directory");
  EXPECT_EQ(message([&] {
              MetricsCsvWriter w("/dev/full");
              for (int i = 0; i < 1000; ++i) w.write(m);
              w.close();
            }),
            "metrics: cannot write '/dev/full': No space left on device");
}

}  // namespace
}  // namespace gs::nn
