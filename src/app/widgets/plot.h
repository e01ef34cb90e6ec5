// The plot widget, on ImGui draw lists (implot's API is the model; Debian has no implot package).
// Line, staircase, scatter and band series on linear or log axes, a second y axis, a legend that
// switches series on and off, pan/zoom/box zoom/fit, a hover readout of every series at the
// cursor's x, a vertical cursor shared by linked plots, min/max decimation for long series,
// NaN/±inf shown as gaps with marks and a note, and PNG/CSV export requests. It keeps only UI
// state (view limits, hidden series); it knows nothing of gradscope's models, of GL or of files.
//
// [SECTION] flags and enums
// [SECTION] context
// [SECTION] begin, setup, end
// [SECTION] items
// [SECTION] long series: PlotBuffer
// [SECTION] queries
// [SECTION] record and export
#pragma once

#include "app/widgets/plot_record.h"

#include <imgui.h>

#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

namespace gs::app::widgets {

// [SECTION] flags and enums

enum class PlotFlags : std::uint32_t {
  None = 0,
  NoTitle = 1 << 0,    // the title is not drawn (the id still holds it)
  NoLegend = 1 << 1,
  NoMenu = 1 << 2,     // no right-click menu (fit, export, series)
  NoBoxZoom = 1 << 3,  // right-drag does nothing
  NoInputs = 1 << 4,   // no pan, zoom, fit, legend clicks or menu: a picture only
  NoReadout = 1 << 5,  // hovering draws the cursor but no value list
  // Values ≤ 0 on a log axis are left out of the note of what was not drawn (NaN and ±inf stay
  // in it; the record still counts them): the caller explains them itself, in its own words.
  NoNonPositiveNote = 1 << 6,
};

enum class PlotAxis : int { X = 0, Y1 = 1, Y2 = 2, kCount = 3 };

enum class PlotAxisFlags : std::uint32_t {
  None = 0,
  Log = 1 << 0,         // log10 scale; values ≤ 0 are not drawn (counted in a note)
  NoGrid = 1 << 1,
  Integer = 1 << 2,     // ticks only at integers (epochs, steps)
  SI = 1 << 3,          // tick labels with SI prefixes (2.5 k, 300 µ)
  Scientific = 1 << 4,  // tick labels always as m×10ⁿ
  AutoFit = 1 << 5,     // follows the data every frame; pan and zoom are ignored
  Lock = 1 << 6,        // the user cannot pan or zoom this axis
};

enum class PlotItemFlags : std::uint32_t {
  None = 0,
  NoLegend = 1 << 0,  // not listed in the legend (a label starting "##" does the same)
  NoFit = 1 << 1,     // ignored when fitting the view to the data
  NoReadout = 1 << 2, // not listed in the hover readout (markers that repeat a curve's points)
};

enum class PlotLinkFlags : std::uint32_t {
  None = 0,
  Cursor = 1 << 0,  // share the vertical hover cursor (and its readout)
  X = 1 << 1,       // share the x limits: pan or zoom one, the others follow
};

enum class PlotCond : std::uint8_t { Once, Always };
enum class PlotLocation : std::uint8_t { NorthWest, NorthEast, SouthWest, SouthEast };
enum class PlotLineStyle : std::uint8_t { Solid, Dashed, Dotted };
enum class PlotMarker : std::uint8_t { None, Circle, Square, Diamond, Up, Down, Cross };

template <typename E>
concept PlotFlagEnum = std::is_same_v<E, PlotFlags> || std::is_same_v<E, PlotAxisFlags> ||
                       std::is_same_v<E, PlotItemFlags> || std::is_same_v<E, PlotLinkFlags>;
template <PlotFlagEnum E>
constexpr E operator|(E a, E b) { return E(static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b)); }
template <PlotFlagEnum E>
constexpr bool has(E set, E flag) { return (static_cast<std::uint32_t>(set) & static_cast<std::uint32_t>(flag)) != 0; }

// [SECTION] context
// One PlotContext holds every plot's UI state (keyed by ImGui id), the link groups and the
// pending export requests. Create it after ImGui::CreateContext() and destroy it before
// ImGui::DestroyContext(), as with implot (without one, the first call makes one).
struct PlotContext;
PlotContext* CreatePlotContext();
void DestroyPlotContext(PlotContext* ctx = nullptr);  // nullptr: the current one
PlotContext* GetCurrentPlotContext();
void SetCurrentPlotContext(PlotContext* ctx);

// The words the widget draws itself (menu, notes), so that the application's translation table
// stays the only place for text. Placeholders: {0}, {1}.
struct PlotStrings {
  std::string fit = "Fit to data (double-click)";
  std::string export_png = "Export PNG...";
  std::string export_csv = "Export CSV...";
  std::string series = "Series";
  std::string not_drawn = "{0}: {1} not drawn";        // "loss: 3 NaN, 1 +inf not drawn"
  std::string nonpositive = "{0} ≤ 0 on a log axis";   // "{0}" is the count
  std::string no_data = "no data";
};
void SetPlotStrings(const PlotStrings& strings);

// [SECTION] begin, setup, end
// Usage, once per frame:
//   if (widgets::BeginPlot("Learning rate##lr", ImVec2(-1, 400))) {
//     widgets::SetupAxis(PlotAxis::X, "epoch", PlotAxisFlags::Integer);        // setup calls ...
//     widgets::SetupAxis(PlotAxis::Y1, "lr", log_y ? PlotAxisFlags::Log : PlotAxisFlags::None);
//     widgets::SetupLink("schedules", PlotLinkFlags::Cursor | PlotLinkFlags::X);
//     widgets::PlotStairs("StepLR", epochs, lr, n);                              // ... then items
//     widgets::EndPlot();
//   }
// Setup calls come before the first item (the first item, or SetupFinish(), ends the setup
// phase); EndPlot is called only when BeginPlot returned true. Misuse (an item outside
// Begin/End, a setup call after an item, a missing EndPlot) asserts in debug builds and is
// ignored, with the reason kept in GetPlotMisuse(), in release builds.
// `size`: x ≤ 0 means the available width minus |x|; y = 0 means two thirds of the width,
// y < 0 the available height minus |y|. The title is the part of `title_id` before "##".
// Inside a scrolling window the wheel also scrolls it: put plots in a child window with
// ImGuiWindowFlags_NoScrollWithMouse when the wheel should only zoom.
bool BeginPlot(const char* title_id, const ImVec2& size = ImVec2(-1, 0), PlotFlags flags = PlotFlags::None);
void EndPlot();

// The x axis and the left y axis are always on; setting up Y2 turns on the right axis.
void SetupAxis(PlotAxis axis, const char* label, PlotAxisFlags flags = PlotAxisFlags::None);
// Limits in data units. Once: the first frame only (then the user pans and zooms); Always:
// every frame (the axis cannot be moved).
void SetupAxisLimits(PlotAxis axis, double min, double max, PlotCond cond = PlotCond::Once);
// A fitted view of a linear axis spans at least `fraction` × the largest magnitude of its data,
// about the data's middle: a nearly constant series (a learning rate that changes in its ninth
// digit) is drawn as the flat line it is, not stretched over the whole height. 0: no minimum.
void SetupAxisFitMinSpan(PlotAxis axis, double fraction);
// Plots in the same named group share what `flags` says (the group exists while any uses it).
void SetupLink(const char* group, PlotLinkFlags flags);
void SetupLegend(PlotLocation location);
// Ends the setup phase explicitly (lays out the axes and handles this frame's input).
void SetupFinish();

// [SECTION] items
// Labels follow ImGui: "name##id" shows "name"; "##id" is not listed in the legend. Data are
// read during the call only (the widget keeps no pointer), at full double precision. NaN and ±inf
// break the curve; they are marked at the plot's edge and counted in a note under the legend.
// Long series are drawn with min/max decimation: at most four points per pixel column, so the
// shape (every spike) survives; plain arrays are scanned once per frame (see PlotBuffer).

// Styles for the next item only. color 0: the next colour of the palette; weight ≤ 0: default.
void SetNextLineStyle(ImU32 color = 0, float weight = -1.0f, PlotLineStyle style = PlotLineStyle::Solid);
// `outline`: a rim of that colour, kMarkerOutlinePx wide, around each marker (0: none), so that
// markers drawn over one another (runs that coincide) stay apart.
inline constexpr float kMarkerOutlinePx = 1.5f;
void SetNextMarkerStyle(PlotMarker marker, float size_px = -1.0f, ImU32 color = 0, ImU32 outline = 0);
void SetNextFillStyle(ImU32 color = 0, float alpha = 0.25f);
// The default line width, in pixels, for the current font (what weight ≤ 0 gives).
float PlotLineWeight();
// Widths that keep coinciding curves visible: `series` (values at the same x, in drawing order).
// A curve that runs on the same values as a later one over a stretch (at least 2 points and a 20th
// of the shorter length) would be hidden under it; it is widened by one `step` per later curve it
// coincides with, so that it shows as a band around them (StepLR under MultiStepLR until the
// third milestone). Returns one multiplier ≥ 1 per series, for SetNextLineStyle's weight.
std::vector<float> UnderlayWidths(const std::vector<std::vector<double>>& series, float step = 1.0f);
// Which y axis the following items use (Y1 by default; Y2 once set up).
void SetAxes(PlotAxis y_axis);

// A polyline through (xs[i], ys[i]).
void PlotLine(const char* label, const double* xs, const double* ys, int count, PlotItemFlags flags = PlotItemFlags::None);
// Same with xs[i] = x0 + i·dx.
void PlotLine(const char* label, const double* ys, int count, double x0 = 0.0, double dx = 1.0, PlotItemFlags flags = PlotItemFlags::None);
// A staircase for piecewise-constant series (a learning rate per epoch): ys[i] holds on
// [xs[i], xs[i+1]) — horizontal runs joined by vertical risers, never a sloped line. The last
// value holds for one more step (until xs[n−1] + (xs[n−1] − xs[n−2]); 1 when n = 1), so that the
// last epoch is drawn as a step too.
void PlotStairs(const char* label, const double* xs, const double* ys, int count, PlotItemFlags flags = PlotItemFlags::None);
void PlotStairs(const char* label, const double* ys, int count, double x0 = 0.0, double dx = 1.0, PlotItemFlags flags = PlotItemFlags::None);
// Markers only (circle by default; SetNextMarkerStyle chooses).
void PlotScatter(const char* label, const double* xs, const double* ys, int count, PlotItemFlags flags = PlotItemFlags::None);
// The band between ys_low[i] and ys_high[i] (a min/max envelope, a confidence band).
void PlotShaded(const char* label, const double* xs, const double* ys_low, const double* ys_high, int count, PlotItemFlags flags = PlotItemFlags::None);
// Vertical lines across the whole area at xs[i] (milestones, restarts), each with an optional
// short tag drawn at its top (texts may be nullptr).
void PlotVLines(const char* label, const double* xs, int count, const char* const* texts = nullptr, PlotItemFlags flags = PlotItemFlags::None);
// A text at a data point, offset by `offset_px` (screen pixels, y down), clipped to the area.
// One that would cover an earlier one is moved down a line or two, or left out.
void PlotText(const char* text, double x, double y, ImVec2 offset_px = ImVec2(0, 0), ImU32 color = 0);

// [SECTION] long series: PlotBuffer
// An append-only series that keeps a min/max pyramid beside its points, so that drawing it costs
// O(pixel columns · log n) instead of O(n): a 1,000,000-point loss curve redraws in well under a
// millisecond. x must not decrease from one append to the next (steps, epochs, seconds); if it
// does, the buffer still draws correctly through the plain path (O(n) per frame).
//
// Bounded (set_max_points(m)): the first m points are kept as given; beyond, the series is kept
// as buckets of 4^k consecutive points, each by the points that hold its extremes — the smallest
// and the largest finite y, the smallest y > 0 (log axes), the first non-finite one (the first
// of equal values, so a staircase keeps the steps where it changes) — and its last point (the
// curve ends where the series does); the newest bucket by its latest points and the extremes
// of the ones before them. Every spike stays in the curve; memory, appends
// and drawing stay O(m) however long the series. The points given to the plot (xs(), ys(), and
// so the frame record and the CSV export of the plot) are then the kept ones; counts of NaN and
// ±inf in the notes count kept points. Appends cost O(1) amortised; every 4× growth of the
// series rebuilds the buffer once, O(m).
class PlotBuffer {
 public:
  // Finite values of the points [first, last): which points hold the extremes. Index −1 where
  // there is none (all points non-finite, or none positive).
  struct Summary {
    int min_index = -1, max_index = -1;  // smallest and largest finite y (the first of equals)
    int min_positive_index = -1;         // smallest y > 0 (for log axes)
    int nan = 0, pos_inf = 0, neg_inf = 0, nonpositive = 0;  // nonpositive: finite y ≤ 0
  };

  void append(double x, double y);
  void clear();  // keeps the bound
  void reserve(int n);
  // 0 (the default): every point kept. Otherwise at least 64; set before the first append.
  void set_max_points(int max_points);
  int max_points() const { return max_points_; }
  // Points appended since the last clear(); and how many of them a bucket stands for (1 while
  // every point is kept).
  std::int64_t appended() const { return appended_; }
  std::int64_t bucket() const { return bucket_; }
  int size() const { return static_cast<int>(ys_.size()); }  // points kept
  const double* xs() const { return xs_.data(); }
  const double* ys() const { return ys_.data(); }
  bool x_sorted() const { return sorted_; }
  // Changes with every append or clear: what the widget drew from an unchanged buffer in an
  // unchanged view is drawn again without reading the points.
  std::uint64_t revision() const { return revision_; }
  // The summary of points [first, last), reading at most 2 · 7 units per pyramid level.
  Summary summarize(int first, int last) const;

  // Running extremes and counts of a run of points: what each pyramid block keeps (values beside
  // indices, so that merging never reads the far-away points), and what a scan of plain arrays
  // builds. Empty: values ±inf and indices −1, so that adding and merging need no branch.
  struct Accumulator {
    double min_v = std::numeric_limits<double>::infinity(), max_v = -std::numeric_limits<double>::infinity();
    double minpos_v = std::numeric_limits<double>::infinity();
    std::int32_t min_i = -1, max_i = -1, minpos_i = -1;
    std::int32_t nan = 0, pos_inf = 0, neg_inf = 0, nonpositive = 0;
    void add(int i, double y);            // points in index order
    void merge(const Accumulator& part);  // parts in any order
    Summary summary() const;
  };

  // The indices in [first, last), ascending, of the points that stand for them in a bucket (see
  // above): at most five.
  int bucket_points(int first, int last, int out[5]) const;

 private:
  void push_point(double x, double y);
  void truncate(int n);
  void close_bucket();
  void reduce_open();
  void compact();

  std::vector<double> xs_, ys_;
  std::vector<std::vector<Accumulator>> levels_;  // levels_[k]: blocks of 8^(k+1) points
  bool sorted_ = true;                      // x finite and non-decreasing so far
  std::uint64_t revision_ = 0;
  // Bounded mode: kept points [starts_[j], starts_[j + 1]) stand for closed bucket j (of bucket_
  // appended points each), [open_start_, size()) for the open bucket's open_count_ points so far.
  int max_points_ = 0;
  std::int64_t appended_ = 0, bucket_ = 1, open_count_ = 0;
  int open_start_ = 0;
  std::vector<int> starts_;
};

void PlotLine(const char* label, const PlotBuffer& buffer, PlotItemFlags flags = PlotItemFlags::None);
void PlotStairs(const char* label, const PlotBuffer& buffer, PlotItemFlags flags = PlotItemFlags::None);

// This frame's data for the fit, in the setup phase (after SetupAxis, before the first item), one
// call per series with the label its item will have; `stairs` for PlotStairs. A view that follows
// its data (not panned or zoomed, or AutoFit) is laid out before the items are drawn: without
// these calls it fits the last frame's items, and a live curve that grew since runs out of the
// plot for a frame. Axes given no data here still fit the last frame's items.
void SetupFitData(const char* label, const PlotBuffer& buffer, bool stairs = false);
void SetupFitData(const char* label, const double* xs, const double* ys, int count, bool stairs = false);

// [SECTION] queries (between BeginPlot and EndPlot unless said otherwise)
bool IsPlotHovered();
// The data limits of an axis as drawn this frame.
void GetPlotLimits(PlotAxis axis, double* min, double* max);
// The screen rectangle of the data area.
void GetPlotArea(ImVec2* min, ImVec2* max);
// The x of the linked cursor of `group`, if a plot of the group was hovered this frame or the
// last one (any time: a table beside the plots highlights the hovered epoch with it).
bool GetLinkedCursor(const char* group, double* x);
// Whether a series (by its full label, "name##id") is switched off in the current plot's legend;
// and switching it from the application (a checkbox elsewhere).
bool IsPlotItemHidden(const char* label);
void SetPlotItemHidden(const char* label, bool hidden);
// The reason of the last misuse ignored in a release build ("PlotLine outside BeginPlot/EndPlot"),
// empty if none. Any time.
const std::string& GetPlotMisuse();

// [SECTION] record and export
// While `sink` is set, every EndPlot appends what the plot showed (the frame record beside a
// screenshot). Set it to nullptr to stop. The data are copied: leave it unset outside screenshots.
void SetPlotRecordSink(std::vector<PlotRecord>* sink);

enum class PlotExportKind : std::uint8_t { Png, Csv };
// Asked from the plot's right-click menu. The application chooses a file, then captures the
// screen rectangle [min, max] of the next frame (PNG) or writes PlotDataCsv(data) (CSV).
struct PlotExportRequest {
  PlotExportKind kind = PlotExportKind::Png;
  std::string plot_id;  // the title_id of BeginPlot
  ImVec2 min{0, 0}, max{0, 0};
  PlotRecord data;
};
// Pops the oldest pending request (any time, usually after the page's plots are drawn).
bool TakePlotExportRequest(PlotExportRequest* out);
// The data as CSV, numbers at full precision ("nan", "inf", "-inf" as text). One x column and
// one column per series when every series has the same x; otherwise rows of (series, x, y).
// Markers that repeat a curve's points (NoReadout) are left out.
std::string PlotDataCsv(const PlotRecord& data);

}  // namespace gs::app::widgets
