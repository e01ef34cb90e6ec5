// Screenshot tests of the lab at the projector's size (issue 9, "readable at 1024×768"), through
// the frame record: the trace table shows several rows, one line each where the arithmetic fits,
// the "with numbers" text is never cut (text_right ≤ the table's right edge), and the current
// row is whole in the table.
#include "../screenshot.h"

#include <gtest/gtest.h>

#include <string>

using nlohmann::json;
using namespace gs::app::testing;

namespace {
int rows_in_view(const json& t) { return t["rows_in_view"].get<int>(); }
}  // namespace

// Seed 004 in the lab layout at 1024×768: a row reads on one line where its arithmetic fits
// (v̄1 = v̄4·v2 + v̄3·(1/v1) | = 1·5 + 1·(1/2) = 5 + 0.5 | = 5.5), so that four whole rows are in
// view at the end of the reverse trace (two lines a row showed two whole rows).
TEST(ScreenshotProjector, TheTraceTableShowsFourRowsAtTheProjectorSize) {
  auto shot = take("projector_seed004_lab_1024", "--steps reverse:7", "1024x768");
  if (!shot) GTEST_SKIP() << "no xvfb-run and no DISPLAY";
  const json& d = shot->drawn;
  ASSERT_FALSE(d.is_null());
  const json* rev = table(d, "reverse");
  ASSERT_NE(rev, nullptr);
  EXPECT_GE(rows_in_view(*rev), 4) << rev->dump();
  EXPECT_LE((*rev)["text_right"].get<float>(), (*rev)["rect"][2].get<float>() + 0.5f) << rev->dump();
  EXPECT_EQ((*rev)["rows"][6], "v̄1 = v̄4·v2 + v̄3·(1/v1) = 1·5 + 1·(1/2) = 5 + 0.5 = 5.5");
}

// Where the arithmetic is too long for one line (the tensors of two_layer_ce, seed 001's sigmoid
// rule) the rows stack it under the formula, and it is still never cut; at 1600×900 too.
TEST(ScreenshotProjector, LongArithmeticIsStackedNeverCut) {
  for (const char* size : {"1024x768", "1600x900"})
    for (const char* args : {"--example two_layer_ce --steps reverse:6", "--example sigmoid_neuron --steps reverse:4", "--example fanout --steps reverse:5"}) {
      auto shot = take("projector_arithmetic", args, size);
      if (!shot) GTEST_SKIP() << "no xvfb-run and no DISPLAY";
      const json& d = shot->drawn;
      ASSERT_FALSE(d.is_null());
      const json* rev = table(d, "reverse");
      ASSERT_NE(rev, nullptr) << args;
      EXPECT_LE((*rev)["text_right"].get<float>(), (*rev)["rect"][2].get<float>() + 0.5f) << args << " at " << size << ": " << rev->dump();
      EXPECT_GE(rows_in_view(*rev), 2) << args << " at " << size;
    }
}

// A scalar value is never broken in the value column at 1024×768: the column is as wide as the
// trace's widest value wherever that costs the current row no line. Sized to the current row's
// value alone ("= 10.693" at seed 004's forward step 6), v5's "= −0.95892" broke after its "=".
TEST(ScreenshotProjector, ScalarValuesAreWholeInTheTableAt1024x768) {
  auto shot = take("projector_scalar_values", "--example seed004 --steps forward:6", "1024x768");
  if (!shot) GTEST_SKIP() << "no xvfb-run and no DISPLAY";
  const json& d = shot->drawn;
  ASSERT_FALSE(d.is_null());
  const json* fwd = table(d, "forward");
  ASSERT_NE(fwd, nullptr);
  EXPECT_TRUE((*fwd)["current_row_whole"].get<bool>()) << fwd->dump();
  // Every row on one line: five rows wholly in view under the header (four with v5's value broken
  // onto two lines).
  EXPECT_GE((*fwd)["rows_in_view"].get<int>(), 5) << fwd->dump();
  EXPECT_EQ((*fwd)["lines_per_row"].get<int>(), 1) << fwd->dump();
}

// A tensor row that wrapped to three lines beside the inspector (svm_hinge reverse 7): at 1024×768
// the stacked lab's tables take the whole width (the inspector a tab beside them), so that the
// current row is whole in the table, not only in the step banner.
TEST(ScreenshotProjector, TheCurrentTensorRowIsWholeInTheTableAt1024x768) {
  for (const char* args : {"--example svm_hinge --steps reverse:7"}) {
    auto shot = take("projector_tensor_row", args, "1024x768");
    if (!shot) GTEST_SKIP() << "no xvfb-run and no DISPLAY";
    const json& d = shot->drawn;
    ASSERT_FALSE(d.is_null());
    const json* rev = table(d, "reverse");
    ASSERT_NE(rev, nullptr) << args;
    EXPECT_TRUE((*rev)["current_row_whole"].get<bool>()) << args << ": " << rev->dump();
    EXPECT_LE((*rev)["text_right"].get<float>(), (*rev)["rect"][2].get<float>() + 0.5f) << args;
  }
}
