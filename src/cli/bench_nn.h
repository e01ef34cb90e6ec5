// The training workloads of `gradscope-cli bench` that src/nn runs (DESIGN.md): mlp, lenet,
// spiral. cmd_bench.cpp (the lead's) calls run_nn_bench for any workload but `scalar`.
// Depends on src/nn only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gs::cli {

// The workloads run_nn_bench knows.
const std::vector<std::string>& nn_bench_workloads();

// Milliseconds per training step (forward + loss + backward + optimizer update, float32, inputs
// random with a fixed seed) on `threads` threads: the median of five timed rounds of `steps`
// steps each (0 = the workload's default) after a warm-up. nullopt for an unknown workload.
std::optional<double> run_nn_bench(std::string_view workload, int threads, int steps);

}  // namespace gs::cli
