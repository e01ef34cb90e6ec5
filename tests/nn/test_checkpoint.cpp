// Checkpoints that cannot start a run that never ends (issue 10, "runs that never end"): a finished
// run continued with more epochs trains exactly those epochs, a run restored at any position ends
// after the steps it has left, and every field of a checkpoint that does not fit the run is one
// InputError naming it, before anything changes.
#include "nn/config.h"
#include "nn/trainer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <fstream>
#include <string>
#include <vector>

namespace gs::nn {
namespace {

nlohmann::json spiral_config(int epochs) {
  nlohmann::json c = preset("spiral");
  c["epochs"] = epochs;
  c["data"]["size"] = 120;  // a few batches per epoch keeps every position cheap
  c["data"]["test_fraction"] = 0.25;
  c["batch_size"] = 8;
  c["schedule"] = {{"name", "step"}, {"step_size", 1}, {"gamma", 0.9}};
  return c;
}

std::vector<double> run_to_end(TrainingRun& run, std::int64_t limit) {
  std::vector<double> out;
  while (!run.finished() && static_cast<std::int64_t>(out.size()) < limit) out.push_back(run.step().loss);
  return out;
}

std::string temp_file(const std::string& name) {
  return (std::filesystem::path(::testing::TempDir()) / name).string();
}

std::string checkpoint_error(TrainingRun& run, const nlohmann::json& checkpoint) {
  try {
    run.restore(checkpoint);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

// The example: `train --resume` of a finished 2-epoch run with `--epochs 4` trained forever
// on one stale batch. Now it trains epochs 3 and 4, and the losses are those of a 4-epoch run from
// the start, for a schedule stepped per epoch, one that reads the metric, and one stepped per batch.
TEST(Checkpoint, AFinishedRunGoesOnForTheNewEpochsAsALongerRunWould) {
  for (const char* variant : {"step per epoch", "plateau", "step per batch"}) {
    nlohmann::json two = spiral_config(2);
    if (std::string(variant) == "plateau")
      two["schedule"] = {{"name", "plateau"}, {"patience", 0}, {"factor", 0.5}, {"threshold", 10.0}};
    if (std::string(variant) == "step per batch") {
      two["schedule"] = {{"name", "step"}, {"step_size", 3}, {"gamma", 0.8}};
      two["schedule_step"] = "batch";
    }
    nlohmann::json four = two;
    four["epochs"] = 4;

    TrainingRun whole(parse_config(four));
    const std::vector<double> want = run_to_end(whole, 1000);

    TrainingRun first(parse_config(two));
    std::vector<double> got = run_to_end(first, 1000);
    ASSERT_TRUE(first.finished());
    const std::string path = temp_file("gradscope_finished_run.json");
    first.save_checkpoint(path);

    TrainingRun longer(parse_config(four));
    longer.load_checkpoint(path);
    EXPECT_EQ(longer.steps_done(), 2 * longer.batches_per_epoch()) << variant;
    const std::vector<double> rest = run_to_end(longer, 1000);
    EXPECT_TRUE(longer.finished()) << variant << ": the run ends";
    EXPECT_EQ(static_cast<std::int64_t>(rest.size()), 2 * longer.batches_per_epoch()) << variant;
    got.insert(got.end(), rest.begin(), rest.end());
    EXPECT_EQ(got, want) << variant << ": the same losses as 4 epochs from the start";

    // Resumed with the same 2 epochs, the finished run has nothing left to do.
    TrainingRun same(parse_config(two));
    same.load_checkpoint(path);
    EXPECT_TRUE(same.finished()) << variant;
    std::filesystem::remove(path);
  }
}

// The invariant: restored at any position, with the run's epochs or more, a run ends after exactly
// total_steps() − steps_done() steps.
TEST(Checkpoint, ARestoredRunEndsAfterTheStepsItHasLeftFromEveryPosition) {
  TrainingRun source(parse_config(spiral_config(2)));
  std::vector<nlohmann::json> states = {source.checkpoint()};
  while (!source.finished()) {
    source.step();
    states.push_back(source.checkpoint());
  }
  ASSERT_GE(states.size(), 5u);
  for (int epochs : {2, 3}) {
    for (std::size_t k = 0; k < states.size(); ++k) {
      TrainingRun run(parse_config(spiral_config(epochs)));
      run.restore(states[k]);
      const std::int64_t left = run.total_steps() - run.steps_done();
      ASSERT_EQ(run.steps_done(), static_cast<std::int64_t>(k));
      const std::vector<double> steps = run_to_end(run, left + 10);
      EXPECT_TRUE(run.finished()) << "epochs " << epochs << ", restored after " << k << " steps";
      EXPECT_EQ(static_cast<std::int64_t>(steps.size()), left) << "epochs " << epochs << ", after " << k << " steps";
    }
  }
}

// Every field that does not fit the run is named; a refused checkpoint changes nothing.
TEST(Checkpoint, EveryFieldThatDoesNotFitIsNamedAndChangesNothing) {
  TrainingRun source(parse_config(spiral_config(2)));
  run_to_end(source, 5);
  const nlohmann::json good = source.checkpoint();
  TrainingRun probe(parse_config(spiral_config(2)));
  const std::int64_t bpe = probe.batches_per_epoch();
  ASSERT_GT(bpe, 3);

  struct Case {
    const char* what;
    std::function<void(nlohmann::json&)> edit;
    std::string message;
  };
  const std::string first_param = good["params"].begin().key();
  const std::vector<Case> cases = {
      {"format", [](nlohmann::json& c) { c["format"] = "something else"; }, "checkpoint: not a gradscope checkpoint"},
      {"epoch past the run", [](nlohmann::json& c) { c["epoch"] = 4; c["step"] = 0; },
       "checkpoint: its run is at epoch 4, past this run's 2 epochs (give --epochs 5 or more to continue it)"},
      {"epoch beyond int", [](nlohmann::json& c) { c["epoch"] = 2147483648LL; },
       "checkpoint: epoch must be an integer from 0 to 2147483647, got 2147483648"},
      {"negative epoch", [](nlohmann::json& c) { c["epoch"] = -1; }, "checkpoint: epoch must be an integer from 0"},
      {"batch past the epoch", [&](nlohmann::json& c) { c["batch"] = bpe + 1; },
       "checkpoint: batch must be an integer from 0 to " + std::to_string(bpe) + ", got " + std::to_string(bpe + 1)},
      {"batch not an integer", [](nlohmann::json& c) { c["batch"] = 1.5; }, "checkpoint: batch must be an integer"},
      {"step", [](nlohmann::json& c) { c["step"] = 3; },
       "checkpoint: step 3 does not match epoch 0, batch 5 at " + std::to_string(bpe) + " batches per epoch"},
      {"ended epoch 0", [&](nlohmann::json& c) { c["batch"] = bpe; c["step"] = 0; },
       "checkpoint: batch " + std::to_string(bpe) + " of epoch 0 is past its end"},
      {"batch in the epoch after the last", [&](nlohmann::json& c) { c["epoch"] = 2; c["batch"] = 1; c["step"] = 2 * bpe + 1; },
       "checkpoint: its run is at batch 1 of epoch 3, past this run's 2 epochs"},
      {"correct > seen", [](nlohmann::json& c) { c["epoch_correct"] = c["epoch_seen"].get<long long>() + 1; },
       "checkpoint: epoch_correct must be an integer from 0 to"},
      {"seen > the data", [](nlohmann::json& c) { c["epoch_seen"] = 1000000; }, "checkpoint: epoch_seen must be an integer from 0 to"},
      {"loss sum", [](nlohmann::json& c) { c["epoch_loss_sum"] = -1.0; }, "checkpoint: epoch_loss_sum must be a finite number >= 0"},
      {"a value beyond float", [&](nlohmann::json& c) { c["params"][first_param][0] = 1e300; },
       "checkpoint: " + first_param + " holds a value that is not finite"},
      {"a parameter the model lacks", [](nlohmann::json& c) { c["params"]["layer 9 weight"] = {1.0}; },
       "checkpoint: values for 'layer 9 weight', which the model does not have"},
      {"a missing parameter", [&](nlohmann::json& c) { c["params"].erase(first_param); }, "checkpoint: no values for " + first_param},
      {"too few values", [&](nlohmann::json& c) { c["params"][first_param] = {1.0}; },
       "checkpoint: " + first_param + " holds 1 values, the model needs"},
      {"schedule state", [](nlohmann::json& c) { c["schedule"]["last_epoch"] = 10000000000LL; },
       "checkpoint: schedule.last_epoch is out of range, got 10000000000"},
      {"group", [](nlohmann::json& c) { c["group"]["lr"] = nullptr; }, "checkpoint: malformed"},
  };
  for (const Case& k : cases) {
    nlohmann::json bad = good;
    k.edit(bad);
    TrainingRun run(parse_config(spiral_config(2)));
    const std::string message = checkpoint_error(run, bad);
    EXPECT_EQ(message.rfind(k.message, 0), 0u) << k.what << ": " << message;
    EXPECT_EQ(run.steps_done(), 0) << k.what;
  }

  // Refused, the run goes on from its own start: the losses of a fresh run.
  TrainingRun fresh(parse_config(spiral_config(2)));
  TrainingRun refused(parse_config(spiral_config(2)));
  nlohmann::json bad = good;
  bad["epoch_seen"] = -3;
  EXPECT_NE(checkpoint_error(refused, bad), "(no error)");
  EXPECT_EQ(run_to_end(refused, 1000), run_to_end(fresh, 1000));
}

// A schedule state that disagrees with the position (a hand-edited StepLR last_epoch, a member's
// counter) would give another run's learning rates: every last_epoch and step_count, the members'
// too, must be what the position puts them at. Every state a run passes through is accepted, in a
// run of its epochs and in a longer one, for schedules stepped per epoch, per batch, on a metric,
// and composed.
TEST(Checkpoint, ScheduleCountersMustBeThoseOfThePosition) {
  const nlohmann::json step = {{"name", "step"}, {"step_size", 2}, {"gamma", 0.5}};
  const nlohmann::json exponential = {{"name", "exponential"}, {"gamma", 0.9}};
  struct Schedule {
    const char* what;
    nlohmann::json spec;
    bool per_batch;
  };
  const std::vector<Schedule> schedules = {
      {"step per epoch", step, false},
      {"step per batch", step, true},
      {"plateau", {{"name", "plateau"}, {"patience", 0}, {"factor", 0.5}}, false},
      {"sequential", {{"name", "sequential"}, {"schedulers", {exponential, step}}, {"milestones", {1}}}, false},
      {"chained per batch", {{"name", "chained"}, {"schedulers", {exponential, step}}}, true},
  };
  for (const Schedule& s : schedules) {
    nlohmann::json two = spiral_config(2);
    two["schedule"] = s.spec;
    if (s.per_batch) two["schedule_step"] = "batch";
    nlohmann::json three = two;
    three["epochs"] = 3;
    TrainingRun source(parse_config(two));
    std::vector<nlohmann::json> states = {source.checkpoint()};
    while (!source.finished()) {
      source.step();
      states.push_back(source.checkpoint());
    }
    for (std::size_t k = 0; k < states.size(); ++k) {
      for (const nlohmann::json* config : {&two, &three}) {
        TrainingRun run(parse_config(*config));
        EXPECT_EQ(checkpoint_error(run, states[k]), "(no error)") << s.what << ", after " << k << " steps";
      }
    }
  }

  // The kind, one member each: the top-level counter, step_count, a member's counter.
  nlohmann::json config = spiral_config(2);
  TrainingRun source(parse_config(config));
  run_to_end(source, source.batches_per_epoch() + 2);  // epoch 1, batch 2: StepLR(1) stepped once
  nlohmann::json bad = source.checkpoint();
  ASSERT_EQ(bad["schedule"]["last_epoch"], 1);
  bad["schedule"]["last_epoch"] = 7;
  TrainingRun run(parse_config(config));
  EXPECT_EQ(checkpoint_error(run, bad),
            "checkpoint: schedule.last_epoch is 7, the run's position (epoch 1, batch 2) puts it at 1");
  EXPECT_EQ(run.steps_done(), 0);
  bad = source.checkpoint();
  bad["schedule"]["step_count"] = 0;
  EXPECT_EQ(checkpoint_error(run, bad),
            "checkpoint: schedule.step_count is 0, the run's position (epoch 1, batch 2) puts it at 2");

  config["schedule"] = schedules[3].spec;
  TrainingRun sequential(parse_config(config));
  run_to_end(sequential, 2 * sequential.batches_per_epoch());
  ASSERT_TRUE(sequential.finished());
  bad = sequential.checkpoint();
  bad["schedule"]["members"][1]["last_epoch"] = bad["schedule"]["members"][1]["last_epoch"].get<int>() + 1;
  TrainingRun longer(parse_config(config));
  const std::string message = checkpoint_error(longer, bad);
  EXPECT_EQ(message.rfind("checkpoint: schedule.members[1].last_epoch is ", 0), 0u) << message;
  EXPECT_NE(message.find("the run's position (epoch 2, batch "), std::string::npos) << message;
  bad["schedule"]["members"].erase(1);
  EXPECT_EQ(checkpoint_error(longer, bad), "checkpoint: schedule.members must hold 2 states, as the schedule has");
  EXPECT_EQ(longer.steps_done(), 0);
}

// A value of the wrong type deep in a state is found only as it is loaded, after the weights were
// copied: the run's state before is put back, weights and optimizer included.
TEST(Checkpoint, AStateRefusedWhileLoadingChangesNothing) {
  TrainingRun source(parse_config(spiral_config(2)));
  run_to_end(source, 5);
  TrainingRun run(parse_config(spiral_config(2)));
  run_to_end(run, 2);
  const nlohmann::json before = run.checkpoint();
  nlohmann::json bad = source.checkpoint();
  bad["group"]["lr"] = "fast";  // a string: no number check sees it
  EXPECT_EQ(checkpoint_error(run, bad).rfind("checkpoint: malformed", 0), 0u);
  EXPECT_EQ(run.checkpoint(), before);
  EXPECT_EQ(run.steps_done(), 2);
}

// A checkpoint file continues only the run it came from: a different batch size (its positions
// mean other batches), data, model, optimizer or seed is named; the epochs, name and threads may
// differ.
TEST(Checkpoint, AFileFromAnotherRunIsNamedByItsField) {
  TrainingRun source(parse_config(spiral_config(2)));
  run_to_end(source, 3);
  const std::string path = temp_file("gradscope_other_run.json");
  source.save_checkpoint(path);
  struct Case {
    std::string key;
    nlohmann::json value;
  };
  for (const Case& k : std::vector<Case>{{"batch_size", 16}, {"seed", 7}, {"loss", "mse"}}) {
    nlohmann::json c = spiral_config(2);
    c[k.key] = k.value;
    TrainingRun run(parse_config(c));
    try {
      run.load_checkpoint(path);
      ADD_FAILURE() << k.key << ": accepted";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(path + ": checkpoint: its " + k.key + " ("), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("a checkpoint continues only the run it came from"), std::string::npos);
    }
  }
  nlohmann::json renamed = spiral_config(3);
  renamed["name"] = "another name";
  renamed["threads"] = 2;
  TrainingRun run(parse_config(renamed));
  run.load_checkpoint(path);
  EXPECT_EQ(run.steps_done(), 3);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace gs::nn
