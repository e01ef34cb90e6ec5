// A computation graph of input, constant and op nodes. Nodes are created only from nodes that
// already exist, so creation order is a topological order and a cycle cannot be built; shapes
// are inferred and checked as each node is added. Depends on op.h and tensor.h only.
#pragma once

#include "error_text.h"
#include "op.h"
#include "tensor.h"

#include <array>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gs {

enum class NodeKind : std::uint8_t { Input, Constant, Op };

struct Node {
  NodeKind kind = NodeKind::Input;
  Op op = Op::Add;  // meaningful for NodeKind::Op
  std::uint8_t arity = 0;
  std::array<NodeId, 3> inputs{};
  OpAttrs attrs;
  Shape shape;
  std::string name;  // input name ("x1"); an op's statement name ("s0"), often empty
  int level = 0;     // longest path from an input or constant: the layout column
  int v = 0;         // v-number in the seed's notation (v1, v2, ...); 0 for constants
  bool requires_grad = false;  // depends on some input: gets an adjoint
  int constant_slot = -1;      // index into the graph's constants
};

// The most elements a node's value may hold (2^26: 512 MB of doubles), far above any teaching
// graph. Building refuses larger results, so that a typo such as pad(x, 1000000) is an error
// rather than a request for terabytes.
inline constexpr Index kMaxTensorElements = Index{1} << 26;
// False, with the reason in *error, when `s` has more elements than kMaxTensorElements.
bool within_element_limit(const Shape& s, std::string* error);

// Building errors name the node and the shapes: "v4 = X @ W: [4×3] @ [2×2] do not match".
class GraphError : public std::runtime_error {
 public:
  GraphError(std::string message, NodeId node = {}) : std::runtime_error(error_text(std::move(message))), node_(node) {}
  NodeId node() const { return node_; }

 private:
  NodeId node_;
};

class Graph {
 public:
  NodeId input(std::string name, const Shape& shape);
  NodeId constant(TensorD value);
  NodeId op(Op op, std::initializer_list<NodeId> inputs, const OpAttrs& attrs = {});
  NodeId op(Op op, const NodeId* inputs, int arity, const OpAttrs& attrs = {});
  void set_output(NodeId node) { output_ = node; }
  // The name a statement gives an op node (`s0` of `s0 = w0*x0`), for views to show beside its
  // label; the output's name is the reverse trace's seed (∂L/∂L). Ignored for inputs (whose name
  // is their binding) and constants.
  void set_op_name(NodeId id, std::string name);
  NodeId output() const { return output_.valid() ? output_ : NodeId{static_cast<int>(nodes_.size()) - 1}; }

  int size() const { return static_cast<int>(nodes_.size()); }
  const Node& node(NodeId id) const { return nodes_[id.index]; }
  const TensorD& constant_value(NodeId id) const { return constants_[nodes_[id.index].constant_slot]; }
  // Replaces a constant's value (same shape), for editing in place without a rebuild.
  void set_constant_value(NodeId id, TensorD value);
  const std::vector<NodeId>& inputs() const { return inputs_; }
  NodeId find_input(std::string_view name) const;

  // Nodes in the seed's order: inputs first, then ops by level, ties in creation order. This is
  // a topological order; v-numbers follow it. Recomputed when nodes were added since the last call.
  const std::vector<NodeId>& order() const;
  // "v3" for numbered nodes, the literal for scalar constants ("2"), "c7" for tensor constants.
  std::string label(NodeId id) const;
  // "v3 = ln v1" style formula of a node with its inputs' labels.
  std::string formula(NodeId id) const;
  // The node with v-number v, or an invalid id.
  NodeId by_v(int v) const;

  void reserve(int n) { nodes_.reserve(n); }
  void clear();

 private:
  NodeId add(Node node);
  // The slot of input_slots_ that holds `name`'s input, or the empty slot where it would go.
  std::size_t input_slot(std::string_view name) const;
  void grow_input_slots();
  std::vector<Node> nodes_;
  std::vector<TensorD> constants_;
  std::vector<NodeId> inputs_;  // in creation order
  // Inputs by name (names are unique): an open-addressing table of node indices (−1: empty),
  // at most half full, probed linearly from the name's hash; a probe compares the node's name.
  // Building a graph of many scalar inputs allocates nothing per input.
  std::vector<std::int32_t> input_slots_;
  NodeId output_;
  mutable std::vector<NodeId> order_;
  mutable bool order_valid_ = false;
};

// Fills a "{0} + {1}" template: {i} -> args[i], {y} -> y, {g} -> g.
std::string fill_template(std::string_view tmpl, const std::string* args, int arity, std::string_view y,
                          std::string_view g);
// The same for one op's template, with its keywords' values too ("{negative_slope}" -> "0.01"),
// and a negative operand bracketed where it touches an operator ("v1 − (-2)", but "σ(-1)",
// "max(v1, -2)"): the one bracketing rule of every formula the engine writes (trace.h).
std::string fill_op_template(const OpDef& def, const OpAttrs& attrs, std::string_view tmpl, const std::string* args,
                             int arity, std::string_view y, std::string_view g);
// Compact number text for traces: 5 significant digits ("0.69315", "11.652", "5.5"), "nan", "inf".
std::string format_number(double v);
// A tensor for traces: the number for one element, "[[1, 2], [3, 4]]" up to `max_elements`, else
// the shape with its range ("[64×10] in [-2.1, 3.5]").
std::string format_tensor(const TensorD& t, int max_elements = 6);

}  // namespace gs
