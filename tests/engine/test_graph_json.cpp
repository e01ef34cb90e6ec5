// Tests of graph files (src/engine/graph_json.h): round trips keep every node, value and
// position; every kind of malformed file is refused with a message naming the place; the
// example graphs in assets/examples all load and evaluate.
#include "engine/gradcheck.h"
#include "engine/graph_json.h"
#include "engine/parse.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <fstream>
#include <random>
#include <string>

namespace gs {
namespace {

using nlohmann::json;

// Every field a graph file stores, compared node by node; the first difference is named.
void expect_same_graph(const Graph& a, const Graph& b) {
  ASSERT_EQ(a.size(), b.size());
  for (int i = 0; i < a.size(); ++i) {
    const Node& x = a.node(NodeId{i});
    const Node& y = b.node(NodeId{i});
    EXPECT_EQ(x.kind, y.kind) << "node " << i;
    EXPECT_EQ(x.shape, y.shape) << "node " << i << ": " << x.shape.to_string() << " vs " << y.shape.to_string();
    EXPECT_EQ(x.name, y.name) << "node " << i;
    if (x.kind == NodeKind::Op) {
      EXPECT_EQ(op_name(x.op), std::string(op_name(y.op))) << "node " << i;
      EXPECT_EQ(x.arity, y.arity) << "node " << i;
      for (int k = 0; k < x.arity; ++k) EXPECT_EQ(x.inputs[k], y.inputs[k]) << "node " << i << " input " << k;
      EXPECT_TRUE(x.attrs == y.attrs) << "node " << i;
    }
    if (x.kind == NodeKind::Constant) {
      const TensorD& cx = a.constant_value(NodeId{i});
      const TensorD& cy = b.constant_value(NodeId{i});
      ASSERT_EQ(cx.shape(), cy.shape()) << "node " << i;
      for (Index k = 0; k < cx.size(); ++k) EXPECT_EQ(cx[k], cy[k]) << "node " << i << " element " << k;
    }
  }
  EXPECT_EQ(a.output(), b.output());
}

void expect_same_values(const Bindings& a, const Bindings& b) {
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [name, value] : a) {
    ASSERT_TRUE(b.count(name)) << name;
    const TensorD& other = b.at(name);
    ASSERT_EQ(value.shape(), other.shape()) << name;
    for (Index k = 0; k < value.size(); ++k) {
      if (std::isnan(value[k]))
        EXPECT_TRUE(std::isnan(other[k])) << name << "[" << k << "]";
      else
        EXPECT_EQ(value[k], other[k]) << name << "[" << k << "]";  // exactly: 17 digits survive
    }
  }
}

GraphDocument sample_document() {
  GraphDocument doc;
  doc.expression = "h = relu(conv2d(x, W, b, stride=2, padding=1)); p = maxpool(h, 3, 1); J = sum(p, 1) * 0.1 + mean(x)";
  doc.title = "sample";
  doc.description = "conv, pool, sums with attributes";
  std::mt19937 rng(7);
  std::normal_distribution<double> normal;
  auto random = [&](Shape s) {
    TensorD t(s);
    for (double& v : t) v = normal(rng);
    return t;
  };
  doc.values = {{"x", random(Shape{1, 2, 6, 6})}, {"W", random(Shape{3, 2, 3, 3})}, {"b", random(Shape{3})}};
  ShapeMap shapes;
  for (const auto& [name, v] : doc.values) shapes[name] = v.shape();
  doc.graph = parse_expression(doc.expression, shapes);
  doc.positions.resize(static_cast<std::size_t>(doc.graph.size()));
  for (int i = 0; i < doc.graph.size(); i += 2) doc.positions[static_cast<std::size_t>(i)] = NodePosition{10.5f * i, -3.25f * i};
  return doc;
}

std::string sample_text() { return document_text(sample_document()); }

// The FileError message for a file, or "(no error)".
std::string error_of(const std::string& text) {
  try {
    document_from_text(text);
  } catch (const FileError& e) {
    return e.what();
  }
  return "(no error)";
}

// A small valid file edited by the test: x (input), 1 (constant 2), 2 = ln x, 3 = 2 * ln x.
json small_file() {
  return json::parse(R"({
    "format": "gradscope-graph", "version": 1, "title": "small",
    "nodes": [
      {"id": 0, "kind": "input", "name": "x"},
      {"id": 1, "kind": "constant", "value": 2},
      {"id": 2, "kind": "op", "op": "ln", "inputs": [0]},
      {"id": 3, "kind": "op", "op": "mul", "inputs": [1, 2]}
    ],
    "output": 3,
    "values": {"x": 3}
  })");
}

TEST(GraphJson, RoundTripKeepsNodesValuesPositionsAndText) {
  const GraphDocument doc = sample_document();
  const GraphDocument back = document_from_json(to_json(doc));
  expect_same_graph(doc.graph, back.graph);
  expect_same_values(doc.values, back.values);
  EXPECT_EQ(back.title, doc.title);
  EXPECT_EQ(back.description, doc.description);
  EXPECT_EQ(back.expression, doc.expression);
  ASSERT_EQ(back.positions.size(), doc.positions.size());
  for (std::size_t i = 0; i < doc.positions.size(); ++i) {
    ASSERT_EQ(back.positions[i].has_value(), doc.positions[i].has_value()) << "node " << i;
    if (doc.positions[i]) {
      EXPECT_EQ(back.positions[i]->x, doc.positions[i]->x) << "node " << i;
      EXPECT_EQ(back.positions[i]->y, doc.positions[i]->y) << "node " << i;
    }
  }
  // Through text and through a file, the same again.
  const GraphDocument from_text = document_from_text(document_text(doc));
  expect_same_graph(doc.graph, from_text.graph);
  const std::string path = ::testing::TempDir() + "gradscope_roundtrip.json";
  save_document(doc, path);
  const GraphDocument from_file = load_document(path);
  expect_same_graph(doc.graph, from_file.graph);
  expect_same_values(doc.values, from_file.values);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp")) << "the temporary file of the atomic save is left behind";
  std::remove(path.c_str());
}

TEST(GraphJson, RoundTripEvaluatesToTheSameNumbers) {
  const GraphDocument doc = sample_document();
  const GraphDocument back = document_from_text(document_text(doc));
  const TensorD a = evaluate(doc.graph, doc.values)[doc.graph.output()];
  const TensorD b = evaluate(back.graph, back.values)[back.graph.output()];
  ASSERT_EQ(a.shape(), b.shape());
  for (Index k = 0; k < a.size(); ++k) EXPECT_EQ(a[k], b[k]) << "element " << k;
}

TEST(GraphJson, SavedTextIsReadable) {
  const std::string text = sample_text();
  EXPECT_EQ(text.rfind("{\n  \"format\": \"gradscope-graph\",\n  \"version\": 1,\n  \"title\": \"sample\"", 0), 0u) << text;
  EXPECT_NE(text.find("{\"id\": 3, \"kind\": \"op\", \"op\": \"conv2d\", \"inputs\": [0, 1, 2], \"attrs\": {\"padding\": 1, \"stride\": 2}"),
            std::string::npos)
      << "a node on one line, keys in reading order:\n"
      << text;
}

TEST(GraphJson, ExpressionDocumentsAreBuiltByTheParser) {
  GraphDocument doc = document_from_text(R"({"format": "gradscope-graph", "version": 1,
      "expression": "y = X @ W", "values": {"X": [[1, 2]], "W": [[1], ["inf"]]}})");
  EXPECT_EQ(doc.graph.node(doc.graph.output()).shape.to_string(), "[1×1]");
  EXPECT_TRUE(doc.positions.empty());
  EXPECT_TRUE(std::isinf(doc.values.at("W")[1]));
}

TEST(GraphJson, NodeFilesInAnyOrderAreBuiltTopologically) {
  json j = small_file();
  std::reverse(j["nodes"].begin(), j["nodes"].end());
  GraphDocument doc = document_from_json(j);
  ASSERT_EQ(doc.graph.size(), 4);
  Evaluation ev = evaluate(doc.graph, doc.values);
  EXPECT_DOUBLE_EQ(ev[doc.graph.output()].item(), 2 * std::log(3.0));
}

TEST(GraphJson, MalformedFilesAreRefusedNamingThePlace) {
  struct Case {
    const char* what;
    std::function<void(json&)> edit;
    const char* message;
  };
  const Case cases[] = {
      {"wrong version", [](json& j) { j["version"] = 2; }, "version: 2 is newer than this program reads (1): update gradscope"},
      {"version not a number", [](json& j) { j["version"] = "1"; }, "version: expected a whole number, found the string \"1\""},
      {"no format", [](json& j) { j.erase("format"); }, "missing \"format\": \"gradscope-graph\" (is this a gradscope graph?)"},
      {"other format", [](json& j) { j["format"] = "onnx"; }, "format: \"onnx\" is not \"gradscope-graph\""},
      {"misspelt key", [](json& j) { j["ouptut"] = 3; }, "unknown key \"ouptut\" (did you mean \"output\"?)"},
      {"duplicate id", [](json& j) { j["nodes"][2]["id"] = 1; }, "nodes[2]: id 1 is used twice"},
      {"dangling input", [](json& j) { j["nodes"][2]["inputs"] = {7}; }, "node 2: input 7 is not a node of the file"},
      {"unknown op", [](json& j) { j["nodes"][2]["op"] = "sine"; }, "node 2: unknown op 'sine' (did you mean 'sin'?)"},
      {"wrong arity", [](json& j) { j["nodes"][2]["inputs"] = {0, 1}; }, "node 2: ln takes 1 input, got 2"},
      {"too few inputs", [](json& j) { j["nodes"][3]["inputs"] = {1}; }, "node 3: mul takes 2 inputs, got 1"},
      {"ragged value", [](json& j) { j["values"]["x"] = json::parse("[[1, 2], [3, 4, 5]]"); },
       "values.x: row 2 has 3 elements, expected 2"},
      {"non-numeric value", [](json& j) { j["values"]["x"] = json::parse("[1, \"two\"]"); },
       "values.x row 2: expected a number (or \"nan\", \"inf\", \"-inf\"), found the string \"two\""},
      {"value of no input", [](json& j) { j["values"]["z"] = 1; }, "values.z: the graph has no input 'z' (its inputs: x)"},
      {"cycle", [](json& j) { j["nodes"][2]["op"] = "add"; j["nodes"][2]["inputs"] = {0, 3}; },
       "cycle: node 2 → node 3 → node 2 (each uses the next as an input)"},
      {"self loop", [](json& j) { j["nodes"][2]["inputs"] = {2}; }, "cycle: node 2 → node 2 (each uses the next as an input)"},
      {"attribute out of range", [](json& j) { j["nodes"][2]["attrs"] = {{"stride", 0}}; },
       "node 2.attrs.stride: must be between 1 and 10000, got 0"},
      {"unknown attribute", [](json& j) { j["nodes"][2]["attrs"] = {{"strde", 2}}; },
       "node 2.attrs: unknown key \"strde\" (did you mean \"stride\"?)"},
      {"input without a name", [](json& j) { j["nodes"][0].erase("name"); }, "node 0: an input needs a \"name\""},
      {"bad input name", [](json& j) { j["nodes"][0]["name"] = "x 1"; },
       "node 0: input name \"x 1\" is not a name of the expression language (letters, digits, _)"},
      {"constant without value", [](json& j) { j["nodes"][1].erase("value"); }, "node 1: a constant needs a \"value\""},
      {"value on an op", [](json& j) { j["nodes"][2]["value"] = 1; },
       "node 2: \"value\" belongs to constant nodes (input values go in \"values\")"},
      {"unknown kind", [](json& j) { j["nodes"][2]["kind"] = "operator"; },
       "node 2: kind \"operator\" is none of \"input\", \"constant\", \"op\""},
      {"shape stated wrongly", [](json& j) { j["nodes"][2]["shape"] = {2}; }, "node 2: \"shape\" says [2] but its inputs give scalar"},
      {"value of another shape", [](json& j) { j["nodes"][0]["shape"] = {2}; },
       "values.x: the value is scalar but input 'x' is [2]"},
      {"output missing", [](json& j) { j["output"] = 9; }, "output: 9 is not a node of the file"},
      {"empty nodes", [](json& j) { j["nodes"] = json::array(); }, "nodes: the list is empty"},
      {"bad position", [](json& j) { j["nodes"][1]["pos"] = {1}; },
       "node 1.pos: a position is a list of two numbers [x, y], found a list"},
      {"negative size", [](json& j) { j["nodes"][0]["shape"] = {-2}; }, "node 0.shape size 1: must be between 1 and 67108864, got -2"},
      {"five axes", [](json& j) { j["values"]["x"] = json::parse("[[[[[1]]]]]"); },
       "values.x: more than 4 nested lists (tensors have at most 4 axes)"},
      {"bad expression", [](json& j) { j.erase("nodes"); j.erase("output"); j["expression"] = "sine(x)"; },
       "expression: unknown function 'sine' at column 1 (did you mean 'sin'?)"},
      {"neither nodes nor expression", [](json& j) { j.erase("nodes"); j.erase("output"); },
       "a graph file needs \"nodes\" or an \"expression\""},
  };
  for (const Case& c : cases) {
    json j = small_file();
    c.edit(j);
    EXPECT_EQ(error_of(j.dump()), c.message) << c.what;
  }
}

// A real-valued keyword is stored under its name, only when it differs from the default, and read
// back with the keyword's check.
TEST(GraphJson, RealKeywordsRoundTripUnderTheirNames) {
  GraphDocument doc;
  doc.graph = parse_expression("leaky_relu(x, 0.25) + leaky_relu(x)");
  doc.values = {{"x", TensorD::scalar(-2)}};
  const std::string text = document_text(doc);
  EXPECT_NE(text.find("\"attrs\": {\"negative_slope\": 0.25}"), std::string::npos) << text;
  EXPECT_EQ(text.find("0.01"), std::string::npos) << "the default is not written:\n" << text;
  const GraphDocument back = document_from_text(text);
  expect_same_graph(doc.graph, back.graph);
  EXPECT_DOUBLE_EQ(evaluate(back.graph, back.values)[back.graph.output()].item(), -0.5 - 0.02);

  json j = small_file();
  j["nodes"][2]["op"] = "leaky_relu";
  j["nodes"][2]["attrs"] = {{"negative_slope", "steep"}};
  EXPECT_EQ(error_of(j.dump()), "node 2.attrs.negative_slope: expected a number, found the string \"steep\"");
  j["nodes"][2]["attrs"] = {{"negative_slop", 0.1}};
  EXPECT_EQ(error_of(j.dump()), "node 2.attrs: unknown key \"negative_slop\" (did you mean \"negative_slope\"?)");
}

// torch's pooling switches are JSON booleans, written only where they differ from torch's defaults.
TEST(GraphJson, PoolingOptionsRoundTrip) {
  GraphDocument doc;
  doc.expression = "sum(avgpool(maxpool(x, 3, 2, padding=1, ceil_mode=true), 2, ceil_mode=true, count_include_pad=false))";
  doc.values = {{"x", TensorD::from(Shape{1, 1, 3, 4}, {1, -2, 3, 0.5, -1, 4, 2, 7, 0, -3, 5, 1})}};
  doc.graph = parse_expression(doc.expression, {{"x", Shape{1, 1, 3, 4}}});
  const std::string text = document_text(doc);
  EXPECT_NE(text.find("\"ceil_mode\": true"), std::string::npos) << text;
  EXPECT_NE(text.find("\"count_include_pad\": false"), std::string::npos) << text;
  const GraphDocument back = document_from_text(text);
  expect_same_graph(doc.graph, back.graph);
  EXPECT_EQ(evaluate(back.graph, back.values)[back.graph.output()].item(),
            evaluate(doc.graph, doc.values)[doc.graph.output()].item());

  json j = json::parse(text);
  for (auto& n : j["nodes"])
    if (n.value("op", "") == "avgpool") n["attrs"]["ceil_mode"] = 1;
  EXPECT_NE(error_of(j.dump()).find(".attrs.ceil_mode: expected true or false, found"), std::string::npos) << error_of(j.dump());
}

TEST(GraphJson, ShapeMismatchNamesTheFileNodeAndBothShapes) {
  json j = small_file();
  j["nodes"][0]["shape"] = {2, 3};
  j["nodes"][1]["value"] = json::parse("[[1, 2], [3, 4]]");
  j["values"]["x"] = json::parse("[[1, 2, 3], [4, 5, 6]]");
  const std::string message = error_of(j.dump());
  EXPECT_EQ(message.rfind("node 3: ", 0), 0u) << message;
  EXPECT_NE(message.find("[2×2]"), std::string::npos) << message;
  EXPECT_NE(message.find("[2×3]"), std::string::npos) << message;
}

TEST(GraphJson, TruncatedAndRandomFilesGiveTheBytePosition) {
  const std::string text = sample_text();
  for (std::size_t cut : {std::size_t{1}, text.size() / 3, text.size() / 2, text.size() - 2}) {
    const std::string message = error_of(text.substr(0, cut));
    EXPECT_EQ(message.rfind("not valid JSON (byte ", 0), 0u) << "cut at " << cut << ": " << message;
  }
  std::mt19937 rng(2024);
  for (int trial = 0; trial < 50; ++trial) {
    std::string bytes(1 + rng() % 400, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() & 0xFF);
    const std::string message = error_of(bytes);
    EXPECT_EQ(message.rfind("not valid JSON", 0), 0u) << "trial " << trial << ": " << message;
    for (unsigned char c : message) EXPECT_TRUE(c >= 0x20 && c < 0x7F) << "raw byte in the message of trial " << trial;
  }
  EXPECT_EQ(error_of(""), "not valid JSON (byte 1): parse error at line 1, column 1: syntax error while parsing value - "
                          "unexpected end of input; expected '[', '{', or a literal");
}

TEST(GraphJson, DeepNestingIsRefusedWithoutACrash) {
  const std::string deep = "{\"format\": \"gradscope-graph\", \"version\": 1, \"expression\": \"x\", \"values\": {\"x\": " +
                           std::string(100000, '[') + "1" + std::string(100000, ']') + "}}";
  EXPECT_EQ(error_of(deep), "values.x: more than 4 nested lists (tensors have at most 4 axes)");
}

TEST(GraphJson, MissingFileIsNamed) {
  try {
    load_document("/nonexistent/graph.json");
    FAIL() << "no error";
  } catch (const FileError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot open '/nonexistent/graph.json': No such file or directory");
  }
  EXPECT_THROW(load_document(::testing::TempDir()), FileError) << "a directory";
}

TEST(GraphJson, LoadErrorsStartWithThePath) {
  const std::string path = ::testing::TempDir() + "gradscope_bad.json";
  {
    std::ofstream out(path);
    out << "{\"format\": \"gradscope-graph\", \"version\": 1,";
  }
  try {
    load_document(path);
    FAIL() << "no error";
  } catch (const FileError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path + ": not valid JSON (byte ", 0), 0u) << e.what();
  }
  std::remove(path.c_str());
}

TEST(GraphJson, NumbersKeepFullPrecisionAndNonFiniteAsStrings) {
  const double third = 1.0 / 3.0;
  EXPECT_EQ(json::parse(number_to_json(third).dump()).get<double>(), third);
  EXPECT_EQ(number_to_json(third).dump(), "0.3333333333333333");
  EXPECT_EQ(number_to_json(5.5).dump(), "5.5");
  EXPECT_EQ(number_to_json(NAN), "nan");
  EXPECT_EQ(number_to_json(INFINITY), "inf");
  EXPECT_EQ(number_to_json(-INFINITY), "-inf");
  TensorD t = TensorD::from(Shape{2, 2}, {1, 2, NAN, 4});
  EXPECT_EQ(tensor_to_json(t).dump(), "[[1.0,2.0],[\"nan\",4.0]]");
  TensorD back = tensor_from_json(tensor_to_json(t), "t");
  EXPECT_EQ(back.shape(), t.shape());
  EXPECT_TRUE(std::isnan(back[2]));
}

#ifdef GRADSCOPE_ASSETS
TEST(Examples, EveryExampleLoadsAndEvaluates) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(GRADSCOPE_ASSETS) + "/examples")) {
    if (entry.path().extension() != ".json") continue;
    ++count;
    SCOPED_TRACE(entry.path().filename().string());
    GraphDocument doc;
    ASSERT_NO_THROW(doc = load_document(entry.path().string()));
    EXPECT_FALSE(doc.title.empty()) << "every example has a title for the menu";
    ASSERT_NO_THROW(check_bindings(doc.graph, doc.values)) << "every input has a value";
    Evaluation ev = evaluate(doc.graph, doc.values);
    ReverseResult r = reverse(doc.graph, ev, doc.graph.output());
    EXPECT_FALSE(first_non_finite(doc.graph, ev).node.valid());
    for (NodeId x : doc.graph.inputs()) EXPECT_TRUE(r.has_adjoint[static_cast<std::size_t>(x.index)]) << doc.graph.node(x).name;
    // Values away from kinks and ties (a max-pool window with two equal maxima would fail here).
    for (const InputCheck& c : gradcheck(doc.graph, doc.values).inputs)
      EXPECT_TRUE(c.passed) << c.input << ": relative error " << c.relative_error << " at element " << c.worst_element;
  }
  EXPECT_GE(count, 8);
}

TEST(Examples, Seed004IsTheDefaultWithTheSeedsAnswer) {
  GraphDocument doc = load_document(std::string(GRADSCOPE_ASSETS) + "/examples/seed004.json");
  Evaluation ev = evaluate(doc.graph, doc.values);
  ReverseResult r = reverse(doc.graph, ev, doc.graph.output());
  EXPECT_NEAR(ev[doc.graph.output()].item(), 11.652, 5e-4);
  EXPECT_DOUBLE_EQ(r[doc.graph.find_input("x1")].item(), 5.5);
  EXPECT_NEAR(r[doc.graph.find_input("x2")].item(), 2 - std::cos(5.0), 1e-15);
}

TEST(Examples, SigmoidNeuronHasTheNumbersOfDesignMd) {
  GraphDocument doc = load_document(std::string(GRADSCOPE_ASSETS) + "/examples/sigmoid_neuron.json");
  Evaluation ev = evaluate(doc.graph, doc.values);
  ReverseResult r = reverse(doc.graph, ev, doc.graph.output());
  EXPECT_NEAR(ev[doc.graph.output()].item(), 0.7311, 1e-4);
  const std::pair<const char*, double> expected[] = {
      {"w0", -0.1966}, {"x0", 0.3932}, {"w1", -0.3932}, {"x1", -0.5898}, {"w2", 0.1966}};
  for (const auto& [name, grad] : expected) EXPECT_NEAR(r[doc.graph.find_input(name)].item(), grad, 1e-4) << name;
}
#endif

}  // namespace
}  // namespace gs

namespace gs {
namespace {

// Statement names (`s0 = w0*x0`) and an extended graph's adjoint marks are written on the op
// nodes and come back on opening; files without them (every older file) open as before.
TEST(GraphJsonNames, OpNamesAndAdjointMarksRoundTrip) {
  ParsedExpression p = parse_program("s0 = w0*x0; L = sigmoid(s0)");
  for (const auto& [name, id] : p.names) p.graph.set_op_name(id, name);
  p.graph.set_op_name(NodeId{2}, "s0");
  GraphDocument doc;
  doc.graph = p.graph;
  doc.values = {{"w0", TensorD::scalar(2)}, {"x0", TensorD::scalar(-1)}};
  doc.adjoint = {false, false, false, true};
  const std::string text = document_text(doc);
  EXPECT_NE(text.find("\"name\": \"s0\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"adjoint\": true"), std::string::npos) << text;
  GraphDocument back = document_from_text(text);
  EXPECT_EQ(back.graph.node(NodeId{2}).name, "s0");
  EXPECT_EQ(back.graph.node(NodeId{3}).name, "L");
  EXPECT_EQ(back.graph.label(NodeId{3}), doc.graph.label(NodeId{3}));
  EXPECT_EQ(back.adjoint, doc.adjoint);

  GraphDocument plain;
  plain.graph = parse_expression("w0*x0");
  plain.values = doc.values;
  const std::string old_text = document_text(plain);
  EXPECT_EQ(old_text.find("adjoint"), std::string::npos) << "nothing new in a file without names or marks";
  EXPECT_TRUE(document_from_text(old_text).adjoint.empty());
  try {
    document_from_text(R"({"format": "gradscope-graph", "version": 1, "nodes": [{"id": 0, "kind": "constant", "value": 1, "name": "c"}], "output": 0, "values": {}})");
    ADD_FAILURE() << "a named constant was accepted";
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find("\"name\" belongs to input and op nodes"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace gs
