// The Graph page's toolbar over seed 004's session in an ImGui context without a renderer,
// driven frame by frame as a person drives it: a key down in one frame and up in the next (as
// ImGui 1.86 reads keys), characters typed, the mouse clicked. Shared by the toolbar's tests of
// clicker keys, typing and controls. No GL.
#pragma once

#include "app/graph/view_toolbar.h"

#include "../headless_imgui.h"
#include "seed004_session.h"

namespace gs::app::test_support {

class ToolbarDesk {
 public:
  // What a frame draws: the key handling only, the controls (expression bar, buttons, timeline),
  // or the whole toolbar.
  enum class Draws { keys, controls, whole };

  explicit ToolbarDesk(Draws draws, float width = 1000)
      : imgui_(ImVec2(width, 700)), draws_(draws), width_(width), session_(seed004_session()) {
    ImGuiIO& io = ImGui::GetIO();
    for (int k = 0; k < ImGuiKey_COUNT; ++k) io.KeyMap[k] = 100 + k;
    frame();
  }
  Session& session() { return session_; }
  Lesson& lesson() { return session_.lesson(); }
  ToolbarView& toolbar() { return toolbar_; }
  // The last frame's record.
  const FrameRecord& record() const { return record_; }

  void frame() {
    record_ = FrameRecord{};
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(width_, 700));
    ImGui::Begin("toolbar desk", nullptr, ImGuiWindowFlags_NoDecoration);
    ViewContext ctx{session_, focus_, fonts_, redraw_, &record_};
    switch (draws_) {
      case Draws::keys: toolbar_.handle_keys(ctx); break;
      case Draws::controls: toolbar_.draw_controls(ctx); break;
      case Draws::whole: toolbar_.draw(ctx); break;
    }
    ImGui::End();
    ImGui::Render();
  }
  void press(ImGuiKey key, bool ctrl = false) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeyCtrl = ctrl;
    io.KeysDown[io.KeyMap[key]] = true;
    frame();
    io.KeysDown[io.KeyMap[key]] = false;
    io.KeyCtrl = false;
    frame();
  }
  void type(const char* text) {
    ImGui::GetIO().AddInputCharactersUTF8(text);
    frame();
  }
  void click(ImVec2 at) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = at;
    io.MouseDown[0] = true;
    frame();
    io.MouseDown[0] = false;
    frame();
  }

 private:
  HeadlessImGui imgui_;
  Draws draws_;
  float width_;
  Session session_;
  Focus focus_;
  FontSet fonts_;
  RedrawTimer redraw_;
  FrameRecord record_;
  ToolbarView toolbar_;
};

}  // namespace gs::app::test_support
