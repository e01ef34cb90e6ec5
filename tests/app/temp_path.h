// A path in the temporary directory that no other test process uses: `name` in a directory of this
// process' own (its id), so that two app_tests running at once (two worktrees, ctest -j) never
// write the same file, and file names (a document's title) stay as the test chose them.
#pragma once

#include <filesystem>
#include <string>

#include <unistd.h>

namespace gs::app::test_support {

inline std::filesystem::path unique_temp_path(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("gradscope_tests_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

}  // namespace gs::app::test_support
