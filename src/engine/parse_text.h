// Internal to src/engine's parser: places in a text and the errors that name them ("at line 2,
// column 5"), the characters of names, and small message helpers shared by the lexer, the syntax
// parser, call resolution, the graph builder and tensor literals. Depends on parse.h (ParseError).
#pragma once

#include "parse.h"

#include <string>
#include <string_view>

namespace gs::parsing {

struct Place {
  int line = 1;
  int column = 1;
};

// Columns count characters, not bytes: a comment in Chinese before the error must not shift it.
Place place_of(std::string_view text, std::size_t offset);
// "at column 5", or "at line 2, column 5" in a text of several statements on several lines.
std::string at_text(std::string_view text, std::size_t offset);
// Throws a ParseError. `message` may hold "{at}" where the place goes; otherwise it is appended,
// so that suggestions in parentheses can follow the place.
[[noreturn]] void fail_at(std::string_view text, std::size_t offset, std::string message, int length = 1);
// The UTF-8 character starting at `offset`, for "unexpected character 'θ'"; a byte that is not
// UTF-8 is shown as \xFF rather than written raw to a terminal.
std::string character_at(std::string_view text, std::size_t offset);
// The tensor literal at [begin, end) of a formula, its errors placed in the whole text.
TensorD parse_tensor_literal_in(std::string_view text, std::size_t begin, std::size_t end);
// "1 element", "6 elements".
std::string plural(int n, const char* word);

inline bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }

}  // namespace gs::parsing
