// Graphs read right at every step: every shipped example and generated graphs of up to 200
// nodes, laid out, drawn by the graph view with the canvas fonts at the canvas sizes of the lab
// at 1024×768 and 1600×900 and of presentation mode, checked through the frame record: no node
// over another, no label over a node or a label, no label nearer a node than face::kLabelMargin
// (it would touch a port), no link behind a node it does not join. In an
// ImGui context without a renderer. No GL.
#include "app/graph/node_face.h"
#include "app/graph/page_graph.h"
#include "app/graph/view_graph.h"

#include "../graph_geometry.h"
#include "../headless_imgui.h"

#include <gtest/gtest.h>

#include <random>

using namespace gs;
using namespace gs::app;
using gs::app::testing::overlaps;

namespace {

class GraphGeometry : public ::testing::Test {
 protected:
  void SetUp() override { load_fonts(&fonts, 17.0f); }
  // The canvas keeps the fonts it is given: they go with this context.
  void TearDown() override { widgets::SetCanvasFontLadder({}); }

  // Draws the session's graph in a canvas of `size` (fitted on the first frame, as a new graph
  // is) and returns the record of the last frame.
  nlohmann::json draw(GraphView& view, ImVec2 size, int frames = 2) {
    FrameRecord record;
    for (int f = 0; f < frames; ++f) {
      record = FrameRecord{};
      ImGuiIO& io = ImGui::GetIO();
      io.MousePos = ImVec2(-100, -100);
      ImGui::NewFrame();
      ImGui::SetNextWindowPos(ImVec2(0, 0));
      ImGui::SetNextWindowSize(io.DisplaySize);
      ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
      ImGui::Begin("lab", nullptr, ImGuiWindowFlags_NoDecoration);
      ImGui::PopStyleVar();
      ViewContext ctx{session, focus, fonts, redraw, &record};
      view.draw(ctx, size);
      ImGui::End();
      ImGui::Render();
    }
    return record.to_json();
  }

  // Every cursor of the lesson: forward 0…n, then reverse 1…m.
  std::vector<Cursor> every_step() {
    std::vector<Cursor> out;
    const Lesson& l = session.lesson();
    for (int k = 0; k <= l.row_count(StepMode::Forward); ++k) out.push_back({StepMode::Forward, k});
    for (int k = 1; k <= l.row_count(StepMode::Reverse); ++k) out.push_back({StepMode::Reverse, k});
    return out;
  }

  void expect_reads_right(const std::string& what, ImVec2 size, const std::vector<Cursor>& steps, float zoom = 0) {
    GraphView view;
    draw(view, size);
    if (zoom > 0) view.zoom_to(zoom);
    for (const Cursor& c : steps) {
      session.lesson().jump(c);
      const nlohmann::json d = draw(view, size, 1);
      ASSERT_EQ(d["nodes"].size(), session.model().nodes().size()) << what;
      for (const std::string& o : overlaps(d))
        ADD_FAILURE() << what << " at " << step_mode_name(c.mode) << ":" << c.step << ", canvas " << size.x << "×" << size.y << ": " << o;
      // A label keeps face::kLabelMargin from every node's box (the ports stand out of it).
      const double margin = face::kLabelMargin * d["canvas"]["zoom"].get<double>() - 0.5;
      for (const auto& l : d["links"]) {
        if (l["label_rect"].is_null()) continue;
        const gs::app::testing::Box b = gs::app::testing::box_of("", l["label_rect"]);
        for (const auto& n : d["nodes"]) {
          const gs::app::testing::Box nb = gs::app::testing::box_of("", n["rect"]);
          const double gap = std::max(std::max(nb.x0 - b.x1, b.x0 - nb.x1), std::max(nb.y0 - b.y1, b.y0 - nb.y1));
          EXPECT_GE(gap, margin) << what << " at " << step_mode_name(c.mode) << ":" << c.step << ", canvas " << size.x << "×" << size.y
                                 << ": label '" << l["label"].get<std::string>() << "' is " << gap << " px from node '"
                                 << n["title"].get<std::string>() << "' (its ports stand out of its box)";
        }
      }
      // Nothing covered because something was left out: where labels are legible (zoom), every
      // label of a link whose middle is on the canvas is drawn.
      if (d["canvas"]["zoom"].get<float>() * face::kLabelSize < 5.0f) continue;
      const nlohmann::json& cr = d["canvas"]["rect"];
      for (const auto& l : d["links"]) {
        if (l["label"].get<std::string>().empty() || l["points"].empty()) continue;
        const auto& mid = l["points"][l["points"].size() / 2];
        const float x = mid[0].get<float>(), y = mid[1].get<float>();
        if (x < cr[0].get<float>() || x > cr[2].get<float>() || y < cr[1].get<float>() || y > cr[3].get<float>()) continue;
        EXPECT_FALSE(l["label_rect"].is_null()) << what << " at " << step_mode_name(c.mode) << ":" << c.step << ", canvas " << size.x
                                                << "×" << size.y << ": label '" << l["label"].get<std::string>() << "' left out";
      }
    }
  }

  const DocNode& by_label(const std::string& label) {
    for (std::size_t i = 0; i < session.faces().size(); ++i)
      if (session.faces()[i].label == label) return session.model().nodes()[i];
    throw std::runtime_error("no node " + label);
  }

  test_support::HeadlessImGui imgui_{ImVec2(1600, 900)};
  FontSet fonts;
  Session session;
  Focus focus;
  RedrawTimer redraw;
};

// Canvas sizes: the stacked lab at 1024×768, the side-by-side lab at 1600×900, presentation mode
// at 1024×768.
const ImVec2 kCanvases[] = {ImVec2(1004, 330), ImVec2(1010, 640), ImVec2(1000, 520)};

// A random scalar graph of `ops` op nodes over a few inputs, with fan-out and long links: each
// op takes its operands among the inputs and the ops before it, most often the recent ones.
GraphModel random_graph(int ops, unsigned seed) {
  std::mt19937 rng(seed);
  GraphModel m;
  std::vector<DocId> pool;
  const int inputs = 2 + static_cast<int>(rng() % 4);
  for (int i = 0; i < inputs; ++i) pool.push_back(m.add_input("x" + std::to_string(i + 1), TensorD::scalar(0.3 + 0.2 * i), {}));
  const Op unary[] = {Op::Exp, Op::Sin, Op::Cos, Op::Tanh, Op::Sigmoid, Op::Neg};
  const Op binary[] = {Op::Add, Op::Sub, Op::Mul, Op::Max};
  auto pick = [&] {
    // Recent nodes are likelier: most links are short, some long.
    const std::size_t n = pool.size();
    const std::size_t back = std::min<std::size_t>(n - 1, static_cast<std::size_t>(std::geometric_distribution<int>(0.35)(rng)));
    return pool[n - 1 - back];
  };
  for (int k = 0; k < ops; ++k) {
    const bool two = rng() % 3 != 0;
    const DocId id = m.add_op(two ? binary[rng() % 4] : unary[rng() % 6], {}, {});
    m.connect(pick(), id, 0, nullptr);
    if (two) m.connect(pick(), id, 1, nullptr);
    pool.push_back(id);
  }
  return m;
}

}  // namespace

TEST_F(GraphGeometry, EveryExampleAtEveryStep) {
  for (const std::string& name : example_names()) {
    ASSERT_TRUE(session.open_example(name)) << name;
    for (const ImVec2& canvas : kCanvases) expect_reads_right(name, canvas, every_step());
  }
}

TEST_F(GraphGeometry, EveryExampleZoomedToOneAtTheEnd) {
  // At 1:1 every label is drawn full size wherever it is on screen.
  for (const std::string& name : example_names()) {
    ASSERT_TRUE(session.open_example(name)) << name;
    const Lesson& l = session.lesson();
    expect_reads_right(name, ImVec2(1600, 900), {{StepMode::Reverse, l.row_count(StepMode::Reverse)}}, 1.0f);
  }
}

TEST_F(GraphGeometry, GeneratedGraphsUpToTwoHundredNodes) {
  unsigned seed = 1;
  for (int ops : {6, 12, 25, 50, 100, 200}) {
    for (int trial = 0; trial < (ops <= 25 ? 4 : 2); ++trial) {
      session.load(random_graph(ops, seed++), "");
      ASSERT_TRUE(session.lesson().ready()) << session.lesson().problem();
      const std::string what = std::to_string(ops) + " ops, seed " + std::to_string(seed - 1);
      const Lesson& l = session.lesson();
      const int r = l.row_count(StepMode::Reverse);
      const std::vector<Cursor> steps = ops <= 25 ? every_step() : std::vector<Cursor>{{StepMode::Forward, l.row_count(StepMode::Forward)}, {StepMode::Reverse, r / 2}, {StepMode::Reverse, r}};
      expect_reads_right(what, kCanvases[0], steps);
      expect_reads_right(what + ", zoom 1", ImVec2(1600, 900), {{StepMode::Reverse, r}}, 1.0f);
    }
  }
}

TEST_F(GraphGeometry, TheChecksSeeANodeDraggedOverAnother) {
  session.load(builtin_seed004(), "");
  const DocNode& v4 = by_label("v4");
  const DocNode& v5 = by_label("v5");
  session.move_nodes({v5.id}, v4.pos.x - v5.pos.x + 10, v4.pos.y - v5.pos.y + 10);
  GraphView view;
  const nlohmann::json d = draw(view, kCanvases[1]);
  bool node_over_node = false;
  for (const std::string& o : overlaps(d)) node_over_node |= o.find("node 'v4 = v1·v2' and node 'v5 = sin v2'") != std::string::npos;
  EXPECT_TRUE(node_over_node);
}

TEST_F(GraphGeometry, LinksAreRoutedAroundANodePlacedInTheirWay) {
  // v3 = ln v1 dragged 400 units to the right, then v5 = sin v2 onto the middle of the link from
  // v1 to v3: the link goes round it.
  session.load(builtin_seed004(), "");
  session.move_nodes({by_label("v3").id}, 400, 0);
  const DocNode& v1 = by_label("v1");
  const DocNode& v3 = by_label("v3");
  const DocNode& v5 = by_label("v5");
  const Point s1 = session.node_sizes()[session.model().index_of(v1.id)], s5 = session.node_sizes()[session.model().index_of(v5.id)];
  const Point target{(v1.pos.x + s1.x + v3.pos.x) * 0.5f - s5.x * 0.5f, (v1.pos.y + v3.pos.y) * 0.5f};
  session.move_nodes({v5.id}, target.x - v5.pos.x, target.y - v5.pos.y);
  GraphView view;
  const nlohmann::json d = draw(view, kCanvases[1]);
  for (const std::string& o : overlaps(d)) EXPECT_EQ(o.find("link v1→v3 passes behind"), std::string::npos) << o;
  bool routed = false;
  for (const auto& l : d["links"])
    if (l["from"] == "v1" && l["to"] == "v3") routed = l["points"].size() > 9;  // more than one curve
  EXPECT_TRUE(routed);
}
