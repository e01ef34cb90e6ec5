// Colours and sizes shared by the views, chosen for a projector: dark text on light panels;
// values blue, adjoints orange, tangents green, the current step yellow, problems red.
// Constants only; no state.
#pragma once

#include <imgui.h>

namespace gs::app::theme {

inline constexpr ImU32 kText = IM_COL32(30, 32, 40, 255);
inline constexpr ImU32 kTextDim = IM_COL32(140, 144, 156, 255);
inline constexpr ImU32 kValue = IM_COL32(25, 85, 200, 255);
inline constexpr ImU32 kAdjoint = IM_COL32(214, 96, 0, 255);
inline constexpr ImU32 kTangent = IM_COL32(16, 135, 60, 255);
inline constexpr ImU32 kCurrent = IM_COL32(255, 196, 0, 255);
inline constexpr ImU32 kCurrentBorder = IM_COL32(200, 140, 0, 255);
inline constexpr ImU32 kProblem = IM_COL32(210, 30, 40, 255);
inline constexpr ImU32 kOk = IM_COL32(20, 150, 70, 255);
inline constexpr ImU32 kNodeFill = IM_COL32(255, 255, 255, 255);
inline constexpr ImU32 kInputFill = IM_COL32(231, 240, 255, 255);
inline constexpr ImU32 kConstantFill = IM_COL32(238, 238, 242, 255);
inline constexpr ImU32 kIncompleteFill = IM_COL32(236, 236, 238, 255);
inline constexpr ImU32 kBorder = IM_COL32(118, 124, 142, 255);
inline constexpr ImU32 kLink = IM_COL32(150, 154, 170, 255);
inline constexpr ImU32 kRowCurrent = IM_COL32(255, 226, 120, 255);
inline constexpr ImU32 kRowSelected = IM_COL32(200, 222, 255, 255);
inline constexpr ImU32 kOutputBorder = IM_COL32(60, 64, 80, 255);
inline constexpr ImU32 kOutputBand = IM_COL32(60, 64, 80, 255);
inline constexpr ImU32 kOutputText = IM_COL32(255, 255, 255, 255);
inline constexpr ImU32 kLabelFill = IM_COL32(255, 246, 235, 255);
inline constexpr ImU32 kAdjointNodeFill = IM_COL32(255, 240, 224, 255);
inline constexpr ImU32 kPath = IM_COL32(126, 40, 170, 255);  // the chain rule's paths, lit

inline ImVec4 vec(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

}  // namespace gs::app::theme
