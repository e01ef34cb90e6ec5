// Our float matrix product (contract in kernels_gemm.h): C is cut into register tiles of R rows ×
// V SIMD registers, and each tile is summed over the whole depth in registers — every step loads V
// registers of a row of B and broadcasts R values of A into R·V fused multiply-adds. Nothing is
// packed: a linear layer's X, W and G are read where they lie (W's rows and G's rows are the
// tile's registers; a row of X, or for dW = Xᵀ·G a few neighbouring columns of it, the broadcasts).
// Internal to src/engine. Depends on Eigen's packet math only.
#include "kernels_gemm.h"

#include <Eigen/Core>

#include <algorithm>
#include <stdexcept>

namespace gs::kernels::gemm {

namespace {

#ifdef EIGEN_VECTORIZE_FMA

namespace ei = Eigen::internal;
using Packet = ei::packet_traits<float>::type;
constexpr Index kLanes = ei::packet_traits<float>::size;

// The tile: kRows × kRegs accumulators, kRegs registers of B and one broadcast of A must fit the
// register file without spilling: 6 × 4 + 4 + 1 = 29 of AVX-512's 32 registers (64 columns of C per
// tile), 6 × 2 + 2 + 1 = 15 of AVX2's 16 (16 columns).
#ifndef GS_GEMM_ROWS
#define GS_GEMM_ROWS 6
#endif
#ifndef GS_GEMM_REGS
#define GS_GEMM_REGS (kLanes >= 16 ? 4 : 2)
#endif
constexpr int kRows = GS_GEMM_ROWS;
constexpr int kRegs = GS_GEMM_REGS;

struct Operands {
  Index k;
  const float* a;  // the tile's first row of A (its first column of X when transposed)
  Index lda;
  const float* b;  // the tile's first column of B
  Index ldb;
  float* c;  // the tile's first element of C
  Index ldc;
  Start start;
  const float* bias;  // the tile's first column of the bias (Start::Bias)
};

// One tile of R rows × V registers: C[r][v] = start + Σ_p A(r, p)·B(p, v), the sum one FMA chain
// in p from zero (kTransposedA: A(r, p) = a[p·lda + r], else a[r·lda + p]).
template <int R, int V, bool kTransposedA>
void tile(const Operands& o) {
  Packet acc[R][V];
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
    for (int v = 0; v < V; ++v) acc[r][v] = ei::pset1<Packet>(0.0f);
  const float* a = o.a;
  const float* b = o.b;
  for (Index p = 0; p < o.k; ++p, b += o.ldb) {
    Packet bv[V];
#pragma GCC unroll 8
    for (int v = 0; v < V; ++v) bv[v] = ei::ploadu<Packet>(b + v * kLanes);
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      const Packet av = ei::pset1<Packet>(kTransposedA ? a[p * o.lda + r] : a[r * o.lda + p]);
#pragma GCC unroll 8
      for (int v = 0; v < V; ++v) acc[r][v] = ei::pmadd(av, bv[v], acc[r][v]);
    }
  }
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r) {
    float* cr = o.c + r * o.ldc;
#pragma GCC unroll 8
    for (int v = 0; v < V; ++v) {
      Packet out = acc[r][v];
      if (o.start == Start::Accumulate) out = ei::padd(ei::ploadu<Packet>(cr + v * kLanes), out);
      else if (o.start == Start::Bias) out = ei::padd(ei::ploadu<Packet>(o.bias + v * kLanes), out);
      ei::pstoreu(cr + v * kLanes, out);
    }
  }
}

// tile<R, v> for a run-time v ≤ V (the last columns of C) and r ≤ R (its last rows).
template <int R, bool kTransposedA, int V = kRegs>
void tile_regs(int v, const Operands& o) {
  if constexpr (V > 0) {
    if (v == V) tile<R, V, kTransposedA>(o);
    else tile_regs<R, kTransposedA, V - 1>(v, o);
  }
}
template <bool kTransposedA, int R = kRows>
void tile_rows(int r, int v, const Operands& o) {
  if constexpr (R > 0) {
    if (r == R) tile_regs<R, kTransposedA>(v, o);
    else tile_rows<kTransposedA, R - 1>(r, v, o);
  }
}

// Column blocks outside, row tiles inside: a block of B (k × 64 floats with AVX-512) is read by
// every row tile from the cache it stays in.
template <bool kTransposedA>
void tiles(Index n, Index m, Operands o) {
  const float* a = o.a;
  const float* b = o.b;
  float* c = o.c;
  const float* bias = o.bias;
  for (Index j = 0; j < m; j += kRegs * kLanes) {
    const int v = static_cast<int>(std::min<Index>(kRegs, (m - j) / kLanes));
    o.b = b + j;
    o.bias = bias ? bias + j : nullptr;
    for (Index i = 0; i < n; i += kRows) {
      o.a = kTransposedA ? a + i : a + i * o.lda;
      o.c = c + i * o.ldc + j;
      const int r = static_cast<int>(std::min<Index>(kRows, n - i));
      if (r == kRows) tile_regs<kRows, kTransposedA>(v, o);
      else tile_rows<kTransposedA>(r, v, o);
    }
  }
}

#endif  // EIGEN_VECTORIZE_FMA

}  // namespace

bool fits(Index m) {
#ifdef EIGEN_VECTORIZE_FMA
  return m > 0 && m % kLanes == 0;
#else
  (void)m;
  return false;
#endif
}

void product(Index n, Index k, Index m, const float* a, Index lda, bool a_transposed, const float* b, Index ldb,
             float* c, Index ldc, Start start, const float* bias) {
#ifdef EIGEN_VECTORIZE_FMA
  if (!fits(m)) throw std::logic_error("gemm::product: rows of C that are not whole registers");
  const Operands o{k, a, lda, b, ldb, c, ldc, start, bias};
  if (a_transposed) tiles<true>(n, m, o);
  else tiles<false>(n, m, o);
#else
  (void)n, (void)k, (void)m, (void)a, (void)lda, (void)a_transposed, (void)b, (void)ldb, (void)c, (void)ldc;
  (void)start, (void)bias;
  throw std::logic_error("gemm::product: no FMA in this build's instruction set");
#endif
}

}  // namespace gs::kernels::gemm
