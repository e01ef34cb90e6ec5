// Our own float matrix product for the products of a linear layer whose rows are whole SIMD
// registers: Y = X·W (+ b) and dW (+)= Xᵀ·G with X, W, G row-major, read in place (no packing).
// Internal to src/engine (kernels.cpp dispatches to it; Eigen keeps every other product).
// Depends on Eigen's packet math only.
#pragma once

#include <cstddef>

namespace gs::kernels::gemm {

using Index = std::ptrdiff_t;

// What C starts from before A·B is added: nothing (C = A·B), C itself (C += A·B), or a bias row
// (C = 1·bᵀ + A·B).
enum class Start { Zero, Accumulate, Bias };

// Whether product() handles a product whose output rows hold m floats: the instruction set has
// FMA (x86-64-v3 and up) and m is a whole number of SIMD registers (16 floats with AVX-512, 8 with
// AVX2). Elsewhere (x86-64-v2: no FMA; layers of 10 outputs) Eigen's product is used.
bool fits(Index m);

// C (n, m), rows ldc apart, = start + A·B for A (n, k) and B (k, m), B's rows ldb apart.
// A is read as a(i, p) = a[i·lda + p] (X), or with `a_transposed` as a[p·lda + i] (Xᵀ, for
// dW = Xᵀ·G). Every element of C is one chain of fused multiply-adds over p = 0, 1, …, k − 1 from
// zero, then added to its start: its bits depend on k and its own operands only — not on n, m, its
// place in C, the tiling or the addresses (the batch parts and the tests rely on it).
// Precondition: fits(m); C does not overlap A, B or the bias; bias holds m floats for Start::Bias.
void product(Index n, Index k, Index m, const float* a, Index lda, bool a_transposed, const float* b, Index ldb,
             float* c, Index ldc, Start start, const float* bias = nullptr);

}  // namespace gs::kernels::gemm
