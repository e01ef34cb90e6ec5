// PlotBuffer's bounded mode (app/widgets/plot.h): every point kept up to the bound; beyond it the
// points kept stay bounded however long the series, every spike, dip, non-finite value and step
// of a staircase survives, the end of the curve is exact, and summaries stay those of the data.
#include "app/widgets/plot.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

using gs::app::widgets::PlotBuffer;

namespace {

// Noise around 1 (deterministic), with the special points the tests look for.
double bounded_test_value(int i) {
  if (i == 123457) return 50.0;
  if (i == 777777) return -3.0;
  if (i == 500000) return std::numeric_limits<double>::quiet_NaN();
  return 1.0 + 0.1 * std::sin(i * 0.37) + 0.05 * std::sin(i * 1.91);
}

int kept_index_at_x(const PlotBuffer& b, double x) {
  for (int i = 0; i < b.size(); ++i)
    if (b.xs()[i] == x) return i;
  return -1;
}

}  // namespace

TEST(PlotBufferBounded, KeepsEveryPointUpToTheBound) {
  PlotBuffer b;
  b.set_max_points(100);
  for (int i = 0; i < 100; ++i) b.append(i, i * 0.5 - (i % 3));
  ASSERT_EQ(b.size(), 100);
  EXPECT_EQ(b.bucket(), 1);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(b.xs()[i], i);
    EXPECT_EQ(b.ys()[i], i * 0.5 - (i % 3));
  }
  b.append(100, 7);  // one more: the series is kept in buckets now
  EXPECT_LE(b.size(), 100);
  EXPECT_GT(b.bucket(), 1);
  EXPECT_EQ(b.appended(), 101);
}

TEST(PlotBufferBounded, StaysBoundedAndKeepsSpikesDipsAndNonFiniteValues) {
  PlotBuffer b;
  b.set_max_points(1024);
  int most = 0;
  for (int i = 0; i < 1000000; ++i) {
    b.append(i, bounded_test_value(i));
    most = std::max(most, b.size());
  }
  EXPECT_LE(most, 1024);
  EXPECT_GE(b.size(), 100);  // not reduced to nothing either
  EXPECT_EQ(b.appended(), 1000000);
  EXPECT_TRUE(b.x_sorted());
  // The spike, the dip and the NaN are points of the curve, where they were.
  const int spike = kept_index_at_x(b, 123457), dip = kept_index_at_x(b, 777777), nan = kept_index_at_x(b, 500000);
  ASSERT_GE(spike, 0);
  ASSERT_GE(dip, 0);
  ASSERT_GE(nan, 0);
  EXPECT_EQ(b.ys()[spike], 50.0);
  EXPECT_EQ(b.ys()[dip], -3.0);
  EXPECT_TRUE(std::isnan(b.ys()[nan]));
  // Every kept point is a point of the data, and the curve ends at the last one appended.
  for (int i = 0; i < b.size(); i += 7) {
    const double y = bounded_test_value(static_cast<int>(b.xs()[i]));
    if (!std::isnan(y)) { EXPECT_EQ(b.ys()[i], y) << "x " << b.xs()[i]; }
  }
  EXPECT_EQ(b.xs()[b.size() - 1], 999999.0);
  // The summary of the whole is the data's.
  const PlotBuffer::Summary s = b.summarize(0, b.size());
  EXPECT_EQ(b.ys()[s.max_index], 50.0);
  EXPECT_EQ(b.ys()[s.min_index], -3.0);
  EXPECT_EQ(s.nan, 1);
}

TEST(PlotBufferBounded, AStaircaseKeepsEveryStepWhereItChanges) {
  // A learning rate halved every 100 000 steps (StepLR per step), over a million steps.
  PlotBuffer b;
  b.set_max_points(256);
  auto rate = [](int i) { return 0.1 * std::pow(0.5, i / 100000); };
  for (int i = 0; i < 1000000; ++i) b.append(i, rate(i));
  EXPECT_LE(b.size(), 256);
  for (int change = 100000; change < 1000000; change += 100000) {
    const int at = kept_index_at_x(b, change);
    ASSERT_GE(at, 1) << "the step at " << change << " was lost";
    EXPECT_EQ(b.ys()[at], rate(change));
    EXPECT_EQ(b.ys()[at - 1], rate(change - 1));  // the step before holds the old rate
  }
}

TEST(PlotBufferBounded, ClearKeepsTheBoundAndStartsExactAgain) {
  PlotBuffer b;
  b.set_max_points(64);
  for (int i = 0; i < 10000; ++i) b.append(i, i % 17);
  b.clear();
  EXPECT_EQ(b.max_points(), 64);
  for (int i = 0; i < 64; ++i) b.append(i, i);
  ASSERT_EQ(b.size(), 64);
  EXPECT_EQ(b.ys()[63], 63.0);
}
