// The `scalar` benchmark workload of DESIGN.md: a micrograd-style 2-6-6-1 tanh MLP built from
// scalar nodes, rebuilt, evaluated and differentiated every step (what the stepping views do).
// Depends on src/engine only.
#pragma once

#include "engine/autodiff.h"

#include <string>
#include <vector>

namespace gs::cli {

struct ScalarMlp {
  std::vector<int> sizes{2, 6, 6, 1};
  std::vector<double> params;  // per neuron: its weights, then its bias; layer by layer
  std::vector<double> x;       // the network's inputs
  std::vector<std::string> param_names, x_names;  // p0, p1, ...; x0, x1
};

// Parameters and inputs drawn uniformly in [−1, 1] from `seed`.
ScalarMlp make_scalar_mlp(unsigned seed);
// loss = (mlp(x) − 1)² from scalar nodes; parameters are inputs named p0, p1, ..., data x0, x1.
Graph build_scalar_mlp_graph(const ScalarMlp& m);
// Runs `steps` steps (build, evaluate, reverse, SGD update) after a warm-up; returns ms per step.
// *nodes receives the graph's size, *final_loss the last loss.
double bench_scalar(int steps, int* nodes, double* final_loss);

}  // namespace gs::cli
