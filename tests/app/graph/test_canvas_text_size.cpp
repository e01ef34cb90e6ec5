// View ▸ Text size is one zoom for everything (issue 9, projector mode): when the interface's
// fonts are rebuilt larger (Ctrl+=) the canvas zooms by the same ratio, so its text grows with
// the rest; measured through the frame record (canvas zoom, smallest canvas text). Drawn with
// the program's fonts (the canvas's ladder: real glyph sizes) in an ImGui context without a
// renderer; building the atlas twice (with the CJK font) is most of its ~3 s. No GL.
#include "app/base/fonts.h"
#include "app/graph/view_graph.h"

#include "../headless_imgui.h"
#include "seed004_session.h"

#include <gtest/gtest.h>

using namespace gs;
using namespace gs::app;

namespace {

// Seed 004's graph view, drawn frame by frame at one canvas size.
class TextSizeDesk {
 public:
  TextSizeDesk() : session_(seed004_session()) {
    load_fonts(&fonts_, 17.0f);
    session_.lesson().jump({StepMode::Reverse, 7});
  }
  ~TextSizeDesk() { widgets::SetCanvasFontLadder({}); }
  const GraphView& view() const { return view_; }
  void set_text_px(float px) { load_fonts(&fonts_, px); }
  // (canvas zoom, smallest canvas text in px) of the last of `frames` frames.
  std::pair<float, float> draw(int frames = 1, ImVec2 size = ImVec2(1000, 520)) {
    FrameRecord record;
    for (int f = 0; f < frames; ++f) {
      record = FrameRecord{};
      ImGui::NewFrame();
      ImGui::SetNextWindowPos(ImVec2(0, 0));
      ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
      ImGui::Begin("text_size", nullptr, ImGuiWindowFlags_NoDecoration);
      ViewContext ctx{session_, focus_, fonts_, redraw_, &record};
      view_.draw(ctx, size);
      ImGui::End();
      ImGui::Render();
    }
    return {record.canvas_zoom, record.min_text_px};
  }

 private:
  test_support::HeadlessImGui imgui_{ImVec2(1024, 768)};
  FontSet fonts_;
  Session session_;
  Focus focus_;
  RedrawTimer redraw_;
  GraphView view_;
};

}  // namespace

TEST(CanvasTextSize, LargerInterfaceTextZoomsTheCanvasByTheSameRatio) {
  TextSizeDesk desk;
  const auto [zoom0, text0] = desk.draw(2);  // fitted on the first frame
  ASSERT_GT(text0, 0.0f);
  desk.set_text_px(17.0f + 2 * 2);  // Ctrl+= twice: 2 px a press (main.cpp)
  const auto [zoom1, text1] = desk.draw();
  EXPECT_NEAR(zoom1 / zoom0, 21.0f / 17.0f, 1e-3f);
  EXPECT_NEAR(text1 / text0, 21.0f / 17.0f, 0.02f) << text0 << " px → " << text1 << " px";
}

// In the lab the canvas's size changes with the text (the toolbar and the banner grow with it):
// the zoom still follows the text, what was at the canvas's centre staying at its centre. The
// changed size refitted the graph instead: at 1024×768 Ctrl+= made it smaller.
TEST(CanvasTextSize, TheZoomFollowsTheTextWhenTheCanvasShrinksWithIt) {
  TextSizeDesk desk;
  const ImVec2 before(1000, 520), after(1000, 470);
  const auto [zoom0, text0] = desk.draw(2, before);
  ASSERT_GT(text0, 0.0f);
  const widgets::CanvasTransform& t = desk.view().canvas().transform;
  const ImVec2 centre = t.canvas_from_screen(ImVec2(t.origin_screen.x + before.x / 2, t.origin_screen.y + before.y / 2));
  desk.set_text_px(17.0f + 2);  // Ctrl+=
  const auto [zoom1, text1] = desk.draw(1, after);
  EXPECT_NEAR(zoom1 / zoom0, 19.0f / 17.0f, 1e-3f) << "refitted to the smaller canvas";
  EXPECT_GT(text1, text0);
  const ImVec2 now = t.screen_from_canvas(centre);
  EXPECT_NEAR(now.x, t.origin_screen.x + after.x / 2, 0.5f);
  EXPECT_NEAR(now.y, t.origin_screen.y + after.y / 2, 0.5f);
  desk.set_text_px(17.0f);  // Ctrl+0, and the canvas as tall as before
  const auto [zoom2, text2] = desk.draw(2, before);
  EXPECT_NEAR(zoom2, zoom0, 1e-4f);
  EXPECT_NEAR(text2, text0, 0.05f);
}
