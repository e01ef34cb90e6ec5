// The parameter snapshot the training thread publishes (snapshot.h): whole snapshots under a
// concurrent reader (never a torn one), no allocation when publishing, and what a Trainer publishes
// — the initial state, the state it pauses in, each epoch's end with the test set's predictions, the
// parameters a synchronous run has at the same step, bit for bit. The SnapshotChannel.* and
// Trainer.* tests also run under ThreadSanitizer (scripts/test-tsan).
#include "nn/config.h"
#include "nn/snapshot.h"
#include "nn/trainer.h"
#include "test_util.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <new>
#include <thread>

// Counts allocations made on a thread while it asks for counting: publish() must make none. (The
// replacement pair is malloc/free on both sides; GCC cannot see that through gtest's inlined code.)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
namespace {
thread_local bool g_count_allocations = false;
thread_local long g_allocations = 0;
}  // namespace

void* operator new(std::size_t n) {
  if (g_count_allocations) ++g_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  if (g_count_allocations) ++g_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
// The nothrow forms too (std::stable_sort's buffer): under AddressSanitizer they would otherwise
// stay ASan's own, and the delete above would free() what ASan's operator new gave.
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  if (g_count_allocations) ++g_allocations;
  return std::malloc(n ? n : 1);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  if (g_count_allocations) ++g_allocations;
  return std::malloc(n ? n : 1);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace gs::nn {
namespace {

// Two parameters (a 3×4 weight, a 4-element bias) whose every element the test sets at once.
struct FakeModel {
  TensorF w{Shape{3, 4}}, b{Shape{4}}, gw{Shape{3, 4}}, gb{Shape{4}};
  std::vector<Param<float>> params() {
    return {{"layer 1 Linear(3,4) weight", &w, &gw, 0}, {"layer 1 Linear(3,4) bias", &b, &gb, 0}};
  }
  void set(float k) {
    w.fill(k);
    b.fill(k);
    gw.fill(-k);
    gb.fill(-k);
  }
};

// Every element of a snapshot says the same k, and the step is k: not torn between publishes.
bool whole(const ModelSnapshot& s) {
  const float k = static_cast<float>(s.step);
  for (std::size_t i = 0; i < s.values.size(); ++i) {
    for (float v : s.values[i])
      if (v != k) return false;
    for (float g : s.grads[i])
      if (g != -k) return false;
  }
  for (std::int32_t p : s.predictions)
    if (p != static_cast<std::int32_t>(s.step % 7)) return false;
  return s.predictions_step == s.step;
}

TEST(SnapshotChannel, ReaderNeverSeesATornSnapshot) {
  FakeModel m;
  SnapshotChannel channel;
  channel.prepare(m.params(), 5);
  constexpr int kPublishes = 3000;
  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, torn{0};
  std::atomic<bool> started{false};
  std::thread reader([&] {
    ModelSnapshot s;
    std::uint64_t last = 0;
    started = true;
    while (!done.load()) {
      if (!channel.read_if_newer(&s)) continue;
      if (s.version <= last) ++torn;  // versions only grow
      last = s.version;
      if (!whole(s)) ++torn;
      ++reads;
    }
  });
  std::vector<std::int32_t> predictions(5);
  const auto params = m.params();
  while (!started.load()) std::this_thread::yield();
  int k = 1;
  // At least kPublishes, and until the reader has caught a few mid-stream (on a loaded machine a
  // fast writer can otherwise finish before the reader is scheduled at all).
  for (; k <= kPublishes || (reads.load() < 20 && k < 10000 * kPublishes); ++k) {
    if (k % 1000 == 0) std::this_thread::yield();
    m.set(static_cast<float>(k));
    std::fill(predictions.begin(), predictions.end(), k % 7);
    channel.publish(params, k, 0, &predictions, k);
  }
  // The last publish is always readable once the writer is done.
  ModelSnapshot last;
  while (!channel.read_if_newer(&last)) {
  }
  done = true;
  reader.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(last.step, k - 1);
  EXPECT_EQ(last.version, static_cast<std::uint64_t>(k - 1));
  EXPECT_TRUE(whole(last));
  EXPECT_EQ(last.names[0], "layer 1 Linear(3,4) weight");
  EXPECT_EQ(last.values[0].shape(), (Shape{3, 4}));
  // Nothing newer: the reader's copy stays.
  EXPECT_FALSE(channel.read_if_newer(&last));
}

TEST(SnapshotChannel, PublishingAllocatesNothing) {
  FakeModel m;
  SnapshotChannel channel;
  const auto params = m.params();
  std::vector<std::int32_t> predictions(100, 3);
  channel.prepare(params, predictions.size());
  channel.publish(params, 1, 0, nullptr, -1);
  g_allocations = 0;
  g_count_allocations = true;
  for (int k = 2; k < 50; ++k) {
    m.set(static_cast<float>(k));
    channel.publish(params, k, 0, k % 2 ? &predictions : nullptr, k);
  }
  g_count_allocations = false;
  EXPECT_EQ(g_allocations, 0);
  ModelSnapshot s;
  ASSERT_TRUE(channel.read_if_newer(&s));
  EXPECT_EQ(s.step, 49);
  EXPECT_EQ(s.values[1][0], 49.0f);
  EXPECT_EQ(s.predictions.size(), 100u);  // 49 is odd: published with predictions
  EXPECT_EQ(s.predictions_step, 49);
}

TEST(SnapshotChannel, WithoutPredictionsTheSnapshotSaysSo) {
  FakeModel m;
  SnapshotChannel channel;
  const auto params = m.params();
  std::vector<std::int32_t> predictions(4, 1);
  channel.prepare(params, predictions.size());
  channel.publish(params, 1, 0, &predictions, 1);
  channel.publish(params, 2, 0, nullptr, -1);
  ModelSnapshot s;
  ASSERT_TRUE(channel.read_if_newer(&s));
  EXPECT_TRUE(s.predictions.empty());
  EXPECT_EQ(s.predictions_step, -1);
  // Publishing more predictions than prepared is a programming error, not a silent allocation.
  std::vector<std::int32_t> too_many(5, 0);
  EXPECT_THROW(channel.publish(params, 3, 0, &too_many, 3), std::logic_error);
}

// [SECTION] what a Trainer publishes

TrainConfig spiral_config(int epochs) {
  nlohmann::json c = preset("spiral");
  c["epochs"] = epochs;
  c["data"]["test_fraction"] = 0.2;
  return parse_config(c);
}

using testing::eventually;

// The snapshot once the trainer is paused at `steps` (its pause publishes it first).
ModelSnapshot snapshot_when_paused(const Trainer& t, std::int64_t steps) {
  ModelSnapshot s;
  EXPECT_TRUE(eventually([&] { return t.state() == TrainerState::Paused && t.steps_done() == steps; }));
  EXPECT_TRUE(eventually([&] {
    t.snapshots().read_if_newer(&s);
    return s.version > 0 && s.step == steps;
  }));
  return s;
}

TEST(Trainer, SnapshotsEqualTheSynchronousRunsParameters) {
  const TrainConfig c = spiral_config(5);
  TrainingRun sync(c);
  Trainer t(std::make_unique<TrainingRun>(c));
  t.set_snapshot_interval(1e9);  // only the publishes the protocol promises
  t.start(/*paused=*/true);
  ModelSnapshot s0 = snapshot_when_paused(t, 0);
  const auto& p = sync.params();
  ASSERT_EQ(s0.values.size(), p.size());
  for (std::size_t i = 0; i < p.size(); ++i) EXPECT_EQ(std::vector<float>(s0.values[i].begin(), s0.values[i].end()),
                                                       std::vector<float>(p[i].value->begin(), p[i].value->end()));
  for (int k = 1; k <= 3; ++k) {
    t.step_one();
    sync.step();
    ModelSnapshot s = snapshot_when_paused(t, k);
    for (std::size_t i = 0; i < p.size(); ++i) {
      EXPECT_EQ(std::vector<float>(s.values[i].begin(), s.values[i].end()), std::vector<float>(p[i].value->begin(), p[i].value->end()))
          << s.names[i] << " at step " << k;
      EXPECT_EQ(std::vector<float>(s.grads[i].begin(), s.grads[i].end()), std::vector<float>(p[i].grad->begin(), p[i].grad->end()))
          << s.names[i] << " gradient at step " << k;
    }
  }
  t.stop();
  t.wait();
}

TEST(Trainer, EpochEndsPublishTheTestSetsPredictions) {
  const TrainConfig c = spiral_config(3);
  Trainer t(std::make_unique<TrainingRun>(c));
  t.set_snapshot_interval(1e9);
  const std::int64_t batches = t.run().batches_per_epoch();  // before the thread starts
  t.start(/*paused=*/true);
  t.step_epoch();
  ModelSnapshot s = snapshot_when_paused(t, batches);
  ASSERT_EQ(s.predictions_step, batches);
  std::vector<StepMetrics> m;
  std::int64_t cursor = 0;
  ASSERT_TRUE(eventually([&] { return t.metrics().read_since(&cursor, &m) && !m.empty(); }));
  const StepMetrics& last = m.back();
  ASSERT_FALSE(std::isnan(last.test_accuracy));
  t.stop();
  t.wait();
  // The predictions are the model's: their accuracy is the epoch's test accuracy.
  const Dataset& test = t.run().data().test;
  ASSERT_EQ(s.predictions.size(), static_cast<std::size_t>(test.size()));
  Index correct = 0;
  for (Index i = 0; i < test.size(); ++i) correct += s.predictions[static_cast<std::size_t>(i)] == test.y[static_cast<std::size_t>(i)];
  EXPECT_DOUBLE_EQ(static_cast<double>(correct) / static_cast<double>(test.size()), last.test_accuracy);
  EXPECT_EQ(s.epoch, 1);
}

TEST(Trainer, EvaluateNowWhilePausedPublishesPredictions) {
  Trainer t(std::make_unique<TrainingRun>(spiral_config(3)));
  t.set_snapshot_interval(1e9);
  t.start(/*paused=*/true);
  for (int k = 1; k <= 2; ++k) t.step_one();
  ModelSnapshot s = snapshot_when_paused(t, 2);
  EXPECT_EQ(s.predictions_step, -1);
  t.evaluate_now();
  ASSERT_TRUE(eventually([&] { return t.snapshots().read_if_newer(&s) && s.predictions_step == 2; }));
  EXPECT_EQ(s.predictions.size(), 60u);  // 20 % of 300
  EXPECT_EQ(t.steps_done(), 2);          // evaluating trains nothing
  t.stop();
  t.wait();
}

TEST(Trainer, SnapshotReaderRacesPauseStepResumeStop) {
  // Long enough never to finish before the pause below lands (spiral's steps take microseconds:
  // 100 epochs ended while a loaded machine kept this thread off the CPU, and it waited for a
  // pause that could no longer come); stop() ends it.
  Trainer t(std::make_unique<TrainingRun>(spiral_config(100000)), 64);
  t.set_snapshot_interval(0.0);  // a snapshot after every step: the most contention
  std::atomic<bool> done{false};
  std::atomic<int> bad{0};
  std::thread reader([&] {
    ModelSnapshot s;
    std::int64_t last_step = -1;
    while (!done.load()) {
      if (!t.snapshots().read_if_newer(&s)) continue;
      if (s.step < last_step) ++bad;
      last_step = s.step;
      for (const TensorF& v : s.values)
        for (float x : v)
          if (!std::isfinite(x)) ++bad;
    }
  });
  // A failed assertion returns early: the reader still ends (a joinable thread's destructor
  // would end the whole test program).
  struct JoinAtExit {
    std::atomic<bool>& done;
    std::thread& thread;
    ~JoinAtExit() {
      done = true;
      if (thread.joinable()) thread.join();
    }
  } join_at_exit{done, reader};
  t.start(true);
  t.step_one();
  t.step_one();
  ASSERT_TRUE(eventually([&] { return t.steps_done() == 2 && t.state() == TrainerState::Paused; }));
  t.resume();
  ASSERT_TRUE(eventually([&] { return t.steps_done() > 40; }));
  t.pause();
  ASSERT_TRUE(eventually([&] { return t.state() == TrainerState::Paused; }));
  t.evaluate_now();
  t.step_epoch();
  t.resume();
  t.stop();
  t.wait();
  done = true;
  reader.join();
  EXPECT_EQ(bad.load(), 0);
  ModelSnapshot final_state;
  ASSERT_TRUE(t.snapshots().read_if_newer(&final_state));
  EXPECT_EQ(final_state.step, t.steps_done());  // stopping publishes the state it stopped in
}

TEST(Trainer, FailureReportNamesQuantityAndLayer) {
  TrainConfig c = spiral_config(3);
  c.optimizer = parse_optimizer({{"name", "sgd"}, {"lr", 1e38}});  // the weights overflow at once
  c.schedule.reset();
  Trainer t(std::make_unique<TrainingRun>(c));
  t.start();
  t.wait();
  ASSERT_EQ(t.state(), TrainerState::Failed);
  const auto report = t.non_finite();
  ASSERT_TRUE(report.has_value()) << t.error();
  EXPECT_GE(report->step, 1);
  EXPECT_FALSE(report->quantity.empty());
  if (report->quantity == "activation" || report->quantity == "gradient") {
    EXPECT_GE(report->layer, 0);
    EXPECT_FALSE(report->layer_name.empty());
    EXPECT_NE(t.error().find(report->layer_name), std::string::npos) << t.error();
  }
  // The failing step's parameters are published for the views.
  ModelSnapshot s;
  ASSERT_TRUE(t.snapshots().read_if_newer(&s));
  EXPECT_EQ(s.step, report->step - 1);
}

TEST(SnapshotModel, EvaluatesWhatTheRunWouldPredict) {
  TrainingRun run(spiral_config(3));
  for (int k = 0; k < 20; ++k) run.step();
  ModelSnapshot s;
  take_snapshot(run.params(), run.steps_done(), run.epoch(), nullptr, -1, &s);
  EXPECT_EQ(s.version, 1u);
  SnapshotModel m(run.config().model);
  m.load(s);
  const Dataset& train = run.data().train;
  const TensorF& z = m.forward(train.x.floats());
  std::vector<std::int32_t> predicted;
  const TrainingRun::Evaluation e = run.evaluate(train, &predicted);
  Index correct = 0;
  for (Index n = 0; n < train.size(); ++n) {
    const Index k = predicted_class(z.data() + n * z.dim(1), z.dim(1));
    EXPECT_EQ(k, predicted[static_cast<std::size_t>(n)]) << "sample " << n;
    correct += k == train.y[static_cast<std::size_t>(n)];
  }
  EXPECT_DOUBLE_EQ(static_cast<double>(correct) / static_cast<double>(train.size()), e.accuracy);
  // A snapshot of another model is refused.
  ModelSnapshot other;
  FakeModel f;
  take_snapshot(f.params(), 1, 0, nullptr, -1, &other);
  EXPECT_THROW(m.load(other), std::logic_error);
}

}  // namespace
}  // namespace gs::nn
