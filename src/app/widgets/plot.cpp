// The plot widget on ImGui draw lists: Begin/Setup/End, input, axes, items, legend, hover
// readout, notes, the right-click menu, the record and export requests. UI state only (in the
// PlotContext); no GL, no application code. The pure parts are in plot_internal.cpp.
//
// [SECTION] context
// [SECTION] helpers
// [SECTION] begin and setup
// [SECTION] input
// [SECTION] axes
// [SECTION] items
// [SECTION] end: cursor, legend, readout, notes, menu, record
// [SECTION] queries, record and export
#include "app/widgets/plot.h"

#include "app/widgets/plot_internal.h"
#include "app/widgets/text_wrap.h"

#include <imgui_internal.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <string_view>

namespace gs::app::widgets {

// [SECTION] context

namespace {
PlotContext* g_plot = nullptr;

// Colours for a light background and a projector: a ten-colour palette that stays distinct for
// most colour-blind viewers in its first five, dark text, light grid.
constexpr ImU32 kPalette[] = {IM_COL32(31, 119, 180, 255), IM_COL32(255, 127, 14, 255), IM_COL32(44, 160, 44, 255),
                              IM_COL32(214, 39, 40, 255),  IM_COL32(148, 103, 189, 255), IM_COL32(140, 86, 75, 255),
                              IM_COL32(227, 119, 194, 255), IM_COL32(127, 127, 127, 255), IM_COL32(188, 189, 34, 255),
                              IM_COL32(23, 190, 207, 255)};
constexpr int kPaletteSize = static_cast<int>(sizeof kPalette / sizeof kPalette[0]);
constexpr ImU32 kAreaBg = IM_COL32(255, 255, 255, 255);
constexpr ImU32 kGridMajor = IM_COL32(221, 224, 232, 255);
constexpr ImU32 kGridMinor = IM_COL32(240, 241, 245, 255);
constexpr ImU32 kAxisLine = IM_COL32(150, 155, 170, 255);
constexpr ImU32 kText = IM_COL32(30, 32, 40, 255);
constexpr ImU32 kTextDim = IM_COL32(90, 95, 110, 255);
constexpr ImU32 kHiddenGrey = IM_COL32(185, 188, 196, 255);
constexpr ImU32 kCursor = IM_COL32(60, 65, 80, 170);
constexpr ImU32 kProblem = IM_COL32(210, 30, 40, 255);
constexpr ImU32 kBoxFill = IM_COL32(70, 130, 230, 40);
constexpr ImU32 kBoxLine = IM_COL32(70, 130, 230, 200);
constexpr ImU32 kPanelBg = IM_COL32(255, 255, 255, 248);
constexpr ImU32 kPanelBorder = IM_COL32(196, 200, 212, 255);
constexpr ImU32 kVLine = IM_COL32(120, 124, 140, 255);
constexpr double kPadX = 0.01, kPadY = 0.06;  // fitted views: margins as fractions of the span
constexpr float kClipMarginPx = 50.0f;          // paths are clipped this far outside the area

// The view of axis `a` fitted to data within [lo, hi]: margins, and the axis's minimum span.
PlotRange fitted_range(const PlotFrame& f, int a, double lo, double hi, PlotScale s) {
  return widen_to_min_span(fit_range(lo, hi, s, a == 0 ? kPadX : kPadY), lo, hi, s, f.axes[a].fit_min_span);
}

}  // namespace

PlotContext* CreatePlotContext() {
  auto* c = new PlotContext();
  if (!g_plot) g_plot = c;
  return c;
}

void DestroyPlotContext(PlotContext* c) {
  if (!c) c = g_plot;
  if (c == g_plot) g_plot = nullptr;
  delete c;
}

PlotContext* GetCurrentPlotContext() { return g_plot; }
void SetCurrentPlotContext(PlotContext* c) { g_plot = c; }

// [SECTION] helpers

namespace {

// The current context; one is made on first use when the application made none (a view drawn
// in a test), so that a forgotten CreatePlotContext() is never a crash.
PlotContext& context() {
  if (!g_plot) g_plot = new PlotContext();
  return *g_plot;
}

// Misuse of the phased calls: an assert in debug builds; in release the call is ignored and the
// reason kept for GetPlotMisuse() (tests read it).
bool check(bool ok, const char* what) {
  if (ok) return true;
  if (g_plot) g_plot->misuse = what;
  IM_ASSERT(ok && "plot widget misuse: see GetPlotMisuse()");
  return false;
}

std::string display_name(const char* label) { return std::string(label, ImGui::FindRenderedTextEnd(label)); }

PlotScale scale_of(const PlotFrame& f, int axis) {
  return has(f.axes[axis].flags, PlotAxisFlags::Log) ? PlotScale::Log10 : PlotScale::Linear;
}

TickFormat format_of(const PlotFrame& f, int axis) {
  if (has(f.axes[axis].flags, PlotAxisFlags::SI)) return TickFormat::SI;
  if (has(f.axes[axis].flags, PlotAxisFlags::Scientific)) return TickFormat::Scientific;
  return TickFormat::Auto;
}

float text_width(const std::string& s) { return ImGui::CalcTextSize(s.c_str()).x; }

std::string fill(std::string pattern, const std::string& a0, const std::string& a1 = {}) {
  for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"{0}", &a0}, {"{1}", &a1}})
    if (const auto p = pattern.find(key); p != std::string::npos) pattern.replace(p, 3, *value);
  return pattern;
}

ImU32 with_alpha(ImU32 c, float alpha) {
  const auto a = static_cast<ImU32>(std::clamp(alpha, 0.0f, 1.0f) * 255.0f + 0.5f);
  return (c & ~IM_COL32_A_MASK) | (a << IM_COL32_A_SHIFT);
}

// Text turned a quarter counter-clockwise (read bottom to top), centred on `centre`. AddText
// culls glyphs against the clip rectangle before we can rotate them, so the text is laid out
// level around `layout_at` (a point with room for it, inside the clip rectangle), then its
// vertices are turned and moved to `centre`.
void add_text_vertical(ImDrawList* dl, ImVec2 centre, ImVec2 layout_at, ImU32 color, const char* text) {
  const ImVec2 size = ImGui::CalcTextSize(text);
  const int first = dl->VtxBuffer.Size;
  dl->AddText(ImVec2(std::round(layout_at.x - size.x * 0.5f), std::round(layout_at.y - size.y * 0.5f)), color, text);
  for (int i = first; i < dl->VtxBuffer.Size; ++i) {
    ImVec2& p = dl->VtxBuffer[i].pos;
    const float dx = p.x - layout_at.x, dy = p.y - layout_at.y;
    p = ImVec2(centre.x + dy, centre.y - dx);
  }
}

// Text on a light panel so that it stays readable over curves and grid.
void add_label(ImDrawList* dl, ImVec2 pos, ImU32 color, const std::string& text) {
  const ImVec2 size = ImGui::CalcTextSize(text.c_str());
  dl->AddRectFilled(ImVec2(pos.x - 2, pos.y), ImVec2(pos.x + size.x + 2, pos.y + size.y), kPanelBg, 2.0f);
  dl->AddText(pos, color, text.c_str());
}

void draw_marker(ImDrawList* dl, ImVec2 p, PlotMarker m, float r, ImU32 color, ImU32 outline = 0) {
  if (outline) draw_marker(dl, p, m, r + kMarkerOutlinePx, outline);
  switch (m) {
    case PlotMarker::None: break;
    case PlotMarker::Circle: dl->AddCircleFilled(p, r, color, 12); break;
    case PlotMarker::Square: dl->AddRectFilled(ImVec2(p.x - r, p.y - r), ImVec2(p.x + r, p.y + r), color); break;
    case PlotMarker::Diamond:
      dl->AddQuadFilled(ImVec2(p.x, p.y - r * 1.3f), ImVec2(p.x + r * 1.3f, p.y), ImVec2(p.x, p.y + r * 1.3f), ImVec2(p.x - r * 1.3f, p.y), color);
      break;
    case PlotMarker::Up: dl->AddTriangleFilled(ImVec2(p.x, p.y - r * 1.3f), ImVec2(p.x + r * 1.2f, p.y + r), ImVec2(p.x - r * 1.2f, p.y + r), color); break;
    case PlotMarker::Down: dl->AddTriangleFilled(ImVec2(p.x - r * 1.2f, p.y - r), ImVec2(p.x + r * 1.2f, p.y - r), ImVec2(p.x, p.y + r * 1.3f), color); break;
    case PlotMarker::Cross:
      dl->AddLine(ImVec2(p.x - r, p.y - r), ImVec2(p.x + r, p.y + r), color, std::max(1.5f, r * 0.4f));
      dl->AddLine(ImVec2(p.x - r, p.y + r), ImVec2(p.x + r, p.y - r), color, std::max(1.5f, r * 0.4f));
      break;
  }
}

bool hidden_in(const PlotState& st, ImGuiID id) { return std::find(st.hidden.begin(), st.hidden.end(), id) != st.hidden.end(); }

void set_hidden(PlotState& st, ImGuiID id, bool hide) {
  const bool now = hidden_in(st, id);
  if (hide && !now) st.hidden.push_back(id);
  if (!hide && now) std::erase(st.hidden, id);
}

float pad_px() { return std::round(ImGui::GetFontSize() * 0.35f); }

}  // namespace

void SetPlotStrings(const PlotStrings& strings) { context().strings = strings; }

// [SECTION] begin and setup

namespace {

void make_transforms(PlotFrame& f) {
  const PlotRect& a = f.layout.area;
  f.tx = AxisTransform(f.state->axes[0].range, scale_of(f, 0), a.min.x, a.max.x);
  f.ty[0] = AxisTransform(f.state->axes[1].range, scale_of(f, 1), a.max.y, a.min.y);
  f.ty[1] = AxisTransform(f.state->axes[2].range, scale_of(f, 2), a.max.y, a.min.y);
}

// Ticks depend on the axes' lengths and the area on the tick labels' widths: y ticks over an
// estimated height, then the layout, then x ticks, then both again at their final lengths.
void layout_and_ticks(PlotFrame& f, const PlotLinkGroup* aligned) {
  const float line_h = ImGui::GetTextLineHeight();
  const float pad = pad_px();
  auto spec = [&](int axis, float length, bool horizontal) {
    TickSpec s;
    s.range = f.state->axes[axis].range;
    s.scale = scale_of(f, axis);
    s.format = format_of(f, axis);
    s.integer = has(f.axes[axis].flags, PlotAxisFlags::Integer);
    s.horizontal = horizontal;
    s.length_px = length;
    s.label_height_px = line_h;
    s.min_gap_px = ImGui::GetFontSize() * (horizontal ? 1.2f : 0.45f);
    return s;
  };
  auto widest = [](const std::vector<Tick>& ticks) {
    float w = 0.0f;
    for (const Tick& t : ticks) w = std::max(w, text_width(t.label));
    return w;
  };
  LayoutInput in;
  in.pad = pad;
  in.title_h = !f.title.empty() && !has(f.flags, PlotFlags::NoTitle) ? line_h : 0.0f;
  in.x_tick_h = line_h;
  in.x_label_h = f.axes[0].label.empty() ? 0.0f : line_h;
  in.y1_label_w = f.axes[1].label.empty() ? 0.0f : line_h;
  in.y2 = f.axes[2].enabled;
  in.y2_label_w = in.y2 && !f.axes[2].label.empty() ? line_h : 0.0f;
  if (aligned) {
    in.min_margin_left = aligned->prev_margin_left;
    in.min_margin_right = aligned->prev_margin_right;
  }
  const PlotRect& frame = f.layout.frame;
  const float approx_h = frame.height() - in.title_h - in.x_tick_h - in.x_label_h - 5.0f * pad;
  for (int pass = 0; pass < 2; ++pass) {
    const float h = pass == 0 ? approx_h : f.layout.area.height();
    f.ticks[1] = make_ticks(spec(1, h, false), text_width);
    in.y1_tick_w = widest(f.ticks[1]);
    if (in.y2) {
      f.ticks[2] = make_ticks(spec(2, h, false), text_width);
      in.y2_tick_w = widest(f.ticks[2]);
    } else {
      f.ticks[2].clear();
    }
    f.layout = layout_plot(frame, in);
    f.ticks[0] = make_ticks(spec(0, f.layout.area.width(), true), text_width);
    // The last x label is centred on its tick: keep room for its right half.
    float overhang = 0.0f;
    const AxisTransform tx(f.state->axes[0].range, scale_of(f, 0), f.layout.area.min.x, f.layout.area.max.x);
    for (const Tick& t : f.ticks[0])
      if (t.major) overhang = std::max(overhang, static_cast<float>(tx.pixel_from_value(t.value)) + text_width(t.label) * 0.5f - f.layout.area.max.x);
    in.x_overhang = std::max(overhang, pad);
    f.layout = layout_plot(frame, in);
  }
  make_transforms(f);
}

void handle_input(PlotContext& c);
void draw_axes(PlotContext& c);
void add_series_extent(const PlotFrame& f, const SeriesStats& s, int y_axis, double x_hi, double* extent_lo, double* extent_hi);

// The group whose plots line their areas up with this one (plots sharing x), if any.
PlotLinkGroup* x_group(PlotContext& c) {
  PlotFrame& f = c.frame;
  return f.link && has(f.link_flags, PlotLinkFlags::X) ? &c.links[f.link] : nullptr;
}

// The end of the setup phase: limits, links and fits, layout, input, then the axes are drawn.
void finish_setup(PlotContext& c) {
  PlotFrame& f = c.frame;
  PlotState& st = *f.state;
  const int frame_no = ImGui::GetFrameCount();
  for (int a = 0; a < 3; ++a) {
    PlotAxisState& ax = st.axes[a];
    const PlotFrame::AxisSetup& setup = f.axes[a];
    if (setup.limits && (setup.limits_cond == PlotCond::Always || !ax.limits_applied)) {
      ax.range = setup.limits_range;
      ax.follow = false;
      ax.limits_applied = true;
    }
    const bool log = scale_of(f, a) == PlotScale::Log10;
    if (log && !ax.was_log && ax.range.min <= 0.0) ax.follow = true;  // a linear view has no log meaning
    ax.was_log = log;
  }
  PlotLinkGroup* group = f.link ? &c.links[f.link] : nullptr;
  const bool link_x = group && has(f.link_flags, PlotLinkFlags::X);
  if (link_x) {
    if (group->extent_frame != frame_no) {  // the first plot of the group this frame
      group->prev_lo = group->extent_lo;
      group->prev_hi = group->extent_hi;
      group->extent_lo = std::numeric_limits<double>::infinity();
      group->extent_hi = -std::numeric_limits<double>::infinity();
      group->prev_margin_left = group->margin_left;
      group->prev_margin_right = group->margin_right;
      group->margin_left = group->margin_right = 0.0f;
      group->extent_frame = frame_no;
    }
    if (group->x_revision != 0 && group->x_revision != st.link_revision) {
      st.axes[0].range = group->x_range;
      st.axes[0].follow = group->x_follow;
      st.link_revision = group->x_revision;
    }
  }
  // A following axis fits this frame's data where SetupFitData gave it (a growing live curve
  // stays inside), else the last frame's items.
  double given_lo[3], given_hi[3];
  for (int a = 0; a < 3; ++a) {
    given_lo[a] = std::numeric_limits<double>::infinity();
    given_hi[a] = -std::numeric_limits<double>::infinity();
  }
  for (const PlotFrame::FitData& d : f.fit_data) add_series_extent(f, d.stats, d.y_axis, d.x_hi, given_lo, given_hi);
  for (int a = 0; a < 3; ++a) {
    PlotAxisState& ax = st.axes[a];
    const PlotScale s = scale_of(f, a);
    if (ax.follow || has(f.axes[a].flags, PlotAxisFlags::AutoFit)) {
      const bool given = given_lo[a] <= given_hi[a];
      double lo = given ? given_lo[a] : ax.data_lo, hi = given ? given_hi[a] : ax.data_hi;
      if (a == 0 && link_x) {
        // The group's plots drawn earlier this frame, and all of them last frame.
        lo = std::min({lo, group->prev_lo, group->extent_lo});
        hi = std::max({hi, group->prev_hi, group->extent_hi});
      }
      if (lo <= hi) ax.range = fitted_range(f, a, lo, hi, s);
    }
    ax.range = sanitize_range(ax.range, s);
  }
  layout_and_ticks(f, x_group(c));
  if (!has(f.flags, PlotFlags::NoInputs)) handle_input(c);
  if (link_x) {
    group->margin_left = std::max(group->margin_left, f.layout.area.min.x - f.layout.frame.min.x);
    group->margin_right = std::max(group->margin_right, f.layout.frame.max.x - f.layout.area.max.x);
  }
  if (link_x && (st.axes[0].range != group->x_range || st.axes[0].follow != group->x_follow)) {
    group->x_range = st.axes[0].range;
    group->x_follow = st.axes[0].follow;
    st.link_revision = ++group->x_revision;
  }
  // The vertical cursor: this plot's hover, or a linked plot's (this frame or the last).
  const bool own = f.hovered && hit_region(f.layout, f.mouse) == PlotRegion::Area && st.drag != PlotDrag::Box;
  if (own) {
    f.cursor = true;
    f.cursor_x = f.tx.value_from_pixel(f.mouse.x);
  }
  if (group && has(f.link_flags, PlotLinkFlags::Cursor)) {
    if (own) {
      group->cursor_x = f.cursor_x;
      group->cursor_frame = frame_no;
      group->cursor_owner = f.id;
    } else if (group->cursor_frame >= frame_no - 1 && group->cursor_owner != f.id) {
      f.cursor = true;
      f.cursor_x = group->cursor_x;
    }
  }
  draw_axes(c);
  f.draw_list->PushClipRect(f.layout.area.min, f.layout.area.max, true);
  f.phase = PlotPhase::Items;
}

bool in_setup(const char* what) {
  PlotContext& c = context();
  return check(c.frame.phase == PlotPhase::Setup, what);
}

}  // namespace

bool BeginPlot(const char* title_id, const ImVec2& size, PlotFlags flags) {
  PlotContext& c = context();
  if (!check(c.frame.phase == PlotPhase::None, "BeginPlot before the previous plot's EndPlot")) return false;
  ImGuiWindow* window = ImGui::GetCurrentWindow();
  if (window->SkipItems) return false;
  PlotFrame& f = c.frame;
  f.id = window->GetID(title_id);
  f.title_id = title_id;
  f.title = display_name(title_id);
  f.flags = flags;
  f.state = &c.plots[f.id];
  for (PlotFrame::AxisSetup& a : f.axes) a = PlotFrame::AxisSetup{};
  f.axes[0].enabled = f.axes[1].enabled = true;
  f.link = 0;
  f.link_flags = PlotLinkFlags::None;
  f.legend_where = PlotLocation::NorthEast;
  f.y_axis = 1;
  f.items.clear();
  f.fit_data.clear();
  f.palette_next = 0;
  for (int a = 0; a < 3; ++a) {
    f.extent_lo[a] = std::numeric_limits<double>::infinity();
    f.extent_hi[a] = -std::numeric_limits<double>::infinity();
  }
  f.cursor = false;
  f.cursor_x = 0.0;
  f.any_data = false;
  f.texts.clear();
  c.next = NextItemStyle{};

  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float w = size.x > 0.0f ? size.x : std::max(avail.x + size.x, 120.0f);
  const float h = size.y > 0.0f ? size.y : size.y < 0.0f ? std::max(avail.y + size.y, 80.0f) : std::round(w * 2.0f / 3.0f);
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  f.layout = PlotLayout{};
  f.layout.frame = {pos, ImVec2(pos.x + w, pos.y + h)};
  ImGui::InvisibleButton(title_id, ImVec2(w, h),
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight | ImGuiButtonFlags_MouseButtonMiddle);
  f.hovered = ImGui::IsItemHovered();
  f.active = ImGui::IsItemActive();
  f.activated = ImGui::IsItemActivated();
  f.mouse = ImGui::GetIO().MousePos;
  f.draw_list = ImGui::GetWindowDrawList();
  f.line_weight = PlotLineWeight();
  f.export_due = f.state->export_requested;
  f.want_record = c.sink != nullptr || f.export_due;
  f.record = PlotRecord{};
  f.record.id = f.title_id;
  f.record.title = f.title;
  ImGui::PushOverrideID(f.id);
  f.phase = PlotPhase::Setup;
  return true;
}

void SetupAxis(PlotAxis axis, const char* label, PlotAxisFlags flags) {
  if (!in_setup("SetupAxis outside the setup phase (after an item, or outside BeginPlot/EndPlot)")) return;
  PlotFrame::AxisSetup& a = context().frame.axes[static_cast<int>(axis)];
  a.label = label ? label : "";
  a.flags = flags;
  a.enabled = true;
}

void SetupAxisLimits(PlotAxis axis, double min, double max, PlotCond cond) {
  if (!in_setup("SetupAxisLimits outside the setup phase")) return;
  PlotFrame::AxisSetup& a = context().frame.axes[static_cast<int>(axis)];
  a.limits = true;
  a.limits_range = {min, max};
  a.limits_cond = cond;
}

void SetupAxisFitMinSpan(PlotAxis axis, double fraction) {
  if (!in_setup("SetupAxisFitMinSpan outside the setup phase")) return;
  context().frame.axes[static_cast<int>(axis)].fit_min_span = fraction;
}

void SetupLink(const char* group, PlotLinkFlags flags) {
  if (!in_setup("SetupLink outside the setup phase")) return;
  PlotFrame& f = context().frame;
  f.link = ImHashStr(group);
  f.link_flags = flags;
}

void SetupLegend(PlotLocation location) {
  if (!in_setup("SetupLegend outside the setup phase")) return;
  context().frame.legend_where = location;
}

void SetupFinish() {
  if (!in_setup("SetupFinish outside the setup phase")) return;
  finish_setup(context());
}

// [SECTION] input

namespace {

void fit_axis(PlotState& st, int a) {
  PlotAxisState& ax = st.axes[a];
  ax.follow = true;
}

void handle_input(PlotContext& c) {
  PlotFrame& f = c.frame;
  PlotState& st = *f.state;
  const ImGuiIO& io = ImGui::GetIO();
  const PlotRegion region = hit_region(f.layout, f.mouse);
  const bool legend_on = !has(f.flags, PlotFlags::NoLegend);
  const int legend_index = f.hovered && legend_on ? hit_legend(st.legend, f.mouse) : -1;
  st.legend_hovered = legend_index >= 0 && legend_index < static_cast<int>(st.legend_ids.size()) ? st.legend_ids[static_cast<std::size_t>(legend_index)] : 0;
  auto movable = [&](int a) {
    return f.axes[a].enabled && !has(f.axes[a].flags, PlotAxisFlags::Lock) && !has(f.axes[a].flags, PlotAxisFlags::AutoFit);
  };
  // Which axes a gesture over `r` moves: the area moves all of them, an axis strip only itself.
  auto axes_for = [&](PlotRegion r, bool out[3]) {
    out[0] = (r == PlotRegion::Area || r == PlotRegion::XAxis) && movable(0);
    out[1] = (r == PlotRegion::Area || r == PlotRegion::Y1Axis) && movable(1);
    out[2] = (r == PlotRegion::Area || r == PlotRegion::Y2Axis) && movable(2);
  };
  const AxisTransform* t[3] = {&f.tx, &f.ty[0], &f.ty[1]};
  bool changed = false;

  // Left button: a click on a legend entry switches its series; a drag pans.
  if (f.activated && io.MouseClicked[0]) {
    st.pan_armed = false;
    if (legend_index >= 0 && legend_index < static_cast<int>(st.legend_ids.size())) {
      const ImGuiID id = st.legend_ids[static_cast<std::size_t>(legend_index)];
      set_hidden(st, id, !hidden_in(st, id));
    } else {
      st.pan_armed = region != PlotRegion::None && region != PlotRegion::Title;
      st.drag_region = region;
    }
  }
  if (st.pan_armed && f.active && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
    const ImVec2 d = ImGui::GetMouseDragDelta(ImGuiMouseButton_Left);
    ImGui::ResetMouseDragDelta(ImGuiMouseButton_Left);
    bool move[3];
    axes_for(st.drag_region, move);
    for (int a = 0; a < 3; ++a) {
      if (!move[a]) continue;
      st.axes[a].range = pan_range(*t[a], a == 0 ? d.x : d.y);
      st.axes[a].follow = false;
      changed = true;
    }
    st.drag = PlotDrag::Pan;
    ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeAll);
  }
  if (!io.MouseDown[0]) {
    st.pan_armed = false;
    if (st.drag == PlotDrag::Pan) st.drag = PlotDrag::None;
  }

  // Wheel: zoom about the mouse, all axes over the area, one axis over its strip.
  if (f.hovered && io.MouseWheel != 0.0f && legend_index < 0) {
    const double factor = std::pow(0.85, static_cast<double>(io.MouseWheel));
    bool zoom[3];
    axes_for(region, zoom);
    for (int a = 0; a < 3; ++a) {
      if (!zoom[a]) continue;
      const double pivot = t[a]->value_from_pixel(a == 0 ? f.mouse.x : f.mouse.y);
      st.axes[a].range = zoom_range(st.axes[a].range, t[a]->scale, pivot, factor);
      st.axes[a].follow = false;
      changed = true;
    }
  }

  // Double-click: fit to the data (the area: every axis; an axis strip: that axis).
  if (f.hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left) && legend_index < 0) {
    bool fit[3];
    axes_for(region, fit);
    for (int a = 0; a < 3; ++a) {
      if (!fit[a]) continue;
      fit_axis(st, a);
      PlotAxisState& ax = st.axes[a];
      if (ax.data_lo <= ax.data_hi) ax.range = fitted_range(f, a, ax.data_lo, ax.data_hi, t[a]->scale);
      changed = true;
    }
  }

  // Right button: drag a box to zoom into it; a click without a drag opens the menu.
  const bool box_allowed = !has(f.flags, PlotFlags::NoBoxZoom);
  if (f.activated && io.MouseClicked[1] && (region == PlotRegion::Area || !has(f.flags, PlotFlags::NoMenu))) {
    st.box_armed = true;
    st.box_start = f.mouse;
    st.drag_region = region;
  }
  if (st.box_armed && io.MouseDown[1] && box_allowed && st.drag_region == PlotRegion::Area &&
      ImGui::IsMouseDragging(ImGuiMouseButton_Right))
    st.drag = PlotDrag::Box;
  if (st.box_armed && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
    st.box_armed = false;
    st.drag = PlotDrag::None;
  }
  if (st.box_armed && !io.MouseDown[1]) {
    st.box_armed = false;
    if (st.drag == PlotDrag::Box) {
      st.drag = PlotDrag::None;
      const ImVec2 a = st.box_start, b = f.mouse;
      const float min_px = 4.0f;
      // A thin box zooms one axis only: a horizontal strip is a range of x.
      if (std::abs(b.x - a.x) >= min_px && movable(0)) {
        st.axes[0].range = range_between_pixels(f.tx, a.x, b.x);
        st.axes[0].follow = false;
        changed = true;
      }
      if (std::abs(b.y - a.y) >= min_px)
        for (int y = 1; y <= 2; ++y)
          if (movable(y)) {
            st.axes[y].range = range_between_pixels(f.ty[y - 1], a.y, b.y);
            st.axes[y].follow = false;
            changed = true;
          }
    } else if (!has(f.flags, PlotFlags::NoMenu)) {
      ImGui::OpenPopup("##plot_menu");
    }
  }
  if (changed) layout_and_ticks(f, x_group(c));
}

// [SECTION] axes

void draw_axes(PlotContext& c) {
  PlotFrame& f = c.frame;
  ImDrawList* dl = f.draw_list;
  const PlotLayout& l = f.layout;
  const PlotRect& area = l.area;
  const float pad = pad_px();
  const float line_h = ImGui::GetTextLineHeight();
  const float tick_len = std::round(pad * 0.8f);

  dl->AddRectFilled(area.min, area.max, kAreaBg);
  dl->PushClipRect(area.min, area.max, true);
  if (!has(f.axes[0].flags, PlotAxisFlags::NoGrid))
    for (const Tick& t : f.ticks[0]) {
      const float x = std::round(static_cast<float>(f.tx.pixel_from_value(t.value))) + 0.5f;
      dl->AddLine(ImVec2(x, area.min.y), ImVec2(x, area.max.y), t.major ? kGridMajor : kGridMinor);
    }
  if (!has(f.axes[1].flags, PlotAxisFlags::NoGrid))
    for (const Tick& t : f.ticks[1]) {
      const float y = std::round(static_cast<float>(f.ty[0].pixel_from_value(t.value))) + 0.5f;
      dl->AddLine(ImVec2(area.min.x, y), ImVec2(area.max.x, y), t.major ? kGridMajor : kGridMinor);
    }
  dl->PopClipRect();
  dl->AddRect(area.min, area.max, kAxisLine);

  dl->PushClipRect(l.frame.min, l.frame.max, true);
  for (const Tick& t : f.ticks[0]) {
    if (!t.major) continue;
    const float x = std::round(static_cast<float>(f.tx.pixel_from_value(t.value))) + 0.5f;
    dl->AddLine(ImVec2(x, area.max.y), ImVec2(x, area.max.y + tick_len), kAxisLine);
    const float w = text_width(t.label);
    const float tx = std::clamp(x - w * 0.5f, l.frame.min.x, l.frame.max.x - w);
    dl->AddText(ImVec2(tx, area.max.y + pad), kText, t.label.c_str());
    if (f.want_record) f.record.x_ticks.push_back(t.label);
  }
  for (int y = 1; y <= 2; ++y) {
    if (!f.axes[y].enabled) continue;
    const AxisTransform& ty = f.ty[y - 1];
    for (const Tick& t : f.ticks[y]) {
      if (!t.major) continue;
      const float py = std::round(static_cast<float>(ty.pixel_from_value(t.value))) + 0.5f;
      const float w = text_width(t.label);
      const float ty_text = std::clamp(py - line_h * 0.5f, l.frame.min.y, l.frame.max.y - line_h);
      if (y == 1) {
        dl->AddLine(ImVec2(area.min.x - tick_len, py), ImVec2(area.min.x, py), kAxisLine);
        dl->AddText(ImVec2(area.min.x - pad - w, ty_text), kText, t.label.c_str());
      } else {
        dl->AddLine(ImVec2(area.max.x, py), ImVec2(area.max.x + tick_len, py), kAxisLine);
        dl->AddText(ImVec2(area.max.x + pad, ty_text), kText, t.label.c_str());
      }
      if (f.want_record) (y == 1 ? f.record.y_ticks : f.record.y2_ticks).push_back(t.label);
    }
  }
  if (!f.axes[0].label.empty()) {
    const float w = text_width(f.axes[0].label);
    dl->AddText(ImVec2(std::round((area.min.x + area.max.x - w) * 0.5f), l.frame.max.y - pad - line_h), kTextDim, f.axes[0].label.c_str());
  }
  const float mid_y = std::round((area.min.y + area.max.y) * 0.5f);
  const ImVec2 area_centre((area.min.x + area.max.x) * 0.5f, mid_y);
  if (!f.axes[1].label.empty())
    add_text_vertical(dl, ImVec2(l.frame.min.x + pad + line_h * 0.5f, mid_y), area_centre, kTextDim, f.axes[1].label.c_str());
  if (f.axes[2].enabled && !f.axes[2].label.empty())
    add_text_vertical(dl, ImVec2(l.frame.max.x - pad - line_h * 0.5f, mid_y), area_centre, kTextDim, f.axes[2].label.c_str());
  if (l.title.height() > 0.0f) {
    const float w = text_width(f.title);
    dl->AddText(ImVec2(std::round((l.title.min.x + l.title.max.x - w) * 0.5f), l.title.min.y), kText, f.title.c_str());
  }
  dl->PopClipRect();
}

}  // namespace

// [SECTION] items

namespace {

PlotItemFrame* begin_item(const char* label, PlotItemKind kind, PlotItemFlags flags) {
  PlotContext& c = context();
  if (!check(c.frame.phase != PlotPhase::None, "a Plot* item outside BeginPlot/EndPlot")) return nullptr;
  if (c.frame.phase == PlotPhase::Setup) finish_setup(c);
  PlotFrame& f = c.frame;
  PlotItemFrame& it = f.items.emplace_back();
  it.id = ImGui::GetID(label);
  it.name = display_name(label);
  it.kind = kind;
  it.style = c.next;
  c.next = NextItemStyle{};
  if (it.style.line_color) it.color = it.style.line_color;
  else if (kind == PlotItemKind::VLines) it.color = kVLine;
  else it.color = kPalette[f.palette_next++ % kPaletteSize];
  if (kind == PlotItemKind::Scatter && it.style.marker == PlotMarker::None) it.style.marker = PlotMarker::Circle;
  it.legend = !has(flags, PlotItemFlags::NoLegend) && !(label[0] == '#' && label[1] == '#');
  it.hidden = hidden_in(*f.state, it.id);
  it.readout = !has(flags, PlotItemFlags::NoReadout);
  it.y_axis = f.y_axis;
  return &it;
}

void add_extent(double* extent_lo, double* extent_hi, int axis, double lo, double hi) {
  if (!(lo <= hi) || !std::isfinite(lo) || !std::isfinite(hi)) return;
  extent_lo[axis] = std::min(extent_lo[axis], lo);
  extent_hi[axis] = std::max(extent_hi[axis], hi);
}

// A series' extent on the x axis and its y axis, as fitted on this plot's scales.
void add_series_extent(const PlotFrame& f, const SeriesStats& s, int y_axis, double x_hi, double* extent_lo, double* extent_hi) {
  add_extent(extent_lo, extent_hi, 0, scale_of(f, 0) == PlotScale::Log10 ? s.x_lo_positive : s.x_lo, x_hi);
  if (scale_of(f, y_axis) == PlotScale::Log10) add_extent(extent_lo, extent_hi, y_axis, s.y_lo_positive, s.y_hi_positive);
  else add_extent(extent_lo, extent_hi, y_axis, s.y_lo, s.y_hi);
}

// This item's data extent, for the next frame's fit.
void add_item_extent(PlotFrame& f, const PlotItemFrame& it, PlotItemFlags flags, double x_hi) {
  const SeriesStats& s = it.stats;
  if (!it.hidden && s.x_lo <= s.x_hi) f.any_data = true;
  if (it.hidden || has(flags, PlotItemFlags::NoFit)) return;
  add_series_extent(f, s, it.y_axis, x_hi, f.extent_lo, f.extent_hi);
}

const char* marker_name(PlotMarker m) {
  switch (m) {
    case PlotMarker::None: return "";
    case PlotMarker::Circle: return "circle";
    case PlotMarker::Square: return "square";
    case PlotMarker::Diamond: return "diamond";
    case PlotMarker::Up: return "up";
    case PlotMarker::Down: return "down";
    case PlotMarker::Cross: return "cross";
  }
  return "";
}

// The radius a marker is drawn with: its own size, else a default for the font.
float marker_radius(const NextItemStyle& style) { return style.marker_size > 0.0f ? style.marker_size : ImGui::GetFontSize() * 0.22f; }

const char* kind_name(PlotItemKind k) {
  switch (k) {
    case PlotItemKind::Line: return "line";
    case PlotItemKind::Stairs: return "stairs";
    case PlotItemKind::Scatter: return "scatter";
    case PlotItemKind::Shaded: return "shaded";
    case PlotItemKind::VLines: return "vlines";
  }
  return "line";
}

float item_weight(const PlotFrame& f, const PlotItemFrame& it);

void record_series(PlotFrame& f, const PlotItemFrame& it, const SeriesView& s) {
  if (!f.want_record) return;
  if (it.hidden) {
    f.record.hidden.push_back(it.name);
    return;
  }
  PlotSeriesRecord r;
  r.name = it.name;
  r.kind = kind_name(it.kind);
  r.x.resize(static_cast<std::size_t>(s.count));
  r.y.assign(s.ys, s.ys + s.count);
  for (int i = 0; i < s.count; ++i) r.x[static_cast<std::size_t>(i)] = s.x(i);
  r.y_axis = it.y_axis;
  r.dashed = it.style.line != PlotLineStyle::Solid;
  r.weight = item_weight(f, it);
  r.color = it.color;
  r.marker = marker_name(it.style.marker);
  r.marker_size = it.style.marker == PlotMarker::None ? 0.0f : marker_radius(it.style);
  r.nan = it.stats.nan;
  r.pos_inf = it.stats.pos_inf;
  r.neg_inf = it.stats.neg_inf;
  r.nonpositive = scale_of(f, it.y_axis) == PlotScale::Log10 ? it.stats.nonpositive : 0;
  r.auxiliary = !it.readout;
  f.record.series.push_back(std::move(r));
}

// The value the readout shows for this item at the cursor.
void take_readout(PlotFrame& f, PlotItemFrame& it, const SeriesView& s) {
  if (!f.cursor || it.hidden || !it.readout) return;
  const int i = it.kind == PlotItemKind::Stairs ? stairs_index_at(s, f.cursor_x) : nearest_index_at(s, f.cursor_x);
  if (i < 0) return;
  if (it.kind != PlotItemKind::Stairs) {
    // Beyond either end of the data: no reading (the nearest point would be far away).
    const double reach = std::abs(f.tx.value_from_pixel(f.tx.pixel_min + 8.0) - f.tx.value_from_pixel(f.tx.pixel_min));
    const double lo = f.tx.scale == PlotScale::Log10 ? it.stats.x_lo_positive : it.stats.x_lo;
    if (f.tx.scale == PlotScale::Linear && (f.cursor_x < lo - reach || f.cursor_x > it.stats.x_hi + reach)) return;
  }
  it.has_readout = true;
  it.readout_x = s.x(i);
  it.readout_y = s.y(i);
}

void draw_bad_marks(PlotFrame& f, const Decimated& d, ImU32 color) {
  ImDrawList* dl = f.draw_list;
  const PlotRect& a = f.layout.area;
  const float r = std::max(3.0f, ImGui::GetFontSize() * 0.28f);
  for (const BadMark& m : d.marks) {
    if (!f.tx.range.contains(m.x)) continue;
    const float x = static_cast<float>(f.tx.pixel_from_value(m.x));
    switch (m.kind) {
      case BadKind::NaN: {
        const ImVec2 p(x, a.max.y - r - 2.0f);
        dl->AddLine(ImVec2(p.x - r, p.y - r), ImVec2(p.x + r, p.y + r), kProblem, 2.0f);
        dl->AddLine(ImVec2(p.x - r, p.y + r), ImVec2(p.x + r, p.y - r), kProblem, 2.0f);
        break;
      }
      case BadKind::PosInf: {
        const ImVec2 p0(x, a.min.y + 2.0f), p1(x + r, a.min.y + 2.0f + r * 1.7f), p2(x - r, a.min.y + 2.0f + r * 1.7f);
        dl->AddTriangleFilled(p0, p1, p2, color);
        dl->AddTriangle(p0, p1, p2, kProblem, 1.5f);
        break;
      }
      case BadKind::NegInf:
      case BadKind::NonPositive: {
        const ImVec2 p0(x, a.max.y - 2.0f), p1(x - r, a.max.y - 2.0f - r * 1.7f), p2(x + r, a.max.y - 2.0f - r * 1.7f);
        if (m.kind == BadKind::NegInf) dl->AddTriangleFilled(p0, p1, p2, color);
        dl->AddTriangle(p0, p1, p2, kProblem, 1.5f);
        break;
      }
    }
  }
}

float item_weight(const PlotFrame& f, const PlotItemFrame& it) {
  const float w = it.style.weight > 0.0f ? it.style.weight : f.line_weight;
  return f.state->legend_hovered == it.id ? w * 1.8f : w;
}

void stroke(PlotContext& c, const PlotItemFrame& it, const ScreenPath& path) {
  PlotFrame& f = c.frame;
  ImDrawList* dl = f.draw_list;
  const float w = item_weight(f, it);
  const ScreenPath* lines = &path;
  if (it.style.line != PlotLineStyle::Solid) {
    const bool dotted = it.style.line == PlotLineStyle::Dotted;
    dash_path(path, dotted ? w * 1.2f : w * 4.5f, dotted ? w * 2.2f : w * 3.0f, &c.dashes);
    lines = &c.dashes;
  }
  // Stroked at a whole number of pixels: Dear ImGui draws an anti-aliased line of integer width
  // from its baked-line texture, 2 triangles a segment, and one of fractional width from 6 (a long
  // curve's triangles are most of a frame's; a software GL driver's cost follows them).
  const float stroke_w = std::max(1.0f, std::round(w));
  for (int k = 0; k < lines->polyline_count(); ++k) {
    const int n = lines->polyline_size(k);
    if (n >= 2) dl->AddPolyline(&lines->points[static_cast<std::size_t>(lines->starts[static_cast<std::size_t>(k)])], n, it.color, ImDrawFlags_None, stroke_w);
  }
  // A value between two gaps has no neighbour to join: a dot, so that it is not lost.
  for (int k = 0; k < path.polyline_count(); ++k)
    if (path.polyline_size(k) == 1) dl->AddCircleFilled(path.points[static_cast<std::size_t>(path.starts[static_cast<std::size_t>(k)])], w * 1.3f, it.color, 10);
}

PlotRect clip_rect(const PlotFrame& f) {
  const PlotRect& a = f.layout.area;
  return {ImVec2(a.min.x - kClipMarginPx, a.min.y - kClipMarginPx), ImVec2(a.max.x + kClipMarginPx, a.max.y + kClipMarginPx)};
}

void draw_line_or_stairs(PlotContext& c, PlotItemFrame& it, const SeriesView& s) {
  PlotFrame& f = c.frame;
  const AxisTransform& tx = f.tx;
  const AxisTransform& ty = f.ty[it.y_axis - 1];
  Decimated* dp = &c.decimated;
  if (s.buffer) {
    DecimationCache& cache = f.state->decimations[it.id];
    if (!cache.matches(s.buffer, tx, ty)) {
      decimate(s, tx, ty, &cache.result, &cache.bins);
      cache.buffer = s.buffer;
      cache.revision = s.buffer->revision();
      cache.tx = tx;
      cache.ty = ty;
    }
    dp = &cache.result;
  } else {
    decimate(s, tx, ty, dp);
  }
  const Decimated& d = *dp;
  ScreenPath& p = c.path;
  p.reset(clip_rect(f));
  trace_path(d, s, tx, ty, it.kind == PlotItemKind::Stairs, &p);
  stroke(c, it, p);
  if (it.style.marker != PlotMarker::None && !d.decimated) {
    const float r = marker_radius(it.style);
    const ImU32 mc = it.style.marker_color ? it.style.marker_color : it.color;
    for (const KeptPoint& k : d.points)
      draw_marker(f.draw_list, ImVec2(static_cast<float>(tx.pixel_from_value(k.x)), static_cast<float>(ty.pixel_from_value(k.y))), it.style.marker, r, mc,
                  it.style.marker_outline);
  }
  draw_bad_marks(f, d, it.color);
}

void plot_series(const char* label, PlotItemKind kind, SeriesView s, PlotItemFlags flags) {
  PlotItemFrame* it = begin_item(label, kind, flags);
  if (!it) return;
  PlotFrame& f = context().frame;
  if (s.count < 0 || !s.ys) s.count = 0;
  it->stats = series_stats(s, f.tx.range, f.tx.scale);
  s.x_sorted = it->stats.x_sorted;  // finite and non-decreasing (series_stats checks it)
  double x_hi = it->stats.x_hi;
  if (kind == PlotItemKind::Stairs && s.count > 0 && s.x_sorted) x_hi = std::max(x_hi, stairs_end(s));
  add_item_extent(f, *it, flags, x_hi);
  record_series(f, *it, s);
  if (it->hidden) return;
  take_readout(f, *it, s);
  if (kind == PlotItemKind::Scatter) {
    PlotContext& c = context();
    decimate_scatter(s, f.tx, f.ty[it->y_axis - 1], &c.seen_pixels, &c.decimated);
    const float r = marker_radius(it->style);
    const ImU32 mc = it->style.marker_color ? it->style.marker_color : it->color;
    for (const KeptPoint& k : c.decimated.points)
      draw_marker(f.draw_list,
                  ImVec2(static_cast<float>(f.tx.pixel_from_value(k.x)), static_cast<float>(f.ty[it->y_axis - 1].pixel_from_value(k.y))),
                  it->style.marker, r, mc, it->style.marker_outline);
    draw_bad_marks(f, c.decimated, it->color);
    return;
  }
  draw_line_or_stairs(context(), *it, s);
}

SeriesView arrays(const double* xs, const double* ys, int count) {
  SeriesView s;
  s.xs = xs;
  s.ys = ys;
  s.count = xs ? count : 0;
  return s;
}

SeriesView implicit(const double* ys, int count, double x0, double dx) {
  SeriesView s;
  s.ys = ys;
  s.count = count;
  s.x0 = x0;
  s.dx = dx;
  return s;
}

SeriesView of_buffer(const PlotBuffer& b) {
  SeriesView s;
  s.xs = b.xs();
  s.ys = b.ys();
  s.count = b.size();
  s.buffer = &b;
  return s;
}

}  // namespace

float PlotLineWeight() { return std::max(1.5f, ImGui::GetFontSize() * 0.13f); }

void SetNextLineStyle(ImU32 color, float weight, PlotLineStyle style) {
  NextItemStyle& n = context().next;
  n.line_color = color;
  n.weight = weight;
  n.line = style;
}

void SetNextMarkerStyle(PlotMarker marker, float size_px, ImU32 color, ImU32 outline) {
  NextItemStyle& n = context().next;
  n.marker = marker;
  n.marker_size = size_px;
  n.marker_color = color;
  n.marker_outline = outline;
}

void SetNextFillStyle(ImU32 color, float alpha) {
  NextItemStyle& n = context().next;
  n.fill_color = color;
  n.fill_alpha = alpha;
}

void SetAxes(PlotAxis y_axis) {
  PlotContext& c = context();
  if (!check(c.frame.phase != PlotPhase::None, "SetAxes outside BeginPlot/EndPlot")) return;
  if (!check(y_axis == PlotAxis::Y1 || (y_axis == PlotAxis::Y2 && c.frame.axes[2].enabled), "SetAxes: Y2 needs SetupAxis(PlotAxis::Y2, ...) first"))
    return;
  c.frame.y_axis = static_cast<int>(y_axis);
}

namespace {

void setup_fit_data(const char* label, SeriesView s, bool stairs) {
  if (!in_setup("SetupFitData outside the setup phase")) return;
  PlotFrame& f = context().frame;
  if (hidden_in(*f.state, ImGui::GetID(label))) return;
  if (s.count < 0 || !s.ys) s.count = 0;
  const PlotAxisState& x = f.state->axes[0];
  // y over the whole series when x follows the data too (the fit will show all of it).
  const bool x_fits = x.follow || has(f.axes[0].flags, PlotAxisFlags::AutoFit);
  const PlotRange x_view = x_fits ? PlotRange{-std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()} : x.range;
  PlotFrame::FitData& d = f.fit_data.emplace_back();
  d.stats = series_stats(s, x_view, scale_of(f, 0));
  d.y_axis = f.y_axis;
  s.x_sorted = d.stats.x_sorted;
  d.x_hi = d.stats.x_hi;
  if (stairs && s.count > 0 && s.x_sorted) d.x_hi = std::max(d.x_hi, stairs_end(s));
}

}  // namespace

void SetupFitData(const char* label, const PlotBuffer& buffer, bool stairs) { setup_fit_data(label, of_buffer(buffer), stairs); }
void SetupFitData(const char* label, const double* xs, const double* ys, int count, bool stairs) {
  setup_fit_data(label, arrays(xs, ys, count), stairs);
}

void PlotLine(const char* label, const double* xs, const double* ys, int count, PlotItemFlags flags) {
  plot_series(label, PlotItemKind::Line, arrays(xs, ys, count), flags);
}
void PlotLine(const char* label, const double* ys, int count, double x0, double dx, PlotItemFlags flags) {
  plot_series(label, PlotItemKind::Line, implicit(ys, count, x0, dx), flags);
}
void PlotLine(const char* label, const PlotBuffer& buffer, PlotItemFlags flags) {
  plot_series(label, PlotItemKind::Line, of_buffer(buffer), flags);
}
void PlotStairs(const char* label, const double* xs, const double* ys, int count, PlotItemFlags flags) {
  plot_series(label, PlotItemKind::Stairs, arrays(xs, ys, count), flags);
}
void PlotStairs(const char* label, const double* ys, int count, double x0, double dx, PlotItemFlags flags) {
  plot_series(label, PlotItemKind::Stairs, implicit(ys, count, x0, dx), flags);
}
void PlotStairs(const char* label, const PlotBuffer& buffer, PlotItemFlags flags) {
  plot_series(label, PlotItemKind::Stairs, of_buffer(buffer), flags);
}
void PlotScatter(const char* label, const double* xs, const double* ys, int count, PlotItemFlags flags) {
  plot_series(label, PlotItemKind::Scatter, arrays(xs, ys, count), flags);
}

void PlotShaded(const char* label, const double* xs, const double* ys_low, const double* ys_high, int count, PlotItemFlags flags) {
  PlotItemFrame* it = begin_item(label, PlotItemKind::Shaded, flags);
  if (!it) return;
  PlotContext& c = context();
  PlotFrame& f = c.frame;
  if (!xs || !ys_low || !ys_high || count < 0) count = 0;
  SeriesView lo = arrays(xs, ys_low, count), hi = arrays(xs, ys_high, count);
  const SeriesStats sl = series_stats(lo, f.tx.range, f.tx.scale), sh = series_stats(hi, f.tx.range, f.tx.scale);
  lo.x_sorted = hi.x_sorted = sl.x_sorted;
  it->stats = sl;
  it->stats.y_lo = std::min(sl.y_lo, sh.y_lo);
  it->stats.y_hi = std::max(sl.y_hi, sh.y_hi);
  it->stats.y_lo_positive = std::min(sl.y_lo_positive, sh.y_lo_positive);
  it->stats.y_hi_positive = std::max(sl.y_hi_positive, sh.y_hi_positive);
  it->stats.nan += sh.nan;
  it->stats.pos_inf += sh.pos_inf;
  it->stats.neg_inf += sh.neg_inf;
  it->stats.nonpositive += sh.nonpositive;
  add_item_extent(f, *it, flags, it->stats.x_hi);
  if (f.want_record) {
    if (it->hidden) f.record.hidden.push_back(it->name);
    else f.record.shaded.push_back({it->name, std::vector<double>(xs, xs + count), std::vector<double>(ys_low, ys_low + count),
                                    std::vector<double>(ys_high, ys_high + count), it->y_axis});
  }
  if (it->hidden || count < 2) return;

  const AxisTransform& tx = f.tx;
  const AxisTransform& ty = f.ty[it->y_axis - 1];
  const bool log_y = ty.scale == PlotScale::Log10;
  const ImU32 color = with_alpha(it->style.fill_color ? it->style.fill_color : it->color, it->style.fill_alpha);
  ImDrawList* dl = f.draw_list;
  const ImDrawListFlags saved = dl->Flags;
  dl->Flags &= ~ImDrawListFlags_AntiAliasedFill;  // overlapping fringes would darken the seams
  const double left = f.layout.area.min.x, right = f.layout.area.max.x;
  auto clamp_y = [&](double y) { return static_cast<float>(std::clamp(y, -1e5, 1e5)); };
  // A quad between two columns (x, low, high), cut at the area's left and right edges.
  auto quad = [&](double ax, double al, double ah, double bx, double bl, double bh) {
    if (!(bx > ax) || bx < left || ax > right) return;
    if (ax < left) {
      const double t = (left - ax) / (bx - ax);
      al += t * (bl - al), ah += t * (bh - ah), ax = left;
    }
    if (bx > right) {
      const double t = (right - ax) / (bx - ax);
      bl = al + t * (bl - al), bh = ah + t * (bh - ah), bx = right;
    }
    const ImVec2 p0(static_cast<float>(ax), clamp_y(al)), p1(static_cast<float>(bx), clamp_y(bl)), p2(static_cast<float>(bx), clamp_y(bh)),
        p3(static_cast<float>(ax), clamp_y(ah));
    dl->AddTriangleFilled(p0, p1, p2, color);
    dl->AddTriangleFilled(p0, p2, p3, color);
  };
  auto good = [&](double x, double l, double h) {
    BadKind k;
    return std::isfinite(x) && !bad_kind(l, log_y, &k) && !bad_kind(h, log_y, &k);
  };
  int first = 0, last = count;
  visible_index_range(lo, tx, &first, &last);
  const int columns = std::max(1, static_cast<int>(f.layout.area.width()));
  if (!lo.x_sorted || last - first <= 2 * columns) {
    for (int i = first; i + 1 < last; ++i)
      if (good(xs[i], ys_low[i], ys_high[i]) && good(xs[i + 1], ys_low[i + 1], ys_high[i + 1]))
        quad(tx.pixel_from_value(xs[i]), ty.pixel_from_value(ys_low[i]), ty.pixel_from_value(ys_high[i]), tx.pixel_from_value(xs[i + 1]),
             ty.pixel_from_value(ys_low[i + 1]), ty.pixel_from_value(ys_high[i + 1]));
  } else {
    // One column per pixel: the lowest low and the highest high of the points in it.
    bool have = false;
    double px = 0, pl = 0, ph = 0;
    int i = first;
    for (int col = 0; col <= columns && i < last; ++col) {
      const double edge = col == columns ? std::numeric_limits<double>::infinity() : tx.value_from_pixel(left + col + 1);
      double l = std::numeric_limits<double>::infinity(), h = -l;
      bool bad = false;
      int n = 0;
      for (; i < last && xs[i] < edge; ++i, ++n) {
        if (!good(xs[i], ys_low[i], ys_high[i])) {
          bad = true;
          continue;
        }
        l = std::min(l, ys_low[i]);
        h = std::max(h, ys_high[i]);
      }
      if (n == 0) continue;
      if (bad || !(l <= h)) {
        have = false;
        continue;
      }
      const double cx = left + col + 0.5, cl = ty.pixel_from_value(l), ch = ty.pixel_from_value(h);
      if (have) quad(px, pl, ph, cx, cl, ch);
      px = cx, pl = cl, ph = ch, have = true;
    }
  }
  dl->Flags = saved;
}

void PlotVLines(const char* label, const double* xs, int count, const char* const* texts, PlotItemFlags flags) {
  PlotItemFrame* it = begin_item(label, PlotItemKind::VLines, flags);
  if (!it) return;
  PlotFrame& f = context().frame;
  if (!xs || count < 0) count = 0;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (int i = 0; i < count; ++i) {
    if (std::isnan(xs[i])) ++it->stats.nan;
    else if (std::isinf(xs[i])) ++(xs[i] > 0 ? it->stats.pos_inf : it->stats.neg_inf);
    else lo = std::min(lo, xs[i]), hi = std::max(hi, xs[i]);
  }
  if (!it->hidden && !has(flags, PlotItemFlags::NoFit)) add_extent(f.extent_lo, f.extent_hi, 0, lo, hi);
  if (f.want_record) {
    if (it->hidden) {
      f.record.hidden.push_back(it->name);
    } else {
      PlotVLinesRecord r{it->name, std::vector<double>(xs, xs + count), {}};
      if (texts)
        for (int i = 0; i < count; ++i) r.texts.emplace_back(texts[i] ? texts[i] : "");
      f.record.vlines.push_back(std::move(r));
    }
  }
  if (it->hidden) return;
  ImDrawList* dl = f.draw_list;
  const PlotRect& a = f.layout.area;
  const float w = it->style.weight > 0.0f ? it->style.weight : 1.5f;
  const float pad = pad_px();
  for (int i = 0; i < count; ++i) {
    if (!std::isfinite(xs[i]) || !f.tx.range.contains(xs[i])) continue;
    const float x = std::round(static_cast<float>(f.tx.pixel_from_value(xs[i]))) + 0.5f;
    if (it->style.line == PlotLineStyle::Solid) {
      dl->AddLine(ImVec2(x, a.min.y), ImVec2(x, a.max.y), with_alpha(it->color, 0.75f), w);
    } else {
      const float on = it->style.line == PlotLineStyle::Dotted ? 2.0f : 7.0f, off = it->style.line == PlotLineStyle::Dotted ? 4.0f : 5.0f;
      for (float y = a.min.y; y < a.max.y; y += on + off) dl->AddLine(ImVec2(x, y), ImVec2(x, std::min(y + on, a.max.y)), with_alpha(it->color, 0.75f), w);
    }
    if (texts && texts[i] && *texts[i]) add_label(dl, ImVec2(x + pad * 0.6f, a.min.y + pad * 0.5f), it->color, texts[i]);
  }
}

void PlotText(const char* text, double x, double y, ImVec2 offset_px, ImU32 color) {
  PlotContext& c = context();
  if (!check(c.frame.phase != PlotPhase::None, "PlotText outside BeginPlot/EndPlot")) return;
  if (c.frame.phase == PlotPhase::Setup) finish_setup(c);
  PlotFrame& f = c.frame;
  const double px = f.tx.pixel_from_value(x), py = f.ty[f.y_axis - 1].pixel_from_value(y);
  if (!std::isfinite(px) || !std::isfinite(py)) return;
  // Texts never cover each other: one that would is moved down a line (twice at most), else left out.
  const ImVec2 size = ImGui::CalcTextSize(text);
  ImVec2 pos(static_cast<float>(px) + offset_px.x, static_cast<float>(py) + offset_px.y);
  for (int attempt = 0; attempt < 3; ++attempt) {
    const PlotRect r{ImVec2(pos.x - 2.0f, pos.y), ImVec2(pos.x + size.x + 2.0f, pos.y + size.y)};
    bool clear = true;
    for (const PlotRect& o : f.texts) clear = clear && !r.overlaps(o);
    if (clear) {
      f.texts.push_back(r);
      add_label(f.draw_list, pos, color ? color : kText, text);
      return;
    }
    pos.y += size.y;
  }
}

// [SECTION] end: cursor, legend, readout, notes, menu, record

namespace {

void draw_cursor(PlotFrame& f) {
  if (!f.cursor || !f.tx.range.contains(f.cursor_x)) return;
  ImDrawList* dl = f.draw_list;
  const PlotRect& a = f.layout.area;
  const float x = std::round(static_cast<float>(f.tx.pixel_from_value(f.cursor_x))) + 0.5f;
  dl->AddLine(ImVec2(x, a.min.y), ImVec2(x, a.max.y), kCursor, 1.0f);
  const float r = std::max(3.5f, ImGui::GetFontSize() * 0.22f);
  for (const PlotItemFrame& it : f.items) {
    if (!it.has_readout) continue;
    const double px = f.tx.pixel_from_value(it.readout_x), py = f.ty[it.y_axis - 1].pixel_from_value(it.readout_y);
    if (!std::isfinite(px) || !std::isfinite(py) || !a.contains(ImVec2(static_cast<float>(px), static_cast<float>(py)))) continue;
    // Stairs: the dot sits on the step under the cursor, not at the step's start.
    const float dx = it.kind == PlotItemKind::Stairs ? x : static_cast<float>(px);
    dl->AddCircleFilled(ImVec2(dx, static_cast<float>(py)), r + 1.5f, IM_COL32_WHITE, 12);
    dl->AddCircleFilled(ImVec2(dx, static_cast<float>(py)), r, it.color, 12);
  }
}

void draw_legend(PlotContext& c) {
  PlotFrame& f = c.frame;
  PlotState& st = *f.state;
  st.legend = LegendLayout{};
  st.legend_ids.clear();
  if (has(f.flags, PlotFlags::NoLegend)) return;
  const float line_h = ImGui::GetTextLineHeight();
  const float pad = pad_px();
  const float swatch = std::round(ImGui::GetFontSize() * 1.6f);
  const PlotRect& area = f.layout.area;
  // The legend never hides the whole plot: names cut to 60 % of the width, and rows that do not
  // fit in the height summed up in a last one ("+3 more"; the menu lists them all).
  const float max_text = std::max(area.width() * 0.6f - swatch - 3.0f * pad, ImGui::GetFontSize() * 4.0f);
  const int max_rows = std::max(1, static_cast<int>((area.height() - 4.0f * pad) / (line_h + 2.0f)));
  std::vector<const PlotItemFrame*> entries;
  for (const PlotItemFrame& it : f.items)
    if (it.legend) entries.push_back(&it);
  if (entries.empty()) return;
  int more = 0;
  if (static_cast<int>(entries.size()) > max_rows) {
    more = static_cast<int>(entries.size()) - (max_rows - 1);
    entries.resize(static_cast<std::size_t>(max_rows - 1));
  }
  std::vector<std::string> names;
  std::vector<float> widths;
  for (const PlotItemFrame* it : entries) {
    names.push_back(ellipsize(it->name, max_text, text_width));
    widths.push_back(text_width(names.back()));
    st.legend_ids.push_back(it->id);
  }
  const std::string more_text = more > 0 ? "+" + std::to_string(more) + " …" : std::string();
  if (more > 0) widths.push_back(text_width(more_text));
  st.legend = layout_legend(widths, line_h + 2.0f, swatch, pad, area, f.legend_where);
  ImDrawList* dl = f.draw_list;
  dl->AddRectFilled(st.legend.box.min, st.legend.box.max, kPanelBg, 3.0f);
  dl->AddRect(st.legend.box.min, st.legend.box.max, kPanelBorder, 3.0f);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const PlotItemFrame& it = *entries[i];
    const PlotRect& r = st.legend.entries[i];
    if (st.legend_hovered == it.id) dl->AddRectFilled(ImVec2(r.min.x + 1, r.min.y), ImVec2(r.max.x - 1, r.max.y), IM_COL32(232, 238, 250, 255));
    const ImU32 col = it.hidden ? kHiddenGrey : it.color;
    const float cy = std::round((r.min.y + r.max.y) * 0.5f);
    const float x0 = r.min.x + pad, x1 = x0 + swatch;
    switch (it.kind) {
      case PlotItemKind::Scatter: draw_marker(dl, ImVec2((x0 + x1) * 0.5f, cy), it.style.marker, ImGui::GetFontSize() * 0.25f, col); break;
      case PlotItemKind::Shaded:
        dl->AddRectFilled(ImVec2(x0, cy - line_h * 0.3f), ImVec2(x1, cy + line_h * 0.3f), with_alpha(it.style.fill_color ? it.style.fill_color : col, 0.45f));
        break;
      case PlotItemKind::VLines: dl->AddLine(ImVec2((x0 + x1) * 0.5f, r.min.y + 2), ImVec2((x0 + x1) * 0.5f, r.max.y - 2), col, 1.5f); break;
      case PlotItemKind::Line:
      case PlotItemKind::Stairs:
        if (it.style.line == PlotLineStyle::Solid) {
          dl->AddLine(ImVec2(x0, cy), ImVec2(x1, cy), col, f.line_weight);
        } else {
          const float on = it.style.line == PlotLineStyle::Dotted ? 2.5f : 6.0f, off = it.style.line == PlotLineStyle::Dotted ? 3.5f : 4.0f;
          for (float x = x0; x < x1; x += on + off) dl->AddLine(ImVec2(x, cy), ImVec2(std::min(x + on, x1), cy), col, f.line_weight);
        }
        break;
    }
    dl->AddText(ImVec2(x1 + pad, r.min.y + 1.0f), it.hidden ? kHiddenGrey : kText, names[i].c_str());
  }
  if (more > 0) {
    const PlotRect& r = st.legend.entries.back();
    dl->AddText(ImVec2(r.min.x + 2.0f * pad + swatch, r.min.y + 1.0f), kTextDim, more_text.c_str());
    st.legend.entries.pop_back();  // not a series: clicks on it do nothing
  }
  if (st.legend_hovered) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
}

void draw_readout(PlotFrame& f) {
  if (!f.cursor || has(f.flags, PlotFlags::NoReadout)) return;
  const PlotItemFrame* first = nullptr;
  for (const PlotItemFrame& it : f.items)
    if (it.has_readout) {
      first = &it;
      break;
    }
  if (!first) return;
  // The header names the x of the first series' point (a stair's epoch, a line's sample).
  const double head_x = first->readout_x;
  const std::string x_name = f.axes[0].label.empty() ? std::string("x") : f.axes[0].label;
  std::vector<std::string> lines{x_name + " = " + format_value(head_x, 8)};
  std::vector<const PlotItemFrame*> rows{nullptr};  // the series a line starts (its swatch), or null
  std::vector<bool> dim{true};
  const float line_h = ImGui::GetTextLineHeight();
  const float pad = pad_px();
  const float swatch = std::round(ImGui::GetFontSize() * 0.7f);
  // The name whole and the value always: a name too long for the plot's width wraps at spaces,
  // the value after its last line (or on a line of its own). A name cut with "…" left a lecturer
  // with "MultiStepLR(milestones=[30, 60, 8…" beside two others at 1024 px.
  const float room = std::max(f.layout.area.width() - swatch - 5.0f * pad, ImGui::GetFontSize() * 6.0f);
  const auto measure = [](std::string_view t) { return text_width(std::string(t)); };
  for (const PlotItemFrame& it : f.items) {
    if (!it.has_readout) continue;
    std::string value = ": " + format_value(it.readout_y);
    if (it.readout_x != head_x) value += "  (" + x_name + " = " + format_value(it.readout_x, 8) + ")";
    std::vector<std::string> name = text_width(it.name + value) <= room ? std::vector<std::string>{it.name} : WrapAtSpaces(it.name, room, measure);
    if (text_width(name.back() + value) <= room) name.back() += value;
    else name.push_back(value.substr(2));  // the number alone, under the name
    for (std::size_t k = 0; k < name.size(); ++k) {
      lines.push_back(name[k]);
      rows.push_back(k == 0 ? &it : nullptr);
      dim.push_back(false);
    }
  }
  float w = 0.0f;
  for (const std::string& s : lines) w = std::max(w, text_width(s));
  w += swatch + 3.0f * pad;
  const float h = static_cast<float>(lines.size()) * line_h + 2.0f * pad;
  const PlotRect& a = f.layout.area;
  const float cx = static_cast<float>(f.tx.pixel_from_value(f.cursor_x));
  float x0 = cx + 14.0f;
  if (x0 + w > a.max.x) x0 = cx - 14.0f - w;
  x0 = std::max(x0, a.min.x + 2.0f);
  float y0 = a.min.y + pad;
  // Not over the legend: below it when there is room.
  const PlotRect box{ImVec2(x0, y0), ImVec2(x0 + w, y0 + h)};
  const PlotRect& legend = f.state->legend.box;
  if (legend.width() > 0.0f && box.overlaps(legend) && legend.max.y + pad + h <= a.max.y) y0 = legend.max.y + pad;
  ImDrawList* dl = f.draw_list;
  dl->AddRectFilled(ImVec2(x0, y0), ImVec2(x0 + w, y0 + h), kPanelBg, 3.0f);
  dl->AddRect(ImVec2(x0, y0), ImVec2(x0 + w, y0 + h), kPanelBorder, 3.0f);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const float y = y0 + pad + static_cast<float>(i) * line_h;
    if (rows[i]) {
      const float cy = y + line_h * 0.5f;
      dl->AddRectFilled(ImVec2(x0 + pad, cy - swatch * 0.3f), ImVec2(x0 + pad + swatch, cy + swatch * 0.3f), rows[i]->color);
    }
    dl->AddText(ImVec2(x0 + 2.0f * pad + swatch, y), dim[i] ? kTextDim : kText, lines[i].c_str());
  }
  if (f.want_record) f.record.readout = lines;
}

// What was not drawn, per series ("loss: 3 NaN, 1 +inf not drawn"), in the problem colour where it
// covers nothing of the plot: on the title's row right of the title, else on the x axis label's
// row right of the label, right-aligned, the series' notes joined on one line; cut with "…" where
// the row is too short (the whole text then in a tooltip). Only a plot with neither row puts
// them inside the data area, at its lower left.
void draw_notes(PlotContext& c) {
  PlotFrame& f = c.frame;
  std::vector<std::string> notes;
  for (const PlotItemFrame& it : f.items) {
    if (it.hidden) continue;
    std::string parts;
    auto add = [&](int n, const std::string& what) {
      if (n <= 0) return;
      if (!parts.empty()) parts += ", ";
      parts += std::to_string(n) + " " + what;
    };
    add(it.stats.nan, "NaN");
    add(it.stats.pos_inf, "+inf");
    add(it.stats.neg_inf, "-inf");
    const bool log = it.kind == PlotItemKind::VLines ? false : scale_of(f, it.y_axis) == PlotScale::Log10;
    if (log && it.stats.nonpositive > 0 && !has(f.flags, PlotFlags::NoNonPositiveNote)) {
      if (!parts.empty()) parts += ", ";
      parts += fill(c.strings.nonpositive, std::to_string(it.stats.nonpositive));
    }
    if (!parts.empty()) notes.push_back(fill(c.strings.not_drawn, it.name, parts));
  }
  if (notes.empty()) return;
  if (f.want_record) f.record.notes = notes;
  const float line_h = ImGui::GetTextLineHeight();
  const float pad = pad_px();
  const PlotLayout& l = f.layout;
  ImDrawList* dl = f.draw_list;
  std::string line, all;
  for (const std::string& n : notes) {
    line += (line.empty() ? "" : "  \u00b7  ") + n;
    all += (all.empty() ? "" : "\n") + n;
  }
  // The free stretch of each row: [x0, x1] at y.
  struct Row {
    float x0, x1, y;
  };
  std::vector<Row> rows;
  if (l.title.height() > 0.0f) {
    const float title_right = std::round((l.title.min.x + l.title.max.x + text_width(f.title)) * 0.5f);
    rows.push_back({title_right + 2.0f * pad, l.frame.max.x - pad, l.title.min.y});
  }
  if (!f.axes[0].label.empty()) {
    const float label_right = std::round((l.area.min.x + l.area.max.x + text_width(f.axes[0].label)) * 0.5f);
    rows.push_back({label_right + 2.0f * pad, l.frame.max.x - pad, l.frame.max.y - pad - line_h});
  }
  const float full = text_width(line);
  const Row* row = nullptr;
  for (const Row& r : rows)
    if (r.x1 - r.x0 >= full) {
      row = &r;
      break;
    }
  if (!row)
    for (const Row& r : rows)
      if (!row || r.x1 - r.x0 > row->x1 - row->x0) row = &r;
  PlotRect box;
  if (row && row->x1 - row->x0 >= ImGui::GetFontSize() * 4.0f) {
    const std::string shown = ellipsize(line, row->x1 - row->x0, text_width);
    const float w = text_width(shown);
    box = {ImVec2(row->x1 - w, row->y), ImVec2(row->x1, row->y + line_h)};
    dl->AddText(box.min, kProblem, shown.c_str());
    if (shown != line && ImGui::IsMouseHoveringRect(box.min, box.max)) ImGui::SetTooltip("%s", all.c_str());
  } else {
    // No row to spare: inside the area, lower left, above the marks of values off the axis.
    const PlotRect& a = l.area;
    dl->PushClipRect(a.min, a.max, true);
    float y = a.max.y - pad - line_h - std::max(3.0f, ImGui::GetFontSize() * 0.28f) * 2.0f - 4.0f;
    box = {ImVec2(a.min.x + pad, y), ImVec2(a.min.x + pad, y + line_h)};
    for (auto it = notes.rbegin(); it != notes.rend(); ++it, y -= line_h + 2.0f) {
      add_label(dl, ImVec2(a.min.x + pad, y), kProblem, *it);
      box.min.y = y;
      box.max.x = std::max(box.max.x, a.min.x + pad + text_width(*it));
    }
    dl->PopClipRect();
  }
  if (f.want_record) {
    f.record.notes_rect[0] = box.min.x;
    f.record.notes_rect[1] = box.min.y;
    f.record.notes_rect[2] = box.max.x;
    f.record.notes_rect[3] = box.max.y;
  }
}

void draw_box(PlotFrame& f) {
  if (f.state->drag != PlotDrag::Box) return;
  const ImVec2 a = f.state->box_start, b = f.mouse;
  const PlotRect& area = f.layout.area;
  ImVec2 lo(std::min(a.x, b.x), std::min(a.y, b.y)), hi(std::max(a.x, b.x), std::max(a.y, b.y));
  // A thin box zooms one axis: show it spanning the other.
  if (hi.y - lo.y < 4.0f) lo.y = area.min.y, hi.y = area.max.y;
  if (hi.x - lo.x < 4.0f) lo.x = area.min.x, hi.x = area.max.x;
  f.draw_list->AddRectFilled(lo, hi, kBoxFill);
  f.draw_list->AddRect(lo, hi, kBoxLine);
}

void context_menu(PlotContext& c) {
  PlotFrame& f = c.frame;
  PlotState& st = *f.state;
  if (has(f.flags, PlotFlags::NoMenu) || has(f.flags, PlotFlags::NoInputs)) return;
  if (!ImGui::BeginPopup("##plot_menu")) return;
  if (ImGui::MenuItem(c.strings.fit.c_str()))
    for (int a = 0; a < 3; ++a) fit_axis(st, a);
  if (ImGui::MenuItem(c.strings.export_png.c_str())) {
    st.export_requested = true;
    st.export_pending = PlotExportKind::Png;
  }
  if (ImGui::MenuItem(c.strings.export_csv.c_str())) {
    st.export_requested = true;
    st.export_pending = PlotExportKind::Csv;
  }
  bool any = false;
  for (const PlotItemFrame& it : f.items) {
    if (!it.legend) continue;
    if (!any) {
      ImGui::Separator();
      ImGui::TextDisabled("%s", c.strings.series.c_str());
      any = true;
    }
    if (ImGui::MenuItem(it.name.c_str(), nullptr, !it.hidden)) set_hidden(st, it.id, !it.hidden);
  }
  ImGui::EndPopup();
}

void to4(const PlotRect& r, float out[4]) {
  out[0] = r.min.x;
  out[1] = r.min.y;
  out[2] = r.max.x;
  out[3] = r.max.y;
}

void finish_record(PlotContext& c) {
  PlotFrame& f = c.frame;
  PlotState& st = *f.state;
  if (!f.want_record) return;
  PlotRecord& r = f.record;
  r.x_label = f.axes[0].label;
  r.y_label = f.axes[1].label;
  r.y2_label = f.axes[2].enabled ? f.axes[2].label : std::string();
  r.log_x = scale_of(f, 0) == PlotScale::Log10;
  r.log_y = scale_of(f, 1) == PlotScale::Log10;
  r.log_y2 = f.axes[2].enabled && scale_of(f, 2) == PlotScale::Log10;
  const PlotRange* ranges[3] = {&st.axes[0].range, &st.axes[1].range, &st.axes[2].range};
  double* outs[3] = {r.x_range, r.y_range, r.y2_range};
  for (int a = 0; a < 3; ++a) outs[a][0] = ranges[a]->min, outs[a][1] = ranges[a]->max;
  r.cursor = f.cursor;
  r.cursor_x = f.cursor_x;
  to4(f.layout.frame, r.rect);
  to4(f.layout.area, r.area);
  to4(st.legend.box, r.legend_rect);
  if (f.export_due) {
    c.exports.push_back({st.export_pending, f.title_id, f.layout.frame.min, f.layout.frame.max, r});
    st.export_requested = false;
  }
  if (c.sink) c.sink->push_back(std::move(r));
}

}  // namespace

void EndPlot() {
  PlotContext& c = context();
  if (!check(c.frame.phase != PlotPhase::None, "EndPlot without BeginPlot (or after BeginPlot returned false)")) return;
  if (c.frame.phase == PlotPhase::Setup) finish_setup(c);
  PlotFrame& f = c.frame;
  PlotState& st = *f.state;
  f.draw_list->PopClipRect();  // the area's, pushed when the items began
  for (int a = 0; a < 3; ++a) {
    st.axes[a].data_lo = f.extent_lo[a];
    st.axes[a].data_hi = f.extent_hi[a];
  }
  if (f.link && has(f.link_flags, PlotLinkFlags::X)) {
    PlotLinkGroup& g = c.links[f.link];
    g.extent_lo = std::min(g.extent_lo, f.extent_lo[0]);
    g.extent_hi = std::max(g.extent_hi, f.extent_hi[0]);
  }
  ImDrawList* dl = f.draw_list;
  dl->PushClipRect(f.layout.area.min, f.layout.area.max, true);
  draw_cursor(f);
  if (!f.any_data) {
    const ImVec2 size = ImGui::CalcTextSize(c.strings.no_data.c_str());
    const PlotRect& a = f.layout.area;
    dl->AddText(ImVec2(std::round((a.min.x + a.max.x - size.x) * 0.5f), std::round((a.min.y + a.max.y - size.y) * 0.5f)), kTextDim,
                c.strings.no_data.c_str());
  }
  draw_legend(c);
  draw_readout(f);
  draw_box(f);
  dl->PopClipRect();
  draw_notes(c);  // outside the area where there is room
  context_menu(c);
  finish_record(c);
  ImGui::PopID();
  st.last_frame = ImGui::GetFrameCount();
  f.phase = PlotPhase::None;
}

// [SECTION] queries, record and export

bool IsPlotHovered() {
  PlotContext& c = context();
  return check(c.frame.phase != PlotPhase::None, "IsPlotHovered outside BeginPlot/EndPlot") && c.frame.hovered;
}

void GetPlotLimits(PlotAxis axis, double* min, double* max) {
  PlotContext& c = context();
  if (!check(c.frame.phase != PlotPhase::None, "GetPlotLimits outside BeginPlot/EndPlot")) return;
  const PlotRange& r = c.frame.state->axes[static_cast<int>(axis)].range;
  if (min) *min = r.min;
  if (max) *max = r.max;
}

void GetPlotArea(ImVec2* min, ImVec2* max) {
  PlotContext& c = context();
  if (!check(c.frame.phase == PlotPhase::Items, "GetPlotArea before the first item or SetupFinish")) return;
  if (min) *min = c.frame.layout.area.min;
  if (max) *max = c.frame.layout.area.max;
}

bool GetLinkedCursor(const char* group, double* x) {
  PlotContext& c = context();
  const auto it = c.links.find(ImHashStr(group));
  if (it == c.links.end() || it->second.cursor_frame < ImGui::GetFrameCount() - 1) return false;
  if (x) *x = it->second.cursor_x;
  return true;
}

bool IsPlotItemHidden(const char* label) {
  PlotContext& c = context();
  if (!check(c.frame.phase != PlotPhase::None, "IsPlotItemHidden outside BeginPlot/EndPlot")) return false;
  return hidden_in(*c.frame.state, ImGui::GetID(label));
}

void SetPlotItemHidden(const char* label, bool hidden) {
  PlotContext& c = context();
  if (!check(c.frame.phase == PlotPhase::Setup, "SetPlotItemHidden outside the setup phase")) return;
  set_hidden(*c.frame.state, ImGui::GetID(label), hidden);
}

const std::string& GetPlotMisuse() {
  static const std::string kNone;
  return g_plot ? g_plot->misuse : kNone;
}

void SetPlotRecordSink(std::vector<PlotRecord>* sink) { context().sink = sink; }

bool TakePlotExportRequest(PlotExportRequest* out) {
  PlotContext& c = context();
  if (c.exports.empty()) return false;
  *out = std::move(c.exports.front());
  c.exports.erase(c.exports.begin());
  return true;
}

namespace {

std::string csv_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back exactly
  return std::string(buf, res.ptr);
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return q + "\"";
}

}  // namespace

std::string PlotDataCsv(const PlotRecord& data) {
  // Columns: the series, and each band as two columns (low, high).
  struct Column {
    std::string name;
    const std::vector<double>* x;
    const std::vector<double>* y;
  };
  std::vector<Column> cols;
  for (const PlotSeriesRecord& s : data.series)
    if (!s.auxiliary) cols.push_back({s.name, &s.x, &s.y});
  for (const PlotShadedRecord& s : data.shaded) {
    cols.push_back({s.name + " (low)", &s.x, &s.y_low});
    cols.push_back({s.name + " (high)", &s.x, &s.y_high});
  }
  std::string out;
  if (cols.empty()) return out;
  bool same_x = true;
  for (const Column& c : cols) {
    if (c.x->size() != cols[0].x->size()) {
      same_x = false;
      break;
    }
    for (std::size_t i = 0; i < c.x->size() && same_x; ++i)
      if (!((*c.x)[i] == (*cols[0].x)[i]) && !(std::isnan((*c.x)[i]) && std::isnan((*cols[0].x)[i]))) same_x = false;
  }
  if (same_x) {
    out += csv_field(data.x_label.empty() ? "x" : data.x_label);
    for (const Column& c : cols) (out += ',') += csv_field(c.name);
    out += '\n';
    for (std::size_t i = 0; i < cols[0].x->size(); ++i) {
      out += csv_number((*cols[0].x)[i]);
      for (const Column& c : cols) (out += ',') += csv_number((*c.y)[i]);
      out += '\n';
    }
    return out;
  }
  // (Appending piece by piece: GCC 12 warns falsely on chains of string operator+.)
  auto cell = [&out](const std::string& text, char after) {
    out += text;
    out += after;
  };
  cell("series", ',');
  cell(csv_field(data.x_label.empty() ? "x" : data.x_label), ',');
  cell(csv_field(data.y_label.empty() ? "y" : data.y_label), '\n');
  for (const Column& c : cols)
    for (std::size_t i = 0; i < c.x->size(); ++i) {
      cell(csv_field(c.name), ',');
      cell(csv_number((*c.x)[i]), ',');
      cell(csv_number((*c.y)[i]), '\n');
    }
  return out;
}

}  // namespace gs::app::widgets
