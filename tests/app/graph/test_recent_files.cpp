// File ▸ Open recent lists each file once, however its path was spelled when it was opened or
// saved ("./a.json", "dir/../a.json", a symbolic link to it), and a list written before that
// rule is read without its duplicates. No ImGui, no GL.
#include "app/graph/session.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace gs;
using namespace gs::app;

namespace {
namespace fs = std::filesystem;

// A clean folder under the test's temporary directory, as an absolute path (TEST_TMPDIR may be
// relative: scripts/test-asan gives each program one; a symbolic link to a relative path would
// point beside itself, and the test changes the working folder).
std::string fresh_recent_dir(const std::string& name) {
  const fs::path dir = fs::absolute(fs::path(::testing::TempDir()) / name);
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  return dir.string();
}
}  // namespace

TEST(RecentFiles, OneFileIsListedOnceUnderAnySpellingOfItsPath) {
  const std::string dir = fresh_recent_dir("gradscope_recent_spellings");
  Session s;
  s.enable_persistence(dir + "/state");
  s.load(builtin_seed004(), "");
  const std::string file = dir + "/lesson.json";
  ASSERT_TRUE(s.save_file(file)) << s.status().text;
  fs::create_symlink(file, dir + "/link.json");
  for (const std::string& spelling : {dir + "/./lesson.json", dir + "/sub/../lesson.json", dir + "//lesson.json", dir + "/link.json"}) {
    ASSERT_TRUE(s.open_file(spelling)) << spelling << ": " << s.status().text;
    ASSERT_EQ(s.recent_files().size(), 1u) << spelling;
  }
  EXPECT_EQ(s.recent_files()[0], fs::canonical(file).string());
  // A relative spelling from the working folder is the same file too.
  const fs::path was = fs::current_path();
  fs::current_path(dir);
  EXPECT_TRUE(s.open_file("lesson.json"));
  fs::current_path(was);
  EXPECT_EQ(s.recent_files().size(), 1u);
}

TEST(RecentFiles, AnOldListWithTwoSpellingsIsReadAsOne) {
  const std::string dir = fresh_recent_dir("gradscope_recent_old_list");
  const std::string file = dir + "/lesson.json";
  std::ofstream(file) << "{}";
  fs::create_directories(dir + "/state");
  std::ofstream(dir + "/state/recent.txt") << file << "\n" << dir << "/sub/../lesson.json\n" << dir << "/./other.json\n";
  Session s;
  s.enable_persistence(dir + "/state");
  ASSERT_EQ(s.recent_files().size(), 2u);
  EXPECT_EQ(s.recent_files()[0], fs::canonical(file).string());
  EXPECT_EQ(s.recent_files()[1], (fs::canonical(dir) / "other.json").string());
}
