// Optimizers against torch.optim 1.13 trajectories (fixtures/optimizers.json, made by
// fixtures/make_optimizers.py), seed 002's momentum recurrence, and the two momentum forms.
#include "nn/errors.h"
#include "nn/optimizer.h"
#include "nn/schedule.h"
#include "test_util.h"

#include <cmath>
#include <string>
#include <vector>

namespace gs::nn {
namespace {

using testing::all_close;
using testing::load_fixture;

TensorD tensor_from(const nlohmann::json& j, const Shape& shape) {
  TensorD t(shape);
  std::vector<double> flat;
  if (j[0].is_array())
    for (const auto& row : j)
      for (double v : row) flat.push_back(v);
  else
    flat = j.get<std::vector<double>>();
  std::copy(flat.begin(), flat.end(), t.begin());
  return t;
}

struct Problem {
  TensorD w, b, gw, gb, cw, cb;
  explicit Problem(const nlohmann::json& f)
      : w(tensor_from(f["W0"], {3, 4})), b(tensor_from(f["b0"], {4})), gw(Shape{3, 4}), gb(Shape{4}),
        cw(tensor_from(f["cW"], {3, 4})), cb(tensor_from(f["cb"], {4})) {}
  // ∇(Σ c∘x² + Σ sin x) = 2c∘x + cos x
  void gradient() {
    gw.array() = 2 * cw.array() * w.array() + w.array().cos();
    gb.array() = 2 * cb.array() * b.array() + b.array().cos();
  }
  std::vector<Param<double>> params() { return {{"W", &w, &gw, 0}, {"b", &b, &gb, 0}}; }
  std::vector<double> flat() const {
    std::vector<double> out(w.begin(), w.end());
    out.insert(out.end(), b.begin(), b.end());
    return out;
  }
};

TEST(Optimizer, TrajectoriesMatchTorch) {
  nlohmann::json f = load_fixture("optimizers.json");
  for (const auto& c : f["cases"]) {
    Problem p(f);
    Optimizer<double> opt(parse_optimizer(c["optimizer"]));
    opt.attach(p.params());
    auto group = std::make_shared<LrGroup>();
    group->lr = opt.lr();
    std::unique_ptr<Scheduler> schedule;
    if (c.contains("schedule")) schedule = make_scheduler(c["schedule"], group);
    std::vector<double> got, want;
    for (const auto& expected : c["trajectory"]) {
      if (schedule) opt.set_lr(schedule->lr());
      p.gradient();
      opt.step();
      if (schedule) schedule->step();
      auto now = p.flat();
      got.insert(got.end(), now.begin(), now.end());
      for (double v : expected) want.push_back(v);
    }
    EXPECT_TRUE(all_close(got, want, 1e-11, 1e-13)) << c["optimizer"].dump();
  }
}

// Seed 002: v_t = μ v_{t−1} − η ∇L(θ_{t−1}), θ_t = θ_{t−1} + v_t, with grad += λW for weight decay.
TEST(Optimizer, Seed002MomentumFollowsItsRecurrence) {
  nlohmann::json f = load_fixture("optimizers.json");
  Problem p(f), q(f);
  Optimizer<double> opt(parse_optimizer({{"name", "sgd"}, {"lr", 0.05}, {"momentum", 0.9}, {"form", "seed002"},
                                         {"weight_decay", 0.01}}));
  opt.attach(p.params());
  TensorD vw(Shape{3, 4}), vb(Shape{4});
  for (int t = 0; t < 20; ++t) {
    double lr = t < 10 ? 0.05 : 0.02;
    opt.set_lr(lr);
    p.gradient();
    opt.step();
    q.gradient();
    vw.array() = 0.9 * vw.array() - lr * (q.gw.array() + 0.01 * q.w.array());
    vb.array() = 0.9 * vb.array() - lr * (q.gb.array() + 0.01 * q.b.array());
    q.w.array() += vw.array();
    q.b.array() += vb.array();
  }
  EXPECT_TRUE(all_close(p.flat(), q.flat(), 1e-13, 1e-15));
}

// update_range works through long ranges a chunk at a time (prefetching the next one): cuts of
// any size, across chunks and parameters, still give every element PyTorch's recurrence bit for
// bit (v = g, then v = μv + g; θ += −η·v), for SGD with momentum and for Adam against step().
TEST(Optimizer, UpdateInAnyCutOfALongArenaGivesEachElementsRecurrence) {
  const Index sizes[] = {3001, 1500, 7};  // pieces that straddle the 1024-element chunks
  for (const char* kind : {"sgd", "adam"}) {
    std::vector<TensorF> values, grads, ref_values, ref_grads;
    for (Index n : sizes) {
      TensorF v(Shape{n}), g(Shape{n});
      for (Index i = 0; i < n; ++i) v[i] = std::sin(0.37f * static_cast<float>(i + n));
      values.push_back(v), grads.push_back(g), ref_values.push_back(v), ref_grads.push_back(g);
    }
    const auto params = [](std::vector<TensorF>& v, std::vector<TensorF>& g) {
      std::vector<Param<float>> out;
      for (std::size_t j = 0; j < v.size(); ++j) out.push_back({"p" + std::to_string(j), &v[j], &g[j], 0});
      return out;
    };
    nlohmann::json spec = {{"name", kind}, {"lr", 0.05}};
    if (std::string(kind) == "sgd") spec["momentum"] = 0.9;
    Optimizer<float> cut(parse_optimizer(spec)), whole(parse_optimizer(spec));
    cut.attach(params(values, grads));
    whole.attach(params(ref_values, ref_grads));
    std::vector<float> momentum(static_cast<std::size_t>(cut.flat_size()));
    for (int t = 0; t < 3; ++t) {
      for (std::size_t j = 0; j < values.size(); ++j)
        for (Index i = 0; i < values[j].size(); ++i)
          grads[j][i] = ref_grads[j][i] = std::cos(values[j][i] * static_cast<float>(t + 1));
      std::vector<float> expected;
      if (std::string(kind) == "sgd") {
        std::size_t at = 0;
        for (std::size_t j = 0; j < values.size(); ++j)
          for (Index i = 0; i < values[j].size(); ++i, ++at) {
            momentum[at] = t == 0 ? grads[j][i] : momentum[at] * 0.9f + 1.0f * grads[j][i];
            expected.push_back(values[j][i] + -0.05f * momentum[at]);
          }
      }
      cut.begin_step();
      const Index n = cut.flat_size();
      for (Index b : {Index{3777}, Index{1000}, Index{0}}) {  // out of order, uneven
        const Index e = b == 3777 ? n : b == 1000 ? 3777 : 1000;
        cut.update_range(b, e);
      }
      whole.step();
      std::size_t at = 0;
      for (std::size_t j = 0; j < values.size(); ++j)
        for (Index i = 0; i < values[j].size(); ++i, ++at) {
          ASSERT_EQ(values[j][i], ref_values[j][i]) << kind << " step " << t + 1 << " parameter " << j << " [" << i << "]";
          if (!expected.empty()) {
            ASSERT_EQ(values[j][i], expected[at]) << kind << " step " << t + 1 << " parameter " << j << " [" << i << "]";
          }
        }
    }
  }
}

// The two momentum forms agree while η is constant (v_seed = −η·v_torch) and part once it changes.
TEST(Optimizer, MomentumFormsDifferOnlyWhenLrChanges) {
  nlohmann::json f = load_fixture("optimizers.json");
  auto run = [&](const char* form, bool change) {
    Problem p(f);
    Optimizer<double> opt(parse_optimizer({{"name", "sgd"}, {"lr", 0.05}, {"momentum", 0.9}, {"form", form}}));
    opt.attach(p.params());
    for (int t = 0; t < 12; ++t) {
      if (change && t == 6) opt.set_lr(0.01);
      p.gradient();
      opt.step();
    }
    return p.flat();
  };
  EXPECT_TRUE(all_close(run("pytorch", false), run("seed002", false), 1e-12, 1e-14));
  auto a = run("pytorch", true), b = run("seed002", true);
  double largest = 0;
  for (std::size_t i = 0; i < a.size(); ++i) largest = std::max(largest, std::abs(a[i] - b[i]));
  EXPECT_GT(largest, 1e-3);
}

TEST(Optimizer, FloatStepTracksDoubleStep) {
  nlohmann::json f = load_fixture("optimizers.json");
  Problem p(f);
  TensorF w = p.w.cast<float>(), gw = p.gw.cast<float>();
  Optimizer<float> of(parse_optimizer({{"name", "adam"}, {"lr", 0.01}}));
  of.attach({{"W", &w, &gw, 0}});
  Optimizer<double> od(parse_optimizer({{"name", "adam"}, {"lr", 0.01}}));
  od.attach({{"W", &p.w, &p.gw, 0}});
  for (int t = 0; t < 10; ++t) {
    p.gradient();
    gw = p.gw.cast<float>();
    of.step();
    od.step();
  }
  std::vector<double> wf(w.begin(), w.end()), wd(p.w.begin(), p.w.end());
  EXPECT_TRUE(all_close(wf, wd, 1e-5, 1e-6));
}

TEST(Optimizer, ClipGradNormScalesToTheLimit) {
  TensorD g1 = TensorD::from({2}, {3, 0}), g2 = TensorD::from({1}, {4}), v1(Shape{2}), v2(Shape{1});
  std::vector<Param<double>> ps = {{"a", &v1, &g1, 0}, {"b", &v2, &g2, 0}};
  EXPECT_DOUBLE_EQ(clip_grad_norm(ps, 1.0), 5.0);
  EXPECT_NEAR(grad_norm(ps), 1.0, 1e-6);
  EXPECT_NEAR(g1[0], 0.6, 1e-6);
  EXPECT_NEAR(g2[0], 0.8, 1e-6);
}

TEST(Optimizer, RejectsBadSpecs) {
  auto fails_with = [](const nlohmann::json& spec, const std::string& fragment) {
    try {
      parse_optimizer(spec);
      ADD_FAILURE() << "accepted " << spec.dump();
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  fails_with({{"name", "rmsprop"}}, "optimizer: name must be one of sgd, adam, adamw, got 'rmsprop'");
  fails_with({{"name", "sgd"}, {"lr", -0.1}}, "optimizer: lr must be >= 0, got -0.1");
  fails_with({{"name", "sgd"}, {"nesterov", true}}, "needs momentum > 0");
  fails_with({{"name", "adam"}, {"betas", {0.9, 1.5}}}, "betas must lie in [0, 1)");
  fails_with({{"name", "adam"}, {"momentum", 0.9}}, "optimizer: unknown key 'momentum'");
}

}  // namespace
}  // namespace gs::nn
