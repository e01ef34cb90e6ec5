// Gradients agree with PyTorch autograd on expressions that mix every op of the expression
// language. Golden values: fixtures/autodiff_golden.json, made by fixtures/make_autodiff_golden.py
// (torch 1.13, double precision); this test needs no PyTorch.
#include "engine/autodiff.h"
#include "engine/graph_json.h"
#include "engine/parse.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>

namespace gs {
namespace {

nlohmann::json load_golden_cases() {
  std::ifstream in(std::string(GRADSCOPE_FIXTURES) + "/autodiff_golden.json");
  EXPECT_TRUE(in) << "missing fixture autodiff_golden.json";
  return nlohmann::json::parse(in)["cases"];
}

// Largest |a − b| / max(|b|, 1) and where it is.
struct Diff {
  double worst = 0;
  Index where = -1;
};
Diff compare(const TensorD& got, const TensorD& want) {
  Diff d;
  for (Index k = 0; k < want.size(); ++k) {
    double e = std::abs(got[k] - want[k]) / std::max(std::abs(want[k]), 1.0);
    if (!(e <= d.worst)) {
      d.worst = e;
      d.where = k;
    }
  }
  return d;
}

// Every op some golden case's graph uses.
std::set<Op> ops_in_cases() {
  std::set<Op> used;
  for (const auto& c : load_golden_cases()) {
    std::map<std::string, Shape, std::less<>> shapes;
    for (auto& [k, v] : c["values"].items()) shapes[k] = tensor_from_json(v, k).shape();
    Graph g = parse_expression(c["expression"].get<std::string>(), shapes);
    for (int i = 0; i < g.size(); ++i)
      if (g.node(NodeId{i}).kind == NodeKind::Op) used.insert(g.node(NodeId{i}).op);
  }
  return used;
}

TEST(PyTorchGolden, GradientsAgreeWithAutograd) {
  nlohmann::json cases = load_golden_cases();
  ASSERT_GE(cases.size(), 10u);
  for (const auto& c : cases) {
    const std::string name = c["name"];
    SCOPED_TRACE(name + ": " + c["expression"].get<std::string>());
    Bindings values;
    std::map<std::string, Shape, std::less<>> shapes;
    for (auto& [k, v] : c["values"].items()) {
      values[k] = tensor_from_json(v, k);
      shapes[k] = values[k].shape();
    }
    Graph g = parse_expression(c["expression"].get<std::string>(), shapes);
    Evaluation ev = evaluate(g, values);
    ReverseResult r = reverse(g, ev, g.output());

    TensorD want_out = tensor_from_json(c["output"], "output");
    ASSERT_EQ(ev[g.output()].shape(), want_out.shape());
    Diff od = compare(ev[g.output()], want_out);
    EXPECT_LT(od.worst, 1e-6) << "output element " << od.where;
    for (auto& [k, v] : c["gradients"].items()) {
      TensorD want = tensor_from_json(v, k);
      NodeId x = g.find_input(k);
      ASSERT_TRUE(x.valid()) << k;
      TensorD got = r.has_adjoint[x.index] ? r[x] : TensorD(want.shape());
      ASSERT_EQ(got.shape(), want.shape()) << k;
      Diff d = compare(got, want);
      EXPECT_LT(d.worst, 1e-6) << "∂y/∂" << k << " element " << d.where << ": " << got[std::max<Index>(d.where, 0)]
                               << " vs torch " << want[std::max<Index>(d.where, 0)];
    }
  }
}

TEST(PyTorchGolden, CasesCoverEveryOpOfTheLanguage) {
  const std::set<Op> used = ops_in_cases();
  for (Op op : {Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Pow, Op::Max, Op::Neg, Op::Exp, Op::Ln, Op::Sin, Op::Cos,
                Op::Tanh, Op::Sigmoid, Op::Relu, Op::Sqrt, Op::Abs, Op::Sum, Op::Mean, Op::Reshape, Op::Transpose,
                Op::MatMul, Op::Softmax, Op::LogSoftmax, Op::CrossEntropy, Op::Mse, Op::Hinge, Op::L1Norm,
                Op::L2Norm, Op::Conv2d, Op::MaxPool, Op::AvgPool, Op::Pad})
    EXPECT_TRUE(used.count(op)) << op_name(op) << " is in no golden case";
}

// Every op the language can call, the catalogue's newer ones included, has a golden case.
TEST(PyTorchGolden, CasesCoverEveryCallableOpOfTheCatalogue) {
  const std::set<Op> used = ops_in_cases();
  for (const OpDef& d : op_catalogue())
    if (d.callable()) { EXPECT_TRUE(used.count(d.op)) << d.name << " is in no golden case"; }
}

// Second derivatives against closed forms, and Hessian-vector products against finite
// differences of gradients.
TEST(SecondOrder, ClosedForms) {
  Bindings at{{"x", TensorD::scalar(0.8)}};
  EXPECT_NEAR(second_derivative(parse_expression("sin(x)"), at, "x"), -std::sin(0.8), 1e-14);
  EXPECT_NEAR(second_derivative(parse_expression("x^3"), at, "x"), 6 * 0.8, 1e-13);
  EXPECT_NEAR(second_derivative(parse_expression("ln(x)"), at, "x"), -1 / (0.8 * 0.8), 1e-13);
  EXPECT_NEAR(second_derivative(parse_expression("exp(2*x) + tanh(x)"), at, "x"),
              4 * std::exp(1.6) - 2 * std::tanh(0.8) * (1 - std::pow(std::tanh(0.8), 2)), 1e-12);
}

TEST(SecondOrder, HessianVectorProductMatchesDifferencesOfGradients) {
  std::map<std::string, Shape, std::less<>> shapes{{"X", Shape{4, 3}}, {"W", Shape{3, 2}}, {"Y", Shape{4, 2}}};
  Graph g = parse_expression("ce(tanh(X @ W) * 2, Y) + sum(W ^ 4) / 4", shapes);
  Bindings b{{"X", TensorD::from(Shape{4, 3}, {0.1, -0.2, 0.3, 0.5, 0.4, -0.6, -0.7, 0.2, 0.9, 0.3, 0.3, -0.1})},
             {"W", TensorD::from(Shape{3, 2}, {0.2, -0.4, 0.6, 0.1, -0.3, 0.5})},
             {"Y", TensorD::from(Shape{4, 2}, {1, 0, 0, 1, 0, 1, 1, 0})}};
  Bindings v{{"X", TensorD(Shape{4, 3})},
             {"W", TensorD::from(Shape{3, 2}, {1, -0.5, 0.25, 2, -1, 0.5})},
             {"Y", TensorD(Shape{4, 2})}};
  Bindings hv = hessian_vector_product(g, b, v);
  // (∇f(W + εv) − ∇f(W − εv)) / 2ε
  const double eps = 1e-5;
  Bindings p = b, m = b;
  for (Index k = 0; k < 6; ++k) {
    p["W"][k] += eps * v["W"][k];
    m["W"][k] -= eps * v["W"][k];
  }
  NodeId W = g.find_input("W");
  TensorD gp = reverse(g, evaluate(g, p), g.output())[W], gm = reverse(g, evaluate(g, m), g.output())[W];
  for (Index k = 0; k < 6; ++k)
    EXPECT_NEAR(hv["W"][k], (gp[k] - gm[k]) / (2 * eps), 1e-7) << "element " << k;
}

}  // namespace
}  // namespace gs
