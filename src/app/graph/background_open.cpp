// BackgroundOpen: one thread per open; the open's mutex guards its result (written once by the
// thread, taken once by the UI thread) and the gate's mutex the tests' hold. No ImGui.
#include "app/graph/background_open.h"

#include "app/graph/graph_model.h"
#include "app/graph/lesson_file.h"
#include "engine/text_file.h"

#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

namespace gs::app {

struct BackgroundOpen::Gate {
  std::mutex mutex;
  std::condition_variable opened;
  bool held = false;
};

struct BackgroundOpen::Job {
  std::string path;
  std::atomic<bool> abandoned{false};  // checked between reading and building: quitting waits less
  mutable std::mutex mutex;
  mutable std::condition_variable finished;
  bool done = false;  // under mutex
  Result result;      // under mutex; written before done
  std::thread thread;
};

namespace {

void run(BackgroundOpen::Result* out, const std::string& path, const TextMeasure& measure, const std::atomic<bool>& abandoned) {
  out->path = path;
  try {
    // Read once; a graph file, else a lesson file (the sync path's is_lesson_file, without reading
    // the file again): the graph reader's message unless the text says it is a lesson.
    const std::string text = read_text_file(path);
    GraphDocument doc;
    try {
      doc = document_from_text(text, path);
    } catch (const std::exception&) {
      if (!is_lesson_text(text)) throw;
      out->lesson.emplace(lesson_from_text(text, path));
    }
    if (abandoned) return;
    out->session.emplace(Session::opened(out->lesson ? out->lesson->graph : doc, out->lesson ? "" : path, measure));
  } catch (const std::exception& e) {
    out->session.reset();
    out->lesson.reset();
    out->error = e.what();
  } catch (...) {
    out->session.reset();
    out->lesson.reset();
    out->error = "unexpected error";
  }
}

}  // namespace

BackgroundOpen::~BackgroundOpen() {
  release();
  abandon();
  for (const auto& job : abandoned_) job->thread.join();
}

void BackgroundOpen::start(const std::string& path, TextMeasure measure) {
  abandon();
  if (!gate_) gate_ = std::make_shared<Gate>();
  auto job = std::make_shared<Job>();
  job->path = path;
  // The job lives until its thread is joined (take, reap, the destructor); the gate as long as a
  // thread holds its share.
  job->thread = std::thread([job_ptr = job.get(), gate = gate_, measure = std::move(measure)] {
    Job& j = *job_ptr;
    {
      std::unique_lock lock(gate->mutex);
      gate->opened.wait(lock, [&] { return !gate->held; });
    }
    Result result;
    if (!j.abandoned) run(&result, j.path, measure, j.abandoned);
    std::lock_guard lock(j.mutex);
    j.result = std::move(result);
    j.done = true;
    j.finished.notify_all();
  });
  current_ = std::move(job);
}

void BackgroundOpen::abandon() {
  if (current_) {
    current_->abandoned = true;
    abandoned_.push_back(std::move(current_));
    current_.reset();
  }
  reap();
}

std::string BackgroundOpen::path() const { return current_ ? current_->path : std::string(); }

std::optional<BackgroundOpen::Result> BackgroundOpen::take() {
  reap();
  if (!current_) return std::nullopt;
  std::optional<Result> out;
  {
    std::lock_guard lock(current_->mutex);
    if (!current_->done) return std::nullopt;
    out = std::move(current_->result);
  }
  current_->thread.join();  // done: it only returns now
  current_.reset();
  return out;
}

void BackgroundOpen::wait() const {
  if (!current_) return;
  std::unique_lock lock(current_->mutex);
  current_->finished.wait(lock, [&] { return current_->done; });
}

void BackgroundOpen::hold() {
  if (!gate_) gate_ = std::make_shared<Gate>();
  std::lock_guard lock(gate_->mutex);
  gate_->held = true;
}

void BackgroundOpen::release() {
  if (!gate_) return;
  {
    std::lock_guard lock(gate_->mutex);
    gate_->held = false;
  }
  gate_->opened.notify_all();
}

void BackgroundOpen::reap() {
  std::erase_if(abandoned_, [](const std::shared_ptr<Job>& job) {
    {
      std::lock_guard lock(job->mutex);
      if (!job->done) return false;
    }
    job->thread.join();
    return true;
  });
}

}  // namespace gs::app
