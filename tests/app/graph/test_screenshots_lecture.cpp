// Screenshot tests of issue 9's lecture-hall faults, through the frame record: presentation mode
// at the projector's size, and statement names that survive onto the nodes and the traces.
#include "../screenshot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

using nlohmann::json;
using namespace gs::app::testing;

namespace {
bool inside(const json& r, const json& outer) {
  return r[0].get<float>() >= outer[0].get<float>() - 0.5f && r[1].get<float>() >= outer[1].get<float>() - 0.5f &&
         r[2].get<float>() <= outer[2].get<float>() + 0.5f && r[3].get<float>() <= outer[3].get<float>() + 0.5f;
}
}  // namespace

// F5 / --present at 1024×768: the banner, the graph and the trace being stepped, nothing else; the
// output node in view (never behind a panel) and the whole "with numbers" text in the table.
TEST(ScreenshotLecture, PresentationModeShowsTheBannerTheGraphAndTheTraceOnly) {
  auto shot = take("lecture_present_1024", "--present --steps reverse:5", "1024x768");
  if (!shot) GTEST_SKIP() << "no xvfb-run and no DISPLAY";
  const json& d = shot->drawn;
  ASSERT_FALSE(d.is_null());
  EXPECT_TRUE(d["presenting"].get<bool>());
  EXPECT_TRUE(d["tabs"].empty());
  EXPECT_EQ(d["status"], "");
  for (const json& t : d["visible_text"]) EXPECT_NE(t.get<std::string>(), "Reset") << "controls are hidden";
  EXPECT_EQ(d["banner"]["where"], "Reverse step 5 of 7");
  ASSERT_EQ(d["tables"].size(), 1u);  // only the trace being stepped
  const json& rev = d["tables"][0];
  EXPECT_EQ(rev["name"], "reverse");
  EXPECT_EQ(rev["highlighted_text"], "v̄3 = v̄6·1 = 1·1 = 1");
  const json* out = node(d, "v7");
  ASSERT_NE(out, nullptr);
  EXPECT_TRUE((*out)["output"].get<bool>());
  EXPECT_TRUE(inside((*out)["rect"], d["canvas"]["rect"])) << "the output is on the canvas";
  // Projected at 1024×768, no canvas text is smaller than 12 px (the graph is fitted larger).
  EXPECT_GE(d["canvas"]["min_text_px"].get<float>(), 12.0f);
  // The canvas spans the window's width (no side panel covers part of the graph).
  EXPECT_GE(d["canvas"]["rect"][2].get<float>() - d["canvas"]["rect"][0].get<float>(), 1000.0f);
}

TEST(ScreenshotLecture, WithoutPresentationTheControlsAreBack) {
  auto shot = take("lecture_lab_1024", "--steps reverse:5", "1024x768");
  if (!shot) GTEST_SKIP() << "no xvfb-run and no DISPLAY";
  const json& d = shot->drawn;
  ASSERT_FALSE(d.is_null());
  EXPECT_FALSE(d["presenting"].get<bool>());
  EXPECT_GE(d["tables"].size(), 1u);
}

// Seed 001's flat code: each statement's name on its node (v6 = s0 = …), the output's own name
// in the reverse trace (v̄10 = ∂L/∂L) and in its title (v̄i = ∂L/∂vi).
TEST(ScreenshotLecture, StatementNamesSurviveOntoNodesAndTheReverseTrace) {
  auto shot = take("lecture_names_1024",
                   "--expression 's0 = w0*x0; s1 = w1*x1; s2 = s0 + s1; s3 = s2 + w2; L = sigmoid(s3)' --steps reverse:2", "1024x768");
  if (!shot) GTEST_SKIP() << "no xvfb-run and no DISPLAY";
  const json& d = shot->drawn;
  ASSERT_FALSE(d.is_null());
  int named = 0;
  for (const json& n : d["nodes"]) {
    const std::string title = n["title"];
    for (const char* name : {"s0", "s1", "s2", "s3", "L"})
      if (title.find(std::string(" = ") + name + " = ") != std::string::npos) ++named;
  }
  EXPECT_EQ(named, 5);
  const json* out = node(d, "v10");
  ASSERT_NE(out, nullptr);
  EXPECT_EQ((*out)["title"], "v10 = L = σ(v9)");
  const json* rev = table(d, "reverse");
  ASSERT_NE(rev, nullptr);
  EXPECT_EQ((*rev)["rows"][0], "v̄10 = ∂L/∂L = 1");
  bool titled = false;
  for (const json& t : d["visible_text"]) titled |= t.get<std::string>() == "Reverse AD trace (adjoints v̄i = ∂L/∂vi)";
  EXPECT_TRUE(titled);
}

// Select an input and show its paths: every path lit on the canvas, each product in the
// inspector, and their sum beside the adjoint.
TEST(ScreenshotLecture, PathsOfAnInputAreLitAndSumToItsAdjoint) {
  auto shot = take("lecture_paths", "--steps reverse:7 --select v1 --paths");
  if (!shot) GTEST_SKIP() << "no xvfb-run and no DISPLAY";
  const json& d = shot->drawn;
  ASSERT_FALSE(d.is_null());
  int lit = 0;
  for (const json& l : d["links"]) {
    const bool expected = (l["from"] == "v1") || (l["from"] == "v3") || (l["from"] == "v4") || (l["from"] == "v6");
    EXPECT_EQ(l["on_path"].get<bool>(), expected) << l["from"] << " → " << l["to"];
    lit += l["on_path"].get<bool>();
  }
  EXPECT_EQ(lit, 5);
  std::vector<std::string> lines = d["inspector"];
  auto has = [&](const std::string& s) { return std::find(lines.begin(), lines.end(), s) != lines.end(); };
  EXPECT_TRUE(has("v1 → v3 → v6 → v7: 0.5·1·1 = 0.5"));
  EXPECT_TRUE(has("v1 → v4 → v6 → v7: 5·1·1 = 5"));
  EXPECT_TRUE(has("sum over paths = 0.5 + 5 = 5.5; reverse mode: v̄1 = 5.5"));
}

// Tensors from a fresh start: the formula with its inputs' values as statements builds,
// the inputs are input nodes with the formula's shapes, and the reverse trace steps through it.
TEST(ScreenshotLecture, TheTwoLayerFormulaWithValuesBuildsFromAFreshStart) {
  auto shot = take("lecture_values_1600",
                   "--expression 'X = [[1, 2], [3, 4]]; W1 = randn(2, 3); W2 = randn(3, 3); Y = onehot([0, 2], 3); "
                   "L = ce(relu(X @ W1) @ W2, Y)' --steps reverse:4 --select v2",
                   "1600x900");
  if (!shot) GTEST_SKIP() << "no xvfb-run and no DISPLAY";
  const json& d = shot->drawn;
  ASSERT_FALSE(d.is_null());
  for (const char* label : {"v1", "v2", "v3", "v4", "v8"}) EXPECT_NE(node(d, label), nullptr) << label;
  EXPECT_EQ(d["banner"]["where"], "Reverse step 4 of 8");
  ASSERT_GE(d["tables"].size(), 1u);
  const json& rev = d["tables"][0];
  EXPECT_EQ(rev["rows"][0], "v̄8 = ∂L/∂L = 1");
  // The chain-rule arithmetic is in view beside the variable, not scrolled out at 1600×900.
  EXPECT_LE(rev["text_right"].get<float>(), rev["rect"][2].get<float>() + 0.5f) << rev.dump();
  EXPECT_GE(d["canvas"]["min_text_px"].get<float>(), 12.0f);
}

// The README's example without values: nothing is built, and the message names the inputs and how
// to give them values.
TEST(ScreenshotLecture, AFormulaNeedingMatricesSaysHowToGiveThem) {
  auto shot = take("lecture_no_values_1024", "--expression 'h = tanh(x @ W1); y = h @ W2'", "1024x768");
  if (!shot) GTEST_SKIP() << "no xvfb-run and no DISPLAY";
  const json& d = shot->drawn;
  ASSERT_FALSE(d.is_null());
  const std::string error = d["error"].get<std::string>();
  EXPECT_NE(error.find("'x' and 'W1' have no value yet"), std::string::npos) << error;
  EXPECT_NE(error.find("x = randn(2, 3)"), std::string::npos) << error;
  EXPECT_EQ(d["error_column"], 12);
}

// At 1024×768 in the normal layout, canvas text is at least 12 px, or the frame record says why
// not and the canvas tells the lecturer how to make it larger (seed 001's ten nodes: fitted, the
// graph needs more room than the canvas has).
TEST(ScreenshotLecture, SmallCanvasTextIsExplainedAtTheProjectorSize) {
  for (const char* args : {"--example fanout --steps reverse:3", "--example two_layer_ce --steps reverse:3",
                           "--expression 's0 = w0*x0; s1 = w1*x1; s2 = s0 + s1; s3 = s2 + w2; L = sigmoid(s3)' --steps reverse:3"}) {
    auto shot = take("lecture_text_1024", args, "1024x768");
    if (!shot) GTEST_SKIP() << "no xvfb-run and no DISPLAY";
    const json& d = shot->drawn;
    ASSERT_FALSE(d.is_null());
    const float px = d["canvas"]["min_text_px"].get<float>();
    const std::string reason = d["canvas"]["small_text_reason"].get<std::string>();
    if (px >= 12.0f) {
      EXPECT_EQ(reason, "") << args;
      continue;
    }
    EXPECT_NE(reason.find("canvas units"), std::string::npos) << args;
    bool warned = false;
    for (const json& t : d["visible_text"]) warned = warned || t.get<std::string>().find("under 12") != std::string::npos;
    EXPECT_TRUE(warned) << args << ": the canvas says how to make the text larger";
  }
}
