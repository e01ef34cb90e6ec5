// Long trace rows cut to what a frame can afford: the banner's first terms. Text only (the wrap is
// measured by the caller). No ImGui, no GL.
#include "app/graph/long_rows.h"

namespace gs::app {

namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // …
constexpr std::string_view kNoBreakSpace = "\xC2\xA0";
constexpr std::string_view kPlus = " + ";
// A banner row longer than this (bytes, about four lines of the lab's banner) with more than
// kBannerTerms partial adjoints keeps only those.
constexpr std::size_t kBannerRowChars = 600;

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
  head += more_count(left_out, "terms");
  return head;
}

}  // namespace

std::string more_count(std::size_t n, std::string_view what) {
  std::string digits = std::to_string(n), grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += kNoBreakSpace;
    grouped += digits[i];
  }
  return " (" + grouped + " more " + std::string(what) + ")";
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

std::vector<std::string> first_lines(std::vector<std::string> lines, std::size_t max_lines, float width,
                                     const std::function<float(std::string_view)>& measure) {
  if (lines.size() <= max_lines || max_lines == 0) return lines;
  lines.resize(max_lines);
  std::string& last = lines.back();
  // Words go until the ellipsis fits; a single word wider than the line stays (as the wrap
  // keeps it).
  const std::string tail = " " + std::string(kEllipsis);
  while (measure(last + tail) > width && last.find(' ') != std::string::npos) last.resize(last.rfind(' '));
  last += tail;
  return lines;
}

}  // namespace gs::app

