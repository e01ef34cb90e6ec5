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
// ("layer 7: Linear(400,120) after a [16×4×4] output: expected 256 inputs"). Sizes are refused
// before anything is allocated: at most kMaxSampleValues values in one sample's input or any
// layer's output, at most kMaxParameters parameters in the whole model (400 MB of floats).
ModelSpec parse_model_spec(const nlohmann::json& spec);
inline constexpr long long kMaxSampleValues = 1LL << 24;  // 16,777,216
inline constexpr long long kMaxParameters = 100'000'000;
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
  int size() const { return static_cast<int>(spec_.layers.size()); }
  Layer<T>& layer(int i) { return *parts_[0].layers[static_cast<std::size_t>(i)]; }
  const Layer<T>& layer(int i) const { return *parts_[0].layers[static_cast<std::size_t>(i)]; }
  Index parameter_count() const;
  // Multiply-adds ×2 of one sample's forward pass (the matrix products; other layers count one
  // per output): what a step's threads are worth.
  double flops_per_sample() const;

  // PyTorch's default initialisation, drawn from one seeded stream layer after layer.
  void init(std::uint64_t seed);

  // Runs every layer on x (N, …input); returns the last output (N, outputs). The activations stay
  // until the next forward of the same part, for backward(). Parts (set_parts) are independent
  // copies of the layers' buffers sharing the parameters: different parts may run at the same
  // time on different threads, each on its own rows of a batch.
  const Tensor<T>& forward(const Tensor<T>& x, int part = 0);
  // The value after layer i of part `part`'s last forward.
  const Tensor<T>& activation(int i, int part = 0) const {
    return parts_[static_cast<std::size_t>(part)].acts[static_cast<std::size_t>(i)];
  }
  // From dL/d(output), adds into (or overwrites) part `part`'s parameter gradients (part 0's are
  // the ones params() names); writes dL/dX into dx when given.
  void backward(const Tensor<T>& d_output, Tensor<T>* dx = nullptr, int part = 0, GradMode mode = GradMode::Accumulate);
  // Zeroes the gradients of every part.
  void zero_grad();

  // Parts for data-parallel steps: 1 by default; more are built on demand.
  void set_parts(int parts);
  int parts() const { return static_cast<int>(parts_.size()); }
  // Part 0's gradients += those of parts 1 … parts − 1, in that order, for arena elements
  // [begin, end): disjoint ranges may run on different threads.
  void add_part_grads(int parts, Index begin, Index end);

  // The parameter arena: every parameter's values, one after the other in params() order, each
  // starting on a 64-byte boundary with zeros between them, in one block; part 0's gradients in a
  // second block of the same layout. The layers' weight and bias tensors are views into it, so
  // the optimizer can update every parameter in one pass.
  Index arena_size() const { return values_.size(); }
  T* arena_values() { return values_.data(); }
  T* arena_grads() { return grads_.data(); }

  // Every trainable tensor, named "layer 3 Linear(784,256) weight", with its layer index.
  std::vector<Param<T>> params();

 private:
  struct Part {
    std::vector<std::unique_ptr<Layer<T>>> layers;
    const Tensor<T>* x = nullptr;
    std::vector<Tensor<T>> acts;     // acts[i]: output of layer i
    std::vector<Tensor<T>> d_input;  // d_input[i]: dL/d(input of layer i)
    AlignedBuffer<T> grads;          // parts ≥ 1: their own gradients, in the arena's layout
  };
  std::vector<Param<T>> raw_params(int part);
  void bind(int part, T* grads);

  ModelSpec spec_;
  std::vector<Part> parts_;
  AlignedBuffer<T> values_, grads_;
  std::vector<Index> offsets_;  // of each parameter in the arena, in params() order
};

enum class LossKind { CrossEntropy, Mse, Hinge };
LossKind parse_loss(const std::string& name);  // "cross_entropy" | "mse" | "hinge"
std::string loss_name(LossKind kind);

// The loss of a batch of outputs z (N, C) against class labels, and dL/dz into dz:
//   cross-entropy  L = (1/N) Σ (logsumexp z_n − z_n,y_n),   dZ = (softmax Z − Y)/N
//   mse            L = mean((Z − onehot(y))²),              dZ = 2(Z − Y)/(N·C)
//   hinge          L = (1/N) Σ_n Σ_{j≠y} max(0, z_nj − z_n,y + 1)
// InputError for a label outside the outputs.
template <class T>
T compute_loss(LossKind kind, const Tensor<T>& z, const std::vector<std::int32_t>& labels, Tensor<T>* dz);
// The same for rows z (n, C), labels[0 … n), that are part of a batch of `batch_rows` rows: their
// share of the batch's loss (N = batch_rows above) and their rows of its gradient.
template <class T>
T compute_loss(LossKind kind, const Tensor<T>& z, const std::int32_t* labels, Tensor<T>* dz, Index batch_rows);

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
template <class T>
Index count_correct(const Tensor<T>& z, const std::int32_t* labels);

}  // namespace gs::nn
