// Training: a Session runs batches synchronously (the CLI and the tests drive it directly); a
// Trainer runs a Session on its own thread with start / pause / resume / step-one-batch / stop,
// and publishes metrics through one MetricsChannel that a UI thread reads at 60 Hz without ever
// waiting. Same config (seed, thread count) → the same curve, bit for bit.
// Depends on the nn model, optimizer, schedule, dataset and the standard thread library.
#pragma once

#include "nn/config.h"
#include "nn/errors.h"
#include "nn/dataset.h"
#include "nn/model.h"
#include "nn/optimizer.h"
#include "nn/schedule.h"

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace gs::nn {

// ============================================================================================
// Metrics
// ============================================================================================

inline constexpr int kMaxReportedLayers = 16;  // per-layer gradient norms kept per record

// One training step's numbers; fixed size so that publishing never allocates.
struct StepMetrics {
  std::int64_t step = 0;      // 1, 2, … (batches done)
  int epoch = 0;              // 0-based epoch of this batch
  int batch = 0;              // 0-based batch within the epoch
  double loss = 0;            // this batch's loss
  double accuracy = 0;        // this batch's accuracy
  double lr = 0;              // learning rate used for this batch
  double grad_norm = 0;       // global gradient norm (before clipping)
  double samples_per_second = 0;
  int layers = 0;             // entries used in layer_grad_norm
  std::array<float, kMaxReportedLayers> layer_grad_norm{};  // per layer with parameters, in order
  // Filled on the last batch of an epoch; NaN otherwise (and test_accuracy when there is no test set).
  double epoch_loss = NAN, train_accuracy = NAN, test_accuracy = NAN;
};

// The one channel from the training thread to readers (UI, CLI).
//
// Contract: a single writer (the training thread) calls publish(); any number of readers call
// read_since(). Both take the same mutex, but the writer holds it only to copy one fixed-size
// record into a ring buffer (no allocation, no I/O), and readers only try_lock it: a reader that
// finds it held returns false at once and draws what it already has, so a 60 Hz frame never
// waits on training. Bounded: the ring keeps the last `capacity` records; a reader that falls
// further behind is told how many it missed. Epoch-end records are also kept in a second ring of
// their own, so the per-epoch curve survives long runs.
class MetricsChannel {
 public:
  explicit MetricsChannel(std::size_t capacity = 1 << 16, std::size_t epoch_capacity = 4096);

  void publish(const StepMetrics& m);
  void clear();

  // Appends every record published since *cursor (a count of records read so far, 0 at first;
  // not a step number: a resumed run starts counting again) to `out`, advances *cursor, and sets
  // *missed to the number that had already left the ring. False (nothing copied) if the lock was busy.
  bool read_since(std::int64_t* cursor, std::vector<StepMetrics>* out, std::int64_t* missed = nullptr) const;
  // The epoch-end records with epoch ≥ first_epoch; false if the lock was busy.
  bool read_epochs(int first_epoch, std::vector<StepMetrics>* out) const;
  // The latest record (step 0 before the first); false if the lock was busy.
  bool latest(StepMetrics* out) const;

 private:
  mutable std::mutex mutex_;
  std::vector<StepMetrics> ring_, epochs_;
  std::int64_t written_ = 0, epochs_written_ = 0;
};

// ============================================================================================
// Session: the training loop, synchronous
// ============================================================================================

// The non-finite sentinel's report: where the first NaN or infinity appeared.
class NonFiniteError : public InputError {
 public:
  using InputError::InputError;
};

class Session {
 public:
  // Loads the data and builds everything; InputError for any problem (before any training).
  explicit Session(const TrainConfig& config);
  // With data already loaded (tests, benchmarks).
  Session(const TrainConfig& config, DataSplit data);

  const TrainConfig& config() const { return config_; }
  const DataSplit& data() const { return data_; }
  Model<float>& model() { return model_; }
  Optimizer<float>& optimizer() { return optimizer_; }

  // Runs one batch (forward, loss, backward, update), moving to the next epoch as needed, and
  // returns its metrics. At the end of an epoch the record also carries the epoch's loss and
  // accuracies and the schedule steps. Throws NonFiniteError naming the step and the layer at the
  // first non-finite loss, activation or gradient.
  StepMetrics step();
  bool finished() const { return epoch_ >= config_.epochs; }
  std::int64_t steps_done() const { return step_; }
  int epoch() const { return epoch_; }
  Index batches_per_epoch() const { return batcher_.batches_per_epoch(); }
  std::int64_t total_steps() const { return static_cast<std::int64_t>(config_.epochs) * batches_per_epoch(); }

  // Accuracy and mean loss of the current model over a whole dataset (in chunks).
  struct Evaluation {
    double loss = 0, accuracy = 0;
  };
  Evaluation evaluate(const Dataset& data);

  // Checkpoints: weights, optimizer and schedule state, and the position in the run. Loading one
  // into a session of the same config continues the run exactly where it stopped.
  nlohmann::json checkpoint();
  void restore(const nlohmann::json& checkpoint);
  void save_checkpoint(const std::string& path);
  void load_checkpoint(const std::string& path);

 private:
  void begin();
  void start_epoch();
  void end_epoch(StepMetrics& m);
  void check_finite_after_forward(double loss);
  void check_finite_gradients(StepMetrics& m);

  TrainConfig config_;
  DataSplit data_;
  Model<float> model_;
  Optimizer<float> optimizer_;
  std::shared_ptr<LrGroup> group_;
  std::unique_ptr<Scheduler> schedule_;
  Batcher batcher_;
  std::vector<Param<float>> params_;

  std::int64_t step_ = 0;
  int epoch_ = 0, batch_ = 0;
  double epoch_loss_sum_ = 0;
  Index epoch_correct_ = 0, epoch_seen_ = 0;
  TensorF x_, dz_;
  std::vector<std::int32_t> y_;
};

// ============================================================================================
// Trainer: a Session on its own thread
// ============================================================================================

enum class TrainerState { Idle, Running, Paused, Finished, Stopped, Failed };
const char* state_name(TrainerState s);

class Trainer {
 public:
  // Takes a built session (so that bad input fails before any thread starts).
  explicit Trainer(std::unique_ptr<Session> session, std::size_t metrics_capacity = 1 << 16);
  ~Trainer();  // stops and joins
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // Commands: each returns at once; the training thread acts on it before its next batch.
  void start(bool paused = false);
  void pause();
  void resume();
  // While paused: run exactly one batch, then stay paused.
  void step_one();
  void stop();
  // Blocks until the thread has finished, stopped or failed (CLI and tests only, never a UI).
  void wait();

  TrainerState state() const { return state_.load(std::memory_order_acquire); }
  std::int64_t steps_done() const { return steps_.load(std::memory_order_acquire); }
  // The failure message (sentinel or error); empty unless state() == Failed. Safe after wait().
  std::string error() const;

  const MetricsChannel& metrics() const { return channel_; }
  // Valid to touch only when the thread is not running (before start, after wait).
  Session& session() { return *session_; }

 private:
  void run();

  std::unique_ptr<Session> session_;
  MetricsChannel channel_;
  std::thread thread_;
  mutable std::mutex command_mutex_;
  std::condition_variable wake_;
  bool pause_requested_ = false, stop_requested_ = false;
  int single_steps_ = 0;
  std::atomic<TrainerState> state_{TrainerState::Idle};
  std::atomic<std::int64_t> steps_{0};
  std::string error_;
};

}  // namespace gs::nn
