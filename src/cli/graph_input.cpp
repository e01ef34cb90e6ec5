// The graph a command works on, from --expr or --graph, with its values from --at (and the
// file), checked before anything is evaluated; and the text tables eval and check print.
// Depends on the engine and CLI11; prints nothing itself.
#include "graph_input.h"

#include "commands.h"
#include "engine/graph_json.h"
#include "engine/parse.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <string_view>

namespace gs::cli {
namespace {

// "x1, x2" for messages.
std::string joined(const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

// The columns of a tensor literal's error count from the start of the value; shifted so that
// they count in the NAME=VALUE argument that the message quotes.
std::string shift_column(std::string message, int column, int by) {
  const std::string at = "at column " + std::to_string(column);
  std::size_t pos = message.find(at);
  if (pos != std::string::npos) message.replace(pos, at.size(), "at column " + std::to_string(column + by));
  return message;
}

// Every input needs a value and every value an input: the two mistakes a student makes most.
// When both happen at once the value was most likely meant for the input, misspelt: say so.
void check_names(const std::vector<std::string>& inputs, const Bindings& values, const char* what) {
  std::vector<std::string> missing, unused;
  for (const std::string& name : inputs)
    if (!values.count(name)) missing.push_back(name);
  const std::set<std::string_view> known(inputs.begin(), inputs.end());  // 50,000 inputs: no search per value
  for (const auto& [name, value] : values)
    if (!known.count(name)) unused.push_back(name);
  if (missing.empty() && unused.empty()) return;
  const std::string has = inputs.empty() ? " has no inputs" : " has inputs " + joined(inputs);
  for (const std::string& name : unused) {
    std::string guess = closest_name(name, missing);
    if (!guess.empty())
      throw InputError("unused value for '" + name + "': " + what + has + " (did you mean --at " + guess + "=...?)");
  }
  if (missing.size() == 1)
    throw InputError("missing value for input '" + missing[0] + "' (use --at " + missing[0] + "=...)");
  if (!missing.empty()) {
    std::string use;
    for (const std::string& m : missing) use += (use.empty() ? "" : " ") + ("--at " + m + "=...");
    throw InputError("missing values for inputs " + joined(missing) + " (use " + use + ")");
  }
  if (!unused.empty()) throw InputError("unused value for '" + unused.front() + "': " + what + has);
}

GraphInput from_expression(const GraphOptions& o, const Bindings& at) {
  GraphInput in;
  in.source = o.expr;
  // Syntax, function names and argument counts first: they are wrong whatever the values.
  // Inputs the formula gives a value (`W = randn(2, 3)`) need no --at; one given replaces it.
  const std::vector<std::string> given = expression_given_inputs(o.expr);
  Bindings asked = at;
  for (const std::string& name : given) asked.erase(name);
  check_names(expression_inputs(o.expr), asked, "the expression");
  ShapeMap shapes;
  for (const auto& [name, value] : asked) shapes[name] = value.shape();
  ParsedExpression parsed = parse_program(o.expr, shapes);
  for (GivenValue& g : parsed.given) {
    auto replaced = at.find(g.name);
    if (replaced != at.end() && replaced->second.shape() != g.value.shape())
      throw InputError("--at " + g.name + ": the value is " + replaced->second.shape().to_string() + " but the expression gives '" +
                       g.name + "' as " + g.value.shape().to_string());
    in.values[g.name] = replaced != at.end() ? replaced->second : std::move(g.value);
  }
  for (const auto& [name, value] : asked) in.values[name] = value;
  in.graph = std::move(parsed.graph);
  return in;
}

GraphInput from_file(const GraphOptions& o, const Bindings& at) {
  GraphDocument doc = load_document(o.graph_file);
  GraphInput in;
  in.source = o.graph_file;
  in.from_file = true;
  in.title = doc.title;
  in.values = doc.values;
  std::vector<std::string> inputs;
  for (NodeId id : doc.graph.inputs()) inputs.push_back(doc.graph.node(id).name);
  // --at replaces the file's values: the same graph at another point.
  for (const auto& [name, value] : at) {
    NodeId id = doc.graph.find_input(name);
    if (id.valid() && doc.graph.node(id).shape != value.shape())
      throw InputError("--at " + name + ": the value is " + value.shape().to_string() + " but input '" + name + "' of " +
                       o.graph_file + " is " + doc.graph.node(id).shape.to_string());
    in.values[name] = value;
  }
  check_names(inputs, in.values, "the graph");
  in.graph = std::move(doc.graph);
  return in;
}

}  // namespace

Bindings parse_named_values(const std::vector<std::string>& args, const std::string& option) {
  Bindings values;
  for (const std::string& arg : args) {
    std::size_t eq = arg.find('=');
    std::string name = arg.substr(0, eq == std::string::npos ? arg.size() : eq);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    if (eq == std::string::npos || !is_identifier(name))
      throw InputError(option + " " + arg + ": expected NAME=VALUE, such as " + option + " x1=2 or " + option +
                       " W=[[1, 2], [3, 4]]");
    if (values.count(name)) throw InputError(option + " " + arg + ": a value for '" + name + "' was already given");
    try {
      values[name] = parse_tensor_literal(std::string_view(arg).substr(eq + 1));
    } catch (const ParseError& e) {
      const int shift = static_cast<int>(eq) + 1;
      throw InputError(option + " " + arg + ": " + shift_column(e.what(), e.column(), shift));
    }
  }
  return values;
}

void add_graph_options(CLI::App* sub, GraphOptions* o) {
  CLI::Option* expr = sub->add_option("--expr,-e", o->expr, "The expression, e.g. \"ln(x1) + x1*x2 - sin(x2)\"");
  CLI::Option* graph = sub->add_option("--graph,-g", o->graph_file, "A graph file (JSON) instead of --expr");
  expr->excludes(graph);
  sub->add_option("--at,-a", o->at, "A value: NAME=NUMBER or NAME=[[1, 2], [3, 4]] (repeat for each input)")
      ->type_name("NAME=VALUE");
}

GraphInput load_graph_input(const GraphOptions& o) {
  if (o.expr.empty() && o.graph_file.empty())
    throw InputError("nothing to evaluate: give --expr \"...\" or --graph FILE.json");
  const Bindings at = parse_named_values(o.at, "--at");
  return o.graph_file.empty() ? from_expression(o, at) : from_file(o, at);
}

// =================================================================================================
// text output
// =================================================================================================

void append_member(nlohmann::ordered_json& object, std::string key, nlohmann::ordered_json value) {
  if (!object.is_object()) object = nlohmann::ordered_json::object();
  using Members = nlohmann::ordered_json::object_t::Container;  // ordered_map is this vector
  static_cast<Members&>(object.get_ref<nlohmann::ordered_json::object_t&>())
      .emplace_back(std::move(key), std::move(value));
}

int display_width(const std::string& text) {
  int width = 0;
  for (std::size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
    char32_t cp = c;
    if (n == 2 && i + 1 < text.size()) cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3Fu);
    // U+0300–U+036F combine with the letter before them (v̄ is v + U+0304).
    bool combining = n == 2 && cp >= 0x300 && cp <= 0x36F;
    width += combining ? 0 : 1;
    i += n;
  }
  return width;
}

std::string TextTable::render(const std::string& indent) const {
  const std::size_t columns = headers_.size();
  std::vector<int> width(columns, 0);
  std::vector<bool> used(columns, false);
  // A column is as wide as its widest cell up to kMaxAlignedWidth; a wider cell (the sum of a
  // fan-out's thousand partial adjoints) runs on into the next column of its own row only. Padding
  // every row to it made the output grow as rows × the longest cell: quadratic in the graph.
  for (const auto& row : rows_)
    for (std::size_t c = 0; c < columns && c < row.size(); ++c) {
      if (const int w = display_width(row[c]); w <= kMaxAlignedWidth) width[c] = std::max(width[c], w);
      used[c] = used[c] || !row[c].empty();
    }
  for (std::size_t c = 0; c < columns; ++c) width[c] = std::max(width[c], display_width(headers_[c]));

  std::string out;
  const std::string no_cell;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text = indent;
    for (std::size_t c = 0; c < columns; ++c) {
      if (!used[c]) continue;
      const std::string& cell = c < cells.size() ? cells[c] : no_cell;
      text += cell;
      text.append(static_cast<std::size_t>(std::max(width[c] - display_width(cell), 0)) + 2, ' ');
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + "\n";
  };
  line(headers_);
  std::vector<std::string> rule;
  for (std::size_t c = 0; c < columns; ++c) {
    std::string r;
    for (int k = 0; k < width[c]; ++k) r += "─";
    rule.push_back(r);
  }
  line(rule);
  for (const auto& row : rows_) line(row);
  return out;
}

std::string precise_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0) return "0";  // not "-0"
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string precise_tensor(const TensorD& t, const std::string& indent) {
  constexpr Index kMaxShown = 144;
  if (t.rank() == 0) return precise_number(t[0]);
  if (t.size() > kMaxShown) return format_tensor(t) + "  (every number: --json)";
  // Rows of the last axis, aligned; higher axes as nested brackets, one row per line.
  const Index cols = t.dim(t.rank() - 1);
  std::vector<std::string> cells;
  std::size_t cell_width = 0;
  for (double v : t) {
    cells.push_back(precise_number(v));
    cell_width = std::max(cell_width, cells.back().size());
  }
  std::string out;
  const Index rows = t.size() / cols;
  for (Index r = 0; r < rows; ++r) {
    // Brackets opened at this row: one for each axis whose index is zero here.
    int opens = 1;
    Index block = cols;
    for (int axis = t.rank() - 2; axis >= 0 && (r * cols) % (block * t.dim(axis)) == 0; --axis) {
      ++opens;
      block *= t.dim(axis);
    }
    int closes = 1;
    block = cols;
    for (int axis = t.rank() - 2; axis >= 0 && ((r + 1) * cols) % (block * t.dim(axis)) == 0; --axis) {
      ++closes;
      block *= t.dim(axis);
    }
    if (r > 0) out += "\n" + indent + std::string(static_cast<std::size_t>(t.rank() - opens), ' ');
    out += std::string(static_cast<std::size_t>(opens), '[');
    for (Index c = 0; c < cols; ++c) {
      const std::string& s = cells[static_cast<std::size_t>(r * cols + c)];
      out += std::string(cell_width - s.size(), ' ') + s + (c + 1 < cols ? ", " : "");
    }
    out += std::string(static_cast<std::size_t>(closes), ']');
    if (r + 1 < rows) out += ",";
  }
  return out;
}

}  // namespace gs::cli
