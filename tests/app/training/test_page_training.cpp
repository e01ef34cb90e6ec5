// The Training page drawn in an ImGui context without a renderer: --preset with --train-steps
// gives a run K steps in whose plots are the run's history; the setup shows or hides with the
// window's width; the step link (what "open step k in the graph lab" needs) names the run's config,
// the step and the parameters; File > Save writes the CLI's --config JSON. No GL.
#include "app/training/page_training.h"
#include "app/widgets/plot.h"
#include "app/widgets/plot_internal.h"

#include "../headless_imgui.h"
#include "../../cli/run_cli.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

using namespace gs;
using namespace gs::app;
namespace fs = std::filesystem;

namespace {

std::string file_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class TrainingPageTest : public ::testing::Test {
 protected:
  void SetUp() override { plots_ = widgets::CreatePlotContext(); }
  void TearDown() override { widgets::DestroyPlotContext(plots_); }

  void frame() {
    record = FrameRecord{};
    widgets::SetPlotRecordSink(&record.plots);
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(-1000, -1000);
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::Begin("page", nullptr, ImGuiWindowFlags_NoDecoration);
    PageContext ctx{fonts, requests, &record, 0.0};
    page.update(ctx);
    page.draw(ctx, 0);
    page.record(record);
    ImGui::End();
    ImGui::Render();
    widgets::SetPlotRecordSink(nullptr);
  }

  const widgets::PlotSeriesRecord* series(const std::string& name) const {
    for (const widgets::PlotRecord& p : record.plots)
      for (const widgets::PlotSeriesRecord& s : p.series)
        if (s.name == name) return &s;
    return nullptr;
  }

  static Command command(CommandId id, const std::string& arg) {
    Command c;
    c.id = id;
    c.arg = arg;
    return c;
  }

  static LaunchOptions spiral(int steps) {
    LaunchOptions o;
    o.view = "training";
    o.screenshot = "unused.png";  // off-screen: everything is built on this thread
    o.train_preset = "spiral";
    o.train_steps = steps;
    return o;
  }

  app::test_support::HeadlessImGui imgui{ImVec2(1600, 900)};
  widgets::PlotContext* plots_ = nullptr;
  FontSet fonts;
  FrameRequests requests;
  FrameRecord record;
  TrainingPage page;
};

}  // namespace

TEST_F(TrainingPageTest, TrainStepsFillThePlotsWithTheRunsHistory) {
  ASSERT_TRUE(page.start(spiral(25)));
  frame();
  frame();
  const training::Run* run = page.session().active_run();
  ASSERT_NE(run, nullptr);
  ASSERT_EQ(run->history().steps.size(), 25u);
  const widgets::PlotSeriesRecord* raw = series("spiral (raw)");
  ASSERT_NE(raw, nullptr);
  ASSERT_EQ(raw->y.size(), 25u);
  for (std::size_t i = 0; i < 25; ++i) EXPECT_EQ(raw->y[i], run->history().steps[i].loss);
  EXPECT_EQ(record.training["step"], 25);
  EXPECT_TRUE(record.training["setup_shown"].get<bool>());  // 1600 px: room for the setup
}

TEST_F(TrainingPageTest, TheStepLinkNamesTheConfigTheStepAndTheParameters) {
  ASSERT_TRUE(page.start(spiral(12)));
  frame();
  const auto link = page.step_link();
  ASSERT_TRUE(link.has_value());
  EXPECT_EQ(link->step, 12);  // no cursor over the plots: the last step
  ASSERT_NE(link->config, nullptr);
  EXPECT_EQ(link->config->name, "spiral");
  ASSERT_NE(link->snapshot, nullptr);
  EXPECT_EQ(link->snapshot->step, 12);
  EXPECT_FALSE(link->snapshot->values.empty());
}

TEST_F(TrainingPageTest, SaveWritesTheClisConfigAndOpenReadsItBack) {
  ASSERT_TRUE(page.start(spiral(0)));
  frame();
  const fs::path path = fs::temp_directory_path() / "gradscope_training_page.json";
  PageContext ctx{fonts, requests, nullptr, 0.0};
  ASSERT_TRUE(page.apply(command(CommandId::SaveAs, path.string()), ctx)) << page.status().text;
  std::ifstream in(path);
  const nlohmann::json saved = nlohmann::json::parse(in);
  EXPECT_EQ(saved["optimizer"]["name"], "adam");
  EXPECT_EQ(saved["epochs"], 300);
  EXPECT_FALSE(page.document().dirty);
  page.draft().set("", "epochs", 7);
  EXPECT_TRUE(page.document().dirty);
  ASSERT_TRUE(page.apply(command(CommandId::Open, path.string()), ctx));
  EXPECT_EQ(page.draft().config().epochs, 300);
  // A malformed file leaves the setup as it was and says why.
  std::ofstream(path) << "{\"epochs\": [";
  EXPECT_FALSE(page.apply(command(CommandId::Open, path.string()), ctx));
  EXPECT_TRUE(page.status().error);
  EXPECT_EQ(page.draft().config().epochs, 300);
  fs::remove(path);
}

// File > Export > As PyTorch script (and the run bar's button): the file written, and the data
// beside it, are byte for byte what `gradscope-cli export torch` writes for the same config; the
// path dialog is told which files it would replace; a folder that cannot be written is named.
TEST_F(TrainingPageTest, ExportAsPyTorchWritesWhatTheCliWrites) {
  ASSERT_TRUE(page.start(spiral(3)));
  frame();
  EXPECT_EQ(page.command_state(CommandId::ExportTorch), CommandState::Enabled);
  const fs::path dir = fs::temp_directory_path() / "gradscope_training_torch";
  fs::remove_all(dir);
  fs::create_directories(dir / "app");
  fs::create_directories(dir / "cli");
  const fs::path mine = dir / "app" / "lesson.py";
  const std::vector<std::string> outputs = page.outputs(CommandId::ExportTorch, mine.string());
  ASSERT_EQ(outputs.size(), 3u);
  EXPECT_EQ(outputs[1], (dir / "app" / "lesson_train.csv").string());
  PageContext ctx{fonts, requests, nullptr, 0.0};
  ASSERT_TRUE(page.apply(command(CommandId::ExportTorch, mine.string()), ctx)) << page.status().text;
  EXPECT_NE(page.status().text.find("lesson_train.csv"), std::string::npos) << page.status().text;
  const gs::test::CliRun r = gs::test::run_cli({"export", "torch", "--preset", "spiral", "-o", (dir / "cli" / "lesson.py").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_FALSE(file_text(mine).empty());
  EXPECT_EQ(file_text(mine), file_text(dir / "cli" / "lesson.py"));
  EXPECT_EQ(file_text(dir / "app" / "lesson_train.csv"), file_text(dir / "cli" / "lesson_train.csv"));
  EXPECT_EQ(fs::exists(dir / "app" / "lesson_test.csv"), fs::exists(dir / "cli" / "lesson_test.csv"));
  // A folder that does not exist: the status names the file, nothing is claimed.
  EXPECT_FALSE(page.apply(command(CommandId::ExportTorch, (dir / "no" / "such" / "x.py").string()), ctx));
  EXPECT_TRUE(page.status().error);
  EXPECT_NE(page.status().text.find("x.py"), std::string::npos) << page.status().text;
  fs::remove_all(dir);
}

// The sentinel pauses the run (it is not failed): the banner offers the way on, and going back to
// the kept state with a tenth of the learning rate trains to the end on the thread.
TEST_F(TrainingPageTest, AfterTheSentinelTheRunGoesBackWithALowerLearningRateAndFinishes) {
  nlohmann::json c = nn::preset("spiral");
  c["loss"] = "mse";
  c["optimizer"] = {{"name", "sgd"}, {"lr", 2.0}};  // diverges at step 21
  c.erase("schedule");
  c["epochs"] = 8;
  const fs::path path = fs::temp_directory_path() / "gradscope_training_sentinel.json";
  std::ofstream(path) << c.dump();
  LaunchOptions o = spiral(60);
  o.train_preset.clear();
  o.train_config = path.string();
  ASSERT_TRUE(page.start(o));
  frame();
  training::Run* run = page.session().active_run();
  ASSERT_NE(run, nullptr);
  ASSERT_TRUE(run->at_sentinel());
  EXPECT_EQ(record.training["state"], "paused");
  EXPECT_TRUE(record.training["at_sentinel"].get<bool>());
  const std::int64_t failed = record.training["failure"]["step"];
  EXPECT_EQ(run->progress().step, failed - 1);
  EXPECT_FALSE(run->can(training::Run::Command::Resume));  // the same NaN again
  bool offered = false;
  for (const std::string& t : record.visible_text) offered |= t == "Go back and resume";
  EXPECT_TRUE(offered);
  const std::vector<std::int64_t> kept = record.training["kept_steps"];
  ASSERT_FALSE(kept.empty());
  EXPECT_EQ(kept.front(), 0);
  EXPECT_EQ(run->best_kept_step(), 0);  // the loss only grew: the start is the best state kept

  ASSERT_TRUE(run->go_back(0, 0.1, 0.0));
  EXPECT_EQ(run->progress().step, 0);
  EXPECT_FALSE(run->at_sentinel());
  EXPECT_TRUE(run->adjusted());
  page.session().apply(page.session().active(), training::Run::Command::Resume);
  for (int i = 0; i < 20000 && run->state() != training::RunState::Finished && !run->at_sentinel(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    page.session().poll(i * 0.001);
  }
  ASSERT_EQ(run->state(), training::RunState::Finished) << run->error();
  EXPECT_EQ(run->history().steps.size(), 80u);
  EXPECT_DOUBLE_EQ(run->history().steps.back().lr, 0.2);
  frame();
  ASSERT_EQ(record.training["recoveries"].size(), 1u);
  EXPECT_EQ(record.training["recoveries"][0]["failed_step"], failed);
  EXPECT_EQ(record.training["recoveries"][0]["lr_factor"], 0.1);
  fs::remove(path);
}
