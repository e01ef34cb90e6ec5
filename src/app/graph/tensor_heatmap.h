// A tensor as the heatmap widget's matrix: the last axis across, every other axis down (a
// [N, C, H, W] tensor shows N·C·H rows of W cells). Shared by the canvas nodes, the inspector and
// the value editor so that they agree on the picture. No GL.
#pragma once

#include "app/widgets/heatmap.h"
#include "engine/tensor.h"

#include <cstdio>
#include <string>

namespace gs::app {

// Rows × columns the tensor is shown as.
inline void tensor_grid(const TensorD& t, Index* rows, Index* cols) {
  *cols = t.rank() == 0 ? 1 : t.dim(t.rank() - 1);
  *rows = *cols == 0 ? 0 : t.size() / *cols;
}

// An end of a heatmap's colour scale (−m or +m, m the largest magnitude shown): "-3.2", "0".
inline std::string heatmap_scale_end(double v) {
  if (v == 0) return "0";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2g", v);
  return buf;
}

inline void draw_tensor_heatmap(ImDrawList* dl, ImVec2 min, ImVec2 max, const TensorD& t, ImU32 frame) {
  Index rows = 0, cols = 0;
  tensor_grid(t, &rows, &cols);
  widgets::DrawHeatmap(dl, min, max, t.data(), rows, cols, frame);
}

}  // namespace gs::app
