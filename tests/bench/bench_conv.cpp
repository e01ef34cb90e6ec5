// Micro-benchmark of the convolution and pooling kernels on DESIGN.md's `lenet` shapes (batch 64,
// float32): ms per call of each rule, best of several rounds, and optionally PyTorch's time for the
// same layers measured in the same run (`--torch`, through /usr/bin/python3). `--cpu` times one
// thread by its CPU time instead of the wall clock, for a machine busy with other work. Not a test.
// Depends on src/engine/kernels_conv.h only. Build it with OpenMP (so that Eigen::setNbThreads(2)
// uses both cores) from the repository root, BUILD being a CMake build directory:
//   g++ -std=c++20 -O3 -march=native -fopenmp -DNDEBUG -I src -isystem /usr/include/eigen3 -o bench_conv
//       tests/bench/bench_conv.cpp src/engine/kernels_conv.cpp BUILD/src/engine/libgradscope_engine.a
// Run: bench_conv [--threads N | --cpu] [--batch N] [--torch] (--batch 32: a training part of lenet's 64)
#include "engine/kernels_conv.h"

#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <random>
#include <string>

namespace {

using gs::Index;
using gs::Shape;
using gs::TensorF;
namespace kernels = gs::kernels;

bool g_cpu_time = false;  // --cpu: this thread's CPU time rather than the wall clock

double now_ms() {
  if (g_cpu_time) {
    timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) * 1e-6;
  }
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Best mean over `rounds` rounds of `reps` calls: the least disturbed by other processes.
double best_ms(const std::function<void()>& call, int reps = 40, int rounds = 9) {
  call();
  double best = 1e30;
  for (int r = 0; r < rounds; ++r) {
    const double start = now_ms();
    for (int i = 0; i < reps; ++i) call();
    best = std::min(best, (now_ms() - start) / reps);
  }
  return best;
}

TensorF random_tensor(const Shape& shape, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist;
  TensorF t(shape);
  for (float& v : t) v = dist(rng);
  return t;
}

// One conv layer: forward, and the backward rules a training step runs (dX only when the layer's
// input needs a gradient, i.e. not for the first layer).
double bench_conv_layer(const char* name, Index n, Index c, Index h, Index f, Index k, int pad, bool input_grad) {
  const TensorF x = random_tensor(Shape{n, c, h, h}, 1), w = random_tensor(Shape{f, c, k, k}, 2);
  const TensorF b = random_tensor(Shape{f}, 3);
  TensorF y, gx, gw, gb;
  kernels::ConvWorkspace<float> ws;
  kernels::conv2d_forward(x, w, &b, 1, pad, y, &ws);
  const TensorF gy = random_tensor(y.shape(), 4);
  const double fwd = best_ms([&] { kernels::conv2d_forward(x, w, &b, 1, pad, y, &ws); });
  const double bin = input_grad ? best_ms([&] { kernels::conv2d_backward_input(gy, w, x.shape(), 1, pad, gx, &ws); }) : 0;
  const double bw = best_ms([&] { kernels::conv2d_backward_weight(x, gy, w.shape(), 1, pad, gw, &ws); });
  const double bb = best_ms([&] { kernels::conv2d_backward_bias(gy, gb); });
  const double flops = 2.0 * double(n * f * c * k * k) * double(y.dim(2) * y.dim(3)) * (input_grad ? 3 : 2);
  const double total = fwd + bin + bw + bb;
  std::printf("%-6s x%s w%s: forward %.3f, dX %.3f, dW %.3f, db %.3f -> %.3f ms (%.0f GFLOP/s)\n", name,
              x.shape().to_string().c_str(), w.shape().to_string().c_str(), fwd, bin, bw, bb, total, flops / total / 1e6);
  return total;
}

double bench_maxpool(const char* name, Index n, Index c, Index h) {
  const TensorF x = random_tensor(Shape{n, c, h, h}, 5);
  TensorF y, gx;
  std::vector<Index> argmax;
  kernels::maxpool_forward(x, 2, 2, y, &argmax);
  const TensorF gy = random_tensor(y.shape(), 6);
  const double fwd = best_ms([&] { kernels::maxpool_forward(x, 2, 2, y, &argmax); });
  const double bwd = best_ms([&] { kernels::maxpool_backward(x, gy, 2, 2, gx, &argmax); });
  std::printf("%-6s x%s 2×2/2: forward %.3f, backward %.3f -> %.3f ms\n", name, x.shape().to_string().c_str(), fwd, bwd,
              fwd + bwd);
  return fwd + bwd;
}

// PyTorch's time for the same layers, same thread count and clock, in this run.
void bench_torch(int threads) {
  const std::string script = R"PY(
import time, torch, torch.nn.functional as F
torch.set_num_threads(THREADS); torch.manual_seed(0)
clock = time.thread_time if CPU_TIME else time.perf_counter
def best(fn, reps=40, rounds=9):
    fn(); b = 1e30
    for _ in range(rounds):
        t = clock()
        for _ in range(reps): fn()
        b = min(b, (clock() - t) / reps * 1e3)
    return b
def conv(name, n, c, h, f, k, pad, input_grad):
    x = torch.randn(n, c, h, h, requires_grad=input_grad)
    w = torch.randn(f, c, k, k, requires_grad=True); b = torch.randn(f, requires_grad=True)
    g = torch.randn_like(F.conv2d(x, w, b, padding=pad))
    def step():
        F.conv2d(x, w, b, padding=pad).backward(g)
    print("torch  %-6s forward+backward %.3f ms" % (name, best(step)))
def pool(name, n, c, h):
    x = torch.randn(n, c, h, h, requires_grad=True)
    g = torch.randn_like(F.max_pool2d(x, 2))
    print("torch  %-6s forward+backward %.3f ms" % (name, best(lambda: F.max_pool2d(x, 2).backward(g))))
conv("conv1", 64, 1, 28, 6, 5, 2, False); conv("conv2", 64, 6, 14, 16, 5, 0, True)
pool("pool1", 64, 6, 28); pool("pool2", 64, 16, 10)
)PY";
  std::string code = script;
  code.replace(code.find("THREADS"), 7, std::to_string(threads));
  code.replace(code.find("CPU_TIME"), 8, g_cpu_time ? "True" : "False");
  const std::string command = "/usr/bin/python3 - <<'GRADSCOPE_EOF'\n" + code + "GRADSCOPE_EOF\n";
  std::fflush(stdout);
  if (std::system(command.c_str()) != 0) std::printf("torch: /usr/bin/python3 with torch did not run\n");
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 2;
  bool torch = false;
  Index batch = 64;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) threads = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--torch")) torch = true;
    else if (!std::strcmp(argv[i], "--cpu")) g_cpu_time = true;
    else if (!std::strcmp(argv[i], "--batch") && i + 1 < argc) batch = std::atoi(argv[++i]);
  }
  if (g_cpu_time) threads = 1;  // CPU time of the calling thread says nothing about helpers
  Eigen::setNbThreads(threads);
  std::printf("Eigen threads: %d, %s (OpenMP %s)\n", Eigen::nbThreads(), g_cpu_time ? "CPU time" : "wall clock",
#ifdef _OPENMP
              "on"
#else
              "off: one thread"
#endif
  );
  const double conv = bench_conv_layer("conv1", batch, 1, 28, 6, 5, 2, false) +
                      bench_conv_layer("conv2", batch, 6, 14, 16, 5, 0, true);
  const double pool = bench_maxpool("pool1", batch, 6, 28) + bench_maxpool("pool2", batch, 16, 10);
  std::printf("lenet convolutions %.3f ms, pools %.3f ms per step\n", conv, pool);
  if (torch) bench_torch(threads);
}
