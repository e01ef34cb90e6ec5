// Internal to src/engine's parser: the tokens of the expression language. Depends on
// parse_text.h.
#pragma once

#include "parse_text.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace gs::parsing {

enum class Tok : std::uint8_t {
  Number, Name, Literal, Plus, Minus, Star, Slash, At, Caret, LParen, RParen, Comma, Assign, Separator, End
};

struct Token {
  Tok kind = Tok::End;
  int offset = 0;  // bytes
  int length = 0;
  double number = 0;
};

// Tokens of the whole text, ending with Tok::End. Newlines separate statements except inside
// parentheses, where a long call may be broken over lines. Parentheses are balanced here, so that
// an unclosed one is reported where it opens rather than wherever the parser gives up. Numbers
// are read whole (1, 2.5, .5, 1e-3; a sign is an operator). A tensor literal `[[1, 2], [3, 4]]`
// is one Literal token from '[' to its matching ']' (it may span lines; its contents are read by
// the builder, which names the column of a bad number). Every error is a ParseError.
std::vector<Token> lex(std::string_view text);

inline std::string_view token_text(std::string_view text, const Token& t) {
  return text.substr(static_cast<std::size_t>(t.offset), static_cast<std::size_t>(t.length));
}

}  // namespace gs::parsing
