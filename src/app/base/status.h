// The status line's message: what the last action did, or why it failed. Each page keeps its own
// (the status line shows the shown page's). No ImGui.
#pragma once

#include <string>

namespace gs::app {

struct StatusMessage {
  std::string text;
  bool error = false;  // drawn in the problem colour
};

}  // namespace gs::app
