// Snapshot stacks for History. No ImGui.
#include "app/graph/history.h"

#include <utility>

namespace gs::app {

void History::record(const GraphModel& before) {
  undo_.push_back(before);
  nodes_held_ += before.nodes().size();
  for (const GraphModel& m : redo_) nodes_held_ -= m.nodes().size();
  redo_.clear();
  trim();
}

void History::trim() {
  while (undo_.size() > 1 && (undo_.size() > limit_ || nodes_held_ > node_budget_)) {
    nodes_held_ -= undo_.front().nodes().size();
    undo_.pop_front();
  }
}

bool History::undo(GraphModel* current) {
  if (undo_.empty()) return false;
  nodes_held_ += current->nodes().size();
  nodes_held_ -= undo_.back().nodes().size();
  redo_.push_back(std::move(*current));
  *current = std::move(undo_.back());
  undo_.pop_back();
  return true;
}

bool History::redo(GraphModel* current) {
  if (redo_.empty()) return false;
  nodes_held_ += current->nodes().size();
  nodes_held_ -= redo_.back().nodes().size();
  undo_.push_back(std::move(*current));
  *current = std::move(redo_.back());
  redo_.pop_back();
  return true;
}

void History::clear() {
  undo_.clear();
  redo_.clear();
  nodes_held_ = 0;
}

}  // namespace gs::app
