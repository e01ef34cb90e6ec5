// "Open step k in the graph" (issue 11): a training step replayed as a computation graph
// (nn/replay.h) and handed to the Graph page, laid out and ready to step, with the comparison of
// the trainer's gradients and the graph's adjoints on its status line. The replay retrains from
// the config's seed (it never touches the run on screen), so it runs on a helper thread; the
// page polls it each frame. The hand-over goes through the shell's command queue: ShowPage graph,
// OpenUntitled FILE (a graph file in the temporary directory, opened as a new unsaved document),
// ShowReplay COMPARISON (a panel above the canvas), ShowStatus SUMMARY. No GL.
#pragma once

#include "app/base/command.h"
#include "app/base/status.h"
#include "nn/config.h"
#include "nn/replay.h"

#include <cstdint>
#include <future>
#include <optional>
#include <string>

namespace gs::app::training {

// Rows of the batch put in the graph by default: the whole batch when it has at most 64, else the
// first 16 (a graph of a 128-row batch is the same picture, only slower to step). A count of rows
// (batch_size itself for the whole batch), never 0.
Index replay_samples(const nn::TrainConfig& config);

// The run bar's samples field read as a count of rows of the batch: a whole number in 1 …
// config.batch_size (spaces around it are fine). Anything else gives nullopt and `error` names the
// problem and the range: "samples: 1 … 32 (the batch size), got 40" / "… got 'l6'".
std::optional<Index> parse_replay_samples(const std::string& text, const nn::TrainConfig& config, std::string* error);

// The comparison as one line, parameters in the graph's order: "Step 5, 32 samples: trainer
// gradient vs graph adjoint, max relative difference W1 1.0e-07 · b1 1.1e-07 · …; loss 0.958074 /
// 0.958074 (trainer / graph)" (nn::ParamReplay::max_rel_diff).
std::string replay_summary(const nn::StepReplay& replay);

// The same for the Graph page's panel (Command ShowReplay; graph/view_replay.h reads it).
std::string replay_panel_json(const nn::StepReplay& replay);

class StepReplayer {
 public:
  // Starts replaying step `step` (1-based, as the run's step counter: the last step taken) of
  // `config` on the first `samples` rows of its batch (0: the whole batch; nn::replay_step, the
  // code path of `gradscope-cli replay --samples N`): on a helper thread, or at once when
  // `synchronous` (screenshots). Ignored while a replay is in progress.
  void begin(const nn::TrainConfig& config, std::int64_t step, Index samples, bool synchronous);
  bool busy() const { return pending_.valid(); }
  std::int64_t step() const { return step_; }
  // When the replay is done: writes its graph to `dir` and pushes the hand-over into `commands`;
  // on failure (the run's own errors, a file that cannot be written) puts the message in `status`.
  // True when something finished this call.
  bool poll(CommandQueue& commands, StatusMessage* status, const std::string& dir);

 private:
  std::future<nn::StepReplay> pending_;
  std::int64_t step_ = 0;
};

}  // namespace gs::app::training
