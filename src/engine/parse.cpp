// The expression language of DESIGN.md turned into a Graph: the public entry points, and the
// builder that walks the syntax tree (syntax.h) once, naming inputs and assigned values, resolving
// calls against the op catalogue (calls.h) and adding nodes with their shapes checked. Every
// error names a 1-based column. The lexer, the syntax parser, call resolution and tensor
// literals live in their own files. Depends on graph.h, calls.h; no I/O, no printing.
#include "parse.h"

#include "calls.h"

#include <array>
#include <cmath>
#include <map>

namespace gs {
namespace {

using namespace parsing;

// Message text for a piece of the formula: whitespace collapsed, long pieces shortened.
std::string excerpt(std::string_view text, int begin, int end) {
  std::string out;
  for (int i = begin; i < end; ++i) {
    char c = text[static_cast<std::size_t>(i)];
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  constexpr std::size_t kLong = 60;
  if (out.size() > kLong) out = out.substr(0, 28) + " … " + out.substr(out.size() - 28);
  return out;
}

Op binary_op(Tok t) {
  switch (t) {
    case Tok::Plus: return Op::Add;
    case Tok::Minus: return Op::Sub;
    case Tok::Star: return Op::Mul;
    case Tok::Slash: return Op::Div;
    case Tok::At: return Op::MatMul;
    default: return Op::Pow;
  }
}

// Walks the syntax tree once. With a graph it builds; without one (dry run) it only checks names
// and calls and lists the inputs, for expression_inputs().
class Builder {
 public:
  Builder(std::string_view text, const Program& prog, const ShapeMap* shapes, ParsedExpression* out)
      : text_(text), prog_(prog), calls_(text, prog), shapes_(shapes), out_(out) {}

  void run() {
    NodeId last;
    for (const Statement& s : prog_.statements) {
      NodeId value = build(s.expr);
      if (s.target_offset >= 0) {
        std::string target(text_.substr(static_cast<std::size_t>(s.target_offset), static_cast<std::size_t>(s.target_length)));
        auto input = input_offsets_.find(target);
        if (input != input_offsets_.end()) {
          fail_at(text_, static_cast<std::size_t>(s.target_offset),
                  "'" + target + "' is an input (used " + at_text(text_, static_cast<std::size_t>(input->second)) +
                      ") and cannot be assigned {at}; choose another name",
                  s.target_length);
        }
        assigned_[target] = value;
        if (out_) out_->names.emplace_back(target, value);
      }
      last = value;
    }
    if (out_) out_->graph.set_output(last);
  }

  const std::vector<std::string>& inputs() const { return input_order_; }

 private:
  bool dry() const { return out_ == nullptr; }

  void note_span(NodeId id, int begin, int end) {
    if (dry()) return;
    auto& spans = out_->spans;
    if (static_cast<int>(spans.size()) <= id.index) spans.resize(static_cast<std::size_t>(id.index) + 1);
    spans[static_cast<std::size_t>(id.index)] = SourceSpan{begin, end};
  }

  NodeId build(int index) {
    const Expr& e = prog_.exprs[index];
    switch (e.kind) {
      case ExprKind::Number: {
        if (dry()) return {};
        NodeId id = out_->graph.constant(TensorD::scalar(e.number));
        note_span(id, e.begin, e.end);
        return id;
      }
      case ExprKind::Name:
        return name_node(e);
      case ExprKind::Neg: {
        NodeId x = build(e.args[0]);
        return add_op(Op::Neg, &x, 1, {}, e);
      }
      case ExprKind::Binary: {
        std::array<NodeId, 2> in{build(e.args[0]), build(e.args[1])};
        return add_op(binary_op(e.op), in.data(), 2, {}, e);
      }
      case ExprKind::Call:
        return call_node(e, index);
    }
    return {};
  }

  NodeId name_node(const Expr& e) {
    // The name token itself: begin/end may have grown to take in parentheses, "(x)".
    std::string name(text_.substr(static_cast<std::size_t>(e.op_offset), static_cast<std::size_t>(e.op_length)));
    if (auto it = assigned_.find(name); it != assigned_.end()) return it->second;
    if (auto it = input_nodes_.find(name); it != input_nodes_.end()) return it->second;
    input_offsets_[name] = e.op_offset;
    input_order_.push_back(name);
    if (dry()) {
      input_nodes_[name] = NodeId{};
      return {};
    }
    Shape shape;
    if (auto it = shapes_->find(name); it != shapes_->end()) shape = it->second;
    NodeId id = out_->graph.input(name, shape);
    input_nodes_[name] = id;
    note_span(id, e.begin, e.end);
    return id;
  }

  NodeId call_node(const Expr& e, int index) {
    ResolvedCall call = calls_.resolve(index);
    std::array<NodeId, 3> in{};
    for (std::size_t i = 0; i < call.tensors.size(); ++i) in[i] = build(call.tensors[i]);
    if (call.def->sizes && !dry()) call.attrs.shape = reshape_target(call, out_->graph.node(in[0]).shape, e);
    return add_op(call.def->op, in.data(), static_cast<int>(call.tensors.size()), call.attrs, e);
  }

  // The sizes of a reshape (one may be −1, inferred) checked against the input's element count.
  Shape reshape_target(const ResolvedCall& call, const Shape& from, const Expr& e) const {
    const std::string src = excerpt(text_, e.begin, e.end);
    if (call.dims.size() > static_cast<std::size_t>(kMaxRank))
      fail_at(text_, static_cast<std::size_t>(call.dim_offsets[kMaxRank]), src + ": tensors have at most 4 axes");
    Shape to;
    int inferred = -1;
    Index known = 1;
    bool fits = true;  // the sizes' product stays within from.size() (and so cannot overflow)
    for (std::size_t i = 0; i < call.dims.size(); ++i) {
      double d = call.dims[i];
      const std::size_t at = static_cast<std::size_t>(call.dim_offsets[i]);
      if (d == -1 && inferred < 0) {
        inferred = static_cast<int>(i);
        to.push_back(1);
      } else if (d < 1 || d != std::floor(d) || d > 1e9) {
        fail_at(text_, at, src + ": a size must be a whole number ≥ 1 (or one -1 to infer it), got " + format_number(d));
      } else {
        to.push_back(static_cast<Index>(d));
        if (static_cast<Index>(d) > from.size() / known) fits = false;
        else known *= static_cast<Index>(d);
      }
    }
    if (fits && inferred >= 0 && from.size() % known == 0) to[inferred] = from.size() / known;
    if (!fits || to.size() != from.size()) {
      std::string sizes;
      for (double d : call.dims) sizes += (sizes.empty() ? "" : ", ") + format_number(d);
      fail_at(text_, static_cast<std::size_t>(e.op_offset),
              "shape mismatch {at}: " + src + ": cannot reshape " + from.to_string() + " (" +
                  plural(static_cast<int>(from.size()), "element") + ") into sizes " + sizes,
              e.op_length);
    }
    return to;
  }

  // Adds an op node; a shape problem becomes a ParseError at the operator (or function name).
  NodeId add_op(Op op, const NodeId* in, int arity, const OpAttrs& attrs, const Expr& e) {
    if (dry()) return {};
    Graph& g = out_->graph;
    const OpDef& def = op_def(op);
    std::array<Shape, 3> shapes;
    for (int i = 0; i < arity; ++i) shapes[i] = g.node(in[i]).shape;
    Shape result;
    std::string why;
    const std::size_t at = static_cast<std::size_t>(e.op_offset);
    if (!def.infer_shape(shapes.data(), arity, attrs, &result, &why) || !within_element_limit(result, &why)) {
      bool mismatch = why.find("match") != std::string::npos || why.find("broadcast") != std::string::npos;
      fail_at(text_, at, std::string(mismatch ? "shape mismatch" : "shape error") + " {at}: " + excerpt(text_, e.begin, e.end) + ": " + why,
              e.op_length);
    }
    try {
      NodeId id = g.op(op, in, arity, attrs);
      note_span(id, e.begin, e.end);
      return id;
    } catch (const std::exception& ex) {
      // GraphError speaks of v-numbers; the student is looking at the formula, so name the text.
      fail_at(text_, at, "shape error {at}: " + excerpt(text_, e.begin, e.end) + ": " + ex.what(), e.op_length);
    }
  }

  std::string_view text_;
  const Program& prog_;
  CallResolver calls_;
  const ShapeMap* shapes_;
  ParsedExpression* out_;
  std::map<std::string, NodeId, std::less<>> assigned_;
  std::map<std::string, NodeId, std::less<>> input_nodes_;
  std::map<std::string, int, std::less<>> input_offsets_;
  std::vector<std::string> input_order_;
};

}  // namespace

ParsedExpression parse_program(std::string_view text, const ShapeMap& input_shapes) {
  Program prog = parse_syntax(text);
  ParsedExpression out;
  Builder(text, prog, &input_shapes, &out).run();
  out.spans.resize(static_cast<std::size_t>(out.graph.size()));
  return out;
}

Graph parse_expression(std::string_view text, const ShapeMap& input_shapes) {
  return std::move(parse_program(text, input_shapes).graph);
}

std::vector<std::string> expression_inputs(std::string_view text) {
  Program prog = parse_syntax(text);
  Builder dry(text, prog, nullptr, nullptr);
  dry.run();
  return dry.inputs();
}

}  // namespace gs
