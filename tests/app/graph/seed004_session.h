// The Graph page's session on seed 004's example (y = ln(x1) + x1*x2 - sin(x2)), the graph the
// app tests start from. Shared by the graph tests (one definition: they compile as a unity build).
#pragma once

#include "app/graph/session.h"

inline gs::app::Session seed004_session() {
  gs::app::Session s;
  s.load(gs::app::builtin_seed004(), "");
  return s;
}
