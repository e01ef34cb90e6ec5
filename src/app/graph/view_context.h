// What every view's draw() receives: the session (model + lesson), the shared focus (the node
// selected on the canvas, in a table or in the inspector), fonts, the optional record of what was
// drawn (screenshots), and requests for the platform layer (exports, animation, quitting).
// ImGui types only; no GL, no GLFW.
#pragma once

#include "app/base/fonts.h"
#include "app/base/frame_record.h"
#include "app/graph/graph_model.h"
#include "app/graph/session.h"

#include <string>

namespace gs::app {

// The node the lecturer is looking at; shared so the canvas, tables and inspector agree.
struct Focus {
  DocId selected;
  bool from_table = false;  // set when a table row picked it: the canvas follows
};

// Asks of the views to the main loop, which owns the window and GL.
struct FrameRequests {
  std::string export_canvas_png;  // capture the canvas region after this frame
  float canvas_min[2] = {0, 0}, canvas_max[2] = {0, 0};
  double wake_at = 0;       // > 0: draw again at this time (playing)
  bool quit = false;        // the user confirmed quitting
  int text_size_delta = 0;  // rebuild fonts larger/smaller
};

struct ViewContext {
  Session& session;
  Focus& focus;
  const FontSet& fonts;
  FrameRequests& requests;
  FrameRecord* record = nullptr;  // null unless taking a screenshot
  double now = 0;                 // seconds, for playing
};

}  // namespace gs::app
