// Heatmaps on an ImGui draw list: a diverging colour scale centred on zero (blue negative, white
// zero, red positive), large matrices averaged into at most kMaxHeatmapCells per side so that a
// frame never waits on a big tensor. ImGui only: the caller hands in a row-major block of doubles
// (it knows what its tensors are); no engine, no GL.
//
// Usage:
//   widgets::DrawHeatmap(ImGui::GetWindowDrawList(), min, max, values, rows, cols, frame_colour);
#pragma once

#include <imgui.h>

#include <cstddef>

namespace gs::app::widgets {

inline constexpr std::ptrdiff_t kMaxHeatmapCells = 32;

// White at 0, saturated red at +max_abs, saturated blue at −max_abs; NaN and infinities black.
ImU32 HeatmapColor(double v, double max_abs);
// Fills [min, max] (screen pixels) with square cells of the rows × cols matrix `values`
// (row-major), centred in the box and framed in `frame`. NaN/inf cells are black, and the colour
// scale is set by the largest finite magnitude.
void DrawHeatmap(ImDrawList* dl, ImVec2 min, ImVec2 max, const double* values, std::ptrdiff_t rows, std::ptrdiff_t cols, ImU32 frame);
// The largest finite magnitude of `count` values: the colour scale runs from −it (blue) through
// 0 (white) to +it (red).
double HeatmapMaxAbs(const double* values, std::ptrdiff_t count);
// The colour scale as a bar filling [min, max]: blue on the left, white in the middle, red on the
// right (the caller writes −max_abs and +max_abs at its ends).
void DrawHeatmapScale(ImDrawList* dl, ImVec2 min, ImVec2 max, ImU32 frame);

}  // namespace gs::app::widgets
