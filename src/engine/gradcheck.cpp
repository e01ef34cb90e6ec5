// Gradient checking against central differences: per element, and along a random direction
// (seed 004: δᵀ∇f ≈ (f(θ+εδ) − f(θ−εδ)) / 2ε). Depends on autodiff.h.
#include "gradcheck.h"

#include <algorithm>
#include <cmath>
#include <random>

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

}  // namespace

GradcheckReport gradcheck(const Graph& g, const Bindings& b, const GradcheckOptions& opt) {
  return gradcheck(g, b, reverse(g, evaluate(g, b), g.output(), false), opt);
}

GradcheckReport gradcheck(const Graph& g, const Bindings& b, const ReverseResult& r, const GradcheckOptions& opt) {
  std::mt19937_64 rng(opt.seed);
  std::normal_distribution<double> normal(0.0, 1.0);

  GradcheckReport report;
  for (NodeId x : g.inputs()) {
    const std::string& name = g.node(x).name;
    const TensorD& theta = b.find(name)->second;
    TensorD analytic = r.has_adjoint[x.index] ? r[x] : TensorD(theta.shape());
    InputCheck c;
    c.input = name;

    // Random direction δ on the unit sphere.
    TensorD delta(theta.shape());
    double norm = 0;
    for (double& d : delta) {
      d = normal(rng);
      norm += d * d;
    }
    norm = std::sqrt(norm);
    for (double& d : delta) d /= norm > 0 ? norm : 1.0;
    Bindings plus = b, minus = b;
    for (Index k = 0; k < theta.size(); ++k) {
      plus[name][k] += opt.eps * delta[k];
      minus[name][k] -= opt.eps * delta[k];
      c.directional_analytic += delta[k] * analytic[k];
    }
    c.directional_numeric = (objective(g, plus) - objective(g, minus)) / (2 * opt.eps);
    c.relative_error = rel_error(c.directional_analytic, c.directional_numeric);

    if (opt.elementwise) {
      Bindings probe = b;
      TensorD& p = probe[name];
      for (Index k = 0; k < theta.size(); ++k) {
        const double orig = p[k];
        p[k] = orig + opt.eps;
        const double fp = objective(g, probe);
        p[k] = orig - opt.eps;
        const double fm = objective(g, probe);
        p[k] = orig;
        const double numeric = (fp - fm) / (2 * opt.eps);
        const double err = std::abs(numeric - analytic[k]);
        // A NaN error is the worst there is: it stays, whatever finite errors follow.
        if (!std::isnan(c.max_abs_error) && !(err <= c.max_abs_error)) {
          c.max_abs_error = err;
          c.worst_element = k;
        }
        c.relative_error = std::max(c.relative_error, rel_error(analytic[k], numeric));
        if (std::isnan(numeric) || std::isnan(analytic[k])) c.relative_error = NAN;
      }
    }
    c.finite = std::isfinite(c.relative_error) && std::isfinite(c.directional_analytic);
    c.passed = c.finite && c.relative_error <= opt.tolerance;
    report.inputs.push_back(c);
  }
  return report;
}

}  // namespace gs
