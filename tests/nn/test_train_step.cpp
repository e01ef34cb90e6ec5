// A training step cut into batch parts: the parameter arena (aligned views), Workers (every part
// run once, errors rethrown), and the arithmetic fixed by the parts, never by the threads that
// happened to run them (these also run under ThreadSanitizer: scripts/test-tsan).
#include "nn/config.h"
#include "nn/errors.h"
#include "nn/model.h"
#include "nn/optimizer.h"
#include "nn/rng.h"
#include "nn/train_step.h"
#include "nn/workers.h"
#include "test_util.h"

#include <atomic>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace gs::nn {
namespace {

using testing::all_close;

struct Batch {
  TensorF x;
  std::vector<std::int32_t> labels;
};

Batch random_batch(const Model<float>& model, Index rows, std::uint64_t seed) {
  Rng rng(seed);
  Shape s{rows};
  for (Index d : model.input_shape()) s.push_back(d);
  Batch b{TensorF(s), std::vector<std::int32_t>(static_cast<std::size_t>(rows))};
  for (float& v : b.x) v = static_cast<float>(rng.uniform());
  for (auto& l : b.labels) l = static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(model.outputs())));
  return b;
}

// A small LeNet-like model: convolution, pooling and linear layers, so that every layer kind
// takes part.
nlohmann::json small_cnn() {
  return {{"input", {1, 12, 12}},
          {"layers",
           {{{"type", "conv"}, {"out_channels", 8}, {"kernel", 3}, {"padding", 1}},
            {{"type", "relu"}},
            {{"type", "maxpool"}, {"kernel", 2}},
            {{"type", "flatten"}},
            {{"type", "linear"}, {"out", 24}},
            {{"type", "tanh"}},
            {{"type", "linear"}, {"out", 5}}}}};
}

OptimizerConfig sgd_momentum() {
  OptimizerConfig c;
  c.lr = 0.05;
  c.momentum = 0.9;
  return c;
}

// A model and its optimizer, stepped by a TrainStep of `threads` parts.
struct Stepper {
  Model<float> model;
  Optimizer<float> optimizer;
  TrainStep step;
  Stepper(const nlohmann::json& spec, int threads, bool adaptive = false)
      : model(Model<float>::build(spec)),
        optimizer(sgd_momentum()),
        step((model.init(3), model), optimizer, LossKind::CrossEntropy, threads, adaptive) {
    optimizer.attach(model.params(), {model.arena_values(), model.arena_grads(), model.arena_size()});
  }
  std::vector<float> values() { return {model.arena_values(), model.arena_values() + model.arena_size()}; }
  std::vector<float> grads() { return {model.arena_grads(), model.arena_grads() + model.arena_size()}; }
};

TEST(ParameterArena, EveryParameterIsAnAlignedViewIntoOneBlock) {
  Model<float> m = Model<float>::build(small_cnn());
  m.init(1);
  const float* values = m.arena_values();
  const float* grads = m.arena_grads();
  Index total = 0;
  for (const Param<float>& p : m.params()) {
    total += p.value->size();
    EXPECT_TRUE(p.value->is_view()) << p.name;
    EXPECT_TRUE(p.grad->is_view()) << p.name;
    const std::ptrdiff_t at = p.value->data() - values;
    EXPECT_GE(at, 0) << p.name;
    EXPECT_LE(at + p.value->size(), m.arena_size()) << p.name;
    EXPECT_EQ(p.grad->data() - grads, at) << p.name << ": gradient and value at the same offset";
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p.value->data()) % kStorageAlignment, 0u) << p.name;
  }
  EXPECT_EQ(total, m.parameter_count());
  // The initialisation went into the arena: no parameter is left all zeros.
  for (const Param<float>& p : m.params()) {
    bool any = false;
    for (float v : *p.value) any = any || v != 0.0f;
    EXPECT_TRUE(any) << p.name;
  }
}

TEST(Workers, RunEveryPartOnceAndRethrowTheFirstError) {
  Workers w(2, /*adaptive=*/false);
  for (int parts : {1, 2, 3, 7}) {
    std::vector<std::atomic<int>> runs(static_cast<std::size_t>(parts));
    w.run(parts, [&](int p) { runs[static_cast<std::size_t>(p)].fetch_add(1); });
    for (int p = 0; p < parts; ++p) EXPECT_EQ(runs[static_cast<std::size_t>(p)].load(), 1) << parts << " parts";
  }
  EXPECT_EQ(w.active(), 2);
  std::vector<std::atomic<int>> runs(5);
  EXPECT_THROW(w.run(5,
                     [&](int p) {
                       runs[static_cast<std::size_t>(p)].fetch_add(1);
                       if (p == 3) throw std::runtime_error("part 3");
                     }),
               std::runtime_error);
  for (int p = 0; p < 5; ++p) EXPECT_EQ(runs[static_cast<std::size_t>(p)].load(), 1) << "part " << p << " still ran";
  // Still usable after an error; work too small for a helper runs on the caller.
  int sum = 0;
  w.run(4, [&](int p) { sum += p; }, /*worth_threads=*/false);
  EXPECT_EQ(sum, 6);
  EXPECT_EQ(w.active(), 1);
}

// The parts fix the arithmetic; whether one thread or two ran them never changes a bit.
TEST(TrainStep, ThreadsThatRunThePartsNeverChangeTheBits) {
  // Both large enough for a helper to take part in every phase (arena above 2 × 65536 elements).
  for (const nlohmann::json& spec : {small_cnn(), mlp_model({256}, {256, 256, 10}, "tanh")}) {
    Stepper two(spec, 2), one(spec, 2);
    one.step.workers().set_thread_limit(1);
    for (int i = 0; i < 6; ++i) {
      Batch b = random_batch(two.model, 33, 100 + static_cast<std::uint64_t>(i));  // odd: unequal parts
      TrainStep::Result r2 = two.step.forward_backward(b.x, b.labels);
      if (two.model.arena_size() > 2 * 65536) { EXPECT_EQ(two.step.workers().active(), 2); }
      TrainStep::Result r1 = one.step.forward_backward(b.x, b.labels);
      EXPECT_EQ(r2.loss, r1.loss) << "step " << i + 1;
      EXPECT_EQ(r2.correct, r1.correct);
      two.step.update();
      one.step.update();
    }
    EXPECT_EQ(one.step.workers().active(), 1);
    const std::vector<float> a = two.values(), b = one.values();
    EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0) << spec.dump();
  }
}

// Two parts compute the gradient of the whole batch: the sum of their halves, the same as one
// part's up to rounding.
TEST(TrainStep, PartsTogetherGiveTheWholeBatchGradient) {
  Stepper two(small_cnn(), 2), one(small_cnn(), 1);
  Batch b = random_batch(two.model, 20, 9);
  TrainStep::Result r2 = two.step.forward_backward(b.x, b.labels);
  TrainStep::Result r1 = one.step.forward_backward(b.x, b.labels);
  EXPECT_NEAR(r2.loss, r1.loss, 1e-6);
  EXPECT_EQ(r2.correct, r1.correct);
  EXPECT_TRUE(all_close(two.grads(), one.grads(), 1e-4, 1e-6));
  // Overwritten, not added: a second pass over the same batch gives the same gradient.
  two.step.forward_backward(b.x, b.labels);
  EXPECT_TRUE(all_close(two.grads(), one.grads(), 1e-4, 1e-6));
  // Evaluation gives the same loss and leaves the gradients alone.
  const std::vector<float> g = two.grads();
  TrainStep::Result e = two.step.evaluate(b.x, b.labels);
  EXPECT_EQ(e.loss, r2.loss);
  EXPECT_EQ(two.grads(), g);
  // More parts than rows: one row each.
  Batch tiny = random_batch(two.model, 1, 4);
  EXPECT_EQ(two.step.parts_for(1), 1);
  EXPECT_NO_THROW(two.step.forward_backward(tiny.x, tiny.labels));
}

TEST(TrainStep, ALabelOutsideTheOutputsIsAnInputError) {
  Stepper s(small_cnn(), 2);
  Batch b = random_batch(s.model, 8, 1);
  b.labels[5] = 5;
  EXPECT_THROW(s.step.forward_backward(b.x, b.labels), InputError);
}

}  // namespace
}  // namespace gs::nn
