// The graph canvas widget: drawing on layered ImGui draw lists and turning mouse input into
// events. UI state only; it never touches the application's model. No GL.
//
// [SECTION] context and fonts
// [SECTION] begin: region, pan/zoom input, grid
// [SECTION] nodes and links
// [SECTION] end: hit testing, drags, events
// [SECTION] text
// [SECTION] event queries
#include "app/widgets/canvas.h"

#include <imgui_internal.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <memory>
#include <numeric>

namespace gs::app::widgets {

// [SECTION] context and fonts

namespace {
// The canvas between BeginCanvas and EndCanvas (ImGui's "current context" pattern: a pointer to
// the caller's state for the duration of one Begin/End pair, never state of its own).
CanvasState* g_canvas = nullptr;
// Set once at start-up from the loaded fonts.
std::vector<ImFont*> g_font_ladder;

constexpr float kPortRadiusPx = 5.5f;
constexpr float kPortGrabPx = 11.0f;
constexpr float kLinkGrabPx = 6.0f;
constexpr float kGridStep = 40.0f;  // canvas units
constexpr float kMinTextPx = 5.0f;
constexpr float kFitMaxZoom = 1.6f;  // a two-node graph should not fill a projector

CanvasState& current() {
  assert(g_canvas && "call between BeginCanvas and EndCanvas");
  return *g_canvas;
}

// The ladder's font for text of `size_px` (sorted by size; not empty).
ImFont* font_in(const std::vector<ImFont*>& ladder, float size_px) {
  for (ImFont* f : ladder)
    if (f->FontSize >= size_px - 0.5f) return f;
  return ladder.back();
}

ImFont* font_for(float size_px) {
  return g_font_ladder.empty() ? ImGui::GetFont() : font_in(g_font_ladder, size_px);
}

constexpr float kRouteMarginCanvas = 9.0f;  // how far a routed link keeps from other nodes
constexpr float kFarOutsidePx = 64.0f;      // a link piece reaching further out is drawn where it is visible only

// Keys below this are indexed in a plain table (a document's ids: 0, 1, 2, …); a hash map per
// frame for 100,000 nodes cost milliseconds.
constexpr std::int32_t kDenseKeys = 1 << 22;

int index_of(const CanvasState& s, NodeKey k) {
  if (k.value >= 0 && k.value < kDenseKeys)
    return static_cast<std::size_t>(k.value) < s.node_index_dense.size() ? s.node_index_dense[static_cast<std::size_t>(k.value)] : -1;
  const auto it = s.node_index.find(k.value);
  return it == s.node_index.end() ? -1 : it->second;
}

// Selected as the frame began (the selection does not change while nodes are submitted).
bool selected_in_frame(const CanvasState& s, NodeKey k) {
  return std::binary_search(s.selected_sorted.begin(), s.selected_sorted.end(), k);
}

// A node smaller than two pixels each way is a dot (a large graph zoomed far out).
bool is_dot(const CanvasRect& r) { return r.max.x - r.min.x < 2.0f && r.max.y - r.min.y < 2.0f; }

// The cell of a two-pixel grid over the canvas that holds `p` (made on the frame's first dot).
std::size_t dot_cell(CanvasState& s, ImVec2 p, const CanvasRect& clip) {
  if (s.dot_columns == 0) {
    s.dot_columns = std::max(1, static_cast<int>((clip.max.x - clip.min.x) * 0.5f) + 1);
    s.dot_rows = std::max(1, static_cast<int>((clip.max.y - clip.min.y) * 0.5f) + 1);
    s.dot_cells.assign(static_cast<std::size_t>(s.dot_columns) * static_cast<std::size_t>(s.dot_rows), 0);
  }
  const int cx = std::clamp(static_cast<int>((p.x - clip.min.x) * 0.5f), 0, s.dot_columns - 1);
  const int cy = std::clamp(static_cast<int>((p.y - clip.min.y) * 0.5f), 0, s.dot_rows - 1);
  return static_cast<std::size_t>(cy) * static_cast<std::size_t>(s.dot_columns) + static_cast<std::size_t>(cx);
}

// A dot is drawn only where no dot is yet, one per cell: what is drawn is bounded by the canvas's
// area. False: its cell has one (skip drawing it).
bool claim_dot(CanvasState& s, ImVec2 p, const CanvasRect& clip) {
  std::uint8_t& cell = s.dot_cells[dot_cell(s, p, clip)];
  if (cell) {
    ++s.dots_skipped;
    return false;
  }
  cell = 1;
  return true;
}

std::uint64_t hash_mix(std::uint64_t h, std::uint64_t v) {
  // splitmix64's finaliser over the running hash: order-sensitive, cheap.
  h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 29);
}

std::uint64_t bits(float f) {
  std::uint32_t u = 0;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

// The link's route in canvas space around every node but its two ends; kept until the nodes'
// geometry changes. The boxes in its span are found in the boxes sorted by their left edges;
// null when this frame's routing budget is spent (the caller draws the plain curve).
const LinkPath* route(CanvasState& s, PortKey from, PortKey to, ImVec2 a_canvas, ImVec2 b_canvas) {
  // The boxes to go around: the layout's (every node), or this frame's nodes.
  const std::vector<CanvasRect>& boxes = s.layout ? s.layout->rects : s.node_rects_canvas;
  const std::vector<NodeKey>& keys = s.layout ? s.layout->keys : s.node_keys;
  const std::uint64_t version = s.layout ? s.layout->key : s.geometry_hash;
  if (s.routes_hash != version || s.routes_by_layout != (s.layout != nullptr)) {
    s.routes.clear();
    s.routes_hash = version;
    s.routes_by_layout = s.layout != nullptr;
    s.route_order.resize(boxes.size());
    std::iota(s.route_order.begin(), s.route_order.end(), 0);
    std::sort(s.route_order.begin(), s.route_order.end(), [&](int a, int b) { return boxes[a].min.x < boxes[b].min.x; });
    s.route_widest = 0;
    for (const CanvasRect& r : boxes) s.route_widest = std::max(s.route_widest, r.max.x - r.min.x);
  }
  const std::uint64_t key = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(from.node.value)) << 34) ^
                            (static_cast<std::uint64_t>(static_cast<std::uint32_t>(to.node.value)) << 2) ^
                            static_cast<std::uint64_t>(to.slot & 3);
  if (auto it = s.routes.find(key); it != s.routes.end()) return &it->second;
  const float x0 = std::min(a_canvas.x, b_canvas.x) - kRouteMarginCanvas, x1 = std::max(a_canvas.x, b_canvas.x) + kRouteMarginCanvas;
  // Boxes whose left edge lies in [x0 − widest, x1): every box reaching into (x0, x1) is there.
  auto left_below = [&](float x) {
    return std::partition_point(s.route_order.begin(), s.route_order.end(), [&](int i) { return boxes[i].min.x < x; });
  };
  const auto first = left_below(x0 - s.route_widest), last = left_below(x1);
  const std::size_t candidates = static_cast<std::size_t>(last - first);
  if (candidates > kRouteMaxObstacles) return &s.routes.emplace(key, LinkPath{{link_curve(a_canvas, b_canvas)}}).first->second;
  if (s.route_work > 0 && s.route_work + candidates > kRouteWorkPerFrame) {
    ++s.routes_pending;
    return nullptr;
  }
  s.route_work += candidates;
  std::vector<int> in_span;
  for (auto it = first; it != last; ++it)
    if (keys[*it] != from.node && keys[*it] != to.node && boxes[*it].max.x > x0) in_span.push_back(*it);
  std::sort(in_span.begin(), in_span.end());  // in the order the nodes were submitted, as the router always had them
  std::vector<CanvasRect> obstacles;
  obstacles.reserve(in_span.size());
  for (int i : in_span) obstacles.push_back(boxes[i]);
  ++s.routes_computed;
  return &s.routes.emplace(key, route_link(a_canvas, b_canvas, obstacles, kRouteMarginCanvas)).first->second;
}

// A dashed polyline: dashes of `dash` pixels with gaps of `gap`.
void add_dashed(ImDrawList* dl, const std::vector<ImVec2>& pts, ImU32 col, float thickness, float dash, float gap) {
  bool on = true;
  float left = dash;
  for (std::size_t i = 1; i < pts.size(); ++i) {
    ImVec2 a = pts[i - 1];
    const ImVec2 b = pts[i];
    float seg = std::hypot(b.x - a.x, b.y - a.y);
    while (seg > 0.0f) {
      const float step = std::min(seg, left);
      const float t = step / seg;
      const ImVec2 m(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
      if (on) dl->AddLine(a, m, col, thickness);
      a = m;
      seg -= step;
      left -= step;
      if (left <= 0.0f) {
        on = !on;
        left = on ? dash : gap;
      }
    }
  }
}

CanvasRect grow(const CanvasRect& r, float m) { return CanvasRect{ImVec2(r.min.x - m, r.min.y - m), ImVec2(r.max.x + m, r.max.y + m)}; }

bool within(const Bezier& p, const CanvasRect& r) {
  for (const ImVec2& q : {p.p0, p.p1, p.p2, p.p3})
    if (q.x < r.min.x || q.x > r.max.x || q.y < r.min.y || q.y > r.max.y) return false;
  return true;
}

// The part of segment a–b inside `r` (Liang–Barsky); false when none is.
bool clip_segment(ImVec2* a, ImVec2* b, const CanvasRect& r) {
  float t0 = 0.0f, t1 = 1.0f;
  const float dx = b->x - a->x, dy = b->y - a->y;
  const float p[4] = {-dx, dx, -dy, dy};
  const float q[4] = {a->x - r.min.x, r.max.x - a->x, a->y - r.min.y, r.max.y - a->y};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0.0f) {
      if (q[i] < 0.0f) return false;
      continue;
    }
    const float t = q[i] / p[i];
    if (p[i] < 0) t0 = std::max(t0, t);
    else t1 = std::min(t1, t);
    if (t0 > t1) return false;
  }
  const ImVec2 from = *a;
  *a = ImVec2(from.x + dx * t0, from.y + dy * t0);
  *b = ImVec2(from.x + dx * t1, from.y + dy * t1);
  return true;
}

// A link piece reaching far beyond the canvas (a large graph zoomed in): of its `segments`
// straight pieces (ImGui's own sampling of the curve), only the runs that cross the canvas are
// stroked, and a single segment the same to the pixel as one stroked already this frame (a
// fan-out's thousands of links leaving one node) is stroked once.
void draw_visible_runs(CanvasState& s, const Bezier& p, int segments, ImU32 col, float thickness, const CanvasRect& clip) {
  const CanvasRect view = grow(clip, thickness + 2.0f);
  ImVector<ImVec2> run;
  auto flush = [&] {
    if (run.Size == 2) {
      ImVec2 a = run[0], b = run[1];
      if (clip_segment(&a, &b, view)) {
        std::uint64_t key = col;
        for (float v : {a.x, a.y, b.x, b.y}) key = key * 0x100000001B3ull ^ static_cast<std::uint64_t>(static_cast<std::int64_t>(std::lround(v)) & 0xFFFF);
        if (!s.drawn_lines.insert(key).second) {
          ++s.lines_skipped;
          run.resize(0);
          return;
        }
      }
    }
    if (run.Size >= 2) s.draw_list->AddPolyline(run.Data, run.Size, col, 0, thickness);
    run.resize(0);
  };
  ImVec2 prev = p.p0;
  for (int i = 1; i <= segments; ++i) {
    const ImVec2 q = ImBezierCubicCalc(p.p0, p.p1, p.p2, p.p3, static_cast<float>(i) / static_cast<float>(segments));
    ImVec2 a = prev, b = q;
    if (clip_segment(&a, &b, view)) {
      if (run.Size == 0) run.push_back(prev);
      run.push_back(q);
    } else {
      flush();
    }
    prev = q;
  }
  flush();
}

ImVec2 port_in(const CanvasState& s, const std::vector<CanvasRect>& rects, PortKey p) {
  const int i = index_of(s, p.node);
  if (i < 0) return ImVec2(0, 0);
  const CanvasRect& r = rects[i];
  return p.output() ? output_port_pos(r) : input_port_pos(r, p.slot, s.node_slots[i]);
}
ImVec2 port_screen(const CanvasState& s, PortKey p) { return port_in(s, s.node_rects_screen, p); }
ImVec2 port_canvas(const CanvasState& s, PortKey p) { return port_in(s, s.node_rects_canvas, p); }
}  // namespace

std::uint64_t HashNodeGeometry(std::uint64_t h, NodeKey key, ImVec2 pos_canvas, ImVec2 size_canvas, int input_slots) {
  for (std::uint64_t v : {static_cast<std::uint64_t>(static_cast<std::uint32_t>(key.value)), bits(pos_canvas.x), bits(pos_canvas.y),
                          bits(size_canvas.x), bits(size_canvas.y), static_cast<std::uint64_t>(input_slots)})
    h = hash_mix(h, v);
  return h;
}

bool CanvasState::is_selected(NodeKey k) const {
  return std::find(selection.begin(), selection.end(), k) != selection.end();
}

void SetCanvasFontLadder(const std::vector<ImFont*>& fonts) {
  g_font_ladder = fonts;
  std::sort(g_font_ladder.begin(), g_font_ladder.end(), [](ImFont* a, ImFont* b) { return a->FontSize < b->FontSize; });
}

bool HasCanvasFonts() { return !g_font_ladder.empty(); }

// [SECTION] begin: region, pan/zoom input, grid

bool BeginCanvas(const char* str_id, CanvasState* state, const ImVec2& size, const CanvasLayout* layout) {
  assert(!g_canvas && "BeginCanvas without EndCanvas");
  g_canvas = state;
  CanvasState& s = *state;
  s.in_frame = true;
  s.layout = layout;
  s.links_started = false;
  // Per frame, work that follows the nodes submitted, not the largest key or the whole selection:
  // only the last frame's entries of the dense table are cleared, and the sorted selection is
  // made again only when the selection changed.
  for (const NodeKey k : s.node_keys)
    if (k.value >= 0 && static_cast<std::size_t>(k.value) < s.node_index_dense.size()) s.node_index_dense[static_cast<std::size_t>(k.value)] = -1;
  s.node_keys.clear();
  s.node_rects_screen.clear();
  s.node_rects_canvas.clear();
  s.node_slots.clear();
  s.node_index.clear();
  if (s.selection != s.selected_sorted_from) {
    s.selected_sorted_from = s.selection;
    s.selected_sorted = s.selection;
    std::sort(s.selected_sorted.begin(), s.selected_sorted.end());
  }
  s.dot_columns = s.dot_rows = 0;  // the grid is made again when a dot is first drawn
  s.dot_links.clear();
  s.drawn_lines.clear();
  s.lines_skipped = 0;
  s.dots_skipped = 0;
  s.route_work = 0;
  s.routes_pending = 0;
  s.min_text_px = 0;
  s.geometry_hash = kGeometryHashSeed;
  s.link_from.clear();
  s.link_to.clear();
  s.hovered_link_next = PortKey{};
  s.hovered_link_distance = kLinkGrabPx;
  s.event_link_created = s.event_link_detached = s.event_nodes_moved = false;
  s.event_context_menu = s.event_selection_changed = false;
  s.event_clicked_node = NodeKey{};
  s.event_double_clicked_node = NodeKey{};

  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 region(std::max(size.x, 50.0f), std::max(size.y, 50.0f));
  s.transform.origin_screen = origin;
  ImGui::InvisibleButton(str_id, region,
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight | ImGuiButtonFlags_MouseButtonMiddle);
  s.canvas_hovered = ImGui::IsItemHovered();
  const ImGuiIO& io = ImGui::GetIO();

  // Zoom about the mouse; pan with the middle or right button, or the wheel's horizontal axis.
  if (s.canvas_hovered && io.MouseWheel != 0.0f) {
    if (io.KeyCtrl || !io.KeyShift)
      s.transform.zoom_about(io.MousePos, s.transform.zoom * std::pow(1.15f, io.MouseWheel));
  }
  if (s.canvas_hovered && io.MouseWheelH != 0.0f) s.transform.pan_screen.x += io.MouseWheelH * 30.0f;
  if (ImGui::IsItemActive() && (ImGui::IsMouseDragging(ImGuiMouseButton_Middle, 0.0f) ||
                                ImGui::IsMouseDragging(ImGuiMouseButton_Right))) {
    s.drag = CanvasDrag::Pan;
    s.transform.pan_screen.x += io.MouseDelta.x;
    s.transform.pan_screen.y += io.MouseDelta.y;
  }

  ImDrawList* dl = ImGui::GetWindowDrawList();
  s.draw_list = dl;
  const ImVec2 end(origin.x + region.x, origin.y + region.y);
  dl->PushClipRect(origin, end, true);
  s.splitter.Split(dl, static_cast<int>(CanvasLayer::kCount));
  s.splitter.SetCurrentChannel(dl, static_cast<int>(CanvasLayer::Grid));
  dl->AddRectFilled(origin, end, IM_COL32(246, 247, 250, 255));
  const float step = kGridStep * s.transform.zoom;
  if (step >= 8.0f) {
    const ImU32 grid = IM_COL32(226, 229, 236, 255);
    const ImVec2 o = s.transform.screen_from_canvas(ImVec2(0, 0));
    for (float x = std::fmod(o.x - origin.x, step); x < region.x; x += step)
      dl->AddLine(ImVec2(origin.x + x, origin.y), ImVec2(origin.x + x, end.y), grid);
    for (float y = std::fmod(o.y - origin.y, step); y < region.y; y += step)
      dl->AddLine(ImVec2(origin.x, origin.y + y), ImVec2(end.x, origin.y + y), grid);
  }
  s.splitter.SetCurrentChannel(dl, static_cast<int>(CanvasLayer::Content));
  return true;
}

// [SECTION] nodes and links

CanvasRect CanvasNode(NodeKey key, ImVec2 pos_canvas, ImVec2 size_canvas, int input_slots, const NodeStyle& style) {
  CanvasState& s = current();
  assert(!s.links_started && "submit every node before the first link");
  if (s.drag == CanvasDrag::MoveNodes && selected_in_frame(s, key)) {
    pos_canvas.x += s.move_delta_canvas.x;
    pos_canvas.y += s.move_delta_canvas.y;
  }
  const float z = s.transform.zoom;
  const ImVec2 a = s.transform.screen_from_canvas(pos_canvas);
  const ImVec2 b(a.x + size_canvas.x * z, a.y + size_canvas.y * z);
  const CanvasRect r{a, b};
  if (key.value >= 0 && key.value < kDenseKeys) {
    if (static_cast<std::size_t>(key.value) >= s.node_index_dense.size())
      s.node_index_dense.resize(std::max(static_cast<std::size_t>(key.value) + 1, s.node_index_dense.size() * 2), -1);
    s.node_index_dense[static_cast<std::size_t>(key.value)] = static_cast<int>(s.node_keys.size());
  } else {
    s.node_index[key.value] = static_cast<int>(s.node_keys.size());
  }
  s.node_keys.push_back(key);
  s.node_rects_screen.push_back(r);
  s.node_rects_canvas.push_back(CanvasRect{pos_canvas, ImVec2(pos_canvas.x + size_canvas.x, pos_canvas.y + size_canvas.y)});
  s.node_slots.push_back(input_slots);
  s.geometry_hash = HashNodeGeometry(s.geometry_hash, key, pos_canvas, size_canvas, input_slots);

  ImDrawList* dl = s.draw_list;
  const CanvasRect clip{dl->GetClipRectMin(), dl->GetClipRectMax()};
  const CanvasRect grown{ImVec2(a.x - 30, a.y - 30), ImVec2(b.x + 30, b.y + 30)};
  if (!grown.overlaps(clip)) return r;  // off-screen: registered for hit tests, not drawn

  const bool selected = selected_in_frame(s, key);
  if (is_dot(r)) {
    // A dot (a large graph zoomed far out): one per two-pixel cell.
    if (claim_dot(s, a, clip)) {
      s.splitter.SetCurrentChannel(dl, static_cast<int>(CanvasLayer::Nodes));
      const ImVec2 cell(std::floor(a.x * 0.5f) * 2.0f, std::floor(a.y * 0.5f) * 2.0f);
      dl->AddRectFilled(cell, ImVec2(cell.x + 2.0f, cell.y + 2.0f), selected ? IM_COL32(40, 110, 230, 255) : style.glow ? style.glow : style.border);
      s.splitter.SetCurrentChannel(dl, static_cast<int>(CanvasLayer::Content));
    }
    return r;
  }
  s.splitter.SetCurrentChannel(dl, static_cast<int>(CanvasLayer::Nodes));
  if (b.y - a.y < 14.0f) {
    // Zoomed far out: a plain box says as much as rounded corners and ports, at a tenth of the
    // vertices (a 500-node graph fitted to the window).
    dl->AddRectFilled(a, b, style.glow ? style.glow : style.fill);
    dl->AddRect(a, b, selected ? IM_COL32(40, 110, 230, 255) : style.border);
    s.splitter.SetCurrentChannel(dl, static_cast<int>(CanvasLayer::Content));
    return r;
  }
  const float rounding = style.round_shape ? (b.y - a.y) * 0.5f : style.rounding * z;
  if (style.glow) {
    for (int i = 3; i >= 1; --i) {
      const float g = static_cast<float>(i) * 3.0f;
      const ImU32 c = (style.glow & 0x00FFFFFFu) | (static_cast<ImU32>(40 + 40 * (3 - i)) << IM_COL32_A_SHIFT);
      dl->AddRectFilled(ImVec2(a.x - g, a.y - g), ImVec2(b.x + g, b.y + g), c, rounding + g);
    }
  }
  dl->AddRectFilled(a, b, style.fill, rounding);
  const bool hovered = s.hovered_node_prev == key;
  dl->AddRect(a, b, style.border, rounding, 0, style.border_px);
  if (selected)
    dl->AddRect(ImVec2(a.x - 3, a.y - 3), ImVec2(b.x + 3, b.y + 3), IM_COL32(40, 110, 230, 255), rounding + 3, 0, 2.5f);
  else if (hovered)
    dl->AddRect(ImVec2(a.x - 2, a.y - 2), ImVec2(b.x + 2, b.y + 2), IM_COL32(40, 110, 230, 110), rounding + 2, 0, 2.0f);

  const float pr = std::max(kPortRadiusPx * std::min(z, 1.4f), 2.5f);
  for (int i = 0; i < input_slots; ++i) {
    const ImVec2 p = input_port_pos(r, i, input_slots);
    dl->AddCircleFilled(p, pr, IM_COL32(255, 255, 255, 255));
    dl->AddCircle(p, pr, style.border, 0, 1.5f);
  }
  const ImVec2 o = output_port_pos(r);
  dl->AddCircleFilled(o, pr, style.border);
  s.splitter.SetCurrentChannel(dl, static_cast<int>(CanvasLayer::Content));
  return r;
}

LinkPath CanvasLink(PortKey from, PortKey to, const LinkStyle& style, bool* hovered) {
  CanvasState& s = current();
  s.links_started = true;
  if (hovered) *hovered = false;
  s.link_from.push_back(from);
  s.link_to.push_back(to);
  const float z = s.transform.zoom;
  const ImVec2 a_canvas = port_canvas(s, from), b_canvas = port_canvas(s, to);
  ImDrawList* dl = s.draw_list;
  const CanvasRect clip{dl->GetClipRectMin(), dl->GetClipRectMax()};
  const int ia = index_of(s, from.node), ib = index_of(s, to.node);
  if (ia >= 0 && ib >= 0 && is_dot(s.node_rects_screen[ia]) && is_dot(s.node_rects_screen[ib])) {
    // Between two dots: not routed; a line from cell to cell, once per pair of cells (a fan-out
    // of 50,000 links from one dot is as many lines as it has cells to reach).
    const ImVec2 a = port_screen(s, from), b = port_screen(s, to);
    if (CanvasRect{ImVec2(std::min(a.x, b.x), std::min(a.y, b.y)), ImVec2(std::max(a.x, b.x) + 1, std::max(a.y, b.y) + 1)}.overlaps(clip)) {
      const std::uint64_t pair = (static_cast<std::uint64_t>(dot_cell(s, a, clip)) << 32) | dot_cell(s, b, clip);
      if (s.dot_links.insert(pair).second) {
        s.splitter.SetCurrentChannel(dl, static_cast<int>(CanvasLayer::Links));
        dl->AddLine(a, b, style.color, 1.0f);
        s.splitter.SetCurrentChannel(dl, static_cast<int>(CanvasLayer::Content));
      } else {
        ++s.dots_skipped;
      }
    }
    return s.route_offscreen ? LinkPath{{link_curve(a, b)}} : LinkPath{};
  }
  if (!s.route_offscreen) {
    // Wholly beside the canvas (its curve reaches at most dx beyond its ends): nothing to do.
    const float dx = std::max(std::fabs(b_canvas.x - a_canvas.x) * 0.5f, 40.0f) + kRouteMarginCanvas;
    const float left = s.transform.screen_from_canvas(ImVec2(std::min(a_canvas.x, b_canvas.x) - dx, 0)).x;
    const float right = s.transform.screen_from_canvas(ImVec2(std::max(a_canvas.x, b_canvas.x) + dx, 0)).x;
    if (right < clip.min.x - 10 || left > clip.max.x + 10) return LinkPath{};
  }
  const ImVec2 offset = s.transform.screen_from_canvas(ImVec2(0, 0));
  const LinkPath* routed = route(s, from, to, a_canvas, b_canvas);
  const LinkPath c = routed ? routed->transformed(z, offset) : LinkPath{{link_curve(a_canvas, b_canvas)}}.transformed(z, offset);
  const bool picked_up = s.drag == CanvasDrag::Link && s.detached_input == to;
  if (picked_up) return c;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const bool is_hovered = s.hovered_link_prev == to && s.canvas_hovered;
  if (s.canvas_hovered && s.drag == CanvasDrag::None && !s.hovered_node_prev.valid()) {
    // Candidate for next frame's hover, nearest wins.
    const float d = distance_to_path(c, mouse);
    if (d < s.hovered_link_distance) {
      s.hovered_link_distance = d;
      s.hovered_link_next = to;
    }
  }
  float minx = INFINITY, maxx = -INFINITY, miny = INFINITY, maxy = -INFINITY;
  for (const Bezier& p : c.pieces)
    for (const ImVec2& q : {p.p0, p.p1, p.p2, p.p3}) {
      minx = std::min(minx, q.x), maxx = std::max(maxx, q.x);
      miny = std::min(miny, q.y), maxy = std::max(maxy, q.y);
    }
  if (CanvasRect{ImVec2(minx - 10, miny - 10), ImVec2(maxx + 10, maxy + 10)}.overlaps(clip)) {
    s.splitter.SetCurrentChannel(dl, static_cast<int>(CanvasLayer::Links));
    const float t = style.thickness_px * (is_hovered ? 1.8f : 1.0f);
    if (style.dashed) {
      add_dashed(dl, c.polyline(16), style.color, t, 9.0f, 6.0f);
    } else {
      for (const Bezier& p : c.pieces) {
        // Short curves need few segments; ImGui's automatic count is tuned for large ones.
        const float span = std::fabs(p.p3.x - p.p0.x) + std::fabs(p.p3.y - p.p0.y);
        const int segments = std::clamp(static_cast<int>(span / 12.0f), 2, 32);
        if (within(p, grow(clip, kFarOutsidePx))) dl->AddBezierCubic(p.p0, p.p1, p.p2, p.p3, style.color, t, segments);
        else draw_visible_runs(s, p, segments, style.color, t, clip);
      }
    }
    s.splitter.SetCurrentChannel(dl, static_cast<int>(CanvasLayer::Content));
  }
  if (hovered) *hovered = is_hovered;
  return c;
}

// [SECTION] end: hit testing, drags, events

namespace {
NodeKey node_at(const CanvasState& s, ImVec2 p) {
  const int i = hit_node(s.node_rects_screen, p);
  return i < 0 ? NodeKey{} : s.node_keys[i];
}

PortKey port_at(const CanvasState& s, ImVec2 p) {
  const PortHit h = hit_port(s.node_rects_screen, s.node_slots, p, kPortGrabPx);
  if (h.node < 0) return PortKey{NodeKey{}, -1};
  return PortKey{s.node_keys[h.node], h.output ? -1 : h.slot};
}
}  // namespace

void EndCanvas() {
  CanvasState& s = current();
  ImDrawList* dl = s.draw_list;
  const ImGuiIO& io = ImGui::GetIO();
  const ImVec2 mouse = io.MousePos;
  const NodeKey hovered_node = s.canvas_hovered ? node_at(s, mouse) : NodeKey{};
  const PortKey hovered_port = s.canvas_hovered ? port_at(s, mouse) : PortKey{};

  // Press: decide what the drag will be.
  if (s.canvas_hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
    s.drag_start_screen = mouse;
    s.move_delta_canvas = ImVec2(0, 0);
    if (hovered_port.node.valid()) {
      s.drag = CanvasDrag::Link;
      s.link_anchor = hovered_port;
      s.detached_input = PortKey{};
      // Grabbing a connected input picks its link up: the link now hangs from its source.
      if (!hovered_port.output())
        for (std::size_t i = 0; i < s.link_to.size(); ++i)
          if (s.link_to[i] == hovered_port) {
            s.detached_input = hovered_port;
            s.link_anchor = s.link_from[i];
          }
    } else if (hovered_node.valid()) {
      s.event_clicked_node = hovered_node;
      if (io.KeyCtrl) {
        if (s.is_selected(hovered_node))
          std::erase(s.selection, hovered_node);
        else
          s.selection.push_back(hovered_node);
      } else if (!s.is_selected(hovered_node)) {
        s.selection.assign(1, hovered_node);
      }
      s.event_selection_changed = true;
      s.drag = CanvasDrag::MoveNodes;
    } else {
      if (!io.KeyCtrl && !s.selection.empty()) {
        s.selection.clear();
        s.event_selection_changed = true;
      }
      s.drag = CanvasDrag::BoxSelect;
    }
  }

  if (s.canvas_hovered && hovered_node.valid() && !hovered_port.node.valid() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left))
    s.event_double_clicked_node = hovered_node;

  if (s.drag == CanvasDrag::MoveNodes && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
    s.move_delta_canvas = ImVec2((mouse.x - s.drag_start_screen.x) / s.transform.zoom,
                                 (mouse.y - s.drag_start_screen.y) / s.transform.zoom);
  }

  s.splitter.SetCurrentChannel(dl, static_cast<int>(CanvasLayer::Overlay));
  if (s.drag == CanvasDrag::BoxSelect && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
    dl->AddRectFilled(s.drag_start_screen, mouse, IM_COL32(40, 110, 230, 40));
    dl->AddRect(s.drag_start_screen, mouse, IM_COL32(40, 110, 230, 200), 0, 0, 1.5f);
  }
  if (s.drag == CanvasDrag::Link && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
    const ImVec2 anchor = port_screen(s, s.link_anchor);
    const bool from_output = s.link_anchor.output();
    const Bezier c = from_output ? link_curve(anchor, mouse) : link_curve(mouse, anchor);
    dl->AddBezierCubic(c.p0, c.p1, c.p2, c.p3, IM_COL32(40, 110, 230, 255), 2.5f);
  }

  // Release: turn the drag into an event.
  if (ImGui::IsMouseReleased(ImGuiMouseButton_Left) && s.drag != CanvasDrag::None && s.drag != CanvasDrag::Pan) {
    if (s.drag == CanvasDrag::MoveNodes) {
      if (s.move_delta_canvas.x != 0.0f || s.move_delta_canvas.y != 0.0f) {
        s.event_nodes_moved = true;
        s.event_move_delta = s.move_delta_canvas;
      }
    } else if (s.drag == CanvasDrag::BoxSelect) {
      if (std::fabs(mouse.x - s.drag_start_screen.x) + std::fabs(mouse.y - s.drag_start_screen.y) > 4.0f) {
        if (!io.KeyCtrl) s.selection.clear();
        std::vector<NodeKey> had = s.selection;  // sorted once: a box around 100,000 nodes
        std::sort(had.begin(), had.end());
        for (int i : nodes_in_box(s.node_rects_screen, s.drag_start_screen, mouse))
          if (!std::binary_search(had.begin(), had.end(), s.node_keys[i])) s.selection.push_back(s.node_keys[i]);
        s.event_selection_changed = true;
      }
    } else if (s.drag == CanvasDrag::Link) {
      PortKey target = hovered_port;
      // Dropped on a node's body: its first input slot (or its output, when dragging from an input).
      if (!target.node.valid() && hovered_node.valid()) {
        const int i = index_of(s, hovered_node);
        target = s.link_anchor.output() ? PortKey{hovered_node, s.node_slots[i] > 0 ? 0 : -1} : PortKey{hovered_node, -1};
      }
      PortKey from = s.link_anchor, to = target;
      if (!from.output()) std::swap(from, to);
      if (s.detached_input.node.valid() && !(to == s.detached_input)) {
        s.event_link_detached = true;
        s.event_detached_to = s.detached_input;
      }
      if (from.node.valid() && to.node.valid() && from.output() && !to.output() && !(from.node == to.node) &&
          !(to == s.detached_input)) {
        s.event_link_created = true;
        s.event_link_from = from;
        s.event_link_to = to;
      }
    }
    s.drag = CanvasDrag::None;
    s.detached_input = PortKey{};
    s.move_delta_canvas = ImVec2(0, 0);
  }
  if (s.drag == CanvasDrag::Pan && !ImGui::IsMouseDown(ImGuiMouseButton_Middle) && !ImGui::IsMouseDown(ImGuiMouseButton_Right))
    s.drag = CanvasDrag::None;

  // A right click that did not pan opens the context menu.
  if (s.canvas_hovered && ImGui::IsMouseReleased(ImGuiMouseButton_Right) &&
      ImGui::GetMouseDragDelta(ImGuiMouseButton_Right).x == 0.0f && ImGui::GetMouseDragDelta(ImGuiMouseButton_Right).y == 0.0f) {
    s.event_context_menu = true;
    s.event_context_node = hovered_node;
    s.event_context_pos_canvas = s.transform.canvas_from_screen(mouse);
    if (hovered_node.valid() && !s.is_selected(hovered_node)) s.selection.assign(1, hovered_node);
  }

  if (s.fit_requested && (s.layout ? !s.layout->rects.empty() : !s.node_rects_screen.empty())) {
    ImVec2 lo(INFINITY, INFINITY), hi(-INFINITY, -INFINITY);
    if (s.layout) {
      lo = s.layout->min, hi = s.layout->max;
    } else {
      for (const CanvasRect& r : s.node_rects_screen) {
        const ImVec2 a = s.transform.canvas_from_screen(r.min), b = s.transform.canvas_from_screen(r.max);
        lo = ImVec2(std::min(lo.x, a.x), std::min(lo.y, a.y));
        hi = ImVec2(std::max(hi.x, b.x), std::max(hi.y, b.y));
      }
    }
    const ImVec2 view(dl->GetClipRectMax().x - dl->GetClipRectMin().x, dl->GetClipRectMax().y - dl->GetClipRectMin().y);
    s.transform.fit(lo, hi, view, 24.0f, kFitMaxZoom);
    s.fit_requested = false;
  }

  s.hovered_node_prev = hovered_node;
  s.hovered_link_prev = hovered_node.valid() ? PortKey{} : s.hovered_link_next;
  s.splitter.Merge(dl);
  dl->PopClipRect();
  s.in_frame = false;
  s.layout = nullptr;
  g_canvas = nullptr;
}

// [SECTION] text

ImDrawList* GetCanvasDrawList() { return current().draw_list; }
void SetCanvasLayer(CanvasLayer layer) {
  CanvasState& s = current();
  s.splitter.SetCurrentChannel(s.draw_list, static_cast<int>(layer));
}
float GetCanvasZoom() { return current().transform.zoom; }
ImVec2 ScreenFromCanvas(ImVec2 pos_canvas) { return current().transform.screen_from_canvas(pos_canvas); }
ImVec2 CanvasFromScreen(ImVec2 pos_screen) { return current().transform.canvas_from_screen(pos_screen); }

ImVec2 CalcCanvasTextSize(float size_px, const char* text) {
  return font_for(size_px)->CalcTextSizeA(size_px, FLT_MAX, 0.0f, text);
}

std::function<float(std::string_view, float)> CanvasTextWidthCopy() {
  // Only what ImFont::CalcTextSizeA reads (the size, the advances) is copied, into fonts of our own.
  struct Copies {
    std::vector<std::unique_ptr<ImFont>> owned;
    std::vector<ImFont*> ladder;
  };
  auto copies = std::make_shared<Copies>();
  const std::vector<ImFont*> from = g_font_ladder.empty() ? std::vector<ImFont*>{ImGui::GetFont()} : g_font_ladder;
  for (const ImFont* f : from) {
    auto c = std::make_unique<ImFont>();
    c->FontSize = f->FontSize;
    c->FallbackAdvanceX = f->FallbackAdvanceX;
    c->IndexAdvanceX = f->IndexAdvanceX;
    copies->ladder.push_back(c.get());
    copies->owned.push_back(std::move(c));
  }
  return [copies = std::shared_ptr<const Copies>(std::move(copies))](std::string_view text, float size_px) {
    return font_in(copies->ladder, size_px)->CalcTextSizeA(size_px, FLT_MAX, 0.0f, text.data(), text.data() + text.size()).x;
  };
}

ImVec2 CanvasTextScreen(ImVec2 pos_screen, float size_px, ImU32 color, const char* text, ImVec2 align) {
  if (size_px < kMinTextPx || !text || !*text) return ImVec2(0, 0);
  ImFont* font = font_for(size_px);
  const ImVec2 sz = font->CalcTextSizeA(size_px, FLT_MAX, 0.0f, text);
  // Whole pixels keep glyph edges sharp.
  const ImVec2 p(std::floor(pos_screen.x - sz.x * align.x + 0.5f), std::floor(pos_screen.y - sz.y * align.y + 0.5f));
  CanvasState& s = current();
  s.draw_list->AddText(font, size_px, p, color, text);
  const CanvasRect clip{s.draw_list->GetClipRectMin(), s.draw_list->GetClipRectMax()};
  if (CanvasRect{p, ImVec2(p.x + sz.x, p.y + sz.y)}.overlaps(clip))
    s.min_text_px = s.min_text_px == 0 ? size_px : std::min(s.min_text_px, size_px);
  return sz;
}

ImVec2 CanvasText(ImVec2 pos_canvas, float size_canvas, ImU32 color, const char* text, ImVec2 align) {
  CanvasState& s = current();
  return CanvasTextScreen(s.transform.screen_from_canvas(pos_canvas), size_canvas * s.transform.zoom, color, text, align);
}

// [SECTION] event queries

bool IsLinkCreated(const CanvasState& s, PortKey* from_output, PortKey* to_input) {
  if (!s.event_link_created) return false;
  *from_output = s.event_link_from;
  *to_input = s.event_link_to;
  return true;
}

bool IsLinkDetached(const CanvasState& s, PortKey* input) {
  if (!s.event_link_detached) return false;
  *input = s.event_detached_to;
  return true;
}

bool IsNodesMoved(const CanvasState& s, ImVec2* delta_canvas) {
  if (!s.event_nodes_moved) return false;
  *delta_canvas = s.event_move_delta;
  return true;
}

bool IsContextMenuRequested(const CanvasState& s, NodeKey* node, ImVec2* pos_canvas) {
  if (!s.event_context_menu) return false;
  *node = s.event_context_node;
  *pos_canvas = s.event_context_pos_canvas;
  return true;
}

bool IsNodeDoubleClicked(const CanvasState& s, NodeKey* node) {
  if (!s.event_double_clicked_node.valid()) return false;
  *node = s.event_double_clicked_node;
  return true;
}

void RequestCanvasFit(CanvasState* s) { s->fit_requested = true; }

}  // namespace gs::app::widgets
