// `gradscope-cli check`: compares reverse-mode gradients with central differences (per element
// and along a random direction, seed 004), one PASS/FAIL line per input; exit 1 when any fails.
// With --second, the second derivatives the same way (gradgradcheck: the extended graph's H·δ
// against central differences of the reverse-mode gradient).
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
// grows linearly with the graph.
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

// δᵀ∇f (reverse mode) against (f(θ+εδ) − f(θ−εδ))/2ε for one random unit direction δ over every
// input's elements together, as one InputCheck named "all N inputs".
InputCheck check_together(const GraphInput& in, const TraceBundle& t, const GradcheckOptions& o) {
  const Graph& g = in.graph;
  std::mt19937_64 rng(o.seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<TensorD> delta;
  double norm = 0;
  for (NodeId id : g.inputs()) {
    delta.emplace_back(g.node(id).shape);
    for (double& d : delta.back()) {
      d = normal(rng);
      norm += d * d;
    }
  }
  norm = norm > 0 ? std::sqrt(norm) : 1.0;
  InputCheck c;
  c.input = "all " + std::to_string(g.inputs().size()) + " inputs";
  Bindings plus = in.values, minus = in.values;
  for (std::size_t i = 0; i < g.inputs().size(); ++i) {
    const NodeId id = g.inputs()[i];
    const TensorD gradient = t.gradient(g, id);
    TensorD& p = plus.at(g.node(id).name);
    TensorD& m = minus.at(g.node(id).name);
    for (Index k = 0; k < gradient.size(); ++k) {
      const double d = delta[i][k] / norm;
      c.directional_analytic += d * gradient[k];
      p[k] += o.eps * d;
      m[k] -= o.eps * d;
    }
  }
  c.directional_numeric = (output_sum(g, plus) - output_sum(g, minus)) / (2 * o.eps);
  c.max_abs_error = std::abs(c.directional_analytic - c.directional_numeric);
  c.relative_error =
      c.max_abs_error / std::max({1.0, std::abs(c.directional_analytic), std::abs(c.directional_numeric)});
  c.finite = std::isfinite(c.relative_error) && std::isfinite(c.directional_analytic);
  c.passed = c.finite && c.relative_error <= o.tolerance;
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
  const bool together = !opt.second && check_inputs_together(in);
  if (together) {
    TraceOptions options;  // numbers only: the check is made here, along one direction
    options.traces = false;
    t = evaluate_and_trace(in.graph, in.values, options);
    report.inputs.push_back(check_together(in, *t, check_options));
  } else if (opt.second) {
    try {
      report = gradgradcheck(in.graph, in.values, check_options);
    } catch (const GraphError& e) {
      throw InputError(std::string("--second: ") + e.what());
    }
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
                << "             over every element (torch.autograd.gradcheck's fast_mode)\n\n";
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
      if (together) {
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
