// `gradscope-cli eval`: evaluates a graph and prints its forward and reverse traces in the seed's
// notation (tables a student can copy into notes) and the gradients, or with --json one object
// as DESIGN.md's contract says. NaN from a domain error is reported, not an error: exit 0.
// Depends on the engine (autodiff, trace, graph_json's number conventions) and CLI11.
#include "commands.h"
#include "graph_input.h"

#include "engine/graph_json.h"
#include "engine/trace.h"

#include <iostream>
#include <memory>

namespace gs::cli {
namespace {

using ojson = nlohmann::ordered_json;

struct EvalOptions {
  GraphOptions graph;
  bool json = false;
  std::string tangent;  // input name for the forward-mode trace, or empty
};

struct EvalResult {
  GraphInput in;
  Evaluation ev;
  ReverseResult rev;
  std::vector<ForwardStep> forward;
  std::vector<ReverseStep> reverse;
  std::optional<TangentResult> tan;
  std::vector<TangentStep> tangent;
  NonFinite non_finite;
};

// ∂y/∂x for every input; zeros for an input the output does not depend on.
TensorD gradient_of(const EvalResult& r, NodeId input) {
  if (r.rev.has_adjoint[static_cast<std::size_t>(input.index)]) return r.rev[input];
  return TensorD(r.in.graph.node(input).shape);
}

ojson shape_json(const Shape& s) { return ojson(std::vector<Index>(s.begin(), s.end())); }

void print_json(const EvalResult& r) {
  const Graph& g = r.in.graph;
  ojson j;
  j[r.in.from_file ? "graph" : "expression"] = r.in.source;
  ojson values = ojson::object();
  for (const auto& [name, value] : r.in.values) values[name] = tensor_to_json(value);
  j["values"] = values;
  j["output"] = tensor_to_json(r.ev[g.output()]);
  j["output_shape"] = shape_json(g.node(g.output()).shape);
  ojson gradients = ojson::object();
  for (NodeId id : g.inputs()) gradients[g.node(id).name] = tensor_to_json(gradient_of(r, id));
  j["gradients"] = gradients;

  ojson forward = ojson::array();
  for (const ForwardStep& s : r.forward) {
    ojson step;
    step["node"] = s.lhs;
    step["v"] = g.node(s.node).v;
    step["formula"] = s.formula;
    step["substituted"] = s.substituted;
    step["value"] = tensor_to_json(r.ev[s.node]);
    step["value_text"] = s.value;
    step["shape"] = shape_json(g.node(s.node).shape);
    step["finite"] = s.finite;
    if (!s.problem.empty()) step["problem"] = s.problem;
    step["line"] = to_line(s);
    forward.push_back(step);
  }
  j["forward"] = forward;

  ojson reverse = ojson::array();
  for (const ReverseStep& s : r.reverse) {
    ojson step;
    step["adjoint"] = s.lhs;
    step["v"] = g.node(s.node).v;
    step["symbolic"] = s.symbolic;
    step["substituted"] = s.substituted;
    step["partial_sum"] = s.partial_sum;
    step["value"] = tensor_to_json(r.rev[s.node]);
    step["value_text"] = s.value;
    ojson terms = ojson::array();
    for (const ReverseTerm& t : s.terms) {
      ojson term;
      term["to"] = g.label(t.to);
      term["slot"] = t.slot;
      term["symbolic"] = t.symbolic;
      if (!t.local.empty()) term["local"] = t.local;
      term["substituted"] = t.substituted;
      term["value"] = tensor_to_json(r.rev.partials[t.partial].value);
      term["value_text"] = t.value;
      terms.push_back(term);
    }
    step["terms"] = terms;
    step["finite"] = s.finite;
    step["line"] = to_line(s);
    reverse.push_back(step);
  }
  j["reverse"] = reverse;

  if (r.tan) {
    ojson tangent;
    tangent["input"] = g.node(r.tan->input).name;
    ojson steps = ojson::array();
    for (const TangentStep& s : r.tangent) {
      ojson step;
      step["tangent"] = s.lhs;
      step["v"] = g.node(s.node).v;
      step["symbolic"] = s.symbolic;
      step["substituted"] = s.substituted;
      step["value"] = tensor_to_json((*r.tan)[s.node]);
      step["value_text"] = s.value;
      step["line"] = to_line(s);
      steps.push_back(step);
    }
    tangent["steps"] = steps;
    j["tangent"] = tangent;
  }
  if (r.non_finite.node.valid()) {
    ojson nf;
    nf["node"] = g.label(r.non_finite.node);
    nf["formula"] = g.formula(r.non_finite.node);
    nf["reason"] = r.non_finite.reason;
    j["non_finite"] = nf;
  }
  std::cout << pretty_json(j) << "\n";
}

void print_text(const EvalResult& r) {
  const Graph& g = r.in.graph;
  // The output is y whatever the expression calls it, as in the traces (v̄7 = ∂y/∂y).
  const std::string y = "y";
  std::string values;
  for (NodeId id : g.inputs()) {
    const std::string& name = g.node(id).name;
    values += (values.empty() ? "" : ", ") + name + " = " + format_tensor(r.in.values.at(name));
  }
  std::cout << (r.in.from_file ? "Graph        " : "Expression   ") << r.in.source << "\n";
  if (!r.in.title.empty()) std::cout << "Title        " << r.in.title << "\n";
  if (!values.empty()) std::cout << "Values       " << values << "\n";
  if (r.non_finite.node.valid())
    std::cout << "\nwarning: " << g.label(r.non_finite.node) << " = " << g.formula(r.non_finite.node) << " = "
              << format_tensor(r.ev[r.non_finite.node]) << ": " << r.non_finite.reason
              << "; every value computed from it is affected\n";

  TextTable forward({"node", "formula", "with values", "value", "note"});
  for (const ForwardStep& s : r.forward)
    forward.add_row({s.lhs, s.formula, s.substituted, s.value, s.problem.empty() ? "" : "← " + s.problem});
  std::cout << "\nForward evaluation trace (topological order)\n" << forward.render();
  std::cout << "  " << y << " = " << g.label(g.output()) << " = " << format_tensor(r.ev[g.output()]) << "\n";

  TextTable reverse({"adjoint", "sum of partial adjoints", "with values", "partial adjoints", "value"});
  for (const ReverseStep& s : r.reverse) reverse.add_row({s.lhs, s.symbolic, s.substituted, s.partial_sum, s.value});
  std::cout << "\nReverse trace, adjoints v̄i = ∂" << y << "/∂vi (reverse topological order)\n" << reverse.render();

  if (r.tan) {
    const std::string x = g.node(r.tan->input).name;
    TextTable tangent({"tangent", "formula", "with values", "value"});
    for (const TangentStep& s : r.tangent) tangent.add_row({s.lhs, s.symbolic, s.substituted, s.value});
    std::cout << "\nTangent (forward-mode) trace, v̇i = ∂vi/∂" << x << "\n" << tangent.render();
  }

  const TensorD& out = r.ev[g.output()];
  const std::string label_pad(13, ' ');
  std::cout << "\nOutput       " << y << " = " << precise_tensor(out, label_pad + std::string(y.size() + 3, ' ')) << "\n";
  if (!out.shape().is_scalar())
    std::cout << label_pad << "(a tensor: the gradients are those of the sum of its elements)\n";
  bool first = true;
  for (NodeId id : g.inputs()) {
    const std::string lhs = "∂" + y + "/∂" + g.node(id).name + " = ";
    std::cout << (first ? "Gradients    " : label_pad) << lhs
              << precise_tensor(gradient_of(r, id), label_pad + std::string(static_cast<std::size_t>(display_width(lhs)), ' '))
              << "\n";
    first = false;
  }
}

void run_eval(const EvalOptions& opt) {
  EvalResult r{load_graph_input(opt.graph), {}, {}, {}, {}, {}, {}, {}};
  const Graph& g = r.in.graph;
  NodeId tangent_input;
  if (!opt.tangent.empty()) {
    tangent_input = g.find_input(opt.tangent);
    if (!tangent_input.valid()) {
      std::vector<std::string> names;
      for (NodeId id : g.inputs()) names.push_back(g.node(id).name);
      std::string list;
      for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
      throw InputError("--tangent " + opt.tangent + ": not an input (inputs: " + (list.empty() ? "none" : list) + ")");
    }
  }
  r.ev = evaluate(g, r.in.values);
  r.rev = reverse(g, r.ev, g.output());
  r.forward = forward_trace(g, r.ev);
  r.reverse = reverse_trace(g, r.ev, r.rev);
  if (tangent_input.valid()) {
    r.tan = tangent(g, r.ev, tangent_input);
    r.tangent = tangent_trace(g, r.ev, *r.tan);
  }
  r.non_finite = first_non_finite(g, r.ev);
  if (opt.json)
    print_json(r);
  else
    print_text(r);
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto opt = std::make_shared<EvalOptions>();
  CLI::App* sub = app.add_subcommand("eval", "Evaluate: forward and reverse (adjoint) traces and the gradients");
  add_graph_options(sub, &opt->graph);
  sub->add_flag("--json", opt->json, "One JSON object: output, gradients, forward, reverse (full precision)");
  sub->add_option("--tangent", opt->tangent, "Also the forward-mode trace v̇i = ∂vi/∂NAME for this input")
      ->type_name("NAME");
  sub->footer(
      "Examples:\n"
      "  gradscope-cli eval --expr \"ln(x1) + x1*x2 - sin(x2)\" --at x1=2 --at x2=5\n"
      "  gradscope-cli eval --expr \"sum(relu(X @ W))\" --at X=[[1,2]] --at W=[[1,-1],[2,0.5]] --json\n"
      "  gradscope-cli eval --graph assets/examples/seed004.json --tangent x1\n");
  sub->callback([opt] { run_eval(*opt); });
}

}  // namespace gs::cli
