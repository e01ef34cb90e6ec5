// Tensor heatmaps on an ImGui draw list: a diverging colour scale centred on zero (blue negative,
// white zero, red positive), large tensors averaged into at most kMaxCells per side so that a frame
// never waits on a big tensor. Draw-list only; no GL, no engine evaluation.
#pragma once

#include "engine/tensor.h"

#include <imgui.h>

namespace gs::app::widgets {

inline constexpr int kMaxHeatmapCells = 32;

// Rows × columns the tensor is shown as: the last axis across, every other axis down.
void HeatmapGrid(const TensorD& t, Index* rows, Index* cols);
ImU32 HeatmapColor(double v, double max_abs);
// Fills [min, max] with the tensor's cells; NaN/inf cells are drawn in black.
void DrawHeatmap(ImDrawList* dl, ImVec2 min, ImVec2 max, const TensorD& t, ImU32 frame);

}  // namespace gs::app::widgets
