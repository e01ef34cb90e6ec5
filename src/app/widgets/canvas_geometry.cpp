// Canvas coordinate transforms, port placement, link curves and hit tests. Pure math; no ImGui
// context, no GL.
#include "app/widgets/canvas_geometry.h"

#include <algorithm>
#include <cmath>

namespace gs::app::widgets {

void CanvasTransform::zoom_about(ImVec2 pivot_screen, float new_zoom) {
  new_zoom = std::clamp(new_zoom, std::min(kMinZoom, zoom), kMaxZoom);
  const ImVec2 pivot_canvas = canvas_from_screen(pivot_screen);
  zoom = new_zoom;
  pan_screen = ImVec2(pivot_screen.x - origin_screen.x - pivot_canvas.x * zoom,
                      pivot_screen.y - origin_screen.y - pivot_canvas.y * zoom);
}

void CanvasTransform::fit(ImVec2 min_canvas, ImVec2 max_canvas, ImVec2 view_size, float margin_px, float max_zoom) {
  const float w = std::max(max_canvas.x - min_canvas.x, 1.0f);
  const float h = std::max(max_canvas.y - min_canvas.y, 1.0f);
  const float avail_w = std::max(view_size.x - 2 * margin_px, 1.0f);
  const float avail_h = std::max(view_size.y - 2 * margin_px, 1.0f);
  zoom = std::clamp(std::min({avail_w / w, avail_h / h, max_zoom}), 1e-4f, kMaxZoom);
  const ImVec2 centre((min_canvas.x + max_canvas.x) * 0.5f, (min_canvas.y + max_canvas.y) * 0.5f);
  pan_screen = ImVec2(view_size.x * 0.5f - centre.x * zoom, view_size.y * 0.5f - centre.y * zoom);
}

ImVec2 input_port_pos(const CanvasRect& node, int slot, int slot_count) {
  const float h = node.max.y - node.min.y;
  return ImVec2(node.min.x, node.min.y + h * static_cast<float>(slot + 1) / static_cast<float>(slot_count + 1));
}

ImVec2 output_port_pos(const CanvasRect& node) { return ImVec2(node.max.x, (node.min.y + node.max.y) * 0.5f); }

ImVec2 Bezier::at(float t) const {
  const float u = 1.0f - t;
  const float a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t;
  return ImVec2(a * p0.x + b * p1.x + c * p2.x + d * p3.x, a * p0.y + b * p1.y + c * p2.y + d * p3.y);
}

Bezier link_curve(ImVec2 from, ImVec2 to) {
  // Horizontal tangents; their length grows with the distance so backward links loop round.
  const float dx = std::max(std::fabs(to.x - from.x) * 0.5f, 40.0f);
  return Bezier{from, ImVec2(from.x + dx, from.y), ImVec2(to.x - dx, to.y), to};
}

namespace {
float distance_to_segment(ImVec2 p, ImVec2 a, ImVec2 b) {
  const float vx = b.x - a.x, vy = b.y - a.y;
  const float len2 = vx * vx + vy * vy;
  float t = len2 > 0 ? ((p.x - a.x) * vx + (p.y - a.y) * vy) / len2 : 0.0f;
  t = std::clamp(t, 0.0f, 1.0f);
  const float qx = a.x + t * vx - p.x, qy = a.y + t * vy - p.y;
  return std::sqrt(qx * qx + qy * qy);
}
}  // namespace

float distance_to_curve(const Bezier& c, ImVec2 p, int segments) {
  float best = INFINITY;
  ImVec2 prev = c.p0;
  for (int i = 1; i <= segments; ++i) {
    const ImVec2 cur = c.at(static_cast<float>(i) / static_cast<float>(segments));
    best = std::min(best, distance_to_segment(p, prev, cur));
    prev = cur;
  }
  return best;
}

int hit_node(const std::vector<CanvasRect>& nodes, ImVec2 p) {
  for (int i = static_cast<int>(nodes.size()) - 1; i >= 0; --i)
    if (nodes[i].contains(p)) return i;
  return -1;
}

PortHit hit_port(const std::vector<CanvasRect>& nodes, const std::vector<int>& slot_counts, ImVec2 p, float radius) {
  PortHit best;
  float best_d2 = radius * radius;
  auto consider = [&](ImVec2 q, int node, int slot, bool output) {
    const float dx = q.x - p.x, dy = q.y - p.y;
    const float d2 = dx * dx + dy * dy;
    if (d2 <= best_d2) {
      best_d2 = d2;
      best = PortHit{node, slot, output};
    }
  };
  for (int i = 0; i < static_cast<int>(nodes.size()); ++i) {
    const CanvasRect& r = nodes[i];
    if (p.x < r.min.x - radius || p.x > r.max.x + radius || p.y < r.min.y - radius || p.y > r.max.y + radius) continue;
    const int n = i < static_cast<int>(slot_counts.size()) ? slot_counts[i] : 0;
    for (int s = 0; s < n; ++s) consider(input_port_pos(r, s, n), i, s, false);
    consider(output_port_pos(r), i, -1, true);
  }
  return best;
}

int hit_link(const std::vector<Bezier>& links, ImVec2 p, float tolerance) {
  int best = -1;
  float best_d = tolerance;
  for (int i = 0; i < static_cast<int>(links.size()); ++i) {
    const Bezier& c = links[i];
    // Cheap reject on the control polygon's bounding box.
    const float minx = std::min({c.p0.x, c.p1.x, c.p2.x, c.p3.x}) - tolerance;
    const float maxx = std::max({c.p0.x, c.p1.x, c.p2.x, c.p3.x}) + tolerance;
    const float miny = std::min({c.p0.y, c.p1.y, c.p2.y, c.p3.y}) - tolerance;
    const float maxy = std::max({c.p0.y, c.p1.y, c.p2.y, c.p3.y}) + tolerance;
    if (p.x < minx || p.x > maxx || p.y < miny || p.y > maxy) continue;
    const float d = distance_to_curve(c, p);
    if (d <= best_d) {
      best_d = d;
      best = i;
    }
  }
  return best;
}

std::vector<int> nodes_in_box(const std::vector<CanvasRect>& nodes, ImVec2 a, ImVec2 b) {
  const CanvasRect box{ImVec2(std::min(a.x, b.x), std::min(a.y, b.y)), ImVec2(std::max(a.x, b.x), std::max(a.y, b.y))};
  std::vector<int> out;
  for (int i = 0; i < static_cast<int>(nodes.size()); ++i)
    if (box.overlaps(nodes[i])) out.push_back(i);
  return out;
}

}  // namespace gs::app::widgets
