// Tests of the expression language (src/engine/parse.h): precedence, statements, calls with
// attributes, every error message with its column, tensor literals, inputs given values by the formula. Uses the engine's evaluation
// to check that what was built computes what was written.
#include "engine/autodiff.h"
#include "engine/input_fill.h"
#include "engine/parse.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace gs {
namespace {

// Values in `b` for names the expression does not use are left out.
double eval_scalar(const std::string& text, const Bindings& b = {}) {
  Graph g = parse_expression(text);
  Bindings used;
  for (NodeId id : g.inputs()) used[g.node(id).name] = b.at(g.node(id).name);
  return evaluate(g, used)[g.output()].item();
}

std::string shape_of(const Graph& g, NodeId id) { return g.node(id).shape.to_string(); }

// The message and column of the ParseError `text` raises, or a note that it raised none.
struct Failure {
  std::string message;
  int column = -1;
  int line = -1;
};
Failure failure_of(const std::string& text, const ShapeMap& shapes = {}) {
  try {
    parse_expression(text, shapes);
  } catch (const ParseError& e) {
    return {e.what(), e.column(), e.line()};
  }
  return {"(no error)", -1, -1};
}

TEST(Parse, Seed004GivesTheSeedsNumbering) {
  Graph g = parse_expression("ln(x1) + x1*x2 - sin(x2)");
  ASSERT_EQ(g.inputs().size(), 2u);
  EXPECT_EQ(g.node(g.inputs()[0]).name, "x1");
  EXPECT_EQ(g.node(g.inputs()[1]).name, "x2");
  EXPECT_EQ(g.formula(g.by_v(3)), "ln v1");
  EXPECT_EQ(g.formula(g.by_v(4)), "v1·v2");
  EXPECT_EQ(g.formula(g.by_v(7)), "v6 − v5");
  EXPECT_EQ(g.output(), g.by_v(7));
  Evaluation ev = evaluate(g, {{"x1", TensorD::scalar(2)}, {"x2", TensorD::scalar(5)}});
  EXPECT_NEAR(ev[g.output()].item(), std::log(2.0) + 10 - std::sin(5.0), 1e-15);
}

TEST(Parse, PrecedenceAndAssociativity) {
  const Bindings x3{{"x", TensorD::scalar(3)}};
  struct Case {
    const char* text;
    double expected;
  };
  const Case cases[] = {
      {"-x^2", -9},        {"x^-2", 1.0 / 9},    {"2^3^2", 512},     {"-2^2", -4},     {"(-2)^2", 4},
      {"2+3*4", 14},       {"(2+3)*4", 20},      {"8/2/2", 2},       {"2-3-4", -5},    {"x**2", 9},
      {"2*-x", -6},        {"- -x", 3},          {"+x", 3},          {"1e-3*1000", 1}, {".5 + 1.", 1.5},
      {"x*x - x/x", 8},    {"max(x, 4) + 1", 5}, {"-(x - 1)", -2},   {"2^-1^2", 0.5},
  };
  for (const Case& c : cases) EXPECT_DOUBLE_EQ(eval_scalar(c.text, x3), c.expected) << c.text;
}

TEST(Parse, NegativeLiteralsAreConstantsNotNegNodes) {
  Graph g = parse_expression("x^-2");
  int neg_nodes = 0;
  for (int i = 0; i < g.size(); ++i)
    if (g.node(NodeId{i}).kind == NodeKind::Op && g.node(NodeId{i}).op == Op::Neg) ++neg_nodes;
  EXPECT_EQ(neg_nodes, 0);
  EXPECT_EQ(g.size(), 3);  // x, −2, x^−2
}

TEST(Parse, MatrixProductBroadcastingAndShapes) {
  const ShapeMap shapes{{"X", Shape{4, 3}}, {"W", Shape{3, 2}}, {"b", Shape{2}}};
  Graph g = parse_expression("X @ W + b", shapes);
  EXPECT_EQ(shape_of(g, g.output()), "[4×2]");
  Graph m = parse_expression("matmul(X, W) * hadamard(b, b)", shapes);
  EXPECT_EQ(shape_of(m, m.output()), "[4×2]");
}

TEST(Parse, StatementsAssignNamesAndTheLastIsTheOutput) {
  const ShapeMap shapes{{"x", Shape{1, 3}}, {"W1", Shape{3, 4}}, {"W2", Shape{4, 2}}};
  for (const char* text : {"h = tanh(x @ W1); y = h @ W2", "h = tanh(x @ W1)\ny = h @ W2\n",
                           "# a comment\nh = tanh(x @ W1)  # hidden layer\n\ny = h @ W2;"}) {
    ParsedExpression p = parse_program(text, shapes);
    EXPECT_EQ(shape_of(p.graph, p.graph.output()), "[1×2]") << text;
    ASSERT_EQ(p.names.size(), 2u) << text;
    EXPECT_EQ(p.names[0].first, "h");
    EXPECT_EQ(p.names[1].first, "y");
    EXPECT_EQ(p.names[1].second, p.graph.output());
    EXPECT_EQ(p.graph.inputs().size(), 3u) << text;
  }
}

TEST(Parse, NewlinesInsideParenthesesContinueTheStatement) {
  Graph g = parse_expression("y = max(x,\n        2)\n");
  EXPECT_DOUBLE_EQ(evaluate(g, {{"x", TensorD::scalar(5)}})[g.output()].item(), 5);
}

TEST(Parse, FlatCodeOfSeed001) {
  Graph g = parse_expression("s0 = w0*x0; s1 = w1*x1; s2 = s0 + s1; s3 = s2 + w2; L = sigmoid(s3)");
  std::vector<std::string> names;
  for (NodeId id : g.inputs()) names.push_back(g.node(id).name);
  EXPECT_EQ(names, (std::vector<std::string>{"w0", "x0", "w1", "x1", "w2"}));
  Bindings b{{"w0", TensorD::scalar(2)}, {"x0", TensorD::scalar(-1)}, {"w1", TensorD::scalar(-3)},
             {"x1", TensorD::scalar(-2)}, {"w2", TensorD::scalar(-3)}};
  EXPECT_NEAR(evaluate(g, b)[g.output()].item(), 1 / (1 + std::exp(-1.0)), 1e-15);
}

TEST(Parse, CallAttributesPositionalAndKeyword) {
  const ShapeMap shapes{{"X", Shape{2, 3}}, {"x", Shape{1, 2, 6, 6}}, {"W", Shape{4, 2, 3, 3}}, {"b", Shape{4}}};
  auto attrs_of_output = [&](const char* text) {
    Graph g = parse_expression(text, shapes);
    return std::make_pair(g.node(g.output()).attrs, g.node(g.output()).shape.to_string());
  };
  auto [sum1, sum1_shape] = attrs_of_output("sum(X, 1)");
  EXPECT_EQ(sum1.axis, 1);
  EXPECT_EQ(sum1_shape, "[2]");
  auto [mean0, mean0_shape] = attrs_of_output("mean(X, axis=0, keepdims=1)");
  EXPECT_EQ(mean0.axis, 0);
  EXPECT_TRUE(mean0.keepdims);
  EXPECT_EQ(mean0_shape, "[1×3]");
  auto [last, last_shape] = attrs_of_output("sum(X, -1)");
  EXPECT_EQ(last.axis, -1);
  EXPECT_EQ(last_shape, "[2]");
  auto [conv, conv_shape] = attrs_of_output("conv2d(x, W, b, stride=2, padding=1)");
  EXPECT_EQ(conv.stride, 2);
  EXPECT_EQ(conv.padding, 1);
  EXPECT_EQ(conv_shape, "[1×4×3×3]");
  auto [conv_pos, conv_pos_shape] = attrs_of_output("conv2d(x, W, 1, 1)");
  EXPECT_EQ(conv_pos.stride, 1);
  EXPECT_EQ(conv_pos.padding, 1);
  EXPECT_EQ(conv_pos_shape, "[1×4×6×6]");
  auto [pool, pool_shape] = attrs_of_output("maxpool(x)");
  EXPECT_EQ(pool.kernel, 2);
  EXPECT_EQ(pool.stride, 2);
  EXPECT_EQ(pool_shape, "[1×2×3×3]");
  auto [pool3, pool3_shape] = attrs_of_output("avgpool(x, 3)");
  EXPECT_EQ(pool3.stride, 3) << "a pool's stride defaults to its kernel";
  EXPECT_EQ(pool3_shape, "[1×2×2×2]");
  auto [pool31, pool31_shape] = attrs_of_output("maxpool(x, kernel=3, stride=1)");
  EXPECT_EQ(pool31.stride, 1);
  EXPECT_EQ(pool31_shape, "[1×2×4×4]");
  // torch's pooling options (issue 10): by keyword and by position.
  auto [stem, stem_shape] = attrs_of_output("maxpool(x, kernel=3, stride=2, padding=1)");
  EXPECT_EQ(stem.padding, 1);
  EXPECT_FALSE(stem.ceil_mode);
  EXPECT_EQ(stem_shape, "[1×2×3×3]");
  auto [ceil, ceil_shape] = attrs_of_output("maxpool(x, 4, 3, ceil_mode=true)");
  EXPECT_TRUE(ceil.ceil_mode);
  EXPECT_EQ(ceil_shape, "[1×2×2×2]") << "floor mode would give 1×1";
  auto [avg, avg_shape] = attrs_of_output("avgpool(x, kernel=3, padding=1, count_include_pad=false)");
  EXPECT_FALSE(avg.count_include_pad);
  EXPECT_EQ(avg.stride, 3);
  EXPECT_EQ(avg_shape, "[1×2×2×2]");
  auto [avg_pos, avg_pos_shape] = attrs_of_output("avgpool(x, 3, 2, 1, true, false)");
  EXPECT_TRUE(avg_pos.ceil_mode);
  EXPECT_FALSE(avg_pos.count_include_pad);
  EXPECT_EQ(avg_pos_shape, "[1×2×4×4]");
  auto [pad, pad_shape] = attrs_of_output("pad(x, 2)");
  EXPECT_EQ(pad.padding, 2);
  EXPECT_EQ(pad_shape, "[1×2×10×10]");
  EXPECT_EQ(attrs_of_output("reshape(X, 3, -1)").second, "[3×2]");
  EXPECT_EQ(attrs_of_output("flatten(x)").second, "[1×72]");
  EXPECT_EQ(attrs_of_output("transpose(X)").second, "[3×2]");
}

// The README's sum(x[, axis][, keepdims]): keepdims is a switch written true/false (True/False
// as in Python, or 1/0), keyword or positional, and torch's spelling keepdim= is the same keyword.
TEST(Parse, KeepdimsIsASwitchUnderBothSpellings) {
  const ShapeMap shapes{{"X", Shape{2, 3}}};
  auto output_shape = [&](const char* text) {
    Graph g = parse_expression(text, shapes);
    return g.node(g.output()).shape.to_string();
  };
  EXPECT_EQ(output_shape("sum(X, 1, keepdims=true)"), "[2×1]");
  EXPECT_EQ(output_shape("sum(X, 1, keepdims=false)"), "[2]");
  EXPECT_EQ(output_shape("sum(X, 1, keepdim=True)"), "[2×1]");
  EXPECT_EQ(output_shape("mean(X, axis=0, keepdim=False)"), "[3]");
  EXPECT_EQ(output_shape("mean(X, 0, true)"), "[1×3]");
  EXPECT_EQ(output_shape("sum(X, keepdims=true)"), "[1×1]");
  EXPECT_EQ(output_shape("sum(X, 1, keepdims=1)"), "[2×1]");
  // true/false are not inputs where a switch is due, and still names elsewhere.
  EXPECT_EQ(expression_inputs("sum(X, 1, true) * true"), std::vector<std::string>({"X", "true"}));

  EXPECT_EQ(failure_of("sum(X, 1, keepdims=2)", shapes).message,
            "keepdims must be true or false (or 1, 0), got 2 at column 20");
  EXPECT_EQ(failure_of("sum(X, true)", shapes).message, "axis must be between -4 and 3, got true at column 8");
  EXPECT_EQ(failure_of("sum(X, axis=false)", shapes).message, "axis must be between -4 and 3, got false at column 13");
  EXPECT_EQ(failure_of("sum(X, 1, keepdim=true, keepdims=true)", shapes).message,
            "argument 'keepdims' given twice at column 34");
}

TEST(Parse, ErrorsNameTheProblemAndTheColumn) {
  struct Case {
    const char* text;
    const char* message;  // the whole message
    int column;
  };
  const Case cases[] = {
      {"x + sine(x)", "unknown function 'sine' at column 5 (did you mean 'sin'?)", 5},
      {"sigmod(x)", "unknown function 'sigmod' at column 1 (did you mean 'sigmoid'?)", 1},
      {"tahn(x)", "unknown function 'tahn' at column 1 (did you mean 'tanh'?)", 1},
      {"frobnicate(x)", "unknown function 'frobnicate' at column 1", 1},
      {"ln(x, y)", "ln takes 1 argument, got 2 at column 1", 1},
      {"x * ce(z)", "ce takes 2 arguments, got 1 at column 5", 5},
      {"sum(x, 0, 1, 2)", "sum takes 1 to 3 arguments, got 4 at column 1 (usage: sum(x[, axis][, keepdims]))", 1},
      {"pad(x)", "pad takes 2 arguments, got 1 at column 1 (usage: pad(x, padding))", 1},
      {"(x + 1", "unbalanced parenthesis: '(' at column 1 is never closed", 1},
      {"x + 1)", "unbalanced parenthesis: ')' at column 6 has no matching '('", 6},
      {"sin(x + (y)", "unbalanced parenthesis: '(' at column 4 is never closed", 4},
      {"x + * y", "unexpected '*' at column 5 (expected a number, a name or '(')", 5},
      {"x +", "unexpected end of expression at column 4 (expected a number, a name or '(' after '+')", 4},
      {"2x", "unexpected 'x' at column 2 (missing an operator? write 2*x)", 2},
      {"sin x", "unexpected 'x' at column 5 (functions need parentheses: sin(x))", 5},
      {"(x) (y)", "unexpected '(' at column 5 (missing an operator?)", 5},
      {"x $ y", "unexpected character '$' at column 3", 3},
      {"x + θ", "unexpected character 'θ' at column 5", 5},
      {"x\xff", "unexpected character '\\xFF' at column 2", 2},
      {"x + y = 3", "unexpected '=' at column 7 (only a name can be assigned, at the start of a statement: y = ...)", 7},
      {"max(x,)", "unexpected ')' at column 7 (expected a number, a name or '(')", 7},
      {"sum(x, axis=1, axs=0)", "sum has no argument 'axs' at column 16 (did you mean 'axis'?)", 16},
      {"sum(x, axis=y)", "argument 'axis' needs a number, found 'y' at column 13", 13},
      {"sum(x, axis=1, 0)", "positional argument at column 16 after a keyword argument (write keyword arguments last)", 16},
      {"sum(x, 1, axis=0)", "argument 'axis' given twice at column 16", 16},
      {"maxpool(x, stride=0)", "stride must be at least 1, got 0 at column 19", 19},
      {"sum(x, 1.5)", "axis must be a whole number, got 1.5 at column 8", 8},
      {"sum(x, 7)", "axis must be between -4 and 3, got 7 at column 8", 8},
      {"sum(x, y)", "sum's argument 2 (axis) must be a number at column 8", 8},
      {"x + 1e", "malformed number '1e' at column 5 (an exponent needs digits: 1e-3)", 5},
      {"1e999", "number '1e999' is out of range at column 1", 1},
      {"y = x + 1; x = 2", "'x' is an input (used at column 5) and cannot be assigned at column 12; choose another name", 12},
      {"h = x\ny = h +* 2", "unexpected '*' at line 2, column 8 (expected a number, a name or '(')", 8},
  };
  for (const Case& c : cases) {
    Failure f = failure_of(c.text);
    EXPECT_EQ(f.message, c.message) << "for: " << c.text;
    EXPECT_EQ(f.column, c.column) << "for: " << c.text;
  }
  EXPECT_EQ(failure_of("h = x\ny = h +* 2").line, 2);
}

// The calls, keywords and their messages of ops added through their catalogue entry alone.
TEST(Parse, CatalogueKeywordsOfNewOps) {
  Graph g = parse_expression("leaky_relu(x, negative_slope=0.2) + leaky_relu(x, 0.3) + leaky_relu(x) + softplus(x)");
  std::vector<double> slopes;
  for (int i = 0; i < g.size(); ++i)
    if (g.node(NodeId{i}).kind == NodeKind::Op && g.node(NodeId{i}).op == Op::LeakyRelu)
      slopes.push_back(*g.node(NodeId{i}).attrs.coefficient);
  EXPECT_EQ(slopes, (std::vector<double>{0.2, 0.3, 0.01}));
  EXPECT_EQ(failure_of("leaky_relu(x, negativ_slope=0.2)").message,
            "leaky_relu has no argument 'negativ_slope' at column 15 (did you mean 'negative_slope'?)");
  EXPECT_EQ(failure_of("leaky_relu(x, 0.1, 2)").message,
            "leaky_relu takes 1 to 2 arguments, got 3 at column 1 (usage: leaky_relu(x, negative_slope=0.01))");
  EXPECT_EQ(failure_of("softplus(x, 2)").message, "softplus takes 1 argument, got 2 at column 1");
  EXPECT_EQ(failure_of("sofplus(x)").message, "unknown function 'sofplus' at column 1 (did you mean 'softplus'?)");
  EXPECT_EQ(g.formula(g.by_v(2)), "leaky_relu v1");
}

TEST(Parse, EmptyTextHasNoPlace) {
  for (const char* text : {"", "   ", "# only a comment\n", ";;\n"}) {
    Failure f = failure_of(text);
    EXPECT_EQ(f.message, "the expression is empty") << "for: '" << text << "'";
    EXPECT_EQ(f.column, 0);
  }
}

TEST(Parse, ShapeMismatchNamesTheOperatorAndBothShapes) {
  Failure f = failure_of("y = X @ W", {{"X", Shape{4, 3}}, {"W", Shape{2, 2}}});
  EXPECT_EQ(f.column, 7);
  EXPECT_EQ(f.message.rfind("shape mismatch at column 7: X @ W: ", 0), 0u) << f.message;
  EXPECT_NE(f.message.find("[4×3]"), std::string::npos) << f.message;
  EXPECT_NE(f.message.find("[2×2]"), std::string::npos) << f.message;

  Failure broadcast = failure_of("a + (b * 2)", {{"a", Shape{2, 3}}, {"b", Shape{4}}});
  EXPECT_EQ(broadcast.column, 3);
  EXPECT_EQ(broadcast.message.rfind("shape mismatch at column 3: a + (b * 2): ", 0), 0u) << broadcast.message;

  Failure call = failure_of("1 + ce(Z, Y)", {{"Z", Shape{4, 3}}, {"Y", Shape{4, 2}}});
  EXPECT_EQ(call.column, 5);
  EXPECT_NE(call.message.find("ce(Z, Y)"), std::string::npos) << call.message;

  Failure reshape = failure_of("reshape(X, 4, 4)", {{"X", Shape{2, 3}}});
  EXPECT_EQ(reshape.message, "shape mismatch at column 1: reshape(X, 4, 4): cannot reshape [2×3] (6 elements) into sizes 4, 4");
}

TEST(Parse, DeepNestingIsAnErrorNotACrash) {
  const std::string parens = std::string(100000, '(') + "x" + std::string(100000, ')');
  EXPECT_NE(failure_of(parens).message.find("nested too deeply"), std::string::npos);
  const std::string signs = std::string(100000, '-') + "x";
  EXPECT_NE(failure_of(signs).message.find("nested too deeply"), std::string::npos);
  std::string chain = "x";
  for (int i = 0; i < 10000; ++i) chain += "+x";
  EXPECT_NE(failure_of(chain).message.find("too long"), std::string::npos);
  std::string fine = "x";
  for (int i = 0; i < 1000; ++i) fine += "+x";
  EXPECT_DOUBLE_EQ(eval_scalar(fine, {{"x", TensorD::scalar(1)}}), 1001);
}

TEST(Parse, ExpressionInputsInOrderOfFirstAppearance) {
  EXPECT_EQ(expression_inputs("ln(x1) + x1*x2 - sin(x2)"), (std::vector<std::string>{"x1", "x2"}));
  EXPECT_EQ(expression_inputs("h = relu(X @ W1)\nJ = ce(h @ W2, Y) + lambda/2*(sum(W1^2) + sum(W2^2))"),
            (std::vector<std::string>{"X", "W1", "W2", "Y", "lambda"}));
  EXPECT_EQ(expression_inputs("2 + 3"), std::vector<std::string>{});
  // Checks what needs no shapes, so that callers report it before asking for values.
  EXPECT_THROW(expression_inputs("sine(x)"), ParseError);
  EXPECT_THROW(expression_inputs("ln(x, y)"), ParseError);
  EXPECT_THROW(expression_inputs("(x"), ParseError);
}

TEST(Parse, SpansPointAtTheTextOfEachNode) {
  const std::string text = "y = ln(x1) + x1*x2";
  ParsedExpression p = parse_program(text);
  ASSERT_EQ(static_cast<int>(p.spans.size()), p.graph.size());
  auto span_text = [&](NodeId id) {
    SourceSpan s = p.spans[static_cast<std::size_t>(id.index)];
    return text.substr(static_cast<std::size_t>(s.begin), static_cast<std::size_t>(s.end - s.begin));
  };
  EXPECT_EQ(span_text(p.graph.by_v(1)), "x1");
  EXPECT_EQ(span_text(p.graph.by_v(3)), "ln(x1)");
  EXPECT_EQ(span_text(p.graph.by_v(4)), "x1*x2");
  EXPECT_EQ(span_text(p.graph.output()), "ln(x1) + x1*x2");
}

TEST(Parse, EveryFunctionOfTheTableResolvesInTheCatalogue) {
  for (const FunctionInfo& f : expression_functions()) {
    try {
      expression_inputs(f.name + "(x)");
    } catch (const ParseError& e) {
      EXPECT_EQ(std::string(e.what()).find("unknown function"), std::string::npos) << f.name << ": " << e.what();
    }
  }
}

TEST(Parse, ClosestNameSuggestsOnlyPlausibleTypos) {
  const std::vector<std::string> names{"sin", "sigmoid", "tanh", "softmax", "log_softmax", "eval", "check"};
  EXPECT_EQ(closest_name("sine", names), "sin");
  EXPECT_EQ(closest_name("Sin", names), "sin");
  EXPECT_EQ(closest_name("sigmiod", names), "sigmoid");
  EXPECT_EQ(closest_name("logsoftmax", names), "log_softmax");
  EXPECT_EQ(closest_name("evl", names), "eval");
  EXPECT_EQ(closest_name("foo", names), "");
  EXPECT_EQ(closest_name("sin", names), "") << "an exact match is not a suggestion";
}

TEST(TensorLiteral, NumbersAndNestedLists) {
  struct Case {
    const char* text;
    const char* shape;
    std::vector<double> values;
  };
  const Case cases[] = {
      {"2.5", "scalar", {2.5}},
      {"-1e-3", "scalar", {-1e-3}},
      {"+4", "scalar", {4}},
      {"[1, 2]", "[2]", {1, 2}},
      {" [[1, 2], [3, 4]] ", "[2×2]", {1, 2, 3, 4}},
      {"[[1,2,3],[4,5,6],]", "[2×3]", {1, 2, 3, 4, 5, 6}},
      {"[[[1], [2]], [[3], [4]]]", "[2×2×1]", {1, 2, 3, 4}},
      {"[[[[7]]]]", "[1×1×1×1]", {7}},
  };
  for (const Case& c : cases) {
    TensorD t = parse_tensor_literal(c.text);
    EXPECT_EQ(t.shape().to_string(), c.shape) << c.text;
    EXPECT_EQ(std::vector<double>(t.begin(), t.end()), c.values) << c.text;
  }
  EXPECT_TRUE(std::isnan(parse_tensor_literal("nan").item()));
  EXPECT_EQ(parse_tensor_literal("[-inf, inf]")[0], -INFINITY);
}

TEST(TensorLiteral, ErrorsNameTheRowAndColumn) {
  struct Case {
    const char* text;
    const char* message;
    int column;
  };
  const Case cases[] = {
      {"[[1, 2], [3, 4, 5]]", "row 2 has 3 elements, expected 2 at column 10", 10},
      {"[[1,2],[3]]", "row 2 has 1 element, expected 2 at column 8", 8},
      {"[[[1, 2], [3, 4]], [[5, 6], [7]]]", "item [2][2] has 1 element, expected 2 at column 29", 29},
      {"[1, a]", "expected a number, found 'a' at column 5", 5},
      {"[1, 'x']", "expected a number, found ''' at column 5", 5},
      {"x", "expected a number, found 'x' at column 1", 1},
      {"[1, θ]", "expected a number, found 'θ' at column 5", 5},
      {"[1, \xfe]", "expected a number, found '\\xFE' at column 5", 5},
      {"[1, [2]]", "row 2 is a list, expected a number at column 5", 5},
      {"[[1], 2]", "row 2 is a number, expected a list like the others at column 7", 7},
      {"[[[[[1]]]]]", "more than 4 nested lists (tensors have at most 4 axes) at column 5", 5},
      {"[]", "the list is empty at column 1", 1},
      {"[1, 2", "unbalanced bracket: '[' at column 1 is never closed", 1},
      {"[1 2]", "expected ',' or ']' at column 4, found '2'", 4},
      {"1 2", "unexpected '2' at column 3 after the value", 3},
      {"[1, 2] x", "unexpected 'x' at column 8 after the value", 8},
      {"[1,", "unexpected end of value at column 4 (expected a number or '[')", 4},
      {"1e999", "number '1e999' is out of range at column 1", 1},
  };
  for (const Case& c : cases) {
    try {
      parse_tensor_literal(c.text);
      ADD_FAILURE() << "no error for: " << c.text;
    } catch (const ParseError& e) {
      EXPECT_EQ(std::string(e.what()), c.message) << "for: " << c.text;
      EXPECT_EQ(e.column(), c.column) << "for: " << c.text;
    }
  }
  EXPECT_THROW(parse_tensor_literal(""), ParseError);
}

// x^x^…^x is right-associative: the parser recursed once per '^' with no bound, so a long
// chain overflowed the stack (a segfault) instead of ending in an error.
TEST(Parse, LongPowerChainsEndInAnErrorNotAStackOverflow) {
  std::string text = "x";
  for (int i = 0; i < 200000; ++i) text += "^x";
  EXPECT_NE(failure_of(text).message.find("nested too deeply"), std::string::npos) << failure_of(text).message;
  EXPECT_THROW(expression_inputs(text), ParseError);
  // Short chains still mean what they say: 2^3^2 = 2^9.
  Graph g = parse_expression("2^3^2");
  EXPECT_EQ(evaluate(g, {})[g.output()].item(), 512.0);
}

// A name in parentheses was read with its parentheses: "(x) + 1" asked for a value of "(x)", and
// "(h)" after "h = ..." was a new input instead of h.
TEST(Parse, ParenthesisedNamesAreTheNames) {
  EXPECT_EQ(expression_inputs("(x) + ((y))*x"), (std::vector<std::string>{"x", "y"}));
  Graph g = parse_expression("h = x*2; y = (h) + (x)");
  ASSERT_EQ(g.inputs().size(), 1u);
  EXPECT_EQ(g.node(g.inputs()[0]).name, "x");
  EXPECT_EQ(evaluate(g, {{"x", TensorD::scalar(3)}})[g.output()].item(), 9.0);
  const std::string e = failure_of("y = (x) + 2; x = 1").message;
  EXPECT_NE(e.find("'x' is an input (used at column 6)"), std::string::npos) << e;
}

// Sizes up to 1e9 each multiplied into a signed 64-bit count that overflowed (undefined
// behaviour); such a reshape is simply a mismatch.
TEST(Parse, HugeReshapeSizesAreAMismatchNotAnOverflow) {
  const std::string e = failure_of("reshape(x, 1000000000, 1000000000, 1000000000, 1000000000)").message;
  EXPECT_NE(e.find("cannot reshape scalar (1 element)"), std::string::npos) << e;
  const std::string f = failure_of("reshape(x, -1, 1000000000, 1000000000, 1000000000)", {{"x", Shape{2}}}).message;
  EXPECT_NE(f.find("cannot reshape [2]"), std::string::npos) << f;
}

// [SECTION] statements that give an input its value: `X = [[1, 2]]`, `W1 = randn(2, 3)`, zeros,
// ones, eye, onehot; the input stays an input with the formula's value, randn is the same on
// every machine, every bad value names its place.

// A tensor as its shape and its numbers, for comparisons that print both.
std::pair<std::string, std::vector<double>> contents(const TensorD& t) {
  return {t.shape().to_string(), std::vector<double>(t.begin(), t.end())};
}
std::pair<std::string, std::vector<double>> contents(const Shape& shape, std::vector<double> values) {
  return {shape.to_string(), std::move(values)};
}

const GivenValue& given(const ParsedExpression& p, const std::string& name) {
  for (const GivenValue& g : p.given)
    if (g.name == name) return g;
  throw std::runtime_error("no value given for " + name);
}

// The issue's own formula from a fresh start: every input gets its value from the formula, the
// inputs are inputs (value nodes, editable), not ops, and the graph evaluates.
TEST(ParseValues, TheTwoLayerFormulaBuildsFromAFreshStart) {
  const std::string text =
      "X = [[1, 2], [3, 4]]\nW1 = randn(2, 3)\nW2 = randn(3, 3)\nY = onehot([0, 2], 3)\nL = ce(relu(X @ W1) @ W2, Y)";
  ParsedExpression p = parse_program(text);
  ASSERT_EQ(p.given.size(), 4u);
  EXPECT_EQ(p.given[0].name, "X");
  EXPECT_EQ(text.substr(static_cast<std::size_t>(p.given[1].span.begin),
                        static_cast<std::size_t>(p.given[1].span.end - p.given[1].span.begin)),
            "randn(2, 3)");
  const Graph& g = p.graph;
  ASSERT_EQ(g.inputs().size(), 4u);
  for (NodeId id : g.inputs()) EXPECT_EQ(g.node(id).kind, NodeKind::Input);
  EXPECT_EQ(g.node(g.find_input("X")).shape, (Shape{2, 2}));
  EXPECT_EQ(g.node(g.find_input("W1")).shape, (Shape{2, 3}));
  EXPECT_EQ(g.node(g.find_input("Y")).shape, (Shape{2, 3}));
  EXPECT_EQ(contents(given(p, "X").value), contents(Shape{2, 2}, {1, 2, 3, 4}));
  EXPECT_EQ(contents(given(p, "Y").value), contents(Shape{2, 3}, {1, 0, 0, 0, 0, 1}));
  // The value statements are no ops: X, W1, W2, Y, then matmul, relu, matmul, ce.
  EXPECT_EQ(g.size(), 8);
  Bindings b;
  for (const GivenValue& v : p.given) b[v.name] = v.value;
  EXPECT_TRUE(std::isfinite(evaluate(g, b)[g.output()].item()));
  EXPECT_TRUE(expression_inputs(text).empty());
  EXPECT_EQ(expression_given_inputs(text), (std::vector<std::string>{"X", "W1", "W2", "Y"}));
}

// A student must see the lecturer's numbers: randn is seeded by the input's name (or seed=),
// with the engine's own generator, so these numbers are the same on every machine.
TEST(ParseValues, RandnIsTheSameEverywhere) {
  ParsedExpression p = parse_program("W1 = randn(2, 3); W2 = randn(2, 3); V = randn(2, 3, seed=0); y = sum(W1 + W2 + V)");
  const TensorD& w1 = given(p, "W1").value;
  EXPECT_EQ(w1[0], -0.6249265520006299);
  EXPECT_EQ(w1[1], 1.4512387241953413);
  EXPECT_EQ(w1[5], -0.182441510332934);
  EXPECT_EQ(given(p, "V").value[0], -0.01410679738124918);
  EXPECT_EQ(given(p, "V").value[3], 1.0669282078900475);
  EXPECT_NE(contents(given(p, "W2").value), contents(w1)) << "each name draws its own numbers";
  EXPECT_EQ(contents(w1), contents(seeded_randn(Shape{2, 3}, input_seed("W1")))) << "the input editor's random fill is the same function";
  EXPECT_EQ(contents(parse_program("W1 = randn(2, 3); y = sum(W1)").given[0].value), contents(w1)) << "the same formula, the same numbers";
}

TEST(ParseValues, FillsAndLiterals) {
  ParsedExpression p = parse_program(
      "Z = zeros(2, 1, 2, 2); O = ones(3); I = eye(2); R = eye(2, 3); v = [1, -2.5, 1e-3]; K = [[[[1]]]]\n"
      "y = sum(Z) + sum(O) + sum(I) + sum(R) + sum(v) + sum(K)");
  EXPECT_EQ(contents(given(p, "Z").value), contents(TensorD(Shape{2, 1, 2, 2}, 0.0)));
  EXPECT_EQ(contents(given(p, "O").value), contents(TensorD(Shape{3}, 1.0)));
  EXPECT_EQ(contents(given(p, "I").value), contents(Shape{2, 2}, {1, 0, 0, 1}));
  EXPECT_EQ(contents(given(p, "R").value), contents(Shape{2, 3}, {1, 0, 0, 0, 1, 0}));
  EXPECT_EQ(contents(given(p, "v").value), contents(Shape{3}, {1, -2.5, 1e-3}));
  EXPECT_EQ(given(p, "K").value.shape(), (Shape{1, 1, 1, 1}));
}

// Value statements may follow the formula; the output is the last statement that computes.
TEST(ParseValues, ValuesMayComeAfterTheFormula) {
  ParsedExpression p = parse_program("y = sum(X @ W)\nX = [[1, 2]]\nW = [[3], [4]]");
  Bindings b{{"X", given(p, "X").value}, {"W", given(p, "W").value}};
  EXPECT_EQ(evaluate(p.graph, b)[p.graph.output()].item(), 11.0);
  EXPECT_EQ(p.graph.node(p.graph.find_input("X")).shape, (Shape{1, 2}));
}

// The formula's value wins over a caller's shape for the same name (the app passes the shapes its
// inputs had before the formula was retyped).
TEST(ParseValues, TheFormulasValueWinsOverAnOldShape) {
  ParsedExpression p = parse_program("X = [[1, 2], [3, 4]]; y = sum(X @ X)", ShapeMap{{"X", Shape{}}});
  EXPECT_EQ(p.graph.node(p.graph.find_input("X")).shape, (Shape{2, 2}));
}

// A literal inside an expression is a constant, not an input.
TEST(ParseValues, ALiteralInsideAnExpressionIsAConstant) {
  ParsedExpression p = parse_program("y = sum(x * [1, 2, 3])");
  ASSERT_EQ(p.graph.inputs().size(), 1u);
  EXPECT_EQ(p.graph.node(NodeId{1}).kind, NodeKind::Constant);
  EXPECT_EQ(contents(p.graph.constant_value(NodeId{1})), contents(Shape{3}, {1, 2, 3}));
  EXPECT_TRUE(p.given.empty());
}

// The README's example on a fresh start: the message names the inputs that need a value and
// shows how to give one.
TEST(ParseValues, AMatrixProductOfShapelessInputsSaysHowToGiveThemValues) {
  EXPECT_EQ(failure_of("h = tanh(x @ W1); y = h @ W2").message,
            "shape error at column 12: x @ W1: matrix product needs vectors or matrices, got scalar @ scalar ('x' and 'W1' "
            "have no value yet, so they are numbers: give them values in the formula, such as x = randn(2, 3); W1 = "
            "randn(3, 2), or x = [[1, 2], [3, 4]])");
  EXPECT_EQ(failure_of("X = [[1, 2]]; y = X @ W").message,
            "shape error at column 21: X @ W: matrix product needs vectors or matrices, got [1×2] @ scalar ('W' has no "
            "value yet, so it is a number: give it a value in the formula, such as W = randn(2, 3), or W = [[1, 2], [3, 4]])");
  // An input whose scalar shape the caller gave (--at W=2) is a number on purpose: no hint.
  EXPECT_EQ(failure_of("X = [[1, 2]]; y = X @ W", ShapeMap{{"W", Shape{}}}).message,
            "shape error at column 21: X @ W: matrix product needs vectors or matrices, got [1×2] @ scalar");
}

TEST(ParseValues, BadValuesNameTheirPlace) {
  struct Case {
    const char* text;
    const char* message;
    int column;
  };
  const std::vector<Case> cases = {
      {"X = [[1, 2], [3]]; y = sum(X)", "row 2 has 1 element, expected 2 at column 14", 14},
      {"X = [[1, 2], [3, a]]; y = sum(X)", "expected a number, found 'a' at column 18", 18},
      {"X = [[1, 2], 3]; y = sum(X)", "row 2 is a number, expected a list like the others at column 14", 14},
      {"X = [[1, 2]; y = sum(X)", "unbalanced bracket: '[' at column 5 is never closed", 5},
      {"X = [1, 2]]; y = sum(X)", "unbalanced bracket: ']' at column 11 has no matching '['", 11},
      {"X = []; y = sum(X)", "the list is empty at column 5", 5},
      {"W = randn(2, 0); y = sum(W)",
       "randn: a size must be a whole number ≥ 1 written as a number at column 14 (randn(rows, cols[, …], seed=S))", 14},
      {"W = randn(2, n); y = sum(W)",
       "randn: a size must be a whole number ≥ 1 written as a number at column 14 (randn(rows, cols[, …], seed=S))", 14},
      {"W = randn(); y = sum(W)", "randn takes 1 to 4 sizes, got 0 at column 5 (randn(rows, cols[, …], seed=S))", 5},
      {"W = randn(2, 3, sed=1); y = sum(W)", "randn has no argument 'sed' at column 17 (randn(rows, cols[, …], seed=S))", 17},
      {"W = randn(2, 3, seed=-1); y = sum(W)", "seed must be a whole number ≥ 0 at column 22", 22},
      {"W = zeros(100000, 100000); y = sum(W)", "zeros at column 5: [100000×100000] would hold 10000000000 elements; at most 67108864 are allowed", 5},
      {"W = randm(2, 3); y = sum(W)", "unknown function 'randm' at column 5 (did you mean 'randn'?)", 5},
      {"I = eye(2, 3, 4); y = sum(I)", "eye takes 1 or 2 sizes, got 3 at column 5 (eye(n) or eye(rows, cols))", 5},
      {"Y = onehot([0, 3], 3); y = sum(Y)", "onehot at column 12: label 2 is 3, not a class 0 … 2", 12},
      {"Y = onehot([[0]], 3); y = sum(Y)", "onehot: the labels must be one list of numbers at column 12, got [1×1]", 12},
      {"Y = onehot(2, 3); y = sum(Y)", "onehot: the labels must be a list such as [0, 2, 1] at column 12", 12},
      {"y = x @ randn(2, 3)", "randn(…) gives an input its value: write it as a statement of its own at column 9, such as W = randn(2, 3)", 9},
      {"X = [[1, 2]]; X = eye(2); y = sum(X)", "'X' is given a value twice: at column 1 and at column 15", 15},
      {"X = [[1, 2]]; X = X * 2", "'X' is given a value at column 1 and cannot also be assigned at column 15; choose another name", 15},
      {"W = randn(2, 3); V = zeros(3); y = sum(W)", "'V' is given a value at column 18 but the formula never uses it", 18},
      {"X = [[1, 2]]", "the formula gives values (X) but computes nothing: add what to compute, such as y = X * 2", 0},
      {"y = [1, 2] [3]", "unexpected '[3]' at column 12 (missing an operator?)", 12},
  };
  for (const Case& c : cases) {
    Failure f = failure_of(c.text);
    EXPECT_EQ(f.message, c.message) << "for: " << c.text;
    EXPECT_EQ(f.column, c.column) << "for: " << c.text;
  }
  Failure multi = failure_of("X = [[1, 2],\n     [3, x]]\ny = sum(X)");
  EXPECT_EQ(multi.message, "expected a number, found 'x' at line 2, column 10");
  EXPECT_EQ(multi.line, 2);
  // The checks that need no shapes come before values are asked for.
  EXPECT_THROW(expression_inputs("X = [[1, 2], [3]]; y = sum(X @ W)"), ParseError);
}

}  // namespace
}  // namespace gs
