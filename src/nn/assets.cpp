// The assets lookup (assets.h). Depends on <filesystem> and errors.h.
#include "nn/assets.h"

#include "nn/errors.h"

#include <cstdlib>
#include <filesystem>

#ifndef GRADSCOPE_ASSETS_DIR
#error "CMake defines GRADSCOPE_ASSETS_DIR: the source tree's assets directory"
#endif

namespace gs::nn {

namespace fs = std::filesystem;

namespace {

// A directory is an assets directory when it holds one of the kinds of files gradscope reads.
bool is_assets_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p / "presets", ec) || fs::is_directory(p / "examples", ec);
}

}  // namespace

std::string assets_dir() {
  if (const char* env = std::getenv("GRADSCOPE_ASSETS"); env && *env) {
    std::error_code ec;
    if (!fs::is_directory(env, ec))
      throw InputError(std::string("GRADSCOPE_ASSETS=") + env + ": not a directory (unset it to use the installed assets)");
    return env;
  }
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec)
    for (const fs::path& p : {exe.parent_path().parent_path() / "share" / "gradscope" / "assets", exe.parent_path() / "assets"})
      if (is_assets_dir(p)) return p.string();
  if (is_assets_dir(GRADSCOPE_ASSETS_DIR)) return GRADSCOPE_ASSETS_DIR;
  throw InputError(std::string("cannot find gradscope's assets (presets, examples): not at ") + GRADSCOPE_ASSETS_DIR +
                   " nor installed beside the program; set GRADSCOPE_ASSETS to the assets directory");
}

std::string asset_path(std::string_view relative) { return (fs::path(assets_dir()) / relative).string(); }

}  // namespace gs::nn
