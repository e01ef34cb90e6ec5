// The toolbar's controls through the frame record (issue 9's smaller faults): each one reads
// what it is (the jump slider, the speed), none moves when Play becomes Pause or forward mode is
// ticked, and the buttons say "Previous"/"Next", never a "Step backward" that
// reads as "back". Drawn in an ImGui context without a renderer. No GL.
#include "toolbar_desk.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

using namespace gs;
using namespace gs::app;

namespace {

using test_support::ToolbarDesk;

// Two frames of the whole toolbar (the second one recorded): its controls by id.
std::map<std::string, ControlRecord> controls_of(ToolbarDesk& desk) {
  desk.frame();
  desk.frame();
  std::map<std::string, ControlRecord> out;
  for (const ControlRecord& c : desk.record().controls) out[c.id] = c;
  return out;
}

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
    ToolbarDesk desk(ToolbarDesk::Draws::whole, width);
    const auto controls = controls_of(desk);
    for (const char* id : {"reset", "previous", "next", "whole_forward", "whole_reverse", "play", "speed", "timeline"}) {
      ASSERT_TRUE(controls.count(id)) << id << " at " << width;
      EXPECT_FALSE(controls.at(id).text.empty()) << id << " at " << width;
    }
    // Forward mode is ticked in its tab of the trace tables (LabSplit), not here.
    EXPECT_EQ(controls.count("tangent"), 0u) << width;
    // The timeline ends the buttons' row, labelled in full where that fits.
    EXPECT_EQ(controls.at("timeline").rect[1], controls.at("next").rect[1]) << width;
    EXPECT_EQ(controls.at("timeline").text, "go to step: Forward 0 of 7") << width;  // ImGui's 13 px font: room at 1024 too
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
    ToolbarDesk desk(ToolbarDesk::Draws::whole, width);
    const auto before = controls_of(desk);
    desk.toolbar().toggle_play(0.0);
    const auto playing = controls_of(desk);
    EXPECT_EQ(playing.at("play").text, "Pause");
    EXPECT_EQ(moved_control(before, playing), "") << "width " << width;
    desk.toolbar().toggle_play(0.0);
    desk.session().lesson().start_tangent();
    const auto tangent = controls_of(desk);
    EXPECT_EQ(tangent.at("timeline").text, "go to step: Forward mode 0 of 7");
    EXPECT_EQ(moved_control(before, tangent), "") << "width " << width;
  }
}
