// The toolbar laid out in narrow windows: nothing runs past the right edge (the tangent controls
// wrap to a line of their own), drawn in an ImGui context without a renderer. No GL.
#include "app/graph/view_toolbar.h"

#include "../headless_imgui.h"

#include <gtest/gtest.h>
#include <imgui_internal.h>

using namespace gs;
using namespace gs::app;

namespace {

// The rightmost pixel any toolbar item reached, and the window's right edge.
std::pair<float, float> toolbar_extent(float width, bool tangent) {
  const test_support::HeadlessImGui imgui(ImVec2(width, 600));
  Session session;
  session.load(builtin_seed004(), "");
  if (tangent) session.lesson().start_tangent();
  Focus focus;
  FontSet fonts;
  RedrawTimer redraw;
  ToolbarView toolbar;
  float reached = 0, edge = 0;
  for (int frame = 0; frame < 2; ++frame) {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(width, 600));
    ImGui::Begin("toolbar", nullptr, ImGuiWindowFlags_NoDecoration);
    ViewContext ctx{session, focus, fonts, redraw};
    toolbar.draw(ctx);
    reached = ImGui::GetCurrentWindow()->DC.CursorMaxPos.x;
    edge = ImGui::GetWindowPos().x + ImGui::GetWindowWidth();
    ImGui::End();
    ImGui::Render();
  }
  return {reached, edge};
}

}  // namespace

TEST(Toolbar, NothingRunsPastTheRightEdge) {
  for (float width : {1600.0f, 900.0f, 700.0f})
    for (bool tangent : {false, true}) {
      const auto [reached, edge] = toolbar_extent(width, tangent);
      EXPECT_LE(reached, edge) << "width " << width << (tangent ? ", tangent mode" : "");
    }
}
