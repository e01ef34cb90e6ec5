// What eval and check share: the options that say which graph to use (--expr or --graph) and the
// values of its inputs (--at NAME=VALUE), turned into a checked graph with complete bindings;
// and the plain-text tables and numbers both print. Depends on the engine and CLI11.
#pragma once

#include "engine/autodiff.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace gs::cli {

struct GraphOptions {
  std::string expr;
  std::string graph_file;
  std::vector<std::string> at;  // NAME=VALUE, as typed
};

// Adds --expr, --graph and --at to a subcommand.
void add_graph_options(CLI::App* sub, GraphOptions* options);

struct GraphInput {
  Graph graph;
  Bindings values;          // exactly one value per input, of its shape
  std::string source;       // the expression, or the file's path
  bool from_file = false;
  std::string title;        // the file's title, if any
};

// NAME=VALUE arguments of `option` (--at, --hvp) as typed, each VALUE a tensor literal: a
// malformed argument, a repeated name or a bad literal throws InputError quoting the argument.
Bindings parse_named_values(const std::vector<std::string>& args, const std::string& option);

// Builds the graph and checks the values: a syntax error, an unknown function, a missing or
// unused value, a shape mismatch each throw (ParseError, FileError or InputError) with a message
// that names the place.
GraphInput load_graph_input(const GraphOptions& options);

// Columns of text aligned by their width on a terminal (combining marks such as the bar of v̄
// take no room), for tables a student copies into notes. A cell wider than kMaxAlignedWidth
// columns does not widen its column (it pushes the rest of its own row right), so the text grows
// linearly with the cells whatever their lengths.
class TextTable {
 public:
  static constexpr int kMaxAlignedWidth = 100;
  explicit TextTable(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void add_row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  // Each line starts with `indent`; columns empty in every row are left out.
  std::string render(const std::string& indent = "  ") const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// Appends `key` to an object whose keys the caller knows to be distinct (the inputs' names): an
// ordered_json object's operator[] searches its keys one by one, quadratic for 50,000 inputs.
void append_member(nlohmann::ordered_json& object, std::string key, nlohmann::ordered_json value);

// Width of UTF-8 text on a terminal: one column per character, none for combining marks.
int display_width(const std::string& text);

// A number with 10 significant digits ("11.65207146", "5.5", "nan", "-inf"): more than the
// trace tables' 5, for results worth copying.
std::string precise_number(double v);
// A tensor as aligned rows of precise numbers; large tensors as a summary.
std::string precise_tensor(const TensorD& t, const std::string& indent);

}  // namespace gs::cli
