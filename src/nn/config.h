// The training config (JSON: data, model, loss, optimizer, schedule, batch, epochs, seed, threads)
// and the built-in presets spiral, moons, circles, xor, fashion-mlp, fashion-lenet. Everything is
// checked before any work starts; the first problem is one InputError line naming its place.
// Depends on nlohmann-json and the nn spec readers; no tensors are built here.
#pragma once

#include "nn/model.h"
#include "nn/optimizer.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace gs::nn {

struct TrainConfig {
  std::string name;
  nlohmann::json data;   // dataset.h's load_data spec
  nlohmann::json model;  // Model::build spec
  LossKind loss = LossKind::CrossEntropy;
  OptimizerConfig optimizer;
  nlohmann::json schedule;           // null = constant learning rate
  bool schedule_per_batch = false;   // "schedule_step": "epoch" (default) or "batch"
  int batch_size = 32;
  int epochs = 10;
  std::uint64_t seed = 0;
  int threads = 1;
};

// Reads and checks a config: unknown keys, bad values, a model whose shapes do not chain, a
// schedule with bad parameters. Data files are not opened here (load_data does that).
TrainConfig parse_config(const nlohmann::json& config);
nlohmann::json to_json(const TrainConfig& config);

// Model specs the presets and the benchmarks share: a dense net (a flatten first when the input is
// an image) with `activation` between the linear layers, and DESIGN.md's LeNet on 1×28×28.
nlohmann::json mlp_model(const std::vector<long long>& input, const std::vector<long long>& widths,
                         const std::string& activation);
nlohmann::json lenet_model();

// A preset's config JSON; InputError for an unknown name.
nlohmann::json preset(const std::string& name);
const std::vector<std::string>& preset_names();

}  // namespace gs::nn
