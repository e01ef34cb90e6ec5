// Screenshot tests of the gradient check (issue 9, "no spoilers, no contradictions"), through the
// frame record: the badge compares the numeric ∂y/∂x with the analytic adjoint of that input (the
// same quantity), element by element for a tensor, labelled so, and says nothing before the
// reverse trace has reached the input.
#include "../screenshot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

using nlohmann::json;
using namespace gs::app::testing;

namespace {

// The issue's example as a graph file: f = (x + y)·z at x = −2, y = 10, z = 2 (so x̄ = ȳ = 2, z̄ = 8).
std::string sum_times_z_file() {
  const std::string path = std::string(GRADSCOPE_SHOT_DIR) + "/gradcheck_sum_times_z.json";
  fs::create_directories(GRADSCOPE_SHOT_DIR);
  std::ofstream(path) << R"({"format": "gradscope-graph", "version": 1, "title": "f = (x + y)·z",
    "expression": "f = (x + y) * z", "values": {"x": -2, "y": 10, "z": 2}})";
  return path;
}

bool inspector_has(const json& d, const std::string& line) {
  for (const json& l : d["inspector"])
    if (l.get<std::string>() == line) return true;
  return false;
}

bool inspector_mentions(const json& d, const std::string& part) {
  for (const json& l : d["inspector"])
    if (l.get<std::string>().find(part) != std::string::npos) return true;
  return false;
}

std::string inspector_dump(const json& d) { return d["inspector"].dump(1); }

}  // namespace

// z̄ = 8: the check says numeric ∂f/∂z = 8 beside analytic v̄3 = 8 — not "numeric −8 vs analytic
// −8" (a derivative along a random direction) under an adjoint of 8.
TEST(ScreenshotGradcheck, TheNumericSideIsTheSameQuantityAsTheAdjoint) {
  auto shot = take("gradcheck_z_1024", "--graph '" + sum_times_z_file() + "' --steps reverse:5 --select v3", "1024x768");
  if (!shot) GTEST_SKIP() << "no xvfb-run and no DISPLAY";
  const json& d = shot->drawn;
  ASSERT_FALSE(d.is_null());
  EXPECT_TRUE(inspector_has(d, "numeric ∂f/∂z = 8  (central differences)")) << inspector_dump(d);
  EXPECT_TRUE(inspector_has(d, "analytic v̄3 = 8  (reverse mode)")) << inspector_dump(d);
  EXPECT_FALSE(inspector_mentions(d, "-8")) << inspector_dump(d);
  EXPECT_FALSE(inspector_mentions(d, "−8")) << inspector_dump(d);
  EXPECT_TRUE(inspector_mentions(d, "✓ they agree: relative error")) << inspector_dump(d);
  const json* z = node(d, "v3");
  ASSERT_NE(z, nullptr);
  EXPECT_TRUE(has_text(*z, "✓"));
}

// Before the reverse trace reaches x, neither the inspector nor the canvas gives its adjoint away:
// no number, no ✓; at the end of the trace both are there.
TEST(ScreenshotGradcheck, NoCheckBeforeTheReverseTraceReachesTheInput) {
  const std::string file = sum_times_z_file();
  auto before = take("gradcheck_x_before", "--graph '" + file + "' --steps reverse:1 --select v1", "1024x768");
  if (!before) GTEST_SKIP() << "no xvfb-run and no DISPLAY";
  const json& b = before->drawn;
  ASSERT_FALSE(b.is_null());
  EXPECT_TRUE(inspector_has(b, "shown once the reverse trace reaches v1")) << inspector_dump(b);
  EXPECT_FALSE(inspector_mentions(b, "numeric")) << inspector_dump(b);
  EXPECT_FALSE(inspector_mentions(b, "✓")) << inspector_dump(b);
  for (const json& n : b["nodes"]) EXPECT_FALSE(has_text(n, "✓")) << n["label"];
  // Forward mode shows no check either.
  auto fwd = take("gradcheck_x_forward", "--graph '" + file + "' --steps forward:5 --select v1", "1024x768");
  ASSERT_TRUE(fwd);
  EXPECT_FALSE(inspector_mentions(fwd->drawn, "numeric")) << inspector_dump(fwd->drawn);

  auto after = take("gradcheck_x_after", "--graph '" + file + "' --steps reverse:5 --select v1", "1024x768");
  ASSERT_TRUE(after);
  const json& a = after->drawn;
  EXPECT_TRUE(inspector_has(a, "numeric ∂f/∂x = 2  (central differences)")) << inspector_dump(a);
  EXPECT_TRUE(inspector_has(a, "analytic v̄1 = 2  (reverse mode)")) << inspector_dump(a);
  const json* x = node(a, "v1");
  ASSERT_NE(x, nullptr);
  EXPECT_TRUE(has_text(*x, "✓"));
}

// A tensor input: element by element, each row its index, numeric ∂L/∂W[i, j] and analytic W̄[i, j]
// (L = sum(W·W): 2W).
TEST(ScreenshotGradcheck, ATensorInputIsCheckedElementByElement) {
  auto shot = take("gradcheck_tensor_1600", "--expression 'W = [[1, -2], [3, 0.5]]; L = sum(W * W)' --steps reverse:3 --select v1");
  if (!shot) GTEST_SKIP() << "no xvfb-run and no DISPLAY";
  const json& d = shot->drawn;
  ASSERT_FALSE(d.is_null());
  EXPECT_TRUE(inspector_mentions(d, "each element: numeric ∂L/∂W (central differences) vs analytic v̄1 (reverse mode)")) << inspector_dump(d);
  for (const char* row : {"[0, 0]  2  2", "[0, 1]  \u22124  \u22124", "[1, 0]  6  6", "[1, 1]  1  1"})
    EXPECT_TRUE(inspector_has(d, row)) << row << "\n" << inspector_dump(d);
  // The inspector's heatmaps say what their colours mean (W's largest magnitude is 3).
  EXPECT_TRUE(inspector_has(d, "colour scale \u22123 … 3")) << inspector_dump(d);
}
