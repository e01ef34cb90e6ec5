// Tensor storage: heap elements start on a 64-byte boundary (so no kernel result depends on
// the allocator), and views borrow storage without owning it (the model's parameter arena).
#include "engine/tensor.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace gs {
namespace {

bool on_cache_line(const void* p) { return reinterpret_cast<std::uintptr_t>(p) % kStorageAlignment == 0; }

TEST(Tensor, HeapStorageStartsOnA64ByteBoundary) {
  std::vector<TensorF> keep;  // live at once, so that the allocator cannot hand back one block
  for (Index n = Tensor<float>::kInline + 1; n < 300; n += 7) {
    keep.emplace_back(Shape{n});
    EXPECT_TRUE(on_cache_line(keep.back().data())) << n << " elements";
    TensorD d = TensorD::uninitialized(Shape{2, n});
    EXPECT_TRUE(on_cache_line(d.data())) << 2 * n << " doubles";
    TensorF copy = keep.back();
    EXPECT_TRUE(on_cache_line(copy.data()));
  }
  AlignedBuffer<float> b(13);
  EXPECT_TRUE(on_cache_line(b.data()));
  EXPECT_EQ(b.data()[12], 0.0f);
}

TEST(Tensor, ViewsWriteThroughAndCopiesOwn) {
  std::vector<float> storage(6, 1.0f);
  TensorF v = TensorF::view(storage.data(), Shape{2, 3});
  EXPECT_TRUE(v.is_view());
  v[4] = 5;
  EXPECT_EQ(storage[4], 5.0f);
  // Assigning into a view copies into its storage; the view stays a view.
  v = TensorF::from(Shape{3, 2}, {1, 2, 3, 4, 5, 6});
  EXPECT_TRUE(v.is_view());
  EXPECT_EQ(v.shape(), (Shape{3, 2}));
  EXPECT_EQ(storage[5], 6.0f);
  // A copy owns its elements; a move keeps viewing the same storage.
  TensorF copy = v;
  EXPECT_FALSE(copy.is_view());
  copy[0] = 9;
  EXPECT_EQ(storage[0], 1.0f);
  TensorF moved = std::move(v);
  EXPECT_TRUE(moved.is_view());
  EXPECT_EQ(moved.data(), storage.data());
  // Assigning a view to an owning tensor copies the elements: it never becomes a view.
  TensorF owner(Shape{6});
  owner = moved;
  EXPECT_FALSE(owner.is_view());
  EXPECT_NE(owner.data(), storage.data());
  // A view cannot change its element count.
  EXPECT_THROW(moved = TensorF(Shape{7}), std::logic_error);
}

TEST(Tensor, BorrowTurnsATensorIntoAViewOfOtherStorage) {
  TensorD t = TensorD::from(Shape{2, 2}, {1, 2, 3, 4});
  std::vector<double> arena(4, 7.0);
  t.borrow(arena.data());
  EXPECT_TRUE(t.is_view());
  EXPECT_EQ(t.at({1, 1}), 7.0);
  t.fill(2);
  EXPECT_EQ(arena[3], 2.0);
}

}  // namespace
}  // namespace gs
