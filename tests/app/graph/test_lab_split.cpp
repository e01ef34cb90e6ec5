// The stacked lab's split follows need (issue 9): at 1024×768 every shipped example, at every
// step of its reverse sweep, keeps canvas text of 12 px or more at fit zoom (the 12 px rule wins)
// and shows the current trace row whole — formula and "with numbers" — in the table below
// (five tensor rows of one_hidden_l2 and svm_hinge: in the step banner above the canvas only).
// The Graph page in the workbench with the program's fonts and style, in an ImGui context
// without a renderer, read through the frame record. No GL.
#include "app/base/fonts.h"
#include "app/base/style.h"
#include "app/graph/page_graph.h"
#include "app/shell/pages.h"
#include "app/shell/workbench.h"
#include "app/widgets/canvas.h"

#include "../headless_imgui.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

using namespace gs;
using namespace gs::app;
namespace fs = std::filesystem;

namespace {

class LabSplit : public ::testing::Test {
 protected:
  void SetUp() override {
    apply_style(1.0f);
    load_fonts(&fonts_, 17.0f);
  }
  void TearDown() override { widgets::SetCanvasFontLadder({}); }

  // The lab at `steps` after the frames that fit, arrange and scroll it.
  FrameRecord lab(const std::string& example, const std::string& steps) {
    LaunchOptions o;
    o.example = example;
    o.steps = steps;
    PageList pages = make_pages();
    EXPECT_TRUE(pages[0]->start(o)) << example;
    Workbench bench(std::move(pages));
    FrameRequests requests;
    FrameRecord record;
    for (int f = 0; f < 5; ++f) {
      record = FrameRecord{};
      ImGui::NewFrame();
      PageContext ctx{fonts_, requests, &record, 1.0};
      bench.draw(ctx);
      ImGui::Render();
    }
    return record;
  }

  test_support::HeadlessImGui imgui_{ImVec2(1024, 768)};
  FontSet fonts_;
};

const TableRecord* reverse_table(const FrameRecord& r) {
  for (const TableRecord& t : r.tables)
    if (t.name == "reverse") return &t;
  return nullptr;
}

}  // namespace

TEST_F(LabSplit, EveryReverseStepKeeps12PxAndTheCurrentRowWholeAt1024x768) {
  std::vector<std::string> examples;
  for (const auto& e : fs::directory_iterator(fs::path(__FILE__).parent_path() / "../../../assets/examples"))
    if (e.path().extension() == ".json") examples.push_back(e.path().stem().string());
  std::sort(examples.begin(), examples.end());
  ASSERT_GE(examples.size(), 8u);
  for (const std::string& ex : examples) {
    const FrameRecord whole = lab(ex, "reverse:999");
    ASSERT_GT(whole.step_count, 0) << ex;
    for (int k = 1; k <= whole.step_count; ++k) {
      const FrameRecord r = k == whole.step_count ? whole : lab(ex, "reverse:" + std::to_string(k));
      const std::string at = ex + " reverse:" + std::to_string(k);
      EXPECT_GE(r.min_text_px, 12.0f) << at << ": " << r.small_text_reason;
      const TableRecord* t = reverse_table(r);
      ASSERT_NE(t, nullptr) << at;
      EXPECT_EQ(t->highlighted_row, k - 1) << at;
      // Whole in the table: the tables take the whole width (the inspector a tab beside them),
      // which brought svm_hinge reverse 7 into the table. Left (issue 9): five tensor rows of two
      // or three lines under a two-line banner, where the 12 px canvas leaves the table one line;
      // those are whole in the step banner above the canvas, which shows the same row.
      static const std::vector<std::string> kInBannerOnly = {"one_hidden_l2 reverse:5", "one_hidden_l2 reverse:12", "one_hidden_l2 reverse:15",
                                                             "one_hidden_l2 reverse:16", "svm_hinge reverse:10"};
      const bool in_banner = r.banner.row == t->highlighted_text && r.banner.rect[2] <= 1024.5f && r.banner.rect[3] <= r.canvas_rect[1] + 0.5f;
      if (std::find(kInBannerOnly.begin(), kInBannerOnly.end(), at) != kInBannerOnly.end())
        EXPECT_TRUE(t->current_row_whole || in_banner) << at << ": the current row is nowhere whole; banner '" << r.banner.row << "'";
      else
        EXPECT_TRUE(t->current_row_whole) << at << ": the current row is not whole in the table";
      EXPECT_LE(t->text_right, t->rect[2] + 0.5f) << at << ": the arithmetic is cut at the right";
    }
  }
}
