// Forward evaluation, reverse mode (adjoints and every partial adjoint), forward mode (tangents),
// reverse mode by extending the graph (for second derivatives), as named free functions over a
// Graph. The traces shown to students are derived from these results (trace.h).
// Depends on graph.h only.
#pragma once

#include "graph.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gs {

// Values of a graph's inputs, by name.
using Bindings = std::map<std::string, TensorD, std::less<>>;

// A binding problem: missing value, value for no input, wrong shape. Names the input.
class BindingError : public std::runtime_error {
 public:
  explicit BindingError(std::string message) : std::runtime_error(error_text(std::move(message))) {}
};

// Checks that every input has a value of its shape and every value has an input.
void check_bindings(const Graph& g, const Bindings& b);

struct Evaluation {
  std::vector<TensorD> values;  // by node index
  const TensorD& operator[](NodeId id) const { return values[id.index]; }
};

// Forward evaluation in topological order. Throws BindingError. NaN and infinities propagate;
// first_non_finite() finds where they appear.
Evaluation evaluate(const Graph& g, const Bindings& b);
void evaluate_into(const Graph& g, const Bindings& b, Evaluation* ev);  // reuses storage
// The same with the inputs' values given in the order of g.inputs() (no lookups by name), for
// loops that rebuild or re-evaluate a graph many times. Shapes are checked.
void evaluate_into(const Graph& g, const TensorD* const* input_values, Evaluation* ev);

// v̄(i→j) = v̄j · ∂vj/∂vi: what node j (consumer) sends back to its input i, through slot `slot`.
struct PartialAdjoint {
  NodeId from;  // i, the input that receives it
  NodeId to;    // j, the consumer that sends it
  int slot = 0; // which input of j (a node may use the same input twice: x*x)
  TensorD value;
};

struct ReverseResult {
  std::vector<TensorD> adjoints;       // by node index; zero-sized for nodes without adjoint
  std::vector<std::uint8_t> has_adjoint;  // by node index (bytes, not vector<bool>: hot loop)
  std::vector<PartialAdjoint> partials;  // in the order they were computed
  std::vector<NodeId> visit_order;     // reverse topological order of the nodes visited
  const TensorD& operator[](NodeId id) const { return adjoints[id.index]; }
};

// Reverse mode from `output` (its adjoint seeded with ones: for a scalar output v̄ = 1, for a
// tensor output the gradient of the sum of its elements). Adjoints accumulate with +=.
// record_partials = false skips keeping the partial adjoints (training, benchmarks).
ReverseResult reverse(const Graph& g, const Evaluation& ev, NodeId output, bool record_partials = true);
void reverse_into(const Graph& g, const Evaluation& ev, NodeId output, bool record_partials, ReverseResult* r);

// Forward mode: v̇i = ∂vi/∂x in direction `direction` of input x (ones when null; for a scalar
// input that is exactly ∂vi/∂x).
struct TangentResult {
  NodeId input;
  std::vector<TensorD> tangents;  // by node index
  std::vector<std::uint8_t> nonzero;  // 0 where the tangent is structurally zero
  const TensorD& operator[](NodeId id) const { return tangents[id.index]; }
};
TangentResult tangent(const Graph& g, const Evaluation& ev, NodeId input, const TensorD* direction = nullptr);

// Reverse mode by extending the graph (seed 004): a copy of g with adjoint nodes added, so that
// a gradient is itself a node that can be evaluated and differentiated again.
struct GradientGraph {
  Graph graph;                    // g's nodes keep their ids; adjoint nodes come after
  std::vector<NodeId> adjoint;    // by original node index: the node holding v̄i (invalid if none)
  int original_size = 0;          // nodes [0, original_size) are g's
  // The partial adjoints v̄i→j = v̄j·∂vj/∂vi (seed 004's 部分伴随), one per link i → j of g that
  // carries a gradient, in the order they were made: `node` in `graph` holds it; `from` (i) and
  // `to` (j) are g's nodes. A node whose v̄i has one partial is that partial (v̄i = v̄i→j).
  struct Partial {
    NodeId node, from, to;
  };
  std::vector<Partial> partials;
};
// Throws GraphError if some op on the path has no symbolic reverse rule.
GradientGraph gradient_graph(const Graph& g, NodeId output);

// ∂²y/∂x² of a scalar graph in scalar input x, via the extended graph.
double second_derivative(const Graph& g, const Bindings& b, std::string_view input);
// Hessian-vector product H·v of a scalar output, v given per input (a direction for each).
// Throws GraphError for a tensor output, BindingError for a missing or misshapen direction.
Bindings hessian_vector_product(const Graph& g, const Bindings& b, const Bindings& v);

// Second derivatives of f = the sum of the output's elements (the output itself when it is a
// scalar) through the extended graph, as torch's double backward: reverse mode run again over
// gradient_graph(g), from s = Σ_x sum(∇_x f ⊙ v_x) with the direction v_x of each input x an
// input of the extended graph, gives ∇s = H·v (Pearlmutter, "Fast exact multiplication by the
// Hessian", 1994). The extended graph and s are built once; each product evaluates them at the
// inputs' values and the direction and runs reverse mode (about three times one gradient).
class SecondOrder {
 public:
  // Throws GraphError when an op on the path has no symbolic reverse rule.
  explicit SecondOrder(const Graph& g);
  // H·v at the inputs' values b. v holds one direction per input, of its shape; the result one
  // tensor per input of its shape (zeros where ∇f does not depend on it). BindingError for a
  // missing, misshapen or unknown value or direction, naming it.
  Bindings hvp(const Bindings& b, const Bindings& v) const;
  // The Hessian H[i, j] = ∂²f/∂θi∂θj, shape (n, n), θ the n elements of every input flattened
  // in the order of g.inputs(), each input's elements in row-major order (hessian_labels names
  // them). Column j is H·e_j: n products, so meant for small inputs (the CLI allows n ≤ 64).
  TensorD hessian(const Bindings& b) const;
  // "x1", "W[0,1]": the name of each element of θ, in the order of the Hessian's rows.
  std::vector<std::string> hessian_labels() const;
  Index elements() const { return elements_; }  // n

 private:
  Graph h_;                         // the extended graph, with the directions and s added
  std::vector<NodeId> inputs_;      // g's inputs (the same ids in h_)
  std::vector<std::string> names_;  // their names
  std::vector<std::string> direction_names_;  // the directions' input names in h_ (empty: ∇f does not depend on it)
  NodeId s_;                        // Σ_x sum(∇_x f ⊙ v_x); invalid when ∇f depends on no input
  Index elements_ = 0;
};

// The first node, in topological order, whose value is NaN or infinite, with the reason
// ("ln of a negative number", "exp overflowed"); invalid id if none.
struct NonFinite {
  NodeId node;
  std::string reason;
};
NonFinite first_non_finite(const Graph& g, const Evaluation& ev);

}  // namespace gs
