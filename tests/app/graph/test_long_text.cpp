// Text fields that never cut what is typed or shown (issue 9: "the expression box silently cuts
// at 511 characters"): the expression bar keeps a formula of any length, the value editor a
// 28 × 28 image's literal whole. Drawn in an ImGui context without a renderer. No GL.
#include "app/graph/value_editor.h"
#include "app/graph/view_toolbar.h"

#include "../headless_imgui.h"

#include <gtest/gtest.h>

#include <string>

using namespace gs;
using namespace gs::app;

namespace {

// y = w0*x0 + w1*x1 + … : `terms` products, well over 511 characters for 60.
std::string long_sum_formula(int terms) {
  std::string f = "y = ";
  for (int i = 0; i < terms; ++i) f += (i ? " + " : "") + ("w" + std::to_string(i) + "*x" + std::to_string(i));
  return f;
}

// One frame of `draw` in a window of a headless context.
template <class F>
void in_window(F draw) {
  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(1024, 700));
  ImGui::Begin("long_text", nullptr, ImGuiWindowFlags_NoDecoration);
  draw();
  ImGui::End();
  ImGui::Render();
}

}  // namespace

TEST(LongText, TheExpressionBarKeepsAFormulaOfAnyLength) {
  const test_support::HeadlessImGui imgui(ImVec2(1024, 700));
  const std::string formula = long_sum_formula(60);
  ASSERT_GT(formula.size(), 520u);
  Session session;
  ASSERT_TRUE(session.set_expression(formula)) << session.expression_error().message;
  EXPECT_EQ(session.lesson().graph().inputs().size(), 120u);
  Focus focus;
  FontSet fonts;
  RedrawTimer redraw;
  FrameRecord record;
  ToolbarView toolbar;
  in_window([&] {
    ViewContext ctx{session, focus, fonts, redraw, &record};
    toolbar.draw(ctx);
  });
  EXPECT_EQ(record.expression, formula);
}

TEST(LongText, TheValueFieldHoldsAWholeImage) {
  const test_support::HeadlessImGui imgui(ImVec2(1024, 700));
  Session session;
  ASSERT_TRUE(session.set_expression("X = randn(28, 28); y = sum(X * X)")) << session.expression_error().message;
  const DocNode* x = nullptr;
  for (const DocNode& n : session.model().nodes())
    if (n.kind == NodeKind::Input) x = &n;
  ASSERT_NE(x, nullptr);
  ValueEditor editor;
  in_window([&] { editor.draw(session, *x); });
  const std::string whole = tensor_literal(x->value);
  ASSERT_GT(whole.size(), 4096u);
  EXPECT_EQ(editor.literal_, whole);
  EXPECT_EQ(parse_tensor_literal(editor.literal_).size(), 784);
}
