// Micro-benchmark of the mlp's matrix products (DESIGN.md's `mlp`: 784 → 256 → 128, float32), each
// alone, Eigen's product against ours (src/engine/kernels_gemm.h): ms per call, best of several
// rounds, GFLOP/s, and the largest difference between the two results. One thread. Not a test.
// Depends on src/engine/kernels_gemm.h and Eigen only. Build it from the repository root:
//   g++ -std=c++20 -O3 -march=native -ffp-contract=off -DNDEBUG -I src -isystem /usr/include/eigen3
//       -o bench_gemm tests/bench/bench_gemm.cpp src/engine/kernels_gemm.cpp
// (-march=x86-64-v3 for the AVX2 tiles.) Run: bench_gemm [--rows N ...] (default: 64, a training
// part of the batch of 128 on two threads, and 128)
#include "engine/kernels_gemm.h"

#include <Eigen/Core>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <vector>

namespace {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using gs::kernels::gemm::product;
using gs::kernels::gemm::Start;

// Best ms per call over `rounds` rounds of `calls` calls.
double best_ms(const std::function<void()>& f, int calls, int rounds) {
  double best = 1e300;
  for (int r = 0; r < rounds; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < calls; ++i) f();
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / calls;
    best = ms < best ? ms : best;
  }
  return best;
}

struct Product {
  const char* name;
  double flops;
  std::function<void()> eigen, ours;  // ours empty: Eigen keeps this product
  const Matrix *eigen_out, *ours_out;
};

void run(int n) {
  const int k = 784, h1 = 256, h2 = 128;
  Matrix x = Matrix::Random(n, k), w1 = Matrix::Random(k, h1), g1 = Matrix::Random(n, h1);
  Matrix a1 = Matrix::Random(n, h1), w2 = Matrix::Random(h1, h2), g2 = Matrix::Random(n, h2);
  Matrix y1(n, h1), y1o(n, h1), dw1(k, h1), dw1o(k, h1), y2(n, h2), y2o(n, h2), dw2(h1, h2), dw2o(h1, h2), dx2(n, h1);
  const Product products[] = {
      {"forward  X·W1  ", 2.0 * n * k * h1, [&] { y1.noalias() = x * w1; },
       [&] { product(n, k, h1, x.data(), k, false, w1.data(), h1, y1o.data(), h1, Start::Zero); }, &y1, &y1o},
      {"dW1 = Xᵀ·G1    ", 2.0 * n * k * h1, [&] { dw1.noalias() = x.transpose() * g1; },
       [&] { product(k, n, h1, x.data(), k, true, g1.data(), h1, dw1o.data(), h1, Start::Zero); }, &dw1, &dw1o},
      {"forward  A1·W2 ", 2.0 * n * h1 * h2, [&] { y2.noalias() = a1 * w2; },
       [&] { product(n, h1, h2, a1.data(), h1, false, w2.data(), h2, y2o.data(), h2, Start::Zero); }, &y2, &y2o},
      {"dW2 = A1ᵀ·G2   ", 2.0 * n * h1 * h2, [&] { dw2.noalias() = a1.transpose() * g2; },
       [&] { product(h1, n, h2, a1.data(), h1, true, g2.data(), h2, dw2o.data(), h2, Start::Zero); }, &dw2, &dw2o},
      {"dX2 = G2·W2ᵀ   ", 2.0 * n * h1 * h2, [&] { dx2.noalias() = g2 * w2.transpose(); }, nullptr, nullptr, nullptr},
  };
  for (const Product& p : products) {
    const int calls = p.flops > 2e7 ? 100 : 500;
    const double e = best_ms(p.eigen, calls, 7);
    const double o = p.ours ? best_ms(p.ours, calls, 7) : 0;
    std::printf("rows %3d  %s Eigen %.4f ms (%5.1f GFLOP/s)", n, p.name, e, p.flops / e / 1e6);
    if (p.ours) {
      p.eigen();
      p.ours();
      std::printf("   ours %.4f ms (%5.1f GFLOP/s)   largest difference %.2g", o, p.flops / o / 1e6,
                  double((*p.eigen_out - *p.ours_out).cwiseAbs().maxCoeff()));
    } else {
      std::printf("   (Eigen's in training)");
    }
    std::printf("\n");
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> rows;
  for (int i = 1; i + 1 < argc; i += 2)
    if (std::strcmp(argv[i], "--rows") == 0) rows.push_back(std::atoi(argv[i + 1]));
  if (rows.empty()) rows = {64, 128};
  if (!gs::kernels::gemm::fits(128)) {
    std::printf("no FMA in this build's instruction set: our product is compiled out, Eigen's runs\n");
    return 1;
  }
  for (int n : rows) run(n);
}
