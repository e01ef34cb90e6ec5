// DESIGN.md's mlp, lenet and spiral benchmark workloads, built from src/nn's models and optimizer
// and stepped by nn::TrainStep exactly as training runs them; tests/bench/torch_peer.py is their
// PyTorch peer (same shapes, batch, optimizer, timing protocol). Depends on src/nn.
#include "bench_nn.h"

#include "nn/config.h"
#include "nn/model.h"
#include "nn/optimizer.h"
#include "nn/rng.h"
#include "nn/train_step.h"

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

// A workload's model (seeded initialisation), its optimizer on the parameter arena, and one batch
// of random inputs and labels (fixed seed).
struct Setup {
  nn::Model<float> model;
  nn::Optimizer<float> opt;
  TensorF x;
  std::vector<std::int32_t> labels;
  explicit Setup(const Workload& w) : model(nn::Model<float>::build(w.model)), opt(w.optimizer) {
    model.init(1);
    opt.attach(model.params(), {model.arena_values(), model.arena_grads(), model.arena_size()});
    nn::Rng rng(7);
    Shape xs{w.batch};
    for (Index d : model.input_shape()) xs.push_back(d);
    x = TensorF(xs);
    for (float& v : x) v = static_cast<float>(rng.uniform());
    labels.resize(static_cast<std::size_t>(w.batch));
    for (auto& l : labels) l = static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(model.outputs())));
  }
};

// Matrix-product FLOPs of one sample's step: each weighted layer's forward product, its dW, and
// its dX except for the first layer (training never needs dX there).
double gemm_flops_per_sample(nn::Model<float>& model) {
  double total = 0;
  bool first = true;
  for (int i = 0; i < model.size(); ++i) {
    std::vector<nn::Param<float>> ps = model.layer(i).params();
    if (ps.empty()) continue;
    const Shape& out = model.shapes()[static_cast<std::size_t>(i)];
    const double forward = 2.0 * static_cast<double>(ps[0].value->size()) * static_cast<double>(out.size() / out[0]);
    total += forward * (first ? 2 : 3);
    first = false;
  }
  return total;
}

}  // namespace

const std::vector<std::string>& nn_bench_workloads() {
  static const std::vector<std::string> names = {"mlp", "lenet", "spiral"};
  return names;
}

std::optional<NnBenchResult> run_nn_bench(std::string_view name, int threads, int steps, bool adaptive) {
  std::optional<Workload> w = workload(name);
  if (!w) return std::nullopt;
  Setup b(*w);
  nn::Model<float>& model = b.model;
  TensorF& x = b.x;
  std::vector<std::int32_t>& labels = b.labels;
  nn::TrainStep step(model, b.opt, nn::LossKind::CrossEntropy, threads, adaptive);

  NnBenchResult result;
  result.gemm_flops = gemm_flops_per_sample(model) * static_cast<double>(w->batch);
  // One step: forward, loss, backward, update, as TrainingRun::step without its bookkeeping.
  long long used = 0, timed = 0;
  auto one = [&](bool count) {
    step.forward_backward(x, labels);
    // The threads of the forward/backward's batch parts, the step's bulk (read before the update,
    // whose arena is often too small to be worth a helper: lenet and spiral reported 1.00; the
    // parts' gradient sum of a small arena runs outside Workers, see TrainStep::run).
    if (count) used += step.workers().active();
    step.update();
    ++result.steps_run;
    if (count) ++timed;
  };
  const int n = steps > 0 ? steps : w->default_steps;
  for (int i = 0; i < std::max(5, n / 10); ++i) one(false);  // warm-up: buffers, caches, threads
  std::vector<double> rounds;
  for (int r = 0; r < 5; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) one(true);
    rounds.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / n);
  }
  std::sort(rounds.begin(), rounds.end());
  result.ms_per_step = rounds[2];
  result.threads_used = timed > 0 ? static_cast<double>(used) / static_cast<double>(timed) : 1.0;
  return result;
}

std::optional<std::vector<NnBenchPhase>> run_nn_breakdown(std::string_view name, int steps) {
  std::optional<Workload> w = workload(name);
  if (!w) return std::nullopt;
  Setup b(*w);
  nn::Model<float>& model = b.model;
  nn::Optimizer<float>& opt = b.opt;
  const TensorF& x = b.x;
  const std::vector<std::int32_t>& labels = b.labels;

  const auto layers = static_cast<std::size_t>(model.size());
  std::vector<TensorF> acts(layers), grads(layers);
  TensorF dz;
  // Phases in order: forward of every layer, the loss, backward from the last layer, the update.
  std::vector<NnBenchPhase> phases;
  for (std::size_t i = 0; i < layers; ++i)
    phases.push_back({std::to_string(i + 1) + " " + model.layer(static_cast<int>(i)).describe() + " forward", 0});
  phases.push_back({"loss (softmax-CE)", 0});
  for (std::size_t i = layers; i-- > 0;)
    phases.push_back({std::to_string(i + 1) + " " + model.layer(static_cast<int>(i)).describe() + " backward", 0});
  phases.push_back({"optimizer update", 0});

  using Clock = std::chrono::steady_clock;
  auto one = [&](bool count) {
    std::size_t k = 0;
    auto timed = [&](auto&& f) {
      const auto t0 = Clock::now();
      f();
      if (count) phases[k].ms += std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      ++k;
    };
    for (std::size_t i = 0; i < layers; ++i)
      timed([&] { model.layer(static_cast<int>(i)).forward(i == 0 ? x : acts[i - 1], acts[i]); });
    timed([&] { nn::compute_loss(nn::LossKind::CrossEntropy, acts.back(), labels.data(), &dz, w->batch); });
    for (std::size_t i = layers; i-- > 0;)
      timed([&] {
        model.layer(static_cast<int>(i)).backward(i == 0 ? x : acts[i - 1], acts[i], i + 1 == layers ? dz : grads[i + 1],
                                                  i == 0 ? nullptr : &grads[i], nn::GradMode::Overwrite);
      });
    timed([&] { opt.step(); });
  };
  const int n = steps > 0 ? steps : w->default_steps;
  for (int i = 0; i < std::max(5, n / 10); ++i) one(false);
  for (int i = 0; i < n; ++i) one(true);
  for (NnBenchPhase& p : phases) p.ms /= n;
  return phases;
}

}  // namespace gs::cli
