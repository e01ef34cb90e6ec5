// Font discovery and loading into ImGui's atlas. No GL, no GLFW.
#include "app/base/fonts.h"

#include "app/base/i18n.h"
#include "app/widgets/canvas.h"

#include <imgui_internal.h>  // ImTextCharFromUtf8

#include <cstdio>
#include <filesystem>

namespace gs::app {

namespace {
// Canvas text sizes in pixels: consecutive ratios of about 1.3, so a drawn size is at most a
// third smaller than its bitmap (downscaling stays sharp; upscaling would blur).
constexpr float kCanvasLadder[] = {9, 12, 15, 19, 24, 31, 40, 52, 68};

const ImWchar kMathRanges[] = {
    0x0020, 0x00FF,  // Basic Latin, Latin-1 (·, ×, ²)
    0x0300, 0x036F,  // combining marks: v̄ (U+0304), v̇ (U+0307)
    0x0370, 0x03FF,  // Greek: σ, ∂-adjacent letters
    0x1D00, 0x1D7F,  // ᵀ (U+1D40)
    0x2000, 0x206F,  // punctuation: …, ‖
    0x2070, 0x209F,  // superscripts and subscripts
    0x2190, 0x21FF,  // arrows
    0x2200, 0x22FF,  // mathematical operators: ∂, −, ∑, ≈
    0x25A0, 0x25FF,  // ▶ ■
    0x26A0, 0x26A0,  // ⚠
    0x2713, 0x2717,  // ✓ ✗
    0,
};

// ImGui draws one glyph after another and knows nothing of combining marks: give the marks no
// advance and centre them over the previous letter (v̄, v̇ in every trace). Our own text
// only ever puts a mark after a 'v' or a letter of about its width.
void attach_combining_marks(ImFont* font) {
  const ImFontGlyph* v = font->FindGlyphNoFallback('v');
  if (!v) return;
  for (ImWchar c = 0x0300; c <= 0x036F; ++c) {
    ImFontGlyph* g = const_cast<ImFontGlyph*>(font->FindGlyphNoFallback(c));
    if (!g) continue;
    const float centre = (g->X0 + g->X1) * 0.5f;
    const float target = -v->AdvanceX * 0.5f;
    g->X0 += target - centre;
    g->X1 += target - centre;
    g->AdvanceX = 0.0f;
    if (c < font->IndexAdvanceX.Size) font->IndexAdvanceX[c] = 0.0f;
  }
}

bool is_font_file(const std::string& p) {
  return p.ends_with(".ttf") || p.ends_with(".otf") || p.ends_with(".ttc") || p.ends_with(".TTF");
}
}  // namespace

std::string find_font(const std::vector<std::string>& candidates, const char* pattern) {
  std::error_code ec;
  for (const std::string& c : candidates)
    if (std::filesystem::exists(c, ec)) return c;
  std::string cmd = std::string("fc-match -f '%{file}' '") + pattern + "' 2>/dev/null";
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[512];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
  }
  return is_font_file(out) && std::filesystem::exists(out, ec) ? out : std::string();
}

void load_fonts(FontSet* f, float ui_px) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  f->canvas.clear();
  f->latin_path = find_font({"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"}, "DejaVu Sans");
  f->mono_path = find_font({"/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"}, "DejaVu Sans Mono");
  f->cjk_path = find_font({"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
                           "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                           "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"},
                          "Noto Sans CJK SC:lang=zh-cn");
  f->has_cjk = !f->cjk_path.empty();

  // The interface: math glyphs, common simplified Chinese, and every character of the table.
  {
    ImFontGlyphRangesBuilder b;
    b.AddRanges(kMathRanges);
    if (f->has_cjk) {
      b.AddRanges(io.Fonts->GetGlyphRangesChineseSimplifiedCommon());
      b.AddText(all_chinese_text().c_str());
      b.AddText(f->extra_text.c_str());
    }
    f->ui_ranges.clear();
    b.BuildRanges(&f->ui_ranges);
  }
  f->math_ranges.clear();
  for (const ImWchar* r = kMathRanges; *r; ++r) f->math_ranges.push_back(*r);
  f->math_ranges.push_back(0);
  // The mono font (trace tables, the expression box): the CJK glyphs of the texts it draws in
  // Chinese (a long row's "（另有 N 项）", the expression box's hint), not the whole CJK range.
  {
    ImFontGlyphRangesBuilder b;
    for (Tr id : {Tr::MoreTerms, Tr::MoreCharacters, Tr::ExpressionHint}) b.AddText(tr(id, Language::Chinese));
    f->mono_cjk_ranges.clear();
    b.BuildRanges(&f->mono_cjk_ranges);
  }

  auto add = [&](const std::string& path, float px, const ImWchar* ranges, const ImWchar* cjk_ranges) -> ImFont* {
    ImFontConfig cfg;
    cfg.OversampleH = 2;
    cfg.OversampleV = 1;
    ImFont* font = path.empty() ? io.Fonts->AddFontDefault(&cfg)
                                : io.Fonts->AddFontFromFileTTF(path.c_str(), px, &cfg, ranges);
    if (cjk_ranges && f->has_cjk) {
      ImFontConfig m;
      m.MergeMode = true;
      m.OversampleH = 1;
      m.OversampleV = 1;
      io.Fonts->AddFontFromFileTTF(f->cjk_path.c_str(), px, &m, cjk_ranges);
    }
    return font;
  };
  f->ui = add(f->latin_path, ui_px, f->ui_ranges.Data, f->ui_ranges.Data);
  f->heading = add(f->latin_path, ui_px * 1.25f, f->ui_ranges.Data, f->ui_ranges.Data);
  f->mono = add(f->mono_path.empty() ? f->latin_path : f->mono_path, ui_px, f->math_ranges.Data, f->mono_cjk_ranges.Data);
  f->banner = add(f->latin_path, ui_px * 1.6f, f->ui_ranges.Data, f->ui_ranges.Data);
  f->mono_large = add(f->mono_path.empty() ? f->latin_path : f->mono_path, ui_px * 1.35f, f->math_ranges.Data, f->mono_cjk_ranges.Data);
  const float scale = ui_px / 17.0f;
  for (float px : kCanvasLadder) f->canvas.push_back(add(f->latin_path, px * std::max(scale, 1.0f), f->math_ranges.Data, nullptr));
  io.FontDefault = f->ui;
  io.Fonts->Build();
  for (ImFont* font : io.Fonts->Fonts) attach_combining_marks(font);
  widgets::SetCanvasFontLadder(f->canvas);
}

std::string glyphs_to_add(const FontSet& fonts, std::string_view text) {
  std::string out;
  if (!fonts.ui || !fonts.has_cjk) return out;
  const char* s = text.data();
  const char* end = text.data() + text.size();
  while (s < end) {
    unsigned int c = 0;
    const int n = ImTextCharFromUtf8(&c, s, end);
    if (n <= 0) break;
    const std::string ch(s, static_cast<std::size_t>(n));
    s += n;
    if (c < 0x2E80 || c > 0xFFFF) continue;  // CJK and fullwidth forms: what the CJK font adds
    if (fonts.ui->FindGlyphNoFallback(static_cast<ImWchar>(c)) || out.find(ch) != std::string::npos ||
        fonts.extra_text.find(ch) != std::string::npos)
      continue;
    out += ch;
  }
  return out;
}

}  // namespace gs::app
