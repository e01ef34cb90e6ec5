// The op catalogue indexed by Op, assembled from the op families, and what every front end
// derives from an entry: names and aliases, default attributes, usage texts, keyword checks.
// Every Op must have exactly one complete definition (checked when the table is built; each
// family checks its count at compile time). Depends on op.h and graph.h (number text).
#include "op_table.h"

#include "graph.h"

#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

namespace gs {
namespace {

[[noreturn]] void incomplete(const std::string& what) { throw std::logic_error("op catalogue: " + what); }

void check_entry(const OpDef& d, int index) {
  const std::string who = "op #" + std::to_string(index) + (d.name ? std::string(" (") + d.name + ")" : "");
  if (!d.name || !d.formula || !d.infer_shape || !d.forward || !d.vjp || !d.jvp) incomplete(who + " is incomplete");
  if (d.min_arity < 1 || d.max_arity > 3 || d.min_arity > d.max_arity) incomplete(who + " has a bad arity");
  for (int i = 0; i < d.max_arity; ++i) {
    const auto k = static_cast<std::size_t>(i);
    if (!d.arg_names[k]) incomplete(who + " has no name for argument " + std::to_string(i + 1));
    if (d.differentiable && !d.local_derivative[k] && !d.reverse_rule[k])
      incomplete(who + " has no text for the partial adjoint of argument " + std::to_string(i + 1));
  }
  for (int i = 0; i < d.keyword_count(); ++i) {
    const OpKeyword& k = d.keywords[static_cast<std::size_t>(i)];
    if (k.slot == AttrSlot::None || !(k.min <= k.max)) incomplete(who + " has a bad keyword " + k.name);
  }
  if (d.elementwise && d.max_arity == 1 && (!d.unary.forward_f32 || !d.unary.backward_f64))
    incomplete(who + " is elementwise unary without kernels");
}

std::array<OpDef, kOpCount> build_table() {
  std::array<OpDef, kOpCount> table{};
  std::array<bool, kOpCount> defined{};
  for (std::span<const OpDef> family : {elementwise_ops(), tensor_ops(), loss_ops(), conv_ops()}) {
    for (const OpDef& d : family) {
      const int i = static_cast<int>(d.op);
      if (i < 0 || i >= kOpCount || defined[static_cast<std::size_t>(i)])
        incomplete(std::string(d.name ? d.name : "?") + " is defined twice or out of range");
      defined[static_cast<std::size_t>(i)] = true;
      table[static_cast<std::size_t>(i)] = d;
    }
  }
  for (int i = 0; i < kOpCount; ++i) {
    if (!defined[static_cast<std::size_t>(i)]) incomplete("op #" + std::to_string(i) + " has no definition");
    check_entry(table[static_cast<std::size_t>(i)], i);
  }
  // Names are unique across the catalogue, aliases included: a name means one op.
  for (int i = 0; i < kOpCount; ++i)
    for (int j = 0; j < kOpCount; ++j) {
      const OpDef &a = table[static_cast<std::size_t>(i)], &b = table[static_cast<std::size_t>(j)];
      auto same = [](const char* x, const char* y) { return x && y && std::string_view(x) == y; };
      for (const char* n : {a.name, a.aliases[0], a.aliases[1]}) {
        if (!n) continue;
        if ((i != j && same(n, b.name)) || (i != j && (same(n, b.aliases[0]) || same(n, b.aliases[1]))))
          incomplete(std::string("the name '") + n + "' is used twice");
      }
    }
  return table;
}

const std::array<OpDef, kOpCount>& table() {
  static const std::array<OpDef, kOpCount> t = build_table();
  return t;
}

bool is_integer_slot(AttrSlot s) { return s != AttrSlot::Coefficient; }

}  // namespace

const char* category_name(OpCategory c) {
  switch (c) {
    case OpCategory::Arithmetic: return "arithmetic";
    case OpCategory::Function: return "function";
    case OpCategory::Matrix: return "matrix";
    case OpCategory::Loss: return "loss";
    case OpCategory::Convolution: return "convolution";
    case OpCategory::Internal: return "internal";
  }
  return "?";
}

const OpDef& op_def(Op op) { return table()[static_cast<std::size_t>(op)]; }

std::span<const OpDef> op_catalogue() { return table(); }

bool op_from_name(std::string_view name, Op* op) {
  for (const OpDef& d : table()) {
    for (const char* n : {d.name, d.aliases[0], d.aliases[1]}) {
      if (n && name == n) {
        *op = d.op;
        return true;
      }
    }
  }
  return false;
}

double attr_value(const OpAttrs& a, AttrSlot slot) {
  switch (slot) {
    case AttrSlot::None: break;
    case AttrSlot::Axis: return a.axis;
    case AttrSlot::Keepdims: return a.keepdims ? 1 : 0;
    case AttrSlot::Stride: return a.stride;
    case AttrSlot::Padding: return a.padding;
    case AttrSlot::Kernel: return a.kernel;
    case AttrSlot::CeilMode: return a.ceil_mode ? 1 : 0;
    case AttrSlot::CountIncludePad: return a.count_include_pad ? 1 : 0;
    case AttrSlot::Coefficient: return a.coefficient.value_or(NAN);
  }
  return NAN;
}

void set_attr_value(OpAttrs* a, AttrSlot slot, double v) {
  switch (slot) {
    case AttrSlot::None: break;
    case AttrSlot::Axis: a->axis = static_cast<int>(v); break;
    case AttrSlot::Keepdims: a->keepdims = v != 0; break;
    case AttrSlot::Stride: a->stride = static_cast<int>(v); break;
    case AttrSlot::Padding: a->padding = static_cast<int>(v); break;
    case AttrSlot::Kernel: a->kernel = static_cast<int>(v); break;
    case AttrSlot::CeilMode: a->ceil_mode = v != 0; break;
    case AttrSlot::CountIncludePad: a->count_include_pad = v != 0; break;
    case AttrSlot::Coefficient: a->coefficient = v; break;
  }
}

OpAttrs complete_attrs(Op op, OpAttrs attrs) {
  const OpDef& d = op_def(op);
  for (int i = 0; i < d.keyword_count(); ++i) {
    const OpKeyword& k = d.keywords[static_cast<std::size_t>(i)];
    if (k.slot == AttrSlot::Coefficient && !attrs.coefficient) attrs.coefficient = k.default_value;
  }
  return attrs;
}

OpAttrs default_attrs(Op op) {
  const OpDef& d = op_def(op);
  OpAttrs a;
  for (int i = 0; i < d.keyword_count(); ++i) {
    const OpKeyword& k = d.keywords[static_cast<std::size_t>(i)];
    set_attr_value(&a, k.slot, k.default_value);
  }
  for (int i = 0; i < d.keyword_count(); ++i) {
    const OpKeyword& k = d.keywords[static_cast<std::size_t>(i)];
    if (k.default_from != AttrSlot::None) set_attr_value(&a, k.slot, attr_value(a, k.default_from));
  }
  return a;
}

std::string op_usage(const OpDef& d, std::string_view name) {
  std::string out = std::string(name.empty() ? std::string_view(d.name) : name) + "(";
  for (int i = 0; i < d.max_arity; ++i) {
    const std::string arg = (i ? ", " : "") + std::string(d.arg_names[static_cast<std::size_t>(i)]);
    out += i < d.min_arity ? arg : "[" + arg + "]";
  }
  for (int i = 0; i < d.keyword_count(); ++i) {
    const OpKeyword& k = d.keywords[static_cast<std::size_t>(i)];
    if (k.required)
      out += std::string(", ") + k.name;
    else if (k.default_text)
      out += std::string(", ") + k.name + "=" + k.default_text;
    else
      out += std::string("[, ") + k.name + "]";
  }
  if (d.sizes) out += ", d1, d2, ...";
  return out + ")";
}

std::string arity_text(const OpDef& d) {
  const std::string n = d.min_arity == d.max_arity ? std::to_string(d.min_arity)
                                                   : std::to_string(d.min_arity) + " to " + std::to_string(d.max_arity);
  return n + (d.max_arity == 1 ? " input" : " inputs");
}

std::string check_keyword_value(const OpKeyword& k, double v) {
  const std::string name = k.name;
  if (is_integer_slot(k.slot)) {
    if (v != std::floor(v) || std::abs(v) > 1e6) return name + " must be a whole number, got " + format_number(v);
    if (v < k.min || v > k.max) return name + " must be " + k.range_text + ", got " + std::to_string(static_cast<long long>(v));
    return "";
  }
  if (!std::isfinite(v) || v < k.min || v > k.max) return name + " must be " + k.range_text + ", got " + format_number(v);
  return "";
}

}  // namespace gs
