// The load check of a training session (workers.h): which CPU time counts as others' (other
// processes and other training sessions, never this process's UI or GL driver), the thread count
// for the cores left, and the thread names it tells training threads apart by. Figures are given
// as samples, never timed.
#include "nn/workers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

namespace gs::nn {
namespace {

LoadWatch::Sample cpu_sample_at(double seconds, double machine, double process, double ours, double other_training) {
  LoadWatch::Sample s;
  s.when = std::chrono::steady_clock::time_point(std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(1000.0 + seconds)));
  s.machine_busy_seconds = machine;
  s.process_seconds = process;
  s.ours = ours;
  s.other_training = other_training;
  return s;
}

TEST(LoadWatch, OurOwnUiIsNotOthersButOtherProcessesAndSessionsAre) {
  // Half a second: the machine busy 0.95 s of CPU; this process 0.95 s of it: 0.7 s ours (two
  // training threads), 0.25 s a UI thread and its GL driver's threads. Nobody else: no others.
  const LoadWatch::Sample a = cpu_sample_at(0.0, 100.0, 10.0, 5.0, 0.0);
  EXPECT_NEAR(LoadWatch::others_cores(a, cpu_sample_at(0.5, 100.95, 10.95, 5.7, 0.0)), 0.0, 1e-9);
  // The same with a compiler using 0.4 s of the window: 0.8 cores of others.
  EXPECT_NEAR(LoadWatch::others_cores(a, cpu_sample_at(0.5, 101.35, 10.95, 5.7, 0.0)), 0.8, 1e-9);
  // Another training session of this process (a comparison trained side by side) used 0.3 s: it
  // is others' time although it is this process's.
  EXPECT_NEAR(LoadWatch::others_cores(cpu_sample_at(0.0, 100.0, 10.0, 5.0, 2.0), cpu_sample_at(0.5, 100.95, 10.95, 5.4, 2.3)), 0.6, 1e-9);
  // A session's thread that ended in the window takes its time with it; rounding of the two
  // clocks: never below zero.
  EXPECT_EQ(LoadWatch::others_cores(cpu_sample_at(0.0, 100.0, 10.0, 5.0, 2.0), cpu_sample_at(0.5, 100.5, 10.6, 5.5, 0.0)), 0.0);
  // No time between the samples: nothing measured.
  EXPECT_EQ(LoadWatch::others_cores(a, a), 0.0);
}

TEST(LoadWatch, ThreadsForTheFreeCoresWithAQuarterCoreOfSlack) {
  EXPECT_EQ(LoadWatch::threads_for_free_cores(2.0, 2), 2);
  EXPECT_EQ(LoadWatch::threads_for_free_cores(1.75, 2), 2);  // a terminal, the kernel
  EXPECT_EQ(LoadWatch::threads_for_free_cores(1.7, 2), 1);   // a compiler on most of a core
  EXPECT_EQ(LoadWatch::threads_for_free_cores(0.1, 2), 1);   // at least the caller
  EXPECT_EQ(LoadWatch::threads_for_free_cores(-1.0, 2), 1);
  EXPECT_EQ(LoadWatch::threads_for_free_cores(8.0, 2), 2);   // at most the configured count
  EXPECT_EQ(LoadWatch::threads_for_free_cores(8.0, 4), 4);
}

TEST(LoadWatch, HelpersAreNamedAsTrainingThreadsAndTheCallerIsFoundByItsId) {
  const std::vector<ThreadCpuTime> before = process_thread_times();
  if (before.empty()) GTEST_SKIP() << "no /proc/self/task here";
  const int me = this_thread_id();
  EXPECT_TRUE(std::any_of(before.begin(), before.end(), [&](const ThreadCpuTime& t) { return t.tid == me && t.seconds > 0; }))
      << "this thread is listed with the CPU time it used";
  Workers w(2, /*adaptive=*/false);
  w.run(2, [](int) {});
  const std::vector<ThreadCpuTime> training = process_thread_times(kTrainingThreadPrefix);
  ASSERT_FALSE(training.empty()) << "the helper is named " << kTrainingThreadPrefix << "…";
  for (const ThreadCpuTime& t : training) {
    EXPECT_EQ(t.name, "gs-train-part");
    EXPECT_NE(t.tid, me);
  }
}

}  // namespace
}  // namespace gs::nn
