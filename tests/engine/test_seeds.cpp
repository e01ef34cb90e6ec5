// Known answers from the lecture notes (../shared/seeds), with the numbers of DESIGN.md: the whole
// forward, reverse and tangent traces of seed 004's example, seed 001's sigmoid neuron, and the
// closed-form gradients of seeds 002, 003 and 004's networks. Graphs are built in C++ here so that
// these tests do not depend on the parser.
#include "engine/autodiff.h"
#include "engine/gradcheck.h"
#include "engine/kernels.h"
#include "engine/trace.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace gs {
namespace {

// y = ln(x1) + x1·x2 − sin(x2), built in the order the parser builds it.
Graph seed004() {
  Graph g;
  NodeId x1 = g.input("x1", Shape());
  NodeId ln = g.op(Op::Ln, {x1});
  NodeId x2 = g.input("x2", Shape());
  NodeId mul = g.op(Op::Mul, {x1, x2});
  NodeId add = g.op(Op::Add, {ln, mul});
  NodeId sin = g.op(Op::Sin, {x2});
  g.set_output(g.op(Op::Sub, {add, sin}));
  return g;
}
Bindings at(std::initializer_list<std::pair<const char*, double>> values) {
  Bindings b;
  for (auto& [name, v] : values) b[name] = TensorD::scalar(v);
  return b;
}

TEST(Seed004, NumbersNodesLikeTheNotes) {
  Graph g = seed004();
  std::vector<std::string> formulas;
  for (NodeId id : g.order()) formulas.push_back(g.label(id) + " = " + g.formula(id));
  std::vector<std::string> expected = {"v1 = x1",         "v2 = x2",         "v3 = ln v1",      "v4 = v1·v2",
                                       "v5 = sin v2",     "v6 = v3 + v4",    "v7 = v6 − v5"};
  EXPECT_EQ(formulas, expected);
}

TEST(Seed004, ForwardTraceHasTheNotesValues) {
  Graph g = seed004();
  Evaluation ev = evaluate(g, at({{"x1", 2}, {"x2", 5}}));
  auto rows = forward_trace(g, ev);
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(to_line(rows[0]), "v1 = x1 = 2");
  EXPECT_EQ(to_line(rows[2]), "v3 = ln v1 = ln 2 = 0.69315");
  EXPECT_EQ(to_line(rows[3]), "v4 = v1·v2 = 2·5 = 10");
  EXPECT_EQ(to_line(rows[4]), "v5 = sin v2 = sin 5 = -0.95892");
  EXPECT_EQ(to_line(rows[6]), "v7 = v6 − v5 = 10.693 − (-0.95892) = 11.652");
  EXPECT_NEAR(ev[g.output()].item(), std::log(2.0) + 10 - std::sin(5.0), 1e-15);
  EXPECT_NEAR(ev[g.output()].item(), 11.652, 5e-4);
}

TEST(Seed004, ReverseTraceSumsPartialAdjoints) {
  Graph g = seed004();
  Evaluation ev = evaluate(g, at({{"x1", 2}, {"x2", 5}}));
  ReverseResult r = reverse(g, ev, g.output());
  EXPECT_DOUBLE_EQ(r[g.find_input("x1")].item(), 5.5);
  EXPECT_NEAR(r[g.find_input("x2")].item(), 2 - std::cos(5.0), 1e-15);
  EXPECT_NEAR(r[g.find_input("x2")].item(), 1.7163, 5e-5);

  auto rows = reverse_trace(g, ev, r);
  ASSERT_EQ(rows.size(), 7u);
  // Reverse topological order: v̄7 first, v̄1 last.
  EXPECT_EQ(to_line(rows[0]), "v̄7 = ∂y/∂y = 1");
  EXPECT_EQ(to_line(rows[1]), "v̄6 = v̄7·1 = 1·1 = 1");
  EXPECT_EQ(to_line(rows[2]), "v̄5 = v̄7·(−1) = 1·(−1) = -1");
  EXPECT_EQ(to_line(rows[6]), "v̄1 = v̄4·v2 + v̄3·(1/v1) = 1·5 + 1·(1/2) = 5 + 0.5 = 5.5");
  ASSERT_EQ(rows[6].terms.size(), 2u);
  EXPECT_EQ(rows[6].terms[1].local, "1/v1");
  // v2 feeds v4 and v5: two partial adjoints summed.
  EXPECT_EQ(rows[5].terms.size(), 2u);
}

TEST(Seed004, TangentTraceGivesTheDerivativeInX1) {
  Graph g = seed004();
  Evaluation ev = evaluate(g, at({{"x1", 2}, {"x2", 5}}));
  TangentResult t = tangent(g, ev, g.find_input("x1"));
  EXPECT_DOUBLE_EQ(t[g.output()].item(), 5.5);
  auto rows = tangent_trace(g, ev, t);
  EXPECT_EQ(to_line(rows[3]), "v̇4 = v̇1·v2 + v̇2·v1 = 1·5 + 0·2 = 5");
  TangentResult t2 = tangent(g, ev, g.find_input("x2"));
  EXPECT_NEAR(t2[g.output()].item(), 2 - std::cos(5.0), 1e-15);
}

TEST(Seed004, GradcheckPasses) {
  Graph g = seed004();
  GradcheckReport rep = gradcheck(g, at({{"x1", 2}, {"x2", 5}}));
  ASSERT_EQ(rep.inputs.size(), 2u);
  for (const auto& c : rep.inputs) EXPECT_TRUE(c.passed) << c.input << " relative error " << c.relative_error;
}

TEST(Seed004, SecondDerivativesMatchClosedForms) {
  Graph g = seed004();
  Bindings b = at({{"x1", 2}, {"x2", 5}});
  // ∂²y/∂x1² = −1/x1², ∂²y/∂x2² = sin x2
  EXPECT_NEAR(second_derivative(g, b, "x1"), -0.25, 1e-14);
  EXPECT_NEAR(second_derivative(g, b, "x2"), std::sin(5.0), 1e-14);
  // H·v with v = (1, 1): [−1/4 + 1, 1 + sin 5]
  Bindings hv = hessian_vector_product(g, b, at({{"x1", 1}, {"x2", 1}}));
  EXPECT_NEAR(hv["x1"].item(), -0.25 + 1, 1e-14);
  EXPECT_NEAR(hv["x2"].item(), 1 + std::sin(5.0), 1e-14);
}

// Seed 001's "flat" code: L = σ(w0·x0 + w1·x1 + w2).
TEST(Seed001, SigmoidNeuronGradients) {
  Graph g;
  NodeId w0 = g.input("w0", Shape()), x0 = g.input("x0", Shape());
  NodeId w1 = g.input("w1", Shape()), x1 = g.input("x1", Shape()), w2 = g.input("w2", Shape());
  NodeId s0 = g.op(Op::Mul, {w0, x0}), s1 = g.op(Op::Mul, {w1, x1});
  NodeId s3 = g.op(Op::Add, {g.op(Op::Add, {s0, s1}), w2});
  g.set_output(g.op(Op::Sigmoid, {s3}));
  Bindings b = at({{"w0", 2}, {"x0", -1}, {"w1", -3}, {"x1", -2}, {"w2", -3}});
  Evaluation ev = evaluate(g, b);
  ReverseResult r = reverse(g, ev, g.output());
  EXPECT_NEAR(ev[g.output()].item(), 0.7311, 1e-4);
  EXPECT_NEAR(r[w0].item(), -0.1966, 1e-4);
  EXPECT_NEAR(r[x0].item(), 0.3932, 1e-4);
  EXPECT_NEAR(r[w1].item(), -0.3932, 1e-4);
  EXPECT_NEAR(r[x1].item(), -0.5898, 1e-4);
  EXPECT_NEAR(r[w2].item(), 0.1966, 1e-4);
  // σ'(s3) = L(1 − L) exactly
  const double L = ev[g.output()].item();
  EXPECT_NEAR(r[w2].item(), L * (1 - L), 1e-15);
}

TensorD random_tensor(const Shape& s, std::mt19937_64& rng, double scale = 1.0) {
  std::normal_distribution<double> n(0, scale);
  TensorD t(s);
  for (double& v : t) v = n(rng);
  return t;
}
TensorD one_hot(Index rows, Index classes, std::mt19937_64& rng) {
  TensorD y(Shape{rows, classes});
  std::uniform_int_distribution<Index> pick(0, classes - 1);
  for (Index r = 0; r < rows; ++r) y.at({r, pick(rng)}) = 1;
  return y;
}
double max_diff(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) { return (a - b).cwiseAbs().maxCoeff(); }
Eigen::MatrixXd mat(const TensorD& t) { return t.matrix(); }

// Seed 004's two-layer network: ℓ = ce(σ(X W1) W2, y) with ReLU as σ, against the closed forms
//   ∇W2 = σ(XW1)ᵀ(S − I_y)/N,  ∇W1 = Xᵀ((S − I_y)W2ᵀ ∘ σ′(XW1))/N   (averaged over the batch)
TEST(Seed004, TwoLayerNetworkMatchesClosedForms) {
  std::mt19937_64 rng(7);
  const Index n = 5, d = 4, h = 6, k = 3;
  Graph g;
  NodeId X = g.input("X", Shape{n, d}), W1 = g.input("W1", Shape{d, h}), W2 = g.input("W2", Shape{h, k});
  NodeId Y = g.input("Y", Shape{n, k});
  NodeId Z1 = g.op(Op::MatMul, {X, W1});
  NodeId A = g.op(Op::Relu, {Z1});
  g.set_output(g.op(Op::CrossEntropy, {g.op(Op::MatMul, {A, W2}), Y}));
  Bindings b{{"X", random_tensor(Shape{n, d}, rng)},
             {"W1", random_tensor(Shape{d, h}, rng)},
             {"W2", random_tensor(Shape{h, k}, rng)},
             {"Y", one_hot(n, k, rng)}};
  Evaluation ev = evaluate(g, b);
  ReverseResult r = reverse(g, ev, g.output());

  Eigen::MatrixXd x = mat(b["X"]), w1 = mat(b["W1"]), w2 = mat(b["W2"]), y = mat(b["Y"]);
  Eigen::MatrixXd z1 = x * w1, a = z1.cwiseMax(0.0), logits = a * w2;
  Eigen::MatrixXd s = logits;
  for (Index i = 0; i < n; ++i) {
    s.row(i) = (logits.row(i).array() - logits.row(i).maxCoeff()).exp();
    s.row(i) /= s.row(i).sum();
  }
  Eigen::MatrixXd gw2 = a.transpose() * (s - y) / double(n);
  Eigen::MatrixXd relu_prime = (z1.array() > 0).cast<double>();
  Eigen::MatrixXd gw1 = x.transpose() * (((s - y) * w2.transpose()).array() * relu_prime.array()).matrix() / double(n);
  EXPECT_LT(max_diff(mat(r[W2]), gw2), 1e-14) << mat(r[W2]) << "\nvs\n" << gw2;
  EXPECT_LT(max_diff(mat(r[W1]), gw1), 1e-14);
}

// Seed 002's linear layer: Y = X·W + b, with G = ∂L/∂Y: dW = Xᵀ·G, db = ΣG, dX = G·Wᵀ.
TEST(Seed002, LinearLayerRules) {
  std::mt19937_64 rng(3);
  Graph g;
  NodeId X = g.input("X", Shape{4, 3}), W = g.input("W", Shape{3, 2}), b = g.input("b", Shape{2});
  NodeId R = g.input("R", Shape{4, 2});  // L = Σ R ∘ Y, so G = R
  NodeId Yn = g.op(Op::Add, {g.op(Op::MatMul, {X, W}), b});
  g.set_output(g.op(Op::Sum, {g.op(Op::Mul, {R, Yn})}));
  Bindings v{{"X", random_tensor(Shape{4, 3}, rng)}, {"W", random_tensor(Shape{3, 2}, rng)},
             {"b", random_tensor(Shape{2}, rng)}, {"R", random_tensor(Shape{4, 2}, rng)}};
  ReverseResult r = reverse(g, evaluate(g, v), g.output());
  Eigen::MatrixXd G = mat(v["R"]);
  EXPECT_LT(max_diff(mat(r[W]), mat(v["X"]).transpose() * G), 1e-14);
  EXPECT_LT(max_diff(mat(r[X]), G * mat(v["W"]).transpose()), 1e-14);
  EXPECT_LT(max_diff(mat(r[b]), G.colwise().sum()), 1e-14);
}

// Seed 002: the softmax cross-entropy gradient is (P − Y)/N.
TEST(Seed002, CrossEntropyGradientIsPMinusYOverN) {
  std::mt19937_64 rng(11);
  Graph g;
  NodeId Z = g.input("Z", Shape{6, 4}), Y = g.input("Y", Shape{6, 4});
  g.set_output(g.op(Op::CrossEntropy, {Z, Y}));
  Bindings v{{"Z", random_tensor(Shape{6, 4}, rng, 3.0)}, {"Y", one_hot(6, 4, rng)}};
  ReverseResult r = reverse(g, evaluate(g, v), g.output());
  TensorD p;
  kernels::softmax_rows(v["Z"], p);
  EXPECT_LT(max_diff(mat(r[Z]), (mat(p) - mat(v["Y"])) / 6.0), 1e-15);
}

// Seed 003: J = L + s with s = λ/2 (‖W1‖² + ‖W2‖²) on a one-hidden-layer network o = W2 φ(W1 x):
//   ∂J/∂W2 = ∂L/∂o · hᵀ + λW2,   ∂J/∂W1 = (W2ᵀ ∂L/∂o ∘ φ′(z)) xᵀ + λW1
TEST(Seed003, RegularizedObjectiveGradients) {
  std::mt19937_64 rng(5);
  const double lambda = 0.1;
  Graph g;
  NodeId x = g.input("x", Shape{3}), W1 = g.input("W1", Shape{4, 3}), W2 = g.input("W2", Shape{2, 4});
  NodeId t = g.input("t", Shape{2});
  NodeId z = g.op(Op::MatMul, {W1, x});
  NodeId h = g.op(Op::Tanh, {z});
  NodeId o = g.op(Op::MatMul, {W2, h});
  NodeId L = g.op(Op::Mse, {o, t});
  NodeId sq1 = g.op(Op::Sum, {g.op(Op::Mul, {W1, W1})}), sq2 = g.op(Op::Sum, {g.op(Op::Mul, {W2, W2})});
  NodeId s = g.op(Op::Mul, {g.constant(TensorD::scalar(lambda / 2)), g.op(Op::Add, {sq1, sq2})});
  g.set_output(g.op(Op::Add, {L, s}));
  Bindings v{{"x", random_tensor(Shape{3}, rng)}, {"W1", random_tensor(Shape{4, 3}, rng)},
             {"W2", random_tensor(Shape{2, 4}, rng)}, {"t", random_tensor(Shape{2}, rng)}};
  Evaluation ev = evaluate(g, v);
  ReverseResult r = reverse(g, ev, g.output());

  Eigen::VectorXd xv = mat(v["x"]).transpose(), tv = mat(v["t"]).transpose();
  Eigen::MatrixXd w1 = mat(v["W1"]), w2 = mat(v["W2"]);
  Eigen::VectorXd zv = w1 * xv, hv = zv.array().tanh().matrix(), ov = w2 * hv;
  Eigen::VectorXd dL_do = 2.0 * (ov - tv) / 2.0;
  Eigen::MatrixXd gw2 = dL_do * hv.transpose() + lambda * w2;
  Eigen::VectorXd dz = (w2.transpose() * dL_do).array() * (1 - hv.array().square());
  Eigen::MatrixXd gw1 = dz * xv.transpose() + lambda * w1;
  EXPECT_LT(max_diff(mat(r[W2]), gw2), 1e-14);
  EXPECT_LT(max_diff(mat(r[W1]), gw1), 1e-14);
  EXPECT_TRUE(gradcheck(g, v).passed());
}

}  // namespace
}  // namespace gs
