// A typo in the expression bar is fixed at once (issue 9, a lecturer typing cold): after a failed
// Build the field keeps the keyboard, its caret at the column the error names, nothing selected,
// so that the next keys edit the formula instead of stepping the lesson. Driven through ImGui's
// mouse, key and character input, frame by frame, in a context without a renderer. No GL.
#include "toolbar_desk.h"

#include <gtest/gtest.h>

#include <string>

using namespace gs;
using namespace gs::app;

namespace {

// The toolbar's controls, typed into as a person types.
class TypingDesk : public test_support::ToolbarDesk {
 public:
  TypingDesk() : ToolbarDesk(Draws::controls) {}
  const std::string& field_text() const { return record().expression; }
  // ImGui gives the keyboard to a field the frame after it is asked, and says so the frame after.
  bool field_has_keyboard() {
    frame();
    frame();
    return ImGui::GetIO().WantTextInput;
  }
  void click_field() { click(ImVec2(60, 16)); }  // inside the expression field, the toolbar's first row
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

// A bracket never closed is named at the '(' (the red mark) but fixed at the end of its statement:
// the caret goes there, so that the ')' typed next closes it. Typed before the '(' it made
// "sin)(x2" and a second error.
TEST(ExpressionFocus, ABracketNeverClosedPutsTheCaretWhereTheClosingOneGoes) {
  TypingDesk desk;
  desk.click_field();
  ASSERT_TRUE(desk.field_has_keyboard());
  desk.press(ImGuiKey_A, true);
  desk.type("y = ln(x1) + x1*x2 - sin(x2; z = y*2");
  desk.press(ImGuiKey_Enter);
  EXPECT_EQ(desk.session().expression_error().column, 25) << "the mark stays under the '('";
  ASSERT_TRUE(desk.field_has_keyboard());
  desk.type(")");
  EXPECT_EQ(desk.field_text(), "y = ln(x1) + x1*x2 - sin(x2); z = y*2");
  desk.press(ImGuiKey_Enter);
  EXPECT_EQ(desk.session().expression_error().column, 0);
  EXPECT_EQ(desk.session().model().expression, "y = ln(x1) + x1*x2 - sin(x2); z = y*2");
  // The same for a tensor literal's '[', in the last statement; a ')' too many keeps the caret on it.
  desk.click_field();
  ASSERT_TRUE(desk.field_has_keyboard());
  desk.press(ImGuiKey_A, true);
  desk.type("X = [1, 2  ");
  desk.press(ImGuiKey_Enter);
  EXPECT_EQ(desk.session().expression_error().column, 5);
  ASSERT_TRUE(desk.field_has_keyboard());
  desk.type("]");
  EXPECT_EQ(desk.field_text(), "X = [1, 2]  ");
  desk.press(ImGuiKey_A, true);
  desk.type("y = (x1))");
  desk.press(ImGuiKey_Enter);
  EXPECT_EQ(desk.session().expression_error().column, 9);
  ASSERT_TRUE(desk.field_has_keyboard());
  desk.press(ImGuiKey_Delete);
  EXPECT_EQ(desk.field_text(), "y = (x1)");
}
