// A model: a sequence of layers whose per-sample shapes are computed and checked when it is
// built, the activations kept for the backward sweep, and the losses that start it (softmax
// cross-entropy, MSE against one-hot targets, multi-class hinge) through the engine's kernels.
// Depends on layers.h and the engine. No threads, no I/O.
#pragma once

#include "nn/layers.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace gs::nn {

// A model as a config describes it, read and checked once: the sample shape, every layer's spec,
// and the per-sample shape after each layer. Nothing is allocated to check it.
struct ModelSpec {
  Shape input;                    // one sample: (D), or (C, H, W)
  std::vector<LayerSpec> layers;
  std::vector<Shape> shapes;      // shapes[i]: the output of layer i
  Index outputs() const { return shapes.empty() ? input.size() : shapes.back().size(); }
  friend bool operator==(const ModelSpec&, const ModelSpec&) = default;
};

// {"input": [1, 28, 28], "layers": [{"type": "conv", ...}, ...]}: every layer is checked against
// the shape it receives; the first misfit throws InputError naming the layer
// ("layer 7: Linear(400,120) after a [16×4×4] output: expected 256 inputs").
ModelSpec parse_model_spec(const nlohmann::json& spec);
nlohmann::ordered_json to_json(const ModelSpec& spec);

template <class T>
class Model {
 public:
  // The layers of a checked spec, weights uninitialised (init()).
  static Model build(const ModelSpec& spec);
  // parse_model_spec then build.
  static Model build(const nlohmann::json& spec);

  Model() = default;
  Model(Model&&) noexcept = default;
  Model& operator=(Model&&) noexcept = default;

  const ModelSpec& spec() const { return spec_; }
  const Shape& input_shape() const { return spec_.input; }
  // Per-sample output shapes, one per layer.
  const std::vector<Shape>& shapes() const { return spec_.shapes; }
  Index outputs() const { return spec_.outputs(); }
  int size() const { return static_cast<int>(layers_.size()); }
  Layer<T>& layer(int i) { return *layers_[static_cast<std::size_t>(i)]; }
  const Layer<T>& layer(int i) const { return *layers_[static_cast<std::size_t>(i)]; }
  Index parameter_count() const;

  // PyTorch's default initialisation, drawn from one seeded stream layer after layer.
  void init(std::uint64_t seed);

  // Runs every layer on x (N, …input); returns the last output (N, outputs). The activations stay
  // until the next forward, for backward().
  const Tensor<T>& forward(const Tensor<T>& x);
  // The value after layer i of the last forward.
  const Tensor<T>& activation(int i) const { return acts_[static_cast<std::size_t>(i)]; }
  // From dL/d(output), adds into every parameter gradient; writes dL/dX into dx when given.
  void backward(const Tensor<T>& d_output, Tensor<T>* dx = nullptr);
  void zero_grad();

  // Every trainable tensor, named "layer 3 Linear(784,256) weight", with its layer index.
  std::vector<Param<T>> params();

 private:
  ModelSpec spec_;
  std::vector<std::unique_ptr<Layer<T>>> layers_;
  const Tensor<T>* x_ = nullptr;
  std::vector<Tensor<T>> acts_;     // acts_[i]: output of layer i
  std::vector<Tensor<T>> d_input_;  // d_input_[i]: dL/d(input of layer i)
};

enum class LossKind { CrossEntropy, Mse, Hinge };
LossKind parse_loss(const std::string& name);  // "cross_entropy" | "mse" | "hinge"
std::string loss_name(LossKind kind);

// The loss of a batch of outputs z (N, C) against class labels, and dL/dz into dz:
//   cross-entropy  L = (1/N) Σ (logsumexp z_n − z_n,y_n),   dZ = (softmax Z − Y)/N
//   mse            L = mean((Z − onehot(y))²),              dZ = 2(Z − Y)/(N·C)
//   hinge          L = (1/N) Σ_n Σ_{j≠y} max(0, z_nj − z_n,y + 1)
template <class T>
T compute_loss(LossKind kind, const Tensor<T>& z, const std::vector<std::int32_t>& labels, Tensor<T>* dz);

// The class one row of outputs predicts: the index of its largest entry (the first of equals), as
// torch.argmax. Every accuracy, confusion matrix and prediction in gradscope uses this rule.
template <class T>
inline Index predicted_class(const T* row, Index classes) {
  Index best = 0;
  for (Index j = 1; j < classes; ++j)
    if (row[j] > row[best]) best = j;
  return best;
}

// How many rows of z have their largest entry at the label.
template <class T>
Index count_correct(const Tensor<T>& z, const std::vector<std::int32_t>& labels);

}  // namespace gs::nn
