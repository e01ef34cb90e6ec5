// Text wrapped at spaces only. ImGui 1.86's TextWrapped also breaks a line after '.', ',', ';', '!',
// '?' and '"', so a number could be split at its decimal point: "accuracy 77." / "79%" under the
// confusion matrix, "[0.22913, 0." / "35563]" in a trace table's value column. Here a line breaks
// only at a space (or a '\n' in the text); a word wider than the width stays whole on a line of its
// own, so a number is never cut into two numbers.
//
// Usage:
//   widgets::TextWrappedAtSpaces(head);                       // instead of ImGui::TextWrapped("%s", …)
//   auto lines = widgets::WrapAtSpaces(text, 200.0f, measure); // the lines alone (no ImGui needed)
//   auto lines = widgets::WrapAtSpaces(text, 200.0f, widgets::ImGuiTextWidth); // measured in ImGui's font
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace gs::app::widgets {

// The width of `text` in the current ImGui font, in pixels: the `measure` the functions below take
// when they wrap for ImGui (needs an ImGui context with its fonts built).
float ImGuiTextWidth(std::string_view text);

// The lines of `text` at most `width` wide (in whatever unit `measure` returns: pixels for ImGui),
// broken only at spaces and at '\n'. The spaces a break replaces are dropped; a word wider than
// `width` is a line by itself. An empty text gives one empty line.
std::vector<std::string> WrapAtSpaces(std::string_view text, float width, const std::function<float(std::string_view)>& measure);

// `lines` (a text wrapped at `width`) kept to `max_lines`; when lines were left out, the last one
// kept ends in " …", its last words dropped until it fits `width` (as `measure` says; a single
// word wider than the line stays, as the wrap keeps it). The step banner's row and the status line.
std::vector<std::string> FirstLines(std::vector<std::string> lines, std::size_t max_lines, float width,
                                    const std::function<float(std::string_view)>& measure);

// ImGui::TextWrapped's replacement: the text's lines at the width left on the current line (the
// window's or table column's content region), drawn as one item, so GetItemRectMax() covers every
// line. Needs a current ImGui window.
void TextWrappedAtSpaces(const std::string& text);

}  // namespace gs::app::widgets
