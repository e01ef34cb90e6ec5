// File ▸ Export ▸ PNG on the Graph page (issue 9's smaller faults): the picture is headed by the
// step banner and carries no canvas help line. The Graph page in the workbench, drawn in an ImGui
// context without a renderer, the main loop's part (reading the picture two frames later)
// played by the test. No GL.
#include "app/graph/page_graph.h"
#include "app/shell/pages.h"
#include "app/shell/workbench.h"

#include "../headless_imgui.h"
#include "../temp_path.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>

using namespace gs;
using namespace gs::app;

namespace {

class ExportPictureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PageList pages = make_pages();
    pages.resize(1);
    graph_page = dynamic_cast<GraphPage*>(pages[0].get());
    ASSERT_NE(graph_page, nullptr);
    LaunchOptions options;
    options.steps = "reverse:3";
    ASSERT_TRUE(graph_page->start(options));
    bench = std::make_unique<Workbench>(std::move(pages));
  }

  // One frame, as the main loop draws it: a capture asked for is taken over (cleared) after it.
  void export_frame() {
    record = FrameRecord{};
    ImGui::NewFrame();
    PageContext ctx{fonts, requests, &record, 1.0};
    bench->draw(ctx);
    ImGui::Render();
    requests.capture_png.clear();
  }

  // The canvas's bottom line: its key hint, or, where the canvas text is small (this 1024×768
  // lab), the small-text warning in its place (the line holds what fits, the warning first).
  bool hint_drawn() const {
    const bool hint = std::find(record.visible_text.begin(), record.visible_text.end(), std::string(tr(Tr::CanvasHint))) != record.visible_text.end();
    return hint || !record.canvas_notes.empty();
  }

  app::test_support::HeadlessImGui imgui{ImVec2(1024, 768)};
  FontSet fonts;
  FrameRequests requests;
  FrameRecord record;
  std::unique_ptr<Workbench> bench;
  GraphPage* graph_page = nullptr;
};

}  // namespace

TEST_F(ExportPictureTest, ThePictureHasTheStepBannerAndNoHelpLine) {
  export_frame();
  export_frame();
  EXPECT_TRUE(hint_drawn()) << "on screen the canvas says how to use it";

  bench->commands().push(Command{CommandId::ExportPng, test_support::unique_temp_path("gradscope-export.png").string()});
  for (int frame = 0; frame < 3; ++frame) {  // the main loop reads the picture after the third
    export_frame();
    EXPECT_FALSE(hint_drawn()) << "frame " << frame;
  }
  const ScreenRect picture = graph_page->picture();
  EXPECT_EQ(record.banner.where, "Reverse step 3 of 7");
  EXPECT_LE(picture.y0, record.banner.rect[1]) << "the banner heads the picture";
  EXPECT_FLOAT_EQ(picture.y1, record.canvas_rect[3]);
  EXPECT_FLOAT_EQ(picture.x0, record.canvas_rect[0]);
  // Afterwards the help line is back.
  for (int frame = 0; frame < 3; ++frame) export_frame();
  EXPECT_TRUE(hint_drawn());
}
