// The Training page drawn in an ImGui context without a renderer: --preset with --train-steps
// gives a run K steps in whose plots are the run's history; the setup shows or hides with the
// window's width; the step link (what "open step k in the graph lab" needs) names the run's config,
// the step and the parameters; File > Save writes the CLI's --config JSON. No GL.
#include "app/base/fonts.h"
#include "app/base/style.h"
#include "app/shell/workbench.h"
#include "app/training/page_training.h"
#include "app/widgets/canvas.h"
#include "app/widgets/plot.h"
#include "app/widgets/plot_internal.h"

#include "../headless_imgui.h"
#include "../slider_grab.h"
#include "../temp_path.h"
#include "../../cli/run_cli.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <chrono>
#include <cmath>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace gs;
using namespace gs::app;
namespace fs = std::filesystem;

namespace {

constexpr int kBackspace = 1, kEnter = 2, kPageDownSlot = 3, kRightSlot = 4;  // free slots of io.KeysDown

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

  // One frame of the page in a full-window window, the mouse at `mouse` (its left button down or
  // not); what the page pushes for the shell goes to `commands`.
  void frame(ImVec2 mouse = ImVec2(-1000, -1000), bool left = false) {
    record = FrameRecord{};
    widgets::SetPlotRecordSink(&record.plots);
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = mouse;
    io.MouseDown[0] = left;
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::Begin("page", nullptr, ImGuiWindowFlags_NoDecoration);
    PageContext ctx{fonts, requests, &record, now};
    ctx.commands = &commands;
    ctx.frame_cost = frame_cost;
    page.update(ctx);
    page.handle_keys(ctx);  // as the workbench: the shown page's keys, then its drawing
    page.draw(ctx, 0);
    page.record(record);
    ImGui::End();
    ImGui::Render();
    widgets::SetPlotRecordSink(nullptr);
  }

  // One frame of a workbench (the page as the program shows it: menus, tabs, status line).
  void bench_frame(Workbench& bench, ImVec2 mouse = ImVec2(-1000, -1000), bool left = false) {
    record = FrameRecord{};
    widgets::SetPlotRecordSink(&record.plots);
    ImGui::GetIO().MousePos = mouse;
    ImGui::GetIO().MouseDown[0] = left;
    ImGui::NewFrame();
    PageContext ctx{fonts, requests, &record, now};
    bench.draw(ctx);
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

  // The page started on config `c` (written to a temporary file) with `steps` synchronous steps,
  // one frame drawn: its active run.
  training::Run* start_config(const nlohmann::json& c, const char* file, int steps) {
    config_path_ = test_support::unique_temp_path(file);
    std::ofstream(config_path_) << c.dump();
    LaunchOptions o = spiral(steps);
    o.train_preset.clear();
    o.train_config = config_path_.string();
    if (!page.start(o)) return nullptr;
    frame();
    return page.session().active_run();
  }
  fs::path config_path_;

  app::test_support::HeadlessImGui imgui{ImVec2(1600, 900)};
  widgets::PlotContext* plots_ = nullptr;
  FontSet fonts;
  FrameRequests requests;
  // A person's input, frame by frame: a click, a key (io.KeysDown slot), typed characters; the
  // mouse stays at `mouse_` between them.
  void click(ImVec2 at) {
    mouse_ = at;
    frame(at);
    frame(at, true);
    frame(at);
  }
  void key(int k) {
    ImGui::GetIO().KeysDown[k] = true;
    frame(mouse_);
    ImGui::GetIO().KeysDown[k] = false;
    frame(mouse_);
  }
  void type(const char* text) {
    for (const char* c = text; *c; ++c) {
      ImGui::GetIO().AddInputCharacter(static_cast<unsigned>(*c));
      frame(mouse_);
    }
  }
  // A click on "» Setup", as a user opens the setup where it starts hidden (1024 px).
  void open_setup() {
    frame();
    const ControlRecord* toggle = control("setup_toggle");
    ASSERT_NE(toggle, nullptr);
    click(ImVec2((toggle->rect[0] + toggle->rect[2]) / 2, (toggle->rect[1] + toggle->rect[3]) / 2));
    mouse_ = ImVec2(-1000, -1000);
    frame();
    frame();
    ASSERT_TRUE(record.training["setup_shown"].get<bool>());
  }
  static ImVec2 centre(const nlohmann::json& rect) {
    return ImVec2((rect[0].get<float>() + rect[2].get<float>()) / 2, (rect[1].get<float>() + rect[3].get<float>()) / 2);
  }
  const ControlRecord* control(const std::string& id) const {
    for (const ControlRecord& c : record.controls)
      if (c.id == id) return &c;
    return nullptr;
  }
  bool shows(const std::string& text) const {
    for (const std::string& t : record.visible_text)
      if (t == text) return true;
    return false;
  }

  FrameRecord record;
  CommandQueue commands;
  TrainingPage page;
  ImVec2 mouse_{-1000, -1000};
  double now = 0.0;  // the main loop's clock for the next frame
  // A wait for a training thread ends on what it waits for; this only ends a hang (a thread that
  // never stops), never a slow machine's wait: two minutes from the test's start.
  bool hung() const { return std::chrono::steady_clock::now() - test_start_ > std::chrono::minutes(2); }
  const std::chrono::steady_clock::time_point test_start_ = std::chrono::steady_clock::now();
  double frame_cost = 0.0;  // CPU seconds a frame costs, as the main loop measures it (0: not yet)
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
  // The key's line styles are drawn only where they fit in the plots' width, else they are the
  // key's tooltip (the gradient norm's once ran past the panel's edge, cut).
  const widgets::PlotRecord* loss = nullptr;
  for (const widgets::PlotRecord& p : record.plots)
    if (p.id == "Loss##loss") loss = &p;
  ASSERT_NE(loss, nullptr);
  int shown = 0;
  for (const char* key : {"accuracy: —— train, - - - test", "gradient norm: —— selected run (others faint), - - - its layers"})
    if (std::find(record.visible_text.begin(), record.visible_text.end(), key) != record.visible_text.end()) {
      ++shown;
      EXPECT_LE(ImGui::CalcTextSize(key).x, loss->rect[2] - loss->rect[0]) << key;
    }
  EXPECT_GE(shown, 1);
  // One run: its layers' gradient norms in three different colours (the palette's).
  const widgets::PlotRecord* grad = nullptr;
  for (const widgets::PlotRecord& p : record.plots)
    if (p.id == "Gradient norm##grad") grad = &p;
  ASSERT_NE(grad, nullptr);
  std::vector<unsigned> colours;
  for (const widgets::PlotSeriesRecord& s : grad->series)
    if (s.dashed) colours.push_back(s.color);
  ASSERT_EQ(colours.size(), 3u);
  EXPECT_NE(colours[0], colours[1]);
  EXPECT_NE(colours[1], colours[2]);
  EXPECT_NE(colours[0], colours[2]);
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
  const fs::path path = test_support::unique_temp_path("gradscope_training_page.json");
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
  const fs::path dir = test_support::unique_temp_path("gradscope_training_torch");
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
  c["optimizer"] = {{"name", "sgd"}, {"lr", 2.0}};  // diverges: the loss explodes at step 4
  c.erase("schedule");
  c["epochs"] = 8;
  training::Run* run = start_config(c, "gradscope_training_sentinel.json", 60);
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
  for (int i = 0; run->state() != training::RunState::Finished && !run->at_sentinel() && !hung(); ++i) {
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
  fs::remove(config_path_);
}

// The classroom demonstration of issue 8: the spiral at a learning rate a lecturer types (100).
// Its tanh layers saturate instead of overflowing, so no NaN comes; the explosion guard pauses the
// run where the loss passes 10 × the loss of guessing, and the banner names the step, the
// quantity and what to do.
TEST_F(TrainingPageTest, TheSpiralAtLearningRate100PausesWithAnExplodedLossBanner) {
  nlohmann::json c = nn::preset("spiral");
  c["optimizer"] = {{"name", "sgd"}, {"lr", 100.0}};
  c.erase("schedule");
  training::Run* run = start_config(c, "gradscope_training_exploded.json", 60);
  ASSERT_NE(run, nullptr);
  ASSERT_TRUE(run->at_sentinel());
  EXPECT_EQ(record.training["state"], "paused");
  const nlohmann::json& f = record.training["failure"];
  EXPECT_EQ(f["quantity"], "exploded");
  const int step = f["step"];
  EXPECT_GE(step, 2);
  EXPECT_LE(step, 10);
  EXPECT_EQ(run->progress().step, step - 1);
  EXPECT_NEAR(f["threshold"].get<double>(), 10 * std::log(3.0), 1e-5);
  const std::string headline = f["headline"];
  EXPECT_EQ(headline.rfind("Step " + std::to_string(step) + ": the loss exploded to ", 0), 0u) << headline;
  EXPECT_NE(headline.find("10 × 1.099"), std::string::npos) << headline;
  EXPECT_NE(f["advice"].get<std::string>().find("lower the learning rate (now 100; try 10)"), std::string::npos) << f["advice"];
  bool shown = false, offered = false;
  for (const std::string& t : record.visible_text) shown |= t == headline, offered |= t == "Go back and resume";
  EXPECT_TRUE(shown);
  EXPECT_TRUE(offered);
  // Going back with a tenth (lr 10) still explodes; with a hundredth (lr 1) it trains on.
  ASSERT_TRUE(run->go_back(0, 0.01, 0.0));
  EXPECT_EQ(run->step_now(40, false), 40);
  EXPECT_FALSE(run->at_sentinel());
  frame();
  EXPECT_EQ(record.training["recoveries"][0]["exploded"], true);
  bool noted = false;
  for (const std::string& t : record.visible_text) noted |= t.find("(after the loss exploded at step " + std::to_string(step) + ")") != std::string::npos;
  EXPECT_TRUE(noted);
  fs::remove(config_path_);
}

// "Open step k in the graph" on the first N samples of the step's batch (issue 11), driven as a
// person does it: the samples field beside the button typed into (typos included), the button
// clicked, Enter in the field; the graph handed to the Graph page is the file `gradscope-cli
// replay --samples N --graph-out` writes (one code path, nn::replay_step).
TEST(ReplaySamples, TheDefaultIsTheWholeSmallBatchElseSixteenAndTheFieldTakesOneToTheBatchSize) {
  nn::TrainConfig c;
  c.batch_size = 32;
  EXPECT_EQ(training::replay_samples(c), 32);
  c.batch_size = 64;
  EXPECT_EQ(training::replay_samples(c), 64);
  c.batch_size = 128;
  EXPECT_EQ(training::replay_samples(c), 16);
  std::string error;
  EXPECT_EQ(training::parse_replay_samples(" 128 ", c, &error), 128);
  EXPECT_EQ(training::parse_replay_samples("1", c, &error), 1);
  EXPECT_FALSE(training::parse_replay_samples("129", c, &error));
  EXPECT_EQ(error, "samples: a whole number 1 … 128 (the batch size), got 129");
  EXPECT_FALSE(training::parse_replay_samples("0", c, &error));
  EXPECT_EQ(error, "samples: a whole number 1 … 128 (the batch size), got 0");
  EXPECT_FALSE(training::parse_replay_samples("-3", c, &error));
  EXPECT_EQ(error, "samples: a whole number 1 … 128 (the batch size), got -3");
  EXPECT_FALSE(training::parse_replay_samples("1O", c, &error));
  EXPECT_EQ(error, "samples: a whole number 1 … 128 (the batch size), got '1O'");
  EXPECT_FALSE(training::parse_replay_samples("", c, &error));
  EXPECT_EQ(error, "samples: a whole number 1 … 128 (the batch size), got ''");
  EXPECT_FALSE(training::parse_replay_samples("99999999999999999999", c, &error));
}

// The field beside the button at 1024 pixels (spiral: batch 32, so 32 by default), a typo and an
// out-of-range count named under it with the button off, then 8 typed and the button clicked: the
// Graph page gets the network on 8 samples, the same file as the CLI's --samples 8.
TEST_F(TrainingPageTest, TheSamplesFieldChoosesTheRowsAndTheGraphIsTheClis) {
  ImGui::GetIO().DisplaySize = ImVec2(1024, 768);  // the projector: the bar's narrowest
  ImGui::GetIO().KeyMap[ImGuiKey_Backspace] = kBackspace;
  ImGui::GetIO().KeyMap[ImGuiKey_Enter] = kEnter;
  ASSERT_TRUE(page.start(spiral(5)));
  frame();
  frame();
  const auto replay = [&]() -> const nlohmann::json& { return record.training["replay"]; };
  ASSERT_TRUE(replay().is_object()) << record.training.dump();
  EXPECT_EQ(replay()["samples"], 32);
  EXPECT_EQ(replay()["batch_size"], 32);
  EXPECT_TRUE(replay()["enabled"].get<bool>());
  EXPECT_TRUE(shows("Open step 5 in the graph"));
  EXPECT_TRUE(shows("32 samples"));
  // Beside the button, on its row, not over it.
  const nlohmann::json button = replay()["button_rect"], field = replay()["field_rect"];
  EXPECT_GT(field[0].get<float>(), button[2].get<float>());
  EXPECT_LT(field[1].get<float>(), button[3].get<float>());
  EXPECT_GT(field[3].get<float>(), button[1].get<float>());
  EXPECT_LE(field[2].get<float>(), 1024.0f);

  // Into the field: the two digits away, then a typo.
  const ImVec2 in_field = centre(field);
  click(in_field);
  key(kBackspace);
  key(kBackspace);
  type("8x");
  EXPECT_EQ(replay()["text"], "8x");
  EXPECT_TRUE(replay()["samples"].is_null());
  EXPECT_FALSE(replay()["enabled"].get<bool>());
  EXPECT_TRUE(shows("samples: a whole number 1 … 32 (the batch size), got '8x'")) << replay().dump();
  key(kBackspace);
  type("0");  // 80: more than the batch
  EXPECT_EQ(replay()["error"], "samples: a whole number 1 … 32 (the batch size), got 80");
  EXPECT_FALSE(replay()["enabled"].get<bool>());
  click(centre(replay()["button_rect"]));  // off: nothing happens
  EXPECT_TRUE(commands.empty());
  click(in_field);
  key(kBackspace);
  EXPECT_EQ(replay()["samples"], 8);
  EXPECT_EQ(replay()["error"], "");
  EXPECT_TRUE(replay()["enabled"].get<bool>());

  // The button: the replay (synchronous off-screen) hands the graph over on the next frame.
  click(centre(replay()["button_rect"]));
  frame();
  std::vector<Command> sent = commands.take();
  ASSERT_EQ(sent.size(), 4u) << page.status().text;
  EXPECT_EQ(sent[0].id, CommandId::ShowPage);
  ASSERT_EQ(sent[1].id, CommandId::OpenUntitled);
  ASSERT_EQ(sent[2].id, CommandId::ShowReplay);
  EXPECT_EQ(nlohmann::json::parse(sent[2].arg)["samples"], 8);
  EXPECT_NE(sent[3].arg.find("Step 5, 8 samples"), std::string::npos) << sent[3].arg;
  // The graph's file is in a folder of this process's own: another program replaying step 5 at
  // the same time (found: a second test program, which wrote 3 samples into the shared
  // $TMPDIR/gradscope/gradscope-replay-step-5.json between this one's write and read) never
  // writes it.
  EXPECT_EQ(fs::path(sent[1].arg).parent_path().filename(), "gradscope-" + std::to_string(::getpid())) << sent[1].arg;
  const fs::path cli_graph = test_support::unique_temp_path("gradscope_replay_samples_cli.json");
  const gs::test::CliRun r =
      gs::test::run_cli({"replay", "--preset", "spiral", "--step", "5", "--samples", "8", "--graph-out", cli_graph.string()});
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string gui = file_text(sent[1].arg);
  EXPECT_NE(gui.find("8"), std::string::npos);
  EXPECT_EQ(gui, file_text(cli_graph));
  // …and it is not the whole batch's graph.
  const gs::test::CliRun whole = gs::test::run_cli({"replay", "--preset", "spiral", "--step", "5", "--graph-out", cli_graph.string()});
  ASSERT_EQ(whole.status, 0) << whole.err;
  EXPECT_NE(gui, file_text(cli_graph));
  fs::remove(cli_graph);

  // Enter in the field opens the step too.
  click(in_field);
  key(kBackspace);
  type("3");
  key(kEnter);
  frame();
  sent = commands.take();
  ASSERT_EQ(sent.size(), 4u) << page.status().text;
  EXPECT_EQ(nlohmann::json::parse(sent[2].arg)["samples"], 3);
}

// --replay-samples N fills the field (the same reading); a bad N is refused with the message.
TEST_F(TrainingPageTest, TheLaunchOptionFillsTheFieldAndABadCountIsNamed) {
  LaunchOptions o = spiral(2);
  o.replay_samples = "40";
  EXPECT_FALSE(page.start(o));
  EXPECT_EQ(page.status().text, "--replay-samples: samples: a whole number 1 … 32 (the batch size), got 40");
}

// Three compared runs, "Run all" interleaved on their threads. Driven with xdotool on a loaded
// machine, the frames after the end came a second apart, and the last one showed the plots
// unfitted (they fit to the frame before's data) and the run table's figures cut: after the runs
// go still the page now asks for at least three more frames however slowly they come, and the
// loss plot then holds every run's whole curve. While they train, frames are capped at 20 a second.
TEST_F(TrainingPageTest, AfterRunAllTheLastFramesSettleTheCurvesHoweverSlowlyFramesCome) {
  ImGui::GetIO().BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;  // as the GL backend: long curves
  LaunchOptions o = spiral(0);
  o.schedules = "step:step_size=90,gamma=0.1;multistep:milestones=[90,180,240],gamma=0.1;exponential:gamma=0.95";
  ASSERT_TRUE(page.start(o));
  frame();
  ASSERT_EQ(page.session().size(), 3);
  page.session().run_all(true);
  // One frame a second (a machine under load), until the runs are done.
  while (page.session().busy() && !hung()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    requests.redraw.clear();
    frame();
    // While it trains, always a next frame: 20 a second while nobody touches the window (a frame
    // cap, so that drawing leaves the cores to training; input draws at once, in the main loop).
    EXPECT_TRUE(requests.redraw.pending());
    if (page.session().busy()) { EXPECT_NEAR(requests.redraw.due() - now, 1.0 / 20.0, 1e-9); }
    now += 1.0;
  }
  ASSERT_FALSE(page.session().busy());
  // The frame that saw them still asked for the next (checked above); count the ones after it.
  int after = 0;
  for (int k = 0; k < 10; ++k) {
    requests.redraw.clear();
    frame();
    ++after;
    if (!requests.redraw.pending()) break;
    EXPECT_NEAR(requests.redraw.due() - now, 1.0 / 60.0, 1e-9);  // settling: at the display's rate
    now += 1.0;
  }
  EXPECT_EQ(after, 3);  // and then the page goes idle
  const widgets::PlotRecord* loss = nullptr;
  for (const widgets::PlotRecord& p : record.plots)
    if (p.id == "Loss##loss") loss = &p;
  ASSERT_NE(loss, nullptr);
  EXPECT_GE(loss->x_range[1], 3000.0);
  for (int i = 0; i < 3; ++i) {
    const training::Run& r = page.session().run(i);
    ASSERT_EQ(r.state(), training::RunState::Finished);
    const widgets::PlotSeriesRecord* raw = series(r.label + " (raw)");
    ASSERT_NE(raw, nullptr) << r.label;
    ASSERT_EQ(raw->y.size(), 3000u);
    for (double y : raw->y) {
      EXPECT_GE(y, loss->y_range[0]) << r.label;
      EXPECT_LE(y, loss->y_range[1]) << r.label;
    }
  }
}

// Spiral's 3000 steps take about 15 ms: a run started by a click can finish before the next frame,
// so the page never sees it busy. CI caught the frames after it missing (the plots fitted to the
// frame before's data) a third of the time; that the run moved must start the settling too.
TEST_F(TrainingPageTest, ARunThatStartsAndFinishesBetweenTwoFramesStillSettlesThePlots) {
  ImGui::GetIO().BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
  ASSERT_TRUE(page.start(spiral(0)));
  frame();
  frame();
  ASSERT_FALSE(page.session().busy());
  page.session().run_all(true);
  // The thread ends before the page looks again, however fast or slow the machine (it once slept
  // half a second and skipped the test when that was not enough).
  page.session().run(0).wait_for_thread();
  int after = 0;
  for (int k = 0; k < 10; ++k) {
    requests.redraw.clear();
    frame();
    ASSERT_FALSE(page.session().busy());
    ++after;
    if (!requests.redraw.pending()) break;
    now += 1.0;
  }
  EXPECT_EQ(after, 4);  // the frame that saw it finished, then three more: the page then goes idle
  const training::Run& r = page.session().run(0);
  ASSERT_EQ(r.state(), training::RunState::Finished);
  const widgets::PlotRecord* loss = nullptr;
  for (const widgets::PlotRecord& p : record.plots)
    if (p.id == "Loss##loss") loss = &p;
  ASSERT_NE(loss, nullptr);
  const widgets::PlotSeriesRecord* raw = series(r.label + " (raw)");
  ASSERT_NE(raw, nullptr);
  ASSERT_EQ(raw->y.size(), 3000u);
  for (double y : raw->y) {
    EXPECT_GE(y, loss->y_range[0]);
    EXPECT_LE(y, loss->y_range[1]);
  }
}

// The plots fit the data they draw in the frame that draws it: a frame whose curves grew since the
// last one (25 steps, then the whole run) has every point inside its plot's axes, without waiting
// for the settling frames (the axes once followed the last frame's data, and a short spiral run's
// loss curve left the plot for two or three live frames).
TEST_F(TrainingPageTest, AFrameWhoseDataGrewDrawsEveryPointInsideItsAxes) {
  ImGui::GetIO().BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
  ASSERT_TRUE(page.start(spiral(25)));
  frame();
  frame();
  const training::Run& r = page.session().run(0);
  ASSERT_EQ(series(r.label + " (raw)")->y.size(), 25u);
  page.session().run_all(true);
  page.session().run(0).wait_for_thread();
  frame();  // the first frame that sees the other 2975 steps
  ASSERT_EQ(series(r.label + " (raw)")->y.size(), 3000u);
  int checked = 0;
  for (const widgets::PlotRecord& p : record.plots) {
    for (const widgets::PlotSeriesRecord& s : p.series) {
      const double* yr = s.y_axis == 2 ? p.y2_range : p.y_range;
      const bool log = s.y_axis == 2 ? p.log_y2 : p.log_y;
      for (std::size_t i = 0; i < s.x.size(); ++i) {
        if (!std::isfinite(s.y[i]) || (log && s.y[i] <= 0)) continue;  // not drawn
        EXPECT_GE(s.x[i], p.x_range[0]) << p.id << " " << s.name << " point " << i;
        EXPECT_LE(s.x[i], p.x_range[1]) << p.id << " " << s.name << " point " << i;
        EXPECT_GE(s.y[i], yr[0]) << p.id << " " << s.name << " point " << i;
        EXPECT_LE(s.y[i], yr[1]) << p.id << " " << s.name << " point " << i;
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 4 * 3000);  // loss raw and smoothed, learning rate, gradient norms at least
}

// Adam's betas field, left empty, shows src/nn's defaults in grey as a person would type them
// (it was blank, the only field of the optimizer with no hint).
TEST_F(TrainingPageTest, AnEmptyBetasFieldShowsAdamsDefaults) {
  LaunchOptions o = spiral(0);
  o.train_preset = "moons";  // Adam, no betas in the preset
  ASSERT_TRUE(page.start(o));
  frame();
  frame();
  const ControlRecord* betas = control("betas");
  ASSERT_NE(betas, nullptr);
  EXPECT_EQ(betas->text, "0.9, 0.999");
}

// Three schedules compared at a projector's 1024 × 768: each run's train accuracy is marked with a
// shape of its own (circle, square, diamond; the key shows it), nested (the first run's largest),
// at least 3.5 px, the newest epoch always marked, neighbours never overlapping (every k-th epoch
// where the plot is narrow), the line under them unchanged; test accuracy keeps its own small
// markers of the run's shape.
TEST_F(TrainingPageTest, ComparedRunsAccuracyMarkersAreShapesReadableAt1024) {
  ImGui::GetIO().DisplaySize = ImVec2(1024, 768);
  LaunchOptions o = spiral(100);
  o.schedules = "step:step_size=3,gamma=0.5;multistep:milestones=[3,6],gamma=0.5;exponential:gamma=0.8";
  ASSERT_TRUE(page.start(o));
  frame();
  frame();
  ASSERT_EQ(page.session().size(), 3);
  const widgets::PlotRecord* acc = nullptr;
  for (const widgets::PlotRecord& p : record.plots)
    if (p.id == "Accuracy per epoch##accuracy") acc = &p;
  ASSERT_NE(acc, nullptr);
  const float px_per_x = (acc->area[2] - acc->area[0]) / static_cast<float>(acc->x_range[1] - acc->x_range[0]);
  const char* shapes[] = {"circle", "square", "diamond"};
  const char* symbols[] = {"\u25cf", "\u25a0", "\u25c6"};
  std::vector<float> radii;
  for (int i = 0; i < 3; ++i) {
    const training::Run& run = page.session().run(i);
    SCOPED_TRACE(run.label);
    const widgets::PlotSeriesRecord *line = nullptr, *marks = nullptr;
    for (const widgets::PlotSeriesRecord& s : acc->series)
      if (s.name == run.label + " train") (s.kind == "scatter" ? marks : line) = &s;
    ASSERT_NE(line, nullptr);
    ASSERT_NE(marks, nullptr);
    EXPECT_EQ(line->marker, "");
    EXPECT_EQ(line->y.size(), 10u);  // ten epochs
    EXPECT_EQ(marks->marker, shapes[i]);
    EXPECT_TRUE(marks->auxiliary);
    // The newest epoch marked; the marks are the line's points, evenly thinned.
    ASSERT_GE(marks->x.size(), 3u);
    EXPECT_EQ(marks->x.back(), line->x.back());
    EXPECT_EQ(marks->y.back(), line->y.back());
    const double dx = marks->x[1] - marks->x[0];
    const float gap_px = static_cast<float>(dx) * px_per_x;
    const double every = dx / (line->x[1] - line->x[0]);
    EXPECT_LE(every, training::kMaxMarkEvery);
    // The radius as laid out (the widget's size of a square or a diamond is a little smaller).
    const float r = marks->marker_size / (i == 0 ? 1.0f : i == 1 ? 0.75f : 0.8f);
    EXPECT_GE(r, 3.5f);
    EXPECT_LE(1.8f * (r + widgets::kMarkerOutlinePx), gap_px + 0.01f) << "every " << every << ", " << gap_px << " px apart";
    radii.push_back(r);
    // The key names the run beside its marker's symbol.
    EXPECT_TRUE(shows(run.label));
    EXPECT_EQ(record.training["runs"][i]["marker"], symbols[i]);
  }
  EXPECT_GT(radii[0], radii[1] + widgets::kMarkerOutlinePx);
  EXPECT_GT(radii[1], radii[2] + widgets::kMarkerOutlinePx);
}

// At 1024 × 768 the gradient norm's log axis is short (a few lines of text): it still labels two
// ticks at least, so that the curve can be read (it once showed "0.1" alone).
TEST_F(TrainingPageTest, AtTenTwentyFourTheGradientNormsLogAxisLabelsTwoTicks) {
  ImGui::GetIO().DisplaySize = ImVec2(1024, 768);
  ASSERT_TRUE(page.start(spiral(600)));
  frame();
  frame();
  int log_axes = 0;
  for (const widgets::PlotRecord& p : record.plots) {
    if (!p.log_y) continue;
    ++log_axes;
    EXPECT_GE(p.y_ticks.size(), 2u) << p.id << ": " << ::testing::PrintToString(p.y_ticks) << " over " << p.area[3] - p.area[1] << " px";
  }
  EXPECT_GE(log_axes, 1);  // the gradient norm's
}

// The preset list opens at the click: ImGui draws a popup hidden in its first frame (to measure
// it), so the workbench asks for the next frame at once; the main loop draws it without waiting
// for the mouse to move (the list once appeared a frame late, at the next input). Drawn through a
// Workbench, as the program draws it: the request is the shell's, for every page's popups.
TEST_F(TrainingPageTest, ThePresetListShowsInTheFrameAfterTheClickWithoutInput) {
  PageList pages;
  pages.push_back(std::make_unique<TrainingPage>());
  ASSERT_TRUE(pages[0]->start(spiral(0)));
  Workbench bench(std::move(pages));
  now = 1.0;
  bench_frame(bench);
  const ControlRecord* combo = control("preset");
  ASSERT_NE(combo, nullptr);
  const ImVec2 at((combo->rect[0] + combo->rect[2]) / 2, (combo->rect[1] + combo->rect[3]) / 2);
  bench_frame(bench, at);
  bench_frame(bench, at, true);
  requests.redraw.clear();
  bench_frame(bench, at);  // the release opens the list, hidden this frame
  EXPECT_FALSE(shows("fashion-lenet"));
  ASSERT_TRUE(requests.redraw.pending());
  EXPECT_LE(requests.redraw.due(), now);
  requests.redraw.clear();
  now += 0.01;
  bench_frame(bench, at);  // the frame asked for: nothing changed in the input
  EXPECT_TRUE(shows("fashion-lenet"));
  EXPECT_TRUE(shows("moons"));
  EXPECT_FALSE(requests.redraw.pending());  // then the page waits for input again
}

// While image data load (Fashion-MNIST takes a moment to read), the page already shows the image
// views and says what is read and what will show there; the plane's panel once stayed empty. The
// data file is a FIFO, so the run stays loading until the test lets it fail.
TEST_F(TrainingPageTest, WhileImagesLoadThePanelSaysWhatIsReadAndWhatWillShow) {
  ASSERT_TRUE(page.start(spiral(0)));
  const fs::path fifo = test_support::unique_temp_path("gradscope_loading.idx");
  fs::remove(fifo);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  nlohmann::json c = nn::preset("fashion-mlp");
  c["data"] = {{"name", "idx"}, {"train_images", fifo.string()}, {"train_labels", fifo.string()}};
  std::string error;
  ASSERT_GE(page.session().new_run(nn::parse_config(c), "", false, &error), 0) << error;
  frame();
  frame();
  ASSERT_EQ(page.session().active_run()->state(), training::RunState::Loading);
  const std::string name = fifo.filename().string();
  EXPECT_TRUE(shows(trf(Tr::TrainLoadingData, name))) << ::testing::PrintToString(record.visible_text);
  EXPECT_TRUE(shows(trf(Tr::TrainLoadingImagesNote, name)));
  EXPECT_FALSE(shows(tr(Tr::TrainNot2d)));
  // The loader finds the file empty and fails: a writer that opens and closes at once, as long as
  // it loads (it opens the file twice), never blocking (O_NONBLOCK fails while nobody reads).
  while (page.session().active_run()->state() == training::RunState::Loading && !hung()) {
    const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0) ::close(fd);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    frame();
  }
  fs::remove(fifo);
  EXPECT_EQ(page.session().active_run()->state(), training::RunState::LoadFailed);
}

// While data load, the page says how much of the files is read ("loading NAME… 43 %"). The images
// come through a FIFO: the test writes half of them and waits (frames, never a clock) until a
// percentage shows; it is above 0 and at most what came through. The total is known once the
// pipe's header is read (the labels are a plain file, its size known at once). Then the rest
// arrives and the run is ready, the percentage gone.
TEST_F(TrainingPageTest, WhileDataLoadThePanelShowsThePercentageRead) {
  // Once loaded, the image grid is drawn cell by cell here (no GL textures): more than 64K
  // vertices, which the program's OpenGL 3 backend splits, as it says with this flag.
  ImGui::GetIO().BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
  ASSERT_TRUE(page.start(spiral(0)));
  const int n = 2000;
  auto header = [](std::vector<int> dims) {
    std::string h{'\0', '\0', '\x08', static_cast<char>(dims.size())};
    for (int d : dims)
      for (int shift : {24, 16, 8, 0}) h.push_back(static_cast<char>((d >> shift) & 0xff));
    return h;
  };
  const std::string images = header({n, 28, 28}) + std::string(static_cast<std::size_t>(n) * 28 * 28, '\x40');
  std::string labels = header({n});
  for (int i = 0; i < n; ++i) labels.push_back(static_cast<char>(i % 10));
  const fs::path fifo = test_support::unique_temp_path("gradscope_progress.idx");
  const fs::path label_file = test_support::unique_temp_path("gradscope_progress_labels.idx");
  std::ofstream(label_file, std::ios::binary) << labels;
  fs::remove(fifo);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  nlohmann::json c = nn::preset("fashion-mlp");
  c["data"] = {{"name", "idx"}, {"train_images", fifo.string()}, {"train_labels", label_file.string()}};
  std::string error;
  ASSERT_GE(page.session().new_run(nn::parse_config(c), "", false, &error), 0) << error;
  // The loader opens the pipe to read: from then on it opens to write.
  int fd = -1;
  while (fd < 0 && !hung()) {
    fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd < 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_GE(fd, 0);
  ::fcntl(fd, F_SETFL, 0);  // blocking writes: each returns once the loader took all but a pipe's worth
  const auto old_sigpipe = std::signal(SIGPIPE, SIG_IGN);  // a loader that gave up fails the write, not the process
  auto write_part = [&](std::size_t from, std::size_t to) {
    while (from < to) {
      const ssize_t w = ::write(fd, images.data() + from, to - from);
      if (w <= 0) return false;
      from += static_cast<std::size_t>(w);
    }
    return true;
  };
  const std::size_t half = 16 + images.size() / 2;
  ASSERT_TRUE(write_part(0, half));
  const std::string name = fifo.filename().string();
  auto shown_percent = [&] {
    for (int k = 0; k <= 100; ++k)
      if (shows(trf(Tr::TrainLoadingPercent, name, std::to_string(k)))) return k;
    return -1;
  };
  int percent = -1;
  while (percent <= 0 && !hung() && page.session().active_run()->state() == training::RunState::Loading) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    frame();
    percent = shown_percent();
  }
  EXPECT_GT(percent, 0) << ::testing::PrintToString(record.visible_text);
  EXPECT_LE(percent, static_cast<int>(100.0 * static_cast<double>(half) / static_cast<double>(images.size() + labels.size())));
  EXPECT_EQ(page.session().active_run()->state(), training::RunState::Loading);
  EXPECT_TRUE(write_part(half, images.size()));
  ::close(fd);
  std::signal(SIGPIPE, old_sigpipe);
  while (page.session().active_run()->state() == training::RunState::Loading && !hung()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    frame();
  }
  frame();
  fs::remove(fifo);
  ASSERT_EQ(page.session().active_run()->state(), training::RunState::Ready) << page.session().active_run()->load_error();
  EXPECT_EQ(page.session().active_run()->data()->train.size(), n);
  EXPECT_EQ(shown_percent(), -1);
}

// While a run trains and nobody touches the window, frames come often enough for the curves to
// grow smoothly but take at most a twentieth of the machine's CPU: 20 a second where a frame is
// cheap (a GPU), fewer where the GL driver rasterises on the CPU, never fewer than 4.
TEST(TrainingLiveFrames, DrawingTakesAtMostATwentiethOfTheMachine) {
  EXPECT_DOUBLE_EQ(live_frame_interval(0.0, 2), 1.0 / 20.0);    // not measured yet
  EXPECT_DOUBLE_EQ(live_frame_interval(0.003, 2), 1.0 / 20.0);  // a GPU: 3 ms a frame
  EXPECT_DOUBLE_EQ(live_frame_interval(0.017, 2), 0.17);        // 0.1 of 2 cores
  EXPECT_DOUBLE_EQ(live_frame_interval(0.034, 2), 0.25);        // llvmpipe at 1600×900: never under 4 a second
  EXPECT_DOUBLE_EQ(live_frame_interval(0.2, 2), 0.25);
  EXPECT_DOUBLE_EQ(live_frame_interval(0.017, 8), 1.0 / 20.0);  // eight cores: 0.4 of them may draw
  EXPECT_DOUBLE_EQ(live_frame_interval(0.05, 8), 0.125);        // 0.4 of eight cores
  EXPECT_DOUBLE_EQ(live_frame_interval(std::nan(""), 2), 1.0 / 20.0);
  EXPECT_DOUBLE_EQ(live_frame_interval(0.034, 0), 0.25);        // a bad core count counts as one
}

TEST_F(TrainingPageTest, WhileATrainingRunsFramesComeAsTheirCostAllows) {
  ASSERT_TRUE(page.start(spiral(0)));
  // Long enough that it still trains at the next frame on any machine (spiral's own 3000 steps take
  // 15 ms: a loaded machine could let them finish before it).
  nn::TrainConfig long_run = page.session().run(0).config();
  long_run.epochs = 10000;
  page.session().reset(0, true, &long_run);
  frame();
  page.session().run_all(true);
  ASSERT_TRUE(page.session().busy());
  frame_cost = 0.034;
  requests.redraw.clear();
  frame();
  ASSERT_TRUE(requests.redraw.pending());
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  EXPECT_NEAR(requests.redraw.due() - now, live_frame_interval(0.034, cores), 1e-9);
  EXPECT_GT(requests.redraw.due() - now, 1.0 / 20.0 - 1e-9);
  page.session().apply(page.session().active(), training::Run::Command::Stop);
}

// A CSV file that is not there is named under the setup's field as it is typed (found driving the
// page with xdotool: a typo was only named when New run tried to build the run).
TEST_F(TrainingPageTest, AMissingCsvFileIsNamedAtItsField) {
  ASSERT_TRUE(page.start(spiral(0)));
  page.draft().set_data_kind("csv");
  page.draft().set("data", "path", "/tmp/gradscope_no_such_dir/measurments.csv");
  frame();
  frame();
  EXPECT_TRUE(shows("no such file: /tmp/gradscope_no_such_dir/measurments.csv"));
  const fs::path csv = test_support::unique_temp_path("gradscope_training_points.csv");
  std::ofstream(csv) << "x,y,label\n0.1,0.2,0\n-0.3,0.4,1\n";
  page.draft().set("data", "path", csv.string());
  frame();
  frame();
  for (const std::string& t : record.visible_text) EXPECT_EQ(t.find("no such file"), std::string::npos) << t;
  fs::remove(csv);
}

// A presentation clicker sends PageDown for "next" (or →): on the Training page either takes one
// batch, as on the Graph page they take one step. The status line says so.
TEST_F(TrainingPageTest, AClickersPageDownTakesOneBatchAsRightDoes) {
  ImGui::GetIO().KeyMap[ImGuiKey_PageDown] = kPageDownSlot;
  ImGui::GetIO().KeyMap[ImGuiKey_RightArrow] = kRightSlot;
  ASSERT_TRUE(page.start(spiral(0)));
  frame();
  EXPECT_NE(std::string(page.hint()).find("PgDn: one batch"), std::string::npos) << page.hint();
  training::Run& run = *page.session().active_run();
  const auto paused_at = [&](std::size_t steps) {
    while (!(run.state() == training::RunState::Paused && run.history().steps.size() == steps) && !hung()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      page.session().poll(now);
    }
    return run.state() == training::RunState::Paused && run.history().steps.size() == steps;
  };
  key(kPageDownSlot);
  ASSERT_TRUE(paused_at(1)) << training::run_state_name(run.state()) << " " << run.history().steps.size();
  key(kPageDownSlot);
  ASSERT_TRUE(paused_at(2));
  key(kRightSlot);
  ASSERT_TRUE(paused_at(3));
  page.session().apply(page.session().active(), training::Run::Command::Stop);
}

// "3 runs to compare: press Run all" goes once Run all is pressed (it stayed on the status line
// while the runs trained and after they ended, found driving the page with xdotool).
TEST_F(TrainingPageTest, RunAllClearsTheCompareMessage) {
  ImGui::GetIO().BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;  // as the GL backend: long curves
  LaunchOptions o = spiral(0);
  o.schedules = "step:step_size=90,gamma=0.1;multistep:milestones=[90,180,240],gamma=0.1;exponential:gamma=0.95";
  ASSERT_TRUE(page.start(o));
  EXPECT_EQ(page.status().text, "3 runs to compare: press Run all");
  frame();
  const ControlRecord* run_all = control("run_all");
  ASSERT_NE(run_all, nullptr);
  EXPECT_EQ(run_all->text, "Run all");
  click(ImVec2((run_all->rect[0] + run_all->rect[2]) / 2, (run_all->rect[1] + run_all->rect[3]) / 2));
  EXPECT_EQ(page.status().text, "");
  // One after another (the default): the three run to their end, and the status line stays clear.
  while ((page.session().busy() || page.session().queued()) && !hung()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    frame();
  }
  for (int i = 0; i < page.session().size(); ++i) EXPECT_EQ(page.session().run(i).state(), training::RunState::Finished) << i;
  EXPECT_EQ(page.status().text, "");
}

// The schedule's miniature in the setup is a picture: the wheel that scrolls the setup past it
// does not zoom it (zoomed, it stopped following the setup, and a learning rate of 0 typed then was
// drawn outside its view: an empty plot), and it always shows the curve of the setup's schedule.
TEST_F(TrainingPageTest, TheScheduleMiniatureFollowsTheSetupWhateverTheWheelDid) {
  ImGui::GetIO().DisplaySize = ImVec2(1600, 3000);  // the whole setup on the screen
  ASSERT_TRUE(page.start(spiral(0)));
  for (int k = 0; k < 3; ++k) frame();  // a plot fits to the frame before's data
  const auto miniature = [&]() -> const widgets::PlotRecord* {
    for (const widgets::PlotRecord& p : record.plots)
      if (p.id == "##schedule_miniature") return &p;
    return nullptr;
  };
  ASSERT_NE(miniature(), nullptr);
  const ImVec2 inside((miniature()->rect[0] + miniature()->rect[2]) / 2, (miniature()->rect[1] + miniature()->rect[3]) / 2);
  const double y_before[2] = {miniature()->y_range[0], miniature()->y_range[1]};
  for (int k = 0; k < 5; ++k) {
    ImGui::GetIO().MouseWheel = -1.0f;
    frame(inside);
  }
  ASSERT_NE(miniature(), nullptr);
  EXPECT_EQ(miniature()->y_range[0], y_before[0]);
  EXPECT_EQ(miniature()->y_range[1], y_before[1]);
  page.draft().set("optimizer", "lr", 0.0);
  ASSERT_TRUE(page.draft().ok()) << page.draft().error();
  frame(inside);
  frame(inside);
  ASSERT_NE(miniature(), nullptr);
  EXPECT_LE(miniature()->y_range[0], 0.0);
  EXPECT_GE(miniature()->y_range[1], 0.0);
}

// fashion-lenet's layers at 1600 px: a line too long for the setup's column puts the parameter
// count on a line of its own (the conv's "156 parameters" was cut at the panel's edge).
TEST_F(TrainingPageTest, ALayersParameterCountGoesBelowWhenTheLineIsTooLong) {
  ImGui::GetIO().FontGlobalScale = 17.0f / 13.0f;  // the program's 17 px text (the test's font is ImGui's 13 px)
  ASSERT_TRUE(page.start(spiral(0)));
  std::string error;
  ASSERT_TRUE(page.draft().load_preset("fashion-lenet", &error)) << error;  // the setup only: no data loaded
  frame();
  frame();
  ASSERT_TRUE(record.training["setup_shown"].get<bool>());
  EXPECT_TRUE(shows("156 parameters")) << nlohmann::json(record.visible_text).dump();
  EXPECT_TRUE(shows("→ [6×28×28]   Conv2D(1→6, 5×5, pad 2)"));
}

// The setup opened at a projector's 1024 × 768 with the program's fonts: "Regenerate" beside the
// data seed shows its name whole inside the panel (half the row each cut it to "Regenerat").
TEST_F(TrainingPageTest, RegenerateShowsItsNameWholeInTheSetupAt1024) {
  ImGui::GetIO().DisplaySize = ImVec2(1024, 768);
  apply_style(1.0f);
  load_fonts(&fonts, 17.0f);
  ASSERT_TRUE(page.start(spiral(0)));
  frame();
  const ControlRecord* toggle = control("setup_toggle");
  ASSERT_NE(toggle, nullptr);
  EXPECT_EQ(control("regenerate"), nullptr) << "the setup starts hidden at 1024 px";
  const ImVec2 at((toggle->rect[0] + toggle->rect[2]) / 2, (toggle->rect[1] + toggle->rect[3]) / 2);
  frame(at, true);
  frame(at, false);
  frame();
  const ControlRecord* regenerate = control("regenerate");
  ASSERT_NE(regenerate, nullptr) << "the setup did not open";
  const float need = ImGui::CalcTextSize(regenerate->text.c_str()).x + ImGui::GetStyle().FramePadding.x * 2.0f;
  EXPECT_GE(regenerate->rect[2] - regenerate->rect[0], need - 0.5f) << "'" << regenerate->text << "' is cut";
  toggle = control("setup_toggle");
  ASSERT_NE(toggle, nullptr);
  EXPECT_LE(regenerate->rect[2], toggle->rect[0]) << "Regenerate runs past the setup panel";
  widgets::SetCanvasFontLadder({});
}

namespace {

// The classic three compared from the spiral at a projector's 1024 × 768 with the program's fonts.
LaunchOptions classic_three_at_1024(FontSet* fonts) {
  ImGui::GetIO().DisplaySize = ImVec2(1024, 768);
  apply_style(1.0f);
  load_fonts(fonts, 17.0f);
  LaunchOptions o;
  o.view = "training";
  o.screenshot = "unused.png";
  o.train_preset = "spiral";
  o.train_steps = 600;
  o.schedules = "step:step_size=30,gamma=0.1;multistep:milestones=[30,60,80],gamma=0.1;exponential:gamma=0.95";
  return o;
}

}  // namespace

// The setup opened at 1024 × 768 beside three compared runs, finished: each run's row ends inside
// the window, its delete button (×) whole, its label field still there (the figures' one long line
// beside "finished" pushed the × past the right edge and squeezed the label to nothing); the
// figures wrap in their column instead.
TEST_F(TrainingPageTest, WithTheSetupOpenAt1024EveryRunsDeleteButtonIsInsideTheWindow) {
  LaunchOptions o = classic_three_at_1024(&fonts);
  o.train_steps = 3000;  // spiral's 300 epochs: finished
  ASSERT_TRUE(page.start(o));
  ASSERT_NO_FATAL_FAILURE(open_setup());
  ASSERT_EQ(page.session().size(), 3);
  const ControlRecord* toggle = control("setup_toggle");
  ASSERT_NE(toggle, nullptr);
  for (int i = 0; i < 3; ++i) {
    const training::Run& run = page.session().run(i);
    SCOPED_TRACE(run.label);
    const ControlRecord* del = control("delete " + run.label);
    ASSERT_NE(del, nullptr);
    EXPECT_GE(del->rect[0], toggle->rect[2]) << "left of the run bar";
    EXPECT_LE(del->rect[2], 1024.0f - ImGui::GetStyle().WindowPadding.x + 0.5f) << "cut at the window's right edge";
    EXPECT_GE(del->rect[2] - del->rect[0], ImGui::CalcTextSize("×").x) << "squeezed";
    EXPECT_EQ(run.state(), training::RunState::Finished);
    const ControlRecord* label = control("label " + run.label);
    ASSERT_NE(label, nullptr);
    EXPECT_GE(label->rect[2] - label->rect[0], 5.0f * ImGui::GetFontSize()) << "the label squeezed out of sight";
  }
  widgets::SetCanvasFontLadder({});
}

// The smoothing slider draws "0.600" over its grab: the grab is light (40 % of the style's
// opacity) where a solid one hid the digits under it.
TEST_F(TrainingPageTest, TheSmoothingSlidersDigitsReadThroughItsGrab) {
  ASSERT_TRUE(page.start(classic_three_at_1024(&fonts)));
  frame();
  frame();
  const ControlRecord* slider = control("smoothing");
  ASSERT_NE(slider, nullptr);
  EXPECT_EQ(slider->text, "0.600");
  const test_support::GrabVertices grab = test_support::grab_vertices(slider->rect);
  EXPECT_EQ(grab.solid, 0) << "a solid grab under the digits";
  EXPECT_GE(grab.light, 4) << "no grab drawn";
  widgets::SetCanvasFontLadder({});
}

// Three runs compared at 1024 × 768: no plot is below the fold (the gradient norm was, under a
// scrolling column). The row under the loss is chosen by two tabs, accuracy and learning rate or
// the gradient norm, each plot at a readable height (at least 3 lines of text of data area).
TEST_F(TrainingPageTest, ComparingAt1024EveryPlotIsInViewTheGradientNormATabAway) {
  ASSERT_TRUE(page.start(classic_three_at_1024(&fonts)));
  frame();
  frame();
  ASSERT_EQ(page.session().size(), 3);
  const float readable = 3.0f * ImGui::GetTextLineHeight();
  auto check_in_view = [&](const char* when) {
    for (const widgets::PlotRecord& p : record.plots) {
      if (p.id == "##schedule_miniature") continue;
      EXPECT_LE(p.rect[3], 768.0f) << when << ": " << p.id << " below the fold";
      EXPECT_GE(p.area[3] - p.area[1], readable) << when << ": " << p.id << " too low to read";
    }
  };
  check_in_view("at first");
  const auto has_plot = [&](const std::string& id) {
    return std::any_of(record.plots.begin(), record.plots.end(), [&](const widgets::PlotRecord& p) { return p.id == id; });
  };
  EXPECT_TRUE(has_plot("Loss##loss"));
  EXPECT_TRUE(has_plot("Accuracy per epoch##accuracy"));
  EXPECT_TRUE(has_plot("Learning rate in force##lr"));
  const ControlRecord* tab = control("grad_tab");
  ASSERT_NE(tab, nullptr) << "the gradient norm can be reached only by scrolling";
  EXPECT_EQ(tab->text, "Gradient norm");
  EXPECT_LE(tab->rect[3], 768.0f);
  click(centre(nlohmann::json{tab->rect[0], tab->rect[1], tab->rect[2], tab->rect[3]}));
  mouse_ = ImVec2(-1000, -1000);
  frame();
  frame();
  EXPECT_TRUE(has_plot("Gradient norm##grad"));
  EXPECT_TRUE(has_plot("Loss##loss"));
  EXPECT_EQ(record.training["plot_tab"], "grad");
  check_in_view("the gradient norm's tab");
  widgets::SetCanvasFontLadder({});
}

// The key above the plots names every compared run whole, also where the column is narrow (the
// setup open at 1024 × 768): a label wider than the column goes on two lines, broken at spaces
// ("MultiStepLR(milestones=[30, 60, 80], ga..." before), inside the column.
TEST_F(TrainingPageTest, WithTheSetupOpenAt1024TheKeyNamesEveryRunWhole) {
  ASSERT_TRUE(page.start(classic_three_at_1024(&fonts)));
  ASSERT_NO_FATAL_FAILURE(open_setup());
  const widgets::PlotRecord* loss = nullptr;
  for (const widgets::PlotRecord& p : record.plots)
    if (p.id == "Loss##loss") loss = &p;
  ASSERT_NE(loss, nullptr);
  int wrapped = 0;
  for (int i = 0; i < page.session().size(); ++i) {
    const std::string& label = page.session().run(i).label;
    SCOPED_TRACE(label);
    const ControlRecord* key = control("key " + label);
    ASSERT_NE(key, nullptr);
    EXPECT_EQ(key->text, label);
    EXPECT_LE(key->rect[2], loss->rect[2] + 0.5f) << "past the plots' column";
    const float lines = std::round((key->rect[3] - key->rect[1]) / ImGui::GetTextLineHeight());
    EXPECT_GE((key->rect[2] - key->rect[0]) * lines, ImGui::CalcTextSize(label.c_str()).x) << "cut";
    wrapped += lines >= 2.0f;
  }
  EXPECT_GE(wrapped, 1) << "the column is wide enough for every label: the test no longer tries a narrow one";
  widgets::SetCanvasFontLadder({});
}
