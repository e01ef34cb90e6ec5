// Dense numeric kernels shared by the graph's ops (double) and src/nn's layers (float): each
// derivative is written once. Elementwise rules come from the op catalogue's scalar definitions
// (ops_elementwise.cpp); the rest are here. Depends on tensor.h and op.h; Eigen for products.
#pragma once

#include "op.h"
#include "tensor.h"

#include <cstdint>
#include <type_traits>

namespace gs::kernels {

// y = f(x) elementwise, f any unary elementwise op of the catalogue (OpDef::unary: relu, tanh,
// sigmoid, softplus, …) with its default attributes; std::invalid_argument for other ops. y may
// alias x.
template <class T>
void unary_forward(Op op, const Tensor<T>& x, Tensor<T>& y);
// gx = gy ∘ f'(x) (using y = f(x) where that is cheaper: tanh' = 1 − y², σ' = y(1 − y)).
template <class T>
void unary_backward(Op op, const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& gy, Tensor<T>& gx);

// y = op(a) ᵀ · op(b) for 2-D a, b (transpose flags as in BLAS); accumulate: y += instead of =.
template <class T>
void matmul(const Tensor<T>& a, const Tensor<T>& b, Tensor<T>& y, bool transpose_a = false,
            bool transpose_b = false, bool accumulate = false);

// Y = X·W + 1·bᵀ for x (N, K), w (K, M), b (M): the bias fills y's rows and the product is added
// onto it, one pass fewer than a product then a bias add. y must not be x, w or b.
template <class T>
void affine(const Tensor<T>& x, const Tensor<T>& w, const Tensor<T>& b, Tensor<T>& y);

// Row-broadcast bias: y (N, M) += 1·bᵀ, b (M). Its reverse rule: db = Σ_n G (column sums, summed
// row after row in index order: the same bits for any address and vector width).
template <class T>
void add_row_vector(Tensor<T>& y, const Tensor<T>& b);
template <class T>
void column_sums(const Tensor<T>& g, Tensor<T>& out, bool accumulate = false);

// Softmax over the last axis (stable: subtract the row maximum).
template <class T>
void softmax_rows(const Tensor<T>& z, Tensor<T>& p);
template <class T>
void log_softmax_rows(const Tensor<T>& z, Tensor<T>& lp);

// Softmax cross-entropy averaged over rows, stable through log-sum-exp.
//   L = (1/N) Σ_n (logsumexp(z_n) − z_n·y_n),   dZ = (softmax(Z) − Y) / N
// Targets as one-hot (or soft) rows `y` (N, C), or as class indices `labels` (N).
// dz (optional) receives dL/dZ (resized only when its shape differs).
// `batch_rows` (labels form, and hinge_labels below): z holds some of the rows of a batch of
// that many; the result is their share of the batch's mean, Σ_{these n} L_n / batch_rows, and
// dz their rows of the batch's gradient. 0 means z is the whole batch.
template <class T>
T softmax_cross_entropy(const Tensor<T>& z, const Tensor<T>& y, std::type_identity_t<Tensor<T>>* dz);
template <class T>
T softmax_cross_entropy_labels(const Tensor<T>& z, const std::int32_t* labels, std::type_identity_t<Tensor<T>>* dz,
                               Index batch_rows = 0);

// Mean squared error L = mean((P − T)²), dP = 2(P − T)/size. With `batch_rows`, p holds some rows
// of a batch of that many (as for the cross-entropy): size counts the whole batch.
template <class T>
T mse(const Tensor<T>& p, const Tensor<T>& t, std::type_identity_t<Tensor<T>>* dp, Index batch_rows = 0);

// Multi-class SVM loss of seed 001, averaged over rows:
//   L = (1/N) Σ_n Σ_{j≠y_n} max(0, s_nj − s_n,y_n + 1)
//   dS_nj = 1[margin_nj > 0]/N for j ≠ y_n,  dS_n,y_n = −(count of positive margins)/N
template <class T>
T hinge(const Tensor<T>& s, const Tensor<T>& y_onehot, std::type_identity_t<Tensor<T>>* ds);
template <class T>
T hinge_labels(const Tensor<T>& s, const std::int32_t* labels, std::type_identity_t<Tensor<T>>* ds,
               Index batch_rows = 0);

}  // namespace gs::kernels
