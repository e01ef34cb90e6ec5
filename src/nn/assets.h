// Where gradscope's data files live (assets/: training presets, example graphs, lessons), found by
// one lookup for both front ends, in this order:
//   1. the GRADSCOPE_ASSETS environment variable (an error if it names no directory);
//   2. an installed copy beside the program: <bin>/../share/gradscope/assets or <bin>/assets;
//   3. the source tree's assets/, whose path CMake compiles in (running from a build tree).
// Depends on the standard library and errors.h.
#pragma once

#include <string>
#include <string_view>

namespace gs::nn {

// The assets directory; InputError when none of the places above holds one.
std::string assets_dir();
// assets_dir()/relative ("presets/spiral.json"), whether or not the file exists.
std::string asset_path(std::string_view relative);

}  // namespace gs::nn
