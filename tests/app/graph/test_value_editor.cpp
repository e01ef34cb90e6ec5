// Inputs with values from a fresh start (issue 9): the expression bar takes `X = [[1, 2]]` and
// `W1 = randn(2, 3)` statements (inputs, editable, an edit surviving a retyped formula); the
// value editor's helpers: shortest round-trip literals ("0.3"), shape text, fills equal to the
// formula's randn. No GL.
#include "app/graph/session.h"
#include "app/graph/value_editor.h"
#include "engine/input_fill.h"
#include "engine/parse.h"

#include "../headless_imgui.h"
#include "seed004_session.h"

#include <imgui_internal.h>

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace gs;
using namespace gs::app;

namespace {

const std::string kTwoLayer =
    "X = [[1, 2], [3, 4]]\nW1 = randn(2, 3)\nW2 = randn(3, 3)\nY = onehot([0, 2], 3)\nL = ce(relu(X @ W1) @ W2, Y)";


const DocNode* input_named(const GraphModel& m, const std::string& name) {
  for (const DocNode& n : m.nodes())
    if (n.kind == NodeKind::Input && n.name == name) return &n;
  return nullptr;
}

std::vector<double> numbers(const TensorD& t) { return {t.begin(), t.end()}; }

}  // namespace

TEST(SessionValues, TheIssuesFormulaFailsWithAMessageSayingHowToGiveValues) {
  Session s = seed004_session();
  EXPECT_FALSE(s.set_expression("relu(X @ W1) @ W2"));
  const std::string& m = s.expression_error().message;
  EXPECT_NE(m.find("'X' and 'W1' have no value yet"), std::string::npos) << m;
  EXPECT_NE(m.find("X = randn(2, 3)"), std::string::npos) << m;
  EXPECT_EQ(s.expression_error().column, 8);  // the first @
}

TEST(SessionValues, StatementsGiveInputsTheirValuesFromAFreshStart) {
  Session s = seed004_session();
  ASSERT_TRUE(s.set_expression(kTwoLayer)) << s.expression_error().message;
  ASSERT_TRUE(s.lesson().ready());
  const DocNode* x = input_named(s.model(), "X");
  ASSERT_NE(x, nullptr) << "X is an input (a value node), not an op";
  EXPECT_EQ(numbers(x->value), (std::vector<double>{1, 2, 3, 4}));
  const DocNode* w1 = input_named(s.model(), "W1");
  ASSERT_NE(w1, nullptr);
  EXPECT_EQ(numbers(w1->value), numbers(seeded_randn(Shape{2, 3}, input_seed("W1"))));
  EXPECT_EQ(numbers(input_named(s.model(), "Y")->value), (std::vector<double>{1, 0, 0, 0, 0, 1}));
  EXPECT_EQ(s.lesson().graph().node(s.lesson().graph().output()).name, "L");
  // The README's example, as written there.
  EXPECT_TRUE(s.set_expression("x = [[0.5, -1]]\nW1 = randn(2, 3)\nW2 = randn(3, 1)\nh = tanh(x @ W1)\ny = h @ W2"))
      << s.expression_error().message;
}

TEST(SessionValues, AnEditedValueSurvivesRetypingTheRestOfTheFormula) {
  Session s = seed004_session();
  ASSERT_TRUE(s.set_expression(kTwoLayer));
  const DocId w1 = input_named(s.model(), "W1")->id;
  s.edit([&](GraphModel& m) { m.find(w1)->value[0] = 0.5; });
  ASSERT_TRUE(s.set_expression(kTwoLayer + " * 2"));
  EXPECT_EQ(input_named(s.model(), "W1")->value[0], 0.5) << "the statement W1 = randn(2, 3) did not change";
  std::string changed = kTwoLayer;
  changed.replace(changed.find("randn(2, 3)"), 11, "randn(2, 3, seed=1)");
  ASSERT_TRUE(s.set_expression(changed));
  EXPECT_EQ(numbers(input_named(s.model(), "W1")->value), numbers(seeded_randn(Shape{2, 3}, 1))) << "a changed statement gives its value";
}

TEST(SessionValues, APastedListMakesAScalarInputThatMatrix) {
  // What the value editor's literal field does on Enter: the same edit, with the new shape.
  Session s = seed004_session();
  ASSERT_TRUE(s.set_expression("y = sum(X * X)"));
  const DocId x = input_named(s.model(), "X")->id;
  s.edit([&](GraphModel& m) { m.find(x)->value = parse_tensor_literal("[[1,2],[3,4]]"); });
  ASSERT_TRUE(s.lesson().ready());
  EXPECT_EQ(input_named(s.model(), "X")->value.shape(), (Shape{2, 2}));
  const BuiltGraph& built = s.lesson().built();
  EXPECT_EQ(s.lesson().evaluation()[built.graph.output()].item(), 30.0) << "1 + 4 + 9 + 16, not 1234²";
}

TEST(ValueEditor, LiteralsAreShortestRoundTrip) {
  EXPECT_EQ(tensor_literal(TensorD::scalar(-0.3)), "-0.3");
  EXPECT_EQ(tensor_literal(TensorD::scalar(0.1 + 0.2)), "0.30000000000000004");
  EXPECT_EQ(tensor_literal(TensorD::from(Shape{2, 2}, {0.3, -2, 1e-7, 4})), "[[0.3, -2], [1e-07, 4]]");
  const TensorD r = seeded_randn(Shape{2, 3}, 5);
  const TensorD back = parse_tensor_literal(tensor_literal(r));
  EXPECT_EQ(numbers(back), numbers(r)) << "the literal reads back exactly";
  EXPECT_EQ(tensor_literal(TensorD::scalar(std::nan(""))), "nan");
}

TEST(ValueEditor, ShapesAsAStudentWritesThem) {
  std::string error;
  EXPECT_EQ(parse_shape_text("2×3", &error), (Shape{2, 3}));
  EXPECT_EQ(parse_shape_text("2 x 3", &error), (Shape{2, 3}));
  EXPECT_EQ(parse_shape_text("[2, 3]", &error), (Shape{2, 3}));
  EXPECT_EQ(parse_shape_text("1, 1, 28, 28", &error), (Shape{1, 1, 28, 28}));
  EXPECT_EQ(parse_shape_text("5", &error), (Shape{5}));
  EXPECT_FALSE(parse_shape_text("2, 0", &error));
  EXPECT_EQ(error, "a size must be a whole number 1 … 4096, got 0");
  EXPECT_FALSE(parse_shape_text("2 by 3", &error));
  EXPECT_EQ(error, "expected sizes such as 2 × 3 or 1, 1, 28, 28, found 'b'");
  EXPECT_FALSE(parse_shape_text("1,2,3,4,5", &error));
  EXPECT_FALSE(parse_shape_text("", &error));
  EXPECT_EQ(shape_text(Shape{2, 3}), "2 × 3");
  EXPECT_EQ(shape_text(Shape{1, 1, 28, 28}), "1, 1, 28, 28");
}

TEST(ValueEditor, FillsAreTheFormulasValues) {
  EXPECT_EQ(numbers(filled(Fill::Random, Shape{2, 3}, "W1", 0)), numbers(seeded_randn(Shape{2, 3}, input_seed("W1"))))
      << "the first press of random is W1 = randn(2, 3)";
  EXPECT_NE(numbers(filled(Fill::Random, Shape{2, 3}, "W1", 1)), numbers(filled(Fill::Random, Shape{2, 3}, "W1", 0)));
  EXPECT_EQ(numbers(filled(Fill::Identity, Shape{2, 3}, "I", 0)), (std::vector<double>{1, 0, 0, 0, 1, 0}));
  EXPECT_EQ(numbers(filled(Fill::Identity, Shape{2, 1, 2, 2}, "K", 0)), (std::vector<double>{1, 0, 0, 1, 1, 0, 0, 1}));
  EXPECT_EQ(numbers(filled(Fill::Ones, Shape{3}, "b", 0)), (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(numbers(filled(Fill::Zeros, Shape{}, "b", 0)), (std::vector<double>{0}));
}

namespace {
// x1's value editor (seed 004) in an ImGui context without a renderer, driven as a person does.
struct EditorDesk {
  EditorDesk() {
    for (int k = 0; k < ImGuiKey_COUNT; ++k) ImGui::GetIO().KeyMap[k] = 100 + k;
    frame();
    frame();
  }
  void frame() {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(900, 700));
    ImGui::Begin("editor desk", nullptr, ImGuiWindowFlags_NoDecoration);
    editor.draw(s, *s.model().find(x1));
    identity = GImGui->LastItemData.Rect;  // the last fill button
    window = ImGui::GetCurrentWindow()->InnerRect;
    ImGui::End();
    ImGui::Render();
  }
  // A click in the shape field (the line above the fill buttons, at the window's left), then `text`.
  void type_shape(const char* text) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(window.Min.x + 30, identity.Min.y - ImGui::GetFrameHeightWithSpacing() + ImGui::GetFrameHeight() * 0.5f);
    io.MouseDown[0] = true;
    frame();
    io.MouseDown[0] = false;
    frame();
    io.AddInputCharactersUTF8(text);
    frame();
  }
  const TensorD& value() const { return s.model().find(x1)->value; }

  test_support::HeadlessImGui imgui{ImVec2(900, 700)};
  Session s = seed004_session();
  ValueEditor editor;
  DocId x1 = input_named(s.model(), "x1")->id;
  ImRect identity, window;
};
}  // namespace

// A shape typed into the editor survives the click on a fill button (issue 9): a click lasts
// several frames, and the field used to be refilled with the value's shape (a scalar's "")
// as soon as it was left, so the fill made a scalar.
TEST(ValueEditor, ATypedShapeSurvivesTheClickOnAFill) {
  EditorDesk desk;
  desk.type_shape("2x2");
  desk.frame();
  ASSERT_STREQ(desk.editor.shape_, "2x2");
  // The click on "identity": pressed for a few frames, then released.
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = desk.identity.GetCenter();
  io.MouseDown[0] = true;
  for (int f = 0; f < 4; ++f) desk.frame();
  io.MouseDown[0] = false;
  desk.frame();
  desk.frame();
  const TensorD& v = desk.value();
  ASSERT_EQ(v.rank(), 2) << "the typed shape was lost";
  EXPECT_EQ(v.shape()[0], 2);
  EXPECT_EQ(v.shape()[1], 2);
  EXPECT_EQ(v[0], 1.0);
  EXPECT_EQ(v[1], 0.0);
  EXPECT_EQ(v[3], 1.0);
}

// Enter in the shape field makes the value that shape (issue 9: "3 x 2" and Enter did nothing,
// the field waited for a fill button). The numbers stay where they fit.
TEST(ValueEditor, AShapeResizesTheValueKeepingItsNumbers) {
  const TensorD m = parse_tensor_literal("[[1, 2, 3], [4, 5, 6]]");
  EXPECT_EQ(numbers(resized(m, Shape{3, 2})), (std::vector<double>{1, 2, 3, 4, 5, 6})) << "a reshape";
  EXPECT_EQ(numbers(resized(m, Shape{3, 3})), (std::vector<double>{1, 2, 3, 4, 5, 6, 0, 0, 0})) << "a row added";
  EXPECT_EQ(numbers(resized(m, Shape{2, 2})), (std::vector<double>{1, 2, 4, 5})) << "a column cut";
  EXPECT_EQ(numbers(resized(m, Shape{1, 2, 4})), (std::vector<double>{1, 2, 3, 0, 4, 5, 6, 0})) << "another rank";
  EXPECT_EQ(numbers(resized(TensorD(Shape{}, 2.0), Shape{2, 2})), (std::vector<double>{2, 2, 2, 2})) << "a number fills it";
  EXPECT_EQ(resized(m, Shape{2, 3}).shape(), (Shape{2, 3}));
}

TEST(ValueEditor, EnterInTheShapeFieldResizesTheValue) {
  EditorDesk desk;
  desk.type_shape("2x2");
  ImGuiIO& io = ImGui::GetIO();
  io.KeysDown[io.KeyMap[ImGuiKey_Enter]] = true;
  desk.frame();
  io.KeysDown[io.KeyMap[ImGuiKey_Enter]] = false;
  desk.frame();
  desk.frame();
  ASSERT_EQ(desk.value().rank(), 2) << "Enter left x1 a number";
  EXPECT_EQ(numbers(desk.value()), (std::vector<double>{2, 2, 2, 2}));
  EXPECT_STREQ(desk.editor.shape_, "2 \xC3\x97 2") << "the field shows the value's shape again";
}
