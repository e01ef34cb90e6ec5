// Tests of call resolution (src/engine/calls.h, internal to the engine): a call's arguments sorted
// into tensors and keyword values by the op's catalogue entry, with the entry's defaults.
#include "engine/calls.h"

#include <gtest/gtest.h>

#include <string>

namespace gs::parsing {
namespace {

// The first statement's call, resolved.
ResolvedCall resolve(const std::string& text) {
  const Program p = parse_syntax(text);
  return CallResolver(text, p).resolve(p.statements[0].expr);
}

TEST(Calls, ArgumentsAreSortedByTheCatalogueEntry) {
  const ResolvedCall conv = resolve("conv2d(x, W, b, 2)");
  EXPECT_EQ(conv.def->op, Op::Conv2d);
  EXPECT_EQ(conv.tensors.size(), 3u) << "b is the optional third tensor";
  EXPECT_EQ(conv.attrs.stride, 2);
  EXPECT_EQ(conv.attrs.padding, 0);
  const ResolvedCall sum = resolve("sum(X, -1, keepdims=1)");
  EXPECT_EQ(sum.tensors.size(), 1u);
  EXPECT_EQ(sum.attrs.axis, -1);
  EXPECT_TRUE(sum.attrs.keepdims);
  const ResolvedCall reshape = resolve("reshape(X, 3, -1)");
  EXPECT_EQ(reshape.dims, (std::vector<double>{3, -1}));
}

TEST(Calls, DefaultsComeFromTheEntry) {
  EXPECT_EQ(resolve("maxpool(x, 3)").attrs.stride, 3) << "a pool's stride follows its kernel";
  EXPECT_EQ(resolve("maxpool(x, 3, 1)").attrs.stride, 1);
  EXPECT_EQ(resolve("leaky_relu(x)").attrs.coefficient, 0.01);
  EXPECT_EQ(resolve("log(x)").def->op, Op::Ln) << "aliases resolve to their op";
  EXPECT_EQ(find_callable("sum_to"), nullptr) << "internal ops are not callable";
}

}  // namespace
}  // namespace gs::parsing
