// A graph as a short PyTorch script: the same computation in float64 with requires_grad on the
// inputs, backward(), and the output and every input's gradient printed at full precision, so
// that a student can check the board's numbers with torch on any machine. One Python line per
// node, named as the traces name it (v3 = torch.log(x1)  # v3 = ln v1).
// Depends on graph.h and autodiff.h (Bindings); no printing, no Python at build or test time.
#pragma once

#include "autodiff.h"
#include "graph.h"

#include <string>
#include <vector>

namespace gs {

// A Python float literal that reads back as exactly `v` (shortest round-trip digits, "2.0" rather
// than "2"; "float('nan')", "float('inf')").
std::string python_float(double v);
// A nested Python list of floats in row-major order of t's shape ("[[1.0, 2.0], [3.0, 4.0]]"; a
// scalar is a bare float).
std::string python_list(const TensorD& t);

// The script. `source` is said in its first comment lines (the expression or the file it came
// from). Output lines, one per value, are what tests/cli/torch_check.py reads back:
//   y = <output as a float or nested list>
//   dy/dNAME = <gradient of input NAME>
// A tensor output is differentiated as gradscope does (the gradient of the sum of its elements).
// Throws GraphError naming the node when it uses an op with no PyTorch counterpart (the internal
// gradient ops of an extended graph: conv2d_grad_input, …).
std::string torch_script(const Graph& g, const Bindings& values, const std::string& source);

// The Python expression of one op node over its inputs' Python expressions: for other exporters
// (a schedule's lambda factor in epoch). Throws GraphError as torch_script.
std::string torch_op_expression(const Graph& g, NodeId id, const std::vector<std::string>& args);

}  // namespace gs
