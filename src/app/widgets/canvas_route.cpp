// Link routing and label placement along a path. Pure math; no ImGui context, no GL.
#include "app/widgets/canvas_route.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gs::app::widgets {

namespace {

ImVec2 lerp(ImVec2 a, ImVec2 b, float t) { return ImVec2(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t); }
float length(ImVec2 a, ImVec2 b) { return std::hypot(b.x - a.x, b.y - a.y); }

float piece_length(const Bezier& c) {
  float len = 0;
  ImVec2 prev = c.p0;
  for (int i = 1; i <= 8; ++i) {
    const ImVec2 p = c.at(static_cast<float>(i) / 8.0f);
    len += length(prev, p);
    prev = p;
  }
  return len;
}

CanvasRect grown(const CanvasRect& r, float m) { return CanvasRect{ImVec2(r.min.x - m, r.min.y - m), ImVec2(r.max.x + m, r.max.y + m)}; }

}  // namespace

// [SECTION] paths

ImVec2 LinkPath::at(float t) const {
  if (pieces.empty()) return ImVec2(0, 0);
  if (pieces.size() == 1) return pieces[0].at(t);
  std::vector<float> len(pieces.size());
  float total = 0;
  for (std::size_t i = 0; i < pieces.size(); ++i) total += (len[i] = piece_length(pieces[i]));
  float want = std::clamp(t, 0.0f, 1.0f) * total;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (want <= len[i] || i + 1 == pieces.size()) return pieces[i].at(len[i] > 0 ? std::min(want / len[i], 1.0f) : 0.0f);
    want -= len[i];
  }
  return pieces.back().p3;
}

std::vector<ImVec2> LinkPath::polyline(int per_piece) const {
  std::vector<ImVec2> out;
  if (pieces.empty()) return out;
  out.push_back(pieces.front().p0);
  for (const Bezier& c : pieces) {
    // A straight piece needs no samples between its ends.
    const bool straight = std::fabs(c.p0.y - c.p3.y) < 1e-4f && std::fabs(c.p1.y - c.p0.y) < 1e-4f && std::fabs(c.p2.y - c.p0.y) < 1e-4f;
    const int n = straight ? 1 : per_piece;
    for (int i = 1; i <= n; ++i) out.push_back(c.at(static_cast<float>(i) / static_cast<float>(n)));
  }
  return out;
}

LinkPath LinkPath::transformed(float scale, ImVec2 offset) const {
  LinkPath out;
  out.pieces.reserve(pieces.size());
  auto f = [&](ImVec2 p) { return ImVec2(p.x * scale + offset.x, p.y * scale + offset.y); };
  for (const Bezier& c : pieces) out.pieces.push_back(Bezier{f(c.p0), f(c.p1), f(c.p2), f(c.p3)});
  return out;
}

Bezier straight_piece(ImVec2 a, ImVec2 b) { return Bezier{a, lerp(a, b, 1.0f / 3.0f), lerp(a, b, 2.0f / 3.0f), b}; }

Bezier s_piece(ImVec2 a, ImVec2 b) {
  const float dx = (b.x - a.x) * 0.5f;
  return Bezier{a, ImVec2(a.x + dx, a.y), ImVec2(b.x - dx, b.y), b};
}

bool segment_hits_rect(ImVec2 a, ImVec2 b, const CanvasRect& r) {
  // Liang–Barsky clipping against the open box.
  float t0 = 0.0f, t1 = 1.0f;
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float p[4] = {-dx, dx, -dy, dy};
  const float q[4] = {a.x - r.min.x, r.max.x - a.x, a.y - r.min.y, r.max.y - a.y};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0.0f) {
      if (q[i] <= 0.0f) return false;  // parallel and outside (or on the edge)
      continue;
    }
    const float t = q[i] / p[i];
    if (p[i] < 0) t0 = std::max(t0, t);
    else t1 = std::min(t1, t);
    if (t0 >= t1) return false;
  }
  return t1 - t0 > 1e-6f;
}

bool path_hits(const LinkPath& path, const std::vector<CanvasRect>& boxes, int per_piece) {
  const std::vector<ImVec2> pts = path.polyline(per_piece);
  for (std::size_t i = 1; i < pts.size(); ++i)
    for (const CanvasRect& r : boxes)
      if (segment_hits_rect(pts[i - 1], pts[i], r)) return true;
  return false;
}

float distance_to_path(const LinkPath& path, ImVec2 p) {
  float best = INFINITY;
  for (const Bezier& c : path.pieces) best = std::min(best, distance_to_curve(c, p, 16));
  return best;
}

// [SECTION] routing

LinkPath route_link(ImVec2 from, ImVec2 to, const std::vector<CanvasRect>& obstacles, float margin) {
  LinkPath plain{{link_curve(from, to)}};
  if (to.x - from.x < 2 * margin) return plain;
  // The boxes in the link's span, grown by the margin and cut to the span.
  std::vector<CanvasRect> span;
  for (const CanvasRect& o : obstacles) {
    CanvasRect g = grown(o, margin);
    if (g.max.x <= from.x || g.min.x >= to.x) continue;
    g.min.x = std::max(g.min.x, from.x);
    g.max.x = std::min(g.max.x, to.x);
    span.push_back(g);
  }
  if (span.empty()) return plain;
  {
    // Touching is fine for the plain curve; passing behind a box is not.
    std::vector<CanvasRect> bare;
    for (const CanvasRect& o : obstacles)
      if (o.max.x > from.x && o.min.x < to.x) bare.push_back(grown(o, 1.0f));
    if (!path_hits(plain, bare)) return plain;
  }

  // Columns: runs of boxes that overlap in x, left to right.
  std::sort(span.begin(), span.end(), [](const CanvasRect& a, const CanvasRect& b) { return a.min.x < b.min.x; });
  struct Column {
    float x0, x1;
    std::vector<std::pair<float, float>> free;  // gaps in y, top to bottom (may be unbounded)
  };
  std::vector<Column> cols;
  {
    std::vector<std::vector<CanvasRect>> members;
    for (const CanvasRect& g : span) {
      if (!cols.empty() && g.min.x < cols.back().x1) {
        cols.back().x1 = std::max(cols.back().x1, g.max.x);
        members.back().push_back(g);
      } else {
        cols.push_back(Column{g.min.x, g.max.x, {}});
        members.push_back({g});
      }
    }
    constexpr float kInf = std::numeric_limits<float>::infinity();
    for (std::size_t c = 0; c < cols.size(); ++c) {
      auto& m = members[c];
      std::sort(m.begin(), m.end(), [](const CanvasRect& a, const CanvasRect& b) { return a.min.y < b.min.y; });
      float top = -kInf;
      for (const CanvasRect& r : m) {
        if (r.min.y > top) cols[c].free.emplace_back(top, r.min.y);
        top = std::max(top, r.max.y);
      }
      cols[c].free.emplace_back(top, kInf);
    }
  }

  // One level per column: among its gaps, the y nearest the straight line, then the sequence
  // that climbs least (a shortest path over the columns' gaps). A column at the link's very start
  // or end must be crossed at the port's own height.
  const float eps = 0.5f;
  std::vector<std::vector<float>> choice(cols.size());
  for (std::size_t c = 0; c < cols.size(); ++c) {
    const Column& col = cols[c];
    const bool at_start = col.x0 <= from.x + eps, at_end = col.x1 >= to.x - eps;
    if (at_start || at_end) {
      choice[c].push_back(at_start ? from.y : to.y);
      continue;
    }
    const float t = ((col.x0 + col.x1) * 0.5f - from.x) / (to.x - from.x);
    const float ideal = from.y + (to.y - from.y) * t;
    for (const auto& [lo, hi] : col.free) choice[c].push_back(std::clamp(ideal, lo, hi));
  }
  const std::size_t n = cols.size();
  std::vector<std::vector<float>> cost(n);
  std::vector<std::vector<int>> back(n);
  for (std::size_t c = 0; c < n; ++c) {
    cost[c].assign(choice[c].size(), INFINITY);
    back[c].assign(choice[c].size(), -1);
    for (std::size_t k = 0; k < choice[c].size(); ++k) {
      if (c == 0) {
        cost[c][k] = std::fabs(choice[c][k] - from.y);
        continue;
      }
      for (std::size_t j = 0; j < choice[c - 1].size(); ++j) {
        const float v = cost[c - 1][j] + std::fabs(choice[c][k] - choice[c - 1][j]);
        if (v < cost[c][k]) {
          cost[c][k] = v;
          back[c][k] = static_cast<int>(j);
        }
      }
    }
  }
  int k = 0;
  float best = INFINITY;
  for (std::size_t j = 0; j < choice[n - 1].size(); ++j) {
    const float v = cost[n - 1][j] + std::fabs(choice[n - 1][j] - to.y);
    if (v < best) {
      best = v;
      k = static_cast<int>(j);
    }
  }
  std::vector<float> level(n);
  for (int c = static_cast<int>(n) - 1; c >= 0; --c) {
    level[c] = choice[c][k];
    k = back[c][k];
  }

  LinkPath path;
  ImVec2 at = from;
  auto go = [&](ImVec2 p, bool level_run) {
    if (p.x - at.x < 1e-3f && std::fabs(p.y - at.y) < 1e-3f) return;
    path.pieces.push_back(level_run ? straight_piece(at, p) : s_piece(at, p));
    at = p;
  };
  for (std::size_t c = 0; c < n; ++c) {
    go(ImVec2(cols[c].x0, level[c]), false);
    go(ImVec2(cols[c].x1, level[c]), true);
  }
  go(to, false);
  return path.empty() ? plain : path;
}

// [SECTION] labels

LabelSpot find_label_spot(const Bezier& curve, ImVec2 box_size, const std::vector<float>& scales, const std::vector<CanvasRect>& obstacles) {
  return find_label_spot(LinkPath{{curve}}, box_size, scales, obstacles);
}

LabelSpot find_label_spot(const LinkPath& path, ImVec2 box_size, const std::vector<float>& scales,
                          const std::vector<CanvasRect>& obstacles) {
  static constexpr float kAlong[] = {0.5f, 0.45f, 0.55f, 0.4f, 0.6f, 0.35f, 0.65f, 0.3f, 0.7f, 0.25f, 0.75f, 0.2f, 0.8f, 0.15f, 0.85f};
  // Centre above (−) or below (+) the path, in box heights: on it, just clear of it, then further
  // out (a neighbour's label sits on the path), never so far that the box reads as another link's.
  static constexpr float kAway[] = {0.75f, 1.0f, 1.25f, 1.5f};
  LabelSpot best;
  float best_overlap = INFINITY;
  std::vector<ImVec2> along;
  for (float t : kAlong) along.push_back(path.at(t));
  for (float scale : scales) {
    const ImVec2 half(box_size.x * scale * 0.5f, box_size.y * scale * 0.5f);
    std::vector<float> shifts = {0.0f, -(half.y + 2.0f), half.y + 2.0f};
    for (float k : kAway) shifts.insert(shifts.end(), {-2 * half.y * k, 2 * half.y * k});
    for (float shift : shifts)
      for (const ImVec2& c0 : along) {
        const ImVec2 c(c0.x, c0.y + shift);
        const CanvasRect r{ImVec2(c.x - half.x, c.y - half.y), ImVec2(c.x + half.x, c.y + half.y)};
        float overlap = 0;
        for (const CanvasRect& o : obstacles)
          if (r.overlaps(o))
            overlap += (std::min(r.max.x, o.max.x) - std::max(r.min.x, o.min.x)) * (std::min(r.max.y, o.max.y) - std::max(r.min.y, o.min.y));
        if (overlap == 0) return LabelSpot{r, scale, true, c0};
        if (overlap < best_overlap) {
          best_overlap = overlap;
          best = LabelSpot{r, scale, false, c0};
        }
      }
  }
  return best;
}

}  // namespace gs::app::widgets
