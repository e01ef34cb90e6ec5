// Fuzz harness "checkpoint": a checkpoint file's text (train --resume) ->
// TrainingRun::load_checkpoint, into a run of the checkpoint's own config when that config reads
// and is small (a synthetic set of at most 64 samples, a few steps: so that the schedules,
// optimizers and positions it names are all reached), else into a small built-in run. A refused
// checkpoint must change nothing (the run's own checkpoint() is what it was); an accepted one must
// end after exactly total_steps() − steps_done() steps (the invariant behind "runs that never
// end"). Only nn::InputError may escape; anything else is a finding.
#include "fuzz_util.h"

#include "nn/config.h"
#include "nn/errors.h"
#include "nn/schedule_spec.h"
#include "nn/trainer.h"

#include <cstdlib>
#include <optional>

namespace {

// Small enough that a run of it takes well under a millisecond a step.
bool small_run(const gs::nn::TrainConfig& c) {
  using gs::nn::DataKind;
  const auto& d = c.data;
  const bool synthetic = d.kind != DataKind::FashionMnist && d.kind != DataKind::Idx && d.kind != DataKind::Csv;
  if (!synthetic || d.size > 64 || d.points.size() > 64 || c.epochs > 4 || c.threads > 2) return false;
  if (c.model.input.size() > 256) return false;
  for (const auto& shape : c.model.shapes)
    if (shape.size() > 256) return false;
  for (const auto& layer : c.model.layers)
    if (layer.in * layer.out > 4096) return false;
  return true;
}

gs::nn::TrainConfig builtin_config() {
  gs::nn::TrainConfig c = gs::nn::parse_config(gs::nn::preset("spiral"));
  c.data.size = 40;
  c.batch_size = 8;
  c.epochs = 2;
  return c;
}

}  // namespace

GRADSCOPE_FUZZ_HARNESS(checkpoint) {
  using namespace gs;
  if (size > 65536) return -1;
  static const nn::TrainConfig builtin = builtin_config();
  const std::string text(fuzz::text(data, size));
  std::optional<nn::TrainConfig> config;
  try {
    const nlohmann::json j = nn::parse_json_text(text, "checkpoint");
    if (j.is_object() && j.contains("config")) config = nn::parse_config(j.at("config"));
  } catch (const nn::InputError&) {
  }
  if (!config || !small_run(*config)) config = builtin;

  std::optional<nn::TrainingRun> run;
  try {
    run.emplace(*config);
  } catch (const nn::InputError&) {  // a config that reads but does not build (data vs model)
    run.emplace(builtin);
  }
  const nlohmann::json untouched = run->checkpoint();
  try {
    run->load_checkpoint(fuzz::scratch_file("checkpoint", text));
  } catch (const nn::InputError&) {
    if (run->checkpoint() != untouched) std::abort();  // a refused checkpoint changed the run
    return 0;
  }
  const std::int64_t left = run->total_steps() - run->steps_done();
  if (left < 0) std::abort();
  std::int64_t steps = 0;
  try {
    while (!run->finished() && steps <= left) {
      run->step();
      ++steps;
    }
  } catch (const nn::InputError&) {  // the sentinel: weights that give NaN are a clear message
    return 0;
  }
  if (steps != left || !run->finished()) std::abort();  // the run must end, and on time
  return 0;
}
