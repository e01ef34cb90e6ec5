// The graph view: the document drawn on the canvas widget with the lesson's values, adjoints,
// partial adjoints and tangents as far as the cursor has stepped; turns canvas events into
// document edits (connect, move, delete, paste, add from the palette). Never computes a
// derivative: every number comes from the Lesson. No GL.
#pragma once

#include "app/graph/layout_index.h"
#include "app/graph/value_editor.h"
#include "app/graph/view_context.h"
#include "app/widgets/canvas.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace gs::app {

class GraphView {
 public:
  void draw(ViewContext& ctx, ImVec2 size);
  void fit() { widgets::RequestCanvasFit(&canvas_); }
  // Zoom about the centre of the canvas (benchmarks: text-heavy frames at 1:1).
  void zoom_to(float zoom) {
    canvas_.fit_requested = false;
    canvas_.transform.zoom_about(ImVec2((region_min_.x + region_max_.x) * 0.5f, (region_min_.y + region_max_.y) * 0.5f), zoom);
  }
  // Zoom to `zoom` with the canvas point `pos_canvas` at the centre of the canvas (tests, benchmarks).
  void look_at(ImVec2 pos_canvas, float zoom) {
    canvas_.fit_requested = false;
    centre_on(pos_canvas, std::clamp(zoom, widgets::kMinZoom, widgets::kMaxZoom));
  }
  // The canvas region on screen after the last draw (for exporting it as a PNG).
  ImVec2 region_min() const { return region_min_; }
  ImVec2 region_max() const { return region_max_; }

  void delete_selection(Session& s);
  void copy_selection(const Session& s);
  void paste(Session& s);
  void select_all(const Session& s);
  bool has_selection() const { return !canvas_.selection.empty(); }
  // The canvas's state after the last draw (tests: routes and their work, dots, the nodes submitted).
  const widgets::CanvasState& canvas() const { return canvas_; }
  // Off: every node and link is submitted each frame, as before the layout index (tests and
  // benchmarks compare the two).
  void set_culling(bool on) { cull_ = on; }
  // The index of the session's layout as of the last draw (tests: what is in view).
  const LayoutIndex& layout_index() const { return index_; }
  // Pixels beyond the canvas within which nodes are submitted (a node's glow and outline reach
  // out of its box), and links whose span comes near enough for their labels to be placed.
  static constexpr float kNodeMarginPx = 32.0f;
  static inline const ImVec2 kLinkMarginPx{400.0f, 200.0f};
  bool can_paste() const { return !clipboard_.empty(); }
  // Adds palette()[palette_entry] where the add menu or search was opened (the nearest free place).
  void add_node(ViewContext& ctx, int palette_entry);

 private:
  // Zoom `zoom` (not clamped) with the canvas point `pos_canvas` at the centre of the canvas region.
  void centre_on(ImVec2 pos_canvas, float zoom) {
    auto& t = canvas_.transform;
    t.zoom = zoom;
    t.pan_screen = ImVec2((region_max_.x - region_min_.x) * 0.5f - pos_canvas.x * zoom, (region_max_.y - region_min_.y) * 0.5f - pos_canvas.y * zoom);
  }
  void index_layout(const Session& s);
  void choose_submitted(const ViewContext& ctx, bool everything);
  void draw_nodes(ViewContext& ctx);
  void draw_links(ViewContext& ctx);
  void update_link_lookups(const ViewContext& ctx);
  void apply_events(ViewContext& ctx);
  void draw_add_menu(ViewContext& ctx);
  void draw_search_popup(ViewContext& ctx);
  void draw_value_popup(ViewContext& ctx);
  void handle_keys(ViewContext& ctx);

  widgets::CanvasState canvas_;
  LayoutIndex index_;              // made again when the session's layout changes
  std::uint64_t indexed_version_ = ~0ull;  // of the session's layout (generation, layout_version) in index_
  std::vector<int> drawn_nodes_;   // this frame: document indices submitted to the canvas, ascending
  std::vector<int> drawn_links_;   // this frame: index_.links() submitted
  bool cull_ = true;
  bool all_drawn_ = false;         // this frame submits every node (a frame record, nodes being dragged)
  // What draw_links looks up by link_index(consumer, slot), made again only when the lesson or the
  // paths shown change (a 100,000-node graph: not every frame).
  struct TermAt {
    int row = -1, term = -1;  // the reverse trace's row and term (partial adjoint) on the link
  };
  std::vector<TermAt> term_at_;
  std::vector<char> on_path_;  // on a path shown from ctx.focus.paths_of; empty when none
  std::uint64_t terms_key_ = ~0ull, paths_key_ = ~0ull;
  DocId paths_of_;
  std::vector<DocNode> clipboard_;  // copies with their links inside the copied set
  ImVec2 add_pos_canvas_{0, 0};
  widgets::NodeKey context_node_;
  DocId value_node_;         // the input whose value the in-place popup edits
  ValueEditor value_editor_;
  char search_[64] = "";
  int search_cursor_ = 0;
  bool open_search_ = false;
  ImVec2 region_min_{0, 0}, region_max_{0, 0};
  int fitted_generation_ = -1;  // the session's graph at the last automatic fit
  // The canvas's size and transform right after its last fit: while the view is as fitted (not
  // zoomed or panned since), a new size (an error line appearing or going above the canvas, a
  // splitter) fits again.
  ImVec2 fitted_size_{0, 0};
  widgets::CanvasTransform fitted_transform_;
  float ui_font_px_ = 0;        // the interface's text size at the last draw (View ▸ Text size)
};

}  // namespace gs::app
