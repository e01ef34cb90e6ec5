// Values an input can be given without typing every number: the expression language's
// `W = randn(2, 3)`, `zeros`, `ones`, `eye`, `onehot([0, 2], 3)`, and the input editor's fill
// buttons, one implementation for both. randn is seeded by the input's name (or an explicit
// seed), so that the same formula gives the same numbers on every machine: a student sees the
// lecturer's numbers. Depends on tensor.h and rng.h only.
#pragma once

#include "tensor.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace gs {

// The seed randn uses for an input called `name` when the formula gives none: FNV-1a (64-bit) of
// the name's bytes, so W1 and W2 differ and renaming an input draws new numbers.
std::uint64_t input_seed(std::string_view name);

// Standard normal numbers (mean 0, variance 1, like torch.randn) from Rng(seed), in row-major
// order; any shape (up to 4 axes).
TensorD seeded_randn(const Shape& shape, std::uint64_t seed);

// The rows × cols matrix with ones on its diagonal (rows = cols for a square identity).
TensorD identity_matrix(Index rows, Index cols);

// [N, classes] rows one-hot at labels[i]. Throws std::invalid_argument naming the label (by its
// 1-based position) that is not a whole number in 0 … classes−1.
TensorD onehot_rows(const std::vector<double>& labels, Index classes);

}  // namespace gs
