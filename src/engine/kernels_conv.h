// Numeric kernels of convolution, pooling and zero padding on [N×C×H×W] tensors, float and
// double from one template. The graph's Conv2d/MaxPool/AvgPool/Pad ops and src/nn's layers both
// call these: each derivative is written once, here. Conventions follow PyTorch (floor for the
// output size unless a pool's ceil_mode; max-pool routes the gradient to the first maximum of each
// window; NaN propagates).
// Depends on tensor.h (and Eigen, for the matrix products behind im2col).
#pragma once

#include "tensor.h"

#include <Eigen/Core>

#include <type_traits>
#include <vector>

namespace gs::kernels {

// Common contract of every kernel below:
//  - Outputs are overwritten (never accumulated) and resized to the result's shape only when
//    their shape differs, so a caller that keeps its tensors allocates once. An output must not
//    be one of the inputs.
//  - Shapes are checked: a mismatch throws std::invalid_argument naming both shapes.
//  - One thread; results never depend on where the tensors lie in memory.

// Output extent of a window sweep: floor((in + 2·pad − k) / stride) + 1; 0 when the window does
// not fit (in + 2·pad < k).
inline Index conv_out_size(Index in, Index k, int stride, int pad) {
  const Index span = in + 2 * pad - k;
  return span < 0 ? 0 : span / stride + 1;
}

// Scratch space reused across calls (im2col buffers, per-thread), so that training allocates
// once; it serves one call at a time. Aligned like Eigen's own buffers: the rounding of Eigen's small products depends on
// alignment, and fixed alignment keeps repeated runs bit-identical.
template <class T>
struct ConvWorkspace {
  std::vector<T, Eigen::aligned_allocator<T>> columns;
  std::vector<T, Eigen::aligned_allocator<T>> scratch;
};

// y = conv2d(x, w) + b, cross-correlation (no kernel flip) as torch.nn.functional.conv2d:
//   y[n, f, oy, ox] = b[f] + Σ_{c,i,j} w[f, c, i, j] · x[n, c, oy·s − p + i, ox·s − p + j]
//   x (N, C, H, W), w (F, C, KH, KW), b (F) or null -> y (N, F, OH, OW)
template <class T>
void conv2d_forward(const Tensor<T>& x, const Tensor<T>& w, std::type_identity_t<const Tensor<T>>* b, int stride,
                    int pad, Tensor<T>& y, ConvWorkspace<T>* ws = nullptr);

// dX = conv_transpose(dY, W): gy (N, F, OH, OW), w (F, C, KH, KW) -> gx shaped x_shape
template <class T>
void conv2d_backward_input(const Tensor<T>& gy, const Tensor<T>& w, const Shape& x_shape, int stride, int pad,
                           Tensor<T>& gx, ConvWorkspace<T>* ws = nullptr);

// dW = Σ_n dY_n ⋆ X_n: x (N, C, H, W), gy (N, F, OH, OW) -> gw shaped w_shape
template <class T>
void conv2d_backward_weight(const Tensor<T>& x, const Tensor<T>& gy, const Shape& w_shape, int stride, int pad,
                            Tensor<T>& gw, ConvWorkspace<T>* ws = nullptr);

// db = Σ_{n,h,w} dY: gy (N, F, OH, OW) -> gb (F)
template <class T>
void conv2d_backward_bias(const Tensor<T>& gy, Tensor<T>& gb);

// A pooling window as torch.nn.functional.max_pool2d / avg_pool2d take it (dilation 1):
//  - a kernel×kernel window moved by `stride`;
//  - `padding` added on each side of H and W, at most kernel/2 (torch's limit): max-pooling pads
//    with −∞ (a padded place never wins), average pooling with zeros;
//  - `ceil_mode`: the output size rounds up, so a last partial window is pooled too, but (torch's
//    rule) the last window must start inside the input or its left padding, never in the right
//    padding alone: out = ⌈(in + 2p − k)/s⌉ + 1, less 1 when (out − 1)·s ≥ in + p;
//  - `count_include_pad` (average pooling): divide by the window's size clipped to the padded
//    input (true) or by the number of input elements in it (false).
struct PoolWindow {
  int kernel = 2;
  int stride = 2;
  int padding = 0;
  bool ceil_mode = false;
  bool count_include_pad = true;
};

// The pooled extent of an input extent as torch computes it (above); 0 when no window fits.
Index pool_out_size(Index in, const PoolWindow& p);

// Max pooling: x (N, C, H, W) -> y (N, C, OH, OW). PyTorch's rule: scanning the window row by row
// (its places inside the input only), a later element wins if it is larger or NaN, so ties go to
// the first maximum and a NaN always wins (the last NaN, if there are several). `argmax`
// (optional) gets, for each output element, the flat index into x of the element chosen.
template <class T>
void maxpool_forward(const Tensor<T>& x, const PoolWindow& p, Tensor<T>& y, std::vector<Index>* argmax = nullptr);

// dX = upsample(dY, mask): the gradient goes to the window's maximum only (overlapping windows
// add up). Uses `argmax` from the forward pass when given (checked to lie inside x), otherwise
// recomputes it from x.
template <class T>
void maxpool_backward(const Tensor<T>& x, const Tensor<T>& gy, const PoolWindow& p, Tensor<T>& gx,
                      const std::vector<Index>* argmax = nullptr);

// Average pooling: y = (Σ of the window's input elements) / divisor, the divisor as
// `count_include_pad` says; dX = upsample(dY / divisor) over each window's input elements.
template <class T>
void avgpool_forward(const Tensor<T>& x, const PoolWindow& p, Tensor<T>& y);
template <class T>
void avgpool_backward(const Shape& x_shape, const Tensor<T>& gy, const PoolWindow& p, Tensor<T>& gx);

// The same with a k×k window, a stride and nothing else (no padding, floor mode).
template <class T>
void maxpool_forward(const Tensor<T>& x, int kernel, int stride, Tensor<T>& y, std::vector<Index>* argmax = nullptr) {
  maxpool_forward(x, PoolWindow{kernel, stride}, y, argmax);
}
template <class T>
void maxpool_backward(const Tensor<T>& x, const Tensor<T>& gy, int kernel, int stride, Tensor<T>& gx,
                      const std::vector<Index>* argmax = nullptr) {
  maxpool_backward(x, gy, PoolWindow{kernel, stride}, gx, argmax);
}
template <class T>
void avgpool_forward(const Tensor<T>& x, int kernel, int stride, Tensor<T>& y) {
  avgpool_forward(x, PoolWindow{kernel, stride}, y);
}
template <class T>
void avgpool_backward(const Shape& x_shape, const Tensor<T>& gy, int kernel, int stride, Tensor<T>& gx) {
  avgpool_backward(x_shape, gy, PoolWindow{kernel, stride}, gx);
}

// Zero padding of H and W by `pad` on each side: x (N, C, H, W) -> (N, C, H+2p, W+2p);
// its reverse rule cuts the border off again.
template <class T>
void pad_forward(const Tensor<T>& x, int pad, Tensor<T>& y);
template <class T>
void unpad(const Tensor<T>& gy, int pad, Tensor<T>& gx);

}  // namespace gs::kernels
