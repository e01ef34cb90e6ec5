// Every key press seen by a frame, however short and however slow the frame. ImGui 1.86 keeps
// only whether a key is down (its input queue came in 1.87): a press and its release taken by one
// poll of events never show the key down to a frame, and a second press of a key before a frame
// has seen it up again is no press at all. A presentation clicker's presses are short and a frame
// of the software GL driver is long (~4 frames/s), so the main loop passes GLFW's key events
// through this queue: per key, an event that a frame must see first waits, and the waiting ones
// are let through after each frame. No GLFW, no ImGui: events go out through a callback.
#pragma once

#include <deque>
#include <functional>
#include <map>

namespace gs::app {

class KeyPresses {
 public:
  struct Event {
    int key = 0;
    int scancode = 0;
    bool press = false;  // else a release
    int mods = 0;
  };
  using Forward = std::function<void(const Event&)>;

  explicit KeyPresses(Forward forward) : forward_(std::move(forward)) {}

  // A press or a release from the window system: forwarded at once, or kept until the frames
  // in between have seen what came before it. (Key repeats are not presses: the caller forwards
  // them itself.)
  void event(const Event& e);
  // After each frame: what that frame has seen is done; the events it was waiting for go out,
  // each as far as it may (a held-back release now, the press queued after it one frame later).
  // True when anything is still to go out: the loop must draw again without waiting for input.
  bool frame_done();
  // Events not yet forwarded (tests, and the loop's "draw again").
  bool waiting() const;

 private:
  struct KeyState {
    bool press_unseen = false;    // a press went out that no frame has drawn yet
    bool release_unseen = false;  // a release went out that no frame has drawn yet
    std::deque<Event> backlog;    // in order, held until the frames in between
  };
  // Forwards e if the frames allow it now; false when it must wait.
  bool try_forward(KeyState& k, const Event& e);

  Forward forward_;
  std::map<int, KeyState> keys_;
};

}  // namespace gs::app
