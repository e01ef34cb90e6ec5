// Dense row-major tensors of rank 0 to 4, one template for double (interactive graphs, gradient
// checks) and float (training). Small tensors (scalars above all) live inline, so that a graph of
// a few hundred scalar nodes evaluates without touching the heap for every value; larger ones
// start on a 64-byte boundary (one cache line, one AVX-512 register), so that every address a
// kernel sees is fixed by the shapes alone and no result depends on where the allocator put a
// tensor. A view borrows storage it does not own (the model's parameter arena).
// Depends on Eigen only; no I/O beyond to_string().
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace gs {

using Index = std::ptrdiff_t;
inline constexpr int kMaxRank = 4;

// [N×C×H×W]: the rank and the extent of each axis. A rank-0 shape is a scalar with one element.
class Shape {
 public:
  Shape() = default;
  Shape(std::initializer_list<Index> dims) {
    if (dims.size() > kMaxRank) throw std::invalid_argument("tensors have at most 4 axes");
    for (Index d : dims) dims_[rank_++] = d;
  }
  static Shape scalar() { return Shape(); }
  static Shape of_rank(int rank, const Index* dims) {
    Shape s;
    if (rank > kMaxRank) throw std::invalid_argument("tensors have at most 4 axes");
    for (int i = 0; i < rank; ++i) s.dims_[s.rank_++] = dims[i];
    return s;
  }

  int rank() const { return rank_; }
  Index operator[](int axis) const { return dims_[axis]; }
  Index& operator[](int axis) { return dims_[axis]; }
  const Index* begin() const { return dims_.data(); }
  const Index* end() const { return dims_.data() + rank_; }
  Index size() const {
    Index n = 1;
    for (int i = 0; i < rank_; ++i) n *= dims_[i];
    return n;
  }
  bool is_scalar() const { return rank_ == 0; }
  // Axis counted from the end (-1 = last) turned into 0-based, or -1 if out of range.
  int normalize_axis(int axis) const {
    int a = axis < 0 ? axis + rank_ : axis;
    return (a < 0 || a >= rank_) ? -1 : a;
  }
  Shape with_axis_removed(int axis) const {
    Shape s;
    for (int i = 0; i < rank_; ++i)
      if (i != axis) s.dims_[s.rank_++] = dims_[i];
    return s;
  }
  Shape with_axis_set(int axis, Index extent) const {
    Shape s = *this;
    s.dims_[axis] = extent;
    return s;
  }
  void push_back(Index d) {
    if (rank_ == kMaxRank) throw std::invalid_argument("tensors have at most 4 axes");
    dims_[rank_++] = d;
  }

  friend bool operator==(const Shape& a, const Shape& b) {
    if (a.rank_ != b.rank_) return false;
    for (int i = 0; i < a.rank_; ++i)
      if (a.dims_[i] != b.dims_[i]) return false;
    return true;
  }
  friend bool operator!=(const Shape& a, const Shape& b) { return !(a == b); }

  // "[4×3]" for display, "scalar" for rank 0.
  std::string to_string() const;

 private:
  std::array<Index, kMaxRank> dims_{};
  int rank_ = 0;
};

// NumPy broadcasting of two shapes; returns false when they do not broadcast.
bool broadcast_shapes(const Shape& a, const Shape& b, Shape* out);

template <class T>
using MatrixMap = Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;
template <class T>
using ConstMatrixMap =
    Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;
template <class T>
using VectorMap = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>;
template <class T>
using ConstVectorMap = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>;

// Heap storage of tensors and of the buffers kernels keep: 64-byte aligned.
inline constexpr std::size_t kStorageAlignment = 64;
struct AlignedDelete {
  void operator()(void* p) const { ::operator delete[](p, std::align_val_t{kStorageAlignment}); }
};
template <class T>
T* allocate_aligned(Index n) {
  return static_cast<T*>(::operator new[](static_cast<std::size_t>(n) * sizeof(T), std::align_val_t{kStorageAlignment}));
}

// A fixed block of `size` elements, zero-filled and 64-byte aligned, that never moves them (a
// moved buffer keeps its storage): what views point into.
template <class T>
class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  explicit AlignedBuffer(Index n) : data_(n > 0 ? allocate_aligned<T>(n) : nullptr), size_(n) {
    std::fill(data(), data() + size_, T(0));
  }
  T* data() { return static_cast<T*>(data_.get()); }
  const T* data() const { return static_cast<const T*>(data_.get()); }
  Index size() const { return size_; }

 private:
  std::unique_ptr<void, AlignedDelete> data_;
  Index size_ = 0;
};

template <class T>
class Tensor {
  static_assert(std::is_floating_point_v<T>, "Tensor holds float or double");

 public:
  using value_type = T;
  // Elements kept inside the object, no allocation. So few that no kernel vectorises them: their
  // address (inside the object) never decides a rounding.
  static constexpr Index kInline = 4;

  Tensor() : Tensor(Shape()) {}
  explicit Tensor(const Shape& shape) : shape_(shape) {
    allocate(shape.size());
    std::fill(ptr_, ptr_ + size_, T(0));
  }
  Tensor(const Shape& shape, T fill) : shape_(shape) {
    allocate(shape.size());
    std::fill(ptr_, ptr_ + size_, fill);
  }
  static Tensor scalar(T v) { return Tensor(Shape(), v); }
  // Uninitialised storage, for kernels that overwrite every element.
  static Tensor uninitialized(const Shape& shape) {
    Tensor t(NoInit{}, shape);
    return t;
  }
  // A tensor over `data` (shape.size() elements), which the caller owns and keeps alive. Writing
  // into a view writes into that storage; assigning a tensor of another size to it is a
  // std::logic_error. Copies of a view own their elements.
  // Moving a view gives a view of the same storage; assigning to a tensor never makes it one.
  static Tensor view(T* data, const Shape& shape) { return Tensor(ViewOf{}, data, shape); }
  static Tensor from(const Shape& shape, std::initializer_list<T> values) {
    Tensor t = uninitialized(shape);
    if (static_cast<Index>(values.size()) != t.size_)
      throw std::invalid_argument("Tensor::from: value count does not match the shape");
    std::copy(values.begin(), values.end(), t.ptr_);
    return t;
  }

  Tensor(const Tensor& o) : shape_(o.shape_) {
    allocate(o.size_);
    std::copy(o.ptr_, o.ptr_ + size_, ptr_);
  }
  Tensor(Tensor&& o) noexcept : shape_(o.shape_) {
    if (o.view_) {
      size_ = o.size_;
      ptr_ = o.ptr_;
      view_ = true;
    } else {
      steal(o);
    }
  }
  Tensor& operator=(const Tensor& o) {
    if (this == &o) return *this;
    if (size_ != o.size_) {
      if (view_) throw std::logic_error("assigning " + std::to_string(o.size_) + " elements to a view of " + std::to_string(size_));
      heap_.reset();
      allocate(o.size_);
    }
    shape_ = o.shape_;
    std::copy(o.ptr_, o.ptr_ + size_, ptr_);
    return *this;
  }
  // Into a view, or from one, the elements are copied.
  Tensor& operator=(Tensor&& o) {
    if (this == &o) return *this;
    if (view_ || o.view_) return *this = static_cast<const Tensor&>(o);
    shape_ = o.shape_;
    heap_.reset();
    steal(o);
    return *this;
  }

  bool is_view() const { return view_; }
  // Makes this tensor a view of `data` (size() elements, kept alive by the caller) with its
  // shape, dropping its own storage; no element is copied.
  void borrow(T* data) {
    heap_.reset();
    ptr_ = data;
    view_ = true;
  }

  const Shape& shape() const { return shape_; }
  int rank() const { return shape_.rank(); }
  Index size() const { return size_; }
  Index dim(int axis) const { return shape_[axis]; }

  T* data() { return ptr_; }
  const T* data() const { return ptr_; }
  T* begin() { return ptr_; }
  T* end() { return ptr_ + size_; }
  const T* begin() const { return ptr_; }
  const T* end() const { return ptr_ + size_; }
  T& operator[](Index i) { return ptr_[i]; }
  const T& operator[](Index i) const { return ptr_[i]; }

  // The single value of a one-element tensor.
  T item() const {
    if (size_ != 1) throw std::logic_error("item() of a tensor with " + std::to_string(size_) + " elements");
    return ptr_[0];
  }

  // Element access by multi-index (rank must match; slow path for tests and views).
  T& at(std::initializer_list<Index> idx) { return ptr_[offset(idx)]; }
  const T& at(std::initializer_list<Index> idx) const { return ptr_[offset(idx)]; }

  // Same elements, new shape of equal size.
  Tensor reshaped(const Shape& s) const& {
    Tensor t(*this);
    t.reshape_in_place(s);
    return t;
  }
  Tensor reshaped(const Shape& s) && {
    reshape_in_place(s);
    return std::move(*this);
  }
  void reshape_in_place(const Shape& s) {
    if (s.size() != size_) throw std::invalid_argument("reshape changes the element count");
    shape_ = s;
  }

  void fill(T v) { std::fill(ptr_, ptr_ + size_, v); }

  // Rank 0/1 read as a row; rank 2 as itself; higher ranks as [dim0, rest].
  MatrixMap<T> matrix() { return MatrixMap<T>(ptr_, rows(), cols()); }
  ConstMatrixMap<T> matrix() const { return ConstMatrixMap<T>(ptr_, rows(), cols()); }
  VectorMap<T> array() { return VectorMap<T>(ptr_, size_); }
  ConstVectorMap<T> array() const { return ConstVectorMap<T>(ptr_, size_); }

  template <class U>
  Tensor<U> cast() const {
    Tensor<U> out = Tensor<U>::uninitialized(shape_);
    for (Index i = 0; i < size_; ++i) out[i] = static_cast<U>(ptr_[i]);
    return out;
  }

 private:
  struct NoInit {};
  Tensor(NoInit, const Shape& shape) : shape_(shape) { allocate(shape.size()); }
  struct ViewOf {};
  Tensor(ViewOf, T* data, const Shape& shape) : shape_(shape), size_(shape.size()), ptr_(data), view_(true) {}

  Index rows() const { return shape_.rank() <= 1 ? 1 : shape_[0]; }
  Index cols() const { return shape_.rank() == 0 ? 1 : (shape_.rank() == 1 ? shape_[0] : size_ / shape_[0]); }

  Index offset(std::initializer_list<Index> idx) const {
    assert(static_cast<int>(idx.size()) == shape_.rank());
    Index off = 0;
    int axis = 0;
    for (Index i : idx) off = off * shape_[axis++] + i;
    return off;
  }

  void allocate(Index n) {
    size_ = n;
    if (n <= kInline) {
      ptr_ = inline_;
    } else {
      heap_.reset(allocate_aligned<T>(n));
      ptr_ = static_cast<T*>(heap_.get());
    }
  }
  void steal(Tensor& o) {
    size_ = o.size_;
    if (o.ptr_ == o.inline_) {
      std::copy(o.inline_, o.inline_ + o.size_, inline_);
      ptr_ = inline_;
    } else {
      heap_ = std::move(o.heap_);
      ptr_ = static_cast<T*>(heap_.get());
      o.allocate(0);
    }
  }

  Shape shape_;
  Index size_ = 0;
  T* ptr_ = inline_;
  T inline_[kInline];
  std::unique_ptr<void, AlignedDelete> heap_;
  bool view_ = false;
};

using TensorD = Tensor<double>;
using TensorF = Tensor<float>;

}  // namespace gs
