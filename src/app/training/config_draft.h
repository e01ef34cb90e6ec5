// The run being set up on the Training page: a training config as the CLI's --config JSON,
// edited field by field. Every edit is checked by src/nn (parse_config, the same check as
// `gradscope-cli train --config`): a good draft gives the TrainConfig a new run is made from; a bad
// one keeps the last good config, and its message is shown where it belongs (the layer it names,
// the data, the optimizer, the schedule). The layer list shows the shape after every layer, up to
// the first layer that does not fit. The schedule is edited through the Schedules page's model (a
// ScheduleLab of one entry), whose curve is the miniature beside it. No ImGui.
#pragma once

#include "app/schedules/lab_model.h"
#include "nn/config.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gs::app::training {

// Where a message of src/nn belongs in the editor.
enum class DraftSection : std::uint8_t { None, Run, Data, Model, Layer, Loss, Optimizer, Schedule };

struct LayerRow {
  nlohmann::json spec;   // as edited: {"type": "linear", "out": 16}
  std::string title;     // src/nn's description: "Linear(2,16)"; empty when it does not parse
  std::string shape;     // the per-sample shape after it: "[16]", "[6×28×28]"; empty after an error
  std::string error;     // why this layer does not fit (the first such layer only)
  std::int64_t parameters = 0;
};

class ConfigDraft {
 public:
  // Starts from the spiral preset (or, if the presets cannot be found, a built-in spiral config).
  ConfigDraft();

  // [SECTION] whole configs
  // A preset (assets/presets/NAME.json) or a config's JSON replaces the draft. False with
  // *error when it is not a config src/nn accepts: the draft is left as it was.
  bool load_preset(const std::string& name, std::string* error);
  bool load_json(const nlohmann::json& config, std::string* error);
  bool load_file(const std::string& path, std::string* error);
  // Writes the last good config as `gradscope-cli train --config` reads it. False with *error
  // when the file cannot be written or the draft holds an error (nothing half-checked is saved).
  bool save_file(const std::string& path, std::string* error) const;
  // The good config as pretty JSON (what save_file writes).
  std::string good_text() const;

  // [SECTION] the draft
  const nlohmann::json& json() const { return json_; }
  bool ok() const { return error_.empty(); }
  // The config of the draft when it is good, else the last good one.
  const nn::TrainConfig& config() const { return good_; }
  const std::string& error() const { return error_; }
  DraftSection error_section() const { return error_section_; }
  int error_layer() const { return error_layer_; }  // 0-based, when error_section() == Layer
  std::uint64_t revision() const { return revision_; }
  // The preset it started from ("" once loaded from a file).
  const std::string& preset_name() const { return preset_; }

  // Sets or removes one key of a section ("" the top level: epochs, seed; "data", "optimizer").
  void set(const std::string& section, const std::string& key, const nlohmann::json& value);
  void erase(const std::string& section, const std::string& key);
  // A new data kind with its own defaults (the size, noise and split of the old 2-D set kept
  // when both are 2-D sets).
  void set_data_kind(const std::string& kind);
  // "Regenerate": the 2-D set drawn again with the next data seed.
  void regenerate();

  // [SECTION] the layer list
  std::vector<LayerRow> layers() const;
  void add_layer(int at, const nlohmann::json& spec);  // at = size: append
  void remove_layer(int i);
  void move_layer(int from, int to);
  void set_layer(int i, const std::string& key, const nlohmann::json& value);
  // A type change keeps every field the old kind and the new one both have (a conv's kernel and
  // padding when it becomes a pool; maxpool <-> avgpool: kernel, stride, padding, ceil_mode).
  void set_layer_type(int i, const std::string& type);
  // Makes the last layer give one output per class of the data (the usual fix after a data change).
  void fit_outputs_to_classes(int classes);

  // [SECTION] the schedule
  // The schedule's editor model: one entry (when there is a schedule), its lr and length the run's.
  schedules::ScheduleLab& schedule_lab() { return lab_; }
  const schedules::ScheduleLab& schedule_lab() const { return lab_; }
  bool has_schedule() const { return lab_.size() > 0; }
  // "" for none (a constant learning rate), or a schedule name of src/nn's table.
  void set_schedule(const std::string& name);
  // After the editor changed the lab's entry: its spec (when good) goes into the config.
  void schedule_edited();
  // Training steps per epoch as the miniature assumes them (the data's size over the batch).
  std::int64_t batches_per_epoch_estimate() const;

 private:
  void check();  // parse the draft with src/nn; update good_, error_, the lab's run
  void sync_lab_from_json();
  void place_error();

  nlohmann::json json_;
  nn::TrainConfig good_;
  std::string error_;
  DraftSection error_section_ = DraftSection::None;
  int error_layer_ = -1;
  std::uint64_t revision_ = 0;
  std::string preset_;
  schedules::ScheduleLab lab_;
};

// The config a preset gives, or the built-in spiral config when presets cannot be found.
nlohmann::json starting_config();

}  // namespace gs::app::training
