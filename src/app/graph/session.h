// The open graph and everything that follows from it: the document, its undo history, the lesson
// (engine results + stepping cursor), the file it came from, the status message. Views read it
// and call its commands; it never draws. No ImGui, no GL.
#pragma once

#include "app/base/status.h"
#include "app/graph/graph_model.h"
#include "app/graph/history.h"
#include "app/graph/layout.h"
#include "app/graph/lesson.h"
#include "app/graph/node_face.h"
#include "engine/parse.h"

#include <functional>
#include <string>
#include <vector>

namespace gs::app {

// Work the session's own algorithms did, counted (tests check that it grows linearly with the
// graph; speed itself is measured in benchmarks).
struct SessionWork {
  LayoutWork layout;              // the last layout
  std::size_t overlap_pairs = 0;  // box pairs the last check for overlapping boxes compared
};

// Where the expression bar's last error points (1-based column, 0 = no error).
struct ExpressionError {
  std::string text;  // what was typed
  std::string message;
  int column = 0;
  int length = 1;
};

// One spelling of a file's path for the recent list: absolute, without ".", ".." or symbolic
// links where the file exists (so "./a.json", "dir/../a.json" and a link to it are one entry).
std::string recent_spelling(const std::string& path);

class Session {
 public:
  const GraphModel& model() const { return model_; }
  const Lesson& lesson() const { return lesson_; }
  Lesson& lesson() { return lesson_; }

  // [SECTION] edits: each records an undo snapshot, applies, rebuilds the lesson
  void edit(const std::function<void(GraphModel&)>& change);
  // An edit of positions only (dragging nodes): undoable, but the engine does not run again.
  void move_nodes(const std::vector<DocId>& ids, float dx, float dy);
  // For continuous edits (dragging a value): snapshot once at the start, then apply freely.
  void begin_continuous_edit();
  void continuous_edit(const std::function<void(GraphModel&)>& change);
  bool undo();
  bool redo();
  bool can_undo() const { return history_.can_undo(); }
  bool can_redo() const { return history_.can_redo(); }
  // Lays the graph out in columns by level (undoable; positions only: the engine does not run).
  void relayout();
  // Replaces the graph by its extension with adjoint nodes (seed 004's reverse mode by extending
  // the graph), undoable: the adjoints are then ordinary nodes, and stepping the reverse trace of
  // one of them gives second derivatives. False (status says why) when an op has no symbolic rule.
  bool extend_with_adjoints();

  // Parses `text`; on success replaces the graph (undoable), keeping the values of inputs whose
  // names survive; on failure leaves the graph as it was and fills expression_error().
  bool set_expression(const std::string& text);
  const ExpressionError& expression_error() const { return expression_error_; }

  // [SECTION] documents and files
  // Replaces everything (history cleared). Nodes without positions are laid out.
  void load(GraphModel model, const std::string& path);
  // The same for a document read from a file or made from a graph: its graph is not built again.
  void load(const GraphDocument& doc, const std::string& path);
  bool open_file(const std::string& path);    // a malformed file keeps the open graph
  // open_file() in two halves, so that a large file is read off the UI thread (BackgroundOpen):
  // opened() makes a file's document (load_document) a session of its own with all load() makes
  // of it (the engine's traces, the boxes measured with `measure`, the layout), on any thread;
  // take_opened() makes that the open graph, on the UI thread, as open_file() does (history
  // cleared, a recent file, "opened NAME").
  static Session opened(const GraphDocument& doc, const std::string& path, TextMeasure measure);
  void take_opened(Session&& ready, const std::string& path);
  const TextMeasure& text_measure() const { return measure_; }
  // The file's graph as a new document with no path and unsaved (Save asks where; quitting asks
  // first): a graph another page wrote to a temporary file. Not a recent file.
  bool open_untitled(const std::string& path);
  bool save_file(const std::string& path);
  bool open_example(const std::string& name);  // assets/examples/NAME.json
  const std::string& path() const { return path_; }
  // Changes whenever the whole graph is replaced (opened, typed, extended, recovered): views
  // then show all of it again; ordinary edits keep the view where it is.
  int generation() const { return generation_; }
  // Changes whenever a node may have moved or its box changed size (an edit, a move, a layout,
  // undo, new text sizes); with generation(), the version of the layout the canvas indexes.
  std::uint64_t layout_version() const { return layout_version_; }
  bool dirty() const { return dirty_; }
  // Counts the changes made to the document since the session began: every edit, move, undo,
  // redo, layout, typed, extended, recovered or untitled graph (not opening a file). A file opened
  // in the background compares it at arrival: edits made meanwhile are never replaced unasked.
  std::uint64_t edit_count() const { return edit_count_; }
  std::string display_name() const;

  // Autosave (off unless a directory is given) and the recent files list. An autosave found when
  // persistence starts is one the last session left (it ended without removing it: a crash, a
  // kill): it is offered (autosave_offer()) and never overwritten before the user answers —
  // autosaves wait, the edits are kept pending — by recover_autosave() or discard_autosave(). A
  // write that fails (a read-only folder, a full disk) says so on the status line, once until a
  // write succeeds again. A program that ends normally calls end_persistence(), which removes the
  // autosave (nothing to recover next time) unless an offered one was never answered.
  void enable_persistence(const std::string& state_dir);
  void autosave_if_due(double now_seconds);
  // When the pending autosave should be written (0 when none): the main loop wakes for it.
  double autosave_due() const;
  bool recover_autosave();
  // The autosave waiting for an answer: its file and when it was written ("2026-11-30 09:12");
  // empty file when none.
  struct AutosaveOffer {
    std::string file, written;
  };
  const AutosaveOffer& autosave_offer() const { return offer_; }
  // The offered autosave is set aside as autosave-discarded.json (one slip can still be undone
  // by hand) and autosaving goes on.
  void discard_autosave();
  void end_persistence();
  const std::vector<std::string>& recent_files() const { return recent_; }

  // [SECTION] status line
  const StatusMessage& status() const { return status_; }
  void set_status(std::string text, bool error = false) { status_ = StatusMessage{std::move(text), error}; }

  std::vector<char> tensor_nodes() const;  // by document index: drawn with a heatmap

  // [SECTION] node boxes
  // What each node shows at most and its box (by document index), kept with the lesson.
  const std::vector<NodeFace>& faces() const { return faces_; }
  const std::vector<Point>& node_sizes() const { return sizes_; }
  // How canvas text is measured (the canvas font, once the program has fonts); an estimate until
  // then. Boxes are measured again at once.
  void set_text_measure(TextMeasure measure);
  // The box around every node, canvas units (min, max); zeros for an empty graph.
  std::pair<Point, Point> bounds() const;
  // Width of the label the link into `slot` of document node `index` can carry, canvas units.
  float label_width(std::size_t index, int slot) const;
  // Where new boxes (a node added from the palette, a pasted group: their top-left corners and
  // sizes, canvas units) may go: the offset nearest `prefer`, on a grid of the group's own steps,
  // at which none of them covers a node of the document or comes closer than a row gap to one.
  // A new node never lands on another, a paste never on its original.
  Point free_offset(const std::vector<Point>& pos, const std::vector<Point>& size, Point prefer = {}) const;
  const SessionWork& work() const { return work_; }

 private:
  // `graph`: the engine graph `next` was made from (GraphModel::from_document), adopted as built.
  void replace_model(GraphModel next, Graph graph);
  void changed();  // the lesson rebuilt, then edited()
  void edited();   // dirty, autosave due, edit_count() moves
  void moved();    // positions only: layout_version() moves, then edited()
  void rebuild_lesson();  // the engine runs here, and only here
  void adopt_lesson(Graph graph);  // the same for a graph built already
  void measure_faces();
  void size_faces();  // titles broken where too wide, then each box measured
  void after_load(const std::string& path);  // positions, then loaded_from()
  void loaded_from(const std::string& path);  // path, clean state, no expression error
  void lay_out();         // positions from the boxes, no snapshot
  bool boxes_overlap() const;
  void remember_recent(const std::string& path);
  GraphModel model_;
  History history_;
  Lesson lesson_;
  TextMeasure measure_ = estimate_text_width;
  std::vector<NodeFace> faces_;
  std::vector<Point> sizes_;
  std::vector<int> partial_of_link_;  // by engine consumer index · 3 + slot: its partial adjoint, −1
  mutable SessionWork work_;
  std::string path_;
  bool dirty_ = false;
  int generation_ = 0;
  std::uint64_t layout_version_ = 0;
  std::uint64_t edit_count_ = 0;
  ExpressionError expression_error_;
  StatusMessage status_;
  std::string state_dir_;
  std::vector<std::string> recent_;
  bool autosave_pending_ = false;
  bool pending_write_ = false;
  bool autosave_failed_ = false;  // the last write failed (said once on the status line)
  AutosaveOffer offer_;
  double last_change_ = 0;
};

// Statement names (`s0 = w0*x0; …; L = σ(s3)`) on the op nodes they name: node titles show
// "v6 = s0 = …" and the reverse trace starts at ∂L/∂L. Later statements win (`b = a`: b).
void name_statements(ParsedExpression& parsed);
// The same for a document read from a file: its expression, when it still describes the graph,
// gives the names back (graph files keep no names of op nodes).
void restore_statement_names(GraphDocument* doc);

// assets/examples as nn::assets_dir() finds it (GRADSCOPE_ASSETS, an installed copy, the source
// tree's); empty when there are no assets at all.
std::string examples_dir();
// Example names (file stems) in assets/examples, sorted, the default (seed004) first.
std::vector<std::string> example_names();
inline constexpr const char* kDefaultExample = "seed004";
// An example's title (its file's "title") in the interface's language, as the Examples menu
// lists it; the name itself when the file has none or cannot be read.
std::string example_title(const std::string& name);
// "could not open PATH: WHY" in the interface's language, WHY being the engine's message; the
// path once, where the message already names it ("PATH: …", "cannot open 'PATH': …").
std::string open_failed_message(const std::string& path, const std::string& what);
// The example a menu entry or a command names: a name, or a title in either language; "" if none.
std::string example_named(const std::string& name_or_title);
// Seed 004's function, used when the example file is missing.
GraphModel builtin_seed004();

}  // namespace gs::app
