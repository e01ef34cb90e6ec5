// The splitter bar. No GL.
#include "app/widgets/splitter.h"

#include <algorithm>

namespace gs::app::widgets {

bool Splitter(const char* str_id, SplitterAxis axis, float thickness, float length, float total, float* fraction, float lo, float hi) {
  const bool vertical = axis == SplitterAxis::Vertical;
  const ImVec2 size = vertical ? ImVec2(thickness, length) : ImVec2(length, thickness);
  ImGui::InvisibleButton(str_id, size);
  const bool active = ImGui::IsItemActive();
  if (ImGui::IsItemHovered() || active) ImGui::SetMouseCursor(vertical ? ImGuiMouseCursor_ResizeEW : ImGuiMouseCursor_ResizeNS);
  if (active && total > 0) {
    const float d = vertical ? ImGui::GetIO().MouseDelta.x : ImGui::GetIO().MouseDelta.y;
    *fraction = std::clamp(*fraction + (vertical ? -d : d) / total, lo, hi);
  }
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ImGui::GetWindowDrawList()->AddRectFilled(a, b, active ? IM_COL32(120, 150, 220, 255) : IM_COL32(215, 218, 226, 255));
  return active;
}

}  // namespace gs::app::widgets
