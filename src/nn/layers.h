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

// One layer of a model spec, read and checked once (parse_layer_spec) and built from (make_layer).
// Shapes are per sample (no batch axis).
struct LayerSpec {
  LayerKind kind = LayerKind::Linear;
  Index in = 0;     // Linear: inputs; Conv2D: input channels (from the shape it follows unless given)
  Index out = 0;    // Linear: outputs; Conv2D: output channels
  int kernel = 0;   // Conv2D, pools: the square window
  int stride = 1;   // Conv2D, pools (a pool's default is its kernel)
  int padding = 0;  // Conv2D, Padding: zeros on each side of H and W; pools: torch's padding (≤ kernel/2)
  bool ceil_mode = false;         // pools: torch's ceil_mode (kernels_conv.h's PoolWindow)
  bool count_include_pad = true;  // avgpool: torch's count_include_pad
  friend bool operator==(const LayerSpec&, const LayerSpec&) = default;
};

// A pool layer's window as the kernels take it.
kernels::PoolWindow pool_window(const LayerSpec& spec);

// "Linear(784,256)", "Conv2D(1→6, 5×5, pad 2)", "MaxPool2D(2)", "ReLU".
std::string describe(const LayerSpec& spec);
// The output shape of one sample, or an InputError saying why `in` does not fit ("expected 256
// inputs"); parse_layer_spec prefixes the layer and the shape it follows.
Shape output_shape(const LayerSpec& spec, const Shape& in);
// The spec as a config writes it: {"type": "conv", "in_channels": 1, "out_channels": 6, ...}.
nlohmann::ordered_json to_json(const LayerSpec& spec);

// Reads one layer's spec given the incoming sample shape (Linear's "in" and Conv2D's
// "in_channels" are inferred, and checked when given). `where` ("layer 7") and `shown_in` (the
// shape to name: before a flatten, the image shape) make the message:
//   "layer 7: Linear(400,120) after a [16×4×4] output: expected 256 inputs".
//   {"type": "linear", "out": 256[, "in": 784]}
//   {"type": "conv", "out_channels": 6, "kernel": 5[, "stride": 1, "padding": 0, "in_channels"]}
//   {"type": "maxpool" | "avgpool", "kernel": 2[, "stride": kernel, "padding": 0, "ceil_mode": false]}
//     (avgpool also ["count_include_pad": true]; torch's names and meanings)
//   {"type": "pad", "padding": 2}, {"type": "flatten"}, {"type": "relu" | "sigmoid" | "tanh"}
LayerSpec parse_layer_spec(const nlohmann::json& spec, const Shape& in, const std::string& where,
                           const Shape& shown_in);

// What a backward pass does with the parameter gradients: add this batch's into them (+=, after
// an explicit zero_grad()), or overwrite them with it, which is the same as zero_grad() then
// Accumulate without the pass that writes the zeros.
enum class GradMode { Accumulate, Overwrite };

// Tensors carry a leading batch axis: x (N, D) for vectors, (N, C, H, W) for images. A layer knows
// its LayerSpec, from which its description, output shape and JSON come.
template <class T>
class Layer {
 public:
  explicit Layer(const LayerSpec& spec) : spec_(spec) {}
  virtual ~Layer() = default;
  LayerKind kind() const { return spec_.kind; }
  const LayerSpec& layer_spec() const { return spec_; }
  std::string describe() const { return nn::describe(spec_); }
  Shape output_shape(const Shape& in) const { return nn::output_shape(spec_, in); }
  nlohmann::json spec() const { return nlohmann::json(to_json(spec_)); }

  virtual void forward(const Tensor<T>& x, Tensor<T>& y) = 0;
  // From dY, adds parameter gradients into the grads (+=; zeroed by zero_grad()), or overwrites
  // them (GradMode), and, when `gx` is not null, writes dX. x and y are the values of the forward
  // pass just run.
  virtual void backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx,
                        GradMode mode = GradMode::Accumulate) = 0;

  virtual std::vector<Param<T>> params() { return {}; }
  virtual void init(Rng& rng) {}
  void zero_grad() {
    for (auto& p : params()) p.grad->fill(T(0));
  }

 protected:
  LayerSpec spec_;
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
  WeightedLayer(const LayerSpec& spec, const Shape& weight_shape, Index outputs, Index fan_in);
  Index fan_in_;
};

// Y = X·W + b with W (in, out) as in seed 002 (torch.nn.Linear's initialisation).
template <class T>
class Linear final : public WeightedLayer<T> {
 public:
  Linear(Index in, Index out);
  void forward(const Tensor<T>& x, Tensor<T>& y) override;
  void backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx,
                GradMode mode = GradMode::Accumulate) override;
};

// Y = conv2d(X, W) + b, W (F, C, KH, KW), fan_in = C·KH·KW (torch.nn.Conv2d's initialisation).
template <class T>
class Conv2D final : public WeightedLayer<T> {
 public:
  Conv2D(Index in_channels, Index out_channels, int kernel, int stride, int padding);
  void forward(const Tensor<T>& x, Tensor<T>& y) override;
  void backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx,
                GradMode mode = GradMode::Accumulate) override;

 private:
  kernels::ConvWorkspace<T> ws_;
  Tensor<T> weight_step_, bias_step_;  // this batch's dW, db before they are added in
};

// Max or average pooling over k×k windows with the given stride (default k), and torch's padding,
// ceil_mode and count_include_pad (spec.kind: MaxPool2D or AvgPool2D).
template <class T>
class Pool2D final : public Layer<T> {
 public:
  explicit Pool2D(const LayerSpec& spec);
  void forward(const Tensor<T>& x, Tensor<T>& y) override;
  void backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx,
                GradMode mode = GradMode::Accumulate) override;

 private:
  std::vector<Index> argmax_;
};

// Zeros around H and W; its backward cuts the border off again.
template <class T>
class Padding final : public Layer<T> {
 public:
  explicit Padding(int pad);
  void forward(const Tensor<T>& x, Tensor<T>& y) override;
  void backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx,
                GradMode mode = GradMode::Accumulate) override;
};

// (N, C, H, W) → (N, C·H·W); its backward reshapes back.
template <class T>
class Flatten final : public Layer<T> {
 public:
  Flatten();
  void forward(const Tensor<T>& x, Tensor<T>& y) override;
  void backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx,
                GradMode mode = GradMode::Accumulate) override;
};

// ReLU, Sigmoid or Tanh through kernels::unary_forward/backward.
template <class T>
class Activation final : public Layer<T> {
 public:
  explicit Activation(LayerKind kind);
  void forward(const Tensor<T>& x, Tensor<T>& y) override;
  void backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>* gx,
                GradMode mode = GradMode::Accumulate) override;

 private:
  Op op_;
};

// The layer a checked spec describes (weights uninitialised: Model::init fills them).
template <class T>
std::unique_ptr<Layer<T>> make_layer(const LayerSpec& spec);
// parse_layer_spec then make_layer.
template <class T>
std::unique_ptr<Layer<T>> make_layer(const nlohmann::json& spec, const Shape& in, const std::string& where,
                                     const Shape& shown_in);

}  // namespace gs::nn
