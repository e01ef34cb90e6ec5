// KeyPresses, the main loop's key queue, driven without GLFW into a headless ImGui 1.86: every press
// of a key is seen by a frame, even two presses of the same key (a clicker pressed twice) between
// two frames of a slow driver.
#include "app/base/key_presses.h"

#include "../headless_imgui.h"

#include <gtest/gtest.h>

#include <vector>

using namespace gs::app;
using gs::app::test_support::HeadlessImGui;

namespace {

constexpr int kPageDown = 267;  // GLFW_KEY_PAGE_DOWN (any index below 512 will do)
constexpr int kRight = 262;     // GLFW_KEY_RIGHT

// ImGui fed by the queue as the GLFW backend feeds it (io.KeysDown), and the presses each frame saw.
struct Desk {
  HeadlessImGui imgui;
  KeyPresses keys{[](const KeyPresses::Event& e) { ImGui::GetIO().KeysDown[e.key] = e.press; }};

  void press(int key) { keys.event({key, 0, true, 0}); }
  void release(int key) { keys.event({key, 0, false, 0}); }
  // One frame; how many times `key` was pressed in it, as a page asks.
  int frame(int key) {
    ImGui::NewFrame();
    const int pressed = ImGui::IsKeyPressed(key, false) ? 1 : 0;
    ImGui::EndFrame();
    keys.frame_done();
    return pressed;
  }
  // Frames until nothing waits (and two more); the presses of `key` they saw.
  int drain(int key) {
    int n = 0;
    for (int i = 0; i < 20 && (i < 2 || keys.waiting()); ++i) n += frame(key);
    return n + frame(key) + frame(key);
  }
};

}  // namespace

TEST(KeyPresses, APressAndReleaseBetweenTwoFramesIsSeenOnce) {
  Desk d;
  d.frame(kPageDown);
  d.press(kPageDown);
  d.release(kPageDown);
  EXPECT_EQ(d.frame(kPageDown), 1);
  EXPECT_EQ(d.drain(kPageDown), 0);
  EXPECT_FALSE(ImGui::GetIO().KeysDown[kPageDown]) << "the held-back release went out";
}

TEST(KeyPresses, TwoPressesOfOneKeyWithinASlowFrameStepTwice) {
  Desk d;
  d.frame(kPageDown);
  for (int i = 0; i < 2; ++i) {
    d.press(kPageDown);
    d.release(kPageDown);
  }
  EXPECT_EQ(d.frame(kPageDown) + d.drain(kPageDown), 2);
}

TEST(KeyPresses, FivePressesOfOneKeyAndOthersBetweenAreAllSeenInOrder) {
  Desk d;
  d.frame(kPageDown);
  for (int i = 0; i < 5; ++i) {
    d.press(kPageDown);
    d.release(kPageDown);
    if (i == 2) {
      d.press(kRight);
      d.release(kRight);
    }
  }
  int down = 0, right = 0;
  for (int i = 0; i < 30; ++i) {
    ImGui::NewFrame();
    down += ImGui::IsKeyPressed(kPageDown, false) ? 1 : 0;
    right += ImGui::IsKeyPressed(kRight, false) ? 1 : 0;
    ImGui::EndFrame();
    d.keys.frame_done();
  }
  EXPECT_EQ(down, 5);
  EXPECT_EQ(right, 1);
  EXPECT_FALSE(d.keys.waiting());
}

TEST(KeyPresses, AKeyHeldAcrossFramesIsOnePressAndItsReleaseGoesOutAtOnce) {
  Desk d;
  d.frame(kRight);
  d.press(kRight);
  EXPECT_EQ(d.frame(kRight), 1);
  EXPECT_EQ(d.frame(kRight), 0);  // still held: no new press
  EXPECT_TRUE(ImGui::GetIO().KeysDown[kRight]);
  d.release(kRight);
  EXPECT_FALSE(ImGui::GetIO().KeysDown[kRight]) << "a release after a frame saw the press is not held";
  // Pressed again before any frame saw it up: a press of its own, one frame later.
  d.press(kRight);
  d.release(kRight);
  EXPECT_EQ(d.drain(kRight), 1);
}

TEST(KeyPresses, FrameDoneAsksForMoreFramesOnlyWhileEventsGoOut) {
  Desk d;
  d.frame(kPageDown);
  EXPECT_FALSE(d.keys.frame_done()) << "nothing pressed: the loop may sleep";
  d.press(kPageDown);
  d.release(kPageDown);
  d.press(kPageDown);
  d.release(kPageDown);
  EXPECT_TRUE(d.keys.waiting());
  int frames = 0;
  bool more = true;
  while (more && frames < 20) {
    ImGui::NewFrame();
    ImGui::EndFrame();
    more = d.keys.frame_done();
    ++frames;
  }
  EXPECT_FALSE(more);
  EXPECT_FALSE(d.keys.waiting());
  EXPECT_EQ(frames, 4) << "release 1, press 2, release 2, then a frame that sees it up";
}

// A fast chord: Ctrl's press drawn by one frame, then A down, A up and Ctrl up before the next.
// The frame that sees A pressed must see Ctrl still down (Edit ▸ Select all by Ctrl+A selected
// nothing: xdotool's `key ctrl+a` and a quick hand on the software GL driver's slow frames).
TEST(KeyPresses, AModifiersReleaseWaitsForTheKeyPressedWithIt) {
  constexpr int kCtrl = 341, kA = 65;  // GLFW_KEY_LEFT_CONTROL, GLFW_KEY_A
  Desk d;
  d.frame(kA);
  d.press(kCtrl);
  d.frame(kA);
  d.press(kA);
  d.release(kA);
  d.release(kCtrl);
  int chords = 0, plain = 0;
  // Frames; each press of A they saw counted as a chord (Ctrl down) or plain.
  auto frames = [&](int n) {
    for (int i = 0; i < n; ++i) {
      ImGui::NewFrame();
      if (ImGui::IsKeyPressed(kA, false)) (ImGui::GetIO().KeysDown[kCtrl] ? chords : plain)++;
      ImGui::EndFrame();
      d.keys.frame_done();
    }
  };
  frames(10);
  EXPECT_EQ(chords, 1);
  EXPECT_EQ(plain, 0);
  EXPECT_FALSE(ImGui::GetIO().KeysDown[kCtrl]) << "Ctrl's release went out after A was drawn";
  EXPECT_FALSE(d.keys.waiting());
  // Twice within one frame: both are chords.
  d.press(kCtrl);
  for (int i = 0; i < 2; ++i) {
    d.press(kA);
    d.release(kA);
  }
  d.release(kCtrl);
  frames(12);
  EXPECT_EQ(chords, 3);
  EXPECT_EQ(plain, 0);
  EXPECT_FALSE(d.keys.waiting());
}
