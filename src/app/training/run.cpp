// One training run (run.h): building on a helper thread, the Trainer's commands, and what each
// frame takes from the metrics and snapshot channels. No ImGui.
#include "app/training/run.h"

#include "app/base/i18n.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

namespace gs::app::training {

namespace {
constexpr int kKeptEpochs = 4;
}  // namespace

const char* run_state_name(RunState s) {
  switch (s) {
    case RunState::Loading: return "loading";
    case RunState::LoadFailed: return "load-failed";
    case RunState::Ready: return "ready";
    case RunState::Running: return "running";
    case RunState::Paused: return "paused";
    case RunState::Finished: return "finished";
    case RunState::Stopped: return "stopped";
    case RunState::Failed: return "failed";
  }
  return "?";
}

void RunHistory::append(const nn::StepMetrics& m) {
  steps.push_back(m);
  if (!std::isnan(m.train_accuracy)) epochs.push_back(m);
}

Run::Run(int uid, nn::TrainConfig config) : uid_(uid), config_(std::move(config)) {}

Run::~Run() = default;  // a Trainer still here stops and joins (the session hands it off first)

// [SECTION] building

namespace {

std::pair<std::shared_ptr<const nn::DataSplit>, std::unique_ptr<nn::TrainingRun>> build(DataCache& cache,
                                                                                      const nn::TrainConfig& config) {
  std::shared_ptr<const nn::DataSplit> data = cache.get(config.data);
  return {data, std::make_unique<nn::TrainingRun>(config, *data)};
}

}  // namespace

bool image_data(const nn::DataSpec& spec) { return spec.kind == nn::DataKind::FashionMnist || spec.kind == nn::DataKind::Idx; }

std::string data_title(const nn::DataSpec& spec) {
  switch (spec.kind) {
    case nn::DataKind::FashionMnist: return "Fashion-MNIST";
    case nn::DataKind::Idx: return std::filesystem::path(spec.train_images).filename().string();
    case nn::DataKind::Csv: return std::filesystem::path(spec.path).filename().string();
    default: return nn::data_kind_name(spec.kind);
  }
}

void Run::begin_loading(DataCache& cache) {
  state_ = RunState::Loading;
  load_progress_ = cache.progress(config_.data);
  loader_ = std::async(std::launch::async, [&cache, config = config_] { return build(cache, config); });
}

double Run::load_fraction() const { return state_ == RunState::Loading && load_progress_ ? load_progress_->fraction() : -1; }

std::string Run::loading_text() const {
  const double f = load_fraction();
  if (f < 0) return trf(Tr::TrainLoadingData, data_title(config_.data));
  return trf(Tr::TrainLoadingPercent, data_title(config_.data), std::to_string(static_cast<int>(std::floor(f * 100))));
}

bool Run::build_now(DataCache& cache) {
  try {
    auto [data, run] = build(cache, config_);
    data_ = std::move(data);
    adopt(std::move(run));
    return true;
  } catch (const std::exception& e) {
    load_error_ = e.what();
    state_ = RunState::LoadFailed;
    return false;
  }
}

void Run::adopt(std::unique_ptr<nn::TrainingRun> built) {
  built_ = std::move(built);
  batches_per_epoch_ = built_->batches_per_epoch();
  total_steps_ = built_->total_steps();
  state_ = RunState::Ready;
  // States to go back to after the sentinel: the start and the starts of the last four epochs.
  built_->keep_epoch_checkpoints(kKeptEpochs);
  // A loss far above guessing's pauses the run as a NaN does: tanh networks saturate at a high
  // learning rate and rarely overflow, so the classroom's "too high a rate" shows only this way.
  built_->guard_explosion(true);
  // The initial parameters: the views show the untrained model until the first snapshot.
  nn::take_snapshot(built_->params(), built_->steps_done(), built_->epoch(), nullptr, -1, &snapshot_);
}

// [SECTION] commands

bool Run::can(Command c) const {
  switch (c) {
    case Command::Start: return state_ == RunState::Ready;
    case Command::Pause: return state_ == RunState::Running;
    case Command::Resume: return state_ == RunState::Paused && !at_sentinel();
    case Command::StepBatch:
    case Command::StepEpoch: return state_ == RunState::Ready || (state_ == RunState::Paused && !at_sentinel());
    case Command::Stop: return state_ == RunState::Running || (state_ == RunState::Paused && !at_sentinel());
    case Command::EvaluateNow:
      return (state_ == RunState::Paused || state_ == RunState::Ready) && data_ && data_->test.size() > 0;
  }
  return false;
}

void Run::apply(Command c) {
  if (!can(c)) return;
  if (!trainer_) {
    // The thread is made on the first command; everything but Start begins paused.
    trainer_ = std::make_unique<nn::Trainer>(std::move(built_));
    cursor_ = 0;  // a new channel (after the sentinel, the run goes on on a new thread)
    trainer_->start(/*paused=*/c != Command::Start);
    state_ = c == Command::Start ? RunState::Running : RunState::Paused;
  }
  switch (c) {
    case Command::Start: break;
    case Command::Pause: trainer_->pause(); break;
    case Command::Resume:
      trainer_->resume();
      state_ = RunState::Running;  // at once, so that the buttons follow the click
      resume_pending_ = true;
      break;
    case Command::StepBatch: trainer_->step_one(); break;
    case Command::StepEpoch: trainer_->step_epoch(); break;
    case Command::Stop: trainer_->stop(); break;
    case Command::EvaluateNow: trainer_->evaluate_now(); break;
  }
}

int Run::step_now(int k, bool evaluate_test) {
  if (!built_ || trainer_) return 0;
  int taken = 0;
  for (; taken < k && !built_->finished(); ++taken) {
    try {
      history_.append(built_->step());
    } catch (const nn::NonFiniteError& e) {
      pause_at_sentinel(e);
      break;
    } catch (const std::exception& e) {
      fail(e.what(), std::nullopt);
      break;
    }
  }
  if (evaluate_test && data_ && data_->test.size() > 0) built_->evaluate_test();
  publish_built_snapshot();
  if (state_ == RunState::Ready && built_->finished()) state_ = RunState::Finished;
  return taken;
}

void Run::publish_built_snapshot() {
  nn::take_snapshot(built_->params(), built_->steps_done(), built_->epoch(), built_->test_predictions(),
                    built_->predictions_step(), &snapshot_);
}

void Run::pause_at_sentinel(const nn::NonFiniteError& e) {
  state_ = RunState::Paused;
  error_ = e.what();
  failure_ = e.report();
}

// [SECTION] after the sentinel

std::vector<std::int64_t> Run::kept_steps() const {
  if (!at_sentinel() || !built_) return {};
  return built_->kept_steps();
}

double Run::loss_after(std::int64_t step) const {
  const auto& steps = history_.steps;
  // The record of step k + 1 (1-based) is the loss of the weights as they were after k steps.
  // Steps ascend: the first record with step ≥ k + 1, by bisection.
  std::size_t lo = 0, hi = steps.size();
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (steps[mid].step < step + 1) lo = mid + 1;
    else hi = mid;
  }
  return lo < steps.size() && steps[lo].step == step + 1 ? steps[lo].loss : std::numeric_limits<double>::quiet_NaN();
}

std::int64_t Run::best_kept_step() const {
  std::int64_t best = 0;
  double lowest = std::numeric_limits<double>::infinity();
  for (std::int64_t k : kept_steps()) {
    const double loss = loss_after(k);
    if (std::isfinite(loss) && loss <= lowest) {
      lowest = loss;
      best = k;
    }
  }
  return best;
}

bool Run::go_back(std::int64_t step, double lr_factor, double clip_norm) {
  if (!at_sentinel() || !built_) return false;
  try {
    built_->rewind(step);
  } catch (const std::exception&) {
    return false;
  }
  built_->adjust(lr_factor, clip_norm);
  recoveries_.push_back({failure_->step, step, lr_factor, clip_norm, failure_->quantity == "exploded"});
  // The records ascend by step: the later ones are a tail.
  auto keep = [step](ChunkedLog<nn::StepMetrics>& log) {
    std::size_t n = log.size();
    while (n > 0 && log[n - 1].step > step) --n;
    log.truncate(n);
  };
  keep(history_.steps);
  keep(history_.epochs);
  ++history_.cut;
  failure_.reset();
  error_.clear();
  publish_built_snapshot();
  return true;
}

bool Run::adjusted() const {
  for (const Recovery& r : recoveries_)
    if (r.lr_factor != 1 || r.clip_norm != config_.optimizer.clip_norm) return true;
  return false;
}

void Run::fail(const std::string& message, std::optional<nn::NonFiniteReport> report) {
  state_ = RunState::Failed;
  error_ = message;
  failure_ = std::move(report);
}

std::unique_ptr<nn::Trainer> Run::release_trainer() { return std::move(trainer_); }

void Run::wait_for_thread() {
  if (trainer_) trainer_->wait();
}

// [SECTION] each frame

bool Run::poll(double now) {
  const RunState before = state_;
  const bool took = take_ready(now);
  return took || state_ != before;
}

bool Run::take_ready(double now) {
  bool took = false;
  if (loader_.valid() && loader_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    took = true;
    try {
      auto [data, run] = loader_.get();
      data_ = std::move(data);
      adopt(std::move(run));
    } catch (const std::exception& e) {
      load_error_ = e.what();
      state_ = RunState::LoadFailed;
    }
  }
  if (!trainer_) return took;
  // The state first, then the channels: a thread seen paused or finished has published its last
  // metrics and snapshot before it said so, so a frame that sees it finished holds every step
  // (read the other way round, the steps published between the read and the state waited for
  // the next frame, and a caller that stopped polling at "finished" missed them).
  const nn::TrainerState thread_state = trainer_->state();
  took |= read_channels();
  switch (thread_state) {
    case nn::TrainerState::Idle:
    case nn::TrainerState::Running:
      state_ = RunState::Running;
      resume_pending_ = false;
      break;
    case nn::TrainerState::Paused:
      // A resume just asked for is not undone by a thread that has not woken up yet.
      if (!resume_pending_) state_ = RunState::Paused;
      break;
    case nn::TrainerState::Finished: state_ = RunState::Finished; break;
    case nn::TrainerState::Stopped: state_ = RunState::Stopped; break;
    case nn::TrainerState::Failed:
      if (state_ == RunState::Failed || at_sentinel()) break;
      if (std::optional<nn::NonFiniteReport> report = trainer_->non_finite()) {
        // The thread has ended: take the run back (the failed step changed nothing) and the
        // parameters it published at the failure; a new thread goes on after go_back().
        took |= read_channels();  // what the thread published between the first read and its failure
        const std::string message = trainer_->error();
        built_ = trainer_->release_run();
        trainer_.reset();
        state_ = RunState::Paused;
        error_ = message;
        failure_ = std::move(report);
        rate_.clear();
        return true;
      }
      fail(trainer_->error(), std::nullopt);
      break;
  }
  note_rate(now);
  return took;
}

bool Run::read_channels() {
  scratch_.clear();
  std::int64_t missed = 0;
  // read_since() is true whenever the lock was free, new records or not.
  if (trainer_->metrics().read_since(&cursor_, &scratch_, &missed)) {
    history_.missed += missed;
    for (const nn::StepMetrics& m : scratch_) history_.append(m);
  }
  const bool snapshot = trainer_->snapshots().read_if_newer(&snapshot_);
  return !scratch_.empty() || missed > 0 || snapshot;
}

void Run::note_rate(double now) {
  const std::int64_t steps = history_.steps.empty() ? 0 : history_.steps.back().step;
  if (state_ != RunState::Running) {
    rate_.clear();
    return;
  }
  rate_.emplace_back(now, steps);
  // A window of at least one second (and at most three) of wall time.
  while (rate_.size() > 2 && now - rate_[1].first >= 1.0) rate_.pop_front();
  const double dt = rate_.back().first - rate_.front().first;
  if (dt >= 0.5) {
    const double steps_per_second = static_cast<double>(rate_.back().second - rate_.front().second) / dt;
    samples_per_second_ = steps_per_second * static_cast<double>(config_.batch_size);
  }
}

RunProgress Run::progress() const {
  RunProgress p;
  p.total_steps = total_steps_;
  p.epochs = config_.epochs;
  p.batches_per_epoch = batches_per_epoch_;
  if (!history_.steps.empty()) {
    const nn::StepMetrics& m = history_.steps.back();
    p.step = m.step;
    p.epoch = batches_per_epoch_ > 0 ? static_cast<int>(m.step / batches_per_epoch_) : m.epoch;
  }
  p.samples_per_second = samples_per_second_;
  if (samples_per_second_ > 0 && state_ == RunState::Running) {
    const double steps_per_second = samples_per_second_ / static_cast<double>(config_.batch_size);
    p.seconds_left = static_cast<double>(total_steps_ - p.step) / steps_per_second;
  }
  return p;
}

}  // namespace gs::app::training
