// What one frame showed a person, written beside a --screenshot PNG so that tests can check the
// picture's content (the highlighted node, the numbers on the nodes, the table rows) and not only
// that it is not blank. Views append to it while drawing when one is given. No ImGui, no GL.
#pragma once

#include "app/widgets/plot_record.h"

#include <nlohmann/json.hpp>

#include <array>
#include <string>
#include <vector>

namespace gs::app {

struct NodeRecord {
  std::string label;  // "v3"
  std::string title;  // "v3 = ln v1"
  std::vector<std::string> texts;  // every text line drawn on the node ("= 0.69315", "v̄ = 1")
  bool highlighted = false;
  bool selected = false;
  bool heatmap = false;
  bool output = false;  // marked as the graph's output
  bool adjoint_node = false;  // an adjoint node of the extended graph (v̄i), drawn as such
  std::string problem;  // NaN/inf reason drawn on it
  float rect[4] = {0, 0, 0, 0};  // its box on screen, [x0, y0, x1, y1] in pixels; everything it draws is inside
};

struct LinkRecord {
  std::string from, to;  // labels
  std::string label;     // the partial adjoint text on it, if any
  bool label_drawn = false;            // the label was legible enough to draw (zoomed in enough)
  float label_rect[4] = {0, 0, 0, 0};  // the label's box on screen, [x0, y0, x1, y1] in pixels
  bool dashed = false;                 // an adjoint link of the extended graph
  bool on_path = false;                // lit as part of a path of the chain rule as paths
  std::vector<std::array<float, 2>> points;  // the drawn path as a polyline, screen pixels
};

struct TableRecord {
  std::string name;                // "forward", "reverse", "tangent"
  std::vector<std::string> rows;   // the rows with their numbers, as drawn
  int highlighted_row = -1;
  std::string highlighted_text;
  // Geometry, screen pixels: the table's visible box, and the right edge of the widest formula /
  // with-numbers text drawn in it (greater than rect[2] when that arithmetic is cut off).
  float rect[4] = {0, 0, 0, 0};
  float text_right = 0;
  int lines_per_row = 2;  // 1: every row "= formula = numbers" on one line; 2: some stacked
  int rows_in_view = 0;   // rows wholly inside rect (the table scrolled as it is)
  bool current_row_whole = false;  // the current row (all its lines) wholly inside rect
};

// The step banner: where the lesson is and the row just computed, with the box it was drawn in.
struct BannerRecord {
  std::string where;  // "Reverse step 5 of 8"
  std::string row;    // "v̄1 = … = 5.5", "" at step 0
  float rect[4] = {0, 0, 0, 0};  // the row's box (or the where's at step 0), screen pixels
};

// A control drawn (a button, a slider, a field, a list): what it reads and where it is, so that
// tests see an unlabelled control and one that moves when another changes its state.
struct ControlRecord {
  std::string id;    // stable: "play", "speed", "timeline", "tangent"
  std::string text;  // what a person reads on it or beside it ("Pause", "Reverse 3 of 7")
  float rect[4] = {0, 0, 0, 0};  // screen pixels, the text beside it included
};

struct FrameRecord {
  std::string language;
  std::string page;               // the shown page's name ("graph", "schedules")
  std::string view;               // the --view name it is drawn with ("lab", "traces", "schedules")
  bool presenting = false;        // presentation mode: no menu, tabs or status line
  std::vector<std::string> tabs;  // the page tabs drawn, in order (none when there is one page)
  std::string mode;
  int step = 0;
  int step_count = 0;
  std::string highlighted_node;
  std::string expression;
  std::string error;        // expression bar / build error shown
  int error_column = 0;
  std::string status;
  std::vector<NodeRecord> nodes;
  std::vector<LinkRecord> links;
  float canvas_rect[4] = {0, 0, 0, 0};  // the graph canvas on screen (zeros when not drawn)
  float canvas_zoom = 0;                // its zoom (screen pixels per canvas unit)
  float min_text_px = 0;                // the smallest text drawn on the canvas, pixels (0: none)
  // Why min_text_px is under 12 px, when it is: the graph's size in canvas units against the
  // canvas's pixels at this zoom ("" when the text is large enough).
  std::string small_text_reason;
  // The canvas's own lines over its bottom edge (the key hint, the small-text warning) as drawn,
  // with their boxes, so that a test sees that they cover no node and no label.
  std::vector<std::string> canvas_notes;
  std::vector<std::array<float, 4>> canvas_note_rects;
  // An empty graph's hint over the canvas (what to do next), line by line as drawn: the texts,
  // their boxes (screen pixels) and font sizes (pixels).
  std::vector<std::string> canvas_hint;
  std::vector<std::array<float, 4>> canvas_hint_rects;
  std::vector<float> canvas_hint_px;
  // The status line's text box (the page's message or its keys, wrapped): a test sees it whole.
  std::array<float, 4> status_line_rect{0, 0, 0, 0};
  std::vector<TableRecord> tables;
  std::vector<std::string> inspector;  // lines of the inspector
  std::vector<std::string> visible_text;  // other labels drawn (toolbar, headings)
  std::vector<ControlRecord> controls;    // the controls drawn, in order
  BannerRecord banner;
  std::vector<widgets::PlotRecord> plots;  // every plot drawn, filled by the plot widget's sink
  nlohmann::json training;  // the Training page's state (DESIGN.md's `training`); null elsewhere
  // The Graph page's quiz (on, asking, question, draft, verdict, typed, message, right, answered,
  // score, tolerance, field_rect, message_rect) and the open lesson file (title, at, note,
  // note_rect, hidden); null when off / none.
  nlohmann::json quiz;
  nlohmann::json lesson_file;

  nlohmann::json to_json() const;
};

// Adds the last ImGui item drawn (a button, a slider, a field) to `record`'s controls, with its
// rectangle in screen pixels; nothing when `record` is null (frames that write no record).
void record_last_item(FrameRecord* record, std::string id, std::string text);

}  // namespace gs::app
