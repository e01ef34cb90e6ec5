// The palette from the op catalogue. No ImGui.
#include "app/graph/palette.h"


namespace gs::app {

namespace {

// Grouped like seed 000's catalogue of backpropagation computations; Internal has no group.
struct Group {
  OpCategory category;
  Tr title;
};
constexpr Group kGroups[] = {{OpCategory::Arithmetic, Tr::PaletteArithmetic},
                             {OpCategory::Function, Tr::PaletteFunctions},
                             {OpCategory::Matrix, Tr::PaletteMatrix},
                             {OpCategory::Convolution, Tr::PaletteConv},
                             {OpCategory::Loss, Tr::PaletteLosses}};

}  // namespace

const std::vector<PaletteEntry>& palette() {
  static const std::vector<PaletteEntry> entries = [] {
    std::vector<PaletteEntry> v;
    v.push_back({Tr::PaletteInputs, NodeKind::Input, Op::Add, {}});
    v.push_back({Tr::PaletteInputs, NodeKind::Constant, Op::Add, {}});
    for (const Group& group : kGroups)
      for (const OpDef& d : op_catalogue())
        if (d.category == group.category) v.push_back({group.title, NodeKind::Op, d.op, default_attrs(d.op)});
    return v;
  }();
  return entries;
}

std::string palette_label(const PaletteEntry& e) {
  if (e.kind == NodeKind::Input) return tr(Tr::PaletteInput);
  if (e.kind == NodeKind::Constant) return tr(Tr::PaletteConstant);
  const OpDef& d = op_def(e.op);
  std::string args[3];
  for (int i = 0; i < d.max_arity; ++i) args[i] = d.arg_names[static_cast<std::size_t>(i)] ? d.arg_names[static_cast<std::size_t>(i)] : "";
  return std::string(d.name) + "    " + fill_op_template(d, e.attrs, d.formula, args, d.max_arity, "y", "ȳ");
}

}  // namespace gs::app
