// Elementwise ops with NumPy broadcasting. Each op is one rule struct: its value f and its
// partial adjoint `partial(i, g, a, b, y)` = g ∘ ∂y/∂x_i, written once over a generic algebra S:
//   S = double/float  -> the numeric reverse rule (g = v̄y) and tangent rule (g = ẋ_i), and the
//                        training kernels of src/nn;
//   S = Sym           -> adjoint nodes in the extended graph.
// A rule may also read the op's attributes (leaky_relu's slope). The reverse rule of broadcasting
// sums over the broadcast axes. Each op's catalogue entry sits at the end, one per op.
// Depends on sym.h, kernels.h, kernels_packet.h (the float training kernels).
//
// [SECTION] the rules: value and partial adjoint of each op
// [SECTION] rules -> OpDef functions
// [SECTION] the catalogue entries
// [SECTION] the training kernels (float and double)
#include "broadcast.h"
#include "kernels.h"
#include "kernels_packet.h"
#include "op_table.h"
#include "sym.h"

#include <cmath>
#include <iterator>
#include <type_traits>

namespace gs {
namespace {

using scalar::ln;
using scalar::max_mask;
using scalar::maximum;
using scalar::relu;
using scalar::sigmoid;
using scalar::sign;
using scalar::step;
using scalar::pow_exponent_mask;
using scalar::where_nonzero;
using std::abs;
using std::cos;
using std::exp;
using std::pow;
using std::sin;
using std::sqrt;
using std::tanh;

// =================================================================================================
// [SECTION] the rules: value and partial adjoint of each op
// =================================================================================================

struct AddRule {
  template <class S> static S f(S a, S b) { return a + b; }
  template <class S> static S partial(int, S g, S, S, S) { return g; }
};
struct SubRule {
  template <class S> static S f(S a, S b) { return a - b; }
  template <class S> static S partial(int i, S g, S, S, S) { return i == 0 ? g : -g; }
};
struct MulRule {
  template <class S> static S f(S a, S b) { return a * b; }
  template <class S> static S partial(int i, S g, S a, S b, S) { return i == 0 ? g * b : g * a; }
};
struct DivRule {
  template <class S> static S f(S a, S b) { return a / b; }
  // ∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = −a/b² = −y/b
  template <class S> static S partial(int i, S g, S, S b, S y) { return i == 0 ? g / b : -(g * y) / b; }
};
struct PowRule {
  template <class S> static S f(S a, S b) { return pow(a, b); }
  // ∂a^b/∂a = b·a^(b−1), 0 where b = 0 (at a = 0 too: ∂(0^0)/∂a = 0);
  // ∂a^b/∂b = a^b·ln a, 0 where a = 0 and b ≥ 0 (−∞ at a = 0 for b < 0).
  // These are torch's conventions (pow_backward_self, pow_backward_exponent), in every mode:
  // the reverse and tangent rules and, through where_nonzero nodes, the extended graph.
  template <class S> static S partial(int i, S g, S a, S b, S y) {
    if (i == 0) return where_nonzero(b, g * (b * pow(a, b - 1.0)));
    return where_nonzero(pow_exponent_mask(a, b), g * (y * ln(a)));
  }
};
struct MaxRule {
  template <class S> static S f(S a, S b) { return maximum(a, b); }
  template <class S> static S partial(int i, S g, S a, S b, S) { return g * max_mask(a, b, i); }
};
struct MaxMaskRule {  // derivative helper [a > b] + ½[a = b]: piecewise constant, zero adjoint
  template <class S> static S f(S a, S b) { return max_mask(a, b, 0); }
  template <class S> static S partial(int, S g, S, S, S) { return g * 0.0; }
};
struct WhereNonzeroRule {  // x where c ≠ 0, else 0: piecewise constant in c, the mask itself in x
  template <class S> static S f(S c, S x) { return where_nonzero(c, x); }
  template <class S> static S partial(int i, S g, S c, S, S) { return i == 0 ? g * 0.0 : where_nonzero(c, g); }
};

struct NegRule {
  template <class S> static S f(S a) { return -a; }
  template <class S> static S partial(S g, S, S) { return -g; }
};
struct ExpRule {
  template <class S> static S f(S a) { return exp(a); }
  template <class S> static S partial(S g, S, S y) { return g * y; }  // exp' = exp = y
};
struct LnRule {
  template <class S> static S f(S a) { return ln(a); }
  template <class S> static S partial(S g, S a, S) { return g / a; }  // ln' = 1/x
};
struct SinRule {
  template <class S> static S f(S a) { return sin(a); }
  template <class S> static S partial(S g, S a, S) { return g * cos(a); }
};
struct CosRule {
  template <class S> static S f(S a) { return cos(a); }
  template <class S> static S partial(S g, S a, S) { return -(g * sin(a)); }
};
struct TanhRule {
  template <class S> static S f(S a) { return tanh(a); }
  template <class S> static S partial(S g, S, S y) { return g * (1.0 - y * y); }  // tanh' = 1 − y²
};
struct SigmoidRule {
  template <class S> static S f(S a) { return sigmoid(a); }
  template <class S> static S partial(S g, S, S y) { return g * (y * (1.0 - y)); }  // σ' = σ(1 − σ)
};
struct ReluRule {
  template <class S> static S f(S a) { return relu(a); }
  template <class S> static S partial(S g, S a, S) { return g * step(a); }  // relu'(0) = 0
};
struct SqrtRule {
  template <class S> static S f(S a) { return sqrt(a); }
  template <class S> static S partial(S g, S, S y) { return g / (2.0 * y); }  // √' = 1/(2√x)
};
struct AbsRule {
  template <class S> static S f(S a) { return abs(a); }
  template <class S> static S partial(S g, S a, S) { return g * sign(a); }  // |x|' = sign x, 0 at 0
};
// torch.nn.functional.softplus with beta = 1, threshold = 20: ln(1 + eˣ), and x itself above
// the threshold (where the two agree to double precision).
struct SoftplusRule {
  static constexpr double kThreshold = 20;
  template <class S> static S f(S a) { return a > kThreshold ? a : std::log1p(exp(a)); }
  // softplus' = σ(x), and 1 above the threshold: with t = [x > 20], σ·(1 − t) + t is exactly
  // σ(x) or exactly 1 in numbers, and the same function as nodes.
  template <class S> static S partial(S g, S a, S) {
    S t = step(a - kThreshold);
    return g * (sigmoid(a) * (1.0 - t) + t);
  }
};
// torch.nn.functional.leaky_relu: x for x > 0, negative_slope·x otherwise; the derivative at 0
// is the slope, as torch's (x > 0 ? 1 : slope).
struct LeakyReluRule {
  template <class S> static S f(S a, const OpAttrs& at) {
    const double slope = *at.coefficient;
    return a > 0 ? a : static_cast<S>(slope * a);
  }
  // g·[x > 0] + g·slope·[x ≤ 0]: exactly g or g·slope in numbers (no (1 − s) + s rounding).
  template <class S> static S partial(S g, S a, S, const OpAttrs& at) {
    const double slope = *at.coefficient;
    S pos = step(a);
    return g * pos + (g * slope) * (1.0 - pos);
  }
};
struct StepRule {
  template <class S> static S f(S a) { return step(a); }
  template <class S> static S partial(S g, S, S) { return g * 0.0; }
};
struct SignRule {
  template <class S> static S f(S a) { return sign(a); }
  template <class S> static S partial(S g, S, S) { return g * 0.0; }
};

// Calls a unary rule with the attributes when it takes them.
template <class R, class S>
S rule_f(S a, const OpAttrs& at) {
  if constexpr (requires { R::f(a, at); })
    return R::f(a, at);
  else
    return R::f(a);
}
template <class R, class S>
S rule_partial(S g, S a, S y, const OpAttrs& at) {
  if constexpr (requires { R::partial(g, a, y, at); })
    return R::partial(g, a, y, at);
  else
    return R::partial(g, a, y);
}

// =================================================================================================
// [SECTION] rules -> OpDef functions
// =================================================================================================

// Numeric instantiations run in double (`g * 0.0`, `1.0 - y` mix S and double) and store in T.

bool infer_same(const Shape* in, int, const OpAttrs&, Shape* out, std::string*) {
  *out = in[0];
  return true;
}
bool infer_broadcast(const Shape* in, int, const OpAttrs&, Shape* out, std::string* error) {
  if (broadcast_shapes(in[0], in[1], out)) return true;
  *error = in[0].to_string() + " and " + in[1].to_string() + " do not broadcast";
  return false;
}

// `t` shaped `s` for a rule to overwrite every element of: its storage is kept when the shape
// already fits (a graph evaluated again, a scalar graph rebuilt every step: no tensor made per
// node), unless t is one of the rule's operands, which the rule still reads.
void fit_output(TensorD& t, const Shape& s, const OpArgs& a, const TensorD* g = nullptr) {
  bool operand = &t == g || (a.out && &t == a.out);
  for (int i = 0; i < a.arity; ++i) operand = operand || &t == a.in[i];
  if (operand || t.shape() != s) t = TensorD::uninitialized(s);
}

template <class R>
void unary_forward(const OpArgs& a, TensorD& y) {
  const TensorD& x = a.x(0);
  fit_output(y, x.shape(), a);
  for (Index k = 0; k < x.size(); ++k) y[k] = rule_f<R>(x[k], *a.attrs);
}
template <class R>
void unary_vjp(int, const OpArgs& a, const TensorD& g, TensorD& gi) {
  const TensorD &x = a.x(0), &y = a.y();
  fit_output(gi, x.shape(), a, &g);
  for (Index k = 0; k < x.size(); ++k) gi[k] = rule_partial<R>(g[k], x[k], y[k], *a.attrs);
}
template <class R>
void unary_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) {
  const TensorD &x = a.x(0), &y = a.y();
  dy = TensorD(y.shape());
  if (!dx[0]) return;
  for (Index k = 0; k < x.size(); ++k) dy[k] = rule_partial<R>((*dx[0])[k], x[k], y[k], *a.attrs);
}
template <class R>
NodeId unary_vjp_graph(int, const SymArgs& a, NodeId g) {
  Sym G{a.graph, g}, X{a.graph, a.in[0]}, Y{a.graph, *a.out};
  return rule_partial<R>(G, X, Y, *a.attrs).id;
}

// The rules the float training kernels run over whole SIMD registers (kernels_packet.h): the
// layers' activations. In float throughout, as torch's float kernels; every element through the
// same packet code, so a value never depends on its place in the tensor.
template <class R>
constexpr bool kPacketRule = std::is_same_v<R, TanhRule> || std::is_same_v<R, SigmoidRule> || std::is_same_v<R, ReluRule>;

// The same rule on whole float or double tensors, for src/nn's layers. The output keeps its
// storage when its shape already fits (a layer calls this every step).
template <class R, class T>
void unary_kernel_forward(const Tensor<T>& x, Tensor<T>& y, const OpAttrs& at) {
  if (&x != &y && y.shape() != x.shape()) y = Tensor<T>::uninitialized(x.shape());
  const T* xp = x.data();
  T* yp = y.data();
  if constexpr (std::is_same_v<T, float> && kPacketRule<R>) {
    packet::map(xp, yp, x.size(), [](packet::PacketF a) { return R::f(a); });
  } else {
    for (Index k = 0, n = x.size(); k < n; ++k) yp[k] = static_cast<T>(rule_f<R>(xp[k], at));
  }
}
template <class R, class T>
void unary_kernel_backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>& gx,
                           const OpAttrs& at) {
  if (&gx != &gy && gx.shape() != x.shape()) gx = Tensor<T>::uninitialized(x.shape());
  const T *xp = x.data(), *yp = y.data(), *gp = gy.data();
  T* out = gx.data();
  if constexpr (std::is_same_v<T, float> && kPacketRule<R>) {
    packet::map3(gp, xp, yp, out, x.size(),
                 [](packet::PacketF g, packet::PacketF a, packet::PacketF v) { return R::partial(g, a, v); });
  } else {
    for (Index k = 0, n = x.size(); k < n; ++k) out[k] = static_cast<T>(rule_partial<R>(gp[k], xp[k], yp[k], at));
  }
}

template <class R>
void binary_forward(const OpArgs& a, TensorD& y) {
  const TensorD &x0 = a.x(0), &x1 = a.x(1);
  Shape s;
  broadcast_shapes(x0.shape(), x1.shape(), &s);
  fit_output(y, s, a);
  for_each_broadcast(s, x0.shape(), x1.shape(), [&](Index k, Index i0, Index i1) { y[k] = R::f(x0[i0], x1[i1]); });
}
template <class R>
void binary_vjp(int i, const OpArgs& a, const TensorD& g, TensorD& gi) {
  const TensorD &x0 = a.x(0), &x1 = a.x(1), &y = a.y();
  if (y.size() == 1 && x0.size() == 1 && x1.size() == 1) {  // scalar graphs: no index plumbing
    const double v = R::partial(i, g[0], x0[0], x1[0], y[0]);
    fit_output(gi, a.x(i).shape(), a, &g);
    gi[0] = v;
    return;
  }
  gi = TensorD(a.x(i).shape());
  // Accumulating into gi sums over the broadcast axes: the reverse rule of broadcasting.
  for_each_broadcast(y.shape(), x0.shape(), x1.shape(), [&](Index k, Index i0, Index i1) {
    gi[i == 0 ? i0 : i1] += R::partial(i, g[k], x0[i0], x1[i1], y[k]);
  });
}
template <class R>
void binary_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) {
  const TensorD &x0 = a.x(0), &x1 = a.x(1), &y = a.y();
  dy = TensorD(y.shape());
  for (int i = 0; i < 2; ++i) {
    if (!dx[i]) continue;
    const TensorD& t = *dx[i];
    for_each_broadcast(y.shape(), x0.shape(), x1.shape(), [&](Index k, Index i0, Index i1) {
      dy[k] += R::partial(i, t[i == 0 ? i0 : i1], x0[i0], x1[i1], y[k]);
    });
  }
}
template <class R>
NodeId binary_vjp_graph(int i, const SymArgs& a, NodeId g) {
  Sym G{a.graph, g}, X0{a.graph, a.in[0]}, X1{a.graph, a.in[1]}, Y{a.graph, *a.out};
  Sym gi = R::partial(i, G, X0, X1, Y);
  const Shape target = (i == 0 ? X0 : X1).shape();
  // A partial may come out broadcast to the output's shape: sum it back to the input's shape.
  return sum_to(broadcast_to(gi, Y.shape()), target).id;
}

// An elementwise entry: name, category, formula and ∂y/∂x_i texts; the rules come from R.
// Differentiable unless it has no local derivative (the piecewise-constant helpers).
template <class R>
constexpr OpDef unary(Op op, const char* name, OpCategory category, const char* formula, const char* local) {
  OpDef d = make_op_def(op, name, category, formula, infer_same, unary_forward<R>, unary_vjp<R>, unary_jvp<R>,
                        unary_vjp_graph<R>);
  d.arg_names = {"x", nullptr, nullptr};
  d.elementwise = true;
  d.differentiable = local != nullptr;
  d.local_derivative = {local, nullptr, nullptr};
  d.unary = {unary_kernel_forward<R, float>, unary_kernel_backward<R, float>, unary_kernel_forward<R, double>,
             unary_kernel_backward<R, double>};
  return d;
}
template <class R>
constexpr OpDef binary(Op op, const char* name, OpCategory category, const char* formula, const char* local0,
                       const char* local1) {
  OpDef d = make_op_def(op, name, category, formula, infer_broadcast, binary_forward<R>, binary_vjp<R>,
                        binary_jvp<R>, binary_vjp_graph<R>);
  d.min_arity = d.max_arity = 2;
  d.arg_names = {"a", "b", nullptr};
  d.elementwise = true;
  d.differentiable = local0 != nullptr;
  d.local_derivative = {local0, local1, nullptr};
  return d;
}

// Why a value is NaN or infinite when the inputs are finite.
bool any_of(const TensorD& t, bool (*pred)(double)) {
  for (double v : t)
    if (pred(v)) return true;
  return false;
}
const char* ln_reason(const TensorD* const* in, int) {
  return any_of(*in[0], [](double v) { return v < 0; }) ? "ln of a negative number is undefined" : "ln 0 = −∞";
}
const char* div_reason(const TensorD* const* in, int) {
  return any_of(*in[1], [](double v) { return v == 0; }) ? "division by zero" : "the quotient overflowed";
}
const char* sqrt_reason(const TensorD* const*, int) { return "square root of a negative number"; }
const char* exp_reason(const TensorD* const*, int) { return "exp overflowed (the argument is above ~709)"; }
const char* pow_reason(const TensorD* const*, int) {
  return "the power is undefined here (a negative base with a fractional exponent, or 0 to a negative power) or "
         "overflowed";
}

// leaky_relu's keyword: any finite slope (torch accepts negative and > 1 slopes too).
constexpr OpKeyword kNegativeSlope{"negative_slope", AttrSlot::Coefficient, 0.01, "0.01", false,
                                   -1e300, 1e300, "a finite number"};

// =================================================================================================
// [SECTION] the catalogue entries
// =================================================================================================

using C = OpCategory;
constexpr OpDef kOps[] = {
    binary<AddRule>(Op::Add, "add", C::Arithmetic, "{0} + {1}", "1", "1"),
    binary<SubRule>(Op::Sub, "sub", C::Arithmetic, "{0} − {1}", "1", "−1"),
    with_aliases(binary<MulRule>(Op::Mul, "mul", C::Arithmetic, "{0}·{1}", "{1}", "{0}"), "hadamard"),
    with_reason(binary<DivRule>(Op::Div, "div", C::Arithmetic, "{0} / {1}", "1/{1}", "−{0}/{1}²"), div_reason),
    with_reason(binary<PowRule>(Op::Pow, "pow", C::Arithmetic, "{0}^{1}", "{1}·{0}^({1} − 1)", "{y}·ln {0}"),
                pow_reason),
    with_aliases(binary<MaxRule>(Op::Max, "max", C::Arithmetic, "max({0}, {1})", "[{0} ≥ {1}]", "[{1} ≥ {0}]"),
                 "maximum"),
    unary<NegRule>(Op::Neg, "neg", C::Arithmetic, "−{0}", "−1"),
    with_reason(unary<ExpRule>(Op::Exp, "exp", C::Function, "exp {0}", "exp {0}"), exp_reason),
    with_reason(with_aliases(unary<LnRule>(Op::Ln, "ln", C::Function, "ln {0}", "1/{0}"), "log"), ln_reason),
    unary<SinRule>(Op::Sin, "sin", C::Function, "sin {0}", "cos {0}"),
    unary<CosRule>(Op::Cos, "cos", C::Function, "cos {0}", "−sin {0}"),
    unary<TanhRule>(Op::Tanh, "tanh", C::Function, "tanh {0}", "1 − {y}²"),
    unary<SigmoidRule>(Op::Sigmoid, "sigmoid", C::Function, "σ({0})", "{y}·(1 − {y})"),
    unary<ReluRule>(Op::Relu, "relu", C::Function, "relu {0}", "[{0} > 0]"),
    with_reason(unary<SqrtRule>(Op::Sqrt, "sqrt", C::Function, "√{0}", "1/(2·{y})"), sqrt_reason),
    unary<AbsRule>(Op::Abs, "abs", C::Function, "|{0}|", "sign {0}"),
    unary<SoftplusRule>(Op::Softplus, "softplus", C::Function, "softplus {0}", "σ({0})"),
    with_keywords(unary<LeakyReluRule>(Op::LeakyRelu, "leaky_relu", C::Function, "leaky_relu {0}",
                                       "[{0} > 0] + {negative_slope}·[{0} ≤ 0]"),
                  kNegativeSlope),
    unary<StepRule>(Op::Step, "step", C::Internal, "[{0} > 0]", nullptr),
    unary<SignRule>(Op::Sign, "sign", C::Internal, "sign {0}", nullptr),
    binary<MaxMaskRule>(Op::MaxMask, "max_mask", C::Internal, "[{0} ≥ {1}]", nullptr, nullptr),
    binary<WhereNonzeroRule>(Op::WhereNonzero, "where_nonzero", C::Internal, "({0} ≠ 0 ? {1} : 0)", "0",
                             "[{0} ≠ 0]"),
};
static_assert(std::size(kOps) == op_count_between(kFirstElementwiseOp, kFirstTensorOp),
              "every op of the elementwise section of the Op enum needs exactly one entry here");

}  // namespace

std::span<const OpDef> elementwise_ops() { return kOps; }

// =================================================================================================
// [SECTION] the training kernels (float and double)
// =================================================================================================

namespace kernels {
namespace {
const UnaryKernels& unary_kernels(Op op) {
  const OpDef& d = op_def(op);
  if (!d.unary.forward_f32) throw std::invalid_argument(std::string("not a unary elementwise op: ") + d.name);
  return d.unary;
}
}  // namespace

template <class T>
void unary_forward(Op op, const Tensor<T>& x, Tensor<T>& y) {
  const UnaryKernels& k = unary_kernels(op);
  if constexpr (std::is_same_v<T, float>)
    k.forward_f32(x, y, default_attrs(op));
  else
    k.forward_f64(x, y, default_attrs(op));
}
template <class T>
void unary_backward(Op op, const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>& gx) {
  const UnaryKernels& k = unary_kernels(op);
  if constexpr (std::is_same_v<T, float>)
    k.backward_f32(x, y, gy, gx, default_attrs(op));
  else
    k.backward_f64(x, y, gy, gx, default_attrs(op));
}
template void unary_forward<float>(Op, const TensorF&, TensorF&);
template void unary_forward<double>(Op, const TensorD&, TensorD&);
template void unary_backward<float>(Op, const TensorF&, const TensorF&, const TensorF&, TensorF&);
template void unary_backward<double>(Op, const TensorD&, const TensorD&, const TensorD&, TensorD&);
}  // namespace kernels

}  // namespace gs
