// Drawing only what is in view (issue 10: a 100,000-node graph cost 30–48 ms a frame however far
// it was zoomed in): the layout index finds the same nodes and links as a look at every one (the
// graph view drawing with it: test_large_graph.cpp).
#include "app/graph/layout_index.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace gs;
using namespace gs::app;

namespace {

widgets::CanvasRect box(float x, float y, float w, float h) { return widgets::CanvasRect{ImVec2(x, y), ImVec2(x + w, y + h)}; }

}  // namespace

TEST(LayoutIndex, FindsWhatALookAtEveryNodeAndLinkFinds) {
  // Columns of boxes of many sizes (some over each other, one far away), links between any two.
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  std::vector<widgets::NodeKey> keys;
  std::vector<widgets::CanvasRect> rects;
  std::vector<int> slots;
  for (int i = 0; i < 3000; ++i) {
    keys.push_back(widgets::NodeKey{i * 3});
    rects.push_back(box(std::floor(u(rng) * 40) * 220, u(rng) * 9000, 40 + u(rng) * 300, 30 + u(rng) * 200));
    slots.push_back(i % 3);
  }
  rects.push_back(box(-50000, 80000, 10, 10));
  keys.push_back(widgets::NodeKey{1 << 30});
  slots.push_back(0);
  std::vector<IndexedLink> links;
  for (int i = 0; i < 4000; ++i)
    links.push_back(IndexedLink{static_cast<int>(u(rng) * 3000), static_cast<int>(u(rng) * 3001), i % 2});
  LayoutIndex index;
  index.build(keys, rects, slots, links);
  float tallest = 0;
  for (const widgets::CanvasRect& r : rects) tallest = std::max(tallest, r.max.y - r.min.y);
  EXPECT_EQ(index.route_slack(), 2 * tallest);
  EXPECT_EQ(index.layout().min.x, -50000.0f);
  EXPECT_EQ(index.layout().max.y, 80010.0f);

  std::vector<int> nodes, found_links;
  for (int q = 0; q < 300; ++q) {
    // Views from a few units to the whole graph and beyond, some beside it.
    const float w = std::pow(10.0f, 1.0f + 4.5f * u(rng)), h = w * (0.3f + u(rng));
    const widgets::CanvasRect view = box(-2000 + u(rng) * 12000, -2000 + u(rng) * 13000, w, h);
    index.nodes_in(view, &nodes);
    index.links_in(view, &found_links);
    std::vector<int> want_nodes, want_links;
    for (std::size_t i = 0; i < rects.size(); ++i)
      if (rects[i].overlaps(view)) want_nodes.push_back(static_cast<int>(i));
    for (std::size_t i = 0; i < links.size(); ++i)
      if (link_span(rects[links[i].from], rects[links[i].to], 2 * tallest).overlaps(view)) want_links.push_back(static_cast<int>(i));
    ASSERT_EQ(nodes, want_nodes) << "view " << view.min.x << "," << view.min.y << " " << w << "x" << h;
    ASSERT_EQ(found_links, want_links) << "view " << view.min.x << "," << view.min.y << " " << w << "x" << h;
  }

  // The key is the geometry's: the same boxes give the same key, one box moved another.
  LayoutIndex same, moved;
  same.build(keys, rects, slots, links);
  EXPECT_EQ(same.layout().key, index.layout().key);
  rects[17].min.x += 1, rects[17].max.x += 1;
  moved.build(keys, rects, slots, links);
  EXPECT_NE(moved.layout().key, index.layout().key);
}

// Links are found in the cells their spans reach, or, reaching many, looked at on every query: a
// chain's short links and a fan-out's long ones, views inside, across and beside the layout.
TEST(LayoutIndex, ShortAndLongLinksAreFoundAsALookAtEveryLinkFinds) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  std::vector<widgets::NodeKey> keys;
  std::vector<widgets::CanvasRect> rects;
  std::vector<int> slots;
  std::vector<IndexedLink> links;
  for (int i = 0; i < 2500; ++i) {
    keys.push_back(widgets::NodeKey{i});
    rects.push_back(box(static_cast<float>(i % 50) * 180, static_cast<float>(i / 50) * 90, 120, 40));
    slots.push_back(2);
    if (i > 0) links.push_back(IndexedLink{i - 1, i, 0});         // short (a row's end: across it)
    if (i % 7 == 0 && i > 0) links.push_back(IndexedLink{0, i, 1});  // long
  }
  LayoutIndex index;
  index.build(keys, rects, slots, links);
  std::vector<int> found;
  for (int q = 0; q < 400; ++q) {
    const float w = std::pow(10.0f, 1.0f + 4.0f * u(rng)), h = w * (0.3f + u(rng));
    const widgets::CanvasRect view = box(-3000 + u(rng) * 15000, -3000 + u(rng) * 10000, w, h);
    index.links_in(view, &found);
    std::vector<int> want;
    for (std::size_t i = 0; i < links.size(); ++i)
      if (index.link_spans()[i].overlaps(view)) want.push_back(static_cast<int>(i));
    ASSERT_EQ(found, want) << "view " << view.min.x << "," << view.min.y << " " << w << "x" << h;
  }
}
