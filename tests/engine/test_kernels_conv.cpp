// Tests of the convolution, pooling and padding kernels (src/engine/kernels_conv.h): against
// straightforward nested loops written here, against finite differences, against PyTorch's values
// (fixtures/conv_golden.json, made by fixtures/make_conv_golden.py), and for bad shapes.
// Depends on the kernels, GoogleTest and nlohmann-json only; no timing.
#include "engine/kernels_conv.h"

#include <Eigen/Core>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <functional>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace gs::kernels {
namespace {

// [SECTION] helpers: random tensors, comparison with the place of the largest difference

template <class T = double>
Tensor<T> random_tensor(const Shape& shape, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  Tensor<T> t(shape);
  for (T& v : t) v = static_cast<T>(dist(rng));
  return t;
}

std::string index_string(const Shape& shape, Index flat) {
  std::vector<Index> idx(static_cast<std::size_t>(shape.rank()));
  for (int a = shape.rank() - 1; a >= 0; --a) {
    idx[static_cast<std::size_t>(a)] = flat % shape[a];
    flat /= shape[a];
  }
  std::ostringstream out;
  out << "[";
  for (std::size_t a = 0; a < idx.size(); ++a) out << (a ? "," : "") << idx[a];
  out << "]";
  return out.str();
}

// Passes when max|actual − expected| ≤ tol · max(1, max|expected|); otherwise names the largest
// difference and where it is.
template <class A, class B>
::testing::AssertionResult all_close(const Tensor<A>& actual, const Tensor<B>& expected, double tol) {
  if (actual.shape() != expected.shape())
    return ::testing::AssertionFailure() << "shape " << actual.shape().to_string() << " != expected "
                                         << expected.shape().to_string();
  double worst = -1, scale = 1;
  Index at = 0;
  for (Index i = 0; i < expected.size(); ++i) scale = std::max(scale, std::abs(double(expected[i])));
  for (Index i = 0; i < expected.size(); ++i) {
    const double a = actual[i], e = expected[i];
    const double d = (std::isnan(a) || std::isnan(e)) ? (std::isnan(a) && std::isnan(e) ? 0.0 : INFINITY) : std::abs(a - e);
    if (d > worst) {
      worst = d;
      at = i;
    }
  }
  if (worst <= tol * scale) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "largest difference " << worst << " (tolerance " << tol * scale << ") at "
                                       << index_string(expected.shape(), at) << ": got " << double(actual[at])
                                       << ", expected " << double(expected[at]);
}

double dot(const TensorD& a, const TensorD& b) {
  double s = 0;
  for (Index i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

// Checks `analytic` (dL/dθ) against central differences of L(θ) = loss(), θ perturbed in place.
::testing::AssertionResult matches_finite_differences(TensorD& theta, const TensorD& analytic,
                                                      const std::function<double()>& loss) {
  constexpr double kEps = 1e-6;
  TensorD numeric(theta.shape());
  for (Index i = 0; i < theta.size(); ++i) {
    const double saved = theta[i];
    theta[i] = saved + kEps;
    const double up = loss();
    theta[i] = saved - kEps;
    const double down = loss();
    theta[i] = saved;
    numeric[i] = (up - down) / (2 * kEps);
  }
  return all_close(analytic, numeric, 1e-6);
}

// [SECTION] reference loops: the textbook definitions, one multiply-add at a time

struct ConvCase {
  Index n, c, h, w, f, kh, kw;
  int stride, pad;
  Shape x() const { return Shape{n, c, h, w}; }
  Shape wt() const { return Shape{f, c, kh, kw}; }
  Index oh() const { return (h + 2 * pad - kh) / stride + 1; }
  Index ow() const { return (w + 2 * pad - kw) / stride + 1; }
  Shape y() const { return Shape{n, f, oh(), ow()}; }
  std::string name() const {
    return "x" + x().to_string() + " w" + wt().to_string() + " stride " + std::to_string(stride) + " pad " +
           std::to_string(pad);
  }
};

// Calls visit(n, f, oy, ox, c, i, j, iy, ix) for every product of the convolution that touches
// the image (taps on the zero padding contribute nothing).
template <class Visit>
void for_each_tap(const ConvCase& k, const Visit& visit) {
  for (Index n = 0; n < k.n; ++n)
    for (Index f = 0; f < k.f; ++f)
      for (Index oy = 0; oy < k.oh(); ++oy)
        for (Index ox = 0; ox < k.ow(); ++ox)
          for (Index c = 0; c < k.c; ++c)
            for (Index i = 0; i < k.kh; ++i)
              for (Index j = 0; j < k.kw; ++j) {
                const Index iy = oy * k.stride - k.pad + i, ix = ox * k.stride - k.pad + j;
                if (iy >= 0 && iy < k.h && ix >= 0 && ix < k.w) visit(n, f, oy, ox, c, i, j, iy, ix);
              }
}

TensorD loop_conv(const ConvCase& k, const TensorD& x, const TensorD& w, const TensorD* b) {
  TensorD y(k.y());
  for (Index n = 0; n < k.n; ++n)
    for (Index f = 0; f < k.f; ++f)
      for (Index oy = 0; oy < k.oh(); ++oy)
        for (Index ox = 0; ox < k.ow(); ++ox) y.at({n, f, oy, ox}) = b ? (*b)[f] : 0.0;
  for_each_tap(k, [&](Index n, Index f, Index oy, Index ox, Index c, Index i, Index j, Index iy, Index ix) {
    y.at({n, f, oy, ox}) += w.at({f, c, i, j}) * x.at({n, c, iy, ix});
  });
  return y;
}

TensorD loop_conv_grad_input(const ConvCase& k, const TensorD& gy, const TensorD& w) {
  TensorD gx(k.x());
  for_each_tap(k, [&](Index n, Index f, Index oy, Index ox, Index c, Index i, Index j, Index iy, Index ix) {
    gx.at({n, c, iy, ix}) += w.at({f, c, i, j}) * gy.at({n, f, oy, ox});
  });
  return gx;
}

TensorD loop_conv_grad_weight(const ConvCase& k, const TensorD& x, const TensorD& gy) {
  TensorD gw(k.wt());
  for_each_tap(k, [&](Index n, Index f, Index oy, Index ox, Index c, Index i, Index j, Index iy, Index ix) {
    gw.at({f, c, i, j}) += x.at({n, c, iy, ix}) * gy.at({n, f, oy, ox});
  });
  return gw;
}

TensorD loop_conv_grad_bias(const TensorD& gy) {
  TensorD gb(Shape{gy.dim(1)});
  for (Index n = 0; n < gy.dim(0); ++n)
    for (Index f = 0; f < gy.dim(1); ++f)
      for (Index oy = 0; oy < gy.dim(2); ++oy)
        for (Index ox = 0; ox < gy.dim(3); ++ox) gb[f] += gy.at({n, f, oy, ox});
  return gb;
}

// Max pooling by the letter of PyTorch's rule: scan the window in row-major order, a later value
// wins if it is larger or NaN. Returns y and the (n, c, iy, ix) flat index of each winner.
std::pair<TensorD, std::vector<Index>> loop_maxpool(const TensorD& x, Index k, Index s) {
  const Index oh = (x.dim(2) - k) / s + 1, ow = (x.dim(3) - k) / s + 1;
  TensorD y(Shape{x.dim(0), x.dim(1), oh, ow});
  std::vector<Index> where;
  for (Index n = 0; n < x.dim(0); ++n)
    for (Index c = 0; c < x.dim(1); ++c)
      for (Index oy = 0; oy < oh; ++oy)
        for (Index ox = 0; ox < ow; ++ox) {
          double best = -INFINITY;
          Index best_at = ((n * x.dim(1) + c) * x.dim(2) + oy * s) * x.dim(3) + ox * s;
          for (Index i = 0; i < k; ++i)
            for (Index j = 0; j < k; ++j) {
              const double v = x.at({n, c, oy * s + i, ox * s + j});
              if (v > best || std::isnan(v)) {
                best = v;
                best_at = ((n * x.dim(1) + c) * x.dim(2) + oy * s + i) * x.dim(3) + ox * s + j;
              }
            }
          y.at({n, c, oy, ox}) = best;
          where.push_back(best_at);
        }
  return {y, where};
}

TensorD loop_avgpool(const TensorD& x, Index k, Index s) {
  const Index oh = (x.dim(2) - k) / s + 1, ow = (x.dim(3) - k) / s + 1;
  TensorD y(Shape{x.dim(0), x.dim(1), oh, ow});
  for (Index n = 0; n < x.dim(0); ++n)
    for (Index c = 0; c < x.dim(1); ++c)
      for (Index oy = 0; oy < oh; ++oy)
        for (Index ox = 0; ox < ow; ++ox) {
          double sum = 0;
          for (Index i = 0; i < k; ++i)
            for (Index j = 0; j < k; ++j) sum += x.at({n, c, oy * s + i, ox * s + j});
          y.at({n, c, oy, ox}) = sum / double(k * k);
        }
  return y;
}

TensorD loop_avgpool_grad(const Shape& xs, const TensorD& gy, Index k, Index s) {
  TensorD gx(xs);
  for (Index n = 0; n < gy.dim(0); ++n)
    for (Index c = 0; c < gy.dim(1); ++c)
      for (Index oy = 0; oy < gy.dim(2); ++oy)
        for (Index ox = 0; ox < gy.dim(3); ++ox)
          for (Index i = 0; i < k; ++i)
            for (Index j = 0; j < k; ++j) gx.at({n, c, oy * s + i, ox * s + j}) += gy.at({n, c, oy, ox}) / double(k * k);
  return gx;
}

// Shapes: stride 1 to 3, padding 0 to 2, non-square images and kernels, C, F, N above 1; small
// images (several per matrix product, with a partial last chunk) and large ones (one per product);
// at stride 1 more than 8 filters, computed eight at a time in lanes (11 and 20: a last group of 3
// and of 4), over grids that are not whole registers.
const std::vector<ConvCase> kConvCases = {
    {1, 1, 5, 5, 1, 3, 3, 1, 0},   {2, 3, 7, 6, 4, 3, 3, 1, 1},    {3, 2, 9, 11, 5, 3, 5, 2, 2},
    {2, 1, 28, 28, 6, 5, 5, 1, 2}, {2, 6, 14, 14, 16, 5, 5, 1, 0}, {1, 2, 8, 8, 3, 2, 2, 2, 0},
    {4, 3, 6, 5, 2, 1, 1, 1, 0},   {2, 2, 5, 7, 3, 4, 2, 3, 1},    {7, 2, 12, 12, 4, 3, 3, 1, 0},
    {3, 3, 20, 22, 2, 3, 3, 1, 1}, {2, 2, 3, 3, 2, 5, 5, 1, 2},    {2, 2, 6, 9, 3, 3, 3, 2, 1},
    {2, 3, 7, 6, 11, 3, 3, 1, 1},  {1, 2, 9, 10, 20, 3, 3, 1, 0},
};

// [SECTION] conv2d

TEST(Conv2d, KnownValues) {
  // x = 1..9 on a 3×3 grid, w = [[1, 0], [0, −1]]: each output is x[i][j] − x[i+1][j+1] = −4.
  TensorD x = TensorD::from(Shape{1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  TensorD w = TensorD::from(Shape{1, 1, 2, 2}, {1, 0, 0, -1});
  TensorD b = TensorD::from(Shape{1}, {0.5});
  TensorD y;
  conv2d_forward(x, w, &b, 1, 0, y);
  EXPECT_TRUE(all_close(y, TensorD(Shape{1, 1, 2, 2}, -3.5), 0));
  // With padding 1 the corners see one pixel each: y[0][0] = −x[0][0], y[3][3] = x[2][2].
  conv2d_forward(x, w, nullptr, 1, 1, y);
  ASSERT_EQ(y.shape(), (Shape{1, 1, 4, 4}));
  EXPECT_EQ(y.at({0, 0, 0, 0}), -1.0);
  EXPECT_EQ(y.at({0, 0, 3, 3}), 9.0);
  EXPECT_EQ(y.at({0, 0, 1, 1}), -4.0);
  // Stride 2 with padding 1: windows start at rows/columns −1 and 1, so three of the four
  // see one pixel only (−x[0][0], −x[0][2], −x[2][0]) and the last sees x[1][1] − x[2][2].
  conv2d_forward(x, w, nullptr, 2, 1, y);
  EXPECT_TRUE(all_close(y, TensorD::from(Shape{1, 1, 2, 2}, {-1, -3, -7, -4}), 0));
}

TEST(Conv2d, ForwardMatchesLoops) {
  for (const ConvCase& k : kConvCases) {
    SCOPED_TRACE(k.name());
    const TensorD x = random_tensor(k.x(), 1), w = random_tensor(k.wt(), 2), b = random_tensor(Shape{k.f}, 3);
    TensorD y;
    conv2d_forward(x, w, &b, k.stride, k.pad, y);
    EXPECT_TRUE(all_close(y, loop_conv(k, x, w, &b), 1e-13));
    conv2d_forward(x, w, nullptr, k.stride, k.pad, y);
    EXPECT_TRUE(all_close(y, loop_conv(k, x, w, nullptr), 1e-13));
  }
}

TEST(Conv2d, BackwardInputMatchesLoops) {
  for (const ConvCase& k : kConvCases) {
    SCOPED_TRACE(k.name());
    const TensorD gy = random_tensor(k.y(), 4), w = random_tensor(k.wt(), 2);
    TensorD gx;
    conv2d_backward_input(gy, w, k.x(), k.stride, k.pad, gx);
    EXPECT_TRUE(all_close(gx, loop_conv_grad_input(k, gy, w), 1e-13));
  }
}

TEST(Conv2d, BackwardWeightMatchesLoops) {
  for (const ConvCase& k : kConvCases) {
    SCOPED_TRACE(k.name());
    const TensorD x = random_tensor(k.x(), 1), gy = random_tensor(k.y(), 4);
    TensorD gw;
    conv2d_backward_weight(x, gy, k.wt(), k.stride, k.pad, gw);
    EXPECT_TRUE(all_close(gw, loop_conv_grad_weight(k, x, gy), 1e-13));
  }
}

TEST(Conv2d, BackwardBiasMatchesLoops) {
  for (const ConvCase& k : kConvCases) {
    SCOPED_TRACE(k.name());
    const TensorD gy = random_tensor(k.y(), 4);
    TensorD gb;
    conv2d_backward_bias(gy, gb);
    EXPECT_TRUE(all_close(gb, loop_conv_grad_bias(gy), 1e-13));
  }
}

TEST(Conv2d, FloatAgreesWithDouble) {
  for (const ConvCase& k : kConvCases) {
    SCOPED_TRACE(k.name());
    const TensorD x = random_tensor(k.x(), 1), w = random_tensor(k.wt(), 2), b = random_tensor(Shape{k.f}, 3);
    const TensorD gy = random_tensor(k.y(), 4);
    TensorD y, gx, gw, gb;
    TensorF yf, gxf, gwf, gbf;
    ConvWorkspace<float> wsf;
    conv2d_forward(x, w, &b, k.stride, k.pad, y);
    conv2d_backward_input(gy, w, k.x(), k.stride, k.pad, gx);
    conv2d_backward_weight(x, gy, k.wt(), k.stride, k.pad, gw);
    conv2d_backward_bias(gy, gb);
    const TensorF xf = x.cast<float>(), wf = w.cast<float>(), bf = b.cast<float>(), gyf = gy.cast<float>();
    conv2d_forward(xf, wf, &bf, k.stride, k.pad, yf, &wsf);
    conv2d_backward_input(gyf, wf, k.x(), k.stride, k.pad, gxf, &wsf);
    conv2d_backward_weight(xf, gyf, k.wt(), k.stride, k.pad, gwf, &wsf);
    conv2d_backward_bias(gyf, gbf);
    // Sums of up to a few thousand products of values in [−1, 1]: float keeps ~1e-5 of the scale.
    EXPECT_TRUE(all_close(yf, y, 1e-5));
    EXPECT_TRUE(all_close(gxf, gx, 1e-5));
    EXPECT_TRUE(all_close(gwf, gw, 1e-5));
    EXPECT_TRUE(all_close(gbf, gb, 1e-5));
  }
}

TEST(Conv2d, GradientsMatchFiniteDifferences) {
  // L = Σ R ∘ conv2d(x, w) + b; its gradients are the three backward rules applied to dY = R.
  for (const ConvCase& k : {kConvCases[1], kConvCases[2], kConvCases[7], kConvCases[11]}) {
    SCOPED_TRACE(k.name());
    TensorD x = random_tensor(k.x(), 1), w = random_tensor(k.wt(), 2), b = random_tensor(Shape{k.f}, 3);
    const TensorD r = random_tensor(k.y(), 5);
    TensorD y, gx, gw, gb;
    const auto loss = [&] {
      conv2d_forward(x, w, &b, k.stride, k.pad, y);
      return dot(r, y);
    };
    conv2d_backward_input(r, w, k.x(), k.stride, k.pad, gx);
    conv2d_backward_weight(x, r, k.wt(), k.stride, k.pad, gw);
    conv2d_backward_bias(r, gb);
    EXPECT_TRUE(matches_finite_differences(x, gx, loss)) << "dL/dx";
    EXPECT_TRUE(matches_finite_differences(w, gw, loss)) << "dL/dw";
    EXPECT_TRUE(matches_finite_differences(b, gb, loss)) << "dL/db";
  }
}

TEST(Conv2d, BackwardRulesAreAdjoints) {
  // conv2d is linear in x and in w: <conv(x, w), g> = <x, dX(g, w)> = <w, dW(x, g)>.
  for (const ConvCase& k : kConvCases) {
    SCOPED_TRACE(k.name());
    const TensorD x = random_tensor(k.x(), 1), w = random_tensor(k.wt(), 2), g = random_tensor(k.y(), 6);
    TensorD y, gx, gw;
    conv2d_forward(x, w, nullptr, k.stride, k.pad, y);
    conv2d_backward_input(g, w, k.x(), k.stride, k.pad, gx);
    conv2d_backward_weight(x, g, k.wt(), k.stride, k.pad, gw);
    const double lhs = dot(y, g);
    EXPECT_NEAR(lhs, dot(x, gx), 1e-12 * (1 + std::abs(lhs)));
    EXPECT_NEAR(lhs, dot(w, gw), 1e-12 * (1 + std::abs(lhs)));
  }
}

TEST(Conv2d, WorkspaceIsReusedWithoutReallocation) {
  // One workspace across shapes gives the same numbers as none; a repeated shape keeps buffers.
  ConvWorkspace<double> ws;
  for (const ConvCase& k : kConvCases) {
    SCOPED_TRACE(k.name());
    const TensorD x = random_tensor(k.x(), 1), w = random_tensor(k.wt(), 2), gy = random_tensor(k.y(), 4);
    TensorD y_fresh, y, gx_fresh, gx, gw_fresh, gw;
    conv2d_forward(x, w, nullptr, k.stride, k.pad, y_fresh);
    conv2d_backward_input(gy, w, k.x(), k.stride, k.pad, gx_fresh);
    conv2d_backward_weight(x, gy, k.wt(), k.stride, k.pad, gw_fresh);
    for (int round = 0; round < 2; ++round) {
      conv2d_forward(x, w, nullptr, k.stride, k.pad, y, &ws);
      conv2d_backward_input(gy, w, k.x(), k.stride, k.pad, gx, &ws);
      conv2d_backward_weight(x, gy, k.wt(), k.stride, k.pad, gw, &ws);
    }
    // The same bits: no result depends on where the allocator put a buffer.
    EXPECT_TRUE(all_close(y, y_fresh, 0));
    EXPECT_TRUE(all_close(gx, gx_fresh, 0));
    EXPECT_TRUE(all_close(gw, gw_fresh, 0));
  }
  const ConvCase& k = kConvCases[3];
  const TensorD x = random_tensor(k.x(), 1), w = random_tensor(k.wt(), 2);
  TensorD y;
  conv2d_forward(x, w, nullptr, k.stride, k.pad, y, &ws);
  const double* columns = ws.columns.data();
  const double* scratch = ws.scratch.data();
  const double* out = y.data();
  conv2d_forward(x, w, nullptr, k.stride, k.pad, y, &ws);
  EXPECT_EQ(ws.columns.data(), columns);
  EXPECT_EQ(ws.scratch.data(), scratch);
  EXPECT_EQ(y.data(), out);
}

TEST(Conv2d, ABatchOfManyChunksMatchesLoops) {
  // 16 images of 10×10 outputs: several images per product, several parts of the batch.
  const ConvCase k{16, 6, 14, 14, 16, 5, 5, 1, 0};
  const TensorD x = random_tensor(k.x(), 1), w = random_tensor(k.wt(), 2), gy = random_tensor(k.y(), 4);
  TensorD y, gw;
  conv2d_forward(x, w, nullptr, 1, 0, y);
  conv2d_backward_weight(x, gy, k.wt(), 1, 0, gw);
  EXPECT_TRUE(all_close(gw, loop_conv_grad_weight(k, x, gy), 1e-13));
}

// A small dW (F·C·KH·KW ≤ 256) sums in vector lanes, image by image, in groups of 8 images.
// Exact in double against the loops, with row lengths that leave a scalar tail (P = 81, 100) and
// batches that end inside a group; in float, LeNet's first layer for one training part (32 images)
// keeps its error below 1e-8 of Σ|terms|. (On normal data, per weight: the per-image products
// the lanes replaced erred by 6.0e-9 of Σ|terms| at worst, 1.1e-9 on average; the lanes by 3.9e-9
// and 1.2e-9: as accurate; on the padded grid (no column matrix, 28 × 32 places) 4.8e-9 at worst.)
// Stride-1 layers of few filters sum on the padded grid, several images to a lane's running sum
// where an image's grid is short: 8 × 8 images, 8 to a chain, 1.2e-8 at worst (float's ε: 6e-8).
TEST(Conv2d, SmallWeightGradientsSumInLanesAsAccurately) {
  for (const ConvCase& k : {ConvCase{11, 2, 9, 9, 4, 3, 3, 1, 1}, ConvCase{17, 1, 14, 14, 6, 5, 5, 1, 0},
                            ConvCase{8, 3, 7, 7, 2, 3, 3, 2, 1}, ConvCase{1, 1, 5, 5, 1, 5, 5, 1, 0}}) {
    SCOPED_TRACE(k.name());
    ASSERT_LE(k.f * k.c * k.kh * k.kw, 256);
    const TensorD x = random_tensor(k.x(), 1), gy = random_tensor(k.y(), 4);
    TensorD gw;
    conv2d_backward_weight(x, gy, k.wt(), k.stride, k.pad, gw);
    EXPECT_TRUE(all_close(gw, loop_conv_grad_weight(k, x, gy), 1e-13));
  }
  // In float: LeNet's first layer (on the padded grid, one image a chain), and 8 × 8 images
  // (5 registers each: 8 images a chain).
  for (const auto& [k, bound] : {std::pair{ConvCase{32, 1, 28, 28, 6, 5, 5, 1, 2}, 1e-8},
                                 std::pair{ConvCase{37, 3, 8, 8, 6, 3, 3, 1, 1}, 3e-8}}) {
    SCOPED_TRACE(k.name());
    const TensorF x = random_tensor<float>(k.x(), 1), gy = random_tensor<float>(k.y(), 4);
    TensorF gw;
    ConvWorkspace<float> ws;
    conv2d_backward_weight(x, gy, k.wt(), k.stride, k.pad, gw, &ws);
    const TensorD xd = x.cast<double>(), gyd = gy.cast<double>();
    const TensorD exact = loop_conv_grad_weight(k, xd, gyd);
    TensorD scale(k.wt());
    for_each_tap(k, [&](Index n, Index f, Index oy, Index ox, Index c, Index i, Index j, Index iy, Index ix) {
      scale.at({f, c, i, j}) += std::abs(xd.at({n, c, iy, ix}) * gyd.at({n, f, oy, ox}));
    });
    double worst = 0;
    for (Index i = 0; i < gw.size(); ++i) worst = std::max(worst, std::abs(double(gw[i]) - exact[i]) / scale[i]);
    EXPECT_LT(worst, bound);
  }
}

// A layer of few filters (F ≤ 8: LeNet's first) is computed in vector lanes, the taps summed in
// order from zero and the bias added last, the chain Eigen's product used: exact in double
// against the loops (the cases above, with and without bias), and in float for one training part
// of LeNet's conv1 and conv2 within 1e-6 of Σ|terms| of each output. (On normal data, conv1:
// Eigen's product and the lanes both err by 1.05e-6 at worst and 6.25e-8 on average, absolute.)
TEST(Conv2d, FiltersInLanesKeepTheProductsAccuracy) {
  // LeNet's two layers: 6 filters at once, and 16 filters eight at a time.
  for (const ConvCase& k : {ConvCase{32, 1, 28, 28, 6, 5, 5, 1, 2}, ConvCase{32, 6, 14, 14, 16, 5, 5, 1, 0}}) {
    SCOPED_TRACE(k.name());
    const TensorF x = random_tensor<float>(k.x(), 1), w = random_tensor<float>(k.wt(), 2);
    const TensorF b = random_tensor<float>(Shape{k.f}, 3);
    TensorF y;
    ConvWorkspace<float> ws;
    conv2d_forward(x, w, &b, k.stride, k.pad, y, &ws);
    const TensorD xd = x.cast<double>(), wd = w.cast<double>(), bd = b.cast<double>();
    const TensorD exact = loop_conv(k, xd, wd, &bd);
    TensorD scale(k.y());
    for (Index n = 0; n < k.n; ++n)
      for (Index f = 0; f < k.f; ++f)
        for (Index q = 0; q < k.oh() * k.ow(); ++q) scale[(n * k.f + f) * k.oh() * k.ow() + q] = std::abs(bd[f]);
    for_each_tap(k, [&](Index n, Index f, Index oy, Index ox, Index c, Index i, Index j, Index iy, Index ix) {
      scale.at({n, f, oy, ox}) += std::abs(wd.at({f, c, i, j}) * xd.at({n, c, iy, ix}));
    });
    double worst = 0;
    for (Index i = 0; i < y.size(); ++i) worst = std::max(worst, std::abs(double(y[i]) - exact[i]) / scale[i]);
    EXPECT_LT(worst, 1e-6);
  }
}

// A copy of t that starts `offset` elements past a 64-byte boundary: tensors own aligned storage,
// but a kernel may be handed a view anywhere (a part's rows of a batch, a parameter in an arena).
template <class T>
Tensor<T> copy_at(const Tensor<T>& t, Index offset, std::vector<AlignedBuffer<T>>& storage) {
  storage.emplace_back(t.size() + offset);
  Tensor<T> v = Tensor<T>::view(storage.back().data() + offset, t.shape());
  std::copy(t.begin(), t.end(), v.begin());
  return v;
}

TEST(Conv2d, ResultsDoNotDependOnTensorAlignment) {
  // Training must give the same curve bit for bit, wherever a tensor's elements lie. Covers a
  // product small enough for Eigen's coefficient-wise path, LeNet's small dW path, a chunk, and
  // 11 filters in lanes; inputs and outputs at every float offset within a cache line.
  for (const ConvCase& k : {kConvCases[0], ConvCase{3, 1, 12, 12, 6, 5, 5, 1, 2}, kConvCases[8], kConvCases[12]}) {
    SCOPED_TRACE(k.name());
    const TensorF x0 = random_tensor<float>(k.x(), 1), w0 = random_tensor<float>(k.wt(), 2);
    const TensorF b0 = random_tensor<float>(Shape{k.f}, 3), gy0 = random_tensor<float>(k.y(), 4);
    TensorF y_ref, gx_ref, gw_ref, gb_ref;
    for (Index offset = 0; offset < 16; ++offset) {
      std::vector<AlignedBuffer<float>> storage;
      const TensorF x = copy_at(x0, offset, storage), w = copy_at(w0, 15 - offset, storage);
      const TensorF b = copy_at(b0, offset, storage), gy = copy_at(gy0, (offset + 5) % 16, storage);
      TensorF y = copy_at(TensorF(k.y()), (offset + 3) % 16, storage), gx = copy_at(TensorF(k.x()), offset, storage);
      TensorF gw = copy_at(TensorF(k.wt()), (offset + 7) % 16, storage), gb = copy_at(TensorF(Shape{k.f}), offset, storage);
      conv2d_forward(x, w, &b, k.stride, k.pad, y);
      conv2d_backward_input(gy, w, k.x(), k.stride, k.pad, gx);
      conv2d_backward_weight(x, gy, k.wt(), k.stride, k.pad, gw);
      conv2d_backward_bias(gy, gb);
      if (offset == 0) {
        y_ref = y;
        gx_ref = gx;
        gw_ref = gw;
        gb_ref = gb;
        continue;
      }
      SCOPED_TRACE("offset " + std::to_string(offset));
      EXPECT_TRUE(all_close(y, y_ref, 0));
      EXPECT_TRUE(all_close(gx, gx_ref, 0));
      EXPECT_TRUE(all_close(gw, gw_ref, 0));
      EXPECT_TRUE(all_close(gb, gb_ref, 0));
    }
  }
}

// Expects `call` to throw std::invalid_argument whose message contains every one of `parts`.
void expect_invalid(const std::function<void()>& call, std::initializer_list<std::string> parts) {
  try {
    call();
    ADD_FAILURE() << "no exception";
  } catch (const std::invalid_argument& e) {
    for (const std::string& part : parts) EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

TEST(Conv2d, InvalidShapesThrow) {
  const TensorD x = random_tensor(Shape{2, 3, 8, 8}, 1), w = random_tensor(Shape{4, 3, 3, 3}, 2);
  const TensorD w_bad = random_tensor(Shape{4, 2, 3, 3}, 2), b_bad(Shape{3}), flat(Shape{3, 8, 8});
  const TensorD big = random_tensor(Shape{4, 3, 9, 9}, 2);
  TensorD y, gx, gw, gb;
  expect_invalid([&] { conv2d_forward(x, w_bad, nullptr, 1, 0, y); }, {x.shape().to_string(), w_bad.shape().to_string()});
  expect_invalid([&] { conv2d_forward(x, w, &b_bad, 1, 0, y); }, {b_bad.shape().to_string(), w.shape().to_string()});
  expect_invalid([&] { conv2d_forward(flat, w, nullptr, 1, 0, y); }, {flat.shape().to_string()});
  expect_invalid([&] { conv2d_forward(x, big, nullptr, 1, 0, y); }, {x.shape().to_string(), big.shape().to_string()});
  expect_invalid([&] { conv2d_forward(x, w, nullptr, 0, 0, y); }, {"stride"});
  expect_invalid([&] { conv2d_forward(x, w, nullptr, 1, -1, y); }, {"padding"});
  const TensorD gy_bad(Shape{2, 4, 5, 6});
  expect_invalid([&] { conv2d_backward_input(gy_bad, w, x.shape(), 1, 0, gx); }, {"[2×4×5×6]", "[2×4×6×6]"});
  expect_invalid([&] { conv2d_backward_weight(x, gy_bad, w.shape(), 1, 0, gw); }, {"[2×4×5×6]", "[2×4×6×6]"});
  expect_invalid([&] { conv2d_backward_input(gy_bad, w_bad, x.shape(), 1, 0, gx); }, {w_bad.shape().to_string()});
  expect_invalid([&] { conv2d_backward_bias(flat, gb); }, {flat.shape().to_string()});
  TensorD self = x;
  expect_invalid([&] { conv2d_forward(self, w, nullptr, 1, 0, self); }, {"must not be one of the inputs"});
}

// [SECTION] max pooling

struct PoolCase {
  Index n, c, h, w;
  int kernel, stride;
  Shape x() const { return Shape{n, c, h, w}; }
};
const std::vector<PoolCase> kPoolCases = {
    {2, 3, 6, 6, 2, 2}, {1, 2, 7, 9, 2, 2}, {2, 1, 7, 9, 3, 2}, {1, 2, 5, 6, 2, 1}, {2, 2, 8, 5, 3, 3}, {1, 1, 4, 4, 4, 1},
};

TEST(MaxPool, ForwardMatchesLoops) {
  for (const PoolCase& k : kPoolCases) {
    SCOPED_TRACE(k.x().to_string() + " kernel " + std::to_string(k.kernel) + " stride " + std::to_string(k.stride));
    const TensorD x = random_tensor(k.x(), 7);
    const auto [expected, where] = loop_maxpool(x, k.kernel, k.stride);
    TensorD y;
    std::vector<Index> argmax;
    maxpool_forward(x, k.kernel, k.stride, y, &argmax);
    EXPECT_TRUE(all_close(y, expected, 0));
    EXPECT_EQ(argmax, where);
    TensorD y_plain;
    maxpool_forward(x, k.kernel, k.stride, y_plain);
    EXPECT_TRUE(all_close(y_plain, expected, 0));
  }
}

TEST(MaxPool, BackwardMatchesLoopsWithAndWithoutArgmax) {
  for (const PoolCase& k : kPoolCases) {
    SCOPED_TRACE(k.x().to_string() + " kernel " + std::to_string(k.kernel) + " stride " + std::to_string(k.stride));
    const TensorD x = random_tensor(k.x(), 7);
    const auto [y_loop, where] = loop_maxpool(x, k.kernel, k.stride);
    const TensorD gy = random_tensor(y_loop.shape(), 8);
    TensorD expected(x.shape());
    for (Index o = 0; o < gy.size(); ++o) expected[where[static_cast<std::size_t>(o)]] += gy[o];
    TensorD y, gx_mask, gx_recomputed;
    std::vector<Index> argmax;
    maxpool_forward(x, k.kernel, k.stride, y, &argmax);
    maxpool_backward(x, gy, k.kernel, k.stride, gx_mask, &argmax);
    maxpool_backward(x, gy, k.kernel, k.stride, gx_recomputed);
    EXPECT_TRUE(all_close(gx_mask, expected, 0));
    EXPECT_TRUE(all_close(gx_recomputed, expected, 0));
  }
}

TEST(MaxPool, TiesGoToTheFirstMaximum) {
  // Window order is row-major: in [[5, 5], [1, 5]] the top-left 5 wins, as in PyTorch.
  const TensorD x = TensorD::from(Shape{1, 1, 2, 4}, {5, 5, 7, 2, 1, 5, 7, 7});
  TensorD y, gx;
  std::vector<Index> argmax;
  maxpool_forward(x, 2, 2, y, &argmax);
  EXPECT_EQ(argmax, (std::vector<Index>{0, 2}));
  maxpool_backward(x, TensorD::from(Shape{1, 1, 1, 2}, {1, 2}), 2, 2, gx);
  EXPECT_TRUE(all_close(gx, TensorD::from(Shape{1, 1, 2, 4}, {1, 0, 2, 0, 0, 0, 0, 0}), 0));
  // Equal -inf everywhere: still the first element, never an index outside the window.
  const double inf = std::numeric_limits<double>::infinity();
  maxpool_forward(TensorD(Shape{1, 1, 2, 2}, -inf), 2, 2, y, &argmax);
  EXPECT_EQ(argmax, (std::vector<Index>{0}));
  EXPECT_EQ(y[0], -inf);
}

TEST(MaxPool, NaNPropagatesAndTakesTheGradient) {
  // PyTorch 1.13: a NaN wins over any number; among several NaNs the last one in window order.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const TensorD x = TensorD::from(Shape{1, 1, 2, 6}, {1, nan, 9, 2, nan, 5, 3, nan, 1, 1, nan, 2});
  for (int generic = 0; generic < 2; ++generic) {
    // The 2×2/2 fast path and the generic window scan (here a 2×2 window with stride 4) must
    // follow the same rule.
    const int stride = generic ? 4 : 2;
    TensorD y, gx;
    std::vector<Index> argmax;
    maxpool_forward(x, 2, stride, y, &argmax);
    const auto [expected, where] = loop_maxpool(x, 2, stride);
    EXPECT_TRUE(all_close(y, expected, 0));
    EXPECT_EQ(argmax, where);
    EXPECT_TRUE(std::isnan(y[0]));
    EXPECT_EQ(argmax[0], 7);  // x[1][1], the second NaN of window 0
    maxpool_backward(x, TensorD(y.shape(), 1.0), 2, stride, gx);
    EXPECT_EQ(gx[7], 1.0);
    EXPECT_EQ(gx[1], 0.0);
  }
}

TEST(MaxPool, GradientMatchesFiniteDifferences) {
  // Distinct values (a shuffled ramp) keep every window's maximum unique within ±eps.
  for (const PoolCase& k : kPoolCases) {
    SCOPED_TRACE(k.x().to_string() + " kernel " + std::to_string(k.kernel) + " stride " + std::to_string(k.stride));
    TensorD x(k.x());
    std::vector<double> ramp(static_cast<std::size_t>(x.size()));
    for (std::size_t i = 0; i < ramp.size(); ++i) ramp[i] = 0.01 * double(i);
    std::shuffle(ramp.begin(), ramp.end(), std::mt19937(9));
    std::copy(ramp.begin(), ramp.end(), x.begin());
    TensorD y, gx;
    maxpool_forward(x, k.kernel, k.stride, y);
    const TensorD r = random_tensor(y.shape(), 10);
    maxpool_backward(x, r, k.kernel, k.stride, gx);
    EXPECT_TRUE(matches_finite_differences(x, gx, [&] {
      maxpool_forward(x, k.kernel, k.stride, y);
      return dot(r, y);
    }));
  }
}

TEST(MaxPool, LeNetsFirstPoolMatchesLoopsWithAndWithoutTheMask) {
  const TensorD x = random_tensor(Shape{64, 6, 28, 28}, 18), gy = random_tensor(Shape{64, 6, 14, 14}, 19);
  TensorD y, gx1, gx2;
  std::vector<Index> argmax;
  maxpool_forward(x, 2, 2, y, &argmax);
  maxpool_backward(x, gy, 2, 2, gx1, &argmax);
  maxpool_backward(x, gy, 2, 2, gx2);
  EXPECT_TRUE(all_close(gx2, gx1, 0));
  const auto [expected, where] = loop_maxpool(x, 2, 2);
  EXPECT_TRUE(all_close(y, expected, 0));
  EXPECT_EQ(argmax, where);
}

TEST(MaxPool, InvalidInputsThrow) {
  const TensorD x = random_tensor(Shape{1, 2, 6, 6}, 1);
  TensorD y, gx;
  expect_invalid([&] { maxpool_forward(x, 7, 1, y); }, {"7×7", x.shape().to_string()});
  expect_invalid([&] { maxpool_forward(x, 0, 1, y); }, {"window"});
  expect_invalid([&] { maxpool_forward(x, 2, 0, y); }, {"stride"});
  expect_invalid([&] { maxpool_forward(TensorD(Shape{6, 6}), 2, 2, y); }, {"[6×6]"});
  const TensorD gy(Shape{1, 2, 3, 3});
  expect_invalid([&] { maxpool_backward(x, TensorD(Shape{1, 2, 2, 3}), 2, 2, gx); }, {"[1×2×2×3]", "[1×2×3×3]"});
  std::vector<Index> short_mask(5, 0), wild_mask(18, 0);
  wild_mask[4] = 1000;
  expect_invalid([&] { maxpool_backward(x, gy, 2, 2, gx, &short_mask); }, {"argmax", gy.shape().to_string()});
  expect_invalid([&] { maxpool_backward(x, gy, 2, 2, gx, &wild_mask); }, {"1000", x.shape().to_string()});
}

// [SECTION] average pooling

TEST(AvgPool, ForwardAndBackwardMatchLoops) {
  for (const PoolCase& k : kPoolCases) {
    SCOPED_TRACE(k.x().to_string() + " kernel " + std::to_string(k.kernel) + " stride " + std::to_string(k.stride));
    const TensorD x = random_tensor(k.x(), 11);
    TensorD y, gx;
    avgpool_forward(x, k.kernel, k.stride, y);
    EXPECT_TRUE(all_close(y, loop_avgpool(x, k.kernel, k.stride), 1e-15));
    const TensorD gy = random_tensor(y.shape(), 12);
    avgpool_backward(x.shape(), gy, k.kernel, k.stride, gx);
    EXPECT_TRUE(all_close(gx, loop_avgpool_grad(x.shape(), gy, k.kernel, k.stride), 1e-15));
  }
}

TEST(AvgPool, KnownValues) {
  const TensorD x = TensorD::from(Shape{1, 1, 2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
  TensorD y, gx;
  avgpool_forward(x, 2, 2, y);
  EXPECT_TRUE(all_close(y, TensorD::from(Shape{1, 1, 1, 2}, {3.5, 5.5}), 0));
  avgpool_backward(x.shape(), TensorD::from(Shape{1, 1, 1, 2}, {4, 8}), 2, 2, gx);
  EXPECT_TRUE(all_close(gx, TensorD::from(Shape{1, 1, 2, 4}, {1, 1, 2, 2, 1, 1, 2, 2}), 0));
}

TEST(AvgPool, GradientMatchesFiniteDifferences) {
  for (const PoolCase& k : kPoolCases) {
    SCOPED_TRACE(k.x().to_string() + " kernel " + std::to_string(k.kernel) + " stride " + std::to_string(k.stride));
    TensorD x = random_tensor(k.x(), 13), y, gx;
    avgpool_forward(x, k.kernel, k.stride, y);
    const TensorD r = random_tensor(y.shape(), 14);
    avgpool_backward(x.shape(), r, k.kernel, k.stride, gx);
    EXPECT_TRUE(matches_finite_differences(x, gx, [&] {
      avgpool_forward(x, k.kernel, k.stride, y);
      return dot(r, y);
    }));
  }
}

TEST(AvgPool, InvalidInputsThrow) {
  const TensorD x = random_tensor(Shape{1, 2, 6, 6}, 1);
  TensorD y, gx;
  expect_invalid([&] { avgpool_forward(x, 7, 7, y); }, {"7×7", x.shape().to_string()});
  expect_invalid([&] { avgpool_backward(x.shape(), TensorD(Shape{1, 2, 4, 3}), 2, 2, gx); }, {"[1×2×4×3]", "[1×2×3×3]"});
  expect_invalid([&] { avgpool_backward(Shape{2, 6, 6}, TensorD(Shape{1, 2, 3, 3}), 2, 2, gx); }, {"[2×6×6]"});
}

// [SECTION] torch's pooling options: padding, ceil_mode, count_include_pad
// (values against torch in test_edges.cpp's pool_golden.json; here sizes, gradients, float)

TEST(PoolWindow, OutputSizesAreTorchs) {
  struct SizeCase {
    Index in;
    PoolWindow p;
    Index out;  // torch.nn.functional.max_pool2d's, on an in×in input
  };
  const SizeCase cases[] = {
      {5, {2, 2, 0, true}, 3},  {4, {2, 3, 1, true}, 2},  {7, {3, 2, 1, false}, 4}, {7, {3, 2, 1, true}, 4},
      {6, {3, 2, 1, true}, 4},  {1, {2, 2, 1, true}, 1},  {1, {2, 2, 0, true}, 1},  {1, {3, 1, 1, false}, 1},
      {8, {4, 3, 2, true}, 4},  {9, {3, 3, 0, true}, 3},  {10, {3, 3, 1, true}, 4}, {6, {7, 1, 0, false}, 0},
  };
  for (const SizeCase& c : cases)
    EXPECT_EQ(pool_out_size(c.in, c.p), c.out) << "in " << c.in << " kernel " << c.p.kernel << " stride " << c.p.stride
                                               << " padding " << c.p.padding << " ceil " << c.p.ceil_mode;
}

const PoolWindow kPoolOptions[] = {
    {3, 2, 1, false, true}, {3, 2, 1, false, false}, {2, 2, 0, true, true}, {3, 2, 1, true, true},
    {3, 2, 1, true, false}, {2, 3, 1, true, true},   {2, 1, 1, false, false}, {4, 3, 2, true, false},
};
std::string describe(const PoolWindow& p) {
  return "kernel " + std::to_string(p.kernel) + " stride " + std::to_string(p.stride) + " padding " +
         std::to_string(p.padding) + (p.ceil_mode ? " ceil" : "") + (p.count_include_pad ? "" : " pad not counted");
}

TEST(PoolWindow, GradientsMatchFiniteDifferencesAndFloatAgrees) {
  for (const PoolWindow& p : kPoolOptions) {
    SCOPED_TRACE(describe(p));
    TensorD x(Shape{2, 2, 7, 6});
    std::vector<double> ramp(static_cast<std::size_t>(x.size()));
    for (std::size_t i = 0; i < ramp.size(); ++i) ramp[i] = 0.01 * double(i) - 1;
    std::shuffle(ramp.begin(), ramp.end(), std::mt19937(31));
    std::copy(ramp.begin(), ramp.end(), x.begin());
    TensorD y, gx;
    std::vector<Index> argmax;
    maxpool_forward(x, p, y, &argmax);
    EXPECT_EQ(y.shape(), (Shape{2, 2, pool_out_size(7, p), pool_out_size(6, p)}));
    const TensorD r = random_tensor(y.shape(), 32);
    maxpool_backward(x, r, p, gx);
    EXPECT_TRUE(matches_finite_differences(x, gx, [&] {
      maxpool_forward(x, p, y);
      return dot(r, y);
    })) << "maxpool";
    TensorF yf, gxf;
    std::vector<Index> argmax_f;
    const TensorF xf = x.cast<float>();
    maxpool_forward(xf, p, yf, &argmax_f);
    EXPECT_EQ(argmax_f, argmax);
    avgpool_forward(x, p, y);
    avgpool_backward(x.shape(), r, p, gx);
    EXPECT_TRUE(matches_finite_differences(x, gx, [&] {
      avgpool_forward(x, p, y);
      return dot(r, y);
    })) << "avgpool";
    avgpool_forward(x, p, y);  // the finite differences left y at their last perturbed x
    avgpool_forward(xf, p, yf);
    EXPECT_TRUE(all_close(yf, y, 1e-6));
    avgpool_backward(x.shape(), r.cast<float>(), p, gxf);
    EXPECT_TRUE(all_close(gxf, gx, 1e-6));
  }
}

// Max-pooling pads with −∞: a window of negative values next to the padding keeps its maximum,
// where zero padding would give 0. Average pooling divides by the window as count_include_pad says.
TEST(PoolWindow, MaxPadsWithMinusInfinityAverageCountsAsTorch) {
  const TensorD x = TensorD::from(Shape{1, 1, 2, 2}, {-1, -2, -3, -4});
  TensorD y, gx;
  maxpool_forward(x, PoolWindow{2, 2, 1}, y);
  EXPECT_TRUE(all_close(y, TensorD::from(Shape{1, 1, 2, 2}, {-1, -2, -3, -4}), 0));
  avgpool_forward(x, PoolWindow{2, 2, 1, false, true}, y);
  EXPECT_TRUE(all_close(y, TensorD::from(Shape{1, 1, 2, 2}, {-0.25, -0.5, -0.75, -1}), 0));
  avgpool_forward(x, PoolWindow{2, 2, 1, false, false}, y);
  EXPECT_TRUE(all_close(y, TensorD::from(Shape{1, 1, 2, 2}, {-1, -2, -3, -4}), 0));
  // ceil_mode on 3 with a 2-window: the last window holds one input element (and no padding).
  const TensorD z = TensorD::from(Shape{1, 1, 1, 3}, {1, 2, 6});
  avgpool_forward(z, PoolWindow{1, 2, 0, true, true}, y);
  EXPECT_TRUE(all_close(y, TensorD::from(Shape{1, 1, 1, 2}, {1, 6}), 0));
  const TensorD row = TensorD::from(Shape{1, 1, 3, 3}, {1, 2, 6, 1, 2, 6, 1, 2, 6});
  avgpool_forward(row, PoolWindow{2, 2, 0, true, true}, y);
  EXPECT_TRUE(all_close(y, TensorD::from(Shape{1, 1, 2, 2}, {1.5, 6, 1.5, 6}), 0));
  avgpool_backward(row.shape(), TensorD(Shape{1, 1, 2, 2}, 1.0), PoolWindow{2, 2, 0, true, true}, gx);
  EXPECT_TRUE(all_close(gx, TensorD::from(Shape{1, 1, 3, 3}, {0.25, 0.25, 0.5, 0.25, 0.25, 0.5, 0.5, 0.5, 1}), 0));
}

TEST(PoolWindow, PaddingBeyondHalfTheWindowIsRefusedAsInTorch) {
  const TensorD x = random_tensor(Shape{1, 1, 6, 6}, 1);
  TensorD y, gx;
  expect_invalid([&] { maxpool_forward(x, PoolWindow{3, 2, 2}, y); }, {"padding 2", "at most 1"});
  expect_invalid([&] { avgpool_forward(x, PoolWindow{2, 2, -1}, y); }, {"padding"});
  expect_invalid([&] { avgpool_backward(x.shape(), TensorD(Shape{1, 1, 3, 3}), PoolWindow{2, 2, 1, true}, gx); },
                 {"[1×1×3×3]", "[1×1×4×4]"});
}

// [SECTION] zero padding

TEST(Pad, ForwardAddsZerosAndUnpadCutsThemOff) {
  const TensorD x = random_tensor(Shape{2, 3, 4, 5}, 15);
  TensorD y, back;
  pad_forward(x, 2, y);
  ASSERT_EQ(y.shape(), (Shape{2, 3, 8, 9}));
  TensorD expected(Shape{2, 3, 8, 9});
  for (Index n = 0; n < 2; ++n)
    for (Index c = 0; c < 3; ++c)
      for (Index i = 0; i < 4; ++i)
        for (Index j = 0; j < 5; ++j) expected.at({n, c, i + 2, j + 2}) = x.at({n, c, i, j});
  EXPECT_TRUE(all_close(y, expected, 0));
  unpad(y, 2, back);
  EXPECT_TRUE(all_close(back, x, 0));
  pad_forward(x, 0, y);
  EXPECT_TRUE(all_close(y, x, 0));
}

TEST(Pad, GradientMatchesFiniteDifferences) {
  TensorD x = random_tensor(Shape{1, 2, 3, 4}, 16), y, gx;
  pad_forward(x, 1, y);
  const TensorD r = random_tensor(y.shape(), 17);
  unpad(r, 1, gx);  // dX = dY without its border
  EXPECT_TRUE(matches_finite_differences(x, gx, [&] {
    pad_forward(x, 1, y);
    return dot(r, y);
  }));
}

TEST(Pad, InvalidInputsThrow) {
  TensorD y, gx;
  expect_invalid([&] { pad_forward(TensorD(Shape{3, 4}), 1, y); }, {"[3×4]"});
  expect_invalid([&] { pad_forward(TensorD(Shape{1, 1, 3, 4}), -1, y); }, {"padding"});
  expect_invalid([&] { unpad(TensorD(Shape{1, 1, 3, 4}), 2, gx); }, {"[1×1×3×4]"});
}

// [SECTION] float

TEST(Pooling, FloatAgreesWithDouble) {
  // The float instantiations run the same code: maxima and masks match exactly on values that
  // float represents exactly; means and padding to rounding.
  for (const PoolCase& k : kPoolCases) {
    SCOPED_TRACE(k.x().to_string() + " kernel " + std::to_string(k.kernel) + " stride " + std::to_string(k.stride));
    const TensorF xf = random_tensor<float>(k.x(), 20);
    const TensorD x = xf.cast<double>();
    TensorD y, gx, gy;
    TensorF yf, gxf;
    std::vector<Index> argmax, argmax_f;
    maxpool_forward(x, k.kernel, k.stride, y, &argmax);
    maxpool_forward(xf, k.kernel, k.stride, yf, &argmax_f);
    EXPECT_TRUE(all_close(yf, y, 0));
    EXPECT_EQ(argmax_f, argmax);
    gy = random_tensor(y.shape(), 21);
    maxpool_backward(x, gy, k.kernel, k.stride, gx);
    maxpool_backward(xf, gy.cast<float>(), k.kernel, k.stride, gxf);
    EXPECT_TRUE(all_close(gxf, gx, 1e-6));
    avgpool_forward(x, k.kernel, k.stride, y);
    avgpool_forward(xf, k.kernel, k.stride, yf);
    EXPECT_TRUE(all_close(yf, y, 1e-6));
    avgpool_backward(x.shape(), gy, k.kernel, k.stride, gx);
    avgpool_backward(x.shape(), gy.cast<float>(), k.kernel, k.stride, gxf);
    EXPECT_TRUE(all_close(gxf, gx, 1e-6));
    pad_forward(x, 2, y);
    pad_forward(xf, 2, yf);
    EXPECT_TRUE(all_close(yf, y, 0));
  }
}

// [SECTION] PyTorch golden values

TensorD tensor_from_json(const nlohmann::json& j) {
  std::vector<Index> dims = j.at("shape").get<std::vector<Index>>();
  TensorD t(Shape::of_rank(static_cast<int>(dims.size()), dims.data()));
  const auto& data = j.at("data");
  if (static_cast<Index>(data.size()) != t.size()) throw std::runtime_error("fixture tensor size mismatch");
  for (Index i = 0; i < t.size(); ++i) t[i] = data[static_cast<std::size_t>(i)].get<double>();
  return t;
}

TEST(ConvGolden, KernelsMatchPyTorch) {
  std::ifstream in(std::string(GRADSCOPE_FIXTURES) + "/conv_golden.json");
  ASSERT_TRUE(in) << "missing fixture; run tests/engine/fixtures/make_conv_golden.py";
  const nlohmann::json golden = nlohmann::json::parse(in);
  int checked = 0;
  for (const auto& c : golden.at("cases")) {
    const std::string op = c.at("op");
    const TensorD x = tensor_from_json(c.at("x")), r = tensor_from_json(c.at("r"));
    SCOPED_TRACE(op + " on " + x.shape().to_string());
    TensorD y, gx;
    if (op == "conv2d") {
      const int stride = c.at("stride"), pad = c.at("padding");
      const TensorD w = tensor_from_json(c.at("w"));
      const bool has_bias = c.contains("b");
      const TensorD b = has_bias ? tensor_from_json(c.at("b")) : TensorD(Shape{w.dim(0)});
      TensorD gw, gb;
      conv2d_forward(x, w, has_bias ? &b : nullptr, stride, pad, y);
      conv2d_backward_input(r, w, x.shape(), stride, pad, gx);
      conv2d_backward_weight(x, r, w.shape(), stride, pad, gw);
      EXPECT_TRUE(all_close(gw, tensor_from_json(c.at("gw")), 1e-9)) << "dL/dw";
      if (has_bias) {
        conv2d_backward_bias(r, gb);
        EXPECT_TRUE(all_close(gb, tensor_from_json(c.at("gb")), 1e-9)) << "dL/db";
      }
    } else {
      const int kernel = c.at("kernel"), stride = c.at("stride");
      if (op == "max_pool2d") {
        maxpool_forward(x, kernel, stride, y);
        maxpool_backward(x, r, kernel, stride, gx);
      } else {
        ASSERT_EQ(op, "avg_pool2d");
        avgpool_forward(x, kernel, stride, y);
        avgpool_backward(x.shape(), r, kernel, stride, gx);
      }
    }
    EXPECT_TRUE(all_close(y, tensor_from_json(c.at("y")), 1e-9)) << "y";
    EXPECT_TRUE(all_close(gx, tensor_from_json(c.at("gx")), 1e-9)) << "dL/dx";
    ++checked;
  }
  EXPECT_EQ(checked, 9);
}

}  // namespace
}  // namespace gs::kernels
