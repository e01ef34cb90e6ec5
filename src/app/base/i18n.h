// The translation table: every string a user sees goes through tr(). English and Simplified
// Chinese; the language is switched from the menu. Depends on nothing but the standard library
// (no ImGui: the tests and the screenshot report use it too).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gs::app {

enum class Language : std::uint8_t { English, Chinese, kCount };

// One entry per visible string, in one list (i18n_table.h) so names, English and Chinese cannot
// drift apart.
enum class Tr : std::uint16_t {
#define GS_TR_ENUM(name, en, zh) name,
#include "i18n_table.h"
#undef GS_TR_ENUM
  kCount
};

void set_language(Language lang);
Language language();
const char* language_code(Language lang);  // "en", "zh"

// The text of `id` in the current language.
const char* tr(Tr id);
const char* tr(Tr id, Language lang);
// "{0}" ... "{3}" in the current language's text replaced by the arguments.
std::string trf(Tr id, std::string_view a0, std::string_view a1 = {}, std::string_view a2 = {},
                std::string_view a3 = {});
// "Text###id": a label whose ImGui id does not change with the language.
std::string label(Tr id, const char* stable_id);
// Engine text (numbers, formulas, trace rows, paths) as the screen shows it: every minus sign is
// U+2212 "−" ("1·(−1) = −1", "−0.28366", "1e−05"), and adding a negative number reads as a
// subtraction ("nan + 0.5 + -0.5" → "nan + 0.5 − 0.5"). Files, the CLI and editable fields keep
// ASCII '-'. A hyphen between two letters ("x-axis") and "->" stay as they are. Every view of the
// Graph page draws engine text through this one function (issue 9: one minus sign on screen).
std::string on_screen(std::string_view engine_text);

// An English text the engine (or an example file) wrote, in the current language: whole phrases
// of the table's engine section (parse errors, NaN reasons, example titles), their placeholders
// translated in turn; a text the table does not know is returned as it is.
std::string translate(std::string_view english);
std::string translate(std::string_view english, Language lang);

// True when `text` holds a CJK character: the mono and canvas fonts have none (their glyph ranges
// are Latin and math), so such text is drawn in the interface font.
bool has_cjk(std::string_view text);

// Every Chinese string concatenated, for building the CJK glyph ranges.
std::string all_chinese_text();

}  // namespace gs::app
