// RedrawTimer: the minimum over requests. No ImGui.
#include "app/base/redraw.h"

#include <cmath>

namespace gs::app {

void RedrawTimer::request_at(double seconds) {
  if (!std::isfinite(seconds) || seconds <= 0) return;
  if (due_ == 0 || seconds < due_) due_ = seconds;
}

}  // namespace gs::app
