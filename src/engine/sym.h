// Internal to src/engine. Two algebras with the same spelling, so that each elementwise
// derivative is written once (ops_elementwise.cpp) and serves both modes:
//   - numbers (double, float): the numeric reverse and tangent rules;
//   - Sym (a node of a Graph): the extended-graph reverse mode, where writing `g * cos(a)` adds
//     a Cos node and a Mul node (seed 004: "adjoints as new graph nodes").
#pragma once

#include "graph.h"

#include <cmath>

namespace gs {

// [SECTION] scalar functions not in <cmath>, with PyTorch's values at the kinks

namespace scalar {
template <class T> inline T ln(T x) { return std::log(x); }
template <class T> inline T sigmoid(T x) {
  // Stable on both sides: never exp of a large positive number.
  if (x >= 0) return T(1) / (T(1) + std::exp(-x));
  T e = std::exp(x);
  return e / (T(1) + e);
}
template <class T> inline T relu(T x) { return x > 0 ? x : (x == x ? T(0) : x); }  // NaN stays NaN
template <class T> inline T step(T x) { return x > 0 ? T(1) : T(0); }                // relu'(0) = 0
template <class T> inline T sign(T x) { return x > 0 ? T(1) : (x < 0 ? T(-1) : T(0)); }
template <class T> inline T maximum(T a, T b) {
  if (a != a || b != b) return a + b;  // NaN wins, as torch.maximum
  return a > b ? a : b;
}
// d max(a, b) / d(a or b): ties split the gradient in halves, as torch.maximum does.
template <class T> inline T max_mask(T a, T b, int which) {
  T first = which == 0 ? a : b, second = which == 0 ? b : a;
  return first > second ? T(1) : (first == second ? T(0.5) : T(0));
}
// x where c ≠ 0, else 0 (torch.where(c == 0, 0, x)): how torch's derivatives of pow leave out the
// 0·∞ of their formulas at 0^0 (pow_backward_self, pow_backward_exponent in PyTorch's
// FunctionsManual.cpp). A NaN c keeps x.
template <class T> inline T where_nonzero(T c, T x) { return c == 0 ? T(0) : x; }
// Nonzero unless a = 0 and b ≥ 0: where torch's ∂(a^b)/∂b = a^b·ln a is taken as 0.
template <class T> inline T pow_exponent_mask(T a, T b) { return std::abs(a) + step(-b); }
}  // namespace scalar

// [SECTION] Sym: a node under construction

struct Sym {
  Graph* g;
  NodeId id;
  // A copy: every operator adds nodes, which may move the graph's node storage.
  Shape shape() const { return g->node(id).shape; }
};

inline Sym make_op(Op op, Sym a) { return {a.g, a.g->op(op, {a.id})}; }
inline Sym make_op(Op op, Sym a, Sym b, const OpAttrs& at = {}) { return {a.g, a.g->op(op, {a.id, b.id}, at)}; }
inline Sym make_op1(Op op, Sym a, const OpAttrs& at) { return {a.g, a.g->op(op, {a.id}, at)}; }
inline Sym constant(Graph* g, double v) { return {g, g->constant(TensorD::scalar(v))}; }

inline Sym operator+(Sym a, Sym b) { return make_op(Op::Add, a, b); }
inline Sym operator-(Sym a, Sym b) { return make_op(Op::Sub, a, b); }
inline Sym operator*(Sym a, Sym b) { return make_op(Op::Mul, a, b); }
inline Sym operator/(Sym a, Sym b) { return make_op(Op::Div, a, b); }
inline Sym operator-(Sym a) { return make_op(Op::Neg, a); }
inline Sym operator+(Sym a, double b) { return a + constant(a.g, b); }
inline Sym operator-(Sym a, double b) { return a - constant(a.g, b); }
inline Sym operator-(double a, Sym b) { return constant(b.g, a) - b; }
inline Sym operator*(double a, Sym b) { return constant(b.g, a) * b; }
inline Sym operator*(Sym a, double b) { return a * constant(a.g, b); }
inline Sym operator/(double a, Sym b) { return constant(b.g, a) / b; }
inline Sym operator/(Sym a, double b) { return a / constant(a.g, b); }

inline Sym exp(Sym a) { return make_op(Op::Exp, a); }
inline Sym ln(Sym a) { return make_op(Op::Ln, a); }
inline Sym sin(Sym a) { return make_op(Op::Sin, a); }
inline Sym cos(Sym a) { return make_op(Op::Cos, a); }
inline Sym tanh(Sym a) { return make_op(Op::Tanh, a); }
inline Sym sigmoid(Sym a) { return make_op(Op::Sigmoid, a); }
inline Sym sqrt(Sym a) { return make_op(Op::Sqrt, a); }
inline Sym abs(Sym a) { return make_op(Op::Abs, a); }
inline Sym relu(Sym a) { return make_op(Op::Relu, a); }
inline Sym step(Sym a) { return make_op(Op::Step, a); }
inline Sym sign(Sym a) { return make_op(Op::Sign, a); }
inline Sym pow(Sym a, Sym b) { return make_op(Op::Pow, a, b); }
inline Sym maximum(Sym a, Sym b) { return make_op(Op::Max, a, b); }
// The MaxMask op is the mask of its first operand; the second operand's mask swaps them.
inline Sym max_mask(Sym a, Sym b, int which) { return which == 0 ? make_op(Op::MaxMask, a, b) : make_op(Op::MaxMask, b, a); }
// Constants fold: a mask with no zero is x itself, one of zeros only is 0, so that the extended
// graph of x^2 or 2^x holds no mask node (nor the 0·∞ a mask exists to leave out).
namespace detail {
enum class Zeros { None, All, Some };
inline Zeros constant_zeros(Sym c) {
  if (c.g->node(c.id).kind != NodeKind::Constant) return Zeros::Some;
  bool any = false, all = true;
  for (double v : c.g->constant_value(c.id)) {
    any = any || v == 0;
    all = all && v == 0;
  }
  return all ? Zeros::All : any ? Zeros::Some : Zeros::None;
}
}  // namespace detail
inline Sym where_nonzero(Sym c, Sym x) {
  switch (detail::constant_zeros(c)) {
    case detail::Zeros::None: return x;
    case detail::Zeros::All: {
      Shape s;
      broadcast_shapes(c.shape(), x.shape(), &s);
      return {x.g, x.g->constant(TensorD(s))};
    }
    case detail::Zeros::Some: break;
  }
  return make_op(Op::WhereNonzero, c, x);
}
inline Sym pow_exponent_mask(Sym a, Sym b) {
  if (detail::constant_zeros(a) == detail::Zeros::None) return constant(a.g, 1.0);
  return abs(a) + step(-b);
}

// Shape plumbing for adjoints: the reverse rule of broadcasting is a sum over the broadcast axes.
inline Sym sum_to(Sym a, const Shape& s) {
  if (a.shape() == s) return a;
  OpAttrs at;
  at.shape = s;
  return make_op1(Op::SumTo, a, at);
}
inline Sym broadcast_to(Sym a, const Shape& s) {
  if (a.shape() == s) return a;
  OpAttrs at;
  at.shape = s;
  return make_op1(Op::BroadcastTo, a, at);
}
inline Sym reshape(Sym a, const Shape& s) {
  if (a.shape() == s) return a;
  OpAttrs at;
  at.shape = s;
  return make_op1(Op::Reshape, a, at);
}
inline Sym transpose(Sym a) { return make_op(Op::Transpose, a); }
inline Sym matmul(Sym a, Sym b) { return make_op(Op::MatMul, a, b); }
inline Sym sum(Sym a, int axis = kAllAxes, bool keepdims = false) {
  OpAttrs at;
  at.axis = axis;
  at.keepdims = keepdims;
  return make_op1(Op::Sum, a, at);
}

}  // namespace gs
