// Internal to src/engine's parser: the syntax tree of a program (statements of expressions), as a
// flat arena, and the recursive-descent parser that builds it. Depends on lexer.h.
#pragma once

#include "lexer.h"

#include <optional>
#include <string_view>
#include <vector>

namespace gs::parsing {

enum class ExprKind : std::uint8_t { Number, Name, Neg, Binary, Call, Literal };

struct Keyword {
  int name_offset = 0;
  int name_length = 0;
  double value = 0;
  bool boolean = false;  // written true/false (value 1/0)
  int value_offset = 0;
  int value_length = 0;
};

// One node of the syntax tree. The tree is a flat arena (indices, not pointers), so that a
// long expression is neither destroyed nor copied recursively.
struct Expr {
  ExprKind kind = ExprKind::Number;
  int begin = 0, end = 0;      // bytes of the whole expression in the text
  int op_offset = 0;           // the operator, or the function's name
  int op_length = 1;
  Tok op = Tok::End;           // Binary
  double number = 0;           // Number
  // Literal: the text [begin, end) is the literal `[[1, 2], [3, 4]]`, read by the builder.
  std::vector<int> args;       // operands, or a call's positional arguments
  std::vector<Keyword> keywords;
  int depth = 1;
};

struct Statement {
  int target_offset = -1;  // `name = ...`, or -1
  int target_length = 0;
  int expr = -1;
};

struct Program {
  std::vector<Expr> exprs;
  std::vector<Statement> statements;
};

// Parses a whole text (statements separated by ';' or newlines; `name = ...` assigns). Syntax
// errors throw ParseError with the column; deep nesting is an error, not a stack overflow.
Program parse_syntax(std::string_view text);

// true/True and false/False, the values of switches (keepdims=true); not numbers elsewhere.
std::optional<bool> boolean_literal(std::string_view word);

}  // namespace gs::parsing
