// The plot widget's insides: axis transforms, tick generation and number labels, decimation,
// screen paths (clipping, dashes), layout and hit testing — pure functions and plain structs,
// unit-tested without GL or an ImGui context (imgui.h is used for ImVec2 only) — and the context
// struct that plot.cpp keeps between frames. Not for pages: they include plot.h.
//
// [SECTION] ranges and transforms
// [SECTION] ticks and number labels
// [SECTION] series access, statistics and decimation
// [SECTION] screen paths: clipping and dashes
// [SECTION] layout and hit testing
// [SECTION] context
#pragma once

#include "app/widgets/plot.h"

#include <imgui.h>

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace gs::app::widgets {

// [SECTION] ranges and transforms

enum class PlotScale : std::uint8_t { Linear, Log10 };

// Limits of an axis in data units.
struct PlotRange {
  double min = 0.0, max = 1.0;
  double span() const { return max - min; }
  bool contains(double v) const { return v >= min && v <= max; }
  friend bool operator==(const PlotRange&, const PlotRange&) = default;
};

// The scale's space: v for linear, log10(v) for log (NaN for v ≤ 0).
double scale_forward(double v, PlotScale s);
double scale_inverse(double t, PlotScale s);

// A range that can be drawn: finite, min < max, not narrower than about 1e-12 of its magnitude
// (double precision would draw steps), within ±1e300; on a log scale inside [1e-300, 1e300].
// An empty or reversed range is widened around its centre; a non-finite one becomes [0, 1]
// ([0.1, 1] on a log scale).
PlotRange sanitize_range(PlotRange r, PlotScale s);

// pixel = pixel_min + (f(v) − f(min)) / (f(max) − f(min)) · (pixel_max − pixel_min), f the
// scale's forward map. For a y axis pixel_min (the pixel of range.min) is the bottom edge, so it
// is larger than pixel_max. Pixels are doubles: far-off points stay exact until clipping.
struct AxisTransform {
  AxisTransform() = default;
  AxisTransform(PlotRange r, PlotScale s, double pixel_min, double pixel_max);
  double pixel_from_value(double v) const;  // NaN for v ≤ 0 on a log scale
  double value_from_pixel(double p) const;

  PlotRange range;
  PlotScale scale = PlotScale::Linear;
  double pixel_min = 0.0, pixel_max = 1.0;
  double t_min = 0.0, t_max = 1.0;  // f(range.min), f(range.max)
};

// Zooms by `factor` (< 1 zooms in) in the scale's space keeping `pivot` (a data value) fixed: log
// axes zoom by decades. The result is sanitized.
PlotRange zoom_range(PlotRange r, PlotScale s, double pivot, double factor);
// Moves the range so that what was under pixel p is now under p + delta_px.
PlotRange pan_range(const AxisTransform& t, double delta_px);
// The range between two pixels of the axis (a box zoom), in either order.
PlotRange range_between_pixels(const AxisTransform& t, double p0, double p1);
// A view of the data extent [lo, hi] with `padding` (a fraction of the span, in scale space) on
// each side. A single value v is shown as v ± 10 % (± 1 for 0; a factor 2 either way on a log
// scale); no finite data (lo > hi) gives [0, 1] ([0.1, 1] on a log scale).
PlotRange fit_range(double lo, double hi, PlotScale s, double padding);
// `r` (a fitted linear view of data within [lo, hi]) widened about the data's middle to span at
// least `fraction` × max(|lo|, |hi|); unchanged on a log scale, for fraction ≤ 0 or where it
// already spans that much.
PlotRange widen_to_min_span(PlotRange r, double lo, double hi, PlotScale s, double fraction);

// [SECTION] ticks and number labels

enum class TickFormat : std::uint8_t { Auto, SI, Scientific };

struct Tick {
  double value = 0.0;
  std::string label;   // empty for a minor tick
  bool major = true;   // majors have labels and darker grid lines
};

// The smallest of 1, 2, 5 × 10ⁿ that is ≥ raw (> 0).
double nice_step(double raw);
// The next coarser 1-2-5 step after `step`.
double next_nice_step(double step);
// Label of a tick at v on an axis whose ticks are `step` apart and whose largest tick magnitude is
// max_abs. Auto: plain decimals (as many as the step needs) while 1e-4 ≤ max_abs < 1e6, else
// m×10ⁿ; SI: "2.5 k", "300 µ"; Scientific: always m×10ⁿ. `superscripts` false writes "2e-5".
std::string format_tick(double v, double step, double max_abs, TickFormat f, bool superscripts = true);
// A value for the readout and notes: `digits` significant digits, "nan", "inf", "-inf".
std::string format_value(double v, int digits = 6);

using TextWidth = std::function<float(const std::string&)>;

struct TickSpec {
  PlotRange range;
  PlotScale scale = PlotScale::Linear;
  TickFormat format = TickFormat::Auto;
  bool integer = false;        // ticks only at integers
  bool horizontal = true;      // x axis: labels side by side; y axis: labels stacked
  float length_px = 100.0f;    // the axis' length on screen
  float label_height_px = 16.0f;
  float min_gap_px = 12.0f;    // between neighbouring labels
  bool superscripts = true;
};
// Ticks inside the range, ascending: majors at 1-2-5 steps as dense as labels allow without
// overlapping (measured by `width`), minors between them. Log scales: majors at decades (every
// k-th decade when they are crowded; 2 and 5 too when there is room), minors at 2…9 ×10ⁿ; a log
// range shorter than a decade gets 1-2-5 ticks like a linear one. Every major label is distinct.
std::vector<Tick> make_ticks(const TickSpec& spec, const TextWidth& width);

// [SECTION] series access, statistics and decimation

// Read access to a series however it was given: arrays, implicit x (x0 + i·dx), or a PlotBuffer.
struct SeriesView {
  const double* xs = nullptr;  // nullptr: x = x0 + i·dx
  const double* ys = nullptr;
  int count = 0;
  double x0 = 0.0, dx = 1.0;
  const PlotBuffer* buffer = nullptr;  // set: xs and ys are its arrays, summaries come from it
  bool x_sorted = false;               // x never decreases (always so for implicit x with dx > 0)
  double x(int i) const { return xs ? xs[i] : x0 + dx * static_cast<double>(i); }
  double y(int i) const { return ys[i]; }
};

// Whole-series counts and extents. The y extent is over the points whose x lies in `x_view` (a
// zoomed view fits y to what is shown).
struct SeriesStats {
  double x_lo = 1.0, x_hi = 0.0;       // finite x, all points (lo > hi: none)
  double x_lo_positive = 1.0;          // smallest x > 0 (for log x; > x_hi: none)
  double y_lo = 1.0, y_hi = 0.0;       // finite y with x in view
  double y_lo_positive = 1.0;          // smallest y > 0 with x in view (> y_hi: none)
  double y_hi_positive = 0.0;
  int nan = 0, pos_inf = 0, neg_inf = 0, nonpositive = 0;  // y values, all points
  bool x_sorted = true;
};
// O(n) for arrays; O(log n) for a PlotBuffer with sorted x.
SeriesStats series_stats(const SeriesView& s, PlotRange x_view, PlotScale x_scale);
// x non-decreasing and finite? (one pass)
bool is_x_sorted(const SeriesView& s);

enum class BadKind : std::uint8_t { NaN, PosInf, NegInf, NonPositive };
// The kind of a y value that cannot be drawn, if it cannot.
bool bad_kind(double y, bool log_scale, BadKind* kind);

// A point kept for drawing (data space) with the index it came from. gap_before: points that
// cannot be drawn come between the previous kept point and this one, starting at x = gap_x.
struct KeptPoint {
  double x = 0.0, y = 0.0;
  int index = 0;
  bool gap_before = false;
  double gap_x = 0.0;
};
struct BadMark {
  double x = 0.0;
  BadKind kind = BadKind::NaN;
};
struct Decimated {
  std::vector<KeptPoint> points;  // in index order
  std::vector<BadMark> marks;     // at most one per kind per pixel column
  bool decimated = false;         // columns were reduced to first/min/max/last
  bool gap_after = false;         // points that cannot be drawn follow the last kept point,
  double gap_after_x = 0.0;       // from this x on
  void clear() {
    points.clear();
    marks.clear();
    decimated = gap_after = false;
  }
};

// Decimation's bins: one pixel wide in the scale's space (the width rounded up to 4 significant bits,
// so that a pan's rounding does not change it), at multiples of that width.
double bin_width(const AxisTransform& tx);

struct Bin {
  int first = 0, last = 0;  // the points [first, last)
  int kept[4] = {0, 0, 0, 0};
  int kept_count = 0;
  unsigned bad = 0;  // bit (1 << BadKind): values of that kind in the bin
};

// The bins already summarised for a PlotBuffer, reused while the buffer, the bin width and the
// scales stay the same: panning summarises only the bins that come into view.
struct BinCache {
  const PlotBuffer* buffer = nullptr;
  std::uint64_t revision = 0;
  double width = 0.0;
  PlotScale x_scale = PlotScale::Linear;
  bool log_y = false;
  std::unordered_map<long long, Bin> bins;  // by bin number (x from number·width)
  bool matches(const PlotBuffer* b, double w, PlotScale xs, bool ly) const {
    return b == buffer && b->revision() == revision && w == width && xs == x_scale && ly == log_y;
  }
};

// The index range [first, last) worth drawing for the x range of `tx`: for sorted x the points in
// view plus one beyond each edge (lines run to the border); otherwise everything.
void visible_index_range(const SeriesView& s, const AxisTransform& tx, int* first, int* last);
// Keeps, for each bin of `tx` (bin_width: about one pixel column), the bin's first and last
// points and its smallest and largest y, in index order, when the series has more than two points
// per pixel column in view; otherwise every point in view. So every point lies within the drawn
// extent of its own or a neighbouring column: no spike is lost. Values that cannot be drawn on `ty`
// (NaN, ±inf, ≤ 0 on a log scale) are left out and make gaps and marks. Unsorted series keep every
// point except repeats of the same pixel. `cache` (PlotBuffer series only) keeps bins across frames.
void decimate(const SeriesView& s, const AxisTransform& tx, const AxisTransform& ty, Decimated* out, BinCache* cache = nullptr);
// For markers: every point in view except those landing on a pixel already marked (`seen` is
// scratch space, resized as needed). Order and gaps are kept; marks as in decimate().
void decimate_scatter(const SeriesView& s, const AxisTransform& tx, const AxisTransform& ty, std::vector<std::uint8_t>* seen,
                      Decimated* out);

// The staircase step that contains x: the last i with x_i ≤ x, if x is before the end of the
// last step (x_{n−1} + its width). −1 if none. Sorted x: binary search.
int stairs_index_at(const SeriesView& s, double x);
// The point nearest to x along the x axis (ties: the first). −1 for an empty series.
int nearest_index_at(const SeriesView& s, double x);
// Where a staircase's last step ends: x_{n−1} + (x_{n−1} − x_{n−2}), or x_{n−1} + 1 when n = 1.
double stairs_end(const SeriesView& s);

// [SECTION] screen paths: clipping and dashes

struct PlotRect {
  ImVec2 min{0, 0}, max{0, 0};
  bool contains(ImVec2 p) const { return p.x >= min.x && p.y >= min.y && p.x < max.x && p.y < max.y; }
  bool overlaps(const PlotRect& o) const { return min.x < o.max.x && o.min.x < max.x && min.y < o.max.y && o.min.y < max.y; }
  float width() const { return max.x - min.x; }
  float height() const { return max.y - min.y; }
};

// Polylines in screen pixels, built point by point in double precision and clipped to a
// rectangle (Liang–Barsky) so that a point a million pixels away still draws the right slope.
struct ScreenPath {
  std::vector<ImVec2> points;
  std::vector<int> starts;  // polyline k is points[starts[k], starts[k+1])

  void reset(PlotRect clip);
  void move_to(double x, double y);  // starts a new polyline
  void line_to(double x, double y);  // a segment from the last point, clipped
  int polyline_count() const { return static_cast<int>(starts.size()); }
  int polyline_size(int k) const;

 private:
  void begin_polyline(double x, double y);
  double clip_[4] = {0, 0, 0, 0};  // x0, y0, x1, y1
  double last_x_ = 0.0, last_y_ = 0.0;
  bool has_last_ = false;
  bool open_ = false;  // the current polyline ends at (last_x_, last_y_)
};

// The screen path of kept points (p must be reset with its clip rectangle): a polyline through
// them, or for a staircase horizontal runs and vertical risers only — each value held until the
// next point's x, the last one until the next point beyond the view or stairs_end(). Gaps start
// new polylines; a staircase's run stops where the gap starts.
void trace_path(const Decimated& d, const SeriesView& s, const AxisTransform& tx, const AxisTransform& ty, bool stairs, ScreenPath* p);
// Cuts every polyline of `in` into dashes `on_px` long separated by `off_px`.
void dash_path(const ScreenPath& in, float on_px, float off_px, ScreenPath* out);

// [SECTION] layout and hit testing

struct LayoutInput {
  float title_h = 0.0f;   // 0: no title row
  float x_tick_h = 0.0f;  // height of the x tick labels
  float x_label_h = 0.0f; // 0: no x axis label
  float y1_tick_w = 0.0f, y1_label_w = 0.0f;
  bool y2 = false;
  float y2_tick_w = 0.0f, y2_label_w = 0.0f;
  float x_overhang = 0.0f;  // right margin without a y2 axis (half the last x tick label)
  float pad = 4.0f;
  // Linked plots line their areas up: the area starts at least this far from the frame's left
  // edge and ends at least this far from its right edge.
  float min_margin_left = 0.0f, min_margin_right = 0.0f;
};
// frame: the whole widget; title: above the area; area: the data; axes: the strips of tick labels
// and axis labels beside the area (where the wheel zooms that axis alone).
struct PlotLayout {
  PlotRect frame, title, area, x_axis, y1_axis, y2_axis;
};
PlotLayout layout_plot(PlotRect frame, const LayoutInput& in);

enum class PlotRegion : std::uint8_t { None, Area, XAxis, Y1Axis, Y2Axis, Title };
PlotRegion hit_region(const PlotLayout& layout, ImVec2 p);

struct LegendLayout {
  PlotRect box;
  std::vector<PlotRect> entries;
};
// One entry per row (swatch + text), in a box at `where` inside `area`.
LegendLayout layout_legend(const std::vector<float>& text_widths, float row_h, float swatch_w, float pad, PlotRect area,
                           PlotLocation where);
int hit_legend(const LegendLayout& legend, ImVec2 p);  // entry index, or −1
// `text` cut to fit `max_px` with "…" at the end (whole UTF-8 characters), or as is if it fits.
std::string ellipsize(const std::string& text, float max_px, const TextWidth& width);

// [SECTION] context

enum class PlotPhase : std::uint8_t { None, Setup, Items };
enum class PlotDrag : std::uint8_t { None, Pan, Box };
enum class PlotItemKind : std::uint8_t { Line, Stairs, Scatter, Shaded, VLines };

// The last decimation of a PlotBuffer series, reused while neither the buffer nor the view
// changes (a lecturer looking at a finished training curve costs no summaries at all).
struct DecimationCache {
  const PlotBuffer* buffer = nullptr;
  std::uint64_t revision = 0;
  AxisTransform tx, ty;
  Decimated result;
  BinCache bins;  // when the view moves
  bool matches(const PlotBuffer* b, const AxisTransform& x, const AxisTransform& y) const {
    auto same = [](const AxisTransform& a, const AxisTransform& c) {
      return a.range == c.range && a.scale == c.scale && a.pixel_min == c.pixel_min && a.pixel_max == c.pixel_max;
    };
    return b == buffer && b->revision() == revision && same(x, tx) && same(y, ty);
  }
};

// What a plot remembers between frames (UI state only).
struct PlotAxisState {
  PlotRange range;
  bool follow = true;       // fit to the data each frame until the user pans or zooms
  bool limits_applied = false;  // SetupAxisLimits(Once) done
  bool was_log = false;
  double data_lo = 1.0, data_hi = 0.0;  // last frame's data extent (lo > hi: none)
};

struct PlotState {
  PlotAxisState axes[3];
  std::vector<ImGuiID> hidden;  // series switched off in the legend
  PlotDrag drag = PlotDrag::None;
  PlotRegion drag_region = PlotRegion::None;  // where the button went down
  bool pan_armed = false;   // left button down on an axis or the area: dragging pans
  bool box_armed = false;   // right button down on the area: dragging draws a zoom box, a click opens the menu
  ImVec2 box_start{0, 0};
  LegendLayout legend;          // last frame's, for hit tests before this frame's items exist
  std::vector<ImGuiID> legend_ids;
  ImGuiID legend_hovered = 0;
  PlotExportKind export_pending = PlotExportKind::Png;
  bool export_requested = false;  // export_pending applies from the next frame
  unsigned link_revision = 0;     // the shared x limits last adopted
  int last_frame = -1;
  std::unordered_map<ImGuiID, DecimationCache> decimations;  // by item, PlotBuffer series only
};

// Plots linked by a group name.
struct PlotLinkGroup {
  double cursor_x = 0.0;
  int cursor_frame = -100;  // ImGui frame count when a plot of the group was last hovered
  ImGuiID cursor_owner = 0;
  PlotRange x_range;
  bool x_follow = true;
  unsigned x_revision = 0;
  int extent_frame = -1;          // frame of extent_lo/hi (accumulating)
  double extent_lo = 1.0, extent_hi = 0.0, prev_lo = 1.0, prev_hi = 0.0;
  float margin_left = 0.0f, margin_right = 0.0f, prev_margin_left = 0.0f, prev_margin_right = 0.0f;
};

struct NextItemStyle {
  ImU32 line_color = 0;
  float weight = -1.0f;
  PlotLineStyle line = PlotLineStyle::Solid;
  PlotMarker marker = PlotMarker::None;
  float marker_size = -1.0f;
  ImU32 marker_color = 0;
  ImU32 marker_outline = 0;
  ImU32 fill_color = 0;
  float fill_alpha = 0.25f;
};

// One item of the plot being drawn.
struct PlotItemFrame {
  ImGuiID id = 0;
  std::string name;
  PlotItemKind kind = PlotItemKind::Line;
  ImU32 color = 0;      // resolved: the style's colour or the palette's
  NextItemStyle style;  // as set before the item
  bool legend = true;
  bool readout = true;  // listed in the hover readout
  bool hidden = false;
  int y_axis = 1;
  SeriesStats stats;
  bool has_readout = false;
  double readout_x = 0.0, readout_y = 0.0;
};

// The plot between BeginPlot and EndPlot.
struct PlotFrame {
  ImGuiID id = 0;
  std::string title_id, title;
  PlotFlags flags = PlotFlags::None;
  PlotPhase phase = PlotPhase::None;
  PlotState* state = nullptr;
  struct AxisSetup {
    std::string label;
    PlotAxisFlags flags = PlotAxisFlags::None;
    bool enabled = false;
    bool limits = false;
    PlotRange limits_range;
    PlotCond limits_cond = PlotCond::Once;
    double fit_min_span = 0;  // SetupAxisFitMinSpan: a fraction of the data's largest magnitude
  } axes[3];
  ImGuiID link = 0;
  PlotLinkFlags link_flags = PlotLinkFlags::None;
  PlotLocation legend_where = PlotLocation::NorthEast;
  PlotLayout layout;
  AxisTransform tx, ty[2];
  std::vector<Tick> ticks[3];
  int y_axis = 1;  // for the next items
  std::vector<PlotItemFrame> items;
  double extent_lo[3], extent_hi[3];  // this frame's data extents (for the next frame's fit)
  // SetupFitData: the series to come, given in the setup phase so that this frame's fit covers
  // them (the items' own extents are only known after the axes are laid out).
  struct FitData {
    SeriesStats stats;
    int y_axis = 1;
    double x_hi = 0.0;  // a staircase's end beyond its last x
  };
  std::vector<FitData> fit_data;
  bool any_data = false;               // a visible item has a finite point (else "no data")
  std::vector<PlotRect> texts;         // PlotText boxes placed this frame (none may cover another)
  bool hovered = false, active = false, activated = false;  // the widget's invisible button
  ImVec2 mouse{0, 0};
  bool cursor = false;  // a vertical cursor at cursor_x (own hover or linked)
  double cursor_x = 0.0;
  bool want_record = false;  // copy the data into `record` (a sink is set, or an export is due)
  bool export_due = false;
  PlotRecord record;
  ImDrawList* draw_list = nullptr;
  int palette_next = 0;
  float line_weight = 2.0f;
};

struct PlotContext {
  std::unordered_map<ImGuiID, PlotState> plots;
  std::unordered_map<ImGuiID, PlotLinkGroup> links;
  PlotFrame frame;  // the current plot (one at a time: plots do not nest)
  NextItemStyle next;
  PlotStrings strings;
  std::vector<PlotRecord>* sink = nullptr;
  std::vector<PlotExportRequest> exports;
  std::string misuse;
  // Scratch buffers reused by every item, so that drawing allocates nothing in steady state.
  Decimated decimated;
  ScreenPath path, dashes;
  std::vector<std::uint8_t> seen_pixels;
};

}  // namespace gs::app::widgets
