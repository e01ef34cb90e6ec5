// The training workloads of `gradscope-cli bench` that src/nn runs (DESIGN.md): mlp, lenet,
// spiral. cmd_bench.cpp calls run_nn_bench for any workload but `scalar`.
// Depends on src/nn only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gs::cli {

// The workloads run_nn_bench knows.
const std::vector<std::string>& nn_bench_workloads();

struct NnBenchResult {
  double ms_per_step = 0;    // the median of five timed rounds
  long long steps_run = 0;   // warm-up and timed steps together
  double threads_used = 0;   // the mean of the threads the timed steps' forward/backward parts ran on
  double gemm_flops = 0;     // per step: 2·multiply-adds of the matrix products (forward, dW, dX)
};

// Milliseconds per training step (forward + loss + backward + optimizer update, float32, inputs
// random with a fixed seed), run as a training session runs it (nn::TrainStep) with `threads`
// batch parts: the median of five timed rounds of `steps` steps each (0 = the workload's default)
// after a warm-up. `adaptive` lets the step use fewer threads while the machine is busy (as
// training does); without it every thread is used whatever the load. nullopt for an unknown
// workload.
std::optional<NnBenchResult> run_nn_bench(std::string_view workload, int threads, int steps, bool adaptive = true);

// Where one step's time goes: milliseconds per step of each layer's forward ("3 Linear(256,128)
// forward"), of the loss (softmax-CE value and gradient), of each layer's backward, and of the
// optimizer update, in that order, measured one call at a time on one thread (one batch part) over
// `steps` steps (0 = the workload's default) after a warm-up. The clock reads add about 0.05 µs
// per phase. nullopt for an unknown workload.
struct NnBenchPhase {
  std::string name;
  double ms = 0;
};
std::optional<std::vector<NnBenchPhase>> run_nn_breakdown(std::string_view workload, int steps);

}  // namespace gs::cli
