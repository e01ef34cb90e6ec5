// Heatmaps on an ImGui draw list: a diverging colour scale centred on zero (blue negative, white
// zero, red positive) or a sequential one (white zero to deep blue, for counts), large matrices
// averaged into at most `max_cells` per side so that a frame never waits on a big tensor — or, when
// the caller has a picture of the same matrix coloured by the GPU, that texture instead of the
// cells. Reports the cell of the full matrix under the mouse. ImGui only: the caller hands in a
// row-major block of doubles (it knows what its tensors are); no engine, no GL.
//
// Usage:
//   widgets::DrawHeatmap(ImGui::GetWindowDrawList(), min, max, values, rows, cols, frame_colour);
//   widgets::HeatmapOptions o;  o.scale = widgets::HeatmapScale::Sequential;  o.cell_format = "%.0f";
//   widgets::HeatmapHit hit = widgets::DrawHeatmapEx(dl, min, max, counts, 10, 10, frame, o);
//   if (hit.hovered) ImGui::SetTooltip("true %d, predicted %d: %g", (int)hit.row, (int)hit.col, hit.value);
#pragma once

#include <imgui.h>

#include <cstddef>
#include <cstdint>

namespace gs::app::widgets {

inline constexpr std::ptrdiff_t kMaxHeatmapCells = 32;

enum class HeatmapScale : std::uint8_t { Diverging, Sequential, Grey };

// White at 0, saturated red at +max_abs, saturated blue at −max_abs; NaN and infinities black.
ImU32 HeatmapColor(double v, double max_abs);
// White at 0 to deep blue at max (values outside [0, max] clamped); NaN and infinities black.
ImU32 HeatmapSequentialColor(double v, double max);
// Black at lo to white at hi (an image as a person sees it); NaN and infinities red.
ImU32 HeatmapGreyColor(double v, double lo, double hi);

struct HeatmapOptions {
  HeatmapScale scale = HeatmapScale::Diverging;
  std::ptrdiff_t max_cells = kMaxHeatmapCells;  // per side; larger matrices are averaged
  bool square = true;                 // square cells centred in the box; false: cells fill it
  const char* cell_format = nullptr;  // printf format of a double: each cell's value written in it, when all fit
  ImTextureID texture = nullptr;      // the same matrix coloured elsewhere (the GPU): drawn instead
  double range = 0;                   // > 0: the scale's end (one scale shared by several heatmaps)
};

// The cell of the full matrix under the mouse, and the picture's box on screen.
struct HeatmapHit {
  bool hovered = false;
  std::ptrdiff_t row = -1, col = -1;
  double value = 0;
  ImVec2 min{0, 0}, max{0, 0};
};

// Fills [min, max] (screen pixels) with the cells of the rows × cols matrix `values`
// (row-major), framed in `frame`. NaN/inf cells are black (red in grey); the diverging scale is
// set by the largest finite magnitude, the sequential one by the largest finite value, the grey
// one by the smallest and largest.
HeatmapHit DrawHeatmapEx(ImDrawList* dl, ImVec2 min, ImVec2 max, const double* values, std::ptrdiff_t rows,
                         std::ptrdiff_t cols, ImU32 frame, const HeatmapOptions& options);
// The diverging scale, square cells, at most kMaxHeatmapCells per side.
void DrawHeatmap(ImDrawList* dl, ImVec2 min, ImVec2 max, const double* values, std::ptrdiff_t rows, std::ptrdiff_t cols, ImU32 frame);
// The largest finite magnitude of `count` values: the colour scale runs from −it (blue) through
// 0 (white) to +it (red).
double HeatmapMaxAbs(const double* values, std::ptrdiff_t count);
// The colour scale as a bar filling [min, max]: blue on the left, white in the middle, red on the
// right (the caller writes −max_abs and +max_abs at its ends).
void DrawHeatmapScale(ImDrawList* dl, ImVec2 min, ImVec2 max, ImU32 frame);

}  // namespace gs::app::widgets
