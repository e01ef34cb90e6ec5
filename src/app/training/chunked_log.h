// An append-only log in fixed chunks: a run's history of millions of steps grows without ever
// moving what it holds (a std::vector of 4 M records copied 650 MB on the UI thread when it grew,
// a frame of two seconds). Indexing is two loads. No ImGui, no threads: the owner's thread only.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace gs::app::training {

template <typename T>
class ChunkedLog {
 public:
  static constexpr std::size_t kChunk = 4096;  // records per chunk

  void push_back(const T& v) {
    if (size_ == chunks_.size() * kChunk) chunks_.push_back(std::make_unique<T[]>(kChunk));
    chunks_[size_ / kChunk][size_ % kChunk] = v;
    ++size_;
  }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](std::size_t i) const { return chunks_[i / kChunk][i % kChunk]; }
  const T& back() const { return (*this)[size_ - 1]; }
  // Keeps the first n records (n ≤ size()); the chunks no longer used are freed.
  void truncate(std::size_t n) {
    if (n >= size_) return;
    size_ = n;
    chunks_.resize((n + kChunk - 1) / kChunk);
  }
  void clear() { truncate(0); }

  // Forward iteration (range-for), in order.
  class const_iterator {
   public:
    const_iterator(const ChunkedLog* log, std::size_t i) : log_(log), i_(i) {}
    const T& operator*() const { return (*log_)[i_]; }
    const T* operator->() const { return &(*log_)[i_]; }
    const_iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator==(const const_iterator& o) const { return i_ == o.i_; }

   private:
    const ChunkedLog* log_;
    std::size_t i_;
  };
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size_}; }

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  std::size_t size_ = 0;
};

}  // namespace gs::app::training
