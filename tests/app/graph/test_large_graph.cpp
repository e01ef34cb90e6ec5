// The Graph page on large graphs (issue 10: Run backward on a 100,000-node graph froze the window
// for 25 s): the work of opening, laying out and drawing grows linearly with the graph. Counted —
// boxes the layout makes, box pairs compared, routes, vertices drawn — never timed (speed is in
// docs/PERFORMANCE.md's "Large graphs in the desktop program"). For each shape, a graph of n and
// one of 2n nodes: linear work at most doubles (within a margin), quadratic work quadruples.
#include "app/graph/layout_index.h"
#include "app/graph/session.h"
#include "app/graph/view_graph.h"
#include "app/graph/view_trace.h"
#include "nn/assets.h"

#include "../headless_imgui.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

using namespace gs;
using namespace gs::app;

namespace {

TensorD large_graph_scalar(double v) { return TensorD::scalar(v); }

// x → sin → cos → sin → …: n nodes, n columns (the deepest graph).
GraphDocument large_chain_document(int n) {
  GraphDocument doc;
  NodeId prev = doc.graph.input("x", large_graph_scalar(0).shape());
  for (int i = 1; i < n; ++i) prev = doc.graph.op(i % 2 ? Op::Sin : Op::Cos, {prev});
  doc.graph.set_output(prev);
  doc.values["x"] = large_graph_scalar(0.5);
  return doc;
}

// sin(x) + sin(x) + …, a left-deep chain of sums: x is used (n − 1)/2 times (the CLI's
// CliOutputGrowth case). Laid out as the lecture's layout does it, each sin(x) at level 1 and
// each link from it to its sum across every column between: n²/8 dummy boxes.
GraphDocument large_fanout_document(int n) {
  GraphDocument doc;
  const NodeId x = doc.graph.input("x", large_graph_scalar(0).shape());
  NodeId acc = doc.graph.op(Op::Sin, {x});
  while (doc.graph.size() + 2 <= n) acc = doc.graph.op(Op::Add, {acc, doc.graph.op(Op::Sin, {x})});
  doc.graph.set_output(acc);
  doc.values["x"] = large_graph_scalar(0.5);
  return doc;
}

// A scalar MLP as benchmark_mlp() builds it (weights as inputs): 3 inputs, two tanh layers of
// `width`, one output. Each layer's products sit in one column, its sums in long chains.
GraphDocument large_mlp_document(int width) {
  GraphDocument doc;
  Graph& g = doc.graph;
  std::vector<NodeId> layer;
  int w = 0;
  auto input = [&](const std::string& name) {
    doc.values[name] = large_graph_scalar(0.01 * static_cast<double>(w % 97) - 0.4);
    ++w;
    return g.input(name, large_graph_scalar(0).shape());
  };
  for (int i = 0; i < 3; ++i) layer.push_back(input("x" + std::to_string(i + 1)));
  for (int units : {width, width, 1}) {
    std::vector<NodeId> next;
    for (int u = 0; u < units; ++u) {
      NodeId acc = input("b" + std::to_string(w));
      for (NodeId in : layer) acc = g.op(Op::Add, {acc, g.op(Op::Mul, {input("w" + std::to_string(w)), in})});
      next.push_back(g.op(Op::Tanh, {acc}));
    }
    layer = next;
  }
  g.set_output(layer.front());
  return doc;
}

Session large_graph_session(const GraphDocument& doc) {
  Session s;
  s.load(doc, "");
  return s;
}

// Linear: the larger graph's count is at most `ratio` times the smaller's (2n against n nodes).
void expect_linear(double small, double large, const std::string& what, double ratio = 2.3) {
  EXPECT_GT(small, 0.0) << what;
  EXPECT_LE(large, ratio * small) << what << ": " << small << " for n, " << large << " for 2n";
}

}  // namespace

// [SECTION] layout

TEST(LargeGraph, LayoutOfAFanOutMakesBoxesInProportionToTheGraph) {
  // Before: the 1,000-node fan-out made 124,251 dummy boxes, the 2,000-node one four times as many.
  const Session small = large_graph_session(large_fanout_document(1000));
  const Session large = large_graph_session(large_fanout_document(2000));
  EXPECT_TRUE(small.work().layout.shared_channels);
  expect_linear(static_cast<double>(small.work().layout.boxes), static_cast<double>(large.work().layout.boxes), "layout boxes of a fan-out");
  EXPECT_LE(small.work().layout.boxes, dummy_budget(1000) + 1000);
  // Every node still has its place, no two boxes over each other.
  const auto& nodes = large.model().nodes();
  ASSERT_EQ(nodes.size(), 2000u);
  for (std::size_t i = 1; i < nodes.size(); ++i) EXPECT_FALSE(nodes[i].pos == Point{}) << i;
}

TEST(LargeGraph, LayoutBoxesStayWithinTheBudget) {
  // A network's sums are long chains whose products all sit in one column: n^1.5 dummies, until
  // the budget (8·n + 20,000) turns to shared channels. A chain needs none.
  for (const auto& [name, doc] : {std::pair{"chain", large_chain_document(10000)}, std::pair{"mlp", large_mlp_document(40)},
                                  std::pair{"fan-out", large_fanout_document(3000)}}) {
    const Session s = large_graph_session(doc);
    const std::size_t n = s.model().nodes().size();
    EXPECT_LE(s.work().layout.boxes, n + dummy_budget(n)) << name;
    EXPECT_EQ(s.work().layout.boxes, n + s.work().layout.dummies) << name;
  }
  EXPECT_EQ(large_graph_session(large_chain_document(10000)).work().layout.dummies, 0u);
}

TEST(LargeGraph, LectureGraphsKeepTheirOwnLayout) {
  // The shipped examples never reach the dummy budget: they are laid out as they always were.
  namespace fs = std::filesystem;
  int seen = 0;
  for (const auto& e : fs::directory_iterator(nn::asset_path("examples"))) {
    Session s;
    ASSERT_TRUE(s.open_file(e.path().string())) << e.path();
    EXPECT_FALSE(s.work().layout.shared_channels) << e.path();
    ++seen;
  }
  EXPECT_GE(seen, 8);
}

TEST(LargeGraph, ABoxOverlapCheckComparesNeighboursOnly) {
  // A file that places every node is checked for boxes over each other before it is kept: every
  // pair of a 100,000-node file was 5·10^9 comparisons.
  auto pairs = [](int n) {
    GraphDocument doc = large_chain_document(n);
    doc.positions.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) doc.positions[static_cast<std::size_t>(i)] = NodePosition{static_cast<float>(i % 100) * 300.0f, static_cast<float>(i / 100) * 200.0f};
    Session s;
    s.load(doc, "");
    EXPECT_EQ(s.model().nodes()[150].pos, (Point{50 * 300.0f, 200.0f})) << "the file's places are kept";
    return static_cast<double>(s.work().overlap_pairs);
  };
  expect_linear(pairs(4000), pairs(8000), "box pairs compared");
}

// [SECTION] documents

TEST(LargeGraph, ADeepChainBuildsFromItsDocument) {
  // An edit builds the engine graph from the document again, depth first: 100,000 levels deep
  // overflowed the stack.
  const BuiltGraph built = build_graph(GraphModel::from_document(large_chain_document(100000)));
  ASSERT_TRUE(built.ok()) << built.error;
  EXPECT_EQ(built.graph.size(), 100000);
  EXPECT_EQ(built.graph.node(built.graph.output()).level, 99999);
}

TEST(LargeGraph, UndoKeepsANodeBudgetOfSnapshots) {
  // 200 snapshots of a 100,000-node graph were 4 GB; the history keeps at most a million nodes
  // (here 300,000 of 30,000-node snapshots), and always the last edit.
  const GraphModel big = GraphModel::from_document(large_chain_document(30000));
  History h(200, 300000);
  for (int i = 0; i < 15; ++i) h.record(big);
  EXPECT_LE(h.nodes_held(), 300000u);
  EXPECT_EQ(h.undo_depth(), 10u);
  GraphModel current;
  ASSERT_TRUE(h.undo(&current));
  EXPECT_EQ(current.nodes().size(), 30000u);
  EXPECT_EQ(h.nodes_held(), 270000u) << "nine to undo, and the empty one to redo";
  History tight(200, 20000);
  tight.record(big);
  tight.record(big);
  EXPECT_EQ(tight.undo_depth(), 1u) << "the last edit stays undoable past the budget";
  // A lecture graph keeps its 200 edits.
  History small;
  const GraphModel seed = builtin_seed004();
  for (int i = 0; i < 250; ++i) small.record(seed);
  EXPECT_EQ(small.undo_depth(), 200u);
}

TEST(LargeGraph, DeletingASelectionOfManyNodesKeepsTheRestAndCutsTheirLinks) {
  GraphModel m = GraphModel::from_document(large_chain_document(50000));
  std::vector<DocId> odd;
  for (const DocNode& n : m.nodes())
    if (n.id.value % 2) odd.push_back(n.id);
  m.remove(odd);
  ASSERT_EQ(m.nodes().size(), 25000u);
  for (const DocNode& n : m.nodes()) {
    EXPECT_EQ(n.id.value % 2, 0);
    if (n.arity > 0) { EXPECT_FALSE(n.inputs[0].valid()) << n.id.value; }
  }
}

// [SECTION] drawing

namespace {

// The graph view of a session in a 1000 × 700 canvas without a renderer, frame by frame; the
// vertices of the last frame and the view's canvas state. In a test's ImGui context
// (HeadlessImGui{ImVec2(1000, 700)}, made before it).
class LargeGraphDrawing {
 public:
  explicit LargeGraphDrawing(const GraphDocument& doc) { session.load(doc, ""); }
  // One frame; with `record`, the frame record too (screenshots: every link is routed).
  int frame(bool record = false) {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
    ImGui::Begin("large", nullptr, ImGuiWindowFlags_NoDecoration);
    rec = FrameRecord{};
    ViewContext ctx{session, focus, fonts, redraw, record ? &rec : nullptr};
    view.draw(ctx, ImVec2(1000, 700));
    ImGui::End();
    ImGui::Render();
    return ImGui::GetDrawData()->TotalVtxCount;
  }
  Session session;
  Focus focus;
  FontSet fonts;
  RedrawTimer redraw;
  FrameRecord rec;
  GraphView view;
};

}  // namespace

TEST(LargeGraph, DrawingIsBoundedByTheCanvasNotTheGraph) {
  // At zoom 1 the canvas shows a few nodes: a fan-out's input with its thousands of links, which
  // reach far beyond the canvas, is stroked where they cross it, each segment once to the pixel
  // (before: 15 million vertices for 20,000 nodes). Fitted to the canvas, a 20,000- or
  // 40,000-node graph is dots under a pixel each: each two-pixel cell is drawn once. Either way
  // the vertices do not grow with the graph.
  for (const auto& [name, small_doc, large_doc] :
       {std::tuple{"chain", large_chain_document(20000), large_chain_document(40000)},
        std::tuple{"fan-out", large_fanout_document(20000), large_fanout_document(40000)}}) {
    gs::app::test_support::HeadlessImGui imgui(ImVec2(1000, 700));
    ImGui::GetIO().BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;  // as the OpenGL backend: past 65,536 vertices
    LargeGraphDrawing small(small_doc), large(large_doc);
    const int zoom1_small = small.frame(), zoom1_large = large.frame();  // fitted in the next frame
    EXPECT_LE(zoom1_large, 1.3 * zoom1_small + 2000) << name << " at zoom 1: " << zoom1_small << " vertices for n, " << zoom1_large << " for 2n";
    EXPECT_LT(zoom1_large, 200000) << name;
    small.frame();
    large.frame();
    const int fit_small = small.frame(), fit_large = large.frame();
    EXPECT_LE(fit_large, 1.3 * fit_small + 2000) << name << " fitted: " << fit_small << " vertices for n, " << fit_large << " for 2n";
    EXPECT_LT(fit_large, 50000) << name;
    EXPECT_GT(large.view.canvas().dots_skipped, 20000u) << name;
  }
}

TEST(LargeGraph, RoutesAreBoundedPerFrameAndFinishInLaterFrames) {
  // Zoomed in on a network's widest column, links are routed around the boxes in their span a
  // budget's worth per frame; the others are drawn on their plain curves meanwhile and the view
  // asks for another frame until every link in view is routed.
  gs::app::test_support::HeadlessImGui imgui(ImVec2(1000, 700));
  LargeGraphDrawing d(large_mlp_document(60));  // 11,287 nodes
  d.frame();
  d.view.zoom_to(0.4f);
  int frames = 0;
  do {
    d.redraw.clear();
    d.frame();
    EXPECT_LE(d.view.canvas().route_work, widgets::kRouteWorkPerFrame + widgets::kRouteMaxObstacles);
    ++frames;
  } while (d.view.canvas().routes_pending > 0 && frames < 1000);
  EXPECT_EQ(d.view.canvas().routes_pending, 0);
  const int computed = d.view.canvas().routes_computed;
  d.frame();
  EXPECT_EQ(d.view.canvas().routes_computed, computed) << "kept while nothing moves";
  EXPECT_EQ(d.view.canvas().route_work, 0u);
}

TEST(LargeGraph, RoutingAChainIsLinear) {
  gs::app::test_support::HeadlessImGui imgui(ImVec2(1000, 700));
  auto routed = [](int n) {
    LargeGraphDrawing d(large_chain_document(n));
    std::size_t work = 0;
    for (int f = 0; f < 50 && (f < 2 || d.view.canvas().routes_pending > 0); ++f) {
      d.frame(true);  // every link routed, in view or not (the frame record's links)
      work += d.view.canvas().route_work;
    }
    EXPECT_EQ(d.view.canvas().routes_pending, 0);
    return static_cast<double>(work);
  };
  expect_linear(routed(3000), routed(6000), "obstacle boxes handed to the router");
}

namespace {

// A hash of every vertex of the last frame (position, colour) and their count.
std::pair<std::uint64_t, int> drawn_vertices() {
  std::uint64_t h = 1469598103934665603ull;
  const ImDrawData* dd = ImGui::GetDrawData();
  for (int l = 0; l < dd->CmdListsCount; ++l)
    for (const ImDrawVert& v : dd->CmdLists[l]->VtxBuffer)
      for (float f : {v.pos.x, v.pos.y, static_cast<float>(v.col)}) h = (h ^ static_cast<std::uint64_t>(std::lround(f * 16))) * 1099511628211ull;
  return {h, dd->TotalVtxCount};
}

// Frames until every link in view is routed, submitting only what is in view or (`everything`)
// every node and link as before the layout index; the last frame's vertices.
std::pair<std::uint64_t, int> settled(LargeGraphDrawing& d, bool everything) {
  d.view.set_culling(!everything);
  for (int i = 0; i < 100 && (i == 0 || d.view.canvas().routes_pending > 0); ++i) d.frame();
  d.frame();
  return drawn_vertices();
}

}  // namespace

TEST(LargeGraph, OnlyWhatIsInViewIsSubmittedAndItDrawsWhatEverythingDrew) {
  // Zoomed in on a large graph, the view submits to the canvas only the nodes in view and the
  // ends of the links that reach it (the layout index): at every zoom and pan, the same vertices
  // as submitting every node and link, routes and partial-adjoint labels included.
  gs::app::test_support::HeadlessImGui imgui(ImVec2(1000, 700));
  ImGui::GetIO().BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
  LargeGraphDrawing d(large_mlp_document(8));  // 325 nodes
  d.session.lesson().run_backward();  // partial adjoints on the links: labels
  d.frame();
  d.frame();  // fitted
  const auto [lo, hi] = d.session.bounds();
  const ImVec2 mid((lo.x + hi.x) * 0.5f, (lo.y + hi.y) * 0.5f);
  struct Look {
    ImVec2 at;
    float zoom;
  };
  const ImVec2 a(lo.x, lo.y), b(hi.x, hi.y);
  const std::vector<Look> looks = {{mid, 0.05f}, {mid, 0.3f}, {mid, 1.0f}, {a, 1.0f}, {b, 1.6f},
                                   {ImVec2(lo.x + (hi.x - lo.x) * 0.3f, lo.y + (hi.y - lo.y) * 0.7f), 0.7f},
                                   {ImVec2(hi.x, lo.y), 2.5f}, {ImVec2(lo.x - 3000, mid.y), 1.0f}};
  std::size_t fewer = 0;
  for (const Look& l : looks) {
    d.view.look_at(l.at, l.zoom);
    const auto everything = settled(d, true);
    d.view.look_at(l.at, l.zoom);
    const auto culled = settled(d, false);

    EXPECT_EQ(culled.second, everything.second) << "vertices at " << l.at.x << "," << l.at.y << " zoom " << l.zoom;
    EXPECT_EQ(culled.first, everything.first)
        << "what is drawn at " << l.at.x << "," << l.at.y << " zoom " << l.zoom;

    // The nodes submitted: every node whose box (grown by the canvas's drawing margin) meets the
    // canvas, and the ends of every link whose span meets it (grown by the labels' margin).
    const widgets::CanvasTransform& t = d.view.canvas().transform;
    auto around = [&](ImVec2 m) {
      return widgets::CanvasRect{t.canvas_from_screen(ImVec2(d.view.region_min().x - m.x, d.view.region_min().y - m.y)),
                                 t.canvas_from_screen(ImVec2(d.view.region_max().x + m.x, d.view.region_max().y + m.y))};
    };
    const widgets::CanvasRect node_view = around(ImVec2(GraphView::kNodeMarginPx, GraphView::kNodeMarginPx));
    const widgets::CanvasRect link_view = around(GraphView::kLinkMarginPx);
    const auto& nodes = d.session.model().nodes();
    const auto& sizes = d.session.node_sizes();
    float tallest = 0;
    for (const Point& s : sizes) tallest = std::max(tallest, s.y);
    auto rect = [&](std::size_t i) { return widgets::CanvasRect{ImVec2(nodes[i].pos.x, nodes[i].pos.y), ImVec2(nodes[i].pos.x + sizes[i].x, nodes[i].pos.y + sizes[i].y)}; };
    std::set<int> want;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (rect(i).overlaps(node_view)) want.insert(nodes[i].id.value);
      for (int s = 0; s < nodes[i].arity; ++s) {
        const int from = nodes[i].inputs[s].valid() ? d.session.model().index_of(nodes[i].inputs[s]) : -1;
        if (from >= 0 && link_span(rect(static_cast<std::size_t>(from)), rect(i), 2 * tallest).overlaps(link_view)) {
          want.insert(nodes[i].id.value);
          want.insert(nodes[static_cast<std::size_t>(from)].id.value);
        }
      }
    }
    std::set<int> submitted;
    for (widgets::NodeKey k : d.view.canvas().node_keys) submitted.insert(k.value);
    EXPECT_EQ(submitted, want) << "at " << l.at.x << "," << l.at.y << " zoom " << l.zoom;
    if (submitted.size() < nodes.size()) ++fewer;
  }
  EXPECT_GE(fewer, 4u) << "zoomed in, fewer nodes than the graph's are submitted";
}
