// The training loop and its thread: accuracy on the spiral preset, bit-for-bit determinism,
// checkpoints that resume exactly, the non-finite sentinel, config checks, and the Trainer's
// pause / step / resume / stop protocol with a concurrent metrics reader (these also run under
// ThreadSanitizer: scripts/test-tsan).
#include "nn/config.h"
#include "nn/errors.h"
#include "nn/trainer.h"
#include "test_util.h"

#include <Eigen/Core>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <thread>

#include <unistd.h>

namespace gs::nn {
namespace {

TrainConfig small_config(int epochs = 3) {
  nlohmann::json c = preset("spiral");
  c["epochs"] = epochs;
  c["schedule"] = {{"name", "step"}, {"step_size", 1}, {"gamma", 0.9}};
  c["data"]["test_fraction"] = 0.2;
  return parse_config(c);
}

std::vector<double> losses(TrainingRun& s, int steps) {
  std::vector<double> out;
  for (int i = 0; i < steps && !s.finished(); ++i) out.push_back(s.step().loss);
  return out;
}

using testing::eventually;

TEST(Trainer, SpiralPresetReaches97PercentTrainAccuracy) {
  TrainingRun s(parse_config(preset("spiral")));
  s.guard_explosion(true);  // as in the training lab: the preset's own rate never trips it
  while (!s.finished()) s.step();
  TrainingRun::Evaluation e = s.evaluate(s.data().train);
  EXPECT_GE(e.accuracy, 0.97) << "loss " << e.loss;
}

// The full 3-epoch accuracy goals are CLI runs (docs/DEVELOPERS.md); this is the same LeNet on a
// subset, a few seconds.
TEST(Trainer, LeNetLearnsAFashionMnistSubset) {
  if (!std::filesystem::exists(std::string(kFashionMnistDir) + "/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  nlohmann::json c = preset("fashion-lenet");
  c["data"]["train_limit"] = 3000;
  c["data"]["test_limit"] = 1000;
  c["epochs"] = 3;
  c["threads"] = 1;
  TrainingRun s(parse_config(c));
  StepMetrics last;
  while (!s.finished()) last = s.step();
  EXPECT_GE(last.test_accuracy, 0.65);
  EXPECT_LT(last.epoch_loss, 1.0);
}

TEST(Trainer, SameSeedGivesTheSameCurveBitForBit) {
  TrainConfig c = small_config();
  TrainingRun a(c), b(c);
  std::vector<double> la = losses(a, 1000), lb = losses(b, 1000);
  ASSERT_FALSE(la.empty());
  EXPECT_EQ(la, lb);
  c.seed = 2;
  TrainingRun d(c);
  EXPECT_NE(losses(d, 1000), la);
}

TEST(Trainer, ThreadedRunMatchesTheSynchronousCurve) {
  TrainConfig c = small_config();
  TrainingRun direct(c);
  std::vector<double> want = losses(direct, 1000);
  Trainer t(std::make_unique<TrainingRun>(c));
  t.start();
  t.wait();
  EXPECT_EQ(t.state(), TrainerState::Finished);
  std::vector<StepMetrics> got;
  std::int64_t cursor = 0;
  ASSERT_TRUE(t.metrics().read_since(&cursor, &got));
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i].loss, want[i]) << "step " << i + 1;
  std::vector<StepMetrics> epochs;
  ASSERT_TRUE(t.metrics().read_epochs(0, &epochs));
  ASSERT_EQ(epochs.size(), 3u);
  EXPECT_FALSE(std::isnan(epochs[2].test_accuracy));
  EXPECT_NEAR(epochs[1].lr, 0.02 * 0.9, 1e-12);
}

// A schedule stepped per batch sees the run's step count: the learning rate of step k is the
// schedule's value k − 1, the same numbers `gradscope-cli schedule` prints.
TEST(Trainer, PerBatchScheduleFollowsTheScheduleValues) {
  nlohmann::json c = preset("spiral");
  c["epochs"] = 2;
  c["optimizer"] = {{"name", "sgd"}, {"lr", 0.1}, {"momentum", 0.9}};
  c["schedule"] = {{"name", "onecycle"}, {"max_lr", 0.3}};
  c["schedule_step"] = "batch";
  TrainingRun s(parse_config(c));
  std::vector<double> lrs;
  while (!s.finished()) lrs.push_back(s.step().lr);
  std::vector<double> want = schedule_values(c["schedule"], 0.1, static_cast<int>(s.total_steps()));
  EXPECT_TRUE(testing::all_close(lrs, want, 0.0));
  EXPECT_NEAR(s.optimizer().config().momentum, 0.95, 0.01);  // OneCycleLR cycles SGD's momentum back up
}

TEST(Trainer, CheckpointResumesExactly) {
  TrainConfig c = small_config(4);
  c.optimizer = parse_optimizer({{"name", "sgd"}, {"lr", 0.1}, {"momentum", 0.9}});
  TrainingRun whole(c);
  std::vector<double> want = losses(whole, 1000);

  TrainingRun first(c);
  std::vector<double> got = losses(first, 13);  // mid-epoch, after one schedule step
  std::string path = (std::filesystem::temp_directory_path() / "gradscope_nn_checkpoint.json").string();
  first.save_checkpoint(path);
  TrainingRun second(c);
  second.load_checkpoint(path);
  std::vector<double> rest = losses(second, 1000);
  got.insert(got.end(), rest.begin(), rest.end());
  EXPECT_EQ(got, want);
  std::filesystem::remove(path);
}

TEST(Trainer, SentinelNamesTheStepAndTheLayer) {
  TrainingRun s(small_config());
  s.step();
  auto* lin = dynamic_cast<Linear<float>*>(&s.model().layer(2));
  ASSERT_NE(lin, nullptr);
  lin->weight[3] = NAN;
  try {
    s.step();
    FAIL() << "no sentinel";
  } catch (const NonFiniteError& e) {
    EXPECT_NE(std::string(e.what()).find("step 2 (epoch 1, batch 2): the loss is nan"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("layer 3 Linear(16,16)"), std::string::npos) << e.what();
    // The same, as the report a view names it from.
    EXPECT_EQ(e.report().step, 2);
    EXPECT_EQ(e.report().quantity, "activation");
    EXPECT_EQ(e.report().layer, 2);
    EXPECT_EQ(e.report().layer_name, "Linear(16,16)");
    EXPECT_TRUE(std::isnan(e.report().loss));
  }

  TrainConfig c = small_config();
  c.optimizer = parse_optimizer({{"name", "sgd"}, {"lr", 1e38}});  // the weights overflow at once
  c.schedule.reset();
  Trainer t(std::make_unique<TrainingRun>(c));
  t.start();
  t.wait();
  EXPECT_EQ(t.state(), TrainerState::Failed);
  EXPECT_NE(t.error().find("step "), std::string::npos) << t.error();
  EXPECT_NE(t.error().find("layer "), std::string::npos) << t.error();
}

// The classroom's "too high a learning rate" on the spiral: tanh saturates, so no NaN comes (the
// loss sits in the hundreds); the explosion guard stops the step whose loss passes 10 × the loss of
// guessing, as the sentinel does, and names it. Off (the CLI), the same run goes on.
TEST(Trainer, TheExplosionGuardStopsAHighLearningRateOnTheSpiral) {
  for (const char* optimizer : {"sgd", "adam"}) {
    SCOPED_TRACE(optimizer);
    nlohmann::json j = preset("spiral");
    j["optimizer"] = {{"name", optimizer}, {"lr", 100.0}};
    j.erase("schedule");
    const TrainConfig c = parse_config(j);
    TrainingRun free_run(c);
    std::vector<double> reference;
    for (int i = 0; i < 10; ++i) reference.push_back(free_run.step().loss);
    for (double l : reference) EXPECT_TRUE(std::isfinite(l));
    TrainingRun s(c);
    s.guard_explosion(true);
    EXPECT_NEAR(s.guessing_loss(), std::log(3.0), 1e-6);
    NonFiniteReport r;
    try {
      for (int i = 0; i < 10; ++i) s.step();
      FAIL() << "no explosion in 10 steps at lr 100";
    } catch (const NonFiniteError& e) {
      r = e.report();
      EXPECT_NE(std::string(e.what()).find("exploded"), std::string::npos) << e.what();
    }
    EXPECT_EQ(r.quantity, "exploded");
    EXPECT_GE(r.step, 2);
    EXPECT_EQ(s.steps_done(), r.step - 1);  // the failed batch is not taken
    ASSERT_LE(r.step, 10);
    EXPECT_EQ(r.loss, reference[static_cast<std::size_t>(r.step - 1)]);  // the free run's loss at that step
    EXPECT_NEAR(r.threshold, kExplodedFactor * std::log(3.0), 1e-5);
    EXPECT_GT(r.loss, r.threshold);
    for (std::int64_t k = 0; k + 1 < r.step; ++k) EXPECT_LE(reference[static_cast<std::size_t>(k)], r.threshold) << "step " << k + 1;
  }
  // The guessing loss of the other losses: mse 1/C, hinge C − 1.
  nlohmann::json j = preset("spiral");
  j["loss"] = "mse";
  EXPECT_NEAR(TrainingRun(parse_config(j)).guessing_loss(), 1.0 / 3.0, 1e-6);
  j["loss"] = "hinge";
  EXPECT_NEAR(TrainingRun(parse_config(j)).guessing_loss(), 2.0, 1e-6);
}

// The training lab's way on after the sentinel: the failed step changes nothing (the next one
// takes the same batch and fails the same way), the run goes back to a state it kept, and with a
// lower learning rate it trains to the end; on a Trainer, the failed thread hands the run back.
TEST(Trainer, AfterTheSentinelTheRunGoesBackAndTrainsOnWithALowerLearningRate) {
  nlohmann::json j = preset("spiral");  // 300 points, batches of 32: 10 steps an epoch
  j["loss"] = "mse";
  j["optimizer"] = {{"name", "sgd"}, {"lr", 2.0}};  // diverges within three epochs
  j.erase("schedule");
  j["epochs"] = 20;
  const TrainConfig c = parse_config(j);
  std::vector<double> reference;
  {
    TrainingRun r(c);
    try {
      for (;;) reference.push_back(r.step().loss);
    } catch (const NonFiniteError&) {
    }
  }
  TrainingRun s(c);
  s.keep_epoch_checkpoints(1);
  NonFiniteReport first;
  try {
    for (;;) s.step();
  } catch (const NonFiniteError& e) {
    first = e.report();
  }
  ASSERT_GT(first.step, 10);
  ASSERT_EQ(static_cast<std::int64_t>(reference.size()), first.step - 1);
  EXPECT_EQ(s.steps_done(), first.step - 1);
  try {
    s.step();
    FAIL() << "the same batch on the same weights passed";
  } catch (const NonFiniteError& e) {
    EXPECT_EQ(e.report().step, first.step);
    EXPECT_EQ(e.report().quantity, first.quantity);
  }
  // Kept: the start, and the start of the last epoch.
  const std::vector<std::int64_t> kept = s.kept_steps();
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0], 0);
  EXPECT_EQ(kept[1], (first.step - 1) / 10 * 10);
  EXPECT_THROW(s.rewind(5), InputError);
  // Back to the start, nothing changed: the same curve, bit for bit, to the same failure.
  s.rewind(0);
  EXPECT_EQ(s.steps_done(), 0);
  EXPECT_EQ(s.kept_steps(), std::vector<std::int64_t>{0});
  for (std::size_t k = 0; k < reference.size(); ++k) ASSERT_EQ(s.step().loss, reference[k]) << "step " << k + 1;
  EXPECT_THROW(s.step(), NonFiniteError);
  // Back again with a tenth of the learning rate and clipping: it trains to the end.
  s.rewind(0);
  s.adjust(0.1, 5.0);
  EXPECT_EQ(s.config().optimizer.clip_norm, 5.0);
  const StepMetrics m = s.step();
  EXPECT_DOUBLE_EQ(m.lr, 0.2);
  EXPECT_EQ(m.loss, reference[0]);  // the loss is measured before the update
  while (!s.finished()) ASSERT_TRUE(std::isfinite(s.step().loss));

  // On the thread: it fails, hands the run back, and a new Trainer finishes it.
  auto run = std::make_unique<TrainingRun>(c);
  run->keep_epoch_checkpoints(2);
  Trainer t(std::move(run));
  t.start();
  t.wait();
  ASSERT_EQ(t.state(), TrainerState::Failed);
  ASSERT_TRUE(t.non_finite());
  std::unique_ptr<TrainingRun> back = t.release_run();
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->steps_done(), t.non_finite()->step - 1);
  EXPECT_EQ(back->kept_steps().front(), 0);
  back->rewind(back->kept_steps().front());
  back->adjust(0.1, 0.0);
  Trainer again(std::move(back));
  again.start();
  again.wait();
  EXPECT_EQ(again.state(), TrainerState::Finished) << again.error();
  EXPECT_EQ(again.steps_done(), 200);
}

TEST(Trainer, PauseStepResumeStopWithAConcurrentReader) {
  // Never finished before stop(): 200 epochs (1,600 steps of microseconds) sometimes ended between
  // the last resume() and stop() on a loaded machine, and the run said Finished, not Stopped.
  TrainConfig c = small_config(100000);
  Trainer t(std::make_unique<TrainingRun>(c), 64);
  std::atomic<bool> done{false};
  std::atomic<std::int64_t> seen{0}, busy{0};
  std::thread reader([&] {
    std::int64_t cursor = 0, last = 0;
    std::vector<StepMetrics> got;
    while (!done.load()) {
      got.clear();
      std::int64_t missed = 0;
      if (!t.metrics().read_since(&cursor, &got, &missed)) {
        ++busy;
        continue;
      }
      for (const auto& m : got) {
        EXPECT_GT(m.step, last);
        last = m.step;
      }
      seen = last;
      StepMetrics latest;
      t.metrics().latest(&latest);
      (void)t.state();
      (void)t.steps_done();
    }
  });

  t.start(/*paused=*/true);
  EXPECT_EQ(t.state(), TrainerState::Paused);
  for (int i = 0; i < 3; ++i) {
    t.step_one();
    ASSERT_TRUE(eventually([&] { return t.steps_done() == i + 1; }));
  }
  ASSERT_TRUE(eventually([&] { return t.state() == TrainerState::Paused; }));
  EXPECT_EQ(t.steps_done(), 3);

  t.resume();
  ASSERT_TRUE(eventually([&] { return t.steps_done() > 50; }));
  t.pause();
  ASSERT_TRUE(eventually([&] { return t.state() == TrainerState::Paused; }));
  std::int64_t paused_at = t.steps_done();
  t.step_one();
  ASSERT_TRUE(eventually([&] { return t.steps_done() == paused_at + 1; }));
  ASSERT_TRUE(eventually([&] { return t.state() == TrainerState::Paused; }));
  EXPECT_EQ(t.steps_done(), paused_at + 1);

  t.resume();
  t.stop();
  t.wait();
  EXPECT_EQ(t.state(), TrainerState::Stopped);
  done = true;
  reader.join();
  EXPECT_LE(seen.load(), t.steps_done());
}

// A run's threads are its own (TrainStep's Workers): a run of two batch parts gives the same curve
// whether the machine let it use both threads or only one (as when a compiler runs beside it).
TEST(Trainer, CurveDoesNotDependOnTheThreadsTheMachineAllows) {
  TrainConfig c = small_config(2);
  c.threads = 2;
  TrainingRun both(c), alone(c);
  alone.train_step().workers().set_thread_limit(1);
  EXPECT_EQ(both.train_step().workers().threads(), 2);
  std::vector<double> a = losses(both, 1000), b = losses(alone, 1000);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b);
  EXPECT_EQ(alone.train_step().workers().active(), 1);
  EXPECT_EQ(both.evaluate(both.data().test).loss, alone.evaluate(alone.data().test).loss);
}

TEST(MetricsChannel, BoundedRingReportsWhatAReaderMissed) {
  MetricsChannel ch(4, 2);
  std::int64_t cursor = 0, missed = -1;
  std::vector<StepMetrics> got;
  for (int i = 1; i <= 10; ++i) {
    StepMetrics m;
    m.step = i;
    if (i % 3 == 0) m.train_accuracy = i;
    ch.publish(m);
  }
  ASSERT_TRUE(ch.read_since(&cursor, &got, &missed));
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got.front().step, 7);
  EXPECT_EQ(missed, 6);
  EXPECT_EQ(cursor, 10);
  got.clear();
  ASSERT_TRUE(ch.read_since(&cursor, &got, &missed));
  EXPECT_TRUE(got.empty());
  std::vector<StepMetrics> epochs;
  ASSERT_TRUE(ch.read_epochs(0, &epochs));
  ASSERT_EQ(epochs.size(), 2u);
  EXPECT_EQ(epochs[1].step, 9);
}

TEST(Config, PresetsParseAndBadConfigsNameTheProblem) {
  for (const auto& name : preset_names()) EXPECT_NO_THROW(parse_config(preset(name))) << name;
  auto fails_with = [](nlohmann::json c, const std::string& fragment) {
    try {
      parse_config(c);
      ADD_FAILURE() << "accepted " << c.dump();
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  nlohmann::json c = preset("fashion-lenet");
  c["model"]["layers"][7]["in"] = 400;
  c["model"]["input"] = {1, 24, 24};
  fails_with(c, "layer 8: Linear(400,120) after a [16×4×4] output: expected 256 inputs");
  c = preset("spiral");
  c["model"]["layers"][1]["type"] = "swish";
  fails_with(c, "layer 2: type must be one of");
  c = preset("spiral");
  c["optimizer"]["name"] = "lbfgs";
  fails_with(c, "optimizer: name must be one of sgd, adam, adamw, got 'lbfgs'");
  c = preset("spiral");
  c["schedule"] = {{"name", "step"}, {"step_size", 0}};
  fails_with(c, "step: step_size must be a positive integer, got 0");
  c = preset("spiral");
  c["epochs"] = 0;
  fails_with(c, "config: epochs must be an integer from 1 to 2147483647, got 0");
  c = preset("spiral");
  c["batchsize"] = 3;
  fails_with(c, "config: unknown key 'batchsize'");
  c = preset("spiral");
  c["data"]["size"] = 0;
  fails_with(c, "data: size must be an integer from 1 to 1000000, got 0");
  c = preset("spiral");
  c["schedule"] = {{"name", "plateau"}};
  c["schedule_step"] = "batch";
  fails_with(c, "plateau reads a metric once per epoch");
  EXPECT_THROW(preset("mnist"), InputError);
}

}  // namespace
}  // namespace gs::nn

namespace gs::nn {
namespace {

// The training lab's own points (clicks on the plane): a config of them parses, writes back the
// same, loads as a 2-D set with the classes its points use, and trains; bad points are named.
TEST(Config, TheUsersOwnPointsAreADataSet) {
  nlohmann::json c = preset("xor");
  c["data"] = {{"name", "points"},
               {"points", {{-0.5, -0.5, 0}, {-0.4, -0.6, 0}, {0.5, 0.5, 1}, {0.6, 0.4, 1}, {0.5, -0.5, 2}, {0.4, -0.4, 2}}},
               {"test_fraction", 0.0},
               {"seed", 3}};
  c["model"]["layers"].back()["out"] = 3;
  c["epochs"] = 40;
  const TrainConfig config = parse_config(c);
  EXPECT_EQ(config.data.kind, DataKind::Points);
  ASSERT_EQ(config.data.points.size(), 6u);
  EXPECT_EQ(parse_data_spec(to_json(config.data)), config.data);
  const DataSplit d = load_data(config.data);
  EXPECT_EQ(d.train.size(), 6);
  EXPECT_EQ(d.train.classes, 3);
  EXPECT_EQ(d.train.sample_shape(), Shape{2});
  TrainingRun run(config);
  while (!run.finished()) run.step();
  EXPECT_GE(run.evaluate(run.data().train).accuracy, 5.0 / 6.0);

  auto message = [&](const nlohmann::json& points) {
    nlohmann::json bad = c;
    bad["data"]["points"] = points;
    try {
      parse_config(bad);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message(nlohmann::json::array({{0.1, 0.2, 0}})).find("at least 2 points"), std::string::npos);
  EXPECT_NE(message({{0.1, 0.2, 0}, {0.3, "a", 1}}).find("point 2 must be [x, y, class]"), std::string::npos);
  EXPECT_NE(message({{0.1, 0.2, 0}, {0.3, 0.1, 12}}).find("class 0 to 9"), std::string::npos);
}

// The data a run loads report their progress (nn::LoadProgress: the training page's "loading
// Fashion-MNIST… 43 %"), written by the loading thread and read by the frame's with no lock: here
// a load on one thread and a reader on another, under scripts/test-tsan too (ThreadCrossing.*).
// The reader sees the fraction unknown, then never going back, never past 1, and 1 at the end.
TEST(ThreadCrossing, LoadProgressIsReadWhileAnotherThreadLoads) {
  const int n = 5000;  // 3.9 MB of pixels: pieces of 64 KiB to 1 MiB, each one reported
  auto header = [](std::vector<int> dims) {
    std::string h{'\0', '\0', '\x08', static_cast<char>(dims.size())};
    for (int d : dims)
      for (int shift : {24, 16, 8, 0}) h.push_back(static_cast<char>((d >> shift) & 0xff));
    return h;
  };
  const auto dir = std::filesystem::temp_directory_path() / ("gradscope_nn_progress_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string ip = (dir / "images.idx").string(), lp = (dir / "labels.idx").string();
  std::ofstream(ip, std::ios::binary) << header({n, 28, 28}) << std::string(static_cast<std::size_t>(n) * 28 * 28, '\x11');
  std::ofstream(lp, std::ios::binary) << header({n}) << std::string(static_cast<std::size_t>(n), '\x03');

  LoadProgress progress;
  std::atomic<bool> finished{false};
  std::string error;
  std::thread loader([&] {
    try {
      load_data(nlohmann::json{{"name", "idx"}, {"train_images", ip}, {"train_labels", lp}}, &progress);
    } catch (const std::exception& e) {
      error = e.what();
    }
    finished.store(true, std::memory_order_release);
  });
  std::vector<double> seen;
  while (!finished.load(std::memory_order_acquire)) {
    const double f = progress.fraction();
    if (seen.empty() || seen.back() != f) seen.push_back(f);
    std::this_thread::yield();
  }
  loader.join();
  std::filesystem::remove_all(dir);
  ASSERT_EQ(error, "");
  EXPECT_DOUBLE_EQ(progress.fraction(), 1.0);
  EXPECT_EQ(progress.done(), progress.total());
  double last = -1;
  for (double f : seen) {
    if (f < 0) {
      EXPECT_LT(last, 0) << "unknown again after " << last;
      continue;
    }
    EXPECT_GE(f, last) << ::testing::PrintToString(seen);
    EXPECT_LE(f, 1.0);
    last = f;
  }
}

}  // namespace
}  // namespace gs::nn
