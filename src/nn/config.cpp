// Config parsing and the presets. A preset is plain config JSON, so `--config` files can start
// from `gradscope-cli train --preset NAME --print-config`. Depends on the nn spec readers.
#include "nn/config.h"

#include "nn/dataset.h"
#include "nn/schedule.h"
#include "nn/spec_reader.h"

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

namespace {

nlohmann::json two_d(const char* name, int classes, double noise, const char* optimizer, double lr, int epochs) {
  nlohmann::json data = {{"name", name}, {"size", 300}, {"noise", noise}, {"seed", 1}, {"test_fraction", 0.2}};
  if (classes != 2) data["classes"] = classes;
  nlohmann::json opt = {{"name", optimizer}, {"lr", lr}};
  return {{"name", name},
          {"data", data},
          {"model", mlp_model({2}, {16, 16, classes}, "tanh")},
          {"loss", "cross_entropy"},
          {"optimizer", opt},
          {"schedule", nullptr},
          {"batch_size", 32},
          {"epochs", epochs},
          {"seed", 1}};
}

const std::vector<std::string> kPresets = {"spiral", "moons", "circles", "xor", "fashion-mlp", "fashion-lenet"};

}  // namespace

const std::vector<std::string>& preset_names() { return kPresets; }

nlohmann::json preset(const std::string& name) {
  if (name == "spiral") {
    // CS231n's three-arm spiral; Adam settles it in well under a second.
    nlohmann::json c = two_d("spiral", 3, 0.2, "adam", 0.02, 300);
    c["data"]["test_fraction"] = 0.0;
    c["schedule"] = {{"name", "cosine"}, {"t_max", 300}, {"eta_min", 0.001}};
    return c;
  }
  if (name == "moons") return two_d("moons", 2, 0.1, "adam", 0.02, 100);
  if (name == "circles") return two_d("circles", 2, 0.05, "adam", 0.02, 100);
  if (name == "xor") return two_d("xor", 2, 0.05, "adam", 0.02, 100);
  if (name == "fashion-mlp" || name == "fashion-lenet") {
    bool conv = name == "fashion-lenet";
    return {{"name", name},
            {"data", {{"name", "fashion-mnist"}, {"normalize", "global"}}},
            {"model", conv ? lenet_model() : mlp_model({1, 28, 28}, {256, 128, 10}, "relu")},
            {"loss", "cross_entropy"},
            {"optimizer", {{"name", "sgd"}, {"lr", 0.02}, {"momentum", 0.9}}},
            {"schedule", {{"name", "step"}, {"step_size", 2}, {"gamma", 0.3}}},
            {"batch_size", conv ? 64 : 128},
            {"epochs", 3},
            {"seed", 1},
            {"threads", 2}};
  }
  std::string list;
  for (const auto& n : kPresets) list += (list.empty() ? "" : ", ") + n;
  throw InputError("unknown preset '" + name + "' (known: " + list + ")");
}

TrainConfig parse_config(const nlohmann::json& config) {
  SpecReader r(config, "config");
  TrainConfig c;
  c.name = r.text("name", "custom");
  c.data = r.raw("data");
  validate_data_spec(c.data);
  c.model = r.raw("model");
  Model<float>::build(c.model);  // checks that the shapes chain, naming the layer that does not fit
  try {
    c.loss = parse_loss(r.text("loss", "cross_entropy"));
  } catch (const InputError& e) {
    throw InputError(std::string("config: ") + e.what());
  }
  c.optimizer = parse_optimizer(r.raw("optimizer"));
  c.batch_size = static_cast<int>(r.positive_integer("batch_size", 32));
  c.epochs = static_cast<int>(r.positive_integer("epochs", 10));
  c.seed = static_cast<std::uint64_t>(r.non_negative_integer("seed", 0));
  c.threads = static_cast<int>(r.positive_integer("threads", 1));
  c.schedule_per_batch = r.choice("schedule_step", {"epoch", "batch"}, "epoch") == "batch";
  if (r.has("schedule") && !config.at("schedule").is_null()) {
    c.schedule = r.raw("schedule");
    // A per-batch schedule's step count is only known with the data (the session checks it
    // again); the epoch count is a lower bound that checks every other parameter now.
    validate_schedule(c.schedule, {c.epochs, c.optimizer.kind == OptimizerKind::Sgd});
    if (c.schedule_per_batch && c.schedule.value("name", "") == "plateau")
      throw InputError("config: plateau reads a metric once per epoch; schedule_step must be \"epoch\"");
  }
  r.reject_unknown_keys({"schedule"});
  return c;
}

nlohmann::json to_json(const TrainConfig& c) {
  return {{"name", c.name},
          {"data", c.data},
          {"model", c.model},
          {"loss", loss_name(c.loss)},
          {"optimizer", to_json(c.optimizer)},
          {"schedule", c.schedule},
          {"schedule_step", c.schedule_per_batch ? "batch" : "epoch"},
          {"batch_size", c.batch_size},
          {"epochs", c.epochs},
          {"seed", c.seed},
          {"threads", c.threads}};
}

}  // namespace gs::nn
