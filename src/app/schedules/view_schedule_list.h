// The schedule lab's left panel: the run (initial lr, epochs), presets, adding and combining
// schedules, and the list itself — each entry with its colour, visibility, and its parameters
// editable in place (a slider where src/nn's table gives a range, a field to type), src/nn's
// message beside a field that holds a bad value, and its pitfall toggles. Edits go to the
// ScheduleLab; nothing is computed here. ImGui; no GL.
#pragma once

#include "app/base/frame_record.h"
#include "app/schedules/lab_model.h"

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
  void draw_actions(ScheduleLab& lab);
  void draw_entry(ScheduleLab& lab, int i, FrameRecord* record);
  // The parameters of the spec at `member` of entry i (and its members', nested).
  void draw_params(ScheduleLab& lab, int i, const MemberPath& member, FrameRecord* record);
  void draw_param_row(ScheduleLab& lab, int i, const MemberPath& member, const nn::ScheduleParam& p, FrameRecord* record);
  void draw_metric(ScheduleLab& lab, int i);
  void draw_pitfalls(ScheduleLab& lab, int i);

  // What a field shows while it is not being edited: the draft's value as text.
  std::string& buffer(const std::string& id, const std::string& shown, bool editing);

  std::map<std::string, std::string> buffers_;  // text being typed, by field ("uid/member/key")
  std::vector<int> combine_;                    // uids ticked for "combine into SequentialLR"
  std::string lr_text_, epochs_text_, batches_text_;
};

}  // namespace gs::app::schedules
