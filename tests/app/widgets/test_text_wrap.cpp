// Text wrapped at spaces only: a number is never split at its decimal point, as ImGui 1.86's
// TextWrapped split "accuracy 77.79%" into "77." / "79%" under the confusion matrix at 1024×768.
#include "app/widgets/text_wrap.h"

#include "../headless_imgui.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace gs::app::widgets;

namespace {
// One unit per byte: the tests' text is ASCII.
float bytes_wide(std::string_view s) { return static_cast<float>(s.size()); }
}  // namespace

TEST(TextWrap, BreaksOnlyAtSpacesSoNumbersStayWhole) {
  const std::string head = "Confusion matrix of 10000 test images (step 200): accuracy 77.79%";
  for (float width = 8; width <= 70; ++width) {
    const std::vector<std::string> lines = WrapAtSpaces(head, width, bytes_wide);
    std::string joined;
    for (const std::string& l : lines) {
      EXPECT_TRUE(l.size() <= width || l.find(' ') == std::string::npos) << "'" << l << "' at width " << width;
      EXPECT_NE(l.back(), '.') << "a line ends inside a number at width " << width;
      joined += (joined.empty() ? "" : " ") + l;
    }
    EXPECT_EQ(joined, head) << "width " << width;
  }
  EXPECT_EQ(WrapAtSpaces(head, 40, bytes_wide),
            (std::vector<std::string>{"Confusion matrix of 10000 test images", "(step 200): accuracy 77.79%"}));
}

TEST(TextWrap, AWordWiderThanTheWidthIsALineOfItsOwnAndNewlinesBreak) {
  EXPECT_EQ(WrapAtSpaces("= [0.22913, 0.35563]", 9, bytes_wide), (std::vector<std::string>{"=", "[0.22913,", "0.35563]"}));
  EXPECT_EQ(WrapAtSpaces("a 123456789012 b", 5, bytes_wide), (std::vector<std::string>{"a", "123456789012", "b"}));
  EXPECT_EQ(WrapAtSpaces("one\ntwo three", 100, bytes_wide), (std::vector<std::string>{"one", "two three"}));
  EXPECT_EQ(WrapAtSpaces("", 10, bytes_wide), (std::vector<std::string>{""}));
  EXPECT_EQ(WrapAtSpaces("  indented x", 100, bytes_wide), (std::vector<std::string>{"  indented x"}));
}

TEST(TextWrap, TheWidgetDrawsEveryLineInsideTheContentRegionAsOneItem) {
  const gs::app::test_support::HeadlessImGui imgui(ImVec2(400, 300));
  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(160, 300));
  ImGui::Begin("wrap", nullptr, ImGuiWindowFlags_NoDecoration);
  const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
  const float line = ImGui::GetTextLineHeight();
  TextWrappedAtSpaces("Confusion matrix of 10000 test images (step 200): accuracy 77.79%");
  const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
  ImGui::End();
  ImGui::EndFrame();
  EXPECT_LE(max.x, right + 0.5f);
  EXPECT_GE(max.y - min.y, 2.5f * line);  // several lines, one item
}
