// The editable graph document: nodes with stable ids, input slots that may be unconnected, values
// and canvas positions. Every edit goes through GraphModel; build() turns it into an engine Graph
// (which never holds an unconnected slot or a cycle). No ImGui, no GL: the canvas unit tests use it.
#pragma once

#include "engine/autodiff.h"
#include "engine/graph.h"
#include "engine/graph_json.h"

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <vector>

namespace gs::app {

// A node of the document: stable across edits, unlike the engine's NodeId which is rebuilt.
struct DocId {
  std::int32_t value = -1;
  bool valid() const { return value >= 0; }
  friend bool operator==(DocId, DocId) = default;
  friend auto operator<=>(DocId, DocId) = default;
};

struct Point {
  float x = 0, y = 0;
  friend bool operator==(Point, Point) = default;
};

struct DocNode {
  DocId id;
  NodeKind kind = NodeKind::Input;
  Op op = Op::Add;
  OpAttrs attrs;
  int arity = 0;                  // input slots
  std::array<DocId, 3> inputs{};  // invalid = not connected yet
  std::string name;               // inputs: "x1"; ops: a statement's name ("s0"), or "v̄3" for an adjoint node
  bool reverse = false;           // an extended graph's node that computes an adjoint (drawn as such)
  TensorD value;                  // inputs and constants
  Point pos;                      // canvas space, top-left corner
};

// Tables by link of an engine graph of n nodes — one entry per (consumer, input slot): a partial
// adjoint, a reverse term, a path mark — hold n · kMaxInputs entries; link_index() is one's place.
inline constexpr int kMaxInputs = static_cast<int>(std::tuple_size_v<decltype(DocNode::inputs)>);
inline std::size_t link_index(NodeId to, int slot) {
  return static_cast<std::size_t>(to.index) * kMaxInputs + static_cast<std::size_t>(slot);
}

class GraphModel {
 public:
  const std::vector<DocNode>& nodes() const { return nodes_; }
  const DocNode* find(DocId id) const;
  DocNode* find(DocId id);
  int index_of(DocId id) const;  // -1 if absent

  DocId add_input(std::string name, TensorD value, Point pos);
  DocId add_constant(TensorD value, Point pos);
  DocId add_op(Op op, const OpAttrs& attrs, Point pos);
  // Adds a copy of `node` under a fresh id (its links are cleared); for paste.
  DocId add_copy(const DocNode& node);

  // Connects `from`'s output to slot `slot` of `to`. Refuses (returns false, says why in *why) a
  // link that would close a cycle or point at a missing node or slot.
  bool connect(DocId from, DocId to, int slot, std::string* why);
  void disconnect(DocId to, int slot);
  void remove(const std::vector<DocId>& ids);
  void move(const std::vector<DocId>& ids, float dx, float dy);
  void set_position(DocId id, Point p);
  // True when `a` is `b` or feeds it through some path.
  bool reaches(DocId a, DocId b) const;
  // A name no input uses yet ("x3").
  std::string fresh_input_name() const;

  DocId output() const { return output_; }
  void set_output(DocId id) { output_ = id; }

  // Marks the nodes from index `first` on as the reverse part of an extended graph.
  void mark_reverse(int first);

  std::string expression;  // the text it was built from, if any
  std::string title;

  // From a loaded or parsed document (positions kept where the file has them) and back.
  static GraphModel from_document(const GraphDocument& doc);
  GraphModel() = default;

  friend bool operator==(const GraphModel& a, const GraphModel& b);
  // Equal but perhaps for where nodes sit: the engine's results for one hold for the other.
  friend bool same_except_positions(const GraphModel& a, const GraphModel& b);

 private:
  DocId add(DocNode node);
  std::vector<DocNode> nodes_;
  std::int32_t next_id_ = 0;
  DocId output_;
};

// The engine graph built from a document, and the maps between the two id spaces.
struct BuiltGraph {
  Graph graph;
  Bindings bindings;
  std::vector<NodeId> engine_of;  // by document node index; invalid if the node is incomplete
  std::vector<DocId> doc_of;      // by engine node index
  std::string error;              // why the build stopped (a shape mismatch), empty when fine
  DocId error_node;
  bool ok() const { return error.empty() && graph.size() > 0; }
  NodeId engine(const GraphModel& m, DocId id) const {
    int i = m.index_of(id);
    return i < 0 ? NodeId{} : engine_of[i];
  }
};

// Builds every node whose slots are all connected (transitively); the output is the model's
// chosen output when it is built, else the last node without consumers.
BuiltGraph build_graph(const GraphModel& model);

// The same for a model made by GraphModel::from_document from a graph the engine has built
// already (a typed expression, a file, an extended graph): that graph is taken as it is, without
// building it, or inferring a shape, again. Falls back to build_graph when `graph` is not the
// model's (its size or an input's shape differs).
BuiltGraph adopt_graph(const GraphModel& model, Graph graph);

// The document for saving: needs a complete build (else throws FileError naming the node).
GraphDocument to_document(const GraphModel& model, const BuiltGraph& built);

}  // namespace gs::app
