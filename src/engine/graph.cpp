// Graph building (shape inference at insertion), the seed's node numbering, and the small text
// helpers every trace uses. Depends on op.h and tensor.h only.
#include "graph.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>

namespace gs {

// [SECTION] shapes

std::string Shape::to_string() const {
  if (rank_ == 0) return "scalar";
  std::string s = "[";
  for (int i = 0; i < rank_; ++i) {
    if (i) s += "×";
    s += std::to_string(dims_[i]);
  }
  return s + "]";
}

bool broadcast_shapes(const Shape& a, const Shape& b, Shape* out) {
  int rank = std::max(a.rank(), b.rank());
  Index dims[kMaxRank];
  for (int k = 0; k < rank; ++k) {
    // Align from the last axis, NumPy style.
    int ia = a.rank() - rank + k, ib = b.rank() - rank + k;
    Index da = ia >= 0 ? a[ia] : 1, db = ib >= 0 ? b[ib] : 1;
    if (da != db && da != 1 && db != 1) return false;
    dims[k] = da == 1 ? db : da;
  }
  *out = Shape::of_rank(rank, dims);
  return true;
}

bool within_element_limit(const Shape& s, std::string* error) {
  // Counted with a bound at every step: the plain product of four large extents overflows.
  Index count = 1;
  for (Index d : s) {
    if (d > 0 && count > kMaxTensorElements / d) {
      *error = "the result " + s.to_string() + " would have more than " + std::to_string(kMaxTensorElements) +
               " elements";
      return false;
    }
    count *= d;
  }
  return true;
}

// [SECTION] building

NodeId Graph::add(Node node) {
  NodeId id{static_cast<std::int32_t>(nodes_.size())};
  nodes_.push_back(std::move(node));
  order_valid_ = false;
  return id;
}

namespace {
// 64-bit FNV-1a: input names are short ("x1", "p117"), where it beats the library's hash.
std::size_t name_hash(std::string_view name) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : name) h = (h ^ c) * 0x100000001b3ULL;
  return static_cast<std::size_t>(h ^ (h >> 32));
}
}  // namespace

std::size_t Graph::input_slot(std::string_view name) const {
  const std::size_t mask = input_slots_.size() - 1;  // a power of two
  for (std::size_t at = name_hash(name) & mask;; at = (at + 1) & mask) {
    const std::int32_t id = input_slots_[at];
    if (id < 0 || nodes_[static_cast<std::size_t>(id)].name == name) return at;
  }
}

void Graph::grow_input_slots() {
  input_slots_.assign(std::max<std::size_t>(16, 2 * input_slots_.size()), -1);  // powers of two
  for (NodeId id : inputs_) input_slots_[input_slot(nodes_[static_cast<std::size_t>(id.index)].name)] = id.index;
}

NodeId Graph::input(std::string name, const Shape& shape) {
  NodeId id{static_cast<std::int32_t>(nodes_.size())};
  if (2 * (inputs_.size() + 1) > input_slots_.size()) grow_input_slots();
  const std::size_t slot = input_slot(name);
  if (input_slots_[slot] >= 0) throw GraphError("input '" + name + "' is defined twice");
  Node& n = nodes_.emplace_back();
  n.kind = NodeKind::Input;
  n.name = std::move(name);
  n.shape = shape;
  n.requires_grad = true;
  input_slots_[slot] = id.index;
  inputs_.push_back(id);
  order_valid_ = false;
  return id;
}

NodeId Graph::constant(TensorD value) {
  Node n;
  n.kind = NodeKind::Constant;
  n.shape = value.shape();
  n.constant_slot = static_cast<int>(constants_.size());
  constants_.push_back(std::move(value));
  return add(std::move(n));
}

void Graph::set_constant_value(NodeId id, TensorD value) {
  Node& n = nodes_[id.index];
  if (n.kind != NodeKind::Constant) throw GraphError("not a constant", id);
  if (value.shape() != n.shape)
    throw GraphError("new value " + value.shape().to_string() + " does not match " + n.shape.to_string(), id);
  constants_[n.constant_slot] = std::move(value);
}

NodeId Graph::op(Op op, std::initializer_list<NodeId> inputs, const OpAttrs& attrs) {
  return this->op(op, inputs.begin(), static_cast<int>(inputs.size()), attrs);
}

NodeId Graph::op(Op op, const NodeId* inputs, int arity, const OpAttrs& attrs) {
  const OpDef& def = op_def(op);
  if (arity < def.min_arity || arity > def.max_arity)
    throw GraphError(std::string(def.name) + " takes " + arity_text(def) + ", got " + std::to_string(arity));
  for (int i = 0; i < arity; ++i)
    if (!inputs[i].valid() || inputs[i].index >= size())
      throw GraphError(std::string(def.name) + ": input " + std::to_string(i + 1) + " is not a node of this graph");
  // Built in place (no copy of a Node per op); taken off again if its shape cannot be inferred.
  const NodeId id{static_cast<std::int32_t>(nodes_.size())};
  Node& n = nodes_.emplace_back();
  order_valid_ = false;
  n.kind = NodeKind::Op;
  n.op = op;
  n.arity = static_cast<std::uint8_t>(arity);
  n.attrs = def.keywords[0].name ? complete_attrs(op, attrs) : attrs;  // no keyword: nothing to complete
  std::array<Shape, std::tuple_size_v<decltype(n.inputs)>> in_shapes;
  // Every op's max_arity fits n.inputs (op_table.h); saying so lets GCC see the loop stays inside.
  if (arity > static_cast<int>(in_shapes.size())) throw GraphError(std::string(def.name) + ": too many inputs");
  for (int i = 0; i < arity; ++i) {
    const Node& in = nodes_[inputs[i].index];
    n.inputs[i] = inputs[i];
    in_shapes[i] = in.shape;
    n.level = std::max(n.level, in.level + 1);
    n.requires_grad = n.requires_grad || in.requires_grad;
  }
  std::string why;
  bool inferred = false;
  try {
    inferred = def.infer_shape(in_shapes.data(), arity, attrs, &n.shape, &why) && within_element_limit(n.shape, &why);
  } catch (...) {
    nodes_.pop_back();
    throw;
  }
  if (!inferred) {
    // Name the node as it would have been numbered, its operands as the user wrote them (input
    // names), and the shapes: "v4 = X @ W: [4×3] @ [2×2] do not match".
    std::string text;
    try {
      std::string args[3];
      for (int i = 0; i < arity; ++i) {
        const Node& in = nodes_[inputs[i].index];
        args[i] = in.kind == NodeKind::Input ? in.name : label(inputs[i]);
      }
      text = label(id) + " = " + fill_op_template(def, n.attrs, def.formula, args, arity, "", "");
    } catch (...) {
      nodes_.pop_back();
      throw;
    }
    nodes_.pop_back();
    order_valid_ = false;
    throw GraphError(text + ": " + why, id);
  }
  if (!def.differentiable) n.requires_grad = false;
  return id;
}

void Graph::clear() {
  nodes_.clear();
  constants_.clear();
  inputs_.clear();
  input_slots_.clear();
  output_ = {};
  order_.clear();
  order_valid_ = false;
}

NodeId Graph::find_input(std::string_view name) const {
  if (input_slots_.empty()) return {};
  const std::int32_t id = input_slots_[input_slot(name)];
  return id < 0 ? NodeId{} : NodeId{id};
}

// [SECTION] numbering

const std::vector<NodeId>& Graph::order() const {
  if (order_valid_) return order_;
  // Inputs, then constants, then ops by level (a node's level exceeds its inputs'), ties in
  // creation order: the seed's v-order. A counting sort on the level keeps it linear.
  order_.clear();
  order_.reserve(nodes_.size());
  int max_level = 0;
  for (const Node& n : nodes_) max_level = std::max(max_level, n.level);
  std::vector<int> start(static_cast<std::size_t>(max_level) + 2, 0);
  int inputs = 0, constants = 0;
  for (const Node& n : nodes_) {
    if (n.kind == NodeKind::Input) ++inputs;
    else if (n.kind == NodeKind::Constant) ++constants;
    else ++start[n.level + 1];
  }
  for (int l = 1; l <= max_level + 1; ++l) start[l] += start[l - 1];
  order_.resize(nodes_.size());
  int next_input = 0, next_constant = inputs;
  const int first_op = inputs + constants;
  for (int i = 0; i < size(); ++i) {
    const Node& n = nodes_[i];
    int slot = n.kind == NodeKind::Input ? next_input++
               : n.kind == NodeKind::Constant ? next_constant++
                                              : first_op + start[n.level]++;
    order_[slot] = NodeId{i};
  }
  int v = 0;
  auto& nodes = const_cast<std::vector<Node>&>(nodes_);  // v-numbers are part of this cache
  for (NodeId id : order_) nodes[id.index].v = nodes_[id.index].kind == NodeKind::Constant ? 0 : ++v;
  order_valid_ = true;
  return order_;
}

NodeId Graph::by_v(int v) const {
  order();
  for (int i = 0; i < size(); ++i)
    if (nodes_[i].v == v && nodes_[i].kind != NodeKind::Constant) return NodeId{i};
  return {};
}

void Graph::set_op_name(NodeId id, std::string name) {
  if (nodes_[id.index].kind == NodeKind::Op) nodes_[id.index].name = std::move(name);
}

std::string Graph::label(NodeId id) const {
  order();
  const Node& n = nodes_[id.index];
  if (n.kind != NodeKind::Constant) return std::string("v").append(std::to_string(n.v));
  const TensorD& c = constants_[n.constant_slot];
  if (c.size() == 1) return format_number(c[0]);
  return std::string("c").append(std::to_string(id.index));
}

std::string Graph::formula(NodeId id) const {
  const Node& n = nodes_[id.index];
  if (n.kind == NodeKind::Input) return n.name;
  if (n.kind == NodeKind::Constant) return label(id);
  std::string args[3];
  for (int i = 0; i < n.arity; ++i) args[i] = label(n.inputs[i]);
  // fill_op_template brackets negative literals where they touch an operator: "v1 − (-2)".
  const OpDef& def = op_def(n.op);
  return fill_op_template(def, n.attrs, def.formula, args, n.arity, label(id), "");
}

// [SECTION] text

namespace {

bool is_negative_text(std::string_view s) { return s.rfind("-", 0) == 0 || s.rfind("−", 0) == 0; }

// True where the template's own brackets, bars or commas already delimit [begin, end): "σ({0})",
// "max({0}, {1})", "|{0}|". Elsewhere a negative operand touches an operator and is bracketed.
bool delimited(std::string_view tmpl, std::size_t begin, std::size_t end) {
  auto ends_with = [&](std::string_view d) { return begin >= d.size() && tmpl.substr(begin - d.size(), d.size()) == d; };
  auto starts_with = [&](std::string_view d) { return tmpl.substr(end, d.size()) == d; };
  const bool before = ends_with("(") || ends_with("[") || ends_with(", ") || ends_with("|") || ends_with("‖");
  const bool after = starts_with(")") || starts_with("]") || starts_with(",") || starts_with("|") || starts_with("‖");
  return before && after;
}

// Fills {0} {1} {2} {y} {g} and, with `def`, {KEYWORD}; with `bracket`, negative operands are
// bracketed where they are not delimited already.
std::string fill(std::string_view tmpl, const std::string* args, int arity, std::string_view y, std::string_view g,
                 const OpDef* def, const OpAttrs* attrs, bool bracket) {
  std::string out;
  out.reserve(tmpl.size() + 16);
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    const std::size_t close = tmpl[i] == '{' ? tmpl.find('}', i) : std::string_view::npos;
    if (close == std::string_view::npos) {
      out += tmpl[i];
      continue;
    }
    const std::string_view key = tmpl.substr(i + 1, close - i - 1);
    std::string value;
    bool known = true;
    if (key == "y") {
      value = y;
    } else if (key == "g") {
      value = g;
    } else if (key.size() == 1 && key[0] >= '0' && key[0] <= '2' && key[0] - '0' < arity) {
      value = args[key[0] - '0'];
    } else {
      known = false;
      for (int k = 0; def && k < def->keyword_count(); ++k) {
        const OpKeyword& kw = def->keywords[static_cast<std::size_t>(k)];
        if (key == kw.name) {
          value = format_number(attr_value(*attrs, kw.slot));
          known = true;
        }
      }
    }
    if (!known) {
      out += tmpl.substr(i, close - i + 1);
    } else if (bracket && is_negative_text(value) && !delimited(tmpl, i, close + 1)) {
      out += "(" + value + ")";
    } else {
      out += value;
    }
    i = close;
  }
  return out;
}

}  // namespace

std::string fill_template(std::string_view tmpl, const std::string* args, int arity, std::string_view y,
                          std::string_view g) {
  return fill(tmpl, args, arity, y, g, nullptr, nullptr, false);
}

std::string fill_op_template(const OpDef& def, const OpAttrs& attrs, std::string_view tmpl, const std::string* args,
                             int arity, std::string_view y, std::string_view g) {
  return fill(tmpl, args, arity, y, g, &def, &attrs, true);
}

std::string format_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0) return "0";  // also turns -0 into 0
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.5g", v);
  return buf;
}

namespace {
void format_nested(const TensorD& t, int axis, Index& flat, std::string& out) {
  out += '[';
  Index n = t.dim(axis);
  for (Index i = 0; i < n; ++i) {
    if (i) out += ", ";
    if (axis + 1 == t.rank())
      out += format_number(t[flat++]);
    else
      format_nested(t, axis + 1, flat, out);
  }
  out += ']';
}
}  // namespace

std::string format_tensor(const TensorD& t, int max_elements) {
  if (t.rank() == 0) return format_number(t[0]);
  if (t.size() <= max_elements && t.size() > 0) {
    std::string out;
    Index flat = 0;
    format_nested(t, 0, flat, out);
    return out;
  }
  if (t.size() == 0) return t.shape().to_string() + " (empty)";
  double lo = t[0], hi = t[0];
  bool non_finite = false;
  for (double v : t) {
    if (!std::isfinite(v)) {
      non_finite = true;
      continue;
    }
    lo = std::isfinite(lo) ? std::min(lo, v) : v;
    hi = std::isfinite(hi) ? std::max(hi, v) : v;
  }
  std::string s = t.shape().to_string() + " in [" + format_number(lo) + ", " + format_number(hi) + "]";
  if (non_finite) s += " with nan/inf";
  return s;
}

}  // namespace gs
