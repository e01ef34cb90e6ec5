// The float training activations on whole SIMD registers (kernels_packet.h through
// kernels::unary_forward/backward): within 3 ulp of the exact function (subnormal results too), the
// same value for an input wherever it sits in a tensor (the last partial register included), the
// same bits whatever the instruction set and the compiler, NaN and infinities as torch gives them.
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
      EXPECT_LE(std::abs(y[static_cast<Index>(i)] - want), 3 * ulp)
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

// The values and partial adjoints of tanh and σ, bit for bit, as GCC 12 -O3 on AVX-512 computes them;
// scripts/test-asan checks the same table with clang 14 -O0 for x86-64-v2 (SSE4.2, four lanes, no
// FMA), the instruction set of the Debian package. Eigen's pexp and ptanh gave other bits there
// (tanh(7.9394) = 1, σ(−∞) = 2.9e-39), so a training curve depended on the CPU it was built for.
TEST(PacketKernels, SameBitsOnEveryInstructionSetAndCompiler) {
  struct Expected {
    float x, tanh, sigmoid, tanh_partial, sigmoid_partial;  // partials for an adjoint of 1.5
  };
  const Expected table[] = {
      {-0x1.9p+6, -0x1p+0, 0x1.bp-145, 0x0p+0, 0x1.4p-144},                             // -100
      {-0x1.6p+6, -0x1p+0, 0x1.07b71p-127, 0x0p+0, 0x1.8b9298p-127},                     // -88
      {-0x1.4p+4, -0x1p+0, 0x1.1b4866p-29, 0x0p+0, 0x1.a8ec98p-29},                      // -20
      {-0x1.fc1f22p+2, -0x1.fffff8p-1, 0x1.7599b8p-12, 0x1.8p-21, 0x1.1819bcp-11},       // -7.9394
      {-0x1.36289p+2, -0x1.ffefdp-1, 0x1.fef72p-8, 0x1.848p-12, 0x1.7c3c72p-7},          // -4.84622574
      {-0x1p+0, -0x1.85efacp-1, 0x1.136562p-2, 0x1.428a5p-1, 0x1.2dfef6p-2},             // -1
      {-0x1.333334p-2, -0x1.2a4ddcp-2, 0x1.b3c556p-2, 0x1.5f69ap+0, 0x1.777ceap-2},      // -0.3
      {0x1.4484cp-100, 0x1.4484cp-100, 0x1p-1, 0x1.8p+0, 0x1.8p-2},                     // 1e-30
      {0x1.4cc96ap-1, 0x1.24afa8p-1, 0x1.5062eap-1, 0x1.02838ep+0, 0x1.5a230cp-2},       // 0.649974167
      {0x1.666666p-1, 0x1.356fb2p-1, 0x1.561cb4p-1, 0x1.e77aep-1, 0x1.548d0ep-2},        // 0.7
      {0x1.8p+1, 0x1.fd77d2p-1, 0x1.e7b7ccp-1, 0x1.e4efp-7, 0x1.1590bcp-4},              // 3
      {0x1.fc1f22p+2, 0x1.fffff8p-1, 0x1.ffd14cp-1, 0x1.8p-21, 0x1.181e7p-11},           // 7.9394
      {0x1.20a3d8p+3, 0x1p+0, 0x1.fff024p-1, 0x0p+0, 0x1.7c9436p-13},                    // 9.02
      {0x1.4p+4, 0x1p+0, 0x1p+0, 0x0p+0, 0x0p+0},                                        // 20
  };
  std::vector<float> xs;
  for (const Expected& e : table) xs.push_back(e.x);
  const TensorF x = from(xs), adjoint(Shape{static_cast<Index>(xs.size())}, 1.5f);
  TensorF t, s, gt, gs;
  kernels::unary_forward(Op::Tanh, x, t);
  kernels::unary_forward(Op::Sigmoid, x, s);
  kernels::unary_backward(Op::Tanh, x, t, adjoint, gt);
  kernels::unary_backward(Op::Sigmoid, x, s, adjoint, gs);
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const Index k = static_cast<Index>(i);
    EXPECT_EQ(t[k], table[i].tanh) << "tanh(" << xs[i] << ")";
    EXPECT_EQ(s[k], table[i].sigmoid) << "sigmoid(" << xs[i] << ")";
    EXPECT_EQ(gt[k], table[i].tanh_partial) << "tanh'(" << xs[i] << ")";
    EXPECT_EQ(gs[k], table[i].sigmoid_partial) << "sigmoid'(" << xs[i] << ")";
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
