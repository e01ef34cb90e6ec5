// Snapshot stacks for History. No ImGui.
#include "app/graph/history.h"

#include <utility>

namespace gs::app {

void History::record(const GraphModel& before) {
  undo_.push_back(before);
  if (undo_.size() > limit_) undo_.erase(undo_.begin());
  redo_.clear();
}

bool History::undo(GraphModel* current) {
  if (undo_.empty()) return false;
  redo_.push_back(std::move(*current));
  *current = std::move(undo_.back());
  undo_.pop_back();
  return true;
}

bool History::redo(GraphModel* current) {
  if (redo_.empty()) return false;
  undo_.push_back(std::move(*current));
  *current = std::move(redo_.back());
  redo_.pop_back();
  return true;
}

void History::clear() {
  undo_.clear();
  redo_.clear();
}

}  // namespace gs::app
