// Long trace rows cut to what a frame can afford: the banner's first terms, the tables' first
// 2,000 characters. Text only (the wrap is measured by the caller). No ImGui, no GL.
#include "app/graph/long_rows.h"

namespace gs::app {

namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // …
constexpr std::string_view kNoBreakSpace = "\xC2\xA0";
constexpr std::string_view kPlus = " + ";
// A banner row longer than this (bytes, about four lines of the lab's banner) with more than
// kBannerTerms partial adjoints keeps only those.
constexpr std::size_t kBannerRowChars = 600;
// Room in a cut trace row for the three "+ … (N more terms)" notes.
constexpr std::size_t kNotesChars = 120;

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// U+0300–U+036F (the bar of v̄, the dot of v̇) belongs to the letter before it.
bool combining_mark_at(const std::string& s, std::size_t i) {
  if (i + 1 >= s.size()) return false;
  const auto a = static_cast<unsigned char>(s[i]), b = static_cast<unsigned char>(s[i + 1]);
  return (a == 0xCC && b >= 0x80) || (a == 0xCD && b <= 0xAF);
}

// The first `keep` pieces of a " + "-joined sum of the terms' `field`.
std::string first_pieces(const std::string& sum, const ReverseStep& s, std::size_t keep, std::string ReverseTerm::*field) {
  std::size_t length = 0;
  for (std::size_t i = 0; i < keep; ++i) length += (s.terms[i].*field).size() + (i ? kPlus.size() : 0);
  return sum.substr(0, length);
}

std::string with_rest(std::string head, std::size_t left_out) {
  if (left_out == 0) return head;
  head += kPlus;
  head += kEllipsis;
  head += more_count(left_out, Tr::MoreTerms);
  return head;
}

}  // namespace

std::string more_count(std::size_t n, Tr what) {
  std::string digits = std::to_string(n), grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += kNoBreakSpace;
    grouped += digits[i];
  }
  return trf(what, grouped);
}

ReverseStep first_terms(const ReverseStep& s, std::size_t keep) {
  if (s.terms.size() <= keep) return s;
  ReverseStep out;
  out.node = s.node;
  out.lhs = s.lhs;
  out.value = s.value;
  out.finite = s.finite;
  out.problem = s.problem;
  out.terms.assign(s.terms.begin(), s.terms.begin() + static_cast<std::ptrdiff_t>(keep));
  const std::size_t left_out = s.terms.size() - keep;
  // The engine joins the terms' texts with " + " (trace.cpp), so the first ones are a prefix;
  // the partial sum's values may be bracketed, so its pieces are found by their separators.
  out.symbolic = with_rest(first_pieces(s.symbolic, s, keep, &ReverseTerm::symbolic), left_out);
  out.substituted = with_rest(first_pieces(s.substituted, s, keep, &ReverseTerm::substituted), left_out);
  std::size_t end = 0;
  for (std::size_t i = 0; i < keep && end != std::string::npos; ++i) end = s.partial_sum.find(kPlus, i ? end + kPlus.size() : 0);
  out.partial_sum = with_rest(s.partial_sum.substr(0, end), left_out);
  return out;
}

std::string banner_line(const ReverseStep& s) {
  const std::size_t size = s.lhs.size() + s.symbolic.size() + s.substituted.size() + s.partial_sum.size() + s.value.size();
  if (s.terms.size() <= kBannerTerms || size <= kBannerRowChars) return to_line(s);
  return to_line(first_terms(s, kBannerTerms));
}

std::string cut_text(std::string text, std::size_t max_chars) {
  if (text.size() <= max_chars) return text;
  std::size_t end = max_chars;
  while (end > 0 && (continuation(text[end]) || combining_mark_at(text, end))) --end;
  std::size_t left_out = 0;
  for (std::size_t i = end; i < text.size(); ++i) left_out += continuation(text[i]) ? 0 : 1;
  text.resize(end);
  text += kEllipsis;
  text += more_count(left_out, Tr::MoreCharacters);
  return text;
}

namespace {

TraceCells cut_cells(TraceCells c) {
  for (std::string* text : {&c.formula, &c.numbers, &c.value, &c.line}) *text = cut_text(std::move(*text));
  return c;
}

}  // namespace

TraceCells trace_cells_cut(const ForwardStep& s) { return cut_cells(trace_cells(s)); }
TraceCells trace_cells_cut(const TangentStep& s) { return cut_cells(trace_cells(s)); }

TraceCells trace_cells_cut(const ReverseStep& s) {
  // The partial adjoints that fit: each shows in the formula, the numbers and the partial sum.
  std::size_t keep = 0, size = s.lhs.size() + s.value.size();
  while (keep < s.terms.size()) {
    const ReverseTerm& t = s.terms[keep];
    size += t.symbolic.size() + t.substituted.size() + t.value.size() + 3 * kPlus.size();
    if (size + kNotesChars > kTraceRowChars && keep > 0) break;
    ++keep;
  }
  return cut_cells(trace_cells(keep == s.terms.size() ? s : first_terms(s, keep)));
}

}  // namespace gs::app
