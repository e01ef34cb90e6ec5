// The Training page drawn in an ImGui context without a renderer: --preset with --train-steps
// gives a run K steps in whose plots are the run's history; the setup shows or hides with the
// window's width; the step link (what "open step k in the graph lab" needs) names the run's config,
// the step and the parameters; File > Save writes the CLI's --config JSON. No GL.
#include "app/training/page_training.h"
#include "app/widgets/plot.h"
#include "app/widgets/plot_internal.h"

#include "../headless_imgui.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace gs;
using namespace gs::app;
namespace fs = std::filesystem;

namespace {

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
