// Layers of a sequential model: Linear (PyTorch's default initialisation), Conv2D, MaxPool2D,
// AvgPool2D, zero Padding, Flatten, ReLU, Sigmoid, Tanh. Each forward and backward calls the
// engine's kernels (kernels.h, kernels_conv.h), where every derivative is written once; a layer
// only owns its parameters, its gradients and its scratch buffers.
// Depends on the engine (tensor, kernels) and nlohmann-json (specs). No threads, no I/O.
#pragma once

#include "engine/kernels_conv.h"
#include "engine/op.h"
#include "engine/tensor.h"
#include "nn/optimizer.h"
#include "nn/rng.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace gs::nn {

enum class LayerKind { Linear, Conv2D, MaxPool2D, AvgPool2D, Padding, Flatten, Relu, Sigmoid, Tanh };

// Tensors carry a leading batch axis: x (N, D) for vectors, (N, C, H, W) for images. Shapes given
// to output_shape() are per sample (no batch axis).
template <class T>
class Layer {
 public:
  virtual ~Layer() = default;
  virtual LayerKind kind() const = 0;
  // "Linear(784,256)", "Conv2D(1→6, 5×5, pad 2)", "ReLU".
  virtual std::string describe() const = 0;
  // The output shape of one sample, or an InputError saying why `in` does not fit ("expected 256
  // inputs"); make_layer prefixes the layer and the shape it follows.
  virtual Shape output_shape(const Shape& in) const = 0;

  virtual void forward(const Tensor<T>& x, Tensor<T>& y) = 0;
  // From dY, adds parameter gradients into the grads (+=; zeroed by zero_grad()) and, when
  // `gx` is not null, writes dX. x and y are the values of the forward pass just run.
  virtual void backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx) = 0;

  virtual std::vector<Param<T>> params() { return {}; }
  virtual void init(Rng& rng) {}
  void zero_grad() {
    for (auto& p : params()) p.grad->fill(T(0));
  }
  // The layer's spec, as make_layer reads it.
  virtual nlohmann::json spec() const = 0;
};

// A layer with a weight and a bias: their gradients, params() and PyTorch's default
// initialisation W, b ~ U(−1/√fan_in, 1/√fan_in) (kaiming_uniform_ with a = √5) live here once.
template <class T>
class WeightedLayer : public Layer<T> {
 public:
  std::vector<Param<T>> params() override;
  void init(Rng& rng) override;

  Tensor<T> weight, bias, weight_grad, bias_grad;

 protected:
  WeightedLayer(const Shape& weight_shape, Index outputs, Index fan_in);
  Index fan_in_;
};

// Y = X·W + b with W (in, out) as in seed 002 (torch.nn.Linear's initialisation).
template <class T>
class Linear final : public WeightedLayer<T> {
 public:
  Linear(Index in, Index out);
  LayerKind kind() const override { return LayerKind::Linear; }
  std::string describe() const override;
  Shape output_shape(const Shape& in) const override;
  void forward(const Tensor<T>& x, Tensor<T>& y) override;
  void backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx) override;
  nlohmann::json spec() const override;

 private:
  Index in_, out_;
  Tensor<T> ones_, bias_step_;  // 1 (N, 1) and this batch's db (1, out)
};

// Y = conv2d(X, W) + b, W (F, C, KH, KW), fan_in = C·KH·KW (torch.nn.Conv2d's initialisation).
template <class T>
class Conv2D final : public WeightedLayer<T> {
 public:
  Conv2D(Index in_channels, Index out_channels, int kernel, int stride, int padding);
  LayerKind kind() const override { return LayerKind::Conv2D; }
  std::string describe() const override;
  Shape output_shape(const Shape& in) const override;
  void forward(const Tensor<T>& x, Tensor<T>& y) override;
  void backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx) override;
  nlohmann::json spec() const override;

 private:
  Index in_, out_;
  int kernel_, stride_, padding_;
  kernels::ConvWorkspace<T> ws_;
  Tensor<T> weight_step_, bias_step_;  // this batch's dW, db before they are added in
};

// Max or average pooling over k×k windows with the given stride (default k).
template <class T>
class Pool2D final : public Layer<T> {
 public:
  Pool2D(bool max, int kernel, int stride);
  LayerKind kind() const override { return max_ ? LayerKind::MaxPool2D : LayerKind::AvgPool2D; }
  std::string describe() const override;
  Shape output_shape(const Shape& in) const override;
  void forward(const Tensor<T>& x, Tensor<T>& y) override;
  void backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx) override;
  nlohmann::json spec() const override;

 private:
  bool max_;
  int kernel_, stride_;
  std::vector<Index> argmax_;
};

// Zeros around H and W; its backward cuts the border off again.
template <class T>
class Padding final : public Layer<T> {
 public:
  explicit Padding(int pad) : pad_(pad) {}
  LayerKind kind() const override { return LayerKind::Padding; }
  std::string describe() const override;
  Shape output_shape(const Shape& in) const override;
  void forward(const Tensor<T>& x, Tensor<T>& y) override;
  void backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx) override;
  nlohmann::json spec() const override { return {{"type", "pad"}, {"padding", pad_}}; }

 private:
  int pad_;
};

// (N, C, H, W) → (N, C·H·W); its backward reshapes back.
template <class T>
class Flatten final : public Layer<T> {
 public:
  LayerKind kind() const override { return LayerKind::Flatten; }
  std::string describe() const override { return "Flatten"; }
  Shape output_shape(const Shape& in) const override;
  void forward(const Tensor<T>& x, Tensor<T>& y) override;
  void backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx) override;
  nlohmann::json spec() const override { return {{"type", "flatten"}}; }
};

// ReLU, Sigmoid or Tanh through kernels::unary_forward/backward.
template <class T>
class Activation final : public Layer<T> {
 public:
  explicit Activation(LayerKind kind);
  LayerKind kind() const override { return kind_; }
  std::string describe() const override;
  Shape output_shape(const Shape& in) const override { return in; }
  void forward(const Tensor<T>& x, Tensor<T>& y) override;
  void backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx) override;
  nlohmann::json spec() const override;

 private:
  LayerKind kind_;
  Op op_;
};

// Builds one layer from its spec given the incoming sample shape (Linear's "in" and Conv2D's
// "in_channels" are inferred, and checked when given). `where` ("layer 7") and `shown_in` (the
// shape to name: before a flatten, the image shape) make the message:
//   "layer 7: Linear(400,120) after a [16×4×4] output: expected 256 inputs".
//   {"type": "linear", "out": 256[, "in": 784]}
//   {"type": "conv", "out_channels": 6, "kernel": 5[, "stride": 1, "padding": 0, "in_channels"]}
//   {"type": "maxpool" | "avgpool", "kernel": 2[, "stride": kernel]}
//   {"type": "pad", "padding": 2}, {"type": "flatten"}, {"type": "relu" | "sigmoid" | "tanh"}
template <class T>
std::unique_ptr<Layer<T>> make_layer(const nlohmann::json& spec, const Shape& in, const std::string& where,
                                     const Shape& shown_in);

}  // namespace gs::nn
