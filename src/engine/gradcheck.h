// Gradient checking (seed 004): central differences per element, and the random-direction check
// δᵀ∇f ≈ (f(θ+εδ) − f(θ−εδ)) / 2ε, comparing reverse mode against numbers. Depends on autodiff.h.
#pragma once

#include "autodiff.h"

#include <string>
#include <vector>

namespace gs {

struct GradcheckOptions {
  double eps = 1e-6;
  double tolerance = 1e-6;  // on the relative error
  unsigned seed = 42;       // for the random direction
  bool elementwise = true;  // also check every element by central differences
};

struct InputCheck {
  std::string input;
  double directional_analytic = 0;   // δᵀ∇f
  double directional_numeric = 0;    // (f(θ+εδ) − f(θ−εδ)) / 2ε
  // ∂f/∂θ by central differences, element by element, (f(θ+εe_k) − f(θ−εe_k)) / 2ε, in the
  // input's row-major order: the same quantity as the input's adjoint, so that a view can show the
  // two side by side. Empty when the options say elementwise = false (and for gradgradcheck).
  std::vector<double> numeric;
  double max_abs_error = 0;          // largest elementwise |analytic − numeric|
  double relative_error = 0;         // max over the checks of |a − n| / max(1, |a|, |n|)
  Index worst_element = -1;          // flat index of the largest elementwise error
  bool passed = false;
  bool finite = true;
};

struct GradcheckReport {
  std::vector<InputCheck> inputs;
  bool passed() const {
    for (const auto& c : inputs)
      if (!c.passed) return false;
    return true;
  }
};

// The output must be a scalar (a tensor output is checked through the sum of its elements).
GradcheckReport gradcheck(const Graph& g, const Bindings& b, const GradcheckOptions& opt = {});
// The same, checking reverse-mode adjoints the caller has already computed (reverse(g, evaluate(g,
// b), g.output())) instead of computing them again.
GradcheckReport gradcheck(const Graph& g, const Bindings& b, const ReverseResult& analytic,
                          const GradcheckOptions& opt = {});

// Second derivatives checked as torch.autograd.gradgradcheck checks them, for f = the sum of the
// output's elements: the extended graph's Hessian-vector products (SecondOrder, autodiff.h)
// against central differences of the reverse-mode gradient, H·δ ≈ (∇f(θ+εδ) − ∇f(θ−εδ)) / 2ε,
// along a random unit direction δ of each input and, when opt.elementwise, along each of its
// elements (δ = e_k: a column of H). Each InputCheck is for the input perturbed: the directional
// fields hold the curvature along δ, δᵀHδ (analytic) and δᵀ(∇f(θ+εδ) − ∇f(θ−εδ))/2ε (numeric);
// relative_error is the largest over every element of every compared gradient (all inputs'),
// max_abs_error and worst_element (an element of the input perturbed) over the per-element
// columns. Throws GraphError when an op on the path has no symbolic reverse rule, BindingError
// for bad values.
GradcheckReport gradgradcheck(const Graph& g, const Bindings& b, const GradcheckOptions& opt = {});

}  // namespace gs
