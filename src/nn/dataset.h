// Datasets for training: 2-D synthetic sets (spiral, moons, circles, xor, gaussian blobs),
// MNIST-format IDX files (Fashion-MNIST from Debian's dataset-fashion-mnist), CSV files; the
// train/test split, normalisation, and seeded shuffling into mini-batches.
// Depends on the engine's Tensor, zlib (in dataset_files.cpp) and nlohmann-json; no threads (a
// LoadProgress is read from another thread through atomics).
#pragma once

#include "engine/tensor.h"
#include "nn/rng.h"

#include <nlohmann/json.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace gs::nn {

// The samples of a data set, (N, D) feature vectors or (N, C, H, W) images. Held as float values,
// or, for IDX images, as their bytes with the table of the 256 floats a byte stands for (pixel b:
// b/255 as torchvision's ToTensor, then any normalisation applied to the table): a quarter of the
// memory (Fashion-MNIST's 60000 training images take 47 MB instead of 188 MB), converted a batch at
// a time, and the same floats bit for bit, since every value is its byte's entry in the table.
class Samples {
 public:
  using ByteTable = std::array<float, 256>;
  Samples() : values_(Shape{0}) {}
  Samples(TensorF values);  // NOLINT(google-explicit-constructor): `d.x = TensorF(…)` reads well
  // shape (N, …) with shape.size() == bytes.size(); value k is value_of[bytes[k]].
  static Samples of_bytes(const Shape& shape, std::vector<std::uint8_t> bytes, const ByteTable& value_of);

  const Shape& shape() const { return shape_; }
  int rank() const { return shape_.rank(); }
  Index dim(int axis) const { return shape_[axis]; }
  Index size() const { return shape_.size(); }
  Index row_size() const;  // values per sample: size() / N
  bool holds_bytes() const { return holds_bytes_; }

  // Value k (row-major over the shape) as float, whatever the storage.
  float operator[](Index k) const { return holds_bytes_ ? table_[bytes_[static_cast<std::size_t>(k)]] : values_[k]; }
  // Samples [begin, end) in order, as floats, into out (row_size() · (end − begin) of them).
  void copy_rows(Index begin, Index end, float* out) const;
  // Sample r's values (row_size() floats): one image of the training page's grid.
  std::vector<float> row(Index r) const;
  // The rows `rows` in that order (a split's part): the same storage form and table.
  Samples take_rows(const std::vector<Index>& rows) const;

  // The float values. std::logic_error when the samples are held as bytes (use to_floats first).
  TensorF& floats();
  const TensorF& floats() const;
  // Replaces the byte form by float values (the same values); nothing when already floats.
  void to_floats();
  // v ← f(v) for every value: through the table when held as bytes (same results, 256 calls).
  template <class F>
  void transform(F f) {
    if (holds_bytes_)
      for (float& v : table_) v = f(v);
    else
      for (float& v : values_) v = f(v);
  }
  // Every value in order through f(v), e.g. to sum them.
  template <class F>
  void for_each(F f) const {
    if (holds_bytes_)
      for (std::uint8_t b : bytes_) f(table_[b]);
    else
      for (float v : values_) f(v);
  }

 private:
  Shape shape_{0};
  TensorF values_;                   // the float form
  std::vector<std::uint8_t> bytes_;  // the byte form
  ByteTable table_{};
  bool holds_bytes_ = false;
};

// Samples and class labels. x is (N, D) for feature vectors or (N, C, H, W) for images.
struct Dataset {
  Samples x;
  std::vector<std::int32_t> y;
  int classes = 0;
  Index size() const { return static_cast<Index>(y.size()); }
  // The shape of one sample: (D) or (C, H, W).
  Shape sample_shape() const;
};

struct DataSplit {
  Dataset train, test;  // test may be empty (size 0)
  std::string description;
};

// The 2-D generators. `noise` is each one's jitter (spiral: angle noise; others: Gaussian σ).
Dataset make_spiral(int size, int classes, double noise, std::uint64_t seed);
Dataset make_moons(int size, double noise, std::uint64_t seed);
Dataset make_circles(int size, double noise, std::uint64_t seed, double factor = 0.5);
Dataset make_xor(int size, double noise, std::uint64_t seed);
Dataset make_blobs(int size, int classes, double noise, std::uint64_t seed);

// How far a load_data() call has come, for a display on another thread ("loading Fashion-MNIST…
// 43 %"). Units: bytes of the data files as stored on disk (gzip-compressed for Fashion-MNIST).
// The total is every file's size, declared before the first is read; a file that is not a regular
// file (a pipe) adds its size only once its IDX header is read (header and data, as an uncompressed
// file holds them), and a CSV pipe at its end. done() grows as data arrive: within a compressed
// file, in proportion to the bytes decompressed of those its header announces. When a load fails,
// done() stays where it stopped. The loading thread writes, any thread reads: atomics, no lock.
class LoadProgress {
 public:
  // Bytes read so far, and in all (0 when there is nothing to read: a generated set).
  std::int64_t done() const { return done_.load(std::memory_order_acquire); }
  std::int64_t total() const { return total_.load(std::memory_order_acquire); }
  // done() / total() in [0, 1]; negative while the total is not known (a pipe's header is still to
  // come) or is 0.
  double fraction() const;

  // The loading thread's side (load_data and the readers it calls).
  void expect(std::int64_t bytes);   // a file of this size will be read; < 0: size still unknown
  void resolve(std::int64_t bytes);  // an unknown file's size is now known
  void set_done(std::int64_t bytes) { done_.store(bytes, std::memory_order_release); }

 private:
  std::atomic<std::int64_t> done_{0}, total_{0};
  std::atomic<int> unknown_{0};  // files expected whose size is not known yet
};

// A file's size for a LoadProgress: its size on disk when it is a regular file, else -1.
std::int64_t stored_size(const std::string& path);

// MNIST-format IDX (optionally gzip-compressed) images (N, 1, H, W) scaled to [0, 1], labels.
// Missing files name the path (and, under /usr/share/datasets, the Debian package); truncated or
// malformed files say so. `limit` > 0 keeps only the first `limit` samples. `progress`, when given,
// has the two files' sizes expected already (load_data does it) and is advanced as they are read.
Dataset read_idx(const std::string& images_path, const std::string& labels_path, Index limit = 0,
                 LoadProgress* progress = nullptr);
inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

// CSV: numeric feature columns and one label column (an index, negative from the end, or a header
// name); a header row is detected when the first row is not all numbers. Labels may be integers
// or names (mapped to 0… in order of first appearance).
// Class numbers are at most kMaxClassLabel (a model's output width follows the largest).
// `progress`, when given, has the file expected already and is advanced as lines are read.
Dataset read_csv(const std::string& path, const std::string& label_column = "-1", LoadProgress* progress = nullptr);
inline constexpr int kMaxClassLabel = 65535;

// The data a config asks for, read and checked once (parse_data_spec); load_data builds the
// tensors from it. Fields that do not apply to `kind` keep their defaults.
//   {"name": "spiral" | "moons" | "circles" | "xor" | "blobs", "size", "classes", "noise", "seed",
//    "test_fraction"}
//   {"name": "fashion-mnist", "dir", "train_limit", "test_limit"}
//   {"name": "idx", "train_images", "train_labels", "test_images", "test_labels", "train_limit"}
//   {"name": "csv", "path", "label", "test_fraction", "seed"}
// plus "normalize": "none" | "standard" (per feature) | "global" (one mean and σ for all values, as
// torchvision's Normalize for images), with the statistics of the training part.
enum class DataKind { Spiral, Moons, Circles, Xor, Blobs, FashionMnist, Idx, Csv, Points };
enum class Normalize { None, Standard, Global };

// A generated set's size is refused beyond this before anything is generated.
inline constexpr int kMaxGeneratedSamples = 1'000'000;

struct DataSpec {
  DataKind kind = DataKind::Spiral;
  // the synthetic 2-D sets
  int size = 300;             // 1 to kMaxGeneratedSamples
  int classes = 3;            // spiral and blobs choose; the others have 2
  double noise = 0.2;         // spiral 0.2, blobs 1.0, the others 0.1 by default
  std::uint64_t seed = 0;     // synthetic sets, and csv's split
  double test_fraction = 0;   // synthetic sets and csv: the share held out, in [0, 1)
  // fashion-mnist (its directory) and idx (four files; the test pair may be absent)
  std::string dir;
  std::string train_images, train_labels, test_images, test_labels;
  Index train_limit = 0, test_limit = 0;  // 0: every sample
  // csv
  std::string path;
  std::string label = "-1";   // a column index (negative from the end) or a header name
  Normalize normalize = Normalize::None;
  // points: the user's own 2-D points, (x, y, class) each (the training lab's clicks on the plane);
  // split by test_fraction and seed as a synthetic set is
  std::vector<std::array<double, 3>> points;
  friend bool operator==(const DataSpec&, const DataSpec&) = default;
};

// InputError naming the key for any bad value ("data: size must be a positive integer, got 0").
DataSpec parse_data_spec(const nlohmann::json& spec);
// The keys that apply to the spec's kind, every one written: parse_data_spec(to_json(s)) == s.
nlohmann::ordered_json to_json(const DataSpec& spec);
const char* data_kind_name(DataKind kind);  // "spiral", "fashion-mnist", …

// Loads or generates the data (files are opened here: a missing one is an InputError naming it,
// as is a malformed one). With `progress`, the files' sizes are expected in it first and it is
// advanced as they are read, for another thread to show; nothing is reported for a generated set.
DataSplit load_data(const DataSpec& spec, LoadProgress* progress = nullptr);
DataSplit load_data(const nlohmann::json& spec, LoadProgress* progress = nullptr);  // parse_data_spec then load_data

// Moves a seeded fraction of `all` into a test set (shuffled split; both keep class counts).
DataSplit split(Dataset all, double test_fraction, std::uint64_t seed);
// x ← (x − μ)/σ per feature with the training part's μ, σ (σ = 0 kept at 1).
void standardize(DataSplit& data);
// x ← (x − μ)/σ with one μ, σ over every value of the training part.
void standardize_global(DataSplit& data);

// Seeded shuffling into mini-batches: epoch e's permutation depends only on (seed, e), so a run
// resumed from a checkpoint sees the same batches. The last batch of an epoch may be short.
class Batcher {
 public:
  Batcher(const Dataset& data, Index batch_size, std::uint64_t seed, bool shuffle = true);
  void start_epoch(int epoch);
  // Fills x (B, …) and y with the next batch; false at the end of the epoch.
  bool next(TensorF& x, std::vector<std::int32_t>& y);
  Index batches_per_epoch() const;
  Index position() const { return cursor_; }

 private:
  const Dataset& data_;
  Index batch_;
  std::uint64_t seed_;
  bool shuffle_;
  std::vector<Index> order_;
  Index cursor_ = 0;
};

// Copies rows [begin, end) of `data` (in order) into x, y: for evaluation in chunks.
void gather_rows(const Dataset& data, Index begin, Index end, TensorF& x, std::vector<std::int32_t>& y);

}  // namespace gs::nn
