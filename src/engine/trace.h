// The three traces in the seed's notation, as rows a student would copy into notes:
//   forward   v3 = ln v1 = ln 2 = 0.69315
//   reverse   v̄1 = v̄3·(1/v1) + v̄4·v2 = 1·(1/2) + 1·5 = 5.5
//   tangent   v̇4 = v̇1·v2 + v1·v̇2 = 1·5 + 2·0 = 5
// Derived from autodiff.h's results; text only, no evaluation of its own. Depends on autodiff.h.
#pragma once

#include "autodiff.h"

#include <string>
#include <vector>

namespace gs {

struct ForwardStep {
  NodeId node;
  std::string lhs;          // "v3"
  std::string formula;      // "ln v1"  (for inputs: "x1")
  std::string substituted;  // "ln 2"   (inputs' values in place of their names)
  std::string value;        // "0.69315" or a tensor summary
  bool finite = true;
  std::string problem;      // why the value is NaN/inf, where it first appears
};

// One partial adjoint v̄(i→j) as it enters the sum for v̄i.
struct ReverseTerm {
  NodeId to;                // j
  int slot = 0;
  std::size_t partial = 0;  // its PartialAdjoint: ReverseResult::partials[partial]
  std::string symbolic;     // "v̄3·(1/v1)" or "v̄5 @ v2ᵀ"
  std::string local;        // "1/v1" (∂vj/∂vi) for elementwise ops, else empty
  std::string substituted;  // "1·(1/2)"
  std::string value;        // "0.5"
};

struct ReverseStep {
  NodeId node;
  std::string lhs;          // "v̄1"
  std::vector<ReverseTerm> terms;  // empty for the seed (v̄7 = 1)
  std::string symbolic;     // "v̄3·(1/v1) + v̄4·v2"
  std::string substituted;  // "1·(1/2) + 1·5"
  std::string partial_sum;  // "0.5 + 5"
  std::string value;        // "5.5"
  bool finite = true;
};

struct TangentStep {
  NodeId node;
  std::string lhs;          // "v̇4"
  std::string symbolic;     // "v̇1·v2 + v1·v̇2"
  std::string substituted;  // "1·5 + 2·0"
  std::string value;        // "5"
  bool finite = true;
};

std::vector<ForwardStep> forward_trace(const Graph& g, const Evaluation& ev);
std::vector<ReverseStep> reverse_trace(const Graph& g, const Evaluation& ev, const ReverseResult& r);
std::vector<TangentStep> tangent_trace(const Graph& g, const Evaluation& ev, const TangentResult& t);

// The whole formula of one row as a single line, as the tables print it:
// "v3 = ln v1 = ln 2 = 0.69315", "v̄1 = v̄3·(1/v1) + v̄4·v2 = 1·(1/2) + 1·5 = 0.5 + 5 = 5.5".
std::string to_line(const ForwardStep& s);
std::string to_line(const ReverseStep& s);
std::string to_line(const TangentStep& s);

}  // namespace gs
