// What to do next on an empty canvas (File ▸ New, or every node deleted): type a formula (with an
// example), open an example or a lesson, or add nodes from the palette — drawn over the canvas's
// middle in the interface font, so that it reads at 1024×768 and in Chinese. Draws only; the
// frame record gets its lines and their boxes (canvas_hint). ImGui only; no GL.
#pragma once

#include "app/graph/view_context.h"

#include <imgui.h>

namespace gs::app {

// The formula the hint offers as an example: seed 004's, as it is typed.
inline constexpr const char* kEmptyHintFormula = "y = ln(x1) + x1*x2 - sin(x2)";

struct EmptyCanvasHint {
  // Over the canvas region [min, max] (screen pixels) when the graph has no node; nothing else.
  static void draw(ViewContext& ctx, ImVec2 min, ImVec2 max);
};

}  // namespace gs::app
