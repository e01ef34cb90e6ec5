// Links routed around nodes and labels placed along routed paths: pure geometry, no ImGui
// context, no GL.
#include "app/widgets/canvas_route.h"

#include <gtest/gtest.h>

using namespace gs::app::widgets;

namespace {
CanvasRect box(float x0, float y0, float x1, float y1) { return CanvasRect{ImVec2(x0, y0), ImVec2(x1, y1)}; }
}  // namespace

TEST(CanvasRoute, PlainCurveWhenNothingIsInTheWay) {
  const LinkPath p = route_link(ImVec2(0, 0), ImVec2(300, 40), {box(100, 200, 200, 300)}, 8);
  ASSERT_EQ(p.pieces.size(), 1u);
  const Bezier plain = link_curve(ImVec2(0, 0), ImVec2(300, 40));
  EXPECT_FLOAT_EQ(p.pieces[0].p1.x, plain.p1.x);
}

TEST(CanvasRoute, GoesRoundABoxInItsWayAndKeepsItsEnds) {
  const CanvasRect b = box(120, -40, 200, 40);
  const LinkPath p = route_link(ImVec2(0, 0), ImVec2(320, 0), {b}, 8);
  ASSERT_GE(p.pieces.size(), 3u);
  EXPECT_FALSE(path_hits(p, {b}));
  EXPECT_FLOAT_EQ(p.pieces.front().p0.x, 0);
  EXPECT_FLOAT_EQ(p.pieces.back().p3.x, 320);
  EXPECT_FLOAT_EQ(p.pieces.back().p3.y, 0);
  // It passes the box level, a margin away from it.
  const ImVec2 mid = p.at(0.5f);
  EXPECT_TRUE(mid.y <= -48 + 0.01f || mid.y >= 48 - 0.01f) << mid.y;
}

TEST(CanvasRoute, TakesTheGapBetweenTwoBoxesOfAColumn) {
  // A column of two boxes with a gap around y = 100; the link runs from y = 90 to y = 110.
  const std::vector<CanvasRect> column = {box(150, 0, 250, 80), box(150, 120, 250, 200), box(150, 88, 250, 92)};
  const LinkPath p = route_link(ImVec2(0, 90), ImVec2(400, 110), {column[0], column[1]}, 8);
  EXPECT_FALSE(path_hits(p, {column[0], column[1]}));
  EXPECT_NEAR(p.at(0.5f).y, 100, 12);  // through the gap, not round the outside
}

TEST(CanvasRoute, CrossesSeveralColumnsThroughTheirGaps) {
  std::vector<CanvasRect> boxes;
  for (int c = 0; c < 3; ++c)
    for (int r = 0; r < 3; ++r) {
      if (r == c % 3) continue;  // one gap per column, at a different row each time
      boxes.push_back(box(100.0f + 200 * c, 100.0f * r, 180.0f + 200 * c, 100.0f * r + 80));
    }
  const LinkPath p = route_link(ImVec2(0, 40), ImVec2(700, 240), boxes, 6);
  EXPECT_FALSE(path_hits(p, boxes));
}

TEST(CanvasRoute, ALinkRunningBackwardsKeepsThePlainCurve) {
  const LinkPath p = route_link(ImVec2(300, 0), ImVec2(0, 0), {box(100, -20, 200, 20)}, 8);
  EXPECT_EQ(p.pieces.size(), 1u);
}

TEST(CanvasRoute, SegmentsHitTheInsideOfABoxNotItsEdge) {
  const CanvasRect b = box(0, 0, 10, 10);
  EXPECT_TRUE(segment_hits_rect(ImVec2(-5, 5), ImVec2(15, 5), b));
  EXPECT_FALSE(segment_hits_rect(ImVec2(-5, 0), ImVec2(15, 0), b));  // along the edge
  EXPECT_FALSE(segment_hits_rect(ImVec2(-5, -5), ImVec2(-1, 20), b));
}

TEST(CanvasRoute, LabelsGoWhereTheRoutedPathIsFree) {
  const CanvasRect b = box(120, -40, 200, 40);
  const LinkPath p = route_link(ImVec2(0, 0), ImVec2(320, 0), {b}, 8);
  const LabelSpot s = find_label_spot(p, ImVec2(60, 16), {1.0f}, {b});
  EXPECT_TRUE(s.free);
  EXPECT_FALSE(s.rect.overlaps(b));
}

TEST(CanvasRoute, TheSecondLabelOfADoubledLinkHangsBesideTheFirst) {
  // max(v9, v9): two links from one port into two slots of one node, across a gap only one label
  // wide. The second label goes above or below the first, clear of it and of the nodes, and says
  // whose it is by a leader (it is detached from its link).
  const std::vector<CanvasRect> nodes{box(-100, -40, 0, 40), box(100, -40, 200, 40)};
  const LinkPath first_link{{link_curve(ImVec2(0, 0), ImVec2(100, 10))}};
  const LinkPath second_link{{link_curve(ImVec2(0, 0), ImVec2(100, 30))}};
  const LabelSpot first = find_label_spot(first_link, ImVec2(80, 40), {1.0f}, nodes);
  ASSERT_TRUE(first.free);
  EXPECT_FALSE(first.detached());
  std::vector<CanvasRect> taken = nodes;
  taken.push_back(first.rect);
  const LabelSpot second = find_label_spot(second_link, ImVec2(80, 40), {1.0f}, taken);
  ASSERT_TRUE(second.free);
  EXPECT_FLOAT_EQ(second.scale, 1.0f);
  for (const CanvasRect& r : taken) EXPECT_FALSE(second.rect.overlaps(r));
  EXPECT_TRUE(second.detached());
}

TEST(CanvasRoute, PathPointsRunFromStartToEnd) {
  const LinkPath p{{s_piece(ImVec2(0, 0), ImVec2(100, 50)), straight_piece(ImVec2(100, 50), ImVec2(200, 50))}};
  const std::vector<ImVec2> pts = p.polyline(4);
  ASSERT_EQ(pts.size(), 6u);  // start, 4 on the curve, 1 for the straight piece
  EXPECT_FLOAT_EQ(pts.back().x, 200);
  const LinkPath q = p.transformed(2.0f, ImVec2(10, 0));
  EXPECT_FLOAT_EQ(q.pieces.back().p3.x, 410);
}
