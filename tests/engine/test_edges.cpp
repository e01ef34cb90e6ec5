// Numbers true at the edges: the softmax family at large offsets and pow at 0, in every mode of the
// engine (evaluation, reverse mode, reverse mode through the extended graph, forward mode, second
// derivatives), against PyTorch; so are torch's pooling options (padding, ceil_mode,
// count_include_pad). Golden values: fixtures/edge_golden.json and fixtures/pool_golden.json, made by
// fixtures/make_edge_golden.py and make_pool_golden.py (torch 1.13); this test needs no PyTorch.
#include "engine/autodiff.h"
#include "engine/graph_json.h"
#include "engine/kernels.h"
#include "engine/parse.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

namespace gs {
namespace {

nlohmann::json load_fixture(const std::string& name = "edge_golden.json") {
  std::ifstream in(std::string(GRADSCOPE_FIXTURES) + "/" + name);
  EXPECT_TRUE(in) << "missing fixture " << name;
  return nlohmann::json::parse(in);
}

// Agreement of one number: NaN with NaN, an infinity with the same infinity, else within `tol`
// relative to max(|want|, 1).
bool agrees(double got, double want, double tol) {
  if (std::isnan(want)) return std::isnan(got);
  if (std::isinf(want)) return got == want;
  return std::abs(got - want) <= tol * std::max(std::abs(want), 1.0);
}
// Empty when every element agrees, else the first that does not.
std::string disagreement(const TensorD& got, const TensorD& want, double tol) {
  if (got.shape() != want.shape()) return "shape " + got.shape().to_string() + " vs torch " + want.shape().to_string();
  for (Index k = 0; k < want.size(); ++k)
    if (!agrees(got[k], want[k], tol))
      return "element " + std::to_string(k) + ": " + number_to_json(got[k]).dump() + " vs torch " + number_to_json(want[k]).dump();
  return "";
}

constexpr double kTol = 1e-9;

struct EdgeCase {
  std::string name;
  Graph graph;
  Bindings values;
  nlohmann::json json;
};
std::vector<EdgeCase> load_edge_cases() {
  std::vector<EdgeCase> out;
  nlohmann::json cases = nlohmann::json::array();
  for (const char* file : {"edge_golden.json", "pool_golden.json"}) {
    const nlohmann::json fixture = load_fixture(file);
    for (const auto& c : fixture["cases"]) cases.push_back(c);
  }
  for (const auto& c : cases) {
    EdgeCase k;
    k.name = c["name"];
    std::map<std::string, Shape, std::less<>> shapes;
    for (auto& [name, v] : c["values"].items()) {
      k.values[name] = tensor_from_json(v, name);
      shapes[name] = k.values[name].shape();
    }
    k.graph = parse_expression(c["expression"].get<std::string>(), shapes);
    k.json = c;
    out.push_back(std::move(k));
  }
  return out;
}
TensorD wanted(const nlohmann::json& j, const std::string& what) { return tensor_from_json(j, what); }

TEST(EdgeGolden, FixtureHoldsTheIssuesExamples) {
  std::set<std::string> names;
  for (const EdgeCase& c : load_edge_cases()) names.insert(c.name);
  EXPECT_TRUE(names.count("ce_equal_logits_1e16"));
  EXPECT_TRUE(names.count("pow_literal_zero"));
  EXPECT_TRUE(names.count("maxpool_stem_kernel3_stride2_padding1"));
  EXPECT_GE(names.size(), 36u);
}

TEST(EdgeGolden, ValuesAndReverseModeAgreeWithTorch) {
  for (const EdgeCase& c : load_edge_cases()) {
    SCOPED_TRACE(c.name + ": " + c.json["expression"].get<std::string>());
    const Graph& g = c.graph;
    Evaluation ev = evaluate(g, c.values);
    EXPECT_EQ(disagreement(ev[g.output()], wanted(c.json["output"], "output"), kTol), "") << "output";
    ReverseResult r = reverse(g, ev, g.output());
    for (auto& [name, v] : c.json["gradients"].items()) {
      NodeId x = g.find_input(name);
      TensorD got = r.has_adjoint[x.index] ? r[x] : TensorD(g.node(x).shape);
      EXPECT_EQ(disagreement(got, wanted(v, name), kTol), "") << "∂y/∂" << name;
    }
  }
}

TEST(EdgeGolden, ExtendedGraphGradientsAgreeWithTorch) {
  for (const EdgeCase& c : load_edge_cases()) {
    SCOPED_TRACE(c.name + ": " + c.json["expression"].get<std::string>());
    const Graph& g = c.graph;
    GradientGraph gg = gradient_graph(g, g.output());
    Evaluation ev = evaluate(gg.graph, c.values);
    for (auto& [name, v] : c.json["gradients"].items()) {
      NodeId x = g.find_input(name);
      NodeId adj = gg.adjoint[x.index];
      TensorD got = adj.valid() ? ev[adj] : TensorD(g.node(x).shape);
      if (got.shape() != g.node(x).shape) got = got.reshaped(g.node(x).shape);
      EXPECT_EQ(disagreement(got, wanted(v, name), kTol), "") << "symbolic ∂y/∂" << name;
    }
  }
}

TEST(EdgeGolden, ForwardModeAgreesWithTorch) {
  for (const EdgeCase& c : load_edge_cases()) {
    SCOPED_TRACE(c.name + ": " + c.json["expression"].get<std::string>());
    const Graph& g = c.graph;
    Evaluation ev = evaluate(g, c.values);
    for (auto& [name, v] : c.json["tangents"].items()) {
      NodeId x = g.find_input(name);
      TangentResult t = tangent(g, ev, x);
      TensorD want = wanted(v, name);
      TensorD got = t.nonzero[g.output().index] ? t[g.output()] : TensorD(want.shape());
      EXPECT_EQ(disagreement(got, want, kTol), "") << "tangent along ones(" << name << ")";
    }
  }
}

TEST(EdgeGolden, HessiansThroughTheExtendedGraphAgreeWithTorchsDoubleBackward) {
  int checked = 0;
  for (const EdgeCase& c : load_edge_cases()) {
    if (!c.json.contains("hessian")) continue;
    SCOPED_TRACE(c.name + ": " + c.json["expression"].get<std::string>());
    const Graph& g = c.graph;
    TensorD want = wanted(c.json["hessian"], "hessian");
    // Row k of the Hessian is H·e_k, the inputs flattened in the order of "hessian_order".
    const auto names = c.json["hessian_order"].get<std::vector<std::string>>();
    const Index n = want.dim(0);
    TensorD got(Shape{n, n});
    Index row = 0;
    for (const std::string& name : names) {
      for (Index e = 0; e < c.values.at(name).size(); ++e, ++row) {
        Bindings dir;
        for (const auto& [k, val] : c.values) dir[k] = TensorD(val.shape());
        dir[name][e] = 1;
        Bindings hv = hessian_vector_product(g, c.values, dir);
        Index col = 0;
        for (const std::string& other : names)
          for (Index f = 0; f < hv[other].size(); ++f) got[row * n + col++] = hv[other][f];
      }
    }
    // Elements where torch's double backward is NaN are not compared: at 0^b its own masked
    // formulas meet 0·∞ (the generator's note).
    for (Index k = 0; k < want.size(); ++k)
      if (std::isnan(want[k])) got[k] = want[k];
    EXPECT_EQ(disagreement(got, want, 1e-8), "");
    ++checked;
  }
  EXPECT_GE(checked, 10);
}

// The training kernel in float32 (logits of a few thousand lose the row maximum's precision
// unless it is subtracted before the exponentials).
TEST(EdgeGolden, FloatCrossEntropyWithLabelsAgreesWithTorch) {
  const nlohmann::json fixture = load_fixture();
  for (const auto& c : fixture["float_cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    TensorD zd = wanted(c["logits"], "logits");
    TensorF z(zd.shape());
    for (Index k = 0; k < zd.size(); ++k) z[k] = static_cast<float>(zd[k]);
    std::vector<std::int32_t> labels = c["labels"].get<std::vector<std::int32_t>>();
    TensorF dz;
    float loss = kernels::softmax_cross_entropy_labels(z, labels.data(), &dz);
    EXPECT_NEAR(loss, c["loss"].get<double>(), 2e-6 * std::max(1.0, c["loss"].get<double>()));
    TensorD want = wanted(c["dlogits"], "dlogits");
    for (Index k = 0; k < want.size(); ++k) EXPECT_NEAR(dz[k], want[k], 2e-7) << "element " << k;
  }
}

// Every member of the family, double and float, at a shared offset of 2^44 (double) and 3000
// (float) gives what it gives at offset 0: the row maximum is subtracted first.
template <class T>
void expect_offset_invariant(T offset, double tol) {
  const Shape s{2, 3};
  Tensor<T> z = Tensor<T>::from(s, {T(0.5), T(-1), T(2), T(1), T(1), T(-0.25)});
  Tensor<T> zo = z;
  for (Index k = 0; k < zo.size(); ++k) zo[k] += offset;
  Tensor<T> y = Tensor<T>::from(s, {T(0), T(0), T(1), T(0.5), T(0.5), T(0)});
  Tensor<T> p, po, lp, lpo, d, dofs, dl, dlo;
  kernels::softmax_rows(z, p);
  kernels::softmax_rows(zo, po);
  kernels::log_softmax_rows(z, lp);
  kernels::log_softmax_rows(zo, lpo);
  const T l = kernels::softmax_cross_entropy(z, y, &d), lo = kernels::softmax_cross_entropy(zo, y, &dofs);
  const std::int32_t labels[2] = {2, 0};
  const T ll = kernels::softmax_cross_entropy_labels(z, labels, &dl);
  const T llo = kernels::softmax_cross_entropy_labels(zo, labels, &dlo);
  EXPECT_NEAR(lo, l, tol);
  EXPECT_NEAR(llo, ll, tol);
  for (Index k = 0; k < z.size(); ++k) {
    EXPECT_NEAR(po[k], p[k], tol) << "softmax " << k;
    EXPECT_NEAR(lpo[k], lp[k], tol) << "log_softmax " << k;
    EXPECT_NEAR(dofs[k], d[k], tol) << "∂ce " << k;
    EXPECT_NEAR(dlo[k], dl[k], tol) << "∂ce(labels) " << k;
  }
}
TEST(SoftmaxFamily, ShiftedLogitsGiveTheSameNumbersInDouble) { expect_offset_invariant<double>(17592186044416.0, 1e-15); }
TEST(SoftmaxFamily, ShiftedLogitsGiveTheSameNumbersInFloat) { expect_offset_invariant<float>(3000.0f, 1e-6); }

// Rows of −∞ (all masked) and rows holding +∞ or NaN give torch's NaN, never a silent number.
TEST(SoftmaxFamily, NonFiniteRowsGiveNaNAsTorch) {
  const double inf = std::numeric_limits<double>::infinity();
  TensorD z = TensorD::from(Shape{3, 2}, {-inf, -inf, inf, 1, std::nan(""), 0});
  TensorD p, lp;
  kernels::softmax_rows(z, p);
  kernels::log_softmax_rows(z, lp);
  for (Index k = 0; k < z.size(); ++k) {
    EXPECT_TRUE(std::isnan(p[k])) << k;
    EXPECT_TRUE(std::isnan(lp[k])) << k;
  }
}

}  // namespace
}  // namespace gs
