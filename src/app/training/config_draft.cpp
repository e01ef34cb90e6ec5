// The run being set up (config_draft.h): JSON edits checked by src/nn's parse_config. No ImGui.
//
// [SECTION] starting points and files
// [SECTION] checking and placing the message
// [SECTION] fields and data
// [SECTION] layers
// [SECTION] schedule
#include "app/training/config_draft.h"

#include "engine/json_text.h"
#include "nn/errors.h"
#include "nn/layers.h"
#include "nn/spec_reader.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>

namespace gs::app::training {

namespace {

bool is_2d_set(const std::string& kind) {
  return kind == "spiral" || kind == "moons" || kind == "circles" || kind == "xor" || kind == "blobs" || kind == "points";
}

// Linear's "in" and Conv2D's "in_channels" follow from the layer before: the editor leaves them
// out, so that changing one layer's size carries on to the next.
nlohmann::json without_inferred(nlohmann::json layer) {
  if (layer.is_object()) {
    layer.erase("in");
    layer.erase("in_channels");
  }
  return layer;
}

}  // namespace

// [SECTION] starting points and files

nlohmann::json starting_config() {
  try {
    return nn::preset("spiral");
  } catch (const std::exception&) {
    // No assets directory (an unusual install): the spiral preset's content, so the page works.
    return nlohmann::json::parse(R"({
      "name": "spiral",
      "data": {"name": "spiral", "size": 300, "classes": 3, "noise": 0.2, "seed": 1, "test_fraction": 0.0},
      "model": {"input": [2], "layers": [{"type": "linear", "out": 16}, {"type": "tanh"},
                {"type": "linear", "out": 16}, {"type": "tanh"}, {"type": "linear", "out": 3}]},
      "loss": "cross_entropy", "optimizer": {"name": "adam", "lr": 0.02},
      "schedule": {"name": "cosine", "t_max": 300, "eta_min": 0.001},
      "batch_size": 32, "epochs": 300, "seed": 1})");
  }
}

ConfigDraft::ConfigDraft() {
  std::string error;
  if (!load_json(starting_config(), &error)) throw std::logic_error("the starting config is refused: " + error);
  preset_ = json_.value("name", "");
}

bool ConfigDraft::load_preset(const std::string& name, std::string* error) {
  try {
    if (!load_json(nn::preset(name), error)) return false;
    preset_ = name;
    return true;
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return false;
  }
}

bool ConfigDraft::load_json(const nlohmann::json& config, std::string* error) {
  nlohmann::json j = config;
  try {
    if (!j.is_object()) throw nn::InputError("a config must be a JSON object");
    if (j.contains("model") && j["model"].is_object() && j["model"].contains("layers") && j["model"]["layers"].is_array())
      for (auto& l : j["model"]["layers"]) l = without_inferred(l);
    good_ = nn::parse_config(j);  // a config src/nn refuses replaces nothing
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return false;
  }
  json_ = std::move(j);
  preset_.clear();
  error_.clear();
  error_section_ = DraftSection::None;
  error_layer_ = -1;
  ++revision_;
  sync_lab_from_json();
  return true;
}

bool ConfigDraft::load_file(const std::string& path, std::string* error) {
  try {
    return load_json(nn::read_config_file(path), error);
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return false;
  }
}

std::string ConfigDraft::good_text() const { return pretty_json(nn::to_json(good_)); }

bool ConfigDraft::save_file(const std::string& path, std::string* error) const {
  if (!ok()) {
    if (error) *error = "the config holds an error (" + error_ + "); fix it before saving";
    return false;
  }
  std::ofstream out(path);
  out << good_text() << "\n";
  if (!out) {
    if (error) *error = "cannot write " + path;
    return false;
  }
  return true;
}

// [SECTION] checking and placing the message

void ConfigDraft::check() {
  ++revision_;
  try {
    good_ = nn::parse_config(json_);
    error_.clear();
    error_section_ = DraftSection::None;
    error_layer_ = -1;
  } catch (const std::exception& e) {
    error_ = e.what();
    place_error();
  }
  // The schedule's editor runs over this run's learning rate and length.
  const nn::TrainConfig& c = good_;
  lab_.set_lr(c.optimizer.lr);
  const bool per_batch = json_.value("schedule_step", "epoch") == "batch";
  const std::int64_t length = per_batch ? c.epochs * batches_per_epoch_estimate() : c.epochs;
  lab_.set_epochs(static_cast<int>(std::clamp<std::int64_t>(length, 1, schedules::ScheduleLab::kMaxEpochs)));
}

void ConfigDraft::place_error() {
  error_section_ = DraftSection::Run;
  error_layer_ = -1;
  auto starts = [&](const char* prefix) { return error_.rfind(prefix, 0) == 0; };
  if (starts("layer ")) {
    error_section_ = DraftSection::Layer;
    error_layer_ = std::atoi(error_.c_str() + 6) - 1;
  } else if (starts("model")) {
    error_section_ = DraftSection::Model;
  } else if (starts("data")) {
    error_section_ = DraftSection::Data;
  } else if (starts("optimizer")) {
    error_section_ = DraftSection::Optimizer;
  } else if (starts("loss") || starts("config: loss")) {
    error_section_ = DraftSection::Loss;
  } else if (starts("config: plateau") || starts("config: schedule")) {
    error_section_ = DraftSection::Schedule;
  } else {
    // A schedule's own message starts with its name ("step: gamma must be > 0").
    const std::string head = error_.substr(0, error_.find(':'));
    const std::string name = head.substr(0, head.find(' '));
    if (nn::find_schedule(name)) error_section_ = DraftSection::Schedule;
  }
}

// [SECTION] fields and data

void ConfigDraft::set(const std::string& section, const std::string& key, const nlohmann::json& value) {
  if (section.empty()) json_[key] = value;
  else json_[section][key] = value;
  check();
}

void ConfigDraft::erase(const std::string& section, const std::string& key) {
  if (section.empty()) json_.erase(key);
  else if (json_.contains(section) && json_[section].is_object()) json_[section].erase(key);
  check();
}

void ConfigDraft::set_data_kind(const std::string& kind) {
  const nlohmann::json old = json_.value("data", nlohmann::json::object());
  nlohmann::json data = {{"name", kind}};
  const std::string old_kind = old.value("name", "");
  if (is_2d_set(kind) && is_2d_set(old_kind) && kind != "points") {
    for (const char* k : {"size", "test_fraction", "seed"})
      if (old.contains(k)) data[k] = old[k];
    // Each set has its own sensible noise (spiral 0.2, blobs 1.0, the others 0.1): src/nn's default.
    if (kind == "spiral" || kind == "blobs") data["classes"] = old.value("classes", 3);
  }
  if (kind == "points") {
    data["points"] = old.value("points", nlohmann::json::array());
    data["test_fraction"] = old.value("test_fraction", 0.0);
    data["seed"] = old.value("seed", 1);
  }
  if (kind == "fashion-mnist") data["normalize"] = "global";
  if (kind == "csv") data["path"] = old.value("path", "");
  json_["data"] = data;
  // The model's input follows the data: [2] for points in the plane, [1, 28, 28] for images.
  if (is_2d_set(kind)) json_["model"]["input"] = {2};
  else if (kind == "fashion-mnist") json_["model"]["input"] = {1, 28, 28};
  check();
}

void ConfigDraft::regenerate() {
  nlohmann::json& data = json_["data"];
  const long long seed = data.contains("seed") && data["seed"].is_number_integer() ? data["seed"].get<long long>() : 0;
  data["seed"] = seed + 1;
  check();
}

// [SECTION] layers

std::vector<LayerRow> ConfigDraft::layers() const {
  std::vector<LayerRow> rows;
  const nlohmann::json* model = json_.contains("model") ? &json_["model"] : nullptr;
  if (!model || !model->contains("layers") || !(*model)["layers"].is_array()) return rows;
  Shape in;
  bool ok = true;
  try {
    for (long long d : (*model)["input"]) in.push_back(d);
  } catch (const std::exception&) {
    ok = false;
  }
  Shape shown = in;
  int i = 0;
  for (const nlohmann::json& l : (*model)["layers"]) {
    LayerRow row;
    row.spec = l;
    if (ok) {
      try {
        const nn::LayerSpec s = nn::parse_layer_spec(l, in, "layer " + std::to_string(i + 1), shown);
        const Shape out = nn::output_shape(s, in);
        row.title = nn::describe(s);
        row.shape = out.to_string();
        if (s.kind == nn::LayerKind::Linear) row.parameters = s.in * s.out + s.out;
        if (s.kind == nn::LayerKind::Conv2D) row.parameters = s.out * s.in * s.kernel * s.kernel + s.out;
        if (s.kind != nn::LayerKind::Flatten) shown = out;
        in = out;
      } catch (const std::exception& e) {
        row.error = e.what();
        ok = false;  // later layers have no input shape to be checked against
      }
    }
    rows.push_back(std::move(row));
    ++i;
  }
  return rows;
}

void ConfigDraft::add_layer(int at, const nlohmann::json& spec) {
  nlohmann::json& layers = json_["model"]["layers"];
  at = std::clamp(at, 0, static_cast<int>(layers.size()));
  layers.insert(layers.begin() + at, spec);
  check();
}

void ConfigDraft::remove_layer(int i) {
  nlohmann::json& layers = json_["model"]["layers"];
  if (i < 0 || i >= static_cast<int>(layers.size())) return;
  layers.erase(layers.begin() + i);
  check();
}

void ConfigDraft::move_layer(int from, int to) {
  nlohmann::json& layers = json_["model"]["layers"];
  const int n = static_cast<int>(layers.size());
  if (from < 0 || from >= n || to < 0 || to >= n || from == to) return;
  nlohmann::json l = layers[static_cast<std::size_t>(from)];
  layers.erase(layers.begin() + from);
  layers.insert(layers.begin() + to, l);
  check();
}

void ConfigDraft::set_layer(int i, const std::string& key, const nlohmann::json& value) {
  nlohmann::json& layers = json_["model"]["layers"];
  if (i < 0 || i >= static_cast<int>(layers.size())) return;
  if (value.is_null()) layers[static_cast<std::size_t>(i)].erase(key);
  else layers[static_cast<std::size_t>(i)][key] = value;
  check();
}

void ConfigDraft::set_layer_type(int i, const std::string& type) {
  nlohmann::json& layers = json_["model"]["layers"];
  if (i < 0 || i >= static_cast<int>(layers.size())) return;
  const nlohmann::json old = layers[static_cast<std::size_t>(i)];
  // The keys each kind takes (nn/layers.cpp's reader): every one the old layer set and the new
  // kind has too is kept (maxpool <-> avgpool keep kernel, stride, padding, ceil_mode).
  static const std::map<std::string, std::vector<std::string>> keys = {
      {"linear", {"out", "in"}},
      {"conv", {"out_channels", "kernel", "stride", "padding", "in_channels"}},
      {"maxpool", {"kernel", "stride", "padding", "ceil_mode"}},
      {"avgpool", {"kernel", "stride", "padding", "ceil_mode", "count_include_pad"}},
      {"pad", {"padding"}}};
  nlohmann::json l = {{"type", type}};
  if (const auto it = keys.find(type); it != keys.end())
    for (const std::string& key : it->second)
      if (old.contains(key)) l[key] = old[key];
  // What the new kind needs and the old one did not say: a linear layer's out from a conv's
  // channels and back, a pool's kernel 2, a pad's 1.
  if (type == "linear" && !l.contains("out")) l["out"] = old.value("out_channels", nlohmann::json(16));
  if (type == "conv") {
    if (!l.contains("out_channels")) l["out_channels"] = old.value("out", nlohmann::json(8));
    if (!l.contains("kernel")) l["kernel"] = 3;
  }
  if ((type == "maxpool" || type == "avgpool") && !l.contains("kernel")) l["kernel"] = 2;
  if (type == "pad" && !l.contains("padding")) l["padding"] = 1;
  layers[static_cast<std::size_t>(i)] = l;
  check();
}

void ConfigDraft::fit_outputs_to_classes(int classes) {
  nlohmann::json& layers = json_["model"]["layers"];
  for (auto it = layers.rbegin(); it != layers.rend(); ++it)
    if (it->value("type", "") == "linear") {
      (*it)["out"] = classes;
      break;
    }
  check();
}

// [SECTION] schedule

void ConfigDraft::sync_lab_from_json() {
  nn::ScheduleList list;
  list.lr = good_.optimizer.lr;
  list.epochs = std::max(1, good_.epochs);
  if (json_.contains("schedule") && !json_["schedule"].is_null()) {
    nn::ScheduleListEntry e;
    e.spec = json_["schedule"];
    list.schedules.push_back(e);
  }
  lab_.load(list);
  check();
}

void ConfigDraft::set_schedule(const std::string& name) {
  if (name.empty()) {
    json_["schedule"] = nullptr;
    lab_.load(nn::ScheduleList{lab_.lr(), lab_.epochs(), lab_.batches_per_epoch(), {}});
    check();
    return;
  }
  nn::ScheduleList none{lab_.lr(), lab_.epochs(), lab_.batches_per_epoch(), {}};
  lab_.load(none);
  if (lab_.add(name) < 0) return;  // src/nn's starting values for a run of this length
  json_["schedule"] = lab_.entry(0).entry.spec;
  check();
}

void ConfigDraft::schedule_edited() {
  if (lab_.size() == 0) return;
  // The last good spec goes into the config; the lab keeps the bad draft and its message beside the field.
  json_["schedule"] = lab_.entry(0).entry.spec;
  check();
}

std::int64_t ConfigDraft::batches_per_epoch_estimate() const {
  const nn::DataSpec& d = good_.data;
  std::int64_t n = 0;
  switch (d.kind) {
    case nn::DataKind::FashionMnist: n = d.train_limit > 0 ? std::min<std::int64_t>(d.train_limit, 60000) : 60000; break;
    case nn::DataKind::Idx:
    case nn::DataKind::Csv: n = 1000; break;  // unknown until loaded: a miniature only
    case nn::DataKind::Points: n = static_cast<std::int64_t>(d.points.size()); break;
    default: n = d.size - static_cast<std::int64_t>(std::llround(d.size * d.test_fraction)); break;
  }
  const std::int64_t b = std::max(1, good_.batch_size);
  return std::max<std::int64_t>(1, (n + b - 1) / b);
}

}  // namespace gs::app::training
