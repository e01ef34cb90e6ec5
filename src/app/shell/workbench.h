// The window's arrangement: menu bar, toolbar, the graph canvas in the centre, the trace tables
// and the inspector on the side, separated by splitters. It owns the views (one per file) and the
// panel sizes, nothing else: the model is the Session's. No GL.
#pragma once

#include "app/graph/view_context.h"
#include "app/graph/view_graph.h"
#include "app/graph/view_inspector.h"
#include "app/graph/view_toolbar.h"
#include "app/graph/view_trace.h"
#include "app/shell/view_menu.h"

#include <string_view>

namespace gs::app {

// What a frame shows: the whole lab, or one view alone (for --screenshot --view NAME).
enum class Layout : std::uint8_t { Lab, Graph, Traces, Inspector };
bool layout_from_name(std::string_view name, Layout* out);  // "lab", "graph", "traces", "inspector"
const char* layout_name(Layout l);

class Workbench {
 public:
  void draw(ViewContext& ctx, Layout layout = Layout::Lab);
  void request_quit(ViewContext& ctx) { menu_.request_quit(ctx); }
  GraphView& graph() { return graph_; }

 private:
  MenuView menu_;
  ToolbarView toolbar_;
  GraphView graph_;
  TraceView traces_;
  InspectorView inspector_;
  float side_fraction_ = 0.36f;   // width of the side panels
  float trace_fraction_ = 0.55f;  // height of the tables within the side
};

}  // namespace gs::app
