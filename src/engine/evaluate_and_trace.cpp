// The sequence every front end runs on a graph — evaluate, reverse, non-finite check, traces,
// tangent, gradient check — in one place. Depends on evaluate_and_trace.h.
#include "evaluate_and_trace.h"

namespace gs {

TensorD TraceBundle::gradient(const Graph& g, NodeId input) const {
  if (reverse.has_adjoint[static_cast<std::size_t>(input.index)]) return reverse[input];
  return TensorD(g.node(input).shape);
}

void trace_tangent(const Graph& g, NodeId input, bool traces, TraceBundle* bundle) {
  bundle->tangent = tangent(g, bundle->evaluation, input);
  bundle->tangent_rows.clear();
  if (traces) bundle->tangent_rows = tangent_trace(g, bundle->evaluation, *bundle->tangent);
}

void evaluate_and_trace_into(const Graph& g, const Bindings& b, const TraceOptions& options, TraceBundle* out) {
  out->forward_rows.clear();
  out->reverse_rows.clear();
  out->tangent.reset();
  out->tangent_rows.clear();
  out->gradcheck.reset();
  evaluate_into(g, b, &out->evaluation);
  reverse_into(g, out->evaluation, g.output(), true, &out->reverse);
  out->non_finite = first_non_finite(g, out->evaluation);
  if (options.traces) {
    out->forward_rows = forward_trace(g, out->evaluation, out->non_finite);
    out->reverse_rows = reverse_trace(g, out->evaluation, out->reverse);
  }
  if (options.tangent_input.valid()) trace_tangent(g, options.tangent_input, options.traces, out);
  if (!options.gradcheck) return;
  Index elements = 0;
  for (const auto& [name, value] : b) elements += value.size();
  const bool small = g.size() <= options.gradcheck_max_nodes && elements <= options.gradcheck_max_elements;
  if (small && (options.gradcheck_when_non_finite || !out->non_finite.node.valid()))
    out->gradcheck = gradcheck(g, b, out->reverse, options.gradcheck_options);
}

TraceBundle evaluate_and_trace(const Graph& g, const Bindings& b, const TraceOptions& options) {
  TraceBundle t;
  evaluate_and_trace_into(g, b, options, &t);
  return t;
}

}  // namespace gs
