// Datasets: the synthetic generators, IDX (gzip) and CSV readers with their error lines, the split,
// standardisation and seeded batching.
#include "nn/dataset.h"
#include "nn/errors.h"
#include "test_util.h"

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <sys/resource.h>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>

namespace gs::nn {
namespace {

std::string temp_path(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("gradscope_nn_tests_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Dataset, GeneratorsAreSeededAndLabelled) {
  for (int which = 0; which < 5; ++which) {
    auto make = [&](std::uint64_t seed) {
      switch (which) {
        case 0: return make_spiral(300, 3, 0.2, seed);
        case 1: return make_moons(200, 0.1, seed);
        case 2: return make_circles(200, 0.05, seed);
        case 3: return make_xor(200, 0.05, seed);
        default: return make_blobs(200, 4, 1.0, seed);
      }
    };
    Dataset a = make(7), b = make(7), c = make(8);
    ASSERT_EQ(a.x.shape(), (Shape{a.size(), 2}));
    const TensorF &ax = a.x.floats(), &bx = b.x.floats(), &cx = c.x.floats();
    EXPECT_TRUE(std::equal(ax.begin(), ax.end(), bx.begin())) << "generator " << which << " not deterministic";
    EXPECT_FALSE(std::equal(ax.begin(), ax.end(), cx.begin())) << "generator " << which << " ignores the seed";
    std::set<int> labels(a.y.begin(), a.y.end());
    EXPECT_EQ(static_cast<int>(labels.size()), a.classes) << "generator " << which;
  }
}

TEST(Dataset, SpiralArmsHaveEqualSizeAndUnitRadius) {
  Dataset d = make_spiral(300, 3, 0.0, 1);
  std::vector<int> counts(3);
  for (int y : d.y) ++counts[y];
  EXPECT_EQ(counts, (std::vector<int>{100, 100, 100}));
  for (Index i = 0; i < d.size(); ++i) EXPECT_LE(std::hypot(d.x[2 * i], d.x[2 * i + 1]), 1.0f + 1e-6f);
}

TEST(Dataset, EmptyDatasetIsAnError) {
  EXPECT_NE(error_of([] { make_moons(0, 0.1, 1); }).find("moons: the dataset is empty"), std::string::npos);
  EXPECT_NE(error_of([] { load_data({{"name", "spiral"}, {"size", 0}}); }).find("size must be an integer from 1 to 1000000, got 0"),
            std::string::npos);
}

void write_gz(const std::string& path, const std::vector<unsigned char>& bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(f);
}

std::vector<unsigned char> idx_header(int rank, std::vector<int> dims) {
  std::vector<unsigned char> h = {0, 0, 8, static_cast<unsigned char>(rank)};
  for (int d : dims) {
    h.push_back(static_cast<unsigned char>(d >> 24));
    h.push_back(static_cast<unsigned char>(d >> 16));
    h.push_back(static_cast<unsigned char>(d >> 8));
    h.push_back(static_cast<unsigned char>(d));
  }
  return h;
}

TEST(Dataset, ReadsGzipIdxAndReportsTruncation) {
  auto images = idx_header(3, {3, 2, 2});
  for (int i = 0; i < 12; ++i) images.push_back(static_cast<unsigned char>(i * 20));
  auto labels = idx_header(1, {3});
  labels.insert(labels.end(), {2, 0, 1});
  std::string ip = temp_path("img.gz"), lp = temp_path("lab.gz");
  write_gz(ip, images);
  write_gz(lp, labels);
  Dataset d = read_idx(ip, lp);
  EXPECT_EQ(d.x.shape(), (Shape{3, 1, 2, 2}));
  EXPECT_FLOAT_EQ(d.x[5], 100.0f / 255.0f);
  EXPECT_EQ(d.y, (std::vector<std::int32_t>{2, 0, 1}));
  EXPECT_EQ(d.classes, 3);
  EXPECT_EQ(read_idx(ip, lp, 2).size(), 2);

  images.resize(images.size() - 5);
  write_gz(ip, images);
  EXPECT_NE(error_of([&] { read_idx(ip, lp); }).find(ip + ": truncated IDX file: expected 12 bytes of data, got 7"),
            std::string::npos);
}

// Issue 10: a 16-byte header asked for ~258 TB before any check (std::bad_alloc), and the extents'
// product overflowed. Sizes are refused before anything is allocated.
TEST(Dataset, IdxHeadersAskingForTooMuchAreRefusedBeforeAllocating) {
  std::string ip = temp_path("huge.gz"), lp = temp_path("huge_lab.gz");
  write_gz(ip, idx_header(3, {0x7fffffff, 0x7fffffff, 0x7fffffff}));
  write_gz(lp, idx_header(1, {3}));
  EXPECT_NE(error_of([&] { read_idx(ip, lp); }).find(ip + ": the IDX header asks for more than 4 GiB of data"),
            std::string::npos);
  write_gz(ip, idx_header(3, {60000, 0, 28}));
  EXPECT_NE(error_of([&] { read_idx(ip, lp); }).find(ip + ": extent 2 of the IDX header is 0"), std::string::npos);
  // Under 4 GiB but far more than the file holds (fuzz_idx's finding, its input in
  // tests/fuzz/corpus/idx, where libFuzzer's 2 GB malloc limit replays it): truncated, found
  // after reading what is there rather than after allocating 4 GB.
  auto claims = idx_header(3, {2, 0x023f0300, 0x30});
  claims.insert(claims.end(), {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  write_gz(ip, claims);
  EXPECT_NE(error_of([&] { read_idx(ip, lp); }).find(ip + ": truncated IDX file: expected 3617660928 bytes of data, got 11"),
            std::string::npos);
}

// A child's exit code: 0 when read_idx fails with the truncation message while the address space
// may grow by 4 MiB only, 2 when it ran out of memory (a buffer sized by a header's claim).
int read_idx_with_4_mib_to_spare(const std::string& ip, const std::string& lp) {
  std::ifstream status("/proc/self/status");
  std::string key;
  std::size_t kib = 0;
  while (status >> key && key != "VmSize:") {
  }
  status >> kib;
  const rlim_t limit = static_cast<rlim_t>(kib + 4096) * 1024;
  const rlimit r{limit, limit};
  setrlimit(RLIMIT_AS, &r);
  try {
    read_idx(ip, lp);
  } catch (const InputError& e) {
    return std::string(e.what()).find("truncated IDX file") != std::string::npos ? 0 : 1;
  } catch (const std::bad_alloc&) {
    return 2;
  }
  return 1;
}

// A header that lies about the file's size (a truncated download, a fuzzer's input) is refused
// with the sizes named, after a buffer the size of what arrived, not of what was claimed: the
// first piece is 64 KiB (it was 16 MiB for every file, fuzz_idx ran at 42–72 inputs a second).
TEST(Dataset, ALyingIdxHeaderIsRefusedWithoutABigAllocation) {
  std::string ip = temp_path("lying.gz"), lp = temp_path("lying_lab.gz");
  write_gz(lp, idx_header(1, {3}));
  for (const auto& [dims, want] : {std::pair{std::vector<int>{3, 28, 28}, std::string("2352")},
                                   std::pair{std::vector<int>{60000, 28, 28}, std::string("47040000")},
                                   std::pair{std::vector<int>{2, 0x023f0300, 0x30}, std::string("3617660928")}}) {
    auto claims = idx_header(3, dims);
    claims.insert(claims.end(), {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
    write_gz(ip, claims);
    const std::string error = error_of([&] { read_idx(ip, lp); });
    EXPECT_NE(error.find(ip + ": truncated IDX file: expected " + want + " bytes of data, got 11"), std::string::npos) << error;
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    // In a child whose address space may grow by 4 MiB only: a buffer sized by the claim (or the
    // old 16 MiB first piece) fails there with bad_alloc instead of the truncation message.
    EXPECT_EXIT(std::_Exit(read_idx_with_4_mib_to_spare(ip, lp)), ::testing::ExitedWithCode(0), "") << "claimed " << want << " bytes";
#endif
  }
  // A header cut short names that, before any data buffer.
  write_gz(ip, {0, 0, 8, 3, 0, 0, 0, 2, 0, 0});
  EXPECT_NE(error_of([&] { read_idx(ip, lp); }).find(ip + ": truncated IDX file (header cut short)"), std::string::npos);
}

// A file larger than the first piece arrives whole through the growing buffer.
TEST(Dataset, AnIdxFileLargerThanTheFirstPieceIsReadWhole) {
  const int n = 300;  // 300 × 28 × 28 = 235,200 bytes: four pieces (64, 64, 128 KiB, the rest)
  auto images = idx_header(3, {n, 28, 28});
  for (int i = 0; i < n * 28 * 28; ++i) images.push_back(static_cast<unsigned char>((i * 7) % 251));
  auto labels = idx_header(1, {n});
  for (int i = 0; i < n; ++i) labels.push_back(static_cast<unsigned char>(i % 10));
  std::string ip = temp_path("big.gz"), lp = temp_path("big_lab.gz");
  write_gz(ip, images);
  write_gz(lp, labels);
  const Dataset d = read_idx(ip, lp);
  ASSERT_EQ(d.x.shape(), (Shape{n, 1, 28, 28}));
  for (int i : {0, 65535, 65536, 131072, n * 28 * 28 - 1})
    EXPECT_FLOAT_EQ(d.x[i], static_cast<float>((i * 7) % 251) / 255.0f) << "byte " << i;
  EXPECT_EQ(d.y[n - 1], (n - 1) % 10);
}

// Issue 10: labels nan, 1e300, 2147483647 were undefined behaviour (float-to-int overflow, then
// classes = max + 1 overflowing); a label column "-" escaped as "error: stoll".
TEST(Dataset, CsvLabelsAndLabelColumnsOutOfRangeNameTheLineAndTheLimit) {
  std::string p = temp_path("labels.csv");
  for (const char* label : {"nan", "1e300", "2147483647", "-inf", "65536", "0.5"}) {
    std::ofstream(p) << "1,2,0\n3,4," << label << "\n";
    EXPECT_NE(error_of([&] { read_csv(p); }).find(p + ":2: label '" + label + "' is not a class number (0, 1, 2, …, at most 65535)"),
              std::string::npos)
        << label;
  }
  std::ofstream(p) << "1,2,0\n3,4,65535\n";
  EXPECT_EQ(read_csv(p).classes, 65536);
  for (const char* column : {"-", "1x", "99999999999999999999"})
    EXPECT_NE(error_of([&] { read_csv(p, column); }).find("label column '" + std::string(column) + "' is neither a column number"),
              std::string::npos)
        << column;
}

TEST(Dataset, MissingFashionMnistNamesPathAndPackage) {
  std::string msg = error_of([] { load_data({{"name", "fashion-mnist"}, {"dir", std::string(kFashionMnistDir) + "/nowhere"}}); });
  EXPECT_NE(msg.find(std::string(kFashionMnistDir) + "/nowhere/train-images-idx3-ubyte.gz"), std::string::npos) << msg;
  EXPECT_NE(msg.find("dataset-fashion-mnist"), std::string::npos) << msg;
}

TEST(Dataset, ReadsFashionMnistSubset) {
  if (!std::filesystem::exists(std::string(kFashionMnistDir) + "/t10k-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  DataSplit d = load_data({{"name", "fashion-mnist"}, {"train_limit", 50}, {"test_limit", 20}});
  EXPECT_EQ(d.train.x.shape(), (Shape{50, 1, 28, 28}));
  EXPECT_EQ(d.test.size(), 20);
  EXPECT_EQ(d.train.classes, 10);
  EXPECT_TRUE(d.train.x.holds_bytes());
  d.train.x.for_each([](float v) { ASSERT_TRUE(v >= 0 && v <= 1); });
}

// Issue 12: IDX images are held as bytes (a quarter of the memory) and converted a batch at a time;
// every batch, every evaluation chunk and every split part is the floats the images gave when they
// were held as floats: b/255 (torchvision's ToTensor), then (v − μ)/σ with μ, σ summed in double
// over the training floats in order.
TEST(Dataset, ImagesHeldAsBytesGiveTheSameFloatsAsImagesHeldAsFloats) {
  const Index n = 37, h = 5, w = 3, per = h * w;
  auto images = idx_header(3, {static_cast<int>(n), static_cast<int>(h), static_cast<int>(w)});
  auto labels = idx_header(1, {static_cast<int>(n)});
  std::uint32_t state = 12345;
  std::vector<unsigned char> pixels;
  for (Index k = 0; k < n * per; ++k) {
    state = state * 1664525u + 1013904223u;
    pixels.push_back(static_cast<unsigned char>(k % 7 == 0 ? 255 * (k % 2) : state >> 24));
  }
  images.insert(images.end(), pixels.begin(), pixels.end());
  for (Index i = 0; i < n; ++i) labels.push_back(static_cast<unsigned char>(i % 4));
  const std::string ip = temp_path("bytes_img.gz"), lp = temp_path("bytes_lab.gz");
  write_gz(ip, images);
  write_gz(lp, labels);

  // The old path, written out: every pixel a float, then the global normalisation over them.
  std::vector<float> expected(pixels.size());
  for (std::size_t k = 0; k < pixels.size(); ++k) expected[k] = pixels[k] / 255.0f;
  double mean = 0, sq = 0;
  for (float v : expected) mean += v;
  mean /= static_cast<double>(expected.size());
  for (float v : expected) sq += (v - mean) * (v - mean);
  const double sd = std::sqrt(sq / static_cast<double>(expected.size()));
  const float m = static_cast<float>(mean), scale = static_cast<float>(1.0 / sd);
  std::vector<float> normalized(expected.size());
  for (std::size_t k = 0; k < expected.size(); ++k) normalized[k] = (expected[k] - m) * scale;

  const nlohmann::json spec = {{"name", "idx"}, {"train_images", ip}, {"train_labels", lp}, {"normalize", "global"}};
  for (const bool normalize : {false, true}) {
    const std::vector<float>& want = normalize ? normalized : expected;
    nlohmann::json s = spec;
    if (!normalize) s["normalize"] = "none";
    DataSplit data = load_data(s);
    ASSERT_TRUE(data.train.x.holds_bytes());
    ASSERT_EQ(data.train.x.shape(), (Shape{n, 1, h, w}));
    for (Index k = 0; k < n * per; ++k) ASSERT_EQ(std::bit_cast<std::uint32_t>(data.train.x[k]), std::bit_cast<std::uint32_t>(want[k])) << k;
    // Shuffled batches (the last one short) convert to the same bits, row by row.
    Batcher b(data.train, 8, 3);
    b.start_epoch(1);
    TensorF x;
    std::vector<std::int32_t> y;
    Index seen = 0;
    while (b.next(x, y)) {
      ASSERT_EQ(x.shape(), (Shape{static_cast<Index>(y.size()), 1, h, w}));
      for (Index i = 0; i < x.dim(0); ++i) {
        Index row = -1;  // the sample this row came from: labels tell 4 apart, the pixels the rest
        for (Index r = 0; r < n && row < 0; ++r)
          if (std::equal(want.begin() + r * per, want.begin() + (r + 1) * per, x.data() + i * per,
                         [](float a, float c) { return std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(c); }))
            row = r;
        ASSERT_GE(row, 0) << "batch row " << i << " is no sample's floats";
        EXPECT_EQ(y[static_cast<std::size_t>(i)], row % 4);
      }
      seen += x.dim(0);
    }
    EXPECT_EQ(seen, n);
    // Evaluation chunks and the grid's single images.
    gather_rows(data.train, 10, 20, x, y);
    for (Index k = 0; k < 10 * per; ++k) ASSERT_EQ(std::bit_cast<std::uint32_t>(x[k]), std::bit_cast<std::uint32_t>(want[10 * per + k]));
    const std::vector<float> image = data.train.x.row(36);
    EXPECT_TRUE(std::equal(image.begin(), image.end(), want.begin() + 36 * per));
  }
  // A split keeps bytes; to_floats gives the same values as floats.
  DataSplit parts = split(read_idx(ip, lp), 0.25, 4);
  EXPECT_TRUE(parts.train.x.holds_bytes());
  EXPECT_EQ(parts.train.size() + parts.test.size(), n);
  Samples copy = parts.test.x;
  copy.to_floats();
  EXPECT_FALSE(copy.holds_bytes());
  for (Index k = 0; k < copy.size(); ++k) EXPECT_EQ(copy.floats()[k], parts.test.x[k]);
  EXPECT_THROW((void)parts.test.x.floats(), std::logic_error);
}

TEST(Dataset, ReadsCsvWithHeaderAndTextLabels) {
  std::string p = temp_path("iris.csv");
  std::ofstream(p) << "a,b,species\n1,2,setosa\n3,4.5,virginica\n\n5,6,setosa\n";
  Dataset d = read_csv(p, "species");
  EXPECT_EQ(d.x.shape(), (Shape{3, 2}));
  EXPECT_EQ(d.y, (std::vector<std::int32_t>{0, 1, 0}));
  EXPECT_FLOAT_EQ(d.x[3], 4.5f);

  std::ofstream(p) << "1,2,0\n3,4,1\n5,6\n";
  EXPECT_NE(error_of([&] { read_csv(p); }).find(p + ":3: expected 3 columns, got 2"), std::string::npos);
  std::ofstream(p) << "1,2,0\n3,x,1\n";
  EXPECT_NE(error_of([&] { read_csv(p); }).find(p + ":2: column 2 'x' is not a number"), std::string::npos);
  std::ofstream(p) << "a,b,c\n";
  EXPECT_NE(error_of([&] { read_csv(p); }).find("the dataset is empty"), std::string::npos);
}

TEST(Dataset, SplitIsStratifiedAndStandardizeUsesTrainStatistics) {
  DataSplit s = split(make_blobs(400, 4, 1.0, 3), 0.25, 9);
  EXPECT_EQ(s.train.size(), 300);
  EXPECT_EQ(s.test.size(), 100);
  std::vector<int> counts(4);
  for (int y : s.test.y) ++counts[y];
  EXPECT_EQ(counts, (std::vector<int>{25, 25, 25, 25}));
  standardize(s);
  for (int j = 0; j < 2; ++j) {
    double mean = 0, sq = 0;
    for (Index i = 0; i < s.train.size(); ++i) {
      mean += s.train.x[2 * i + j];
      sq += s.train.x[2 * i + j] * s.train.x[2 * i + j];
    }
    mean /= 300;
    EXPECT_NEAR(mean, 0.0, 1e-5);
    EXPECT_NEAR(sq / 300 - mean * mean, 1.0, 1e-4);
  }
}

TEST(Dataset, BatcherVisitsEverySampleOncePerEpochInSeededOrder) {
  Dataset d = make_xor(103, 0.0, 1);
  auto epoch_order = [&](std::uint64_t seed, int epoch) {
    Batcher b(d, 10, seed);
    b.start_epoch(epoch);
    TensorF x;
    std::vector<std::int32_t> y;
    std::vector<float> firsts;
    int batches = 0;
    while (b.next(x, y)) {
      ++batches;
      for (Index i = 0; i < x.dim(0); ++i) firsts.push_back(x[2 * i]);
    }
    EXPECT_EQ(batches, 11);
    return firsts;
  };
  auto a = epoch_order(5, 0), a2 = epoch_order(5, 0), b = epoch_order(5, 1);
  EXPECT_EQ(a, a2);
  EXPECT_NE(a, b);
  auto sorted_a = a, sorted_all = std::vector<float>();
  for (Index i = 0; i < d.size(); ++i) sorted_all.push_back(d.x[2 * i]);
  std::sort(sorted_a.begin(), sorted_a.end());
  std::sort(sorted_all.begin(), sorted_all.end());
  EXPECT_EQ(sorted_a, sorted_all);
}

// The loading progress (what the training page shows as "loading Fashion-MNIST… 43 %"): bytes of
// the stored files, every file's size declared before the first is read, the whole at the end
// even where a limit left data unread; a truncated file leaves it where the data stopped, in
// proportion to the data its header announced.
TEST(Dataset, LoadProgressCountsTheStoredBytesOfEveryFile) {
  LoadProgress arithmetic;
  EXPECT_LT(arithmetic.fraction(), 0);  // nothing expected yet
  arithmetic.expect(100);
  arithmetic.expect(-1);                // a pipe: its size comes with its header
  arithmetic.set_done(50);
  EXPECT_LT(arithmetic.fraction(), 0);
  arithmetic.resolve(100);
  EXPECT_DOUBLE_EQ(arithmetic.fraction(), 0.25);

  const int n = 2000;  // 1.5 MB of pixels: pieces of 64 KiB … 1 MiB
  auto images = idx_header(3, {n, 28, 28});
  for (int i = 0; i < n * 28 * 28; ++i) images.push_back(static_cast<unsigned char>((i * 7) % 251));
  auto labels = idx_header(1, {n});
  for (int i = 0; i < n; ++i) labels.push_back(static_cast<unsigned char>(i % 10));
  const std::string ip = temp_path("progress_img.gz"), lp = temp_path("progress_lab.gz");
  write_gz(ip, images);
  write_gz(lp, labels);
  const std::int64_t stored = stored_size(ip) + stored_size(lp);
  ASSERT_GT(stored_size(ip), 0);
  EXPECT_EQ(stored_size(temp_path("none.gz")), -1);
  for (const int limit : {0, 500}) {
    LoadProgress p;
    const DataSplit d = load_data(nlohmann::json{{"name", "idx"}, {"train_images", ip}, {"train_labels", lp}, {"train_limit", limit}}, &p);
    EXPECT_EQ(d.train.size(), limit ? limit : n);
    EXPECT_EQ(p.total(), stored) << "limit " << limit;
    EXPECT_EQ(p.done(), stored) << "limit " << limit;
    EXPECT_DOUBLE_EQ(p.fraction(), 1.0);
  }
  // Half the announced pixels: the load fails with the images half read, the labels not at all.
  images.resize(16 + n * 28 * 28 / 2);
  write_gz(ip, images);
  LoadProgress half;
  EXPECT_NE(error_of([&] { load_data(nlohmann::json{{"name", "idx"}, {"train_images", ip}, {"train_labels", lp}}, &half); })
                .find("truncated IDX file"),
            std::string::npos);
  const double read = static_cast<double>(16 + n * 28 * 28 / 2) / (16 + n * 28 * 28);
  EXPECT_EQ(half.total(), stored_size(ip) + stored_size(lp));
  EXPECT_NEAR(static_cast<double>(half.done()), static_cast<double>(stored_size(ip)) * read, 1.0);

  // A CSV: its bytes, read line by line; a generated set reports nothing.
  const std::string cp = temp_path("progress.csv");
  {
    std::ofstream out(cp);
    for (int i = 0; i < 20000; ++i) out << i % 97 << "," << i % 13 << "," << i % 3 << "\n";
  }
  LoadProgress csv;
  load_data(nlohmann::json{{"name", "csv"}, {"path", cp}}, &csv);
  EXPECT_EQ(csv.total(), stored_size(cp));
  EXPECT_EQ(csv.done(), csv.total());
  LoadProgress generated;
  load_data(nlohmann::json{{"name", "spiral"}}, &generated);
  EXPECT_EQ(generated.total(), 0);
  EXPECT_LT(generated.fraction(), 0);
}

}  // namespace
}  // namespace gs::nn
