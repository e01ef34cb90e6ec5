// Graph files (gradscope-graph, version 1) read and written. Reading validates the whole file
// before anything is built, then builds through the Graph builder in a topological order worked
// out here; any failure throws FileError, so a caller never sees a partial document. Writing puts
// the keys in reading order and lays the text out with json_text's printer.
// Depends on graph.h, parse.h, json_text.h; no printing.
//
// [SECTION] reading: checked access to JSON values
// [SECTION] reading: nodes
// [SECTION] reading: order and cycles
// [SECTION] reading: the document
// [SECTION] writing
// [SECTION] files

#include "graph_json.h"

#include "parse.h"
#include "text_file.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <iterator>
#include <limits>
#include <map>
#include <queue>
#include <utility>

namespace gs {

using nlohmann::json;

namespace {

constexpr const char* kFormatName = "gradscope-graph";
// Bounds that keep a hostile file from asking for absurd memory; far above any teaching graph.
constexpr Index kMaxElements = kMaxTensorElements;
constexpr std::size_t kMaxNodes = 200000;
constexpr std::int64_t kMaxWindow = 10000;  // stride, kernel, padding

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw FileError(where.empty() ? what : where + ": " + what);
}

}  // namespace

namespace {

// =================================================================================================
// [SECTION] reading: checked access to JSON values
// =================================================================================================

const json* member(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

// Unknown keys are refused: a misspelt "ouptut" would otherwise silently give another graph.
void check_keys(const json& obj, const std::vector<std::string>& known, const std::string& where) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (std::find(known.begin(), known.end(), it.key()) != known.end()) continue;
    std::string guess = closest_name(it.key(), known);
    fail(where, "unknown key \"" + it.key() + "\"" + (guess.empty() ? "" : " (did you mean \"" + guess + "\"?)"));
  }
}

std::string get_string(const json& j, const std::string& where) {
  if (!j.is_string()) fail(where, "expected a string, found " + describe_json(j));
  return j.get<std::string>();
}

std::int64_t get_integer(const json& j, const std::string& where) {
  if (j.is_number_integer()) return j.get<std::int64_t>();
  // 2.0 is an integer written by a program that only knows doubles; 2.5 is not.
  if (j.is_number_float()) {
    double v = j.get<double>();
    if (v == std::floor(v) && std::abs(v) < 9e15) return static_cast<std::int64_t>(v);
  }
  fail(where, "expected a whole number, found " + describe_json(j));
}

std::int64_t get_integer_in(const json& j, const std::string& where, std::int64_t lo, std::int64_t hi) {
  std::int64_t v = get_integer(j, where);
  if (v < lo || v > hi)
    fail(where, "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", got " + std::to_string(v));
  return v;
}

Shape shape_from_json(const json& j, const std::string& where) {
  if (!j.is_array()) fail(where, "a shape is a list of sizes such as [2, 3], found " + describe_json(j));
  if (j.size() > static_cast<std::size_t>(kMaxRank)) fail(where, "tensors have at most 4 axes, found " + std::to_string(j.size()));
  Shape s;
  Index elements = 1;
  for (std::size_t k = 0; k < j.size(); ++k) {
    std::int64_t d = get_integer_in(j[k], where + " size " + std::to_string(k + 1), 1, kMaxElements);
    elements *= d;
    if (elements > kMaxElements) fail(where, "the shape has too many elements");
    s.push_back(d);
  }
  return s;
}

NodePosition position_from_json(const json& j, const std::string& where) {
  if (!j.is_array() || j.size() != 2 || !j[0].is_number() || !j[1].is_number())
    fail(where, "a position is a list of two numbers [x, y], found " + describe_json(j));
  double x = j[0].get<double>(), y = j[1].get<double>();
  if (std::abs(x) > 1e7 || std::abs(y) > 1e7) fail(where, "position is too far from the origin");
  return NodePosition{static_cast<float>(x), static_cast<float>(y)};
}

// The integer attributes are the same keys for every op; a real-valued keyword (leaky_relu's
// negative_slope) is stored under the op's own keyword name.
std::vector<const OpKeyword*> real_keywords(const OpDef& def) {
  std::vector<const OpKeyword*> out;
  for (int i = 0; i < def.keyword_count(); ++i)
    if (def.keywords[static_cast<std::size_t>(i)].slot == AttrSlot::Coefficient) out.push_back(&def.keywords[static_cast<std::size_t>(i)]);
  return out;
}

OpAttrs attrs_from_json(const json& j, const std::string& where, const OpDef& def) {
  if (!j.is_object()) fail(where, "expected an object of attributes, found " + describe_json(j));
  std::vector<std::string> known{"axis", "keepdims", "stride", "padding", "kernel", "ceil_mode", "count_include_pad", "shape"};
  for (const OpKeyword* k : real_keywords(def)) known.emplace_back(k->name);
  check_keys(j, known, where);
  OpAttrs a;
  for (const OpKeyword* k : real_keywords(def)) {
    const json* v = member(j, k->name);
    if (!v) continue;
    const std::string key = where + "." + k->name;
    if (!v->is_number()) fail(key, "expected a number, found " + describe_json(*v));
    if (std::string problem = check_keyword_value(*k, v->get<double>()); !problem.empty()) fail(key, problem);
    a.coefficient = v->get<double>();
  }
  if (const json* v = member(j, "axis")) a.axis = static_cast<int>(get_integer_in(*v, where + ".axis", -kMaxRank, kMaxRank - 1));
  for (auto [key, flag] : {std::pair{"keepdims", &a.keepdims}, std::pair{"ceil_mode", &a.ceil_mode},
                           std::pair{"count_include_pad", &a.count_include_pad}})
    if (const json* v = member(j, key)) {
      if (!v->is_boolean()) fail(where + "." + key, "expected true or false, found " + describe_json(*v));
      *flag = v->get<bool>();
    }
  if (const json* v = member(j, "stride")) a.stride = static_cast<int>(get_integer_in(*v, where + ".stride", 1, kMaxWindow));
  if (const json* v = member(j, "padding")) a.padding = static_cast<int>(get_integer_in(*v, where + ".padding", 0, kMaxWindow));
  if (const json* v = member(j, "kernel")) a.kernel = static_cast<int>(get_integer_in(*v, where + ".kernel", 1, kMaxWindow));
  if (const json* v = member(j, "shape")) a.shape = shape_from_json(*v, where + ".shape");
  return a;
}

// =================================================================================================
// [SECTION] reading: nodes
// =================================================================================================

// One node as the file states it, checked on its own; links are checked once all are read.
struct FileNode {
  std::int64_t id = 0;
  std::string where;  // "node 4", for messages
  NodeKind kind = NodeKind::Input;
  Op op = Op::Add;
  std::vector<std::int64_t> input_ids;
  std::vector<std::size_t> inputs;  // positions in the file's node list
  std::string name;
  std::optional<Shape> shape;
  TensorD value;
  OpAttrs attrs;
  std::optional<NodePosition> pos;
  bool adjoint = false;  // computes an adjoint (an extended graph's reverse part)
};

std::vector<std::string> catalogue_names() {
  std::vector<std::string> names;
  for (int i = 0; i < kOpCount; ++i) names.emplace_back(op_name(static_cast<Op>(i)));
  return names;
}

FileNode node_from_json(const json& j, std::size_t position) {
  FileNode n;
  n.where = "nodes[" + std::to_string(position) + "]";
  if (!j.is_object()) fail(n.where, "a node is an object, found " + describe_json(j));
  const json* id = member(j, "id");
  if (!id) fail(n.where, "missing \"id\"");
  n.id = get_integer_in(*id, n.where + ".id", 0, std::int64_t{1} << 40);
  n.where = "node " + std::to_string(n.id);
  check_keys(j, {"id", "kind", "op", "inputs", "name", "shape", "value", "attrs", "pos", "adjoint"}, n.where);

  const json* kind = member(j, "kind");
  if (!kind) fail(n.where, "missing \"kind\" (\"input\", \"constant\" or \"op\")");
  const std::string k = get_string(*kind, n.where + ".kind");
  if (k == "input") {
    n.kind = NodeKind::Input;
  } else if (k == "constant") {
    n.kind = NodeKind::Constant;
  } else if (k == "op") {
    n.kind = NodeKind::Op;
  } else {
    fail(n.where, "kind \"" + k + "\" is none of \"input\", \"constant\", \"op\"");
  }
  // Keys that belong to another kind of node are mistakes, not decorations.
  auto refuse = [&](const char* key, const char* why) {
    if (member(j, key)) fail(n.where, std::string("\"") + key + "\" " + why);
  };
  if (n.kind != NodeKind::Op) {
    refuse("op", "belongs to op nodes");
    refuse("inputs", "belongs to op nodes");
    refuse("attrs", "belongs to op nodes");
  }
  if (n.kind == NodeKind::Constant) refuse("name", "belongs to input and op nodes");
  if (n.kind != NodeKind::Constant) refuse("value", "belongs to constant nodes (input values go in \"values\")");

  if (const json* s = member(j, "shape")) n.shape = shape_from_json(*s, n.where + ".shape");
  if (const json* p = member(j, "pos")) n.pos = position_from_json(*p, n.where + ".pos");
  if (const json* a = member(j, "adjoint")) {
    if (!a->is_boolean()) fail(n.where + ".adjoint", "expected true or false, found " + describe_json(*a));
    n.adjoint = a->get<bool>();
  }

  switch (n.kind) {
    case NodeKind::Input: {
      const json* name = member(j, "name");
      if (!name) fail(n.where, "an input needs a \"name\"");
      n.name = get_string(*name, n.where + ".name");
      if (!is_identifier(n.name))
        fail(n.where, "input name \"" + n.name + "\" is not a name of the expression language (letters, digits, _)");
      break;
    }
    case NodeKind::Constant: {
      const json* value = member(j, "value");
      if (!value) fail(n.where, "a constant needs a \"value\"");
      n.value = tensor_from_json(*value, n.where + ".value");
      if (n.shape && *n.shape != n.value.shape())
        fail(n.where, "\"shape\" is " + n.shape->to_string() + " but the value is " + n.value.shape().to_string());
      break;
    }
    case NodeKind::Op: {
      const json* op = member(j, "op");
      if (!op) fail(n.where, "an op node needs an \"op\"");
      const std::string name = get_string(*op, n.where + ".op");
      if (!op_from_name(name, &n.op)) {
        std::string guess = closest_name(name, catalogue_names());
        fail(n.where, "unknown op '" + name + "'" + (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
      }
      const json* inputs = member(j, "inputs");
      if (!inputs) fail(n.where, "an op node needs \"inputs\" (a list of node ids)");
      if (!inputs->is_array()) fail(n.where + ".inputs", "expected a list of node ids, found " + describe_json(*inputs));
      const OpDef& def = op_def(n.op);
      const int got = static_cast<int>(inputs->size());
      if (got < def.min_arity || got > def.max_arity)
        fail(n.where, std::string(def.name) + " takes " + arity_text(def) + ", got " + std::to_string(got));
      for (std::size_t i = 0; i < inputs->size(); ++i)
        n.input_ids.push_back(get_integer(inputs->at(i), n.where + ".inputs[" + std::to_string(i) + "]"));
      if (const json* a = member(j, "attrs")) n.attrs = attrs_from_json(*a, n.where + ".attrs", def);
      // A statement's name (`s0 = w0*x0`) or an adjoint node's (v̄1): a label, not an input name.
      if (const json* label = member(j, "name")) {
        n.name = get_string(*label, n.where + ".name");
        if (n.name.empty() || n.name.size() > 64) fail(n.where + ".name", "an op's name is 1 to 64 bytes");
      }
      break;
    }
  }
  return n;
}

// =================================================================================================
// [SECTION] reading: order and cycles
// =================================================================================================

// "cycle: node 3 → node 5 → node 3 (each uses the next as an input)", from nodes that Kahn's
// algorithm could not place. Every such node has an input that is also unplaced, so walking
// from input to input must come back to a node already seen.
[[noreturn]] void report_cycle(const std::vector<FileNode>& nodes, const std::vector<bool>& placed) {
  std::size_t start = 0;
  while (placed[start]) ++start;
  std::vector<std::size_t> path;
  std::vector<int> seen_at(nodes.size(), -1);
  std::size_t v = start;
  while (seen_at[v] < 0) {
    seen_at[v] = static_cast<int>(path.size());
    path.push_back(v);
    for (std::size_t in : nodes[v].inputs)
      if (!placed[in]) {
        v = in;
        break;
      }
  }
  std::string text;
  for (std::size_t i = static_cast<std::size_t>(seen_at[v]); i < path.size(); ++i) text += nodes[path[i]].where + " → ";
  text += nodes[v].where;
  fail("", "cycle: " + text + " (each uses the next as an input)");
}

// A topological order that keeps the file's order wherever the links allow, so that a file
// written by save_document loads back with the same node ids.
std::vector<std::size_t> build_order(const std::vector<FileNode>& nodes) {
  const std::size_t n = nodes.size();
  std::vector<int> waiting(n, 0);
  std::vector<std::vector<std::size_t>> users(n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t in : nodes[i].inputs) {
      ++waiting[i];
      users[in].push_back(i);
    }
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  for (std::size_t i = 0; i < n; ++i)
    if (waiting[i] == 0) ready.push(i);
  std::vector<std::size_t> order;
  std::vector<bool> placed(n, false);
  while (!ready.empty()) {
    std::size_t i = ready.top();
    ready.pop();
    order.push_back(i);
    placed[i] = true;
    for (std::size_t u : users[i])
      if (--waiting[u] == 0) ready.push(u);
  }
  if (order.size() != n) report_cycle(nodes, placed);
  return order;
}

// =================================================================================================
// [SECTION] reading: the document
// =================================================================================================

Bindings values_from_json(const json& j) {
  if (!j.is_object()) fail("values", "expected an object {\"name\": value}, found " + describe_json(j));
  Bindings values;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!is_identifier(it.key())) fail("values", "\"" + it.key() + "\" is not an input name");
    values[it.key()] = tensor_from_json(it.value(), "values." + it.key());
  }
  return values;
}

// Every value must belong to an input of the graph and have its shape.
void check_values(const Graph& g, const Bindings& values) {
  std::vector<std::string> names;
  for (NodeId id : g.inputs()) names.push_back(g.node(id).name);
  for (const auto& [name, value] : values) {
    NodeId id = g.find_input(name);
    if (!id.valid()) {
      std::string list;
      for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
      fail("values." + name, "the graph has no input '" + name + "'" + (list.empty() ? "" : " (its inputs: " + list + ")"));
    }
    if (g.node(id).shape != value.shape())
      fail("values." + name, "the value is " + value.shape().to_string() + " but input '" + name + "' is " +
                                 g.node(id).shape.to_string());
  }
}

void read_header(const json& j, GraphDocument* doc) {
  if (!j.is_object()) fail("", "a graph file is a JSON object, found " + describe_json(j));
  check_keys(j, {"format", "version", "title", "description", "expression", "nodes", "output", "values"}, "");
  const json* format = member(j, "format");
  if (!format) fail("", std::string("missing \"format\": \"") + kFormatName + "\" (is this a gradscope graph?)");
  if (get_string(*format, "format") != kFormatName)
    fail("format", "\"" + format->get<std::string>() + "\" is not \"" + kFormatName + "\"");
  const json* version = member(j, "version");
  if (!version) fail("", "missing \"version\"");
  std::int64_t v = get_integer(*version, "version");
  if (v > kGraphFileVersion)
    fail("version", std::to_string(v) + " is newer than this program reads (" + std::to_string(kGraphFileVersion) +
                        "): update gradscope");
  if (v < 1) fail("version", "must be 1 or more, got " + std::to_string(v));
  if (const json* t = member(j, "title")) doc->title = get_string(*t, "title");
  if (const json* d = member(j, "description")) doc->description = get_string(*d, "description");
  if (const json* e = member(j, "expression")) doc->expression = get_string(*e, "expression");
}

void read_expression_graph(const json& j, GraphDocument* doc) {
  if (doc->expression.empty()) fail("", "a graph file needs \"nodes\" or an \"expression\"");
  if (member(j, "output")) fail("output", "only files with \"nodes\" name an output (the expression's last statement is)");
  ShapeMap shapes;
  for (const auto& [name, value] : doc->values) shapes[name] = value.shape();
  try {
    doc->graph = parse_expression(doc->expression, shapes);
  } catch (const ParseError& e) {
    fail("expression", e.what());
  }
}

void read_node_graph(const json& j, GraphDocument* doc) {
  const json& list = j.at("nodes");
  if (!list.is_array()) fail("nodes", "expected a list of nodes, found " + describe_json(list));
  if (list.empty()) fail("nodes", "the list is empty");
  if (list.size() > kMaxNodes) fail("nodes", "more than " + std::to_string(kMaxNodes) + " nodes");

  std::vector<FileNode> nodes;
  nodes.reserve(list.size());
  std::map<std::int64_t, std::size_t> by_id;
  std::map<std::string, std::size_t, std::less<>> by_name;
  for (std::size_t i = 0; i < list.size(); ++i) {
    FileNode n = node_from_json(list[i], i);
    if (auto [it, fresh] = by_id.emplace(n.id, i); !fresh) fail("nodes[" + std::to_string(i) + "]", "id " + std::to_string(n.id) + " is used twice");
    if (n.kind == NodeKind::Input) {
      if (auto [it, fresh] = by_name.emplace(n.name, i); !fresh)
        fail(n.where, "input name '" + n.name + "' is already used by " + nodes[it->second].where);
    }
    nodes.push_back(std::move(n));
  }
  for (FileNode& n : nodes)
    for (std::int64_t in : n.input_ids) {
      auto it = by_id.find(in);
      if (it == by_id.end()) fail(n.where, "input " + std::to_string(in) + " is not a node of the file");
      n.inputs.push_back(it->second);
    }
  const std::vector<std::size_t> order = build_order(nodes);

  std::size_t output = nodes.size() - 1;
  if (const json* o = member(j, "output")) {
    std::int64_t id = get_integer(*o, "output");
    auto it = by_id.find(id);
    if (it == by_id.end()) fail("output", std::to_string(id) + " is not a node of the file");
    output = it->second;
  }

  Graph& g = doc->graph;
  g.reserve(static_cast<int>(nodes.size()));
  std::vector<NodeId> built(nodes.size());
  bool any_position = false;
  bool any_adjoint = false;
  for (std::size_t i : order) {
    const FileNode& n = nodes[i];
    if (n.kind == NodeKind::Input) {
      // The shape comes from "shape", else from the input's value, else it is a scalar.
      Shape shape;
      auto value = doc->values.find(n.name);
      if (n.shape) {
        shape = *n.shape;
      } else if (value != doc->values.end()) {
        shape = value->second.shape();
      }
      built[i] = g.input(n.name, shape);
    } else if (n.kind == NodeKind::Constant) {
      built[i] = g.constant(n.value);
    } else {
      std::array<NodeId, 3> in{};
      for (std::size_t k = 0; k < n.inputs.size(); ++k) in[k] = built[n.inputs[k]];
      try {
        built[i] = g.op(n.op, in.data(), static_cast<int>(n.inputs.size()), n.attrs);
      } catch (const std::exception& e) {
        fail(n.where, e.what());
      }
      if (n.shape && *n.shape != g.node(built[i]).shape)
        fail(n.where, "\"shape\" says " + n.shape->to_string() + " but its inputs give " + g.node(built[i]).shape.to_string());
      if (!n.name.empty()) g.set_op_name(built[i], n.name);
    }
    any_position = any_position || n.pos.has_value();
    any_adjoint = any_adjoint || n.adjoint;
  }
  if (any_adjoint) {
    doc->adjoint.assign(static_cast<std::size_t>(g.size()), false);
    for (std::size_t i = 0; i < nodes.size(); ++i) doc->adjoint[static_cast<std::size_t>(built[i].index)] = nodes[i].adjoint;
  }
  g.set_output(built[output]);
  if (any_position) {
    doc->positions.assign(static_cast<std::size_t>(g.size()), std::nullopt);
    for (std::size_t i = 0; i < nodes.size(); ++i) doc->positions[static_cast<std::size_t>(built[i].index)] = nodes[i].pos;
  }
}

// =================================================================================================
// [SECTION] writing
// =================================================================================================

json attrs_to_json(const OpAttrs& a, const OpDef& def) {
  const OpAttrs defaults;
  json j = json::object();
  for (const OpKeyword* k : real_keywords(def))
    if (a.coefficient && *a.coefficient != k->default_value) j[k->name] = *a.coefficient;
  if (a.axis != defaults.axis) j["axis"] = a.axis;
  if (a.keepdims != defaults.keepdims) j["keepdims"] = a.keepdims;
  if (a.stride != defaults.stride) j["stride"] = a.stride;
  if (a.padding != defaults.padding) j["padding"] = a.padding;
  if (a.kernel != defaults.kernel) j["kernel"] = a.kernel;
  if (a.ceil_mode != defaults.ceil_mode) j["ceil_mode"] = a.ceil_mode;
  if (a.count_include_pad != defaults.count_include_pad) j["count_include_pad"] = a.count_include_pad;
  if (a.shape != defaults.shape) j["shape"] = json(std::vector<Index>(a.shape.begin(), a.shape.end()));
  return j;
}

// Keys in reading order rather than nlohmann's alphabetical one.
int key_rank(const std::string& key) {
  static const char* const kOrder[] = {"format", "version", "title", "description", "expression", "id", "kind", "op",
                                       "name", "inputs", "attrs", "shape", "value", "pos", "adjoint", "nodes", "output", "values"};
  for (int i = 0; i < static_cast<int>(std::size(kOrder)); ++i)
    if (key == kOrder[i]) return i;
  return static_cast<int>(std::size(kOrder));
}

// The document's JSON with every object's keys in reading order (stable: others alphabetical).
nlohmann::ordered_json in_reading_order(const json& j) {
  if (j.is_array()) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const json& e : j) out.push_back(in_reading_order(e));
    return out;
  }
  if (!j.is_object()) return nlohmann::ordered_json(j);
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  std::stable_sort(keys.begin(), keys.end(), [](const std::string& a, const std::string& b) { return key_rank(a) < key_rank(b); });
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const std::string& key : keys) out[key] = in_reading_order(j.at(key));
  return out;
}

}  // namespace

json to_json(const GraphDocument& doc) {
  const Graph& g = doc.graph;
  json j = json::object();
  j["format"] = kFormatName;
  j["version"] = kGraphFileVersion;
  if (!doc.title.empty()) j["title"] = doc.title;
  if (!doc.description.empty()) j["description"] = doc.description;
  if (!doc.expression.empty()) j["expression"] = doc.expression;
  json nodes = json::array();
  for (int i = 0; i < g.size(); ++i) {
    const NodeId id{i};
    const Node& n = g.node(id);
    json node = json::object();
    node["id"] = i;
    node["shape"] = json(std::vector<Index>(n.shape.begin(), n.shape.end()));
    switch (n.kind) {
      case NodeKind::Input:
        node["kind"] = "input";
        node["name"] = n.name;
        break;
      case NodeKind::Constant:
        node["kind"] = "constant";
        node["value"] = tensor_to_json(g.constant_value(id));
        break;
      case NodeKind::Op: {
        node["kind"] = "op";
        node["op"] = op_name(n.op);
        json inputs = json::array();
        for (int k = 0; k < n.arity; ++k) inputs.push_back(n.inputs[static_cast<std::size_t>(k)].index);
        node["inputs"] = std::move(inputs);
        json attrs = attrs_to_json(n.attrs, op_def(n.op));
        if (!attrs.empty()) node["attrs"] = std::move(attrs);
        if (!n.name.empty()) node["name"] = n.name;
        break;
      }
    }
    if (static_cast<std::size_t>(i) < doc.positions.size() && doc.positions[static_cast<std::size_t>(i)]) {
      const NodePosition& p = *doc.positions[static_cast<std::size_t>(i)];
      node["pos"] = json::array({p.x, p.y});
    }
    if (static_cast<std::size_t>(i) < doc.adjoint.size() && doc.adjoint[static_cast<std::size_t>(i)]) node["adjoint"] = true;
    nodes.push_back(std::move(node));
  }
  j["nodes"] = std::move(nodes);
  if (g.size() > 0) j["output"] = g.output().index;
  json values = json::object();
  for (const auto& [name, value] : doc.values) values[name] = tensor_to_json(value);
  j["values"] = std::move(values);
  return j;
}

GraphDocument document_from_json(const json& j) {
  GraphDocument doc;
  try {
    read_header(j, &doc);
    if (const json* v = member(j, "values")) doc.values = values_from_json(*v);
    if (member(j, "nodes"))
      read_node_graph(j, &doc);
    else
      read_expression_graph(j, &doc);
    check_values(doc.graph, doc.values);
  } catch (const json::exception& e) {
    // The checks above test every type before reading it; this only guards against an oversight
    // turning into a crash.
    throw FileError("malformed graph file: " + clean_json_message(e.what()));
  }
  return doc;
}

std::string document_text(const GraphDocument& doc) { return pretty_json(in_reading_order(to_json(doc))) + "\n"; }

GraphDocument document_from_text(std::string_view text, const std::string& source) {
  const std::string prefix = source.empty() ? "" : source + ": ";
  json j;
  try {
    j = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    throw FileError(prefix + "not valid JSON (byte " + std::to_string(e.byte) + "): " + clean_json_message(e.what()));
  } catch (const json::exception& e) {
    throw FileError(prefix + "not valid JSON: " + clean_json_message(e.what()));
  }
  try {
    return document_from_json(j);
  } catch (const FileError& e) {
    throw FileError(prefix + e.what());
  }
}

// =================================================================================================
// [SECTION] files
// =================================================================================================

GraphDocument load_document(const std::string& path) {
  return document_from_text(read_text_file(path), path);
}

// A crash or a full disk mid-write (autosave) never leaves a truncated file where a good one was.
void save_document(const GraphDocument& doc, const std::string& path) { write_file_atomically(path, document_text(doc)); }

}  // namespace gs
