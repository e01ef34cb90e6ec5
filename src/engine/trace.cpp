// The traces and the node-level text as rows in the seed's notation, built from the results of
// autodiff.cpp and the op catalogue's templates, with the one set of formatting rules of trace.h.
// Nothing is evaluated here. Depends on trace.h.
//
// [SECTION] notation and the formatting rules
// [SECTION] one partial adjoint, in symbols and with numbers
// [SECTION] the three traces
// [SECTION] rows as lines and cells
// [SECTION] node text
#include "trace.h"

#include <cmath>

namespace gs {

// =================================================================================================
// [SECTION] notation and the formatting rules
// =================================================================================================

namespace {

constexpr const char* kBar = "\u0304";  // combining macron: v̄
constexpr const char* kDot = "\u0307";  // combining dot above: v̇

std::string marked(std::string_view label, const char* mark) {
  if (label.empty()) return std::string(label);
  // The mark goes on the first character (ASCII in every engine label).
  return std::string(label.substr(0, 1)) + mark + std::string(label.substr(1));
}

// A value as it is substituted into a formula: numbers in full (the template brackets negative
// ones where needed); tensors by their shape, so that a row stays one readable line.
std::string operand_text(const TensorD& t) {
  if (t.rank() > 0 && t.size() != 1) return t.shape().to_string();
  return format_number(t[0]);
}

// Wraps a factor in parentheses unless it is a single atom ("v2", "5", "cos v2").
std::string factor(const std::string& s) {
  bool compound = s.find(" + ") != std::string::npos || s.find(" − ") != std::string::npos ||
                  s.find('/') != std::string::npos || s.find("·") != std::string::npos ||
                  s.rfind("−", 0) == 0 || s.rfind("-", 0) == 0 || s.find(" - ") != std::string::npos;
  return compound ? "(" + s + ")" : s;
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

// "a = b = c", leaving out empty parts.
std::string chain(std::initializer_list<const std::string*> parts) {
  std::string out;
  for (const std::string* p : parts) {
    if (p->empty()) continue;
    out += (out.empty() ? "" : " = ") + *p;
  }
  return out;
}

bool finite(const TensorD& t) {
  for (double v : t)
    if (!std::isfinite(v)) return false;
  return true;
}

// Labels of a node's inputs, for filling templates; with an evaluation, their values too.
struct Operands {
  std::string labels[3], values[3];
  int arity = 0;
};
Operands operand_labels(const Graph& g, const Node& n) {
  Operands o;
  o.arity = n.arity;
  for (int i = 0; i < n.arity; ++i) o.labels[i] = g.label(n.inputs[i]);
  return o;
}
Operands operands(const Graph& g, const Evaluation& ev, const Node& n) {
  Operands o = operand_labels(g, n);
  for (int i = 0; i < n.arity; ++i) o.values[i] = operand_text(ev[n.inputs[i]]);
  return o;
}

std::string fill(const Node& n, const char* tmpl, const std::string* args, std::string_view y, std::string_view g) {
  return fill_op_template(op_def(n.op), n.attrs, tmpl, args, n.arity, y, g);
}

}  // namespace

std::string subscript(std::string_view digits) {
  static constexpr const char* kSub[] = {"₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"};
  std::string out;
  for (char c : digits) out += (c >= '0' && c <= '9') ? kSub[c - '0'] : std::string(1, c);
  return out;
}

std::string adjoint_label(std::string_view label) { return marked(label, kBar); }
std::string tangent_label(std::string_view label) { return marked(label, kDot); }

std::string partial_adjoint_name(const Graph& g, NodeId from, NodeId to) {
  const int a = g.node(from).v, b = g.node(to).v;
  if (g.node(from).kind == NodeKind::Constant || a <= 0 || b <= 0)
    return adjoint_label(g.label(from)) + "→" + g.label(to);
  return std::string("v") + kBar + subscript(std::to_string(a)) + "→" + subscript(std::to_string(b));
}

// =================================================================================================
// [SECTION] one partial adjoint, in symbols and with numbers
// =================================================================================================

namespace {

// v̄(i→j) through slot `slot` of node j: v̄j·∂vj/∂vi for elementwise ops, the matrix-form rule
// otherwise. `args` fill the inputs, `y` the node, `g` its adjoint (labels, values or shapes).
std::string partial_term(const Node& j, int slot, const std::string* args, std::string_view y, std::string_view g) {
  const OpDef& def = op_def(j.op);
  if (def.local_derivative[static_cast<std::size_t>(slot)])
    return factor(std::string(g)) + "·" + factor(fill(j, def.local_derivative[static_cast<std::size_t>(slot)], args, y, g));
  const char* rule = def.reverse_rule[static_cast<std::size_t>(slot)] ? def.reverse_rule[static_cast<std::size_t>(slot)]
                                                                      : "{g}·∂y/∂x";
  return fill(j, rule, args, y, g);
}

}  // namespace

// =================================================================================================
// [SECTION] the three traces
// =================================================================================================

std::vector<ForwardStep> forward_trace(const Graph& g, const Evaluation& ev, const NonFinite& bad) {
  std::vector<ForwardStep> rows;
  for (NodeId id : g.order()) {
    const Node& n = g.node(id);
    if (n.kind == NodeKind::Constant) continue;
    ForwardStep s;
    s.node = id;
    s.lhs = g.label(id);
    s.value = format_tensor(ev[id]);
    if (n.kind == NodeKind::Input) {
      s.formula = n.name;
    } else {
      Operands o = operands(g, ev, n);
      const char* tmpl = op_def(n.op).formula;
      s.formula = fill(n, tmpl, o.labels, s.lhs, "");
      s.substituted = fill(n, tmpl, o.values, s.value, "");
    }
    s.finite = finite(ev[id]);
    if (bad.node == id) s.problem = bad.reason;
    else if (!s.finite) s.problem = "not finite: an input is already nan/inf";
    rows.push_back(std::move(s));
  }
  return rows;
}

std::vector<ForwardStep> forward_trace(const Graph& g, const Evaluation& ev) {
  return forward_trace(g, ev, first_non_finite(g, ev));
}

namespace {
// The note of a reverse row whose adjoint is not finite: the first partial adjoint that turns
// finite numbers into NaN/inf names its local derivative; otherwise what the NaN comes from.
std::string reverse_problem(const Graph& g, const Evaluation& ev, const ReverseResult& r, const ReverseStep& s) {
  std::string inherited;
  for (const ReverseTerm& t : s.terms) {
    if (finite(r.partials[t.partial].value)) continue;
    const Node& c = g.node(t.to);
    const std::string j = g.label(t.to);
    if (!finite(r[t.to])) {
      if (inherited.empty()) inherited = "not finite: " + adjoint_label(j) + " is already nan/inf";
      continue;
    }
    bool forward_finite = finite(ev[t.to]);
    for (int i = 0; i < c.arity; ++i) forward_finite = forward_finite && finite(ev[c.inputs[i]]);
    if (!forward_finite) {
      if (inherited.empty())
        inherited = "not finite: the forward values of " + j + " = " + g.formula(t.to) + " are already nan/inf";
      continue;
    }
    const std::string what = t.local.empty() ? "the reverse rule " + t.name + " = " + t.symbolic
                                             : "∂" + j + "/∂" + g.label(c.inputs[t.slot]) + " = " + t.local;
    return what + " is not finite here: " + op_def(c.op).name + " has no finite derivative at these values";
  }
  return inherited.empty() ? "not finite: the sum of the partial adjoints overflowed" : inherited;
}
}  // namespace

std::vector<ReverseStep> reverse_trace(const Graph& g, const Evaluation& ev, const ReverseResult& r) {
  // Partial adjoints grouped by the node that receives them, in the order they were computed.
  std::vector<std::vector<const PartialAdjoint*>> incoming(static_cast<std::size_t>(g.size()));
  for (const PartialAdjoint& p : r.partials) incoming[p.from.index].push_back(&p);

  std::vector<ReverseStep> rows;
  for (NodeId id : r.visit_order) {
    ReverseStep s;
    s.node = id;
    s.lhs = adjoint_label(g.label(id));
    s.value = format_tensor(r[id]);
    s.finite = finite(r[id]);
    if (incoming[id.index].empty()) {
      // The seed: v̄y = ∂y/∂y = 1 (ones for a tensor output: the gradient of its sum), with the
      // output's own name when a statement gave it one (∂L/∂L).
      const Node& out = g.node(id);
      const std::string y = out.kind == NodeKind::Op && !out.name.empty() ? out.name : std::string("y");
      s.symbolic = "∂" + y + "/∂" + y;
      rows.push_back(std::move(s));
      continue;
    }
    std::vector<std::string> sym, sub, sums;
    for (const PartialAdjoint* p : incoming[id.index]) {
      const Node& c = g.node(p->to);
      const OpDef& def = op_def(c.op);
      Operands o = operands(g, ev, c);
      ReverseTerm t;
      t.to = p->to;
      t.slot = p->slot;
      t.partial = static_cast<std::size_t>(p - r.partials.data());
      t.name = partial_adjoint_name(g, id, p->to);
      const std::string g_label = adjoint_label(g.label(p->to)), y_label = g.label(p->to);
      if (const char* local = def.local_derivative[static_cast<std::size_t>(p->slot)])
        t.local = fill(c, local, o.labels, y_label, g_label);
      t.symbolic = partial_term(c, p->slot, o.labels, y_label, g_label);
      t.substituted = partial_term(c, p->slot, o.values, operand_text(ev[p->to]), operand_text(r[p->to]));
      t.value = format_tensor(p->value);
      t.line = chain({&t.name, &t.symbolic, &t.substituted, &t.value});
      sym.push_back(t.symbolic);
      sub.push_back(t.substituted);
      // A negative value after " + " touches the operator: "-1 + (-0.2)".
      sums.push_back(!sums.empty() && t.value.rfind("-", 0) == 0 ? "(" + t.value + ")" : t.value);
      s.terms.push_back(std::move(t));
    }
    s.symbolic = join(sym, " + ");
    s.substituted = join(sub, " + ");
    if (s.terms.size() > 1) s.partial_sum = join(sums, " + ");
    if (!s.finite) s.problem = reverse_problem(g, ev, r, s);
    rows.push_back(std::move(s));
  }
  return rows;
}

std::vector<TangentStep> tangent_trace(const Graph& g, const Evaluation& ev, const TangentResult& t) {
  std::vector<TangentStep> rows;
  for (NodeId id : g.order()) {
    const Node& n = g.node(id);
    if (n.kind == NodeKind::Constant) continue;
    TangentStep s;
    s.node = id;
    s.lhs = tangent_label(g.label(id));
    s.value = format_tensor(t[id]);
    s.finite = finite(t[id]);
    if (n.kind == NodeKind::Input) {
      s.symbolic = id == t.input ? "∂" + n.name + "/∂" + n.name : "∂" + n.name + "/∂" + g.node(t.input).name;
      rows.push_back(std::move(s));
      continue;
    }
    const OpDef& def = op_def(n.op);
    Operands o = operands(g, ev, n);
    std::vector<std::string> sym, sub;
    for (int slot = 0; slot < n.arity; ++slot) {
      const NodeId in = n.inputs[slot];
      if (g.node(in).kind == NodeKind::Constant) continue;
      const std::string d_label = tangent_label(g.label(in)), d_value = operand_text(t[in]);
      if (const char* local = def.local_derivative[static_cast<std::size_t>(slot)]) {
        sym.push_back(d_label + "·" + factor(fill(n, local, o.labels, g.label(id), "")));
        sub.push_back(factor(d_value) + "·" + factor(fill(n, local, o.values, operand_text(ev[id]), "")));
      } else {
        // Non-elementwise ops: the directional derivative of the op along v̇i.
        sym.push_back("∂(" + fill(n, def.formula, o.labels, "", "") + ")/∂" + g.label(in) + "·" + d_label);
        sub.push_back(factor(d_value));
      }
    }
    s.symbolic = sym.empty() ? "0" : join(sym, " + ");
    s.substituted = join(sub, " + ");
    rows.push_back(std::move(s));
  }
  return rows;
}

// =================================================================================================
// [SECTION] rows as lines and cells
// =================================================================================================

std::string to_line(const ForwardStep& s) {
  // An input row reads "v1 = x1 = 2"; an op row "v3 = ln v1 = ln 2 = 0.69315".
  return chain({&s.lhs, &s.formula, &s.substituted, &s.value});
}
std::string to_line(const ReverseStep& s) {
  return chain({&s.lhs, &s.symbolic, &s.substituted, &s.partial_sum, &s.value});
}
std::string to_line(const TangentStep& s) { return chain({&s.lhs, &s.symbolic, &s.substituted, &s.value}); }

TraceCells trace_cells(const ForwardStep& s) { return {s.node, s.lhs, s.formula, s.substituted, s.value, to_line(s), s.finite}; }
TraceCells trace_cells(const ReverseStep& s) {
  const std::string sum = s.partial_sum != s.substituted ? s.partial_sum : std::string();
  return {s.node, s.lhs, s.symbolic, chain({&s.substituted, &sum}), s.value, to_line(s), s.finite};
}
TraceCells trace_cells(const TangentStep& s) {
  return {s.node, s.lhs, s.symbolic, s.substituted, s.value, to_line(s), s.finite};
}

// =================================================================================================
// [SECTION] node text
// =================================================================================================

NodeText node_text(const Graph& g, NodeId id) {
  NodeText t;
  const Node& n = g.node(id);
  t.label = g.label(id);
  t.formula = g.formula(id);
  // A statement's name between label and formula, as the notes write flat code: "v6 = s0 = v1·v2".
  const std::string named = n.kind == NodeKind::Op && !n.name.empty() ? n.name + " = " : std::string();
  t.heading = t.formula == t.label ? t.label : t.label + " = " + named + t.formula;
  if (n.shape.rank() > 0) t.shape = n.shape.to_string();
  if (n.kind != NodeKind::Op) return t;
  const OpDef& def = op_def(n.op);
  const Operands o = operand_labels(g, n);
  std::string shapes[3];
  for (int i = 0; i < n.arity; ++i) shapes[i] = g.node(n.inputs[i]).shape.to_string();
  const std::string y = t.label, g_label = adjoint_label(t.label), y_shape = n.shape.to_string();
  for (int slot = 0; slot < n.arity; ++slot) {
    PartialRule p;
    p.from = n.inputs[slot];
    p.slot = slot;
    p.gets_adjoint = def.differentiable && g.node(p.from).requires_grad;
    p.name = partial_adjoint_name(g, p.from, id);
    if (const char* local = def.local_derivative[static_cast<std::size_t>(slot)])
      p.local = "∂" + y + "/∂" + o.labels[slot] + " = " + fill(n, local, o.labels, y, g_label);
    if (def.differentiable) p.rule = p.name + " = " + partial_term(n, slot, o.labels, y, g_label);
    if (const char* rule = def.reverse_rule[static_cast<std::size_t>(slot)]; rule && !def.elementwise)
      p.shapes = shapes[slot] + " = " + fill(n, rule, shapes, y_shape, y_shape);
    t.partials.push_back(std::move(p));
  }
  return t;
}

}  // namespace gs
