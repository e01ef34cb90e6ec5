// A page of the program (Graph, Schedules, Training): one tab under the menu bar, owning its
// state, its keys and its drawing. The shell (shell/workbench.h) shows one page at a time, hands
// it the menu's commands and puts its status on the status line; it knows pages only through this
// interface. A new page is a folder of its own plus one line in shell/pages.cpp (docs/APP.md).
// ImGui types only; no GL.
//
// Each frame, for a page P:
//   P.update(ctx)                    every page, shown or not (background work: autosave)
//   P.apply(command, ctx)            the shown page, for each command the menu pushed
//   P.handle_keys(ctx)               the shown page, before drawing (its own keys only)
//   P.draw(ctx, view)                the shown page, in the region below the tabs
//   P.record(*ctx.record)            the shown page, when a frame record is being taken
// A page that needs a frame at a given time without input (an animation, a pending save) asks
// ctx.requests.redraw.request_at(t) from any of these; the earliest request wins.
#pragma once

#include "app/base/command.h"
#include "app/base/fonts.h"
#include "app/base/frame_record.h"
#include "app/base/images.h"
#include "app/base/launch_options.h"
#include "app/base/redraw.h"
#include "app/base/status.h"

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

namespace gs::app {

// A region of the window in screen pixels (the picture File > Export > PNG writes).
struct ScreenRect {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool empty() const { return x1 <= x0 || y1 <= y0; }
};

// Asks of the pages and the shell to the main loop, which owns the window and GL.
struct FrameRequests {
  RedrawTimer redraw;          // draw again at the earliest requested time
  std::string capture_png;     // write the shown page's picture() to this path after this frame
  int text_size_delta = 0;     // rebuild the fonts larger (+) or smaller (−)
  bool text_size_reset = false;  // rebuild the fonts at the size the program started with
  std::string glyphs;          // rebuild the fonts with these characters too (fonts.h glyphs_to_add)
  bool toggle_full_screen = false;  // the window onto the whole monitor, or back
  bool quit = false;           // the user confirmed quitting
};

// What every page method receives.
struct PageContext {
  const FontSet& fonts;
  FrameRequests& requests;
  FrameRecord* record = nullptr;  // non-null only on the frame a --screenshot records
  double now = 0;                 // seconds, the main loop's clock
  // CPU seconds the last frames cost this process apart from training: the UI thread and the GL
  // driver's threads (llvmpipe's rasteriser where there is no GPU), as the main loop measured them
  // over the last half second; 0 before it has. Pages that redraw while nothing but data changes
  // choose their rate by it.
  double frame_cost = 0;
  ImageService* images = nullptr;  // the GPU's pictures (null: draw them cell by cell)
  // Presentation mode (F5): the page shows what a lecture projects, large, without controls
  // (the Graph page: the step banner, the graph and the current trace).
  bool presenting = false;
  // The shell's command queue, run at the start of the next frame (or, pushed from update(), of
  // this one): how a page hands a document to another (ShowPage, Open, ShowStatus). Set by the
  // workbench.
  CommandQueue* commands = nullptr;
};

// The document a page has open, as the File menu and the title at the right of the menu bar
// show it.
struct PageDocument {
  std::string name;       // "Seed 004: y = ln(x1) + …"
  std::string path;       // the file it was opened from or saved to; "" when never saved
  std::string file_stem;  // proposed file name for Save as and exports ("seed004")
  bool dirty = false;     // unsaved changes: quitting asks first
};

// What `gradscope --bench-frames` measured over one pass's timed frames (main.cpp fills it): the
// CPU time of this process's threads by kind, in seconds over the pass, and its wall time.
struct BenchFigures {
  int frames = 0;
  double seconds = 0;              // wall time from the first timed frame's start to the last's end
  double ui_build_seconds = 0;     // the UI thread building frames (NewFrame..Render)
  double ui_thread_seconds = 0;    // the UI thread in all: building, GL calls, waiting on nothing
  double gl_driver_seconds = 0;    // the GL driver's own threads (Mesa's llvmpipe under Xvfb)
  double training_seconds = 0;     // training threads (nn::kTrainingThreadPrefix…)
  double other_seconds = 0;        // any other thread (a loader)
  int cores = 1;                   // CPUs online
  // The GL driver's CPU, in cores: its threads and the UI thread's GL calls (a GPU's work on a
  // machine that has one).
  double gl_cores() const {
    return seconds > 0 ? (gl_driver_seconds + std::max(0.0, ui_thread_seconds - ui_build_seconds)) / seconds : 0;
  }
};

// One pass of `gradscope --bench-frames`: set the page up, then N frames are timed.
struct BenchPass {
  std::string name;  // "533 nodes, fitted"
  std::function<void()> setup;
  // Seconds between frame starts (1/60: paced as a display); 0: back to back; negative: when the
  // page asks (its redraw requests, as the interactive loop draws while nobody touches it).
  double frame_interval = 0;
  // Printed after the timing line: figures of the page's own, with the pass's measurement.
  std::function<std::string(const BenchFigures&)> report;
};

class Page {
 public:
  virtual ~Page() = default;

  // [SECTION] identity
  // Stable name: --view NAME, Command ShowPage, the frame record's "page". "graph".
  virtual const char* name() const = 0;
  // The tab's label, in the current language.
  virtual std::string title() const = 0;
  // The names --view accepts for this page: views()[0] shows the whole page; others one panel
  // alone. draw() receives the index.
  virtual std::vector<std::string> views() const { return {name()}; }
  // Reads this page's part of the command line (documents to open, steps to take). False when it
  // could not do what was asked; status() says why, and the page shows something sensible.
  virtual bool start(const LaunchOptions& options) { return true; }

  // [SECTION] each frame (see the order above)
  virtual void update(PageContext& ctx) {}
  virtual void handle_keys(PageContext& ctx) {}
  virtual void draw(PageContext& ctx, int view) = 0;
  // Page-wide facts for the frame record (mode, step, …); draw() records what it draws.
  virtual void record(FrameRecord& record) const {}

  // [SECTION] commands from the menu
  // Whether the page knows `id` (the menu hides the others) and can do it now (else greyed out).
  // Shell commands never reach a page, except ExportPng's label.
  virtual CommandState command_state(CommandId id) const { return CommandState::Hidden; }
  bool can(CommandId id) const { return command_state(id) == CommandState::Enabled; }
  // Does it; false when it failed (status() says why) or the page does not know it.
  virtual bool apply(const Command& command, PageContext& ctx) { return false; }
  // A page's own wording for a menu item ("Traces as CSV..."); "" for the menu's default.
  virtual std::string command_label(CommandId id) const { return {}; }
  // The files a command writing `path` writes (the path dialog asks before replacing any that
  // exists): `path` itself, unless the page writes more beside it.
  virtual std::vector<std::string> outputs(CommandId id, const std::string& path) const { return {path}; }
  virtual PageDocument document() const { return {}; }
  virtual std::vector<std::string> examples() const { return {}; }       // the Examples menu
  virtual std::string examples_dir() const { return {}; }                // listed by File > Open
  virtual std::string lessons_dir() const { return {}; }  // File > Open lesson starts there (none: no item)
  virtual std::vector<std::string> recent_files() const { return {}; }   // File > Open recent
  // The region File > Export > PNG writes, as drawn in the last frame; empty when none.
  virtual ScreenRect picture() const { return {}; }

  // [SECTION] status line
  virtual StatusMessage status() const { return {}; }
  virtual void set_status(std::string text, bool error) {}
  // Shown on the status line while there is no message (the page's keys).
  virtual const char* hint() const { return ""; }

  // [SECTION] --bench-frames
  virtual std::vector<BenchPass> bench_passes() { return {}; }
};

}  // namespace gs::app
