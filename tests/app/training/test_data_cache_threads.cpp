// The training page's data cache under its loaders' threads (issue 10: the ThreadSanitizer run
// covers every thread crossing): runs load their data on loader threads of their own through one
// DataCache while the UI thread trims it. Every loader gets the whole data (a CSV set, and a
// generated one), a failing load reaches every loader that waited for it and is not kept, and what
// no run holds any more is dropped. Part of app_tests, and of scripts/test-tsan's
// training_race_tests (built with data_cache.cpp alone under ThreadSanitizer, tests/nn/CMakeLists.txt).
// The checks hold at any thread speed. A failed load gives each loader an error of its own (made
// from the load's message), so every loader reads its message: no exception object is shared
// between threads (a shared one's reference count is in libstdc++, not built with
// ThreadSanitizer, which reported the last loader's free against another's read of what()).
#include "app/training/data_cache.h"

#include "nn/errors.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

using namespace gs;
using gs::app::training::DataCache;

namespace {

namespace fs = std::filesystem;

constexpr int kLoaders = 4;

// Loads `spec` on kLoaders threads at once while another thread trims: each loader's result, and
// the message of the nn::InputError it got instead (empty: none).
std::vector<std::shared_ptr<const nn::DataSplit>> load_concurrently(DataCache& cache, const nn::DataSpec& spec,
                                                                    std::vector<std::string>* failed) {
  std::vector<std::shared_ptr<const nn::DataSplit>> got(kLoaders);
  failed->assign(kLoaders, "");
  std::atomic<bool> done{false};
  std::thread ui([&] {
    while (!done.load()) {
      cache.trim();
      (void)cache.progress(spec)->fraction();  // the loading percentage, as a frame reads it
    }
  });
  std::vector<std::thread> loaders;
  for (int i = 0; i < kLoaders; ++i)
    loaders.emplace_back([&, i] {
      try {
        got[static_cast<std::size_t>(i)] = cache.get(spec);
      } catch (const nn::InputError& e) {
        (*failed)[static_cast<std::size_t>(i)] = e.what();
      }
    });
  for (std::thread& l : loaders) l.join();
  done = true;
  ui.join();
  return got;
}

void expect_same_data(const nn::DataSplit& a, const nn::DataSplit& b) {
  ASSERT_EQ(a.train.size(), b.train.size());
  ASSERT_EQ(a.test.size(), b.test.size());
  EXPECT_EQ(a.train.y, b.train.y);
  const TensorF& xa = a.train.x.floats();
  const TensorF& xb = b.train.x.floats();
  ASSERT_EQ(xa.size(), xb.size());
  for (Index i = 0; i < xa.size(); ++i) ASSERT_EQ(xa[i], xb[i]) << "feature " << i;
}

TEST(DataCacheThreads, LoadersShareTheDataWhileTheUiTrims) {
  DataCache cache;
  nn::DataSpec generated;  // spiral, 300 points
  generated.test_fraction = 0.2;
  const fs::path csv = fs::temp_directory_path() / ("gradscope_data_cache_" + std::to_string(::getpid()) + ".csv");
  {
    std::ofstream out(csv);
    out << "a,b,label\n";
    for (int i = 0; i < 200; ++i) out << i * 0.5 << "," << -i << "," << i % 3 << "\n";
  }
  nn::DataSpec from_file;
  from_file.kind = nn::DataKind::Csv;
  from_file.path = csv.string();
  for (const nn::DataSpec& spec : {generated, from_file}) {
    std::vector<std::string> failed;
    const auto got = load_concurrently(cache, spec, &failed);
    const nn::DataSplit alone = nn::load_data(spec);
    for (int i = 0; i < kLoaders; ++i) {
      ASSERT_EQ(failed[static_cast<std::size_t>(i)], "") << "loader " << i;
      ASSERT_NE(got[static_cast<std::size_t>(i)], nullptr);
      expect_same_data(*got[static_cast<std::size_t>(i)], alone);
    }
  }
  // No run holds them any more: trimmed, and the next get loads again.
  cache.trim();
  const auto again = cache.get(generated);
  EXPECT_EQ(again.use_count(), 2) << "the cache's copy and this one";
  fs::remove(csv);
}

TEST(DataCacheThreads, AFailedLoadReachesEveryLoaderAndIsNotKept) {
  DataCache cache;
  nn::DataSpec missing;
  missing.kind = nn::DataKind::Csv;
  missing.path = (fs::temp_directory_path() / ("gradscope_no_such_" + std::to_string(::getpid()) + ".csv")).string();
  std::vector<std::string> failed;
  const auto got = load_concurrently(cache, missing, &failed);
  for (int i = 0; i < kLoaders; ++i) {
    EXPECT_EQ(got[static_cast<std::size_t>(i)], nullptr);
    // Each loader's own error, naming the file (read on each loader's thread).
    EXPECT_NE(failed[static_cast<std::size_t>(i)].find(missing.path), std::string::npos) << "loader " << i << ": " << failed[static_cast<std::size_t>(i)];
  }
  // Kept it would fail at once; not kept, the file written since is read.
  std::ofstream(missing.path) << "1,2,0\n3,4,1\n";
  EXPECT_EQ(cache.get(missing)->train.size(), 2);
  fs::remove(missing.path);
}

}  // namespace
