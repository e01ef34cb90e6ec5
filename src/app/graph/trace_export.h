// The forward and reverse (and tangent, when stepped) traces as CSV, Markdown or LaTeX, for
// slides and notes. Text from the engine's trace rows; no ImGui, no GL.
#pragma once

#include "app/graph/lesson.h"

#include <string>

namespace gs::app {

enum class TraceFormat : std::uint8_t { Csv, Markdown, Latex };

std::string export_traces(const Lesson& lesson, TraceFormat format);
const char* trace_format_extension(TraceFormat f);  // ".csv", ".md", ".tex"

}  // namespace gs::app
