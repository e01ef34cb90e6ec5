// The three traces in the seed's notation, as rows a student would copy into notes:
//   forward   v3 = ln v1 = ln 2 = 0.69315
//   reverse   v̄1 = v̄3·(1/v1) + v̄4·v2 = 1·(1/2) + 1·5 = 0.5 + 5 = 5.5
//   tangent   v̇4 = v̇1·v2 + v1·v̇2 = 1·5 + 2·0 = 5
// and every other piece of text a view shows about a node (its rules, its partial adjoints). All
// trace text is formatted here, once, with one set of rules, so that the trace table, the
// exporters, the inspector, the canvas and the CLI agree to the character:
//   - numbers have 5 significant digits (format_number), written with the ASCII hyphen-minus as
//     the CLI and the files print them; operators and derivative formulas use the minus sign −;
//   - an operand that is negative is bracketed where it would otherwise touch an operator
//     ("10.693 − (-0.95892)", "v1^(-2)") but not where brackets or commas already delimit it
//     ("σ(-1)", "max(v1, -2)");
//   - a factor that is more than one atom is bracketed after "·" ("v̄7·(−1)", "v̄3·(1/v1)").
// Derived from autodiff.h's results; text only, no evaluation of its own. Depends on autodiff.h.
#pragma once

#include "autodiff.h"

#include <string>
#include <vector>

namespace gs {

struct ForwardStep {
  NodeId node;
  std::string lhs;          // "v3"
  std::string formula;      // "ln v1"  (for inputs: "x1")
  std::string substituted;  // "ln 2"   (inputs' values in place of their names)
  std::string value;        // "0.69315" or a tensor summary
  bool finite = true;
  std::string problem;      // why the value is NaN/inf, where it first appears
};

// One partial adjoint v̄(i→j) as it enters the sum for v̄i.
struct ReverseTerm {
  NodeId to;                // j
  int slot = 0;
  std::size_t partial = 0;  // its PartialAdjoint: ReverseResult::partials[partial]
  std::string name;         // "v̄₁→₃": v̄(i→j) with i, j as subscripts
  std::string symbolic;     // "v̄3·(1/v1)" or "v̄5 @ v2ᵀ"
  std::string local;        // "1/v1" (∂vj/∂vi) for elementwise ops, else empty
  std::string substituted;  // "1·(1/2)"
  std::string value;        // "0.5"
  std::string line;         // "v̄₁→₃ = v̄3·(1/v1) = 1·(1/2) = 0.5" (link tooltips, the inspector)
};

struct ReverseStep {
  NodeId node;
  std::string lhs;          // "v̄1"
  std::vector<ReverseTerm> terms;  // empty for the seed (v̄7 = 1)
  std::string symbolic;     // "v̄3·(1/v1) + v̄4·v2"
  std::string substituted;  // "1·(1/2) + 1·5"
  std::string partial_sum;  // "0.5 + 5" (only when there are several terms)
  std::string value;        // "5.5"
  bool finite = true;
  // Why the adjoint is NaN/inf, as the forward trace says it of a value: where it first appears
  // (a local derivative that is not finite at these values, "∂v2/∂v1 = 1/(2·v2) is not finite
  // here: sqrt has no finite derivative at these values"), else what it comes from.
  std::string problem;
};

struct TangentStep {
  NodeId node;
  std::string lhs;          // "v̇4"
  std::string symbolic;     // "v̇1·v2 + v1·v̇2"
  std::string substituted;  // "1·5 + 2·0"
  std::string value;        // "5"
  bool finite = true;
};

// The forward trace; `non_finite` is first_non_finite(g, ev), passed in by a caller that has it
// already (evaluate_and_trace) so that the check runs once.
std::vector<ForwardStep> forward_trace(const Graph& g, const Evaluation& ev, const NonFinite& non_finite);
std::vector<ForwardStep> forward_trace(const Graph& g, const Evaluation& ev);
std::vector<ReverseStep> reverse_trace(const Graph& g, const Evaluation& ev, const ReverseResult& r);
std::vector<TangentStep> tangent_trace(const Graph& g, const Evaluation& ev, const TangentResult& t);

// The whole formula of one row as a single line, as the tables print it:
// "v3 = ln v1 = ln 2 = 0.69315", "v̄1 = v̄3·(1/v1) + v̄4·v2 = 1·(1/2) + 1·5 = 0.5 + 5 = 5.5".
std::string to_line(const ForwardStep& s);
std::string to_line(const ReverseStep& s);
std::string to_line(const TangentStep& s);

// The cells every trace table and exporter shows for a row of any of the three traces:
//   lhs "v̄1" | formula "v̄4·v2 + v̄3·(1/v1)" | numbers "1·5 + 1·(1/2) = 5 + 0.5" | value "5.5"
// `numbers` is the formula with values, followed for a sum of several partial adjoints by their
// values; `line` is to_line() of the row. An input's forward row has an empty `numbers`.
struct TraceCells {
  NodeId node;
  std::string lhs, formula, numbers, value, line;
  bool finite = true;
};
TraceCells trace_cells(const ForwardStep& s);
TraceCells trace_cells(const ReverseStep& s);
TraceCells trace_cells(const TangentStep& s);

// [SECTION] notation for node-level text

// "12" -> "₁₂"; other characters unchanged.
std::string subscript(std::string_view digits);
// "v3" -> "v̄3" (adjoint), "v̇3" (tangent); the mark goes on the first character of any label.
std::string adjoint_label(std::string_view label);
std::string tangent_label(std::string_view label);
// The partial adjoint v̄(i→j) that node `to` (j) sends back to its input `from` (i): "v̄₁→₃"; for
// a node without a v-number (a constant) "v̄c7→v3".
std::string partial_adjoint_name(const Graph& g, NodeId from, NodeId to);

// What the inspector shows about a node before any number: its formula and, for each input, the
// local derivative and the rule of the partial adjoint it receives, in symbols and in shapes.
struct PartialRule {
  NodeId from;              // the input i
  int slot = 0;
  bool gets_adjoint = false;  // false for inputs that need no gradient (constants, data paths)
  std::string name;         // "v̄₁→₃"
  std::string local;        // "∂v3/∂v1 = 1/v1" for elementwise ops, else empty
  std::string rule;         // "v̄₁→₃ = v̄3·(1/v1)", "v̄₂→₅ = v̄5 @ v3ᵀ" (the reverse trace's term)
  std::string shapes;       // "[2×3] = [2×4] @ [3×4]ᵀ" for non-elementwise ops, else empty
};
struct NodeText {
  std::string label;    // "v3", "2" for a scalar constant
  std::string formula;  // "ln v1"; an input's name; a constant's label
  std::string heading;  // "v3 = ln v1", "v6 = s0 = v1·v2" for a named statement; just the label where the formula adds nothing
  std::string shape;    // "[4×3]", empty for a scalar
  std::vector<PartialRule> partials;  // op nodes: one per input slot
};
NodeText node_text(const Graph& g, NodeId id);

}  // namespace gs
