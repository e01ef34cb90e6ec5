// Softmax, log-softmax and the losses (softmax cross-entropy, MSE, multi-class hinge) and the
// L1/L2 norms for regularisation terms. Numeric rules call the shared kernels (kernels.cpp) so
// that training and the graph use one definition; symbolic rules are built from primitives.
// Depends on sym.h and kernels.h.
#include "kernels.h"
#include "op_table.h"
#include "sym.h"

#include <cmath>
#include <iterator>

namespace gs {
namespace {

Sym row_sum(Sym a) { return sum(a, -1, true); }  // Σ over the last axis, kept for broadcasting
Sym softmax(Sym a) { return make_op(Op::Softmax, a); }
Sym log_softmax(Sym a) { return make_op(Op::LogSoftmax, a); }

// Rows of the last axis, for tensors of any rank ≥ 1.
Index last(const TensorD& t) { return t.dim(t.rank() - 1); }

bool infer_rows(const Shape* in, int, const OpAttrs&, Shape* out, std::string* error) {
  if (in[0].rank() < 1 || in[0].size() == 0) {
    *error = "needs at least one axis, got " + in[0].to_string();
    return false;
  }
  *out = in[0];
  return true;
}

// [SECTION] softmax over the last axis: dX = Y ∘ (G − Σ_row G∘Y)

void softmax_forward(const OpArgs& a, TensorD& y) { kernels::softmax_rows(a.x(0), y); }
void softmax_apply(const TensorD& y, const TensorD& g, TensorD& out) {
  out = TensorD::uninitialized(y.shape());
  const Index c = last(y), rows = y.size() / c;
  for (Index r = 0; r < rows; ++r) {
    double dot = 0;
    for (Index j = 0; j < c; ++j) dot += g[r * c + j] * y[r * c + j];
    for (Index j = 0; j < c; ++j) out[r * c + j] = y[r * c + j] * (g[r * c + j] - dot);
  }
}
void softmax_vjp(int, const OpArgs& a, const TensorD& g, TensorD& gi) { softmax_apply(a.y(), g, gi); }
void softmax_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) {
  if (dx[0]) softmax_apply(a.y(), *dx[0], dy);  // the softmax Jacobian is symmetric
  else dy = TensorD(a.y().shape());
}
NodeId softmax_vjp_graph(int, const SymArgs& a, NodeId g) {
  Sym G{a.graph, g}, Y{a.graph, *a.out};
  return (Y * (G - row_sum(G * Y))).id;
}

// [SECTION] log-softmax: dX = G − softmax(X) · Σ_row G

void log_softmax_forward(const OpArgs& a, TensorD& y) { kernels::log_softmax_rows(a.x(0), y); }
void log_softmax_vjp(int, const OpArgs& a, const TensorD& g, TensorD& gi) {
  const TensorD& y = a.y();
  gi = TensorD::uninitialized(y.shape());
  const Index c = last(y), rows = y.size() / c;
  for (Index r = 0; r < rows; ++r) {
    double s = 0;
    for (Index j = 0; j < c; ++j) s += g[r * c + j];
    for (Index j = 0; j < c; ++j) gi[r * c + j] = g[r * c + j] - std::exp(y[r * c + j]) * s;
  }
}
void log_softmax_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) {
  const TensorD& y = a.y();
  dy = TensorD(y.shape());
  if (!dx[0]) return;
  const TensorD& t = *dx[0];
  const Index c = last(y), rows = y.size() / c;
  for (Index r = 0; r < rows; ++r) {
    double s = 0;
    for (Index j = 0; j < c; ++j) s += std::exp(y[r * c + j]) * t[r * c + j];
    for (Index j = 0; j < c; ++j) dy[r * c + j] = t[r * c + j] - s;
  }
}
NodeId log_softmax_vjp_graph(int, const SymArgs& a, NodeId g) {
  Sym G{a.graph, g}, Y{a.graph, *a.out};
  return (G - exp(Y) * row_sum(G)).id;
}

// [SECTION] losses: scalar outputs of two same-shaped operands

bool infer_pair(const Shape* in, int, const OpAttrs&, Shape* out, std::string* error, int min_rank, int max_rank) {
  if (in[0] != in[1]) {
    *error = in[0].to_string() + " and " + in[1].to_string() + " differ (targets must match the scores)";
    return false;
  }
  if (in[0].rank() < min_rank || in[0].rank() > max_rank || in[0].size() == 0) {
    *error = "needs scores [N×C] (or one row [C]), got " + in[0].to_string();
    return false;
  }
  *out = Shape();
  return true;
}
bool infer_class_loss(const Shape* in, int n, const OpAttrs& at, Shape* out, std::string* error) {
  return infer_pair(in, n, at, out, error, 1, 2);
}
bool infer_mse(const Shape* in, int n, const OpAttrs& at, Shape* out, std::string* error) {
  return infer_pair(in, n, at, out, error, 0, kMaxRank);
}
// One row [C] is read as [1×C].
TensorD as_rows(const TensorD& t) { return t.rank() == 1 ? t.reshaped(Shape{1, t.dim(0)}) : t; }
double rows_of(const Shape& s) { return s.rank() == 1 ? 1.0 : static_cast<double>(s[0]); }

// Cross-entropy of logits Z against targets Y (one-hot rows), averaged over rows:
//   dZ = (softmax(Z) − Y)/N,   dY = −log_softmax(Z)/N
void ce_forward(const OpArgs& a, TensorD& y) {
  y = TensorD::scalar(kernels::softmax_cross_entropy(as_rows(a.x(0)), as_rows(a.x(1)), nullptr));
}
void ce_partials(const OpArgs& a, TensorD* dz, TensorD* dy) {
  TensorD z = as_rows(a.x(0));
  if (dz) {
    kernels::softmax_cross_entropy(z, as_rows(a.x(1)), dz);
    dz->reshape_in_place(a.x(0).shape());
  }
  if (dy) {
    kernels::log_softmax_rows(z, *dy);
    double inv_n = -1.0 / static_cast<double>(z.dim(0));
    for (double& v : *dy) v *= inv_n;
    dy->reshape_in_place(a.x(1).shape());
  }
}
void ce_vjp(int i, const OpArgs& a, const TensorD& g, TensorD& gi) {
  ce_partials(a, i == 0 ? &gi : nullptr, i == 1 ? &gi : nullptr);
  for (double& v : gi) v *= g[0];
}

// Tangent of a scalar loss: dL = Σ ∂L/∂x_i ∘ ẋ_i, with the partials from the reverse rule.
void scalar_loss_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy,
                     void (*vjp)(int, const OpArgs&, const TensorD&, TensorD&)) {
  dy = TensorD::scalar(0);
  const TensorD one = TensorD::scalar(1);
  for (int i = 0; i < a.arity; ++i) {
    if (!dx[i]) continue;
    TensorD p;
    vjp(i, a, one, p);
    for (Index k = 0; k < p.size(); ++k) dy[0] += p[k] * (*dx[i])[k];
  }
}
void ce_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) { scalar_loss_jvp(a, dx, dy, ce_vjp); }
NodeId ce_vjp_graph(int i, const SymArgs& a, NodeId g) {
  Sym G{a.graph, g}, Z{a.graph, a.in[0]}, Y{a.graph, a.in[1]};
  double n = rows_of(Z.shape());
  if (i == 0) return (G * ((softmax(Z) * row_sum(Y) - Y) / n)).id;
  return (G * (log_softmax(Z) * (-1.0 / n))).id;
}

// Mean squared error: dP = 2(P − T)/n, dT = −dP
void mse_forward(const OpArgs& a, TensorD& y) { y = TensorD::scalar(kernels::mse(a.x(0), a.x(1), nullptr)); }
void mse_vjp(int i, const OpArgs& a, const TensorD& g, TensorD& gi) {
  kernels::mse(a.x(0), a.x(1), &gi);
  const double s = i == 0 ? g[0] : -g[0];
  for (double& v : gi) v *= s;
}
void mse_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) { scalar_loss_jvp(a, dx, dy, mse_vjp); }
NodeId mse_vjp_graph(int i, const SymArgs& a, NodeId g) {
  Sym G{a.graph, g}, P{a.graph, a.in[0]}, T{a.graph, a.in[1]};
  double n = static_cast<double>(P.shape().size());
  Sym d = G * (P - T) * (2.0 / n);
  return (i == 0 ? d : -d).id;
}

// Multi-class hinge (seed 001): L = (1/N) Σ_n Σ_{j≠y} max(0, s_j − s_y + 1). The target is data:
// the loss is piecewise constant in it, so dY = 0. In primitives, with margins
// M = S − Σ_row(S∘Y) + 1 − Y (zero at the true class) and P = [M > 0]:  dS = (P − Y·Σ_row P)/N.
void hinge_forward(const OpArgs& a, TensorD& y) {
  y = TensorD::scalar(kernels::hinge(as_rows(a.x(0)), as_rows(a.x(1)), nullptr));
}
void hinge_vjp(int i, const OpArgs& a, const TensorD& g, TensorD& gi) {
  if (i == 1) {
    gi = TensorD(a.x(1).shape());
    return;
  }
  kernels::hinge(as_rows(a.x(0)), as_rows(a.x(1)), &gi);
  gi.reshape_in_place(a.x(0).shape());
  for (double& v : gi) v *= g[0];
}
void hinge_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) { scalar_loss_jvp(a, dx, dy, hinge_vjp); }
NodeId hinge_vjp_graph(int i, const SymArgs& a, NodeId g) {
  Sym G{a.graph, g}, S{a.graph, a.in[0]}, Y{a.graph, a.in[1]};
  if (i == 1) return (G * 0.0 * Y).id;
  double n = rows_of(S.shape());
  Sym P = step(S - row_sum(S * Y) + (1.0 - Y));
  return (G * ((P - Y * row_sum(P)) / n)).id;
}

// [SECTION] norms for regularisation terms

bool infer_scalar(const Shape*, int, const OpAttrs&, Shape* out, std::string*) {
  *out = Shape();
  return true;
}
// ‖x‖₁ = Σ|x|, d/dx = sign x
void l1_forward(const OpArgs& a, TensorD& y) {
  double s = 0;
  for (double v : a.x(0)) s += std::abs(v);
  y = TensorD::scalar(s);
}
void l1_vjp(int, const OpArgs& a, const TensorD& g, TensorD& gi) {
  gi = TensorD::uninitialized(a.x(0).shape());
  for (Index k = 0; k < gi.size(); ++k) gi[k] = g[0] * scalar::sign(a.x(0)[k]);
}
void l1_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) { scalar_loss_jvp(a, dx, dy, l1_vjp); }
NodeId l1_vjp_graph(int, const SymArgs& a, NodeId g) { return (Sym{a.graph, g} * sign(Sym{a.graph, a.in[0]})).id; }

// ‖x‖₂ = √Σx², d/dx = x/‖x‖₂ (0 at x = 0, as PyTorch's norm)
void l2_forward(const OpArgs& a, TensorD& y) {
  double s = 0;
  for (double v : a.x(0)) s += v * v;
  y = TensorD::scalar(std::sqrt(s));
}
void l2_vjp(int, const OpArgs& a, const TensorD& g, TensorD& gi) {
  const double norm = a.y()[0];
  gi = TensorD::uninitialized(a.x(0).shape());
  for (Index k = 0; k < gi.size(); ++k) gi[k] = norm == 0 ? 0.0 : g[0] * a.x(0)[k] / norm;
}
void l2_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) { scalar_loss_jvp(a, dx, dy, l2_vjp); }
NodeId l2_vjp_graph(int, const SymArgs& a, NodeId g) {
  // x / (‖x‖₂ + [‖x‖₂ = 0]): the same x/‖x‖₂ where the norm is positive, and 0 rather than 0/0 at
  // x = 0, as the numeric rule. sign ‖x‖₂ is piecewise constant, so higher derivatives are unchanged.
  Sym Y{a.graph, *a.out};
  return (Sym{a.graph, g} * Sym{a.graph, a.in[0]} / (Y + (1.0 - sign(Y)))).id;
}

// [SECTION] the catalogue entries

using C = OpCategory;
constexpr OpDef kOps[] = {
    one_tensor_op(Op::Softmax, "softmax", C::Matrix, "softmax({0})", infer_rows, softmax_forward, softmax_vjp,
                  softmax_jvp, softmax_vjp_graph, "{y} ∘ ({g} − Σ_row {g} ∘ {y})"),
    with_aliases(one_tensor_op(Op::LogSoftmax, "log_softmax", C::Matrix, "log_softmax({0})", infer_rows,
                               log_softmax_forward, log_softmax_vjp, log_softmax_jvp, log_softmax_vjp_graph,
                               "{g} − softmax({0}) ∘ Σ_row {g}"),
                 "logsoftmax"),
    two_tensor_op(Op::CrossEntropy, "ce", C::Loss, "ce({0}, {1})", "Z", "Y", infer_class_loss, ce_forward, ce_vjp,
                  ce_jvp, ce_vjp_graph, "{g}·(softmax({0}) − {1}) / N", "−{g}·log_softmax({0}) / N"),
    two_tensor_op(Op::Mse, "mse", C::Loss, "mse({0}, {1})", "P", "T", infer_mse, mse_forward, mse_vjp, mse_jvp,
                  mse_vjp_graph, "{g}·2({0} − {1}) / n", "−{g}·2({0} − {1}) / n"),
    two_tensor_op(Op::Hinge, "hinge", C::Loss, "hinge({0}, {1})", "S", "Y", infer_class_loss, hinge_forward,
                  hinge_vjp, hinge_jvp, hinge_vjp_graph, "{g}·([margin > 0] − {1}·#[margin > 0]) / N",
                  "0 (targets are data)"),
    one_tensor_op(Op::L1Norm, "l1", C::Loss, "‖{0}‖₁", infer_scalar, l1_forward, l1_vjp, l1_jvp, l1_vjp_graph,
                  "{g}·sign {0}"),
    one_tensor_op(Op::L2Norm, "l2", C::Loss, "‖{0}‖₂", infer_scalar, l2_forward, l2_vjp, l2_jvp, l2_vjp_graph,
                  "{g}·{0} / {y}"),
};
static_assert(std::size(kOps) == op_count_between(kFirstLossOp, kFirstConvOp),
              "every op of the loss section of the Op enum needs exactly one entry here");

}  // namespace

std::span<const OpDef> loss_ops() { return kOps; }

}  // namespace gs
