// Opening a large graph or lesson file off the UI thread (issue 10: a 100,000-node file took 3–4 s
// to read, build, evaluate, measure and lay out, and the window froze meanwhile). Each open runs on
// a thread of its own into a Session of its own (Session::opened); the UI thread looks each frame
// and takes the result whole (Session::take_opened) only when the file read, so a malformed file
// never replaces the open graph. Opening again abandons the running open (its result is dropped);
// the destructor waits for every thread (quitting while a file is read). The only crossing: one
// result per open, written once by its thread and taken once by the UI thread, under the open's
// mutex. No ImGui.
#pragma once

#include "app/graph/lesson_file.h"
#include "app/graph/session.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gs::app {

class BackgroundOpen {
 public:
  // What a finished open gave: the ready session, or why the file could not be opened.
  struct Result {
    std::string path;
    std::optional<Session> session;    // the graph (a lesson file's too); empty when the file could not be opened
    std::optional<LessonFile> lesson;  // a lesson file's notes and controls (its graph: `session`, untitled)
    std::string error;                 // the reader's message, in English (translate on the UI thread)
  };

  BackgroundOpen() = default;
  BackgroundOpen(const BackgroundOpen&) = delete;
  BackgroundOpen& operator=(const BackgroundOpen&) = delete;
  ~BackgroundOpen();  // abandons the running open, waits for every thread

  // Starts opening `path`, its boxes measured by `measure` (which must be safe on another thread:
  // estimate_text_width, or widgets::CanvasTextWidthCopy). A running open is abandoned.
  void start(const std::string& path, TextMeasure measure);
  // Drops the running open, if any: its result will never be taken.
  void abandon();
  // An open was started and its result not yet taken.
  bool busy() const { return current_ != nullptr; }
  // The file being opened (empty when not busy).
  std::string path() const;
  // The running open's result once its thread is done (busy() is false after); nothing before.
  std::optional<Result> take();
  // Blocks until the running open's thread is done (tests; never the UI).
  void wait() const;

  // Tests: opens started while held wait, before reading the file, until release() (a "still
  // opening" state that does not depend on the threads' speed).
  void hold();
  void release();

 private:
  struct Gate;
  struct Job;
  void reap();  // joins the abandoned threads that are done
  std::shared_ptr<Gate> gate_;
  std::shared_ptr<Job> current_;
  std::vector<std::shared_ptr<Job>> abandoned_;
};

// Files this large (bytes) and larger are opened with BackgroundOpen: a 100,000-node graph is
// 5–10 MB; seed 004's file is 2 KB.
inline constexpr std::uintmax_t kBackgroundOpenBytes = 512 * 1024;

}  // namespace gs::app
