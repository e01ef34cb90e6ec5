// The training loop (TrainingRun), the non-finite sentinel, checkpoints, and the Trainer thread
// with its command protocol.
// Depends on the nn config, model, optimizer, schedule, dataset, metrics, train_step.h (batch parts
// and threads) and <thread>.
//
// [SECTION] TrainingRun: set-up
// [SECTION] TrainingRun: one step, epoch ends, evaluation
// [SECTION] TrainingRun: the non-finite sentinel
// [SECTION] TrainingRun: checkpoints
// [SECTION] Trainer
#include "nn/trainer.h"

#include "engine/text_file.h"
#include "nn/config.h"
#include "nn/spec_reader.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace gs::nn {

// ============================================================================================
// [SECTION] TrainingRun: set-up
// ============================================================================================

namespace {

// The context a run's schedule is built in: the run's length in schedule steps (epochs, or
// batches when it is stepped per batch) and whether the optimizer has a momentum to cycle.
ScheduleContext run_schedule_context(const TrainConfig& config, std::int64_t total_steps) {
  const bool per_batch = config.schedule && config.schedule->per_batch;
  return {per_batch ? static_cast<int>(total_steps) : config.epochs, config.optimizer.kind == OptimizerKind::Sgd};
}

}  // namespace

TrainingRun::TrainingRun(const TrainConfig& config) : TrainingRun(config, load_data(config.data)) {}

TrainingRun::TrainingRun(const TrainConfig& config, DataSplit data)
    : config_(config),
      data_(std::move(data)),
      model_(Model<float>::build(config.model)),
      optimizer_(config.optimizer),
      group_(std::make_shared<LrGroup>()),
      batcher_(data_.train, config.batch_size, config.seed),
      train_step_(model_, optimizer_, config.loss, config.threads) {
  if (data_.train.size() == 0) throw InputError("data: the training set is empty");
  if (data_.train.sample_shape() != model_.input_shape())
    throw InputError("model: input " + model_.input_shape().to_string() + " does not match the data's samples " +
                     data_.train.sample_shape().to_string());
  if (model_.outputs() < data_.train.classes)
    throw InputError("model: " + std::to_string(model_.outputs()) + " outputs for " +
                     std::to_string(data_.train.classes) + " classes");
  model_.init(config_.seed);
  params_ = model_.params();
  optimizer_.attach(params_, {model_.arena_values(), model_.arena_grads(), model_.arena_size()});
  group_->lr = config_.optimizer.lr;
  if (config_.schedule) {
    if (config_.schedule->per_batch) {
      // Only now is the run's length in steps known: check the schedule over all of it (the
      // config checked it over the epochs), as torch would fail at the step where it breaks.
      if (total_steps() > kMaxScheduleSteps)
        throw InputError("config: a schedule stepped per batch runs at most " + std::to_string(kMaxScheduleSteps) +
                         " steps; this run has " + std::to_string(total_steps()) + " (" + std::to_string(config_.epochs) +
                         " epochs of " + std::to_string(batches_per_epoch()) + " batches)");
      const ScheduleContext batches = run_schedule_context(config_, total_steps());
      schedule_ = make_scheduler(parse_schedule(config_.schedule->spec.to_json(), batches), group_, batches);
    } else {
      schedule_ = make_scheduler(config_.schedule->spec, group_, run_schedule_context(config_, total_steps()));
    }
  }
  begin();
}

void TrainingRun::begin() {
  step_ = 0;
  epoch_ = batch_ = 0;
  epoch_loss_sum_ = 0;
  epoch_correct_ = epoch_seen_ = 0;
  batcher_.start_epoch(0);
}

void TrainingRun::start_epoch() {
  batch_ = 0;
  epoch_loss_sum_ = 0;
  epoch_correct_ = epoch_seen_ = 0;
  batcher_.start_epoch(epoch_);
  if (keep_checkpoints_ > 0) keep_state();
}

// The batcher at batch `batch` of the current epoch (its permutation depends on seed and epoch).
void TrainingRun::seek_batch(int batch) {
  batcher_.start_epoch(epoch_);
  for (int b = 0; b < batch; ++b) batcher_.next(x_, y_);
}

// ============================================================================================
// [SECTION] TrainingRun: one step, epoch ends, evaluation
// ============================================================================================

StepMetrics TrainingRun::step() {
  if (finished()) throw std::logic_error("TrainingRun::step after the last epoch");
  if (batch_ >= batches_per_epoch()) throw std::logic_error("TrainingRun::step past the epoch's last batch");
  const auto t0 = std::chrono::steady_clock::now();
  batcher_.next(x_, y_);

  optimizer_.set_lr(group_->lr * lr_factor_);
  if (group_->momentum) optimizer_.set_momentum(*group_->momentum);

  StepMetrics m;
  m.step = step_ + 1;
  m.epoch = epoch_;
  m.batch = batch_;
  m.lr = group_->lr * lr_factor_;

  // Forward, loss, backward (this batch's gradient), in the step's batch parts.
  const TrainStep::Result r = train_step_.forward_backward(x_, y_);
  const float loss = static_cast<float>(r.loss);
  const Index correct = r.correct;
  try {
    check_finite_after_forward(loss);
    if (guarded_guessing_loss_ > 0) check_explosion(loss);
    check_finite_gradients(m);
  } catch (const NonFiniteError&) {
    seek_batch(batch_);  // nothing changed: the next step() takes this batch again
    throw;
  }
  train_step_.update();
  if (schedule_ && config_.schedule->per_batch && step_ + 1 < total_steps()) schedule_->step();

  const Index n = static_cast<Index>(y_.size());
  m.loss = loss;
  m.accuracy = static_cast<double>(correct) / static_cast<double>(n);
  epoch_loss_sum_ += loss;
  epoch_correct_ += correct;
  epoch_seen_ += n;
  ++step_;
  ++batch_;
  if (batch_ == batches_per_epoch()) end_epoch(m);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  m.samples_per_second = seconds > 0 ? static_cast<double>(n) / seconds : 0.0;
  return m;
}

void TrainingRun::end_epoch(StepMetrics& m) {
  m.epoch_loss = epoch_loss_sum_ / static_cast<double>(batch_);
  m.train_accuracy = static_cast<double>(epoch_correct_) / static_cast<double>(epoch_seen_);
  double monitored = m.epoch_loss;
  if (data_.test.size() > 0) {
    Evaluation test = evaluate_test();
    m.test_accuracy = test.accuracy;
    monitored = test.loss;  // ReduceLROnPlateau watches the held-out loss when there is one
  }
  ++epoch_;
  if (schedule_ && !config_.schedule->per_batch && epoch_ < config_.epochs) {
    if (schedule_->needs_metric())
      schedule_->step(monitored);
    else
      schedule_->step();
  }
  if (!finished()) start_epoch();
}

TrainingRun::Evaluation TrainingRun::evaluate_test() {
  Evaluation e = evaluate(data_.test, &test_predictions_);
  predictions_step_ = data_.test.size() > 0 ? step_ : -1;
  return e;
}

TrainingRun::Evaluation TrainingRun::evaluate(const Dataset& data, std::vector<std::int32_t>* predictions) {
  if (predictions) predictions->resize(static_cast<std::size_t>(data.size()));
  constexpr Index kChunk = 500;
  Evaluation e;
  TensorF x;
  std::vector<std::int32_t> y;
  double loss_sum = 0;
  Index correct = 0;
  for (Index begin = 0; begin < data.size(); begin += kChunk) {
    Index end = std::min(begin + kChunk, data.size());
    gather_rows(data, begin, end, x, y);
    const TrainStep::Result r = train_step_.evaluate(x, y);
    loss_sum += static_cast<double>(static_cast<float>(r.loss)) * static_cast<double>(end - begin);
    correct += r.correct;
    if (predictions) {
      // Each batch part's outputs hold its rows of the chunk.
      const Index rows = end - begin;
      const int parts = train_step_.parts_for(rows);
      for (int p = 0; p < parts; ++p) {
        const TensorF& z = model_.activation(model_.size() - 1, p);
        const Index r0 = TrainStep::first_row(rows, parts, p);
        for (Index n = 0; n < z.dim(0); ++n)
          (*predictions)[static_cast<std::size_t>(begin + r0 + n)] =
              static_cast<std::int32_t>(predicted_class(z.data() + n * z.dim(1), z.dim(1)));
      }
    }
  }
  if (data.size() > 0) {
    e.loss = loss_sum / static_cast<double>(data.size());
    e.accuracy = static_cast<double>(correct) / static_cast<double>(data.size());
  }
  return e;
}

// ============================================================================================
// [SECTION] TrainingRun: the non-finite sentinel
// ============================================================================================

namespace {

bool all_finite(const TensorF& t) { return t.array().isFinite().all(); }

}  // namespace

void TrainingRun::check_finite_after_forward(double loss) {
  if (std::isfinite(loss)) return;
  NonFiniteReport r;
  r.step = step_ + 1;
  r.epoch = epoch_;
  r.batch = batch_;
  r.loss = loss;
  std::string where = "step " + std::to_string(step_ + 1) + " (epoch " + std::to_string(epoch_ + 1) + ", batch " +
                      std::to_string(batch_ + 1) + "): the loss is " + format_number(loss);
  if (!all_finite(x_)) {
    r.quantity = "input";
    throw NonFiniteError(where + "; the input batch itself holds a non-finite value", r);
  }
  const int parts = train_step_.parts_for(x_.dim(0));
  for (int i = 0; i < model_.size(); ++i)
    for (int part = 0; part < parts; ++part)
      if (!all_finite(model_.activation(i, part))) {
        r.quantity = "activation";
        r.layer = i;
        r.layer_name = model_.layer(i).describe();
        throw NonFiniteError(where + "; the first non-finite value is in the output of layer " + std::to_string(i + 1) +
                                 " " + r.layer_name,
                             r);
      }
  r.quantity = "overflow";
  throw NonFiniteError(where + "; every layer's output is finite (the loss overflows)", r);
}

double TrainingRun::guessing_loss() const {
  TensorF zero(Shape{1, model_.outputs()});  // zero-filled
  const std::vector<std::int32_t> label{0};
  return static_cast<double>(compute_loss<float>(config_.loss, zero, label, nullptr));
}

void TrainingRun::guard_explosion(bool on) { guarded_guessing_loss_ = on ? guessing_loss() : 0.0; }

void TrainingRun::check_explosion(double loss) {
  const double guessing = guarded_guessing_loss_;
  const double threshold = kExplodedFactor * guessing;
  if (loss <= threshold) return;
  NonFiniteReport r;
  r.step = step_ + 1;
  r.epoch = epoch_;
  r.batch = batch_;
  r.quantity = "exploded";
  r.loss = loss;
  r.threshold = threshold;
  r.guessing_loss = guessing;
  throw NonFiniteError("step " + std::to_string(step_ + 1) + " (epoch " + std::to_string(epoch_ + 1) + ", batch " +
                           std::to_string(batch_ + 1) + "): the loss exploded to " + format_number(loss) + ", above " +
                           format_number(kExplodedFactor) + " × " + format_number(guessing) + " (the loss of guessing)",
                       r);
}

void TrainingRun::check_finite_gradients(StepMetrics& m) {
  // Per-layer gradient norms (what the UI plots), and the sentinel on their way.
  double total = 0;
  int reported = -1, last_layer = -1;
  double layer_sq = 0;
  auto flush = [&] {
    if (last_layer >= 0 && reported + 1 < kMaxReportedLayers) {
      m.layer_grad_norm[static_cast<std::size_t>(++reported)] = static_cast<float>(std::sqrt(layer_sq));
    }
    layer_sq = 0;
  };
  for (const auto& p : params_) {
    if (p.layer != last_layer) {
      flush();
      last_layer = p.layer;
    }
    double sq = sum_of_squares(*p.grad);
    if (!std::isfinite(sq)) {
      NonFiniteReport r;
      r.step = step_ + 1;
      r.epoch = epoch_;
      r.batch = batch_;
      r.quantity = "gradient";
      r.layer = p.layer;
      r.layer_name = model_.layer(p.layer).describe();
      r.parameter = p.name;
      throw NonFiniteError("step " + std::to_string(step_ + 1) + " (epoch " + std::to_string(epoch_ + 1) + ", batch " +
                               std::to_string(batch_ + 1) + "): non-finite gradient in " + p.name,
                           r);
    }
    layer_sq += sq;
    total += sq;
  }
  flush();
  m.layers = reported + 1;
  m.grad_norm = std::sqrt(total);
}

// ============================================================================================
// [SECTION] TrainingRun: checkpoints
// ============================================================================================

namespace {

nlohmann::json group_json(const LrGroup& g) {
  auto opt = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  return {{"lr", g.lr},         {"initial_lr", opt(g.initial_lr)}, {"momentum", opt(g.momentum)},
          {"max_lr", g.max_lr}, {"min_lr", g.min_lr},              {"max_momentum", g.max_momentum},
          {"base_momentum", g.base_momentum}};
}

void load_group(LrGroup& g, const nlohmann::json& j) {
  auto opt = [](const nlohmann::json& v) { return v.is_null() ? std::optional<double>() : v.get<double>(); };
  g.lr = j.at("lr").get<double>();
  g.initial_lr = opt(j.at("initial_lr"));
  g.momentum = opt(j.at("momentum"));
  g.max_lr = j.at("max_lr").get<double>();
  g.min_lr = j.at("min_lr").get<double>();
  g.max_momentum = j.at("max_momentum").get<double>();
  g.base_momentum = j.at("base_momentum").get<double>();
}

constexpr const char* kCheckpointFormat = "gradscope-checkpoint-1";

}  // namespace

nlohmann::json TrainingRun::checkpoint() {
  nlohmann::json params = nlohmann::json::object();
  for (const auto& p : params_) params[p.name] = std::vector<float>(p.value->begin(), p.value->end());
  return {{"format", kCheckpointFormat},
          {"config", to_json(config_)},
          {"step", step_},
          {"epoch", epoch_},
          {"batch", batch_},
          {"epoch_loss_sum", epoch_loss_sum_},
          {"epoch_correct", epoch_correct_},
          {"epoch_seen", epoch_seen_},
          {"params", params},
          {"optimizer", optimizer_.state()},
          {"group", group_json(*group_)},
          {"schedule", schedule_ ? schedule_->state() : nlohmann::json()}};
}

namespace {

// Every number in a checkpoint's state is finite and every integer fits in an int (what the
// optimizer and schedule states are read as), or the field is named.
void check_state_numbers(const nlohmann::json& j, const std::string& where) {
  if (j.is_number_float() && !std::isfinite(j.get<double>()))
    throw InputError("checkpoint: " + where + " is not a finite number");
  if ((j.is_number_integer() && !j.is_number_unsigned() &&
       (j.get<long long>() < std::numeric_limits<int>::min() || j.get<long long>() > std::numeric_limits<int>::max())) ||
      (j.is_number_unsigned() && j.get<unsigned long long>() > static_cast<unsigned long long>(std::numeric_limits<int>::max())))
    throw InputError("checkpoint: " + where + " is out of range, got " + j.dump());
  if (j.is_object())
    for (auto it = j.begin(); it != j.end(); ++it) check_state_numbers(*it, where + "." + it.key());
  if (j.is_array())
    for (std::size_t i = 0; i < j.size(); ++i) check_state_numbers(j[i], where + "[" + std::to_string(i) + "]");
}

// Every step counter of a saved schedule state (`last_epoch`, `step_count`, the members' too) against
// the same counter of `expected`, the state of a fresh schedule of the run stepped to the saved
// position; or one line naming the field, both values and the position.
void check_schedule_counters(const nlohmann::json& saved, const nlohmann::json& expected, const std::string& where,
                             const std::string& position) {
  if (expected.is_array()) {
    if (!saved.is_array() || saved.size() != expected.size())
      throw InputError("checkpoint: " + where + " must hold " + std::to_string(expected.size()) + " states, as the schedule has");
    for (std::size_t i = 0; i < expected.size(); ++i)
      check_schedule_counters(saved[i], expected[i], where + "[" + std::to_string(i) + "]", position);
    return;
  }
  if (!expected.is_object()) return;
  if (!saved.is_object()) throw InputError("checkpoint: " + where + " must be an object, got " + saved.dump());
  for (auto it = expected.begin(); it != expected.end(); ++it) {
    const std::string field = where + "." + it.key();
    const auto found = saved.find(it.key());
    if (found == saved.end()) throw InputError("checkpoint: " + field + " is missing");
    if (it.key() == "last_epoch" || it.key() == "step_count") {
      if (*found != *it)
        throw InputError("checkpoint: " + field + " is " + found->dump() + ", the run's position (" + position +
                         ") puts it at " + it->dump());
    } else {
      check_schedule_counters(*found, *it, field, position);
    }
  }
}

// An integer field of a checkpoint in [lo, hi], or one line naming the field and the range.
long long checkpoint_integer(const nlohmann::json& c, const char* key, long long lo, long long hi) {
  const auto it = c.find(key);
  if (it == c.end()) throw InputError(std::string("checkpoint: ") + key + " is missing");
  if (!it->is_number_integer() || (it->is_number_unsigned() && it->get<unsigned long long>() > static_cast<unsigned long long>(hi)) ||
      it->get<long long>() < lo || it->get<long long>() > hi)
    throw InputError(std::string("checkpoint: ") + key + " must be an integer from " + std::to_string(lo) + " to " +
                     std::to_string(hi) + ", got " + it->dump());
  return it->get<long long>();
}

}  // namespace

void TrainingRun::restore(const nlohmann::json& c) {
  try {
    if (!c.is_object() || c.value("format", "") != kCheckpointFormat)
      throw InputError("checkpoint: not a gradscope checkpoint (no \"format\": \"" + std::string(kCheckpointFormat) + "\")");
    // The position first: a checkpoint that does not fit this run changes nothing.
    const Index bpe = batches_per_epoch();
    const int epoch = static_cast<int>(checkpoint_integer(c, "epoch", 0, std::numeric_limits<int>::max()));
    if (epoch > config_.epochs)
      throw InputError("checkpoint: its run is at epoch " + std::to_string(epoch) + ", past this run's " +
                       std::to_string(config_.epochs) + " epochs (give --epochs " + std::to_string(epoch + 1) +
                       " or more to continue it)");
    const int batch = static_cast<int>(checkpoint_integer(c, "batch", 0, bpe));
    const std::int64_t step = checkpoint_integer(c, "step", 0, std::numeric_limits<std::int64_t>::max());
    // batch == batches per epoch: the state right after the run's last epoch ended (a finished run).
    const bool epoch_ended = batch == bpe;
    if (epoch_ended && epoch == 0) throw InputError("checkpoint: batch " + std::to_string(batch) + " of epoch 0 is past its end");
    const std::int64_t position = static_cast<std::int64_t>(epoch) * bpe + (epoch_ended ? 0 : batch);
    if (step != position)
      throw InputError("checkpoint: step " + std::to_string(step) + " does not match epoch " + std::to_string(epoch) +
                       ", batch " + std::to_string(batch) + " at " + std::to_string(bpe) +
                       " batches per epoch (a different data set or batch size?)");
    if (!epoch_ended && epoch == config_.epochs && batch > 0)
      throw InputError("checkpoint: its run is at batch " + std::to_string(batch) + " of epoch " + std::to_string(epoch + 1) +
                       ", past this run's " + std::to_string(config_.epochs) + " epochs");
    const Index seen = checkpoint_integer(c, "epoch_seen", 0, data_.train.size());
    const Index correct = checkpoint_integer(c, "epoch_correct", 0, seen);
    const auto loss_sum = c.find("epoch_loss_sum");
    if (loss_sum == c.end() || !loss_sum->is_number() || !std::isfinite(loss_sum->get<double>()) || loss_sum->get<double>() < 0)
      throw InputError("checkpoint: epoch_loss_sum must be a finite number >= 0");
    const nlohmann::json& params = c.at("params");
    if (!params.is_object()) throw InputError("checkpoint: params must be an object of named values");
    for (auto it = params.begin(); it != params.end(); ++it)
      if (std::none_of(params_.begin(), params_.end(), [&](const Param<float>& p) { return p.name == it.key(); }))
        throw InputError("checkpoint: values for '" + it.key() + "', which the model does not have");
    std::vector<std::vector<float>> values;
    for (auto& p : params_) {
      if (!params.contains(p.name)) throw InputError("checkpoint: no values for " + p.name);
      values.push_back(params.at(p.name).get<std::vector<float>>());
      const auto& v = values.back();
      if (static_cast<Index>(v.size()) != p.value->size())
        throw InputError("checkpoint: " + p.name + " holds " + std::to_string(v.size()) + " values, the model needs " +
                         std::to_string(p.value->size()));
      if (!std::all_of(v.begin(), v.end(), [](float x) { return std::isfinite(x); }))
        throw InputError("checkpoint: " + p.name + " holds a value that is not finite");
    }
    check_state_numbers(c.at("optimizer"), "optimizer");
    check_state_numbers(c.at("group"), "group");
    if (schedule_) {
      check_state_numbers(c.at("schedule"), "schedule");
      // The schedule's counters must be those of this position: a fresh schedule of the run,
      // stepped as step() and end_epoch() step it (per batch: after every step but the run's
      // last; per epoch: at every epoch's end but the run's last), gives them.
      const std::int64_t steps_taken = config_.schedule->per_batch ? (epoch_ended ? step - 1 : step)
                                                                   : (epoch_ended ? epoch - 1 : epoch);
      auto group = std::make_shared<LrGroup>();
      group->lr = config_.optimizer.lr;
      const std::unique_ptr<Scheduler> fresh =
          make_scheduler(config_.schedule->spec, group, run_schedule_context(config_, total_steps()));
      for (std::int64_t k = 0; k < steps_taken; ++k) {
        if (fresh->needs_metric())
          fresh->step(0.0);  // the metric moves plateau's best, never its counters
        else
          fresh->step();
      }
      check_schedule_counters(c.at("schedule"), fresh->state(), "schedule",
                              "epoch " + std::to_string(epoch) + ", batch " + std::to_string(batch));
    }

    // A state can still hold a value of the wrong type (a string for the optimizer's step, an
    // object for the group's lr), found only as it is loaded: the state before is then put back,
    // so that a refused checkpoint changes nothing.
    const nlohmann::json before = checkpoint();
    try {
      for (std::size_t i = 0; i < params_.size(); ++i) std::copy(values[i].begin(), values[i].end(), params_[i].value->begin());
      optimizer_.load_state(c.at("optimizer"));
      load_group(*group_, c.at("group"));
      if (schedule_) schedule_->load_state(c.at("schedule"));
      step_ = step;
      epoch_ = epoch;
      batch_ = batch;
      epoch_loss_sum_ = loss_sum->get<double>();
      epoch_correct_ = correct;
      epoch_seen_ = seen;
      if (epoch_ended && !finished()) {
        // A finished run continued with more epochs: what its last epoch's end skipped because the
        // run ended there (the schedule's step), then the next epoch — as a run with this many
        // epochs from the start would have done.
        if (schedule_) {
          if (config_.schedule->per_batch)
            schedule_->step();
          else if (schedule_->needs_metric())
            schedule_->step(data_.test.size() > 0 ? evaluate_test().loss : epoch_loss_sum_ / static_cast<double>(batch_));
          else
            schedule_->step();
        }
        start_epoch();
      } else if (!finished()) {
        seek_batch(batch);  // replay the epoch's permutation up to the saved batch
      }
    } catch (...) {
      restore(before);
      throw;
    }
  } catch (const nlohmann::json::exception& e) {
    throw InputError(std::string("checkpoint: malformed (") + e.what() + ")");
  }
}

void TrainingRun::save_checkpoint(AtomicFileWriter& out) {
  try {
    out.write(checkpoint().dump() + "\n");
    out.commit();
  } catch (const FileError& e) {
    throw InputError(std::string("checkpoint: ") + e.what());
  }
}

void TrainingRun::save_checkpoint(const std::string& path) {
  std::unique_ptr<AtomicFileWriter> out;
  try {
    out = std::make_unique<AtomicFileWriter>(path);
  } catch (const FileError& e) {
    throw InputError(std::string("checkpoint: ") + e.what());
  }
  save_checkpoint(*out);
}

void TrainingRun::load_checkpoint(const std::string& path) {
  const nlohmann::json c = read_config_file(path);
  try {
    check_checkpoint_config(c.is_object() ? c.value("config", nlohmann::json()) : nlohmann::json());
    restore(c);
  } catch (const InputError& e) {
    throw InputError(path + ": " + e.what());
  }
}

// The saved config against this run's: everything that shapes the run's state must be the same;
// the name, description, epochs (a finished run goes on for more) and threads may differ.
void TrainingRun::check_checkpoint_config(const nlohmann::json& saved) const {
  TrainConfig theirs;
  try {
    theirs = parse_config(saved);
  } catch (const InputError& e) {
    throw InputError(std::string("checkpoint: its config: ") + e.what());
  }
  const nlohmann::ordered_json a = to_json(theirs), b = to_json(config_);
  for (auto it = b.begin(); it != b.end(); ++it) {
    const std::string& key = it.key();
    if (key == "name" || key == "description" || key == "epochs" || key == "threads") continue;
    if (!a.contains(key) || a.at(key) != it.value())
      throw InputError("checkpoint: its " + key + " (" + (a.contains(key) ? a.at(key).dump() : "none") +
                       ") is not this run's (" + it.value().dump() +
                       "); a checkpoint continues only the run it came from");
  }
}

// [SECTION] TrainingRun: going back after the sentinel

void TrainingRun::keep_epoch_checkpoints(int n) {
  keep_checkpoints_ = std::max(n, 0);
  kept_count_ = 0;
  kept_.resize(keep_checkpoints_ > 0 ? static_cast<std::size_t>(keep_checkpoints_) + 1 : 0);
  if (keep_checkpoints_ > 0) keep_state();
}

void TrainingRun::keep_state() {
  // The first state stays (the run's start); of the others, the last n: when all slots are
  // taken, the oldest after the first moves to the end (its buffers with it) and is overwritten.
  if (kept_count_ == kept_.size())
    std::rotate(kept_.begin() + 1, kept_.begin() + 2, kept_.end());
  else
    ++kept_count_;
  KeptState& k = kept_[kept_count_ - 1];
  k.step = step_;
  k.epoch = epoch_;
  k.batch = batch_;
  k.epoch_loss_sum = epoch_loss_sum_;
  k.epoch_correct = epoch_correct_;
  k.epoch_seen = epoch_seen_;
  k.values.assign(model_.arena_values(), model_.arena_values() + model_.arena_size());
  optimizer_.save_state(k.optimizer);
  k.group = *group_;
  if (schedule_) k.schedule = schedule_->state();
}

void TrainingRun::restore_kept(const KeptState& k) {
  std::copy(k.values.begin(), k.values.end(), model_.arena_values());
  optimizer_.load_state(k.optimizer);
  *group_ = k.group;
  if (schedule_) schedule_->load_state(k.schedule);
  step_ = k.step;
  epoch_ = k.epoch;
  batch_ = k.batch;
  epoch_loss_sum_ = k.epoch_loss_sum;
  epoch_correct_ = k.epoch_correct;
  epoch_seen_ = k.epoch_seen;
  if (!finished()) seek_batch(batch_);  // the epoch's permutation up to the kept batch
}

std::vector<std::int64_t> TrainingRun::kept_steps() const {
  std::vector<std::int64_t> steps;
  for (std::size_t i = 0; i < kept_count_; ++i) steps.push_back(kept_[i].step);
  return steps;
}

void TrainingRun::rewind(std::int64_t step) {
  const auto end = kept_.begin() + static_cast<std::ptrdiff_t>(kept_count_);
  const auto at = std::find_if(kept_.begin(), end, [&](const KeptState& k) { return k.step == step; });
  if (at == end) throw InputError("rewind: no state was kept at step " + std::to_string(step));
  restore_kept(*at);
  kept_count_ = static_cast<std::size_t>(at - kept_.begin()) + 1;  // the later ones are dropped
}

void TrainingRun::adjust(double lr_factor, double clip_norm) {
  lr_factor_ = lr_factor;
  config_.optimizer.clip_norm = clip_norm;
  optimizer_.set_clip_norm(clip_norm);
}

// ============================================================================================
// [SECTION] Trainer
// ============================================================================================

const char* state_name(TrainerState s) {
  switch (s) {
    case TrainerState::Idle: return "idle";
    case TrainerState::Running: return "running";
    case TrainerState::Paused: return "paused";
    case TrainerState::Finished: return "finished";
    case TrainerState::Stopped: return "stopped";
    case TrainerState::Failed: return "failed";
  }
  return "?";
}

Trainer::Trainer(std::unique_ptr<TrainingRun> run, std::size_t metrics_capacity)
    : run_(std::move(run)), channel_(metrics_capacity) {
  snapshots_.prepare(run_->params(), static_cast<std::size_t>(run_->data().test.size()));
}

Trainer::~Trainer() {
  stop();
  wait();
}

void Trainer::start(bool paused) {
  std::lock_guard<std::mutex> lock(command_mutex_);
  if (thread_.joinable() || state_.load() != TrainerState::Idle) throw std::logic_error("Trainer::start called twice");
  pause_requested_ = paused;
  state_.store(paused ? TrainerState::Paused : TrainerState::Running, std::memory_order_release);
  thread_ = std::thread(&Trainer::loop, this);
}

void Trainer::pause() {
  std::lock_guard<std::mutex> lock(command_mutex_);
  pause_requested_ = true;
}

void Trainer::resume() {
  {
    std::lock_guard<std::mutex> lock(command_mutex_);
    pause_requested_ = false;
    single_steps_ = 0;
    to_epoch_end_ = false;
  }
  wake_.notify_all();
}

void Trainer::step_one() {
  {
    std::lock_guard<std::mutex> lock(command_mutex_);
    if (!pause_requested_) return;  // running anyway
    ++single_steps_;
  }
  wake_.notify_all();
}

void Trainer::step_epoch() {
  {
    std::lock_guard<std::mutex> lock(command_mutex_);
    if (!pause_requested_) return;  // running anyway
    to_epoch_end_ = true;
  }
  wake_.notify_all();
}

void Trainer::evaluate_now() {
  {
    std::lock_guard<std::mutex> lock(command_mutex_);
    if (!pause_requested_) return;
    evaluate_requested_ = true;
  }
  wake_.notify_all();
}

void Trainer::stop() {
  {
    std::lock_guard<std::mutex> lock(command_mutex_);
    stop_requested_ = true;
  }
  wake_.notify_all();
}

void Trainer::wait() {
  if (thread_.joinable()) thread_.join();
}

std::string Trainer::error() const {
  std::lock_guard<std::mutex> lock(command_mutex_);
  return error_;
}

std::unique_ptr<TrainingRun> Trainer::release_run() {
  wait();
  return std::move(run_);
}

std::optional<NonFiniteReport> Trainer::non_finite() const {
  std::lock_guard<std::mutex> lock(command_mutex_);
  return non_finite_;
}

void Trainer::publish_snapshot() {
  snapshots_.publish(run_->params(), run_->steps_done(), run_->epoch(), run_->test_predictions(), run_->predictions_step());
  published_step_ = run_->steps_done();
}

void Trainer::loop() {
  using Clock = std::chrono::steady_clock;
  name_this_thread("gs-trainer");  // kTrainingThreadPrefix: a load check tells it from a UI's threads
  auto last_publish = Clock::now();
  publish_snapshot();  // the initial parameters: a view has something to show before the first step
  for (;;) {
    bool evaluate = false;
    {
      std::unique_lock<std::mutex> lock(command_mutex_);
      const bool idle = pause_requested_ && single_steps_ == 0 && !to_epoch_end_ && !evaluate_requested_;
      if (idle && !stop_requested_) {
        // Readers see the state the run pauses in before they see "paused".
        if (published_step_ != run_->steps_done()) {
          lock.unlock();
          publish_snapshot();
          last_publish = Clock::now();
          lock.lock();
        }
        if (pause_requested_ && single_steps_ == 0 && !to_epoch_end_ && !evaluate_requested_ && !stop_requested_)
          state_.store(TrainerState::Paused, std::memory_order_release);
      }
      wake_.wait(lock, [&] {
        return stop_requested_ || !pause_requested_ || single_steps_ > 0 || to_epoch_end_ || evaluate_requested_;
      });
      if (stop_requested_) {
        lock.unlock();
        if (published_step_ != run_->steps_done()) publish_snapshot();
        state_.store(TrainerState::Stopped, std::memory_order_release);
        return;
      }
      if (evaluate_requested_) {
        evaluate_requested_ = false;
        evaluate = pause_requested_;
      } else if (pause_requested_ && !to_epoch_end_) {
        --single_steps_;
      } else if (!pause_requested_) {
        state_.store(TrainerState::Running, std::memory_order_release);
      }
    }
    if (evaluate) {
      try {
        run_->evaluate_test();
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(command_mutex_);
        error_ = e.what();
        state_.store(TrainerState::Failed, std::memory_order_release);
        return;
      }
      publish_snapshot();
      last_publish = Clock::now();
      continue;
    }
    StepMetrics m;
    try {
      m = run_->step();
    } catch (const std::exception& e) {
      // The parameters and gradients at the failure, for the views that show where it went wrong.
      publish_snapshot();
      std::lock_guard<std::mutex> lock(command_mutex_);
      error_ = e.what();
      if (const auto* nf = dynamic_cast<const NonFiniteError*>(&e)) non_finite_ = nf->report();
      state_.store(TrainerState::Failed, std::memory_order_release);
      return;
    }
    channel_.publish(m);
    const bool epoch_end = !std::isnan(m.train_accuracy);
    if (epoch_end || run_->finished() || Clock::now() - last_publish >= std::chrono::duration<double>(snapshot_interval_)) {
      publish_snapshot();
      last_publish = Clock::now();
    }
    steps_.store(m.step, std::memory_order_release);
    if (epoch_end) {
      std::lock_guard<std::mutex> lock(command_mutex_);
      to_epoch_end_ = false;
    }
    if (run_->finished()) {
      state_.store(TrainerState::Finished, std::memory_order_release);
      return;
    }
  }
}

}  // namespace gs::nn
