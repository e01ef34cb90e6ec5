// The command line of `gradscope` (DESIGN.md's contract):
//   gradscope [--example NAME | --graph FILE | --lesson FILE | --new] [--steps forward:K|reverse:K|tangent:K]
//             [--view NAME] [--lang en|zh] [--expression TEXT] [--select LABEL]
//             [--screenshot FILE.png] [--size WxH] [--bench-frames N]
// parsed into LaunchOptions, which each page reads when it starts. --view names a page or one of
// its panels; the workbench checks it against the pages that exist (docs/APP.md). No GL.
#pragma once

#include "app/base/launch_options.h"

#include <string>
#include <vector>

namespace gs::app {

// Parses argv; `views` are the names --view accepts (Workbench::views()). On a bad argument
// prints one line on stderr and returns the exit status (2), on --help prints usage and returns
// 0; returns -1 when the program should go on.
int parse_options(int argc, char** argv, const std::vector<std::string>& views, LaunchOptions* out);
bool parse_size(const std::string& text, int* w, int* h);

}  // namespace gs::app
