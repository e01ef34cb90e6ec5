// The lexer of the expression language: numbers, names, operators and separators, with the
// parentheses balanced. Depends on lexer.h.
#include "lexer.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace gs::parsing {

namespace {

// Reads one number of the language (no sign: unary minus is an operator): 1, 2.5, .5, 1e-3.
std::size_t scan_number(std::string_view text, std::size_t i, double* value) {
  const std::size_t start = i;
  while (i < text.size() && is_digit(text[i])) ++i;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && is_digit(text[i])) ++i;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < text.size() && (text[j] == '+' || text[j] == '-')) ++j;
    if (j >= text.size() || !is_digit(text[j])) {
      std::size_t end = j;
      while (end < text.size() && is_name_char(text[end])) ++end;
      fail_at(text, start,
              "malformed number '" + std::string(text.substr(start, end - start)) + "' {at} (an exponent needs digits: 1e-3)",
              static_cast<int>(end - start));
    }
    i = j;
    while (i < text.size() && is_digit(text[i])) ++i;
  }
  auto [ptr, ec] = std::from_chars(text.data() + start, text.data() + i, *value);
  if (ec == std::errc::result_out_of_range || !std::isfinite(*value))
    fail_at(text, start, "number '" + std::string(text.substr(start, i - start)) + "' is out of range {at}",
            static_cast<int>(i - start));
  if (ec != std::errc() || ptr != text.data() + i)
    fail_at(text, start, "malformed number '" + std::string(text.substr(start, i - start)) + "'",
            static_cast<int>(i - start));
  return i;
}

// The end of the tensor literal opening at `i` (one past its matching ']').
std::size_t scan_literal(std::string_view text, std::size_t i) {
  std::vector<std::size_t> open;
  for (std::size_t k = i; k < text.size(); ++k) {
    if (text[k] == '[') {
      open.push_back(k);
    } else if (text[k] == ']') {
      open.pop_back();
      if (open.empty()) return k + 1;
    } else if (text[k] == ';' || text[k] == '=' || text[k] == '(' || text[k] == ')') {
      break;  // a literal holds numbers only: the bracket was never closed before the statement went on
    }
  }
  fail_at(text, open.back(), "unbalanced bracket: '[' {at} is never closed");
}

}  // namespace

std::vector<Token> lex(std::string_view text) {
  std::vector<Token> toks;
  std::vector<int> open;  // offsets of unclosed '('
  std::size_t i = 0;
  auto push = [&](Tok kind, std::size_t at, std::size_t length) {
    toks.push_back(Token{kind, static_cast<int>(at), static_cast<int>(length), 0});
  };
  while (i < text.size()) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '\n' || c == ';') {
      if (c == ';' || open.empty()) push(Tok::Separator, i, 1);
      ++i;
    } else if (is_digit(c) || (c == '.' && i + 1 < text.size() && is_digit(text[i + 1]))) {
      Token t{Tok::Number, static_cast<int>(i), 0, 0};
      std::size_t end = scan_number(text, i, &t.number);
      t.length = static_cast<int>(end - i);
      toks.push_back(t);
      i = end;
    } else if (c == '[') {
      toks.push_back(Token{Tok::Literal, static_cast<int>(i), static_cast<int>(scan_literal(text, i) - i), 0});
      i += static_cast<std::size_t>(toks.back().length);
    } else if (c == ']') {
      fail_at(text, i, "unbalanced bracket: ']' {at} has no matching '['");
    } else if (is_name_start(c)) {
      std::size_t end = i;
      while (end < text.size() && is_name_char(text[end])) ++end;
      push(Tok::Name, i, end - i);
      i = end;
    } else {
      Tok kind = Tok::End;
      std::size_t length = 1;
      switch (c) {
        case '+': kind = Tok::Plus; break;
        case '-': kind = Tok::Minus; break;
        case '*':
          // Python's ** is accepted as ^: students arrive from NumPy.
          if (i + 1 < text.size() && text[i + 1] == '*') {
            kind = Tok::Caret;
            length = 2;
          } else {
            kind = Tok::Star;
          }
          break;
        case '/': kind = Tok::Slash; break;
        case '@': kind = Tok::At; break;
        case '^': kind = Tok::Caret; break;
        case ',': kind = Tok::Comma; break;
        case '=': kind = Tok::Assign; break;
        case '(':
          kind = Tok::LParen;
          open.push_back(static_cast<int>(i));
          break;
        case ')':
          if (open.empty()) fail_at(text, i, "unbalanced parenthesis: ')' {at} has no matching '('");
          kind = Tok::RParen;
          open.pop_back();
          break;
        default: {
          fail_at(text, i, "unexpected character '" + character_at(text, i) + "'");
        }
      }
      push(kind, i, length);
      i += length;
    }
  }
  if (!open.empty()) fail_at(text, static_cast<std::size_t>(open.back()), "unbalanced parenthesis: '(' {at} is never closed");
  push(Tok::End, text.size(), 0);
  return toks;
}

}  // namespace gs::parsing
