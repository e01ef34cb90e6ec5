// The translation table's storage and lookup. The language is process-wide UI state (like
// ImGui's current context), set only from the menu or the command line, on the UI thread; it is
// atomic because a graph file opened off the UI thread (BackgroundOpen) names nodes with tr().
// No ImGui here.
#include "app/base/i18n.h"

#include <array>
#include <atomic>

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

std::atomic<Language> g_language{Language::English};

}  // namespace

void set_language(Language lang) { g_language.store(lang, std::memory_order_relaxed); }
Language language() { return g_language.load(std::memory_order_relaxed); }
const char* language_code(Language lang) { return lang == Language::Chinese ? "zh" : "en"; }

const char* tr(Tr id, Language lang) {
  return kTable[static_cast<int>(id)].text[static_cast<int>(lang)];
}
const char* tr(Tr id) { return tr(id, language()); }

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

std::string on_screen(std::string_view text) {
  static constexpr std::string_view kMinus = "\xE2\x88\x92";  // U+2212
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '-') {
      out += c;
      continue;
    }
    const char before = i > 0 ? text[i - 1] : ' ', after = i + 1 < text.size() ? text[i + 1] : ' ';
    if (after == '>' || (letter(before) && letter(after))) {
      out += c;  // "->", "x-axis": not a minus sign
      continue;
    }
    // "a + -b" reads "a − b": the '+' already written (with its space) becomes the minus.
    if (after != ' ' && out.size() >= 2 && out.compare(out.size() - 2, 2, "+ ") == 0 &&
        (out.size() == 2 || out[out.size() - 3] == ' ')) {
      out.resize(out.size() - 2);
      out += kMinus;
      out += ' ';
      continue;
    }
    out += kMinus;
  }
  return out;
}

namespace {

// Whole-text match of `text` against `pattern`, whose {0}..{4} stand for any non-empty text
// (shortest first); the captures by placeholder number.
bool match_phrase(std::string_view pattern, std::string_view text, std::string_view* cap) {
  if (pattern.empty()) return text.empty();
  if (pattern.size() >= 3 && pattern[0] == '{' && pattern[2] == '}' && pattern[1] >= '0' && pattern[1] <= '4') {
    const int k = pattern[1] - '0';
    for (std::size_t len = 1; len <= text.size(); ++len) {
      cap[k] = text.substr(0, len);
      if (match_phrase(pattern.substr(3), text.substr(len), cap)) return true;
    }
    return false;
  }
  return !text.empty() && pattern[0] == text[0] && match_phrase(pattern.substr(1), text.substr(1), cap);
}

// The engine section of the table (EngAtColumn … the examples' titles, then "{0}: {1}"), tried in
// order: a phrase must match the whole text.
bool engine_phrase(Tr id) { return id >= Tr::EngAtColumn && id <= Tr::EngWhereWhat; }

}  // namespace

std::string translate(std::string_view english, Language lang) {
  if (lang == Language::English || english.empty()) return std::string(english);
  for (int i = static_cast<int>(Tr::EngAtColumn); i <= static_cast<int>(Tr::EngWhereWhat); ++i) {
    const Tr id = static_cast<Tr>(i);
    if (!engine_phrase(id)) continue;
    std::string_view cap[5];
    if (!match_phrase(tr(id, Language::English), english, cap)) continue;
    std::string out;
    const std::string_view zh = tr(id, lang);
    for (std::size_t k = 0; k < zh.size(); ++k) {
      if (zh[k] == '{' && k + 2 < zh.size() && zh[k + 2] == '}' && zh[k + 1] >= '0' && zh[k + 1] <= '4') {
        out += translate(cap[zh[k + 1] - '0'], lang);
        k += 2;
      } else {
        out += zh[k];
      }
    }
    return out;
  }
  return std::string(english);
}

std::string translate(std::string_view english) { return translate(english, language()); }

bool has_cjk(std::string_view text) {
  // UTF-8 lead bytes E2 BA 80 (U+2E80) and up: every CJK block and the full-width punctuation.
  for (std::size_t i = 0; i + 2 < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0xE3 && c <= 0xEF) return true;
    if (c == 0xE2 && static_cast<unsigned char>(text[i + 1]) >= 0xBA) return true;
  }
  return false;
}

std::string all_chinese_text() {
  std::string s;
  for (const Entry& e : kTable) s += e.text[static_cast<int>(Language::Chinese)];
  return s;
}

}  // namespace gs::app
