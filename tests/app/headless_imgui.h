// An ImGui context without a renderer, for tests that drive widgets and views frame by frame:
// a display size, a frame time and a built font atlas are all NewFrame() needs. No GL.
#pragma once

#include <imgui.h>

namespace gs::app::test_support {

// Creates the context (the current one) and prepares it; destroys it when it goes.
struct HeadlessImGui {
  explicit HeadlessImGui(ImVec2 display = ImVec2(1000, 700)) {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = display;
    io.DeltaTime = 1.0f / 60.0f;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  }
  ~HeadlessImGui() { ImGui::DestroyContext(); }
  HeadlessImGui(const HeadlessImGui&) = delete;
  HeadlessImGui& operator=(const HeadlessImGui&) = delete;
};

}  // namespace gs::app::test_support
