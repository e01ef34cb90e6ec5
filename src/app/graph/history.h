// Undo/redo of document edits: whole-document snapshots, taken before each edit (a lecture's graph
// of a few hundred nodes copies in microseconds). The snapshots kept are bounded twice: at most
// `limit` edits, and at most `node_budget` document nodes over all of them (a 100,000-node graph
// is ~20 MB a snapshot: 200 of them would be 4 GB), always at least the last edit.
// No ImGui, no engine evaluation.
#pragma once

#include "app/graph/graph_model.h"

#include <cstddef>
#include <deque>

namespace gs::app {

class History {
 public:
  explicit History(std::size_t limit = 200, std::size_t node_budget = 1'000'000) : limit_(limit), node_budget_(node_budget) {}
  // Call with the document as it was before an edit; clears the redo list.
  void record(const GraphModel& before);
  bool can_undo() const { return !undo_.empty(); }
  bool can_redo() const { return !redo_.empty(); }
  // Replace *current with the previous (next) snapshot; false when there is none.
  bool undo(GraphModel* current);
  bool redo(GraphModel* current);
  void clear();
  std::size_t undo_depth() const { return undo_.size(); }
  // Document nodes held by the snapshots (undo and redo).
  std::size_t nodes_held() const { return nodes_held_; }

 private:
  void trim();  // the oldest undo snapshots go while over either bound (the last one stays)
  std::size_t limit_;
  std::size_t node_budget_;
  std::size_t nodes_held_ = 0;
  std::deque<GraphModel> undo_;
  std::deque<GraphModel> redo_;
};

}  // namespace gs::app
