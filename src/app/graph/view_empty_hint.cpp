// The empty canvas's hint: a heading and three ways to start, centred, each wrapped to the
// canvas's width. ImGui only.
#include "app/graph/view_empty_hint.h"

#include "app/base/i18n.h"
#include "app/base/theme.h"

#include <algorithm>
#include <cfloat>
#include <string>
#include <vector>

namespace gs::app {

void EmptyCanvasHint::draw(ViewContext& ctx, ImVec2 min, ImVec2 max) {
  if (!ctx.session.model().nodes().empty()) return;
  struct Line {
    std::string text;
    ImFont* font;
    ImU32 colour;
    float gap_before;  // in font heights
  };
  ImFont* ui = ctx.fonts.ui ? ctx.fonts.ui : ImGui::GetFont();
  ImFont* heading = ctx.presenting && ctx.fonts.banner ? ctx.fonts.banner : ctx.fonts.heading ? ctx.fonts.heading : ui;
  ImFont* mono = ctx.fonts.mono ? ctx.fonts.mono : ui;
  // In a presentation the expression box and the menus are hidden: say how to get them back first.
  std::vector<Line> lines{{tr(Tr::EmptyGraphTitle), heading, theme::kText, 0.0f}};
  if (ctx.presenting) lines.push_back({tr(Tr::EmptyGraphPresenting), ui, theme::kTextDim, 0.5f});
  lines.push_back({tr(Tr::EmptyGraphFormula), ui, theme::kText, 0.8f});
  lines.push_back({kEmptyHintFormula, mono, theme::kValue, 0.2f});
  lines.push_back({tr(Tr::EmptyGraphOpen), ui, theme::kText, 0.8f});
  lines.push_back({tr(Tr::EmptyGraphPalette), ui, theme::kText, 0.8f});

  // Centred in the canvas above its bottom line (the key hint), each line wrapped to the width.
  const float margin = 16.0f;
  const float bottom = max.y - ImGui::GetTextLineHeightWithSpacing() - 8.0f;
  const float wrap = std::max(max.x - min.x - 2 * margin, 80.0f);
  std::vector<ImVec2> sizes;
  float total = 0;
  for (const Line& l : lines) {
    sizes.push_back(l.font->CalcTextSizeA(l.font->FontSize, FLT_MAX, wrap, l.text.c_str()));
    total += sizes.back().y + l.gap_before * l.font->FontSize;
  }
  float y = std::max(min.y + margin, (min.y + bottom - total) * 0.5f);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const Line& l = lines[i];
    y += l.gap_before * l.font->FontSize;
    const ImVec2 at(std::max(min.x + margin, (min.x + max.x - sizes[i].x) * 0.5f), y);
    // Each wrapped line centred on its own (ImGui's wrap would start them all at `at`).
    const char* s = l.text.c_str();
    const char* end = s + l.text.size();
    for (float line_y = y; s < end; line_y += l.font->FontSize) {
      const char* e = l.font->CalcWordWrapPositionA(1.0f, s, end, wrap);
      if (e <= s) e = s + 1;
      const float w = l.font->CalcTextSizeA(l.font->FontSize, FLT_MAX, 0.0f, s, e).x;
      dl->AddText(l.font, l.font->FontSize, ImVec2(std::max(min.x + margin, (min.x + max.x - w) * 0.5f), line_y), l.colour, s, e);
      for (s = e; s < end && (*s == ' ' || *s == '\n'); ++s) {
      }
    }
    if (ctx.record) {
      ctx.record->visible_text.push_back(l.text);
      ctx.record->canvas_hint.push_back(l.text);
      ctx.record->canvas_hint_rects.push_back({at.x, at.y, at.x + sizes[i].x, at.y + sizes[i].y});
      ctx.record->canvas_hint_px.push_back(l.font->FontSize);
    }
    y += sizes[i].y;
  }
}

}  // namespace gs::app
