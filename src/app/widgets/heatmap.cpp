// Heatmap drawing. ImGui draw lists only.
#include "app/widgets/heatmap.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace gs::app::widgets {

namespace {
int mix(int a, int b, double w) { return static_cast<int>(a + (b - a) * w); }
}  // namespace

ImU32 HeatmapColor(double v, double max_abs) {
  if (!std::isfinite(v)) return IM_COL32(0, 0, 0, 255);
  const double u = max_abs > 0 ? std::clamp(v / max_abs, -1.0, 1.0) : 0.0;
  // White to red for positive, white to blue for negative.
  const double w = std::fabs(u);
  if (u >= 0) return IM_COL32(mix(255, 200, w), mix(255, 40, w), mix(255, 40, w), 255);
  return IM_COL32(mix(255, 40, w), mix(255, 90, w), mix(255, 210, w), 255);
}

ImU32 HeatmapSequentialColor(double v, double max) {
  if (!std::isfinite(v)) return IM_COL32(0, 0, 0, 255);
  const double w = max > 0 ? std::clamp(v / max, 0.0, 1.0) : 0.0;
  return IM_COL32(mix(255, 8, w), mix(255, 48, w), mix(255, 107, w), 255);
}

ImU32 HeatmapGreyColor(double v, double lo, double hi) {
  if (!std::isfinite(v)) return IM_COL32(220, 30, 40, 255);
  const double w = hi > lo ? std::clamp((v - lo) / (hi - lo), 0.0, 1.0) : 0.0;
  const int g = static_cast<int>(std::lround(255.0 * w));
  return IM_COL32(g, g, g, 255);
}

HeatmapHit DrawHeatmapEx(ImDrawList* dl, ImVec2 min, ImVec2 max, const double* values, std::ptrdiff_t rows,
                         std::ptrdiff_t cols, ImU32 frame, const HeatmapOptions& o) {
  using Index = std::ptrdiff_t;
  HeatmapHit hit;
  if (rows <= 0 || cols <= 0) return hit;
  const Index limit = std::max<Index>(o.max_cells, 1);
  const Index cr = std::min<Index>(rows, limit), cc = std::min<Index>(cols, limit);
  double scale = 0, lo = INFINITY;
  for (Index i = 0; i < rows * cols; ++i)
    if (std::isfinite(values[i])) {
      scale = std::max(scale, o.scale == HeatmapScale::Diverging ? std::fabs(values[i]) : values[i]);
      lo = std::min(lo, values[i]);
    }
  if (o.range > 0) scale = o.range;
  // Square cells centred in the box, or cells that fill it. A texture shows the whole matrix, so
  // its aspect is the matrix's.
  const Index ar = o.texture ? rows : cr, ac = o.texture ? cols : cc;
  float cw = (max.x - min.x) / static_cast<float>(ac), ch = (max.y - min.y) / static_cast<float>(ar);
  if (o.square) cw = ch = std::min(cw, ch);
  const ImVec2 size(cw * static_cast<float>(ac), ch * static_cast<float>(ar));
  const ImVec2 origin(min.x + ((max.x - min.x) - size.x) * 0.5f, min.y + ((max.y - min.y) - size.y) * 0.5f);
  const ImVec2 end(origin.x + size.x, origin.y + size.y);
  hit.min = origin;
  hit.max = end;
  if (o.texture) {
    dl->AddImage(o.texture, origin, end);
  } else {
    const float ccw = size.x / static_cast<float>(cc), cch = size.y / static_cast<float>(cr);
    // Numbers in the cells only when every one fits: a matrix showing its small counts and
    // hiding its large ones would read as zeros and blanks.
    bool numbers = o.cell_format && rows == cr && cols == cc;
    for (Index i = 0; numbers && i < rows * cols; ++i) {
      char text[32];
      std::snprintf(text, sizeof text, o.cell_format, values[i]);
      const ImVec2 ts = ImGui::CalcTextSize(text);
      numbers = ts.x <= ccw - 2.0f && ts.y <= cch;
    }
    for (Index r = 0; r < cr; ++r) {
      const Index r0 = r * rows / cr, r1 = std::max(r0 + 1, (r + 1) * rows / cr);
      for (Index c = 0; c < cc; ++c) {
        const Index c0 = c * cols / cc, c1 = std::max(c0 + 1, (c + 1) * cols / cc);
        double sum = 0;
        for (Index i = r0; i < r1; ++i)
          for (Index j = c0; j < c1; ++j) sum += values[i * cols + j];
        const double mean = sum / static_cast<double>((r1 - r0) * (c1 - c0));
        const ImVec2 a(origin.x + static_cast<float>(c) * ccw, origin.y + static_cast<float>(r) * cch);
        const ImVec2 b(a.x + ccw, a.y + cch);
        const ImU32 fill = o.scale == HeatmapScale::Diverging    ? HeatmapColor(mean, scale)
                           : o.scale == HeatmapScale::Sequential ? HeatmapSequentialColor(mean, scale)
                                                                 : HeatmapGreyColor(mean, lo, scale);
        dl->AddRectFilled(a, b, fill);
        if (numbers) {
          char text[32];
          std::snprintf(text, sizeof text, o.cell_format, mean);
          const ImVec2 ts = ImGui::CalcTextSize(text);
          {
            // Dark text on light cells, white on dark ones.
            const ImVec4 f = ImGui::ColorConvertU32ToFloat4(fill);
            const bool dark = 0.299f * f.x + 0.587f * f.y + 0.114f * f.z < 0.55f;
            dl->AddText(ImVec2((a.x + b.x - ts.x) * 0.5f, (a.y + b.y - ts.y) * 0.5f),
                        dark ? IM_COL32(255, 255, 255, 255) : IM_COL32(30, 32, 40, 255), text);
          }
        }
      }
    }
  }
  dl->AddRect(origin, end, frame, 0, 0, 1.0f);
  const ImVec2 m = ImGui::GetIO().MousePos;
  if (m.x >= origin.x && m.x < end.x && m.y >= origin.y && m.y < end.y && size.x > 0 && size.y > 0) {
    hit.hovered = true;
    hit.row = std::clamp<Index>(static_cast<Index>((m.y - origin.y) / size.y * static_cast<float>(rows)), 0, rows - 1);
    hit.col = std::clamp<Index>(static_cast<Index>((m.x - origin.x) / size.x * static_cast<float>(cols)), 0, cols - 1);
    hit.value = values[hit.row * cols + hit.col];
  }
  return hit;
}

void DrawHeatmap(ImDrawList* dl, ImVec2 min, ImVec2 max, const double* values, std::ptrdiff_t rows, std::ptrdiff_t cols, ImU32 frame) {
  DrawHeatmapEx(dl, min, max, values, rows, cols, frame, HeatmapOptions{});
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
