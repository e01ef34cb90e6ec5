// Internal to src/engine: each family of ops (ops_*.cpp) defines its entries of the catalogue as
// one constexpr array, counted against its section of the Op enum by a static_assert.
#pragma once

#include "op.h"

#include <span>

namespace gs {

std::span<const OpDef> elementwise_ops();  // ops_elementwise.cpp
std::span<const OpDef> tensor_ops();       // ops_tensor.cpp
std::span<const OpDef> loss_ops();         // ops_loss.cpp
std::span<const OpDef> conv_ops();         // ops_conv.cpp

using InferFn = bool (*)(const Shape*, int, const OpAttrs&, Shape*, std::string*);
using ForwardFn = void (*)(const OpArgs&, TensorD&);
using VjpFn = void (*)(int, const OpArgs&, const TensorD&, TensorD&);
using JvpFn = void (*)(const OpArgs&, const TensorD* const*, TensorD&);
using VjpGraphFn = NodeId (*)(int, const SymArgs&, NodeId);

// An OpDef for a non-elementwise op, with its rules; the caller sets the signature, the category
// and the texts of the partial adjoints (reverse_rule, in matrix form) on the result.
constexpr OpDef make_op_def(Op op, const char* name, OpCategory category, const char* formula, InferFn infer,
                            ForwardFn fwd, VjpFn vjp, JvpFn jvp, VjpGraphFn vjp_graph) {
  OpDef d;
  d.op = op;
  d.name = name;
  d.category = category;
  d.formula = formula;
  d.infer_shape = infer;
  d.forward = fwd;
  d.vjp = vjp;
  d.jvp = jvp;
  d.vjp_graph = vjp_graph;
  return d;
}

// The most common entry: a non-elementwise op of one tensor argument x, with the text of its
// partial adjoint.
constexpr OpDef one_tensor_op(Op op, const char* name, OpCategory category, const char* formula, InferFn infer,
                              ForwardFn fwd, VjpFn vjp, JvpFn jvp, VjpGraphFn vjp_graph, const char* rule) {
  OpDef d = make_op_def(op, name, category, formula, infer, fwd, vjp, jvp, vjp_graph);
  d.arg_names = {"x", nullptr, nullptr};
  d.reverse_rule = {rule, nullptr, nullptr};
  return d;
}

// A non-elementwise op of two tensor arguments, named, with the texts of both partial adjoints.
constexpr OpDef two_tensor_op(Op op, const char* name, OpCategory category, const char* formula, const char* arg0,
                              const char* arg1, InferFn infer, ForwardFn fwd, VjpFn vjp, JvpFn jvp,
                              VjpGraphFn vjp_graph, const char* rule0, const char* rule1) {
  OpDef d = make_op_def(op, name, category, formula, infer, fwd, vjp, jvp, vjp_graph);
  d.min_arity = d.max_arity = 2;
  d.arg_names = {arg0, arg1, nullptr};
  d.reverse_rule = {rule0, rule1, nullptr};
  return d;
}

// Signature helpers for the entries: `with_args(d, {"x", "W", "b"}, 2)` (the last one optional).
constexpr OpDef with_args(OpDef d, std::array<const char*, 3> names, int min_arity) {
  d.arg_names = names;
  int n = 0;
  while (n < 3 && names[static_cast<std::size_t>(n)]) ++n;
  d.min_arity = min_arity;
  d.max_arity = n;
  return d;
}
constexpr OpDef with_rules(OpDef d, const char* rule0, const char* rule1 = nullptr, const char* rule2 = nullptr) {
  d.reverse_rule = {rule0, rule1, rule2};
  return d;
}
constexpr OpDef with_aliases(OpDef d, const char* a0, const char* a1 = nullptr) {
  d.aliases = {a0, a1};
  return d;
}
constexpr OpDef with_reason(OpDef d, const char* (*reason)(const TensorD* const*, int)) {
  d.non_finite_reason = reason;
  return d;
}
constexpr OpDef with_keywords(OpDef d, OpKeyword k0, OpKeyword k1 = {}, OpKeyword k2 = {}, OpKeyword k3 = {},
                              OpKeyword k4 = {}) {
  d.keywords = {k0, k1, k2, k3, k4};
  return d;
}

}  // namespace gs
