// Session edits with undo, the expression bar, and the lesson's stepping cursor over seed 004's
// traces (numbers from DESIGN.md). No GL.
#include "app/graph/session.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace gs;
using namespace gs::app;

namespace {
Session seed004() {
  Session s;
  s.load(builtin_seed004(), "");
  return s;
}
NodeId by_label(const Lesson& l, const std::string& label) {
  for (int i = 0; i < l.graph().size(); ++i)
    if (l.graph().label(NodeId{i}) == label) return NodeId{i};
  return {};
}
}  // namespace

TEST(Session, EditsAreUndoableAndRebuildTheLesson) {
  Session s = seed004();
  ASSERT_TRUE(s.lesson().ready());
  EXPECT_FALSE(s.can_undo());
  s.edit([](GraphModel& m) { m.find(DocId{0})->value = TensorD::scalar(3.0); });
  EXPECT_TRUE(s.dirty());
  EXPECT_EQ(s.lesson().built().bindings.at("x1").item(), 3.0);
  ASSERT_TRUE(s.undo());
  EXPECT_EQ(s.lesson().built().bindings.at("x1").item(), 2.0);
  ASSERT_TRUE(s.redo());
  EXPECT_EQ(s.lesson().built().bindings.at("x1").item(), 3.0);
}

TEST(Session, BadExpressionPointsAtItsColumnAndKeepsTheGraph) {
  Session s = seed004();
  const GraphModel before = s.model();
  EXPECT_FALSE(s.set_expression("ln(x1) + sine(x2)"));
  EXPECT_EQ(s.expression_error().column, 10);
  EXPECT_FALSE(s.expression_error().message.empty());
  EXPECT_TRUE(s.model() == before);
}

TEST(Session, NewExpressionKeepsValuesOfSurvivingInputs) {
  Session s = seed004();
  ASSERT_TRUE(s.set_expression("x1*x1 + x3"));
  EXPECT_TRUE(s.expression_error().message.empty());
  EXPECT_EQ(s.lesson().built().bindings.at("x1").item(), 2.0);
  EXPECT_EQ(s.lesson().built().bindings.at("x3").item(), 1.0);
  ASSERT_TRUE(s.undo());  // the old graph is one undo away
  EXPECT_EQ(s.model().nodes().size(), 7u);
}

TEST(Lesson, ForwardStepsRevealValuesInOrder) {
  Session s = seed004();
  Lesson& l = s.lesson();
  EXPECT_EQ(l.row_count(StepMode::Forward), 7);
  EXPECT_FALSE(l.current_node().valid());
  for (int i = 0; i < 4; ++i) l.step_forward();
  EXPECT_EQ(l.graph().label(l.current_node()), "v4");
  EXPECT_TRUE(l.value_shown(by_label(l, "v4")));
  EXPECT_FALSE(l.value_shown(by_label(l, "v5")));
  EXPECT_FALSE(l.adjoint_shown(by_label(l, "v7")));
  EXPECT_EQ(to_line(l.forward_rows()[3]), "v4 = v1·v2 = 2·5 = 10");
}

TEST(Lesson, ReverseStepsShowAdjointsAndPartialsAfterTheirConsumer) {
  Session s = seed004();
  Lesson& l = s.lesson();
  l.step_backward();  // v̄7 = 1; forward values are all shown
  EXPECT_EQ(l.cursor().mode, StepMode::Reverse);
  EXPECT_TRUE(l.value_shown(by_label(l, "v5")));
  EXPECT_TRUE(l.adjoint_shown(by_label(l, "v7")));
  l.run_backward();
  const NodeId v1 = by_label(l, "v1");
  EXPECT_EQ(l.graph().label(l.current_node()), "v1");
  EXPECT_NEAR(l.reverse_result()[v1].item(), 5.5, 1e-12);
  int partials_into_v1 = 0;
  for (const PartialAdjoint& p : l.reverse_result().partials)
    if (p.from == v1) {
      ++partials_into_v1;
      EXPECT_TRUE(l.partial_shown(p));
    }
  EXPECT_EQ(partials_into_v1, 2);  // fan-out: v1 feeds v3 and v4
}

TEST(Lesson, UndoStepReturnsToThePreviousCursor) {
  Session s = seed004();
  Lesson& l = s.lesson();
  l.step_forward();
  l.step_forward();
  l.run_backward();
  ASSERT_TRUE(l.undo_step());
  EXPECT_EQ(l.cursor(), (Cursor{StepMode::Forward, 2}));
  l.reset();
  EXPECT_EQ(l.cursor().step, 0);
  l.jump(Cursor{StepMode::Reverse, 99});
  EXPECT_EQ(l.cursor().step, l.row_count(StepMode::Reverse));
}

TEST(Lesson, TangentModeStepsTheForwardAdTrace) {
  Session s = seed004();
  Lesson& l = s.lesson();
  l.set_tangent_input("x1");
  l.start_tangent();
  l.run_forward();
  EXPECT_EQ(l.cursor().mode, StepMode::Tangent);
  EXPECT_NEAR(l.tangent_result()[l.graph().output()].item(), 5.5, 1e-12);
  EXPECT_TRUE(l.tangent_shown(l.graph().output()));
}

TEST(Lesson, GradientChecksPassOnSeed004) {
  Session s = seed004();
  const GradcheckReport& r = s.lesson().gradcheck_report();
  ASSERT_EQ(r.inputs.size(), 2u);
  EXPECT_TRUE(r.passed());
}

TEST(Lesson, NonFiniteValueIsFoundWithItsReason) {
  Session s = seed004();
  ASSERT_TRUE(s.set_expression("ln(x1 - 3)"));
  const NonFinite& nf = s.lesson().non_finite();
  ASSERT_TRUE(nf.node.valid());
  EXPECT_FALSE(nf.reason.empty());
}

TEST(Session, ExtendingWithAdjointNodesGivesSecondDerivatives) {
  Session s;
  s.load(builtin_seed004(), "");
  ASSERT_TRUE(s.extend_with_adjoints());
  const Lesson& l = s.lesson();
  ASSERT_TRUE(l.ready()) << l.problem();
  EXPECT_GT(l.graph().size(), 7);
  // The extended graph still computes y; its extra nodes hold the adjoints as values.
  bool found = false;
  for (int i = 0; i < l.graph().size(); ++i)
    if (std::abs(l.evaluation()[NodeId{i}].item() - 5.5) < 1e-12) found = true;
  EXPECT_TRUE(found) << "no node holds ∂y/∂x1 = 5.5";
  ASSERT_TRUE(s.undo());
  EXPECT_EQ(s.model().nodes().size(), 7u);
}

TEST(Session, MalformedFileKeepsTheOpenGraph) {
  Session s;
  s.load(builtin_seed004(), "");
  const std::string path = ::testing::TempDir() + "/gradscope_bad.json";
  { std::ofstream(path) << "{\"version\": 1, \"nodes\": [ {\"op\": \"sine\"} "; }
  EXPECT_FALSE(s.open_file(path));
  EXPECT_TRUE(s.status().error);
  EXPECT_EQ(s.model().nodes().size(), 7u);
}

TEST(Session, SaveOpenRoundTripAndAutosave) {
  const std::string dir = ::testing::TempDir() + "/gradscope_state";
  std::filesystem::remove_all(dir);
  Session s;
  s.enable_persistence(dir);
  s.load(builtin_seed004(), "");
  const std::string path = ::testing::TempDir() + "/gradscope_saved.json";
  ASSERT_TRUE(s.save_file(path)) << s.status().text;
  EXPECT_FALSE(s.dirty());
  ASSERT_EQ(s.recent_files().size(), 1u);
  s.edit([](GraphModel& m) { m.find(DocId{0})->value = TensorD::scalar(4.0); });
  s.autosave_if_due(100.0);  // notices the edit
  EXPECT_GT(s.autosave_due(), 100.0);
  s.autosave_if_due(103.0);  // two seconds later: written
  EXPECT_TRUE(std::filesystem::exists(dir + "/autosave.json"));
  Session t;
  t.enable_persistence(dir);
  ASSERT_TRUE(t.open_file(path));
  EXPECT_EQ(t.lesson().built().bindings.at("x1").item(), 2.0);
  ASSERT_TRUE(t.recover_autosave());
  EXPECT_EQ(t.lesson().built().bindings.at("x1").item(), 4.0);
}
