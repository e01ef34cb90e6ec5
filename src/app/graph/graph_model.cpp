// GraphModel edits and the build into an engine Graph. The engine checks shapes as nodes are
// added; this file only orders the document's nodes and maps ids. No ImGui, no GL.
#include "app/graph/graph_model.h"

#include "app/base/i18n.h"

#include <algorithm>

namespace gs::app {

const DocNode* GraphModel::find(DocId id) const {
  int i = index_of(id);
  return i < 0 ? nullptr : &nodes_[i];
}
DocNode* GraphModel::find(DocId id) {
  int i = index_of(id);
  return i < 0 ? nullptr : &nodes_[i];
}
int GraphModel::index_of(DocId id) const {
  // Ids are handed out in increasing order and nodes stay sorted by id: binary search.
  auto it = std::lower_bound(nodes_.begin(), nodes_.end(), id, [](const DocNode& n, DocId v) { return n.id < v; });
  return (it != nodes_.end() && it->id == id) ? static_cast<int>(it - nodes_.begin()) : -1;
}

DocId GraphModel::add(DocNode node) {
  node.id = DocId{next_id_++};
  nodes_.push_back(std::move(node));
  return nodes_.back().id;
}

DocId GraphModel::add_input(std::string name, TensorD value, Point pos) {
  DocNode n;
  n.kind = NodeKind::Input;
  n.name = std::move(name);
  n.value = std::move(value);
  n.pos = pos;
  return add(std::move(n));
}

DocId GraphModel::add_constant(TensorD value, Point pos) {
  DocNode n;
  n.kind = NodeKind::Constant;
  n.value = std::move(value);
  n.pos = pos;
  return add(std::move(n));
}

DocId GraphModel::add_op(Op op, const OpAttrs& attrs, Point pos) {
  DocNode n;
  n.kind = NodeKind::Op;
  n.op = op;
  n.attrs = attrs;
  n.arity = op_def(op).min_arity;
  n.pos = pos;
  return add(std::move(n));
}

DocId GraphModel::add_copy(const DocNode& node) {
  DocNode n = node;
  n.inputs = {};
  if (n.kind == NodeKind::Input && !n.name.empty()) {
    bool taken = std::any_of(nodes_.begin(), nodes_.end(),
                             [&](const DocNode& o) { return o.kind == NodeKind::Input && o.name == n.name; });
    if (taken) n.name = fresh_input_name();
  }
  return add(std::move(n));
}

bool GraphModel::reaches(DocId a, DocId b) const {
  // Depth-first search from b back through its inputs.
  std::vector<DocId> stack{b};
  std::vector<char> seen(nodes_.size(), 0);
  while (!stack.empty()) {
    DocId cur = stack.back();
    stack.pop_back();
    if (cur == a) return true;
    int i = index_of(cur);
    if (i < 0 || seen[i]) continue;
    seen[i] = 1;
    for (int s = 0; s < nodes_[i].arity; ++s)
      if (nodes_[i].inputs[s].valid()) stack.push_back(nodes_[i].inputs[s]);
  }
  return false;
}

bool GraphModel::connect(DocId from, DocId to, int slot, std::string* why) {
  DocNode* target = find(to);
  if (!find(from) || !target || slot < 0 || slot >= target->arity) {
    if (why) *why = tr(Tr::MsgNoSuchPort);
    return false;
  }
  if (reaches(to, from)) {  // `to` already feeds `from`: the new link would close a loop
    if (why) *why = tr(Tr::MsgCycleRefused);
    return false;
  }
  target->inputs[slot] = from;
  return true;
}

void GraphModel::disconnect(DocId to, int slot) {
  if (DocNode* n = find(to); n && slot >= 0 && slot < n->arity) n->inputs[slot] = DocId{};
}

void GraphModel::remove(const std::vector<DocId>& ids) {
  // Sorted once: deleting a selection of k nodes from n costs n log k, not n·k (Select All, Delete).
  std::vector<DocId> sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  auto doomed = [&](DocId id) { return std::binary_search(sorted.begin(), sorted.end(), id); };
  std::erase_if(nodes_, [&](const DocNode& n) { return doomed(n.id); });
  for (DocNode& n : nodes_)
    for (int s = 0; s < n.arity; ++s)
      if (doomed(n.inputs[s])) n.inputs[s] = DocId{};
  if (doomed(output_)) output_ = DocId{};
}

void GraphModel::move(const std::vector<DocId>& ids, float dx, float dy) {
  for (DocId id : ids)
    if (DocNode* n = find(id)) n->pos = Point{n->pos.x + dx, n->pos.y + dy};
}

void GraphModel::set_position(DocId id, Point p) {
  if (DocNode* n = find(id)) n->pos = p;
}

std::string GraphModel::fresh_input_name() const {
  for (int k = 1;; ++k) {
    std::string name = std::string("x").append(std::to_string(k));
    bool taken = std::any_of(nodes_.begin(), nodes_.end(),
                             [&](const DocNode& n) { return n.kind == NodeKind::Input && n.name == name; });
    if (!taken) return name;
  }
}

namespace {
bool equal_models(const std::vector<DocNode>& an, const std::vector<DocNode>& bn, bool positions) {
  if (an.size() != bn.size()) return false;
  for (std::size_t i = 0; i < an.size(); ++i) {
    const DocNode& x = an[i];
    const DocNode& y = bn[i];
    if (x.id != y.id || x.kind != y.kind || x.op != y.op || !(x.attrs == y.attrs) || x.arity != y.arity ||
        x.inputs != y.inputs || x.name != y.name || x.reverse != y.reverse || (positions && !(x.pos == y.pos)) || x.value.shape() != y.value.shape() ||
        !std::equal(x.value.begin(), x.value.end(), y.value.begin()))
      return false;
  }
  return true;
}
}  // namespace

bool operator==(const GraphModel& a, const GraphModel& b) {
  return a.output_ == b.output_ && a.expression == b.expression && equal_models(a.nodes_, b.nodes_, true);
}

bool same_except_positions(const GraphModel& a, const GraphModel& b) {
  return a.output_ == b.output_ && a.expression == b.expression && a.title == b.title && equal_models(a.nodes_, b.nodes_, false);
}

void GraphModel::mark_reverse(int first) {
  for (std::size_t i = static_cast<std::size_t>(std::max(first, 0)); i < nodes_.size(); ++i) nodes_[i].reverse = true;
}

GraphModel GraphModel::from_document(const GraphDocument& doc) {
  GraphModel m;
  const Graph& g = doc.graph;
  for (int i = 0; i < g.size(); ++i) {
    NodeId id{i};
    const Node& node = g.node(id);
    DocNode n;
    n.kind = node.kind;
    n.op = node.op;
    n.attrs = node.attrs;
    n.name = node.name;
    if (node.kind == NodeKind::Input) {
      auto it = doc.values.find(node.name);
      n.value = it != doc.values.end() ? it->second : TensorD(node.shape);
    } else if (node.kind == NodeKind::Constant) {
      n.value = g.constant_value(id);
    } else {
      n.arity = node.arity;
      for (int s = 0; s < node.arity; ++s) n.inputs[s] = DocId{node.inputs[s].index};
    }
    if (i < static_cast<int>(doc.positions.size()) && doc.positions[i]) n.pos = Point{doc.positions[i]->x, doc.positions[i]->y};
    n.reverse = i < static_cast<int>(doc.adjoint.size()) && doc.adjoint[static_cast<std::size_t>(i)];
    m.add(std::move(n));  // ids equal the engine indices: links above stay right
  }
  if (g.size() > 0) m.output_ = DocId{g.output().index};
  m.expression = doc.expression;
  m.title = doc.title;
  return m;
}

BuiltGraph build_graph(const GraphModel& model) {
  BuiltGraph out;
  const auto& nodes = model.nodes();
  const int n = static_cast<int>(nodes.size());
  out.engine_of.assign(n, NodeId{});
  // A node is built once all its inputs are, depth first from each node in document order, its
  // slots in order (the engine's numbering follows). On an explicit stack: a chain of 100,000
  // nodes is 100,000 levels deep. 0 = unvisited, 1 = on the stack, 2 = done.
  std::vector<char> state(n, 0);
  struct Frame {
    int node;
    int slot = 0;          // the next slot to visit
    bool complete = true;  // every slot so far built
    NodeId ins[3];
  };
  std::vector<Frame> stack;
  // Builds node i of a frame whose slots are all visited; false when it cannot be built.
  auto build = [&](const Frame& f) -> bool {
    const int i = f.node;
    state[i] = 2;
    if (!f.complete || !out.error.empty()) return false;
    const DocNode& d = nodes[i];
    try {
      NodeId id;
      if (d.kind == NodeKind::Input) {
        id = out.graph.input(d.name, d.value.shape());
        out.bindings[d.name] = d.value;
      } else if (d.kind == NodeKind::Constant) {
        id = out.graph.constant(d.value);
      } else {
        id = out.graph.op(d.op, f.ins, d.arity, d.attrs);
        if (!d.name.empty()) out.graph.set_op_name(id, d.name);
      }
      out.engine_of[i] = id;
      out.doc_of.push_back(d.id);
      return true;
    } catch (const std::exception& e) {
      out.error = e.what();
      out.error_node = d.id;
      return false;
    }
  };
  for (int root = 0; root < n; ++root) {
    if (state[root] != 0) continue;
    state[root] = 1;
    stack.push_back(Frame{root, 0, true, {}});
    while (!stack.empty()) {
      Frame& f = stack.back();
      const DocNode& d = nodes[f.node];
      if (f.slot < d.arity) {
        const int k = model.index_of(d.inputs[f.slot]);
        if (k >= 0 && state[k] == 0) {  // visit it first; this slot is taken up again after
          state[k] = 1;
          stack.push_back(Frame{k, 0, true, {}});
          continue;
        }
        // Missing, on the stack (a cycle: cannot happen through connect(); guards hand-made
        // files), or done: built or not.
        if (k < 0 || state[k] == 1 || !out.engine_of[k].valid()) f.complete = false;
        else f.ins[f.slot] = out.engine_of[k];
        ++f.slot;
        continue;
      }
      const Frame done = f;
      stack.pop_back();
      build(done);  // its parent reads the result from engine_of when it takes its slot up again
    }
  }
  if (!out.error.empty()) return out;

  NodeId output = out.engine(model, model.output());
  if (!output.valid() && out.graph.size() > 0) {
    // The last built node that feeds nothing built.
    std::vector<char> used(out.graph.size(), 0);
    for (int i = 0; i < out.graph.size(); ++i) {
      const Node& node = out.graph.node(NodeId{i});
      for (int s = 0; s < node.arity; ++s) used[node.inputs[s].index] = 1;
    }
    for (int i = out.graph.size() - 1; i >= 0; --i)
      if (!used[i]) {
        output = NodeId{i};
        break;
      }
  }
  if (output.valid()) out.graph.set_output(output);
  return out;
}

BuiltGraph adopt_graph(const GraphModel& model, Graph graph) {
  const auto& nodes = model.nodes();
  const int n = static_cast<int>(nodes.size());
  bool same = graph.size() == n;
  for (int i = 0; same && i < n; ++i) {
    const Node& e = graph.node(NodeId{i});
    same = e.kind == nodes[i].kind && (e.kind != NodeKind::Input || (e.name == nodes[i].name && e.shape == nodes[i].value.shape()));
  }
  if (!same) return build_graph(model);
  BuiltGraph out;
  out.graph = std::move(graph);
  out.engine_of.resize(n);
  out.doc_of.resize(n);
  for (int i = 0; i < n; ++i) {
    out.engine_of[i] = NodeId{i};
    out.doc_of[i] = nodes[i].id;
    if (nodes[i].kind == NodeKind::Input) out.bindings[nodes[i].name] = nodes[i].value;
  }
  return out;
}

GraphDocument to_document(const GraphModel& model, const BuiltGraph& built) {
  if (!built.error.empty()) throw FileError(built.error);
  for (std::size_t i = 0; i < model.nodes().size(); ++i)
    if (!built.engine_of[i].valid()) throw FileError(tr(Tr::MsgSaveIncomplete));
  GraphDocument doc;
  doc.graph = built.graph;
  doc.values = built.bindings;
  doc.positions.resize(built.graph.size());
  const bool extended = std::any_of(model.nodes().begin(), model.nodes().end(), [](const DocNode& d) { return d.reverse; });
  if (extended) doc.adjoint.assign(static_cast<std::size_t>(built.graph.size()), false);
  for (std::size_t i = 0; i < model.nodes().size(); ++i) {
    const DocNode& d = model.nodes()[i];
    doc.positions[built.engine_of[i].index] = NodePosition{d.pos.x, d.pos.y};
    if (extended) doc.adjoint[static_cast<std::size_t>(built.engine_of[i].index)] = d.reverse;
  }
  doc.expression = model.expression;
  doc.title = model.title;
  return doc;
}

}  // namespace gs::app
