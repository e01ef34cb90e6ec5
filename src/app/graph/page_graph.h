// The Graph page (the lab of seed 004): type or place a computation graph, then step its forward,
// reverse and tangent traces on the canvas, in the trace tables and in the inspector. It owns the
// session (document, undo history, lesson), the focus and its views, arranges them with
// splitters, and answers the menu's File/Edit/Examples commands. No GL.
#pragma once

#include "app/base/page.h"
#include "app/graph/background_open.h"
#include "app/graph/view_context.h"
#include "app/graph/view_graph.h"
#include "app/graph/view_inspector.h"
#include "app/graph/view_replay.h"
#include "app/graph/view_step_notes.h"
#include "app/graph/view_toolbar.h"
#include "app/graph/view_trace.h"

#include <optional>
#include <string>
#include <vector>

namespace gs::app {

class GraphPage final : public Page {
 public:
  // views(): the whole lab, then one panel alone (the canvas keeps the toolbar above it).
  enum View : int { kLab, kCanvas, kTraces, kInspector };

  // A normal end: the session's autosave is removed (Session::end_persistence).
  ~GraphPage() override { session_.end_persistence(); }
  const char* name() const override { return "graph"; }
  std::string title() const override;
  std::vector<std::string> views() const override { return {"lab", "graph", "traces", "inspector"}; }
  // Opens --graph FILE or --example NAME (the default example when neither, or when the file
  // fails: false then, the status says why), types --expression, steps to --steps, selects
  // --select; with --bench-frames, the 500-node benchmark graph instead. Autosave and recent
  // files live in options.state_dir when it is set.
  bool start(const LaunchOptions& options) override;

  void update(PageContext& ctx) override;
  void handle_keys(PageContext& ctx) override;
  void draw(PageContext& ctx, int view) override;
  void record(FrameRecord& record) const override;

  CommandState command_state(CommandId id) const override;
  bool apply(const Command& command, PageContext& ctx) override;
  std::string command_label(CommandId id) const override;
  PageDocument document() const override;
  std::vector<std::string> examples() const override;
  std::string examples_dir() const override;
  std::string lessons_dir() const override;
  std::vector<std::string> recent_files() const override;
  ScreenRect picture() const override;

  StatusMessage status() const override;  // "opening NAME…" while a large file is opened
  void set_status(std::string text, bool error) override { session_.set_status(std::move(text), error); }
  const char* hint() const override;

  std::vector<BenchPass> bench_passes() override;

  Session& session() { return session_; }
  const Focus& focus() const { return focus_; }
  Quiz& quiz() { return quiz_; }

  // Opens a lesson file (File > Open and --lesson take either kind of file): its graph replaces
  // the open one, its notes go with the step banner while that graph stays open. A malformed
  // file changes nothing (the status names the problem and where). False then.
  bool open_lesson(const std::string& path);
  // The open lesson file while its graph is the one shown; null when none (another graph was
  // opened or typed since).
  const LessonFile* lesson_file() const;
  // Writes the open graph as a lesson file (lesson_template: the open lesson file's notes, the
  // other steps' rows as notes to rewrite) and makes it the open lesson file. False (status says
  // why) when the graph cannot be saved or the file cannot be written.
  bool save_lesson(const std::string& path);
  // Large graph and lesson files (kBackgroundOpenBytes and more) are opened off the UI thread: the
  // open graph stays, usable, until the file is ready, and is replaced only if it read (update()
  // looks).
  BackgroundOpen& background_open() { return opening_; }
  // A file that arrived after the graph was edited (Session::edit_count() moved since Open was
  // chosen) is held, not taken: a bar asks "Open NAME (discard the edits)" / "Keep the edited
  // graph". The held file's path, null when none; answer_held_open(true) opens it, false keeps
  // the edited graph (the status says the file was not opened). Opening anything else drops it.
  const std::string* held_open() const { return held_ ? &held_->path : nullptr; }
  void answer_held_open(bool open);

 private:
  ViewContext view_context(PageContext& ctx);
  void draw_lab(ViewContext& vc);
  void draw_canvas(ViewContext& vc);
  void draw_presentation(ViewContext& vc);
  void draw_autosave_offer(ViewContext& vc);
  void draw_held_open(ViewContext& vc);
  void open_in_background(const std::string& path);
  void finish_open(BackgroundOpen::Result result);
  void take_open(BackgroundOpen::Result result);  // the arrived graph or lesson replaces the open one
  void show_lesson(LessonFile file, const std::string& path);  // after its graph is the session's
  std::string document_text() const;  // the open graph's and lesson's own words, for the fonts

  Session session_;
  Focus focus_;
  ToolbarView toolbar_;
  ReplayPanel replay_panel_;
  GraphView graph_;
  TraceView traces_;
  InspectorView inspector_;
  StepNotesView notes_;
  Quiz quiz_;
  std::optional<LessonFile> lesson_file_;
  int lesson_generation_ = -1;  // the session's generation the lesson file's graph was loaded as
  int quiz_generation_ = -1;    // the graph the quiz's score is for
  int glyphs_generation_ = -1;  // the graph whose words the fonts were checked for
  // Below this width (in font heights: 1300 px at 17 px text) the lab stacks the canvas above the
  // tables instead of beside them.
  static constexpr float kStackBelowEm = 76.0f;
  static constexpr float kPresentGraphFraction = 0.58f;  // of the height below the banner, at least
  static constexpr float kPresentMaxGraphFraction = 0.76f;  // and at most (the table keeps three rows)
  static constexpr float kLabMaxGraphFraction = 0.92f;  // stacked lab: the most the canvas takes (the tables keep their tabs)
  float side_fraction_ = 0.36f;   // width of the side panels
  float trace_fraction_ = 0.55f;  // height of the tables within the side
  float stack_fraction_ = 0.56f;  // stacked: height of the canvas
  float auto_stack_fraction_ = 0.56f;  // the last one chosen for the graph (not dragged)
  bool stacked_ = false;
  int arranged_generation_ = -1;  // the graph and the size the arrangement was chosen for
  ImVec2 arranged_size_{0, 0};
  bool canvas_drawn_ = false;     // in the last frame (the traces or inspector may be shown alone)
  bool presented_ = false;        // presentation mode in the last frame
  int export_frames_ = 0;         // frames left that draw the exported picture (no help line)
  std::uint64_t opening_edits_ = 0;  // the session's edit_count() when the running open started
  std::optional<BackgroundOpen::Result> held_;  // arrived after edits: waits for answer_held_open()
  BackgroundOpen opening_;        // last: its threads are waited for before the rest goes
};

// A generated scalar MLP of about 500 nodes (3-8-8-8-1, tanh, weights as inputs): the drawing
// benchmark's graph.
GraphModel benchmark_mlp();

}  // namespace gs::app
