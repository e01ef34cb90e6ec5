// Gradient checking against central differences: per element, and along a random direction
// (seed 004: δᵀ∇f ≈ (f(θ+εδ) − f(θ−εδ)) / 2ε); the same for second derivatives, with the
// reverse-mode gradient in place of f (gradgradcheck). Depends on autodiff.h.
#include "gradcheck.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>

namespace gs {
namespace {

// f(θ) = the sum of the output's elements (the output itself when it is a scalar).
double objective(const Graph& g, const Bindings& b) {
  Evaluation ev = evaluate(g, b);
  double s = 0;
  for (double v : ev[g.output()]) s += v;
  return s;
}

double rel_error(double a, double n) { return std::abs(a - n) / std::max({1.0, std::abs(a), std::abs(n)}); }

// A random direction on the unit sphere, of the input's shape.
TensorD unit_direction(const Shape& shape, std::mt19937_64& rng) {
  std::normal_distribution<double> normal(0.0, 1.0);
  TensorD delta(shape);
  double norm = 0;
  for (double& d : delta) {
    d = normal(rng);
    norm += d * d;
  }
  norm = std::sqrt(norm);
  for (double& d : delta) d /= norm > 0 ? norm : 1.0;
  return delta;
}

// One element compared: the largest relative error so far, NaN (the worst there is) kept.
void note_relative_error(InputCheck& c, double analytic, double numeric) {
  if (std::isnan(numeric) || std::isnan(analytic) || std::isnan(c.relative_error))
    c.relative_error = NAN;
  else
    c.relative_error = std::max(c.relative_error, rel_error(analytic, numeric));
}
// ... and the largest absolute error with where it is: a NaN stays, whatever finite errors follow.
void note_abs_error(InputCheck& c, double analytic, double numeric, Index element) {
  const double err = std::abs(numeric - analytic);
  if (!std::isnan(c.max_abs_error) && !(err <= c.max_abs_error)) {
    c.max_abs_error = err;
    c.worst_element = element;
  }
}
void conclude(InputCheck& c, const GradcheckOptions& opt) {
  c.finite = std::isfinite(c.relative_error) && std::isfinite(c.directional_analytic);
  c.passed = c.finite && c.relative_error <= opt.tolerance;
}

// θ + εδ and θ − εδ, δ a direction of input `name`.
std::pair<Bindings, Bindings> perturbed(const Bindings& b, const std::string& name, const TensorD& delta, double eps) {
  std::pair<Bindings, Bindings> out{b, b};
  TensorD& plus = out.first[name];
  TensorD& minus = out.second[name];
  for (Index k = 0; k < delta.size(); ++k) {
    plus[k] += eps * delta[k];
    minus[k] -= eps * delta[k];
  }
  return out;
}

// fn() with element k of p (an input's value in the bindings fn reads) moved by +ε, then by −ε.
template <class F>
auto on_both_sides(TensorD& p, Index k, double eps, F fn) {
  const double orig = p[k];
  p[k] = orig + eps;
  auto plus = fn();
  p[k] = orig - eps;
  auto minus = fn();
  p[k] = orig;
  return std::make_pair(std::move(plus), std::move(minus));
}

// ∇f by reverse mode, one tensor per input (zeros where f does not depend on it).
Bindings gradient_at(const Graph& g, const Bindings& b) {
  const ReverseResult r = reverse(g, evaluate(g, b), g.output(), false);
  Bindings out;
  for (NodeId x : g.inputs()) out[g.node(x).name] = r.has_adjoint[x.index] ? r[x] : TensorD(g.node(x).shape);
  return out;
}

// Compares H·δ with (∇f(θ+εδ) − ∇f(θ−εδ)) / 2ε in every element of every input's gradient.
void compare_columns(const Bindings& analytic, const Bindings& plus, const Bindings& minus, double eps, InputCheck& c,
                     Index element) {
  for (const auto& [name, a] : analytic) {
    const TensorD& p = plus.at(name);
    const TensorD& m = minus.at(name);
    for (Index i = 0; i < a.size(); ++i) {
      const double numeric = (p[i] - m[i]) / (2 * eps);
      note_relative_error(c, a[i], numeric);
      if (element >= 0) note_abs_error(c, a[i], numeric, element);
    }
  }
}

}  // namespace

GradcheckReport gradcheck(const Graph& g, const Bindings& b, const GradcheckOptions& opt) {
  return gradcheck(g, b, reverse(g, evaluate(g, b), g.output(), false), opt);
}

GradcheckReport gradcheck(const Graph& g, const Bindings& b, const ReverseResult& r, const GradcheckOptions& opt) {
  std::mt19937_64 rng(opt.seed);
  GradcheckReport report;
  for (NodeId x : g.inputs()) {
    const std::string& name = g.node(x).name;
    const TensorD& theta = b.find(name)->second;
    TensorD analytic = r.has_adjoint[x.index] ? r[x] : TensorD(theta.shape());
    InputCheck c;
    c.input = name;

    const TensorD delta = unit_direction(theta.shape(), rng);
    const auto [plus, minus] = perturbed(b, name, delta, opt.eps);
    for (Index k = 0; k < theta.size(); ++k) c.directional_analytic += delta[k] * analytic[k];
    c.directional_numeric = (objective(g, plus) - objective(g, minus)) / (2 * opt.eps);
    c.relative_error = rel_error(c.directional_analytic, c.directional_numeric);

    if (opt.elementwise) {
      Bindings probe = b;
      TensorD& p = probe[name];
      c.numeric.assign(static_cast<std::size_t>(theta.size()), 0.0);
      for (Index k = 0; k < theta.size(); ++k) {
        const auto [fp, fm] = on_both_sides(p, k, opt.eps, [&] { return objective(g, probe); });
        const double numeric = (fp - fm) / (2 * opt.eps);
        c.numeric[static_cast<std::size_t>(k)] = numeric;
        note_abs_error(c, analytic[k], numeric, k);
        note_relative_error(c, analytic[k], numeric);
      }
    }
    conclude(c, opt);
    report.inputs.push_back(c);
  }
  return report;
}

GradcheckReport gradgradcheck(const Graph& g, const Bindings& b, const GradcheckOptions& opt) {
  const SecondOrder second(g);
  check_bindings(g, b);
  std::mt19937_64 rng(opt.seed);
  Bindings zero;
  for (NodeId x : g.inputs()) zero[g.node(x).name] = TensorD(g.node(x).shape);

  GradcheckReport report;
  for (NodeId x : g.inputs()) {
    const std::string& name = g.node(x).name;
    const TensorD& theta = b.find(name)->second;
    InputCheck c;
    c.input = name;

    // Along δ: H·δ against the central difference of the gradient, in every element.
    Bindings direction = zero;
    direction[name] = unit_direction(theta.shape(), rng);
    const TensorD& delta = direction[name];
    const Bindings hv = second.hvp(b, direction);
    const auto [plus, minus] = perturbed(b, name, delta, opt.eps);
    const Bindings gp = gradient_at(g, plus), gm = gradient_at(g, minus);
    for (Index k = 0; k < theta.size(); ++k) {
      c.directional_analytic += delta[k] * hv.at(name)[k];
      c.directional_numeric += delta[k] * (gp.at(name)[k] - gm.at(name)[k]) / (2 * opt.eps);
    }
    compare_columns(hv, gp, gm, opt.eps, c, -1);

    if (opt.elementwise) {  // column k of H: H·e_k against the difference of the gradient along x[k]
      Bindings probe = b;
      TensorD& p = probe[name];
      TensorD& e = direction[name];
      e = TensorD(theta.shape());
      for (Index k = 0; k < theta.size(); ++k) {
        e[k] = 1.0;
        const Bindings column = second.hvp(b, direction);
        e[k] = 0.0;
        const auto [column_plus, column_minus] = on_both_sides(p, k, opt.eps, [&] { return gradient_at(g, probe); });
        compare_columns(column, column_plus, column_minus, opt.eps, c, k);
      }
    }
    conclude(c, opt);
    report.inputs.push_back(c);
  }
  return report;
}

}  // namespace gs
