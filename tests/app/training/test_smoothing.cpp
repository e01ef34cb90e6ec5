// TensorBoard's debiased EMA (app/training/smoothing.h): known values worked by hand, the live
// form equal to the whole-series form, constant series and non-finite values passed through.
#include "app/training/smoothing.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

using gs::app::training::debiased_ema;
using gs::app::training::DebiasedEma;

TEST(DebiasedEma, KnownValuesAtWeightPointSix) {
  // last = 0.6·last + 0.4·y; smoothed = last / (1 − 0.6^k):
  // k=1: 0.4/0.4 = 1; k=2: (0.24 + 0.8)/0.64 = 1.625; k=3: (0.624 + 1.2)/0.784.
  const std::vector<double> s = debiased_ema({1, 2, 3}, 0.6);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_DOUBLE_EQ(s[0], 1.0);
  EXPECT_DOUBLE_EQ(s[1], 1.625);
  EXPECT_NEAR(s[2], 1.824 / 0.784, 1e-12);
}

TEST(DebiasedEma, WeightZeroIsTheRawSeries) {
  const std::vector<double> ys = {3, 1, 4, 1, 5};
  EXPECT_EQ(debiased_ema(ys, 0.0), ys);
}

TEST(DebiasedEma, ConstantSeriesAndNonFiniteValuesPassThrough) {
  EXPECT_EQ(debiased_ema({2, 2, 2}, 0.9), (std::vector<double>{2, 2, 2}));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> s = debiased_ema({1, nan, 2}, 0.6);
  EXPECT_TRUE(std::isnan(s[1]));
  EXPECT_DOUBLE_EQ(s[2], 1.625);  // the NaN left out of the average, not counted
}

TEST(DebiasedEma, LiveFormEqualsTheWholeSeries) {
  const std::vector<double> ys = {5, 5, 5, 4, 3.5, std::numeric_limits<double>::infinity(), 2, 2.5, 1};
  DebiasedEma ema(0.6);
  std::vector<double> live;
  for (double y : ys) {
    const double v = ema.push(y);
    if (ema.restarted()) live = debiased_ema(std::vector<double>(ys.begin(), ys.begin() + static_cast<long>(live.size()) + 1), 0.6);
    else live.push_back(v);
  }
  const std::vector<double> whole = debiased_ema(ys, 0.6);
  ASSERT_EQ(live.size(), whole.size());
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (std::isinf(whole[i])) EXPECT_TRUE(std::isinf(live[i]));
    else EXPECT_NEAR(live[i], whole[i], 1e-12) << i;
  }
}
