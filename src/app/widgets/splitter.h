// A bar between two panels, dragged to resize them (Debian's ImGui 1.86 has no docking). ImGui
// only; no GL.
//
// Usage, between the two panels laid out along one axis:
//   BeginChild("left", ImVec2(w_left, h)); ... EndChild(); SameLine(0, 0);
//   widgets::Splitter("split", widgets::SplitterAxis::Vertical, bar_px, h, total_w, &side_fraction, 0.2f, 0.7f);
//   SameLine(0, 0); BeginChild("right", ...);
#pragma once

#include <imgui.h>

#include <cstdint>

namespace gs::app::widgets {

// Vertical: a bar standing between a left and a right panel, dragged along x.
// Horizontal: a bar lying between an upper and a lower panel, dragged along y.
enum class SplitterAxis : std::uint8_t { Vertical, Horizontal };

// Draws the bar (`thickness` × `length` pixels) and moves *fraction, a share of `total` pixels,
// by the drag, clamped to [lo, hi]. Dragging a vertical bar right makes the right panel narrower
// (*fraction is the right panel's share); dragging a horizontal bar down makes the upper panel
// taller (*fraction is the upper panel's share). Returns true while dragged.
bool Splitter(const char* str_id, SplitterAxis axis, float thickness, float length, float total, float* fraction, float lo, float hi);

}  // namespace gs::app::widgets
