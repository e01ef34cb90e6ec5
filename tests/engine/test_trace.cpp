// Tests of the trace text (src/engine/trace.h): the cells and lines every view shows, the names
// and lines of partial adjoints, the node text the inspector shows, and the one set of bracketing
// rules (negative operands, compound factors) wherever a formula is written.
#include "engine/parse.h"
#include "engine/trace.h"

#include <gtest/gtest.h>

namespace gs {
namespace {

struct Traced {
  Graph g;
  Evaluation ev;
  ReverseResult r;
  std::vector<ForwardStep> forward;
  std::vector<ReverseStep> reverse;
};
Traced trace(const std::string& text, const Bindings& b) {
  Traced t;
  t.g = parse_expression(text);
  t.ev = evaluate(t.g, b);
  t.r = reverse(t.g, t.ev, t.g.output());
  t.forward = forward_trace(t.g, t.ev);
  t.reverse = reverse_trace(t.g, t.ev, t.r);
  return t;
}
Traced traced_seed004() { return trace("y = ln(x1) + x1*x2 - sin(x2)", {{"x1", TensorD::scalar(2)}, {"x2", TensorD::scalar(5)}}); }

TEST(TraceText, CellsAreTheColumnsOfEveryTable) {
  const Traced t = traced_seed004();
  const TraceCells v3 = trace_cells(t.forward[2]);
  EXPECT_EQ(v3.lhs, "v3");
  EXPECT_EQ(v3.formula, "ln v1");
  EXPECT_EQ(v3.numbers, "ln 2");
  EXPECT_EQ(v3.value, "0.69315");
  EXPECT_EQ(v3.line, "v3 = ln v1 = ln 2 = 0.69315");
  EXPECT_EQ(trace_cells(t.forward[0]).numbers, "") << "an input's row has no formula with values";
  // The reverse row's numbers: the terms with values, then the values of the partial adjoints.
  const TraceCells v1 = trace_cells(t.reverse[6]);
  EXPECT_EQ(v1.lhs, "v̄1");
  EXPECT_EQ(v1.formula, "v̄4·v2 + v̄3·(1/v1)");
  EXPECT_EQ(v1.numbers, "1·5 + 1·(1/2) = 5 + 0.5");
  EXPECT_EQ(v1.line, "v̄1 = v̄4·v2 + v̄3·(1/v1) = 1·5 + 1·(1/2) = 5 + 0.5 = 5.5");
  EXPECT_EQ(trace_cells(t.reverse[0]).numbers, "") << "the seed v̄7 = ∂y/∂y = 1";
}

TEST(TraceText, PartialAdjointsHaveNamesAndLines) {
  const Traced t = traced_seed004();
  const ReverseStep& v1 = t.reverse[6];
  ASSERT_EQ(v1.terms.size(), 2u);
  EXPECT_EQ(v1.terms[0].name, "v̄₁→₄");
  EXPECT_EQ(v1.terms[1].name, "v̄₁→₃");
  EXPECT_EQ(v1.terms[1].line, "v̄₁→₃ = v̄3·(1/v1) = 1·(1/2) = 0.5");
  EXPECT_EQ(partial_adjoint_name(t.g, t.g.by_v(6), t.g.by_v(7)), "v̄₆→₇");
  EXPECT_EQ(adjoint_label("v12"), "v̄12");
  EXPECT_EQ(tangent_label("v3"), "v̇3");
  EXPECT_EQ(subscript("105"), "₁₀₅");
}

TEST(TraceText, NegativeOperandsAreBracketedOnlyWhereTheyTouchAnOperator) {
  const Traced t = trace("y = sigmoid(x) + max(x, -2) - x^-2 + ln(x*x)", {{"x", TensorD::scalar(-1)}});
  std::vector<std::string> lines;
  for (const ForwardStep& s : t.forward) lines.push_back(to_line(s));
  EXPECT_EQ(lines[1], "v2 = σ(v1) = σ(-1) = 0.26894");
  EXPECT_EQ(lines[2], "v3 = max(v1, -2) = max(-1, -2) = -1");
  EXPECT_EQ(lines[3], "v4 = v1^(-2) = (-1)^(-2) = 1");
  EXPECT_EQ(lines[4], "v5 = v1·v1 = (-1)·(-1) = 1");
  // A negative adjoint before "·" and a negative partial adjoint after "+" are bracketed too.
  const ReverseStep& x = t.reverse.back();
  EXPECT_EQ(x.lhs, "v̄1");
  EXPECT_NE(x.substituted.find("(-1)·"), std::string::npos) << x.substituted;
  for (std::size_t k = 1; k < x.terms.size(); ++k)
    if (x.terms[k].value[0] == '-') { EXPECT_NE(x.partial_sum.find("+ (" + x.terms[k].value + ")"), std::string::npos) << x.partial_sum; }
}

TEST(TraceText, KeywordValuesAppearInTheFormulas) {
  const Traced t = trace("y = leaky_relu(x, -0.2)", {{"x", TensorD::scalar(-1)}});
  EXPECT_EQ(to_line(t.reverse[1]), "v̄1 = v̄2·([v1 > 0] + (-0.2)·[v1 ≤ 0]) = 1·([(-1) > 0] + (-0.2)·[(-1) ≤ 0]) = -0.2");
}

TEST(TraceText, NodeTextHasTheInspectorsLines) {
  const Traced t = traced_seed004();
  const NodeText v3 = node_text(t.g, t.g.by_v(3));
  EXPECT_EQ(v3.heading, "v3 = ln v1");
  EXPECT_EQ(v3.shape, "");
  ASSERT_EQ(v3.partials.size(), 1u);
  EXPECT_EQ(v3.partials[0].local, "∂v3/∂v1 = 1/v1");
  EXPECT_EQ(v3.partials[0].rule, "v̄₁→₃ = v̄3·(1/v1)");
  EXPECT_TRUE(v3.partials[0].gets_adjoint);
  // The rule is the reverse trace's term: the same text.
  EXPECT_EQ(v3.partials[0].rule, t.reverse[6].terms[1].name + " = " + t.reverse[6].terms[1].symbolic);
  const NodeText v7 = node_text(t.g, t.g.by_v(7));
  EXPECT_EQ(v7.partials[1].rule, "v̄₅→₇ = v̄7·(−1)");
  EXPECT_EQ(node_text(t.g, t.g.by_v(1)).heading, "v1 = x1");

  Graph m = parse_expression("y = X @ W", {{"X", Shape{4, 3}}, {"W", Shape{3, 2}}});
  const NodeText prod = node_text(m, m.output());
  EXPECT_EQ(prod.shape, "[4×2]");
  EXPECT_EQ(prod.partials[0].rule, "v̄₁→₃ = v̄3 @ v2ᵀ");
  EXPECT_EQ(prod.partials[0].shapes, "[4×3] = [4×2] @ [3×2]ᵀ");
  EXPECT_EQ(prod.partials[1].shapes, "[3×2] = [4×3]ᵀ @ [4×2]");
  EXPECT_EQ(prod.partials[0].local, "");
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
