// Geometric checks of a drawn graph, read from a frame record's JSON (DESIGN.md: `rect` per node,
// `label_rect` per link label, `points` per link): no two nodes overlap, no label covers a node
// or another label, no link passes through a node it does not join. Shared by the headless view
// tests and the screenshot tests. No GL.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace gs::app::testing {

struct Box {
  std::string name;
  double x0, y0, x1, y1;
};

inline Box box_of(const std::string& name, const nlohmann::json& r) {
  return Box{name, r[0].get<double>(), r[1].get<double>(), r[2].get<double>(), r[3].get<double>()};
}

// Overlap by more than `tol` pixels in both directions.
inline bool boxes_overlap(const Box& a, const Box& b, double tol = 0.5) {
  return a.x0 < b.x1 - tol && b.x0 < a.x1 - tol && a.y0 < b.y1 - tol && b.y0 < a.y1 - tol;
}

// True when the segment p–q passes through the inside of the box shrunk by `tol`.
inline bool segment_crosses(double px, double py, double qx, double qy, const Box& b, double tol = 1.0) {
  const double x0 = b.x0 + tol, y0 = b.y0 + tol, x1 = b.x1 - tol, y1 = b.y1 - tol;
  if (x0 >= x1 || y0 >= y1) return false;
  double t0 = 0, t1 = 1;
  const double dx = qx - px, dy = qy - py;
  const double p[4] = {-dx, dx, -dy, dy}, q[4] = {px - x0, x1 - px, py - y0, y1 - py};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] <= 0) return false;
      continue;
    }
    const double t = q[i] / p[i];
    if (p[i] < 0) t0 = std::max(t0, t);
    else t1 = std::min(t1, t);
    if (t0 >= t1) return false;
  }
  return t1 - t0 > 1e-9;
}

// Every overlap found, in words ("node 'v3 = ln v1' and label 'v̄₁→₃ = 0.5'"); empty when none.
inline std::vector<std::string> overlaps(const nlohmann::json& drawn) {
  std::vector<std::string> out;
  std::vector<Box> nodes, labels;
  for (const auto& n : drawn["nodes"]) nodes.push_back(box_of("node '" + n["title"].get<std::string>() + "'", n["rect"]));
  for (const auto& l : drawn["links"])
    if (!l["label_rect"].is_null()) labels.push_back(box_of("label '" + l["label"].get<std::string>() + "'", l["label_rect"]));
  for (std::size_t i = 0; i < nodes.size(); ++i)
    for (std::size_t j = i + 1; j < nodes.size(); ++j)
      if (boxes_overlap(nodes[i], nodes[j])) out.push_back(nodes[i].name + " and " + nodes[j].name);
  for (const Box& l : labels)
    for (const Box& n : nodes)
      if (boxes_overlap(l, n)) out.push_back(l.name + " covers " + n.name);
  for (std::size_t i = 0; i < labels.size(); ++i)
    for (std::size_t j = i + 1; j < labels.size(); ++j)
      if (boxes_overlap(labels[i], labels[j])) out.push_back(labels[i].name + " and " + labels[j].name);
  for (const auto& l : drawn["links"]) {
    const auto& pts = l["points"];
    if (pts.size() < 2) continue;
    const double sx = pts.front()[0].get<double>(), sy = pts.front()[1].get<double>();
    const double ex = pts.back()[0].get<double>(), ey = pts.back()[1].get<double>();
    for (const Box& n : nodes) {
      // The link's own two nodes hold its ends.
      auto holds = [&](double x, double y) { return x >= n.x0 - 1 && x <= n.x1 + 1 && y >= n.y0 - 1 && y <= n.y1 + 1; };
      if (holds(sx, sy) || holds(ex, ey)) continue;
      for (std::size_t k = 1; k < pts.size(); ++k)
        if (segment_crosses(pts[k - 1][0].get<double>(), pts[k - 1][1].get<double>(), pts[k][0].get<double>(), pts[k][1].get<double>(), n)) {
          out.push_back("link " + l["from"].get<std::string>() + "→" + l["to"].get<std::string>() + " passes behind " + n.name);
          break;
        }
    }
  }
  return out;
}

}  // namespace gs::app::testing
