// What every view of the Graph page receives in draw(): the session (model + lesson), the shared
// focus (the node selected on the canvas, in a table or in the inspector), fonts, the redraw
// timer, the optional record of what was drawn (screenshots) and the clock. The page builds it
// from its own state and the PageContext. ImGui types only; no GL, no GLFW.
#pragma once

#include "app/base/fonts.h"
#include "app/base/frame_record.h"
#include "app/base/redraw.h"
#include "app/graph/graph_model.h"
#include "app/graph/lesson_file.h"
#include "app/graph/quiz.h"
#include "app/graph/session.h"

namespace gs::app {

// The node the lecturer is looking at; shared so the canvas, tables and inspector agree.
struct Focus {
  DocId selected;
  bool from_table = false;  // set when a table row picked it: the canvas follows
  DocId paths_of;           // an input whose paths to the output are lit (the chain rule as paths)
};

struct ViewContext {
  Session& session;
  Focus& focus;
  const FontSet& fonts;
  RedrawTimer& redraw;
  FrameRecord* record = nullptr;  // null unless taking a screenshot
  double now = 0;                 // seconds, for playing
  bool presenting = false;        // presentation mode: large text, no controls
  Quiz* quiz = nullptr;           // predict each value before it is shown (null: no quiz)
  const LessonFile* lesson_file = nullptr;  // the open lesson file's notes and hidden controls
  bool picture = false;           // the frames File ▸ Export ▸ PNG reads: no canvas help line
};

// Whether the open lesson file hides control `c`.
inline bool lesson_hides(const ViewContext& ctx, LessonControl c) { return ctx.lesson_file && ctx.lesson_file->hides(c); }

}  // namespace gs::app
