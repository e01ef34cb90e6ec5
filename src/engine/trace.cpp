// The traces as text rows in the seed's notation, built from the results of autodiff.cpp and the
// op catalogue's templates. Nothing is evaluated here. Depends on trace.h.
#include "trace.h"

#include <cmath>

namespace gs {
namespace {

constexpr const char* kBar = "\u0304";  // combining macron: v̄
constexpr const char* kDot = "\u0307";  // combining dot above: v̇

std::string adjoint_name(const Graph& g, NodeId id) { return "v" + std::string(kBar) + std::to_string(g.node(id).v); }
std::string tangent_name(const Graph& g, NodeId id) { return "v" + std::string(kDot) + std::to_string(g.node(id).v); }
std::string with_mark(std::string label, const char* mark) {
  // "v12" -> "v̄12": the mark goes on the v.
  if (!label.empty() && label[0] == 'v') label.insert(1, mark);
  return label;
}

// A value as it is substituted into a formula: numbers in full, negative ones in parentheses;
// tensors by their shape, so that a row stays one readable line.
std::string operand_text(const TensorD& t) {
  if (t.rank() > 0 && t.size() != 1) return t.shape().to_string();
  std::string s = format_number(t[0]);
  return s[0] == '-' ? "(" + s + ")" : s;
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

bool finite(const TensorD& t) {
  for (double v : t)
    if (!std::isfinite(v)) return false;
  return true;
}

// Labels and value texts of a node's inputs, for filling templates.
struct Operands {
  std::string labels[3], values[3];
  int arity = 0;
};
Operands operands(const Graph& g, const Evaluation& ev, const Node& n) {
  Operands o;
  o.arity = n.arity;
  for (int i = 0; i < n.arity; ++i) {
    o.labels[i] = g.label(n.inputs[i]);
    if (!o.labels[i].empty() && o.labels[i][0] == '-') o.labels[i] = "(" + o.labels[i] + ")";
    o.values[i] = operand_text(ev[n.inputs[i]]);
  }
  return o;
}

}  // namespace

std::vector<ForwardStep> forward_trace(const Graph& g, const Evaluation& ev) {
  std::vector<ForwardStep> rows;
  NonFinite bad = first_non_finite(g, ev);
  for (NodeId id : g.order()) {
    const Node& n = g.node(id);
    if (n.kind == NodeKind::Constant) continue;
    ForwardStep s;
    s.node = id;
    s.lhs = g.label(id);
    s.value = format_tensor(ev[id]);
    if (n.kind == NodeKind::Input) {
      s.formula = n.name;
      s.substituted = "";
    } else {
      Operands o = operands(g, ev, n);
      const char* tmpl = op_def(n.op).formula;
      s.formula = fill_template(tmpl, o.labels, o.arity, s.lhs, "");
      s.substituted = fill_template(tmpl, o.values, o.arity, s.value, "");
    }
    s.finite = finite(ev[id]);
    if (bad.node == id) s.problem = bad.reason;
    else if (!s.finite) s.problem = "not finite: an input is already nan/inf";
    rows.push_back(std::move(s));
  }
  return rows;
}

std::vector<ReverseStep> reverse_trace(const Graph& g, const Evaluation& ev, const ReverseResult& r) {
  // Partial adjoints grouped by the node that receives them, in the order they were computed.
  std::vector<std::vector<const PartialAdjoint*>> incoming(static_cast<std::size_t>(g.size()));
  for (const PartialAdjoint& p : r.partials) incoming[p.from.index].push_back(&p);

  std::vector<ReverseStep> rows;
  for (NodeId id : r.visit_order) {
    ReverseStep s;
    s.node = id;
    s.lhs = adjoint_name(g, id);
    s.value = format_tensor(r[id]);
    s.finite = finite(r[id]);
    if (incoming[id.index].empty()) {
      // The seed: v̄y = ∂y/∂y = 1 (ones for a tensor output: the gradient of its sum).
      s.symbolic = "∂y/∂y";
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
      const std::string g_label = adjoint_name(g, p->to), g_value = operand_text(r[p->to]);
      const std::string y_label = g.label(p->to), y_value = operand_text(ev[p->to]);
      if (def.local_derivative[p->slot]) {
        t.local = fill_template(def.local_derivative[p->slot], o.labels, o.arity, y_label, g_label);
        std::string local_value = fill_template(def.local_derivative[p->slot], o.values, o.arity, y_value, g_value);
        t.symbolic = g_label + "·" + factor(t.local);
        t.substituted = g_value + "·" + factor(local_value);
      } else {
        const char* rule = def.reverse_rule[p->slot] ? def.reverse_rule[p->slot] : "{g}·∂y/∂x";
        t.symbolic = fill_template(rule, o.labels, o.arity, y_label, g_label);
        t.substituted = fill_template(rule, o.values, o.arity, y_value, g_value);
      }
      t.value = format_tensor(p->value);
      sym.push_back(t.symbolic);
      sub.push_back(t.substituted);
      sums.push_back(t.value);
      s.terms.push_back(std::move(t));
    }
    s.symbolic = join(sym, " + ");
    s.substituted = join(sub, " + ");
    if (s.terms.size() > 1) s.partial_sum = join(sums, " + ");
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
    s.lhs = tangent_name(g, id);
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
      const std::string d_label = with_mark(g.label(in), kDot), d_value = operand_text(t[in]);
      if (def.local_derivative[slot]) {
        std::string local = fill_template(def.local_derivative[slot], o.labels, o.arity, g.label(id), "");
        std::string local_value =
            fill_template(def.local_derivative[slot], o.values, o.arity, operand_text(ev[id]), "");
        sym.push_back(d_label + "·" + factor(local));
        sub.push_back(d_value + "·" + factor(local_value));
      } else {
        // Non-elementwise ops: the directional derivative of the op along v̇i.
        sym.push_back("∂(" + fill_template(def.formula, o.labels, o.arity, "", "") + ")/∂" + g.label(in) + "·" +
                      d_label);
        sub.push_back(d_value);
      }
    }
    s.symbolic = sym.empty() ? "0" : join(sym, " + ");
    s.substituted = join(sub, " + ");
    rows.push_back(std::move(s));
  }
  return rows;
}

namespace {
std::string chain(std::initializer_list<const std::string*> parts) {
  std::string out;
  for (const std::string* p : parts) {
    if (p->empty()) continue;
    out += (out.empty() ? "" : " = ") + *p;
  }
  return out;
}
}  // namespace

std::string to_line(const ForwardStep& s) {
  // An input row reads "v1 = x1 = 2"; an op row "v3 = ln v1 = ln 2 = 0.69315".
  return chain({&s.lhs, &s.formula, &s.substituted, &s.value});
}
std::string to_line(const ReverseStep& s) {
  return chain({&s.lhs, &s.symbolic, &s.substituted, &s.partial_sum, &s.value});
}
std::string to_line(const TangentStep& s) { return chain({&s.lhs, &s.symbolic, &s.substituted, &s.value}); }

}  // namespace gs
