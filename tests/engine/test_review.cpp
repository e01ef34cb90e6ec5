// Inputs found in review of the engine (issue 2) that crashed, overflowed or gave a wrong or
// misleading answer, each kept as a test of what the contract asks for instead. Run these under
// ASan/UBSan (UBSAN_OPTIONS=halt_on_error=1): some of the old failures were overflows only a
// sanitizer sees.
#include "engine/autodiff.h"
#include "engine/gradcheck.h"
#include "engine/parse.h"
#include "engine/trace.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace gs {
namespace {

std::string parse_error_of(const std::string& text, const ShapeMap& shapes = {}) {
  try {
    parse_expression(text, shapes);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

// x^x^…^x is right-associative: the parser recursed once per '^' with no bound, so a long
// chain overflowed the stack (a segfault) instead of ending in an error.
TEST(Parse, LongPowerChainsEndInAnErrorNotAStackOverflow) {
  std::string text = "x";
  for (int i = 0; i < 200000; ++i) text += "^x";
  EXPECT_NE(parse_error_of(text).find("nested too deeply"), std::string::npos) << parse_error_of(text);
  EXPECT_THROW(expression_inputs(text), ParseError);
  // Short chains still mean what they say: 2^3^2 = 2^9.
  Graph g = parse_expression("2^3^2");
  EXPECT_EQ(evaluate(g, {})[g.output()].item(), 512.0);
}

// A name in parentheses was read with its parentheses: "(x) + 1" asked for a value of "(x)", and
// "(h)" after "h = ..." was a new input instead of h.
TEST(Parse, ParenthesisedNamesAreTheNames) {
  EXPECT_EQ(expression_inputs("(x) + ((y))*x"), (std::vector<std::string>{"x", "y"}));
  Graph g = parse_expression("h = x*2; y = (h) + (x)");
  ASSERT_EQ(g.inputs().size(), 1u);
  EXPECT_EQ(g.node(g.inputs()[0]).name, "x");
  EXPECT_EQ(evaluate(g, {{"x", TensorD::scalar(3)}})[g.output()].item(), 9.0);
  const std::string e = parse_error_of("y = (x) + 2; x = 1");
  EXPECT_NE(e.find("'x' is an input (used at column 6)"), std::string::npos) << e;
}

// Sizes up to 1e9 each multiplied into a signed 64-bit count that overflowed (undefined
// behaviour); such a reshape is simply a mismatch.
TEST(Parse, HugeReshapeSizesAreAMismatchNotAnOverflow) {
  const std::string e = parse_error_of("reshape(x, 1000000000, 1000000000, 1000000000, 1000000000)");
  EXPECT_NE(e.find("cannot reshape scalar (1 element)"), std::string::npos) << e;
  const std::string f = parse_error_of("reshape(x, -1, 1000000000, 1000000000, 1000000000)", {{"x", Shape{2}}});
  EXPECT_NE(f.find("cannot reshape [2]"), std::string::npos) << f;
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

  const std::string e = parse_error_of("pad(x, 1000000)", {{"x", Shape{1, 1, 2, 2}}});
  EXPECT_NE(e.find("at column 1"), std::string::npos) << e;
  EXPECT_NE(e.find("elements"), std::string::npos) << e;
  const std::string f = parse_error_of("conv2d(x, w, padding=1000000)", {{"x", Shape{1, 1, 2, 2}}, {"w", Shape{1, 1, 1, 1}}});
  EXPECT_NE(f.find("elements"), std::string::npos) << f;
}

// The extended graph's adjoint of ‖x‖₂ was x/‖x‖₂ = 0/0 = NaN at x = 0, where the numeric rule
// (and PyTorch) give 0: the two reverse modes disagreed.
TEST(SecondOrder, L2NormAdjointNodeAtZeroMatchesTheNumericRule) {
  Graph g;
  NodeId x = g.input("x", Shape{2});
  g.set_output(g.op(Op::L2Norm, {x}));
  const Bindings at{{"x", TensorD(Shape{2})}};
  GradientGraph gg = gradient_graph(g, g.output());
  ASSERT_TRUE(gg.adjoint[x.index].valid());
  const TensorD sym = evaluate(gg.graph, at)[gg.adjoint[x.index]];
  const TensorD num = reverse(g, evaluate(g, at), g.output())[x];
  for (Index k = 0; k < 2; ++k) {
    EXPECT_EQ(num[k], 0.0);
    EXPECT_EQ(sym[k], 0.0) << "element " << k;
  }
  // Away from zero the adjoint node is still x/‖x‖₂.
  const Bindings at34{{"x", TensorD::from(Shape{2}, {3, 4})}};
  const TensorD sym34 = evaluate(gg.graph, at34)[gg.adjoint[x.index]];
  EXPECT_DOUBLE_EQ(sym34[0], 0.6);
  EXPECT_DOUBLE_EQ(sym34[1], 0.8);
}

// A NaN error at one element was replaced by the (finite) error of the next element, so the
// report pointed at the wrong element with a small "largest error".
TEST(Gradcheck, ANanElementStaysTheWorstElement) {
  Graph g = parse_expression("sum(sqrt(x))", {{"x", Shape{3}}});
  GradcheckOptions opt;
  const GradcheckReport r = gradcheck(g, {{"x", TensorD::from(Shape{3}, {0, 1, 4})}}, opt);
  ASSERT_EQ(r.inputs.size(), 1u);
  EXPECT_FALSE(r.inputs[0].passed);
  EXPECT_EQ(r.inputs[0].worst_element, 0);
  EXPECT_TRUE(std::isnan(r.inputs[0].max_abs_error)) << r.inputs[0].max_abs_error;
}

// The symbolic rules of reductions, broadcasting and matmul held references to node shapes
// across adding nodes, which moves the graph's storage: heap-use-after-free under ASan (and shapes
// read from freed memory without it).
TEST(SecondOrder, GradientGraphOfReductionsBroadcastsAndProducts) {
  Graph g = parse_expression("sum(mean(X @ W, 0) * b) + mean(X - c, 1, 1)",
                             {{"X", Shape{2, 3}}, {"W", Shape{3, 2}}, {"b", Shape{2}}, {"c", Shape{3}}});
  const Bindings at{{"X", TensorD::from(Shape{2, 3}, {1, 2, 3, 4, 5, 6})},
                    {"W", TensorD::from(Shape{3, 2}, {1, -1, 0.5, 2, -3, 1})},
                    {"b", TensorD::from(Shape{2}, {2, -1})},
                    {"c", TensorD::from(Shape{3}, {1, 1, 1})}};
  GradientGraph gg = gradient_graph(g, g.output());
  const Evaluation ev = evaluate(gg.graph, at);
  const ReverseResult r = reverse(g, evaluate(g, at), g.output());
  for (NodeId x : g.inputs()) {
    ASSERT_TRUE(gg.adjoint[x.index].valid()) << g.node(x).name;
    const TensorD& sym = ev[gg.adjoint[x.index]];
    ASSERT_EQ(sym.shape(), r[x].shape()) << g.node(x).name;
    for (Index k = 0; k < sym.size(); ++k) EXPECT_NEAR(sym[k], r[x][k], 1e-12) << g.node(x).name << " element " << k;
  }
}

// eval --json found each term's partial adjoint by searching every partial: quadratic, minutes
// for a long chain of nodes. Each term now says which partial it shows.
TEST(Trace, ReverseTermsNameTheirPartialAdjoints) {
  Graph g = parse_expression("x*exp(x) + sin(x) + x*x");
  const Bindings at{{"x", TensorD::scalar(0.5)}};
  const Evaluation ev = evaluate(g, at);
  const ReverseResult r = reverse(g, ev, g.output());
  int terms = 0;
  for (const ReverseStep& s : reverse_trace(g, ev, r)) {
    for (const ReverseTerm& t : s.terms) {
      ASSERT_LT(t.partial, r.partials.size());
      const PartialAdjoint& p = r.partials[t.partial];
      EXPECT_EQ(p.from, s.node);
      EXPECT_EQ(p.to, t.to);
      EXPECT_EQ(p.slot, t.slot);
      EXPECT_EQ(format_tensor(p.value), t.value);
      ++terms;
    }
  }
  EXPECT_EQ(static_cast<std::size_t>(terms), r.partials.size());
}

}  // namespace
}  // namespace gs
