// The Training page: its start from the command line, the arrangement of its views, its keys,
// its commands and its benchmark. No GL.
//
// [SECTION] start
// [SECTION] each frame
// [SECTION] runs
// [SECTION] frame record
// [SECTION] commands
// [SECTION] benchmark
#include "app/training/page_training.h"

#include "app/base/i18n.h"
#include "app/base/theme.h"
#include "app/widgets/plot.h"
#include "app/widgets/splitter.h"
#include "nn/assets.h"
#include "nn/schedule_spec.h"
#include "nn/torch_export.h"

#include <imgui.h>
#include <unistd.h>  // getpid

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>

namespace gs::app {

namespace fs = std::filesystem;
using training::Run;
using training::RunState;

namespace {
// Frames while a run trains and nobody touches the window: at most 20 a second (the curves grow
// smoothly, the boundary moves), fewer where a frame is dear, so that drawing takes at most a
// twentieth of the machine's CPU, and at least 4 a second (the boundary "a few times a second").
// With a GPU a frame costs the UI thread a few milliseconds: 20 a second. Without one (this team's
// VM: Mesa's llvmpipe under Xvfb) the GL driver rasterises on the trainer's cores, 30–45 ms of
// CPU for a 1600×900 frame: 4 a second, where 20 took most of a core from training. A floor of 2
// a second was tried and dropped: each frame then takes in twice the steps, and the UI's p95 rose
// past the 8 ms goal (8.0–9.2 ms against 5.7–6.5; docs/PERFORMANCE.md).
constexpr double kLiveFramesPerSecond = 20, kMinLiveFramesPerSecond = 4;
constexpr double kLiveCpuShare = 0.05;
}  // namespace

double live_frame_interval(double frame_cost, int cores) {
  const double budget = kLiveCpuShare * std::max(cores, 1);  // CPU seconds a second
  const double interval = std::isfinite(frame_cost) && frame_cost > 0 ? frame_cost / budget : 0;
  return std::clamp(interval, 1.0 / kLiveFramesPerSecond, 1.0 / kMinLiveFramesPerSecond);
}

std::string TrainingPage::title() const { return tr(Tr::PageTraining); }

const char* TrainingPage::hint() const { return tr(Tr::TrainHint); }

// [SECTION] start

bool TrainingPage::start(const LaunchOptions& opt) {
  offscreen_ = !opt.screenshot.empty() || opt.bench_frames > 0;
  bench_preset_ = opt.bench_train;
  bench_frames_ = opt.bench_frames;
  // A picture shows every step taken (its loss equals the CLI's); live, the curves take a frame's
  // worth of steps per frame.
  if (!opt.screenshot.empty()) plots_.ingest_per_frame = std::numeric_limits<std::size_t>::max();
  std::string error;
  if (!opt.train_preset.empty() && !draft_.load_preset(opt.train_preset, &error)) {
    set_status(error, true);
    return false;
  }
  if (!opt.train_config.empty()) {
    if (!draft_.load_file(opt.train_config, &error)) {
      set_status(error, true);
      return false;
    }
    path_ = opt.train_config;
  }
  saved_text_ = path_.empty() ? std::string() : draft_.good_text();
  // The setup's run, ready for Start. Off-screen (or when steps are asked for) it is built here:
  // the steps and the picture must not depend on a loader thread's timing.
  const bool synchronous = offscreen_ || opt.train_steps > 0;
  if (!opt.train_steps && opt.view != "training" && !offscreen_ && opt.train_preset.empty() && opt.train_config.empty()) {
    // Nothing asked of this page: the default run loads in the background.
  }
  if (!opt.schedules.empty() && opt.view == "training") {
    // --schedules SPECS: one run for each schedule, from the same seed (a comparison), each with
    // the same K steps taken.
    std::vector<nlohmann::json> specs;
    try {
      for (const nlohmann::json& spec : nn::parse_schedule_list_text(opt.schedules)) specs.push_back(spec);
    } catch (const std::exception& e) {
      set_status(e.what(), true);
      return false;
    }
    if (static_cast<int>(specs.size()) > training::TrainingSession::kMaxRuns) {
      set_status("--schedules: at most " + std::to_string(training::TrainingSession::kMaxRuns) + " runs are compared", true);
      return false;
    }
    if (compare(specs, synchronous) < 0) return false;
    for (int i = 0; i < session_.size(); ++i) {
      Run& run = session_.run(i);
      if (run.state() == RunState::LoadFailed) {
        set_status(run.load_error(), true);
        return false;
      }
      if (opt.train_steps > 0) run.step_now(opt.train_steps, run.data() && run.data()->train.x.rank() == 4);
    }
  } else if (synchronous && bench_preset_.empty()) {
    session_.new_run(draft_.config(), {}, true, &error);
    Run* run = session_.active_run();
    if (run && run->state() == RunState::LoadFailed) {
      set_status(run->load_error(), true);
      return !(opt.view == "training");  // a picture of this page without its data would mislead
    }
    if (run && opt.train_steps > 0) {
      // The confusion matrix of a picture needs the test set's predictions at step K.
      const bool images = run->data() && run->data()->train.x.rank() == 4;
      run->step_now(opt.train_steps, images);
      // --recover FACTOR: the banner's "Go back and resume", then on to step K.
      for (int tries = 0; opt.recover > 0 && run->at_sentinel() && tries < 8; ++tries) {
        if (!run->go_back(run->best_kept_step(), opt.recover, run->config().optimizer.clip_norm)) break;
        run->step_now(static_cast<int>(opt.train_steps - run->progress().step), images);
      }
    }
    if (run && !opt.replay_samples.empty()) {
      // --replay-samples N: typed into the run's samples field (the same reading, the same message).
      if (!training::parse_replay_samples(opt.replay_samples, run->config(), &error)) {
        set_status("--replay-samples: " + error, true);
        return false;
      }
      run_bar_.set_samples_text(*run, opt.replay_samples);
    }
    if (run && opt.open_in_graph)
      open_in_graph(opt.replay_samples.empty() ? training::replay_samples(run->config()) : *training::parse_replay_samples(opt.replay_samples, run->config(), nullptr), true);
  } else if (bench_preset_.empty()) {
    session_.new_run(draft_.config(), {}, false, &error);
  }
  return true;
}

// [SECTION] each frame

void TrainingPage::update(PageContext& ctx) {
  const bool moved = session_.poll(ctx.now);
  // A replay finished: its graph goes to the Graph page; until then, frames to look again.
  if (replayer_.busy() && ctx.commands) {
    // A folder of this process's own: two programs (two users of one lab machine, or two test
    // programs) replaying the same step never write one file, and a folder another user made is
    // never the one this program must write into.
    const fs::path dir = fs::temp_directory_path() / ("gradscope-" + std::to_string(::getpid()));
    if (!replayer_.poll(*ctx.commands, &status_, dir.string())) ctx.requests.redraw.request_at(ctx.now + 0.1);
  }
  // While anything trains or loads, frames at live_frame_interval() show it moving: the curves
  // grow smoothly, and drawing (with a software GL driver, most of a core at 20 frames a second)
  // does not take the training threads' time. Input still draws at once, at the display's rate (the main loop
  // draws after every event: the plots' cursor, a slider follow the mouse). A few more frames
  // after it stopped (a run paused by the sentinel, finished), so that tables and plots settle on
  // what it ended with rather than on the frame before: for a quarter of a second and at least
  // kSettleFrames frames, at the display's rate (the plots fit to the last frame's data, the run
  // table's columns to the last frame's text: two frames to settle; on a loaded machine a quarter
  // second was one frame). A run that started and finished between two frames (spiral's 3000
  // steps take 15 ms) is never seen busy: that it moved starts the settling all the same.
  const bool busy = session_.busy();
  if (busy || moved) {
    settle_until_ = ctx.now + 0.25;
    settle_frames_ = kSettleFrames;
  }
  const bool settling = ctx.now < settle_until_ || settle_frames_ > 0;
  if (!busy && settle_frames_ > 0) --settle_frames_;
  // Curves still taking a long history (a new smoothing weight over millions of steps) take it
  // over the next frames.
  if (busy) ctx.requests.redraw.request_at(ctx.now + live_frame_interval(ctx.frame_cost, cores_));
  else if (settling || plots_.behind()) ctx.requests.redraw.request_at(ctx.now + 1.0 / 60.0);
}

void TrainingPage::handle_keys(PageContext& ctx) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput || io.KeyCtrl) return;
  Run* run = session_.active_run();
  if (!run) return;
  const int i = session_.active();
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space), false)) {
    if (run->can(Run::Command::Start)) session_.apply(i, Run::Command::Start);
    else if (run->can(Run::Command::Pause)) session_.apply(i, Run::Command::Pause);
    else if (run->can(Run::Command::Resume)) session_.apply(i, Run::Command::Resume);
  }
  // A presentation clicker sends PageDown (or →) for "next", as on the Graph page.
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow), false) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_PageDown), false))
    session_.apply(i, io.KeyShift ? Run::Command::StepEpoch : Run::Command::StepBatch);
}

bool TrainingPage::images() const {
  const Run* run = session_.active_run();
  if (!run) return false;
  // While the data load, the config says what they will be (the plane stayed empty for images).
  return run->data() ? run->data()->train.x.rank() == 4 : training::image_data(run->config().data);
}

void TrainingPage::draw(PageContext& ctx, int view) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float bar = std::max(5.0f, ImGui::GetFontSize() * 0.3f);
  // The setup starts hidden where the window is too narrow for it beside the plots and the
  // inside view (a projector's 1024 px); the « / » Setup button shows and hides it.
  if (!setup_decided_) {
    setup_shown_ = avail.x >= ImGui::GetFontSize() * 62.0f;
    setup_decided_ = true;
  }
  float setup_w = 0;
  if (setup_shown_) {
    // The setup on the left keeps room for its fields (about 21 characters).
    const float setup_min = std::min(ImGui::GetFontSize() * 19.0f, avail.x * 0.4f);
    setup_w = std::floor(std::max(setup_min, avail.x * setup_fraction_));
    ImGui::BeginChild("training_setup", ImVec2(setup_w, avail.y), true);
    setup_.draw(draft_, ctx.record);
    ImGui::EndChild();
    ImGui::SameLine(0, 0);
    float right_fraction = 1.0f - setup_fraction_;
    widgets::Splitter("split_setup", widgets::SplitterAxis::Vertical, bar, avail.y, avail.x, &right_fraction, 0.45f, 0.85f);
    setup_fraction_ = 1.0f - right_fraction;
    ImGui::SameLine(0, 0);
  }
  const float right_w = avail.x - setup_w - (setup_shown_ ? bar : 0.0f);
  ImGui::BeginGroup();
  if (ImGui::Button(tr(setup_shown_ ? Tr::TrainHideSetup : Tr::TrainShowSetup))) setup_shown_ = !setup_shown_;
  record_last_item(ctx.record, "setup_toggle", tr(setup_shown_ ? Tr::TrainHideSetup : Tr::TrainShowSetup));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(Tr::TrainSetupToggleHelp));
  if (ctx.record && !setup_shown_) ctx.record->visible_text.push_back(tr(Tr::TrainShowSetup));
  ImGui::SameLine();
  // The run bar takes the height it needs (ImGui 1.86's child windows cannot size themselves to
  // their content: a group can), the plots and the inside view the rest.
  const float top_y = ImGui::GetCursorPosY();
  ImGui::BeginGroup();
  const training::RunBarRequest request = run_bar_.draw(session_, draft_, ctx.record);
  ImGui::EndGroup();
  const float top = ImGui::GetCursorPosY() - top_y;
  const float body_h = avail.y - top;
  const float plots_w = std::floor((right_w - bar) * plots_fraction_);
  // The plots and the inside view draw on the window's own colour (the glClear): a white child
  // background under the plots' white areas filled those pixels twice, and a software GL driver's
  // cost follows the pixels filled (docs/PERFORMANCE.md).
  // A column too short for readable plots scrolls (by its scrollbar: the wheel zooms the plots).
  ImGui::BeginChild("training_plots", ImVec2(plots_w, body_h), false,
                    (plots_.too_short() ? 0 : ImGuiWindowFlags_NoScrollbar) | ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBackground);
  const ImVec2 plots_origin = ImGui::GetCursorScreenPos();
  plots_.draw(session_, ImGui::GetContentRegionAvail(), ctx.record);
  plots_rect_ = ScreenRect{plots_origin.x, plots_origin.y, plots_origin.x + plots_w, plots_origin.y + body_h};
  ImGui::EndChild();
  ImGui::SameLine(0, 0);
  widgets::Splitter("split_plots", widgets::SplitterAxis::Vertical, bar, body_h, right_w, &plots_fraction_, 0.3f, 0.75f);
  ImGui::SameLine(0, 0);
  ImGui::BeginChild("training_inside", ImVec2(right_w - plots_w - bar, body_h), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoBackground);
  draw_inside(ctx, ImGui::GetContentRegionAvail());
  ImGui::EndChild();
  ImGui::EndGroup();
  switch (request) {
    case training::RunBarRequest::NewRun: new_run(); break;
    case training::RunBarRequest::CompareSchedules: compare_schedules(); break;
    case training::RunBarRequest::RunAll:
      // "N runs to compare: press Run all" has been done: the status line goes back to the keys.
      session_.run_all(run_bar_.interleaved);
      status_ = {};
      break;
    case training::RunBarRequest::ExportMetrics: {
      // Beside the config file (or in the working directory), under a fresh name.
      const fs::path dir = path_.empty() ? fs::current_path() : fs::path(path_).parent_path();
      const std::string stem = document().file_stem + "-metrics";
      fs::path out = dir / (stem + ".csv");
      std::error_code ec;
      for (int k = 2; fs::exists(out, ec) && k < 1000; ++k) out = dir / (stem + "-" + std::to_string(k) + ".csv");
      export_metrics(out.string());
      break;
    }
    case training::RunBarRequest::OpenInGraph: open_in_graph(run_bar_.replay_samples, offscreen_); break;
    case training::RunBarRequest::ExportTorch:
      if (ctx.commands) ctx.commands->push(CommandId::AskPath, command_name(CommandId::ExportTorch));
      break;
    case training::RunBarRequest::RestartAdjusted: restart_adjusted(); break;
    case training::RunBarRequest::None: break;
  }
  (void)view;
}

void TrainingPage::draw_inside(PageContext& ctx, ImVec2 size) {
  const bool img = images();
  if (!inside_chosen_ || (img && inside_ == Inside::Boundary) || (!img && (inside_ == Inside::Predictions || inside_ == Inside::Filters)))
    inside_ = img ? Inside::Predictions : Inside::Boundary;
  if (ImGui::BeginTabBar("inside")) {
    auto tab = [&](Tr title, const char* id, Inside which) {
      const bool selected_now = ctx.record && inside_ == which;  // a picture shows the page's choice
      if (ImGui::BeginTabItem(label(title, id).c_str(), nullptr, selected_now ? ImGuiTabItemFlags_SetSelected : 0)) {
        if (inside_ != which && !ctx.record) {
          inside_ = which;
          inside_chosen_ = true;
        }
        ImGui::EndTabItem();
      }
    };
    if (!img) tab(Tr::TrainTabBoundary, "boundary", Inside::Boundary);
    if (img) {
      tab(Tr::TrainTabPredictions, "predictions", Inside::Predictions);
      tab(Tr::TrainTabFilters, "filters", Inside::Filters);
    }
    tab(Tr::TrainTabLayers, "layers", Inside::Layers);
    ImGui::EndTabBar();
  }
  const ImVec2 rest(size.x, size.y - ImGui::GetCursorPosY());
  Run* run = session_.active_run();
  switch (inside_) {
    case Inside::Boundary: boundary_.draw(session_, draft_, ctx, rest); break;
    case Inside::Predictions:
    case Inside::Filters:
      if (run) images_.draw(*run, ctx, rest, inside_ == Inside::Filters);
      break;
    case Inside::Layers:
      if (run) layers_.draw(*run, ctx, rest);
      break;
  }
}

// [SECTION] runs

void TrainingPage::new_run(const std::string& label) {
  std::string error;
  if (session_.new_run(draft_.config(), label, offscreen_, &error) < 0) set_status(error, true);
}

void TrainingPage::compare_schedules() {
  // The Schedules page's classic three (DESIGN.md's default: StepLR, MultiStepLR, ExponentialLR),
  // each as src/nn's schedule lab would start it over this run's length, from the same seed.
  schedules::ScheduleLab lab;
  lab.set_lr(draft_.config().optimizer.lr);
  lab.set_epochs(std::max(1, draft_.config().epochs));
  lab.load(nn::ScheduleList{draft_.config().optimizer.lr, std::max(1, draft_.config().epochs), 10, {}});
  std::vector<nlohmann::json> specs;
  for (const char* name : {"step", "multistep", "exponential"}) {
    const int i = lab.add(name);
    if (i >= 0) specs.push_back(lab.entry(i).entry.spec);
  }
  compare(specs, false);
}

int TrainingPage::compare(const std::vector<nlohmann::json>& specs, bool synchronous) {
  int made = 0;
  for (const nlohmann::json& spec : specs) {
    nn::TrainConfig c = draft_.config();
    nn::ScheduleConfig s;
    try {
      s.spec = nn::parse_schedule(spec, {c.epochs, c.optimizer.kind == nn::OptimizerKind::Sgd});
    } catch (const std::exception& e) {
      set_status(e.what(), true);
      return -1;
    }
    c.schedule = s;
    const std::string label = nn::describe_schedule(spec);
    std::string error;
    // Each new run is pinned so that the next one is added beside it, not in its place.
    const int at = session_.new_run(c, label, synchronous || offscreen_, &error);
    if (at < 0) {
      set_status(error, true);
      break;
    }
    session_.run(at).pinned = true;
    ++made;
  }
  if (made > 0) set_status(trf(Tr::TrainComparing, std::to_string(made)), false);
  return made;
}

bool TrainingPage::export_metrics(const std::string& path) {
  std::string error;
  const std::vector<std::string> written = session_.export_metrics(path, &error);
  if (written.empty()) {
    set_status(error.empty() ? std::string(tr(Tr::TrainNothingToExport)) : error, true);
    return false;
  }
  std::string list;
  for (const std::string& p : written) list += (list.empty() ? "" : ", ") + p;
  set_status(trf(Tr::MsgExported, list), false);
  return true;
}

std::optional<TrainingPage::StepLink> TrainingPage::step_link() const {
  const Run* run = session_.active_run();
  if (!run) return std::nullopt;
  StepLink link;
  link.config = &run->config();
  link.snapshot = &run->snapshot();
  const std::int64_t last = run->progress().step;
  link.step = last;
  double x = 0;
  if (plots_.cursor(&x) && std::isfinite(x)) {
    const double per_epoch = static_cast<double>(std::max<std::int64_t>(run->batches_per_epoch(), 1));
    const auto step = static_cast<std::int64_t>(std::llround(plots_.x_in_epochs ? x * per_epoch : x));
    link.step = std::clamp<std::int64_t>(step, 0, last);
  }
  return link;
}

const nn::TrainConfig& TrainingPage::export_config() const {
  const Run* run = session_.active_run();
  return run ? run->config() : draft_.config();
}

bool TrainingPage::export_torch(const std::string& path) {
  try {
    const std::vector<std::string> data = nn::write_torch_training_script(export_config(), path);
    std::string list;
    for (const std::string& f : data) list += (list.empty() ? "" : ", ") + fs::path(f).filename().string();
    set_status(trf(Tr::TrainExportedTorch, path, list.empty() ? "" : trf(Tr::TrainExportTorchData, list)), false);
    return true;
  } catch (const std::exception& e) {
    set_status(trf(Tr::TrainExportTorchFailed, path, e.what()), true);
    return false;
  }
}

void TrainingPage::restart_adjusted() {
  const Run* run = session_.active_run();
  if (!run) return;
  nn::TrainConfig config = run->config();
  const bool setup_holds_it = nn::to_json(draft_.config()) == nn::to_json(config);
  config.optimizer.lr *= run_bar_.lr_factor;
  config.optimizer.clip_norm = run_bar_.clip_norm;
  session_.reset(session_.active(), offscreen_, &config);
  if (setup_holds_it) {
    draft_.set("optimizer", "lr", config.optimizer.lr);
    if (config.optimizer.clip_norm > 0) draft_.set("optimizer", "clip_norm", config.optimizer.clip_norm);
    else draft_.erase("optimizer", "clip_norm");
  }
}

void TrainingPage::open_in_graph(Index samples, bool synchronous) {
  const Run* run = session_.active_run();
  if (!run || replayer_.busy()) return;
  const std::int64_t step = run->progress().step;
  replayer_.begin(run->config(), step, samples, synchronous);
  set_status(trf(Tr::TrainReplaying, std::to_string(step)), false);
}

// [SECTION] frame record

void TrainingPage::record(FrameRecord& r) const {
  const Run* run = session_.active_run();
  nlohmann::json& t = r.training;
  if (!t.is_object()) t = nlohmann::json::object();
  t["setup_shown"] = setup_shown_;
  t["setup_ok"] = draft_.ok();
  t["setup_error"] = draft_.error();
  t["runs"] = nlohmann::json::array();
  for (int i = 0; i < session_.size(); ++i) {
    const Run& x = session_.run(i);
    char colour[8];
    std::snprintf(colour, sizeof colour, "#%06x", x.rgb);
    t["runs"].push_back({{"label", x.label}, {"state", training::run_state_name(x.state())}, {"steps", x.history().steps.size()},
                         {"colour", colour}, {"line_weight", x.hidden ? 0.0f : training::run_line_weight(session_, x)},
                         {"marker", x.hidden ? "" : training::marker_symbol(training::run_marker(session_, x))}, {"pinned", x.pinned}, {"hidden", x.hidden}, {"active", i == session_.active()}});
  }
  if (!run) {
    t["state"] = "none";
    return;
  }
  const training::RunProgress p = run->progress();
  r.mode = training::run_state_name(run->state());
  r.step = static_cast<int>(p.step);
  r.step_count = static_cast<int>(p.total_steps);
  t["state"] = training::run_state_name(run->state());
  t["step"] = p.step;
  t["total_steps"] = p.total_steps;
  t["epoch"] = p.epoch;
  t["epochs"] = p.epochs;
  t["batches_per_epoch"] = p.batches_per_epoch;
  const auto number = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); };
  if (!run->history().steps.empty()) {
    const nn::StepMetrics& m = run->history().steps.back();
    t["loss"] = number(m.loss);
    t["batch_accuracy"] = number(m.accuracy);
    t["lr"] = number(m.lr);
  }
  t["train_accuracy"] = nullptr;
  t["test_accuracy"] = nullptr;
  if (!run->history().epochs.empty()) {
    t["train_accuracy"] = number(run->history().epochs.back().train_accuracy);
    t["test_accuracy"] = number(run->history().epochs.back().test_accuracy);
  }
  t["at_sentinel"] = run->at_sentinel();
  t["kept_steps"] = run->kept_steps();
  t["recoveries"] = nlohmann::json::array();
  for (const training::Recovery& x : run->recoveries())
    t["recoveries"].push_back({{"failed_step", x.failed_step}, {"back_to", x.back_to}, {"lr_factor", x.lr_factor}, {"clip_norm", x.clip_norm}, {"exploded", x.exploded}});
  t["failure"] = nullptr;
  if (run->failure()) {
    const nn::NonFiniteReport& f = *run->failure();
    t["failure"] = {{"step", f.step},
                    {"quantity", f.quantity},
                    {"layer", f.layer >= 0 ? nlohmann::json(f.layer + 1) : nlohmann::json(nullptr)},
                    {"layer_name", f.layer_name},
                    {"parameter", f.parameter},
                    {"threshold", f.threshold},
                    {"headline", training::non_finite_headline(f)},
                    {"advice", training::non_finite_advice(f, run->history().steps.empty() ? run->config().optimizer.lr
                                                                                             : run->history().steps.back().lr,
                                                           run->config())},
                    {"message", run->error()}};
  } else if (!run->error().empty() || !run->load_error().empty()) {
    t["failure"] = {{"message", run->error().empty() ? run->load_error() : run->error()}};
  }
  if (const training::Boundary* b = boundary_.boundary(); b && inside_ == Inside::Boundary) {
    const nn::DataSplit& d = *run->data();
    t["boundary"] = {{"grid", {b->rows, b->cols}},
                     {"classes", b->classes},
                     {"fractions", b->fractions},
                     {"step", b->step},
                     {"plane", {b->plane.x0, b->plane.x1, b->plane.y0, b->plane.y1}},
                     {"train_wrong", b->train_wrong},
                     {"test_wrong", b->test_wrong},
                     {"train_accuracy", 1.0 - static_cast<double>(b->train_wrong) / static_cast<double>(std::max<Index>(d.train.size(), 1))},
                     {"test_accuracy", d.test.size() > 0 ? nlohmann::json(1.0 - static_cast<double>(b->test_wrong) / static_cast<double>(d.test.size()))
                                                         : nlohmann::json(nullptr)},
                     {"neurons", b->neurons.size()}};
  }
  switch (inside_) {
    case Inside::Boundary: t["inside"] = "boundary"; break;
    case Inside::Predictions: t["inside"] = "predictions"; break;
    case Inside::Filters: t["inside"] = "filters"; break;
    case Inside::Layers: t["inside"] = "layers"; break;
  }
}

// [SECTION] commands

CommandState TrainingPage::command_state(CommandId id) const {
  switch (id) {
    case CommandId::New:
    case CommandId::Open:
    case CommandId::OpenExample:
    case CommandId::Save:
    case CommandId::SaveAs: return CommandState::Enabled;
    case CommandId::ExportTorch: return session_.active_run() || draft_.ok() ? CommandState::Enabled : CommandState::Disabled;
    case CommandId::ExportCsv: {
      for (int i = 0; i < session_.size(); ++i)
        if (!session_.run(i).history().steps.empty()) return CommandState::Enabled;
      return CommandState::Disabled;
    }
    default: return CommandState::Hidden;
  }
}

bool TrainingPage::apply(const Command& c, PageContext& ctx) {
  std::string error;
  switch (c.id) {
    case CommandId::New:
      draft_ = training::ConfigDraft();
      path_.clear();
      saved_text_.clear();
      return true;
    case CommandId::Open:
      // A file that is not a config src/nn accepts leaves the setup as it was.
      if (!draft_.load_file(c.arg, &error)) {
        set_status(error, true);
        return false;
      }
      path_ = c.arg;
      saved_text_ = draft_.good_text();
      set_status(trf(Tr::MsgOpened, c.arg), false);
      return true;
    case CommandId::OpenExample:
      if (!draft_.load_preset(c.arg, &error)) {
        set_status(error, true);
        return false;
      }
      return true;
    case CommandId::Save:
    case CommandId::SaveAs: {
      const std::string path = c.id == CommandId::Save ? path_ : c.arg;
      if (path.empty()) return false;
      if (!draft_.save_file(path, &error)) {
        set_status(error, true);
        return false;
      }
      path_ = path;
      saved_text_ = draft_.good_text();
      set_status(trf(Tr::MsgSaved, path), false);
      return true;
    }
    case CommandId::ExportCsv: return export_metrics(c.arg);
    case CommandId::ExportTorch: return export_torch(c.arg);
    default: return false;
  }
  (void)ctx;
}

std::string TrainingPage::command_label(CommandId id) const {
  switch (id) {
    case CommandId::ExportCsv: return tr(Tr::TrainExportCsvMenu);
    case CommandId::ExportPng: return tr(Tr::TrainExportPngMenu);
    default: return {};
  }
}

std::vector<std::string> TrainingPage::outputs(CommandId id, const std::string& path) const {
  std::vector<std::string> files{path};
  if (id == CommandId::ExportTorch)
    for (const std::string& f : nn::torch_training_data_files(export_config(), path)) files.push_back(f);
  return files;
}

PageDocument TrainingPage::document() const {
  PageDocument d;
  d.name = path_.empty() ? draft_.config().name : fs::path(path_).filename().string();
  d.path = path_;
  d.file_stem = path_.empty() ? training::file_safe(draft_.config().name) : fs::path(path_).stem().string();
  // A config opened or saved that has changed since. (A preset being tried is not a document.)
  d.dirty = !path_.empty() && (draft_.good_text() != saved_text_ || !draft_.ok());
  return d;
}

std::vector<std::string> TrainingPage::examples() const { return nn::preset_names(); }

std::string TrainingPage::examples_dir() const {
  try {
    return nn::asset_path("presets");
  } catch (const std::exception&) {
    return {};
  }
}

ScreenRect TrainingPage::picture() const { return plots_rect_; }

// [SECTION] benchmark

std::vector<BenchPass> TrainingPage::bench_passes() {
  if (bench_preset_.empty()) return {};
  // `gradscope --bench-frames N --train PRESET`: first the preset's steps on this thread alone, as
  // gradscope-cli train runs them (the CLI's speed); then frames of this page while the same
  // config trains on its thread, the two measured back to back (the machine's load changes). The
  // report compares them. Two passes: frames as the page asks for them while nobody touches the
  // window (the live frame rate), and 60 a second (the mouse moving over it all the time).
  auto now = [] { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); };
  auto pass = [this, now](const std::string& name, double interval) {
    struct Figures {
      double cli_steps_per_second = 0;
      double t0 = 0;
      int epochs = 0;  // of the run timed in the GUI
    };
    auto figures = std::make_shared<Figures>();
    BenchPass p;
    p.name = "training " + bench_preset_ + " while it trains, " + name;
    p.frame_interval = interval;
    p.setup = [this, figures, now] {
      std::string error;
      if (!draft_.load_preset(bench_preset_, &error)) {
        std::fprintf(stderr, "error: %s\n", error.c_str());
        return;
      }
      // The CLI's figure: the same config stepped on this thread for about three seconds, as
      // gradscope-cli train steps it: TrainingRun::step() in a loop, nothing else per step (the
      // page's Run::step_now also publishes a snapshot each call: spiral's tiny steps took half as
      // long again through it). The clock is read every 64 steps.
      std::int64_t batches = 1;
      {
        const int at = session_.new_run(draft_.config(), "cli", true, &error);
        if (at < 0 || session_.run(at).state() != RunState::Ready) {
          std::fprintf(stderr, "error: %s\n", at < 0 ? error.c_str() : session_.run(at).load_error().c_str());
          return;
        }
        nn::TrainConfig long_run = draft_.config();
        long_run.epochs = 1000000;  // never finished within three seconds
        try {
          nn::TrainingRun cli(long_run, *session_.run(at).data());
          for (int i = 0; i < 3; ++i) cli.step();  // warm-up: first touches of the buffers
          const double t0 = now();
          std::int64_t steps = 0;
          while (now() - t0 < 3.0)
            for (int i = 0; i < 64; ++i, ++steps) cli.step();
          figures->cli_steps_per_second = static_cast<double>(steps) / (now() - t0);
          batches = cli.batches_per_epoch();
        } catch (const std::exception& e) {
          std::fprintf(stderr, "error: the CLI's loop: %s\n", e.what());
          return;
        }
      }
      // The run trains through the whole pass, however fast it is (spiral's 3000 steps take a
      // second; fashion-lenet's three epochs less than the frames at 4 a second): as many epochs
      // as the CLI's speed needs for the slowest pass, at least the preset's. The slowest pass
      // asks for kMinLiveFramesPerSecond, and its frames come later than asked (each frame's own
      // time comes after the wait, more on a loaded machine; a run sized for exactly that rate
      // ended before the frames did): twice its frames' time and ten seconds more.
      nn::TrainConfig config = draft_.config();
      const double seconds = 2.0 * bench_frames_ / kMinLiveFramesPerSecond + 10.0;
      const double epochs = std::ceil(figures->cli_steps_per_second * seconds / static_cast<double>(std::max<std::int64_t>(batches, 1)));
      config.epochs = static_cast<int>(std::clamp(epochs, static_cast<double>(config.epochs), 1e6));
      figures->epochs = config.epochs;
      const int at = session_.new_run(config, bench_preset_, true, &error);
      session_.apply(at, Run::Command::Start);
      figures->t0 = now();
    };
    p.report = [this, figures, now](const BenchFigures& f) {
      const Run* run = session_.active_run();
      const double seconds = now() - figures->t0;
      const double gui = run ? static_cast<double>(run->history().steps.size()) / seconds : 0;
      const double cli = figures->cli_steps_per_second;
      // On a machine without a GPU the GL driver rasterises on the same cores as the trainer: the
      // CLI's loop, given only the cores the driver left, would make cli × (cores − gl) / cores
      // steps a second (its two batch parts scale with the cores they get). Both ratios are
      // printed: the raw one, and the one against that.
      const double left = std::max(static_cast<double>(f.cores) - f.gl_cores(), 0.0);
      const double cli_left = cli * left / std::max(f.cores, 1);
      char line[640];
      std::snprintf(line, sizeof line,
                    "training steps/s: %.1f in the GUI, %.1f alone (the CLI's loop): %.0f%% of the CLI's speed (raw); "
                    "with the GL driver's %.2f cores accounted (the CLI's loop on the %.2f cores left: %.1f steps/s): %.0f%%  "
                    "(a run of %d epochs, %s when the frames ended)",
                    gui, cli, cli > 0 ? 100 * gui / cli : 0.0, f.gl_cores(), left, cli_left, cli_left > 0 ? 100 * gui / cli_left : 0.0,
                    figures->epochs, run && run->state() == RunState::Running ? "still training" : "NOT training");
      session_.apply(session_.active(), Run::Command::Stop);
      return std::string(line);
    };
    return p;
  };
  return {pass("frames as the page asks (nobody touching the window)", -1.0), pass("60 frames/s (the mouse moving over it)", 1.0 / 60.0)};
}

}  // namespace gs::app
