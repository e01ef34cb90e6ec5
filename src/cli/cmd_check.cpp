// `gradscope-cli check`: compares reverse-mode gradients with central differences (per element
// and along a random direction, seed 004), one PASS/FAIL line per input; exit 1 when any fails.
// With --second, the second derivatives the same way (gradgradcheck: the extended graph's H·δ
// against central differences of the reverse-mode gradient). Past a work limit, every input at
// once along one random direction (torch's fast_mode), so that the cost grows linearly.
// Depends on the engine (evaluate_and_trace's gradient check, graph_json's number conventions) and CLI11.
#include "commands.h"
#include "graph_input.h"

#include "engine/evaluate_and_trace.h"
#include "engine/graph_json.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <utility>

namespace gs::cli {
namespace {

struct CheckOptions {
  GraphOptions graph;
  double eps = GradcheckOptions{}.eps;
  double tolerance = GradcheckOptions{}.tolerance;
  bool json = false;
  bool second = false;
};

// The check input by input evaluates the graph twice per input and twice per input element: inputs
// × nodes of work (50,000 inputs of a 100,000-node graph: hours). Above this many node evaluations
// every input is checked at once, along one random unit direction over all of them (what
// torch.autograd.gradcheck's fast_mode does): two evaluations whatever the inputs, so the cost
// grows linearly with the graph. --second (gradgradcheck) per input costs more still (a
// Hessian-vector product and two gradients per input and per element): past the same limit it
// takes one direction too (gradgradcheck's fast_mode), one product and two gradients in all.
constexpr double kMaxCheckNodeEvaluations = 2e7;

bool check_inputs_together(const GraphInput& in) {
  double evaluations = 0;
  for (NodeId id : in.graph.inputs()) evaluations += 2.0 + 2.0 * static_cast<double>(in.graph.node(id).shape.size());
  return evaluations * static_cast<double>(in.graph.size()) > kMaxCheckNodeEvaluations;
}

// f = the sum of the output's elements at `values`.
double output_sum(const Graph& g, const Bindings& values) {
  const Evaluation ev = evaluate(g, values);
  double s = 0;
  for (double v : ev[g.output()]) s += v;
  return s;
}

// One random direction over every input's elements together, of unit length over all of them
// (normal elements, seed `seed`), one tensor per input of its shape.
Bindings random_unit_direction(const Graph& g, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  Bindings direction;
  double norm = 0;
  for (NodeId id : g.inputs()) {
    TensorD d(g.node(id).shape);
    for (double& e : d) {
      e = normal(rng);
      norm += e * e;
    }
    direction[g.node(id).name] = std::move(d);
  }
  norm = norm > 0 ? std::sqrt(norm) : 1.0;
  for (auto& [name, d] : direction)
    for (double& e : d) e /= norm;
  return direction;
}

// θ + εδ and θ − εδ over every input.
std::pair<Bindings, Bindings> moved_along(const Bindings& values, const Bindings& direction, double eps) {
  std::pair<Bindings, Bindings> out{values, values};
  for (const auto& [name, d] : direction) {
    TensorD& p = out.first.at(name);
    TensorD& m = out.second.at(name);
    for (Index k = 0; k < d.size(); ++k) {
      p[k] += eps * d[k];
      m[k] -= eps * d[k];
    }
  }
  return out;
}

void conclude_together(InputCheck& c, const GradcheckOptions& o) {
  c.finite = std::isfinite(c.relative_error) && std::isfinite(c.directional_analytic);
  c.passed = c.finite && c.relative_error <= o.tolerance;
}

// δᵀ∇f (reverse mode) against (f(θ+εδ) − f(θ−εδ))/2ε for one random unit direction δ over every
// input's elements together, as one InputCheck named "all N inputs".
InputCheck check_together(const GraphInput& in, const TraceBundle& t, const GradcheckOptions& o) {
  const Graph& g = in.graph;
  const Bindings direction = random_unit_direction(g, o.seed);
  InputCheck c;
  c.input = "all " + std::to_string(g.inputs().size()) + " inputs";
  for (NodeId id : g.inputs()) {
    const TensorD gradient = t.gradient(g, id);
    const TensorD& d = direction.at(g.node(id).name);
    for (Index k = 0; k < gradient.size(); ++k) c.directional_analytic += d[k] * gradient[k];
  }
  const auto [plus, minus] = moved_along(in.values, direction, o.eps);
  c.directional_numeric = (output_sum(g, plus) - output_sum(g, minus)) / (2 * o.eps);
  c.max_abs_error = std::abs(c.directional_analytic - c.directional_numeric);
  c.relative_error =
      c.max_abs_error / std::max({1.0, std::abs(c.directional_analytic), std::abs(c.directional_numeric)});
  conclude_together(c, o);
  return c;
}

// ∇f by reverse mode at `values`, one tensor per input (zeros where f does not depend on it).
Bindings gradients_at(const Graph& g, const Bindings& values) {
  const ReverseResult r = reverse(g, evaluate(g, values), g.output(), false);
  Bindings out;
  for (NodeId id : g.inputs()) out[g.node(id).name] = r.has_adjoint[id.index] ? r[id] : TensorD(g.node(id).shape);
  return out;
}

// The second-order check of every input at once (torch.autograd.gradgradcheck's fast_mode): for
// one random unit direction δ over every input's elements, the extended graph's H·δ against
// (∇f(θ+εδ) − ∇f(θ−εδ))/2ε in every element of every input's gradient: one Hessian-vector
// product and two gradients, whatever the inputs. One InputCheck named "all N inputs": the
// directional fields hold δᵀHδ and its difference quotient, the errors are over every element (a
// NaN kept), worst_element a flat index over the inputs in the graph's order. GraphError when an
// op on the path has no symbolic reverse rule.
InputCheck check_second_together(const GraphInput& in, const GradcheckOptions& o) {
  const Graph& g = in.graph;
  const SecondOrder second(g);
  const Bindings direction = random_unit_direction(g, o.seed);
  const Bindings hv = second.hvp(in.values, direction);
  const auto [plus, minus] = moved_along(in.values, direction, o.eps);
  const Bindings gp = gradients_at(g, plus), gm = gradients_at(g, minus);
  InputCheck c;
  c.input = "all " + std::to_string(g.inputs().size()) + " inputs";
  Index flat = 0;
  for (NodeId id : g.inputs()) {
    const std::string& name = g.node(id).name;
    const TensorD &a = hv.at(name), &p = gp.at(name), &m = gm.at(name), &d = direction.at(name);
    for (Index k = 0; k < a.size(); ++k, ++flat) {
      const double numeric = (p[k] - m[k]) / (2 * o.eps);
      c.directional_analytic += d[k] * a[k];
      c.directional_numeric += d[k] * numeric;
      const double error = std::abs(a[k] - numeric);
      const double relative = error / std::max({1.0, std::abs(a[k]), std::abs(numeric)});
      if (std::isnan(relative) || std::isnan(c.relative_error))
        c.relative_error = NAN;
      else
        c.relative_error = std::max(c.relative_error, relative);
      if (!std::isnan(c.max_abs_error) && !(error <= c.max_abs_error)) {
        c.max_abs_error = error;
        c.worst_element = flat;
      }
    }
  }
  conclude_together(c, o);
  return c;
}

std::string short_number(double v) {
  if (!std::isfinite(v)) return precise_number(v);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2g", v);
  return buf;
}

void run_check(const CheckOptions& opt) {
  if (!(opt.eps > 0) || !std::isfinite(opt.eps)) throw InputError("--eps must be a positive number, got " + precise_number(opt.eps));
  if (!(opt.tolerance > 0) || !std::isfinite(opt.tolerance))
    throw InputError("--tolerance must be a positive number, got " + precise_number(opt.tolerance));
  GraphInput in = load_graph_input(opt.graph);
  GradcheckOptions check_options;
  check_options.eps = opt.eps;
  check_options.tolerance = opt.tolerance;
  std::optional<TraceBundle> t;
  GradcheckReport report;
  const bool together = check_inputs_together(in);
  if (opt.second) {
    try {
      if (together) {
        check_bindings(in.graph, in.values);
        report.inputs.push_back(check_second_together(in, check_options));
      } else {
        report = gradgradcheck(in.graph, in.values, check_options);
      }
    } catch (const GraphError& e) {
      throw InputError(std::string("--second: ") + e.what());
    }
  } else if (together) {
    TraceOptions options;  // numbers only: the check is made here, along one direction
    options.traces = false;
    t = evaluate_and_trace(in.graph, in.values, options);
    report.inputs.push_back(check_together(in, *t, check_options));
  } else {
    TraceOptions options;  // numbers only, and the check whatever the size or the values
    options.traces = false;
    options.gradcheck = true;
    options.gradcheck_options = check_options;
    t = evaluate_and_trace(in.graph, in.values, options);
    report = *t->gradcheck;
  }

  if (opt.json) {
    nlohmann::ordered_json j;
    j[in.from_file ? "graph" : "expression"] = in.source;
    j["eps"] = opt.eps;
    j["tolerance"] = opt.tolerance;
    if (opt.second) j["order"] = 2;
    if (together) j["inputs_together"] = true;  // one direction over every input (torch's fast_mode)
    j["passed"] = report.passed();
    nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
    for (const InputCheck& c : report.inputs) {
      nlohmann::ordered_json e;
      e["input"] = c.input;
      e["passed"] = c.passed;
      e["relative_error"] = number_to_json(c.relative_error);
      e["max_abs_error"] = number_to_json(c.max_abs_error);
      e["worst_element"] = c.worst_element;
      e["directional_analytic"] = number_to_json(c.directional_analytic);
      e["directional_numeric"] = number_to_json(c.directional_numeric);
      e["finite"] = c.finite;
      inputs.push_back(e);
    }
    j["inputs"] = inputs;
    std::cout << pretty_json(j) << "\n";
  } else {
    std::cout << (in.from_file ? "Graph        " : "Expression   ") << in.source << "\n";
    if (opt.second)
      std::cout << "Check        second derivatives: the extended graph's H·δ against central differences of the\n"
                << "             reverse-mode gradient, (∇f(θ+εδ) − ∇f(θ−εδ))/2ε, eps = " << precise_number(opt.eps)
                << ", pass when the relative error ≤ " << precise_number(opt.tolerance) << "\n\n";
    else
      std::cout << "Check        reverse mode against central differences, eps = " << precise_number(opt.eps)
                << ", pass when the relative error ≤ " << precise_number(opt.tolerance) << "\n\n";
    if (together)
      std::cout << "Together     " << in.graph.inputs().size() << " inputs of a " << in.graph.size()
                << "-node graph are too many to check one by one: all of them at once, along one random direction\n"
                << "             over every element (torch.autograd." << (opt.second ? "gradgradcheck" : "gradcheck")
                << "'s fast_mode)\n\n";
    // The derivative itself, for a student comparing with the eval command; the check proper is
    // along a random unit direction δ (±1 for a scalar input) and per element. The second-order
    // check shows the curvature along δ, δᵀHδ (∂²f/∂x² for a scalar input), and compares every
    // element of H·δ.
    TextTable table(opt.second ? std::vector<std::string>{"result", "input", "δᵀHδ (extended graph)",
                                                          "δᵀ(∇f(θ+εδ) − ∇f(θ−εδ))/2ε", "relative error",
                                                          "largest |error|", "note"}
                               : std::vector<std::string>{"result", "input", "gradient (reverse)", "δᵀ∇f (reverse)",
                                                          "(f(θ+εδ) − f(θ−εδ))/2ε", "relative error", "largest |error|",
                                                          "note"});
    for (const InputCheck& c : report.inputs) {
      std::string note;
      if (!c.finite)
        note = opt.second ? "not finite: the derivatives are nan/inf here" : "not finite: the gradient or the function is nan/inf here";
      std::vector<std::string> row{c.passed ? "PASS" : "FAIL", c.input};
      if (!opt.second && together) {
        row.push_back("");
      } else if (!opt.second) {
        const NodeId id = in.graph.find_input(c.input);
        std::string gradient = in.graph.node(id).shape.to_string();
        if (in.graph.node(id).shape.is_scalar()) gradient = precise_number(t->gradient(in.graph, id).item());
        row.push_back(gradient);
      }
      for (const std::string& cell : {precise_number(c.directional_analytic), precise_number(c.directional_numeric),
                                      short_number(c.relative_error), short_number(c.max_abs_error), note})
        row.push_back(cell);
      table.add_row(row);
    }
    std::cout << table.render();
    int failed = 0;
    for (const InputCheck& c : report.inputs) failed += c.passed ? 0 : 1;
    const int total = static_cast<int>(report.inputs.size());
    if (together)
      std::cout << (failed == 0 ? "\nPASS: all " : "\nFAIL: all ") << in.graph.inputs().size() << " inputs, together\n";
    else if (total == 0)
      std::cout << "\nnothing to check: the graph has no inputs\n";
    else if (failed == 0)
      std::cout << "\nPASS: all " << total << (total == 1 ? " input" : " inputs") << "\n";
    else
      std::cout << "\nFAIL: " << failed << " of " << total << (total == 1 ? " input" : " inputs") << "\n";
  }
  if (!report.passed()) throw CLI::RuntimeError(1);
}

}  // namespace

void add_check_command(CLI::App& app) {
  auto opt = std::make_shared<CheckOptions>();
  CLI::App* sub = app.add_subcommand("check", "Gradient check: reverse mode against central differences, per input");
  add_graph_options(sub, &opt->graph);
  sub->add_option("--eps", opt->eps, "Step of the central differences")->capture_default_str();
  sub->add_option("--tolerance", opt->tolerance, "Largest relative error that passes")->capture_default_str();
  sub->add_flag("--json", opt->json, "One JSON object with every input's errors");
  sub->add_flag("--second", opt->second,
                "Check second derivatives instead (gradgradcheck): the extended graph's H·δ against central differences "
                "of the reverse-mode gradient");
  sub->footer("Exit status: 0 when every input passes, 1 when one fails, 2 on bad input.\n"
              "Examples:\n"
              "  gradscope-cli check --expr \"sigmoid(w0*x0 + w1*x1 + w2)\" --at w0=2 --at x0=-1 --at w1=-3 --at x1=-2 --at w2=-3\n"
              "  gradscope-cli check --second --expr \"x1^2*x2 + sin(x2)\" --at x1=3 --at x2=1\n");
  sub->callback([opt] { run_check(*opt); });
}

}  // namespace gs::cli
