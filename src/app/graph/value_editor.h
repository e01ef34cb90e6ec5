// The editor of an input's value, used by the inspector and by the canvas's in-place popup:
// scalars by dragging or typing; tensors in a small grid, as a literal, or refilled with random
// numbers or zeros. Every change is a session edit (undoable) and re-evaluates at once. No GL.
#pragma once

#include "app/graph/session.h"

namespace gs::app {

// A tensor as a literal that parse_tensor_literal reads back exactly ("[[1, 2], [3, 4]]").
std::string tensor_literal(const TensorD& t);

struct ValueEditor {
  void draw(Session& s, const DocNode& d);
  char literal_[1024] = "";
  bool editing_literal_ = false;
  unsigned random_seed_ = 1;  // the "random" button draws from here (reproducible per session)
};

}  // namespace gs::app
