// When the main loop should draw again without waiting for input: the earliest time anyone asked
// for (a playing lesson's next step, a pending autosave, a text caret's blink). Several views ask
// in one frame; the earliest wins, whatever the order they ask in. No ImGui, no GL.
#pragma once

namespace gs::app {

class RedrawTimer {
 public:
  // Asks for a frame at `seconds` (the main loop's clock, glfwGetTime()). Non-finite or
  // non-positive times are ignored: they are no time at all.
  void request_at(double seconds);
  bool pending() const { return due_ > 0; }
  // The earliest requested time; 0 when nobody asked (sleep until input).
  double due() const { return due_; }
  // Forgets every request: the main loop clears before each frame, and views ask again.
  void clear() { due_ = 0; }

 private:
  double due_ = 0;
};

}  // namespace gs::app
