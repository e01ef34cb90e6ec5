// The expression language of DESIGN.md turned into a Graph: the public entry points, and the
// builder that walks the syntax tree (syntax.h) once, naming inputs and assigned values, resolving
// calls against the op catalogue (calls.h) and adding nodes with their shapes checked. Every
// error names a 1-based column. The lexer, the syntax parser, call resolution and tensor
// literals live in their own files. Depends on graph.h, calls.h; no I/O, no printing.
#include "parse.h"

#include "calls.h"
#include "input_fill.h"

#include <algorithm>
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

// The functions that give an input its value (`W = randn(2, 3)`): they make no node.
enum class Fill : std::uint8_t { None, Randn, Zeros, Ones, Eye, Onehot };

struct FillDef {
  const char* name;
  Fill fill;
  const char* usage;
  const char* example;
};
constexpr std::array<FillDef, 5> kFills{{
    {"randn", Fill::Randn, "randn(rows, cols[, …], seed=S)", "W = randn(2, 3)"},
    {"zeros", Fill::Zeros, "zeros(rows, cols[, …])", "b = zeros(1, 3)"},
    {"ones", Fill::Ones, "ones(rows, cols[, …])", "b = ones(1, 3)"},
    {"eye", Fill::Eye, "eye(n) or eye(rows, cols)", "I = eye(3)"},
    {"onehot", Fill::Onehot, "onehot([0, 2, 1], classes)", "Y = onehot([0, 2], 3)"},
}};

const FillDef* find_fill(std::string_view name) {
  for (const FillDef& f : kFills)
    if (name == f.name) return &f;
  return nullptr;
}

// Walks the syntax tree once. With a graph it builds; without one (dry run) it only checks names
// and calls and lists the inputs, for expression_inputs().
class Builder {
 public:
  Builder(std::string_view text, const Program& prog, const ShapeMap* shapes, ParsedExpression* out)
      : text_(text), prog_(prog), calls_(text, prog), shapes_(shapes), out_(out) {}

  void run() {
    collect_given();
    NodeId last;
    bool computes = false;
    for (std::size_t k = 0; k < prog_.statements.size(); ++k) {
      const Statement& s = prog_.statements[k];
      if (given_statement_[k]) continue;
      NodeId value = build(s.expr);
      if (s.target_offset >= 0) {
        std::string target = target_name(s);
        if (auto given = given_.find(target); given != given_.end()) {
          fail_at(text_, static_cast<std::size_t>(s.target_offset),
                  "'" + target + "' is given a value " + at_text(text_, static_cast<std::size_t>(given->second.target_offset)) +
                      " and cannot also be assigned {at}; choose another name",
                  s.target_length);
        }
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
      computes = true;
    }
    if (!computes) {
      std::string names;
      for (const auto& [name, g] : given_) names += (names.empty() ? "" : ", ") + name;
      throw ParseError("the formula gives values (" + names + ") but computes nothing: add what to compute, such as y = " +
                           given_.begin()->first + " * 2",
                       0);
    }
    for (const auto& [name, g] : given_) {
      if (!input_nodes_.count(name))
        fail_at(text_, static_cast<std::size_t>(g.target_offset),
                "'" + name + "' is given a value {at} but the formula never uses it", static_cast<int>(name.size()));
    }
    if (out_) {
      for (std::size_t k = 0; k < prog_.statements.size(); ++k) {
        if (!given_statement_[k]) continue;
        const Statement& s = prog_.statements[k];
        const Expr& e = prog_.exprs[s.expr];
        const std::string name = target_name(s);
        out_->given.push_back(GivenValue{name, given_.at(name).value, SourceSpan{e.begin, e.end}});
      }
      out_->graph.set_output(last);
    }
  }

  const std::vector<std::string>& inputs() const { return input_order_; }
  std::vector<std::string> given_inputs() const {
    std::vector<std::string> names;
    for (std::size_t k = 0; k < prog_.statements.size(); ++k)
      if (given_statement_[k]) names.push_back(target_name(prog_.statements[k]));
    return names;
  }

 private:
  bool dry() const { return out_ == nullptr; }

  std::string target_name(const Statement& s) const {
    return std::string(text_.substr(static_cast<std::size_t>(s.target_offset), static_cast<std::size_t>(s.target_length)));
  }

  // The statements that give an input its value, read before anything is built, so that they
  // may stand anywhere (a lecturer may list the values after the formula).
  void collect_given() {
    given_statement_.assign(prog_.statements.size(), false);
    for (std::size_t k = 0; k < prog_.statements.size(); ++k) {
      const Statement& s = prog_.statements[k];
      if (s.target_offset < 0) continue;
      const Expr& e = prog_.exprs[s.expr];
      const FillDef* fill = e.kind == ExprKind::Call ? find_fill(call_name(e)) : nullptr;
      if (e.kind != ExprKind::Literal && !fill) continue;
      const std::string name = target_name(s);
      if (auto before = given_.find(name); before != given_.end())
        fail_at(text_, static_cast<std::size_t>(s.target_offset),
                "'" + name + "' is given a value twice: " + at_text(text_, static_cast<std::size_t>(before->second.target_offset)) +
                    " and {at}",
                s.target_length);
      TensorD value = fill ? fill_value(e, *fill, name)
                           : parse_tensor_literal_in(text_, static_cast<std::size_t>(e.begin), static_cast<std::size_t>(e.end));
      given_[name] = Given{std::move(value), s.target_offset};
      given_statement_[k] = true;
    }
  }

  std::string call_name(const Expr& e) const {
    return std::string(text_.substr(static_cast<std::size_t>(e.op_offset), static_cast<std::size_t>(e.op_length)));
  }

  // A size argument of a fill: a whole number ≥ 1 written as a number.
  Index fill_size(const Expr& call, int arg, const FillDef& fill) const {
    const Expr& a = prog_.exprs[call.args[static_cast<std::size_t>(arg)]];
    if (a.kind != ExprKind::Number || a.number < 1 || a.number != std::floor(a.number) || a.number > 1e9)
      fail_at(text_, static_cast<std::size_t>(a.begin),
              std::string(fill.name) + ": a size must be a whole number ≥ 1 written as a number {at} (" + fill.usage + ")",
              a.end - a.begin);
    return static_cast<Index>(a.number);
  }

  // The value of `name = randn(2, 3)` and the other fills, every argument checked.
  TensorD fill_value(const Expr& e, const FillDef& fill, const std::string& name) const {
    const std::size_t at = static_cast<std::size_t>(e.op_offset);
    const int n = static_cast<int>(e.args.size());
    auto count_error = [&](const std::string& expected) {
      fail_at(text_, at, std::string(fill.name) + " takes " + expected + ", got " + std::to_string(n) + " {at} (" + fill.usage + ")",
              e.op_length);
    };
    std::uint64_t seed = input_seed(name);
    for (const Keyword& k : e.keywords) {
      const std::string key(text_.substr(static_cast<std::size_t>(k.name_offset), static_cast<std::size_t>(k.name_length)));
      if (fill.fill != Fill::Randn || key != "seed")
        fail_at(text_, static_cast<std::size_t>(k.name_offset),
                std::string(fill.name) + " has no argument '" + key + "' {at} (" + fill.usage + ")", k.name_length);
      if (k.boolean || k.value < 0 || k.value != std::floor(k.value) || k.value > 9007199254740992.0)
        fail_at(text_, static_cast<std::size_t>(k.value_offset), "seed must be a whole number ≥ 0 {at}", k.value_length);
      seed = static_cast<std::uint64_t>(k.value);
    }
    Shape shape;
    std::vector<double> labels;
    if (fill.fill == Fill::Onehot) {
      if (n != 2) count_error("2 arguments");
      const Expr& list = prog_.exprs[e.args[0]];
      if (list.kind != ExprKind::Literal)
        fail_at(text_, static_cast<std::size_t>(list.begin), "onehot: the labels must be a list such as [0, 2, 1] {at}",
                list.end - list.begin);
      TensorD l = parse_tensor_literal_in(text_, static_cast<std::size_t>(list.begin), static_cast<std::size_t>(list.end));
      if (l.rank() != 1)
        fail_at(text_, static_cast<std::size_t>(list.begin), "onehot: the labels must be one list of numbers {at}, got " + l.shape().to_string(),
                list.end - list.begin);
      labels.assign(l.begin(), l.end());
      shape = Shape{static_cast<Index>(labels.size()), fill_size(e, 1, fill)};
    } else if (fill.fill == Fill::Eye) {
      if (n != 1 && n != 2) count_error("1 or 2 sizes");
      const Index rows = fill_size(e, 0, fill);
      shape = Shape{rows, n == 2 ? fill_size(e, 1, fill) : rows};
    } else {
      if (n < 1 || n > kMaxRank) count_error("1 to 4 sizes");
      std::array<Index, kMaxRank> dims{};
      for (int i = 0; i < n; ++i) dims[static_cast<std::size_t>(i)] = fill_size(e, i, fill);
      shape = Shape::of_rank(n, dims.data());
    }
    // Sizes are each ≤ 1e9, so the product of at most four is checked before it can overflow.
    double elements = 1;
    for (int i = 0; i < shape.rank(); ++i) elements *= static_cast<double>(shape[i]);
    if (elements > static_cast<double>(kMaxTensorElements))
      fail_at(text_, at,
              std::string(fill.name) + " {at}: " + shape.to_string() + " would hold " +
                  (elements < 1e18 ? std::to_string(static_cast<long long>(elements)) : format_number(elements)) +
                  " elements; at most " + std::to_string(kMaxTensorElements) + " are allowed",
              e.op_length);
    // The dry run (expression_inputs) checks the arguments but allocates nothing: a fuzzer's or a typo's
    // randn(8000, 8000) costs nothing until the graph is built.
    if (dry() && fill.fill != Fill::Onehot) return TensorD();
    switch (fill.fill) {
      case Fill::Randn: return seeded_randn(shape, seed);
      case Fill::Zeros: return TensorD(shape, 0.0);
      case Fill::Ones: return TensorD(shape, 1.0);
      case Fill::Eye: return identity_matrix(shape[0], shape[1]);
      case Fill::None: break;
      case Fill::Onehot: break;
    }
    try {
      return onehot_rows(labels, shape[1]);
    } catch (const std::invalid_argument& ex) {
      const Expr& list = prog_.exprs[e.args[0]];
      fail_at(text_, static_cast<std::size_t>(list.begin), std::string("onehot {at}: ") + ex.what(), list.end - list.begin);
    }
  }

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
        if (const std::string name = call_name(e); !find_callable(name) && !find_fill(name)) {
          std::vector<std::string> fills;
          for (const FillDef& f : kFills) fills.emplace_back(f.name);
          if (std::string guess = closest_name(name, fills); !guess.empty())
            fail_at(text_, static_cast<std::size_t>(e.op_offset), "unknown function '" + name + "' {at} (did you mean '" + guess + "'?)",
                    e.op_length);
        }
        if (const FillDef* fill = find_fill(call_name(e)))
          fail_at(text_, static_cast<std::size_t>(e.op_offset),
                  std::string(fill->name) + "(…) gives an input its value: write it as a statement of its own {at}, such as " +
                      fill->example,
                  e.op_length);
        return call_node(e, index);
      case ExprKind::Literal: {
        // A literal inside an expression is a constant; read in the dry run too, for its errors.
        TensorD value = parse_tensor_literal_in(text_, static_cast<std::size_t>(e.begin), static_cast<std::size_t>(e.end));
        if (dry()) return {};
        NodeId id = out_->graph.constant(std::move(value));
        note_span(id, e.begin, e.end);
        return id;
      }
    }
    return {};
  }

  NodeId name_node(const Expr& e) {
    // The name token itself: begin/end may have grown to take in parentheses, "(x)".
    std::string name(text_.substr(static_cast<std::size_t>(e.op_offset), static_cast<std::size_t>(e.op_length)));
    if (auto it = assigned_.find(name); it != assigned_.end()) return it->second;
    if (auto it = input_nodes_.find(name); it != input_nodes_.end()) return it->second;
    input_offsets_[name] = e.op_offset;
    if (!given_.count(name)) input_order_.push_back(name);
    if (dry()) {
      input_nodes_[name] = NodeId{};
      return {};
    }
    Shape shape;
    if (auto given = given_.find(name); given != given_.end())
      shape = given->second.value.shape();
    else if (auto it = shapes_->find(name); it != shapes_->end())
      shape = it->second;
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

  // When an operand is an input with a value neither in the formula nor in input_shapes, it is a
  // number: the usual reason on a fresh start (`x @ W1`). Says which and how to give it one.
  std::string shapeless_hint(const NodeId* in, int arity) const {
    std::vector<std::string> names;
    for (int i = 0; i < arity; ++i) {
      const Node& n = out_->graph.node(in[i]);
      if (n.kind == NodeKind::Input && n.shape.rank() == 0 && !given_.count(n.name) && !shapes_->count(n.name) &&
          std::find(names.begin(), names.end(), n.name) == names.end())
        names.push_back(n.name);
    }
    if (names.empty()) return "";
    std::string list, example;
    for (std::size_t i = 0; i < names.size(); ++i) {
      list += (i ? " and " : "") + ("'" + names[i] + "'");
      example += (i ? "; " : "") + names[i] + (i == 0 ? " = randn(2, 3)" : " = randn(3, 2)");
    }
    return " (" + list + (names.size() == 1 ? " has" : " have") + " no value yet, so " + (names.size() == 1 ? "it is a number" : "they are numbers") +
           ": give " + (names.size() == 1 ? "it a value" : "them values") + " in the formula, such as " + example + ", or " +
           names[0] + " = [[1, 2], [3, 4]])";
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
      fail_at(text_, at,
              std::string(mismatch ? "shape mismatch" : "shape error") + " {at}: " + excerpt(text_, e.begin, e.end) + ": " + why +
                  shapeless_hint(in, arity),
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
  struct Given {
    TensorD value;
    int target_offset = 0;
  };
  std::map<std::string, Given, std::less<>> given_;
  std::vector<bool> given_statement_;
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

std::vector<std::string> expression_given_inputs(std::string_view text) {
  Program prog = parse_syntax(text);
  Builder dry(text, prog, nullptr, nullptr);
  dry.run();
  return dry.given_inputs();
}

}  // namespace gs
