// The schedule lab's left panel: the run (initial lr, epochs), presets, adding and combining
// schedules, and the list itself — each entry with its colour, visibility, its parameters
// (ScheduleParamsEditor) and its pitfall toggles. Edits go to the
// ScheduleLab; nothing is computed here. ImGui; no GL.
#pragma once

#include "app/base/frame_record.h"
#include "app/schedules/lab_model.h"
#include "app/schedules/view_schedule_params.h"

#include <map>
#include <string>
#include <vector>

namespace gs::app::schedules {

class ScheduleListView {
 public:
  // Draws into the current window region; `record` (screenshots) gets the texts a person sees.
  void draw(ScheduleLab& lab, FrameRecord* record);

 private:
  void draw_run(ScheduleLab& lab, FrameRecord* record);
  void draw_actions(ScheduleLab& lab, FrameRecord* record);
  void draw_entry(ScheduleLab& lab, int i, FrameRecord* record);
  void draw_metric(ScheduleLab& lab, int i);
  void draw_pitfalls(ScheduleLab& lab, int i, FrameRecord* record);

  // What a field shows while it is not being edited: the draft's value as text.
  std::string& buffer(const std::string& id, const std::string& shown, bool editing);

  ScheduleParamsEditor params_;                 // each entry's parameters
  std::map<std::string, std::string> buffers_;  // text being typed, by field (label, metrics)
  std::vector<int> combine_;                    // uids ticked for "combine into SequentialLR"
  std::string lr_text_, epochs_text_, batches_text_;
};

}  // namespace gs::app::schedules
