// No canvas text under 12 px at fit zoom on a 1024×768 projector (issue 9): every shipped example
// and every shipped lesson's graph, at its largest (the end of the reverse sweep: every value,
// adjoint and partial-adjoint label shown), presented (F5) and in the lab. The Graph page in the
// workbench with the program's fonts (the canvas's ladder sizes the boxes as on screen), in an
// ImGui context without a renderer; read through the frame record (canvas.min_text_px). No GL.
#include "app/base/fonts.h"
#include "app/base/style.h"
#include "app/graph/page_graph.h"
#include "app/shell/pages.h"
#include "app/shell/workbench.h"
#include "app/widgets/canvas.h"

#include "../headless_imgui.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

using namespace gs;
using namespace gs::app;
namespace fs = std::filesystem;

namespace {

class ProjectorFit : public ::testing::Test {
 protected:
  // main.cpp's style and kTextPx: the frame's paddings and the tab bar take the height they take
  // on screen (without them the canvas was 24 px taller than the real one).
  void SetUp() override {
    apply_style(1.0f);
    load_fonts(&fonts_, 17.0f);
  }
  void TearDown() override { widgets::SetCanvasFontLadder({}); }

  // The smallest canvas text (px) of `options`' graph at the end of its reverse sweep, and why.
  std::pair<float, std::string> smallest_text(LaunchOptions options, bool presenting) {
    options.steps = "reverse:999";
    PageList pages = make_pages();  // all of them: the tab bar shows above the page, as on screen
    EXPECT_TRUE(pages[0]->start(options));
    Workbench bench(std::move(pages));
    bench.set_presenting(presenting);
    FrameRequests requests;
    FrameRecord record;
    for (int f = 0; f < 3; ++f) {  // fitted on the first frame, arranged for it on the second
      record = FrameRecord{};
      ImGui::NewFrame();
      PageContext ctx{fonts_, requests, &record, 1.0};
      bench.draw(ctx);
      ImGui::Render();
    }
    return {record.min_text_px, record.small_text_reason};
  }

  static std::vector<fs::path> shipped(const char* folder) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(fs::path(__FILE__).parent_path() / "../../../assets" / folder))
      if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
  }

  test_support::HeadlessImGui imgui_{ImVec2(1024, 768)};
  FontSet fonts_;
};

}  // namespace

TEST_F(ProjectorFit, EveryExampleAndLessonKeeps12PxTextAt1024x768) {
  std::vector<std::pair<std::string, LaunchOptions>> graphs;
  for (const fs::path& p : shipped("examples")) {
    LaunchOptions o;
    o.example = p.stem().string();
    graphs.emplace_back("example " + o.example, o);
  }
  for (const fs::path& p : shipped("lessons")) {
    LaunchOptions o;
    o.lesson_file = p.string();
    graphs.emplace_back("lesson " + p.filename().string(), o);
  }
  ASSERT_GE(graphs.size(), 10u);
  for (const auto& [what, options] : graphs) {
    for (const bool presenting : {true, false}) {
      const auto [px, why] = smallest_text(options, presenting);
      ASSERT_GT(px, 0.0f) << what;
      std::printf("%s%s: %.2f px\n", what.c_str(), presenting ? ", presented" : ", in the lab", px);
      EXPECT_GE(px, 12.0f) << what << (presenting ? ", presented" : ", in the lab") << ": " << why;
    }
  }
}
