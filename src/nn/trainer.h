// Training: a TrainingRun runs batches synchronously (the CLI and the tests drive it directly); a
// Trainer runs a TrainingRun on its own thread with start / pause / resume / step-one-batch /
// stop, and publishes metrics through one MetricsChannel (metrics.h) that a UI thread reads at
// 60 Hz without ever waiting. Same config (seed, thread count) → the same curve, bit for bit.
// Depends on the nn config, model, optimizer, schedule, dataset, metrics and <thread>.
#pragma once

#include "engine/text_file.h"
#include "nn/config.h"
#include "nn/dataset.h"
#include "nn/errors.h"
#include "nn/metrics.h"
#include "nn/model.h"
#include "nn/optimizer.h"
#include "nn/schedule.h"
#include "nn/snapshot.h"
#include "nn/train_step.h"

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace gs::nn {

// ============================================================================================
// TrainingRun: the training loop, synchronous
// ============================================================================================

// Where the non-finite sentinel found the first NaN or infinity (or, with the explosion guard on,
// the loss that exploded), for a view to name it (the message says the same in one line).
struct NonFiniteReport {
  std::int64_t step = 0;        // 1-based: the batch that failed
  int epoch = 0, batch = 0;     // 0-based
  // "loss", "input" (the batch itself), "activation" (a layer's output), "gradient" (a
  // parameter's gradient), "overflow" (every output finite, the loss not) or "exploded" (the
  // loss finite but above `threshold`: TrainingRun::guard_explosion).
  std::string quantity;
  int layer = -1;               // 0-based layer; −1 for the loss and the input
  std::string layer_name;       // "Linear(16,16)"
  std::string parameter;        // for a gradient: "layer 3 Linear(16,16) weight"
  double loss = 0;              // the batch's loss (NaN or ±inf unless the gradient failed)
  double threshold = 0;         // "exploded": the loss it passed (kExplodedFactor × guessing_loss)
  double guessing_loss = 0;     // "exploded": the loss of every output 0 (ln C for cross-entropy)
};

// The explosion guard's factor: a loss above this many times the loss of a model that guesses
// (every output 0) has exploded. On spiral (cross-entropy, ln 3 ≈ 1.1) SGD or Adam at a learning
// rate of 5 or more passes it within a few steps; the presets' own rates stay below 1.5×. Tanh
// and sigmoid networks saturate instead of overflowing, so a high rate alone rarely makes a NaN.
inline constexpr double kExplodedFactor = 10.0;

// The non-finite sentinel's error (and the explosion guard's): the message, and the report behind it.
class NonFiniteError : public InputError {
 public:
  NonFiniteError(const std::string& message, NonFiniteReport report) : InputError(message), report_(std::move(report)) {}
  const NonFiniteReport& report() const { return report_; }

 private:
  NonFiniteReport report_;
};

// One training run of a config: its data, model, optimizer and schedule, built from the config's
// typed parts, and its position (epoch, batch). A step runs on at most config.threads threads: the
// caller and helpers that belong to this run alone (TrainStep's Workers), never a process-wide
// pool that the UI thread shares.
class TrainingRun {
 public:
  // Loads the data and builds everything; InputError for any problem (before any training).
  explicit TrainingRun(const TrainConfig& config);
  // With data already loaded (tests, benchmarks).
  TrainingRun(const TrainConfig& config, DataSplit data);

  const TrainConfig& config() const { return config_; }
  const DataSplit& data() const { return data_; }
  Model<float>& model() { return model_; }
  Optimizer<float>& optimizer() { return optimizer_; }
  // The step's batch parts and threads (how many the machine lets it use now).
  const TrainStep& train_step() const { return train_step_; }
  TrainStep& train_step() { return train_step_; }

  // Runs one batch (forward, loss, backward, update), moving to the next epoch as needed, and
  // returns its metrics. At the end of an epoch the record also carries the epoch's loss and
  // accuracies and the schedule steps. Throws NonFiniteError naming the step and the layer at the
  // first non-finite loss, activation or gradient, and with guard_explosion() on, at the first loss
  // above kExplodedFactor × guessing_loss() (quantity "exploded"). The batch is then not taken:
  // the next step() takes it again.
  StepMetrics step();
  bool finished() const { return epoch_ >= config_.epochs; }
  std::int64_t steps_done() const { return step_; }
  int epoch() const { return epoch_; }
  Index batches_per_epoch() const { return batcher_.batches_per_epoch(); }
  std::int64_t total_steps() const { return static_cast<std::int64_t>(config_.epochs) * batches_per_epoch(); }

  // Accuracy and mean loss of the current model over a whole dataset (in chunks); with
  // `predictions`, also the predicted class of every sample (resized to data.size()).
  struct Evaluation {
    double loss = 0, accuracy = 0;
  };
  Evaluation evaluate(const Dataset& data, std::vector<std::int32_t>* predictions = nullptr);
  // Evaluates the test set now and keeps its predictions (as every epoch's end does).
  Evaluation evaluate_test();
  // The predicted class of every test sample at the last evaluation (each epoch's end, or
  // evaluate_test()), and the step it was made at; null before the first or without a test set.
  const std::vector<std::int32_t>* test_predictions() const {
    return predictions_step_ >= 0 ? &test_predictions_ : nullptr;
  }
  std::int64_t predictions_step() const { return predictions_step_; }
  // Every trainable tensor in Model::params() order (what a snapshot copies).
  const std::vector<Param<float>>& params() const { return params_; }

  // Checkpoints: weights, optimizer and schedule state, and the position in the run. Loading one
  // into a run of the same config continues it exactly where it stopped. restore() checks the
  // position (0 <= batch <= batches per epoch, step = epoch × batches per epoch + batch, the epoch
  // within the config's), the epoch's counts and every number before it changes anything, so that
  // a restored run always ends after total_steps() − steps_done() more steps.
  nlohmann::json checkpoint();
  void restore(const nlohmann::json& checkpoint);
  // Written to a temporary file and renamed: a failed save (a full disk) keeps the last good
  // checkpoint. InputError "checkpoint: cannot write 'PATH': REASON".
  void save_checkpoint(const std::string& path);
  // Into a file opened before the run (so that a bad path fails before any training): writes and
  // commits it.
  void save_checkpoint(AtomicFileWriter& out);
  // A checkpoint file: its config must match this run's in everything but the name, description,
  // epochs and threads, and its position, counts, values and states must fit this run (the step
  // matches the epoch and batch, the epoch is within the run's, every value is finite). A finished
  // run's checkpoint in a run with more epochs goes on to the next epoch. InputError "PATH:
  // checkpoint: ..." naming the field, found before anything is loaded.
  void load_checkpoint(const std::string& path);

  // Going back after the sentinel (the training lab: lower the learning rate and go on). The state
  // at a non-finite step is past saving (the same weights give the same NaN on the same batch), so
  // the run keeps states in memory: the state when this is called, and the state at the start of
  // each later epoch, the last `n` of them (n = 0, the default, keeps none). They hold what a
  // checkpoint() holds, as plain copies into buffers kept from one epoch to the next (spiral's
  // epochs are 10 steps: a JSON checkpoint each took as long as a step's optimizer update). The
  // CLI never turns it on.
  void keep_epoch_checkpoints(int n);
  // The steps (0-based: steps done) of the states kept, ascending.
  std::vector<std::int64_t> kept_steps() const;
  // Goes back to the state kept at `step` (the later ones are dropped): the run continues from
  // there with that epoch's batch order. InputError when no state was kept at that step.
  void rewind(std::int64_t step);
  // From the next step on: every learning rate the schedule gives is multiplied by `lr_factor`
  // (the metrics' lr is the rate in force), and gradients are clipped to a global norm of
  // `clip_norm` (0: off). The schedule itself runs on unchanged. Not part of checkpoints.
  void adjust(double lr_factor, double clip_norm);
  double lr_factor() const { return lr_factor_; }

  // The explosion guard (off by default; the training lab turns it on, the CLI never does): a
  // finite loss above kExplodedFactor × guessing_loss() stops the step as a non-finite one does.
  void guard_explosion(bool on);
  // The loss of a model that guesses: every output 0 (cross-entropy ln C, mse 1/C, hinge C − 1 for
  // C outputs), computed by the loss itself.
  double guessing_loss() const;

 private:
  void begin();
  void start_epoch();
  void end_epoch(StepMetrics& m);
  void check_finite_after_forward(double loss);
  void check_finite_gradients(StepMetrics& m);
  void check_explosion(double loss);
  void seek_batch(int batch);
  void check_checkpoint_config(const nlohmann::json& saved) const;
  // A state kept for rewind(): what checkpoint() holds but the config, as copies.
  struct KeptState {
    std::int64_t step = 0;
    int epoch = 0, batch = 0;
    double epoch_loss_sum = 0;
    Index epoch_correct = 0, epoch_seen = 0;
    std::vector<float> values;  // the model's arena (every parameter)
    Optimizer<float>::RawState optimizer;
    LrGroup group;
    nlohmann::json schedule;  // null without one
  };
  void keep_state();  // the state now, after the kept ones (the oldest but the first dropped)
  void restore_kept(const KeptState& k);

  TrainConfig config_;
  DataSplit data_;
  Model<float> model_;
  Optimizer<float> optimizer_;
  std::shared_ptr<LrGroup> group_;
  std::unique_ptr<Scheduler> schedule_;
  Batcher batcher_;
  std::vector<Param<float>> params_;
  TrainStep train_step_;

  std::int64_t step_ = 0;
  int epoch_ = 0, batch_ = 0;
  double epoch_loss_sum_ = 0;
  Index epoch_correct_ = 0, epoch_seen_ = 0;
  TensorF x_, dz_;
  std::vector<std::int32_t> y_;
  std::vector<std::int32_t> test_predictions_;
  std::int64_t predictions_step_ = -1;
  double lr_factor_ = 1.0;
  // guessing_loss() while the explosion guard is on, 0 while it is off: constant for a run (the
  // loss and the output width), so it is computed once, not on every step.
  double guarded_guessing_loss_ = 0;
  int keep_checkpoints_ = 0;
  std::vector<KeptState> kept_;  // ascending steps; their buffers are reused
  std::size_t kept_count_ = 0;  // the first kept_count_ of kept_ hold states
};

// ============================================================================================
// Trainer: a TrainingRun on its own thread
// ============================================================================================
//
// Besides the metrics, the thread publishes the run's parameters through a SnapshotChannel
// (snapshot.h): at most every snapshot_interval() seconds while running, and always after the
// last step before it pauses, finishes, stops or fails, after each epoch's end (with the test
// set's predictions) and after an evaluate_now().

enum class TrainerState { Idle, Running, Paused, Finished, Stopped, Failed };
const char* state_name(TrainerState s);

class Trainer {
 public:
  // Takes a built run (so that bad input fails before any thread starts).
  explicit Trainer(std::unique_ptr<TrainingRun> run, std::size_t metrics_capacity = 1 << 16);
  ~Trainer();  // stops and joins
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // Commands: each returns at once; the training thread acts on it before its next batch.
  void start(bool paused = false);
  void pause();
  void resume();
  // While paused: run exactly one batch, then stay paused.
  void step_one();
  // While paused: run the batches left in the current epoch (its end evaluates the test set),
  // then stay paused.
  void step_epoch();
  // While paused: evaluate the test set with the current parameters and publish a snapshot with
  // its predictions (a paused run's confusion matrix). Ignored while running.
  void evaluate_now();
  void stop();
  // Blocks until the thread has finished, stopped or failed (CLI and tests only, never a UI).
  void wait();

  TrainerState state() const { return state_.load(std::memory_order_acquire); }
  std::int64_t steps_done() const { return steps_.load(std::memory_order_acquire); }
  // The failure message (sentinel or error); empty unless state() == Failed. Safe after wait().
  std::string error() const;
  // The sentinel's report when the run failed on a non-finite value.
  std::optional<NonFiniteReport> non_finite() const;

  const MetricsChannel& metrics() const { return channel_; }
  const SnapshotChannel& snapshots() const { return snapshots_; }
  // Seconds between two snapshots while running (default 0.1); set before start().
  void set_snapshot_interval(double seconds) { snapshot_interval_ = seconds; }
  double snapshot_interval() const { return snapshot_interval_; }
  // Valid to touch only when the thread is not running (before start, after wait).
  TrainingRun& run() { return *run_; }
  // After wait(): the run, to go on elsewhere (the training lab goes back after the sentinel and
  // continues on a new Trainer). This Trainer is left without one: only its destructor may follow.
  std::unique_ptr<TrainingRun> release_run();

 private:
  void loop();
  void publish_snapshot();

  std::unique_ptr<TrainingRun> run_;
  MetricsChannel channel_;
  SnapshotChannel snapshots_;
  double snapshot_interval_ = 0.1;
  std::int64_t published_step_ = -1;  // training thread only
  std::thread thread_;
  mutable std::mutex command_mutex_;
  std::condition_variable wake_;
  bool pause_requested_ = false, stop_requested_ = false;
  bool to_epoch_end_ = false, evaluate_requested_ = false;
  int single_steps_ = 0;
  std::atomic<TrainerState> state_{TrainerState::Idle};
  std::atomic<std::int64_t> steps_{0};
  std::string error_;
  std::optional<NonFiniteReport> non_finite_;
};

}  // namespace gs::nn
