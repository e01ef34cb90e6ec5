// Convolution, pooling and zero padding on [N×C×H×W] tensors, with the gradient ops their
// reverse rules produce (so that the extended graph can differentiate them again). Numbers come
// from kernels_conv.cpp, the same code the training layers call. Depends on sym.h, kernels_conv.h.
#include "kernels_conv.h"
#include "op_table.h"
#include "sym.h"

#include <iterator>

namespace gs {
namespace {

using kernels::conv_out_size;

OpAttrs with_shape(const OpAttrs& at, const Shape& s) {
  OpAttrs r = at;
  r.shape = s;
  return r;
}

bool check_rank4(const Shape& s, const char* what, std::string* error) {
  if (s.rank() == 4) return true;
  *error = std::string(what) + " must be [N×C×H×W], got " + s.to_string();
  return false;
}
bool check_window(const OpAttrs& at, int kernel, std::string* error) {
  if (at.stride < 1 || at.padding < 0 || kernel < 1) {
    *error = "stride must be ≥ 1, padding ≥ 0 and the window ≥ 1 (got stride " + std::to_string(at.stride) +
             ", padding " + std::to_string(at.padding) + ")";
    return false;
  }
  return true;
}

// [SECTION] conv2d: y = x ⋆ W + b
//   x (N, C, H, W), W (F, C, KH, KW), b (F) -> y (N, F, OH, OW)

bool conv_shape(const Shape& x, const Shape& w, const OpAttrs& at, Shape* out, std::string* error) {
  if (!check_rank4(x, "the input", error) || !check_rank4(w, "the kernel", error) || !check_window(at, 1, error))
    return false;
  if (x[1] != w[1]) {
    *error = "input " + x.to_string() + " has " + std::to_string(x[1]) + " channels, kernel " + w.to_string() +
             " expects " + std::to_string(w[1]);
    return false;
  }
  Index oh = conv_out_size(x[2], w[2], at.stride, at.padding), ow = conv_out_size(x[3], w[3], at.stride, at.padding);
  if (oh < 1 || ow < 1) {
    *error = "kernel " + w.to_string() + " is larger than the padded input " + x.to_string();
    return false;
  }
  *out = Shape{x[0], w[0], oh, ow};
  return true;
}
bool infer_conv(const Shape* in, int arity, const OpAttrs& at, Shape* out, std::string* error) {
  if (!conv_shape(in[0], in[1], at, out, error)) return false;
  if (arity == 3 && (in[2].rank() != 1 || in[2][0] != in[1][0])) {
    *error = "bias " + in[2].to_string() + " must be [" + std::to_string(in[1][0]) + "], one per kernel";
    return false;
  }
  return true;
}
void conv_forward(const OpArgs& a, TensorD& y) {
  kernels::conv2d_forward(a.x(0), a.x(1), a.arity == 3 ? &a.x(2) : nullptr, a.attrs->stride, a.attrs->padding, y);
}
// dX = conv_transpose(dY, W),  dW = Σ_n dY ⋆ X,  db = Σ_{n,h,w} dY
void conv_vjp(int i, const OpArgs& a, const TensorD& g, TensorD& gi) {
  const int s = a.attrs->stride, p = a.attrs->padding;
  if (i == 0) kernels::conv2d_backward_input(g, a.x(1), a.x(0).shape(), s, p, gi);
  else if (i == 1) kernels::conv2d_backward_weight(a.x(0), g, a.x(1).shape(), s, p, gi);
  else kernels::conv2d_backward_bias(g, gi);
}
// Bilinear: dY = dX ⋆ W + X ⋆ dW + db
void conv_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) {
  const int s = a.attrs->stride, p = a.attrs->padding;
  dy = TensorD(a.y().shape());
  TensorD t;
  if (dx[0]) {
    kernels::conv2d_forward(*dx[0], a.x(1), nullptr, s, p, t);
    dy.array() += t.array();
  }
  if (dx[1]) {
    kernels::conv2d_forward(a.x(0), *dx[1], nullptr, s, p, t);
    dy.array() += t.array();
  }
  if (a.arity == 3 && dx[2]) {
    const Index n = dy.dim(0), f = dy.dim(1), hw = dy.dim(2) * dy.dim(3);
    for (Index b = 0; b < n; ++b)
      for (Index c = 0; c < f; ++c)
        for (Index k = 0; k < hw; ++k) dy[(b * f + c) * hw + k] += (*dx[2])[c];
  }
}
NodeId conv_vjp_graph(int i, const SymArgs& a, NodeId g) {
  Graph* gr = a.graph;
  const OpAttrs& at = *a.attrs;
  if (i == 0) return gr->op(Op::Conv2dGradInput, {g, a.in[1]}, with_shape(at, gr->node(a.in[0]).shape));
  if (i == 1) return gr->op(Op::Conv2dGradWeight, {a.in[0], g}, with_shape(at, gr->node(a.in[1]).shape));
  Sym G{gr, g};
  return sum(sum(sum(G, 3), 2), 0).id;  // (N, F, OH, OW) -> (F)
}

// conv2d_grad_input(G, W) = conv_transpose(G, W), shaped like the conv's input (attrs.shape).
// Linear in both: its partial adjoints are a conv2d and a weight gradient.
bool infer_grad_input(const Shape* in, int, const OpAttrs& at, Shape* out, std::string* error) {
  Shape y;
  if (!conv_shape(at.shape, in[1], at, &y, error)) return false;
  if (y != in[0]) {
    *error = "gradient " + in[0].to_string() + " does not match the conv output " + y.to_string();
    return false;
  }
  *out = at.shape;
  return true;
}
void grad_input_forward(const OpArgs& a, TensorD& y) {
  kernels::conv2d_backward_input(a.x(0), a.x(1), a.attrs->shape, a.attrs->stride, a.attrs->padding, y);
}
void grad_input_vjp(int i, const OpArgs& a, const TensorD& h, TensorD& gi) {
  const int s = a.attrs->stride, p = a.attrs->padding;
  if (i == 0) kernels::conv2d_forward(h, a.x(1), nullptr, s, p, gi);  // (Aᵀ)ᵀ h = A h
  else kernels::conv2d_backward_weight(h, a.x(0), a.x(1).shape(), s, p, gi);
}
void grad_input_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) {
  const int s = a.attrs->stride, p = a.attrs->padding;
  dy = TensorD(a.y().shape());
  TensorD t;
  if (dx[0]) {
    kernels::conv2d_backward_input(*dx[0], a.x(1), a.attrs->shape, s, p, t);
    dy.array() += t.array();
  }
  if (dx[1]) {
    kernels::conv2d_backward_input(a.x(0), *dx[1], a.attrs->shape, s, p, t);
    dy.array() += t.array();
  }
}
NodeId grad_input_vjp_graph(int i, const SymArgs& a, NodeId h) {
  Graph* gr = a.graph;
  OpAttrs at = *a.attrs;
  if (i == 0) return gr->op(Op::Conv2d, {h, a.in[1]}, at);
  return gr->op(Op::Conv2dGradWeight, {h, a.in[0]}, with_shape(at, gr->node(a.in[1]).shape));
}

// conv2d_grad_weight(X, G) = Σ_n G ⋆ X, shaped like the kernel (attrs.shape).
bool infer_grad_weight(const Shape* in, int, const OpAttrs& at, Shape* out, std::string* error) {
  Shape y;
  if (!conv_shape(in[0], at.shape, at, &y, error)) return false;
  if (y != in[1]) {
    *error = "gradient " + in[1].to_string() + " does not match the conv output " + y.to_string();
    return false;
  }
  *out = at.shape;
  return true;
}
void grad_weight_forward(const OpArgs& a, TensorD& y) {
  kernels::conv2d_backward_weight(a.x(0), a.x(1), a.attrs->shape, a.attrs->stride, a.attrs->padding, y);
}
void grad_weight_vjp(int i, const OpArgs& a, const TensorD& h, TensorD& gi) {
  const int s = a.attrs->stride, p = a.attrs->padding;
  if (i == 0) kernels::conv2d_backward_input(a.x(1), h, a.x(0).shape(), s, p, gi);
  else kernels::conv2d_forward(a.x(0), h, nullptr, s, p, gi);
}
void grad_weight_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) {
  const int s = a.attrs->stride, p = a.attrs->padding;
  dy = TensorD(a.y().shape());
  TensorD t;
  if (dx[0]) {
    kernels::conv2d_backward_weight(*dx[0], a.x(1), a.attrs->shape, s, p, t);
    dy.array() += t.array();
  }
  if (dx[1]) {
    kernels::conv2d_backward_weight(a.x(0), *dx[1], a.attrs->shape, s, p, t);
    dy.array() += t.array();
  }
}
NodeId grad_weight_vjp_graph(int i, const SymArgs& a, NodeId h) {
  Graph* gr = a.graph;
  OpAttrs at = *a.attrs;
  if (i == 0) return gr->op(Op::Conv2dGradInput, {a.in[1], h}, with_shape(at, gr->node(a.in[0]).shape));
  return gr->op(Op::Conv2d, {a.in[0], h}, at);
}

// [SECTION] pooling with a k×k window (torch's padding, ceil_mode, count_include_pad)

kernels::PoolWindow window_of(const OpAttrs& at) {
  return {at.kernel, at.stride, at.padding, at.ceil_mode, at.count_include_pad};
}

bool infer_pool(const Shape* in, int, const OpAttrs& at, Shape* out, std::string* error) {
  if (!check_rank4(in[0], "the input", error) || !check_window(at, at.kernel, error)) return false;
  const std::string window = std::to_string(at.kernel) + "×" + std::to_string(at.kernel);
  if (at.padding > at.kernel / 2) {
    *error = "padding " + std::to_string(at.padding) + " is more than half the " + window + " window (at most " +
             std::to_string(at.kernel / 2) + ", as in PyTorch)";
    return false;
  }
  const Index oh = kernels::pool_out_size(in[0][2], window_of(at)), ow = kernels::pool_out_size(in[0][3], window_of(at));
  if (in[0][2] < 1 || in[0][3] < 1 || oh < 1 || ow < 1) {
    *error = "a " + window + " window does not fit " + in[0].to_string() +
             (at.padding ? " padded by " + std::to_string(at.padding) : std::string());
    return false;
  }
  *out = Shape{in[0][0], in[0][1], oh, ow};
  return true;
}

// Max pooling: dX = upsample(dY, mask), the adjoint goes to each window's maximum.
void maxpool_fwd(const OpArgs& a, TensorD& y) { kernels::maxpool_forward(a.x(0), window_of(*a.attrs), y); }
void maxpool_vjp(int, const OpArgs& a, const TensorD& g, TensorD& gi) {
  kernels::maxpool_backward(a.x(0), g, window_of(*a.attrs), gi);
}
// The tangent picks each window's maximum's tangent: y = x[argmax] so ẏ = ẋ[argmax].
void gather_at_argmax(const TensorD& x, const TensorD& t, const OpAttrs& at, TensorD& out) {
  TensorD unused;
  std::vector<Index> argmax;
  kernels::maxpool_forward(x, window_of(at), unused, &argmax);
  out = TensorD::uninitialized(unused.shape());
  for (Index k = 0; k < out.size(); ++k) out[k] = t[argmax[k]];
}
void maxpool_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) {
  if (dx[0]) gather_at_argmax(a.x(0), *dx[0], *a.attrs, dy);
  else dy = TensorD(a.y().shape());
}
NodeId maxpool_vjp_graph(int, const SymArgs& a, NodeId g) {
  return a.graph->op(Op::MaxPoolGrad, {a.in[0], g}, *a.attrs);
}

// maxpool_grad(X, G): G routed to the maxima of X. Linear in G (its adjoint gathers at the
// maxima), piecewise constant in X.
bool infer_maxpool_grad(const Shape* in, int, const OpAttrs& at, Shape* out, std::string* error) {
  Shape y;
  if (!infer_pool(in, 1, at, &y, error)) return false;
  if (y != in[1]) {
    *error = "gradient " + in[1].to_string() + " does not match the pooled output " + y.to_string();
    return false;
  }
  *out = in[0];
  return true;
}
void maxpool_grad_fwd(const OpArgs& a, TensorD& y) { kernels::maxpool_backward(a.x(0), a.x(1), window_of(*a.attrs), y); }
void maxpool_grad_vjp(int i, const OpArgs& a, const TensorD& h, TensorD& gi) {
  if (i == 0) gi = TensorD(a.x(0).shape());
  else gather_at_argmax(a.x(0), h, *a.attrs, gi);
}
void maxpool_grad_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) {
  if (dx[1]) kernels::maxpool_backward(a.x(0), *dx[1], window_of(*a.attrs), dy);
  else dy = TensorD(a.y().shape());
}

// Average pooling: dX = upsample(dY / divisor); linear, so tangent = forward of the tangent.
void avgpool_fwd(const OpArgs& a, TensorD& y) { kernels::avgpool_forward(a.x(0), window_of(*a.attrs), y); }
void avgpool_vjp(int, const OpArgs& a, const TensorD& g, TensorD& gi) {
  kernels::avgpool_backward(a.x(0).shape(), g, window_of(*a.attrs), gi);
}
void avgpool_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) {
  if (dx[0]) kernels::avgpool_forward(*dx[0], window_of(*a.attrs), dy);
  else dy = TensorD(a.y().shape());
}
NodeId avgpool_vjp_graph(int, const SymArgs& a, NodeId g) {
  return a.graph->op(Op::AvgPoolGrad, {g}, with_shape(*a.attrs, a.graph->node(a.in[0]).shape));
}
bool infer_avgpool_grad(const Shape* in, int, const OpAttrs& at, Shape* out, std::string* error) {
  Shape y;
  if (!infer_pool(&at.shape, 1, at, &y, error)) return false;
  if (y != in[0]) {
    *error = "gradient " + in[0].to_string() + " does not match the pooled output " + y.to_string();
    return false;
  }
  *out = at.shape;
  return true;
}
void avgpool_grad_fwd(const OpArgs& a, TensorD& y) {
  kernels::avgpool_backward(a.attrs->shape, a.x(0), window_of(*a.attrs), y);
}
void avgpool_grad_vjp(int, const OpArgs& a, const TensorD& h, TensorD& gi) {
  kernels::avgpool_forward(h, window_of(*a.attrs), gi);
}
void avgpool_grad_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) {
  if (dx[0]) kernels::avgpool_backward(a.attrs->shape, *dx[0], window_of(*a.attrs), dy);
  else dy = TensorD(a.y().shape());
}
NodeId avgpool_grad_vjp_graph(int, const SymArgs& a, NodeId h) {
  return a.graph->op(Op::AvgPool, {h}, *a.attrs);
}

// [SECTION] zero padding of H and W, and its reverse (cutting the border off)

bool infer_pad(const Shape* in, int, const OpAttrs& at, Shape* out, std::string* error) {
  if (!check_rank4(in[0], "the input", error)) return false;
  if (at.padding < 0) {
    *error = "padding must be ≥ 0, got " + std::to_string(at.padding);
    return false;
  }
  *out = Shape{in[0][0], in[0][1], in[0][2] + 2 * at.padding, in[0][3] + 2 * at.padding};
  return true;
}
bool infer_unpad(const Shape* in, int, const OpAttrs& at, Shape* out, std::string* error) {
  if (!check_rank4(in[0], "the input", error)) return false;
  if (at.padding < 0 || in[0][2] <= 2 * at.padding || in[0][3] <= 2 * at.padding) {
    *error = "cannot cut " + std::to_string(at.padding) + " from each side of " + in[0].to_string();
    return false;
  }
  *out = Shape{in[0][0], in[0][1], in[0][2] - 2 * at.padding, in[0][3] - 2 * at.padding};
  return true;
}
void pad_fwd(const OpArgs& a, TensorD& y) { kernels::pad_forward(a.x(0), a.attrs->padding, y); }
void unpad_fwd(const OpArgs& a, TensorD& y) { kernels::unpad(a.x(0), a.attrs->padding, y); }
void pad_vjp(int, const OpArgs& a, const TensorD& g, TensorD& gi) { kernels::unpad(g, a.attrs->padding, gi); }
void unpad_vjp(int, const OpArgs& a, const TensorD& g, TensorD& gi) { kernels::pad_forward(g, a.attrs->padding, gi); }
void pad_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) {
  if (dx[0]) kernels::pad_forward(*dx[0], a.attrs->padding, dy);
  else dy = TensorD(a.y().shape());
}
void unpad_jvp(const OpArgs& a, const TensorD* const* dx, TensorD& dy) {
  if (dx[0]) kernels::unpad(*dx[0], a.attrs->padding, dy);
  else dy = TensorD(a.y().shape());
}
NodeId pad_vjp_graph(int, const SymArgs& a, NodeId g) { return a.graph->op(Op::Unpad, {g}, *a.attrs); }
NodeId unpad_vjp_graph(int, const SymArgs& a, NodeId g) { return a.graph->op(Op::Pad, {g}, *a.attrs); }

// [SECTION] the catalogue entries

constexpr OpKeyword kStride{"stride", AttrSlot::Stride, 1, "1", false, 1, 1e6, "at least 1"};
constexpr OpKeyword kPadding{"padding", AttrSlot::Padding, 0, "0", false, 0, 1e6, "0 or more"};
constexpr OpKeyword kPadWidth{"padding", AttrSlot::Padding, 0, nullptr, true, 0, 1e6, "0 or more"};
constexpr OpKeyword kKernel{"kernel", AttrSlot::Kernel, 2, "2", false, 1, 1e6, "at least 1"};
// A pool's stride defaults to its kernel, as in PyTorch's MaxPool2d; its padding is at most half
// the window (checked with the shape), its switches are torch's.
constexpr OpKeyword kPoolStride{"stride", AttrSlot::Stride, 2, "kernel", false, 1, 1e6, "at least 1", AttrSlot::Kernel};
constexpr OpKeyword kPoolPadding{"padding", AttrSlot::Padding, 0, "0", false, 0, 1e6, "0 or more (at most kernel/2)"};
constexpr OpKeyword kCeilMode{"ceil_mode", AttrSlot::CeilMode, 0, "false", false, 0, 1, "true or false (or 1, 0)",
                              AttrSlot::None, nullptr, true};
constexpr OpKeyword kCountIncludePad{"count_include_pad", AttrSlot::CountIncludePad, 1, "true", false, 0, 1,
                                     "true or false (or 1, 0)", AttrSlot::None, nullptr, true};
using C = OpCategory;

constexpr OpDef conv2d_entry() {
  OpDef d = make_op_def(Op::Conv2d, "conv2d", C::Convolution, "conv2d({0}, {1})", infer_conv, conv_forward, conv_vjp,
                        conv_jvp, conv_vjp_graph);
  d = with_rules(d, "conv_transpose({g}, {1})", "Σ_n {g} ⋆ {0}", "Σ_n,h,w {g}");
  return with_keywords(with_args(d, {"x", "W", "b"}, 2), kStride, kPadding);
}

constexpr OpDef kOps[] = {
    conv2d_entry(),
    with_keywords(one_tensor_op(Op::MaxPool, "maxpool", C::Convolution, "maxpool({0})", infer_pool, maxpool_fwd,
                                maxpool_vjp, maxpool_jvp, maxpool_vjp_graph, "upsample({g}, argmax mask)"),
                  kKernel, kPoolStride, kPoolPadding, kCeilMode),
    with_keywords(one_tensor_op(Op::AvgPool, "avgpool", C::Convolution, "avgpool({0})", infer_pool, avgpool_fwd,
                                avgpool_vjp, avgpool_jvp, avgpool_vjp_graph, "upsample({g} / divisor)"),
                  kKernel, kPoolStride, kPoolPadding, kCeilMode, kCountIncludePad),
    with_keywords(one_tensor_op(Op::Pad, "pad", C::Convolution, "pad({0})", infer_pad, pad_fwd, pad_vjp, pad_jvp,
                                pad_vjp_graph, "unpad({g})"),
                  kPadWidth),
    // The gradient ops of the extended graph, so that it can differentiate conv and pooling again.
    two_tensor_op(Op::Conv2dGradInput, "conv2d_grad_input", C::Internal, "conv_transpose({0}, {1})", "G", "W",
                  infer_grad_input, grad_input_forward, grad_input_vjp, grad_input_jvp, grad_input_vjp_graph,
                  "conv2d({g}, {1})", "Σ_n {g} ⋆ {0}"),
    two_tensor_op(Op::Conv2dGradWeight, "conv2d_grad_weight", C::Internal, "Σ_n {1} ⋆ {0}", "x", "G",
                  infer_grad_weight, grad_weight_forward, grad_weight_vjp, grad_weight_jvp, grad_weight_vjp_graph,
                  "conv_transpose({1}, {g})", "conv2d({0}, {g})"),
    two_tensor_op(Op::MaxPoolGrad, "maxpool_grad", C::Internal, "upsample({1}, argmax mask of {0})", "x", "G",
                  infer_maxpool_grad, maxpool_grad_fwd, maxpool_grad_vjp, maxpool_grad_jvp, nullptr, "0",
                  "{g} at the maxima of {0}"),
    one_tensor_op(Op::AvgPoolGrad, "avgpool_grad", C::Internal, "upsample({0} / divisor)", infer_avgpool_grad,
                  avgpool_grad_fwd, avgpool_grad_vjp, avgpool_grad_jvp, avgpool_grad_vjp_graph, "avgpool({g})"),
    one_tensor_op(Op::Unpad, "unpad", C::Internal, "unpad({0})", infer_unpad, unpad_fwd, unpad_vjp, unpad_jvp,
                  unpad_vjp_graph, "pad({g})"),
};
static_assert(std::size(kOps) == op_count_between(kFirstConvOp, Op::kCount),
              "every op of the convolution section of the Op enum needs exactly one entry here");

}  // namespace

std::span<const OpDef> conv_ops() { return kOps; }

}  // namespace gs
