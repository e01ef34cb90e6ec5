// Tests of gradient checking (src/engine/gradcheck.h) beyond the passes the other suites rely on:
// how a failure is reported; second derivatives (SecondOrder, gradgradcheck) and their checks.
#include "engine/gradcheck.h"
#include "engine/parse.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

namespace gs {
namespace {

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

// The numeric side is ∂f/∂θ itself, element by element: for f = (x + y)·z at x = −2, y = 10,
// z = 2 it is ∂f/∂x = z = 2, ∂f/∂y = 2, ∂f/∂z = x + y = 8, never a derivative along a random
// direction (which read "numeric −8 vs analytic −8" beside the adjoint z̄ = 8).
TEST(Gradcheck, NumericIsTheGradientElementByElement) {
  Graph g = parse_expression("(x + y) * z");
  const GradcheckReport r = gradcheck(g, {{"x", TensorD::scalar(-2.0)}, {"y", TensorD::scalar(10.0)}, {"z", TensorD::scalar(2.0)}});
  ASSERT_EQ(r.inputs.size(), 3u);
  const std::map<std::string, double> expected{{"x", 2.0}, {"y", 2.0}, {"z", 8.0}};
  for (const InputCheck& c : r.inputs) {
    ASSERT_EQ(c.numeric.size(), 1u) << c.input;
    EXPECT_NEAR(c.numeric[0], expected.at(c.input), 1e-6) << c.input;
    EXPECT_TRUE(c.passed) << c.input;
  }
  Graph m = parse_expression("sum(W * W)", {{"W", Shape{2, 2}}});
  const GradcheckReport rm = gradcheck(m, {{"W", TensorD::from(Shape{2, 2}, {1, -2, 3, 0.5})}});
  ASSERT_EQ(rm.inputs.size(), 1u);
  ASSERT_EQ(rm.inputs[0].numeric.size(), 4u);
  const double want[] = {2, -4, 6, 1};
  for (std::size_t k = 0; k < 4; ++k) EXPECT_NEAR(rm.inputs[0].numeric[k], want[k], 1e-6) << "element " << k;
  GradcheckOptions directional_only;
  directional_only.elementwise = false;
  EXPECT_EQ(gradcheck(g, {{"x", TensorD::scalar(-2.0)}, {"y", TensorD::scalar(10.0)}, {"z", TensorD::scalar(2.0)}}, directional_only)
                .inputs[0].numeric.size(), 0u);
}

Bindings seed004_point() { return {{"x1", TensorD::scalar(2.0)}, {"x2", TensorD::scalar(5.0)}}; }

TEST(SecondOrder, Seed004HessianIsTheTextbooks) {
  const Graph g = parse_expression("ln(x1) + x1*x2 - sin(x2)");
  const SecondOrder second(g);
  EXPECT_EQ(second.elements(), 2);
  EXPECT_EQ(second.hessian_labels(), (std::vector<std::string>{"x1", "x2"}));
  const TensorD h = second.hessian(seed004_point());
  ASSERT_EQ(h.shape(), (Shape{2, 2}));
  EXPECT_NEAR(h[0], -0.25, 1e-15);  // −1/x1²
  EXPECT_EQ(h[1], 1.0);
  EXPECT_EQ(h[2], 1.0);
  EXPECT_NEAR(h[3], std::sin(5.0), 1e-15);
}

TEST(SecondOrder, ElementsAreLabelledRowMajorAndUnusedInputsGiveZeros) {
  const Graph g = parse_expression("sum(W^3)*c + 0*u", {{"W", Shape{2, 2}}, {"c", Shape{}}, {"u", Shape{}}});
  const SecondOrder second(g);
  EXPECT_EQ(second.hessian_labels(), (std::vector<std::string>{"W[0,0]", "W[0,1]", "W[1,0]", "W[1,1]", "c", "u"}));
  const Bindings b{{"W", TensorD::from(Shape{2, 2}, {1, 2, 3, 4})}, {"c", TensorD::scalar(0.5)}, {"u", TensorD::scalar(7)}};
  const TensorD h = second.hessian(b);
  // ∂²/∂W² = 6·W·c on the diagonal, ∂²/∂W∂c = 3W², nothing for u.
  EXPECT_EQ(h[3 * 6 + 3], 6 * 4 * 0.5);
  EXPECT_EQ(h[1 * 6 + 4], 3 * 2 * 2);
  EXPECT_EQ(h[4 * 6 + 1], 3 * 2 * 2);
  for (Index k = 0; k < 6; ++k) EXPECT_EQ(h[5 * 6 + k], 0.0);
}

TEST(SecondOrder, DirectionsAreCheckedByName) {
  const Graph g = parse_expression("ln(x1) + x1*x2 - sin(x2)");
  const SecondOrder second(g);
  auto message = [&](const Bindings& v) {
    try {
      second.hvp(seed004_point(), v);
    } catch (const BindingError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message({{"x1", TensorD::scalar(1)}}), "missing direction for input 'x2'");
  EXPECT_EQ(message({{"x1", TensorD::scalar(1)}, {"x2", TensorD(Shape{2})}}), "the direction for input 'x2' is [2], the input is scalar");
  EXPECT_EQ(message({{"x1", TensorD::scalar(1)}, {"x2", TensorD::scalar(1)}, {"z", TensorD::scalar(1)}}),
            "direction for 'z', which is not an input");
}

TEST(Gradgradcheck, PassesOnCorrectSecondDerivativesOfEveryShape) {
  const Graph g = parse_expression("sum(tanh(X @ W)) * c", {{"X", Shape{2, 3}}, {"W", Shape{3, 2}}, {"c", Shape{}}});
  Bindings b{{"X", TensorD::from(Shape{2, 3}, {0.5, -1, 0.25, 2, 0.1, -0.3})},
             {"W", TensorD::from(Shape{3, 2}, {0.3, -0.7, 1.2, 0.4, -0.5, 0.9})},
             {"c", TensorD::scalar(1.5)}};
  const GradcheckReport r = gradgradcheck(g, b);
  ASSERT_EQ(r.inputs.size(), 3u);
  for (const InputCheck& c : r.inputs) {
    EXPECT_TRUE(c.passed) << c.input << ": relative error " << c.relative_error;
    EXPECT_NEAR(c.directional_analytic, c.directional_numeric, 1e-6) << c.input;
  }
  // Linear in c: its curvature along any δ is 0, while its mixed derivatives are not.
  EXPECT_NEAR(r.inputs[2].directional_analytic, 0.0, 1e-15);
}

TEST(Gradgradcheck, ReportsAWrongSecondDerivativeAndNan) {
  // Too coarse a step: the central difference of the gradient 3e^(3x) is 3e³·sinh(3ε)/ε, off
  // from 9e³ by about ε²/6·81e³.
  GradcheckOptions coarse;
  coarse.eps = 0.1;
  const Graph e = parse_expression("exp(3*x)");
  const GradcheckReport r = gradgradcheck(e, {{"x", TensorD::scalar(1.0)}}, coarse);
  ASSERT_EQ(r.inputs.size(), 1u);
  EXPECT_FALSE(r.inputs[0].passed);
  EXPECT_TRUE(r.inputs[0].finite);
  EXPECT_NEAR(r.inputs[0].directional_analytic, 9 * std::exp(3.0), 1e-10);
  EXPECT_NEAR(r.inputs[0].max_abs_error, 3 * std::exp(3.0) * (std::sinh(0.3) / 0.1 - 3), 1e-9);

  // sqrt at 0: the second derivative is not finite; the check says so and fails at element 0.
  const Graph s = parse_expression("sum(sqrt(x))", {{"x", Shape{3}}});
  const GradcheckReport n = gradgradcheck(s, {{"x", TensorD::from(Shape{3}, {0, 1, 4})}});
  EXPECT_FALSE(n.inputs[0].passed);
  EXPECT_FALSE(n.inputs[0].finite);
  EXPECT_EQ(n.inputs[0].worst_element, 0);
}

}  // namespace
}  // namespace gs
