// The editor of an input's value, used by the inspector and by the canvas's in-place popup:
// scalars by dragging or typing; tensors in a small grid; every input as a literal (a pasted
// nested list such as [[1, 2], [3, 4]] makes it that matrix, whatever it was before); a shape
// (rows × cols, or N, C, H, W for convolutions) with fills: random (the formula's randn),
// zeros, ones, identity. Every change is a session edit (undoable) and re-evaluates at once.
// No GL.
#pragma once

#include "app/graph/session.h"

#include <optional>
#include <string>
#include <string_view>

namespace gs::app {

// A tensor as a literal that parse_tensor_literal reads back exactly, each number in its
// shortest round-trip form: "[[0.3, 2], [3, 4]]", never "-0.29999999999999999".
std::string tensor_literal(const TensorD& t);

// A shape as a student writes it: "2×3", "2x3", "2 3", "2, 3", "[2, 3]", "1, 1, 28, 28", "5" (a
// vector). nullopt, with the reason in *error, for anything else (at most 4 sizes, each a whole
// number 1 … 4096).
std::optional<Shape> parse_shape_text(std::string_view text, std::string* error);
// "2 × 3", "1, 1, 28, 28", "5", "" for a scalar: the shape field's text.
std::string shape_text(const Shape& shape);

enum class Fill { Random, Zeros, Ones, Identity };
// A value of `shape` for the input `name`: Random is the formula's randn for that name (the
// `draw`-th press adds draw to the seed, so that pressing again gives new numbers, the first
// press the formula's); Identity ones on the diagonal of the last two axes.
TensorD filled(Fill fill, const Shape& shape, const std::string& name, unsigned draw);

// `value` at `shape`, as Enter in the shape field makes it: a single number fills it; the same
// number of elements keeps them in order (a reshape, 2 × 3 → 3 × 2); else each element stays at
// its index where that is in both shapes (a grid grown or cut; a shorter shape reads as one with
// leading 1s), and the new elements are zeros.
TensorD resized(const TensorD& value, const Shape& shape);

struct ValueEditor {
  void draw(Session& s, const DocNode& d);
  std::string literal_;  // any length: a 28 × 28 image's literal is longer than any fixed buffer
  bool editing_literal_ = false;
  char shape_[64] = "";
  // A shape typed and not yet used by a fill: kept while the field is left for a fill button (a
  // click lasts several frames; the field used to be reset to the value's shape meanwhile),
  // until a fill uses it or the editor shows another node.
  bool editing_shape_ = false;
  DocId shape_node_{};
  unsigned random_draw_ = 0;  // presses of "random" in this editor (0: the formula's randn)
};

}  // namespace gs::app
