// The double-buffered parameter snapshot and the model that evaluates one (snapshot.h). Depends
// on snapshot.h and trainer.h (the thread count of the calling thread).
#include "nn/snapshot.h"

#include "nn/trainer.h"

#include <algorithm>
#include <stdexcept>

namespace gs::nn {

namespace {

// Sizes a snapshot for these parameters (names, layers, tensors of the same shapes).
void shape_like(const std::vector<Param<float>>& params, std::size_t predictions, ModelSnapshot* s) {
  s->names.clear();
  s->layers.clear();
  s->values.clear();
  s->grads.clear();
  for (const Param<float>& p : params) {
    s->names.push_back(p.name);
    s->layers.push_back(p.layer);
    s->values.emplace_back(p.value->shape());
    s->grads.emplace_back(p.grad->shape());
  }
  s->predictions.reserve(predictions);
  s->predictions.clear();
  s->predictions_step = -1;
}

// Copies values, gradients and predictions into a snapshot already shaped like them: no
// allocation (tensor copies of equal size reuse their storage; the predictions fit the reserve).
void fill(const std::vector<Param<float>>& params, std::int64_t step, int epoch,
          const std::vector<std::int32_t>* predictions, std::int64_t predictions_step, ModelSnapshot* s) {
  for (std::size_t i = 0; i < params.size(); ++i) {
    std::copy(params[i].value->begin(), params[i].value->end(), s->values[i].begin());
    std::copy(params[i].grad->begin(), params[i].grad->end(), s->grads[i].begin());
  }
  s->step = step;
  s->epoch = epoch;
  if (predictions) {
    s->predictions.assign(predictions->begin(), predictions->end());
    s->predictions_step = predictions_step;
  } else {
    s->predictions.clear();
    s->predictions_step = -1;
  }
}

}  // namespace

void SnapshotChannel::prepare(const std::vector<Param<float>>& params, std::size_t predictions) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (ModelSnapshot& b : buffers_) shape_like(params, predictions, &b);
  prepared_ = true;
}

void SnapshotChannel::publish(const std::vector<Param<float>>& params, std::int64_t step, int epoch,
                              const std::vector<std::int32_t>* predictions, std::int64_t predictions_step) {
  if (!prepared_) throw std::logic_error("SnapshotChannel::publish before prepare");
  // Only this thread writes front_, so reading it here without the lock is safe; the reader
  // never touches the back buffer.
  ModelSnapshot& back = buffers_[static_cast<std::size_t>(1 - front_)];
  if (back.values.size() != params.size()) throw std::logic_error("SnapshotChannel::publish: parameters changed since prepare");
  if (predictions && predictions->size() > back.predictions.capacity())
    throw std::logic_error("SnapshotChannel::publish: more predictions than prepared");
  fill(params, step, epoch, predictions, predictions_step, &back);
  std::lock_guard<std::mutex> lock(mutex_);
  back.version = ++published_;
  front_ = 1 - front_;
}

bool SnapshotChannel::read_if_newer(ModelSnapshot* out) const {
  std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return false;
  const ModelSnapshot& front = buffers_[static_cast<std::size_t>(front_)];
  if (front.version == 0 || front.version <= out->version) return false;
  if (out->names != front.names) {
    out->names = front.names;
    out->layers = front.layers;
    out->values = front.values;
    out->grads = front.grads;
  } else {
    for (std::size_t i = 0; i < front.values.size(); ++i) {
      out->values[i] = front.values[i];
      out->grads[i] = front.grads[i];
    }
  }
  out->predictions = front.predictions;
  out->predictions_step = front.predictions_step;
  out->step = front.step;
  out->epoch = front.epoch;
  out->version = front.version;
  return true;
}

std::int64_t SnapshotChannel::version() const {
  std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return -1;
  return static_cast<std::int64_t>(buffers_[static_cast<std::size_t>(front_)].version);
}

void take_snapshot(const std::vector<Param<float>>& params, std::int64_t step, int epoch,
                   const std::vector<std::int32_t>* predictions, std::int64_t predictions_step, ModelSnapshot* out) {
  const std::uint64_t version = out->version;
  shape_like(params, predictions ? predictions->size() : 0, out);
  fill(params, step, epoch, predictions, predictions_step, out);
  out->version = version + 1;
}

SnapshotModel::SnapshotModel(const ModelSpec& spec) : model_(Model<float>::build(spec)) {
  model_.init(0);  // every parameter is overwritten by load(); until then a defined model
  params_ = model_.params();
}

void SnapshotModel::load(const ModelSnapshot& s) {
  if (s.values.size() != params_.size()) throw std::logic_error("SnapshotModel::load: a snapshot of another model");
  for (std::size_t i = 0; i < params_.size(); ++i) {
    if (s.values[i].shape() != params_[i].value->shape())
      throw std::logic_error("SnapshotModel::load: " + params_[i].name + " has another shape in the snapshot");
    std::copy(s.values[i].begin(), s.values[i].end(), params_[i].value->begin());
  }
}

const TensorF& SnapshotModel::forward(const TensorF& x) {
  return model_.forward(x);  // one part: one thread (kernels never start threads of their own)
}

}  // namespace gs::nn
