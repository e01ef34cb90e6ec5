// Sum over paths from the engine's local rules. No ImGui.
#include "app/graph/paths.h"

#include "engine/graph.h"

#include <functional>

namespace gs::app {

namespace {

// ∂vj/∂vi for input slot `slot` of scalar node j: the op's reverse rule with v̄j = 1.
double local_derivative(const Graph& g, const Evaluation& ev, NodeId j, int slot) {
  const Node& node = g.node(j);
  const TensorD* in[3] = {};
  for (int s = 0; s < node.arity; ++s) in[s] = &ev[node.inputs[s]];
  const OpArgs args{in, node.arity, &ev[j], &node.attrs};
  TensorD one(node.shape, 1.0), partial;
  op_def(node.op).vjp(slot, args, one, partial);
  return partial.size() == 1 ? partial[0] : 0.0;
}

}  // namespace

PathSum chain_paths(const Graph& g, const Evaluation& ev, NodeId input, std::size_t max_paths) {
  PathSum out;
  const int n = g.size();
  const NodeId y = g.output();
  // Consumers (node, slot) of every node, and which nodes reach the output.
  std::vector<std::vector<std::pair<NodeId, int>>> consumers(n);
  for (int j = 0; j < n; ++j) {
    const Node& node = g.node(NodeId{j});
    for (int s = 0; s < node.arity; ++s) consumers[node.inputs[s].index].emplace_back(NodeId{j}, s);
  }
  std::vector<char> reaches(n, 0);
  reaches[y.index] = 1;
  for (const NodeId id : std::vector<NodeId>(g.order().rbegin(), g.order().rend()))
    for (const auto& [c, s] : consumers[id.index])
      if (reaches[c.index]) reaches[id.index] = 1;
  if (!reaches[input.index]) return out;
  for (int i = 0; i < n; ++i)
    if (reaches[i] && g.node(NodeId{i}).requires_grad && g.node(NodeId{i}).shape.size() != 1) out.scalar = false;
  if (!out.scalar) return out;

  ChainPath path;
  path.nodes.push_back(input);
  std::function<void(NodeId)> walk = [&](NodeId at) {
    if (out.paths.size() > max_paths) return;
    if (at == y) {
      ChainPath p = path;
      p.product = 1;
      std::string chain = g.label(p.nodes[0]), factors;
      for (std::size_t k = 0; k < p.locals.size(); ++k) {
        p.product *= p.locals[k];
        chain += " → " + g.label(p.nodes[k + 1]);
        const std::string f = format_number(p.locals[k]);
        factors += (k ? "·" : "") + (p.locals[k] < 0 && k ? "(" + f + ")" : f);
      }
      p.text = chain + ": " + (p.locals.size() > 1 ? factors + " = " : "") + format_number(p.product);
      out.paths.push_back(std::move(p));
      return;
    }
    for (const auto& [c, s] : consumers[at.index]) {
      if (!reaches[c.index] || !op_def(g.node(c).op).differentiable) continue;
      path.nodes.push_back(c);
      path.slots.push_back(s);
      path.locals.push_back(local_derivative(g, ev, c, s));
      walk(c);
      path.nodes.pop_back();
      path.slots.pop_back();
      path.locals.pop_back();
    }
  };
  walk(input);
  if (out.paths.size() > max_paths) {
    out.paths.resize(max_paths);
    out.truncated = true;
    return out;
  }
  std::string terms;
  for (const ChainPath& p : out.paths) {
    out.sum += p.product;
    const std::string t = format_number(p.product);
    terms += terms.empty() ? t : (p.product < 0 ? " + (" + t + ")" : " + " + t);
  }
  out.sum_text = out.paths.size() > 1 ? terms + " = " + format_number(out.sum) : format_number(out.sum);
  return out;
}

}  // namespace gs::app
