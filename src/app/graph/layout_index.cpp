// The layout's grid of cells and the links' spans (layout_index.h). No ImGui context.
#include "app/graph/layout_index.h"

#include <algorithm>
#include <cmath>

namespace gs::app {

namespace {
constexpr float kCurveBendCanvas = 40.0f;    // link_curve's least horizontal reach (canvas_geometry.cpp)
constexpr float kRouteMarginCanvas = 9.0f;   // as canvas.cpp routes
constexpr std::size_t kCellsPerNode = 4;     // at most this many cells per box (and a few more)
constexpr std::size_t kCellsPerSpan = 16;    // a link's span over more cells is looked at on every query
}  // namespace

widgets::CanvasRect link_span(const widgets::CanvasRect& from, const widgets::CanvasRect& to, float slack) {
  const float x0 = std::min(from.min.x, to.min.x), x1 = std::max(from.max.x, to.max.x);
  const float bend = std::max((x1 - x0) * 0.5f, kCurveBendCanvas) + kRouteMarginCanvas;
  return widgets::CanvasRect{ImVec2(x0 - bend, std::min(from.min.y, to.min.y) - slack),
                             ImVec2(x1 + bend, std::max(from.max.y, to.max.y) + slack)};
}

void sort_unique_indices(std::vector<int>* v, std::size_t n) {
  if (v->size() * 16 < n) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
    return;
  }
  std::vector<char> in(n, 0);
  for (int i : *v) in[static_cast<std::size_t>(i)] = 1;
  v->clear();
  for (std::size_t i = 0; i < n; ++i)
    if (in[i]) v->push_back(static_cast<int>(i));
}

void LayoutIndex::build(std::vector<widgets::NodeKey> keys, std::vector<widgets::CanvasRect> rects, const std::vector<int>& slots,
                        std::vector<IndexedLink> links) {
  layout_.keys = std::move(keys);
  layout_.rects = std::move(rects);
  links_ = std::move(links);
  const std::vector<widgets::CanvasRect>& r = layout_.rects;
  layout_.key = widgets::kGeometryHashSeed;
  for (std::size_t i = 0; i < r.size(); ++i)
    layout_.key = widgets::HashNodeGeometry(layout_.key, layout_.keys[i], r[i].min, r[i].size(), slots[i]);
  float widest = 0, tallest = 0;
  ImVec2 lo(0, 0), hi(0, 0);
  for (std::size_t i = 0; i < r.size(); ++i) {
    widest = std::max(widest, r[i].max.x - r[i].min.x);
    tallest = std::max(tallest, r[i].max.y - r[i].min.y);
    lo = i == 0 ? r[i].min : ImVec2(std::min(lo.x, r[i].min.x), std::min(lo.y, r[i].min.y));
    hi = i == 0 ? r[i].max : ImVec2(std::max(hi.x, r[i].max.x), std::max(hi.y, r[i].max.y));
  }
  layout_.min = lo, layout_.max = hi;
  slack_ = 2.0f * tallest;
  spans_.clear();
  spans_.reserve(links_.size());
  for (const IndexedLink& l : links_) spans_.push_back(link_span(r[l.from], r[l.to], slack_));

  // Cells about as large as the area per box, never smaller than the largest box.
  const float w = hi.x - lo.x, h = hi.y - lo.y;
  const float n = static_cast<float>(std::max<std::size_t>(r.size(), 1));
  cell_ = std::max({widest, tallest, std::sqrt(std::max(w * h, 1.0f) / n), 1.0f});
  columns_ = rows_ = 1;
  if (std::isfinite(w) && std::isfinite(h) && std::isfinite(cell_)) {
    for (;;) {
      columns_ = static_cast<int>(std::floor(w / cell_)) + 1;
      rows_ = static_cast<int>(std::floor(h / cell_)) + 1;
      if (static_cast<std::size_t>(columns_) * static_cast<std::size_t>(rows_) <= kCellsPerNode * r.size() + 16) break;
      cell_ *= 1.5f;
    }
  }
  const std::size_t cells = static_cast<std::size_t>(columns_) * static_cast<std::size_t>(rows_);
  std::vector<int> cell_of(r.size());
  cell_start_.assign(cells + 1, 0);
  for (std::size_t i = 0; i < r.size(); ++i) {
    cell_of[i] = cell_y(r[i].min.y) * columns_ + cell_x(r[i].min.x);
    ++cell_start_[static_cast<std::size_t>(cell_of[i]) + 1];
  }
  for (std::size_t c = 0; c < cells; ++c) cell_start_[c + 1] += cell_start_[c];
  cell_nodes_.assign(r.size(), 0);
  std::vector<int> fill(cell_start_.begin(), cell_start_.end() - 1);
  for (std::size_t i = 0; i < r.size(); ++i) cell_nodes_[static_cast<std::size_t>(fill[static_cast<std::size_t>(cell_of[i])]++)] = static_cast<int>(i);

  // Each link's span in every cell it reaches (cells clamped to the grid, as a query's are: a span
  // that meets a view shares a cell with it), or, when it reaches many, in the list every query
  // looks at (a fan-out's long links).
  long_links_.clear();
  std::vector<int> per_cell(cells + 1, 0);
  auto each_cell = [&](const widgets::CanvasRect& span, auto&& f) {
    for (int cy = cell_y(span.min.y); cy <= cell_y(span.max.y); ++cy)
      for (int cx = cell_x(span.min.x); cx <= cell_x(span.max.x); ++cx) f(static_cast<std::size_t>(cy) * static_cast<std::size_t>(columns_) + static_cast<std::size_t>(cx));
  };
  auto short_span = [&](const widgets::CanvasRect& span) {
    const std::size_t w = static_cast<std::size_t>(cell_x(span.max.x) - cell_x(span.min.x) + 1);
    const std::size_t h = static_cast<std::size_t>(cell_y(span.max.y) - cell_y(span.min.y) + 1);
    return cell_x(span.max.x) >= cell_x(span.min.x) && cell_y(span.max.y) >= cell_y(span.min.y) && w * h <= kCellsPerSpan;
  };
  for (std::size_t l = 0; l < spans_.size(); ++l) {
    if (short_span(spans_[l])) each_cell(spans_[l], [&](std::size_t c) { ++per_cell[c + 1]; });
    else long_links_.push_back(static_cast<int>(l));
  }
  for (std::size_t c = 0; c < cells; ++c) per_cell[c + 1] += per_cell[c];
  cell_link_start_ = per_cell;
  cell_links_.assign(static_cast<std::size_t>(per_cell[cells]), 0);
  for (std::size_t l = 0; l < spans_.size(); ++l)
    if (short_span(spans_[l])) each_cell(spans_[l], [&](std::size_t c) { cell_links_[static_cast<std::size_t>(per_cell[c]++)] = static_cast<int>(l); });
}

namespace {
// The cell of offset `d` from the grid's corner, in 0..count − 1 (clamped in float: no overflow).
int cell_along(float d, float cell, int count) {
  const float c = std::floor(d / cell);
  if (!(c > 0.0f)) return 0;
  return c >= static_cast<float>(count - 1) ? count - 1 : static_cast<int>(c);
}
}  // namespace

int LayoutIndex::cell_x(float x) const { return cell_along(x - layout_.min.x, cell_, columns_); }
int LayoutIndex::cell_y(float y) const { return cell_along(y - layout_.min.y, cell_, rows_); }

void LayoutIndex::nodes_in(const widgets::CanvasRect& view, std::vector<int>* out) const {
  out->clear();
  const std::vector<widgets::CanvasRect>& r = layout_.rects;
  if (r.empty() || view.max.x < layout_.min.x || view.max.y < layout_.min.y || view.min.x > layout_.max.x ||
      view.min.y > layout_.max.y)
    return;
  // A box reaching into the view has its corner at most one cell (its size at most) above or left.
  const int cx0 = cell_x(view.min.x - cell_), cx1 = cell_x(view.max.x), cy0 = cell_y(view.min.y - cell_), cy1 = cell_y(view.max.y);
  for (int cy = cy0; cy <= cy1; ++cy)
    for (int cx = cx0; cx <= cx1; ++cx) {
      const std::size_t c = static_cast<std::size_t>(cy) * static_cast<std::size_t>(columns_) + static_cast<std::size_t>(cx);
      for (int k = cell_start_[c]; k < cell_start_[c + 1]; ++k)
        if (r[static_cast<std::size_t>(cell_nodes_[static_cast<std::size_t>(k)])].overlaps(view)) out->push_back(cell_nodes_[static_cast<std::size_t>(k)]);
    }
  sort_unique_indices(out, r.size());  // the order nodes are drawn in
}

void LayoutIndex::links_in(const widgets::CanvasRect& view, std::vector<int>* out) const {
  out->clear();
  if (spans_.empty()) return;
  // The cells the view reaches, then the long spans; each span tested whole.
  const int cx0 = cell_x(view.min.x), cx1 = cell_x(view.max.x), cy0 = cell_y(view.min.y), cy1 = cell_y(view.max.y);
  for (int cy = cy0; cy <= cy1; ++cy)
    for (int cx = cx0; cx <= cx1; ++cx) {
      const std::size_t c = static_cast<std::size_t>(cy) * static_cast<std::size_t>(columns_) + static_cast<std::size_t>(cx);
      for (int k = cell_link_start_[c]; k < cell_link_start_[c + 1]; ++k)
        if (spans_[static_cast<std::size_t>(cell_links_[static_cast<std::size_t>(k)])].overlaps(view)) out->push_back(cell_links_[static_cast<std::size_t>(k)]);
    }
  for (int l : long_links_)
    if (spans_[static_cast<std::size_t>(l)].overlaps(view)) out->push_back(l);
  sort_unique_indices(out, spans_.size());
}

}  // namespace gs::app
