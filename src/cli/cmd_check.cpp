// `gradscope-cli check`: compares reverse-mode gradients with central differences (per element
// and along a random direction, seed 004), one PASS/FAIL line per input; exit 1 when any fails.
// With --second, the second derivatives the same way (gradgradcheck: the extended graph's H·δ
// against central differences of the reverse-mode gradient).
// Depends on the engine (evaluate_and_trace's gradient check, graph_json's number conventions) and CLI11.
#include "commands.h"
#include "graph_input.h"

#include "engine/evaluate_and_trace.h"
#include "engine/graph_json.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

namespace gs::cli {
namespace {

struct CheckOptions {
  GraphOptions graph;
  double eps = GradcheckOptions{}.eps;
  double tolerance = GradcheckOptions{}.tolerance;
  bool json = false;
  bool second = false;
};

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
  if (opt.second) {
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
      if (!opt.second) {
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
    if (total == 0)
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
