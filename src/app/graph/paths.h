// The chain rule as paths (seed 004's sum-over-paths form): for an input x of a scalar graph,
// every path x → … → y with the product of the local derivatives ∂vj/∂vi along it; their sum is
// ∂y/∂x, the same number as the adjoint x̄ that reverse mode accumulates node by node. The local
// derivatives are the engine's rules (OpDef::vjp with a seed of 1); nothing is differentiated
// here. Text only, no ImGui.
#pragma once

#include "engine/autodiff.h"

#include <string>
#include <vector>

namespace gs::app {

struct ChainPath {
  std::vector<NodeId> nodes;   // x, …, y
  std::vector<int> slots;      // per link, the consumer's input slot (x·x has two links)
  std::vector<double> locals;  // per link, ∂vj/∂vi at the evaluated values
  double product = 0;
  std::string text;            // "v1 → v3 → v6 → v7: 0.5·1·1 = 0.5"
};

struct PathSum {
  std::vector<ChainPath> paths;
  double sum = 0;
  bool scalar = true;       // false: some node on a path is a tensor (paths are shown for scalars)
  bool truncated = false;   // more than max_paths paths: only the first are listed, the sum is not
  std::string sum_text;     // "0.5 + 5 = 5.5"
};

// The paths from `input` to g.output() through nodes that need a gradient, in depth-first order
// (consumers in graph order), at the values `ev`. At most `max_paths` are listed.
PathSum chain_paths(const Graph& g, const Evaluation& ev, NodeId input, std::size_t max_paths = 64);

}  // namespace gs::app
