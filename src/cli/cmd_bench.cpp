// `gradscope-cli bench WORKLOAD [--threads N] [--steps N] [--json] [--breakdown]`: time per training step of
// DESIGN.md's workloads, one JSON line {"workload", "threads", "ms_per_step", ...} with --json.
// The `scalar` workload is here (bench_scalar.cpp); mlp, lenet and spiral come from src/nn.
#include "bench_nn.h"
#include "bench_scalar.h"
#include "commands.h"
#include "nn/config.h"

#include <nlohmann/json.hpp>

#include <climits>
#include <iostream>
#include <memory>
#include <optional>

namespace gs::cli {
namespace {

struct BenchOptions {
  std::string workload;
  int threads = 1;
  int steps = 0;
  bool json = false;
  bool fixed_threads = false;
  bool breakdown = false;
};

void run_bench(const BenchOptions& o) {
  if (o.threads < 1) throw InputError("--threads must be at least 1, got " + std::to_string(o.threads));
  if (o.steps < 0) throw InputError("--steps must be positive, got " + std::to_string(o.steps));
  nlohmann::json out;
  out["workload"] = o.workload;
  out["threads"] = o.threads;
  if (o.workload == "scalar") {
    int nodes = 0;
    double loss = 0;
    const int steps = o.steps ? o.steps : 2000;
    double ms = bench_scalar(steps, &nodes, &loss);
    out["ms_per_step"] = ms;
    out["steps"] = steps;
    out["steps_run"] = std::max(10, steps / 10) + steps;
    out["nodes"] = nodes;
    out["us_per_node"] = ms * 1000.0 / nodes;
    out["final_loss"] = loss;
  } else if (std::optional<NnBenchResult> r = run_nn_bench(o.workload, o.threads, o.steps, !o.fixed_threads)) {
    out["ms_per_step"] = r->ms_per_step;
    out["steps_run"] = r->steps_run;
    out["threads_used"] = r->threads_used;
    out["gemm_flops"] = r->gemm_flops;
    if (o.breakdown) {
      const std::vector<NnBenchPhase> phases = run_nn_breakdown(o.workload, o.steps).value();
      for (const NnBenchPhase& p : phases) out["breakdown"].push_back({{"phase", p.name}, {"ms", p.ms}});
    }
  } else {
    std::string names = "scalar";
    for (const std::string& w : nn_bench_workloads()) names += ", " + w;
    throw InputError("unknown workload '" + o.workload + "' (workloads: " + names + ")");
  }
  if (o.json) {
    std::cout << out.dump() << "\n";
  } else {
    std::cout << o.workload << ": " << out["ms_per_step"].get<double>() << " ms per step";
    if (out.contains("us_per_node")) std::cout << " (" << out["us_per_node"].get<double>() << " µs per node)";
    std::cout << ", " << o.threads << " thread" << (o.threads == 1 ? "" : "s") << "\n";
    if (out.contains("breakdown")) {
      std::cout << "one thread, per phase (ms per step):\n";
      for (const auto& p : out["breakdown"])
        std::cout << "  " << p["phase"].get<std::string>() << ": " << p["ms"].get<double>() << "\n";
    }
  }
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto opt = std::make_shared<BenchOptions>();
  CLI::App* cmd = app.add_subcommand("bench", "Time training steps of a standard workload (ms per step)");
  cmd->add_option("workload", opt->workload, "scalar, mlp, lenet or spiral")->required();
  add_integer_option(cmd, "--threads", opt->threads, 1, nn::kMaxThreads, "Threads for matrix products (default 1)");
  add_integer_option(cmd, "--steps", opt->steps, 0, INT_MAX, "Timed steps (default: a workload-specific count)");
  cmd->add_flag("--json", opt->json, "One JSON line: workload, threads, ms_per_step");
  cmd->add_flag("--fixed-threads", opt->fixed_threads,
                "Use every thread even while the machine is busy (training falls back to one)");
  cmd->add_flag("--breakdown", opt->breakdown,
                "Also time each layer's forward and backward, the loss and the update on one thread (mlp, lenet, spiral)");
  cmd->callback([opt] { run_bench(*opt); });
}

}  // namespace gs::cli
