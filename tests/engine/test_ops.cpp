// Every op of the catalogue: a known-value forward table, a double-precision finite-difference
// check of its reverse rule, the identity w·jvp(v) == vjp(w)·v between forward and reverse mode,
// and agreement of the symbolic reverse rule (extended graph) with the numeric one.
#include "engine/autodiff.h"
#include "engine/gradcheck.h"
#include "engine/parse.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>

namespace gs {
namespace {

// [SECTION] cases: an op, its attributes, and how to draw inputs inside its smooth domain

struct Case {
  std::string name;
  Op op;
  std::vector<Shape> shapes;
  OpAttrs attrs;
  // Draws input i; defaults to N(0, 1). Ops with kinks draw away from them.
  std::function<double(int input, std::mt19937_64&)> draw;
};

double normal(std::mt19937_64& rng) { return std::normal_distribution<double>(0, 1)(rng); }
double positive(int, std::mt19937_64& rng) { return 0.5 + std::uniform_real_distribution<double>(0, 2)(rng); }
double away_from_zero(int, std::mt19937_64& rng) {
  double v = normal(rng);
  return v + (v >= 0 ? 0.2 : -0.2);
}
double distinct(int, std::mt19937_64& rng) { return std::uniform_real_distribution<double>(-3, 3)(rng); }
// Above softplus's threshold (20), where it is x itself.
double beyond_threshold(int, std::mt19937_64& rng) { return std::uniform_real_distribution<double>(21, 25)(rng); }

OpAttrs axis(int a, bool keep = false) {
  OpAttrs at;
  at.axis = a;
  at.keepdims = keep;
  return at;
}
OpAttrs window(int kernel, int stride, int padding = 0) {
  OpAttrs at;
  at.kernel = kernel;
  at.stride = stride;
  at.padding = padding;
  return at;
}
OpAttrs slope(double s) {
  OpAttrs at;
  at.coefficient = s;
  return at;
}
OpAttrs target(const Shape& s, int stride = 1, int padding = 0) {
  OpAttrs at;
  at.shape = s;
  at.stride = stride;
  at.padding = padding;
  return at;
}

std::vector<Case> cases() {
  using S = Shape;
  return {
      {"add_broadcast", Op::Add, {S{3, 4}, S{4}}, {}, {}},
      {"add_scalar", Op::Add, {S(), S{2, 3}}, {}, {}},
      {"sub_column", Op::Sub, {S{3, 1}, S{3, 4}}, {}, {}},
      {"mul_broadcast", Op::Mul, {S{2, 1, 3}, S{4, 1}}, {}, {}},
      {"div", Op::Div, {S{3, 2}, S{3, 2}}, {}, [](int i, auto& r) { return i == 1 ? positive(i, r) : normal(r); }},
      {"pow", Op::Pow, {S{4}, S{4}}, {}, positive},
      {"max", Op::Max, {S{3, 3}, S{3, 3}}, {}, distinct},
      {"neg", Op::Neg, {S{2, 3}}, {}, {}},
      {"exp", Op::Exp, {S{2, 3}}, {}, {}},
      {"ln", Op::Ln, {S{2, 3}}, {}, positive},
      {"sin", Op::Sin, {S{5}}, {}, {}},
      {"cos", Op::Cos, {S{5}}, {}, {}},
      {"tanh", Op::Tanh, {S{5}}, {}, {}},
      {"sigmoid", Op::Sigmoid, {S{5}}, {}, {}},
      {"relu", Op::Relu, {S{3, 4}}, {}, away_from_zero},
      {"sqrt", Op::Sqrt, {S{4}}, {}, positive},
      {"abs", Op::Abs, {S{4}}, {}, away_from_zero},
      {"softplus", Op::Softplus, {S{2, 3}}, {}, {}},
      {"softplus_linear_region", Op::Softplus, {S{4}}, {}, beyond_threshold},
      {"leaky_relu", Op::LeakyRelu, {S{3, 4}}, {}, away_from_zero},
      {"leaky_relu_slope", Op::LeakyRelu, {S{3, 4}}, slope(-0.4), away_from_zero},
      {"where_nonzero", Op::WhereNonzero, {S{4}, S{4}}, {}, {}},
      {"sum_all", Op::Sum, {S{3, 4}}, {}, {}},
      {"sum_axis0", Op::Sum, {S{3, 4}}, axis(0), {}},
      {"sum_axis_last_keep", Op::Sum, {S{2, 3, 4}}, axis(-1, true), {}},
      {"mean_all", Op::Mean, {S{3, 4}}, {}, {}},
      {"mean_axis1", Op::Mean, {S{2, 3, 4}}, axis(1), {}},
      {"reshape", Op::Reshape, {S{2, 6}}, target(S{3, -1}), {}},
      {"flatten", Op::Flatten, {S{2, 3, 2}}, {}, {}},
      {"transpose", Op::Transpose, {S{2, 3}}, {}, {}},
      {"transpose_batched", Op::Transpose, {S{2, 3, 4}}, {}, {}},
      {"broadcast_to", Op::BroadcastTo, {S{3, 1}}, target(S{2, 3, 4}), {}},
      {"sum_to", Op::SumTo, {S{2, 3, 4}}, target(S{3, 1}), {}},
      {"matmul", Op::MatMul, {S{3, 4}, S{4, 2}}, {}, {}},
      {"matvec", Op::MatMul, {S{3, 4}, S{4}}, {}, {}},
      {"vecmat", Op::MatMul, {S{4}, S{4, 2}}, {}, {}},
      {"dot", Op::MatMul, {S{4}, S{4}}, {}, {}},
      {"softmax", Op::Softmax, {S{3, 4}}, {}, {}},
      {"log_softmax", Op::LogSoftmax, {S{3, 4}}, {}, {}},
      {"ce", Op::CrossEntropy, {S{4, 3}, S{4, 3}}, {}, {}},
      {"mse", Op::Mse, {S{3, 2}, S{3, 2}}, {}, {}},
      {"hinge", Op::Hinge, {S{4, 3}, S{4, 3}}, {}, {}},
      {"l1", Op::L1Norm, {S{2, 3}}, {}, away_from_zero},
      {"l2", Op::L2Norm, {S{2, 3}}, {}, {}},
      {"conv2d", Op::Conv2d, {S{2, 3, 6, 5}, S{4, 3, 3, 3}, S{4}}, window(1, 1, 1), {}},
      {"conv2d_stride2", Op::Conv2d, {S{1, 2, 7, 7}, S{3, 2, 3, 2}}, window(1, 2, 0), {}},
      {"conv2d_grad_input", Op::Conv2dGradInput, {S{2, 4, 3, 3}, S{4, 3, 3, 3}}, target(S{2, 3, 5, 5}, 2, 1), {}},
      {"conv2d_grad_weight", Op::Conv2dGradWeight, {S{2, 3, 5, 5}, S{2, 4, 3, 3}}, target(S{4, 3, 3, 3}, 2, 1), {}},
      {"maxpool", Op::MaxPool, {S{2, 2, 4, 6}}, window(2, 2), distinct},
      {"maxpool_overlap", Op::MaxPool, {S{1, 1, 5, 5}}, window(3, 1), distinct},
      {"avgpool", Op::AvgPool, {S{2, 2, 4, 6}}, window(2, 2), {}},
      {"avgpool_grad", Op::AvgPoolGrad, {S{2, 2, 2, 3}}, [] {
         OpAttrs at = window(2, 2);
         at.shape = Shape{2, 2, 4, 6};
         return at;
       }(), {}},
      {"pad", Op::Pad, {S{1, 2, 3, 3}}, window(1, 1, 2), {}},
      {"unpad", Op::Unpad, {S{1, 2, 5, 5}}, window(1, 1, 1), {}},
  };
}

// [SECTION] helpers

struct Built {
  Graph g;
  std::vector<NodeId> inputs;
  Bindings values;
};

Built build(const Case& c, unsigned seed) {
  Built b;
  std::mt19937_64 rng(seed);
  for (std::size_t i = 0; i < c.shapes.size(); ++i) {
    std::string name = "x" + std::to_string(i);
    b.inputs.push_back(b.g.input(name, c.shapes[i]));
    TensorD t(c.shapes[i]);
    for (double& v : t) v = c.draw ? c.draw(static_cast<int>(i), rng) : normal(rng);
    b.values[name] = t;
  }
  if (c.op == Op::CrossEntropy || c.op == Op::Hinge) {
    // The second operand holds targets: one-hot rows.
    TensorD& y = b.values["x1"];
    y.fill(0);
    std::uniform_int_distribution<Index> pick(0, y.dim(1) - 1);
    for (Index r = 0; r < y.dim(0); ++r) y.at({r, pick(rng)}) = 1;
  }
  b.g.set_output(b.g.op(c.op, b.inputs.data(), static_cast<int>(b.inputs.size()), c.attrs));
  return b;
}

TensorD random_like(const Shape& s, std::mt19937_64& rng) {
  TensorD t(s);
  for (double& v : t) v = normal(rng);
  return t;
}
double dot(const TensorD& a, const TensorD& b) {
  double s = 0;
  for (Index k = 0; k < a.size(); ++k) s += a[k] * b[k];
  return s;
}

class OpRules : public ::testing::TestWithParam<Case> {};

// [SECTION] finite differences: ∂⟨R, y⟩/∂x_i ≈ (⟨R, y(x + εe)⟩ − ⟨R, y(x − εe)⟩) / 2ε

TEST_P(OpRules, VjpMatchesFiniteDifferences) {
  const Case& c = GetParam();
  Built b = build(c, 1);
  Evaluation ev = evaluate(b.g, b.values);
  std::mt19937_64 rng(2);
  TensorD R = random_like(ev[b.g.output()].shape(), rng);
  const Node& node = b.g.node(b.g.output());
  const TensorD* in[3];
  for (int i = 0; i < node.arity; ++i) in[i] = &ev[node.inputs[i]];
  OpArgs args{in, node.arity, &ev[b.g.output()], &node.attrs};
  const double eps = 1e-6;
  for (int i = 0; i < node.arity; ++i) {
    if (c.op == Op::Hinge && i == 1) continue;  // targets are data (piecewise constant)
    TensorD gi;
    op_def(c.op).vjp(i, args, R, gi);
    ASSERT_EQ(gi.shape(), c.shapes[i]) << "partial adjoint of input " << i;
    double worst = 0;
    Index where = -1;
    for (Index k = 0; k < gi.size(); ++k) {
      Bindings p = b.values, m = b.values;
      p["x" + std::to_string(i)][k] += eps;
      m["x" + std::to_string(i)][k] -= eps;
      double fp = dot(R, evaluate(b.g, p)[b.g.output()]), fm = dot(R, evaluate(b.g, m)[b.g.output()]);
      double numeric = (fp - fm) / (2 * eps);
      double err = std::abs(numeric - gi[k]) / std::max(1.0, std::abs(numeric));
      if (err > worst) {
        worst = err;
        where = k;
      }
    }
    EXPECT_LT(worst, 1e-7) << c.name << ": input " << i << " element " << where << " analytic "
                           << (where >= 0 ? gi[where] : 0.0);
  }
}

// [SECTION] forward and reverse modes agree: ⟨w, J v⟩ = ⟨Jᵀ w, v⟩

TEST_P(OpRules, JvpAndVjpAreTransposes) {
  const Case& c = GetParam();
  Built b = build(c, 3);
  Evaluation ev = evaluate(b.g, b.values);
  std::mt19937_64 rng(4);
  const Node& node = b.g.node(b.g.output());
  const TensorD* in[3];
  for (int i = 0; i < node.arity; ++i) in[i] = &ev[node.inputs[i]];
  OpArgs args{in, node.arity, &ev[b.g.output()], &node.attrs};
  TensorD w = random_like(ev[b.g.output()].shape(), rng);
  std::vector<TensorD> v;
  for (const Shape& s : c.shapes) v.push_back(random_like(s, rng));
  const TensorD* dx[3] = {nullptr, nullptr, nullptr};
  for (std::size_t i = 0; i < v.size(); ++i) dx[i] = &v[i];
  TensorD jv;
  op_def(c.op).jvp(args, dx, jv);
  double lhs = dot(w, jv), rhs = 0;
  for (int i = 0; i < node.arity; ++i) {
    TensorD gi;
    op_def(c.op).vjp(i, args, w, gi);
    rhs += dot(gi, v[i]);
  }
  EXPECT_NEAR(lhs, rhs, 1e-10 * std::max(1.0, std::abs(lhs))) << c.name;
}

// [SECTION] the extended graph's adjoint nodes compute the numeric reverse rule

TEST_P(OpRules, SymbolicVjpMatchesNumeric) {
  const Case& c = GetParam();
  if (!op_def(c.op).vjp_graph) GTEST_SKIP() << c.name << " has no symbolic reverse rule";
  Built b = build(c, 5);
  // L = Σ R ∘ y makes the seed adjoint R instead of ones.
  std::mt19937_64 rng(6);
  Evaluation ev0 = evaluate(b.g, b.values);
  TensorD R = random_like(ev0[b.g.output()].shape(), rng);
  NodeId y = b.g.output();
  b.g.set_output(b.g.op(Op::Sum, {b.g.op(Op::Mul, {y, b.g.constant(R)})}));
  GradientGraph gg = gradient_graph(b.g, b.g.output());
  Evaluation ev = evaluate(gg.graph, b.values);
  ReverseResult r = reverse(b.g, evaluate(b.g, b.values), b.g.output(), false);
  for (std::size_t i = 0; i < b.inputs.size(); ++i) {
    NodeId x = b.inputs[i];
    if (!gg.adjoint[x.index].valid()) continue;
    const TensorD& sym = ev[gg.adjoint[x.index]];
    const TensorD& num = r[x];
    ASSERT_EQ(sym.shape(), num.shape()) << c.name << " input " << i;
    double worst = 0;
    for (Index k = 0; k < sym.size(); ++k) worst = std::max(worst, std::abs(sym[k] - num[k]));
    EXPECT_LT(worst, 1e-12) << c.name << " input " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Catalogue, OpRules, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

// [SECTION] known values

TensorD t(const Shape& s, std::initializer_list<double> v) { return TensorD::from(s, v); }
TensorD run(Op op, std::vector<TensorD> in, const OpAttrs& at = {}) {
  Graph g;
  Bindings b;
  std::vector<NodeId> ids;
  for (std::size_t i = 0; i < in.size(); ++i) {
    ids.push_back(g.input("x" + std::to_string(i), in[i].shape()));
    b["x" + std::to_string(i)] = in[i];
  }
  g.set_output(g.op(op, ids.data(), static_cast<int>(ids.size()), at));
  return evaluate(g, b)[g.output()];
}
void expect_values(const TensorD& got, const Shape& shape, std::initializer_list<double> want, double tol = 1e-12) {
  ASSERT_EQ(got.shape(), shape);
  std::size_t k = 0;
  for (double w : want) {
    EXPECT_NEAR(got[static_cast<Index>(k)], w, tol) << "element " << k;
    ++k;
  }
}

TEST(OpValues, Elementwise) {
  const Shape s{4};
  TensorD x = t(s, {-2, 0, 0.5, 3});
  expect_values(run(Op::Relu, {x}), s, {0, 0, 0.5, 3});
  expect_values(run(Op::Abs, {x}), s, {2, 0, 0.5, 3});
  expect_values(run(Op::Neg, {x}), s, {2, 0, -0.5, -3});
  expect_values(run(Op::Sigmoid, {x}), s, {1 / (1 + std::exp(2.0)), 0.5, 1 / (1 + std::exp(-0.5)), 1 / (1 + std::exp(-3.0))});
  expect_values(run(Op::Tanh, {x}), s, {std::tanh(-2.0), 0, std::tanh(0.5), std::tanh(3.0)});
  expect_values(run(Op::Exp, {x}), s, {std::exp(-2.0), 1, std::exp(0.5), std::exp(3.0)});
  expect_values(run(Op::Sin, {x}), s, {std::sin(-2.0), 0, std::sin(0.5), std::sin(3.0)});
  expect_values(run(Op::Cos, {x}), s, {std::cos(-2.0), 1, std::cos(0.5), std::cos(3.0)});
  TensorD p = t(s, {0.25, 1, 4, 9});
  expect_values(run(Op::Sqrt, {p}), s, {0.5, 1, 2, 3});
  expect_values(run(Op::Ln, {p}), s, {std::log(0.25), 0, std::log(4.0), std::log(9.0)});
  expect_values(run(Op::Pow, {p, TensorD::scalar(2)}), s, {0.0625, 1, 16, 81});
  expect_values(run(Op::Max, {x, TensorD::scalar(0.5)}), s, {0.5, 0.5, 0.5, 3});
  expect_values(run(Op::Div, {x, TensorD::scalar(2)}), s, {-1, 0, 0.25, 1.5});
  expect_values(run(Op::Sub, {t(Shape{2, 1}, {1, 2}), t(Shape{3}, {1, 2, 3})}), Shape{2, 3}, {0, -1, -2, 1, 0, -1});
}

// torch.nn.functional.softplus (beta 1, threshold 20).
TEST(OpValues, Softplus) {
  const Shape s{5};
  TensorD x = t(s, {-30, -1, 0, 20, 21});
  expect_values(run(Op::Softplus, {x}), s,
                {std::log1p(std::exp(-30.0)), std::log1p(std::exp(-1.0)), std::log(2.0), std::log1p(std::exp(20.0)), 21});
  // Large arguments stay finite: exp(800) would overflow without the threshold.
  expect_values(run(Op::Softplus, {t(Shape{2}, {800, -800})}), Shape{2}, {800, 0});
}

// torch.nn.functional.leaky_relu (negative_slope 0.01 by default).
TEST(OpValues, LeakyRelu) {
  const Shape s{5};
  TensorD x = t(s, {-30, -1, 0, 20, 21});
  expect_values(run(Op::LeakyRelu, {x}), s, {-0.3, -0.01, 0, 20, 21});
  expect_values(run(Op::LeakyRelu, {x}, slope(0.5)), s, {-15, -0.5, 0, 20, 21});
}

TEST(OpValues, SigmoidIsStableForLargeArguments) {
  TensorD y = run(Op::Sigmoid, {t(Shape{2}, {-800, 800})});
  EXPECT_EQ(y[0], 0.0);
  EXPECT_EQ(y[1], 1.0);
}

TEST(OpValues, ReductionsAndShapes) {
  TensorD x = t(Shape{2, 3}, {1, 2, 3, 4, 5, 6});
  expect_values(run(Op::Sum, {x}), Shape(), {21});
  expect_values(run(Op::Sum, {x}, axis(0)), Shape{3}, {5, 7, 9});
  expect_values(run(Op::Mean, {x}, axis(1)), Shape{2}, {2, 5});
  expect_values(run(Op::Mean, {x}, axis(-1, true)), Shape{2, 1}, {2, 5});
  expect_values(run(Op::Transpose, {x}), Shape{3, 2}, {1, 4, 2, 5, 3, 6});
  expect_values(run(Op::Reshape, {x}, target(Shape{3, 2})), Shape{3, 2}, {1, 2, 3, 4, 5, 6});
  expect_values(run(Op::SumTo, {x}, target(Shape{1, 3})), Shape{1, 3}, {5, 7, 9});
  expect_values(run(Op::BroadcastTo, {t(Shape{2, 1}, {1, 2})}, target(Shape{2, 2})), Shape{2, 2}, {1, 1, 2, 2});
  expect_values(run(Op::L1Norm, {t(Shape{3}, {-1, 2, -3})}), Shape(), {6});
  expect_values(run(Op::L2Norm, {t(Shape{2}, {3, 4})}), Shape(), {5});
}

TEST(OpValues, MatrixProducts) {
  TensorD a = t(Shape{2, 3}, {1, 2, 3, 4, 5, 6}), b = t(Shape{3, 2}, {7, 8, 9, 10, 11, 12});
  expect_values(run(Op::MatMul, {a, b}), Shape{2, 2}, {58, 64, 139, 154});
  expect_values(run(Op::MatMul, {a, t(Shape{3}, {1, 0, -1})}), Shape{2}, {-2, -2});
  expect_values(run(Op::MatMul, {t(Shape{3}, {1, 2, 3}), t(Shape{3}, {4, 5, 6})}), Shape(), {32});
}

TEST(OpValues, SoftmaxAndLosses) {
  TensorD z = t(Shape{1, 3}, {1, 2, 3});
  const double e = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  expect_values(run(Op::Softmax, {z}), Shape{1, 3}, {std::exp(1.0) / e, std::exp(2.0) / e, std::exp(3.0) / e});
  expect_values(run(Op::LogSoftmax, {z}), Shape{1, 3}, {1 - std::log(e), 2 - std::log(e), 3 - std::log(e)});
  // Large logits stay finite (log-sum-exp).
  TensorD big = run(Op::Softmax, {t(Shape{2}, {1000, 1001})});
  EXPECT_NEAR(big[1], 1 / (1 + std::exp(-1.0)), 1e-13);
  expect_values(run(Op::CrossEntropy, {z, t(Shape{1, 3}, {0, 0, 1})}), Shape(), {std::log(e) - 3});
  expect_values(run(Op::CrossEntropy, {t(Shape{1, 2}, {1000, 0}), t(Shape{1, 2}, {0, 1})}), Shape(), {1000});
  expect_values(run(Op::Mse, {t(Shape{2}, {1, 3}), t(Shape{2}, {0, 1})}), Shape(), {2.5});
  // Seed 001's SVM example: scores (3.2, 5.1, −1.7), true class 0 -> 2.9
  expect_values(run(Op::Hinge, {t(Shape{1, 3}, {3.2, 5.1, -1.7}), t(Shape{1, 3}, {1, 0, 0})}), Shape(), {2.9}, 1e-12);
}

TEST(OpValues, ConvolutionAndPooling) {
  // A 3×3 image, a 2×2 kernel of ones: each output is the window's sum.
  TensorD x = t(Shape{1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  TensorD w(Shape{1, 1, 2, 2}, 1.0);
  expect_values(run(Op::Conv2d, {x, w}), Shape{1, 1, 2, 2}, {12, 16, 24, 28});
  expect_values(run(Op::Conv2d, {x, w, t(Shape{1}, {0.5})}, window(1, 2, 1)), Shape{1, 1, 2, 2}, {1.5, 5.5, 11.5, 28.5});
  TensorD img = t(Shape{1, 1, 2, 4}, {1, 5, 2, 0, 3, 4, 8, 6});
  expect_values(run(Op::MaxPool, {img}, window(2, 2)), Shape{1, 1, 1, 2}, {5, 8});
  expect_values(run(Op::AvgPool, {img}, window(2, 2)), Shape{1, 1, 1, 2}, {3.25, 4});
  TensorD padded = run(Op::Pad, {t(Shape{1, 1, 1, 1}, {7})}, window(1, 1, 1));
  expect_values(padded, Shape{1, 1, 3, 3}, {0, 0, 0, 0, 7, 0, 0, 0, 0});
}

TEST(OpValues, KinksFollowPyTorch) {
  // relu'(0) = 0, |x|'(0) = 0, max(a, a) splits the gradient in halves.
  Graph g;
  NodeId a = g.input("a", Shape()), b = g.input("b", Shape());
  g.set_output(g.op(Op::Add, {g.op(Op::Add, {g.op(Op::Relu, {a}), g.op(Op::Abs, {a})}), g.op(Op::Max, {a, b})}));
  Bindings v{{"a", TensorD::scalar(0)}, {"b", TensorD::scalar(0)}};
  ReverseResult r = reverse(g, evaluate(g, v), g.output());
  EXPECT_EQ(r[a].item(), 0.5);
  EXPECT_EQ(r[b].item(), 0.5);
}

// The derivative of a one-input expression at x, by reverse mode.
double derivative_at(const std::string& text, double x) {
  Graph g = parse_expression(text);
  return reverse(g, evaluate(g, {{"x", TensorD::scalar(x)}}), g.output())[g.inputs()[0]].item();
}

TEST(OpValues, SoftplusThresholdFollowsPyTorch) {
  // softplus' = σ(x) up to 20 inclusive (torch: x·β > threshold takes the linear branch), 1 above.
  EXPECT_EQ(derivative_at("softplus(x)", 20), 1 / (1 + std::exp(-20.0)));
  EXPECT_EQ(derivative_at("softplus(x)", 20.5), 1.0);
  EXPECT_EQ(derivative_at("softplus(x)", 0), 0.5);
}

TEST(OpValues, LeakyReluKinkFollowsPyTorch) {
  // leaky_relu'(0) = negative_slope, as torch's (x > 0 ? 1 : slope).
  EXPECT_EQ(derivative_at("leaky_relu(x)", 0), 0.01);
  EXPECT_EQ(derivative_at("leaky_relu(x, 0.3)", 0), 0.3);
  EXPECT_EQ(derivative_at("leaky_relu(x, 0.3)", 1e-300), 1.0);
  EXPECT_EQ(derivative_at("leaky_relu(x, negative_slope=0.3)", -2), 0.3);
}

// gradcheck (central differences per element and along a random direction) of an op added
// through its catalogue entry alone.
void expect_gradcheck_passes(const char* text) {
  const TensorD X = TensorD::from(Shape{3, 4}, {0.5, -1.2, 2.0, 0.3, -0.7, 1.1, -2.2, 0.9, 1.4, -0.1, 0.6, -1.5});
  const TensorD W = TensorD::from(Shape{4, 2}, {0.2, -0.5, 1.0, 0.4, -0.3, 0.8, 0.6, -1.1});
  const GradcheckReport r = gradcheck(parse_expression(text, {{"X", X.shape()}, {"W", W.shape()}}), {{"X", X}, {"W", W}});
  ASSERT_EQ(r.inputs.size(), 2u) << text;
  for (const InputCheck& c : r.inputs) EXPECT_TRUE(c.passed) << text << ": " << c.input << " relative error " << c.relative_error;
}

TEST(OpValues, SoftplusPassesGradcheck) {
  expect_gradcheck_passes("sum(softplus(X @ W))");
  expect_gradcheck_passes("sum(softplus(X * 12)) * sum(W)");  // both sides of the threshold
}

TEST(OpValues, LeakyReluPassesGradcheck) {
  expect_gradcheck_passes("sum(leaky_relu(X @ W) ^ 2)");
  expect_gradcheck_passes("mean(leaky_relu(X, negative_slope=0.2) * X) + sum(leaky_relu(W, -0.5))");
}

// [SECTION] building checks shapes and names the node

TEST(GraphBuild, ShapeMismatchNamesNodeAndShapes) {
  Graph g;
  NodeId X = g.input("X", Shape{4, 3}), W = g.input("W", Shape{2, 2});
  try {
    g.op(Op::MatMul, {X, W});
    FAIL() << "expected a GraphError";
  } catch (const GraphError& e) {
    EXPECT_EQ(std::string(e.what()), "v3 = X @ W: [4×3] @ [2×2] do not match");
  }
}

TEST(GraphBuild, ArityIsChecked) {
  Graph g;
  NodeId x = g.input("x", Shape());
  EXPECT_THROW(g.op(Op::Ln, {x, x}), GraphError);
  EXPECT_THROW(g.op(Op::Add, {x}), GraphError);
}

TEST(GraphBuild, EveryOpHasACompleteDefinition) {
  for (int i = 0; i < kOpCount; ++i) {
    const OpDef& d = op_def(static_cast<Op>(i));
    EXPECT_EQ(static_cast<int>(d.op), i);
    EXPECT_NE(d.name, nullptr);
    Op back;
    ASSERT_TRUE(op_from_name(d.name, &back)) << d.name;
    EXPECT_EQ(back, d.op);
    for (int k = 0; k < d.max_arity; ++k)
      EXPECT_TRUE(d.local_derivative[k] || d.reverse_rule[k] || !d.differentiable) << d.name << " input " << k;
  }
}

// [SECTION] accumulation: a node used several times sums its partial adjoints

TEST(Reverse, FanOutAccumulatesEveryPartial) {
  Graph g;
  NodeId x = g.input("x", Shape());
  // y = x·x + sin x + x: x feeds three consumers, one of them twice.
  NodeId y = g.op(Op::Add, {g.op(Op::Add, {g.op(Op::Mul, {x, x}), g.op(Op::Sin, {x})}), x});
  g.set_output(y);
  Bindings b{{"x", TensorD::scalar(1.5)}};
  ReverseResult r = reverse(g, evaluate(g, b), y);
  EXPECT_NEAR(r[x].item(), 2 * 1.5 + std::cos(1.5) + 1, 1e-15);
  int partials_into_x = 0;
  for (const auto& p : r.partials) partials_into_x += p.from == x;
  EXPECT_EQ(partials_into_x, 4);
}

TEST(Reverse, NaNIsLocatedWithItsReason) {
  Graph g;
  NodeId x = g.input("x", Shape());
  NodeId l = g.op(Op::Ln, {x});
  g.set_output(g.op(Op::Mul, {l, g.constant(TensorD::scalar(2))}));
  Evaluation ev = evaluate(g, Bindings{{"x", TensorD::scalar(-1)}});
  NonFinite bad = first_non_finite(g, ev);
  EXPECT_EQ(bad.node, l);
  EXPECT_NE(bad.reason.find("negative"), std::string::npos) << bad.reason;
}

TEST(Bindings, MissingUnusedAndMisshapenValuesAreNamed) {
  Graph g;
  g.set_output(g.op(Op::Add, {g.input("x1", Shape()), g.input("x2", Shape{2})}));
  try {
    evaluate(g, Bindings{{"x1", TensorD::scalar(1)}});
    FAIL();
  } catch (const BindingError& e) {
    EXPECT_EQ(std::string(e.what()), "missing value for input 'x2'");
  }
  EXPECT_THROW(evaluate(g, Bindings{{"x1", TensorD::scalar(1)}, {"x2", TensorD(Shape{3})}}), BindingError);
  try {
    evaluate(g, Bindings{{"x1", TensorD::scalar(1)}, {"x2", TensorD(Shape{2})}, {"x3", TensorD::scalar(0)}});
    FAIL();
  } catch (const BindingError& e) {
    EXPECT_NE(std::string(e.what()).find("x3"), std::string::npos);
  }
}

// [SECTION] symbolic reverse rules at their edges

// The extended graph's adjoint of ‖x‖₂ was x/‖x‖₂ = 0/0 = NaN at x = 0, where the numeric rule
// (and PyTorch) give 0: the two reverse modes disagreed.
TEST(SecondOrder, L2NormAdjointNodeAtZeroMatchesTheNumericRule) {
  Graph g;
  NodeId x = g.input("x", Shape{2});
  g.set_output(g.op(Op::L2Norm, {x}));
  const Bindings at{{"x", TensorD(Shape{2})}};
  GradientGraph gg = gradient_graph(g, g.output());
  ASSERT_TRUE(gg.adjoint[x.index].valid());
  const TensorD sym = evaluate(gg.graph, at)[gg.adjoint[x.index]];
  const TensorD num = reverse(g, evaluate(g, at), g.output())[x];
  for (Index k = 0; k < 2; ++k) {
    EXPECT_EQ(num[k], 0.0);
    EXPECT_EQ(sym[k], 0.0) << "element " << k;
  }
  // Away from zero the adjoint node is still x/‖x‖₂.
  const Bindings at34{{"x", TensorD::from(Shape{2}, {3, 4})}};
  const TensorD sym34 = evaluate(gg.graph, at34)[gg.adjoint[x.index]];
  EXPECT_DOUBLE_EQ(sym34[0], 0.6);
  EXPECT_DOUBLE_EQ(sym34[1], 0.8);
}

// The symbolic rules of reductions, broadcasting and matmul held references to node shapes
// across adding nodes, which moves the graph's storage: heap-use-after-free under ASan (and shapes
// read from freed memory without it).
TEST(SecondOrder, GradientGraphOfReductionsBroadcastsAndProducts) {
  Graph g = parse_expression("sum(mean(X @ W, 0) * b) + mean(X - c, 1, 1)",
                             {{"X", Shape{2, 3}}, {"W", Shape{3, 2}}, {"b", Shape{2}}, {"c", Shape{3}}});
  const Bindings at{{"X", TensorD::from(Shape{2, 3}, {1, 2, 3, 4, 5, 6})},
                    {"W", TensorD::from(Shape{3, 2}, {1, -1, 0.5, 2, -3, 1})},
                    {"b", TensorD::from(Shape{2}, {2, -1})},
                    {"c", TensorD::from(Shape{3}, {1, 1, 1})}};
  GradientGraph gg = gradient_graph(g, g.output());
  const Evaluation ev = evaluate(gg.graph, at);
  const ReverseResult r = reverse(g, evaluate(g, at), g.output());
  for (NodeId x : g.inputs()) {
    ASSERT_TRUE(gg.adjoint[x.index].valid()) << g.node(x).name;
    const TensorD& sym = ev[gg.adjoint[x.index]];
    ASSERT_EQ(sym.shape(), r[x].shape()) << g.node(x).name;
    for (Index k = 0; k < sym.size(); ++k) EXPECT_NEAR(sym[k], r[x][k], 1e-12) << g.node(x).name << " element " << k;
  }
}

}  // namespace
}  // namespace gs
