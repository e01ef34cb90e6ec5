// Lesson: runs the engine over the built graph and keeps the stepping cursor. Every number and
// every line of text here comes from src/engine (evaluate_and_trace.h). No ImGui.
#include "app/graph/lesson.h"

#include <algorithm>

namespace gs::app {
namespace {

template <class Rows>
std::vector<int> rows_by_node(const Rows& rows, int node_count) {
  std::vector<int> out(node_count, -1);
  for (std::size_t r = 0; r < rows.size(); ++r)
    if (rows[r].node.valid()) out[rows[r].node.index] = static_cast<int>(r);
  return out;
}

}  // namespace

const char* step_mode_name(StepMode m) {
  switch (m) {
    case StepMode::Forward: return "forward";
    case StepMode::Reverse: return "reverse";
    case StepMode::Tangent: return "tangent";
  }
  return "forward";
}

bool parse_steps(const std::string& text, Cursor* out) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) return false;
  const std::string mode = text.substr(0, colon), count = text.substr(colon + 1);
  if (count.empty() || count.find_first_not_of("0123456789") != std::string::npos || count.size() > 6) return false;
  Cursor c;
  if (mode == "forward") c.mode = StepMode::Forward;
  else if (mode == "reverse") c.mode = StepMode::Reverse;
  else if (mode == "tangent") c.mode = StepMode::Tangent;
  else return false;
  c.step = std::stoi(count);
  *out = c;
  return true;
}

NoSteps no_steps(const Lesson& l, StepMode m) {
  if (!l.problem().empty()) return NoSteps::Problem;
  if (!l.ready()) return NoSteps::EmptyGraph;  // evaluated whenever it has a node
  if (l.row_count(m) > 0) return NoSteps::None;
  return m == StepMode::Tangent && l.graph().inputs().empty() ? NoSteps::NoInput : NoSteps::ConstantOutput;
}

void Lesson::rebuild(const GraphModel& model) {
  ++graph_builds_;
  adopt(build_graph(model));
}

void Lesson::adopt(BuiltGraph built) {
  built_ = std::move(built);
  trace();
}

// One engine call for everything shown (evaluate_and_trace.h); the non-finite check runs there.
void Lesson::trace() {
  problem_.clear();
  evaluated_ = false;
  bundle_.forward_rows.clear();
  bundle_.reverse_rows.clear();
  bundle_.tangent_rows.clear();
  bundle_.tangent.reset();
  bundle_.gradcheck.reset();
  bundle_.non_finite = {};
  const int n = built_.graph.size();
  if (!built_.error.empty()) {
    problem_ = built_.error;
  } else if (n > 0) {
    try {
      ++engine_runs_;
      TraceOptions options = TraceOptions::interactive();
      options.tangent_input = built_.graph.find_input(tangent_input_);
      if (!options.tangent_input.valid() && !built_.graph.inputs().empty()) options.tangent_input = built_.graph.inputs().front();
      evaluate_and_trace_into(built_.graph, built_.bindings, options, &bundle_);
      if (options.tangent_input.valid()) tangent_input_ = built_.graph.node(options.tangent_input).name;
      evaluated_ = true;
    } catch (const std::exception& e) {
      problem_ = e.what();
    }
  }
  forward_row_ = rows_by_node(bundle_.forward_rows, n);
  reverse_row_ = rows_by_node(bundle_.reverse_rows, n);
  tangent_row_ = rows_by_node(bundle_.tangent_rows, n);
  cursor_.step = std::clamp(cursor_.step, 0, row_count(cursor_.mode));
}

const TangentResult& Lesson::tangent_result() const {
  static const TangentResult kNone;
  return bundle_.tangent ? *bundle_.tangent : kNone;
}

const GradcheckReport& Lesson::gradcheck_report() const {
  static const GradcheckReport kNone;
  return bundle_.gradcheck ? *bundle_.gradcheck : kNone;
}

void Lesson::set_tangent_input(const std::string& name) {
  if (!evaluated_) {
    tangent_input_ = name;
    return;
  }
  NodeId input = built_.graph.find_input(name);
  if (!input.valid()) {
    auto inputs = built_.graph.inputs();
    if (inputs.empty()) return;
    input = inputs.front();
  }
  tangent_input_ = built_.graph.node(input).name;
  try {
    trace_tangent(built_.graph, input, true, &bundle_);
  } catch (const std::exception& e) {
    problem_ = e.what();
  }
  tangent_row_ = rows_by_node(bundle_.tangent_rows, built_.graph.size());
  if (cursor_.mode == StepMode::Tangent) cursor_.step = std::clamp(cursor_.step, 0, row_count(StepMode::Tangent));
}

int Lesson::row_count(StepMode m) const {
  switch (m) {
    case StepMode::Forward: return static_cast<int>(bundle_.forward_rows.size());
    case StepMode::Reverse: return static_cast<int>(bundle_.reverse_rows.size());
    case StepMode::Tangent: return static_cast<int>(bundle_.tangent_rows.size());
  }
  return 0;
}

void Lesson::move_to(Cursor c) {
  c.step = std::clamp(c.step, 0, row_count(c.mode));
  if (c == cursor_) return;
  undo_.push_back(cursor_);
  cursor_ = c;
}

void Lesson::reset() { move_to(Cursor{StepMode::Forward, 0}); }

void Lesson::next() {
  const Cursor c = cursor_;
  if (c.mode == StepMode::Forward && c.step >= row_count(StepMode::Forward)) {
    if (row_count(StepMode::Reverse) > 0) move_to(Cursor{StepMode::Reverse, 1});
    return;
  }
  move_to(Cursor{c.mode, c.step + 1});
}

void Lesson::previous() {
  const Cursor c = cursor_;
  if (c.mode == StepMode::Reverse && c.step <= 1) {
    move_to(Cursor{StepMode::Forward, row_count(StepMode::Forward)});
    return;
  }
  move_to(Cursor{c.mode, c.step - 1});
}

void Lesson::finish() {
  const Cursor c = cursor_;
  if (c.mode == StepMode::Forward && c.step < row_count(StepMode::Forward)) move_to(Cursor{StepMode::Forward, row_count(StepMode::Forward)});
  else if (c.mode == StepMode::Tangent) move_to(Cursor{StepMode::Tangent, row_count(StepMode::Tangent)});
  else move_to(Cursor{StepMode::Reverse, row_count(StepMode::Reverse)});
}

void Lesson::step_forward() {
  if (cursor_.mode == StepMode::Reverse) return;  // forward values are all shown already
  move_to(Cursor{cursor_.mode, cursor_.step + 1});
}

void Lesson::run_forward() {
  StepMode m = cursor_.mode == StepMode::Tangent ? StepMode::Tangent : StepMode::Forward;
  if (cursor_.mode == StepMode::Reverse) return;
  move_to(Cursor{m, row_count(m)});
}

void Lesson::step_backward() {
  int next = cursor_.mode == StepMode::Reverse ? cursor_.step + 1 : 1;
  move_to(Cursor{StepMode::Reverse, next});
}

void Lesson::run_backward() { move_to(Cursor{StepMode::Reverse, row_count(StepMode::Reverse)}); }

bool Lesson::undo_step() {
  if (undo_.empty()) return false;
  cursor_ = undo_.back();
  undo_.pop_back();
  cursor_.step = std::clamp(cursor_.step, 0, row_count(cursor_.mode));
  return true;
}

void Lesson::jump(Cursor c) { move_to(c); }

void Lesson::start_tangent() { move_to(Cursor{StepMode::Tangent, 0}); }

bool Lesson::value_shown(NodeId id) const {
  if (!ready() || !id.valid()) return false;
  if (graph().node(id).kind == NodeKind::Constant) return true;
  switch (cursor_.mode) {
    case StepMode::Forward: return forward_row_of(id) >= 0 && forward_row_of(id) < cursor_.step;
    case StepMode::Reverse: return true;
    case StepMode::Tangent: return tangent_row_of(id) >= 0 && tangent_row_of(id) < cursor_.step;
  }
  return false;
}

bool Lesson::adjoint_shown(NodeId id) const {
  return ready() && cursor_.mode == StepMode::Reverse && reverse_row_of(id) >= 0 && reverse_row_of(id) < cursor_.step;
}

bool Lesson::tangent_shown(NodeId id) const {
  return ready() && cursor_.mode == StepMode::Tangent && tangent_row_of(id) >= 0 && tangent_row_of(id) < cursor_.step;
}

// A partial adjoint exists once its consumer j has its adjoint: j then sends v̄j·∂vj/∂vi back.
bool Lesson::partial_shown(const PartialAdjoint& p) const { return adjoint_shown(p.to); }

NodeId Lesson::current_node() const { return cursor_.step > 0 ? row_node(cursor_.mode, cursor_.step - 1) : NodeId{}; }

int Lesson::forward_row_of(NodeId id) const {
  return id.valid() && id.index < static_cast<int>(forward_row_.size()) ? forward_row_[id.index] : -1;
}
int Lesson::reverse_row_of(NodeId id) const {
  return id.valid() && id.index < static_cast<int>(reverse_row_.size()) ? reverse_row_[id.index] : -1;
}
int Lesson::tangent_row_of(NodeId id) const {
  return id.valid() && id.index < static_cast<int>(tangent_row_.size()) ? tangent_row_[id.index] : -1;
}

NodeId Lesson::row_node(StepMode m, int row) const {
  if (row < 0 || row >= row_count(m)) return NodeId{};
  switch (m) {
    case StepMode::Forward: return bundle_.forward_rows[row].node;
    case StepMode::Reverse: return bundle_.reverse_rows[row].node;
    case StepMode::Tangent: return bundle_.tangent_rows[row].node;
  }
  return NodeId{};
}

}  // namespace gs::app
