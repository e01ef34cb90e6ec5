// The parameters of a training run, as the training thread last published them for readers on
// other threads (the desktop program evaluates them to draw decision boundaries, image
// predictions and weight heatmaps; it never touches the live model). Double-buffered: the writer
// fills the back buffer with no lock held and no allocation, then swaps it to the front under a
// mutex held only for the swap; a reader copies the front buffer under the same mutex, with
// try_lock, so a 60 Hz frame never waits. SnapshotModel evaluates a snapshot on the reader's
// side. Depends on the engine's Tensor, model.h (Param, Model) and <mutex>.
#pragma once

#include "engine/tensor.h"
#include "nn/model.h"
#include "nn/optimizer.h"

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace gs::nn {

// One published state of the model.
struct ModelSnapshot {
  std::uint64_t version = 0;  // 0: nothing published yet; then 1, 2, … in publish order
  std::int64_t step = 0;      // batches done when it was taken
  int epoch = 0;              // 0-based epoch the next batch belongs to
  // Per parameter, in Model::params() order: its value and the gradient of the last batch
  // (shapes as the layer holds them: a Linear weight (in, out), a Conv2D weight (F, C, KH, KW)).
  std::vector<std::string> names;  // "layer 1 Linear(2,16) weight"
  std::vector<int> layers;         // the 0-based layer each parameter belongs to
  std::vector<TensorF> values, grads;
  // The class predicted for every sample of the evaluation set (the test set), made with the
  // parameters of step `predictions_step`; empty, and the step −1, until the first evaluation.
  std::vector<std::int32_t> predictions;
  std::int64_t predictions_step = -1;
};

// Contract: one writer thread calls publish(); any number of readers call read_if_newer() from
// other threads. prepare() sizes both buffers (it allocates) and must be called before the writer
// thread starts. publish() copies into the back buffer without a lock (only the writer touches
// it), then takes the mutex to swap: it waits at most for one reader's copy. Readers try_lock:
// busy means "nothing new this frame".
class SnapshotChannel {
 public:
  // Both buffers sized for these parameters and for `predictions` evaluation samples.
  void prepare(const std::vector<Param<float>>& params, std::size_t predictions);
  bool prepared() const { return prepared_; }

  // Writer: copies every parameter's value and gradient, and the latest predictions (when
  // `predictions` is non-null; its size must be the prepared one), then makes them the front.
  // No allocation.
  void publish(const std::vector<Param<float>>& params, std::int64_t step, int epoch,
               const std::vector<std::int32_t>* predictions, std::int64_t predictions_step);

  // Reader: copies the front buffer into *out when it is newer than out->version. False when
  // nothing newer was published or the lock was busy (try again next frame).
  bool read_if_newer(ModelSnapshot* out) const;
  // The version of the front buffer (0 before the first publish), without copying; −1 if busy.
  std::int64_t version() const;

 private:
  mutable std::mutex mutex_;
  std::array<ModelSnapshot, 2> buffers_;
  int front_ = 0;          // guarded by mutex_; the writer owns buffers_[1 − front_]
  std::uint64_t published_ = 0;
  bool prepared_ = false;
};

// Copies a model's parameters into a snapshot synchronously (no thread involved): what a run
// stepped on the caller's thread shows (`gradscope --screenshot --train-steps K`). Allocates.
void take_snapshot(const std::vector<Param<float>>& params, std::int64_t step, int epoch,
                   const std::vector<std::int32_t>* predictions, std::int64_t predictions_step, ModelSnapshot* out);

// A model rebuilt from a run's spec whose parameters come from snapshots, for evaluation on a
// thread other than the training thread (the desktop program's decision boundary, image
// predictions, activation maps). Its matrix products use one thread, so that it never competes
// with training for the second core.
class SnapshotModel {
 public:
  explicit SnapshotModel(const ModelSpec& spec);
  // Copies the snapshot's parameters in; std::logic_error when they are another model's.
  void load(const ModelSnapshot& snapshot);
  // The outputs (N, outputs) for inputs x (N, …input shape); the activation after every layer
  // stays until the next call.
  const TensorF& forward(const TensorF& x);
  const TensorF& activation(int layer) const { return model_.activation(layer); }
  const Model<float>& model() const { return model_; }
  int layers() const { return model_.size(); }

 private:
  Model<float> model_;
  std::vector<Param<float>> params_;
};

}  // namespace gs::nn
