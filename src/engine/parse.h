// The expression language of DESIGN.md: `y = ln(x1) + x1*x2 - sin(x2)` becomes a Graph.
// Errors carry the 1-based column they point at, so that callers can draw a caret.
// Depends on graph.h only.
#pragma once

#include "error_text.h"
#include "graph.h"

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gs {

class ParseError : public std::runtime_error {
 public:
  ParseError(std::string message, int column, int length = 1, int line = 1)
      : std::runtime_error(error_text(std::move(message))), column_(column), length_(length), line_(line) {}
  int column() const { return column_; }  // 1-based, in characters of its line; 0 when the problem has no place
  int length() const { return length_; }  // characters to underline
  int line() const { return line_; }      // 1-based; texts of one line always say 1

 private:
  int column_;
  int length_;
  int line_;
};

using ShapeMap = std::map<std::string, Shape, std::less<>>;

// Parses and builds. Statements may be separated by ';' or newlines (`h = tanh(x @ W1); y = h @ W2`);
// the last one that is not an input's value is the output. A statement may give an input its
// value (it stays an input of the graph, not an op):
//   X = [[1, 2], [3, 4]]      a tensor literal (up to 4 nested lists)
//   W1 = randn(2, 3)          standard normal numbers, seeded by the name (input_fill.h), or
//   W1 = randn(2, 3, seed=7)  by the seed given; zeros(…), ones(…) take 1 to 4 sizes likewise
//   I = eye(3), eye(2, 3)     the identity
//   Y = onehot([0, 2], 3)     one row per label, [2×3]
// such statements may stand anywhere in the text. Inputs the formula gives a value take its
// shape; the others take `input_shapes`, else they are scalars. A literal inside an expression
// (`x @ [[1], [2]]`) is a constant. Shape errors become ParseErrors at the operator's column
// ("shape mismatch at column 7: X @ W: [4×3] @ [2×2]").
Graph parse_expression(std::string_view text, const ShapeMap& input_shapes = {});

// Where each node came from in the text, for views that highlight the part of the formula a
// node computes. Byte offsets into the parsed text, [begin, end).
struct SourceSpan {
  int begin = 0;
  int end = 0;
};

// An input's value given by a statement of the formula (`W1 = randn(2, 3)`).
struct GivenValue {
  std::string name;
  TensorD value;
  SourceSpan span;  // the right-hand side, `randn(2, 3)`
};

struct ParsedExpression {
  Graph graph;
  std::vector<SourceSpan> spans;                       // by node index
  std::vector<std::pair<std::string, NodeId>> names;   // `h = ...` assignments, in text order
  std::vector<GivenValue> given;                       // inputs' values from the formula, in text order
};

// parse_expression with the source spans and the assigned names kept.
ParsedExpression parse_program(std::string_view text, const ShapeMap& input_shapes = {});

// The input names an expression uses and gives no value, in order of first appearance (to ask for
// their values). Checks everything that does not need shapes (syntax, function names, argument
// counts, the inputs' values the formula gives), so that a caller can report those problems
// before asking for values.
std::vector<std::string> expression_inputs(std::string_view text);
// The inputs whose values the formula gives (`X = [[1, 2]]`), in text order; the same checks.
std::vector<std::string> expression_given_inputs(std::string_view text);

// A tensor literal: "2.5", "-1e-3", "[1, 2]", "[[1, 2], [3, 4]]" (up to rank 4); "nan" and
// "inf" are accepted for demonstrations. Ragged or non-numeric literals throw ParseError with
// the column.
TensorD parse_tensor_literal(std::string_view text);

// The functions of the expression language, for completion and help texts: every op of the
// catalogue that is not internal, under its name and its aliases (op_def(op) has the rest).
struct FunctionInfo {
  std::string name;   // "conv2d"
  std::string usage;  // "conv2d(x, W[, b], stride=1, padding=0)"
  Op op = Op::Add;
};
const std::vector<FunctionInfo>& expression_functions();

// The candidate closest to `word` by edit distance (typos, swapped letters, case), or "" when
// none is close enough to be a plausible typo. Shared by every "did you mean" message.
std::string closest_name(std::string_view word, const std::vector<std::string>& candidates);

// True for names of the expression language: a letter or '_' then letters, digits, '_'.
bool is_identifier(std::string_view name);

}  // namespace gs
