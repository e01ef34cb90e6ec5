// The graph canvas widget, on ImGui draw lists (the demo's Canvas recipe): pan, zoom, grid,
// nodes with ports, links as curves, selection, box selection, moving, connecting port to port.
// It keeps only UI state (CanvasState) and reports events that the application applies to its own
// model, like imnodes. It knows nothing of gradscope's graphs or of GL.
//
// Usage, once per frame:
//   widgets::BeginCanvas("graph", &state, size);
//   for each node:  CanvasRect r = widgets::CanvasNode(key, pos_canvas, size_canvas, slots, style);
//                   ... draw the node's content inside r with widgets::CanvasText() ...
//   for each link:  widgets::CanvasLink(from_output_port, to_input_port, link_style);
//   widgets::EndCanvas();
//   PortKey a, b;  if (widgets::IsLinkCreated(&a, &b)) model.connect(...);
// Nodes must all be submitted before the first link: links are routed around this frame's nodes
// (canvas_route.h), and the routes are kept until a node moves or changes size.
// A large graph: submit only the nodes in view (and the two ends of each link drawn) and hand
// BeginCanvas the whole graph's CanvasLayout: links are then routed around every node of it, a
// fit shows all of it, and the routes are kept while its key stays.
#pragma once

#include "app/widgets/canvas_geometry.h"
#include "app/widgets/canvas_route.h"

#include <imgui.h>

#include <compare>
#include <cstdint>
#include <functional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace gs::app::widgets {

// The application's node id, as the canvas sees it. Typed: not a slot, not an index.
struct NodeKey {
  std::int32_t value = -1;
  bool valid() const { return value >= 0; }
  friend bool operator==(NodeKey, NodeKey) = default;
  friend auto operator<=>(NodeKey, NodeKey) = default;
};

// A port: input `slot` of a node, or its output (slot -1).
struct PortKey {
  NodeKey node;
  int slot = -1;
  bool output() const { return slot < 0; }
  friend bool operator==(PortKey, PortKey) = default;
};

struct NodeStyle {
  ImU32 fill = IM_COL32(250, 250, 252, 255);
  ImU32 border = IM_COL32(120, 124, 140, 255);
  float border_px = 1.5f;
  ImU32 glow = 0;           // non-zero: a halo around the node (the current step)
  float rounding = 10.0f;   // canvas units
  bool round_shape = false; // inputs and constants are drawn as pills
};

struct LinkStyle {
  ImU32 color = IM_COL32(130, 134, 150, 255);
  float thickness_px = 2.0f;
  bool dashed = false;  // the extended graph's adjoint links, as seed 004 draws them
};

// Every node's box in canvas space, made by the application when its layout changes; `key` names
// that version (a new key: the routes are made again). Boxes in submission order.
struct CanvasLayout {
  std::uint64_t key = 0;
  std::vector<NodeKey> keys;
  std::vector<CanvasRect> rects;
  ImVec2 min{0, 0}, max{0, 0};  // around every box (a fit shows this)
};

// A node's key, box and input count folded into a running hash (CanvasState::geometry_hash, a
// CanvasLayout's key): equal for equal geometry, whatever else changed.
std::uint64_t HashNodeGeometry(std::uint64_t h, NodeKey key, ImVec2 pos_canvas, ImVec2 size_canvas, int input_slots);
inline constexpr std::uint64_t kGeometryHashSeed = 0x51ED270B27A4C4E9ull;

// Layers of the canvas draw list, bottom to top.
enum class CanvasLayer : int { Grid, Links, Nodes, Content, Overlay, kCount };

enum class CanvasDrag : std::uint8_t { None, Pan, MoveNodes, BoxSelect, Link };

// Everything the widget remembers between frames, plus this frame's geometry and events.
struct CanvasState {
  CanvasTransform transform;
  bool fit_requested = true;
  std::vector<NodeKey> selection;

  // [SECTION] interaction in progress
  CanvasDrag drag = CanvasDrag::None;
  ImVec2 drag_start_screen{0, 0};
  ImVec2 move_delta_canvas{0, 0};
  PortKey link_anchor;      // the port the new link is dragged from
  PortKey detached_input;   // input port whose link was picked up (its old link is hidden)
  NodeKey hovered_node_prev;
  PortKey hovered_link_prev;  // links are named by their input port

  // [SECTION] this frame (filled between BeginCanvas and EndCanvas)
  std::vector<NodeKey> node_keys;
  std::vector<CanvasRect> node_rects_screen;
  std::vector<CanvasRect> node_rects_canvas;
  std::vector<int> node_slots;
  std::vector<int> node_index_dense;                 // NodeKey value -> index in the lists above, −1 (small keys)
  std::unordered_map<std::int32_t, int> node_index;  // the same for keys too large for the dense table
  std::vector<NodeKey> selected_sorted;              // the selection as the frame began, sorted
  std::vector<NodeKey> selected_sorted_from;         // the selection selected_sorted was made from
  std::uint64_t geometry_hash = 0;                   // of every node's canvas box and slots
  const CanvasLayout* layout = nullptr;              // BeginCanvas's, or none: this frame's nodes are all
  std::vector<PortKey> link_from, link_to;  // links drawn this frame
  float hovered_link_distance = 0;
  PortKey hovered_link_next;
  float min_text_px = 0;  // the smallest text drawn this frame (0: none)
  bool in_frame = false;
  bool links_started = false;
  bool canvas_hovered = false;
  ImDrawListSplitter splitter;
  ImDrawList* draw_list = nullptr;

  // [SECTION] dots: nodes and links under two pixels (a large graph zoomed far out) are drawn
  // once per cell of a two-pixel grid over the canvas, so that what is drawn is bounded by the
  // canvas's area, not by the graph's size
  std::vector<std::uint8_t> dot_cells;
  std::unordered_set<std::uint64_t> dot_links;  // pairs of cells a link between two dots joins
  int dot_columns = 0, dot_rows = 0;
  std::size_t dots_skipped = 0;  // this frame: nodes and links not drawn, their cells drawn already
  // Links reaching far beyond the canvas are stroked where they cross it; a single segment the
  // same to the pixel as one drawn already this frame is not drawn again.
  std::unordered_set<std::uint64_t> drawn_lines;
  std::size_t lines_skipped = 0;

  // [SECTION] link routes in canvas space, kept while the nodes' geometry stays the same. Each
  // frame routes links until kRouteWorkPerFrame obstacle boxes have been handed to the router;
  // the rest are drawn on their plain curve and routed in the next frames (routes_pending: ask
  // for them). A link whose span holds more than kRouteMaxObstacles boxes (across a large part of
  // a large graph) keeps its plain curve.
  std::uint64_t routes_hash = 0;  // the geometry_hash, or the layout's key, they were made for
  bool routes_by_layout = false;
  std::unordered_map<std::uint64_t, LinkPath> routes;  // by (from node, to node, slot)
  std::vector<int> route_order;  // node indices (of the layout, or this frame's) by their boxes' left edges (canvas), made with the routes
  float route_widest = 0;        // the widest box (canvas units)
  int routes_computed = 0;       // routes computed since the state was made (tests, benchmarks)
  std::size_t route_work = 0;    // obstacle boxes handed to the router this frame
  int routes_pending = 0;        // links drawn unrouted this frame for want of budget: draw again
  // False: a link whose span lies wholly beside the canvas is neither routed nor drawn, and
  // CanvasLink returns an empty path for it (the graph view, unless it writes a frame record).
  bool route_offscreen = true;

  // [SECTION] events of the last frame, read after EndCanvas
  bool event_link_created = false;
  PortKey event_link_from, event_link_to;
  bool event_link_detached = false;
  PortKey event_detached_to;
  bool event_nodes_moved = false;
  ImVec2 event_move_delta{0, 0};
  bool event_context_menu = false;
  NodeKey event_context_node;
  ImVec2 event_context_pos_canvas{0, 0};
  bool event_selection_changed = false;
  NodeKey event_clicked_node;
  NodeKey event_double_clicked_node;

  bool is_selected(NodeKey k) const;
};

inline constexpr std::size_t kRouteWorkPerFrame = 400000;
inline constexpr std::size_t kRouteMaxObstacles = 2000;

// Fonts baked at increasing sizes; canvas text picks the nearest size at or above the one it
// needs, so that text stays crisp at every zoom (glyph bitmaps are never scaled up).
void SetCanvasFontLadder(const std::vector<ImFont*>& fonts);
bool HasCanvasFonts();

// `layout`: every node's box, when only some are submitted (kept by the caller until EndCanvas).
bool BeginCanvas(const char* str_id, CanvasState* state, const ImVec2& size, const CanvasLayout* layout = nullptr);
// Registers and draws a node's frame and ports; returns its box in screen space (moved by a drag
// in progress) and leaves the Content layer current for the caller's drawing.
CanvasRect CanvasNode(NodeKey key, ImVec2 pos_canvas, ImVec2 size_canvas, int input_slots, const NodeStyle& style);
// Draws a link from an output port to an input port, routed around the other nodes; returns its
// path in screen space (empty when route_offscreen is off and the link is beside the canvas).
// *hovered is set when the mouse rests on it (tooltips: the caller draws them).
LinkPath CanvasLink(PortKey from, PortKey to, const LinkStyle& style, bool* hovered = nullptr);
void EndCanvas();

// [SECTION] inside Begin/End
ImDrawList* GetCanvasDrawList();
void SetCanvasLayer(CanvasLayer layer);
float GetCanvasZoom();
ImVec2 ScreenFromCanvas(ImVec2 pos_canvas);
ImVec2 CanvasFromScreen(ImVec2 pos_screen);
// Text of `size_canvas` units at a canvas position; `align` (0..1, 0..1) anchors the text box.
// Skipped when it would be smaller than a few pixels. Returns the text box size in screen pixels.
ImVec2 CanvasText(ImVec2 pos_canvas, float size_canvas, ImU32 color, const char* text, ImVec2 align = ImVec2(0, 0));
// Same, at a screen position with a size in screen pixels.
ImVec2 CanvasTextScreen(ImVec2 pos_screen, float size_px, ImU32 color, const char* text, ImVec2 align = ImVec2(0, 0));
ImVec2 CalcCanvasTextSize(float size_px, const char* text);
// The width CalcCanvasTextSize gives, from copies of the canvas fonts' advances taken now: safe
// on any thread, and still answering after the fonts are rebuilt or freed (View ▸ Text size while
// a graph file is read off the UI thread). Call it on the UI thread; with no canvas fonts, copies
// the current ImGui font.
std::function<float(std::string_view text, float size_px)> CanvasTextWidthCopy();

// [SECTION] after EndCanvas: what happened this frame
bool IsLinkCreated(const CanvasState& s, PortKey* from_output, PortKey* to_input);
bool IsLinkDetached(const CanvasState& s, PortKey* input);
bool IsNodesMoved(const CanvasState& s, ImVec2* delta_canvas);
bool IsContextMenuRequested(const CanvasState& s, NodeKey* node, ImVec2* pos_canvas);
bool IsNodeDoubleClicked(const CanvasState& s, NodeKey* node);
// Fits the view to the nodes submitted this frame, or to the layout given to BeginCanvas (call after
// EndCanvas or any time).
void RequestCanvasFit(CanvasState* s);

}  // namespace gs::app::widgets
