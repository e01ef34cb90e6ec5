// Geometry of the graph canvas: the two coordinate spaces (pos_screen in pixels, pos_canvas in
// document units), port positions, link curves, and hit testing of nodes, ports and links.
// Pure functions on ImVec2 (imgui.h is used for the vector type only): unit-tested without GL or
// an ImGui context.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <vector>

namespace gs::app::widgets {

// pos_screen = origin_screen + pan_screen + pos_canvas * zoom
struct CanvasTransform {
  ImVec2 origin_screen{0, 0};  // top-left pixel of the canvas region
  ImVec2 pan_screen{0, 0};     // where canvas (0,0) sits relative to origin_screen
  float zoom = 1.0f;

  ImVec2 screen_from_canvas(ImVec2 pos_canvas) const {
    return ImVec2(origin_screen.x + pan_screen.x + pos_canvas.x * zoom, origin_screen.y + pan_screen.y + pos_canvas.y * zoom);
  }
  ImVec2 canvas_from_screen(ImVec2 pos_screen) const {
    return ImVec2((pos_screen.x - origin_screen.x - pan_screen.x) / zoom, (pos_screen.y - origin_screen.y - pan_screen.y) / zoom);
  }
  // Zooms to `new_zoom` (clamped to kMinZoom..kMaxZoom, but never further in than a fit below
  // kMinZoom left it when zooming out) keeping the canvas point under `pivot_screen` in place.
  void zoom_about(ImVec2 pivot_screen, float new_zoom);
  // Pan and zoom so that the canvas box [min, max] fills `view_size` pixels less a margin,
  // zooming in no further than `max_zoom`, centred. Always fits: below kMinZoom if it must.
  void fit(ImVec2 min_canvas, ImVec2 max_canvas, ImVec2 view_size, float margin_px, float max_zoom = 4.0f);
};

inline constexpr float kMinZoom = 0.05f;
inline constexpr float kMaxZoom = 4.0f;

struct CanvasRect {
  ImVec2 min, max;
  bool contains(ImVec2 p) const { return p.x >= min.x && p.y >= min.y && p.x < max.x && p.y < max.y; }
  bool overlaps(const CanvasRect& o) const { return min.x < o.max.x && o.min.x < max.x && min.y < o.max.y && o.min.y < max.y; }
  ImVec2 size() const { return ImVec2(max.x - min.x, max.y - min.y); }
};

// Ports sit on the node's edges: inputs on the left, spread evenly; the output on the right.
ImVec2 input_port_pos(const CanvasRect& node, int slot, int slot_count);
ImVec2 output_port_pos(const CanvasRect& node);

// A link is a cubic Bézier leaving the output port rightwards and entering the input leftwards.
struct Bezier {
  ImVec2 p0, p1, p2, p3;
  ImVec2 at(float t) const;
};
Bezier link_curve(ImVec2 from, ImVec2 to);
// Shortest distance from `p` to the curve (sampled in `segments` straight pieces).
float distance_to_curve(const Bezier& c, ImVec2 p, int segments = 24);

// Where a label of a link goes: a box of `box_size` (at scale 1) centred on the curve at one of
// t = 0.5, 0.45, 0.55, … 0.15, 0.85, or above or below it there (just clear of it, then up to one
// and a half boxes away: a crowded gap, two links into one node), at one of the `scales`
// (largest first). The first spot, largest scale first, then nearest the curve, whose box
// overlaps none of `obstacles` wins (free = true); when none is free, the spot with the least
// overlapping area (free = false: the caller had better not draw it). Any one space.
// (canvas_route.cpp: the same for a routed path.)
struct LabelSpot {
  CanvasRect rect;       // the box there, at that scale
  float scale = 1.0f;    // of box_size (and so of the text in it)
  bool free = false;
  ImVec2 anchor{0, 0};   // the point of the curve the box was placed by
  // True when the box is clear of its curve: a leader from `anchor` to the box shows whose it is.
  bool detached() const { return anchor.y < rect.min.y - 3.0f || anchor.y > rect.max.y + 3.0f; }
};
LabelSpot find_label_spot(const Bezier& curve, ImVec2 box_size, const std::vector<float>& scales, const std::vector<CanvasRect>& obstacles);

// Hit tests, all in one space (whatever the caller's rects and points are in).
// The last node in the list is drawn on top, so it wins.
int hit_node(const std::vector<CanvasRect>& nodes, ImVec2 p);
struct PortHit {
  int node = -1;
  int slot = -1;        // input slot, or -1 for the output port
  bool output = false;
};
// Ports of node i: slot_counts[i] inputs and one output. `radius` is the grab distance.
PortHit hit_port(const std::vector<CanvasRect>& nodes, const std::vector<int>& slot_counts, ImVec2 p, float radius);
int hit_link(const std::vector<Bezier>& links, ImVec2 p, float tolerance);
// Indices of the nodes that overlap the box spanned by two corners (any order).
std::vector<int> nodes_in_box(const std::vector<CanvasRect>& nodes, ImVec2 a, ImVec2 b);

}  // namespace gs::app::widgets
