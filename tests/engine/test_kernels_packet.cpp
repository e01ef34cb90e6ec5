// The float training activations on whole SIMD registers (kernels_packet.h through
// kernels::unary_forward/backward): within a few ulp of the exact function (0 for a subnormal), the same value for an
// input wherever it sits in a tensor (the last partial register included), NaN and infinities as
// torch gives them.
#include "engine/kernels.h"
#include "engine/op.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace gs {
namespace {

TensorF from(const std::vector<float>& v) {
  TensorF t(Shape{static_cast<Index>(v.size())});
  for (std::size_t i = 0; i < v.size(); ++i) t[static_cast<Index>(i)] = v[i];
  return t;
}

std::vector<float> inputs() {
  std::vector<float> v;
  for (int i = -400; i <= 400; ++i) v.push_back(static_cast<float>(i) * 0.0371f);
  for (float x : {0.0f, -0.0f, 1e-30f, -1e-7f, 3e-4f, 9.5f, -12.0f, 30.0f, -88.0f, 100.0f}) v.push_back(x);
  return v;
}

double exact(Op op, double x) {
  if (op == Op::Tanh) return std::tanh(x);
  if (op == Op::Sigmoid) return 1.0 / (1.0 + std::exp(-x));
  return x > 0 ? x : 0.0;
}

TEST(PacketKernels, ActivationsWithinAFewUlpOfTheExactFunction) {
  const std::vector<float> xs = inputs();
  for (Op op : {Op::Tanh, Op::Sigmoid, Op::Relu}) {
    TensorF y;
    kernels::unary_forward(op, from(xs), y);
    for (std::size_t i = 0; i < xs.size(); ++i) {
      const double want = exact(op, xs[i]);
      const double ulp = std::nextafter(static_cast<float>(std::abs(want)), INFINITY) - static_cast<float>(std::abs(want));
      // Below the smallest normal float a result may flush to 0 (Eigen's exp does not make subnormals).
      EXPECT_LE(std::abs(y[static_cast<Index>(i)] - want), 4 * ulp + std::numeric_limits<float>::min())
          << op_def(op).name << "(" << xs[i] << ") = " << y[static_cast<Index>(i)] << ", exact " << want;
    }
  }
}

// An input gives the same bits at any index: in a full register or in the last, partial one.
TEST(PacketKernels, ValueDoesNotDependOnThePlaceInTheTensor) {
  const std::vector<float> xs = inputs();
  for (Op op : {Op::Tanh, Op::Sigmoid, Op::Relu}) {
    TensorF whole, g, gx_whole;
    kernels::unary_forward(op, from(xs), whole);
    TensorF ones(Shape{static_cast<Index>(xs.size())}, 1.0f);
    kernels::unary_backward(op, from(xs), whole, ones, gx_whole);
    for (std::size_t start : {1u, 3u, 17u}) {
      for (std::size_t len : {1u, 5u, 15u, 16u, 33u}) {
        std::vector<float> part(xs.begin() + static_cast<std::ptrdiff_t>(start),
                                xs.begin() + static_cast<std::ptrdiff_t>(start + len));
        TensorF y, gx;
        kernels::unary_forward(op, from(part), y);
        kernels::unary_backward(op, from(part), y, TensorF(Shape{static_cast<Index>(len)}, 1.0f), gx);
        for (std::size_t k = 0; k < len; ++k) {
          ASSERT_EQ(y[static_cast<Index>(k)], whole[static_cast<Index>(start + k)]) << op_def(op).name << " at " << k;
          ASSERT_EQ(gx[static_cast<Index>(k)], gx_whole[static_cast<Index>(start + k)]) << op_def(op).name;
        }
      }
    }
  }
}

TEST(PacketKernels, NanAndInfinitiesAsTorch) {
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  TensorF y;
  kernels::unary_forward(Op::Tanh, from({inf, -inf, nan}), y);
  EXPECT_EQ(y[0], 1.0f);
  EXPECT_EQ(y[1], -1.0f);
  EXPECT_TRUE(std::isnan(y[2]));
  kernels::unary_forward(Op::Sigmoid, from({inf, -inf, nan}), y);
  EXPECT_EQ(y[0], 1.0f);
  EXPECT_EQ(y[1], 0.0f);
  EXPECT_TRUE(std::isnan(y[2]));
  kernels::unary_forward(Op::Relu, from({inf, -inf, nan, -0.0f}), y);
  EXPECT_EQ(y[0], inf);
  EXPECT_EQ(y[1], 0.0f);
  EXPECT_TRUE(std::isnan(y[2]));
  EXPECT_EQ(y[3], 0.0f);
  // The backward: tanh' = 1 − y², relu'(0) = 0, in float.
  TensorF x = from({0.5f, 0.0f}), gx;
  kernels::unary_forward(Op::Tanh, x, y);
  kernels::unary_backward(Op::Tanh, x, y, from({2.0f, 3.0f}), gx);
  EXPECT_EQ(gx[0], 2.0f * (1.0f - y[0] * y[0]));
  EXPECT_EQ(gx[1], 3.0f);
  kernels::unary_backward(Op::Relu, x, x, from({2.0f, 3.0f}), gx);
  EXPECT_EQ(gx[0], 2.0f);
  EXPECT_EQ(gx[1], 0.0f);
}

}  // namespace
}  // namespace gs
