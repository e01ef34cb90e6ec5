// A training step cut into batch parts (contract in train_step.h).
// Depends on the model, the optimizer and workers.h.
#include "nn/train_step.h"

#include <algorithm>

namespace gs::nn {

namespace {

// Below these sizes a helper's wake-up costs more than the work it takes over: the parts then
// run one after the other on the caller (the same arithmetic either way).
constexpr double kMinFlopsPerPart = 1e6;      // about 20 µs of a core's matrix products
constexpr Index kMinElementsPerPart = 1 << 16;  // of the parameter arena, per optimizer range

}  // namespace

TrainStep::TrainStep(Model<float>& model, Optimizer<float>& optimizer, LossKind loss, int threads, bool adaptive)
    : model_(model),
      optimizer_(optimizer),
      loss_(loss),
      parts_(std::max(threads, 1)),
      workers_(parts_, adaptive),
      dz_(static_cast<std::size_t>(parts_)),
      loss_share_(static_cast<std::size_t>(parts_)),
      correct_(static_cast<std::size_t>(parts_)) {
  model_.set_parts(parts_);
}

int TrainStep::parts_for(Index rows) const { return static_cast<int>(std::clamp<Index>(rows, 1, parts_)); }

template <bool kBackward>
TrainStep::Result TrainStep::run(const TensorF& x, const std::vector<std::int32_t>& labels) {
  const Index rows = x.rank() > 0 ? x.dim(0) : 0;
  if (static_cast<Index>(labels.size()) != rows)
    throw std::invalid_argument("TrainStep: " + std::to_string(labels.size()) + " labels for a batch " +
                                x.shape().to_string());
  const int parts = parts_for(rows);
  const Index row_size = rows > 0 ? x.size() / rows : 0;
  workers_.run(parts, [&](int p) {
    const Index r0 = first_row(rows, parts, p), r1 = first_row(rows, parts, p + 1);
    Shape s = x.shape();
    s[0] = r1 - r0;
    // The part's rows of the batch, read in place.
    const TensorF xp = TensorF::view(const_cast<float*>(x.data()) + r0 * row_size, s);
    const TensorF& z = model_.forward(xp, p);
    const auto i = static_cast<std::size_t>(p);
    loss_share_[i] = compute_loss(loss_, z, labels.data() + r0, kBackward ? &dz_[i] : nullptr, rows);
    correct_[i] = count_correct(z, labels.data() + r0);
    if constexpr (kBackward) model_.backward(dz_[i], nullptr, p, GradMode::Overwrite);
  }, model_.flops_per_sample() * (kBackward ? 3.0 : 1.0) * static_cast<double>(rows / parts) >= kMinFlopsPerPart);
  Result r;
  for (int p = 0; p < parts; ++p) {
    r.loss += loss_share_[static_cast<std::size_t>(p)];
    r.correct += correct_[static_cast<std::size_t>(p)];
  }
  if constexpr (kBackward) {
    // dL/dθ = Σ_parts dL_p/dθ, added in part order; one range of the arena per part.
    if (parts > 1) {
      const Index n = model_.arena_size();
      const auto add_range = [&](int p) {
        model_.add_part_grads(parts, first_row(n, parts, p), first_row(n, parts, p + 1));
      };
      // A small arena is summed on the caller without a Workers job, so that workers().active()
      // still tells the threads the parts ran on (bench's threads_used).
      if (n / parts >= kMinElementsPerPart)
        workers_.run(parts, [&](int p) { add_range(p); });
      else
        for (int p = 0; p < parts; ++p) add_range(p);
    }
  }
  return r;
}

TrainStep::Result TrainStep::forward_backward(const TensorF& x, const std::vector<std::int32_t>& labels) {
  return run<true>(x, labels);
}

TrainStep::Result TrainStep::evaluate(const TensorF& x, const std::vector<std::int32_t>& labels) {
  return run<false>(x, labels);
}

void TrainStep::update() {
  optimizer_.begin_step();
  const Index n = optimizer_.flat_size();
  workers_.run(
      parts_, [&](int p) { optimizer_.update_range(first_row(n, parts_, p), first_row(n, parts_, p + 1)); },
      n / parts_ >= kMinElementsPerPart);
}

}  // namespace gs::nn
