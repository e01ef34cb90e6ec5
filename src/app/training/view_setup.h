// The Training page's setup panel: the run being set up, every field of the CLI's --config JSON
// editable — the preset it starts from, the data (2-D sets with size, noise, split and
// "regenerate", your own points, Fashion-MNIST, CSV), the layer list (+ / − / reorder, sizes, the
// shape after every layer, src/nn's message at the layer that does not fit), the loss, the
// optimizer (SGD with momentum in both forms and Nesterov, Adam, AdamW, L2/L1 decay, clipping), the
// schedule (the Schedules page's editor, its curve in miniature) and the run (batch size, epochs,
// seed, threads). Edits go to the ConfigDraft, which src/nn checks. ImGui; no GL.
#pragma once

#include "app/base/frame_record.h"
#include "app/schedules/view_schedule_params.h"
#include "app/training/config_draft.h"

#include <map>
#include <string>

namespace gs::app::training {

class SetupView {
 public:
  void draw(ConfigDraft& draft, FrameRecord* record);

 private:
  void draw_preset(ConfigDraft& draft, FrameRecord* record);
  void draw_data(ConfigDraft& draft, FrameRecord* record);
  void draw_model(ConfigDraft& draft, FrameRecord* record);
  void draw_optimizer(ConfigDraft& draft, FrameRecord* record);
  void draw_schedule(ConfigDraft& draft, FrameRecord* record);
  void draw_run(ConfigDraft& draft, FrameRecord* record);
  void draw_error(const ConfigDraft& draft, DraftSection section, FrameRecord* record);

  // A field for a number (or any JSON value) typed as text: what is typed goes to src/nn as it
  // is, so a typo gets src/nn's message rather than being dropped. Empty, it shows `hint_text`
  // in grey, or else the fallback's value (what src/nn takes when the key is absent).
  void value_field(ConfigDraft& draft, const char* id, const std::string& section, const std::string& key,
                   const nlohmann::json& fallback, float width = -1, const char* hint_text = nullptr);
  std::string& buffer(const std::string& id, const std::string& shown);

  std::map<unsigned, std::string> buffers_;  // text being typed, by the field's ImGui id
  schedules::ScheduleParamsEditor schedule_params_;
  std::string preset_error_;
};

}  // namespace gs::app::training
