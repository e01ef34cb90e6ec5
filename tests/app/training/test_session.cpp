// The Training page's runs without a window (app/training/session.h, run.h): synchronous steps
// equal src/nn's TrainingRun step for step; a threaded run started, paused, stepped and stopped
// through poll() alone (the frame never waits); pinned runs kept beside a new one; the metrics
// export with the CLI's columns.
#include "app/base/i18n.h"
#include "app/training/config_draft.h"
#include "app/training/session.h"
#include "app/training/view_run_bar.h"

#include "../temp_path.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace gs;
using namespace gs::app::training;
namespace training = gs::app::training;
namespace fs = std::filesystem;

namespace {

nn::TrainConfig spiral(int epochs = 3) {
  ConfigDraft d;
  std::string error;
  EXPECT_TRUE(d.load_preset("spiral", &error)) << error;
  d.set("", "epochs", epochs);
  EXPECT_TRUE(d.ok()) << d.error();
  return d.config();
}

// Polls (as frames do) until `done`. What it waits for is the condition, never a time: the two
// minutes are there only to end a hang (a thread that never stops), not a slow machine's wait.
template <class F>
bool poll_until(TrainingSession& s, F done) {
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; std::chrono::steady_clock::now() - start < std::chrono::minutes(2); ++i) {
    s.poll(i * 0.001);
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return false;
}

}  // namespace

TEST(TrainingSession, SynchronousStepsEqualSrcNnsTrainingRun) {
  const nn::TrainConfig c = spiral();
  TrainingSession s;
  std::string error;
  ASSERT_EQ(s.new_run(c, "", true, &error), 0) << error;
  training::Run& run = s.run(0);
  ASSERT_EQ(run.state(), RunState::Ready) << run.load_error();
  EXPECT_EQ(run.label, "spiral");
  EXPECT_EQ(run.step_now(25), 25);

  const nn::DataSplit data = nn::load_data(c.data);
  nn::TrainingRun reference(c, data);
  ASSERT_EQ(run.history().steps.size(), 25u);
  for (int i = 0; i < 25; ++i) EXPECT_EQ(run.history().steps[static_cast<std::size_t>(i)].loss, reference.step().loss) << "step " << i + 1;
  EXPECT_EQ(run.history().epochs.size(), 2u);  // 10 batches an epoch
  EXPECT_EQ(run.snapshot().step, 25);
  EXPECT_EQ(run.progress().step, 25);
  EXPECT_EQ(run.progress().total_steps, 30);
}

// A run that cannot end while the test drives it (a million epochs): with 200 (2 000 steps, ~20 ms)
// the thread could finish between Resume and Pause when the test's thread waited for a core, and
// the pause then never came.
TEST(TrainingSession, ThreadedRunIsDrivenThroughPollAlone) {
  TrainingSession s;
  std::string error;
  ASSERT_EQ(s.new_run(spiral(1000000), "", false, &error), 0) << error;
  training::Run& run = s.run(0);
  ASSERT_TRUE(poll_until(s, [&] { return run.state() == RunState::Ready; })) << run.load_error();
  // One batch from a paused start, then one epoch.
  s.apply(0, training::Run::Command::StepBatch);
  ASSERT_TRUE(poll_until(s, [&] { return run.state() == RunState::Paused && run.history().steps.size() == 1; }));
  s.apply(0, training::Run::Command::StepEpoch);
  ASSERT_TRUE(poll_until(s, [&] { return run.state() == RunState::Paused && run.history().steps.size() == 10; }))
      << run.history().steps.size();
  EXPECT_EQ(run.history().epochs.size(), 1u);
  s.apply(0, training::Run::Command::Resume);
  EXPECT_EQ(run.state(), RunState::Running);
  ASSERT_TRUE(poll_until(s, [&] { return run.history().steps.size() > 30; }));
  s.apply(0, training::Run::Command::Pause);
  ASSERT_TRUE(poll_until(s, [&] { return run.state() == RunState::Paused; }));
  // Paused: what the page shows is the step the thread stopped at, parameters included.
  const std::size_t at = run.history().steps.size();
  EXPECT_EQ(run.snapshot().step, static_cast<std::int64_t>(at));
  s.apply(0, training::Run::Command::Stop);
  ASSERT_TRUE(poll_until(s, [&] { return run.state() == RunState::Stopped; }));
  EXPECT_EQ(run.history().steps.size(), at);
  for (std::size_t i = 0; i < at; ++i) ASSERT_EQ(run.history().steps[i].step, static_cast<std::int64_t>(i + 1));
}

TEST(TrainingSession, PinnedRunsStayBesideANewOneAndExportTheClisColumns) {
  TrainingSession s;
  std::string error;
  ASSERT_EQ(s.new_run(spiral(), "first", true, &error), 0);
  s.run(0).step_now(5);
  // Unpinned: the next run takes its place.
  ASSERT_EQ(s.new_run(spiral(), "second", true, &error), 0);
  EXPECT_EQ(s.size(), 1);
  s.run(0).pinned = true;
  s.run(0).step_now(7);
  ASSERT_EQ(s.new_run(spiral(), "third", true, &error), 1);
  s.run(1).step_now(3);
  EXPECT_EQ(s.size(), 2);
  EXPECT_NE(s.run(0).rgb, s.run(1).rgb);
  EXPECT_EQ(s.active(), 1);

  const fs::path dir = gs::app::test_support::unique_temp_path("gradscope_training_export");
  fs::create_directories(dir);
  const std::vector<std::string> written = s.export_metrics((dir / "runs.csv").string(), &error);
  ASSERT_EQ(written.size(), 2u) << error;
  EXPECT_NE(written[0].find("runs-second"), std::string::npos) << written[0];
  std::ifstream in(written[0]);
  std::string header, line;
  std::getline(in, header);
  EXPECT_EQ(header.rfind("step,epoch,batch,loss,accuracy,lr,grad_norm", 0), 0u) << header;
  int rows = 0;
  while (std::getline(in, line)) ++rows;
  EXPECT_EQ(rows, 7);
  fs::remove_all(dir);
}

TEST(ConfigDraft, ABadLayerKeepsTheLastGoodConfigAndNamesTheLayer) {
  ConfigDraft d;
  std::string error;
  ASSERT_TRUE(d.load_preset("spiral", &error)) << error;
  const std::string good = d.good_text();
  d.set_layer(2, "out", -4);
  EXPECT_FALSE(d.ok());
  EXPECT_EQ(d.error_section(), DraftSection::Layer);
  EXPECT_EQ(d.error_layer(), 2);
  EXPECT_EQ(d.good_text(), good);  // a new run still gets the last good config
  d.set_layer(2, "out", 8);
  EXPECT_TRUE(d.ok()) << d.error();
  const std::vector<LayerRow> rows = d.layers();
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[2].title, "Linear(16,8)");
  EXPECT_EQ(rows[4].title, "Linear(8,3)");
}

// Switching a pool between max and average keeps every field both kinds have (its padding was
// dropped); what only one kind has goes (count_include_pad), and the shape after it follows.
TEST(ConfigDraft, ChangingALayersTypeKeepsTheFieldsBothKindsHave) {
  ConfigDraft d;
  std::string error;
  ASSERT_TRUE(d.load_preset("fashion-lenet", &error)) << error;
  ASSERT_EQ(d.layers()[2].spec["type"], "maxpool");
  d.set_layer(2, "kernel", 3);
  d.set_layer(2, "stride", 2);
  d.set_layer(2, "padding", 1);
  d.set_layer(2, "ceil_mode", true);
  ASSERT_TRUE(d.ok()) << d.error();
  const std::string shape = d.layers()[2].shape;
  d.set_layer_type(2, "avgpool");
  nlohmann::json spec = d.layers()[2].spec;
  EXPECT_EQ(spec, (nlohmann::json{{"type", "avgpool"}, {"kernel", 3}, {"stride", 2}, {"padding", 1}, {"ceil_mode", true}}));
  EXPECT_TRUE(d.ok()) << d.error();
  EXPECT_EQ(d.layers()[2].shape, shape);
  d.set_layer(2, "count_include_pad", false);
  d.set_layer_type(2, "maxpool");
  spec = d.layers()[2].spec;
  EXPECT_EQ(spec, (nlohmann::json{{"type", "maxpool"}, {"kernel", 3}, {"stride", 2}, {"padding", 1}, {"ceil_mode", true}}));
  EXPECT_EQ(d.layers()[2].shape, shape);
  // A conv keeps its kernel, stride and padding as a pool, and its channels as a linear layer's out.
  d.set_layer(0, "stride", 1);
  d.set_layer_type(0, "avgpool");
  EXPECT_EQ(d.layers()[0].spec, (nlohmann::json{{"type", "avgpool"}, {"kernel", 5}, {"stride", 1}, {"padding", 2}}));
  d.set_layer_type(0, "conv");
  EXPECT_EQ(d.layers()[0].spec, (nlohmann::json{{"type", "conv"}, {"out_channels", 8}, {"kernel", 5}, {"stride", 1}, {"padding", 2}}));
  d.set_layer_type(7, "conv");
  d.set_layer_type(7, "linear");
  EXPECT_EQ(d.layers()[7].spec, (nlohmann::json{{"type", "linear"}, {"out", 120}}));
}

// A run made from the user's own points is named after them, not after the preset it started
// from; so are a CSV file's and another set's; a preset as it is, or a name of the user's, stays.
TEST(TrainingSession, ARunIsNamedAfterItsData) {
  nlohmann::json c = nn::preset("xor");
  EXPECT_EQ(default_run_label(nn::parse_config(c)), "xor");
  c["data"] = {{"name", "points"}, {"points", {{0.1, 0.2, 0}, {0.5, -0.4, 1}, {-0.3, 0.3, 1}}}};
  EXPECT_EQ(default_run_label(nn::parse_config(c)), "your 3 points");
  TrainingSession session;
  ASSERT_GE(session.new_run(nn::parse_config(c), {}, true, nullptr), 0);
  EXPECT_EQ(session.active_run()->label, "your 3 points");
  c["data"] = {{"name", "csv"}, {"path", "/tmp/lecture/measurements.csv"}};
  EXPECT_EQ(default_run_label(nn::parse_config(c)), "measurements.csv");
  c["data"] = {{"name", "spiral"}};
  EXPECT_EQ(default_run_label(nn::parse_config(c)), "spiral");
  c["name"] = "week 3";
  EXPECT_EQ(default_run_label(nn::parse_config(c)), "week 3");
}

TEST(ConfigDraft, SavesWhatTheCliReadsAndLoadsItBack) {
  ConfigDraft d;
  std::string error;
  ASSERT_TRUE(d.load_preset("moons", &error)) << error;
  d.set("optimizer", "lr", 0.123);
  const fs::path path = gs::app::test_support::unique_temp_path("gradscope_draft_roundtrip.json");
  ASSERT_TRUE(d.save_file(path.string(), &error)) << error;
  ConfigDraft back;
  ASSERT_TRUE(back.load_file(path.string(), &error)) << error;
  EXPECT_EQ(back.config().optimizer.lr, 0.123);
  EXPECT_EQ(back.good_text(), d.good_text());
  // A malformed file leaves the setup as it was.
  std::ofstream(path) << "{\"epochs\": ";
  EXPECT_FALSE(back.load_file(path.string(), &error));
  EXPECT_FALSE(error.empty());
  EXPECT_EQ(back.config().optimizer.lr, 0.123);
  fs::remove(path);
}

// Every shipped preset's description has its Chinese one (the table's translate(), as the
// examples' titles): a description edited in assets/presets/ without the table fails here.
TEST(PresetText, EveryPresetsDescriptionHasAChineseOne) {
  for (const std::string& name : nn::preset_names()) {
    const std::string english = nn::preset(name).value("description", "");
    ASSERT_FALSE(english.empty()) << name;
    const std::string chinese = app::translate(english, app::Language::Chinese);
    EXPECT_NE(chinese, english) << name << ": no entry for \"" << english << "\" in i18n_table.h";
    EXPECT_TRUE(app::has_cjk(chinese)) << name << ": " << chinese;
    EXPECT_EQ(app::translate(english, app::Language::English), english);
  }
}

TEST(SentinelAdvice, TheRateInForceIsRoundedAndTheSuggestionIsARoundTenthOfIt) {
  nn::NonFiniteReport r;
  r.step = 21;
  r.quantity = "overflow";
  nn::TrainConfig c;
  const std::string advice = training::non_finite_advice(r, 1.9999451967808295, c);
  EXPECT_NE(advice.find("(now 1.99995; try 0.2)"), std::string::npos) << advice;
  EXPECT_EQ(advice.find("1.99994519"), std::string::npos) << advice;
  EXPECT_NE(training::non_finite_advice(r, 0.1, c).find("(now 0.1; try 0.01)"), std::string::npos);
  EXPECT_NE(training::non_finite_advice(r, 1e38, c).find("(now 1e+38; try 1e+37)"), std::string::npos);
}
