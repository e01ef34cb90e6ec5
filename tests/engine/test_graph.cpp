// Tests of graph building (src/engine/graph.h) beyond what each op's tests check: limits that
// keep a typo from asking for terabytes. Run under ASan/UBSan too: some of the old failures
// (found in review, issue 2) were overflows only a sanitizer sees.
#include "engine/graph.h"
#include "engine/parse.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gs {
namespace {

std::string failure_of(const std::string& text, const ShapeMap& shapes) {
  try {
    parse_expression(text, shapes);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

// A result of more elements than any tensor may hold (pad or conv padding of 10⁶, an outer
// broadcast of two long vectors) asked for terabytes: std::bad_alloc, or a sanitizer abort,
// or minutes of work. Building refuses it, naming the node and the shape.
TEST(GraphBuild, ResultsBeyondTheElementLimitAreRefused) {
  Graph g;
  NodeId a = g.input("a", Shape{20000, 1}), b = g.input("b", Shape{1, 20000});
  try {
    g.op(Op::Add, {a, b});
    ADD_FAILURE() << "a [20000×20000] result was built";
  } catch (const GraphError& e) {
    EXPECT_NE(std::string(e.what()).find("[20000×20000]"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("elements"), std::string::npos) << e.what();
  }
  EXPECT_THROW(g.op(Op::MatMul, {a, b}), GraphError);
  NodeId x = g.input("x", Shape{1, 1, 2, 2});
  OpAttrs pad;
  pad.padding = 1000000;
  EXPECT_THROW(g.op(Op::Pad, {x}, pad), GraphError);
  // Ordinary sizes are untouched.
  EXPECT_NO_THROW(g.op(Op::Add, {g.input("c", Shape{2000, 1}), g.input("d", Shape{1, 2000})}));

  const std::string e = failure_of("pad(x, 1000000)", {{"x", Shape{1, 1, 2, 2}}});
  EXPECT_NE(e.find("at column 1"), std::string::npos) << e;
  EXPECT_NE(e.find("elements"), std::string::npos) << e;
  const std::string f = failure_of("conv2d(x, w, padding=1000000)", {{"x", Shape{1, 1, 2, 2}}, {"w", Shape{1, 1, 1, 1}}});
  EXPECT_NE(f.find("elements"), std::string::npos) << f;
}

// Ops are built in place: a failed op (shapes that do not match, an input that is not a node)
// leaves no node behind, and the next op gets the next number.
TEST(GraphBuild, AFailedOpLeavesNoNodeBehind) {
  Graph g;
  const NodeId a = g.input("a", Shape()), b = g.input("b", Shape());
  const int before = g.size();
  EXPECT_THROW(g.op(Op::MatMul, {g.input("m", Shape{2, 3}), g.input("n", Shape{2, 3})}), GraphError);
  EXPECT_THROW(g.op(Op::Add, {a, NodeId{123456}}), GraphError);
  EXPECT_THROW(g.op(Op::Add, {a, NodeId{g.size()}}), GraphError);  // the node being built is not an input
  EXPECT_EQ(g.size(), before + 2);  // the two inputs, no op
  const NodeId sum = g.op(Op::Add, {a, b});
  EXPECT_EQ(sum.index, before + 2);
  EXPECT_EQ(g.node(g.output()).kind, NodeKind::Op);
  EXPECT_EQ(g.node(sum).level, 1);
  EXPECT_TRUE(g.node(sum).requires_grad);
  EXPECT_EQ(g.label(sum), "v5");
  OpAttrs slope;
  const NodeId leaky = g.op(Op::LeakyRelu, {sum}, slope);  // a keyword left unset gets its default
  EXPECT_EQ(g.node(leaky).attrs.coefficient, 0.01);
}

// Inputs are found by name in the graph's own table (no allocation per input): every one of
// many inputs is found as the table grows, a name never given is not, a name given twice is
// refused and leaves the graph as it was; a copy finds them too, clear() forgets them.
TEST(GraphBuild, InputsAreFoundByNameAsTheGraphGrows) {
  Graph g;
  std::vector<NodeId> ids;
  for (int i = 0; i < 1000; ++i) {
    ids.push_back(g.input("p" + std::to_string(i), Shape()));
    if (i % 97 == 0) {
      for (int j = 0; j <= i; ++j) ASSERT_EQ(g.find_input("p" + std::to_string(j)), ids[static_cast<std::size_t>(j)]);
    }
  }
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(g.find_input("p" + std::to_string(i)), ids[static_cast<std::size_t>(i)]);
  EXPECT_FALSE(g.find_input("p1000").valid());
  EXPECT_FALSE(g.find_input("").valid());
  EXPECT_FALSE(Graph().find_input("p0").valid());
  EXPECT_THROW(g.input("p500", Shape{2}), GraphError);
  EXPECT_EQ(g.size(), 1000);
  EXPECT_EQ(static_cast<int>(g.inputs().size()), 1000);
  EXPECT_EQ(g.node(g.find_input("p500")).shape, Shape());
  const Graph copy = g;
  EXPECT_EQ(copy.find_input("p999"), ids[999]);
  g.clear();
  EXPECT_FALSE(g.find_input("p0").valid());
  EXPECT_EQ(g.input("p0", Shape()).index, 0);
  EXPECT_EQ(g.find_input("p0").index, 0);
}

}  // namespace
}  // namespace gs
