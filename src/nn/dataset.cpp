// The synthetic 2-D generators, the split, normalisation, batching, and load_data() that turns a
// config's "data" object into tensors. File formats live in dataset_files.cpp.
// Depends on tensor.h, rng.h, spec_reader.h.
#include "nn/dataset.h"

#include "nn/spec_reader.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numbers>
#include <stdexcept>
#include <utility>

namespace gs::nn {

// [SECTION] samples as floats or as bytes

Samples::Samples(TensorF values) : shape_(values.shape()), values_(std::move(values)) {}

Samples Samples::of_bytes(const Shape& shape, std::vector<std::uint8_t> bytes, const ByteTable& value_of) {
  if (shape.size() != static_cast<Index>(bytes.size()))
    throw std::logic_error("Samples::of_bytes: " + std::to_string(bytes.size()) + " bytes for " + shape.to_string());
  Samples s;
  s.shape_ = shape;
  s.bytes_ = std::move(bytes);
  s.table_ = value_of;
  s.holds_bytes_ = true;
  return s;
}

Index Samples::row_size() const { return rank() == 0 || dim(0) == 0 ? 0 : size() / dim(0); }

void Samples::copy_rows(Index begin, Index end, float* out) const {
  const Index row = row_size();
  if (holds_bytes_) {
    const std::uint8_t* b = bytes_.data() + begin * row;
    for (Index k = 0, n = (end - begin) * row; k < n; ++k) out[k] = table_[b[k]];
  } else {
    std::copy(values_.data() + begin * row, values_.data() + end * row, out);
  }
}

std::vector<float> Samples::row(Index r) const {
  std::vector<float> v(static_cast<std::size_t>(row_size()));
  copy_rows(r, r + 1, v.data());
  return v;
}

Samples Samples::take_rows(const std::vector<Index>& rows) const {
  const Index row = row_size();
  Shape s = shape_;
  s[0] = static_cast<Index>(rows.size());
  if (!holds_bytes_) {
    TensorF v = TensorF::uninitialized(s);
    for (std::size_t i = 0; i < rows.size(); ++i) copy_rows(rows[i], rows[i] + 1, v.data() + static_cast<Index>(i) * row);
    return Samples(std::move(v));
  }
  std::vector<std::uint8_t> b(static_cast<std::size_t>(s.size()));
  for (std::size_t i = 0; i < rows.size(); ++i)
    std::copy(bytes_.begin() + rows[i] * row, bytes_.begin() + (rows[i] + 1) * row, b.begin() + static_cast<Index>(i) * row);
  return of_bytes(s, std::move(b), table_);
}

TensorF& Samples::floats() {
  if (holds_bytes_) throw std::logic_error("Samples::floats: the samples are held as bytes");
  return values_;
}

const TensorF& Samples::floats() const {
  if (holds_bytes_) throw std::logic_error("Samples::floats: the samples are held as bytes");
  return values_;
}

void Samples::to_floats() {
  if (!holds_bytes_) return;
  TensorF v = TensorF::uninitialized(shape_);
  copy_rows(0, rank() ? dim(0) : 0, v.data());
  values_ = std::move(v);
  bytes_ = {};
  holds_bytes_ = false;
}

// [SECTION] data sets

Shape Dataset::sample_shape() const {
  Shape s;
  for (int a = 1; a < x.rank(); ++a) s.push_back(x.dim(a));
  return s;
}

namespace {

constexpr double kPi = std::numbers::pi;

Dataset points(Index n, int classes) {
  Dataset d;
  d.x = TensorF(Shape{n, 2});
  d.y.assign(static_cast<std::size_t>(n), 0);
  d.classes = classes;
  return d;
}

void set_point(Dataset& d, Index i, double a, double b, int label) {
  TensorF& x = d.x.floats();
  x[2 * i] = static_cast<float>(a);
  x[2 * i + 1] = static_cast<float>(b);
  d.y[static_cast<std::size_t>(i)] = label;
}

void check_size(int size, int classes, const char* name) {
  if (size <= 0) throw InputError(std::string(name) + ": the dataset is empty (size " + std::to_string(size) + ")");
  if (classes < 2) throw InputError(std::string(name) + ": needs at least 2 classes, got " + std::to_string(classes));
}

}  // namespace

// CS231n's spiral: class k's arm r ∈ [0, 1], θ = 4k … 4(k+1) radians plus N(0, noise²) jitter.
Dataset make_spiral(int size, int classes, double noise, std::uint64_t seed) {
  check_size(size, classes, "spiral");
  Rng rng(seed);
  Dataset d = points(size, classes);
  for (Index i = 0; i < size; ++i) {
    int k = static_cast<int>(i * classes / size);
    Index first = (static_cast<Index>(k) * size + classes - 1) / classes;
    Index count = (static_cast<Index>(k + 1) * size + classes - 1) / classes - first;
    double u = count > 1 ? static_cast<double>(i - first) / (count - 1) : 0.0;
    double r = u;
    double t = 4.0 * (k + u) + rng.normal() * noise;
    set_point(d, i, r * std::sin(t), r * std::cos(t), k);
  }
  return d;
}

// The two-class sets made of an outer and an inner curve: point j of n on its curve, class 0 outer.
template <class Place>
Dataset two_curves(int size, double noise, std::uint64_t seed, const char* name, Place place) {
  check_size(size, 2, name);
  Rng rng(seed);
  Dataset d = points(size, 2);
  const Index outer = size / 2 + size % 2;
  for (Index i = 0; i < size; ++i) {
    const bool is_outer = i < outer;
    auto [a, b] = place(is_outer, is_outer ? i : i - outer, is_outer ? outer : size - outer);
    set_point(d, i, a + noise * rng.normal(), b + noise * rng.normal(), is_outer ? 0 : 1);
  }
  return d;
}

// scikit-learn's two interleaving half circles.
Dataset make_moons(int size, double noise, std::uint64_t seed) {
  return two_curves(size, noise, seed, "moons", [](bool outer, Index j, Index n) {
    double t = n > 1 ? kPi * j / (n - 1) : 0.0;
    return outer ? std::pair(std::cos(t), std::sin(t)) : std::pair(1 - std::cos(t), 1 - std::sin(t) - 0.5);
  });
}

// Two concentric circles, the inner one scaled by `factor`.
Dataset make_circles(int size, double noise, std::uint64_t seed, double factor) {
  return two_curves(size, noise, seed, "circles", [factor](bool outer, Index j, Index n) {
    double t = 2 * kPi * j / n;
    double r = outer ? 1.0 : factor;
    return std::pair(r * std::cos(t), r * std::sin(t));
  });
}

// Uniform points in [−1, 1]²; the label is 1 where the quadrant's signs differ (x·y < 0), decided
// before the Gaussian jitter moves the point.
Dataset make_xor(int size, double noise, std::uint64_t seed) {
  check_size(size, 2, "xor");
  Rng rng(seed);
  Dataset d = points(size, 2);
  for (Index i = 0; i < size; ++i) {
    double a = rng.uniform(-1, 1), b = rng.uniform(-1, 1);
    set_point(d, i, a + noise * rng.normal(), b + noise * rng.normal(), (a * b < 0) ? 1 : 0);
  }
  return d;
}

// Isotropic Gaussian blobs of σ = noise around centres drawn uniformly from [−5, 5]².
Dataset make_blobs(int size, int classes, double noise, std::uint64_t seed) {
  check_size(size, classes, "blobs");
  Rng rng(seed);
  std::vector<double> centres(static_cast<std::size_t>(2 * classes));
  for (double& c : centres) c = rng.uniform(-5, 5);
  Dataset d = points(size, classes);
  for (Index i = 0; i < size; ++i) {
    int k = static_cast<int>(i % classes);
    set_point(d, i, centres[2 * k] + noise * rng.normal(), centres[2 * k + 1] + noise * rng.normal(), k);
  }
  return d;
}

void gather_rows(const Dataset& data, Index begin, Index end, TensorF& x, std::vector<std::int32_t>& y) {
  Shape s = data.x.shape();
  s[0] = end - begin;
  if (x.shape() != s) x = TensorF::uninitialized(s);
  data.x.copy_rows(begin, end, x.data());
  y.assign(data.y.begin() + begin, data.y.begin() + end);
}

namespace {

Dataset take(const Dataset& all, const std::vector<Index>& rows) {
  Dataset d;
  d.x = all.x.take_rows(rows);
  d.classes = all.classes;
  d.y.reserve(rows.size());
  for (Index r : rows) d.y.push_back(all.y[static_cast<std::size_t>(r)]);
  return d;
}

void shuffle(std::vector<Index>& v, Rng& rng) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.below(i)]);
}

}  // namespace

DataSplit split(Dataset all, double test_fraction, std::uint64_t seed) {
  DataSplit out;
  if (test_fraction <= 0) {
    out.train = std::move(all);
    out.test.classes = out.train.classes;
    out.test.x = Samples();
    return out;
  }
  // Stratified: each class gives the same fraction, so small sets keep every class in both parts.
  Rng rng(seed ^ 0x5eed5011d7ULL);
  std::vector<std::vector<Index>> by_class(static_cast<std::size_t>(all.classes));
  for (Index i = 0; i < all.size(); ++i) by_class[static_cast<std::size_t>(all.y[static_cast<std::size_t>(i)])].push_back(i);
  std::vector<Index> train, test;
  for (auto& rows : by_class) {
    shuffle(rows, rng);
    auto n_test = static_cast<std::size_t>(std::llround(test_fraction * static_cast<double>(rows.size())));
    test.insert(test.end(), rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n_test));
    train.insert(train.end(), rows.begin() + static_cast<std::ptrdiff_t>(n_test), rows.end());
  }
  std::sort(train.begin(), train.end());
  std::sort(test.begin(), test.end());
  if (train.empty()) throw InputError("data: test_fraction leaves no training samples");
  out.train = take(all, train);
  out.test = take(all, test);
  return out;
}

void standardize(DataSplit& data) {
  const Index n = data.train.size();
  if (n == 0) return;
  // Per feature: a byte table cannot hold a different shift for every position, so floats.
  data.train.x.to_floats();
  data.test.x.to_floats();
  const Index d = data.train.x.size() / n;
  std::vector<double> mean(static_cast<std::size_t>(d), 0.0), var(static_cast<std::size_t>(d), 0.0);
  const float* x = data.train.x.floats().data();
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j) mean[j] += x[i * d + j];
  for (double& m : mean) m /= static_cast<double>(n);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j) var[j] += (x[i * d + j] - mean[j]) * (x[i * d + j] - mean[j]);
  std::vector<float> scale(static_cast<std::size_t>(d));
  for (Index j = 0; j < d; ++j) {
    double sd = std::sqrt(var[j] / static_cast<double>(n));
    scale[j] = sd > 0 ? static_cast<float>(1.0 / sd) : 1.0f;
  }
  for (Dataset* part : {&data.train, &data.test}) {
    float* p = part->x.floats().data();
    for (Index i = 0; i < part->size(); ++i)
      for (Index j = 0; j < d; ++j) p[i * d + j] = (p[i * d + j] - static_cast<float>(mean[j])) * scale[j];
  }
}

void standardize_global(DataSplit& data) {
  const Index n = data.train.x.size();
  if (n == 0) return;
  double mean = 0, sq = 0;
  data.train.x.for_each([&](float v) { mean += v; });
  mean /= static_cast<double>(n);
  data.train.x.for_each([&](float v) { sq += (v - mean) * (v - mean); });
  double sd = std::sqrt(sq / static_cast<double>(n));
  const float m = static_cast<float>(mean), scale = sd > 0 ? static_cast<float>(1.0 / sd) : 1.0f;
  for (Dataset* part : {&data.train, &data.test}) part->x.transform([&](float v) { return (v - m) * scale; });
}

Batcher::Batcher(const Dataset& data, Index batch_size, std::uint64_t seed, bool shuffle)
    : data_(data), batch_(batch_size), seed_(seed), shuffle_(shuffle) {
  if (batch_size <= 0) throw InputError("batch size must be positive, got " + std::to_string(batch_size));
  order_.resize(static_cast<std::size_t>(data.size()));
}

void Batcher::start_epoch(int epoch) {
  for (std::size_t i = 0; i < order_.size(); ++i) order_[i] = static_cast<Index>(i);
  if (shuffle_) {
    Rng rng(seed_ * 0x9e3779b97f4a7c15ULL + static_cast<std::uint64_t>(epoch) + 1);
    shuffle(order_, rng);
  }
  cursor_ = 0;
}

Index Batcher::batches_per_epoch() const { return (data_.size() + batch_ - 1) / batch_; }

bool Batcher::next(TensorF& x, std::vector<std::int32_t>& y) {
  const Index n = data_.size();
  if (cursor_ >= n) return false;
  const Index b = std::min(batch_, n - cursor_);
  Shape s = data_.x.shape();
  s[0] = b;
  if (x.shape() != s) x = TensorF::uninitialized(s);
  y.resize(static_cast<std::size_t>(b));
  const Index row = data_.x.row_size();
  float* dst = x.data();
  for (Index i = 0; i < b; ++i) {
    Index r = order_[static_cast<std::size_t>(cursor_ + i)];
    data_.x.copy_rows(r, r + 1, dst + i * row);
    y[static_cast<std::size_t>(i)] = data_.y[static_cast<std::size_t>(r)];
  }
  cursor_ += b;
  return true;
}

// ============================================================================================
// the config's "data" object: read once, loaded from the typed spec
// ============================================================================================

namespace {

struct KindName {
  DataKind kind;
  const char* name;
};
constexpr KindName kDataKinds[] = {{DataKind::Spiral, "spiral"},          {DataKind::Moons, "moons"},
                                   {DataKind::Circles, "circles"},        {DataKind::Xor, "xor"},
                                   {DataKind::Blobs, "blobs"},            {DataKind::FashionMnist, "fashion-mnist"},
                                   {DataKind::Idx, "idx"},                {DataKind::Csv, "csv"},
                                   {DataKind::Points, "points"}};
constexpr const char* kNormalizeNames[] = {"none", "standard", "global"};

bool synthetic(DataKind k) { return k <= DataKind::Blobs; }

double test_fraction(SpecReader& r) {
  const double f = r.non_negative("test_fraction", 0.0);
  if (f >= 1) r.fail("test_fraction", "must be below 1, got " + format_number(f));
  return f;
}

}  // namespace

const char* data_kind_name(DataKind kind) {
  for (const KindName& k : kDataKinds)
    if (k.kind == kind) return k.name;
  return "?";
}

DataSpec parse_data_spec(const nlohmann::json& spec) {
  SpecReader r(spec, "data");
  std::vector<std::string> names;
  for (const KindName& k : kDataKinds) names.emplace_back(k.name);
  const std::string name = r.choice("name", names);
  DataSpec d;
  for (const KindName& k : kDataKinds)
    if (name == k.name) d.kind = k.kind;
  const std::string normalize = r.choice("normalize", {"none", "standard", "global"}, "none");
  d.normalize = normalize == "standard" ? Normalize::Standard : normalize == "global" ? Normalize::Global : Normalize::None;
  if (synthetic(d.kind)) {
    d.size = static_cast<int>(r.integer_in("size", 1, kMaxGeneratedSamples, 300));
    const bool multi = d.kind == DataKind::Spiral || d.kind == DataKind::Blobs;
    d.classes = multi ? static_cast<int>(r.integer_in("classes", 2, kMaxClassLabel + 1, 3)) : 2;
    d.noise = r.non_negative("noise", d.kind == DataKind::Spiral ? 0.2 : d.kind == DataKind::Blobs ? 1.0 : 0.1);
    d.seed = r.seed("seed");
    d.test_fraction = test_fraction(r);
  } else if (d.kind == DataKind::FashionMnist || d.kind == DataKind::Idx) {
    if (d.kind == DataKind::FashionMnist) {
      d.dir = r.text("dir", kFashionMnistDir);
    } else {
      d.train_images = r.text("train_images");
      d.train_labels = r.text("train_labels");
      if (r.has("test_images")) {
        d.test_images = r.text("test_images");
        d.test_labels = r.text("test_labels");
      }
    }
    d.train_limit = r.non_negative_integer("train_limit", 0);
    d.test_limit = r.non_negative_integer("test_limit", 0);
  } else if (d.kind == DataKind::Points) {
    // [[x, y, class], …]: at least two points; classes 0…9.
    if (!r.has("points")) r.fail("points", "is missing: a list of [x, y, class] (click on the plane to add points)");
    const nlohmann::json& p = r.raw("points");
    if (!p.is_array()) r.fail("points", "must be a list of [x, y, class], got " + p.dump());
    for (std::size_t i = 0; i < p.size(); ++i) {
      const nlohmann::json& q = p[i];
      if (!q.is_array() || q.size() != 3 || !q[0].is_number() || !q[1].is_number() || !q[2].is_number_integer() ||
          !std::isfinite(q[0].get<double>()) || !std::isfinite(q[1].get<double>()) || q[2].get<long long>() < 0 || q[2].get<long long>() > 9)
        r.fail("points", "point " + std::to_string(i + 1) + " must be [x, y, class] with finite x, y and a class 0 to 9, got " + q.dump());
      d.points.push_back({q[0].get<double>(), q[1].get<double>(), static_cast<double>(q[2].get<long long>())});
    }
    if (d.points.size() < 2) r.fail("points", "needs at least 2 points, got " + std::to_string(d.points.size()));
    d.test_fraction = test_fraction(r);
    d.seed = r.seed("seed");
  } else {  // csv
    d.path = r.text("path");
    if (r.has("label")) {
      const nlohmann::json& l = r.raw("label");
      if (l.is_number_integer())
        d.label = std::to_string(l.get<long long>());
      else if (l.is_string())
        d.label = l.get<std::string>();
      else
        r.fail("label", "must be a column index or a header name, got " + l.dump());
    }
    d.test_fraction = test_fraction(r);
    d.seed = r.seed("seed");
  }
  r.reject_unknown_keys();
  return d;
}

nlohmann::ordered_json to_json(const DataSpec& d) {
  nlohmann::ordered_json j = {{"name", data_kind_name(d.kind)}};
  if (synthetic(d.kind)) {
    j["size"] = d.size;
    if (d.kind == DataKind::Spiral || d.kind == DataKind::Blobs) j["classes"] = d.classes;
    j["noise"] = d.noise;
    j["seed"] = d.seed;
    j["test_fraction"] = d.test_fraction;
  } else if (d.kind == DataKind::FashionMnist || d.kind == DataKind::Idx) {
    if (d.kind == DataKind::FashionMnist) {
      j["dir"] = d.dir;
    } else {
      j["train_images"] = d.train_images;
      j["train_labels"] = d.train_labels;
      if (!d.test_images.empty()) {
        j["test_images"] = d.test_images;
        j["test_labels"] = d.test_labels;
      }
    }
    j["train_limit"] = d.train_limit;
    j["test_limit"] = d.test_limit;
  } else if (d.kind == DataKind::Points) {
    nlohmann::ordered_json p = nlohmann::ordered_json::array();
    for (const auto& q : d.points) p.push_back({q[0], q[1], static_cast<int>(q[2])});
    j["points"] = p;
    j["test_fraction"] = d.test_fraction;
    j["seed"] = d.seed;
  } else {
    j["path"] = d.path;
    j["label"] = d.label;
    j["test_fraction"] = d.test_fraction;
    j["seed"] = d.seed;
  }
  j["normalize"] = kNormalizeNames[static_cast<int>(d.normalize)];
  return j;
}

// [SECTION] loading progress

double LoadProgress::fraction() const {
  if (unknown_.load(std::memory_order_acquire) > 0) return -1;
  const std::int64_t t = total();
  if (t <= 0) return -1;
  return std::clamp(static_cast<double>(done()) / static_cast<double>(t), 0.0, 1.0);
}

void LoadProgress::expect(std::int64_t bytes) {
  if (bytes < 0) unknown_.fetch_add(1, std::memory_order_acq_rel);
  else total_.fetch_add(bytes, std::memory_order_acq_rel);
}

void LoadProgress::resolve(std::int64_t bytes) {
  total_.fetch_add(bytes, std::memory_order_acq_rel);  // before the count: a reader that sees 0
  unknown_.fetch_sub(1, std::memory_order_acq_rel);     // unknown files sees the whole total
}

std::int64_t stored_size(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return -1;
  const auto size = std::filesystem::file_size(path, ec);
  return ec ? -1 : static_cast<std::int64_t>(size);
}

DataSplit load_data(const DataSpec& d, LoadProgress* progress) {
  DataSplit out;
  const std::string name = data_kind_name(d.kind);
  if (synthetic(d.kind)) {
    Dataset all = d.kind == DataKind::Spiral    ? make_spiral(d.size, d.classes, d.noise, d.seed)
                  : d.kind == DataKind::Moons   ? make_moons(d.size, d.noise, d.seed)
                  : d.kind == DataKind::Circles ? make_circles(d.size, d.noise, d.seed)
                  : d.kind == DataKind::Xor     ? make_xor(d.size, d.noise, d.seed)
                                                : make_blobs(d.size, d.classes, d.noise, d.seed);
    out = split(std::move(all), d.test_fraction, d.seed);
    out.description = name + " (" + std::to_string(d.size) + " points, " + std::to_string(d.classes) + " classes)";
  } else if (d.kind == DataKind::FashionMnist || d.kind == DataKind::Idx) {
    const bool fashion = d.kind == DataKind::FashionMnist;
    const std::string tri = fashion ? d.dir + "/train-images-idx3-ubyte.gz" : d.train_images;
    const std::string trl = fashion ? d.dir + "/train-labels-idx1-ubyte.gz" : d.train_labels;
    const std::string tei = fashion ? d.dir + "/t10k-images-idx3-ubyte.gz" : d.test_images;
    const std::string tel = fashion ? d.dir + "/t10k-labels-idx1-ubyte.gz" : d.test_labels;
    if (progress)
      for (const std::string* p : {&tri, &trl, &tei, &tel})
        if (!p->empty()) progress->expect(stored_size(*p));
    out.train = read_idx(tri, trl, d.train_limit, progress);
    if (!tei.empty()) {
      out.test = read_idx(tei, tel, d.test_limit, progress);
      out.test.classes = out.train.classes = std::max(out.train.classes, out.test.classes);
    } else {
      out.test.x = Samples();
      out.test.classes = out.train.classes;
    }
    out.description = name + " (" + std::to_string(out.train.size()) + " train, " + std::to_string(out.test.size()) +
                      " test images)";
  } else if (d.kind == DataKind::Points) {
    int classes = 2;
    for (const auto& q : d.points) classes = std::max(classes, static_cast<int>(q[2]) + 1);
    Dataset all = points(static_cast<Index>(d.points.size()), classes);
    for (std::size_t i = 0; i < d.points.size(); ++i)
      set_point(all, static_cast<Index>(i), d.points[i][0], d.points[i][1], static_cast<int>(d.points[i][2]));
    out = split(std::move(all), d.test_fraction, d.seed);
    out.description = "your points (" + std::to_string(d.points.size()) + " points, " + std::to_string(classes) + " classes)";
  } else {
    if (progress) progress->expect(stored_size(d.path));
    Dataset all = read_csv(d.path, d.label, progress);
    out = split(std::move(all), d.test_fraction, d.seed);
    out.description = "csv " + d.path + " (" + std::to_string(out.train.size() + out.test.size()) + " rows)";
  }
  if (d.normalize == Normalize::Standard) standardize(out);
  if (d.normalize == Normalize::Global) standardize_global(out);
  return out;
}

DataSplit load_data(const nlohmann::json& spec, LoadProgress* progress) { return load_data(parse_data_spec(spec), progress); }

}  // namespace gs::nn
