// The threads of one training session: the caller (the training thread) plus threads − 1 helpers
// that run parts of a step beside it, and the check that falls back to the caller alone while
// the machine is busy. Owned by a session, never process-wide: two sessions (or the app's UI and a
// trainer) do not share anything here. No OpenMP: a part is a whole half of the batch or of the
// parameter arena, so a step synchronises a few times, not once per layer.
// Depends on the standard thread library only; reads /proc/stat on Linux (see LoadWatch).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace gs::nn {

// Training threads are named with this prefix ("gs-trainer", "gs-train-part"), so that a load
// check and a benchmark can tell them from a UI's threads and a GL driver's (`top -H`, perf, too).
inline constexpr const char kTrainingThreadPrefix[] = "gs-train";
// Names the calling thread (Linux shows at most 15 characters; elsewhere nothing happens).
void name_this_thread(const char* name);
// The kernel's id of the calling thread (what /proc/self/task lists); 0 where there is none.
int this_thread_id();

// One thread of this process and the CPU time it has used (seconds, from /proc/self/task/TID:
// its `comm` name and the first field of `schedstat`, nanoseconds on a CPU).
struct ThreadCpuTime {
  int tid = 0;
  std::string name;
  double seconds = 0;
};
// Every live thread of this process; empty where /proc/self/task cannot be read. With
// `name_prefix`, only the threads whose name starts with it (the others' times are not read).
std::vector<ThreadCpuTime> process_thread_times(const char* name_prefix = nullptr);

// Whether the machine has room for more of our threads, judged from the CPU time that others used
// over the last quarter second. Others are other processes (a compiler) and this process's other
// training sessions (threads named kTrainingThreadPrefix…: a comparison of runs trains them side
// by side); this process's other threads — a UI and its GL driver — are not: they sleep between
// frames and run in bursts of a few milliseconds, which delay one part of a step, whereas the
// caller alone would give up a whole core for as long as the window is shown (the training lab
// trained at 37 % of the CLI's speed that way, docs/PERFORMANCE.md). The UI keeps its own cost down
// (a lower frame rate while training). With `cores` CPUs and others using `o` of them, `cores − o`
// are free; the session uses that many threads (at least one, at most its configured count).
// Going down is immediate, going up waits for a second window that agrees, so one quiet moment of
// a compiler does not make two threads fight it. Where /proc/stat cannot be read, every
// configured thread is used.
class LoadWatch {
 public:
  explicit LoadWatch(int threads);
  // How many threads to use now; measures when the window has passed. `our_cpu_seconds` is the
  // CPU time used so far by all our training threads, `our_tids` their thread ids (the caller's
  // and the helpers' that have started).
  int threads_to_use(double our_cpu_seconds, const std::vector<int>& our_tids = {});
  // Free cores seen in the last window (for reports); NaN before the first.
  double last_free_cores() const { return last_free_; }

  // CPU times at one moment, in seconds since boot (machine) or since start (process, threads).
  struct Sample {
    std::chrono::steady_clock::time_point when;
    double machine_busy_seconds = 0;  // over all CPUs, /proc/stat
    double process_seconds = 0;       // every thread of this process, dead ones included
    double ours = 0;                  // this session's training threads
    double other_training = 0;        // this process's other training threads (other sessions)
  };
  // Cores that others used between two samples: the machine's busy time minus this process's,
  // plus this process's other training sessions (never negative).
  static double others_cores(const Sample& before, const Sample& after);
  // The thread count for `free` cores: ⌊free + ¼⌋ within [1, configured] (a quarter core of slack:
  // the kernel's own work and a terminal's redraws do not take a thread away).
  static int threads_for_free_cores(double free, int configured);

 private:
  bool sample(double ours, const std::vector<int>& our_tids, Sample* out) const;

  int configured_, current_, cores_;
  bool readable_ = true;
  int pending_up_ = 0;
  Sample last_{};
  double last_free_;
};

class Workers {
 public:
  // `threads` ≥ 1; helpers start on the first run() that can use them. `adaptive` = false keeps
  // every thread whatever the load (benchmarks that measure a thread count).
  explicit Workers(int threads, bool adaptive = true);
  ~Workers();
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  int threads() const { return threads_; }
  // At most `limit` threads from now on (≥ 1); for tests that compare one thread with several.
  void set_thread_limit(int limit) { limit_ = limit < 1 ? 1 : limit; }
  // Threads the last run() used.
  int active() const { return used_; }
  const LoadWatch& load() const { return watch_; }

  // body(part) for part = 0 … parts − 1, spread over the threads in use (the caller takes part 0,
  // and all of them when it runs alone or when `worth_threads` is false: work too small to pay
  // for waking a helper); returns when every part is done. Which thread runs a part never
  // changes what the part computes: results are the same bits on one thread or many. The first
  // exception a part throws is rethrown here, after every part has finished.
  template <class Body>
  void run(int parts, Body&& body, bool worth_threads = true) {
    run_parts(parts, [](void* b, int part) { (*static_cast<Body*>(b))(part); }, &body, worth_threads);
  }

 private:
  using PartFn = void (*)(void*, int);
  void run_parts(int parts, PartFn fn, void* ctx, bool worth_threads);
  void start_helpers();
  void helper_loop(int index, std::uint64_t seen);
  double cpu_seconds() const;
  std::vector<int> thread_ids() const;  // the caller's and the started helpers' (LoadWatch)

  const int threads_;
  const bool adaptive_;
  int active_ = 1;  // what the load allows
  int used_ = 1;
  int limit_;
  LoadWatch watch_;
  std::vector<std::thread> helpers_;
  std::unique_ptr<std::atomic<int>[]> helper_tids_;  // each helper's kernel id, once it runs

  // The job of the current run, published by bumping generation_.
  PartFn fn_ = nullptr;
  void* ctx_ = nullptr;
  int parts_ = 0, job_threads_ = 1;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<int> pending_{0};
  std::mutex mutex_;
  std::condition_variable helpers_wake_, caller_wake_;
  std::atomic<bool> stop_{false};
  std::exception_ptr error_;
  std::chrono::steady_clock::time_point next_check_{};
};

}  // namespace gs::nn
