// Replaying a training step inside the graph: the computation graph of a model on one mini-batch
// (X @ W1 + b1 → tanh → … → ce(Z, Y); conv nets as conv2d / maxpool / flatten nodes), with the
// weights as they were at that step as input values, plus the regularisation term when the
// optimizer decays weights (seed 003's J = L + s), so that the Graph page can step it; and the
// comparison of the graph's adjoints (double) with the trainer's own gradients (float) for that
// batch. Replaying builds its own run from the config: it never touches a run in progress.
// Depends on the engine (graph, autodiff, graph files) and the nn config, model and trainer.
#pragma once

#include "engine/graph_json.h"
#include "nn/config.h"
#include "nn/model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace gs::nn {

// The graph of `model` on a batch x (N, …input) with class labels y, its loss, and the
// regularisation of `optimizer`:
//   s = (weight_decay / 2) · Σ_params Σ w²  for SGD and Adam, whose update adds weight_decay · w
//       to every gradient (torch's weight_decay; AdamW's decay is decoupled: no term), and
//     + l1 · Σ_params Σ |w|                 when l1 > 0 (gradient l1 · sign w).
// Inputs: X, Y (one-hot (N, C)), then W1, b1, W2, b2, … for the layers with parameters in order;
// their values are the model's current weights and the batch, in double. Output: J = L + s (L
// alone without regularisation). `title` heads the document.
GraphDocument network_graph(const Model<float>& model, LossKind loss, const OptimizerConfig& optimizer,
                            const TensorF& x, const std::vector<std::int32_t>& y, int classes, const std::string& title);

// One parameter of the comparison.
struct ParamReplay {
  std::string input;      // the graph's name: "W1"
  std::string name;       // the trainer's: "layer 0 Linear(2,16) weight"
  Shape shape;
  // max_i |g_i − a_i| / max_i |a_i|: g the trainer's gradient (plus the optimizer's regularisation
  // gradient), a the graph's adjoint; relative to the largest adjoint of that parameter, so that
  // elements near zero do not dominate. 0 when both are zero.
  double max_rel_diff = 0;
  double max_abs_diff = 0;
};

struct StepReplay {
  std::int64_t step = 0;       // 1-based, as the metrics' step column
  double loss_trainer = 0;     // the trainer's loss on these samples (float)
  double loss_graph = 0;       // L in the graph (double)
  double objective_graph = 0;  // J = L + s (equal to loss_graph without regularisation)
  Index samples = 0;           // rows of the batch in the graph
  GraphDocument document;
  std::vector<ParamReplay> params;
};

// Runs `config` from its seed for step − 1 steps, takes step `step`'s mini-batch (its first
// `samples` rows; 0 = the whole batch) and weights, computes the trainer's gradients on it with
// the trainer's own forward and backward, builds the graph and compares. InputError when step is
// not in 1 … the run's total steps, or samples is negative; the run's own errors (data files,
// a non-finite loss before step) as they are.
StepReplay replay_step(const TrainConfig& config, std::int64_t step, Index samples = 0);

}  // namespace gs::nn
