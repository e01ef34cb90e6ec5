// Which nodes and links of the open graph are in view, found without looking at each of them every
// frame: the boxes of the session's layout in a grid of cells and every link's span, made again
// only when the layout changes. The graph view submits what it finds to the canvas (a 100,000-node
// graph zoomed in draws tens of nodes, not 100,000). Geometry only: no ImGui context, no engine.
#pragma once

#include "app/widgets/canvas.h"

#include <cstdint>
#include <vector>

namespace gs::app {

// A link by document indices: output of `from` into input `slot` of `to`.
struct IndexedLink {
  int from = -1, to = -1, slot = 0;
};

// The box a link between two node boxes can reach, canvas units: its plain curve bends at most
// max(half its width, 40) + the routing margin beyond its ends' boxes horizontally (as the canvas
// reckons, widgets::CanvasLink); a route around other boxes is allowed `slack` above and below.
widgets::CanvasRect link_span(const widgets::CanvasRect& from, const widgets::CanvasRect& to, float slack);

// Sorts indices below `n` and drops repeats: a sort for a few, one pass over marks for many.
void sort_unique_indices(std::vector<int>* v, std::size_t n);

class LayoutIndex {
 public:
  // `keys`, `rects` (canvas units) and `slots` (input counts) in document order; links in
  // document order of their consumers. The layout's key is a hash of the geometry: the same boxes
  // again (an edit of a value that changes no box) keep the canvas's routes.
  void build(std::vector<widgets::NodeKey> keys, std::vector<widgets::CanvasRect> rects, const std::vector<int>& slots,
             std::vector<IndexedLink> links);
  // Every box, for the canvas's routes and fit.
  const widgets::CanvasLayout& layout() const { return layout_; }
  const std::vector<IndexedLink>& links() const { return links_; }
  const std::vector<widgets::CanvasRect>& link_spans() const { return spans_; }
  // A route's room above and below its ends: twice the tallest box.
  float route_slack() const { return slack_; }

  // Nodes whose boxes overlap `view` (canvas units), ascending document indices.
  void nodes_in(const widgets::CanvasRect& view, std::vector<int>* out) const;
  // Links whose spans overlap `view`, ascending: those in the cells the view reaches and the few
  // reaching many cells (not every link each frame).
  void links_in(const widgets::CanvasRect& view, std::vector<int>* out) const;

 private:
  // Each box is in the cell of its top-left corner; a cell is at least as large as the largest box,
  // so a box overlapping a region has its corner at most one cell above or left of it.
  int cell_x(float x) const;
  int cell_y(float y) const;
  widgets::CanvasLayout layout_;
  std::vector<IndexedLink> links_;
  std::vector<widgets::CanvasRect> spans_;
  float slack_ = 0;
  float cell_ = 1;
  int columns_ = 0, rows_ = 0;
  std::vector<int> cell_start_;  // columns × rows + 1 offsets into cell_nodes_
  std::vector<int> cell_nodes_;  // document indices, ascending within a cell
  std::vector<int> cell_link_start_;  // columns × rows + 1 offsets into cell_links_
  std::vector<int> cell_links_;       // links whose spans reach the cell (kCellsPerSpan cells at most)
  std::vector<int> long_links_;       // links whose spans reach more cells: looked at by every query
};

}  // namespace gs::app
