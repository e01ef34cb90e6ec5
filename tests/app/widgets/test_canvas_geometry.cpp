// Canvas coordinate transforms and hit testing of nodes, ports and links: pure geometry, no GL.
#include "app/widgets/canvas_geometry.h"

#include <gtest/gtest.h>

using namespace gs::app::widgets;

namespace {
void expect_near(ImVec2 a, ImVec2 b, float tol = 1e-3f) {
  EXPECT_NEAR(a.x, b.x, tol) << "x differs";
  EXPECT_NEAR(a.y, b.y, tol) << "y differs";
}
}  // namespace

TEST(CanvasTransform, ScreenAndCanvasRoundTrip) {
  CanvasTransform t{ImVec2(100, 50), ImVec2(30, -20), 1.75f};
  const ImVec2 p(12.5f, -40.0f);
  expect_near(t.canvas_from_screen(t.screen_from_canvas(p)), p);
  expect_near(t.screen_from_canvas(ImVec2(0, 0)), ImVec2(130, 30));
  expect_near(t.screen_from_canvas(ImVec2(10, 10)), ImVec2(147.5f, 47.5f));
}

TEST(CanvasTransform, ZoomKeepsThePointUnderTheMouse) {
  CanvasTransform t{ImVec2(0, 0), ImVec2(10, 10), 1.0f};
  const ImVec2 mouse(200, 120);
  const ImVec2 before = t.canvas_from_screen(mouse);
  t.zoom_about(mouse, 2.5f);
  EXPECT_FLOAT_EQ(t.zoom, 2.5f);
  expect_near(t.canvas_from_screen(mouse), before);
}

TEST(CanvasTransform, ZoomIsClamped) {
  CanvasTransform t;
  t.zoom_about(ImVec2(0, 0), 100.0f);
  EXPECT_FLOAT_EQ(t.zoom, kMaxZoom);
  t.zoom_about(ImVec2(0, 0), 0.0001f);
  EXPECT_FLOAT_EQ(t.zoom, kMinZoom);
}

TEST(CanvasTransform, FitShowsTheWholeBoxCentred) {
  CanvasTransform t{ImVec2(10, 20), ImVec2(0, 0), 1.0f};
  t.fit(ImVec2(-100, 0), ImVec2(300, 200), ImVec2(800, 600), 20.0f);
  const ImVec2 a = t.screen_from_canvas(ImVec2(-100, 0)), b = t.screen_from_canvas(ImVec2(300, 200));
  EXPECT_GE(a.x, 10 + 20 - 0.01f);
  EXPECT_LE(b.x, 10 + 800 - 20 + 0.01f);
  EXPECT_GE(a.y, 20 + 20 - 0.01f);
  EXPECT_LE(b.y, 20 + 600 - 20 + 0.01f);
  EXPECT_NEAR((a.x + b.x) * 0.5f, 10 + 400, 0.01f);
  EXPECT_NEAR((a.y + b.y) * 0.5f, 20 + 300, 0.01f);
}

TEST(CanvasTransform, FitRespectsTheZoomLimit) {
  CanvasTransform t;
  t.fit(ImVec2(0, 0), ImVec2(10, 10), ImVec2(1000, 1000), 0.0f, 1.5f);
  EXPECT_FLOAT_EQ(t.zoom, 1.5f);
}

TEST(CanvasHit, TopmostNodeWins) {
  const std::vector<CanvasRect> nodes{{ImVec2(0, 0), ImVec2(100, 50)}, {ImVec2(50, 25), ImVec2(150, 75)}};
  EXPECT_EQ(hit_node(nodes, ImVec2(10, 10)), 0);
  EXPECT_EQ(hit_node(nodes, ImVec2(60, 30)), 1);  // overlap: the later one is drawn on top
  EXPECT_EQ(hit_node(nodes, ImVec2(200, 200)), -1);
}

TEST(CanvasHit, PortsSitOnTheEdges) {
  const CanvasRect r{ImVec2(0, 0), ImVec2(100, 90)};
  const ImVec2 in0 = input_port_pos(r, 0, 2), in1 = input_port_pos(r, 1, 2), out = output_port_pos(r);
  EXPECT_FLOAT_EQ(in0.x, 0);
  EXPECT_FLOAT_EQ(in0.y, 30);
  EXPECT_FLOAT_EQ(in1.y, 60);
  EXPECT_FLOAT_EQ(out.x, 100);
  EXPECT_FLOAT_EQ(out.y, 45);
}

TEST(CanvasHit, PortNearestWithinRadius) {
  const std::vector<CanvasRect> nodes{{ImVec2(0, 0), ImVec2(100, 90)}, {ImVec2(200, 0), ImVec2(300, 90)}};
  const std::vector<int> slots{0, 2};
  PortHit h = hit_port(nodes, slots, ImVec2(203, 31), 8.0f);
  EXPECT_EQ(h.node, 1);
  EXPECT_EQ(h.slot, 0);
  EXPECT_FALSE(h.output);
  h = hit_port(nodes, slots, ImVec2(97, 44), 8.0f);
  EXPECT_EQ(h.node, 0);
  EXPECT_TRUE(h.output);
  h = hit_port(nodes, slots, ImVec2(150, 45), 8.0f);
  EXPECT_EQ(h.node, -1);
}

TEST(CanvasHit, LinkHitNearTheCurveOnly) {
  const Bezier c = link_curve(ImVec2(0, 0), ImVec2(200, 100));
  const std::vector<Bezier> links{c};
  const ImVec2 mid = c.at(0.5f);
  EXPECT_EQ(hit_link(links, ImVec2(mid.x + 2, mid.y + 2), 6.0f), 0);
  EXPECT_EQ(hit_link(links, ImVec2(mid.x, mid.y + 40), 6.0f), -1);
  EXPECT_LT(distance_to_curve(c, c.at(0.3f)), 0.5f);
}

TEST(CanvasHit, LinkCurveLeavesAndEntersHorizontally) {
  const Bezier c = link_curve(ImVec2(0, 0), ImVec2(200, 100));
  EXPECT_FLOAT_EQ(c.p1.y, 0);
  EXPECT_FLOAT_EQ(c.p2.y, 100);
  EXPECT_GT(c.p1.x, c.p0.x);
  EXPECT_LT(c.p2.x, c.p3.x);
}

TEST(CanvasHit, BoxSelectsOverlappingNodesInAnyDirection) {
  const std::vector<CanvasRect> nodes{{ImVec2(0, 0), ImVec2(10, 10)}, {ImVec2(20, 0), ImVec2(30, 10)}, {ImVec2(100, 100), ImVec2(110, 110)}};
  EXPECT_EQ(nodes_in_box(nodes, ImVec2(25, 5), ImVec2(-5, -5)), (std::vector<int>{0, 1}));
  EXPECT_TRUE(nodes_in_box(nodes, ImVec2(40, 40), ImVec2(90, 90)).empty());
}

TEST(CanvasLabel, MiddleOfTheLinkWhenNothingIsInTheWay) {
  const Bezier c = link_curve(ImVec2(0, 0), ImVec2(400, 0));
  const LabelSpot s = find_label_spot(c, ImVec2(100, 20), {1.0f, 0.7f}, {});
  EXPECT_TRUE(s.free);
  EXPECT_FLOAT_EQ(s.scale, 1.0f);
  EXPECT_FLOAT_EQ((s.rect.min.x + s.rect.max.x) * 0.5f, 200.0f);
  EXPECT_FLOAT_EQ(s.rect.max.x - s.rect.min.x, 100.0f);
}

TEST(CanvasLabel, SlidesAlongTheLinkPastANodeThenShrinks) {
  const Bezier c = link_curve(ImVec2(0, 0), ImVec2(400, 0));
  // A node over the middle: the label moves along the link, full size.
  const std::vector<CanvasRect> middle{{ImVec2(150, -50), ImVec2(250, 50)}};
  LabelSpot s = find_label_spot(c, ImVec2(100, 20), {1.0f, 0.7f}, middle);
  EXPECT_TRUE(s.free);
  EXPECT_FLOAT_EQ(s.scale, 1.0f);
  EXPECT_FALSE(s.rect.overlaps(middle[0]));
  // Two nodes 80 apart with the link between them: only the smaller label fits the gap.
  const Bezier short_link = link_curve(ImVec2(100, 0), ImVec2(180, 0));
  const std::vector<CanvasRect> ends{{ImVec2(0, -30), ImVec2(100, 30)}, {ImVec2(180, -30), ImVec2(280, 30)}};
  s = find_label_spot(short_link, ImVec2(100, 20), {1.0f, 0.7f}, ends);
  EXPECT_TRUE(s.free);
  EXPECT_FLOAT_EQ(s.scale, 0.7f);
}

TEST(CanvasLabel, LeastCoveredSpotWhenNoneIsFree) {
  const Bezier c = link_curve(ImVec2(0, 0), ImVec2(400, 0));
  // Everything covered, the left half more than the right.
  const std::vector<CanvasRect> cover{{ImVec2(-100, -100), ImVec2(500, 100)}, {ImVec2(-100, -100), ImVec2(200, 100)}};
  const LabelSpot s = find_label_spot(c, ImVec2(100, 20), {1.0f, 0.7f}, cover);
  EXPECT_FALSE(s.free);
  EXPECT_GE(s.rect.min.x, 200.0f);  // in the right half
}
