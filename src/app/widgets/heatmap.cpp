// Heatmap drawing. ImGui draw lists only.
#include "app/widgets/heatmap.h"

#include <algorithm>
#include <cmath>

namespace gs::app::widgets {

ImU32 HeatmapColor(double v, double max_abs) {
  if (!std::isfinite(v)) return IM_COL32(0, 0, 0, 255);
  const double u = max_abs > 0 ? std::clamp(v / max_abs, -1.0, 1.0) : 0.0;
  // White to red for positive, white to blue for negative.
  const auto mix = [](int a, int b, double w) { return static_cast<int>(a + (b - a) * w); };
  const double w = std::fabs(u);
  if (u >= 0) return IM_COL32(mix(255, 200, w), mix(255, 40, w), mix(255, 40, w), 255);
  return IM_COL32(mix(255, 40, w), mix(255, 90, w), mix(255, 210, w), 255);
}

void DrawHeatmap(ImDrawList* dl, ImVec2 min, ImVec2 max, const double* values, std::ptrdiff_t rows, std::ptrdiff_t cols, ImU32 frame) {
  using Index = std::ptrdiff_t;
  if (rows <= 0 || cols <= 0) return;
  const Index cr = std::min<Index>(rows, kMaxHeatmapCells), cc = std::min<Index>(cols, kMaxHeatmapCells);
  const double max_abs = HeatmapMaxAbs(values, rows * cols);
  // Square cells, centred in the box.
  const float cell = std::min((max.x - min.x) / static_cast<float>(cc), (max.y - min.y) / static_cast<float>(cr));
  const ImVec2 o(min.x + ((max.x - min.x) - cell * cc) * 0.5f, min.y + ((max.y - min.y) - cell * cr) * 0.5f);
  for (Index r = 0; r < cr; ++r) {
    const Index r0 = r * rows / cr, r1 = std::max(r0 + 1, (r + 1) * rows / cr);
    for (Index c = 0; c < cc; ++c) {
      const Index c0 = c * cols / cc, c1 = std::max(c0 + 1, (c + 1) * cols / cc);
      double sum = 0;
      for (Index i = r0; i < r1; ++i)
        for (Index j = c0; j < c1; ++j) sum += values[i * cols + j];
      const double mean = sum / static_cast<double>((r1 - r0) * (c1 - c0));
      const ImVec2 a(o.x + c * cell, o.y + r * cell);
      dl->AddRectFilled(a, ImVec2(a.x + cell, a.y + cell), HeatmapColor(mean, max_abs));
    }
  }
  dl->AddRect(o, ImVec2(o.x + cell * cc, o.y + cell * cr), frame, 0, 0, 1.0f);
}

double HeatmapMaxAbs(const double* values, std::ptrdiff_t count) {
  double max_abs = 0;
  for (std::ptrdiff_t i = 0; i < count; ++i)
    if (std::isfinite(values[i])) max_abs = std::max(max_abs, std::fabs(values[i]));
  return max_abs;
}

void DrawHeatmapScale(ImDrawList* dl, ImVec2 min, ImVec2 max, ImU32 frame) {
  const float mid = (min.x + max.x) * 0.5f;
  const ImU32 blue = HeatmapColor(-1, 1), white = HeatmapColor(0, 1), red = HeatmapColor(1, 1);
  dl->AddRectFilledMultiColor(min, ImVec2(mid, max.y), blue, white, white, blue);
  dl->AddRectFilledMultiColor(ImVec2(mid, min.y), max, white, red, red, white);
  dl->AddRect(min, max, frame, 0, 0, 1.0f);
}

}  // namespace gs::app::widgets
