// The training config, read once into typed parts — data, model, loss, optimizer, schedule, and
// the run's batch size, epochs, seed and threads — from which a TrainingRun builds everything. A
// config is checked completely when read (the model's shapes chain, the schedule runs its whole
// length), and nothing keeps its JSON: to_json writes it back from the parts, and reading that
// gives the same config. The presets are config files in assets/presets/ (assets.h finds them).
// Depends on nlohmann-json and the nn spec readers; no tensors are built here.
#pragma once

#include "nn/dataset.h"
#include "nn/model.h"
#include "nn/optimizer.h"
#include "nn/schedule_params.h"

#include <nlohmann/json.hpp>

#include <cstdint>

#include <optional>
#include <string>
#include <vector>

namespace gs::nn {

// The learning-rate schedule of a run: a spec checked by schedule.h's parse_schedule, stepped once
// per epoch (default) or once per batch ("schedule_step": "batch").
struct ScheduleConfig {
  ScheduleSpec spec;
  bool per_batch = false;
};

struct TrainConfig {
  std::string name = "custom";
  std::string description;                // a sentence for menus (presets have one)
  DataSpec data;
  ModelSpec model;
  LossKind loss = LossKind::CrossEntropy;
  OptimizerConfig optimizer;
  std::optional<ScheduleConfig> schedule;  // none: a constant learning rate
  int batch_size = 32;
  int epochs = 10;
  std::uint64_t seed = 0;
  int threads = 1;  // for matrix products and convolutions, on the thread that runs the steps
};
// Each helper thread is a thread of its own: more than this is refused, not started.
inline constexpr int kMaxThreads = 64;

// Reads and checks a config: unknown keys, bad values, a model whose shapes do not chain, a
// schedule with bad parameters or one that fails during the run (checked for `epochs` steps; a
// per-batch schedule's length is checked again with the data). Data files are not opened here
// (load_data does that). Integers are checked in the type they are used as: batch_size and epochs
// 1 to 2147483647, threads 1 to kMaxThreads, seed 0 to 2^64 − 1. The first problem is one
// InputError line naming its place ("config: epochs must be an integer from 1 to 2147483647, got
// 2147483648").
TrainConfig parse_config(const nlohmann::json& config);
// The config as JSON, every key written: parse_config(to_json(c)) gives c again.
nlohmann::ordered_json to_json(const TrainConfig& config);

// Model specs the benchmarks share (DESIGN.md's workloads): a dense net (a flatten first when the
// input is an image) with `activation` between the linear layers, and LeNet on 1×28×28.
nlohmann::json mlp_model(const std::vector<long long>& input, const std::vector<long long>& widths,
                         const std::string& activation);
nlohmann::json lenet_model();

// A config file's JSON (a config, a preset, a checkpoint): InputError "cannot open 'PATH': No such
// file or directory", "'PATH' is a directory, not a file" or "PATH: not valid JSON at line 3, ...".
// The file is at most 64 MB and nested at most 64 levels deep ("PATH: nested deeper than 64 levels
// at line 1, column 65"), checked before anything copies or prints it.
nlohmann::json read_config_file(const std::string& path);
inline constexpr int kMaxConfigDepth = 64;
inline constexpr std::uintmax_t kMaxConfigBytes = std::uintmax_t{64} << 20;

// A preset: the config file assets/presets/NAME.json; InputError for an unknown name (with the
// known ones) or a file that is not valid JSON. Presets are checked by parse_config like any config.
nlohmann::json preset(const std::string& name);
// The presets found in assets/presets/, sorted by name.
std::vector<std::string> preset_names();

}  // namespace gs::nn
