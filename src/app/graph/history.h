// Undo/redo of document edits: whole-document snapshots (graphs here are small: a few hundred
// nodes copy in microseconds), taken before each edit. No ImGui, no engine evaluation.
#pragma once

#include "app/graph/graph_model.h"

#include <cstddef>
#include <vector>

namespace gs::app {

class History {
 public:
  explicit History(std::size_t limit = 200) : limit_(limit) {}
  // Call with the document as it was before an edit; clears the redo list.
  void record(const GraphModel& before);
  bool can_undo() const { return !undo_.empty(); }
  bool can_redo() const { return !redo_.empty(); }
  // Replace *current with the previous (next) snapshot; false when there is none.
  bool undo(GraphModel* current);
  bool redo(GraphModel* current);
  void clear();

 private:
  std::size_t limit_;
  std::vector<GraphModel> undo_;
  std::vector<GraphModel> redo_;
};

}  // namespace gs::app
