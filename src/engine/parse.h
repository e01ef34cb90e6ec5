// The expression language of DESIGN.md: `y = ln(x1) + x1*x2 - sin(x2)` becomes a Graph.
// Errors carry the 1-based column they point at, so that callers can draw a caret.
// Depends on graph.h only.
#pragma once

#include "graph.h"

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

namespace gs {

class ParseError : public std::runtime_error {
 public:
  ParseError(std::string message, int column, int length = 1)
      : std::runtime_error(std::move(message)), column_(column), length_(length) {}
  int column() const { return column_; }  // 1-based; 0 when the problem has no place
  int length() const { return length_; }

 private:
  int column_;
  int length_;
};

// Parses and builds. Inputs not in `input_shapes` are scalars. Statements may be separated by
// ';' or newlines (`h = tanh(x @ W1); y = h @ W2`); the last one is the output. Shape errors
// become ParseErrors at the operator's column ("shape mismatch at column 7: X @ W: [4×3] @ [2×2]").
Graph parse_expression(std::string_view text, const std::map<std::string, Shape, std::less<>>& input_shapes = {});

// The input names an expression uses, in order of first appearance (to ask for their values).
std::vector<std::string> expression_inputs(std::string_view text);

// A tensor literal: "2.5", "-1e-3", "[1, 2]", "[[1, 2], [3, 4]]" (up to rank 4).
// Ragged or non-numeric literals throw ParseError with the column.
TensorD parse_tensor_literal(std::string_view text);

}  // namespace gs
