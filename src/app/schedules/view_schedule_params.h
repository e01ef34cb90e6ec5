// The parameters of one schedule of a ScheduleLab, editable in place: a slider where src/nn's
// table gives a range, a field to type, a checkbox or a choice, each with the table's help on
// hover, and src/nn's message beside a field that holds a bad value (the last good curve stays).
// A composite's members are edited the same way, nested. Used by the Schedules page's list and by
// the Training page's schedule editor. Edits go to the ScheduleLab; nothing is computed here.
// ImGui; no GL.
#pragma once

#include "app/base/frame_record.h"
#include "app/schedules/lab_model.h"

#include <map>
#include <string>

namespace gs::app::schedules {

class ScheduleParamsEditor {
 public:
  // Draws entry i's parameters into the current window region; `record` (screenshots) gets the
  // messages a person sees.
  void draw(ScheduleLab& lab, int i, FrameRecord* record) { draw_member(lab, i, {}, record); }

 private:
  // The parameters of the spec at `member` of entry i (and its members', nested).
  void draw_member(ScheduleLab& lab, int i, const MemberPath& member, FrameRecord* record);
  void draw_param_row(ScheduleLab& lab, int i, const MemberPath& member, const nn::ScheduleParam& p, FrameRecord* record);
  // What a field shows while it is not being edited: the draft's value as text.
  std::string& buffer(const std::string& id, const std::string& shown, bool editing);

  std::map<std::string, std::string> buffers_;  // text being typed, by field ("uid/member/key")
};

// Shared by the schedule views.
// A spec value as a person types it: 30, 0.1, "30, 60, 80", 0.95^epoch.
std::string value_text(const nlohmann::json& v);
// The table's entry of a spec's schedule, or null.
const nn::ScheduleInfo* info_of(const nlohmann::json* spec);
// A wrapped tooltip over the last item, when it is hovered and `text` is not empty.
void help_tooltip(const std::string& text);
// A message in the problem colour, wrapped; recorded when `record` is given.
void error_text(const std::string& message, FrameRecord* record);
// While it lives, sliders draw their grab at 40 % of the style's opacity: ImGui draws a slider's
// value over its grab, and a solid grab hid the digits under it (the training page's smoothing
// "0.600", a step_size's "30" at 1024 px). Also the Schedules page's and the Training page's sliders.
struct ReadableSliderGrab {
  ReadableSliderGrab();
  ~ReadableSliderGrab();
  ReadableSliderGrab(const ReadableSliderGrab&) = delete;
  ReadableSliderGrab& operator=(const ReadableSliderGrab&) = delete;
};
inline constexpr float kSliderGrabOpacity = 0.4f;

}  // namespace gs::app::schedules
