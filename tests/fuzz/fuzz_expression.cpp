// Fuzz harness "expression": expression text -> parse -> evaluate -> reverse mode with partial
// adjoints -> the three traces -> forward mode -> the extended graph evaluated again. Inputs whose
// name starts with a capital are [2×3] matrices, others scalars, all bound to values from a fixed
// pattern. Only ParseError, GraphError and BindingError may escape the engine; a crash, a sanitizer
// report or any other exception is a finding.
#include "fuzz_util.h"

#include "engine/autodiff.h"
#include "engine/parse.h"
#include "engine/trace.h"

#include <cctype>

GRADSCOPE_FUZZ_HARNESS(expression) {
  using namespace gs;
  if (size > 4096) return -1;  // teaching-sized expressions; longer ones only slow the search
  const std::string_view text = fuzz::text(data, size);
  try {
    ShapeMap shapes;
    for (const std::string& name : expression_inputs(text))
      shapes[name] = std::isupper(static_cast<unsigned char>(name[0])) ? Shape{2, 3} : Shape();
    Graph g = parse_expression(text, shapes);
    // Element limits allow 512 MB per node: the fuzzer looks for crashes, not large allocations.
    for (int i = 0; i < g.size(); ++i)
      if (g.node(NodeId{i}).shape.size() > 4096) return 0;
    Bindings values;
    double v = 0.25;
    for (NodeId id : g.inputs()) {
      TensorD t(g.node(id).shape);
      for (double& e : t) e = (v = v * -1.7 + 0.3);
      values[g.node(id).name] = t;
    }
    Evaluation ev = evaluate(g, values);
    first_non_finite(g, ev);
    ReverseResult r = reverse(g, ev, g.output());
    forward_trace(g, ev);
    reverse_trace(g, ev, r);
    if (!g.inputs().empty()) {
      TangentResult t = tangent(g, ev, g.inputs()[0]);
      tangent_trace(g, ev, t);
    }
    GradientGraph gg = gradient_graph(g, g.output());
    if (gg.graph.size() < 2000) evaluate(gg.graph, values);
  } catch (const ParseError&) {
  } catch (const GraphError&) {
  } catch (const BindingError&) {
  }
  return 0;
}
