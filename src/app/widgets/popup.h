// When a popup (a combo's list, a context menu) needs one more frame to show. ImGui draws a popup
// hidden in the frame it opens, to measure it, and shows it in the next: a program that draws
// only on input must ask for that next frame, or the list appears at the next mouse move.
// ImGui only.
#pragma once

namespace gs::app::widgets {

// After the popups of this frame were drawn (at the end of a page's draw): whether one of the
// open popups opened this frame or is still hidden, so that the next frame will look different
// without any input.
bool PopupWantsNextFrame();

}  // namespace gs::app::widgets
