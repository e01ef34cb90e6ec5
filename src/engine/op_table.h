// Internal to src/engine: each family of ops (ops_*.cpp) fills its entries of the catalogue.
#pragma once

#include "op.h"

namespace gs {

void add_elementwise_ops(OpDef* table);
void add_tensor_ops(OpDef* table);
void add_loss_ops(OpDef* table);
void add_conv_ops(OpDef* table);

// An OpDef for a non-elementwise op: reverse_rule[i] is the partial adjoint's text in matrix form.
OpDef make_op_def(Op op, const char* name, int min_arity, int max_arity, const char* formula,
                  bool (*infer)(const Shape*, int, const OpAttrs&, Shape*, std::string*),
                  void (*fwd)(const OpArgs&, TensorD&), void (*vjp)(int, const OpArgs&, const TensorD&, TensorD&),
                  void (*jvp)(const OpArgs&, const TensorD* const*, TensorD&),
                  NodeId (*vjp_graph)(int, const SymArgs&, NodeId), const char* rule0, const char* rule1 = nullptr,
                  const char* rule2 = nullptr);

}  // namespace gs
