// When a popup (a combo's list, a context menu) needs one more frame to show. ImGui draws a popup
// hidden in the frame it opens, to measure it, and shows it in the next: a program that draws
// only on input must ask for that next frame, or the list appears at the next mouse move.
// ImGui only.
#pragma once

namespace gs::app::widgets {

// Once a frame, after every window and popup of it was submitted (Workbench::draw calls it after
// the menus and the page): whether one of the open popups opened this frame or is still hidden,
// so that the next frame will look different without any input.
bool PopupWantsNextFrame();

}  // namespace gs::app::widgets
