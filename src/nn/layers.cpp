// The layers' forward and backward passes as calls into the engine's kernels, their PyTorch
// initialisation, shape inference and the spec reader. No derivative is computed here: each rule
// named below lives in src/engine/kernels*.cpp.
// Depends on the engine's kernels, spec_reader.h, rng.h.
//
// [SECTION] Linear
// [SECTION] Conv2D
// [SECTION] pooling, padding, flatten
// [SECTION] activations
// [SECTION] make_layer
#include "nn/layers.h"

#include "engine/kernels.h"
#include "nn/spec_reader.h"

#include <cmath>

namespace gs::nn {
namespace {

template <class T>
void uniform_fill(Tensor<T>& t, double bound, Rng& rng) {
  for (T& v : t) v = static_cast<T>(rng.uniform(-bound, bound));
}

template <class T>
void ensure_shape(Tensor<T>& t, const Shape& s) {
  if (t.shape() != s) t = Tensor<T>::uninitialized(s);
}

}  // namespace

// ============================================================================================
// [SECTION] Linear
// ============================================================================================

template <class T>
WeightedLayer<T>::WeightedLayer(const Shape& weight_shape, Index outputs, Index fan_in)
    : weight(weight_shape), bias(Shape{outputs}), weight_grad(weight_shape), bias_grad(Shape{outputs}), fan_in_(fan_in) {}

template <class T>
std::vector<Param<T>> WeightedLayer<T>::params() {
  return {{"weight", &weight, &weight_grad, 0}, {"bias", &bias, &bias_grad, 0}};
}

template <class T>
void WeightedLayer<T>::init(Rng& rng) {
  // kaiming_uniform_(a=√5): gain √(2/(1+5)), bound = √3·gain/√fan_in = 1/√fan_in; the bias alike.
  const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in_));
  uniform_fill(weight, bound, rng);
  uniform_fill(bias, bound, rng);
}

template <class T>
Linear<T>::Linear(Index in, Index out) : WeightedLayer<T>(Shape{in, out}, out, in), in_(in), out_(out) {}

template <class T>
std::string Linear<T>::describe() const {
  return "Linear(" + std::to_string(in_) + "," + std::to_string(out_) + ")";
}

template <class T>
Shape Linear<T>::output_shape(const Shape& in) const {
  if (in.rank() != 1) throw InputError("expected a flat vector (insert a flatten layer)");
  if (in[0] != in_) throw InputError("expected " + std::to_string(in[0]) + " inputs");
  return Shape{out_};
}

template <class T>
void Linear<T>::forward(const Tensor<T>& x, Tensor<T>& y) {
  kernels::matmul(x, this->weight, y);      // Y = X·W
  kernels::add_row_vector(y, this->bias);  // + 1·bᵀ
}

template <class T>
void Linear<T>::backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx) {
  kernels::matmul(x, gy, this->weight_grad, /*transpose_a=*/true, false, /*accumulate=*/true);  // dW += Xᵀ·G
  // db += Σ_n G, as the product 1ᵀ·G: kernels::column_sums rounds differently depending on the
  // address of its output (Eigen's alignment peeling), which would make runs irreproducible.
  if (ones_.shape() != Shape{gy.dim(0), 1}) ones_ = Tensor<T>(Shape{gy.dim(0), 1}, T(1));
  kernels::matmul(ones_, gy, bias_step_, /*transpose_a=*/true);
  this->bias_grad.array() += bias_step_.array();
  if (gx) kernels::matmul(gy, this->weight, *gx, false, /*transpose_b=*/true);  // dX = G·Wᵀ
}

template <class T>
nlohmann::json Linear<T>::spec() const {
  return {{"type", "linear"}, {"in", in_}, {"out", out_}};
}

// ============================================================================================
// [SECTION] Conv2D
// ============================================================================================

template <class T>
Conv2D<T>::Conv2D(Index in_channels, Index out_channels, int kernel, int stride, int padding)
    : WeightedLayer<T>(Shape{out_channels, in_channels, kernel, kernel}, out_channels, in_channels * kernel * kernel),
      in_(in_channels),
      out_(out_channels),
      kernel_(kernel),
      stride_(stride),
      padding_(padding) {}

template <class T>
std::string Conv2D<T>::describe() const {
  std::string s = "Conv2D(" + std::to_string(in_) + "→" + std::to_string(out_) + ", " + std::to_string(kernel_) +
                  "×" + std::to_string(kernel_);
  if (stride_ != 1) s += ", stride " + std::to_string(stride_);
  if (padding_ != 0) s += ", pad " + std::to_string(padding_);
  return s + ")";
}

template <class T>
Shape Conv2D<T>::output_shape(const Shape& in) const {
  if (in.rank() != 3)
    throw InputError("expected images [C×H×W]");
  if (in[0] != in_)
    throw InputError("expected " + std::to_string(in[0]) + " input channels");
  Index oh = kernels::conv_out_size(in[1], kernel_, stride_, padding_);
  Index ow = kernels::conv_out_size(in[2], kernel_, stride_, padding_);
  if (oh <= 0 || ow <= 0)
    throw InputError("the " + std::to_string(kernel_) + "×" + std::to_string(kernel_) + " kernel does not fit");
  return Shape{out_, oh, ow};
}

template <class T>
void Conv2D<T>::forward(const Tensor<T>& x, Tensor<T>& y) {
  kernels::conv2d_forward(x, this->weight, &this->bias, stride_, padding_, y, &ws_);  // Y = W ⋆ X + b
}

template <class T>
void Conv2D<T>::backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx) {
  // dW = Σ_n dY_n ⋆ X_n and db = Σ_{n,h,w} dY, added into the accumulated gradients.
  kernels::conv2d_backward_weight(x, gy, this->weight.shape(), stride_, padding_, weight_step_, &ws_);
  kernels::conv2d_backward_bias(gy, bias_step_);
  this->weight_grad.array() += weight_step_.array();
  this->bias_grad.array() += bias_step_.array();
  if (gx) kernels::conv2d_backward_input(gy, this->weight, x.shape(), stride_, padding_, *gx, &ws_);  // dX = convᵀ(dY, W)
}

template <class T>
nlohmann::json Conv2D<T>::spec() const {
  return {{"type", "conv"},      {"in_channels", in_}, {"out_channels", out_},
          {"kernel", kernel_},   {"stride", stride_},  {"padding", padding_}};
}

// ============================================================================================
// [SECTION] pooling, padding, flatten
// ============================================================================================

template <class T>
Pool2D<T>::Pool2D(bool max, int kernel, int stride) : max_(max), kernel_(kernel), stride_(stride) {}

template <class T>
std::string Pool2D<T>::describe() const {
  std::string s = std::string(max_ ? "MaxPool2D(" : "AvgPool2D(") + std::to_string(kernel_);
  if (stride_ != kernel_) s += ", stride " + std::to_string(stride_);
  return s + ")";
}

template <class T>
Shape Pool2D<T>::output_shape(const Shape& in) const {
  if (in.rank() != 3) throw InputError("expected images [C×H×W]");
  Index oh = kernels::conv_out_size(in[1], kernel_, stride_, 0);
  Index ow = kernels::conv_out_size(in[2], kernel_, stride_, 0);
  if (oh <= 0 || ow <= 0)
    throw InputError("the window does not fit");
  return Shape{in[0], oh, ow};
}

template <class T>
void Pool2D<T>::forward(const Tensor<T>& x, Tensor<T>& y) {
  if (max_)
    kernels::maxpool_forward(x, kernel_, stride_, y, &argmax_);
  else
    kernels::avgpool_forward(x, kernel_, stride_, y);
}

template <class T>
void Pool2D<T>::backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx) {
  if (!gx) return;
  if (max_)
    kernels::maxpool_backward(x, gy, kernel_, stride_, *gx, &argmax_);  // dX = upsample(dY, argmax mask)
  else
    kernels::avgpool_backward(x.shape(), gy, kernel_, stride_, *gx);  // dX = upsample(dY) / k²
}

template <class T>
nlohmann::json Pool2D<T>::spec() const {
  return {{"type", max_ ? "maxpool" : "avgpool"}, {"kernel", kernel_}, {"stride", stride_}};
}

template <class T>
std::string Padding<T>::describe() const {
  return "Padding(" + std::to_string(pad_) + ")";
}

template <class T>
Shape Padding<T>::output_shape(const Shape& in) const {
  if (in.rank() != 3) throw InputError("expected images [C×H×W]");
  return Shape{in[0], in[1] + 2 * pad_, in[2] + 2 * pad_};
}

template <class T>
void Padding<T>::forward(const Tensor<T>& x, Tensor<T>& y) {
  kernels::pad_forward(x, pad_, y);
}

template <class T>
void Padding<T>::backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx) {
  if (gx) kernels::unpad(gy, pad_, *gx);  // dX = dY without its border
}

template <class T>
Shape Flatten<T>::output_shape(const Shape& in) const {
  return Shape{in.size()};
}

template <class T>
void Flatten<T>::forward(const Tensor<T>& x, Tensor<T>& y) {
  ensure_shape(y, Shape{x.dim(0), x.size() / std::max<Index>(x.dim(0), 1)});
  std::copy(x.begin(), x.end(), y.begin());
}

template <class T>
void Flatten<T>::backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx) {
  if (!gx) return;
  ensure_shape(*gx, x.shape());
  std::copy(gy.begin(), gy.end(), gx->begin());
}

// ============================================================================================
// [SECTION] activations
// ============================================================================================

template <class T>
Activation<T>::Activation(LayerKind kind)
    : kind_(kind), op_(kind == LayerKind::Relu ? Op::Relu : kind == LayerKind::Sigmoid ? Op::Sigmoid : Op::Tanh) {}

template <class T>
std::string Activation<T>::describe() const {
  return kind_ == LayerKind::Relu ? "ReLU" : kind_ == LayerKind::Sigmoid ? "Sigmoid" : "Tanh";
}

template <class T>
void Activation<T>::forward(const Tensor<T>& x, Tensor<T>& y) {
  kernels::unary_forward(op_, x, y);
}

template <class T>
void Activation<T>::backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx) {
  if (gx) kernels::unary_backward(op_, x, y, gy, *gx);  // dX = dY ∘ f′(X)
}

template <class T>
nlohmann::json Activation<T>::spec() const {
  return {{"type", kind_ == LayerKind::Relu ? "relu" : kind_ == LayerKind::Sigmoid ? "sigmoid" : "tanh"}};
}

// ============================================================================================
// [SECTION] make_layer
// ============================================================================================

template <class T>
std::unique_ptr<Layer<T>> make_layer(const nlohmann::json& spec, const Shape& in, const std::string& where,
                                     const Shape& shown_in) {
  SpecReader r(spec, where);
  std::string type =
      r.choice("type", {"linear", "conv", "maxpool", "avgpool", "pad", "flatten", "relu", "sigmoid", "tanh"});
  SpecReader typed(spec, where + " (" + type + ")");
  typed.text("type");
  std::unique_ptr<Layer<T>> layer;
  auto small_int = [&](const char* key, long long v) {
    if (v > (1 << 20)) typed.fail(key, "is too large, got " + std::to_string(v));
    return static_cast<int>(v);
  };
  if (type == "linear") {
    Index out = typed.positive_integer("out");
    Index fan_in = in.rank() == 1 ? in[0] : in.size();
    if (typed.has("in")) fan_in = typed.positive_integer("in");
    layer = std::make_unique<Linear<T>>(fan_in, out);
  } else if (type == "conv") {
    Index out = typed.positive_integer("out_channels");
    int kernel = small_int("kernel", typed.positive_integer("kernel"));
    int stride = small_int("stride", typed.positive_integer("stride", 1));
    int padding = small_int("padding", typed.non_negative_integer("padding", 0));
    Index channels = in.rank() == 3 ? in[0] : 1;
    if (typed.has("in_channels")) channels = typed.positive_integer("in_channels");
    layer = std::make_unique<Conv2D<T>>(channels, out, kernel, stride, padding);
  } else if (type == "maxpool" || type == "avgpool") {
    int kernel = small_int("kernel", typed.positive_integer("kernel", 2));
    int stride = small_int("stride", typed.positive_integer("stride", kernel));
    layer = std::make_unique<Pool2D<T>>(type == "maxpool", kernel, stride);
  } else if (type == "pad") {
    layer = std::make_unique<Padding<T>>(small_int("padding", typed.non_negative_integer("padding")));
  } else if (type == "flatten") {
    layer = std::make_unique<Flatten<T>>();
  } else {
    layer = std::make_unique<Activation<T>>(type == "relu" ? LayerKind::Relu
                                            : type == "sigmoid" ? LayerKind::Sigmoid
                                                                : LayerKind::Tanh);
  }
  typed.reject_unknown_keys();
  try {
    layer->output_shape(in);
  } catch (const InputError& e) {
    throw InputError(where + ": " + layer->describe() + " after a " + shown_in.to_string() + " output: " + e.what());
  }
  return layer;
}

template class WeightedLayer<float>;
template class WeightedLayer<double>;
template class Linear<float>;
template class Linear<double>;
template class Conv2D<float>;
template class Conv2D<double>;
template class Pool2D<float>;
template class Pool2D<double>;
template class Padding<float>;
template class Padding<double>;
template class Flatten<float>;
template class Flatten<double>;
template class Activation<float>;
template class Activation<double>;
template std::unique_ptr<Layer<float>> make_layer(const nlohmann::json&, const Shape&, const std::string&,
                                                           const Shape&);
template std::unique_ptr<Layer<double>> make_layer(const nlohmann::json&, const Shape&, const std::string&,
                                                           const Shape&);

}  // namespace gs::nn
