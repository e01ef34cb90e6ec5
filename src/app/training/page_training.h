// The Training page (the training lab): a small MLP or CNN trains live on real data while loss,
// accuracy, learning rate and gradient norms are plotted; up to four runs compared; the decision
// boundary, image predictions, filters and any layer's weights and gradients seen from inside. It
// owns the setup (ConfigDraft), the runs (TrainingSession) and its views (setup, run bar, plots,
// boundary, images, layers), arranged with splitters, and answers the menu: New, Open/Save the
// config as the CLI's --config JSON, presets as examples, every run's metrics as CSV. No GL.
#pragma once

#include "app/base/page.h"
#include "app/training/config_draft.h"
#include "app/training/replay_in_graph.h"
#include "app/training/session.h"
#include "app/training/view_boundary.h"
#include "app/training/view_images.h"
#include "app/training/view_layers.h"
#include "app/training/view_run_bar.h"
#include "app/training/view_setup.h"
#include "app/training/view_training_plots.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace gs::app {

// Seconds between frames while a run trains and nobody touches the window, for frames that cost
// `frame_cost` seconds of CPU (PageContext::frame_cost; 0: not measured yet) on `cores` CPUs: at
// most a twentieth of the machine's CPU goes to drawing, within 1/20 s … 1/4 s.
double live_frame_interval(double frame_cost, int cores);

class TrainingPage final : public Page {
 public:
  const char* name() const override { return "training"; }
  std::string title() const override;
  // --preset NAME or --config FILE: the setup (and a run of it); with --schedules SPECS, one run
  // per schedule, compared; --train-steps K: K steps taken at
  // once from the config's seed (the picture is reproducible); --open-in-graph: then that step
  // opened on the Graph page, as the run bar's "Open step k in the graph" does. Off-screen (a
  // screenshot or a benchmark) everything is built on this thread. False (status says why) on a bad preset,
  // config or data.
  bool start(const LaunchOptions& options) override;

  void update(PageContext& ctx) override;
  void handle_keys(PageContext& ctx) override;
  void draw(PageContext& ctx, int view) override;
  void record(FrameRecord& record) const override;

  CommandState command_state(CommandId id) const override;
  bool apply(const Command& command, PageContext& ctx) override;
  std::string command_label(CommandId id) const override;
  PageDocument document() const override;
  std::vector<std::string> outputs(CommandId id, const std::string& path) const override;
  std::vector<std::string> examples() const override;  // the presets
  std::string examples_dir() const override;
  ScreenRect picture() const override;

  StatusMessage status() const override { return status_; }
  void set_status(std::string text, bool error) override { status_ = {std::move(text), error}; }
  const char* hint() const override;

  std::vector<BenchPass> bench_passes() override;

  // What a link to another page ("open step k in the graph lab") needs of the run shown: its
  // config (with the seed, the batch order of every step follows from it), the step under the
  // plots' linked cursor (else the last step taken; 0 before any), and the parameters last
  // published (their own `step` says which step they are of). Empty while there is no run.
  struct StepLink {
    const nn::TrainConfig* config = nullptr;
    std::int64_t step = 0;
    const nn::ModelSnapshot* snapshot = nullptr;
  };
  std::optional<StepLink> step_link() const;

  training::TrainingSession& session() { return session_; }
  training::ConfigDraft& draft() { return draft_; }

 private:
  enum class Inside : std::uint8_t { Boundary, Predictions, Filters, Layers };
  void draw_inside(PageContext& ctx, ImVec2 size);
  void new_run(const std::string& label = {});
  void compare_schedules();
  // One pinned run per schedule spec, from the setup's config and seed; the number made, −1 (the
  // status says why) when a spec does not fit the run.
  int compare(const std::vector<nlohmann::json>& specs, bool synchronous);
  bool export_metrics(const std::string& path);
  // The active run's config (else the setup's) as a PyTorch training script, its data beside it.
  bool export_torch(const std::string& path);
  const nn::TrainConfig& export_config() const;
  // After the sentinel: the active run from its seed with the banner's learning-rate factor and
  // clipping in its config (the setup takes them too when it holds the run's config).
  void restart_adjusted();
  bool images() const;  // the active run's data are images
  // "Open step k in the graph": replays the active run's last step on the first `samples` rows
  // of its batch (replay_in_graph.h).
  void open_in_graph(Index samples, bool synchronous);

  training::ConfigDraft draft_;
  training::TrainingSession session_;
  training::SetupView setup_;
  training::RunBarView run_bar_;
  training::TrainingPlotsView plots_;
  training::BoundaryView boundary_;
  training::ImagesView images_;
  training::LayersView layers_;
  training::StepReplayer replayer_;
  Inside inside_ = Inside::Boundary;
  bool inside_chosen_ = false;  // the user picked a tab (else it follows the data)
  float setup_fraction_ = 0.27f;
  bool setup_shown_ = true, setup_decided_ = false;  // decided on the first frame, by the width
  float plots_fraction_ = 0.52f;
  bool offscreen_ = false;
  int bench_frames_ = 0;  // --bench-frames N
  int cores_ = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  double settle_until_ = 0;  // frames go on until then after the runs went still
  static constexpr int kSettleFrames = 3;
  int settle_frames_ = 0;    // and for this many more frames (at least)
  std::string bench_preset_;
  std::string path_;        // the config file; "" until saved or opened
  std::string saved_text_;  // what it holds (dirty: the setup differs)
  StatusMessage status_;
  ScreenRect plots_rect_;
};

}  // namespace gs::app
