// The lesson: what the engine recorded for the current document (one TraceBundle from
// evaluate_and_trace: values, adjoints, partial adjoints, tangents, the three traces, gradient
// checks, the first NaN) and the stepping cursor over those traces. It only calls the engine; it
// never computes a derivative. No ImGui, no GL.
#pragma once

#include "app/graph/graph_model.h"
#include "engine/evaluate_and_trace.h"

#include <optional>
#include <string>
#include <vector>

namespace gs::app {

enum class StepMode : std::uint8_t { Forward, Reverse, Tangent };
const char* step_mode_name(StepMode m);  // "forward", "reverse", "tangent" (for files and tests)

// How far the lecturer has stepped: `step` rows of the `mode` trace are shown. In Reverse mode
// every forward value is shown as well (the reverse pass needs them).
struct Cursor {
  StepMode mode = StepMode::Forward;
  int step = 0;
  friend bool operator==(const Cursor&, const Cursor&) = default;
};

// The cursor as the command line writes it (--steps): "forward:4" -> {Forward, 4}. False for
// anything else (an unknown mode, a missing, negative or seven-digit count).
bool parse_steps(const std::string& text, Cursor* out);

class Lesson;

// Why a trace has no row to step, or None. A fresh empty graph, an output that is a constant and
// forward mode without an input are states to explain calmly; only a Problem (the build's or the
// engine's, Lesson::problem()) is a fault.
enum class NoSteps : std::uint8_t { None, EmptyGraph, ConstantOutput, NoInput, Problem };
NoSteps no_steps(const Lesson& l, StepMode m);

class Lesson {
 public:
  // Builds and evaluates `model`; keeps the cursor where it was when the rows still exist.
  void rebuild(const GraphModel& model);
  // The same with the engine graph already built (a typed expression, a file, an extension:
  // adopt_graph), so that the graph is built once.
  void adopt(BuiltGraph built);

  const BuiltGraph& built() const { return built_; }
  const Graph& graph() const { return built_.graph; }
  // Why there is nothing to step (build or evaluation error), empty when fine.
  const std::string& problem() const { return problem_; }
  bool ready() const { return problem_.empty() && evaluated_; }

  // Everything the engine returned for the built graph (evaluate_and_trace.h).
  const TraceBundle& bundle() const { return bundle_; }
  const Evaluation& evaluation() const { return bundle_.evaluation; }
  const ReverseResult& reverse_result() const { return bundle_.reverse; }
  const TangentResult& tangent_result() const;  // empty until a tangent input exists
  const std::vector<ForwardStep>& forward_rows() const { return bundle_.forward_rows; }
  const std::vector<ReverseStep>& reverse_rows() const { return bundle_.reverse_rows; }
  const std::vector<TangentStep>& tangent_rows() const { return bundle_.tangent_rows; }
  const NonFinite& non_finite() const { return bundle_.non_finite; }
  // Gradient checks per input name; empty when the output is not a scalar or the graph is large.
  const GradcheckReport& gradcheck_report() const;
  const std::string& tangent_input() const { return tangent_input_; }
  // Forward mode along the input `name` (the first input when there is none of that name); only
  // the tangent is traced again.
  void set_tangent_input(const std::string& name);
  // How often the engine has evaluated and traced, and built a graph from the document: a change
  // of positions changes neither (issue 13), a typed expression is built once.
  int engine_runs() const { return engine_runs_; }
  int graph_builds() const { return graph_builds_; }

  // [SECTION] stepping
  Cursor cursor() const { return cursor_; }
  int row_count(StepMode m) const;
  bool at_end() const { return cursor_.step >= row_count(cursor_.mode); }
  void reset();
  // The lecture's stepping, for buttons, arrow keys and a presentation clicker: one row on — the
  // forward rows, then the reverse rows, their continuation (the tangent rows in tangent mode) —
  // and its exact inverse, one row back (from the first reverse row back to the whole forward
  // trace; tangent mode stays tangent mode).
  void next();
  void previous();
  // To the end of the pass being stepped: the forward trace, else the reverse one (tangent mode:
  // the tangent trace).
  void finish();
  void step_forward();   // one more forward (or tangent, in tangent mode) row
  void run_forward();
  void step_backward();  // one more reverse row (forward values all shown)
  void run_backward();
  bool undo_step();      // back to the cursor before the last stepping command
  void jump(Cursor c);
  void start_tangent();  // tangent mode, step 0

  // [SECTION] what the cursor shows (engine node ids)
  bool value_shown(NodeId id) const;
  bool adjoint_shown(NodeId id) const;
  bool tangent_shown(NodeId id) const;
  bool partial_shown(const PartialAdjoint& p) const;
  NodeId current_node() const;  // the node of the last shown row, invalid at step 0
  int current_row() const { return cursor_.step - 1; }
  int forward_row_of(NodeId id) const;  // -1 when the node has no row
  int reverse_row_of(NodeId id) const;
  int tangent_row_of(NodeId id) const;
  NodeId row_node(StepMode m, int row) const;

 private:
  void move_to(Cursor c);
  void trace();
  BuiltGraph built_;
  std::string problem_;
  bool evaluated_ = false;
  TraceBundle bundle_;
  std::vector<int> forward_row_, reverse_row_, tangent_row_;  // by engine node index
  std::string tangent_input_;
  int engine_runs_ = 0;
  int graph_builds_ = 0;
  Cursor cursor_;
  std::vector<Cursor> undo_;
};

}  // namespace gs::app
