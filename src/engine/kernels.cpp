// Dense kernels shared by the graph ops (double) and src/nn's layers (float): matrix products,
// row bias, softmax, and the losses with their gradients. Depends on tensor.h and Eigen.
#include "kernels.h"

#include "kernels_gemm.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace gs::kernels {

// [SECTION] matrix products

template <class T>
void matmul(const Tensor<T>& a, const Tensor<T>& b, Tensor<T>& y, bool transpose_a, bool transpose_b,
            bool accumulate) {
  if (a.rank() != 2 || b.rank() != 2)
    throw std::invalid_argument("matmul needs matrices, got " + a.shape().to_string() + " and " + b.shape().to_string());
  const Index n = transpose_a ? a.dim(1) : a.dim(0), k = transpose_a ? a.dim(0) : a.dim(1);
  const Index kb = transpose_b ? b.dim(1) : b.dim(0), m = transpose_b ? b.dim(0) : b.dim(1);
  if (k != kb)
    throw std::invalid_argument("matmul: " + a.shape().to_string() + (transpose_a ? "ᵀ" : "") + " @ " +
                                b.shape().to_string() + (transpose_b ? "ᵀ" : "") + " do not match");
  const Shape out{n, m};
  if (!accumulate || y.shape() != out) {
    if (accumulate) throw std::invalid_argument("matmul: accumulating into a tensor of the wrong shape");
    if (y.shape() != out) y = Tensor<T>::uninitialized(out);
  }
  // Float products with a row-major right operand and whole registers per output row (a linear
  // layer's forward and dW) are ours: faster than Eigen's for these shapes (it packs both
  // operands on every call), each output one FMA chain in index order (kernels_gemm.h).
  if constexpr (std::is_same_v<T, float>) {
    if (!transpose_b && gemm::fits(m)) {
      gemm::product(n, k, m, a.data(), a.dim(1), transpose_a, b.data(), m, y.data(), m,
                    accumulate ? gemm::Start::Accumulate : gemm::Start::Zero);
      return;
    }
  }
  auto A = a.matrix();
  auto B = b.matrix();
  auto Y = y.matrix();
  // noalias: the operands never alias the output here; lets Eigen write in place.
  if (accumulate) {
    if (!transpose_a && !transpose_b) Y.noalias() += A * B;
    else if (transpose_a && !transpose_b) Y.noalias() += A.transpose() * B;
    else if (!transpose_a) Y.noalias() += A * B.transpose();
    else Y.noalias() += A.transpose() * B.transpose();
  } else {
    if (!transpose_a && !transpose_b) Y.noalias() = A * B;
    else if (transpose_a && !transpose_b) Y.noalias() = A.transpose() * B;
    else if (!transpose_a) Y.noalias() = A * B.transpose();
    else Y.noalias() = A.transpose() * B.transpose();
  }
}

template <class T>
void affine(const Tensor<T>& x, const Tensor<T>& w, const Tensor<T>& b, Tensor<T>& y) {
  if (x.rank() != 2 || w.rank() != 2 || x.dim(1) != w.dim(0))
    throw std::invalid_argument("affine: " + x.shape().to_string() + " @ " + w.shape().to_string() + " do not match");
  if (b.size() != w.dim(1))
    throw std::invalid_argument("affine: bias " + b.shape().to_string() + " does not fit " + w.shape().to_string());
  if (&y == &x || &y == &w || &y == &b) throw std::invalid_argument("affine: the output must not be an input");
  const Index n = x.dim(0), m = w.dim(1);
  if (y.shape() != Shape{n, m}) y = Tensor<T>::uninitialized(Shape{n, m});
  if constexpr (std::is_same_v<T, float>) {
    if (gemm::fits(m)) {
      gemm::product(n, x.dim(1), m, x.data(), x.dim(1), false, w.data(), m, y.data(), m, gemm::Start::Bias, b.data());
      return;
    }
  }
  for (Index r = 0; r < n; ++r) std::copy(b.data(), b.data() + m, y.data() + r * m);
  y.matrix().noalias() += x.matrix() * w.matrix();
}

template <class T>
void add_row_vector(Tensor<T>& y, const Tensor<T>& b) {
  if (y.rank() != 2 || b.size() != y.dim(1))
    throw std::invalid_argument("bias " + b.shape().to_string() + " does not fit rows of " + y.shape().to_string());
  const Index n = y.dim(0), m = y.dim(1);
  const T* bp = b.data();
  for (Index r = 0; r < n; ++r) {
    T* row = y.data() + r * m;
    for (Index j = 0; j < m; ++j) row[j] += bp[j];
  }
}

// db = Σ_n G: the reverse rule of the row broadcast. Row after row, so each column is summed in
// index order whatever lanes the compiler's vectors give it.
template <class T>
void column_sums(const Tensor<T>& g, Tensor<T>& out, bool accumulate) {
  if (g.rank() != 2) throw std::invalid_argument("column_sums needs a matrix, got " + g.shape().to_string());
  const Index n = g.dim(0), m = g.dim(1);
  const Shape s{m};
  if (accumulate && out.shape() != s) throw std::invalid_argument("column_sums: accumulator of the wrong shape");
  if (&out == &g) throw std::invalid_argument("column_sums: the output must not be the input");
  if (!accumulate) {
    if (out.shape() != s) out = Tensor<T>::uninitialized(s);
    out.fill(T(0));
  }
  T* o = out.data();
  for (Index r = 0; r < n; ++r) {
    const T* row = g.data() + r * m;
    for (Index j = 0; j < m; ++j) o[j] += row[j];
  }
}

// [SECTION] softmax, stable

namespace {
template <class T>
void check_rows(const Tensor<T>& z, const char* what) {
  if (z.rank() < 1 || z.size() == 0) throw std::invalid_argument(std::string(what) + " of an empty tensor");
}
// Rows of the last axis.
template <class T>
Index row_length(const Tensor<T>& z) {
  return z.dim(z.rank() - 1);
}
// A row's log Σ exp(z) as torch computes it: the row maximum m subtracted before the
// exponentials, and kept apart from the rest, log_softmax(z)_j = (z_j − m) − log Σ exp(z − m).
// Adding m back first (lse = m + log Σ) would round away log Σ at a large shared offset
// (1e16 in double, a few thousand in float). A row of −∞ or one holding +∞ or NaN gives NaN.
template <class T>
struct RowShift {
  T max;      // m
  T log_sum;  // log Σ_j exp(z_j − m)
  T sum;      // Σ_j exp(z_j − m)
};
template <class T>
RowShift<T> row_shift(const T* z, Index c) {
  T mx = z[0];
  for (Index j = 1; j < c; ++j) mx = std::max(mx, z[j]);
  for (Index j = 0; j < c; ++j)
    if (z[j] != z[j]) mx = z[j];  // NaN anywhere in the row makes every result NaN
  T s = 0;
  for (Index j = 0; j < c; ++j) s += std::exp(z[j] - mx);
  return {mx, std::log(s), s};
}
}  // namespace

template <class T>
void softmax_rows(const Tensor<T>& z, Tensor<T>& p) {
  check_rows(z, "softmax");
  if (&p != &z) p = Tensor<T>::uninitialized(z.shape());
  const Index c = row_length(z), rows = z.size() / c;
  for (Index r = 0; r < rows; ++r) {
    const T* zr = z.data() + r * c;
    T* pr = p.data() + r * c;
    const RowShift<T> k = row_shift(zr, c);
    for (Index j = 0; j < c; ++j) pr[j] = std::exp(zr[j] - k.max) / k.sum;
  }
}

template <class T>
void log_softmax_rows(const Tensor<T>& z, Tensor<T>& lp) {
  check_rows(z, "log_softmax");
  if (&lp != &z) lp = Tensor<T>::uninitialized(z.shape());
  const Index c = row_length(z), rows = z.size() / c;
  for (Index r = 0; r < rows; ++r) {
    const T* zr = z.data() + r * c;
    T* out = lp.data() + r * c;
    const RowShift<T> k = row_shift(zr, c);
    for (Index j = 0; j < c; ++j) out[j] = (zr[j] - k.max) - k.log_sum;
  }
}

// [SECTION] losses

namespace {
// A gradient shaped like `like`, reusing its storage when the shape already fits.
template <class T>
void resize_output(Tensor<T>& out, const Tensor<T>& like) {
  if (&out == &like) throw std::invalid_argument("a loss gradient must not overwrite its input");
  if (out.shape() != like.shape()) out = Tensor<T>::uninitialized(like.shape());
}
template <class T>
void check_pair(const Tensor<T>& z, const Tensor<T>& y, const char* what) {
  if (z.shape() != y.shape())
    throw std::invalid_argument(std::string(what) + ": " + z.shape().to_string() + " and " + y.shape().to_string() +
                                " differ");
}
template <class T>
void check_logits(const Tensor<T>& z, const char* what) {
  if (z.rank() != 2 || z.size() == 0)
    throw std::invalid_argument(std::string(what) + " needs scores [N×C], got " + z.shape().to_string());
}
}  // namespace

template <class T>
T softmax_cross_entropy(const Tensor<T>& z, const Tensor<T>& y, std::type_identity_t<Tensor<T>>* dz) {
  check_logits(z, "cross-entropy");
  check_pair(z, y, "cross-entropy");
  const Index n = z.dim(0), c = z.dim(1);
  if (dz) resize_output(*dz, z);
  double loss = 0;
  for (Index r = 0; r < n; ++r) {
    const T* zr = z.data() + r * c;
    const T* yr = y.data() + r * c;
    const RowShift<T> k = row_shift(zr, c);
    double row_y = 0;
    for (Index j = 0; j < c; ++j) {
      // −Σ y log softmax(z); a zero target contributes nothing even where log softmax = −inf.
      if (yr[j] != 0) loss -= static_cast<double>(yr[j]) * static_cast<double>((zr[j] - k.max) - k.log_sum);
      row_y += yr[j];
    }
    if (dz) {
      // dZ = (softmax(Z)·Σy − Y) / N; Σy = 1 for one-hot rows.
      T* d = dz->data() + r * c;
      for (Index j = 0; j < c; ++j)
        d[j] = static_cast<T>((std::exp(zr[j] - k.max) / k.sum * row_y - yr[j]) / static_cast<double>(n));
    }
  }
  return static_cast<T>(loss / static_cast<double>(n));
}

template <class T>
T softmax_cross_entropy_labels(const Tensor<T>& z, const std::int32_t* labels, std::type_identity_t<Tensor<T>>* dz,
                               Index batch_rows) {
  check_logits(z, "cross-entropy");
  const Index n = z.dim(0), c = z.dim(1), batch = batch_rows > 0 ? batch_rows : n;
  if (dz) resize_output(*dz, z);
  double loss = 0;
  const T inv_n = T(1) / static_cast<T>(batch);
  for (Index r = 0; r < n; ++r) {
    if (labels[r] < 0 || labels[r] >= c)
      throw std::invalid_argument("label " + std::to_string(labels[r]) + " of row " + std::to_string(r) +
                                  " is not a class in 0.." + std::to_string(c - 1));
    const T* zr = z.data() + r * c;
    const RowShift<T> k = row_shift(zr, c);
    loss -= static_cast<double>((zr[labels[r]] - k.max) - k.log_sum);
    if (dz) {
      T* d = dz->data() + r * c;
      for (Index j = 0; j < c; ++j) d[j] = std::exp(zr[j] - k.max) / k.sum * inv_n;  // (P − Y)/N
      d[labels[r]] -= inv_n;
    }
  }
  return static_cast<T>(loss / static_cast<double>(batch));
}

template <class T>
T mse(const Tensor<T>& p, const Tensor<T>& t, std::type_identity_t<Tensor<T>>* dp, Index batch_rows) {
  check_pair(p, t, "mse");
  const Index size = p.size();
  if (size == 0) throw std::invalid_argument("mse of empty tensors");
  // Elements of the whole batch: p's rows stand for batch_rows rows of the same length.
  const Index n = batch_rows > 0 && p.rank() > 0 ? size / p.dim(0) * batch_rows : size;
  if (dp) resize_output(*dp, p);
  double sum = 0;
  for (Index k = 0; k < size; ++k) {
    double d = static_cast<double>(p[k]) - static_cast<double>(t[k]);
    sum += d * d;
    if (dp) (*dp)[k] = static_cast<T>(2.0 * d / static_cast<double>(n));  // dP = 2(P − T)/n
  }
  return static_cast<T>(sum / static_cast<double>(n));
}

namespace {
// Multi-class SVM loss on rows with the correct class y_r given per row.
template <class T, class ClassOf>
T hinge_rows(const Tensor<T>& s, ClassOf class_of, std::type_identity_t<Tensor<T>>* ds, Index batch_rows = 0) {
  check_logits(s, "hinge");
  const Index n = s.dim(0), c = s.dim(1);
  if (ds) {
    resize_output(*ds, s);
    ds->fill(T(0));
  }
  double loss = 0;
  const double inv_n = 1.0 / static_cast<double>(batch_rows > 0 ? batch_rows : n);
  for (Index r = 0; r < n; ++r) {
    const Index y = class_of(r);
    const T* sr = s.data() + r * c;
    int positive = 0;
    for (Index j = 0; j < c; ++j) {
      if (j == y) continue;
      double margin = static_cast<double>(sr[j]) - static_cast<double>(sr[y]) + 1.0;
      if (margin > 0) {
        loss += margin;
        ++positive;
        if (ds) (*ds)[r * c + j] = static_cast<T>(inv_n);
      }
    }
    if (ds) (*ds)[r * c + y] = static_cast<T>(-positive * inv_n);
  }
  return static_cast<T>(loss * inv_n);
}
}  // namespace

template <class T>
T hinge(const Tensor<T>& s, const Tensor<T>& y_onehot, std::type_identity_t<Tensor<T>>* ds) {
  check_pair(s, y_onehot, "hinge");
  const Index c = s.rank() == 2 ? s.dim(1) : 0;
  return hinge_rows(
      s,
      [&](Index r) {
        const T* yr = y_onehot.data() + r * c;
        return static_cast<Index>(std::max_element(yr, yr + c) - yr);  // the row's one-hot class
      },
      ds);
}

template <class T>
T hinge_labels(const Tensor<T>& s, const std::int32_t* labels, std::type_identity_t<Tensor<T>>* ds, Index batch_rows) {
  const Index c = s.rank() == 2 ? s.dim(1) : 0;
  return hinge_rows(
      s,
      [&](Index r) {
        if (labels[r] < 0 || labels[r] >= c)
          throw std::invalid_argument("label " + std::to_string(labels[r]) + " of row " + std::to_string(r) +
                                      " is not a class");
        return static_cast<Index>(labels[r]);
      },
      ds, batch_rows);
}

#define GS_INSTANTIATE(T)                                                                        \
  template void matmul<T>(const Tensor<T>&, const Tensor<T>&, Tensor<T>&, bool, bool, bool);     \
  template void affine<T>(const Tensor<T>&, const Tensor<T>&, const Tensor<T>&, Tensor<T>&);     \
  template void add_row_vector<T>(Tensor<T>&, const Tensor<T>&);                                 \
  template void column_sums<T>(const Tensor<T>&, Tensor<T>&, bool);                              \
  template void softmax_rows<T>(const Tensor<T>&, Tensor<T>&);                                   \
  template void log_softmax_rows<T>(const Tensor<T>&, Tensor<T>&);                               \
  template T softmax_cross_entropy<T>(const Tensor<T>&, const Tensor<T>&, Tensor<T>*);           \
  template T softmax_cross_entropy_labels<T>(const Tensor<T>&, const std::int32_t*, Tensor<T>*, Index); \
  template T mse<T>(const Tensor<T>&, const Tensor<T>&, Tensor<T>*, Index);                      \
  template T hinge<T>(const Tensor<T>&, const Tensor<T>&, Tensor<T>*);                           \
  template T hinge_labels<T>(const Tensor<T>&, const std::int32_t*, Tensor<T>*, Index);
GS_INSTANTIATE(float)
GS_INSTANTIATE(double)
#undef GS_INSTANTIATE

}  // namespace gs::kernels
