// The redraw timer: the earliest of the times asked for in a frame, whatever order they came in.
// No ImGui.
#include "app/base/redraw.h"

#include <gtest/gtest.h>

#include <limits>

using namespace gs::app;

TEST(RedrawTimer, NothingAskedMeansSleepUntilInput) {
  RedrawTimer t;
  EXPECT_FALSE(t.pending());
  EXPECT_EQ(t.due(), 0.0);
}

TEST(RedrawTimer, EarliestRequestWinsInAnyOrder) {
  RedrawTimer a;
  a.request_at(5.0);   // an autosave in five seconds
  a.request_at(1.25);  // the player's next step
  a.request_at(3.0);   // a caret blink
  EXPECT_TRUE(a.pending());
  EXPECT_EQ(a.due(), 1.25);
  RedrawTimer b;  // the same requests in the opposite order: a last-writer-wins timer would say 5
  b.request_at(1.25);
  b.request_at(3.0);
  b.request_at(5.0);
  EXPECT_EQ(b.due(), 1.25);
}

TEST(RedrawTimer, ClearForgetsAndNoTimesAreIgnored) {
  RedrawTimer t;
  t.request_at(2.0);
  t.clear();
  EXPECT_FALSE(t.pending());
  t.request_at(0.0);  // "no autosave pending"
  t.request_at(-1.0);
  t.request_at(std::numeric_limits<double>::quiet_NaN());
  t.request_at(std::numeric_limits<double>::infinity());
  EXPECT_FALSE(t.pending());
  t.request_at(7.0);
  t.request_at(0.0);
  EXPECT_EQ(t.due(), 7.0);
}
