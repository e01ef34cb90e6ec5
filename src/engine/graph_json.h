// Graph files (JSON, versioned): nodes with ids, ops, attributes, constant values, the values of
// the inputs, and room for the editor's node positions. Loading trusts nothing in the file: ids,
// arity, op names, shapes, numbers and cycles are all checked, and a failure leaves no partial
// result. The JSON conventions it shares with gradscope-cli (numbers, tensors, the layout, FileError)
// are json_text.h's, included here. Depends on graph.h, autodiff.h, parse.h (documents given as
// an expression) and json_text.h.
#pragma once

#include "autodiff.h"
#include "graph.h"
#include "json_text.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gs {

inline constexpr int kGraphFileVersion = 1;

struct NodePosition {
  float x = 0, y = 0;
};

// What a graph file holds.
struct GraphDocument {
  Graph graph;
  Bindings values;                                  // input name -> value
  std::vector<std::optional<NodePosition>> positions;  // by node index; empty = lay out anew
  std::vector<bool> adjoint;                        // by node index: nodes that compute an adjoint (an
                                                    // extended graph's reverse part); empty = none
  std::string expression;                           // the source text, when built from one
  std::string title;
  std::string description;                          // a sentence or two for menus and tooltips
};

nlohmann::json to_json(const GraphDocument& doc);
GraphDocument document_from_json(const nlohmann::json& j);       // throws FileError
GraphDocument load_document(const std::string& path);            // throws FileError
void save_document(const GraphDocument& doc, const std::string& path);  // throws FileError

// The file's text: keys in reading order, json_text's layout (a node on one line, so that a graph
// file reads like the graph).
std::string document_text(const GraphDocument& doc);
// Parses the text of a graph file; `source` names it in messages ("seed004.json: ...").
GraphDocument document_from_text(std::string_view text, const std::string& source = "");

}  // namespace gs
