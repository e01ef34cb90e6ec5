// Fill values for inputs (input_fill.h): seeded randn, identity, one-hot rows. Depends on rng.h
// (and graph.h for format_number).
#include "input_fill.h"

#include "graph.h"  // format_number
#include "rng.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace gs {

std::uint64_t input_seed(std::string_view name) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a offset basis
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;  // FNV prime
  }
  return h;
}

TensorD seeded_randn(const Shape& shape, std::uint64_t seed) {
  Rng rng(seed);
  TensorD t = TensorD::uninitialized(shape);
  for (Index i = 0; i < t.size(); ++i) t[i] = rng.normal();
  return t;
}

TensorD identity_matrix(Index rows, Index cols) {
  TensorD t(Shape{rows, cols}, 0.0);
  for (Index i = 0; i < rows && i < cols; ++i) t[i * cols + i] = 1.0;
  return t;
}

TensorD onehot_rows(const std::vector<double>& labels, Index classes) {
  TensorD t(Shape{static_cast<Index>(labels.size()), classes}, 0.0);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double c = labels[i];
    if (!(c >= 0 && c < static_cast<double>(classes) && c == std::floor(c)))
      throw std::invalid_argument("label " + std::to_string(i + 1) + " is " + format_number(c) + ", not a class 0 … " +
                                  std::to_string(classes - 1));
    t[static_cast<Index>(i) * classes + static_cast<Index>(c)] = 1.0;
  }
  return t;
}

}  // namespace gs
