// Graph files (JSON, versioned): nodes with ids, ops, attributes, constant values, the values of
// the inputs, and room for the editor's node positions. Loading trusts nothing in the file: ids,
// arity, op names, shapes, numbers and cycles are all checked, and a failure leaves no partial
// result. Also the JSON number conventions of gradscope-cli (17 significant digits; NaN and
// infinities as "nan", "inf", "-inf"). Depends on graph.h, autodiff.h, parse.h (documents given
// as an expression) and nlohmann-json.
#pragma once

#include "autodiff.h"
#include "graph.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gs {

inline constexpr int kGraphFileVersion = 1;

// A malformed file: the message names the place ("node 4: unknown op 'sine'", "line 3 column 9").
class FileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct NodePosition {
  float x = 0, y = 0;
};

// What a graph file holds.
struct GraphDocument {
  Graph graph;
  Bindings values;                                  // input name -> value
  std::vector<std::optional<NodePosition>> positions;  // by node index; empty = lay out anew
  std::string expression;                           // the source text, when built from one
  std::string title;
  std::string description;                          // a sentence or two for menus and tooltips
};

nlohmann::json to_json(const GraphDocument& doc);
GraphDocument document_from_json(const nlohmann::json& j);       // throws FileError
GraphDocument load_document(const std::string& path);            // throws FileError
void save_document(const GraphDocument& doc, const std::string& path);  // throws FileError

// Numbers and tensors for JSON output: nested lists of full-precision numbers; NaN/inf as strings.
nlohmann::json number_to_json(double v);
nlohmann::json tensor_to_json(const TensorD& t);
// Reads a number (or "nan"/"inf"/"-inf") or a nested list; throws FileError naming `where`.
TensorD tensor_from_json(const nlohmann::json& j, const std::string& where);

// The file's text: two-space indentation, with numbers, shapes, short lists and short nodes
// kept on one line so that a graph file reads like the graph.
std::string document_text(const GraphDocument& doc);
// The same layout for any JSON, keys in insertion order (gradscope-cli's --json output).
std::string pretty_json(const nlohmann::ordered_json& j);
// Parses the text of a graph file; `source` names it in messages ("seed004.json: ...").
GraphDocument document_from_text(std::string_view text, const std::string& source = "");

}  // namespace gs
