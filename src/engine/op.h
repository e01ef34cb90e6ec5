// The op catalogue: every operation the graph knows, with its forward rule, reverse rule (VJP),
// tangent rule (JVP), symbolic reverse rule (adjoint nodes for the extended graph) and the text
// shown to students, all defined together in one OpDef per op (src/engine/ops_*.cpp).
// Depends on tensor.h only; no GUI, no printing.
#pragma once

#include "tensor.h"

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace gs {

class Graph;

// A node of a Graph: its index in creation order. Typed so that it cannot be mixed with a v-number.
struct NodeId {
  std::int32_t index = -1;
  bool valid() const { return index >= 0; }
  friend bool operator==(NodeId, NodeId) = default;
  friend auto operator<=>(NodeId, NodeId) = default;
};

enum class Op : std::uint8_t {
  // [SECTION] elementwise, NumPy broadcasting
  Add, Sub, Mul, Div, Pow, Max,
  Neg, Exp, Ln, Sin, Cos, Tanh, Sigmoid, Relu, Sqrt, Abs,
  // derivative helpers: they appear in extended (gradient) graphs; piecewise constant
  Step, Sign, MaxMask, Xlogy,
  // [SECTION] shapes and reductions
  Sum, Mean, Reshape, Transpose, BroadcastTo, SumTo,
  // [SECTION] matrices
  MatMul,
  // [SECTION] softmax and losses
  Softmax, LogSoftmax, CrossEntropy, Mse, Hinge, L1Norm, L2Norm,
  // [SECTION] convolution and pooling, tensors [N×C×H×W]
  Conv2d, MaxPool, AvgPool, Pad,
  Conv2dGradInput, Conv2dGradWeight, MaxPoolGrad, AvgPoolGrad, Unpad,
  kCount
};
inline constexpr int kOpCount = static_cast<int>(Op::kCount);
inline constexpr int kAllAxes = 1000;  // OpAttrs::axis value meaning "reduce every axis"

// Parameters of an op that are not tensors. Unused fields keep their defaults.
struct OpAttrs {
  int axis = kAllAxes;     // Sum, Mean
  bool keepdims = false;   // Sum, Mean
  int stride = 1;          // Conv2d, pools
  int padding = 0;         // Conv2d, Pad (zeros on each side of H and W)
  int kernel = 2;          // pools (square window)
  Shape shape;             // Reshape, BroadcastTo, SumTo: target shape; grad ops: the input shape

  friend bool operator==(const OpAttrs&, const OpAttrs&) = default;
};

// Arguments of one rule call: the op's input values, its output value, its attributes.
struct OpArgs {
  const TensorD* const* in;
  int arity;
  const TensorD* out;  // null while computing the forward value
  const OpAttrs* attrs;
  const TensorD& x(int i) const { return *in[i]; }
  const TensorD& y() const { return *out; }
};

// Same, for building adjoint nodes in a graph (the extended-graph reverse mode of seed 004).
struct SymArgs {
  Graph* graph;
  const NodeId* in;
  int arity;
  const NodeId* out;
  const OpAttrs* attrs;
};

struct OpDef {
  Op op;
  const char* name;     // expression-language name ("ln", "matmul"); internal ops have one too
  int min_arity;
  int max_arity;
  bool elementwise;     // scalar rule applied per element with broadcasting
  bool differentiable;  // false: the op's own adjoints are zero (Step, Sign, masks)

  // Text for the traces. Placeholders: {0} {1} {2} inputs, {y} this node, {g} its adjoint.
  const char* formula;                  // "ln {0}", "{0} + {1}", "{0} @ {1}"
  const char* local_derivative[3];      // ∂y/∂x_i for elementwise ops ("1/{0}"), else null
  const char* reverse_rule[3];          // partial adjoint, matrix form: "{g} @ {1}ᵀ"

  // Output shape from input shapes; on mismatch, returns false and writes why into *error
  // ("[4×3] @ [2×2] do not match").
  bool (*infer_shape)(const Shape* in, int arity, const OpAttrs& attrs, Shape* out, std::string* error);
  void (*forward)(const OpArgs& a, TensorD& y);
  // Partial adjoint of input i: gi = vjp_i(g), shaped like input i.
  void (*vjp)(int i, const OpArgs& a, const TensorD& g, TensorD& gi);
  // Tangent of the output from input tangents (null = zero tangent).
  void (*jvp)(const OpArgs& a, const TensorD* const* dx, TensorD& dy);
  // Adjoint node of input i, built from primitive ops in the graph (null: not supported).
  NodeId (*vjp_graph)(int i, const SymArgs& a, NodeId g);
};

const OpDef& op_def(Op op);
// The op whose expression-language name (or alias: log = ln, hadamard = mul) is `name`.
bool op_from_name(std::string_view name, Op* op);
inline const char* op_name(Op op) { return op_def(op).name; }

}  // namespace gs
