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

TEST(Heatmap, SequentialScaleIsWhiteAtZeroDeepBlueAtTheMaximum) {
  EXPECT_EQ(HeatmapSequentialColor(0.0, 10.0), IM_COL32(255, 255, 255, 255));
  EXPECT_EQ(HeatmapSequentialColor(10.0, 10.0), IM_COL32(8, 48, 107, 255));
  EXPECT_EQ(HeatmapSequentialColor(20.0, 10.0), IM_COL32(8, 48, 107, 255));  // clamped
  EXPECT_EQ(HeatmapSequentialColor(std::nan(""), 10.0), IM_COL32(0, 0, 0, 255));
}

TEST(Heatmap, ReportsTheCellOfTheFullMatrixUnderTheMouse) {
  const gs::app::test_support::HeadlessImGui imgui(ImVec2(800, 600));
  ImDrawList dl(ImGui::GetDrawListSharedData());
  dl._ResetForNewFrame();
  dl.PushClipRectFullScreen();
  // A 100 × 50 matrix averaged into 32 × 32 cells, filling a 400 × 200 box (cells not square).
  std::vector<double> values(100 * 50);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i);
  HeatmapOptions o;
  o.square = false;
  ImGui::GetIO().MousePos = ImVec2(10 + 399.0f * 0.5f, 20 + 199.0f * 0.75f);
  const HeatmapHit hit = DrawHeatmapEx(&dl, ImVec2(10, 20), ImVec2(410, 220), values.data(), 100, 50, IM_COL32(0, 0, 0, 255), o);
  ASSERT_TRUE(hit.hovered);
  EXPECT_EQ(hit.row, 74);
  EXPECT_EQ(hit.col, 24);
  EXPECT_EQ(hit.value, 74 * 50 + 24);
  EXPECT_FLOAT_EQ(hit.min.x, 10);
  EXPECT_FLOAT_EQ(hit.max.y, 220);
  ImGui::GetIO().MousePos = ImVec2(5, 5);
  EXPECT_FALSE(DrawHeatmapEx(&dl, ImVec2(10, 20), ImVec2(410, 220), values.data(), 100, 50, 0, o).hovered);
}

TEST(Heatmap, ATextureIsDrawnInsteadOfTheCellsWithTheMatrixAspect) {
  const gs::app::test_support::HeadlessImGui imgui(ImVec2(800, 600));
  ImDrawList dl(ImGui::GetDrawListSharedData());
  dl._ResetForNewFrame();
  dl.Flags = ImDrawListFlags_None;
  dl.PushClipRectFullScreen();
  dl.PushTextureID(ImGui::GetIO().Fonts->TexID);
  const std::vector<double> values(784 * 120, 0.5);
  HeatmapOptions o;
  o.texture = reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(42));
  const HeatmapHit hit = DrawHeatmapEx(&dl, ImVec2(0, 0), ImVec2(400, 400), values.data(), 784, 120, IM_COL32(0, 0, 0, 255), o);
  EXPECT_EQ(dl.IdxBuffer.Size / 6, 1 + 4);  // the image, the frame
  // Square texels: 784 rows fill the height, 120 columns take 120/784 of it.
  EXPECT_NEAR(hit.max.x - hit.min.x, 400.0f * 120 / 784, 1e-3);
  EXPECT_NEAR(hit.max.y - hit.min.y, 400.0f, 1e-3);
}

TEST(Heatmap, CellNumbersAreWrittenOnlyWhenEveryOneFits) {
  const gs::app::test_support::HeadlessImGui imgui(ImVec2(800, 600));
  ImGui::NewFrame();  // a current font, for the cells' text
  auto quads = [](const std::vector<double>& values, float side) {
    ImDrawList dl(ImGui::GetDrawListSharedData());
    dl._ResetForNewFrame();
    dl.Flags = ImDrawListFlags_None;
    dl.PushClipRectFullScreen();
    dl.PushTextureID(ImGui::GetIO().Fonts->TexID);
    HeatmapOptions o;
    o.scale = HeatmapScale::Sequential;
    o.cell_format = "%.0f";
    DrawHeatmapEx(&dl, ImVec2(0, 0), ImVec2(side, side), values.data(), 2, 2, IM_COL32(0, 0, 0, 255), o);
    return dl.IdxBuffer.Size / 6;
  };
  // Four cells and the frame, then one quad per glyph: "0", "1", "2", "3" in wide cells.
  EXPECT_EQ(quads({0, 1, 2, 3}, 200), 4 + 4 + 4);
  // A count too wide for its cell hides every number, the small ones too (no lone zeros).
  EXPECT_EQ(quads({0, 1, 2, 123456789}, 40), 4 + 4);
  ImGui::EndFrame();
}
