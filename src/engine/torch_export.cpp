// The PyTorch script of a graph (torch_export.h). Each op's torch counterpart is in one switch
// below, without a default: a new Op without one is a -Wswitch warning here. The helpers a script
// needs (ce, hinge, sum_to) are written into it only when it uses them.
// Depends on graph.h, autodiff.h and op.h.
#include "torch_export.h"

#include "error_text.h"

#include <array>
#include <charconv>
#include <cmath>
#include <set>
#include <sstream>

namespace gs {

namespace {

// A Python tuple: "()", "(3,)", "(2, 3)".
std::string shape_tuple(const Shape& s) {
  std::string t;
  for (int i = 0; i < s.rank(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return "(" + t + (s.rank() == 1 ? ",)" : ")");
}

void append_list(const TensorD& t, int axis, Index offset, std::string& out) {
  if (axis == t.rank()) {
    out += python_float(t[offset]);
    return;
  }
  Index stride = 1;
  for (int a = axis + 1; a < t.rank(); ++a) stride *= t.dim(a);
  out += '[';
  for (Index i = 0; i < t.dim(axis); ++i) {
    if (i) out += ", ";
    append_list(t, axis + 1, offset + i * stride, out);
  }
  out += ']';
}

// Python helpers, each written once into the scripts that use it.
enum Helper { kRows, kCe, kHinge, kSumTo, kHelperCount };

const char* helper_text(int h) {
  switch (h) {
    case kRows:
      return "def rows(t):\n"
             "    \"\"\"A class loss reads one row [C] as [1, C].\"\"\"\n"
             "    return t.reshape(1, -1) if t.dim() == 1 else t\n";
    case kCe:
      return "def ce(Z, Y):\n"
             "    \"\"\"Softmax cross-entropy of logits Z against one-hot rows Y, averaged over rows (gradscope's ce).\"\"\"\n"
             "    Z, Y = rows(Z), rows(Y)\n"
             "    return -(Y * torch.log_softmax(Z, dim=1)).sum() / Z.shape[0]\n";
    case kHinge:
      return "def hinge(S, Y):\n"
             "    \"\"\"Multi-class SVM loss (seed 001): mean over rows of sum over j != y of max(0, s_j - s_y + 1).\n"
             "    The one-hot targets Y are data: no gradient flows into them.\"\"\"\n"
             "    S, Y = rows(S), rows(Y).detach()\n"
             "    correct = (S * Y).sum(dim=1, keepdim=True)\n"
             "    return (torch.clamp(S - correct + 1, min=0) * (1 - Y)).sum() / S.shape[0]\n";
    case kSumTo:
      return "def sum_to(t, shape):\n"
             "    \"\"\"Sums a broadcast tensor back to `shape` (the reverse of broadcasting).\"\"\"\n"
             "    lead = t.dim() - len(shape)\n"
             "    t = t.sum(dim=tuple(range(lead))) if lead > 0 else t\n"
             "    axes = tuple(i for i, n in enumerate(shape) if n == 1 and t.shape[i] != 1)\n"
             "    return (t.sum(dim=axes, keepdim=True) if axes else t).reshape(shape)\n";
  }
  return "";
}

std::string reduce_call(const char* fn, const Node& n, const Shape& in, const std::string& x) {
  if (n.attrs.axis == kAllAxes)
    return n.attrs.keepdims ? std::string(fn) + "(" + x + ").reshape(" + shape_tuple(n.shape) + ")"
                            : std::string(fn) + "(" + x + ")";
  return std::string(fn) + "(" + x + ", dim=" + std::to_string(in.normalize_axis(n.attrs.axis)) +
         (n.attrs.keepdims ? ", keepdim=True" : "") + ")";
}

// The torch text of node `id`, and the helpers it needs.
// ", stride=s" and the options that differ from torch's defaults, as F.max_pool2d/avg_pool2d take them.
std::string pool_options(const OpAttrs& at, bool average) {
  std::string o = ", stride=" + std::to_string(at.stride);
  if (at.padding) o += ", padding=" + std::to_string(at.padding);
  if (at.ceil_mode) o += ", ceil_mode=True";
  if (average && !at.count_include_pad) o += ", count_include_pad=False";
  return o;
}

std::string op_text(const Graph& g, NodeId id, const std::vector<std::string>& a, std::array<bool, kHelperCount>* used) {
  const Node& n = g.node(id);
  const Shape& in0 = g.node(n.inputs[0]).shape;
  const OpAttrs& at = n.attrs;
  auto use = [&](Helper h) {
    if (used) (*used)[h] = true;
  };
  switch (n.op) {
    case Op::Add: return a[0] + " + " + a[1];
    case Op::Sub: return a[0] + " - " + a[1];
    case Op::Mul: return a[0] + " * " + a[1];
    case Op::Div: return a[0] + " / " + a[1];
    case Op::Pow: return a[0] + " ** " + a[1];
    case Op::Max: return "torch.maximum(" + a[0] + ", " + a[1] + ")";
    case Op::Neg: return "-" + a[0];
    case Op::Exp: return "torch.exp(" + a[0] + ")";
    case Op::Ln: return "torch.log(" + a[0] + ")";
    case Op::Sin: return "torch.sin(" + a[0] + ")";
    case Op::Cos: return "torch.cos(" + a[0] + ")";
    case Op::Tanh: return "torch.tanh(" + a[0] + ")";
    case Op::Sigmoid: return "torch.sigmoid(" + a[0] + ")";
    case Op::Relu: return "torch.relu(" + a[0] + ")";
    case Op::Sqrt: return "torch.sqrt(" + a[0] + ")";
    case Op::Abs: return "torch.abs(" + a[0] + ")";
    case Op::Softplus: return "F.softplus(" + a[0] + ")";
    case Op::LeakyRelu:
      return "F.leaky_relu(" + a[0] + ", negative_slope=" + python_float(at.coefficient.value_or(0.01)) + ")";
    case Op::Step: return "(" + a[0] + " > 0).double()";
    case Op::Sign: return "torch.sign(" + a[0] + ")";
    case Op::MaxMask: return "(" + a[0] + " >= " + a[1] + ").double()";
    case Op::WhereNonzero: return "torch.where(" + a[0] + " == 0, torch.zeros_like(" + a[1] + "), " + a[1] + ")";
    case Op::Sum: return reduce_call("torch.sum", n, in0, a[0]);
    case Op::Mean: return reduce_call("torch.mean", n, in0, a[0]);
    case Op::Reshape: return "torch.reshape(" + a[0] + ", " + shape_tuple(n.shape) + ")";
    case Op::Flatten: return in0.rank() <= 2 ? a[0] : "torch.flatten(" + a[0] + ", 1)";
    case Op::Transpose: return in0.rank() < 2 ? a[0] : a[0] + ".transpose(-2, -1)";
    case Op::BroadcastTo: return "torch.broadcast_to(" + a[0] + ", " + shape_tuple(n.shape) + ")";
    case Op::SumTo: use(kSumTo); return "sum_to(" + a[0] + ", " + shape_tuple(n.shape) + ")";
    case Op::MatMul: return a[0] + " @ " + a[1];
    case Op::Softmax: return "torch.softmax(" + a[0] + ", dim=-1)";
    case Op::LogSoftmax: return "torch.log_softmax(" + a[0] + ", dim=-1)";
    case Op::CrossEntropy: use(kRows); use(kCe); return "ce(" + a[0] + ", " + a[1] + ")";
    case Op::Mse: return "F.mse_loss(" + a[0] + ", " + a[1] + ")";
    case Op::Hinge: use(kRows); use(kHinge); return "hinge(" + a[0] + ", " + a[1] + ")";
    case Op::L1Norm: return "torch.sum(torch.abs(" + a[0] + "))";
    case Op::L2Norm: return "torch.linalg.vector_norm(" + a[0] + ")";
    case Op::Conv2d:
      return "F.conv2d(" + a[0] + ", " + a[1] + (n.arity == 3 ? ", " + a[2] : "") + ", stride=" + std::to_string(at.stride) +
             ", padding=" + std::to_string(at.padding) + ")";
    case Op::MaxPool:
      return "F.max_pool2d(" + a[0] + ", " + std::to_string(at.kernel) + pool_options(at, false) + ")";
    case Op::AvgPool:
      return "F.avg_pool2d(" + a[0] + ", " + std::to_string(at.kernel) + pool_options(at, true) + ")";
    case Op::Pad: {
      const std::string p = std::to_string(at.padding);
      return "F.pad(" + a[0] + ", (" + p + ", " + p + ", " + p + ", " + p + "))";
    }
    case Op::Unpad: {
      const std::string p = std::to_string(at.padding);
      return a[0] + "[..., " + p + ":-" + p + ", " + p + ":-" + p + "]";
    }
    case Op::Conv2dGradInput:
    case Op::Conv2dGradWeight:
    case Op::MaxPoolGrad:
    case Op::AvgPoolGrad:
    case Op::kCount:
      break;
  }
  throw GraphError(g.label(id) + " = " + op_name(n.op) +
                       ": a gradient op of an extended graph has no PyTorch counterpart to export (export the graph "
                       "before its gradient was added)",
                   id);
}

const std::set<std::string, std::less<>>& reserved_names() {
  static const std::set<std::string, std::less<>> names = {
      "torch", "F", "rows", "ce", "hinge", "sum_to", "grad", "print", "and", "as", "assert", "break", "class",
      "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
      "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "None",
      "True", "False", "float", "len", "range", "sum", "max", "min", "abs"};
  return names;
}

}  // namespace

std::string python_float(double v) {
  if (std::isnan(v)) return "float('nan')";
  if (std::isinf(v)) return v > 0 ? "float('inf')" : "float('-inf')";
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

std::string python_list(const TensorD& t) {
  std::string out;
  append_list(t, 0, 0, out);
  return out;
}

std::string torch_op_expression(const Graph& g, NodeId id, const std::vector<std::string>& args) {
  return op_text(g, id, args, nullptr);
}

std::string torch_script(const Graph& g, const Bindings& values, const std::string& source) {
  check_bindings(g, values);
  std::vector<std::string> var(static_cast<std::size_t>(g.size()));
  std::set<std::string, std::less<>> taken(reserved_names());
  auto claim = [&](std::string name) {
    while (taken.count(name)) name += '_';
    taken.insert(name);
    return name;
  };
  for (NodeId in : g.inputs()) var[in.index] = claim(g.node(in).name);
  const NodeId out = g.output();
  const std::string y = claim("y");

  std::ostringstream inputs, body;
  std::array<bool, kHelperCount> used{};
  for (NodeId in : g.inputs()) {
    const TensorD& v = values.find(g.node(in).name)->second;
    inputs << var[in.index] << " = torch.tensor(" << python_list(v) << ", requires_grad=True)  # " << g.label(in) << "\n";
  }
  for (NodeId id : g.order()) {
    const Node& n = g.node(id);
    if (n.kind == NodeKind::Input) continue;
    if (n.kind == NodeKind::Constant) {
      const TensorD& c = g.constant_value(id);
      if (c.rank() == 0) {
        var[id.index] = python_float(c[0]);
        if (c[0] < 0 || !std::isfinite(c[0])) var[id.index] = "(" + var[id.index] + ")";
      } else {
        var[id.index] = claim(g.label(id));
        body << var[id.index] << " = torch.tensor(" << python_list(c) << ")\n";
      }
      continue;
    }
    // Every operand is a name or a literal (negative ones bracketed), so infix operators need no
    // further brackets.
    std::vector<std::string> args;
    for (int i = 0; i < n.arity; ++i) args.push_back(var[n.inputs[static_cast<std::size_t>(i)].index]);
    var[id.index] = claim(g.label(id));
    body << var[id.index] << " = " << op_text(g, id, args, &used) << "  # " << g.label(id) << " = " << g.formula(id) << "\n";
  }

  std::ostringstream s;
  s << "#!/usr/bin/env python3\n"
       "# Written by gradscope's PyTorch export from:\n";
  std::istringstream src(source);
  // Each line of the source stays a comment: a carriage return or an escape code in a graph
  // file's title is written as \x0D, not as the start of a line of Python.
  for (std::string line; std::getline(src, line);) s << "#   " << printable_text(line) << "\n";
  s << "# The same computation with PyTorch in float64: the forward values (v1, v2, ... as gradscope\n"
       "# numbers them), backward() for the adjoints, then the output and every input's gradient.\n"
       "import torch\n"
       "import torch.nn.functional as F\n\n"
       "torch.set_default_dtype(torch.float64)\n\n\n";
  for (int h = 0; h < kHelperCount; ++h)
    if (used[static_cast<std::size_t>(h)]) s << helper_text(h) << "\n\n";
  s << "def grad(t):\n"
       "    \"\"\"The gradient of an input (zeros where the output does not depend on it).\"\"\"\n"
       "    return (t.grad if t.grad is not None else torch.zeros_like(t)).tolist()\n\n\n";
  s << inputs.str() << "\n" << body.str();
  s << y << " = " << var[out.index] << "\n";
  if (g.node(out).shape.is_scalar())
    s << y << ".backward()\n";
  else
    s << y << ".backward(torch.ones_like(" << y << "))  # a tensor output: the gradient of the sum of its elements\n";
  s << "\nprint(\"y =\", " << y << ".tolist())\n";
  for (NodeId in : g.inputs())
    s << "print(\"dy/d" << g.node(in).name << " =\", grad(" << var[in.index] << "))\n";
  return s.str();
}

}  // namespace gs
