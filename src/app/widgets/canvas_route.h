// Links routed around nodes: a link that would pass behind a node is led through the gaps
// between the boxes of each column it crosses, level while it passes one, in S-curves between
// columns, so that it never seems to feed a node it does not. And where a link's label goes.
// Pure functions on ImVec2 (imgui.h for the vector type only), any one space: unit-tested
// without GL or an ImGui context.
#pragma once

#include "app/widgets/canvas_geometry.h"

#include <vector>

namespace gs::app::widgets {

// Cubic pieces joined end to end, each leaving and entering horizontally.
struct LinkPath {
  std::vector<Bezier> pieces;
  bool empty() const { return pieces.empty(); }
  // The point at `t` in [0, 1] along the whole path, by length.
  ImVec2 at(float t) const;
  // Points along the path, `per_piece` straight segments per piece (the first point is the start).
  std::vector<ImVec2> polyline(int per_piece = 12) const;
  // The same path after p -> p * scale + offset (canvas to screen).
  LinkPath transformed(float scale, ImVec2 offset) const;
};

// A straight piece, and an S-piece with horizontal ends (dx = half the horizontal distance, so
// that it stays between a.x and b.x).
Bezier straight_piece(ImVec2 a, ImVec2 b);
Bezier s_piece(ImVec2 a, ImVec2 b);

// The path of a link from an output port `from` to an input port `to`, keeping `margin` away from
// every box of `obstacles` (not the link's own two nodes): link_curve(from, to) when that meets
// none; else, for each run of boxes it must cross (boxes that overlap in x form one column), the
// gap between them nearest to the straight line, chosen so that the path climbs as little as it
// can. A link that runs backwards (to left of from) keeps the plain curve.
LinkPath route_link(ImVec2 from, ImVec2 to, const std::vector<CanvasRect>& obstacles, float margin);

// True when the segment a–b passes through the box (its inside, not its edge).
bool segment_hits_rect(ImVec2 a, ImVec2 b, const CanvasRect& r);
// True when the path passes through any of the boxes.
bool path_hits(const LinkPath& path, const std::vector<CanvasRect>& boxes, int per_piece = 16);

float distance_to_path(const LinkPath& path, ImVec2 p);

// Where a label of a path goes: as find_label_spot() for one curve, at places along the whole
// path (0.5, 0.45, 0.55, 0.4, 0.6, … 0.15, 0.85 of its length), on it, then above or below it.
LabelSpot find_label_spot(const LinkPath& path, ImVec2 box_size, const std::vector<float>& scales,
                          const std::vector<CanvasRect>& obstacles);

}  // namespace gs::app::widgets
