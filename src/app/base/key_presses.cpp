// KeyPresses: per key, a press needs a frame that sees the key down and the next press a frame
// that saw it up in between. No GLFW, no ImGui.
#include "app/base/key_presses.h"

namespace gs::app {

bool KeyPresses::earlier_press_undrawn(long order) const {
  for (const auto& [key, k] : keys_) {
    if (k.press_unseen && k.press_order < order) return true;
    for (const auto& [e, o] : k.backlog)
      if (e.press && o < order) return true;
  }
  return false;
}

bool KeyPresses::may_forward(const KeyState& k, const Event& e, long order) const {
  // A press after a release no frame has seen (or a second press before the first was drawn)
  // would merge with what came before; a release before its press was drawn would hide it, and a
  // modifier's release before another key's press was drawn would take the modifier from it.
  return e.press ? !(k.press_unseen || k.release_unseen) : !earlier_press_undrawn(order);
}

void KeyPresses::forward(KeyState& k, const Event& e, long order) {
  if (e.press) {
    k.press_unseen = true;
    k.press_order = order;
  } else {
    k.release_unseen = true;
  }
  forward_(e);
}

void KeyPresses::event(const Event& e) {
  KeyState& k = keys_[e.key];
  const long order = ++arrivals_;
  if (k.backlog.empty() && may_forward(k, e, order))
    forward(k, e, order);
  else
    k.backlog.emplace_back(e, order);
}

bool KeyPresses::frame_done() {
  for (auto& [key, k] : keys_) k.press_unseen = k.release_unseen = false;
  // The waiting events that may go out, earliest arrival first (a key that must wait holds up
  // only its own later events).
  for (;;) {
    KeyState* next = nullptr;
    for (auto& [key, k] : keys_) {
      if (k.backlog.empty() || !may_forward(k, k.backlog.front().first, k.backlog.front().second)) continue;
      if (!next || k.backlog.front().second < next->backlog.front().second) next = &k;
    }
    if (!next) break;
    const auto [e, order] = next->backlog.front();
    next->backlog.pop_front();
    forward(*next, e, order);
  }
  bool more = false;
  for (const auto& [key, k] : keys_) more = more || k.press_unseen || k.release_unseen || !k.backlog.empty();
  return more;
}

bool KeyPresses::waiting() const {
  for (const auto& [key, k] : keys_)
    if (!k.backlog.empty()) return true;
  return false;
}

}  // namespace gs::app
