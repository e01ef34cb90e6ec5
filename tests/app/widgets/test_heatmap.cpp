// The heatmap widget: its diverging colour scale and the averaging of large matrices into at most
// kMaxHeatmapCells per side, drawn on a draw list of an ImGui context without a renderer. No GL.
#include "app/widgets/heatmap.h"

#include "../headless_imgui.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

using namespace gs::app::widgets;

TEST(Heatmap, ColourScaleIsWhiteAtZeroRedPositiveBlueNegativeBlackNonFinite) {
  EXPECT_EQ(HeatmapColor(0.0, 1.0), IM_COL32(255, 255, 255, 255));
  EXPECT_EQ(HeatmapColor(2.0, 2.0), IM_COL32(200, 40, 40, 255));
  EXPECT_EQ(HeatmapColor(-5.0, 2.0), IM_COL32(40, 90, 210, 255));  // clamped at −max_abs
  EXPECT_EQ(HeatmapColor(std::nan(""), 1.0), IM_COL32(0, 0, 0, 255));
  EXPECT_EQ(HeatmapColor(std::numeric_limits<double>::infinity(), 1.0), IM_COL32(0, 0, 0, 255));
  EXPECT_EQ(HeatmapColor(3.0, 0.0), IM_COL32(255, 255, 255, 255));  // an all-zero matrix is white
}

namespace {
// Filled cells drawn for a rows × cols matrix (each a quad of 6 indices; the frame, without
// anti-aliasing, is 4 more quads).
int cells_drawn(std::ptrdiff_t rows, std::ptrdiff_t cols) {
  const gs::app::test_support::HeadlessImGui imgui(ImVec2(800, 600));
  ImDrawList dl(ImGui::GetDrawListSharedData());
  dl._ResetForNewFrame();
  dl.Flags = ImDrawListFlags_None;
  dl.PushClipRectFullScreen();
  const std::vector<double> values(static_cast<std::size_t>(rows * cols), 1.0);
  DrawHeatmap(&dl, ImVec2(0, 0), ImVec2(400, 400), values.data(), rows, cols, IM_COL32(0, 0, 0, 255));
  const int quads = dl.IdxBuffer.Size / 6;
  return quads == 0 ? 0 : quads - 4;
}
}  // namespace

TEST(Heatmap, LargeMatricesAreAveragedIntoAtMostMaxCellsPerSide) {
  EXPECT_EQ(cells_drawn(3, 4), 12);
  EXPECT_EQ(cells_drawn(100, 1000), kMaxHeatmapCells * kMaxHeatmapCells);
  EXPECT_EQ(cells_drawn(1, 500), kMaxHeatmapCells);
  EXPECT_EQ(cells_drawn(0, 5), 0);
}
