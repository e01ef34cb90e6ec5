// Style set-up. No GL.
#include "app/base/style.h"

#include <imgui.h>

namespace gs::app {

void apply_style(float dpi_scale) {
  ImGuiStyle& style = ImGui::GetStyle();
  style = ImGuiStyle();
  ImGui::StyleColorsLight(&style);
  style.WindowRounding = 4.0f;
  style.FrameRounding = 4.0f;
  style.GrabRounding = 4.0f;
  style.TabRounding = 4.0f;
  style.FramePadding = ImVec2(8, 5);
  style.ItemSpacing = ImVec2(8, 6);
  style.CellPadding = ImVec2(6, 4);
  ImVec4* c = style.Colors;
  c[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.98f, 1.0f);
  c[ImGuiCol_ChildBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
  c[ImGuiCol_Text] = ImVec4(0.10f, 0.11f, 0.14f, 1.0f);
  c[ImGuiCol_Button] = ImVec4(0.86f, 0.89f, 0.95f, 1.0f);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.72f, 0.80f, 0.96f, 1.0f);
  c[ImGuiCol_ButtonActive] = ImVec4(0.55f, 0.68f, 0.95f, 1.0f);
  c[ImGuiCol_FrameBg] = ImVec4(0.90f, 0.92f, 0.96f, 1.0f);
  c[ImGuiCol_FrameBgHovered] = ImVec4(0.84f, 0.88f, 0.96f, 1.0f);
  c[ImGuiCol_TableRowBgAlt] = ImVec4(0.95f, 0.96f, 0.98f, 1.0f);
  style.ScaleAllSizes(dpi_scale);
}

}  // namespace gs::app
