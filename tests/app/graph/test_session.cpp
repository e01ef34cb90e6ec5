// Session edits with undo, the expression bar, and the lesson's stepping cursor over seed 004's
// traces (numbers from DESIGN.md). No GL.
#include "app/graph/session.h"
#include "engine/parse.h"

#include "seed004_session.h"
#include "../temp_path.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

using namespace gs;
using namespace gs::app;

namespace {
NodeId by_label(const Lesson& l, const std::string& label) {
  for (int i = 0; i < l.graph().size(); ++i)
    if (l.graph().label(NodeId{i}) == label) return NodeId{i};
  return {};
}
}  // namespace

TEST(Session, EditsAreUndoableAndRebuildTheLesson) {
  Session s = seed004_session();
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
  Session s = seed004_session();
  const GraphModel before = s.model();
  EXPECT_FALSE(s.set_expression("ln(x1) + sine(x2)"));
  EXPECT_EQ(s.expression_error().column, 10);
  EXPECT_FALSE(s.expression_error().message.empty());
  EXPECT_TRUE(s.model() == before);
}

TEST(Session, NewExpressionKeepsValuesOfSurvivingInputs) {
  Session s = seed004_session();
  ASSERT_TRUE(s.set_expression("x1*x1 + x3"));
  EXPECT_TRUE(s.expression_error().message.empty());
  EXPECT_EQ(s.lesson().built().bindings.at("x1").item(), 2.0);
  EXPECT_EQ(s.lesson().built().bindings.at("x3").item(), 1.0);
  ASSERT_TRUE(s.undo());  // the old graph is one undo away
  EXPECT_EQ(s.model().nodes().size(), 7u);
}

TEST(Lesson, ForwardStepsRevealValuesInOrder) {
  Session s = seed004_session();
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
  Session s = seed004_session();
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
  Session s = seed004_session();
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
  Session s = seed004_session();
  Lesson& l = s.lesson();
  l.set_tangent_input("x1");
  l.start_tangent();
  l.run_forward();
  EXPECT_EQ(l.cursor().mode, StepMode::Tangent);
  EXPECT_NEAR(l.tangent_result()[l.graph().output()].item(), 5.5, 1e-12);
  EXPECT_TRUE(l.tangent_shown(l.graph().output()));
}

TEST(Lesson, GradientChecksPassOnSeed004) {
  Session s = seed004_session();
  const GradcheckReport& r = s.lesson().gradcheck_report();
  ASSERT_EQ(r.inputs.size(), 2u);
  EXPECT_TRUE(r.passed());
}

TEST(Lesson, NonFiniteValueIsFoundWithItsReason) {
  Session s = seed004_session();
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

// [SECTION] issue 13: the engine runs once per change of the graph or its values, never for a
// change of positions, and a typed expression is built into a graph once.

namespace {
// A chain of `n` nodes: x, then sin/cos alternating, then a sum with x (500 nodes and more).
std::string long_chain(int n) {
  std::string text = "h0 = x";
  for (int i = 1; i < n; ++i) text += "; h" + std::to_string(i) + " = " + (i % 2 ? "sin" : "cos") + "(h" + std::to_string(i - 1) + ")";
  return text;
}
}  // namespace

TEST(Session, DraggingANodeInA500NodeGraphRunsNoEngineWork) {
  Session s;
  ASSERT_TRUE(s.set_expression(long_chain(520)));
  ASSERT_TRUE(s.lesson().ready());
  ASSERT_GE(s.lesson().graph().size(), 500);
  const int runs = s.lesson().engine_runs(), builds = s.lesson().graph_builds();
  for (int i = 0; i < 20; ++i) s.move_nodes({s.model().nodes()[7].id}, 3.0f, -2.0f);
  s.relayout();
  ASSERT_TRUE(s.undo());  // undoing a move is a move too
  EXPECT_EQ(s.lesson().engine_runs(), runs);
  EXPECT_EQ(s.lesson().graph_builds(), builds);
  // A change of a value does run it, once.
  s.edit([](GraphModel& m) { m.find(DocId{0})->value = TensorD::scalar(0.25); });
  EXPECT_EQ(s.lesson().engine_runs(), runs + 1);
}

TEST(Session, ATypedExpressionIsBuiltOnceAndTracedOnce) {
  Session s = seed004_session();
  const int runs = s.lesson().engine_runs(), builds = s.lesson().graph_builds();
  ASSERT_TRUE(s.set_expression("h = tanh(x1 * x2); y = h * h - x1"));
  // The parser's graph is the lesson's: no build_graph of the document, one evaluate-and-trace.
  EXPECT_EQ(s.lesson().graph_builds(), builds);
  EXPECT_EQ(s.lesson().engine_runs(), runs + 1);
  // and it is the graph a build of the document gives.
  const BuiltGraph rebuilt = build_graph(s.model());
  ASSERT_EQ(rebuilt.graph.size(), s.lesson().graph().size());
  for (int i = 0; i < rebuilt.graph.size(); ++i) {
    EXPECT_EQ(rebuilt.graph.formula(NodeId{i}), s.lesson().graph().formula(NodeId{i}));
    EXPECT_EQ(rebuilt.graph.node(NodeId{i}).shape, s.lesson().graph().node(NodeId{i}).shape);
    EXPECT_EQ(rebuilt.doc_of[i], s.lesson().built().doc_of[i]);
  }
  EXPECT_EQ(rebuilt.graph.output(), s.lesson().graph().output());
  EXPECT_EQ(rebuilt.bindings.size(), s.lesson().built().bindings.size());
  // An edit of the document builds it again (the document is what the canvas edits).
  s.edit([](GraphModel& m) { m.find(DocId{0})->value = TensorD::scalar(0.5); });
  EXPECT_EQ(s.lesson().graph_builds(), builds + 1);
}

TEST(Session, AGraphThatIsNotTheDocumentsIsBuiltFromTheDocument) {
  Session s = seed004_session();
  // Another graph than the model's: adopt_graph must not take it.
  const BuiltGraph b = adopt_graph(s.model(), parse_expression("sin(x1)"));
  EXPECT_EQ(b.graph.size(), static_cast<int>(s.model().nodes().size()));
  EXPECT_EQ(b.graph.formula(b.graph.output()), s.lesson().graph().formula(s.lesson().graph().output()));
}

TEST(Lesson, TheBundleIsTheEnginesOneCall) {
  Session s = seed004_session();
  const Lesson& l = s.lesson();
  const TraceBundle direct = evaluate_and_trace(l.graph(), l.built().bindings, [&] {
    TraceOptions o = TraceOptions::interactive();
    o.tangent_input = l.graph().find_input(l.tangent_input());
    return o;
  }());
  ASSERT_EQ(direct.reverse_rows.size(), l.reverse_rows().size());
  for (std::size_t r = 0; r < direct.reverse_rows.size(); ++r) EXPECT_EQ(to_line(direct.reverse_rows[r]), to_line(l.reverse_rows()[r]));
  ASSERT_EQ(direct.tangent_rows.size(), l.tangent_rows().size());
  for (std::size_t r = 0; r < direct.tangent_rows.size(); ++r) EXPECT_EQ(to_line(direct.tangent_rows[r]), to_line(l.tangent_rows()[r]));
  ASSERT_TRUE(direct.gradcheck.has_value());
  EXPECT_EQ(direct.gradcheck->inputs.size(), l.gradcheck_report().inputs.size());
  // Choosing the tangent input traces the tangent only.
  const int runs = l.engine_runs();
  s.lesson().set_tangent_input("x2");
  EXPECT_EQ(s.lesson().tangent_input(), "x2");
  EXPECT_EQ(s.lesson().engine_runs(), runs);
  EXPECT_EQ(s.lesson().tangent_rows().back().value, format_number(2.0 - std::cos(5.0)));
}

// [SECTION] issue 9: names survive, and the extended graph reads like seed 004's figure.

namespace {
const NodeFace* face_titled(const Session& s, const std::string& part) {
  for (const NodeFace& f : s.faces())
    if (f.title.find(part) != std::string::npos) return &f;
  return nullptr;
}
}  // namespace

TEST(Session, StatementNamesAreOnTheirNodesAndTheOutputNamesTheSeed) {
  Session s;
  // Seed 001's flat code of the sigmoid neuron.
  ASSERT_TRUE(s.set_expression("s0 = w0*x0; s1 = w1*x1; s2 = s0 + s1; s3 = s2 + w2; L = sigmoid(s3)"));
  ASSERT_TRUE(s.lesson().ready()) << s.lesson().problem();
  for (const char* name : {"s0", "s1", "s2", "s3", "L"}) EXPECT_NE(face_titled(s, std::string(" = ") + name + " = "), nullptr) << name;
  const NodeFace* out = face_titled(s, " = L = ");
  ASSERT_NE(out, nullptr);
  EXPECT_TRUE(out->output);
  EXPECT_EQ(out->title, out->label + " = L = σ(" + s.lesson().graph().label(s.lesson().graph().node(s.lesson().graph().output()).inputs[0]) + ")");
  ASSERT_FALSE(s.lesson().reverse_rows().empty());
  EXPECT_EQ(s.lesson().reverse_rows()[0].symbolic, "∂L/∂L");
  // The inspector's heading is the same text.
  EXPECT_EQ(node_text(s.lesson().graph(), s.lesson().graph().output()).heading, out->title);
  // A canvas edit keeps them (the document holds the names), and so does a file with the text.
  s.edit([](GraphModel& m) { m.find(DocId{0})->value = TensorD::scalar(2.0); });
  EXPECT_EQ(s.lesson().reverse_rows()[0].symbolic, "∂L/∂L");
  EXPECT_NE(face_titled(s, " = s2 = "), nullptr);
  const std::string path = test_support::unique_temp_path("gs_names_test.json").string();
  ASSERT_TRUE(s.save_file(path));
  Session t;
  ASSERT_TRUE(t.open_file(path));
  EXPECT_NE(face_titled(t, " = s3 = "), nullptr);
  EXPECT_EQ(t.lesson().reverse_rows()[0].symbolic, "∂L/∂L");
  std::filesystem::remove(path);
}

TEST(Session, WithoutAStatementNameTheOutputIsY) {
  Session s;
  ASSERT_TRUE(s.set_expression("ln(x1) + x1*x2"));
  EXPECT_EQ(s.lesson().reverse_rows()[0].symbolic, "∂y/∂y");
  // An input given a second name stays the input (names are for op nodes).
  ASSERT_TRUE(s.set_expression("a = x1; y = a * a"));
  EXPECT_EQ(s.lesson().graph().node(s.lesson().graph().inputs()[0]).name, "x1");
  EXPECT_EQ(s.lesson().reverse_rows()[0].symbolic, "∂y/∂y");
}

TEST(Session, TheExtendedGraphNamesItsAdjointNodesAndMarksItsReversePart) {
  Session s = seed004_session();
  const Graph original = s.lesson().graph();
  ASSERT_TRUE(s.extend_with_adjoints());
  const GraphModel& m = s.model();
  int named = 0, reverse = 0;
  for (std::size_t i = 0; i < m.nodes().size(); ++i) {
    const DocNode& d = m.nodes()[i];
    EXPECT_EQ(d.reverse, i >= 7u) << i;  // seed 004 has 7 nodes; the rest is the extension
    reverse += d.reverse;
    if (d.name.rfind("v\u0304", 0) == 0) {
      ++named;
      EXPECT_TRUE(d.reverse);
      // v̄1 holds ∂y/∂x1 = 5.5 and v̄2 holds ∂y/∂x2 = 1.7163 (DESIGN.md's numbers).
      const NodeId e = s.lesson().built().engine_of[i];
      if (d.name == "v̄1") { EXPECT_NEAR(s.lesson().evaluation()[e].item(), 5.5, 1e-12); }
      if (d.name == "v̄2") { EXPECT_NEAR(s.lesson().evaluation()[e].item(), 2.0 - std::cos(5.0), 1e-12); }
      EXPECT_NE(s.faces()[i].title.find(" = " + d.name + " = "), std::string::npos) << s.faces()[i].title;
    }
  }
  EXPECT_GT(reverse, 0);
  EXPECT_GE(named, 2);  // at least v̄1 and v̄2
  // The partial adjoints that feed a sum are named as the notes name them: x1 (v1) feeds v3 and
  // v4, so v̄1 = v̄1→3 + v̄1→4, both named; v̄1→4 = v̄4·v2 holds 1·5 = 5.
  std::map<std::string, double> partial;
  for (std::size_t i = 0; i < m.nodes().size(); ++i)
    if (m.nodes()[i].name.find("→") != std::string::npos)
      partial[m.nodes()[i].name] = s.lesson().evaluation()[s.lesson().built().engine_of[i]].item();
  ASSERT_EQ(partial.count("v̄₁→₃"), 1u) << ::testing::PrintToString(partial);
  ASSERT_EQ(partial.count("v̄₁→₄"), 1u) << ::testing::PrintToString(partial);
  EXPECT_NEAR(partial["v̄₁→₃"], 0.5, 1e-12);  // v̄3·(1/v1) = 1·(1/2)
  EXPECT_NEAR(partial["v̄₁→₄"], 5.0, 1e-12);
  ASSERT_TRUE(s.undo());
  for (const DocNode& d : s.model().nodes()) EXPECT_FALSE(d.reverse);
}

// Save → open gives the same labels: statement names and the extended graph's adjoint nodes (their
// v̄ names and marks) are in the file, not only in the expression.
TEST(Session, SaveAndOpenKeepNamesAndAdjointMarks) {
  Session s;
  ASSERT_TRUE(s.set_expression("s0 = w0*x0; s1 = s0 + w1; L = sigmoid(s1)"));
  ASSERT_TRUE(s.extend_with_adjoints());
  std::vector<std::string> titles;
  for (const NodeFace& f : s.faces()) titles.push_back(f.title);
  std::vector<bool> marks;
  for (const DocNode& d : s.model().nodes()) marks.push_back(d.reverse);
  const std::string path = ::testing::TempDir() + "names_and_marks.json";
  ASSERT_TRUE(s.save_file(path));
  Session t;
  ASSERT_TRUE(t.open_file(path)) << t.status().text;
  std::vector<std::string> reopened;
  for (const NodeFace& f : t.faces()) reopened.push_back(f.title);
  EXPECT_EQ(reopened, titles);
  std::vector<bool> reopened_marks;
  for (const DocNode& d : t.model().nodes()) reopened_marks.push_back(d.reverse);
  EXPECT_EQ(reopened_marks, marks);
  EXPECT_NE(std::find_if(titles.begin(), titles.end(), [](const std::string& t) { return t.find("= s0 =") != std::string::npos; }),
            titles.end());
  std::filesystem::remove(path);
}

// A file opened in the background checks edit_count() at arrival (page_graph.cpp): every change
// of the document moves it; stepping and opening a file do not.
TEST(Session, EveryChangeOfTheDocumentMovesTheEditCount) {
  Session s = seed004_session();
  std::uint64_t last = s.edit_count();
  auto moved = [&](const char* what) {
    EXPECT_GT(s.edit_count(), last) << what;
    last = s.edit_count();
  };
  s.lesson().step_forward();
  EXPECT_EQ(s.edit_count(), last) << "stepping is no edit";
  s.edit([](GraphModel& m) { m.find(DocId{0})->value = TensorD::scalar(3.0); });
  moved("edit");
  s.move_nodes({DocId{0}}, 10, 0);
  moved("move");
  ASSERT_TRUE(s.undo());
  moved("undo of a move");
  ASSERT_TRUE(s.undo());
  moved("undo of an edit");
  ASSERT_TRUE(s.redo());
  moved("redo");
  s.begin_continuous_edit();
  s.continuous_edit([](GraphModel& m) { m.find(DocId{0})->value = TensorD::scalar(4.0); });
  moved("continuous edit");
  s.relayout();
  moved("layout");
  ASSERT_TRUE(s.set_expression("a*b"));
  moved("typed graph");
  ASSERT_TRUE(s.extend_with_adjoints());
  moved("extended graph");
  EXPECT_FALSE(s.set_expression("a*"));
  EXPECT_EQ(s.edit_count(), last) << "a typing error changes nothing";
  ASSERT_TRUE(s.open_example("sigmoid_neuron"));
  EXPECT_EQ(s.edit_count(), last) << "opening is no edit";
}
