// Fuzz harness "graph_json": a graph file's text -> document -> (if it holds values) evaluate and
// reverse mode; every document read must write back to a text that reads again to the same text
// (the round trip a Save then Open makes). Only FileError may escape; anything else is a finding.
#include "fuzz_util.h"

#include "engine/autodiff.h"
#include "engine/graph_json.h"

#include <cstdlib>

GRADSCOPE_FUZZ_HARNESS(graph_json) {
  using namespace gs;
  if (size > 16384) return -1;
  GraphDocument doc;
  try {
    doc = document_from_text(fuzz::text(data, size), "fuzz.json");
  } catch (const FileError&) {
    return 0;
  }
  for (int i = 0; i < doc.graph.size(); ++i)
    if (doc.graph.node(NodeId{i}).shape.size() > 4096) return 0;
  const std::string written = document_text(doc);
  const std::string again = document_text(document_from_text(written, "round trip"));  // must not throw
  if (again != written) std::abort();  // a saved file must read back as it was saved
  try {
    Evaluation ev = evaluate(doc.graph, doc.values);
    reverse(doc.graph, ev, doc.graph.output());
  } catch (const BindingError&) {  // a file may leave values out
  }
  return 0;
}
