// The op catalogue: every operation the graph knows, with its forward rule, reverse rule (VJP),
// tangent rule (JVP), symbolic reverse rule (adjoint nodes for the extended graph), and what the
// front ends show and accept — its names, category, arguments with their keyword defaults, formula
// texts, why it may give NaN — all defined together in one OpDef per op (src/engine/ops_*.cpp).
// The parser, the file reader, the traces and the views read this table; none keeps a list of
// its own. Depends on tensor.h only; no GUI, no printing.
#pragma once

#include "tensor.h"

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <span>
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

// The op's name in C++ code. Each family file (ops_*.cpp) defines the ops of its section, in
// this order, and checks with a static_assert that it defines exactly as many as its section
// holds; adding an op is one line here and one entry (with its rules) in its family's file.
enum class Op : std::uint8_t {
  // [SECTION] elementwise, NumPy broadcasting (ops_elementwise.cpp)
  Add, Sub, Mul, Div, Pow, Max,
  Neg, Exp, Ln, Sin, Cos, Tanh, Sigmoid, Relu, Sqrt, Abs, Softplus, LeakyRelu,
  // derivative helpers: they appear in extended (gradient) graphs; piecewise constant
  Step, Sign, MaxMask, WhereNonzero,
  // [SECTION] shapes, reductions and the matrix product (ops_tensor.cpp)
  Sum, Mean, Reshape, Flatten, Transpose, BroadcastTo, SumTo, MatMul,
  // [SECTION] softmax, losses and norms (ops_loss.cpp)
  Softmax, LogSoftmax, CrossEntropy, Mse, Hinge, L1Norm, L2Norm,
  // [SECTION] convolution and pooling, tensors [N×C×H×W] (ops_conv.cpp)
  Conv2d, MaxPool, AvgPool, Pad,
  Conv2dGradInput, Conv2dGradWeight, MaxPoolGrad, AvgPoolGrad, Unpad,
  kCount
};
inline constexpr int kOpCount = static_cast<int>(Op::kCount);
// The first op of each family's section: the families count their entries against these.
inline constexpr Op kFirstElementwiseOp = Op::Add;
inline constexpr Op kFirstTensorOp = Op::Sum;
inline constexpr Op kFirstLossOp = Op::Softmax;
inline constexpr Op kFirstConvOp = Op::Conv2d;
constexpr int op_count_between(Op first, Op end) { return static_cast<int>(end) - static_cast<int>(first); }

inline constexpr int kAllAxes = 1000;  // OpAttrs::axis value meaning "reduce every axis"

// Parameters of an op that are not tensors. Unused fields keep their defaults.
struct OpAttrs {
  int axis = kAllAxes;     // Sum, Mean
  bool keepdims = false;   // Sum, Mean
  int stride = 1;          // Conv2d, pools
  int padding = 0;         // Conv2d, Pad (zeros on each side of H and W)
  int kernel = 2;          // pools (square window)
  bool ceil_mode = false;  // pools: the output size rounds up (torch's ceil_mode)
  bool count_include_pad = true;  // avgpool: padded places count in the divisor
  Shape shape;             // Reshape, BroadcastTo, SumTo: target shape; grad ops: the input shape
  // A real parameter named by the op's keyword (leaky_relu's negative_slope). Unset means the
  // keyword's default; Graph::op fills it in, so a node's attributes are always complete.
  std::optional<double> coefficient;

  friend bool operator==(const OpAttrs&, const OpAttrs&) = default;
};

// Where a keyword argument is stored in OpAttrs.
enum class AttrSlot : std::uint8_t { None, Axis, Keepdims, Stride, Padding, Kernel, CeilMode, CountIncludePad, Coefficient };

// A numeric argument of a call (`sum(x, axis=1)`, `conv2d(x, W, stride=2)`): given by position
// after the tensors, or by name. Integer slots take whole numbers only.
struct OpKeyword {
  const char* name = nullptr;        // "axis"; null: no keyword
  AttrSlot slot = AttrSlot::None;
  double default_value = 0;          // when the call does not give it
  const char* default_text = nullptr;  // usage shows "stride=1"; null shows "[, axis]"
  bool required = false;             // pad's padding
  double min = 0, max = 0;           // accepted values, inclusive
  const char* range_text = "";       // "at least 1": "stride must be at least 1, got 0"
  AttrSlot default_from = AttrSlot::None;  // a pool's stride defaults to its kernel
  const char* alias = nullptr;       // torch's spelling where it differs: "keepdim"
  // A switch: given as true/false (or 1/0) in calls, as a JSON boolean in graph files.
  bool boolean = false;
};
inline constexpr int kMaxKeywords = 5;  // avgpool: kernel, stride, padding, ceil_mode, count_include_pad

// Where an op belongs in palettes and help texts.
enum class OpCategory : std::uint8_t {
  Arithmetic,   // + − · / ^, max: written as operators or called by name
  Function,     // elementwise functions: exp, ln, sin, …, relu, softplus
  Matrix,       // matrix product, transpose, reductions, reshapes, softmax
  Loss,         // losses and norms
  Convolution,  // conv2d, pooling, padding on [N×C×H×W]
  Internal,     // only in extended (gradient) graphs and files: masks, sum_to, gradient ops
};
const char* category_name(OpCategory c);  // "arithmetic", "function", …

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

// Elementwise unary ops only: the same rule on float and double tensors, for src/nn's layers
// (kernels::unary_forward/backward dispatch through these). y may alias x, gx may alias gy.
struct UnaryKernels {
  void (*forward_f32)(const TensorF& x, TensorF& y, const OpAttrs& at) = nullptr;
  void (*backward_f32)(const TensorF& x, const TensorF& y, const TensorF& gy, TensorF& gx, const OpAttrs& at) = nullptr;
  void (*forward_f64)(const TensorD& x, TensorD& y, const OpAttrs& at) = nullptr;
  void (*backward_f64)(const TensorD& x, const TensorD& y, const TensorD& gy, TensorD& gx, const OpAttrs& at) = nullptr;
};

struct OpDef {
  Op op = Op::kCount;
  const char* name = nullptr;        // expression-language and file name ("ln", "matmul")
  std::array<const char*, 2> aliases{};  // other names accepted for it ("log" for ln)
  OpCategory category = OpCategory::Internal;

  // [SECTION] signature: `conv2d(x, W[, b], stride=1, padding=0)`
  int min_arity = 1;
  int max_arity = 1;
  std::array<const char*, 3> arg_names{};  // the tensor arguments ("x", "W", "b")
  std::array<OpKeyword, kMaxKeywords> keywords{};
  bool sizes = false;  // reshape: the numbers after the tensor are the new sizes (one may be −1)

  bool elementwise = false;    // scalar rule applied per element with broadcasting
  bool differentiable = true;  // false: the op's own adjoints are zero (Step, Sign, masks)

  // [SECTION] text for the traces. Placeholders: {0} {1} {2} inputs, {y} this node, {g} its
  // adjoint, {KEYWORD} a keyword's value ({negative_slope}).
  const char* formula = nullptr;                 // "ln {0}", "{0} + {1}", "{0} @ {1}"
  std::array<const char*, 3> local_derivative{};  // ∂y/∂x_i for elementwise ops ("1/{0}"), else null
  std::array<const char*, 3> reverse_rule{};      // partial adjoint, matrix form: "{g} @ {1}ᵀ"
  // Why the value is NaN or infinite when its inputs are finite ("ln of a negative number"); null
  // for the generic reason.
  const char* (*non_finite_reason)(const TensorD* const* in, int arity) = nullptr;

  // [SECTION] rules
  // Output shape from input shapes; on mismatch, returns false and writes why into *error
  // ("[4×3] @ [2×2] do not match").
  bool (*infer_shape)(const Shape* in, int arity, const OpAttrs& attrs, Shape* out, std::string* error) = nullptr;
  void (*forward)(const OpArgs& a, TensorD& y) = nullptr;
  // Partial adjoint of input i: gi = vjp_i(g), shaped like input i.
  void (*vjp)(int i, const OpArgs& a, const TensorD& g, TensorD& gi) = nullptr;
  // Tangent of the output from input tangents (null = zero tangent).
  void (*jvp)(const OpArgs& a, const TensorD* const* dx, TensorD& dy) = nullptr;
  // Adjoint node of input i, built from primitive ops in the graph (null: not supported).
  NodeId (*vjp_graph)(int i, const SymArgs& a, NodeId g) = nullptr;
  UnaryKernels unary;  // set for elementwise unary ops

  bool callable() const { return category != OpCategory::Internal; }
  int keyword_count() const {
    int n = 0;
    while (n < kMaxKeywords && keywords[static_cast<std::size_t>(n)].name) ++n;
    return n;
  }
};

const OpDef& op_def(Op op);
// Every op, in enum order.
std::span<const OpDef> op_catalogue();
// The op whose name or alias is `name` (every op, internal ones too: graph files name them).
bool op_from_name(std::string_view name, Op* op);
inline const char* op_name(Op op) { return op_def(op).name; }

// The attributes a call with no numeric arguments gets: each keyword's default (a pool's stride
// = its kernel). Palettes use them for new nodes.
OpAttrs default_attrs(Op op);
// attrs with every unset keyword value (the coefficient) given its default.
OpAttrs complete_attrs(Op op, OpAttrs attrs);
// How a call reads, from the signature: "conv2d(x, W[, b], stride=1, padding=0)". `name` picks
// an alias ("log(x)"); empty means the op's own name.
std::string op_usage(const OpDef& d, std::string_view name = {});
// "1 input", "2 inputs", "2 to 3 inputs", for arity messages of graph building and files.
std::string arity_text(const OpDef& d);

// The value of a keyword's slot in attrs, and setting it (the coefficient as given).
double attr_value(const OpAttrs& attrs, AttrSlot slot);
void set_attr_value(OpAttrs* attrs, AttrSlot slot, double v);
// "" when `v` is an acceptable value of the keyword, else the problem in words without the
// place: "axis must be a whole number, got 1.5", "stride must be at least 1, got 0".
std::string check_keyword_value(const OpKeyword& k, double v);

}  // namespace gs
