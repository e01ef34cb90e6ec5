// `gradscope-cli eval`: evaluates a graph and prints its forward and reverse traces in the seed's
// notation (tables a student can copy into notes) and the gradients, or with --json one object
// as DESIGN.md's contract says; --hessian and --hvp add second derivatives through the extended
// graph. NaN from a domain error is reported, not an error: exit 0.
// Depends on the engine (evaluate_and_trace, graph_json's number conventions) and CLI11.
#include "commands.h"
#include "graph_input.h"

#include "engine/error_text.h"
#include "engine/evaluate_and_trace.h"
#include "engine/graph_json.h"

#include <iostream>
#include <memory>
#include <optional>

namespace gs::cli {
namespace {

using ojson = nlohmann::ordered_json;

struct EvalOptions {
  GraphOptions graph;
  bool json = false;
  std::string tangent;  // input name for the forward-mode trace, or empty
  bool hessian = false;
  std::vector<std::string> hvp;  // NAME=VALUE directions, as typed
};

// The full Hessian is n products over the extended graph and n² numbers on screen: teaching sizes.
constexpr Index kMaxHessianElements = 64;

// Second derivatives of a scalar output through the extended graph, as --hessian and --hvp ask.
struct SecondResult {
  std::optional<TensorD> hessian;       // (n, n)
  std::vector<std::string> labels;      // the n elements of the inputs, "x1", "W[0,1]"
  std::optional<Bindings> direction;    // v, every input (0 where --hvp did not name it)
  Bindings product;                     // H·v by input
};

// The graph, its values and what the engine's evaluate-and-trace gave for them.
struct EvalResult {
  GraphInput in;
  TraceBundle t;
  SecondResult second;
};

ojson shape_json(const Shape& s) { return ojson(std::vector<Index>(s.begin(), s.end())); }

// The fields every step of the three traces starts with in --json: its variable ("node", "adjoint"
// or "tangent"), v-number, formula and the formula with values; then each adds its value.
ojson step_json(const char* lhs_key, const std::string& lhs, const Graph& g, NodeId node, const char* formula_key,
                const std::string& formula, const std::string& substituted) {
  ojson step;
  step[lhs_key] = lhs;
  step["v"] = g.node(node).v;
  step[formula_key] = formula;
  step["substituted"] = substituted;
  return step;
}
void add_value(ojson& step, const TensorD& value, const std::string& text) {
  step["value"] = tensor_to_json(value);
  step["value_text"] = text;
}

void print_json(const EvalResult& r) {
  const Graph& g = r.in.graph;
  const TraceBundle& t = r.t;
  ojson j;
  j[r.in.from_file ? "graph" : "expression"] = r.in.source;
  ojson values = ojson::object();
  for (const auto& [name, value] : r.in.values) append_member(values, name, tensor_to_json(value));
  j["values"] = values;
  j["output"] = tensor_to_json(t.value(g.output()));
  j["output_shape"] = shape_json(g.node(g.output()).shape);
  ojson gradients = ojson::object();
  for (NodeId id : g.inputs()) append_member(gradients, g.node(id).name, tensor_to_json(t.gradient(g, id)));
  j["gradients"] = gradients;

  ojson forward = ojson::array();
  for (const ForwardStep& s : t.forward_rows) {
    ojson step = step_json("node", s.lhs, g, s.node, "formula", s.formula, s.substituted);
    add_value(step, t.value(s.node), s.value);
    step["shape"] = shape_json(g.node(s.node).shape);
    step["finite"] = s.finite;
    if (!s.problem.empty()) step["problem"] = s.problem;
    step["line"] = to_line(s);
    forward.push_back(step);
  }
  j["forward"] = forward;

  ojson reverse = ojson::array();
  for (const ReverseStep& s : t.reverse_rows) {
    ojson step = step_json("adjoint", s.lhs, g, s.node, "symbolic", s.symbolic, s.substituted);
    step["partial_sum"] = s.partial_sum;
    add_value(step, t.reverse[s.node], s.value);
    ojson terms = ojson::array();
    for (const ReverseTerm& term : s.terms) {
      ojson tj;
      tj["to"] = g.label(term.to);
      tj["slot"] = term.slot;
      tj["symbolic"] = term.symbolic;
      if (!term.local.empty()) tj["local"] = term.local;
      tj["substituted"] = term.substituted;
      add_value(tj, t.reverse.partials[term.partial].value, term.value);
      terms.push_back(tj);
    }
    step["terms"] = terms;
    step["finite"] = s.finite;
    if (!s.problem.empty()) step["problem"] = s.problem;
    step["line"] = to_line(s);
    reverse.push_back(step);
  }
  j["reverse"] = reverse;

  if (t.tangent) {
    ojson tangent;
    tangent["input"] = g.node(t.tangent->input).name;
    ojson steps = ojson::array();
    for (const TangentStep& s : t.tangent_rows) {
      ojson step = step_json("tangent", s.lhs, g, s.node, "symbolic", s.symbolic, s.substituted);
      add_value(step, (*t.tangent)[s.node], s.value);
      step["line"] = to_line(s);
      steps.push_back(step);
    }
    tangent["steps"] = steps;
    j["tangent"] = tangent;
  }
  if (t.non_finite.node.valid()) {
    ojson nf;
    nf["node"] = g.label(t.non_finite.node);
    nf["formula"] = g.formula(t.non_finite.node);
    nf["reason"] = t.non_finite.reason;
    j["non_finite"] = nf;
  }
  if (r.second.hessian) {
    ojson h;
    h["variables"] = r.second.labels;
    const TensorD& m = *r.second.hessian;
    const Index n = m.shape()[0];
    ojson rows = ojson::array();
    for (Index i = 0; i < n; ++i) {
      ojson row = ojson::array();
      for (Index k = 0; k < n; ++k) row.push_back(ojson(number_to_json(m[i * n + k])));
      rows.push_back(row);
    }
    h["matrix"] = rows;
    j["hessian"] = h;
  }
  if (r.second.direction) {
    ojson hvp, direction = ojson::object(), product = ojson::object();
    for (NodeId id : g.inputs()) {
      const std::string& name = g.node(id).name;
      append_member(direction, name, tensor_to_json(r.second.direction->at(name)));
      append_member(product, name, tensor_to_json(r.second.product.at(name)));
    }
    hvp["direction"] = direction;
    hvp["product"] = product;
    j["hvp"] = hvp;
  }
  std::cout << pretty_json(j) << "\n";
}

// The Hessian as a table with the inputs' elements along both sides; H·v like the gradients.
void print_second(const EvalResult& r, const std::string& y, const std::string& label_pad) {
  const Graph& g = r.in.graph;
  if (r.second.hessian) {
    std::cout << "\nHessian      H[i, j] = ∂²" << y << "/∂θi∂θj over the inputs' elements θ, through the extended graph\n";
    const TensorD& m = *r.second.hessian;
    const Index n = m.shape()[0];
    if (n == 0) std::cout << label_pad << "(the expression has no inputs)\n";
    std::vector<std::string> headers{""};
    headers.insert(headers.end(), r.second.labels.begin(), r.second.labels.end());
    TextTable table(headers);
    for (Index i = 0; i < n; ++i) {
      std::vector<std::string> row{r.second.labels[static_cast<std::size_t>(i)]};
      for (Index k = 0; k < n; ++k) row.push_back(precise_number(m[i * n + k]));
      table.add_row(row);
    }
    if (n > 0) std::cout << table.render(label_pad);
  }
  if (r.second.direction) {
    std::string v;
    for (NodeId id : g.inputs()) {
      const std::string& name = g.node(id).name;
      v += (v.empty() ? "" : ", ") + name + " = " + format_tensor(r.second.direction->at(name));
    }
    std::cout << "\nDirection    v: " << (v.empty() ? "(no inputs)" : v) << "\n";
    bool first = true;
    for (NodeId id : g.inputs()) {
      const std::string lhs = "∂(∇" + y + "·v)/∂" + g.node(id).name + " = ";
      std::cout << (first ? "H·v          " : label_pad) << lhs
                << precise_tensor(r.second.product.at(g.node(id).name),
                                  label_pad + std::string(static_cast<std::size_t>(display_width(lhs)), ' '))
                << "\n";
      first = false;
    }
  }
}

void print_text(const EvalResult& r) {
  const Graph& g = r.in.graph;
  const TraceBundle& t = r.t;
  // The output is y whatever the expression calls it, as in the traces (v̄7 = ∂y/∂y).
  const std::string y = "y";
  std::string values;
  for (NodeId id : g.inputs()) {
    const std::string& name = g.node(id).name;
    values += (values.empty() ? "" : ", ") + name + " = " + format_tensor(r.in.values.at(name));
  }
  std::cout << (r.in.from_file ? "Graph        " : "Expression   ") << r.in.source << "\n";
  if (!r.in.title.empty()) std::cout << "Title        " << printable_text(r.in.title) << "\n";
  if (!values.empty()) std::cout << "Values       " << values << "\n";
  if (t.non_finite.node.valid())
    std::cout << "\nwarning: " << g.label(t.non_finite.node) << " = " << g.formula(t.non_finite.node) << " = "
              << format_tensor(t.value(t.non_finite.node)) << ": " << t.non_finite.reason
              << "; every value computed from it is affected\n";

  TextTable forward({"node", "formula", "with values", "value", "note"});
  for (const ForwardStep& s : t.forward_rows)
    forward.add_row({s.lhs, s.formula, s.substituted, s.value, s.problem.empty() ? "" : "← " + s.problem});
  std::cout << "\nForward evaluation trace (topological order)\n" << forward.render();
  std::cout << "  " << y << " = " << g.label(g.output()) << " = " << format_tensor(t.value(g.output())) << "\n";

  TextTable reverse({"adjoint", "sum of partial adjoints", "with values", "partial adjoints", "value", "note"});
  for (const ReverseStep& s : t.reverse_rows)
    reverse.add_row(
        {s.lhs, s.symbolic, s.substituted, s.partial_sum, s.value, s.problem.empty() ? "" : "← " + s.problem});
  std::cout << "\nReverse trace, adjoints v̄i = ∂" << y << "/∂vi (reverse topological order)\n" << reverse.render();

  if (t.tangent) {
    const std::string x = g.node(t.tangent->input).name;
    TextTable tangent({"tangent", "formula", "with values", "value"});
    for (const TangentStep& s : t.tangent_rows) tangent.add_row({s.lhs, s.symbolic, s.substituted, s.value});
    std::cout << "\nTangent (forward-mode) trace, v̇i = ∂vi/∂" << x << "\n" << tangent.render();
  }

  const TensorD& out = t.value(g.output());
  const std::string label_pad(13, ' ');
  std::cout << "\nOutput       " << y << " = " << precise_tensor(out, label_pad + std::string(y.size() + 3, ' ')) << "\n";
  if (!out.shape().is_scalar())
    std::cout << label_pad << "(a tensor: the gradients are those of the sum of its elements)\n";
  bool first = true;
  for (NodeId id : g.inputs()) {
    const std::string lhs = "∂" + y + "/∂" + g.node(id).name + " = ";
    std::cout << (first ? "Gradients    " : label_pad) << lhs
              << precise_tensor(t.gradient(g, id), label_pad + std::string(static_cast<std::size_t>(display_width(lhs)), ' '))
              << "\n";
    first = false;
  }
  print_second(r, y, label_pad);
}

// Checks what --hessian and --hvp ask against the graph (a scalar output, at most
// kMaxHessianElements for the Hessian, directions that name inputs and have their shapes) and
// computes them. Throws InputError naming the option.
SecondResult second_derivatives(const EvalOptions& opt, const GraphInput& in) {
  SecondResult out;
  if (!opt.hessian && opt.hvp.empty()) return out;
  const Graph& g = in.graph;
  const std::string option = opt.hessian ? "--hessian" : "--hvp";
  const Shape& output = g.node(g.output()).shape;
  if (!output.is_scalar())
    throw InputError(option + ": the output is " + output.to_string() +
                     ", not a scalar (second derivatives are of a scalar; sum(...) gives one)");
  Bindings direction;
  if (!opt.hvp.empty()) {
    const Bindings given = parse_named_values(opt.hvp, "--hvp");
    std::string inputs;
    for (NodeId id : g.inputs()) {
      inputs += (inputs.empty() ? "" : ", ") + g.node(id).name;
      direction[g.node(id).name] = TensorD(g.node(id).shape);
    }
    for (const auto& [name, value] : given) {
      const NodeId id = g.find_input(name);
      if (!id.valid())
        throw InputError("--hvp " + name + ": not an input (inputs: " + (inputs.empty() ? "none" : inputs) + ")");
      if (value.shape() != g.node(id).shape)
        throw InputError("--hvp " + name + ": the direction is " + value.shape().to_string() + " but input '" + name +
                         "' is " + g.node(id).shape.to_string());
      direction[name] = value;
    }
  }
  Index elements = 0;
  for (NodeId id : g.inputs()) elements += g.node(id).shape.size();
  if (opt.hessian && elements > kMaxHessianElements)
    throw InputError("--hessian: the inputs have " + std::to_string(elements) + " elements, the Hessian is shown for at most " +
                     std::to_string(kMaxHessianElements) + " (--hvp NAME=VALUE gives products with a direction)");
  try {
    const SecondOrder second(g);
    if (opt.hessian) {
      out.hessian = second.hessian(in.values);
      out.labels = second.hessian_labels();
    }
    if (!opt.hvp.empty()) {
      out.product = second.hvp(in.values, direction);
      out.direction = std::move(direction);
    }
  } catch (const GraphError& e) {
    throw InputError(option + ": " + e.what());
  }
  return out;
}

void run_eval(const EvalOptions& opt) {
  EvalResult r{load_graph_input(opt.graph), {}, {}};
  const Graph& g = r.in.graph;
  TraceOptions options;
  if (!opt.tangent.empty()) {
    options.tangent_input = g.find_input(opt.tangent);
    if (!options.tangent_input.valid()) {
      std::string list;
      for (NodeId id : g.inputs()) list += (list.empty() ? "" : ", ") + g.node(id).name;
      throw InputError("--tangent " + opt.tangent + ": not an input (inputs: " + (list.empty() ? "none" : list) + ")");
    }
  }
  r.second = second_derivatives(opt, r.in);
  r.t = evaluate_and_trace(g, r.in.values, options);
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
  sub->add_flag("--hessian", opt->hessian,
                "Also the Hessian of the (scalar) output in the inputs' elements, through the extended graph (at most 64 elements)");
  sub->add_option("--hvp", opt->hvp,
                  "Also the Hessian-vector product H·v for the direction v: NAME=VALUE per input (inputs not named: 0)")
      ->type_name("NAME=VALUE");
  sub->footer(
      "Examples:\n"
      "  gradscope-cli eval --expr \"ln(x1) + x1*x2 - sin(x2)\" --at x1=2 --at x2=5\n"
      "  gradscope-cli eval --expr \"sum(relu(X @ W))\" --at X=[[1,2]] --at W=[[1,-1],[2,0.5]] --json\n"
      "  gradscope-cli eval --graph assets/examples/seed004.json --tangent x1\n"
      "  gradscope-cli eval --expr \"x1^2*x2 + sin(x2)\" --at x1=3 --at x2=1 --hessian --hvp x1=1\n");
  sub->callback([opt] { run_eval(*opt); });
}

}  // namespace gs::cli
