// Tests of gradient checking (src/engine/gradcheck.h) beyond the passes the other suites rely on:
// how a failure is reported.
#include "engine/gradcheck.h"
#include "engine/parse.h"

#include <gtest/gtest.h>

#include <cmath>

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

}  // namespace
}  // namespace gs
