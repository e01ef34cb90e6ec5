// Layers and models: finite-difference checks of every layer's backward (double), seed 002's
// linear-layer formulas as known values, PyTorch's initialisation bounds, and the build-time shape
// check with its message.
#include "nn/config.h"
#include "nn/errors.h"
#include "nn/model.h"
#include "test_util.h"

#include <cmath>

namespace gs::nn {
namespace {

using testing::all_close;

TensorD random_tensor(const Shape& s, Rng& rng, double scale = 1.0) {
  TensorD t(s);
  for (double& v : t) v = rng.uniform(-scale, scale);
  return t;
}

// L(x, θ) = Σ R ∘ layer(x): its gradient is the layer's backward applied to R.
double weighted_output(Layer<double>& layer, const TensorD& x, const TensorD& r) {
  TensorD y;
  layer.forward(x, y);
  double s = 0;
  for (Index i = 0; i < y.size(); ++i) s += y[i] * r[i];
  return s;
}

// Central differences of L against every element of `t` (the input or a parameter).
std::vector<double> numeric_gradient(Layer<double>& layer, TensorD& x, const TensorD& r, TensorD& t) {
  const double h = 1e-6;
  std::vector<double> g(static_cast<std::size_t>(t.size()));
  for (Index i = 0; i < t.size(); ++i) {
    double keep = t[i];
    t[i] = keep + h;
    double up = weighted_output(layer, x, r);
    t[i] = keep - h;
    double down = weighted_output(layer, x, r);
    t[i] = keep;
    g[static_cast<std::size_t>(i)] = (up - down) / (2 * h);
  }
  return g;
}

void check_layer(const nlohmann::json& spec, const Shape& sample, Index batch = 3) {
  SCOPED_TRACE(spec.dump());
  Rng rng(42);
  auto layer = make_layer<double>(spec, sample, "layer 1", sample);
  layer->init(rng);
  Shape xs{batch};
  for (Index d : sample) xs.push_back(d);
  TensorD x = random_tensor(xs, rng);
  TensorD y;
  layer->forward(x, y);
  TensorD r = random_tensor(y.shape(), rng);

  layer->zero_grad();
  TensorD gx;
  layer->backward(x, y, r, &gx);
  ASSERT_EQ(gx.shape(), x.shape());
  EXPECT_TRUE(all_close(std::vector<double>(gx.begin(), gx.end()), numeric_gradient(*layer, x, r, x), 1e-6, 1e-8))
      << "dX";
  for (auto& p : layer->params()) {
    EXPECT_TRUE(all_close(std::vector<double>(p.grad->begin(), p.grad->end()), numeric_gradient(*layer, x, r, *p.value),
                          1e-6, 1e-8))
        << p.name;
  }
}

TEST(Layers, LinearBackwardMatchesFiniteDifferences) { check_layer({{"type", "linear"}, {"out", 4}}, Shape{5}); }
TEST(Layers, ConvBackwardMatchesFiniteDifferences) {
  check_layer({{"type", "conv"}, {"out_channels", 3}, {"kernel", 3}, {"padding", 1}}, Shape{2, 5, 6}, 2);
  check_layer({{"type", "conv"}, {"out_channels", 2}, {"kernel", 2}, {"stride", 2}}, Shape{3, 6, 5}, 2);
}
TEST(Layers, PoolingBackwardMatchesFiniteDifferences) {
  check_layer({{"type", "maxpool"}, {"kernel", 2}}, Shape{2, 6, 6});
  check_layer({{"type", "maxpool"}, {"kernel", 3}, {"stride", 2}}, Shape{1, 7, 7});
  check_layer({{"type", "avgpool"}, {"kernel", 2}}, Shape{2, 4, 6});
  // torch's options (issue 10)
  check_layer({{"type", "maxpool"}, {"kernel", 3}, {"stride", 2}, {"padding", 1}, {"ceil_mode", true}}, Shape{2, 6, 7});
  check_layer({{"type", "avgpool"}, {"kernel", 3}, {"stride", 2}, {"padding", 1}, {"ceil_mode", true},
               {"count_include_pad", false}},
              Shape{1, 6, 5});
}

// A pool layer's torch options: read, described, written back (only where they differ from
// torch's defaults) and checked as torch checks them.
TEST(Layers, PoolOptionsAreReadDescribedAndChecked) {
  const nlohmann::json spec = {{"type", "avgpool"}, {"kernel", 3}, {"stride", 2}, {"padding", 1},
                               {"ceil_mode", true}, {"count_include_pad", false}};
  const LayerSpec s = parse_layer_spec(spec, Shape{2, 6, 6}, "layer 3", Shape{2, 6, 6});
  EXPECT_EQ(s.padding, 1);
  EXPECT_TRUE(s.ceil_mode);
  EXPECT_FALSE(s.count_include_pad);
  EXPECT_EQ(output_shape(s, Shape{2, 6, 6}), (Shape{2, 4, 4}));
  EXPECT_EQ(describe(s), "AvgPool2D(3, stride 2, pad 1, ceil, pad not counted)");
  EXPECT_EQ(parse_layer_spec(to_json(s), Shape{2, 6, 6}, "layer 3", Shape{2, 6, 6}), s);
  const LayerSpec plain = parse_layer_spec({{"type", "maxpool"}, {"kernel", 2}}, Shape{1, 4, 4}, "layer 1", Shape{1, 4, 4});
  EXPECT_EQ(to_json(plain).dump(), R"({"type":"maxpool","kernel":2,"stride":2})") << "defaults are not written";
  auto error = [](const nlohmann::json& j) {
    try {
      parse_layer_spec(j, Shape{1, 6, 6}, "layer 2", Shape{1, 6, 6});
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  EXPECT_EQ(error({{"type", "maxpool"}, {"kernel", 3}, {"padding", 2}}),
            "layer 2: MaxPool2D(3, pad 2) after a [1×6×6] output: padding 2 is more than half the window (at most 1, as "
            "in PyTorch)");
  EXPECT_NE(error({{"type", "maxpool"}, {"count_include_pad", false}}).find("count_include_pad"), std::string::npos)
      << "only avgpool has count_include_pad";
  EXPECT_NE(error({{"type", "avgpool"}, {"ceil_mode", 1}}).find("ceil_mode"), std::string::npos);
}
TEST(Layers, PaddingAndFlattenBackwardMatchFiniteDifferences) {
  check_layer({{"type", "pad"}, {"padding", 2}}, Shape{2, 3, 4});
  check_layer({{"type", "flatten"}}, Shape{2, 3, 4});
}
TEST(Layers, ActivationsBackwardMatchFiniteDifferences) {
  check_layer({{"type", "relu"}}, Shape{7});
  check_layer({{"type", "sigmoid"}}, Shape{7});
  check_layer({{"type", "tanh"}}, Shape{2, 3, 3});
}

// Seed 002: Y = XW + b, dX = G·Wᵀ, dW = Xᵀ·G, db = Σ_i G_i.
TEST(Layers, LinearFollowsSeed002Formulas) {
  Linear<double> lin(2, 3);
  lin.weight = TensorD::from({2, 3}, {1, 2, 3, 4, 5, 6});
  lin.bias = TensorD::from({3}, {0.5, -1, 2});
  TensorD x = TensorD::from({2, 2}, {1, -1, 2, 0.5});
  TensorD y;
  lin.forward(x, y);
  EXPECT_TRUE(all_close(std::vector<double>(y.begin(), y.end()), std::vector<double>{-2.5, -4, -1, 4.5, 5.5, 11}, 1e-15));
  TensorD g = TensorD::from({2, 3}, {1, 0, -1, 2, 1, 0}), gx;
  lin.zero_grad();
  lin.backward(x, y, g, &gx);
  EXPECT_TRUE(all_close(std::vector<double>(gx.begin(), gx.end()), std::vector<double>{-2, -2, 4, 13}, 1e-15));
  EXPECT_TRUE(all_close(std::vector<double>(lin.weight_grad.begin(), lin.weight_grad.end()),
                        std::vector<double>{5, 2, -1, 0, 0.5, 1}, 1e-15));
  EXPECT_TRUE(all_close(std::vector<double>(lin.bias_grad.begin(), lin.bias_grad.end()), std::vector<double>{3, 1, -1}, 1e-15));
  // Gradients accumulate until zeroed.
  lin.backward(x, y, g, nullptr);
  EXPECT_DOUBLE_EQ(lin.bias_grad[0], 6);
}

TEST(Layers, InitialisationFollowsPyTorchBounds) {
  Rng rng(1);
  Linear<float> lin(400, 120);
  lin.init(rng);
  const float bound = 1.0f / 20.0f;
  float largest = 0;
  double mean = 0;
  for (float v : lin.weight) {
    largest = std::max(largest, std::abs(v));
    mean += v;
  }
  EXPECT_LE(largest, bound);
  EXPECT_GT(largest, 0.99f * bound);
  EXPECT_NEAR(mean / lin.weight.size(), 0.0, 0.002);
  Conv2D<float> conv(6, 16, 5, 1, 0);
  conv.init(rng);
  for (float v : conv.weight) ASSERT_LE(std::abs(v), 1.0f / std::sqrt(150.0f));
}

nlohmann::json lenet_spec(long long first_linear_in) {
  nlohmann::json spec = lenet_model();
  spec["layers"][7]["in"] = first_linear_in;
  return spec;
}

TEST(Model, BuildChecksShapesAndNamesTheLayer) {
  Model<float> ok = Model<float>::build(lenet_spec(400));
  EXPECT_EQ(ok.shapes()[5], (Shape{16, 5, 5}));
  EXPECT_EQ(ok.outputs(), 10);
  EXPECT_EQ(ok.parameter_count(), 156 + 2416 + 48120 + 10164 + 850);
  nlohmann::json bad = lenet_spec(400);
  bad["input"] = {1, 24, 24};
  try {
    Model<float>::build(bad);
    FAIL() << "accepted a LeNet on 24×24 inputs";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "layer 8: Linear(400,120) after a [16×4×4] output: expected 256 inputs");
  }
  nlohmann::json no_flatten = {{"input", {1, 8, 8}}, {"layers", {{{"type", "linear"}, {"out", 3}}}}};
  try {
    Model<float>::build(no_flatten);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("insert a flatten layer"), std::string::npos) << e.what();
  }
  try {
    Model<float>::build({{"input", {2}}, {"layers", {{{"type", "dense"}}}}});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("layer 1: type must be one of linear"), std::string::npos) << e.what();
  }
}

// The whole sweep: loss(model(x)) against finite differences through every layer.
TEST(Model, BackwardThroughLossMatchesFiniteDifferences) {
  nlohmann::json spec = {{"input", {1, 6, 6}},
                         {"layers",
                          {{{"type", "pad"}, {"padding", 1}},
                           {{"type", "conv"}, {"out_channels", 2}, {"kernel", 3}},
                           {{"type", "tanh"}},
                           {{"type", "avgpool"}, {"kernel", 2}},
                           {{"type", "flatten"}},
                           {{"type", "linear"}, {"out", 4}},
                           {{"type", "sigmoid"}},
                           {{"type", "linear"}, {"out", 3}}}}};
  for (LossKind kind : {LossKind::CrossEntropy, LossKind::Mse, LossKind::Hinge}) {
    SCOPED_TRACE(loss_name(kind));
    Model<double> m = Model<double>::build(spec);
    m.init(3);
    Rng rng(5);
    TensorD x = random_tensor({4, 1, 6, 6}, rng);
    std::vector<std::int32_t> labels = {0, 2, 1, 2};
    TensorD dz;
    compute_loss(kind, m.forward(x), labels, &dz);
    m.zero_grad();
    m.backward(dz);
    for (auto& p : m.params()) {
      std::vector<double> numeric;
      for (Index i = 0; i < p.value->size(); ++i) {
        double keep = (*p.value)[i];
        (*p.value)[i] = keep + 1e-6;
        double up = compute_loss<double>(kind, m.forward(x), labels, nullptr);
        (*p.value)[i] = keep - 1e-6;
        double down = compute_loss<double>(kind, m.forward(x), labels, nullptr);
        (*p.value)[i] = keep;
        numeric.push_back((up - down) / 2e-6);
      }
      EXPECT_TRUE(all_close(std::vector<double>(p.grad->begin(), p.grad->end()), numeric, 1e-5, 1e-8)) << p.name;
    }
  }
}

}  // namespace
}  // namespace gs::nn
