// The graph view applying edits to the session: keys and clipboard on seed 004, drawn in an ImGui
// context without a renderer. No GL.
#include "app/graph/view_graph.h"

#include "../headless_imgui.h"

#include <gtest/gtest.h>

using namespace gs;
using namespace gs::app;

namespace {

class GraphViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ImGui::GetIO().KeyMap[ImGuiKey_Delete] = 1;  // any free slot of io.KeysDown
    session.load(builtin_seed004(), "");
  }

  void frame(bool delete_down = false) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeysDown[1] = delete_down;
    io.MousePos = ImVec2(500, 350);
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::SetNextWindowFocus();
    ImGui::Begin("lab", nullptr, ImGuiWindowFlags_NoDecoration);
    ViewContext ctx{session, focus, fonts, redraw, &record};
    record = FrameRecord{};
    view.draw(ctx, ImVec2(1000, 700));
    ImGui::End();
    ImGui::Render();
  }

  gs::app::test_support::HeadlessImGui imgui_;  // gone after the view and the session
  Session session;
  Focus focus;
  FontSet fonts;
  RedrawTimer redraw;
  FrameRecord record;
  GraphView view;
};

}  // namespace

TEST_F(GraphViewTest, DrawsEveryNodeAndLinkOfTheDocument) {
  frame();
  frame();
  EXPECT_EQ(record.nodes.size(), 7u);
  EXPECT_EQ(record.links.size(), 8u);
}

TEST_F(GraphViewTest, DeleteKeyRemovesTheSelectionAndUndoBringsItBack) {
  frame();
  view.select_all(session);
  frame(true);
  EXPECT_TRUE(session.model().nodes().empty());
  frame(false);
  ASSERT_TRUE(session.undo());
  EXPECT_EQ(session.model().nodes().size(), 7u);
}

TEST_F(GraphViewTest, CopyPasteDuplicatesNodesWithTheLinksBetweenThem) {
  frame();
  view.select_all(session);
  view.copy_selection(session);
  view.paste(session);
  ASSERT_EQ(session.model().nodes().size(), 14u);
  int links = 0;
  for (const DocNode& n : session.model().nodes())
    for (int s = 0; s < n.arity; ++s) links += n.inputs[s].valid();
  EXPECT_EQ(links, 16);
  // The pasted inputs were renamed: two graphs, four distinct inputs.
  EXPECT_EQ(session.lesson().graph().inputs().size(), 4u);
}

// Seed 004's extended-graph figure: the nodes the extension adds are drawn as adjoint nodes, those
// holding an adjoint are titled v̄i, and the links into them are dashed.
TEST_F(GraphViewTest, TheExtendedGraphDrawsAdjointNodesWithDashedLinks) {
  ASSERT_TRUE(session.extend_with_adjoints());
  frame();
  int adjoint_nodes = 0, titled = 0;
  std::vector<std::string> adjoint_labels;
  for (const NodeRecord& n : record.nodes) {
    if (!n.adjoint_node) continue;
    ++adjoint_nodes;
    adjoint_labels.push_back(n.label);
    if (n.title.find(" = v\u0304") != std::string::npos) ++titled;
  }
  EXPECT_EQ(adjoint_nodes, static_cast<int>(session.model().nodes().size()) - 7);
  EXPECT_GE(titled, 2);  // v̄1 and v̄2 at least
  int dashed = 0;
  for (const LinkRecord& l : record.links) {
    const bool into_adjoint = std::find(adjoint_labels.begin(), adjoint_labels.end(), l.to) != adjoint_labels.end();
    EXPECT_EQ(l.dashed, into_adjoint) << l.from << " → " << l.to;
    dashed += l.dashed;
  }
  EXPECT_GT(dashed, 0);
}
