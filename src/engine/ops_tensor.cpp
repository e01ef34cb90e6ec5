// Shape and reduction ops (sum, mean, reshape, flatten, transpose, broadcast_to, sum_to) and the matrix
// product. Each op's forward, reverse (VJP), tangent (JVP) and symbolic reverse rules sit
// together. Depends on sym.h, broadcast.h and kernels.h (matmul).
#include "broadcast.h"
#include "kernels.h"
#include "op_table.h"
#include "sym.h"

#include <iterator>

namespace gs {
namespace {

// [SECTION] reductions: sum and mean over all elements or one axis

// x viewed as (outer, n, inner) around the reduced axis.
struct AxisView {
  Index outer = 1, n = 1, inner = 1;
};
AxisView axis_view(const Shape& s, int axis) {
  AxisView v;
  if (axis == kAllAxes) {
    v.n = s.size();
    return v;
  }
  for (int i = 0; i < s.rank(); ++i) {
    if (i < axis) v.outer *= s[i];
    else if (i == axis) v.n = s[i];
    else v.inner *= s[i];
  }
  return v;
}

// Keepdims shape of a reduction (every reduced axis kept with extent 1).
Shape keepdims_shape(const Shape& in, int axis) {
  if (axis == kAllAxes) {
    Shape s;
    for (int i = 0; i < in.rank(); ++i) s.push_back(1);
    return s;
  }
  return in.with_axis_set(axis, 1);
}

bool infer_reduce(const Shape* in, int, const OpAttrs& at, Shape* out, std::string* error) {
  if (at.axis == kAllAxes) {
    *out = at.keepdims ? keepdims_shape(in[0], kAllAxes) : Shape();
    return true;
  }
  int axis = in[0].normalize_axis(at.axis);
  if (axis < 0) {
    *error = "axis " + std::to_string(at.axis) + " is out of range for " + in[0].to_string();
    return false;
  }
  *out = at.keepdims ? in[0].with_axis_set(axis, 1) : in[0].with_axis_removed(axis);
  return true;
}
int reduced_axis(const Shape& s, const OpAttrs& at) {
  return at.axis == kAllAxes ? kAllAxes : s.normalize_axis(at.axis);
}

template <bool kMean>
void reduce_forward(const OpArgs& a, TensorD& y) {
  const TensorD& x = a.x(0);
  Shape out;
  std::string unused;
  infer_reduce(&x.shape(), 1, *a.attrs, &out, &unused);
  AxisView v = axis_view(x.shape(), reduced_axis(x.shape(), *a.attrs));
  y = TensorD(out);
  const double scale = kMean ? 1.0 / static_cast<double>(v.n) : 1.0;
  for (Index o = 0; o < v.outer; ++o)
    for (Index k = 0; k < v.n; ++k)
      for (Index i = 0; i < v.inner; ++i) y[o * v.inner + i] += x[(o * v.n + k) * v.inner + i];
  if (kMean)
    for (double& e : y) e *= scale;
}
// dX = broadcast(dY) (· 1/n for the mean): every element of a reduced group gets its group's adjoint.
template <bool kMean>
void reduce_vjp(int, const OpArgs& a, const TensorD& g, TensorD& gi) {
  const TensorD& x = a.x(0);
  AxisView v = axis_view(x.shape(), reduced_axis(x.shape(), *a.attrs));
  const double scale = kMean ? 1.0 / static_cast<double>(v.n) : 1.0;
  gi = TensorD::uninitialized(x.shape());
  for (Index o = 0; o < v.outer; ++o)
    for (Index k = 0; k < v.n; ++k)
      for (Index i = 0; i < v.inner; ++i) gi[(o * v.n + k) * v.inner + i] = g[o * v.inner + i] * scale;
}
template <bool kMean>
void reduce_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) {
  if (!dx[0]) {
    dy = TensorD(a.y().shape());
    return;
  }
  OpArgs t = a;
  const TensorD* in[1] = {dx[0]};
  t.in = in;
  reduce_forward<kMean>(t, dy);  // linear: the tangent is the reduction of the tangent
}
template <bool kMean>
NodeId reduce_vjp_graph(int, const SymArgs& a, NodeId g) {
  const Shape xs = a.graph->node(a.in[0]).shape;  // a copy: the nodes added below may move the storage
  int axis = reduced_axis(xs, *a.attrs);
  Sym gi = broadcast_to(reshape(Sym{a.graph, g}, keepdims_shape(xs, axis)), xs);
  if (kMean) gi = gi * (1.0 / static_cast<double>(axis_view(xs, axis).n));
  return gi.id;
}

// [SECTION] reshape, transpose

bool infer_reshape(const Shape* in, int, const OpAttrs& at, Shape* out, std::string* error) {
  Shape s = at.shape;
  Index known = 1;
  int unknown = -1;
  for (int i = 0; i < s.rank(); ++i) {
    if (s[i] == -1 && unknown < 0) unknown = i;
    else if (s[i] <= 0) {
      *error = "cannot reshape to " + s.to_string();
      return false;
    } else known *= s[i];
  }
  if (unknown >= 0) {
    if (known == 0 || in[0].size() % known != 0) {
      *error = "cannot reshape " + in[0].to_string() + " to " + s.to_string();
      return false;
    }
    s[unknown] = in[0].size() / known;
  }
  if (s.size() != in[0].size()) {
    *error = "cannot reshape " + in[0].to_string() + " (" + std::to_string(in[0].size()) + " elements) to " +
             s.to_string();
    return false;
  }
  *out = s;
  return true;
}
void reshape_forward(const OpArgs& a, TensorD& y) {
  Shape s;
  std::string unused;
  infer_reshape(&a.x(0).shape(), 1, *a.attrs, &s, &unused);
  y = a.x(0).reshaped(s);
}
void reshape_vjp(int, const OpArgs& a, const TensorD& g, TensorD& gi) { gi = g.reshaped(a.x(0).shape()); }
void reshape_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) {
  dy = dx[0] ? dx[0]->reshaped(a.y().shape()) : TensorD(a.y().shape());
}
NodeId reshape_vjp_graph(int, const SymArgs& a, NodeId g) {
  return reshape(Sym{a.graph, g}, a.graph->node(a.in[0]).shape).id;
}

// Transpose swaps the last two axes (a 1-D or 0-D tensor is its own transpose, as in NumPy).
Shape transposed_shape(const Shape& s) {
  if (s.rank() < 2) return s;
  Shape t = s;
  std::swap(t[s.rank() - 1], t[s.rank() - 2]);
  return t;
}
bool infer_transpose(const Shape* in, int, const OpAttrs&, Shape* out, std::string*) {
  *out = transposed_shape(in[0]);
  return true;
}
void transpose_values(const TensorD& x, TensorD& y) {
  y = TensorD::uninitialized(transposed_shape(x.shape()));
  if (x.rank() < 2) {
    y = x;
    return;
  }
  const Index r = x.dim(x.rank() - 2), c = x.dim(x.rank() - 1), batch = x.size() / (r * c);
  for (Index b = 0; b < batch; ++b)
    for (Index i = 0; i < r; ++i)
      for (Index j = 0; j < c; ++j) y[b * r * c + j * r + i] = x[b * r * c + i * c + j];
}
void transpose_forward(const OpArgs& a, TensorD& y) { transpose_values(a.x(0), y); }
void transpose_vjp(int, const OpArgs&, const TensorD& g, TensorD& gi) { transpose_values(g, gi); }  // dX = dYᵀ
void transpose_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) {
  if (dx[0]) transpose_values(*dx[0], dy);
  else dy = TensorD(a.y().shape());
}
NodeId transpose_vjp_graph(int, const SymArgs& a, NodeId g) { return transpose(Sym{a.graph, g}).id; }

// [SECTION] broadcast_to and sum_to: each is the other's reverse rule

bool infer_broadcast_to(const Shape* in, int, const OpAttrs& at, Shape* out, std::string* error) {
  Shape b;
  if (!broadcast_shapes(in[0], at.shape, &b) || b != at.shape) {
    *error = "cannot broadcast " + in[0].to_string() + " to " + at.shape.to_string();
    return false;
  }
  *out = at.shape;
  return true;
}
void broadcast_values(const TensorD& x, const Shape& to, TensorD& y) {
  y = TensorD::uninitialized(to);
  for_each_broadcast(to, x.shape(), to, [&](Index k, Index ix, Index) { y[k] = x[ix]; });
}
void sum_values_to(const TensorD& x, const Shape& to, TensorD& y) {
  y = TensorD(to);
  for_each_broadcast(x.shape(), x.shape(), to, [&](Index k, Index, Index it) { y[it] += x[k]; });
}
void broadcast_to_forward(const OpArgs& a, TensorD& y) { broadcast_values(a.x(0), a.attrs->shape, y); }
void broadcast_to_vjp(int, const OpArgs& a, const TensorD& g, TensorD& gi) { sum_values_to(g, a.x(0).shape(), gi); }
void broadcast_to_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) {
  if (dx[0]) broadcast_values(*dx[0], a.attrs->shape, dy);
  else dy = TensorD(a.attrs->shape);
}
NodeId broadcast_to_vjp_graph(int, const SymArgs& a, NodeId g) {
  return sum_to(Sym{a.graph, g}, a.graph->node(a.in[0]).shape).id;
}

bool infer_sum_to(const Shape* in, int, const OpAttrs& at, Shape* out, std::string* error) {
  Shape b;
  if (!broadcast_shapes(at.shape, in[0], &b) || b != in[0]) {
    *error = "cannot sum " + in[0].to_string() + " to " + at.shape.to_string();
    return false;
  }
  *out = at.shape;
  return true;
}
void sum_to_forward(const OpArgs& a, TensorD& y) { sum_values_to(a.x(0), a.attrs->shape, y); }
void sum_to_vjp(int, const OpArgs& a, const TensorD& g, TensorD& gi) { broadcast_values(g, a.x(0).shape(), gi); }
void sum_to_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) {
  if (dx[0]) sum_values_to(*dx[0], a.attrs->shape, dy);
  else dy = TensorD(a.attrs->shape);
}
NodeId sum_to_vjp_graph(int, const SymArgs& a, NodeId g) {
  return broadcast_to(Sym{a.graph, g}, a.graph->node(a.in[0]).shape).id;
}

// [SECTION] matrix product, with NumPy's 1-D rules (a vector is a row on the left, a column on
// the right, and that axis is dropped from the result)

struct MatDims {
  Index n, k, m;
};
bool matmul_dims(const Shape& a, const Shape& b, MatDims* d, Shape* out, std::string* error) {
  if (a.rank() < 1 || a.rank() > 2 || b.rank() < 1 || b.rank() > 2) {
    *error = "matrix product needs vectors or matrices, got " + a.to_string() + " @ " + b.to_string();
    return false;
  }
  Index ka = a[a.rank() - 1], kb = b[0];
  if (ka != kb) {
    *error = a.to_string() + " @ " + b.to_string() + " do not match";
    return false;
  }
  d->n = a.rank() == 2 ? a[0] : 1;
  d->k = ka;
  d->m = b.rank() == 2 ? b[1] : 1;
  Shape s;
  if (a.rank() == 2) s.push_back(d->n);
  if (b.rank() == 2) s.push_back(d->m);
  *out = s;
  return true;
}
bool infer_matmul(const Shape* in, int, const OpAttrs&, Shape* out, std::string* error) {
  MatDims d;
  return matmul_dims(in[0], in[1], &d, out, error);
}
// The 2-D view of an operand or result.
TensorD as2d(const TensorD& t, Index r, Index c) { return t.reshaped(Shape{r, c}); }

void matmul_forward(const OpArgs& a, TensorD& y) {
  MatDims d;
  Shape out;
  std::string unused;
  matmul_dims(a.x(0).shape(), a.x(1).shape(), &d, &out, &unused);
  TensorD y2;
  kernels::matmul(as2d(a.x(0), d.n, d.k), as2d(a.x(1), d.k, d.m), y2);
  y = std::move(y2).reshaped(out);
}
// dA = G · Bᵀ,  dB = Aᵀ · G
void matmul_vjp(int i, const OpArgs& a, const TensorD& g, TensorD& gi) {
  MatDims d;
  Shape out;
  std::string unused;
  matmul_dims(a.x(0).shape(), a.x(1).shape(), &d, &out, &unused);
  TensorD g2 = as2d(g, d.n, d.m), r;
  if (i == 0) kernels::matmul(g2, as2d(a.x(1), d.k, d.m), r, false, true);
  else kernels::matmul(as2d(a.x(0), d.n, d.k), g2, r, true, false);
  gi = std::move(r).reshaped(a.x(i).shape());
}
// dY = dA · B + A · dB
void matmul_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) {
  MatDims d;
  Shape out;
  std::string unused;
  matmul_dims(a.x(0).shape(), a.x(1).shape(), &d, &out, &unused);
  TensorD r(Shape{d.n, d.m});
  if (dx[0]) kernels::matmul(as2d(*dx[0], d.n, d.k), as2d(a.x(1), d.k, d.m), r, false, false, true);
  if (dx[1]) kernels::matmul(as2d(a.x(0), d.n, d.k), as2d(*dx[1], d.k, d.m), r, false, false, true);
  dy = std::move(r).reshaped(out);
}
NodeId matmul_vjp_graph(int i, const SymArgs& a, NodeId g) {
  Graph* gr = a.graph;
  const Shape sa = gr->node(a.in[0]).shape, sb = gr->node(a.in[1]).shape;  // copies, as in reduce_vjp_graph
  MatDims d;
  Shape out;
  std::string unused;
  matmul_dims(sa, sb, &d, &out, &unused);
  Sym A = reshape(Sym{gr, a.in[0]}, Shape{d.n, d.k}), B = reshape(Sym{gr, a.in[1]}, Shape{d.k, d.m});
  Sym G = reshape(Sym{gr, g}, Shape{d.n, d.m});
  Sym r = i == 0 ? matmul(G, transpose(B)) : matmul(transpose(A), G);
  return reshape(r, i == 0 ? sa : sb).id;
}

// flatten(x): (N, …) -> (N, rest), as torch.flatten(x, 1); a vector or scalar stays as it is.
Shape flattened_shape(const Shape& s) { return s.rank() <= 1 ? s : Shape{s[0], s.size() / s[0]}; }
bool infer_flatten(const Shape* in, int, const OpAttrs&, Shape* out, std::string*) {
  *out = flattened_shape(in[0]);
  return true;
}
void flatten_forward(const OpArgs& a, TensorD& y) { y = a.x(0).reshaped(flattened_shape(a.x(0).shape())); }

// [SECTION] the catalogue entries

constexpr OpKeyword kAxis{"axis", AttrSlot::Axis, kAllAxes, nullptr, false, -kMaxRank, kMaxRank - 1, "between -4 and 3"};
constexpr OpKeyword kKeepdims{"keepdims", AttrSlot::Keepdims, 0, nullptr, false, 0, 1, "true or false (or 1, 0)",
                               AttrSlot::None, "keepdim", true};

template <bool kMean>
constexpr OpDef reduction(Op op, const char* name, const char* formula, const char* rule) {
  return with_keywords(one_tensor_op(op, name, OpCategory::Matrix, formula, infer_reduce, reduce_forward<kMean>,
                                     reduce_vjp<kMean>, reduce_jvp<kMean>, reduce_vjp_graph<kMean>, rule),
                       kAxis, kKeepdims);
}
constexpr OpDef reshape_entry() {
  OpDef d = one_tensor_op(Op::Reshape, "reshape", OpCategory::Matrix, "reshape({0})", infer_reshape, reshape_forward,
                          reshape_vjp, reshape_jvp, reshape_vjp_graph, "reshape({g})");
  d.sizes = true;
  return d;
}

using C = OpCategory;
constexpr OpDef kOps[] = {
    reduction<false>(Op::Sum, "sum", "sum({0})", "broadcast({g})"),
    reduction<true>(Op::Mean, "mean", "mean({0})", "broadcast({g}) / n"),
    reshape_entry(),
    // Linear like reshape, and differentiated by the same rules, the target worked out.
    one_tensor_op(Op::Flatten, "flatten", C::Matrix, "flatten({0})", infer_flatten, flatten_forward, reshape_vjp,
                  reshape_jvp, reshape_vjp_graph, "reshape({g})"),
    one_tensor_op(Op::Transpose, "transpose", C::Matrix, "{0}ᵀ", infer_transpose, transpose_forward, transpose_vjp,
                  transpose_jvp, transpose_vjp_graph, "{g}ᵀ"),
    one_tensor_op(Op::BroadcastTo, "broadcast_to", C::Internal, "broadcast({0})", infer_broadcast_to,
                  broadcast_to_forward, broadcast_to_vjp, broadcast_to_jvp, broadcast_to_vjp_graph, "sum_to({g})"),
    one_tensor_op(Op::SumTo, "sum_to", C::Internal, "sum_to({0})", infer_sum_to, sum_to_forward, sum_to_vjp,
                  sum_to_jvp, sum_to_vjp_graph, "broadcast({g})"),
    two_tensor_op(Op::MatMul, "matmul", C::Matrix, "{0} @ {1}", "A", "B", infer_matmul, matmul_forward, matmul_vjp,
                  matmul_jvp, matmul_vjp_graph, "{g} @ {1}ᵀ", "{0}ᵀ @ {g}"),
};
static_assert(std::size(kOps) == op_count_between(kFirstTensorOp, kFirstLossOp),
              "every op of the tensor section of the Op enum needs exactly one entry here");

}  // namespace

std::span<const OpDef> tensor_ops() { return kOps; }

}  // namespace gs
