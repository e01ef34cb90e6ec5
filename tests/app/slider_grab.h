// What the last rendered frame drew inside a slider's rectangle (from the frame record): how many
// vertices have the style's solid grab colour and how many the light one that lets the digits
// drawn over the grab read through (schedules::ReadableSliderGrab). Needs ImGui::Render() done.
#pragma once

#include "app/schedules/view_schedule_params.h"

#include <imgui.h>

namespace gs::app::test_support {

struct GrabVertices {
  int solid = 0, light = 0;
};

inline GrabVertices grab_vertices(const float rect[4]) {
  const ImU32 solid = ImGui::GetColorU32(ImGuiCol_SliderGrab);
  ImVec4 light_v = ImGui::GetStyleColorVec4(ImGuiCol_SliderGrab);
  light_v.w *= schedules::kSliderGrabOpacity;
  const ImU32 light = ImGui::GetColorU32(light_v);
  GrabVertices n;
  const ImDrawData* dd = ImGui::GetDrawData();
  for (int l = 0; dd && l < dd->CmdListsCount; ++l)
    for (const ImDrawVert& v : dd->CmdLists[l]->VtxBuffer)
      if (v.pos.x >= rect[0] && v.pos.x <= rect[2] && v.pos.y >= rect[1] && v.pos.y <= rect[3]) {
        n.solid += v.col == solid;
        n.light += v.col == light;
      }
  return n;
}

}  // namespace gs::app::test_support
