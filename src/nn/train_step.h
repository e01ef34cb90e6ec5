// One training step as a session runs it, and the same split for evaluation: the batch is cut
// into `parts` consecutive row ranges (the config's thread count, fewer for a smaller batch);
// each part's forward, loss and backward run on a thread of the session's Workers where one is
// free; the parts' gradients are added in part order; then the optimizer updates the parameter
// arena, a range per part. The parts, not the threads, fix the arithmetic: a run gives the same
// bits whether the machine let it use two threads or one. The benchmarks time exactly this.
// Depends on the model, the optimizer and workers.h.
#pragma once

#include "nn/model.h"
#include "nn/optimizer.h"
#include "nn/workers.h"

#include <cstdint>
#include <vector>

namespace gs::nn {

class TrainStep {
 public:
  // The model gets `threads` parts (Model::set_parts). `adaptive` as for Workers.
  TrainStep(Model<float>& model, Optimizer<float>& optimizer, LossKind loss, int threads, bool adaptive = true);

  struct Result {
    double loss = 0;    // the batch's mean loss
    Index correct = 0;  // rows whose largest output is the label
  };
  // Forward, loss and backward of x (N, …input) against `labels` (N): afterwards the model's
  // parameter gradients hold this batch's gradient (overwritten, as zero_grad() then backward())
  // and each part's activations are kept (Model::activation). InputError for a label outside the
  // model's outputs.
  Result forward_backward(const TensorF& x, const std::vector<std::int32_t>& labels);
  // The optimizer's step over every parameter.
  void update();
  // Loss and correct count of x without gradients (evaluation; activations are overwritten).
  Result evaluate(const TensorF& x, const std::vector<std::int32_t>& labels);

  // Parts a batch of `rows` rows is cut into, and the rows of part p: [first_row(p), first_row(p + 1)).
  int parts_for(Index rows) const;
  static Index first_row(Index rows, int parts, int p) { return rows * p / parts; }
  Workers& workers() { return workers_; }
  const Workers& workers() const { return workers_; }

 private:
  template <bool kBackward>
  Result run(const TensorF& x, const std::vector<std::int32_t>& labels);

  Model<float>& model_;
  Optimizer<float>& optimizer_;
  LossKind loss_;
  int parts_;
  Workers workers_;
  std::vector<TensorF> x_part_, dz_;  // per part: its rows of the batch (a view), dL/dz
  std::vector<double> loss_share_;
  std::vector<Index> correct_;
};

}  // namespace gs::nn
