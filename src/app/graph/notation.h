// Small pieces of the seed's notation that the views compose from engine labels: subscripts,
// the partial-adjoint name v̄₁→₃, op symbols for node headers. Text only; no ImGui, no numbers
// computed (values come formatted from the engine's format_number/format_tensor).
#pragma once

#include "engine/graph.h"

#include <string>
#include <string_view>

namespace gs::app {

inline constexpr const char* kBar = "\u0304";  // combining macron: v̄
inline constexpr const char* kDot = "\u0307";  // combining dot above: v̇

// "12" -> "₁₂"; other characters unchanged.
std::string subscript(std::string_view digits);
// "v̄₁→₃" for the partial adjoint sent from consumer `to` back to input `from`.
std::string partial_name(const Graph& g, NodeId from, NodeId to);
// "v3" -> "v̄3", "v̇3"; labels that are not v-numbers get the mark on their first letter.
std::string adjoint_name(const std::string& label);
std::string tangent_name(const std::string& label);

}  // namespace gs::app
