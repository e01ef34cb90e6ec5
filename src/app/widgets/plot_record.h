// What one plot showed, as plain data: the plot widget fills it (for the frame record beside a
// --screenshot and for "Export CSV"), the application serialises it. Kept apart from plot.h so
// that the frame record, which has no ImGui, can hold it. No ImGui, no GL.
#pragma once

#include <string>
#include <vector>

namespace gs::app::widgets {

// One drawn series: every data point the caller gave, at full precision (NaN and infinities
// included: the serialiser writes them as "nan", "inf", "-inf").
struct PlotSeriesRecord {
  std::string name;          // the label without its "##id" part
  std::string kind;          // "line", "stairs" or "scatter"
  std::vector<double> x, y;  // equal lengths
  int y_axis = 1;            // 1 (left) or 2 (right)
  bool dashed = false;
  float weight = 0.0f;       // the line's width as drawn, in pixels
  unsigned color = 0;        // ImU32, 0xAABBGGRR
  std::string marker{};      // at each point: "circle", "square", "diamond", "up", "down", "cross"; "" none
  float marker_size = 0.0f;  // the marker's radius (half its width), pixels
  int nan = 0, pos_inf = 0, neg_inf = 0;  // points not drawn, by kind
  int nonpositive = 0;                    // points ≤ 0 not drawn on a log axis
  bool auxiliary = false;  // repeats other series' points (markers, PlotItemFlags::NoReadout): not in CSV
};

// A band between two curves (PlotShaded).
struct PlotShadedRecord {
  std::string name;
  std::vector<double> x, y_low, y_high;
  int y_axis = 1;
};

// Vertical lines at x values (PlotVLines), e.g. milestones, with their tags if any.
struct PlotVLinesRecord {
  std::string name;
  std::vector<double> x;
  std::vector<std::string> texts;
};

struct PlotRecord {
  std::string id;     // the title_id given to BeginPlot, as is
  std::string title;  // the part before "##"
  std::string x_label, y_label, y2_label;
  bool log_x = false, log_y = false, log_y2 = false;
  std::vector<PlotSeriesRecord> series;  // visible line, stairs and scatter series, in order
  std::vector<PlotShadedRecord> shaded;
  std::vector<PlotVLinesRecord> vlines;
  std::vector<std::string> hidden;       // series switched off in the legend
  double x_range[2] = {0, 1}, y_range[2] = {0, 1}, y2_range[2] = {0, 1};  // the view's limits
  std::vector<std::string> x_ticks, y_ticks, y2_ticks;  // tick labels as drawn
  std::vector<std::string> notes;    // "loss: 3 NaN not drawn"
  float notes_rect[4] = {0, 0, 0, 0};   // where the notes are drawn (all zero without notes)
  std::vector<std::string> readout;  // the hover readout's lines, when one is shown
  bool cursor = false;               // a vertical cursor is drawn (hover or linked)
  double cursor_x = 0;
  float rect[4] = {0, 0, 0, 0};         // the whole widget, screen pixels [x0, y0, x1, y1]
  float area[4] = {0, 0, 0, 0};         // the data area inside the axes
  float legend_rect[4] = {0, 0, 0, 0};  // all zero without a legend
};

}  // namespace gs::app::widgets
