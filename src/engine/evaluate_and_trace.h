// Evaluate-and-trace: the one call that gives a front end everything it shows for a graph at
// some input values — the values, the adjoints and every partial adjoint, the first NaN and its
// reason, the forward, reverse and (for one input) tangent traces as text, and the gradient
// check. `gradscope-cli eval` and `check` and the desktop program's lesson all take it from here,
// so that they run the same sequence and the non-finite check runs once.
// Depends on autodiff.h, trace.h, gradcheck.h.
#pragma once

#include "autodiff.h"
#include "gradcheck.h"
#include "trace.h"

#include <limits>
#include <optional>
#include <vector>

namespace gs {

struct TraceOptions {
  bool traces = true;      // the three text traces (false: numbers only, as `check` needs)
  NodeId tangent_input;    // forward mode along this input (ones as direction); invalid: none
  bool gradcheck = false;  // compare reverse mode with central differences (gradcheck.h)
  GradcheckOptions gradcheck_options;
  // The check evaluates the graph twice per input element: it is skipped (TraceBundle::gradcheck
  // stays empty) above these sizes, and, unless asked for, where a value is not finite (it would
  // only report the NaN again).
  int gradcheck_max_nodes = std::numeric_limits<int>::max();
  Index gradcheck_max_elements = std::numeric_limits<Index>::max();  // over all inputs' values
  bool gradcheck_when_non_finite = true;

  // What a lesson shows while a class steps through a graph: traces, and the gradient check for
  // graphs of teaching size (at most 300 nodes and 4096 input elements) whose values are finite.
  static TraceOptions interactive() {
    TraceOptions o;
    o.gradcheck = true;
    o.gradcheck_max_nodes = 300;
    o.gradcheck_max_elements = 4096;
    o.gradcheck_when_non_finite = false;
    return o;
  }
};

struct TraceBundle {
  Evaluation evaluation;              // by node index
  ReverseResult reverse;              // from the graph's output, with every partial adjoint
  NonFinite non_finite;               // the first NaN or infinity in topological order, with its reason
  std::vector<ForwardStep> forward_rows;  // empty unless TraceOptions::traces
  std::vector<ReverseStep> reverse_rows;
  std::optional<TangentResult> tangent;   // when a tangent input was given
  std::vector<TangentStep> tangent_rows;
  std::optional<GradcheckReport> gradcheck;  // when asked for and not skipped

  const TensorD& value(NodeId id) const { return evaluation[id]; }
  // ∂y/∂x for input x: its adjoint, or zeros of its shape where the output does not depend on it.
  TensorD gradient(const Graph& g, NodeId input) const;
};

// Evaluates `g` at `b` (BindingError for a missing or misshapen value), runs reverse mode from
// g.output(), finds the first non-finite value, builds the traces, the tangent and the gradient
// check as `options` ask. NaN and infinities are results, not errors. GraphError when the tangent
// input is not an input of g.
TraceBundle evaluate_and_trace(const Graph& g, const Bindings& b, const TraceOptions& options = {});
// The same into an existing bundle, reusing its storage (a lesson re-traced on every edit).
void evaluate_and_trace_into(const Graph& g, const Bindings& b, const TraceOptions& options, TraceBundle* out);

// Replaces the bundle's tangent (forward mode along `input`, its rows when `traces`), keeping
// everything else: for a view that lets the student pick the input x of v̇i = ∂vi/∂x.
void trace_tangent(const Graph& g, NodeId input, bool traces, TraceBundle* bundle);

}  // namespace gs
