// The palette of nodes a lecturer can add (the canvas's add menu and its Tab search): an input, a
// constant, then every callable op of the engine's catalogue (op.h), grouped by its category.
// Adding an op to the catalogue adds it here; nothing in src/app lists ops. No ImGui.
#pragma once

#include "app/base/i18n.h"
#include "engine/graph.h"

#include <string>
#include <vector>

namespace gs::app {

struct PaletteEntry {
  Tr group;       // the menu it sits in (Tr::PaletteInputs, Tr::PaletteArithmetic, …)
  NodeKind kind;  // Input, Constant or Op
  Op op = Op::Add;
  OpAttrs attrs;  // default_attrs(op): what a call with no numeric arguments gets
};

// Inputs first, then arithmetic, functions, matrix, convolution and losses, each in catalogue
// order; Internal ops (masks, gradient ops of extended graphs) are left out.
const std::vector<PaletteEntry>& palette();
// What the menu shows: "ln    ln x", "matmul    A @ B"; "Input" and "Constant" (translated).
std::string palette_label(const PaletteEntry& e);

}  // namespace gs::app
