// A typo in the expression bar is fixed at once (issue 9, a lecturer typing cold): after a failed
// Build the field keeps the keyboard, its caret at the column the error names, nothing selected,
// so that the next keys edit the formula instead of stepping the lesson. Driven through ImGui's
// mouse, key and character input, frame by frame, in a context without a renderer. No GL.
#include "app/graph/view_toolbar.h"

#include "../headless_imgui.h"
#include "seed004_session.h"

#include <gtest/gtest.h>

#include <string>

using namespace gs;
using namespace gs::app;

namespace {

// The toolbar over seed 004's session, typed into as a person types.
class TypingDesk {
 public:
  TypingDesk() : session_(seed004_session()) {
    ImGuiIO& io = ImGui::GetIO();
    for (int k = 0; k < ImGuiKey_COUNT; ++k) io.KeyMap[k] = 100 + k;
    frame();
  }
  Session& session() { return session_; }
  const std::string& field_text() const { return record_.expression; }
  // ImGui gives the keyboard to a field the frame after it is asked, and says so the frame after.
  bool field_has_keyboard() {
    frame();
    frame();
    return ImGui::GetIO().WantTextInput;
  }
  void click_field() {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(60, 16);  // inside the expression field, the toolbar's first row
    io.MouseDown[0] = true;
    frame();
    io.MouseDown[0] = false;
    frame();
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

 private:
  void frame() {
    record_ = FrameRecord{};
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(1000, 700));
    ImGui::Begin("typing", nullptr, ImGuiWindowFlags_NoDecoration);
    ViewContext ctx{session_, focus_, fonts_, redraw_, &record_};
    toolbar_.draw_controls(ctx);
    ImGui::End();
    ImGui::Render();
  }
  test_support::HeadlessImGui imgui_;
  Session session_;
  Focus focus_;
  FontSet fonts_;
  RedrawTimer redraw_;
  FrameRecord record_;
  ToolbarView toolbar_;
};

}  // namespace

TEST(ExpressionFocus, AFailedBuildKeepsTheKeyboardWithTheCaretAtTheError) {
  TypingDesk desk;
  const std::string before = desk.session().model().expression;
  desk.click_field();
  ASSERT_TRUE(desk.field_has_keyboard());
  desk.press(ImGuiKey_A, true);  // select all, then type over it
  desk.type("f = sinn(x)");
  desk.press(ImGuiKey_Enter);
  EXPECT_EQ(desk.session().model().expression, before) << "the graph stays the old one";
  EXPECT_EQ(desk.session().expression_error().column, 5);
  EXPECT_TRUE(desk.field_has_keyboard()) << "Enter left the field; a failed Build gives it back";
  // The next key edits the formula at the error's column; nothing was selected and replaced.
  desk.press(ImGuiKey_Delete);
  EXPECT_EQ(desk.field_text(), "f = inn(x)");
  desk.type("s");
  desk.press(ImGuiKey_RightArrow);
  desk.press(ImGuiKey_Delete);
  desk.press(ImGuiKey_Enter);
  EXPECT_EQ(desk.field_text(), "f = sin(x)");
  EXPECT_EQ(desk.session().model().expression, "f = sin(x)") << "fixed without a click";
  EXPECT_EQ(desk.session().expression_error().column, 0);
}
