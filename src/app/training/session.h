// The Training page's session: up to four runs compared (each with its colour, label, pin and
// visibility), the active one the run controls drive, starting them one after another or
// interleaved, reset and delete without making the frame wait for a thread, and the metrics
// export (src/nn's CSV writer, the CLI's --metrics columns). No ImGui: tests drive it without a
// window.
#pragma once

#include "app/training/data_cache.h"
#include "app/training/run.h"

#include <future>
#include <memory>
#include <string>
#include <vector>

namespace gs::app::training {

class TrainingSession {
 public:
  static constexpr int kMaxRuns = 4;

  TrainingSession() = default;
  ~TrainingSession();  // waits for the threads it is still joining
  TrainingSession(const TrainingSession&) = delete;
  TrainingSession& operator=(const TrainingSession&) = delete;

  // [SECTION] runs
  int size() const { return static_cast<int>(runs_.size()); }
  Run& run(int i) { return *runs_[static_cast<std::size_t>(i)]; }
  const Run& run(int i) const { return *runs_[static_cast<std::size_t>(i)]; }
  int active() const { return active_; }  // −1 while there is no run
  Run* active_run() { return active_ >= 0 ? runs_[static_cast<std::size_t>(active_)].get() : nullptr; }
  const Run* active_run() const { return active_ >= 0 ? runs_[static_cast<std::size_t>(active_)].get() : nullptr; }
  void set_active(int i);
  int index_of(int uid) const;

  // A new run of `config`, loading on a helper thread (or at once with `synchronous`), made the
  // active one. It takes the place of the active run when that one is not pinned (a new config
  // replaces what is being tried; pinned runs stay for comparison); otherwise it is added. −1 and
  // *error when four runs are kept (pinned) already.
  int new_run(const nn::TrainConfig& config, const std::string& label, bool synchronous, std::string* error);
  // The same config (or `config`, e.g. with a lower learning rate) from the start again (the old
  // thread is joined off the frame); label, colour, pin and visibility stay.
  void reset(int i, bool synchronous = false, const nn::TrainConfig* config = nullptr);
  void remove(int i);
  void rename(int i, std::string label);

  // [SECTION] running
  void apply(int i, Run::Command c);
  // Starts every run that is ready: all at once (interleaved: the threads share the cores), or
  // one after another (the next starts when the previous one ends).
  void run_all(bool interleaved);
  bool queued() const { return queue_; }
  void cancel_queue() { queue_ = false; }

  // Each frame: every run's poll(), the queue, the threads being joined. Never waits. True when a
  // run moved (Run::poll) or the queue started one.
  bool poll(double now);
  // True while any run loads or trains (the page asks for frames at a steady rate).
  bool busy() const;

  // [SECTION] export
  // Writes each run's metrics with src/nn's writer: one file when there is one run (at `path`),
  // otherwise one per run, "STEM-LABEL.csv" beside it. Returns the paths written; *error (and an
  // empty list) when a file cannot be written.
  std::vector<std::string> export_metrics(const std::string& path, std::string* error) const;

  DataCache& data() { return cache_; }

 private:
  void retire(std::unique_ptr<Run> run);
  std::uint32_t free_colour() const;

  DataCache cache_;
  std::vector<std::unique_ptr<Run>> runs_;
  std::vector<std::future<void>> joining_;  // threads of reset or deleted runs, joined off the frame
  int active_ = -1;
  int next_uid_ = 1;
  bool queue_ = false;
};

// A file-name-safe form of a run's label ("MultiStepLR(30,60)" → "MultiStepLR-30-60").
std::string file_safe(const std::string& label);

// A new run's label when none is given: the config's name, unless that name says other data than
// the run's (a preset whose data were changed in the setup, or a config without a name): then the
// data's: "your 24 points" (the user's own, clicked on the plane), the CSV file's name
// ("measurements.csv"), or the set's ("spiral").
std::string default_run_label(const nn::TrainConfig& config);

}  // namespace gs::app::training
