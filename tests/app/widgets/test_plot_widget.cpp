// The plot widget driven frame by frame in an ImGui context without a renderer, with simulated
// mouse input: the record of what it drew, legend toggling, hover readout, linked cursor and x
// limits, pan, wheel zoom per axis, box zoom, double-click fit, notes for NaN/inf, misuse of the
// phased calls, export requests and CSV. No GL.
#include "app/widgets/plot.h"
#include "app/widgets/plot_internal.h"

#include "../headless_imgui.h"

#include <imgui_internal.h>

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

using namespace gs::app::widgets;

namespace {

constexpr double kNotANumber = std::numeric_limits<double>::quiet_NaN();

class PlotWidget : public ::testing::Test {
 protected:
  gs::app::test_support::HeadlessImGui imgui_;
  void SetUp() override {
    plots_ = CreatePlotContext();
    SetPlotRecordSink(&records);
    for (int e = 0; e < 100; ++e) {
      epochs.push_back(e);
      step_lr.push_back(0.1 * std::pow(0.1, e / 30));
      exp_lr.push_back(0.1 * std::pow(0.95, e));
    }
  }
  void TearDown() override { DestroyPlotContext(plots_); }

  // One frame: `body` draws plots inside a full-window window with no padding.
  void frame(const std::function<void()>& body) {
    records.clear();
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = mouse;
    io.MouseDown[0] = left;
    io.MouseDown[1] = right;
    io.MouseWheel = wheel;
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(0, 0));
    ImGui::Begin("test", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoScrollWithMouse);
    body();
    ImGui::End();
    ImGui::PopStyleVar(2);
    ImGui::Render();
    wheel = 0.0f;
  }

  // The lab's plot: StepLR and ExponentialLR as staircases.
  void lr_plot(PlotAxisFlags y_flags = PlotAxisFlags::None, const char* link = nullptr) {
    if (BeginPlot("Learning rate##lr", ImVec2(1000, 340))) {
      SetupAxis(PlotAxis::X, "epoch", PlotAxisFlags::Integer);
      SetupAxis(PlotAxis::Y1, "lr", y_flags);
      if (link) SetupLink(link, PlotLinkFlags::Cursor | PlotLinkFlags::X);
      PlotStairs("StepLR", epochs.data(), step_lr.data(), 100);
      PlotStairs("ExponentialLR", epochs.data(), exp_lr.data(), 100);
      EndPlot();
    }
  }

  void frames(int n, const std::function<void()>& body) {
    for (int i = 0; i < n; ++i) frame(body);
  }

  const PlotRecord& only() {
    EXPECT_EQ(records.size(), 1u);
    return records.front();
  }

  ImVec2 area_point(const PlotRecord& r, float fx, float fy) const {
    return ImVec2(r.area[0] + (r.area[2] - r.area[0]) * fx, r.area[1] + (r.area[3] - r.area[1]) * fy);
  }

  // The screen x of data value x in plot `r`'s x range (linear).
  static float screen_x(const PlotRecord& r, double x) {
    return static_cast<float>(r.area[0] + (x - r.x_range[0]) / (r.x_range[1] - r.x_range[0]) * (r.area[2] - r.area[0]));
  }

  void click_left(ImVec2 p, const std::function<void()>& body) {
    mouse = p;
    frame(body);
    left = true;
    frame(body);
    left = false;
    frame(body);
  }

  void drag(int button, ImVec2 from, ImVec2 to, const std::function<void()>& body) {
    bool& b = button == 0 ? left : right;
    mouse = from;
    frame(body);
    b = true;
    frame(body);
    for (int i = 1; i <= 4; ++i) {
      mouse = ImVec2(from.x + (to.x - from.x) * i / 4, from.y + (to.y - from.y) * i / 4);
      frame(body);
    }
    b = false;
    frame(body);
  }

  PlotContext* plots_ = nullptr;
  std::vector<PlotRecord> records;
  std::vector<double> epochs, step_lr, exp_lr;
  ImVec2 mouse{-1000, -1000};
  bool left = false, right = false;
  float wheel = 0.0f;
};

}  // namespace

TEST_F(PlotWidget, RecordHoldsEverySeriesAtFullPrecision) {
  frames(3, [&] { lr_plot(PlotAxisFlags::Log); });
  const PlotRecord& r = only();
  EXPECT_EQ(r.id, "Learning rate##lr");
  EXPECT_EQ(r.title, "Learning rate");
  EXPECT_EQ(r.x_label, "epoch");
  EXPECT_EQ(r.y_label, "lr");
  EXPECT_TRUE(r.log_y);
  EXPECT_FALSE(r.log_x);
  ASSERT_EQ(r.series.size(), 2u);
  EXPECT_EQ(r.series[0].name, "StepLR");
  EXPECT_EQ(r.series[0].kind, "stairs");
  EXPECT_EQ(r.series[1].name, "ExponentialLR");
  ASSERT_EQ(r.series[1].y.size(), 100u);
  for (std::size_t e = 0; e < 100; ++e) {
    ASSERT_EQ(r.series[0].x[e], static_cast<double>(e));
    ASSERT_EQ(r.series[1].y[e], exp_lr[e]);  // bit for bit
  }
  // Fitted: all of both curves in view, the last epoch's step included.
  EXPECT_LE(r.x_range[0], 0.0);
  EXPECT_GE(r.x_range[1], 100.0);
  EXPECT_LE(r.y_range[0], exp_lr.back());
  EXPECT_GE(r.y_range[1], 0.1);
  EXPECT_FALSE(r.y_ticks.empty());
  EXPECT_FALSE(r.x_ticks.empty());
  EXPECT_TRUE(r.notes.empty());
  EXPECT_GT(r.legend_rect[2], r.legend_rect[0]);
}

TEST_F(PlotWidget, LegendClickHidesAndShowsASeries) {
  frames(3, [&] { lr_plot(); });
  PlotState& st = plots_->plots.begin()->second;
  ASSERT_EQ(st.legend.entries.size(), 2u);
  const PlotRect entry = st.legend.entries[0];
  const ImVec2 p((entry.min.x + entry.max.x) / 2, (entry.min.y + entry.max.y) / 2);
  click_left(p, [&] { lr_plot(); });
  {
    const PlotRecord& r = only();
    ASSERT_EQ(r.series.size(), 1u);
    EXPECT_EQ(r.series[0].name, "ExponentialLR");
    ASSERT_EQ(r.hidden.size(), 1u);
    EXPECT_EQ(r.hidden[0], "StepLR");
  }
  click_left(p, [&] { lr_plot(); });
  EXPECT_EQ(only().series.size(), 2u);
  EXPECT_TRUE(only().hidden.empty());
}

TEST_F(PlotWidget, HoverReadoutListsEverySeriesAtTheCursor) {
  frames(3, [&] { lr_plot(); });
  const PlotRecord before = only();
  mouse = ImVec2(screen_x(before, 42.5), (before.area[1] + before.area[3]) / 2);
  frames(2, [&] { lr_plot(); });
  const PlotRecord& r = only();
  ASSERT_TRUE(r.cursor);
  EXPECT_NEAR(r.cursor_x, 42.5, 0.2);
  ASSERT_EQ(r.readout.size(), 3u);
  EXPECT_EQ(r.readout[0], "epoch = 42");
  EXPECT_EQ(r.readout[1], "StepLR: " + format_value(step_lr[42]));
  EXPECT_EQ(r.readout[2], "ExponentialLR: " + format_value(exp_lr[42]));
}

// A name too long for a narrow plot's readout is not cut with "…" (a lecturer hovering three
// schedules at 1024 px read "MultiStepLR(milestones=[30, 60, 8…"): it wraps at spaces inside the
// plot, its value after it; a short name keeps its one line.
TEST_F(PlotWidget, HoverReadoutWrapsALongNameInsteadOfCuttingIt) {
  const std::string name = "MultiStepLR(milestones=[30, 60, 80], gamma=0.1) with a label longer than the plot is wide";
  auto narrow = [&] {
    if (BeginPlot("Learning rate##narrow", ImVec2(420, 300))) {
      SetupAxis(PlotAxis::X, "epoch", PlotAxisFlags::Integer);
      PlotStairs(name.c_str(), epochs.data(), step_lr.data(), 100);
      PlotStairs("ExponentialLR", epochs.data(), exp_lr.data(), 100);
      EndPlot();
    }
  };
  frames(3, narrow);
  const PlotRecord before = only();
  mouse = ImVec2(screen_x(before, 42.5), (before.area[1] + before.area[3]) / 2);
  frames(2, narrow);
  const PlotRecord& r = only();
  ASSERT_GE(r.readout.size(), 4u);
  EXPECT_EQ(r.readout[0], "epoch = 42");
  EXPECT_EQ(r.readout.back(), "ExponentialLR: " + format_value(exp_lr[42]));
  std::string joined;
  for (std::size_t i = 1; i + 1 < r.readout.size(); ++i) {
    EXPECT_EQ(r.readout[i].find("\u2026"), std::string::npos) << r.readout[i];
    EXPECT_LE(ImGui::CalcTextSize(r.readout[i].c_str()).x, r.area[2] - r.area[0]) << r.readout[i];
    joined += (joined.empty() ? "" : " ") + r.readout[i];
  }
  EXPECT_EQ(joined, name + ": " + format_value(step_lr[42]));
}

TEST_F(PlotWidget, LinkedPlotsShareTheCursorAndTheXLimits) {
  std::vector<double> momentum(100, 0.9);
  auto both = [&] {
    lr_plot(PlotAxisFlags::None, "lab");
    if (BeginPlot("Momentum##m", ImVec2(1000, 300))) {
      SetupAxis(PlotAxis::X, "epoch");
      SetupLink("lab", PlotLinkFlags::Cursor | PlotLinkFlags::X);
      PlotStairs("momentum", epochs.data(), momentum.data(), 100);
      EndPlot();
    }
  };
  frames(3, both);
  ASSERT_EQ(records.size(), 2u);
  const PlotRecord lr = records[0];
  mouse = ImVec2(screen_x(lr, 30.5), (lr.area[1] + lr.area[3]) / 2);
  frames(2, both);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(records[1].cursor);
  EXPECT_DOUBLE_EQ(records[1].cursor_x, records[0].cursor_x);
  ASSERT_FALSE(records[1].readout.empty());
  EXPECT_EQ(records[1].readout.back(), "momentum: 0.9");
  double x = 0;
  ASSERT_TRUE(GetLinkedCursor("lab", &x));
  EXPECT_NEAR(x, 30.5, 0.2);

  // Panning the learning-rate plot moves the momentum plot's x too.
  const ImVec2 from = area_point(lr, 0.5f, 0.5f);
  drag(0, from, ImVec2(from.x + 200, from.y), both);
  frame(both);
  EXPECT_LT(records[0].x_range[0], lr.x_range[0] - 10);
  EXPECT_DOUBLE_EQ(records[1].x_range[0], records[0].x_range[0]);
  EXPECT_DOUBLE_EQ(records[1].x_range[1], records[0].x_range[1]);

  // Away from both plots the cursor goes after a frame.
  mouse = ImVec2(-1000, -1000);
  frames(2, both);
  EXPECT_FALSE(records[1].cursor);
  EXPECT_FALSE(GetLinkedCursor("lab", &x));
}

TEST_F(PlotWidget, DragPansAndDoubleClickFitsAgain) {
  frames(3, [&] { lr_plot(); });
  const PlotRecord fitted = only();
  const ImVec2 from = area_point(fitted, 0.5f, 0.5f);
  drag(0, from, ImVec2(from.x - 100, from.y + 50), [&] { lr_plot(); });
  const PlotRecord panned = only();
  EXPECT_GT(panned.x_range[0], fitted.x_range[0] + 5);
  EXPECT_GT(panned.y_range[0], fitted.y_range[0]);
  // Double-click: two clicks within the double-click time.
  auto body = [&] { lr_plot(); };
  click_left(from, body);
  click_left(from, body);
  frame(body);
  EXPECT_NEAR(only().x_range[0], fitted.x_range[0], 1e-9);
  EXPECT_NEAR(only().x_range[1], fitted.x_range[1], 1e-9);
  EXPECT_NEAR(only().y_range[1], fitted.y_range[1], 1e-12);
}

TEST_F(PlotWidget, WheelOverAnAxisZoomsThatAxisOnly) {
  frames(3, [&] { lr_plot(); });
  const PlotRecord a = only();
  mouse = ImVec2((a.area[0] + a.area[2]) / 2, a.area[3] + 5);  // over the x tick labels
  wheel = 2.0f;
  frames(2, [&] { lr_plot(); });
  const PlotRecord b = only();
  EXPECT_LT(b.x_range[1] - b.x_range[0], (a.x_range[1] - a.x_range[0]) * 0.8);
  EXPECT_GT(b.y_range[0], a.y_range[0]);  // y still follows: fitted to what is now in view
  mouse = ImVec2(a.area[0] - 5, (a.area[1] + a.area[3]) / 2);  // over the y tick labels
  wheel = -2.0f;
  frames(2, [&] { lr_plot(); });
  const PlotRecord c = only();
  EXPECT_DOUBLE_EQ(c.x_range[0], b.x_range[0]);
  EXPECT_GT(c.y_range[1] - c.y_range[0], (b.y_range[1] - b.y_range[0]) * 1.2);
}

TEST_F(PlotWidget, RightDragZoomsIntoTheBoxAndRightClickOpensTheMenu) {
  frames(3, [&] { lr_plot(); });
  const PlotRecord a = only();
  const ImVec2 p0(screen_x(a, 20.0), a.area[1] + 20), p1(screen_x(a, 40.0), a.area[1] + 120);
  drag(1, p0, p1, [&] { lr_plot(); });
  const PlotRecord b = only();
  EXPECT_NEAR(b.x_range[0], 20.0, 0.2);
  EXPECT_NEAR(b.x_range[1], 40.0, 0.2);
  EXPECT_LT(b.y_range[1], a.y_range[1]);
  EXPECT_EQ(GImGui->OpenPopupStack.Size, 0);
  // A click without a drag: the menu.
  mouse = area_point(b, 0.5f, 0.5f);
  frame([&] { lr_plot(); });
  right = true;
  frame([&] { lr_plot(); });
  right = false;
  frames(2, [&] { lr_plot(); });
  EXPECT_EQ(GImGui->OpenPopupStack.Size, 1);
}

TEST_F(PlotWidget, NonFiniteValuesAreCountedInANote) {
  std::vector<double> loss{2.0, 1.5, kNotANumber, 1.0, std::numeric_limits<double>::infinity(), 0.5};
  auto body = [&] {
    if (BeginPlot("loss", ImVec2(800, 400))) {
      PlotLine("loss", loss.data(), static_cast<int>(loss.size()));
      EndPlot();
    }
  };
  frames(3, body);
  const PlotRecord& r = only();
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_EQ(r.notes[0], "loss: 1 NaN, 1 +inf not drawn");
  ASSERT_EQ(r.series.size(), 1u);
  EXPECT_EQ(r.series[0].nan, 1);
  EXPECT_EQ(r.series[0].pos_inf, 1);
  EXPECT_TRUE(std::isnan(r.series[0].y[2]));
  EXPECT_EQ(r.series[0].kind, "line");
  // The fit ignores the infinity.
  EXPECT_LT(r.y_range[1], 3.0);
}

TEST_F(PlotWidget, LogAxisCountsNonPositiveValuesAndLabelsDecades) {
  std::vector<double> ys{1.0, 0.1, 0.0, 0.01, 0.001};
  auto body = [&] {
    if (BeginPlot("##log", ImVec2(800, 400))) {
      SetupAxis(PlotAxis::Y1, "lr", PlotAxisFlags::Log);
      PlotLine("lr", ys.data(), 5);
      EndPlot();
    }
  };
  frames(3, body);
  const PlotRecord& r = only();
  EXPECT_TRUE(r.log_y);
  ASSERT_EQ(r.series.size(), 1u);
  EXPECT_EQ(r.series[0].nonpositive, 1);
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("1 ≤ 0 on a log axis"), std::string::npos) << r.notes[0];
  for (const char* want : {"0.001", "0.01", "0.1", "1"})
    EXPECT_NE(std::find(r.y_ticks.begin(), r.y_ticks.end(), want), r.y_ticks.end()) << want;
}

// A caller that explains values ≤ 0 in its own words (the Training page's gradient norms of exactly
// 0) turns the widget's note off for that plot only: without the flag the note is there, with it
// not (NaN is still noted, the record still counts the values), and a plot beside it in the same
// frame keeps its note.
TEST_F(PlotWidget, NoNonPositiveNoteSilencesThatNoteForOnePlotOnly) {
  std::vector<double> ys{1.0, 0.0, 0.1, kNotANumber, 0.0};
  PlotFlags flags = PlotFlags::None;
  auto body = [&] {
    for (const char* id : {"grad##quiet", "grad##plain"}) {
      const bool quiet = std::string(id) == "grad##quiet";
      if (BeginPlot(id, ImVec2(800, 200), quiet ? flags : PlotFlags::None)) {
        SetupAxis(PlotAxis::X, "step");
        SetupAxis(PlotAxis::Y1, "norm", PlotAxisFlags::Log);
        PlotLine("norm", ys.data(), static_cast<int>(ys.size()));
        EndPlot();
      }
    }
  };
  const std::string with_zero = "norm: 1 NaN, 2 ≤ 0 on a log axis not drawn";
  frames(3, body);
  ASSERT_EQ(records.size(), 2u);
  for (const PlotRecord& r : records) EXPECT_EQ(r.notes, std::vector<std::string>{with_zero}) << r.id;
  flags = PlotFlags::NoLegend | PlotFlags::NoNonPositiveNote;
  frames(3, body);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].id, "grad##quiet");
  EXPECT_EQ(records[0].notes, std::vector<std::string>{"norm: 1 NaN not drawn"});
  ASSERT_EQ(records[0].series.size(), 1u);
  EXPECT_EQ(records[0].series[0].nonpositive, 2);
  EXPECT_EQ(records[1].id, "grad##plain");
  EXPECT_EQ(records[1].notes, std::vector<std::string>{with_zero});
  // Only zeros and the flag: no note at all.
  ys = {1.0, 0.0, 0.1};
  frames(3, body);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(records[0].notes.empty()) << records[0].notes.front();
  EXPECT_EQ(records[1].notes, std::vector<std::string>{"norm: 1 ≤ 0 on a log axis not drawn"});
}

// A learning rate that has moved in its ninth digit: fitted as is it fills the height (a cliff);
// with a minimum span it is the flat line it is, in the middle; a real decay is fitted as before.
TEST_F(PlotWidget, AMinimumSpanDrawsANearlyConstantSeriesFlat) {
  std::vector<double> steps, lr, decay;
  for (int i = 0; i < 30; ++i) {
    steps.push_back(i);
    lr.push_back(0.02 - 1e-9 * i / 29.0);
    decay.push_back(0.1 * std::pow(0.9, i));
  }
  double min_span = 0;
  const std::vector<double>* ys = &lr;
  auto body = [&] {
    if (BeginPlot("Learning rate##lr_span", ImVec2(800, 300))) {
      SetupAxis(PlotAxis::X, "step");
      SetupAxis(PlotAxis::Y1, "lr");
      SetupAxisFitMinSpan(PlotAxis::Y1, min_span);
      PlotStairs("lr", steps.data(), ys->data(), 30);
      EndPlot();
    }
  };
  frames(3, body);
  EXPECT_LT(only().y_range[1] - only().y_range[0], 1e-8) << "without a minimum the change fills the plot";
  min_span = 0.2;
  frames(3, body);
  {
    const PlotRecord& r = only();
    EXPECT_GE(r.y_range[1] - r.y_range[0], 0.2 * 0.02 * (1 - 1e-9));
    // The data in the middle of the view: its first and last steps one pixel row apart at most.
    const double mid = 0.5 * (r.y_range[0] + r.y_range[1]);
    EXPECT_NEAR(mid, 0.02 - 0.5e-9, 1e-12);
    const double px_per_unit = (r.area[3] - r.area[1]) / (r.y_range[1] - r.y_range[0]);
    EXPECT_LT(1e-9 * px_per_unit, 1.0);
  }
  // Double-click fits with the same minimum.
  mouse = area_point(only(), 0.5f, 0.5f);
  wheel = 2.0f;
  frames(2, body);
  click_left(mouse, body);
  click_left(mouse, body);  // the second click of a double click
  frames(2, body);
  EXPECT_GE(only().y_range[1] - only().y_range[0], 0.2 * 0.02 * (1 - 1e-9));
  // A decay over a tenth and more of its size keeps the ordinary fit: its own extent and margins.
  ys = &decay;
  mouse = ImVec2(-1000, -1000);
  frames(3, body);
  const PlotRecord& r = only();
  const double span = decay.front() - decay.back();
  EXPECT_NEAR(r.y_range[1] - r.y_range[0], span * 1.12, span * 1e-6);
}

// What was not drawn is said where it covers nothing: on the title's row right of the title,
// else on the x label's row; inside the area only for a plot with neither row.
TEST_F(PlotWidget, NotesOfValuesNotDrawnCoverNeitherTheCurvesNorTheTitle) {
  std::vector<double> norm{1.0, 0.5, 0.0, 0.2, 0.0, 0.1};
  const char* title = "Gradient norm##grad_notes";
  const char* x_label = "step";
  float width = 900;
  auto body = [&] {
    if (BeginPlot(title, ImVec2(width, 300))) {
      SetupAxis(PlotAxis::X, x_label);
      SetupAxis(PlotAxis::Y1, "norm", PlotAxisFlags::Log);
      PlotLine("layer 1 Linear(2,16)", norm.data(), 6);
      EndPlot();
    }
  };
  auto rect_of = [](const float r[4]) { return std::vector<float>{r[0], r[1], r[2], r[3]}; };
  auto inside = [](const float a[4], const float outer[4]) { return a[0] >= outer[0] && a[1] >= outer[1] && a[2] <= outer[2] && a[3] <= outer[3]; };
  frames(3, body);
  {
    const PlotRecord& r = only();
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_EQ(r.notes[0], "layer 1 Linear(2,16): 2 ≤ 0 on a log axis not drawn");
    const float* n = r.notes_rect;
    EXPECT_GT(n[2] - n[0], 100.0f) << "the note is drawn whole";
    EXPECT_TRUE(inside(n, r.rect)) << ::testing::PrintToString(rect_of(n));
    EXPECT_LE(n[3], r.area[1]) << "above the data area, on the title's row";
    const float title_right = 0.5f * (r.rect[0] + r.rect[2] + ImGui::CalcTextSize("Gradient norm").x);
    EXPECT_GT(n[0], title_right) << "right of the title";
    EXPECT_NEAR(n[2], r.rect[2], ImGui::GetFontSize()) << "at the right edge";
  }
  // No title: on the x label's row, below the data area and right of the label.
  title = "##grad_notes_untitled";
  frames(3, body);
  {
    const PlotRecord& r = only();
    const float* n = r.notes_rect;
    EXPECT_GE(n[1], r.area[3]);
    EXPECT_TRUE(inside(n, r.rect)) << ::testing::PrintToString(rect_of(n));
    EXPECT_GT(n[0], 0.5f * (r.area[0] + r.area[2] + ImGui::CalcTextSize("step").x));
  }
  // A narrow plot cuts the note at its edge ("…"), the whole of it kept in the record.
  title = "Gradient norm##grad_notes_narrow";
  width = 330;
  frames(3, body);
  {
    const PlotRecord& r = only();
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_EQ(r.notes[0], "layer 1 Linear(2,16): 2 ≤ 0 on a log axis not drawn");
    EXPECT_TRUE(inside(r.notes_rect, r.rect)) << ::testing::PrintToString(rect_of(r.notes_rect));
    EXPECT_TRUE(r.notes_rect[3] <= r.area[1] || r.notes_rect[1] >= r.area[3]) << "on a row above or below the data area";
    EXPECT_LT(r.notes_rect[2] - r.notes_rect[0], ImGui::CalcTextSize(r.notes[0].c_str()).x) << "cut";
  }
  // Neither a title nor an x label: inside the area, at its lower left.
  title = "##grad_notes_bare";
  x_label = "";
  width = 900;
  frames(3, body);
  {
    const PlotRecord& r = only();
    EXPECT_TRUE(inside(r.notes_rect, r.area)) << ::testing::PrintToString(rect_of(r.notes_rect));
  }
}

TEST_F(PlotWidget, SecondYAxisCarriesItsSeries) {
  std::vector<double> momentum(100, 0.9);
  auto body = [&] {
    if (BeginPlot("##two", ImVec2(900, 400))) {
      SetupAxis(PlotAxis::X, "epoch");
      SetupAxis(PlotAxis::Y1, "lr");
      SetupAxis(PlotAxis::Y2, "momentum");
      PlotStairs("lr", epochs.data(), exp_lr.data(), 100);
      SetAxes(PlotAxis::Y2);
      PlotStairs("momentum", epochs.data(), momentum.data(), 100);
      EndPlot();
    }
  };
  frames(3, body);
  const PlotRecord& r = only();
  EXPECT_EQ(r.y2_label, "momentum");
  ASSERT_EQ(r.series.size(), 2u);
  EXPECT_EQ(r.series[0].y_axis, 1);
  EXPECT_EQ(r.series[1].y_axis, 2);
  EXPECT_FALSE(r.y2_ticks.empty());
  EXPECT_LT(r.y2_range[0], 0.9);
  EXPECT_GT(r.y2_range[1], 0.9);
  EXPECT_LT(r.y_range[1], 0.2);  // lr's axis is fitted to lr alone
}

TEST_F(PlotWidget, FollowsGrowingDataUntilTheUserZooms) {
  PlotBuffer loss;
  auto body = [&] {
    if (BeginPlot("##grow", ImVec2(800, 400))) {
      PlotLine("loss", loss);
      EndPlot();
    }
  };
  for (int i = 0; i < 100; ++i) loss.append(i, 1.0 / (1 + i));
  frames(2, body);
  EXPECT_GE(only().x_range[1], 99.0);
  for (int i = 100; i < 1000; ++i) loss.append(i, 1.0 / (1 + i));
  frames(2, body);
  EXPECT_GE(only().x_range[1], 999.0);
  ASSERT_EQ(only().series[0].y.size(), 1000u);
  EXPECT_EQ(only().series[0].y[999], 1.0 / 1000);
  const PlotRecord r = only();
  mouse = area_point(r, 0.5f, 0.5f);
  wheel = 1.0f;
  frames(2, body);
  const double zoomed_max = only().x_range[1];
  EXPECT_LT(zoomed_max, 999.0);
  for (int i = 1000; i < 2000; ++i) loss.append(i, 1.0 / (1 + i));
  frames(2, body);
  EXPECT_DOUBLE_EQ(only().x_range[1], zoomed_max);  // the user's view stays
}

TEST_F(PlotWidget, VLinesShadedAndScatterAreRecorded) {
  const double milestones[] = {30, 60, 80};
  const char* tags[] = {"30", "60", "80"};
  std::vector<double> lo(100), hi(100);
  for (int i = 0; i < 100; ++i) lo[static_cast<std::size_t>(i)] = exp_lr[static_cast<std::size_t>(i)] * 0.5, hi[static_cast<std::size_t>(i)] = exp_lr[static_cast<std::size_t>(i)] * 1.5;
  auto body = [&] {
    if (BeginPlot("##kinds", ImVec2(800, 400))) {
      PlotShaded("band", epochs.data(), lo.data(), hi.data(), 100);
      PlotScatter("points", epochs.data(), exp_lr.data(), 100);
      SetNextMarkerStyle(PlotMarker::Diamond, 6.0f, 0, IM_COL32_WHITE);  // with a white rim
      PlotLine("line", epochs.data(), exp_lr.data(), 10);
      PlotVLines("milestones", milestones, 3, tags);
      EndPlot();
    }
  };
  frames(3, body);
  const PlotRecord& r = only();
  ASSERT_EQ(r.series.size(), 2u);
  EXPECT_EQ(r.series[0].kind, "scatter");
  EXPECT_EQ(r.series[0].marker, "circle");  // a scatter's default marker, its default size
  EXPECT_FLOAT_EQ(r.series[0].marker_size, ImGui::GetFontSize() * 0.22f);
  EXPECT_EQ(r.series[1].marker, "diamond");
  EXPECT_FLOAT_EQ(r.series[1].marker_size, 6.0f);
  ASSERT_EQ(r.shaded.size(), 1u);
  EXPECT_EQ(r.shaded[0].y_high[3], hi[3]);
  ASSERT_EQ(r.vlines.size(), 1u);
  EXPECT_EQ(r.vlines[0].x, std::vector<double>({30, 60, 80}));
  EXPECT_EQ(r.vlines[0].texts, std::vector<std::string>({"30", "60", "80"}));
}

TEST_F(PlotWidget, DashedStyleIsRecorded) {
  auto body = [&] {
    if (BeginPlot("##dash", ImVec2(800, 400))) {
      PlotStairs("correct", exp_lr.data(), 100);
      SetNextLineStyle(IM_COL32(200, 0, 0, 255), 2.0f, PlotLineStyle::Dashed);
      PlotStairs("pitfall", step_lr.data(), 100);
      EndPlot();
    }
  };
  frames(2, body);
  const PlotRecord& r = only();
  ASSERT_EQ(r.series.size(), 2u);
  EXPECT_FALSE(r.series[0].dashed);
  EXPECT_TRUE(r.series[1].dashed);
  EXPECT_EQ(r.series[1].color, IM_COL32(200, 0, 0, 255));
}

TEST_F(PlotWidget, MisuseIsCaughtNotCrashing) {
#ifdef NDEBUG
  frame([&] { PlotLine("outside", exp_lr.data(), 100); });
  EXPECT_NE(GetPlotMisuse().find("outside BeginPlot"), std::string::npos) << GetPlotMisuse();
  frame([&] {
    if (BeginPlot("##m", ImVec2(400, 300))) {
      PlotLine("a", exp_lr.data(), 100);
      SetupAxis(PlotAxis::X, "late");
      EndPlot();
    }
  });
  EXPECT_NE(GetPlotMisuse().find("SetupAxis"), std::string::npos) << GetPlotMisuse();
  EXPECT_EQ(only().x_label, "");  // ignored
  frame([&] { EndPlot(); });
  EXPECT_NE(GetPlotMisuse().find("EndPlot without BeginPlot"), std::string::npos);
  frame([&] {
    if (BeginPlot("##y2", ImVec2(400, 300))) {
      SetAxes(PlotAxis::Y2);
      EndPlot();
    }
  });
  EXPECT_NE(GetPlotMisuse().find("Y2"), std::string::npos);
#else
  GTEST_SKIP() << "debug build: misuse asserts";
#endif
}

TEST_F(PlotWidget, ExportRequestCarriesTheDataAndTheRectangle) {
  auto body = [&] { lr_plot(); };
  frames(2, body);
  SetPlotRecordSink(nullptr);
  plots_->plots.begin()->second.export_requested = true;  // as the menu's "Export CSV..." does
  plots_->plots.begin()->second.export_pending = PlotExportKind::Csv;
  frame(body);
  PlotExportRequest req;
  ASSERT_TRUE(TakePlotExportRequest(&req));
  EXPECT_EQ(req.kind, PlotExportKind::Csv);
  EXPECT_EQ(req.plot_id, "Learning rate##lr");
  EXPECT_EQ(req.max.x - req.min.x, 1000.0f);
  EXPECT_EQ(req.max.y - req.min.y, 340.0f);
  ASSERT_EQ(req.data.series.size(), 2u);
  EXPECT_FALSE(TakePlotExportRequest(&req));
  const std::string csv = PlotDataCsv(req.data);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "epoch,StepLR,ExponentialLR");
  EXPECT_NE(csv.find("\n2,0.1,0.09025\n"), std::string::npos);
}

TEST(PlotCsv, DifferentXGivesLongFormatAndQuotesNames) {
  PlotRecord r;
  r.x_label = "step";
  r.y_label = "loss";
  r.series.push_back({"a, b", "line", {0, 1}, {0.5, kNotANumber}});
  r.series.push_back({"c", "line", {0, 2}, {1.0 / 3.0, -std::numeric_limits<double>::infinity()}});
  EXPECT_EQ(PlotDataCsv(r), "series,step,loss\n\"a, b\",0,0.5\n\"a, b\",1,nan\nc,0,0.3333333333333333\nc,2,-inf\n");
}

TEST_F(PlotWidget, ALegendTooTallForThePlotSumsUpTheRest) {
  std::vector<std::vector<double>> many(20, std::vector<double>(10, 1.0));
  auto body = [&] {
    if (BeginPlot("##many", ImVec2(600, 200))) {
      for (int k = 0; k < 20; ++k) {
        const std::string name = "a rather long series name number " + std::to_string(k);
        PlotLine(name.c_str(), many[static_cast<std::size_t>(k)].data(), 10);
      }
      EndPlot();
    }
  };
  frames(2, body);
  const PlotRecord& r = only();
  // Inside the area, and not covering all of it.
  EXPECT_GE(r.legend_rect[1], r.area[1]);
  EXPECT_LE(r.legend_rect[3], r.area[3]);
  EXPECT_LT(r.legend_rect[2] - r.legend_rect[0], (r.area[2] - r.area[0]) * 0.7f);
  const PlotState& st = plots_->plots.begin()->second;
  EXPECT_LT(st.legend.entries.size(), 20u);  // the others summed up in a "+N …" row
  EXPECT_EQ(st.legend.entries.size(), st.legend_ids.size());
}

TEST_F(PlotWidget, ReadoutLeavesOutMarkersAndAvoidsTheLegend) {
  const double mx[] = {30, 60, 90}, my[] = {0.01, 0.001, 0.0001};
  auto body = [&] {
    if (BeginPlot("##markers", ImVec2(1000, 400))) {
      SetupAxis(PlotAxis::X, "epoch");
      PlotStairs("StepLR", epochs.data(), step_lr.data(), 100);
      PlotScatter("StepLR decays", mx, my, 3, PlotItemFlags::NoLegend | PlotItemFlags::NoReadout);
      EndPlot();
    }
  };
  frames(2, body);
  const PlotRecord a = only();
  mouse = ImVec2(screen_x(a, 61.2), (a.area[1] + a.area[3]) / 2);
  frames(2, body);
  ASSERT_EQ(only().readout.size(), 2u);
  EXPECT_EQ(only().readout[1], "StepLR: " + format_value(step_lr[61]));
}
