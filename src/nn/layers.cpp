// The layers' specs (reading, description, shape inference, JSON) and their forward and backward
// passes as calls into the engine's kernels, with their PyTorch initialisation. No derivative is
// computed here: each rule named below lives in src/engine/kernels*.cpp.
// Depends on the engine's kernels, spec_reader.h, rng.h.
//
// [SECTION] layer specs
// [SECTION] Linear
// [SECTION] Conv2D
// [SECTION] pooling, padding, flatten
// [SECTION] activations
// [SECTION] make_layer
#include "nn/layers.h"

#include "engine/kernels.h"
#include "nn/spec_reader.h"

#include <cmath>
#include <stdexcept>

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

// Each kind's name in specs and in descriptions, and the engine op of an activation.
struct KindInfo {
  LayerKind kind;
  const char* type;  // "conv"
  const char* name;  // "Conv2D"
  Op op;             // activations only
};
constexpr KindInfo kKinds[] = {
    {LayerKind::Linear, "linear", "Linear", Op::Add},         {LayerKind::Conv2D, "conv", "Conv2D", Op::Add},
    {LayerKind::MaxPool2D, "maxpool", "MaxPool2D", Op::Add},  {LayerKind::AvgPool2D, "avgpool", "AvgPool2D", Op::Add},
    {LayerKind::Padding, "pad", "Padding", Op::Add},          {LayerKind::Flatten, "flatten", "Flatten", Op::Add},
    {LayerKind::Relu, "relu", "ReLU", Op::Relu},              {LayerKind::Sigmoid, "sigmoid", "Sigmoid", Op::Sigmoid},
    {LayerKind::Tanh, "tanh", "Tanh", Op::Tanh},
};
const KindInfo& info(LayerKind k) {
  for (const KindInfo& i : kKinds)
    if (i.kind == k) return i;
  throw std::logic_error("layer kind without a name");
}

}  // namespace

// ============================================================================================
// [SECTION] layer specs
// ============================================================================================

kernels::PoolWindow pool_window(const LayerSpec& s) {
  return {s.kernel, s.stride, s.padding, s.ceil_mode, s.count_include_pad};
}

std::string describe(const LayerSpec& s) {
  const std::string name = info(s.kind).name;
  switch (s.kind) {
    case LayerKind::Linear: return name + "(" + std::to_string(s.in) + "," + std::to_string(s.out) + ")";
    case LayerKind::Conv2D: {
      std::string d = name + "(" + std::to_string(s.in) + "→" + std::to_string(s.out) + ", " + std::to_string(s.kernel) +
                      "×" + std::to_string(s.kernel);
      if (s.stride != 1) d += ", stride " + std::to_string(s.stride);
      if (s.padding != 0) d += ", pad " + std::to_string(s.padding);
      return d + ")";
    }
    case LayerKind::MaxPool2D:
    case LayerKind::AvgPool2D: {
      std::string d = name + "(" + std::to_string(s.kernel);
      if (s.stride != s.kernel) d += ", stride " + std::to_string(s.stride);
      if (s.padding != 0) d += ", pad " + std::to_string(s.padding);
      if (s.ceil_mode) d += ", ceil";
      if (s.kind == LayerKind::AvgPool2D && !s.count_include_pad) d += ", pad not counted";
      return d + ")";
    }
    case LayerKind::Padding: return name + "(" + std::to_string(s.padding) + ")";
    default: return name;
  }
}

Shape output_shape(const LayerSpec& s, const Shape& in) {
  auto images = [&] {
    if (in.rank() != 3) throw InputError("expected images [C×H×W]");
  };
  switch (s.kind) {
    case LayerKind::Linear:
      if (in.rank() != 1) throw InputError("expected a flat vector (insert a flatten layer)");
      if (in[0] != s.in) throw InputError("expected " + std::to_string(in[0]) + " inputs");
      return Shape{s.out};
    case LayerKind::Conv2D: {
      images();
      if (in[0] != s.in) throw InputError("expected " + std::to_string(in[0]) + " input channels");
      const Index oh = kernels::conv_out_size(in[1], s.kernel, s.stride, s.padding);
      const Index ow = kernels::conv_out_size(in[2], s.kernel, s.stride, s.padding);
      if (oh <= 0 || ow <= 0)
        throw InputError("the " + std::to_string(s.kernel) + "×" + std::to_string(s.kernel) + " kernel does not fit");
      return Shape{s.out, oh, ow};
    }
    case LayerKind::MaxPool2D:
    case LayerKind::AvgPool2D: {
      images();
      if (s.padding > s.kernel / 2)
        throw InputError("padding " + std::to_string(s.padding) + " is more than half the window (at most " +
                         std::to_string(s.kernel / 2) + ", as in PyTorch)");
      const Index oh = kernels::pool_out_size(in[1], pool_window(s));
      const Index ow = kernels::pool_out_size(in[2], pool_window(s));
      if (oh <= 0 || ow <= 0) throw InputError("the window does not fit");
      return Shape{in[0], oh, ow};
    }
    case LayerKind::Padding:
      images();
      return Shape{in[0], in[1] + 2 * s.padding, in[2] + 2 * s.padding};
    case LayerKind::Flatten: return Shape{in.size()};
    default: return in;  // activations
  }
}

nlohmann::ordered_json to_json(const LayerSpec& s) {
  nlohmann::ordered_json j = {{"type", info(s.kind).type}};
  switch (s.kind) {
    case LayerKind::Linear:
      j["in"] = s.in;
      j["out"] = s.out;
      break;
    case LayerKind::Conv2D:
      j["in_channels"] = s.in;
      j["out_channels"] = s.out;
      j["kernel"] = s.kernel;
      j["stride"] = s.stride;
      j["padding"] = s.padding;
      break;
    case LayerKind::MaxPool2D:
    case LayerKind::AvgPool2D:
      j["kernel"] = s.kernel;
      j["stride"] = s.stride;
      // torch's options only where they differ from its defaults: older configs read the same.
      if (s.padding != 0) j["padding"] = s.padding;
      if (s.ceil_mode) j["ceil_mode"] = true;
      if (s.kind == LayerKind::AvgPool2D && !s.count_include_pad) j["count_include_pad"] = false;
      break;
    case LayerKind::Padding: j["padding"] = s.padding; break;
    default: break;
  }
  return j;
}

LayerSpec parse_layer_spec(const nlohmann::json& spec, const Shape& in, const std::string& where,
                           const Shape& shown_in) {
  SpecReader r(spec, where);
  std::vector<std::string> types;
  for (const KindInfo& k : kKinds) types.emplace_back(k.type);
  const std::string type = r.choice("type", types);
  SpecReader typed(spec, where + " (" + type + ")");
  typed.text("type");
  LayerSpec s;
  for (const KindInfo& k : kKinds)
    if (type == k.type) s.kind = k.kind;
  auto small_int = [&](const char* key, long long v) {
    if (v > (1 << 20)) typed.fail(key, "is too large, got " + std::to_string(v));
    return static_cast<int>(v);
  };
  switch (s.kind) {
    case LayerKind::Linear:
      s.out = typed.positive_integer("out");
      s.in = typed.has("in") ? typed.positive_integer("in") : (in.rank() == 1 ? in[0] : in.size());
      break;
    case LayerKind::Conv2D:
      s.out = typed.positive_integer("out_channels");
      s.kernel = small_int("kernel", typed.positive_integer("kernel"));
      s.stride = small_int("stride", typed.positive_integer("stride", 1));
      s.padding = small_int("padding", typed.non_negative_integer("padding", 0));
      s.in = typed.has("in_channels") ? typed.positive_integer("in_channels") : (in.rank() == 3 ? in[0] : 1);
      break;
    case LayerKind::MaxPool2D:
    case LayerKind::AvgPool2D:
      s.kernel = small_int("kernel", typed.positive_integer("kernel", 2));
      s.stride = small_int("stride", typed.positive_integer("stride", s.kernel));
      s.padding = small_int("padding", typed.non_negative_integer("padding", 0));
      s.ceil_mode = typed.boolean("ceil_mode", false);
      if (s.kind == LayerKind::AvgPool2D) s.count_include_pad = typed.boolean("count_include_pad", true);
      break;
    case LayerKind::Padding: s.padding = small_int("padding", typed.non_negative_integer("padding")); break;
    default: break;
  }
  typed.reject_unknown_keys();
  try {
    output_shape(s, in);
  } catch (const InputError& e) {
    throw InputError(where + ": " + describe(s) + " after a " + shown_in.to_string() + " output: " + e.what());
  }
  return s;
}

// ============================================================================================
// [SECTION] Linear
// ============================================================================================

template <class T>
WeightedLayer<T>::WeightedLayer(const LayerSpec& spec, const Shape& weight_shape, Index outputs, Index fan_in)
    : Layer<T>(spec),
      weight(weight_shape),
      bias(Shape{outputs}),
      weight_grad(weight_shape),
      bias_grad(Shape{outputs}),
      fan_in_(fan_in) {}

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
Linear<T>::Linear(Index in, Index out)
    : WeightedLayer<T>(LayerSpec{LayerKind::Linear, in, out}, Shape{in, out}, out, in) {}

template <class T>
void Linear<T>::forward(const Tensor<T>& x, Tensor<T>& y) {
  kernels::affine(x, this->weight, this->bias, y);  // Y = X·W + 1·bᵀ
}

template <class T>
void Linear<T>::backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx, GradMode mode) {
  const bool add = mode == GradMode::Accumulate;
  kernels::matmul(x, gy, this->weight_grad, /*transpose_a=*/true, false, add);  // dW (+)= Xᵀ·G
  kernels::column_sums(gy, this->bias_grad, add);                              // db (+)= Σ_n G
  if (gx) kernels::matmul(gy, this->weight, *gx, false, /*transpose_b=*/true);  // dX = G·Wᵀ
}

// ============================================================================================
// [SECTION] Conv2D
// ============================================================================================

template <class T>
Conv2D<T>::Conv2D(Index in_channels, Index out_channels, int kernel, int stride, int padding)
    : WeightedLayer<T>(LayerSpec{LayerKind::Conv2D, in_channels, out_channels, kernel, stride, padding},
                       Shape{out_channels, in_channels, kernel, kernel}, out_channels, in_channels * kernel * kernel) {}

template <class T>
void Conv2D<T>::forward(const Tensor<T>& x, Tensor<T>& y) {
  const LayerSpec& s = this->spec_;
  kernels::conv2d_forward(x, this->weight, &this->bias, s.stride, s.padding, y, &ws_);  // Y = W ⋆ X + b
}

template <class T>
void Conv2D<T>::backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx, GradMode mode) {
  const LayerSpec& s = this->spec_;
  // dW = Σ_n dY_n ⋆ X_n and db = Σ_{n,h,w} dY, written into the gradients or added to them.
  const bool add = mode == GradMode::Accumulate;
  kernels::conv2d_backward_weight(x, gy, this->weight.shape(), s.stride, s.padding, add ? weight_step_ : this->weight_grad,
                                  &ws_);
  kernels::conv2d_backward_bias(gy, add ? bias_step_ : this->bias_grad);
  if (add) {
    this->weight_grad.array() += weight_step_.array();
    this->bias_grad.array() += bias_step_.array();
  }
  if (gx) kernels::conv2d_backward_input(gy, this->weight, x.shape(), s.stride, s.padding, *gx, &ws_);  // dX = convᵀ(dY, W)
}

// ============================================================================================
// [SECTION] pooling, padding, flatten
// ============================================================================================

template <class T>
Pool2D<T>::Pool2D(const LayerSpec& spec) : Layer<T>(spec) {
  if (spec.kind != LayerKind::MaxPool2D && spec.kind != LayerKind::AvgPool2D)
    throw std::logic_error("Pool2D: the spec is not a pool");
}

template <class T>
void Pool2D<T>::forward(const Tensor<T>& x, Tensor<T>& y) {
  const LayerSpec& s = this->spec_;
  if (s.kind == LayerKind::MaxPool2D)
    kernels::maxpool_forward(x, pool_window(s), y, &argmax_);
  else
    kernels::avgpool_forward(x, pool_window(s), y);
}

template <class T>
void Pool2D<T>::backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx, GradMode) {
  if (!gx) return;
  const LayerSpec& s = this->spec_;
  if (s.kind == LayerKind::MaxPool2D)
    kernels::maxpool_backward(x, gy, pool_window(s), *gx, &argmax_);  // dX = upsample(dY, argmax mask)
  else
    kernels::avgpool_backward(x.shape(), gy, pool_window(s), *gx);  // dX = upsample(dY / divisor)
}

template <class T>
Padding<T>::Padding(int pad) : Layer<T>(LayerSpec{LayerKind::Padding, 0, 0, 0, 1, pad}) {}

template <class T>
void Padding<T>::forward(const Tensor<T>& x, Tensor<T>& y) {
  kernels::pad_forward(x, this->spec_.padding, y);
}

template <class T>
void Padding<T>::backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx, GradMode) {
  if (gx) kernels::unpad(gy, this->spec_.padding, *gx);  // dX = dY without its border
}

template <class T>
Flatten<T>::Flatten() : Layer<T>(LayerSpec{LayerKind::Flatten}) {}

template <class T>
void Flatten<T>::forward(const Tensor<T>& x, Tensor<T>& y) {
  ensure_shape(y, Shape{x.dim(0), x.size() / std::max<Index>(x.dim(0), 1)});
  std::copy(x.begin(), x.end(), y.begin());
}

template <class T>
void Flatten<T>::backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx, GradMode) {
  if (!gx) return;
  ensure_shape(*gx, x.shape());
  std::copy(gy.begin(), gy.end(), gx->begin());
}

// ============================================================================================
// [SECTION] activations
// ============================================================================================

template <class T>
Activation<T>::Activation(LayerKind kind) : Layer<T>(LayerSpec{kind}), op_(info(kind).op) {}

template <class T>
void Activation<T>::forward(const Tensor<T>& x, Tensor<T>& y) {
  kernels::unary_forward(op_, x, y);
}

template <class T>
void Activation<T>::backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx, GradMode) {
  if (gx) kernels::unary_backward(op_, x, y, gy, *gx);  // dX = dY ∘ f′(X)
}

// ============================================================================================
// [SECTION] make_layer
// ============================================================================================

template <class T>
std::unique_ptr<Layer<T>> make_layer(const LayerSpec& s) {
  switch (s.kind) {
    case LayerKind::Linear: return std::make_unique<Linear<T>>(s.in, s.out);
    case LayerKind::Conv2D: return std::make_unique<Conv2D<T>>(s.in, s.out, s.kernel, s.stride, s.padding);
    case LayerKind::MaxPool2D:
    case LayerKind::AvgPool2D: return std::make_unique<Pool2D<T>>(s);
    case LayerKind::Padding: return std::make_unique<Padding<T>>(s.padding);
    case LayerKind::Flatten: return std::make_unique<Flatten<T>>();
    default: return std::make_unique<Activation<T>>(s.kind);
  }
}

template <class T>
std::unique_ptr<Layer<T>> make_layer(const nlohmann::json& spec, const Shape& in, const std::string& where,
                                     const Shape& shown_in) {
  return make_layer<T>(parse_layer_spec(spec, in, where, shown_in));
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
template std::unique_ptr<Layer<float>> make_layer(const LayerSpec&);
template std::unique_ptr<Layer<double>> make_layer(const LayerSpec&);
template std::unique_ptr<Layer<float>> make_layer(const nlohmann::json&, const Shape&, const std::string&, const Shape&);
template std::unique_ptr<Layer<double>> make_layer(const nlohmann::json&, const Shape&, const std::string&, const Shape&);

}  // namespace gs::nn
