// Optimizers over a model's parameters, each update written as torch.optim 1.13 writes it (the
// single-tensor code paths): SGD with momentum in PyTorch's form (v = μv + g, θ −= ηv) or in seed
// 002's form (v = μv − ηg, θ += v), Nesterov, Adam, AdamW; L2 weight decay as grad += λW, L1 as
// grad += λ·sign(W), AdamW's decoupled decay; gradient clipping by global norm.
// Depends on the engine's Tensor and nlohmann-json (specs, checkpoint state). No threads.
#pragma once

#include "engine/tensor.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace gs::nn {

// One trainable tensor and its gradient, owned by a layer; `name` says where it lives
// ("layer 3 (linear) weight") for the NaN sentinel and the per-layer gradient norms.
template <class T>
struct Param {
  std::string name;
  Tensor<T>* value = nullptr;
  Tensor<T>* grad = nullptr;
  int layer = 0;
};

enum class OptimizerKind { Sgd, Adam, AdamW };
enum class MomentumForm { PyTorch, Seed002 };

struct OptimizerConfig {
  OptimizerKind kind = OptimizerKind::Sgd;
  double lr = 0.01;
  // SGD
  double momentum = 0.0;
  double dampening = 0.0;
  bool nesterov = false;
  MomentumForm form = MomentumForm::PyTorch;
  // Adam, AdamW
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  bool amsgrad = false;
  // Regularisation: L2 (SGD, Adam: grad += λW; AdamW: θ ·= 1 − ηλ), L1 (grad += λ·sign W).
  double weight_decay = 0.0;
  double l1 = 0.0;
  // Global-norm clipping before the update; 0 = off.
  double clip_norm = 0.0;
};

// {"name": "sgd" | "adam" | "adamw", "lr": ..., "momentum": ..., "nesterov": ..., "form":
// "pytorch" | "seed002", "betas": [b1, b2], "eps", "amsgrad", "weight_decay", "l1", "clip_norm"}.
// Bad values throw InputError naming the key.
OptimizerConfig parse_optimizer(const nlohmann::json& spec);
nlohmann::ordered_json to_json(const OptimizerConfig& config);  // keys in reading order

template <class T>
class Optimizer {
 public:
  explicit Optimizer(const OptimizerConfig& config);

  // The parameters to update. With `arena` (a model's: Model::arena_values/arena_grads/arena_size)
  // every parameter lies inside it and the update is one pass over the whole block (the zeros
  // between parameters stay zero); without, each parameter is a piece of its own.
  struct Arena {
    T* values = nullptr;
    T* grads = nullptr;
    Index size = 0;
  };
  void attach(std::vector<Param<T>> params, Arena arena = {});
  const std::vector<Param<T>>& params() const { return params_; }
  const OptimizerConfig& config() const { return config_; }

  // The learning rate and momentum (SGD's μ or Adam's β1) in force; schedules set them.
  void set_lr(double lr) { config_.lr = lr; }
  double lr() const { return config_.lr; }
  void set_momentum(double m);
  // Global-norm clipping from the next step on (0: off).
  void set_clip_norm(double max_norm) { config_.clip_norm = max_norm; }

  // Adds L1, clips, and updates every parameter from its gradient. Returns the global gradient
  // norm before clipping when clipping is on (NaN otherwise: the session measures it per layer).
  double step();
  // step() in pieces, for a caller that updates on several threads: begin_step() (L1, clipping:
  // passes over every gradient; the step count), then update_range() over disjoint ranges of
  // [0, flat_size()) that cover it, in any order, concurrently if it likes. Every element's
  // update depends on that element alone, so any cut gives the same bits.
  double begin_step();
  void update_range(Index begin, Index end);
  Index flat_size() const { return flat_size_; }

  nlohmann::json state() const;
  void load_state(const nlohmann::json& state);
  // The same state as plain numbers, for a run that keeps states in memory (TrainingRun's epoch
  // states for going back after the sentinel): save_state() copies into `out`'s vectors (no
  // allocation once they have the size: flat_size() each), load_state() puts it back exactly.
  struct RawState {
    std::vector<T> m, v, v_max;  // empty where the optimizer has none
    bool has_m = false;
    double steps = 0, lr = 0;
  };
  void save_state(RawState& out) const;
  void load_state(const RawState& in);

 private:
  // A run of consecutive elements: values, gradients and the optimizer's state at `offset` of the
  // flat state buffers.
  struct Piece {
    T* value;
    T* grad;
    Index offset, size;
  };
  void update(const Piece& p, Index begin, Index end);
  void allocate_state();

  OptimizerConfig config_;
  std::vector<Param<T>> params_;
  std::vector<Index> param_offset_;  // each parameter's place in the flat state
  std::vector<Piece> pieces_;
  Index flat_size_ = 0;
  bool in_arena_ = false;  // pieces_ is the one arena (else one piece per parameter, in order)
  // Momentum buffer or Adam's first moment; second moment; AMSGrad's max: flat, aligned.
  AlignedBuffer<T> m_, v_, v_max_;
  bool has_m_ = false;   // the momentum buffer holds a value (PyTorch: v = g on the first step)
  bool first_ = false;   // this step is the first since has_m_ became true
  double steps_ = 0;     // Adam's step count (a float tensor in torch)
  // Per step: the scalars of the update, in the parameter's type.
  struct Scalars {
    T lr, neg_lr, mu, keep, wd, shrink, beta1, beta2, one_minus_b1, one_minus_b2, neg_step, bias2_sqrt, eps;
  } k_{};
};

// torch.nn.utils.clip_grad_norm_: total = ‖(‖g₁‖, ‖g₂‖, …)‖₂, every g ·= min(1, max/(total + 1e-6)).
// Returns the total norm before clipping.
template <class T>
double clip_grad_norm(const std::vector<Param<T>>& params, double max_norm);

template <class T>
double grad_norm(const std::vector<Param<T>>& params);

// Σ t² in double, summed in index order: the same bits wherever the tensor lives (Eigen's own
// reductions peel elements according to alignment and so round differently from run to run).
template <class T>
double sum_of_squares(const Tensor<T>& t);

}  // namespace gs::nn
