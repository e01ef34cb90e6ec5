// Tests of the one evaluate-and-trace call (src/engine/evaluate_and_trace.h): it gives what the
// separate engine calls give, runs the gradient check only where asked and where it makes sense,
// and replaces the tangent alone.
#include "engine/evaluate_and_trace.h"
#include "engine/parse.h"

#include <gtest/gtest.h>

#include <cmath>

namespace gs {
namespace {

const char* kSeed004 = "y = ln(x1) + x1*x2 - sin(x2)";
Bindings seed004_values() { return {{"x1", TensorD::scalar(2)}, {"x2", TensorD::scalar(5)}}; }

TEST(EvaluateAndTrace, GivesWhatTheSeparateCallsGive) {
  const Graph g = parse_expression(kSeed004);
  TraceOptions options;
  options.tangent_input = g.find_input("x1");
  const TraceBundle t = evaluate_and_trace(g, seed004_values(), options);

  const Evaluation ev = evaluate(g, seed004_values());
  const ReverseResult r = reverse(g, ev, g.output());
  EXPECT_NEAR(t.value(g.output()).item(), std::log(2.0) + 10 - std::sin(5.0), 1e-15);
  EXPECT_EQ(t.gradient(g, g.find_input("x1")).item(), 5.5);
  ASSERT_EQ(t.reverse.partials.size(), r.partials.size());
  const std::vector<ForwardStep> forward = forward_trace(g, ev);
  const std::vector<ReverseStep> backward = reverse_trace(g, ev, r);
  ASSERT_EQ(t.forward_rows.size(), forward.size());
  for (std::size_t i = 0; i < forward.size(); ++i) EXPECT_EQ(to_line(t.forward_rows[i]), to_line(forward[i]));
  ASSERT_EQ(t.reverse_rows.size(), backward.size());
  for (std::size_t i = 0; i < backward.size(); ++i) EXPECT_EQ(to_line(t.reverse_rows[i]), to_line(backward[i]));
  ASSERT_TRUE(t.tangent.has_value());
  EXPECT_EQ((*t.tangent)[g.output()].item(), 5.5) << "v̇7 = ∂y/∂x1";
  EXPECT_EQ(t.tangent_rows.back().value, "5.5");
  EXPECT_FALSE(t.non_finite.node.valid());
  EXPECT_FALSE(t.gradcheck.has_value()) << "not asked for";
}

TEST(EvaluateAndTrace, NumbersOnlyWithoutTraces) {
  const Graph g = parse_expression(kSeed004);
  TraceOptions options;
  options.traces = false;
  options.gradcheck = true;
  const TraceBundle t = evaluate_and_trace(g, seed004_values(), options);
  EXPECT_TRUE(t.forward_rows.empty());
  EXPECT_TRUE(t.reverse_rows.empty());
  ASSERT_TRUE(t.gradcheck.has_value());
  EXPECT_TRUE(t.gradcheck->passed());
  EXPECT_EQ(t.gradcheck->inputs.size(), 2u);
}

TEST(EvaluateAndTrace, InteractiveGradcheckOnlyForFiniteGraphsOfTeachingSize) {
  const TraceOptions lesson = TraceOptions::interactive();
  const Graph g = parse_expression(kSeed004);
  EXPECT_TRUE(evaluate_and_trace(g, seed004_values(), lesson).gradcheck.has_value());

  // A NaN: the first non-finite value is found once, named in the forward row, and the check is
  // skipped (it would only repeat the NaN); `check` asks for it anyway.
  const Graph nan = parse_expression("y = ln(x) * 2");
  const TraceBundle t = evaluate_and_trace(nan, {{"x", TensorD::scalar(-1)}}, lesson);
  ASSERT_TRUE(t.non_finite.node.valid());
  EXPECT_EQ(t.forward_rows[1].problem, t.non_finite.reason);
  EXPECT_FALSE(t.gradcheck.has_value());
  TraceOptions always = lesson;
  always.gradcheck_when_non_finite = true;
  ASSERT_TRUE(evaluate_and_trace(nan, {{"x", TensorD::scalar(-1)}}, always).gradcheck.has_value());

  // More input elements than a class would step through.
  const Graph big = parse_expression("sum(X * X)", {{"X", Shape{80, 80}}});
  EXPECT_FALSE(evaluate_and_trace(big, {{"X", TensorD(Shape{80, 80}, 0.5)}}, lesson).gradcheck.has_value());
}

TEST(EvaluateAndTrace, TangentCanBeReplacedAlone) {
  const Graph g = parse_expression(kSeed004);
  TraceBundle t = evaluate_and_trace(g, seed004_values());
  EXPECT_FALSE(t.tangent.has_value());
  const std::size_t reverse_rows = t.reverse_rows.size();
  trace_tangent(g, g.find_input("x2"), true, &t);
  ASSERT_TRUE(t.tangent.has_value());
  EXPECT_NEAR((*t.tangent)[g.output()].item(), 2 - std::cos(5.0), 1e-15);
  EXPECT_EQ(t.tangent_rows.size(), 7u);
  EXPECT_EQ(t.reverse_rows.size(), reverse_rows);
}

TEST(EvaluateAndTrace, ReusedBundleHoldsOnlyTheNewGraph) {
  TraceBundle t;
  const Graph a = parse_expression(kSeed004);
  TraceOptions options;
  options.tangent_input = a.find_input("x1");
  options.gradcheck = true;
  evaluate_and_trace_into(a, seed004_values(), options, &t);
  const Graph b = parse_expression("y = x * 3");
  evaluate_and_trace_into(b, {{"x", TensorD::scalar(2)}}, TraceOptions{}, &t);
  EXPECT_EQ(t.value(b.output()).item(), 6);
  EXPECT_EQ(t.forward_rows.size(), 2u);
  EXPECT_FALSE(t.tangent.has_value());
  EXPECT_FALSE(t.gradcheck.has_value());
  // An input the output does not depend on has a zero gradient of its shape.
  const Graph c = parse_expression("h = b * 2; y = a + 1");
  const TraceBundle u = evaluate_and_trace(c, {{"a", TensorD::scalar(1)}, {"b", TensorD::scalar(1)}});
  EXPECT_EQ(u.gradient(c, c.find_input("b")).item(), 0.0);
}

}  // namespace
}  // namespace gs
