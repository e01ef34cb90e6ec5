// DESIGN.md's mlp, lenet and spiral benchmark workloads, built from src/nn's models and optimizer
// exactly as training runs them; tests/bench/*.py are their PyTorch peers (same shapes, batch,
// optimizer, timing protocol). Depends on src/nn and Eigen (thread count).
#include "bench_nn.h"

#include "nn/config.h"
#include "nn/model.h"
#include "nn/optimizer.h"
#include "nn/rng.h"

#include <Eigen/Core>

#include <algorithm>
#include <chrono>

namespace gs::cli {
namespace {

struct Workload {
  std::string name;
  nlohmann::json model;
  Index batch;
  nn::OptimizerConfig optimizer;
  int default_steps;
};

std::optional<Workload> workload(std::string_view name) {
  nn::OptimizerConfig sgd_momentum;
  sgd_momentum.lr = 0.01;
  sgd_momentum.momentum = 0.9;
  if (name == "mlp") return Workload{"mlp", nn::mlp_model({784}, {256, 128, 10}, "relu"), 128, sgd_momentum, 300};
  if (name == "lenet") return Workload{"lenet", nn::lenet_model(), 64, sgd_momentum, 200};
  if (name == "spiral") {
    nn::OptimizerConfig sgd;
    sgd.lr = 0.1;
    return Workload{"spiral", nn::mlp_model({2}, {16, 16, 3}, "tanh"), 32, sgd, 5000};
  }
  return std::nullopt;
}

}  // namespace

const std::vector<std::string>& nn_bench_workloads() {
  static const std::vector<std::string> names = {"mlp", "lenet", "spiral"};
  return names;
}

std::optional<double> run_nn_bench(std::string_view name, int threads, int steps) {
  std::optional<Workload> w = workload(name);
  if (!w) return std::nullopt;
  Eigen::setNbThreads(threads);
  nn::Model<float> model = nn::Model<float>::build(w->model);
  model.init(1);
  nn::Optimizer<float> opt(w->optimizer);
  opt.attach(model.params());

  nn::Rng rng(7);
  Shape xs{w->batch};
  for (Index d : model.input_shape()) xs.push_back(d);
  TensorF x(xs);
  for (float& v : x) v = static_cast<float>(rng.uniform());
  std::vector<std::int32_t> labels(static_cast<std::size_t>(w->batch));
  for (auto& l : labels) l = static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(model.outputs())));
  TensorF dz;

  // One step: forward, loss, backward, update (as TrainingRun::step, without its bookkeeping).
  auto step = [&] {
    const TensorF& z = model.forward(x);
    nn::compute_loss(nn::LossKind::CrossEntropy, z, labels, &dz);
    model.zero_grad();
    model.backward(dz);
    opt.step();
  };
  const int n = steps > 0 ? steps : w->default_steps;
  for (int i = 0; i < std::max(5, n / 10); ++i) step();  // warm-up: buffers, caches, threads
  std::vector<double> rounds;
  for (int r = 0; r < 5; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) step();
    rounds.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / n);
  }
  std::sort(rounds.begin(), rounds.end());
  return rounds[2];
}

}  // namespace gs::cli
