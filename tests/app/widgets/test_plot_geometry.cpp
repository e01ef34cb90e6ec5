// The plot widget's pure parts, without GL or an ImGui context: axis transforms, ranges, tick
// generation and labels (linear and log, tiny, huge, negative and degenerate ranges), PlotBuffer's
// pyramid, min/max decimation, staircase paths, clipping, dashes, layout and hit testing.
#include "app/widgets/plot_internal.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <set>

using namespace gs::app::widgets;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Text width as a fixed 8 px per byte: enough to test spacing without a font.
float width8(const std::string& s) { return 8.0f * static_cast<float>(s.size()); }

std::vector<std::string> major_labels(const std::vector<Tick>& ticks) {
  std::vector<std::string> out;
  for (const Tick& t : ticks)
    if (t.major) out.push_back(t.label);
  return out;
}

std::vector<Tick> ticks_for(double lo, double hi, PlotScale s = PlotScale::Linear, bool horizontal = false, float length = 400.0f) {
  TickSpec spec;
  spec.range = {lo, hi};
  spec.scale = s;
  spec.horizontal = horizontal;
  spec.length_px = length;
  spec.label_height_px = 16.0f;
  spec.min_gap_px = 12.0f;
  return make_ticks(spec, width8);
}

// Every major label distinct, ticks ascending and inside the range, labels not overlapping.
void expect_readable(const std::vector<Tick>& ticks, const TickSpec& spec) {
  std::set<std::string> seen;
  double prev = -kInf;
  const AxisTransform t(spec.range, spec.scale, 0.0, spec.length_px);
  double prev_px = -1e9;
  float prev_half = 0.0f;
  for (const Tick& tick : ticks) {
    EXPECT_GT(tick.value, prev) << "ticks not ascending at " << tick.value;
    prev = tick.value;
    EXPECT_GE(tick.value, spec.range.min - std::abs(spec.range.min) * 1e-9 - 1e-300);
    EXPECT_LE(tick.value, spec.range.max + std::abs(spec.range.max) * 1e-9 + 1e-300);
    if (!tick.major) continue;
    EXPECT_FALSE(tick.label.empty());
    EXPECT_TRUE(seen.insert(tick.label).second) << "label repeated: " << tick.label;
    const double px = t.pixel_from_value(tick.value);
    const float half = spec.horizontal ? width8(tick.label) * 0.5f : spec.label_height_px * 0.5f;
    EXPECT_GE(px - prev_px, prev_half + half + spec.min_gap_px * 0.99) << "labels overlap at " << tick.label;
    prev_px = px;
    prev_half = half;
  }
}

TickSpec spec_of(double lo, double hi, PlotScale s, bool horizontal, float length) {
  TickSpec spec;
  spec.range = {lo, hi};
  spec.scale = s;
  spec.horizontal = horizontal;
  spec.length_px = length;
  return spec;
}

}  // namespace

// [SECTION] transforms and ranges

TEST(PlotTransform, LinearRoundTripAndDirection) {
  const AxisTransform x({0.0, 100.0}, PlotScale::Linear, 50.0, 850.0);
  EXPECT_DOUBLE_EQ(x.pixel_from_value(0.0), 50.0);
  EXPECT_DOUBLE_EQ(x.pixel_from_value(100.0), 850.0);
  EXPECT_DOUBLE_EQ(x.pixel_from_value(25.0), 250.0);
  EXPECT_DOUBLE_EQ(x.value_from_pixel(450.0), 50.0);
  // A y axis: the range's minimum at the bottom (larger pixel).
  const AxisTransform y({-1.0, 1.0}, PlotScale::Linear, 500.0, 100.0);
  EXPECT_DOUBLE_EQ(y.pixel_from_value(-1.0), 500.0);
  EXPECT_DOUBLE_EQ(y.pixel_from_value(1.0), 100.0);
  EXPECT_DOUBLE_EQ(y.pixel_from_value(0.0), 300.0);
  for (double v : {-0.73, 0.0, 0.5, 0.999}) EXPECT_NEAR(y.value_from_pixel(y.pixel_from_value(v)), v, 1e-12);
}

TEST(PlotTransform, LogPutsDecadesEvenlyAndRefusesNonPositive) {
  const AxisTransform y({1e-4, 1.0}, PlotScale::Log10, 400.0, 0.0);
  EXPECT_NEAR(y.pixel_from_value(1e-4), 400.0, 1e-9);
  EXPECT_NEAR(y.pixel_from_value(1e-3), 300.0, 1e-9);
  EXPECT_NEAR(y.pixel_from_value(1e-2), 200.0, 1e-9);
  EXPECT_NEAR(y.pixel_from_value(1.0), 0.0, 1e-9);
  EXPECT_NEAR(y.value_from_pixel(100.0), 0.1, 1e-15);
  EXPECT_TRUE(std::isnan(y.pixel_from_value(0.0)));
  EXPECT_TRUE(std::isnan(y.pixel_from_value(-3.0)));
}

TEST(PlotTransform, FarAwayPointsStayExactInDoublePixels) {
  // Zoomed into [0, 1e-6] of a series that goes on to 1e6: the pixel of 1e6 is ~1e15, still exact.
  const AxisTransform x({0.0, 1e-6}, PlotScale::Linear, 0.0, 1000.0);
  EXPECT_DOUBLE_EQ(x.pixel_from_value(1e6), 1e15);
}

TEST(PlotRangeTest, SanitizeRepairsDegenerateReversedAndNonFinite) {
  PlotRange r = sanitize_range({3.0, 3.0}, PlotScale::Linear);
  EXPECT_LT(r.min, 3.0);
  EXPECT_GT(r.max, 3.0);
  r = sanitize_range({5.0, 2.0}, PlotScale::Linear);
  EXPECT_EQ(r, (PlotRange{2.0, 5.0}));
  r = sanitize_range({kNaN, 1.0}, PlotScale::Linear);
  EXPECT_EQ(r, (PlotRange{0.0, 1.0}));
  r = sanitize_range({-kInf, kInf}, PlotScale::Linear);
  EXPECT_EQ(r, (PlotRange{0.0, 1.0}));
  r = sanitize_range({-1e308, 1e308}, PlotScale::Linear);
  EXPECT_TRUE(std::isfinite(r.span()));
  // Log: positive, never below 1e-300.
  r = sanitize_range({-1.0, 10.0}, PlotScale::Log10);
  EXPECT_GT(r.min, 0.0);
  EXPECT_DOUBLE_EQ(r.max, 10.0);
  r = sanitize_range({-5.0, -1.0}, PlotScale::Log10);
  EXPECT_EQ(r, (PlotRange{0.1, 1.0}));
  r = sanitize_range({1e-320, 1e-310}, PlotScale::Log10);
  EXPECT_GE(r.min, 1e-300);
  EXPECT_GT(r.max, r.min);
}

TEST(PlotRangeTest, TinyRangesKeepDistinctPixels) {
  // 1 ± 1e-15: narrower than double precision can draw; widened to about 1e-12 around it.
  const PlotRange r = sanitize_range({1.0 - 1e-15, 1.0 + 1e-15}, PlotScale::Linear);
  EXPECT_GE(r.span(), 1e-12 * 0.99);
  EXPECT_NEAR((r.min + r.max) / 2, 1.0, 1e-15);
  const AxisTransform t(r, PlotScale::Linear, 0.0, 1000.0);
  EXPECT_NE(t.pixel_from_value(r.min), t.pixel_from_value(r.max));
}

TEST(PlotRangeTest, ZoomKeepsThePivotAndLogZoomsByDecades) {
  const PlotRange r = zoom_range({0.0, 100.0}, PlotScale::Linear, 20.0, 0.5);
  EXPECT_DOUBLE_EQ(r.min, 10.0);
  EXPECT_DOUBLE_EQ(r.max, 60.0);
  const PlotRange l = zoom_range({1e-4, 1.0}, PlotScale::Log10, 1e-2, 0.5);
  EXPECT_NEAR(std::log10(l.min), -3.0, 1e-12);
  EXPECT_NEAR(std::log10(l.max), -1.0, 1e-12);
  // Zooming in forever stops at the precision floor instead of collapsing.
  PlotRange z{0.0, 1.0};
  for (int i = 0; i < 400; ++i) z = zoom_range(z, PlotScale::Linear, 0.5, 0.5);
  EXPECT_GT(z.span(), 0.0);
  EXPECT_TRUE(z.contains(0.5));
}

TEST(PlotRangeTest, PanMovesWithTheMouse) {
  const AxisTransform x({0.0, 10.0}, PlotScale::Linear, 0.0, 100.0);
  const PlotRange r = pan_range(x, 20.0);  // dragged 20 px right: the view shows 2 units further left
  EXPECT_DOUBLE_EQ(r.min, -2.0);
  EXPECT_DOUBLE_EQ(r.max, 8.0);
  const AxisTransform y({0.0, 10.0}, PlotScale::Linear, 100.0, 0.0);
  const PlotRange ry = pan_range(y, 10.0);  // dragged down: smaller values come into view
  EXPECT_DOUBLE_EQ(ry.min, 1.0);
  EXPECT_DOUBLE_EQ(ry.max, 11.0);
  const AxisTransform lx({1.0, 1000.0}, PlotScale::Log10, 0.0, 300.0);
  const PlotRange rl = pan_range(lx, -100.0);  // one decade
  EXPECT_NEAR(rl.min, 10.0, 1e-9);
  EXPECT_NEAR(rl.max, 10000.0, 1e-6);
}

TEST(PlotRangeTest, BoxZoomBetweenPixelsInEitherOrder) {
  const AxisTransform y({0.0, 10.0}, PlotScale::Linear, 100.0, 0.0);
  EXPECT_EQ(range_between_pixels(y, 80.0, 30.0), (PlotRange{2.0, 7.0}));
  EXPECT_EQ(range_between_pixels(y, 30.0, 80.0), (PlotRange{2.0, 7.0}));
}

TEST(PlotRangeTest, FitPadsAndHandlesSingleValuesAndNoData) {
  PlotRange r = fit_range(0.0, 100.0, PlotScale::Linear, 0.05);
  EXPECT_DOUBLE_EQ(r.min, -5.0);
  EXPECT_DOUBLE_EQ(r.max, 105.0);
  r = fit_range(0.1, 0.1, PlotScale::Linear, 0.05);  // a constant learning rate
  EXPECT_NEAR(r.min, 0.09, 1e-15);
  EXPECT_NEAR(r.max, 0.11, 1e-15);
  r = fit_range(0.0, 0.0, PlotScale::Linear, 0.05);
  EXPECT_EQ(r, (PlotRange{-1.0, 1.0}));
  r = fit_range(1.0, 0.0, PlotScale::Linear, 0.05);  // no finite data
  EXPECT_EQ(r, (PlotRange{0.0, 1.0}));
  r = fit_range(1e-5, 0.1, PlotScale::Log10, 0.0);
  EXPECT_NEAR(r.min, 1e-5, 1e-20);
  EXPECT_NEAR(r.max, 0.1, 1e-15);
  r = fit_range(0.01, 0.01, PlotScale::Log10, 0.05);
  EXPECT_NEAR(r.min, 0.005, 1e-15);
  EXPECT_NEAR(r.max, 0.02, 1e-15);
}

// [SECTION] ticks and labels

TEST(PlotTicks, NiceStepsAreOneTwoFive) {
  EXPECT_DOUBLE_EQ(nice_step(0.7), 1.0);
  EXPECT_DOUBLE_EQ(nice_step(1.0), 1.0);
  EXPECT_DOUBLE_EQ(nice_step(1.3), 2.0);
  EXPECT_DOUBLE_EQ(nice_step(3.0), 5.0);
  EXPECT_DOUBLE_EQ(nice_step(7.0), 10.0);
  EXPECT_DOUBLE_EQ(nice_step(0.00031), 0.0005);
  EXPECT_DOUBLE_EQ(nice_step(4.2e11), 5e11);
  EXPECT_DOUBLE_EQ(next_nice_step(1.0), 2.0);
  EXPECT_DOUBLE_EQ(next_nice_step(2e-3), 5e-3);
  EXPECT_DOUBLE_EQ(next_nice_step(5e4), 1e5);
}

TEST(PlotTicks, EpochAxisGetsRoundNumbers) {
  const std::vector<Tick> t = ticks_for(-1.0, 101.0, PlotScale::Linear, true, 800.0f);
  const std::vector<std::string> labels = major_labels(t);
  // 8 px per character: "100" is 24 px wide, so steps of 10 fit in 800 px.
  ASSERT_FALSE(labels.empty());
  EXPECT_EQ(labels.front(), "0");
  EXPECT_EQ(labels.back(), "100");
  EXPECT_NE(std::find(labels.begin(), labels.end(), "50"), labels.end());
  expect_readable(t, spec_of(-1.0, 101.0, PlotScale::Linear, true, 800.0f));
}

TEST(PlotTicks, LearningRateAxisHasDecimalsWithoutNoise) {
  const std::vector<Tick> t = ticks_for(0.0, 0.1, PlotScale::Linear, false, 300.0f);
  const std::vector<std::string> labels = major_labels(t);
  ASSERT_GE(labels.size(), 3u);
  for (const std::string& l : labels) {
    EXPECT_LE(l.size(), 5u) << l;  // "0.02", not "0.020000000000000004"
    EXPECT_EQ(l.find("000000"), std::string::npos) << l;
  }
  EXPECT_EQ(labels.front(), "0");
  EXPECT_EQ(labels.back(), "0.10");  // as many decimals as the step, like its neighbours (0.08)
}

TEST(PlotTicks, NegativeRangesAndZeroWithoutMinusZero) {
  const std::vector<Tick> t = ticks_for(-5.0, 5.0, PlotScale::Linear, false, 400.0f);
  const std::vector<std::string> labels = major_labels(t);
  EXPECT_NE(std::find(labels.begin(), labels.end(), "0"), labels.end());
  EXPECT_EQ(std::find(labels.begin(), labels.end(), "-0"), labels.end());
  EXPECT_EQ(labels.front().front(), '-');
  expect_readable(t, spec_of(-5.0, 5.0, PlotScale::Linear, false, 400.0f));
  // 0.1 + 0.2 style rounding must not leave 5.551115123125783e-17 where 0 belongs.
  const std::vector<Tick> u = ticks_for(-0.3, 0.3, PlotScale::Linear, false, 400.0f);
  for (const Tick& tick : u) {
    if (tick.major && std::abs(tick.value) < 1e-9) {
      EXPECT_EQ(tick.label, "0");
    }
  }
}

TEST(PlotTicks, TinyAndHugeRangesStayDistinctAndReadable) {
  struct Case {
    double lo, hi;
    bool horizontal;
  } cases[] = {{1.0, 1.0 + 1e-9, false},  {1e6, 1e6 + 1e-3, false}, {0.0, 1e-12, false}, {-3e-9, 2e-9, false},
               {0.0, 1e12, true},         {-2e15, 5e15, true},       {0.0, 1e-5, true},    {0.999999, 1.000001, false},
               {123456.0, 123457.0, true}, {-1e300, 1e300, false}};
  for (const Case& c : cases) {
    SCOPED_TRACE(std::to_string(c.lo) + " .. " + std::to_string(c.hi));
    const TickSpec spec = spec_of(c.lo, c.hi, PlotScale::Linear, c.horizontal, c.horizontal ? 900.0f : 400.0f);
    const std::vector<Tick> t = make_ticks(spec, width8);
    EXPECT_GE(major_labels(t).size(), 2u);
    expect_readable(t, spec);
    for (const std::string& l : major_labels(t)) EXPECT_LE(l.size(), 20u) << l;
  }
}

TEST(PlotTicks, HugeAndTinyMagnitudesUseScientificLabels) {
  const std::vector<std::string> big = major_labels(ticks_for(0.0, 1e12, PlotScale::Linear, false, 400.0f));
  EXPECT_NE(std::find(big.begin(), big.end(), "2×10¹¹"), big.end()) << ::testing::PrintToString(big);
  EXPECT_NE(std::find(big.begin(), big.end(), "10¹²"), big.end()) << ::testing::PrintToString(big);
  const std::vector<std::string> small = major_labels(ticks_for(0.0, 5e-6, PlotScale::Linear, false, 400.0f));
  EXPECT_NE(std::find(small.begin(), small.end(), "10⁻⁶"), small.end()) << ::testing::PrintToString(small);
  EXPECT_NE(std::find(small.begin(), small.end(), "2×10⁻⁶"), small.end()) << ::testing::PrintToString(small);
}

TEST(PlotTicks, LabelFormats) {
  EXPECT_EQ(format_tick(0.05, 0.01, 0.1, TickFormat::Auto), "0.05");
  EXPECT_EQ(format_tick(2500.0, 500.0, 5000.0, TickFormat::SI), "2.5 k");
  EXPECT_EQ(format_tick(3e-4, 1e-4, 5e-4, TickFormat::SI), "300 µ");
  EXPECT_EQ(format_tick(2e6, 1e6, 5e6, TickFormat::SI), "2 M");
  EXPECT_EQ(format_tick(2.5e-5, 5e-6, 5e-5, TickFormat::Auto), "2.5×10⁻⁵");
  EXPECT_EQ(format_tick(2.5e-5, 5e-6, 5e-5, TickFormat::Auto, false), "2.5e-5");
  EXPECT_EQ(format_tick(-1e-7, 1e-7, 1e-7, TickFormat::Scientific), "-10⁻⁷");
  EXPECT_EQ(format_tick(40.0, 20.0, 100.0, TickFormat::Scientific), "4×10¹");
  EXPECT_EQ(format_tick(1e-20, 0.1, 1.0, TickFormat::Auto), "0");
  EXPECT_EQ(format_value(0.0095), "0.0095");
  EXPECT_EQ(format_value(1e-5), "1e-5");
  EXPECT_EQ(format_value(kNaN), "nan");
  EXPECT_EQ(format_value(-kInf), "-inf");
  EXPECT_EQ(format_value(0.1 * 0.95 * 0.95), "0.09025");
}

TEST(PlotTicks, IntegerAxisHasNoFractionalTicks) {
  TickSpec spec = spec_of(0.0, 3.0, PlotScale::Linear, true, 900.0f);
  spec.integer = true;
  for (const Tick& t : make_ticks(spec, width8)) EXPECT_EQ(t.value, std::round(t.value)) << t.label;
}

TEST(PlotTicks, LogAxisLabelsDecades) {
  const TickSpec spec = spec_of(1e-5, 0.1, PlotScale::Log10, false, 400.0f);
  const std::vector<Tick> t = make_ticks(spec, width8);
  const std::vector<std::string> labels = major_labels(t);
  for (const char* want : {"0.1", "0.01", "0.001", "0.0001", "10⁻⁵"})
    EXPECT_NE(std::find(labels.begin(), labels.end(), want), labels.end()) << want << " in " << ::testing::PrintToString(labels);
  int minors = 0;
  for (const Tick& tick : t) minors += tick.major ? 0 : 1;
  EXPECT_GT(minors, 0);  // 2…9 × 10ⁿ between the decades
  expect_readable(t, spec);
}

TEST(PlotTicks, CrowdedLogAxisSkipsDecades) {
  const TickSpec spec = spec_of(1e-300, 1e300, PlotScale::Log10, false, 300.0f);
  const std::vector<Tick> t = make_ticks(spec, width8);
  EXPECT_GE(major_labels(t).size(), 3u);
  EXPECT_LE(major_labels(t).size(), 12u);
  expect_readable(t, spec);
}

TEST(PlotTicks, RoomyLogAxisLabelsTwoAndFive) {
  const TickSpec spec = spec_of(0.01, 1.0, PlotScale::Log10, false, 600.0f);
  const std::vector<std::string> labels = major_labels(make_ticks(spec, width8));
  EXPECT_NE(std::find(labels.begin(), labels.end(), "0.05"), labels.end()) << ::testing::PrintToString(labels);
  EXPECT_NE(std::find(labels.begin(), labels.end(), "0.2"), labels.end());
  expect_readable(make_ticks(spec, width8), spec);
}

TEST(PlotTicks, LogRangeShorterThanADecadeStillHasTicks) {
  const TickSpec spec = spec_of(0.2, 0.7, PlotScale::Log10, false, 400.0f);
  const std::vector<Tick> t = make_ticks(spec, width8);
  EXPECT_GE(major_labels(t).size(), 3u);
  expect_readable(t, spec);
}

// One label gives no scale: a log axis, of any range and any length a plot has (a gradient norm's
// 66 px at 1024 × 768 showed only "0.1"), labels two ticks at least, readable.
TEST(PlotTicks, EveryLogAxisLabelsTwoTicksAtLeast) {
  int ranges = 0;
  for (bool horizontal : {false, true})
    for (float length : horizontal ? std::vector<float>{300.0f, 500.0f} : std::vector<float>{50.0f, 66.0f, 90.0f, 140.0f, 300.0f})
      for (double lo = -6.0; lo < 3.0; lo += 0.37)
        for (double decades : {0.02, 0.15, 0.5, 0.9, 1.0, 1.2, 1.6, 1.9, 2.3, 3.1, 4.7}) {
          const TickSpec spec = spec_of(std::pow(10.0, lo), std::pow(10.0, lo + decades), PlotScale::Log10, horizontal, length);
          const std::vector<Tick> t = make_ticks(spec, width8);
          ASSERT_GE(major_labels(t).size(), 2u) << "[" << spec.range.min << ", " << spec.range.max << "] over " << length << " px"
                                               << (horizontal ? " (x)" : " (y)") << ": " << ::testing::PrintToString(major_labels(t));
          SCOPED_TRACE(::testing::Message() << "[" << spec.range.min << ", " << spec.range.max << "] over " << length << " px" << (horizontal ? " (x)" : " (y)") << ": " << ::testing::PrintToString(major_labels(t)));
          expect_readable(t, spec);
          ++ranges;
        }
  EXPECT_GT(ranges, 1000);
}

TEST(PlotTicks, HorizontalLabelsNeverOverlap) {
  for (float length : {120.0f, 300.0f, 1000.0f})
    for (auto [lo, hi] : {std::pair{0.0, 1.0}, {0.0, 12345.0}, {-0.004, 0.003}, {1e-3, 1e9}}) {
      const PlotScale s = lo > 0 ? PlotScale::Log10 : PlotScale::Linear;
      const TickSpec spec = spec_of(lo, hi, s, true, length);
      expect_readable(make_ticks(spec, width8), spec);
    }
}

// [SECTION] PlotBuffer

TEST(PlotBufferTest, SummariesMatchAScanForEveryRange) {
  PlotBuffer b;
  std::mt19937 rng(7);
  std::normal_distribution<double> noise;
  std::vector<double> ys;
  for (int i = 0; i < 5000; ++i) {
    double y = noise(rng);
    if (i % 97 == 5) y = kNaN;
    if (i % 389 == 11) y = kInf;
    if (i % 571 == 13) y = -kInf;
    b.append(i * 0.5, y);
    ys.push_back(y);
  }
  EXPECT_TRUE(b.x_sorted());
  std::uniform_int_distribution<int> pick(0, 5000);
  for (int trial = 0; trial < 300; ++trial) {
    int a = pick(rng), c = pick(rng);
    if (a > c) std::swap(a, c);
    const PlotBuffer::Summary s = b.summarize(a, c);
    int nan = 0, pinf = 0, ninf = 0, nonpos = 0, mi = -1, ma = -1, mp = -1;
    for (int i = a; i < c; ++i) {
      const double y = ys[static_cast<std::size_t>(i)];
      if (std::isnan(y)) { ++nan; continue; }
      if (std::isinf(y)) { ++(y > 0 ? pinf : ninf); continue; }
      if (mi < 0 || y < ys[static_cast<std::size_t>(mi)]) mi = i;
      if (ma < 0 || y > ys[static_cast<std::size_t>(ma)]) ma = i;
      if (y <= 0) ++nonpos;
      else if (mp < 0 || y < ys[static_cast<std::size_t>(mp)]) mp = i;
    }
    ASSERT_EQ(s.nan, nan) << a << ".." << c;
    ASSERT_EQ(s.pos_inf, pinf);
    ASSERT_EQ(s.neg_inf, ninf);
    ASSERT_EQ(s.nonpositive, nonpos);
    ASSERT_EQ(s.min_index, mi) << a << ".." << c;
    ASSERT_EQ(s.max_index, ma) << a << ".." << c;
    ASSERT_EQ(s.min_positive_index, mp) << a << ".." << c;
  }
}

TEST(PlotBufferTest, UnsortedAppendIsNoticed) {
  PlotBuffer b;
  b.append(0, 1);
  b.append(2, 1);
  EXPECT_TRUE(b.x_sorted());
  b.append(1, 1);
  EXPECT_FALSE(b.x_sorted());
  b.clear();
  EXPECT_TRUE(b.x_sorted());
  EXPECT_EQ(b.size(), 0);
}

// [SECTION] statistics and lookups

TEST(PlotSeries, StatsCountNonFiniteAndFitYToTheView) {
  const double xs[] = {0, 1, 2, 3, 4, 5};
  const double ys[] = {5, kNaN, -2, kInf, 0.5, 100};
  SeriesView s;
  s.xs = xs;
  s.ys = ys;
  s.count = 6;
  const SeriesStats st = series_stats(s, {0.0, 4.5}, PlotScale::Linear);
  EXPECT_EQ(st.nan, 1);
  EXPECT_EQ(st.pos_inf, 1);
  EXPECT_EQ(st.neg_inf, 0);
  EXPECT_EQ(st.nonpositive, 1);
  EXPECT_EQ(st.x_lo, 0.0);
  EXPECT_EQ(st.x_hi, 5.0);
  EXPECT_EQ(st.y_lo, -2.0);
  EXPECT_EQ(st.y_hi, 5.0);  // 100 is at x = 5, outside the view
  EXPECT_EQ(st.y_lo_positive, 0.5);
  EXPECT_TRUE(st.x_sorted);
}

TEST(PlotSeries, BufferStatsEqualArrayStats) {
  PlotBuffer b;
  std::vector<double> xs, ys;
  for (int i = 0; i < 3000; ++i) {
    const double y = std::sin(i * 0.01) * (i % 50 == 0 ? kNaN : 1.0);
    b.append(i, y);
    xs.push_back(i);
    ys.push_back(y);
  }
  SeriesView a;
  a.xs = xs.data();
  a.ys = ys.data();
  a.count = 3000;
  SeriesView v = a;
  v.buffer = &b;
  const SeriesStats sa = series_stats(a, {100.0, 900.0}, PlotScale::Linear), sb = series_stats(v, {100.0, 900.0}, PlotScale::Linear);
  EXPECT_EQ(sa.nan, sb.nan);
  EXPECT_EQ(sa.nonpositive, sb.nonpositive);
  EXPECT_DOUBLE_EQ(sa.y_lo, sb.y_lo);
  EXPECT_DOUBLE_EQ(sa.y_hi, sb.y_hi);
  EXPECT_DOUBLE_EQ(sa.y_lo_positive, sb.y_lo_positive);
  EXPECT_DOUBLE_EQ(sa.x_lo, sb.x_lo);
  EXPECT_DOUBLE_EQ(sa.x_hi, sb.x_hi);
}

TEST(PlotSeries, StairsLookupFindsTheStepUnderTheCursor) {
  const double xs[] = {0, 1, 2, 3};
  const double ys[] = {0.1, 0.1, 0.01, 0.001};
  SeriesView s;
  s.xs = xs;
  s.ys = ys;
  s.count = 4;
  s.x_sorted = true;
  EXPECT_EQ(stairs_index_at(s, -0.1), -1);
  EXPECT_EQ(stairs_index_at(s, 0.0), 0);
  EXPECT_EQ(stairs_index_at(s, 1.99), 1);
  EXPECT_EQ(stairs_index_at(s, 2.0), 2);
  EXPECT_EQ(stairs_index_at(s, 3.5), 3);  // the last epoch holds until 4
  EXPECT_EQ(stairs_index_at(s, 4.0), -1);
  EXPECT_DOUBLE_EQ(stairs_end(s), 4.0);
  EXPECT_EQ(nearest_index_at(s, 1.4), 1);
  EXPECT_EQ(nearest_index_at(s, 1.6), 2);
  EXPECT_EQ(nearest_index_at(s, -10), 0);
  EXPECT_EQ(nearest_index_at(s, 10), 3);
  // Implicit x = 10 + 2i.
  SeriesView imp;
  imp.ys = ys;
  imp.count = 4;
  imp.x0 = 10;
  imp.dx = 2;
  imp.x_sorted = true;
  EXPECT_EQ(stairs_index_at(imp, 13.9), 1);
  EXPECT_EQ(nearest_index_at(imp, 15.1), 3);
  EXPECT_DOUBLE_EQ(stairs_end(imp), 18.0);
}

// [SECTION] decimation

namespace {

struct Dense {
  std::vector<double> xs, ys;
  SeriesView view() const {
    SeriesView s;
    s.xs = xs.data();
    s.ys = ys.data();
    s.count = static_cast<int>(xs.size());
    s.x_sorted = true;
    return s;
  }
};

Dense noisy(int n, unsigned seed) {
  Dense d;
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise;
  for (int i = 0; i < n; ++i) {
    d.xs.push_back(i);
    d.ys.push_back(std::sin(i * 1e-3) + 0.3 * noise(rng));
  }
  return d;
}

// For every pixel column, what is drawn there or in a neighbouring column reaches the column's
// smallest and largest y: decimation's bins are about a pixel wide and aligned to multiples of
// their width, so a column's extreme may be kept in the next column's bin, never lost.
void expect_column_extremes_kept(const SeriesView& s, const AxisTransform& tx, const Decimated& d) {
  const int columns = static_cast<int>(std::abs(tx.pixel_max - tx.pixel_min));
  std::vector<double> lo(static_cast<std::size_t>(columns), kInf), hi(static_cast<std::size_t>(columns), -kInf);
  std::vector<double> klo = lo, khi = hi;
  auto col_of = [&](double x) { return static_cast<int>(std::floor(tx.pixel_from_value(x) - tx.pixel_min)); };
  for (int i = 0; i < s.count; ++i) {
    const int c = col_of(s.x(i));
    if (c < 0 || c >= columns || !std::isfinite(s.y(i))) continue;
    lo[static_cast<std::size_t>(c)] = std::min(lo[static_cast<std::size_t>(c)], s.y(i));
    hi[static_cast<std::size_t>(c)] = std::max(hi[static_cast<std::size_t>(c)], s.y(i));
  }
  for (const KeptPoint& k : d.points) {
    int c = col_of(k.x);
    if (c < -1 || c > columns) continue;
    c = std::clamp(c, 0, columns - 1);  // a pixel outside the border still counts for its edge column
    klo[static_cast<std::size_t>(c)] = std::min(klo[static_cast<std::size_t>(c)], k.y);
    khi[static_cast<std::size_t>(c)] = std::max(khi[static_cast<std::size_t>(c)], k.y);
  }
  int checked = 0;
  for (int c = 0; c < columns; ++c) {
    if (lo[static_cast<std::size_t>(c)] == kInf) continue;
    double near_lo = kInf, near_hi = -kInf;
    for (int n = std::max(c - 1, 0); n <= std::min(c + 1, columns - 1); ++n) {
      near_lo = std::min(near_lo, klo[static_cast<std::size_t>(n)]);
      near_hi = std::max(near_hi, khi[static_cast<std::size_t>(n)]);
    }
    ASSERT_LE(near_lo, lo[static_cast<std::size_t>(c)]) << "column " << c;
    ASSERT_GE(near_hi, hi[static_cast<std::size_t>(c)]) << "column " << c;
    ++checked;
  }
  EXPECT_GT(checked, columns / 2);
}

}  // namespace

TEST(PlotDecimation, MinAndMaxOfEveryColumnSurvive) {
  const Dense d = noisy(200000, 3);
  const SeriesView s = d.view();
  const AxisTransform tx({0.0, 199999.0}, PlotScale::Linear, 10.0, 810.0);
  const AxisTransform ty({-3.0, 3.0}, PlotScale::Linear, 600.0, 0.0);
  Decimated out;
  decimate(s, tx, ty, &out);
  EXPECT_TRUE(out.decimated);
  EXPECT_LE(out.points.size(), 4u * 802u + 4u);  // at most four per bin (a bin is about a pixel)
  expect_column_extremes_kept(s, tx, out);
  for (std::size_t i = 1; i < out.points.size(); ++i) ASSERT_LT(out.points[i - 1].index, out.points[i].index);  // index order
}

TEST(PlotDecimation, PanningReusesBinsAndKeepsWhatAFreshDecimationKeeps) {
  const Dense d = noisy(200000, 6);
  PlotBuffer b;
  for (std::size_t i = 0; i < d.xs.size(); ++i) b.append(d.xs[i], d.ys[i]);
  SeriesView s = d.view();
  s.buffer = &b;
  const AxisTransform ty({-3.0, 3.0}, PlotScale::Linear, 400.0, 0.0);
  BinCache cache;
  Decimated warm, fresh;
  for (int step = 0; step < 5; ++step) {
    // A pan: the same span, moved by a fraction of a pixel's worth each time.
    const double shift = step * 1234.567;
    const AxisTransform tx({10000.0 + shift, 150000.0 + shift}, PlotScale::Linear, 0.0, 700.0);
    decimate(s, tx, ty, &warm, &cache);
    decimate(s, tx, ty, &fresh);
    ASSERT_EQ(warm.points.size(), fresh.points.size()) << step;
    for (std::size_t i = 0; i < warm.points.size(); ++i) ASSERT_EQ(warm.points[i].index, fresh.points[i].index) << step;
    EXPECT_LE(cache.bins.size(), 720u * 3u);
  }
  EXPECT_EQ(cache.width, bin_width(AxisTransform({0.0, 140000.0}, PlotScale::Linear, 0.0, 700.0)));
  // A new point invalidates the bins.
  b.append(200000, 0.0);
  EXPECT_FALSE(cache.matches(&b, cache.width, PlotScale::Linear, false));
}

TEST(PlotDecimation, BinWidthIsAboutAPixelAndSurvivesRounding) {
  const AxisTransform a({0.0, 1000.0}, PlotScale::Linear, 0.0, 800.0);
  const double w = bin_width(a);
  EXPECT_GE(w, 1000.0 / 800.0);
  EXPECT_LE(w, 1000.0 / 800.0 * 1.13);
  const AxisTransform b({1e-13, 1000.0 + 1e-13}, PlotScale::Linear, 0.0, 800.0);  // a pan's rounding
  EXPECT_EQ(bin_width(b), w);
}

TEST(PlotDecimation, BufferAndArraysKeepTheSamePoints) {
  const Dense d = noisy(100000, 4);
  PlotBuffer b;
  for (std::size_t i = 0; i < d.xs.size(); ++i) b.append(d.xs[i], d.ys[i]);
  SeriesView sb = d.view();
  sb.buffer = &b;
  const AxisTransform tx({1234.5, 87654.0}, PlotScale::Linear, 0.0, 640.0);
  const AxisTransform ty({-3.0, 3.0}, PlotScale::Linear, 400.0, 0.0);
  Decimated a, c;
  decimate(d.view(), tx, ty, &a);
  decimate(sb, tx, ty, &c);
  ASSERT_EQ(a.points.size(), c.points.size());
  for (std::size_t i = 0; i < a.points.size(); ++i) ASSERT_EQ(a.points[i].index, c.points[i].index) << i;
  expect_column_extremes_kept(sb, tx, c);
}

TEST(PlotDecimation, ASingleSpikeAmongAMillionPointsIsKept) {
  Dense d;
  for (int i = 0; i < 1000000; ++i) {
    d.xs.push_back(i);
    d.ys.push_back(1.0);
  }
  d.ys[654321] = 50.0;
  const AxisTransform tx({0.0, 999999.0}, PlotScale::Linear, 0.0, 1000.0);
  const AxisTransform ty({0.0, 60.0}, PlotScale::Linear, 500.0, 0.0);
  Decimated out;
  decimate(d.view(), tx, ty, &out);
  bool spike = false;
  for (const KeptPoint& k : out.points) spike |= k.index == 654321;
  EXPECT_TRUE(spike);
  EXPECT_LE(out.points.size(), 4u * 1002u + 4u);
}

TEST(PlotDecimation, FewPointsAreAllKeptAndOnlyThoseInViewPlusOneEachSide) {
  Dense d;
  for (int i = 0; i < 100; ++i) {
    d.xs.push_back(i);
    d.ys.push_back(i * i);
  }
  const AxisTransform tx({10.5, 20.5}, PlotScale::Linear, 0.0, 800.0);
  const AxisTransform ty({0.0, 1e4}, PlotScale::Linear, 500.0, 0.0);
  Decimated out;
  decimate(d.view(), tx, ty, &out);
  EXPECT_FALSE(out.decimated);
  ASSERT_EQ(out.points.size(), 12u);  // 10 … 21
  EXPECT_EQ(out.points.front().index, 10);
  EXPECT_EQ(out.points.back().index, 21);
}

TEST(PlotDecimation, NonFiniteValuesMakeGapsAndMarks) {
  const double xs[] = {0, 1, 2, 3, 4, 5, 6};
  const double ys[] = {1, 2, kNaN, 3, kInf, -kInf, 4};
  SeriesView s;
  s.xs = xs;
  s.ys = ys;
  s.count = 7;
  s.x_sorted = true;
  const AxisTransform tx({0.0, 6.0}, PlotScale::Linear, 0.0, 600.0);
  const AxisTransform ty({0.0, 5.0}, PlotScale::Linear, 500.0, 0.0);
  Decimated out;
  decimate(s, tx, ty, &out);
  ASSERT_EQ(out.points.size(), 4u);
  EXPECT_FALSE(out.points[0].gap_before);
  EXPECT_FALSE(out.points[1].gap_before);
  EXPECT_TRUE(out.points[2].gap_before);  // 3 follows the NaN
  EXPECT_DOUBLE_EQ(out.points[2].gap_x, 2.0);
  EXPECT_TRUE(out.points[3].gap_before);  // 4 follows ±inf
  EXPECT_DOUBLE_EQ(out.points[3].gap_x, 4.0);
  ASSERT_EQ(out.marks.size(), 3u);
  EXPECT_EQ(out.marks[0].kind, BadKind::NaN);
  EXPECT_EQ(out.marks[1].kind, BadKind::PosInf);
  EXPECT_EQ(out.marks[2].kind, BadKind::NegInf);
}

TEST(PlotDecimation, LogAxisDropsNonPositiveValuesWithAMark) {
  const double xs[] = {0, 1, 2, 3};
  const double ys[] = {1, 0, -1, 2};
  SeriesView s;
  s.xs = xs;
  s.ys = ys;
  s.count = 4;
  s.x_sorted = true;
  const AxisTransform tx({0.0, 3.0}, PlotScale::Linear, 0.0, 300.0);
  const AxisTransform ty({0.1, 10.0}, PlotScale::Log10, 200.0, 0.0);
  Decimated out;
  decimate(s, tx, ty, &out);
  ASSERT_EQ(out.points.size(), 2u);
  EXPECT_TRUE(out.points[1].gap_before);
  EXPECT_EQ(out.marks.size(), 2u);
  for (const BadMark& m : out.marks) EXPECT_EQ(m.kind, BadKind::NonPositive);
}

TEST(PlotDecimation, NaNInsideADecimatedColumnBreaksTheLine) {
  Dense d = noisy(100000, 5);
  d.ys[50000] = kNaN;
  const AxisTransform tx({0.0, 99999.0}, PlotScale::Linear, 0.0, 500.0);
  const AxisTransform ty({-3.0, 3.0}, PlotScale::Linear, 400.0, 0.0);
  Decimated out;
  decimate(d.view(), tx, ty, &out);
  ASSERT_TRUE(out.decimated);
  int gaps = 0;
  for (const KeptPoint& k : out.points) gaps += k.gap_before ? 1 : 0;
  EXPECT_GE(gaps, 1);
  ASSERT_EQ(out.marks.size(), 1u);
  EXPECT_NEAR(out.marks[0].x, 50000.0, 2.0 * 99999.0 / 500.0);  // within its bin (about a pixel)
}

TEST(PlotDecimation, UnsortedSeriesKeepsOrderAndDropsRepeatedPixels) {
  std::vector<double> xs, ys;
  for (int i = 0; i < 1000; ++i) {
    xs.push_back(std::cos(i * 0.01));  // a circle drawn twice around
    ys.push_back(std::sin(i * 0.01));
  }
  SeriesView s;
  s.xs = xs.data();
  s.ys = ys.data();
  s.count = 1000;
  s.x_sorted = is_x_sorted(s);
  EXPECT_FALSE(s.x_sorted);
  const AxisTransform tx({-1.0, 1.0}, PlotScale::Linear, 0.0, 50.0);
  const AxisTransform ty({-1.0, 1.0}, PlotScale::Linear, 50.0, 0.0);
  Decimated out;
  decimate(s, tx, ty, &out);
  EXPECT_LT(out.points.size(), 1000u);
  EXPECT_GT(out.points.size(), 100u);
  for (std::size_t i = 1; i < out.points.size(); ++i) ASSERT_LT(out.points[i - 1].index, out.points[i].index);
}

TEST(PlotDecimation, ScatterKeepsOnePointPerPixel) {
  std::vector<double> xs, ys;
  std::mt19937 rng(9);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int i = 0; i < 100000; ++i) {
    xs.push_back(u(rng));
    ys.push_back(u(rng));
  }
  SeriesView s;
  s.xs = xs.data();
  s.ys = ys.data();
  s.count = 100000;
  const AxisTransform tx({0.0, 1.0}, PlotScale::Linear, 0.0, 100.0);
  const AxisTransform ty({0.0, 1.0}, PlotScale::Linear, 100.0, 0.0);
  Decimated out;
  std::vector<std::uint8_t> seen;
  decimate_scatter(s, tx, ty, &seen, &out);
  EXPECT_LE(out.points.size(), 101u * 101u);
  EXPECT_GT(out.points.size(), 9000u);  // nearly every pixel of the square is hit
}

// [SECTION] staircase paths, clipping and dashes

namespace {

// The screen path of a staircase of ys at x = 0, 1, 2, … between the two transforms.
ScreenPath stairs_path(const double* ys, int n, const AxisTransform& tx, const AxisTransform& ty, Decimated* d) {
  SeriesView s;
  s.ys = ys;
  s.count = n;
  s.x_sorted = true;
  decimate(s, tx, ty, d);
  ScreenPath p;
  const float lo = -50.0f, hi_x = static_cast<float>(tx.pixel_max) + 50.0f, hi_y = static_cast<float>(ty.pixel_min) + 50.0f;
  p.reset({ImVec2(lo, lo), ImVec2(hi_x, hi_y)});
  trace_path(*d, s, tx, ty, true, &p);
  return p;
}

void expect_axis_aligned(const ScreenPath& p) {
  for (std::size_t i = 1; i < p.points.size(); ++i) {
    const ImVec2 a = p.points[i - 1], b = p.points[i];
    ASSERT_TRUE(a.x == b.x || a.y == b.y) << "sloped segment " << i << ": (" << a.x << "," << a.y << ") -> (" << b.x << "," << b.y << ")";
  }
}

}  // namespace

TEST(PlotPath, StairsAreHorizontalRunsAndVerticalRisersOnly) {
  // MultiStepLR([3, 6], 0.1) over 8 epochs.
  const double ys[] = {0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.001, 0.001};
  const AxisTransform tx({0.0, 8.0}, PlotScale::Linear, 0.0, 800.0);
  const AxisTransform ty({0.0, 0.1}, PlotScale::Linear, 400.0, 0.0);
  Decimated d;
  const ScreenPath p = stairs_path(ys, 8, tx, ty, &d);
  ASSERT_EQ(p.polyline_count(), 1);
  expect_axis_aligned(p);
  // The last epoch is a step too: the path ends at x = 8 (800 px).
  EXPECT_FLOAT_EQ(p.points.back().x, 800.0f);
  EXPECT_FLOAT_EQ(p.points.back().y, static_cast<float>(ty.pixel_from_value(0.001)));
  // The drop at epoch 3 is a vertical riser at x = 300 px.
  bool riser = false;
  for (std::size_t i = 1; i < p.points.size(); ++i)
    riser |= p.points[i - 1].x == 300.0f && p.points[i].x == 300.0f && p.points[i - 1].y == 0.0f;
  EXPECT_TRUE(riser);
}

TEST(PlotPath, DecimatedStairsStayAxisAligned) {
  std::vector<double> ys;
  for (int i = 0; i < 100000; ++i) ys.push_back(0.1 * std::pow(0.1, i / 30000));
  const AxisTransform tx({0.0, 100000.0}, PlotScale::Linear, 0.0, 700.0);
  const AxisTransform ty({1e-5, 0.2}, PlotScale::Log10, 400.0, 0.0);
  Decimated d;
  const ScreenPath p = stairs_path(ys.data(), 100000, tx, ty, &d);
  ASSERT_TRUE(d.decimated);
  expect_axis_aligned(p);
}

TEST(PlotPath, StairsStopWhereAGapStarts) {
  const double ys[] = {1, 1, kNaN, 2};
  const AxisTransform tx({0.0, 4.0}, PlotScale::Linear, 0.0, 400.0);
  const AxisTransform ty({0.0, 2.0}, PlotScale::Linear, 200.0, 0.0);
  Decimated d;
  const ScreenPath p = stairs_path(ys, 4, tx, ty, &d);
  ASSERT_EQ(p.polyline_count(), 2);
  EXPECT_FLOAT_EQ(p.points[static_cast<std::size_t>(p.polyline_size(0)) - 1].x, 200.0f);  // epoch 1's step ends at 2
  EXPECT_FLOAT_EQ(p.points.back().x, 400.0f);                                             // epoch 3's step ends at 4
}

TEST(PlotPath, ClippingKeepsTheSlopeOfFarAwaySegments) {
  ScreenPath p;
  p.reset({ImVec2(0, 0), ImVec2(100, 100)});
  // A line from (-1e9, -1e9) to (1e9, 1e9) crosses the box along its diagonal.
  p.move_to(-1e9, -1e9);
  p.line_to(1e9, 1e9);
  ASSERT_EQ(p.polyline_count(), 1);
  ASSERT_EQ(p.points.size(), 2u);
  EXPECT_NEAR(p.points[0].x, 0.0f, 1e-3);
  EXPECT_NEAR(p.points[0].y, 0.0f, 1e-3);
  EXPECT_NEAR(p.points[1].x, 100.0f, 1e-3);
  EXPECT_NEAR(p.points[1].y, 100.0f, 1e-3);
  // Leaving and re-entering starts a second polyline; a segment outside adds nothing.
  p.reset({ImVec2(0, 0), ImVec2(100, 100)});
  p.move_to(10, 50);
  p.line_to(200, 50);
  p.line_to(300, 80);
  p.line_to(50, 80);
  EXPECT_EQ(p.polyline_count(), 2);
  p.line_to(std::numeric_limits<double>::quiet_NaN(), 0);
  p.line_to(20, 20);  // after a NaN: a fresh start, no segment
  EXPECT_EQ(p.polyline_count(), 3);
  EXPECT_EQ(p.polyline_size(2), 1);
}

TEST(PlotPath, DashesCoverAboutTheOnFraction) {
  ScreenPath p;
  p.reset({ImVec2(-10, -10), ImVec2(1000, 1000)});
  p.move_to(0, 0);
  p.line_to(500, 0);
  ScreenPath dashes;
  dash_path(p, 6.0f, 4.0f, &dashes);
  EXPECT_EQ(dashes.polyline_count(), 50);
  float on = 0.0f;
  for (int k = 0; k < dashes.polyline_count(); ++k) {
    const std::size_t s = static_cast<std::size_t>(dashes.starts[static_cast<std::size_t>(k)]);
    on += dashes.points[s + static_cast<std::size_t>(dashes.polyline_size(k)) - 1].x - dashes.points[s].x;
  }
  EXPECT_NEAR(on, 300.0f, 1.0f);
}

// [SECTION] layout and hit testing

TEST(PlotLayoutTest, AxesSurroundTheAreaWithoutOverlap) {
  LayoutInput in;
  in.title_h = 18;
  in.x_tick_h = 18;
  in.x_label_h = 18;
  in.y1_tick_w = 40;
  in.y1_label_w = 18;
  in.y2 = true;
  in.y2_tick_w = 30;
  in.y2_label_w = 18;
  in.pad = 6;
  const PlotLayout l = layout_plot({ImVec2(100, 50), ImVec2(900, 650)}, in);
  EXPECT_GE(l.area.min.x, 100 + 6 + 18 + 6 + 40);
  EXPECT_LE(l.area.max.x, 900 - 6 - 30 - 6 - 18);
  EXPECT_GE(l.area.min.y, l.title.max.y);
  EXPECT_LE(l.area.max.y + 18 + 18, 650);
  EXPECT_FALSE(l.area.overlaps(l.title));
  EXPECT_FALSE(l.area.overlaps(l.x_axis));
  EXPECT_FALSE(l.area.overlaps(l.y1_axis));
  EXPECT_FALSE(l.area.overlaps(l.y2_axis));
  EXPECT_EQ(hit_region(l, ImVec2(500, 300)), PlotRegion::Area);
  EXPECT_EQ(hit_region(l, ImVec2(500, l.area.max.y + 5)), PlotRegion::XAxis);
  EXPECT_EQ(hit_region(l, ImVec2(l.area.min.x - 5, 300)), PlotRegion::Y1Axis);
  EXPECT_EQ(hit_region(l, ImVec2(l.area.max.x + 5, 300)), PlotRegion::Y2Axis);
  EXPECT_EQ(hit_region(l, ImVec2(500, 60)), PlotRegion::Title);
  EXPECT_EQ(hit_region(l, ImVec2(50, 300)), PlotRegion::None);
}

TEST(PlotLayoutTest, TinyFramesStillGiveAValidArea) {
  LayoutInput in;
  in.y1_tick_w = 80;
  in.x_tick_h = 30;
  const PlotLayout l = layout_plot({ImVec2(0, 0), ImVec2(40, 20)}, in);
  EXPECT_GT(l.area.width(), 0.0f);
  EXPECT_GT(l.area.height(), 0.0f);
}

TEST(PlotLayoutTest, LegendSitsInTheChosenCornerAndHitsEntries) {
  const PlotRect area{ImVec2(100, 100), ImVec2(700, 500)};
  const LegendLayout ne = layout_legend({80, 120, 60}, 20, 30, 5, area, PlotLocation::NorthEast);
  EXPECT_NEAR(ne.box.max.x, 695, 1e-4);
  EXPECT_NEAR(ne.box.min.y, 105, 1e-4);
  ASSERT_EQ(ne.entries.size(), 3u);
  EXPECT_EQ(hit_legend(ne, ImVec2(ne.box.min.x + 10, ne.entries[1].min.y + 5)), 1);
  EXPECT_EQ(hit_legend(ne, ImVec2(300, 300)), -1);
  const LegendLayout sw = layout_legend({80}, 20, 30, 5, area, PlotLocation::SouthWest);
  EXPECT_NEAR(sw.box.min.x, 105, 1e-4);
  EXPECT_NEAR(sw.box.max.y, 495, 1e-4);
  EXPECT_TRUE(layout_legend({}, 20, 30, 5, area, PlotLocation::NorthEast).entries.empty());
}

TEST(PlotLayoutTest, LongLegendNamesAreCutAtWholeCharacters) {
  EXPECT_EQ(ellipsize("short", 100.0f, width8), "short");
  EXPECT_EQ(ellipsize("abcdef", 40.0f, width8), "ab…");  // "…" is 3 bytes: 24 px here
  const std::string cut = ellipsize("学习率曲线", 60.0f, width8);  // 3 bytes per character
  EXPECT_EQ(cut, "学…");
  EXPECT_EQ(ellipsize("abc", 1.0f, width8), "…");
}

TEST(PlotUnderlayTest, CurvesHiddenUnderLaterOnesAreWidened) {
  std::vector<double> step(100), multi(100), expo(100);
  for (int e = 0; e < 100; ++e) {
    step[e] = 0.1 * std::pow(0.1, e / 30);
    multi[e] = 0.1 * std::pow(0.1, (e >= 30) + (e >= 60) + (e >= 80));
    expo[e] = 0.1 * std::pow(0.95, e);
  }
  // StepLR under MultiStepLR (80 shared epochs) is widened; both share only epoch 0 with ExponentialLR.
  EXPECT_EQ(UnderlayWidths({step, multi, expo}, 1.5f), (std::vector<float>{2.5f, 1.0f, 1.0f}));
  // Drawn the other way round, MultiStepLR is the one underneath.
  EXPECT_EQ(UnderlayWidths({multi, step, expo}), (std::vector<float>{2.0f, 1.0f, 1.0f}));
  // Three equal curves nest: the first widest.
  EXPECT_EQ(UnderlayWidths({expo, expo, expo}), (std::vector<float>{3.0f, 2.0f, 1.0f}));
  // One shared point in a hundred, a single-point series, and nothing at all: no widening.
  std::vector<double> touch = expo;
  for (double& v : touch) v += 1.0;
  touch[50] = expo[50];
  EXPECT_EQ(UnderlayWidths({expo, touch}), (std::vector<float>{1.0f, 1.0f}));
  EXPECT_EQ(UnderlayWidths({{1.0}, {1.0}}), (std::vector<float>{1.0f, 1.0f}));
  EXPECT_TRUE(UnderlayWidths({}).empty());
}
