// The palette is the op catalogue: every callable op, once, in its category's menu. No GL.
#include "app/graph/palette.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace gs;
using namespace gs::app;

TEST(Palette, HoldsEveryCallableOpOfTheCatalogueOnceAndNoInternalOne) {
  const auto& p = palette();
  for (const OpDef& d : op_catalogue()) {
    const auto n = std::count_if(p.begin(), p.end(), [&](const PaletteEntry& e) { return e.kind == NodeKind::Op && e.op == d.op; });
    EXPECT_EQ(n, d.callable() ? 1 : 0) << d.name;
  }
  // Inputs and constants first; the ops added last to the catalogue are there without an app edit.
  ASSERT_GE(p.size(), 2u);
  EXPECT_EQ(p[0].kind, NodeKind::Input);
  EXPECT_EQ(p[1].kind, NodeKind::Constant);
  for (Op op : {Op::Softplus, Op::LeakyRelu})
    EXPECT_TRUE(std::any_of(p.begin(), p.end(), [&](const PaletteEntry& e) { return e.kind == NodeKind::Op && e.op == op; }));
}

TEST(Palette, GroupsFollowTheCategoriesAndNewNodesGetTheDefaultAttributes) {
  for (const PaletteEntry& e : palette()) {
    if (e.kind != NodeKind::Op) continue;
    const OpCategory c = op_def(e.op).category;
    const Tr expected = c == OpCategory::Arithmetic ? Tr::PaletteArithmetic
                        : c == OpCategory::Function ? Tr::PaletteFunctions
                        : c == OpCategory::Matrix   ? Tr::PaletteMatrix
                        : c == OpCategory::Loss     ? Tr::PaletteLosses
                                                    : Tr::PaletteConv;
    EXPECT_EQ(e.group, expected) << op_def(e.op).name;
    EXPECT_EQ(e.attrs, default_attrs(e.op)) << op_def(e.op).name;
  }
  // A group is one run of entries (one submenu each).
  std::vector<Tr> seen;
  for (const PaletteEntry& e : palette())
    if (seen.empty() || seen.back() != e.group) {
      EXPECT_EQ(std::count(seen.begin(), seen.end(), e.group), 0);
      seen.push_back(e.group);
    }
}

TEST(Palette, LabelsAreTheOpsNameAndFormulaWithItsKeywords) {
  for (const PaletteEntry& e : palette()) {
    if (e.kind != NodeKind::Op) continue;
    const std::string label = palette_label(e);
    EXPECT_EQ(label.rfind(op_def(e.op).name, 0), 0u) << label;
    EXPECT_EQ(label.find('{'), std::string::npos) << label;  // every placeholder filled
  }
}
