// Files written so that a failure destroys nothing (issue 10, "output that destroys what the user
// had"): AtomicFileWriter and write_file_atomically keep the old file on every failure — a full
// disk, a file-size limit, a folder that does not exist, a writer abandoned before commit() — and
// write special files (/dev/full, /dev/null) directly instead of replacing them.
#include "engine/text_file.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <functional>
#include <fstream>
#include <sstream>
#include <string>

namespace gs {
namespace {

std::string temp_path(const std::string& name) { return (std::filesystem::path(::testing::TempDir()) / name).string(); }

std::string file_contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string error_of_call(const std::function<void()>& f) {
  try {
    f();
  } catch (const FileError& e) {
    return e.what();
  }
  return "(no error)";
}

// No PATH.tmp-* is left beside the target.
bool no_temporary_beside(const std::string& path) {
  const std::filesystem::path p(path);
  for (const auto& e : std::filesystem::directory_iterator(p.parent_path()))
    if (e.path().filename().string().rfind(p.filename().string() + ".tmp-", 0) == 0) return false;
  return true;
}

// A file-size limit makes a write fail as a full disk would (EFBIG instead of ENOSPC), for this
// process only; SIGXFSZ is ignored so that the write returns the error.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &old_);
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit r = old_;
    r.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &r);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &old_);
    std::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit old_{};
  void (*old_handler_)(int) = nullptr;
};

TEST(TextFile, AFailedWriteKeepsTheOldFile) {
  const std::string path = temp_path("gradscope_atomic.txt");
  write_file_atomically(path, "the good file\n");
  const std::string big(1 << 20, 'x');
  {
    FileSizeLimit limit(64 * 1024);
    const std::string e = error_of_call([&] { write_file_atomically(path, big); });
    EXPECT_EQ(e, "cannot write '" + path + "': File too large");
  }
  EXPECT_EQ(file_contents(path), "the good file\n");
  EXPECT_TRUE(no_temporary_beside(path));

  // Piece by piece, the error comes from the write that finds it, or from commit().
  {
    FileSizeLimit limit(64 * 1024);
    AtomicFileWriter out(path);
    const std::string e = error_of_call([&] {
      for (int i = 0; i < 64; ++i) out.write(std::string(4096, 'y'));
      out.commit();
    });
    EXPECT_EQ(e, "cannot write '" + path + "': File too large");
  }
  EXPECT_EQ(file_contents(path), "the good file\n");
  EXPECT_TRUE(no_temporary_beside(path));
  std::filesystem::remove(path);
}

TEST(TextFile, AWriterAbandonedBeforeCommitLeavesTheFileAsItWas) {
  const std::string path = temp_path("gradscope_abandoned.txt");
  write_file_atomically(path, "kept\n");
  {
    AtomicFileWriter out(path);
    out.write("half of a new file");
    EXPECT_EQ(file_contents(path), "kept\n") << "nothing replaces the file before commit()";
  }
  EXPECT_EQ(file_contents(path), "kept\n");
  EXPECT_TRUE(no_temporary_beside(path));
  {
    AtomicFileWriter out(path);
    out.write("new ");
    out.write("file\n");
    out.commit();
  }
  EXPECT_EQ(file_contents(path), "new file\n");
  std::filesystem::remove(path);
}

TEST(TextFile, APathThatCannotBeWrittenFailsWhenOpened) {
  EXPECT_EQ(error_of_call([] { AtomicFileWriter out("/nonexistent-folder/out.txt"); }),
            "cannot write '/nonexistent-folder/out.txt': No such file or directory");
  const std::string folder = ::testing::TempDir();
  EXPECT_EQ(error_of_call([&] { AtomicFileWriter out(folder); }), "cannot write '" + folder + "': it is a directory");
}

// A full disk: /dev/full is written directly (never replaced by a regular file, which a rename of
// PATH.tmp-PID over it would do for root), and the write error is reported.
TEST(TextFile, AFullDiskIsAnErrorAndADeviceStaysADevice) {
  struct stat st {};
  ASSERT_EQ(stat("/dev/full", &st), 0);
  ASSERT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_EQ(error_of_call([] { write_file_atomically("/dev/full", std::string(100000, 'z')); }),
            "cannot write '/dev/full': No space left on device");
  EXPECT_EQ(error_of_call([] { write_file_atomically("/dev/full", "short"); }),
            "cannot write '/dev/full': No space left on device")
      << "found when flushed";
  ASSERT_EQ(stat("/dev/full", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode)) << "/dev/full is still the device";
  EXPECT_EQ(error_of_call([] { write_file_atomically("/dev/null", "discarded"); }), "(no error)");
  ASSERT_EQ(stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

}  // namespace
}  // namespace gs
