// One training run of the Training page: its config (fixed once made: with the seed, it is what a
// replay of step k needs, since the batch order follows from the seed), its data loaded on a helper
// thread, src/nn's Trainer thread once started, and what the views read — every step's metrics as
// the metrics channel delivered them, the last parameter snapshot, progress, and the sentinel's
// report. The frame never waits on it: poll() takes what is ready and returns. No ImGui.
#pragma once

#include "app/training/chunked_log.h"
#include "app/training/data_cache.h"
#include "nn/config.h"
#include "nn/metrics.h"
#include "nn/snapshot.h"
#include "nn/trainer.h"

#include <cstdint>
#include <deque>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gs::app::training {

enum class RunState : std::uint8_t {
  Loading,     // the data is being read or generated
  LoadFailed,  // load_error() says why (a missing file, a model that does not fit the data)
  Ready,       // built, no step taken by the thread yet (synchronous steps may have been taken)
  Running,
  Paused,      // by the user, or by the sentinel (at_sentinel(): failure() names the step, layer, quantity)
  Finished,    // every epoch done
  Stopped,     // stopped by the user
  Failed,      // an error other than the sentinel's (error() says it)
};
const char* run_state_name(RunState s);  // "loading", "ready", "running", … (the frame record's)
// Whether a spec's data are images (Fashion-MNIST, IDX files): known before they are read, so
// that the page shows the image views, not the plane, while they load.
bool image_data(const nn::DataSpec& spec);
// What the data are called while they load: "Fashion-MNIST", an IDX or CSV file's name, "spiral".
std::string data_title(const nn::DataSpec& spec);

// Every step's record, as read from the metrics channel (or from synchronous steps), in order, in
// chunks (a run of millions of steps grows without moving what it holds: chunked_log.h).
struct RunHistory {
  ChunkedLog<nn::StepMetrics> steps;
  ChunkedLog<nn::StepMetrics> epochs;  // the records that end an epoch
  std::int64_t missed = 0;              // records that left the channel before they were read
  int cut = 0;                          // times the later steps were dropped (going back after the sentinel)
  void append(const nn::StepMetrics& m);
};

// Progress as the run controls show it.
struct RunProgress {
  std::int64_t step = 0, total_steps = 0;
  int epoch = 0, epochs = 0;          // epoch: 0-based, of the next batch
  std::int64_t batches_per_epoch = 0;
  double samples_per_second = 0;      // over the last second of wall time while running; 0: unknown
  double seconds_left = -1;           // at that rate; −1: unknown
};

// A way on after the sentinel: back to the state kept at step `back_to`, with every learning rate
// the schedule gives × lr_factor and gradients clipped at clip_norm (0: off) from there on.
struct Recovery {
  std::int64_t failed_step = 0, back_to = 0;
  double lr_factor = 1, clip_norm = 0;
  bool exploded = false;  // the failure was the explosion guard's (a finite loss), not a NaN
};

class Run {
 public:
  Run(int uid, nn::TrainConfig config);
  ~Run();
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;

  int uid() const { return uid_; }
  const nn::TrainConfig& config() const { return config_; }
  std::string label;         // what the legend and the run list show
  std::uint32_t rgb = 0;     // 0xRRGGBB
  bool hidden = false;       // left off the plots
  bool pinned = false;       // kept when a new run starts

  // [SECTION] building
  // Loads the data and builds the run on a helper thread; poll() picks the result up.
  void begin_loading(DataCache& cache);
  // The same on the calling thread (screenshots, tests). False with load_error() on failure.
  bool build_now(DataCache& cache);
  const std::string& load_error() const { return load_error_; }
  // While loading: the share of the data files' bytes read, in [0, 1] (nn::LoadProgress, written by
  // the loading thread); negative when not loading or not known (a generated set, a pipe).
  double load_fraction() const;
  // "loading Fashion-MNIST…", with the percentage read when it is known ("… 43 %").
  std::string loading_text() const;
  // The run's data, once loaded (shared with the cache and the other runs on the same data).
  const nn::DataSplit* data() const { return data_.get(); }

  // [SECTION] commands (each returns at once; a command that does not apply now does nothing)
  enum class Command : std::uint8_t { Start, Pause, Resume, StepBatch, StepEpoch, Stop, EvaluateNow };
  bool can(Command c) const;
  void apply(Command c);
  // Runs up to k steps on the calling thread before the training thread exists (--train-steps K):
  // the curve is the CLI's, step for step. Stops early at the end of the run or at the sentinel.
  // Then publishes a snapshot of the parameters, with the test set's predictions when
  // `evaluate_test` (a confusion matrix in a picture). Returns the steps taken.
  int step_now(int k, bool evaluate_test = false);

  // [SECTION] each frame
  // Takes what the helper thread, the metrics channel and the snapshot channel have ready; never
  // waits. `now` is the frame clock in seconds (for samples per second). True when the run moved
  // since the last poll (its state changed, or it took metrics, a snapshot or its loaded data): a
  // run that starts and finishes between two frames is then still seen, though never busy.
  bool poll(double now);
  // Hands the training thread over to be joined elsewhere (a reset or a deleted run must not make
  // the frame wait for a step or an evaluation in progress); null when there is none.
  std::unique_ptr<nn::Trainer> release_trainer();
  // Blocks until the training thread has finished, stopped or failed, without taking what it
  // published (the next poll() does). Tests only (a run that ends between two frames), never a
  // frame: a paused thread would be waited for for ever. Returns at once when there is no thread.
  void wait_for_thread();

  RunState state() const { return state_; }
  bool started() const { return trainer_ != nullptr; }
  bool busy() const { return state_ == RunState::Running || state_ == RunState::Loading; }
  const RunHistory& history() const { return history_; }
  // The last parameters published; version 0 until the run is built.
  const nn::ModelSnapshot& snapshot() const { return snapshot_; }
  RunProgress progress() const;
  const std::optional<nn::NonFiniteReport>& failure() const { return failure_; }
  const std::string& error() const { return error_; }  // the failure's message

  // [SECTION] after the sentinel
  // The sentinel paused the run (a non-finite loss, activation or gradient): the same weights give
  // the same NaN on the same batch, so Resume, One batch and One epoch are off until go_back().
  bool at_sentinel() const { return state_ == RunState::Paused && failure_.has_value(); }
  // The states the run kept (the start, and the starts of its last epochs: nn's
  // TrainingRun::keep_epoch_checkpoints), ascending; empty unless at_sentinel().
  std::vector<std::int64_t> kept_steps() const;
  // The loss of the first step taken from the state kept at `step` (how good that state was);
  // NaN when unknown.
  double loss_after(std::int64_t step) const;
  // The kept state to go back to by default: the one whose next step had the lowest loss (ties:
  // the latest).
  std::int64_t best_kept_step() const;
  // Goes back to the state kept at `step` with the learning rate × lr_factor and clipping at
  // clip_norm from there on; the steps after it leave the curves. Paused afterwards. False when
  // not at_sentinel() or nothing was kept at that step.
  bool go_back(std::int64_t step, double lr_factor, double clip_norm);
  const std::vector<Recovery>& recoveries() const { return recoveries_; }
  // The learning rate in force is no longer the config's (a replay from the seed would differ).
  bool adjusted() const;
  std::int64_t batches_per_epoch() const { return batches_per_epoch_; }

 private:
  void adopt(std::unique_ptr<nn::TrainingRun> built);
  void fail(const std::string& message, std::optional<nn::NonFiniteReport> report);
  void pause_at_sentinel(const nn::NonFiniteError& e);
  void publish_built_snapshot();
  bool take_ready(double now);  // poll() but its state comparison: true when it took something
  bool read_channels();  // true when it took something
  void note_rate(double now);

  int uid_;
  nn::TrainConfig config_;
  std::shared_ptr<const nn::DataSplit> data_;
  std::future<std::pair<std::shared_ptr<const nn::DataSplit>, std::unique_ptr<nn::TrainingRun>>> loader_;
  std::string load_error_;
  std::shared_ptr<const nn::LoadProgress> load_progress_;  // the cache's, for this run's data
  std::unique_ptr<nn::TrainingRun> built_;  // before start: synchronous steps run on it
  std::unique_ptr<nn::Trainer> trainer_;
  RunState state_ = RunState::Loading;
  bool resume_pending_ = false;
  RunHistory history_;
  std::int64_t cursor_ = 0;
  nn::ModelSnapshot snapshot_;
  std::optional<nn::NonFiniteReport> failure_;
  std::vector<Recovery> recoveries_;
  std::string error_;
  std::int64_t batches_per_epoch_ = 0, total_steps_ = 0;
  std::deque<std::pair<double, std::int64_t>> rate_;  // (time, steps) while running
  double samples_per_second_ = 0;
  std::vector<nn::StepMetrics> scratch_;
};

}  // namespace gs::app::training
