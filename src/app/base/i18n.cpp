// The translation table's storage and lookup. The language is process-wide UI state (like
// ImGui's current context), set only from the menu or the command line. No ImGui here.
#include "app/base/i18n.h"

#include <array>

namespace gs::app {
namespace {

struct Entry {
  const char* text[static_cast<int>(Language::kCount)];
};

constexpr Entry kTable[] = {
#define GS_TR_ENUM(name, en, zh) {{en, zh}},
#include "i18n_table.h"
#undef GS_TR_ENUM
};
static_assert(std::size(kTable) == static_cast<std::size_t>(Tr::kCount), "one entry per Tr id");

Language g_language = Language::English;

}  // namespace

void set_language(Language lang) { g_language = lang; }
Language language() { return g_language; }
const char* language_code(Language lang) { return lang == Language::Chinese ? "zh" : "en"; }

const char* tr(Tr id, Language lang) {
  return kTable[static_cast<int>(id)].text[static_cast<int>(lang)];
}
const char* tr(Tr id) { return tr(id, g_language); }

std::string trf(Tr id, std::string_view a0, std::string_view a1, std::string_view a2, std::string_view a3) {
  const std::string_view args[4] = {a0, a1, a2, a3};
  std::string_view text = tr(id);
  std::string out;
  out.reserve(text.size() + a0.size() + a1.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 2 < text.size() && text[i + 2] == '}' && text[i + 1] >= '0' && text[i + 1] <= '3') {
      out += args[text[i + 1] - '0'];
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string label(Tr id, const char* stable_id) {
  std::string s = tr(id);
  s += "###";
  s += stable_id;
  return s;
}

std::string all_chinese_text() {
  std::string s;
  for (const Entry& e : kTable) s += e.text[static_cast<int>(Language::Chinese)];
  return s;
}

}  // namespace gs::app
