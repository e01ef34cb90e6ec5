// Places, errors and names for the parser (parse_text.h), and the "did you mean" suggestions and
// name check that parse.h offers every front end. Depends on parse_text.h.
#include "parse_text.h"

#include <algorithm>
#include <limits>
#include <vector>

namespace gs {
namespace parsing {

// Columns count characters, not bytes: a comment in Chinese before the error must not shift it.
Place place_of(std::string_view text, std::size_t offset) {
  Place p;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++p.line;
      p.column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++p.column;
    }
  }
  return p;
}

namespace {
bool has_several_lines(std::string_view text) {
  std::size_t last = text.find_last_not_of(" \t\r\n");
  return last != std::string_view::npos && text.substr(0, last).find('\n') != std::string_view::npos;
}
}  // namespace

// "at column 5", or "at line 2, column 5" in a text of several statements on several lines.
std::string at_text(std::string_view text, std::size_t offset) {
  Place p = place_of(text, offset);
  return has_several_lines(text) ? "at line " + std::to_string(p.line) + ", column " + std::to_string(p.column)
                                 : "at column " + std::to_string(p.column);
}

// Throws a ParseError. `message` may hold "{at}" where the place goes; otherwise it is appended,
// so that suggestions in parentheses can follow the place.
[[noreturn]] void fail_at(std::string_view text, std::size_t offset, std::string message, int length) {
  Place p = place_of(text, offset);
  std::string at = at_text(text, offset);
  std::size_t slot = message.find("{at}");
  if (slot == std::string::npos)
    message += " " + at;
  else
    message.replace(slot, 4, at);
  throw ParseError(std::move(message), p.column, std::max(1, length), p.line);
}

// The UTF-8 character starting at `offset`, for "unexpected character 'θ'"; a byte that is not
// UTF-8 is shown as \xFF rather than written raw to a terminal.
std::string character_at(std::string_view text, std::size_t offset) {
  unsigned char c = static_cast<unsigned char>(text[offset]);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  bool valid = n > 0 && offset + n <= text.size();
  for (std::size_t k = 1; valid && k < n; ++k) valid = (static_cast<unsigned char>(text[offset + k]) & 0xC0) == 0x80;
  if (valid) return std::string(text.substr(offset, n));
  const char* hex = "0123456789ABCDEF";
  return std::string("\\x") + hex[c >> 4] + hex[c & 0xF];
}

std::string plural(int n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

}  // namespace parsing

namespace {

using parsing::is_name_char;
using parsing::is_name_start;

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Optimal string alignment distance, ignoring case: "sine"→"sin" 1, "tahn"→"tanh" 1.
int edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<int> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<int>(i);
    for (std::size_t j = 1; j <= m; ++j) {
      int cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

}  // namespace

std::string closest_name(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  int best_distance = std::numeric_limits<int>::max();
  // Short words allow one slip, longer ones two: "sine"→"sin", "sigmiod"→"sigmoid", but "foo"
  // suggests nothing rather than something random.
  const int allowed = word.size() >= 5 ? 2 : 1;
  for (const std::string& c : candidates) {
    int d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best_distance <= allowed && best != word ? best : std::string();
}

bool is_identifier(std::string_view name) {
  if (name.empty() || !is_name_start(name[0])) return false;
  return std::all_of(name.begin(), name.end(), is_name_char);
}

}  // namespace gs
