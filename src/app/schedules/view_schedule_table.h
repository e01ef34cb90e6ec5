// The schedule lab's table: the learning rate of every shown schedule at every epoch, the row of
// the epoch under the plots' cursor highlighted (and scrolled to), copied as CSV or Markdown.
// ImGui; no GL.
#pragma once

#include "app/base/frame_record.h"
#include "app/schedules/lab_model.h"

#include <imgui.h>

#include <string>

namespace gs::app::schedules {

class ScheduleTableView {
 public:
  // `hovered_epoch`: the epoch under the plots' cursor, −1 when none. Returns a status message
  // when the table was copied ("" otherwise).
  std::string draw(const ScheduleLab& lab, ImVec2 size, int hovered_epoch, FrameRecord* record);

 private:
  int scrolled_to_ = -1;
};

}  // namespace gs::app::schedules
