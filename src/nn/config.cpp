// Config parsing into typed parts, and the presets: config files in assets/presets/, so that
// `--config` files can start from one (or from `gradscope-cli train --preset NAME --print-config`).
// Depends on the nn spec readers, assets.h and the engine's name suggestions.
#include "nn/config.h"

#include "engine/parse.h"
#include "engine/text_file.h"
#include "nn/assets.h"
#include "nn/schedule.h"
#include "nn/schedule_spec.h"
#include "nn/spec_reader.h"

#include <algorithm>
#include <climits>
#include <filesystem>
#include <fstream>

namespace gs::nn {

nlohmann::json mlp_model(const std::vector<long long>& input, const std::vector<long long>& widths,
                         const std::string& activation) {
  nlohmann::json layers = nlohmann::json::array();
  if (input.size() > 1) layers.push_back({{"type", "flatten"}});
  for (std::size_t i = 0; i < widths.size(); ++i) {
    layers.push_back({{"type", "linear"}, {"out", widths[i]}});
    if (i + 1 < widths.size()) layers.push_back({{"type", activation}});
  }
  return {{"input", input}, {"layers", layers}};
}

nlohmann::json lenet_model() {
  return {{"input", {1, 28, 28}},
          {"layers",
           {{{"type", "conv"}, {"out_channels", 6}, {"kernel", 5}, {"padding", 2}},
            {{"type", "relu"}},
            {{"type", "maxpool"}, {"kernel", 2}},
            {{"type", "conv"}, {"out_channels", 16}, {"kernel", 5}},
            {{"type", "relu"}},
            {{"type", "maxpool"}, {"kernel", 2}},
            {{"type", "flatten"}},
            {{"type", "linear"}, {"out", 120}},
            {{"type", "relu"}},
            {{"type", "linear"}, {"out", 84}},
            {{"type", "relu"}},
            {{"type", "linear"}, {"out", 10}}}}};
}

std::vector<std::string> preset_names() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(asset_path("presets"), ec))
    if (e.path().extension() == ".json") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

nlohmann::json preset(const std::string& name) {
  const std::vector<std::string> known = preset_names();
  if (std::find(known.begin(), known.end(), name) == known.end()) {
    std::string list;
    for (const auto& n : known) list += (list.empty() ? "" : ", ") + n;
    const std::string guess = closest_name(name, known);
    throw InputError("unknown preset '" + name + "'" + (guess.empty() ? "" : " (did you mean '" + guess + "'?)") +
                     " (known: " + (list.empty() ? "none in " + asset_path("presets") : list) + ")");
  }
  return read_config_file(asset_path("presets/" + name + ".json"));
}

nlohmann::json read_config_file(const std::string& path) {
  std::string text;
  try {
    text = read_text_file(path, kMaxConfigBytes);
  } catch (const FileError& e) {
    throw InputError(e.what());
  }
  // A depth limit before any copy or print of the JSON: both recurse, and a list nested 100,000
  // levels deep would overflow the stack.
  return parse_json_text(text, path, kMaxConfigDepth);
}

TrainConfig parse_config(const nlohmann::json& config) {
  SpecReader r(config, "config");
  TrainConfig c;
  c.name = r.text("name", "custom");
  c.description = r.text("description", "");
  c.data = parse_data_spec(r.raw("data"));
  c.model = parse_model_spec(r.raw("model"));  // the shapes chain, or the layer that does not fit is named
  try {
    c.loss = parse_loss(r.text("loss", "cross_entropy"));
  } catch (const InputError& e) {
    throw InputError(std::string("config: ") + e.what());
  }
  c.optimizer = parse_optimizer(r.raw("optimizer"));
  // Each integer is read whole and refused beyond the type it is used as (2147483648 epochs were
  // cut to 0, a batch size of 4294967297 to 1).
  c.batch_size = static_cast<int>(r.integer_in("batch_size", 1, INT_MAX, 32));
  c.epochs = static_cast<int>(r.integer_in("epochs", 1, INT_MAX, 10));
  c.seed = r.seed("seed");
  c.threads = static_cast<int>(r.integer_in("threads", 1, kMaxThreads, 1));
  const bool per_batch = r.choice("schedule_step", {"epoch", "batch"}, "epoch") == "batch";
  if (r.has("schedule") && !config.at("schedule").is_null()) {
    // The check below runs the schedule over every epoch: a length beyond the schedule's limit is
    // refused first (2^31 − 1 epochs took minutes to check).
    if (c.epochs > kMaxScheduleSteps)
      throw InputError("config: a schedule is checked over at most " + std::to_string(kMaxScheduleSteps) +
                       " epochs; epochs is " + std::to_string(c.epochs));
    // A per-batch schedule's step count is only known with the data (the run checks it again);
    // the epoch count is a lower bound that checks every other parameter now.
    c.schedule = ScheduleConfig{parse_schedule(r.raw("schedule"), {c.epochs, c.optimizer.kind == OptimizerKind::Sgd}),
                                per_batch};
    if (per_batch && c.schedule->spec.name == "plateau")
      throw InputError("config: plateau reads a metric once per epoch; schedule_step must be \"epoch\"");
  }
  r.reject_unknown_keys({"schedule"});
  return c;
}

nlohmann::ordered_json to_json(const TrainConfig& c) {
  nlohmann::ordered_json j = {{"name", c.name}};
  if (!c.description.empty()) j["description"] = c.description;
  j["data"] = to_json(c.data);
  j["model"] = to_json(c.model);
  j["loss"] = loss_name(c.loss);
  j["optimizer"] = to_json(c.optimizer);
  j["schedule"] = c.schedule ? nlohmann::ordered_json(c.schedule->spec.to_json()) : nlohmann::ordered_json();
  j["schedule_step"] = c.schedule && c.schedule->per_batch ? "batch" : "epoch";
  j["batch_size"] = c.batch_size;
  j["epochs"] = c.epochs;
  j["seed"] = c.seed;
  j["threads"] = c.threads;
  return j;
}

}  // namespace gs::nn
