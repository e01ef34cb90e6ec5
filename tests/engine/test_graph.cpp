// Tests of graph building (src/engine/graph.h) beyond what each op's tests check: limits that
// keep a typo from asking for terabytes. Run under ASan/UBSan too: some of the old failures
// (found in review, issue 2) were overflows only a sanitizer sees.
#include "engine/graph.h"
#include "engine/parse.h"

#include <gtest/gtest.h>

#include <string>

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

}  // namespace
}  // namespace gs
