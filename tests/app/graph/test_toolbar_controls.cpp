// The toolbar's controls through the frame record (issue 9's smaller faults): each one reads
// what it is (the jump slider, the speed, forward mode), none moves when Play becomes Pause or
// forward mode is ticked, and the buttons say "Previous"/"Next", never a "Step backward" that
// reads as "back". Drawn in an ImGui context without a renderer. No GL.
#include "app/graph/view_toolbar.h"

#include "../headless_imgui.h"
#include "seed004_session.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

using namespace gs;
using namespace gs::app;

namespace {

// The toolbar of one session drawn in windows of a width, frame after frame.
class ToolbarDesk {
 public:
  explicit ToolbarDesk(float width) : imgui_(ImVec2(width, 700)), width_(width), session_(seed004_session()) {}
  Session& session() { return session_; }
  ToolbarView& toolbar() { return toolbar_; }
  // Two frames (the second one recorded): the controls by id.
  std::map<std::string, ControlRecord> controls() {
    std::map<std::string, ControlRecord> out;
    for (int f = 0; f < 2; ++f) {
      record_ = FrameRecord{};
      ImGui::NewFrame();
      ImGui::SetNextWindowPos(ImVec2(0, 0));
      ImGui::SetNextWindowSize(ImVec2(width_, 700));
      ImGui::Begin("toolbar", nullptr, ImGuiWindowFlags_NoDecoration);
      ViewContext ctx{session_, focus_, fonts_, redraw_, &record_};
      toolbar_.draw(ctx);
      ImGui::End();
      ImGui::Render();
    }
    for (const ControlRecord& c : record_.controls) out[c.id] = c;
    return out;
  }

 private:
  test_support::HeadlessImGui imgui_;
  float width_;
  Session session_;
  Focus focus_;
  FontSet fonts_;
  RedrawTimer redraw_;
  FrameRecord record_;
  ToolbarView toolbar_;
};

std::string moved_control(const std::map<std::string, ControlRecord>& before, const std::map<std::string, ControlRecord>& after) {
  for (const auto& [id, c] : before) {
    const auto it = after.find(id);
    if (it == after.end()) return id + " is gone";
    for (int k = 0; k < 4; ++k)
      if (std::abs(it->second.rect[k] - c.rect[k]) > 0.5f) return id + " moved";
  }
  return "";
}

}  // namespace

TEST(ToolbarControls, EveryControlReadsWhatItIs) {
  for (float width : {1600.0f, 1024.0f}) {
    ToolbarDesk desk(width);
    const auto controls = desk.controls();
    for (const char* id : {"reset", "previous", "next", "whole_forward", "whole_reverse", "play", "speed", "timeline", "tangent", "tangent_of"}) {
      ASSERT_TRUE(controls.count(id)) << id << " at " << width;
      EXPECT_FALSE(controls.at(id).text.empty()) << id << " at " << width;
    }
    EXPECT_EQ(controls.at("timeline").text, "go to step: Forward 0 of 7");
    EXPECT_EQ(controls.at("speed").text, "1.5 steps/s");
    EXPECT_EQ(controls.at("previous").text, "◀ Previous");
    EXPECT_EQ(controls.at("next").text, "Next ▶");
    for (const auto& [id, c] : controls) {
      EXPECT_EQ(c.text.find("backward"), std::string::npos) << id;
      EXPECT_LE(c.rect[2], width) << id << " runs past the window at " << width;
    }
  }
}

TEST(ToolbarControls, NothingMovesWhenPlayBecomesPauseOrForwardModeIsTicked) {
  for (float width : {1600.0f, 1024.0f}) {
    ToolbarDesk desk(width);
    const auto before = desk.controls();
    desk.toolbar().toggle_play(0.0);
    const auto playing = desk.controls();
    EXPECT_EQ(playing.at("play").text, "Pause");
    EXPECT_EQ(moved_control(before, playing), "") << "width " << width;
    desk.toolbar().toggle_play(0.0);
    desk.session().lesson().start_tangent();
    const auto tangent = desk.controls();
    EXPECT_EQ(tangent.at("timeline").text, "go to step: Forward mode 0 of 7");
    EXPECT_EQ(moved_control(before, tangent), "") << "width " << width;
  }
}
