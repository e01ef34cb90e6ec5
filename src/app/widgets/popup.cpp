// popup.h: reads ImGui's popup stack (imgui_internal.h, as 1.86 has no public query for it).
#include "app/widgets/popup.h"

#include <imgui.h>
#include <imgui_internal.h>

namespace gs::app::widgets {

bool PopupWantsNextFrame() {
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  for (const ImGuiPopupData& p : g.OpenPopupStack) {
    if (p.OpenFrameCount >= g.FrameCount) return true;  // opened this frame (drawn or not yet)
    if (p.Window && (p.Window->Appearing || p.Window->Hidden)) return true;
  }
  return false;
}

}  // namespace gs::app::widgets
