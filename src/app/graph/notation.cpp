// Notation helpers. No ImGui.
#include "app/graph/notation.h"

namespace gs::app {

std::string subscript(std::string_view digits) {
  static constexpr const char* kSub[] = {"₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"};
  std::string out;
  for (char c : digits) out += (c >= '0' && c <= '9') ? kSub[c - '0'] : std::string(1, c);
  return out;
}

namespace {
std::string marked(const std::string& label, const char* mark) {
  if (label.empty()) return label;
  // The mark goes on the first character (ASCII in every engine label).
  return label.substr(0, 1) + mark + label.substr(1);
}
}  // namespace

std::string adjoint_name(const std::string& label) { return marked(label, kBar); }
std::string tangent_name(const std::string& label) { return marked(label, kDot); }

std::string partial_name(const Graph& g, NodeId from, NodeId to) {
  const int a = g.node(from).v, b = g.node(to).v;
  if (a <= 0 || b <= 0) return adjoint_name(g.label(from)) + "→" + g.label(to);
  return std::string("v") + kBar + subscript(std::to_string(a)) + "→" + subscript(std::to_string(b));
}

}  // namespace gs::app
