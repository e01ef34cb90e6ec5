// Shape bookkeeping for tensors written as nested lists, shared by the tensor literals of the
// expression language (tensor_literal.cpp) and the values of JSON files (json_text.cpp): the first
// number fixes the rank, the first list closed at each depth fixes that axis' extent, and every
// later list is checked against it. Internal to the engine; depends on tensor.h only.
#pragma once

#include "tensor.h"

#include <array>
#include <string>

namespace gs {

class NestedListShape {
 public:
  // Each check returns "" when all is well, else the problem in words, without a place: the
  // caller adds a column or a JSON path.
  std::string enter_list(int depth) const {
    if (rank_ >= 0 && depth >= rank_) return item(depth) + " is a list, expected a number";
    if (depth >= kMaxRank) return "more than 4 nested lists (tensors have at most 4 axes)";
    return "";
  }
  // Before reading element `index` (1-based) of the list at `depth`.
  void enter_item(int depth, int index) { index_[depth] = index; }
  std::string leave_list(int depth, Index count) {
    if (count == 0) return item(depth) + " is empty";
    if (known_[depth] && dims_[depth] != count) {
      std::string s = item(depth) + " has " + std::to_string(count) + (count == 1 ? " element" : " elements");
      s += ", expected ";
      s += std::to_string(dims_[depth]);
      return s;
    }
    known_[depth] = true;
    dims_[depth] = count;
    return "";
  }
  std::string number(int depth) {
    if (rank_ < 0) rank_ = depth;
    if (depth < rank_) return item(depth) + " is a number, expected a list like the others";
    return "";
  }

  Shape shape() const { return Shape::of_rank(rank_ < 0 ? 0 : rank_, dims_.data()); }

  // "the list" for the outermost, "row 2" for the rows of a matrix, "item [1][2]" deeper down.
  std::string item(int depth) const {
    if (depth == 0) return "the list";
    std::string s = depth == 1 ? "row " : "item ";
    for (int d = 0; d < depth; ++d) {
      if (depth > 1) s += '[';
      s += std::to_string(index_[d]);
      if (depth > 1) s += ']';
    }
    return s;
  }

 private:
  int rank_ = -1;
  std::array<Index, kMaxRank> dims_{};
  std::array<bool, kMaxRank> known_{};
  std::array<int, kMaxRank> index_{};
};

}  // namespace gs
