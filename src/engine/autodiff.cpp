// Forward evaluation, reverse mode with partial adjoints, forward mode, and reverse mode by
// extending the graph: topological sweeps over a Graph calling each op's rules from the catalogue.
// Depends on graph.h and op.h; no printing (traces are built from these results in trace.cpp).
#include "autodiff.h"

#include <cmath>

namespace gs {

// [SECTION] bindings

void check_bindings(const Graph& g, const Bindings& b) {
  std::size_t matched = 0;
  for (int i = 0; i < g.size(); ++i) {
    const Node& n = g.node(NodeId{i});
    if (n.kind != NodeKind::Input) continue;
    auto it = b.find(n.name);
    if (it == b.end()) throw BindingError("missing value for input '" + n.name + "'");
    if (it->second.shape() != n.shape)
      throw BindingError("input '" + n.name + "' has shape " + n.shape.to_string() + ", its value is " +
                         it->second.shape().to_string());
    ++matched;
  }
  if (matched == b.size()) return;  // input names are unique: every value has its input
  std::string names;
  for (NodeId id : g.inputs()) names += (names.empty() ? "" : ", ") + g.node(id).name;
  for (const auto& [name, value] : b)
    if (!g.find_input(name).valid())
      throw BindingError("value for '" + name + "', which is not an input (inputs: " + (names.empty() ? "none" : names) + ")");
}

// [SECTION] forward evaluation

namespace {
OpArgs args_of(const Node& n, const std::vector<TensorD>& values, const TensorD** in, const TensorD* out) {
  for (int i = 0; i < n.arity; ++i) in[i] = &values[n.inputs[i].index];
  return OpArgs{in, n.arity, out, &n.attrs};
}
}  // namespace

namespace {
// Evaluates in creation order, a topological order (every input of a node was created before
// it); value_of(node, k) gives the value of the k-th input node.
template <class ValueOf>
void evaluate_nodes(const Graph& g, Evaluation* ev, ValueOf value_of) {
  ev->values.resize(static_cast<std::size_t>(g.size()));
  int k = 0;
  for (int i = 0; i < g.size(); ++i) {
    const Node& n = g.node(NodeId{i});
    TensorD& out = ev->values[i];
    switch (n.kind) {
      case NodeKind::Input: out = value_of(n, k++); break;
      case NodeKind::Constant: out = g.constant_value(NodeId{i}); break;
      case NodeKind::Op: {
        const TensorD* in[3];
        op_def(n.op).forward(args_of(n, ev->values, in, nullptr), out);
        break;
      }
    }
  }
}
}  // namespace

void evaluate_into(const Graph& g, const Bindings& b, Evaluation* ev) {
  std::size_t matched = 0;
  evaluate_nodes(g, ev, [&](const Node& n, int) -> const TensorD& {
    auto it = b.find(n.name);
    if (it == b.end() || it->second.shape() != n.shape) check_bindings(g, b);  // throws, naming it
    ++matched;
    return it->second;
  });
  if (matched != b.size()) check_bindings(g, b);  // a value for no input: throws, naming it
}

void evaluate_into(const Graph& g, const TensorD* const* input_values, Evaluation* ev) {
  evaluate_nodes(g, ev, [&](const Node& n, int k) -> const TensorD& {
    if (input_values[k]->shape() != n.shape)
      throw BindingError("input '" + n.name + "' has shape " + n.shape.to_string() + ", its value is " +
                         input_values[k]->shape().to_string());
    return *input_values[k];
  });
}

Evaluation evaluate(const Graph& g, const Bindings& b) {
  Evaluation ev;
  evaluate_into(g, b, &ev);
  return ev;
}

// [SECTION] reverse mode: v̄i = Σ_j v̄(i→j), v̄(i→j) = v̄j · ∂vj/∂vi

void reverse_into(const Graph& g, const Evaluation& ev, NodeId output, bool record_partials, ReverseResult* r) {
  const std::size_t n = static_cast<std::size_t>(g.size());
  r->adjoints.resize(n);
  r->has_adjoint.assign(n, false);
  r->partials.clear();
  r->visit_order.clear();
  if (!output.valid() || output.index >= g.size()) throw GraphError("reverse mode: no output node");
  r->adjoints[output.index] = TensorD(g.node(output).shape, 1.0);
  r->has_adjoint[output.index] = true;

  // The seed's order: v-numbers descending (a reverse topological order).
  const std::vector<NodeId>& order = g.order();
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const NodeId j = *it;
    if (!r->has_adjoint[j.index]) continue;
    const Node& node = g.node(j);
    if (node.kind == NodeKind::Constant) continue;
    r->visit_order.push_back(j);
    if (node.kind != NodeKind::Op) continue;
    const OpDef& def = op_def(node.op);
    const TensorD* in[3];
    OpArgs args = args_of(node, ev.values, in, &ev.values[j.index]);
    for (int slot = 0; slot < node.arity; ++slot) {
      const NodeId i = node.inputs[slot];
      if (!g.node(i).requires_grad) continue;
      if (!record_partials && !r->has_adjoint[i.index]) {
        // First partial adjoint into i: written in place (the common case in training loops).
        def.vjp(slot, args, r->adjoints[j.index], r->adjoints[i.index]);
        r->has_adjoint[i.index] = true;
        continue;
      }
      TensorD partial;
      def.vjp(slot, args, r->adjoints[j.index], partial);
      // Accumulate, never overwrite: a node used twice (x·x, fan-out) sums its partial adjoints.
      if (r->has_adjoint[i.index]) {
        r->adjoints[i.index].array() += partial.array();
      } else {
        if (record_partials) r->adjoints[i.index] = partial;
        else r->adjoints[i.index] = std::move(partial);
        r->has_adjoint[i.index] = true;
      }
      if (record_partials) r->partials.push_back(PartialAdjoint{i, j, slot, std::move(partial)});
    }
  }
}

ReverseResult reverse(const Graph& g, const Evaluation& ev, NodeId output, bool record_partials) {
  ReverseResult r;
  reverse_into(g, ev, output, record_partials, &r);
  return r;
}

// [SECTION] forward mode: v̇j = Σ_i ∂vj/∂vi · v̇i

TangentResult tangent(const Graph& g, const Evaluation& ev, NodeId input, const TensorD* direction) {
  TangentResult t;
  t.input = input;
  const std::size_t n = static_cast<std::size_t>(g.size());
  t.tangents.resize(n);
  t.nonzero.assign(n, false);
  if (!input.valid() || g.node(input).kind != NodeKind::Input) throw GraphError("forward mode needs an input node");
  if (direction && direction->shape() != g.node(input).shape)
    throw GraphError("direction " + direction->shape().to_string() + " does not match input '" +
                     g.node(input).name + "' " + g.node(input).shape.to_string());
  for (int k = 0; k < g.size(); ++k) {
    const Node& node = g.node(NodeId{k});
    if (k == input.index) {
      t.tangents[k] = direction ? *direction : TensorD(node.shape, 1.0);
      t.nonzero[k] = true;
      continue;
    }
    bool any = false;
    const TensorD* dx[3] = {nullptr, nullptr, nullptr};
    if (node.kind == NodeKind::Op && op_def(node.op).differentiable) {
      for (int s = 0; s < node.arity; ++s) {
        if (t.nonzero[node.inputs[s].index]) {
          dx[s] = &t.tangents[node.inputs[s].index];
          any = true;
        }
      }
    }
    if (!any) {
      t.tangents[k] = TensorD(node.shape);
      continue;
    }
    const TensorD* in[3];
    op_def(node.op).jvp(args_of(node, ev.values, in, &ev.values[k]), dx, t.tangents[k]);
    t.nonzero[k] = true;
  }
  return t;
}

// [SECTION] reverse mode by extending the graph

GradientGraph gradient_graph(const Graph& g, NodeId output) {
  GradientGraph r;
  r.graph = g;
  r.original_size = g.size();
  r.adjoint.assign(static_cast<std::size_t>(g.size()), NodeId{});
  Graph& gg = r.graph;
  r.adjoint[output.index] = gg.constant(TensorD(g.node(output).shape, 1.0));

  const std::vector<NodeId> order = g.order();  // a copy: gg grows, g does not
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const NodeId j = *it;
    const NodeId adj_j = r.adjoint[j.index];
    if (!adj_j.valid()) continue;
    // Copies: adding nodes to gg may move its storage.
    const Node node = g.node(j);
    if (node.kind != NodeKind::Op) continue;
    const OpDef& def = op_def(node.op);
    for (int slot = 0; slot < node.arity; ++slot) {
      const NodeId i = node.inputs[slot];
      if (!g.node(i).requires_grad) continue;
      if (!def.vjp_graph)
        throw GraphError(std::string("the reverse rule of ") + def.name +
                             " cannot be differentiated again (no symbolic reverse rule)", j);
      SymArgs args{&gg, node.inputs.data(), node.arity, &j, &node.attrs};
      NodeId partial = def.vjp_graph(slot, args, adj_j);
      r.partials.push_back({partial, i, j});
      NodeId& acc = r.adjoint[i.index];
      acc = acc.valid() ? gg.op(Op::Add, {acc, partial}) : partial;
    }
  }
  return r;
}

double second_derivative(const Graph& g, const Bindings& b, std::string_view input) {
  NodeId x = g.find_input(input);
  if (!x.valid()) throw BindingError("no input named '" + std::string(input) + "'");
  if (g.node(x).shape.size() != 1 || g.node(g.output()).shape.size() != 1)
    throw GraphError("second derivatives need a scalar output and a scalar input");
  GradientGraph gg = gradient_graph(g, g.output());
  NodeId dy_dx = gg.adjoint[x.index];
  if (!dy_dx.valid()) return 0.0;
  Evaluation ev = evaluate(gg.graph, b);
  ReverseResult r = reverse(gg.graph, ev, dy_dx, false);
  return r.has_adjoint[x.index] ? r.adjoints[x.index][0] : 0.0;
}

Bindings hessian_vector_product(const Graph& g, const Bindings& b, const Bindings& v) {
  if (g.node(g.output()).shape.size() != 1) throw GraphError("Hessian-vector products need a scalar output");
  return SecondOrder(g).hvp(b, v);
}

// [SECTION] second derivatives: H·v as reverse mode over the extended graph

SecondOrder::SecondOrder(const Graph& g) {
  GradientGraph gg = gradient_graph(g, g.output());
  h_ = std::move(gg.graph);
  for (NodeId x : g.inputs()) {
    const Node& node = g.node(x);
    inputs_.push_back(x);
    names_.push_back(node.name);
    elements_ += node.shape.size();
    const NodeId adjoint = gg.adjoint[x.index];
    if (!adjoint.valid()) {  // the output does not depend on x: its row and column of H are 0
      direction_names_.emplace_back();
      continue;
    }
    // Not an identifier, so no name of the expression can take it.
    direction_names_.push_back("direction of " + node.name);
    const NodeId v = h_.input(direction_names_.back(), node.shape);
    const NodeId term = h_.op(Op::Sum, {h_.op(Op::Mul, {adjoint, v})});
    s_ = s_.valid() ? h_.op(Op::Add, {s_, term}) : term;
  }
}

Bindings SecondOrder::hvp(const Bindings& b, const Bindings& v) const {
  Bindings values = b;
  Bindings out;
  for (std::size_t k = 0; k < inputs_.size(); ++k) {
    const Shape& shape = h_.node(inputs_[k]).shape;
    auto it = v.find(names_[k]);
    if (it == v.end()) throw BindingError("missing direction for input '" + names_[k] + "'");
    if (it->second.shape() != shape)
      throw BindingError("the direction for input '" + names_[k] + "' is " + it->second.shape().to_string() +
                         ", the input is " + shape.to_string());
    if (!direction_names_[k].empty()) values[direction_names_[k]] = it->second;
    out[names_[k]] = TensorD(shape);
  }
  if (v.size() != inputs_.size())
    for (const auto& [name, value] : v)
      if (!out.count(name)) throw BindingError("direction for '" + name + "', which is not an input");
  check_bindings(h_, values);  // b's own mistakes are named as evaluate() names them
  if (!s_.valid()) return out;
  const Evaluation ev = evaluate(h_, values);
  const ReverseResult r = reverse(h_, ev, s_, false);
  for (std::size_t k = 0; k < inputs_.size(); ++k)
    if (r.has_adjoint[inputs_[k].index]) out[names_[k]] = r.adjoints[inputs_[k].index];
  return out;
}

TensorD SecondOrder::hessian(const Bindings& b) const {
  const Index n = elements_;
  TensorD hessian(Shape{n, n});
  Bindings direction;
  for (std::size_t k = 0; k < inputs_.size(); ++k) direction[names_[k]] = TensorD(h_.node(inputs_[k]).shape);
  Index column = 0;
  for (std::size_t k = 0; k < inputs_.size(); ++k) {
    TensorD& e = direction[names_[k]];
    for (Index i = 0; i < e.size(); ++i, ++column) {
      e[i] = 1.0;
      const Bindings hv = hvp(b, direction);  // H·e_column
      e[i] = 0.0;
      Index row = 0;
      for (const std::string& name : names_)
        for (double value : hv.at(name)) hessian[row++ * n + column] = value;
    }
  }
  return hessian;
}

std::vector<std::string> SecondOrder::hessian_labels() const {
  std::vector<std::string> labels;
  for (std::size_t k = 0; k < inputs_.size(); ++k) {
    const Shape& shape = h_.node(inputs_[k]).shape;
    if (shape.is_scalar()) {
      labels.push_back(names_[k]);
      continue;
    }
    for (Index flat = 0; flat < shape.size(); ++flat) {
      std::string index;
      Index rest = flat;
      for (int axis = shape.rank() - 1; axis >= 0; --axis) {
        index = std::to_string(rest % shape[axis]) + (index.empty() ? "" : ",") + index;
        rest /= shape[axis];
      }
      labels.push_back(names_[k] + "[" + index + "]");
    }
  }
  return labels;
}

// [SECTION] where NaN and infinities come from

namespace {
bool all_finite(const TensorD& t) {
  for (double v : t)
    if (!std::isfinite(v)) return false;
  return true;
}
// The op's own reason (its catalogue entry), else the generic one.
std::string reason_for(const Node& n, const TensorD* const* in) {
  const OpDef& def = op_def(n.op);
  if (def.non_finite_reason) return def.non_finite_reason(in, n.arity);
  return "the result is not finite (an overflow or an undefined operation)";
}
}  // namespace

NonFinite first_non_finite(const Graph& g, const Evaluation& ev) {
  for (NodeId id : g.order()) {
    const TensorD& v = ev[id];
    if (all_finite(v)) continue;
    const Node& n = g.node(id);
    if (n.kind == NodeKind::Input) return {id, "the value of input '" + n.name + "' is not finite"};
    if (n.kind == NodeKind::Constant) return {id, "the constant is not finite"};
    const TensorD* in[3] = {nullptr, nullptr, nullptr};
    bool inputs_finite = true;
    for (int i = 0; i < n.arity; ++i) {
      in[i] = &ev[n.inputs[i]];
      inputs_finite = inputs_finite && all_finite(*in[i]);
    }
    if (inputs_finite) return {id, reason_for(n, in)};
  }
  return {};
}

}  // namespace gs
