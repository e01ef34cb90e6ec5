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
// Every Chinese string concatenated, for building the CJK glyph ranges.
std::string all_chinese_text();

}  // namespace gs::app
