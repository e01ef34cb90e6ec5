// The Schedules page drawn in an ImGui context without a renderer: the frame record of its
// plots and table, src/nn's message beside a field after a bad value (the curve kept), the
// pitfall notes, the hovered epoch's row, the menu's commands (save, open, a malformed file,
// presets, exports), and --schedules/--lr/--epochs/--pitfall from the command line. No GL.
#include "app/base/fonts.h"
#include "app/base/i18n.h"
#include "app/base/style.h"
#include "app/schedules/page_schedules.h"
#include "app/widgets/canvas.h"
#include "app/widgets/plot.h"
#include "app/widgets/plot_internal.h"

#include "../headless_imgui.h"
#include "../slider_grab.h"
#include "../temp_path.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace gs;
using namespace gs::app;
namespace fs = std::filesystem;

namespace {

class SchedulesPageTest : public ::testing::Test {
 protected:
  void SetUp() override { plots_ = widgets::CreatePlotContext(); }
  void TearDown() override { widgets::DestroyPlotContext(plots_); }

  // One frame of the page in a full-window window; the frame record and the plots' records.
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
    PageContext ctx{fonts, requests, &record, 0.0};
    page.draw(ctx, 0);
    page.record(record);
    ImGui::End();
    ImGui::Render();
    widgets::SetPlotRecordSink(nullptr);
  }

  bool shows(const std::string& text) const {
    for (const std::string& t : record.visible_text)
      if (t.find(text) != std::string::npos) return true;
    return false;
  }

  const widgets::PlotSeriesRecord* series(const std::string& name) const {
    for (const widgets::PlotRecord& p : record.plots)
      for (const widgets::PlotSeriesRecord& s : p.series)
        if (s.name == name) return &s;
    return nullptr;
  }

  // A projector's 1024 × 768 with the program's 17 px fonts, the page started with the classic three.
  void start_at_1024() {
    ImGui::GetIO().DisplaySize = ImVec2(1024, 768);
    apply_style(1.0f);
    load_fonts(&fonts, 17.0f);
    ASSERT_TRUE(page.start(LaunchOptions{}));
  }
  // Entry i's entry in the key under the plots, as the frame record has it.
  const ControlRecord* key_of(int i) {
    for (const ControlRecord& c : record.controls)
      if (c.id == "key " + std::to_string(page.lab().entry(i).uid)) return &c;
    return nullptr;
  }

  std::string temp_path(const std::string& name) const { return test_support::unique_temp_path("gradscope_" + name).string(); }

  app::test_support::HeadlessImGui imgui{ImVec2(1280, 800)};
  widgets::PlotContext* plots_ = nullptr;
  FontSet fonts;
  FrameRequests requests;
  FrameRecord record;
  SchedulesPage page;
};

}  // namespace

TEST_F(SchedulesPageTest, DrawsTheClassicThreeAndTheirTable) {
  ASSERT_TRUE(page.start(LaunchOptions{}));
  frame();
  frame();
  ASSERT_EQ(record.plots.size(), 1u);
  const widgets::PlotSeriesRecord* step = series("StepLR(step_size=30, gamma=0.1)");
  ASSERT_NE(step, nullptr);
  EXPECT_EQ(step->y, page.lab().entry(0).curves.series.lr);
  ASSERT_EQ(record.tables.size(), 1u);
  EXPECT_EQ(record.tables[0].rows.size(), 101u);
  EXPECT_EQ(record.tables[0].highlighted_row, -1);
  EXPECT_FALSE(page.document().dirty);
}

TEST_F(SchedulesPageTest, ABadValueShowsSrcNnsMessageAndKeepsTheCurve) {
  ASSERT_TRUE(page.start(LaunchOptions{}));
  frame();
  const std::vector<double> before = page.lab().entry(0).curves.series.lr;
  page.lab().set_param_text(0, {}, "step_size", "0");
  frame();
  EXPECT_TRUE(shows("step: step_size must be a positive integer, got 0"));
  const widgets::PlotSeriesRecord* step = series("StepLR(step_size=30, gamma=0.1)");
  ASSERT_NE(step, nullptr);  // the last good curve, still drawn
  EXPECT_EQ(step->y, before);
  EXPECT_TRUE(page.document().dirty);
}

// Typing "30, 6o, 80" into the milestones passes "30, 6" (good: a curve) on its way to the bad
// text: the message beside the field names what the plot kept, which is not what the field says.
TEST_F(SchedulesPageTest, ABadValueNamesTheValueThePlotKept) {
  ASSERT_TRUE(page.start(LaunchOptions{}));
  frame();
  page.lab().set_param_text(0, {}, "step_size", "0");
  frame();
  EXPECT_TRUE(shows("the plot still shows step_size = 30"));
  for (const char* typed : {"30, 6", "30, 6o", "30, 6o, 80"}) page.lab().set_param_text(1, {}, "milestones", typed);
  frame();
  EXPECT_TRUE(shows("milestones must be a list of integers, got \"30, 6o, 80\""));
  EXPECT_TRUE(shows("the plot still shows milestones = 30, 6"));
  ASSERT_NE(series("MultiStepLR(milestones=[30, 6], gamma=0.1)"), nullptr);
  page.lab().set_param_text(1, {}, "milestones", "30, 60, 80");
  page.lab().set_param_text(0, {}, "step_size", "30");
  frame();
  EXPECT_FALSE(shows("the plot still shows"));
}

TEST_F(SchedulesPageTest, APitfallDrawsADashedCurveAndItsExplanation) {
  ASSERT_TRUE(page.start(LaunchOptions{}));
  page.lab().set_pitfall(1, nn::Pitfall::RepeatedMilestone, true);
  frame();
  frame();
  const widgets::PlotSeriesRecord* wrong = series("MultiStepLR: A milestone listed twice");
  ASSERT_NE(wrong, nullptr);
  EXPECT_TRUE(wrong->dashed);
  EXPECT_EQ(wrong->y, page.lab().entry(1).pitfalls[0].curve.y);
  EXPECT_TRUE(shows(page.lab().entry(1).pitfalls[0].curve.explanation));
}

TEST_F(SchedulesPageTest, HoveringThePlotHighlightsThatEpochsRow) {
  ASSERT_TRUE(page.start(LaunchOptions{}));
  frame();
  frame();
  const widgets::PlotRecord& p = record.plots[0];
  const float x = static_cast<float>(p.area[0] + (42.5 - p.x_range[0]) / (p.x_range[1] - p.x_range[0]) * (p.area[2] - p.area[0]));
  const ImVec2 mouse(x, (p.area[1] + p.area[3]) / 2);
  frame(mouse);
  frame(mouse);
  ASSERT_EQ(record.tables.size(), 1u);
  EXPECT_EQ(record.tables[0].highlighted_row, 43);  // epoch 42, after the header
  EXPECT_EQ(record.tables[0].highlighted_text.substr(0, 5), "42 | ");
}

TEST_F(SchedulesPageTest, CommandLineSpecsRunAndPitfalls) {
  LaunchOptions o;
  o.schedules = "cosine:t_max=20;multistep:milestones=5,10,gamma=0.5";
  o.schedule_lr = 0.2;
  o.schedule_epochs = 30;
  o.pitfalls = {"repeated-milestone"};
  o.log_y = true;
  ASSERT_TRUE(page.start(o)) << page.status().text;
  EXPECT_EQ(page.lab().lr(), 0.2);
  EXPECT_EQ(page.lab().epochs(), 30);
  EXPECT_FALSE(page.lab().has_pitfall(0, nn::Pitfall::RepeatedMilestone));  // cosine has no milestones
  EXPECT_TRUE(page.lab().has_pitfall(1, nn::Pitfall::RepeatedMilestone));
  frame();
  EXPECT_TRUE(record.plots[0].log_y);
  SchedulesPage bad;
  LaunchOptions b;
  b.schedules = "step:step_size=0";
  EXPECT_FALSE(bad.start(b));
  EXPECT_EQ(bad.status().text, "step: step_size must be a positive integer, got 0");
  SchedulesPage unknown;
  LaunchOptions u;
  u.pitfalls = {"get_lr"};
  EXPECT_FALSE(unknown.start(u));
  EXPECT_NE(unknown.status().text.find("--pitfall must be one of"), std::string::npos);
}

TEST_F(SchedulesPageTest, SaveOpenAndAMalformedFileThatChangesNothing) {
  ASSERT_TRUE(page.start(LaunchOptions{}));
  PageContext ctx{fonts, requests, nullptr, 0.0};
  page.lab().set_lr(0.3);
  EXPECT_TRUE(page.document().dirty);
  const std::string path = temp_path("lab.json");
  ASSERT_TRUE(page.apply(Command{CommandId::SaveAs, path}, ctx)) << page.status().text;
  EXPECT_FALSE(page.document().dirty);
  EXPECT_EQ(page.document().file_stem, "gradscope_lab");
  SchedulesPage other;
  ASSERT_TRUE(other.start(LaunchOptions{}));
  ASSERT_TRUE(other.apply(Command{CommandId::Open, path}, ctx)) << other.status().text;
  EXPECT_EQ(other.lab().lr(), 0.3);
  const std::string bad = temp_path("bad.json");
  std::ofstream(bad) << "{\"format\": \"gradscope-schedules\", \"schedules\": [{\"spec\": {\"name\": \"step\"}}]}";
  EXPECT_FALSE(other.apply(Command{CommandId::Open, bad}, ctx));
  EXPECT_TRUE(other.status().error);
  EXPECT_NE(other.status().text.find("step_size"), std::string::npos) << other.status().text;
  EXPECT_EQ(other.lab().lr(), 0.3);  // the open list stays
  EXPECT_FALSE(other.apply(Command{CommandId::Open, temp_path("does_not_exist.json")}, ctx));
  EXPECT_EQ(other.lab().lr(), 0.3);
  fs::remove(path);
  fs::remove(bad);
}

TEST_F(SchedulesPageTest, PresetsAndTableExports) {
  ASSERT_TRUE(page.start(LaunchOptions{}));
  PageContext ctx{fonts, requests, nullptr, 0.0};
  ASSERT_EQ(page.examples().size(), 5u);
  EXPECT_EQ(page.examples()[0], "The classic three");
  ASSERT_TRUE(page.apply(Command{CommandId::OpenExample, "Cyclic"}, ctx));
  EXPECT_EQ(page.lab().size(), 3);
  frame();
  EXPECT_EQ(record.plots.size(), 2u);  // CyclicLR cycles the momentum: its plot appears
  const std::string csv = temp_path("table.csv");
  ASSERT_TRUE(page.apply(Command{CommandId::ExportCsv, csv}, ctx));
  std::ifstream in(csv);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header.substr(0, 6), "epoch,");
  fs::remove(csv);
  ASSERT_TRUE(page.apply(Command{CommandId::New, {}}, ctx));
  EXPECT_EQ(page.lab().size(), 3);
  EXPECT_EQ(page.lab().entry(0).label(), "StepLR(step_size=30, gamma=0.1)");
}

TEST_F(SchedulesPageTest, TheKeyAndTheListShowAndHideTogether) {
  ASSERT_TRUE(page.start(LaunchOptions{}));
  frame();
  frame();
  // A click on StepLR's entry in the key under the plot hides it in the list (and the table drops
  // its column).
  const ControlRecord* key = key_of(0);
  ASSERT_NE(key, nullptr);
  const ImVec2 p((key->rect[0] + key->rect[2]) / 2, (key->rect[1] + key->rect[3]) / 2);
  frame(p);
  frame(p, true);
  frame(p);
  frame(p);
  EXPECT_TRUE(page.lab().entry(0).entry.hidden);
  EXPECT_EQ(series("StepLR(step_size=30, gamma=0.1)"), nullptr);
  EXPECT_EQ(record.tables[0].rows[0], "epoch | MultiStepLR | ExponentialLR");
  // Shown again from the list: the legend follows.
  page.lab().set_hidden(0, false);
  frame();
  frame();
  EXPECT_NE(series("StepLR(step_size=30, gamma=0.1)"), nullptr);
  EXPECT_FALSE(page.lab().entry(0).entry.hidden);
}

// At 1024×768 with the program's fonts the list's three menus show their names whole, in English
// and in Chinese: each as wide as its name and arrow, Combine on a row of its own where the three
// do not fit one (a third of the row each cut "Add schedule" to "Add schedu").
TEST_F(SchedulesPageTest, TheListsMenusShowTheirNamesWholeAt1024x768) {
  ImGui::GetIO().DisplaySize = ImVec2(1024, 768);
  apply_style(1.0f);
  load_fonts(&fonts, 17.0f);
  for (Language lang : {Language::English, Language::Chinese}) {
    set_language(lang);
    frame();
    frame();
    const ControlRecord* before = nullptr;
    int found = 0;
    for (const ControlRecord& c : record.controls) {
      if (c.id != "presets" && c.id != "add_schedule" && c.id != "combine") continue;
      ++found;
      const float need = ImGui::CalcTextSize(c.text.c_str()).x + ImGui::GetStyle().FramePadding.x * 2.0f + ImGui::GetFrameHeight();
      EXPECT_GE(c.rect[2] - c.rect[0], need - 0.5f) << c.id << " '" << c.text << "' is cut";
      EXPECT_LE(c.rect[2], 1024.5f) << c.id << " runs off the window";
      if (before && std::abs(before->rect[1] - c.rect[1]) < 1.0f) {
        EXPECT_GE(c.rect[0], before->rect[2]) << c.id << " overlaps the menu before it";
      }
      before = &c;
    }
    EXPECT_EQ(found, 3);
  }
  set_language(Language::English);
  widgets::SetCanvasFontLadder({});
}

// At 1024×768 with the program's fonts a lecturer comparing StepLR, MultiStepLR and ExponentialLR
// reads each label whole: the plot's legend cut them ("StepLR(step_size=30, gamma=0…",
// "MultiStepLR(milestones=[30, 60,…"); a key under the plot names them, each on one line where it
// fits the plot's width, beside or under one another, none over the plot or another. English and
// Chinese (the labels are torch's; the page around them is not).
TEST_F(SchedulesPageTest, TheKeyNamesEveryScheduleWholeUnderThePlotAt1024x768) {
  ASSERT_NO_FATAL_FAILURE(start_at_1024());
  for (Language lang : {Language::English, Language::Chinese}) {
    set_language(lang);
    frame();
    frame();
    ASSERT_EQ(record.plots.size(), 1u);
    const widgets::PlotRecord& lr = record.plots[0];
    EXPECT_EQ(lr.legend_rect[2] - lr.legend_rect[0], 0.0f) << "a legend inside the plot, over its curves";
    std::vector<const ControlRecord*> keys;
    for (int i = 0; i < page.lab().size(); ++i) keys.push_back(key_of(i));
    ASSERT_EQ(keys.size(), 3u);
    for (const ControlRecord* k : keys) ASSERT_NE(k, nullptr) << "no key under the plot";
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const ControlRecord& k = *keys[i];
      const std::string label = page.lab().entry(static_cast<int>(i)).label();
      SCOPED_TRACE(label);
      EXPECT_EQ(k.text, label);
      // Whole on one line (each fits the plot's width at 1024 px), inside the plot's width and the
      // window, under the plot's frame.
      EXPECT_GE(k.rect[2] - k.rect[0], ImGui::CalcTextSize(label.c_str()).x) << "cut";
      EXPECT_LE(k.rect[3] - k.rect[1], ImGui::GetTextLineHeight() + 0.5f) << "on more lines than it needs";
      EXPECT_GE(k.rect[0], lr.rect[0] - 0.5f);
      EXPECT_LE(k.rect[2], lr.rect[2] + 0.5f);
      EXPECT_GE(k.rect[1], lr.rect[3]) << "over the plot";
      EXPECT_LE(k.rect[3], 768.0f);
      for (std::size_t j = 0; j < i; ++j) {
        const ControlRecord& o = *keys[j];
        const bool apart = k.rect[0] >= o.rect[2] || o.rect[0] >= k.rect[2] || k.rect[1] >= o.rect[3] || o.rect[1] >= k.rect[3];
        EXPECT_TRUE(apart) << "over " << o.text;
      }
    }
  }
  set_language(Language::English);
  widgets::SetCanvasFontLadder({});
}

// A label wider than the plot (a lecturer's own long label) is not cut either: it goes on two
// lines or more, broken at spaces, every word of it drawn.
TEST_F(SchedulesPageTest, AKeyLabelWiderThanThePlotWrapsAtSpaces) {
  ASSERT_NO_FATAL_FAILURE(start_at_1024());
  const std::string label = "StepLR every thirty epochs times a tenth, as in the ResNet paper and torchvision's reference training scripts";
  page.lab().set_label(0, label);
  frame();
  frame();
  const ControlRecord* key = key_of(0);
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->text, label);
  const widgets::PlotRecord& lr = record.plots[0];
  EXPECT_LE(key->rect[2], lr.rect[2] + 0.5f) << "runs past the plot";
  const float lines = (key->rect[3] - key->rect[1]) / ImGui::GetTextLineHeight();
  EXPECT_GE(lines, 1.9f);
  EXPECT_GE((key->rect[2] - key->rect[0]) * lines, ImGui::CalcTextSize(label.c_str()).x) << "cut";
  widgets::SetCanvasFontLadder({});
}

// Every slider of the schedule editor draws its value over its grab: the grab is light (40 % of
// the style's opacity), never the solid colour that hid the digits under it ("30", "0.95").
TEST_F(SchedulesPageTest, TheParameterSlidersDigitsReadThroughTheirGrab) {
  ASSERT_NO_FATAL_FAILURE(start_at_1024());
  frame();
  frame();
  int sliders = 0;
  for (const ControlRecord& c : record.controls) {
    if (c.id.rfind("slider ", 0) != 0) continue;
    ++sliders;
    const test_support::GrabVertices grab = test_support::grab_vertices(c.rect);
    EXPECT_EQ(grab.solid, 0) << c.id << " (" << c.text << "): a solid grab under its digits";
    EXPECT_GE(grab.light, 4) << c.id << " (" << c.text << "): no grab drawn";
  }
  EXPECT_GE(sliders, 4);  // step_size, gamma; gamma; gamma
  widgets::SetCanvasFontLadder({});
}

// The pitfalls' titles in the list at 1024×768 are read whole: a title wider than the list wraps
// beside its box ("scheduler.step() before optimizer.step(" was cut at the panel's edge), inside
// the list, left of the plot; a click on the wrapped title ticks the box.
TEST_F(SchedulesPageTest, ThePitfallsTitlesAreWholeInTheListAt1024x768) {
  ASSERT_NO_FATAL_FAILURE(start_at_1024());
  page.lab().set_pitfall(0, nn::Pitfall::GetLr, true);  // opens StepLR's pitfalls
  frame();
  frame();
  ASSERT_FALSE(record.plots.empty());
  const float plot_left = record.plots[0].rect[0];
  int titles = 0, wrapped = 0;
  const ControlRecord* wrapped_title = nullptr;
  const nn::PitfallInfo* wrapped_pitfall = nullptr;
  for (const ControlRecord& c : record.controls) {
    if (c.id.rfind("pitfall ", 0) != 0) continue;
    ++titles;
    SCOPED_TRACE(c.text);
    EXPECT_LE(c.rect[2], plot_left) << "past the list's edge";
    const float lines = std::max(1.0f, std::round((c.rect[3] - c.rect[1]) / ImGui::GetTextLineHeight()));
    const float text_w = c.rect[2] - c.rect[0] - ImGui::GetFrameHeight() - ImGui::GetStyle().ItemInnerSpacing.x;
    EXPECT_GE(text_w * lines, ImGui::CalcTextSize(c.text.c_str()).x - 0.5f) << "cut";
    if (lines < 2.0f) continue;
    ++wrapped;
    for (const nn::PitfallInfo& p : nn::pitfall_table())
      if (c.id == "pitfall " + std::to_string(page.lab().entry(0).uid) + "/" + p.key && nn::pitfall_applies_to(p.id, "step") && !page.lab().has_pitfall(0, p.id)) {
        wrapped_title = &c;
        wrapped_pitfall = &p;
      }
  }
  EXPECT_EQ(titles, 5);
  ASSERT_GE(wrapped, 1) << "every title fits the list: the test no longer tries a long one";
  ASSERT_NE(wrapped_title, nullptr) << "no wrapped title, off, that applies to StepLR";
  // The wrapped title's text ticks its box.
  ASSERT_FALSE(page.lab().has_pitfall(0, wrapped_pitfall->id));
  const ImVec2 at(wrapped_title->rect[0] + ImGui::GetFrameHeight() + 30.0f, wrapped_title->rect[1] + ImGui::GetTextLineHeight() * 0.5f);
  frame(at);
  frame(at, true);
  frame(at);
  EXPECT_TRUE(page.lab().has_pitfall(0, wrapped_pitfall->id)) << wrapped_title->text;
  widgets::SetCanvasFontLadder({});
}

// OneCycleLR's epochs and steps_per_epoch, left out, say what that means ("total_steps or the
// run's length is used"): at 1024×768 the words did not fit the slider ("total_steps or t") nor
// the field's hint; they go whole on a line under the row, inside the list.
TEST_F(SchedulesPageTest, AParameterLeftOutSaysWhatThatMeansWholeAt1024x768) {
  ImGui::GetIO().DisplaySize = ImVec2(1024, 768);
  apply_style(1.0f);
  load_fonts(&fonts, 17.0f);
  LaunchOptions o;
  o.schedules = "onecycle:max_lr=0.1,total_steps=100";
  ASSERT_TRUE(page.start(o));
  frame();
  frame();
  ASSERT_FALSE(record.plots.empty());
  int found = 0;
  for (const ControlRecord& c : record.controls) {
    if (c.id.rfind("absent ", 0) != 0) continue;
    ++found;
    SCOPED_TRACE(c.id);
    EXPECT_EQ(c.text, "total_steps or the run's length is used");
    EXPECT_LE(c.rect[2], record.plots[0].rect[0]) << "past the list's edge";
    const float lines = std::max(1.0f, std::round((c.rect[3] - c.rect[1]) / ImGui::GetTextLineHeight()));
    EXPECT_GE((c.rect[2] - c.rect[0]) * lines, ImGui::CalcTextSize(c.text.c_str()).x - 0.5f) << "cut";
  }
  EXPECT_EQ(found, 2);  // epochs, steps_per_epoch
  widgets::SetCanvasFontLadder({});
}
