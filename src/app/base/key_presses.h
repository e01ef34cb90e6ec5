// Every key press seen by a frame, however short and however slow the frame. ImGui 1.86 keeps
// only whether a key is down (its input queue came in 1.87): a press and its release taken by one
// poll of events never show the key down to a frame, and a second press of a key before a frame
// has seen it up again is no press at all. A presentation clicker's presses are short and a frame
// of the software GL driver is long (~4 frames/s), so the main loop passes GLFW's key events
// through this queue: per key, an event that a frame must see first waits, and the waiting ones
// are let through after each frame. A release also waits while a press that came before it (of
// any key) is undrawn: a fast Ctrl+A (Ctrl down, A down, A up, Ctrl up within one frame, Ctrl's
// press drawn by the frame before) must show A to a frame with Ctrl still down. No GLFW, no
// ImGui: events go out through a callback.
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
    long press_order = 0;         // when press_unseen: the order of that press's arrival
    std::deque<std::pair<Event, long>> backlog;  // in order (with their arrival), held until the frames in between
  };
  // Whether e (the order-th event to arrive) may go out now, or must wait for frames.
  bool may_forward(const KeyState& k, const Event& e, long order) const;
  void forward(KeyState& k, const Event& e, long order);
  // True when a press that arrived before `order` has not been drawn by a frame (gone out unseen,
  // or still waiting).
  bool earlier_press_undrawn(long order) const;

  Forward forward_;
  std::map<int, KeyState> keys_;
  long arrivals_ = 0;  // events received so far: each event's order of arrival
};

}  // namespace gs::app
