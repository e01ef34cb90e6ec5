// Tests of the float matrix products of a linear layer (kernels::matmul and kernels::affine, which
// run our own product of kernels_gemm.h where the instruction set has FMA and the output rows are
// whole registers): every output is one fused multiply-add chain in index order, whatever the
// tiling, the batch rows around it and the addresses; where Eigen's product runs instead, the
// result is as accurate. Depends on the kernels and GoogleTest only; no timing.
#include "engine/kernels.h"
#include "engine/kernels_gemm.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <sstream>
#include <cstring>
#include <string>
#include <vector>

namespace gs::kernels {
namespace {

TensorF gemm_random_matrix(Index rows, Index cols, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  TensorF t(Shape{rows, cols});
  for (float& v : t) v = dist(rng);
  return t;
}

// What C(i, j) must be: start + (one FMA chain over p from zero), in float, as kernels_gemm.h
// promises (a(i, p) = a[i·lda + p], or a[p·lda + i] transposed).
float gemm_chain(const TensorF& a, bool transposed, const TensorF& b, Index i, Index j, float start) {
  const Index k = b.dim(0), m = b.dim(1), lda = a.dim(1);
  float acc = 0.0f;
  for (Index p = 0; p < k; ++p) acc = std::fma(transposed ? a[p * lda + i] : a[i * lda + p], b[p * m + j], acc);
  return start + acc;
}

// Passes when every element is its chain bit for bit (where our product runs) or within the
// float error bound of a k-term sum, (k + 2)·2⁻²⁴·Σ|terms| (where Eigen's runs); names the
// first failure.
::testing::AssertionResult gemm_matches(const TensorF& y, const TensorF& a, bool transposed, const TensorF& b,
                                        const TensorF* start_rows, const TensorF* bias) {
  const Index n = y.dim(0), m = y.dim(1), k = b.dim(0), lda = a.dim(1);
  const bool ours = gemm::fits(m);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < m; ++j) {
      const float start = start_rows ? (*start_rows)[i * m + j] : bias ? (*bias)[j] : 0.0f;
      const float got = y[i * m + j];
      double exact = start, terms = std::abs(start);
      for (Index p = 0; p < k; ++p) {
        const double t = double(transposed ? a[p * lda + i] : a[i * lda + p]) * double(b[p * m + j]);
        exact += t;
        terms += std::abs(t);
      }
      const float want = gemm_chain(a, transposed, b, i, j, start);
      const bool ok = ours ? std::memcmp(&got, &want, sizeof got) == 0
                           : std::abs(double(got) - exact) <= double(k + 2) * 0x1p-24 * terms + 1e-30;
      if (!ok) {
        std::ostringstream out;
        out.precision(9);
        out << (ours ? "our product" : "Eigen's product") << " (" << n << "×" << k << ")·(" << k << "×" << m
            << ") at [" << i << "," << j << "]: " << got << ", the FMA chain gives " << want << ", exact " << exact;
        return ::testing::AssertionFailure() << out.str();
      }
    }
  return ::testing::AssertionSuccess();
}

// Row counts around the tile's 6 rows, column counts around whole registers (8 with AVX2, 16 with
// AVX-512) and the 64-column block, depths from one to more than a cache line's worth.
const Index kGemmRows[] = {1, 2, 5, 6, 7, 12, 13};
const Index kGemmCols[] = {8, 16, 24, 48, 64, 80, 128, 10};
const Index kGemmDepths[] = {1, 3, 17, 70};

TEST(Gemm, ForwardIsBiasPlusOneFmaChainPerOutput) {
  std::uint32_t seed = 1;
  for (Index n : kGemmRows)
    for (Index m : kGemmCols)
      for (Index k : kGemmDepths) {
        const TensorF x = gemm_random_matrix(n, k, seed++), w = gemm_random_matrix(k, m, seed++);
        const TensorF b = gemm_random_matrix(1, m, seed++).reshaped(Shape{m});
        TensorF y;
        affine(x, w, b, y);
        ASSERT_TRUE(gemm_matches(y, x, false, w, nullptr, &b));
        TensorF plain;
        matmul(x, w, plain);
        ASSERT_TRUE(gemm_matches(plain, x, false, w, nullptr, nullptr));
      }
}

TEST(Gemm, WeightGradientIsOneFmaChainOverTheBatch) {
  std::uint32_t seed = 1000;
  for (Index rows : kGemmRows)  // dW's rows are the layer's inputs, its depth the batch
    for (Index m : kGemmCols)
      for (Index batch : kGemmDepths) {
        const TensorF x = gemm_random_matrix(batch, rows, seed++), g = gemm_random_matrix(batch, m, seed++);
        TensorF dw;
        matmul(x, g, dw, /*transpose_a=*/true);
        ASSERT_TRUE(gemm_matches(dw, x, true, g, nullptr, nullptr));
        const TensorF before = gemm_random_matrix(rows, m, seed++);
        TensorF acc = before;
        matmul(x, g, acc, /*transpose_a=*/true, false, /*accumulate=*/true);
        ASSERT_TRUE(gemm_matches(acc, x, true, g, &before, nullptr));
      }
}

// A batch part's rows give the same bits as the whole batch's (the trainer's parts and the
// evaluation's batches rely on it), and so do operands at any address.
TEST(Gemm, ARowsBitsDependOnItsOwnOperandsOnly) {
  const Index n = 13, k = 50, m = 80;
  const TensorF x = gemm_random_matrix(n, k, 7), w = gemm_random_matrix(k, m, 8);
  const TensorF b = gemm_random_matrix(1, m, 9).reshaped(Shape{m});
  TensorF whole;
  affine(x, w, b, whole);
  std::vector<float> storage(static_cast<std::size_t>(k * m + k + 3));
  for (Index shift = 1; shift <= 3; ++shift) {  // operands off their 64-byte boundary
    TensorF w_shifted = TensorF::view(storage.data() + shift, Shape{k, m});
    std::copy(w.begin(), w.end(), w_shifted.begin());
    for (Index i = 0; i < n; ++i) {
      const TensorF row = TensorF::view(const_cast<float*>(x.data()) + i * k, Shape{1, k});
      TensorF y;
      affine(row, w_shifted, b, y);
      for (Index j = 0; j < m; ++j)
        ASSERT_EQ(std::memcmp(&y[j], &whole[i * m + j], sizeof(float)), 0)
            << "row " << i << " column " << j << " alone (shift " << shift << "): " << y[j] << " vs " << whole[i * m + j];
    }
  }
}

}  // namespace
}  // namespace gs::kernels
