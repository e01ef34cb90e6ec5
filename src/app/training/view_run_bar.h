// The Training page's run bar: the controls of the active run (start, pause, resume, one batch, one
// epoch, stop, reset, evaluate the test set), its progress (epoch, step, samples per second, time
// left), the NaN sentinel's banner, and the runs being compared (select, colour, show, pin, rename,
// delete, run all one after another or interleaved). Commands go to the TrainingSession; nothing
// runs here. ImGui; no GL.
#pragma once

#include "app/base/frame_record.h"
#include "app/training/config_draft.h"
#include "app/training/session.h"

#include <map>
#include <utility>
#include <string>

namespace gs::app::training {

// What the run bar asks of the page (things that need the setup or the status line).
enum class RunBarRequest : std::uint8_t { None, NewRun, CompareSchedules, RunAll, ExportMetrics, OpenInGraph, ExportTorch, RestartAdjusted };

class RunBarView {
 public:
  RunBarRequest draw(TrainingSession& session, const ConfigDraft& draft, FrameRecord* record);
  bool interleaved = false;  // "Run all": interleaved, or one after another
  // The sentinel banner's settings: the learning-rate factor and clipping to go on with (also
  // what RestartAdjusted asks for), and the kept step to go back to (−1: the run's best).
  double lr_factor = 0.1, clip_norm = 0;
  std::int64_t back_to = -1;
  // "Open step k in the graph" on the first N samples of the step's batch: N as the active run's
  // samples field gives it this frame (1 … the batch size), 0 while the field holds no such count
  // (its message says why). Each run keeps its own field, filled with replay_samples() at first.
  Index replay_samples = 0;
  // Puts `text` in `run`'s samples field, as if typed (--replay-samples N).
  void set_samples_text(const Run& run, std::string text) { samples_text_[run.uid()] = std::move(text); }

 private:
  void draw_controls(TrainingSession& session, const ConfigDraft& draft, FrameRecord* record, RunBarRequest* request);
  void draw_progress(const Run& run, FrameRecord* record);
  void draw_banner(TrainingSession& session, const Run& run, FrameRecord* record, RunBarRequest* request);
  void draw_way_on(TrainingSession& session, const Run& run, FrameRecord* record, RunBarRequest* request);
  void draw_runs(TrainingSession& session, FrameRecord* record, RunBarRequest* request);

  std::map<int, std::string> names_;  // label fields being typed, by run uid
  std::map<int, std::string> samples_text_;  // "Open step k" samples fields, by run uid
  std::pair<int, std::int64_t> sentinel_{-1, -1};  // (run uid, failed step) the banner's settings are for
};

// The sentinel's advice for a report (lower the learning rate, clip the gradients, …), translated.
// `lr` is the learning rate in force at the failed step, shown to 6 significant digits; the
// suggested rate (lr / 10) to 2.
std::string non_finite_advice(const nn::NonFiniteReport& report, double lr, const nn::TrainConfig& config);
// "step 412, layer 3 Linear(16,16): gradient of its weight is NaN" — the banner's headline.
std::string non_finite_headline(const nn::NonFiniteReport& report);

}  // namespace gs::app::training
