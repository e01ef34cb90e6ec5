// Rows of a huge graph cut before a frame pays for them (issue 10): after Run backward on a
// 100,000-node fan-out, x's reverse row is a sum of 50,000 partial adjoints. The step banner keeps
// its first terms, the trace tables a row's first 2,000 characters or so, each saying how much was
// left out ("… (49 996 more terms)"). Rows of lecture graphs are far below both limits and come
// out as the engine writes them. Text only: no ImGui, no evaluation (trace.h formats).
#pragma once

#include "app/base/i18n.h"
#include "engine/trace.h"

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace gs::app {

inline constexpr std::size_t kBannerTerms = 4;       // partial adjoints the banner keeps of a long row
inline constexpr std::size_t kBannerLines = 4;       // lines the banner's row takes at most
inline constexpr std::size_t kTraceRowChars = 2000;  // characters of a trace table's row, about

// " (49 996 more terms)" (`what`: Tr::MoreTerms or Tr::MoreCharacters, in the interface's
// language): the count grouped by thousands with no-break spaces, so that a wrap never splits it.
std::string more_count(std::size_t n, Tr what);

// The row with only its first `keep` partial adjoints, each sum ending in "+ … (N more terms)";
// the row itself (a copy) when it has no more than `keep`. Copies only the terms it keeps.
ReverseStep first_terms(const ReverseStep& s, std::size_t keep);

// The step banner's row: to_line(s), or, for a row of more than kBannerTerms partial adjoints
// whose line would be long, to_line of its first kBannerTerms.
std::string banner_line(const ReverseStep& s);

// `text` cut at a UTF-8 character boundary near `max_chars` bytes, with "… (N more characters)"
// (counting bytes left out); unchanged when not longer.
std::string cut_text(std::string text, std::size_t max_chars = kTraceRowChars);

// The trace tables' cells of a row with no cell much past kTraceRowChars: a reverse row keeps the
// partial adjoints that fit, other rows' texts are cut (cut_text).
TraceCells trace_cells_cut(const ForwardStep& s);
TraceCells trace_cells_cut(const ReverseStep& s);
TraceCells trace_cells_cut(const TangentStep& s);

}  // namespace gs::app
