// The `scalar` workload: per step, the graph is built anew from scalar nodes, evaluated,
// differentiated in reverse mode, and the parameters updated by SGD, as micrograd does.
#include "bench_scalar.h"

#include <chrono>
#include <random>
#include <string>

namespace gs::cli {

ScalarMlp make_scalar_mlp(unsigned seed) {
  ScalarMlp m;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (std::size_t l = 0; l + 1 < m.sizes.size(); ++l)
    for (int j = 0; j < m.sizes[l + 1]; ++j)
      for (int i = 0; i <= m.sizes[l]; ++i) m.params.push_back(u(rng));
  for (int i = 0; i < m.sizes[0]; ++i) m.x.push_back(u(rng));
  // Names are made once: a step should measure the graph, not string formatting.
  for (std::size_t i = 0; i < m.params.size(); ++i) m.param_names.push_back(std::string("p").append(std::to_string(i)));
  for (std::size_t i = 0; i < m.x.size(); ++i) m.x_names.push_back(std::string("x").append(std::to_string(i)));
  return m;
}


Graph build_scalar_mlp_graph(const ScalarMlp& m) {
  Graph g;
  g.reserve(256);
  const auto& pn = m.param_names;
  const auto& xn = m.x_names;
  std::vector<NodeId> act;
  for (std::size_t i = 0; i < m.x.size(); ++i) act.push_back(g.input(xn[i], Shape()));
  std::size_t p = 0;
  for (std::size_t l = 0; l + 1 < m.sizes.size(); ++l) {
    std::vector<NodeId> next;
    for (int j = 0; j < m.sizes[l + 1]; ++j) {
      // micrograd's Neuron: tanh(b + Σ wi·xi), summed left to right
      std::vector<NodeId> w;
      for (int i = 0; i < m.sizes[l]; ++i) w.push_back(g.input(pn[p++], Shape()));
      NodeId sum = g.input(pn[p++], Shape());
      for (int i = 0; i < m.sizes[l]; ++i) sum = g.op(Op::Add, {sum, g.op(Op::Mul, {w[i], act[i]})});
      next.push_back(g.op(Op::Tanh, {sum}));
    }
    act = std::move(next);
  }
  NodeId diff = g.op(Op::Sub, {act[0], g.constant(TensorD::scalar(1.0))});
  g.set_output(g.op(Op::Pow, {diff, g.constant(TensorD::scalar(2.0))}));
  return g;
}

double bench_scalar(int steps, int* nodes, double* final_loss) {
  ScalarMlp m = make_scalar_mlp(42);
  const auto& pn = m.param_names;
  const auto& xn = m.x_names;
  Bindings b;
  for (std::size_t i = 0; i < m.x.size(); ++i) b[xn[i]] = TensorD::scalar(m.x[i]);
  for (std::size_t i = 0; i < m.params.size(); ++i) b[pn[i]] = TensorD::scalar(m.params[i]);
  std::vector<TensorD*> param_values;
  for (std::size_t i = 0; i < m.params.size(); ++i) param_values.push_back(&b[pn[i]]);
  // The graph creates its inputs in the same order each step: x0, x1, then p0, p1, ...
  std::vector<const TensorD*> input_values;
  for (std::size_t i = 0; i < m.x.size(); ++i) input_values.push_back(&b[xn[i]]);
  for (TensorD* p : param_values) input_values.push_back(p);

  Evaluation ev;
  ReverseResult r;
  double loss = 0;
  auto step = [&] {
    Graph g = build_scalar_mlp_graph(m);
    evaluate_into(g, input_values.data(), &ev);
    loss = ev[g.output()][0];
    reverse_into(g, ev, g.output(), false, &r);
    // SGD: p −= 0.01·∂loss/∂p. Parameters are the graph's inputs after the data.
    std::size_t k = 0;
    for (int i = 0; i < g.size(); ++i) {
      const Node& n = g.node(NodeId{i});
      if (n.kind != NodeKind::Input || n.name[0] != 'p') continue;
      double grad = r.has_adjoint[i] ? r.adjoints[i][0] : 0.0;
      m.params[k] -= 0.01 * grad;
      (*param_values[k])[0] = m.params[k];
      ++k;
    }
    if (nodes) *nodes = g.size();
  };
  for (int i = 0; i < std::max(10, steps / 10); ++i) step();
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < steps; ++i) step();
  auto t1 = std::chrono::steady_clock::now();
  if (final_loss) *final_loss = loss;
  return std::chrono::duration<double, std::milli>(t1 - t0).count() / steps;
}

}  // namespace gs::cli
