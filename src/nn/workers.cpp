// The session's helper threads and the load check (contract in workers.h). Waiting is a short
// spin (a step's phases follow each other within tens of microseconds) and then a condition
// variable, so a parked helper costs nothing; with the machine busy the caller runs alone and the
// helpers stay parked.
// Depends on <thread>, POSIX thread CPU clocks and /proc/stat.
#include "nn/workers.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <pthread.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

namespace gs::nn {

namespace {

using Clock = std::chrono::steady_clock;

// How long a waiting thread spins before it sleeps: longer than the gaps between the phases of a
// step (loss, sentinel, batch copy), far shorter than a scheduler's time slice.
constexpr auto kSpin = std::chrono::microseconds(100);
// How often the load is judged, and how long the window of CPU times it compares is.
constexpr auto kLoadWindow = std::chrono::milliseconds(250);

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#else
  std::this_thread::yield();
#endif
}

template <class Done>
bool spin_until(const Done& done) {
  const auto deadline = Clock::now() + kSpin;
  for (unsigned i = 1;; ++i) {
    if (done()) return true;
    cpu_relax();
    if (i % 64 == 0 && Clock::now() > deadline) return done();
  }
}

double seconds_of(clockid_t clock) {
  timespec t{};
  if (clock_gettime(clock, &t) != 0) return 0;
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

}  // namespace

// ============================================================================================
// Threads of this process
// ============================================================================================

void name_this_thread(const char* name) {
#if defined(__linux__)
  char shown[16] = {};
  std::strncpy(shown, name, sizeof shown - 1);  // the kernel refuses longer names
  pthread_setname_np(pthread_self(), shown);
#else
  (void)name;
#endif
}

int this_thread_id() {
#if defined(__linux__)
  return static_cast<int>(syscall(SYS_gettid));
#else
  return 0;
#endif
}

std::vector<ThreadCpuTime> process_thread_times(const char* name_prefix) {
  std::vector<ThreadCpuTime> out;
  std::error_code ec;
  for (std::filesystem::directory_iterator it("/proc/self/task", ec), end; !ec && it != end; it.increment(ec)) {
    ThreadCpuTime t;
    try {
      t.tid = std::stoi(it->path().filename().string());
    } catch (const std::exception&) {
      continue;
    }
    std::ifstream comm(it->path() / "comm");
    if (!std::getline(comm, t.name)) continue;  // the thread ended meanwhile
    if (name_prefix && t.name.rfind(name_prefix, 0) != 0) continue;
    std::ifstream sched(it->path() / "schedstat");
    double ns = 0;
    if (!(sched >> ns)) continue;
    t.seconds = ns * 1e-9;
    out.push_back(std::move(t));
  }
  return out;
}

// ============================================================================================
// LoadWatch
// ============================================================================================

LoadWatch::LoadWatch(int threads) : configured_(std::max(threads, 1)), current_(configured_), last_free_(NAN) {
  const long online = sysconf(_SC_NPROCESSORS_ONLN);
  cores_ = online > 0 ? static_cast<int>(online) : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// The first line of /proc/stat: "cpu  user nice system idle iowait irq softirq steal ..." in clock
// ticks, summed over all CPUs. Busy = everything but idle and iowait.
bool LoadWatch::sample(double ours, const std::vector<int>& our_tids, Sample* out) const {
  std::ifstream in("/proc/stat");
  std::string label;
  if (!(in >> label) || label != "cpu") return false;
  double v[8] = {};
  for (double& x : v)
    if (!(in >> x)) return false;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  if (!(ticks > 0)) return false;
  out->when = Clock::now();
  out->machine_busy_seconds = (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / ticks;
  out->process_seconds = seconds_of(CLOCK_PROCESS_CPUTIME_ID);
  out->ours = ours;
  out->other_training = 0;
  for (const ThreadCpuTime& t : process_thread_times(kTrainingThreadPrefix))
    if (std::find(our_tids.begin(), our_tids.end(), t.tid) == our_tids.end()) out->other_training += t.seconds;
  return true;
}

double LoadWatch::others_cores(const Sample& before, const Sample& after) {
  const double dt = std::chrono::duration<double>(after.when - before.when).count();
  if (!(dt > 0)) return 0;
  const double other_processes = (after.machine_busy_seconds - before.machine_busy_seconds) - (after.process_seconds - before.process_seconds);
  // A training thread of another session that ended in the window takes its time with it: never
  // below zero.
  const double other_sessions = std::max(0.0, after.other_training - before.other_training);
  return std::max(0.0, (std::max(0.0, other_processes) + other_sessions) / dt);
}

int LoadWatch::threads_for_free_cores(double free, int configured) {
  return std::clamp(static_cast<int>(std::floor(free + 0.25)), 1, std::max(configured, 1));
}

int LoadWatch::threads_to_use(double our_cpu_seconds, const std::vector<int>& our_tids) {
  if (configured_ == 1 || !readable_) return configured_;
  Sample s;
  if (!sample(our_cpu_seconds, our_tids, &s)) {
    readable_ = false;
    return current_ = configured_;
  }
  const bool first = last_.when == Clock::time_point{};
  if (first || s.when <= last_.when) {
    last_ = s;
    return current_;
  }
  const double free = cores_ - others_cores(last_, s);
  const int target = threads_for_free_cores(free, configured_);
  if (target < current_) {
    current_ = target;
    pending_up_ = 0;
  } else if (target > current_) {
    if (++pending_up_ >= 2) {
      current_ = target;
      pending_up_ = 0;
    }
  } else {
    pending_up_ = 0;
  }
  last_ = s;
  last_free_ = free;
  return current_;
}

// ============================================================================================
// Workers
// ============================================================================================

Workers::Workers(int threads, bool adaptive)
    : threads_(std::max(threads, 1)), adaptive_(adaptive), active_(threads_), limit_(threads_), watch_(threads_) {}

Workers::~Workers() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_.store(true, std::memory_order_release);
  }
  generation_.fetch_add(1, std::memory_order_release);
  helpers_wake_.notify_all();
  for (std::thread& t : helpers_) t.join();
}

void Workers::start_helpers() {
  if (!helpers_.empty()) return;
  // A helper waits for jobs after the current one: it may start running after the next is posted.
  const std::uint64_t now = generation_.load(std::memory_order_relaxed);
  helper_tids_ = std::make_unique<std::atomic<int>[]>(static_cast<std::size_t>(threads_));
  for (int i = 1; i < threads_; ++i) helpers_.emplace_back(&Workers::helper_loop, this, i, now);
}

std::vector<int> Workers::thread_ids() const {
  std::vector<int> ids{this_thread_id()};
  for (std::size_t i = 0; helper_tids_ && i < helpers_.size(); ++i)
    if (const int tid = helper_tids_[i].load(std::memory_order_relaxed); tid != 0) ids.push_back(tid);
  return ids;
}

double Workers::cpu_seconds() const {
  double total = seconds_of(CLOCK_THREAD_CPUTIME_ID);
  for (const std::thread& t : helpers_) {
    clockid_t clock;
    if (pthread_getcpuclockid(const_cast<std::thread&>(t).native_handle(), &clock) == 0) total += seconds_of(clock);
  }
  return total;
}

void Workers::run_parts(int parts, PartFn fn, void* ctx, bool worth_threads) {
  if (parts <= 0) return;
  int use = 1;
  if (threads_ > 1 && parts > 1 && worth_threads) {
    if (!adaptive_) {
      active_ = threads_;
    } else if (const auto now = Clock::now(); now >= next_check_) {
      active_ = watch_.threads_to_use(cpu_seconds(), thread_ids());
      next_check_ = now + kLoadWindow;
    }
    use = std::min({active_, parts, limit_});
  }
  used_ = use;
  if (use == 1) {
    for (int p = 0; p < parts; ++p) fn(ctx, p);
    return;
  }
  start_helpers();
  fn_ = fn;
  ctx_ = ctx;
  parts_ = parts;
  job_threads_ = use;
  error_ = nullptr;
  // Every helper acknowledges every job (those beyond `use` at once), so that none is still
  // reading this job's fields when the next one is written.
  pending_.store(threads_ - 1, std::memory_order_relaxed);
  generation_.fetch_add(1, std::memory_order_release);
  { std::lock_guard<std::mutex> lock(mutex_); }  // a helper between its check and its wait sees the new job
  helpers_wake_.notify_all();

  std::exception_ptr mine;
  for (int p = 0; p < parts; p += use) {
    try {
      fn(ctx, p);
    } catch (...) {
      if (!mine) mine = std::current_exception();
    }
  }
  const auto done = [&] { return pending_.load(std::memory_order_acquire) == 0; };
  if (!spin_until(done)) {
    std::unique_lock<std::mutex> lock(mutex_);
    caller_wake_.wait(lock, done);
  }
  if (mine) std::rethrow_exception(mine);
  if (error_) std::rethrow_exception(error_);
}

void Workers::helper_loop(int index, std::uint64_t seen) {
  name_this_thread("gs-train-part");
  helper_tids_[static_cast<std::size_t>(index - 1)].store(this_thread_id(), std::memory_order_relaxed);
  for (;;) {
    const auto job = [&] { return generation_.load(std::memory_order_acquire) != seen; };
    if (!spin_until(job)) {
      std::unique_lock<std::mutex> lock(mutex_);
      helpers_wake_.wait(lock, [&] { return stop_.load(std::memory_order_acquire) || job(); });
    }
    seen = generation_.load(std::memory_order_acquire);
    if (stop_.load(std::memory_order_acquire)) return;
    if (index < job_threads_) {
      for (int p = index; p < parts_; p += job_threads_) {
        try {
          fn_(ctx_, p);
        } catch (...) {
          std::lock_guard<std::mutex> lock(mutex_);
          if (!error_) error_ = std::current_exception();
        }
      }
    }
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard<std::mutex> lock(mutex_);
      caller_wake_.notify_one();
    }
  }
}

}  // namespace gs::nn
