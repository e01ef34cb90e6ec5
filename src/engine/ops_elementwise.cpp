// Elementwise ops with NumPy broadcasting. Each op is one rule struct: its value f and its
// partial adjoint `partial(i, g, a, b, y)` = g ∘ ∂y/∂x_i, written once over a generic algebra S:
//   S = double/float  -> the numeric reverse rule (g = v̄y) and tangent rule (g = ẋ_i);
//   S = Sym           -> adjoint nodes in the extended graph.
// The reverse rule of broadcasting sums over the broadcast axes. Depends on sym.h, kernels.h.
#include "broadcast.h"
#include "kernels.h"
#include "op_table.h"
#include "sym.h"

#include <cmath>

namespace gs {
namespace {

using scalar::ln;
using scalar::max_mask;
using scalar::maximum;
using scalar::relu;
using scalar::sigmoid;
using scalar::sign;
using scalar::step;
using scalar::xlogy;
using std::abs;
using std::cos;
using std::exp;
using std::pow;
using std::sin;
using std::sqrt;
using std::tanh;

// [SECTION] the rules: value and partial adjoint of each op

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
  // ∂a^b/∂a = b·a^(b−1), ∂a^b/∂b = a^b·ln a (0 where a^b = 0, as PyTorch)
  template <class S> static S partial(int i, S g, S a, S b, S y) {
    return i == 0 ? g * (b * pow(a, b - 1.0)) : g * xlogy(y, a);
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
struct XlogyRule {
  template <class S> static S f(S a, S b) { return xlogy(a, b); }
  // ∂(x ln y)/∂x = ln y, ∂(x ln y)/∂y = x/y
  template <class S> static S partial(int i, S g, S a, S b, S) { return i == 0 ? g * ln(b) : g * a / b; }
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
struct StepRule {
  template <class S> static S f(S a) { return step(a); }
  template <class S> static S partial(S g, S, S) { return g * 0.0; }
};
struct SignRule {
  template <class S> static S f(S a) { return sign(a); }
  template <class S> static S partial(S g, S, S) { return g * 0.0; }
};

// Plain numbers for the numeric instantiations (S = double or float): `g * 0.0`, `1.0 - y` etc.
// mix T and double, so run the rules in double and store in T.

bool infer_same(const Shape* in, int, const OpAttrs&, Shape* out, std::string*) {
  *out = in[0];
  return true;
}
bool infer_broadcast(const Shape* in, int, const OpAttrs&, Shape* out, std::string* error) {
  if (broadcast_shapes(in[0], in[1], out)) return true;
  *error = in[0].to_string() + " and " + in[1].to_string() + " do not broadcast";
  return false;
}

// [SECTION] rules -> OpDef functions

template <class R>
void unary_forward(const OpArgs& a, TensorD& y) {
  const TensorD& x = a.x(0);
  y = TensorD::uninitialized(x.shape());
  for (Index k = 0; k < x.size(); ++k) y[k] = R::f(x[k]);
}
template <class R>
void unary_vjp(int, const OpArgs& a, const TensorD& g, TensorD& gi) {
  const TensorD &x = a.x(0), &y = a.y();
  gi = TensorD::uninitialized(x.shape());
  for (Index k = 0; k < x.size(); ++k) gi[k] = R::partial(g[k], x[k], y[k]);
}
template <class R>
void unary_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) {
  const TensorD &x = a.x(0), &y = a.y();
  dy = TensorD(y.shape());
  if (!dx[0]) return;
  for (Index k = 0; k < x.size(); ++k) dy[k] = R::partial((*dx[0])[k], x[k], y[k]);
}
template <class R>
NodeId unary_vjp_graph(int, const SymArgs& a, NodeId g) {
  Sym G{a.graph, g}, X{a.graph, a.in[0]}, Y{a.graph, *a.out};
  return R::partial(G, X, Y).id;
}

template <class R>
void binary_forward(const OpArgs& a, TensorD& y) {
  const TensorD &x0 = a.x(0), &x1 = a.x(1);
  Shape s;
  broadcast_shapes(x0.shape(), x1.shape(), &s);
  y = TensorD::uninitialized(s);
  for_each_broadcast(s, x0.shape(), x1.shape(), [&](Index k, Index i0, Index i1) { y[k] = R::f(x0[i0], x1[i1]); });
}
template <class R>
void binary_vjp(int i, const OpArgs& a, const TensorD& g, TensorD& gi) {
  const TensorD &x0 = a.x(0), &x1 = a.x(1), &y = a.y();
  if (y.size() == 1 && x0.size() == 1 && x1.size() == 1) {  // scalar graphs: no index plumbing
    gi = TensorD(a.x(i).shape(), R::partial(i, g[0], x0[0], x1[0], y[0]));
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

template <class R>
OpDef unary(Op op, const char* name, const char* formula, const char* local, bool differentiable = true) {
  OpDef d{};
  d.op = op;
  d.name = name;
  d.min_arity = d.max_arity = 1;
  d.elementwise = true;
  d.differentiable = differentiable;
  d.formula = formula;
  d.local_derivative[0] = local;
  d.infer_shape = infer_same;
  d.forward = unary_forward<R>;
  d.vjp = unary_vjp<R>;
  d.jvp = unary_jvp<R>;
  d.vjp_graph = unary_vjp_graph<R>;
  return d;
}
template <class R>
OpDef binary(Op op, const char* name, const char* formula, const char* local0, const char* local1,
             bool differentiable = true) {
  OpDef d{};
  d.op = op;
  d.name = name;
  d.min_arity = d.max_arity = 2;
  d.elementwise = true;
  d.differentiable = differentiable;
  d.formula = formula;
  d.local_derivative[0] = local0;
  d.local_derivative[1] = local1;
  d.infer_shape = infer_broadcast;
  d.forward = binary_forward<R>;
  d.vjp = binary_vjp<R>;
  d.jvp = binary_jvp<R>;
  d.vjp_graph = binary_vjp_graph<R>;
  return d;
}

}  // namespace

void add_elementwise_ops(OpDef* table) {
  auto put = [&](const OpDef& d) { table[static_cast<int>(d.op)] = d; };
  put(binary<AddRule>(Op::Add, "add", "{0} + {1}", "1", "1"));
  put(binary<SubRule>(Op::Sub, "sub", "{0} − {1}", "1", "−1"));
  put(binary<MulRule>(Op::Mul, "mul", "{0}·{1}", "{1}", "{0}"));
  put(binary<DivRule>(Op::Div, "div", "{0} / {1}", "1/{1}", "−{0}/{1}²"));
  put(binary<PowRule>(Op::Pow, "pow", "{0}^{1}", "{1}·{0}^({1} − 1)", "{y}·ln {0}"));
  put(binary<MaxRule>(Op::Max, "max", "max({0}, {1})", "[{0} ≥ {1}]", "[{1} ≥ {0}]"));
  put(binary<MaxMaskRule>(Op::MaxMask, "max_mask", "[{0} ≥ {1}]", nullptr, nullptr, false));
  put(binary<XlogyRule>(Op::Xlogy, "xlogy", "{0}·ln {1}", "ln {1}", "{0}/{1}"));
  put(unary<NegRule>(Op::Neg, "neg", "−{0}", "−1"));
  put(unary<ExpRule>(Op::Exp, "exp", "exp {0}", "exp {0}"));
  put(unary<LnRule>(Op::Ln, "ln", "ln {0}", "1/{0}"));
  put(unary<SinRule>(Op::Sin, "sin", "sin {0}", "cos {0}"));
  put(unary<CosRule>(Op::Cos, "cos", "cos {0}", "−sin {0}"));
  put(unary<TanhRule>(Op::Tanh, "tanh", "tanh {0}", "1 − {y}²"));
  put(unary<SigmoidRule>(Op::Sigmoid, "sigmoid", "σ({0})", "{y}·(1 − {y})"));
  put(unary<ReluRule>(Op::Relu, "relu", "relu {0}", "[{0} > 0]"));
  put(unary<SqrtRule>(Op::Sqrt, "sqrt", "√{0}", "1/(2·{y})"));
  put(unary<AbsRule>(Op::Abs, "abs", "|{0}|", "sign {0}"));
  put(unary<StepRule>(Op::Step, "step", "[{0} > 0]", nullptr, false));
  put(unary<SignRule>(Op::Sign, "sign", "sign {0}", nullptr, false));
}

// [SECTION] the same rules for the training kernels (float and double)

namespace kernels {
namespace {
template <class R, class T>
void apply_forward(const Tensor<T>& x, Tensor<T>& y) {
  if (&x != &y) y = Tensor<T>::uninitialized(x.shape());
  const T* xp = x.data();
  T* yp = y.data();
  for (Index k = 0, n = x.size(); k < n; ++k) yp[k] = static_cast<T>(R::f(xp[k]));
}
template <class R, class T>
void apply_backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>& gx) {
  if (&gx != &gy) gx = Tensor<T>::uninitialized(x.shape());
  const T *xp = x.data(), *yp = y.data(), *gp = gy.data();
  T* out = gx.data();
  for (Index k = 0, n = x.size(); k < n; ++k) out[k] = static_cast<T>(R::partial(gp[k], xp[k], yp[k]));
}
template <class T, template <class, class> class Fn, class... Args>
void dispatch_unary(Op op, Args&&... args) {
  switch (op) {
    case Op::Neg: return Fn<NegRule, T>::run(args...);
    case Op::Exp: return Fn<ExpRule, T>::run(args...);
    case Op::Ln: return Fn<LnRule, T>::run(args...);
    case Op::Sin: return Fn<SinRule, T>::run(args...);
    case Op::Cos: return Fn<CosRule, T>::run(args...);
    case Op::Tanh: return Fn<TanhRule, T>::run(args...);
    case Op::Sigmoid: return Fn<SigmoidRule, T>::run(args...);
    case Op::Relu: return Fn<ReluRule, T>::run(args...);
    case Op::Sqrt: return Fn<SqrtRule, T>::run(args...);
    case Op::Abs: return Fn<AbsRule, T>::run(args...);
    case Op::Step: return Fn<StepRule, T>::run(args...);
    case Op::Sign: return Fn<SignRule, T>::run(args...);
    default: throw std::invalid_argument(std::string("not a unary elementwise op: ") + op_name(op));
  }
}
template <class R, class T>
struct Forward {
  static void run(const Tensor<T>& x, Tensor<T>& y) { apply_forward<R>(x, y); }
};
template <class R, class T>
struct Backward {
  static void run(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>& gx) {
    apply_backward<R>(x, y, gy, gx);
  }
};
}  // namespace

template <class T>
void unary_forward(Op op, const Tensor<T>& x, Tensor<T>& y) {
  dispatch_unary<T, Forward>(op, x, y);
}
template <class T>
void unary_backward(Op op, const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>& gx) {
  dispatch_unary<T, Backward>(op, x, y, gy, gx);
}
template void unary_forward<float>(Op, const TensorF&, TensorF&);
template void unary_forward<double>(Op, const TensorD&, TensorD&);
template void unary_backward<float>(Op, const TensorF&, const TensorF&, const TensorF&, TensorF&);
template void unary_backward<double>(Op, const TensorD&, const TensorD&, const TensorD&, TensorD&);
}  // namespace kernels

}  // namespace gs
