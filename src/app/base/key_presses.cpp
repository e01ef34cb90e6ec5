// KeyPresses: per key, a press needs a frame that sees the key down and the next press a frame
// that saw it up in between. No GLFW, no ImGui.
#include "app/base/key_presses.h"

namespace gs::app {

bool KeyPresses::try_forward(KeyState& k, const Event& e) {
  // A press after a release no frame has seen (or a second press before the first was drawn)
  // would merge with what came before; a release before its press was drawn would hide it.
  if (e.press ? (k.press_unseen || k.release_unseen) : k.press_unseen) return false;
  (e.press ? k.press_unseen : k.release_unseen) = true;
  forward_(e);
  return true;
}

void KeyPresses::event(const Event& e) {
  KeyState& k = keys_[e.key];
  if (!k.backlog.empty() || !try_forward(k, e)) k.backlog.push_back(e);
}

bool KeyPresses::frame_done() {
  bool more = false;
  for (auto& [key, k] : keys_) {
    k.press_unseen = k.release_unseen = false;
    while (!k.backlog.empty() && try_forward(k, k.backlog.front())) k.backlog.pop_front();
    more = more || k.press_unseen || k.release_unseen || !k.backlog.empty();
  }
  return more;
}

bool KeyPresses::waiting() const {
  for (const auto& [key, k] : keys_)
    if (!k.backlog.empty()) return true;
  return false;
}

}  // namespace gs::app
