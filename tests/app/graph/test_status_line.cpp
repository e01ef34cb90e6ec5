// The status line at a large text size (issue 9, projector mode): a long message wraps at spaces
// onto more lines instead of running off the window, and the page gives up the height it takes,
// so the canvas ends above it. The Graph page in the workbench, drawn in an ImGui context without
// a renderer, its text scaled up as View ▸ Text size does. No GL.
#include "app/graph/page_graph.h"
#include "app/shell/pages.h"
#include "app/shell/workbench.h"

#include "../headless_imgui.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

using namespace gs;
using namespace gs::app;

TEST(StatusLine, ALongMessageWrapsAboveTheWindowsBottomAtLargeText) {
  app::test_support::HeadlessImGui imgui{ImVec2(1024, 768)};
  ImGui::GetIO().FontGlobalScale = 2.0f;  // 26 px text, the projector's
  PageList pages = make_pages();
  pages.resize(1);
  ASSERT_TRUE(pages[0]->start(LaunchOptions{}));
  Workbench bench(std::move(pages));
  FontSet fonts;
  FrameRequests requests;
  FrameRecord record;
  auto frame = [&] {
    record = FrameRecord{};
    ImGui::NewFrame();
    PageContext ctx{fonts, requests, &record, 1.0};
    bench.draw(ctx);
    ImGui::Render();
  };
  const std::string missing = "/tmp/gradscope lecture notes/week 3 backpropagation/the extended graph of seed 004.json";
  bench.commands().push(Command{CommandId::Open, missing});
  for (int f = 0; f < 3; ++f) frame();
  ASSERT_NE(record.status.find("cannot open"), std::string::npos) << record.status;
  const float line = ImGui::GetTextLineHeight();
  const float* r = record.status_line_rect.data();
  EXPECT_GE(r[3] - r[1], 2 * line - 1) << "wrapped onto two lines or more";
  EXPECT_LE(r[2], 1024.0f);
  EXPECT_LE(r[3], 768.0f) << "the last line is inside the window";
  EXPECT_LE(record.canvas_rect[3], r[1] + 1) << "the page ends above the status line";
}
