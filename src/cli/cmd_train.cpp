// `gradscope-cli train (--preset NAME | --config FILE) [--epochs N] [--metrics FILE.csv] [--json]`:
// trains with src/nn's TrainingRun, drawing a progress bar when the progress stream is a terminal and
// one plain line per epoch otherwise; --metrics writes one CSV row per step; --json prints a final
// object with train_accuracy, test_accuracy (when the data has a test split) and final_loss.
// Everything is checked before training starts. Depends on src/nn and CLI11.
#include "commands.h"

#include "engine/error_text.h"
#include "engine/json_text.h"
#include "engine/text_file.h"
#include "nn/config.h"
#include "nn/spec_reader.h"
#include "nn/trainer.h"

#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdint>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

namespace gs::cli {
namespace {

struct TrainOptions {
  std::string preset, config_file, metrics_file, checkpoint_file, resume_file;
  int epochs = 0, threads = 0, batch_size = 0;
  std::uint64_t seed = 0;
  double lr = 0;
  bool json = false, print_config = false, quiet = false;
  // Which overrides were given (their values are checked by src/nn with the config's messages).
  CLI::Option *epochs_opt = nullptr, *threads_opt = nullptr, *batch_opt = nullptr, *seed_opt = nullptr,
              *lr_opt = nullptr;
};

nn::TrainConfig resolve_config(const TrainOptions& o) {
  nlohmann::json c;
  if (!o.preset.empty() && !o.config_file.empty()) throw InputError("give --preset or --config, not both");
  if (!o.preset.empty())
    c = nn::preset(o.preset);
  else if (!o.config_file.empty())
    c = nn::read_config_file(o.config_file);
  else if (!o.resume_file.empty())
    c = nn::read_config_file(o.resume_file).value("config", nlohmann::json());
  else
    throw InputError("train needs --preset NAME or --config FILE");
  if (!c.is_object()) throw InputError("the config must be a JSON object");
  if (o.epochs_opt->count()) c["epochs"] = o.epochs;
  if (o.threads_opt->count()) c["threads"] = o.threads;
  if (o.batch_opt->count()) c["batch_size"] = o.batch_size;
  if (o.seed_opt->count()) c["seed"] = o.seed;
  if (o.lr_opt->count() && c.contains("optimizer") && c["optimizer"].is_object()) c["optimizer"]["lr"] = o.lr;
  return nn::parse_config(c);
}

std::string percent(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * v);
  return buf;
}

std::string seconds_text(double s) {
  char buf[32];
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%.1fs", s);
  else
    std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  return buf;
}

// Progress on a terminal: one redrawn line (at most ~10 times a second) and a line per epoch.
// Elsewhere (a pipe, a log file): the line per epoch only.
class Progress {
 public:
  Progress(FILE* out, bool quiet, int epochs, std::int64_t batches)
      : out_(out), tty_(isatty(fileno(out)) != 0), quiet_(quiet), epochs_(epochs), batches_(batches) {}

  void step(const nn::StepMetrics& m, double elapsed, std::int64_t total_steps) {
    if (quiet_) return;
    if (tty_ && (elapsed - last_draw_ > 0.1 || m.batch + 1 == batches_)) {
      last_draw_ = elapsed;
      const int width = 24;
      int filled = static_cast<int>(width * (m.batch + 1) / std::max<std::int64_t>(batches_, 1));
      std::string bar(static_cast<std::size_t>(filled), '#');
      bar += std::string(static_cast<std::size_t>(width - filled), '.');
      double eta = m.step > 0 ? elapsed / static_cast<double>(m.step) * static_cast<double>(total_steps - m.step) : 0;
      std::fprintf(out_, "\r\033[Kepoch %d/%d [%s] batch %d/%lld  loss %.4f  acc %s  lr %s  ETA %s", m.epoch + 1,
                   epochs_, bar.c_str(), m.batch + 1, static_cast<long long>(batches_), m.loss,
                   percent(m.accuracy).c_str(), nn::format_number(m.lr).c_str(), seconds_text(eta).c_str());
      std::fflush(out_);
    }
    if (!std::isnan(m.train_accuracy)) {
      if (tty_) std::fprintf(out_, "\r\033[K");
      std::fprintf(out_, "epoch %d/%d  loss %.4f  train %s", m.epoch + 1, epochs_, m.epoch_loss,
                   percent(m.train_accuracy).c_str());
      if (!std::isnan(m.test_accuracy)) std::fprintf(out_, "  test %s", percent(m.test_accuracy).c_str());
      std::fprintf(out_, "  lr %s  %s\n", nn::format_number(m.lr).c_str(), seconds_text(elapsed).c_str());
      std::fflush(out_);
    }
  }

 private:
  FILE* out_;
  bool tty_, quiet_;
  int epochs_;
  std::int64_t batches_;
  double last_draw_ = -1;
};

void run_train(const TrainOptions& o) {
  nn::TrainConfig config = resolve_config(o);
  if (o.print_config) {
    std::cout << pretty_json(nn::to_json(config)) << "\n";
    return;
  }
  // The output files are opened (as temporary files beside them) before the data is loaded, so a
  // path that cannot be written fails before any training; the files the user had stay as they
  // were until a complete one replaces them at the end.
  if (!o.metrics_file.empty() && o.metrics_file == o.checkpoint_file)
    throw InputError("--metrics and --checkpoint name the same file '" + o.metrics_file + "'");
  std::optional<nn::MetricsCsvWriter> metrics;
  if (!o.metrics_file.empty()) metrics.emplace(o.metrics_file);
  std::unique_ptr<AtomicFileWriter> checkpoint;
  if (!o.checkpoint_file.empty()) {
    try {
      checkpoint = std::make_unique<AtomicFileWriter>(o.checkpoint_file);
    } catch (const FileError& e) {
      throw InputError(std::string("checkpoint: ") + e.what());
    }
  }
  nn::TrainingRun run(config);  // loads the data: missing files and bad shapes fail here
  if (!o.resume_file.empty()) run.load_checkpoint(o.resume_file);

  FILE* progress_stream = o.json ? stderr : stdout;
  Progress progress(progress_stream, o.quiet, config.epochs, run.batches_per_epoch());
  if (!o.quiet && !o.json)
    std::fprintf(stdout, "training %s: %s, %lld parameters, %lld batches of %d per epoch\n",
                 printable_text(config.name).c_str(), printable_text(run.data().description).c_str(), static_cast<long long>(run.model().parameter_count()),
                 static_cast<long long>(run.batches_per_epoch()), config.batch_size);

  const auto t0 = std::chrono::steady_clock::now();
  double last_epoch_loss = NAN, last_test = NAN;
  while (!run.finished()) {
    nn::StepMetrics m;
    try {
      m = run.step();
    } catch (const nn::NonFiniteError& e) {
      if (metrics) metrics->close();  // the rows up to the failure: what explains it
      std::fflush(progress_stream);
      std::cerr << "\nerror: training stopped: " << e.what() << "\n";
      throw CLI::RuntimeError(1);
    }
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    progress.step(m, elapsed, run.total_steps());
    if (metrics) metrics->write(m);
    if (!std::isnan(m.epoch_loss)) last_epoch_loss = m.epoch_loss;
    if (!std::isnan(m.test_accuracy)) last_test = m.test_accuracy;
  }
  const double train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (checkpoint) run.save_checkpoint(*checkpoint);

  // The final model on the whole training set (the per-epoch figures average over a moving model).
  if (metrics) metrics->close();
  nn::TrainingRun::Evaluation train = run.evaluate(run.data().train);
  const bool has_test = run.data().test.size() > 0;
  if (o.json) {
    nlohmann::ordered_json j;
    j["config"] = config.name;
    j["epochs"] = config.epochs;
    j["steps"] = run.steps_done();
    j["train_accuracy"] = train.accuracy;
    if (has_test) j["test_accuracy"] = last_test;
    j["final_loss"] = train.loss;
    j["last_epoch_loss"] = last_epoch_loss;
    j["seconds"] = train_seconds;
    j["threads"] = config.threads;
    std::cout << j.dump() << "\n";
  } else if (!o.quiet) {
    std::printf("done in %s: train accuracy %s", seconds_text(train_seconds).c_str(), percent(train.accuracy).c_str());
    if (has_test) std::printf(", test accuracy %s", percent(last_test).c_str());
    std::printf(", final loss %.4f\n", train.loss);
  }
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto opt = std::make_shared<TrainOptions>();
  CLI::App* sub = app.add_subcommand("train", "Train a model (a preset or a JSON config) and report its accuracy");
  std::string presets;
  for (const auto& n : nn::preset_names()) presets += (presets.empty() ? "" : ", ") + n;
  sub->add_option("--preset", opt->preset, "A built-in config: " + presets)->type_name("NAME");
  sub->add_option("--config", opt->config_file, "A JSON training config (see --print-config)")->type_name("FILE");
  // Each integer in the type the config uses (config.h's ranges).
  opt->epochs_opt = add_integer_option(sub, "--epochs", opt->epochs, 1, INT_MAX, "Override the number of epochs");
  opt->seed_opt = add_integer_option(sub, "--seed", opt->seed, std::uint64_t{0}, UINT64_MAX,
                                     "Override the seed (data split, initialisation, shuffling)");
  opt->threads_opt = add_integer_option(sub, "--threads", opt->threads, 1, nn::kMaxThreads, "Threads for matrix products");
  opt->batch_opt = add_integer_option(sub, "--batch-size", opt->batch_size, 1, INT_MAX, "Override the batch size");
  opt->lr_opt = sub->add_option("--lr", opt->lr, "Override the optimizer's learning rate");
  sub->add_option("--metrics", opt->metrics_file, "Write one CSV row per step (loss, accuracy, lr, gradient norm, ...)")
      ->type_name("FILE.csv");
  sub->add_option("--checkpoint", opt->checkpoint_file, "Save weights, optimizer and schedule state at the end")
      ->type_name("FILE");
  sub->add_option("--resume", opt->resume_file, "Continue from a checkpoint")->type_name("FILE");
  sub->add_flag("--json", opt->json, "Print one final JSON object (progress goes to stderr)");
  sub->add_flag("--print-config", opt->print_config, "Print the resolved config as JSON and exit");
  sub->add_flag("--quiet", opt->quiet, "No progress output");
  sub->footer(
      "Examples:\n"
      "  gradscope-cli train --preset spiral\n"
      "  gradscope-cli train --preset fashion-lenet --epochs 3 --metrics lenet.csv\n"
      "  gradscope-cli train --preset moons --print-config > moons.json && gradscope-cli train --config moons.json --json");
  sub->callback([opt] { run_train(*opt); });
}

}  // namespace gs::cli
