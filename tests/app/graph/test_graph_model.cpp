// The editable document: links, cycles refused, removal, the build into an engine Graph. No GL.
#include "app/graph/graph_model.h"
#include "app/graph/history.h"
#include "app/graph/session.h"

#include <gtest/gtest.h>

using namespace gs;
using namespace gs::app;

namespace {
struct Chain {
  GraphModel m;
  DocId x, ln, exp;
  Chain() {
    x = m.add_input("x", TensorD::scalar(2.0), {});
    ln = m.add_op(Op::Ln, {}, {});
    exp = m.add_op(Op::Exp, {}, {});
    EXPECT_TRUE(m.connect(x, ln, 0, nullptr));
    EXPECT_TRUE(m.connect(ln, exp, 0, nullptr));
  }
};
}  // namespace

TEST(GraphModel, ConnectRefusesACycleAndSaysWhy) {
  Chain c;
  std::string why;
  EXPECT_FALSE(c.m.connect(c.exp, c.ln, 0, &why));  // exp already depends on ln
  EXPECT_FALSE(why.empty());
  EXPECT_EQ(c.m.find(c.ln)->inputs[0], c.x);  // unchanged
  EXPECT_FALSE(c.m.connect(c.ln, c.ln, 0, &why));
}

TEST(GraphModel, ConnectRefusesMissingSlots) {
  Chain c;
  EXPECT_FALSE(c.m.connect(c.x, c.ln, 1, nullptr));  // ln has one slot
  EXPECT_FALSE(c.m.connect(DocId{99}, c.ln, 0, nullptr));
}

TEST(GraphModel, RemovingANodeUnplugsItsConsumers) {
  Chain c;
  c.m.remove({c.ln});
  EXPECT_EQ(c.m.find(c.ln), nullptr);
  EXPECT_FALSE(c.m.find(c.exp)->inputs[0].valid());
}

TEST(GraphModel, BuildSkipsIncompleteNodes) {
  Chain c;
  c.m.disconnect(c.ln, 0);
  const BuiltGraph b = build_graph(c.m);
  EXPECT_TRUE(b.error.empty());
  EXPECT_EQ(b.graph.size(), 1);  // only the input
  EXPECT_FALSE(b.engine(c.m, c.exp).valid());
}

TEST(GraphModel, BuildsSeed004WithItsVNumbers) {
  const GraphModel m = builtin_seed004();
  const BuiltGraph b = build_graph(m);
  ASSERT_TRUE(b.ok()) << b.error;
  EXPECT_EQ(b.graph.size(), 7);
  EXPECT_EQ(b.graph.label(b.graph.output()), "v7");
  EXPECT_EQ(b.bindings.at("x1").item(), 2.0);
}

TEST(GraphModel, ShapeMismatchIsReportedOnItsNode) {
  GraphModel m;
  DocId a = m.add_input("A", TensorD(Shape{2, 3}), {});
  DocId b = m.add_input("B", TensorD(Shape{2, 2}), {});
  DocId mm = m.add_op(Op::MatMul, {}, {});
  m.connect(a, mm, 0, nullptr);
  m.connect(b, mm, 1, nullptr);
  const BuiltGraph built = build_graph(m);
  EXPECT_FALSE(built.error.empty());
  EXPECT_EQ(built.error_node, mm);
}

TEST(GraphModel, DocumentRoundTripKeepsPositionsAndValues) {
  GraphModel m = builtin_seed004();
  m.set_position(DocId{0}, Point{12, 34});
  const BuiltGraph b = build_graph(m);
  const GraphModel back = GraphModel::from_document(to_document(m, b));
  EXPECT_EQ(back.nodes().size(), m.nodes().size());
  EXPECT_EQ(back.nodes()[0].pos, (Point{12, 34}));
  EXPECT_EQ(back.nodes()[0].value.item(), 2.0);
}

TEST(History, UndoAndRedoRestoreEveryEdit) {
  Chain c;
  History h;
  const GraphModel before = c.m;
  h.record(c.m);
  c.m.move({c.x}, 10, 0);
  const GraphModel moved = c.m;
  h.record(c.m);
  c.m.remove({c.exp});
  ASSERT_TRUE(h.undo(&c.m));
  EXPECT_TRUE(c.m == moved);
  ASSERT_TRUE(h.undo(&c.m));
  EXPECT_TRUE(c.m == before);
  EXPECT_FALSE(h.undo(&c.m));
  ASSERT_TRUE(h.redo(&c.m));
  EXPECT_TRUE(c.m == moved);
  h.record(c.m);  // a new edit drops the redo list
  EXPECT_FALSE(h.can_redo());
}
