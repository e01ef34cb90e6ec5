// CanvasTextWidthCopy (issue 10: a large graph file is read and laid out off the UI thread, and
// its boxes are measured there): the copy answers what CalcCanvasTextSize answers, at every rung
// of the font ladder, and keeps answering the same after the fonts it copied are rebuilt and freed
// (View ▸ Text size while a file is read), and on another thread. No GL.
#include "app/widgets/canvas.h"

#include "../headless_imgui.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

using namespace gs::app::widgets;

namespace {

const std::vector<std::string> kTexts = {"v7 = v6 − v5", "sin", "", "∂y/∂x1 = 5.5", "a\nlonger second line", "x̄ ≈ 0.7311"};
const std::vector<float> kSizes = {5.0f, 9.0f, 13.0f, 16.0f, 20.0f, 31.0f, 64.0f};

// A ladder of three sizes of ImGui's own font (the program's ladder is DejaVu: too slow to bake
// for a unit test).
class CanvasTextCopy : public ::testing::Test {
 protected:
  gs::app::test_support::HeadlessImGui imgui_{ImVec2(800, 600)};
  void SetUp() override { bake(); }
  void TearDown() override { SetCanvasFontLadder({}); }
  void bake() {
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    atlas->Clear();
    std::vector<ImFont*> ladder;
    for (float px : {10.0f, 17.0f, 26.0f}) {
      ImFontConfig cfg;
      cfg.SizePixels = px;
      ladder.push_back(atlas->AddFontDefault(&cfg));
    }
    atlas->Build();
    SetCanvasFontLadder(ladder);
  }
};

TEST_F(CanvasTextCopy, AnswersWhatTheCanvasFontsAnswerAtEverySize) {
  const auto width = CanvasTextWidthCopy();
  for (const std::string& t : kTexts)
    for (float size : kSizes) EXPECT_EQ(width(t, size), CalcCanvasTextSize(size, t.c_str()).x) << "'" << t << "' at " << size << " px";
  // Sizes between the rungs take the rung at or above them, as the canvas does: not one width scaled.
  EXPECT_NE(width("v7 = v6 − v5", 9.0f) / 9.0f, width("v7 = v6 − v5", 20.0f) / 20.0f);
}

TEST_F(CanvasTextCopy, KeepsAnsweringAfterTheFontsAreRebuilt) {
  std::vector<float> before;
  for (const std::string& t : kTexts)
    for (float size : kSizes) before.push_back(CalcCanvasTextSize(size, t.c_str()).x);
  const auto width = CanvasTextWidthCopy();
  bake();  // the fonts it copied are freed (ASan: a read of them is a report)
  std::size_t k = 0;
  for (const std::string& t : kTexts)
    for (float size : kSizes) EXPECT_EQ(width(t, size), before[k++]) << "'" << t << "' at " << size << " px";
}

TEST_F(CanvasTextCopy, AnswersOnAnotherThread) {
  const auto width = CanvasTextWidthCopy();
  const float here = width("v7 = v6 − v5", 16.0f);
  float there = 0.0f;
  std::thread([&] { there = width("v7 = v6 − v5", 16.0f); }).join();
  EXPECT_GT(here, 0.0f);
  EXPECT_EQ(there, here);
}

}  // namespace
