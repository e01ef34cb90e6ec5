// Fonts found on the system (never shipped): a Latin font with the math glyphs of the traces
// (v̄, v̇, ∂, ᵀ, ·, →), a CJK font merged into the interface font for the Chinese interface, and a
// ladder of canvas sizes so that zoomed text is drawn from a bitmap at least as large as needed.
// Uses ImGui's font atlas only; no GL (the caller uploads the atlas texture).
#pragma once

#include <imgui.h>

#include <string>
#include <string_view>
#include <vector>

namespace gs::app {

struct FontSet {
  ImFont* ui = nullptr;       // interface text, CJK merged when found
  ImFont* mono = nullptr;     // trace tables and numbers
  ImFont* heading = nullptr;  // panel titles
  ImFont* banner = nullptr;   // the step banner in presentation mode
  ImFont* mono_large = nullptr;  // trace tables in presentation mode
  std::vector<ImFont*> canvas;  // ascending sizes
  bool has_cjk = false;
  std::string latin_path, mono_path, cjk_path;
  // Characters a document brought that the common Chinese set and the translation table lack (a
  // lesson's notes: the 拓 of 拓扑): in the interface fonts too from the next load_fonts.
  std::string extra_text;
  // Glyph ranges must outlive the atlas: they live here.
  ImVector<ImWchar> ui_ranges, math_ranges, mono_cjk_ranges;
};

// First existing file among `candidates`, else what fontconfig's fc-match says for `pattern`
// (only if it ends in .ttf/.otf/.ttc), else "".
std::string find_font(const std::vector<std::string>& candidates, const char* pattern);

// Clears io.Fonts and loads everything at `ui_px` pixels (already multiplied by the DPI scale).
void load_fonts(FontSet* fonts, float ui_px);

// The characters of `text` (UTF-8) that the interface font draws as "?" and that a load_fonts
// with them in fonts.extra_text would add (not those asked for before: no font has them), each
// once; "" when there are none. A page asks for them through FrameRequests::glyphs.
std::string glyphs_to_add(const FontSet& fonts, std::string_view text);

}  // namespace gs::app
