// Tests of the op catalogue as the one list of ops (src/engine/op_table.cpp): every entry is
// complete, names resolve, what the front ends derive from an entry (usage texts, default
// attributes, keyword checks, the callable functions) follows the entry, and the places that
// used to keep their own lists (the parser, NaN reasons, the training kernels) read it.
#include "engine/autodiff.h"
#include "engine/kernels.h"
#include "engine/parse.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

namespace gs {
namespace {

TEST(OpTable, EveryEntryIsCompleteAndNamedOnce) {
  std::set<std::string> names;
  ASSERT_EQ(static_cast<int>(op_catalogue().size()), kOpCount);
  for (const OpDef& d : op_catalogue()) {
    EXPECT_EQ(&op_def(d.op), &d) << d.name;
    for (const char* n : {d.name, d.aliases[0], d.aliases[1]}) {
      if (!n) continue;
      EXPECT_TRUE(names.insert(n).second) << "'" << n << "' names two ops";
      Op back;
      ASSERT_TRUE(op_from_name(n, &back)) << n;
      EXPECT_EQ(back, d.op) << n;
    }
    for (int i = 0; i < d.max_arity; ++i) EXPECT_NE(d.arg_names[static_cast<std::size_t>(i)], nullptr) << d.name;
  }
}

TEST(OpTable, UsageTextsComeFromTheSignatures) {
  EXPECT_EQ(op_usage(op_def(Op::Conv2d)), "conv2d(x, W[, b], stride=1, padding=0)");
  EXPECT_EQ(op_usage(op_def(Op::MaxPool)), "maxpool(x, kernel=2, stride=kernel, padding=0, ceil_mode=false)");
  EXPECT_EQ(op_usage(op_def(Op::AvgPool)),
            "avgpool(x, kernel=2, stride=kernel, padding=0, ceil_mode=false, count_include_pad=true)");
  EXPECT_EQ(op_usage(op_def(Op::Sum)), "sum(x[, axis][, keepdims])");
  EXPECT_EQ(op_usage(op_def(Op::Pad)), "pad(x, padding)");
  EXPECT_EQ(op_usage(op_def(Op::Reshape)), "reshape(x, d1, d2, ...)");
  EXPECT_EQ(op_usage(op_def(Op::CrossEntropy)), "ce(Z, Y)");
  EXPECT_EQ(op_usage(op_def(Op::LeakyRelu)), "leaky_relu(x, negative_slope=0.01)");
  EXPECT_EQ(op_usage(op_def(Op::Ln), "log"), "log(x)");
  EXPECT_EQ(arity_text(op_def(Op::Conv2d)), "2 to 3 inputs");
  EXPECT_EQ(arity_text(op_def(Op::Exp)), "1 input");
}

TEST(OpTable, DefaultAttributesFollowTheKeywords) {
  EXPECT_EQ(default_attrs(Op::MaxPool).kernel, 2);
  EXPECT_EQ(default_attrs(Op::MaxPool).stride, 2) << "a pool's stride defaults to its kernel";
  EXPECT_EQ(default_attrs(Op::Conv2d).stride, 1);
  EXPECT_EQ(default_attrs(Op::Sum).axis, kAllAxes);
  EXPECT_TRUE(default_attrs(Op::Exp) == OpAttrs{});
  EXPECT_EQ(default_attrs(Op::LeakyRelu).coefficient, 0.01);
  // A node built without the coefficient gets the default; one built with it keeps it.
  Graph g;
  NodeId x = g.input("x", Shape());
  EXPECT_EQ(g.node(g.op(Op::LeakyRelu, {x})).attrs.coefficient, 0.01);
  OpAttrs steep;
  steep.coefficient = 0.5;
  EXPECT_EQ(g.node(g.op(Op::LeakyRelu, {x}, steep)).attrs.coefficient, 0.5);
}

TEST(OpTable, KeywordChecksSayWhatIsAccepted) {
  const OpKeyword& axis = op_def(Op::Sum).keywords[0];
  EXPECT_EQ(check_keyword_value(axis, 1), "");
  EXPECT_EQ(check_keyword_value(axis, 1.5), "axis must be a whole number, got 1.5");
  EXPECT_EQ(check_keyword_value(axis, 7), "axis must be between -4 and 3, got 7");
  EXPECT_EQ(check_keyword_value(op_def(Op::Pad).keywords[0], -1), "padding must be 0 or more, got -1");
  const OpKeyword& slope = op_def(Op::LeakyRelu).keywords[0];
  EXPECT_EQ(check_keyword_value(slope, -0.25), "") << "a real keyword takes fractions and negatives";
  EXPECT_EQ(check_keyword_value(slope, INFINITY), "negative_slope must be a finite number, got inf");
}

TEST(OpTable, TheLanguageCallsEveryOpThatIsNotInternal) {
  std::set<Op> called;
  for (const FunctionInfo& f : expression_functions()) {
    called.insert(f.op);
    EXPECT_EQ(f.usage, op_usage(op_def(f.op), f.name));
  }
  for (const OpDef& d : op_catalogue())
    EXPECT_EQ(called.count(d.op) == 1, d.category != OpCategory::Internal) << d.name << " (" << category_name(d.category) << ")";
  // Operators have function forms too, and internal ops stay out of the language.
  Graph g = parse_expression("add(mul(a, b), neg(a))");
  EXPECT_DOUBLE_EQ(evaluate(g, {{"a", TensorD::scalar(2)}, {"b", TensorD::scalar(5)}})[g.output()].item(), 8);
  EXPECT_THROW(parse_expression("step(x)"), ParseError);
}

TEST(OpTable, NonFiniteReasonsComeFromTheEntries) {
  auto reason = [](const std::string& text, double x) {
    Graph g = parse_expression(text);
    return first_non_finite(g, evaluate(g, {{"x", TensorD::scalar(x)}})).reason;
  };
  EXPECT_EQ(reason("ln(x)", -1), "ln of a negative number is undefined");
  EXPECT_EQ(reason("ln(x)", 0), "ln 0 = −∞");
  EXPECT_EQ(reason("1 / x", 0), "division by zero");
  EXPECT_EQ(reason("sqrt(x)", -4), "square root of a negative number");
  EXPECT_EQ(reason("exp(x)", 1000), "exp overflowed (the argument is above ~709)");
  EXPECT_EQ(reason("x * 1e308 * 10", 1), "the result is not finite (an overflow or an undefined operation)");
}

TEST(OpTable, TrainingKernelsDispatchThroughTheEntries) {
  const TensorF x = TensorF::from(Shape{4}, {-2.0f, 0.0f, 0.5f, 30.0f});
  TensorF y, gx;
  const TensorF ones(Shape{4}, 1.0f);
  kernels::unary_forward(Op::Softplus, x, y);
  EXPECT_FLOAT_EQ(y[0], std::log1p(std::exp(-2.0f)));
  EXPECT_FLOAT_EQ(y[3], 30.0f);
  kernels::unary_forward(Op::LeakyRelu, x, y);
  EXPECT_FLOAT_EQ(y[0], -0.02f);
  kernels::unary_backward(Op::LeakyRelu, x, y, ones, gx);
  EXPECT_FLOAT_EQ(gx[1], 0.01f) << "leaky_relu'(0) is the slope";
  kernels::unary_forward(Op::Tanh, x, y);
  EXPECT_FLOAT_EQ(y[0], std::tanh(-2.0f));
  kernels::unary_backward(Op::Relu, x, y, ones, gx);
  EXPECT_FLOAT_EQ(gx[1], 0.0f) << "relu'(0) = 0";
  EXPECT_FLOAT_EQ(gx[2], 1.0f);
  EXPECT_THROW(kernels::unary_forward(Op::MatMul, x, y), std::invalid_argument);
}

}  // namespace
}  // namespace gs
