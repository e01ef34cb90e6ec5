// The schedule lab's plots: every shown schedule's learning rate per epoch as a staircase, with its
// milestones, restarts and peaks marked, its pitfalls as dashed curves and one line of
// explanation each under the plot, plateau's metric on a second axis; and, when a schedule cycles
// the optimizer's momentum, a second plot of the momentum sharing the epoch axis and the cursor.
// One key under the plots names every schedule whole (the plot's own legend cut long labels).
// Curves are drawn only through the plot widget. ImGui; no GL.
#pragma once

#include "app/base/frame_record.h"
#include "app/schedules/lab_model.h"

#include <imgui.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace gs::app::schedules {

// The plots' link group: the cursor (and the table's highlighted epoch) and the epoch axis.
inline constexpr const char* kScheduleLink = "schedules";

class SchedulePlotView {
 public:
  // Draws into `size` pixels at the cursor.
  void draw(const ScheduleLab& lab, ImVec2 size, FrameRecord* record);
  bool log_y = false;
  // The screen rectangle of the plots (File > Export > PNG), as last drawn.
  ImVec2 rect_min() const { return rect_min_; }
  ImVec2 rect_max() const { return rect_max_; }
  // Entries shown or hidden from the plot's legend or menu since the last call: (uid, hidden).
  std::vector<std::pair<int, bool>> take_visibility_requests() { return std::exchange(requests_, {}); }

 private:
  void draw_lr(const ScheduleLab& lab, ImVec2 size);
  void draw_momentum(const ScheduleLab& lab, ImVec2 size);
  // The key under the plots: every schedule's label whole, wrapped at spaces only where it is
  // wider than the plots; a click shows or hides it, hovering widens its curve.
  struct KeyEntry {
    int uid = 0;
    std::string label;
    std::vector<std::string> lines;  // the label as drawn
    bool hidden = false, metric = false;
    unsigned rgb = 0;
    ImVec2 pos{0, 0}, size{0, 0};  // from the key's top left
  };
  std::vector<KeyEntry> key_layout(const ScheduleLab& lab, float width, float* height) const;
  void draw_key(const std::vector<KeyEntry>& key, FrameRecord* record);
  int hovered_uid_ = -1;  // the key entry under the mouse in the last frame (-1: none)
  // Explanations of the pitfalls that are on: one wrapped line each; returns the height used.
  void draw_notes(const ScheduleLab& lab, FrameRecord* record);

  ImVec2 rect_min_{0, 0}, rect_max_{0, 0};
  std::map<std::string, bool> synced_;  // by plot item id: the hidden state last given to the widget
  std::vector<std::pair<int, bool>> requests_;
};

}  // namespace gs::app::schedules
