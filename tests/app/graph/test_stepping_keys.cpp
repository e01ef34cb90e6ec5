// The keys a presentation clicker sends (issue 9, projector mode): Page Down / → one step on,
// Page Up / ← one step back — back means back: never the forward pass completed, never the
// tangent trace thrown away. Pressed through ImGui's key state, frame by frame, in a context
// without a renderer (as ImGui 1.86 reads keys: down in one frame, up in the next). No GL.
#include "toolbar_desk.h"

#include <gtest/gtest.h>

#include <string>

using namespace gs;
using namespace gs::app;

namespace {

// The toolbar's key handling, keys pressed as a clicker presses them.
struct ClickerDesk : test_support::ToolbarDesk {
  ClickerDesk() : ToolbarDesk(Draws::keys) {}
};

std::string where(const Lesson& l) { return std::string(step_mode_name(l.cursor().mode)) + ":" + std::to_string(l.cursor().step); }

}  // namespace

TEST(SteppingKeys, PageDownAndRightStepOnThroughForwardThenReverse) {
  ClickerDesk desk;
  EXPECT_EQ(where(desk.lesson()), "forward:0");
  desk.press(ImGuiKey_PageDown);
  EXPECT_EQ(where(desk.lesson()), "forward:1");
  desk.press(ImGuiKey_RightArrow);
  EXPECT_EQ(where(desk.lesson()), "forward:2");
  for (int i = 0; i < 5; ++i) desk.press(ImGuiKey_PageDown);
  EXPECT_EQ(where(desk.lesson()), "forward:7");
  desk.press(ImGuiKey_PageDown);  // the reverse sweep continues the steps
  EXPECT_EQ(where(desk.lesson()), "reverse:1");
}

// ← in the middle of the forward trace goes one row back; it used to complete the forward pass
// and start the reverse one.
TEST(SteppingKeys, PageUpAndLeftGoBackOneStepNeverOn) {
  ClickerDesk desk;
  for (int i = 0; i < 3; ++i) desk.press(ImGuiKey_PageDown);
  desk.press(ImGuiKey_LeftArrow);
  EXPECT_EQ(where(desk.lesson()), "forward:2");
  desk.press(ImGuiKey_PageUp);
  EXPECT_EQ(where(desk.lesson()), "forward:1");
  desk.press(ImGuiKey_PageUp);
  desk.press(ImGuiKey_PageUp);  // at the start it stays there
  EXPECT_EQ(where(desk.lesson()), "forward:0");
  // From the first reverse row, back is the whole forward trace; from reverse:3, reverse:2.
  desk.lesson().jump(Cursor{StepMode::Reverse, 3});
  desk.press(ImGuiKey_LeftArrow);
  EXPECT_EQ(where(desk.lesson()), "reverse:2");
  desk.press(ImGuiKey_PageUp);
  desk.press(ImGuiKey_PageUp);
  EXPECT_EQ(where(desk.lesson()), "forward:7");
}

// Forward mode: ← steps back through the tangent trace and keeps it (and its input).
TEST(SteppingKeys, BackInForwardModeKeepsTheTangentTrace) {
  ClickerDesk desk;
  desk.lesson().set_tangent_input("x2");
  desk.lesson().start_tangent();
  for (int i = 0; i < 4; ++i) desk.press(ImGuiKey_RightArrow);
  EXPECT_EQ(where(desk.lesson()), "tangent:4");
  desk.press(ImGuiKey_LeftArrow);
  EXPECT_EQ(where(desk.lesson()), "tangent:3");
  EXPECT_EQ(desk.lesson().tangent_input(), "x2");
  EXPECT_FALSE(desk.lesson().tangent_rows().empty());
  desk.press(ImGuiKey_PageUp);
  desk.press(ImGuiKey_PageUp);
  desk.press(ImGuiKey_PageUp);
  desk.press(ImGuiKey_PageUp);
  EXPECT_EQ(where(desk.lesson()), "tangent:0");
  EXPECT_EQ(desk.lesson().tangent_input(), "x2");
}
