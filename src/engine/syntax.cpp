// The recursive-descent parser of the expression language: sum, term, unary, power, primary and
// call rules, with the hints of its error messages ("missing an operator? write 2*x"). Depends on
// syntax.h and calls.h (is a name a function, for the hint).
#include "syntax.h"

#include "calls.h"

#include <algorithm>
#include <string>

namespace gs::parsing {
namespace {

// Deep nesting must end in an error, not in a stack overflow: parentheses and unary signs
// recurse in the parser, and every operator adds a level to the builder's recursion.
constexpr int kMaxNesting = 500;
constexpr int kMaxTreeDepth = 4000;

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text), toks_(lex(text)) {}

  Program parse() {
    while (true) {
      while (peek().kind == Tok::Separator) ++pos_;
      if (peek().kind == Tok::End) break;
      Statement s;
      if (peek().kind == Tok::Name && peek(1).kind == Tok::Assign) {
        s.target_offset = peek().offset;
        s.target_length = peek().length;
        pos_ += 2;
      }
      s.expr = parse_sum();
      if (peek().kind != Tok::Separator && peek().kind != Tok::End) unexpected("an operator or the end of the statement");
      prog_.statements.push_back(s);
    }
    if (prog_.statements.empty()) throw ParseError("the expression is empty", 0);
    return std::move(prog_);
  }

 private:
  // Parentheses and unary signs recurse; this keeps the recursion bounded.
  struct NestingGuard {
    explicit NestingGuard(Parser& p) : p_(p) {
      if (++p_.nesting_ > kMaxNesting)
        fail_at(p_.text_, static_cast<std::size_t>(p_.peek().offset),
                "the expression is nested too deeply (more than " + std::to_string(kMaxNesting) + " levels)");
    }
    ~NestingGuard() { --p_.nesting_; }
    Parser& p_;
  };

  const Token& peek(int ahead = 0) const {
    std::size_t i = std::min(pos_ + static_cast<std::size_t>(ahead), toks_.size() - 1);
    return toks_[i];
  }

  int add(Expr e) {
    for (int a : e.args) e.depth = std::max(e.depth, prog_.exprs[a].depth + 1);
    if (e.depth > kMaxTreeDepth)
      fail_at(text_, static_cast<std::size_t>(e.op_offset),
              "the expression is too long to nest (more than " + std::to_string(kMaxTreeDepth) + " levels)");
    prog_.exprs.push_back(std::move(e));
    return static_cast<int>(prog_.exprs.size()) - 1;
  }
  const Expr& expr(int i) const { return prog_.exprs[i]; }

  std::string describe(const Token& t) const {
    switch (t.kind) {
      case Tok::End: return "end of expression";
      case Tok::Separator: return token_text(text_, t) == ";" ? "';'" : "end of line";
      default: {
        std::string quoted = "'";  // appended, not +: GCC 12 warns (-Wrestrict) on the inlined concatenation
        quoted += token_text(text_, t);
        quoted += '\'';
        return quoted;
      }
    }
  }

  // "unexpected 'x' at column 3 (missing an operator?)" with the most useful hint for the case.
  [[noreturn]] void unexpected(std::string_view expected) const {
    const Token& t = peek();
    const Token* before = pos_ > 0 ? &toks_[pos_ - 1] : nullptr;
    std::string hint;
    bool after_value = before && (before->kind == Tok::Number || before->kind == Tok::Name || before->kind == Tok::RParen ||
                                  before->kind == Tok::Literal);
    if ((t.kind == Tok::Name || t.kind == Tok::Number || t.kind == Tok::LParen || t.kind == Tok::Literal) && after_value) {
      std::string fname = before->kind == Tok::Name ? std::string(token_text(text_, *before)) : "";
      bool is_function = false;
      is_function = find_callable(fname) != nullptr;
      if (is_function && t.kind != Tok::LParen)
        hint = " (functions need parentheses: " + fname + "(" + std::string(token_text(text_, t)) + "))";
      else if (before->kind == Tok::Number && t.kind == Tok::Name)
        hint = " (missing an operator? write " + std::string(token_text(text_, *before)) + "*" +
               std::string(token_text(text_, t)) + ")";
      else
        hint = " (missing an operator?)";
    } else if (t.kind == Tok::Assign) {
      hint = " (only a name can be assigned, at the start of a statement: y = ...)";
    } else if (t.kind == Tok::End || t.kind == Tok::Separator) {
      hint = before ? " (expected " + std::string(expected) + " after " + describe(*before) + ")"
                    : " (expected " + std::string(expected) + ")";
    } else {
      hint = " (expected " + std::string(expected) + ")";
    }
    fail_at(text_, static_cast<std::size_t>(t.offset), "unexpected " + describe(t) + " {at}" + hint,
            std::max(1, t.length));
  }

  // sum := term (('+' | '-') term)*
  int parse_sum() {
    int lhs = parse_term();
    while (peek().kind == Tok::Plus || peek().kind == Tok::Minus) lhs = binary(lhs, &Parser::parse_term);
    return lhs;
  }
  // term := unary (('*' | '/' | '@') unary)*
  int parse_term() {
    int lhs = parse_unary();
    while (peek().kind == Tok::Star || peek().kind == Tok::Slash || peek().kind == Tok::At)
      lhs = binary(lhs, &Parser::parse_unary);
    return lhs;
  }
  int binary(int lhs, int (Parser::*rhs_rule)()) {
    Token op = toks_[pos_++];
    return make_binary(op, lhs, (this->*rhs_rule)());
  }
  int make_binary(const Token& op, int lhs, int rhs) {
    Expr e;
    e.kind = ExprKind::Binary;
    e.op = op.kind;
    e.op_offset = op.offset;
    e.op_length = op.length;
    e.begin = expr(lhs).begin;
    e.end = expr(rhs).end;
    e.args = {lhs, rhs};
    return add(std::move(e));
  }
  // unary := ('-' | '+') unary | power. A minus directly on a number literal folds into it,
  // so that -1 is the constant −1 and x^-2 has the exponent −2, not a neg node.
  int parse_unary() {
    if (peek().kind != Tok::Minus && peek().kind != Tok::Plus) return parse_power();
    NestingGuard guard(*this);
    Token sign = toks_[pos_++];
    int operand = parse_unary();
    if (sign.kind == Tok::Plus) return operand;
    if (expr(operand).kind == ExprKind::Number) {
      Expr& e = prog_.exprs[operand];
      e.number = -e.number;
      e.begin = sign.offset;
      return operand;
    }
    Expr e;
    e.kind = ExprKind::Neg;
    e.op_offset = sign.offset;
    e.begin = sign.offset;
    e.end = expr(operand).end;
    e.args = {operand};
    return add(std::move(e));
  }
  // power := primary ('^' unary)?   right-associative, tighter than unary minus: -x^2 = -(x^2)
  int parse_power() {
    int base = parse_primary();
    if (peek().kind != Tok::Caret) return base;
    NestingGuard guard(*this);  // x^x^x^… recurses once per '^'
    Token op = toks_[pos_++];
    op.kind = Tok::Caret;  // ** as well as ^
    return make_binary(op, base, parse_unary());
  }
  int parse_primary() {
    const Token t = peek();
    switch (t.kind) {
      case Tok::Number: {
        ++pos_;
        Expr e;
        e.kind = ExprKind::Number;
        e.number = t.number;
        e.begin = e.op_offset = t.offset;
        e.end = t.offset + t.length;
        e.op_length = t.length;
        return add(std::move(e));
      }
      case Tok::Literal: {
        ++pos_;
        Expr e;
        e.kind = ExprKind::Literal;
        e.begin = e.op_offset = t.offset;
        e.end = t.offset + t.length;
        e.op_length = 1;
        return add(std::move(e));
      }
      case Tok::Name: {
        ++pos_;
        if (peek().kind == Tok::LParen) return parse_call(t);
        Expr e;
        e.kind = ExprKind::Name;
        e.begin = e.op_offset = t.offset;
        e.end = t.offset + t.length;
        e.op_length = t.length;
        return add(std::move(e));
      }
      case Tok::LParen: {
        NestingGuard guard(*this);
        ++pos_;
        int inner = parse_sum();
        if (peek().kind != Tok::RParen) unexpected("')'");
        Expr& e = prog_.exprs[inner];
        // The span keeps the parentheses: "(a + b) @ W" in messages reads as typed.
        e.begin = t.offset;
        e.end = peek().offset + 1;
        ++pos_;
        return inner;
      }
      default:
        unexpected("a number, a name or '('");
    }
  }
  // call := name '(' [arg (',' arg)*] ')'   arg := expr | name '=' number
  int parse_call(const Token& name) {
    NestingGuard guard(*this);
    ++pos_;  // '('
    Expr e;
    e.kind = ExprKind::Call;
    e.begin = e.op_offset = name.offset;
    e.op_length = name.length;
    if (peek().kind != Tok::RParen) {
      while (true) {
        if (peek().kind == Tok::Name && peek(1).kind == Tok::Assign) {
          e.keywords.push_back(parse_keyword());
        } else {
          if (!e.keywords.empty())
            fail_at(text_, static_cast<std::size_t>(peek().offset),
                    "positional argument {at} after a keyword argument (write keyword arguments last)");
          e.args.push_back(parse_sum());
        }
        if (peek().kind == Tok::Comma) {
          ++pos_;
          continue;
        }
        if (peek().kind == Tok::RParen) break;
        unexpected("',' or ')'");
      }
    }
    e.end = peek().offset + 1;
    ++pos_;  // ')'
    return add(std::move(e));
  }
  Keyword parse_keyword() {
    Keyword k;
    k.name_offset = peek().offset;
    k.name_length = peek().length;
    pos_ += 2;  // name '='
    bool negative = false;
    int value_offset = peek().offset;
    if (peek().kind == Tok::Minus) {
      negative = true;
      ++pos_;
    }
    if (!negative && peek().kind == Tok::Name) {
      if (std::optional<bool> b = boolean_literal(text_.substr(static_cast<std::size_t>(peek().offset),
                                                               static_cast<std::size_t>(peek().length)))) {
        k.value = *b ? 1 : 0;
        k.boolean = true;
        k.value_offset = peek().offset;
        k.value_length = peek().length;
        ++pos_;
        return k;
      }
    }
    if (peek().kind != Tok::Number) {
      std::string name(text_.substr(static_cast<std::size_t>(k.name_offset), static_cast<std::size_t>(k.name_length)));
      fail_at(text_, static_cast<std::size_t>(peek().offset),
              "argument '" + name + "' needs a number, found " + describe(peek()));
    }
    k.value = negative ? -peek().number : peek().number;
    k.value_offset = value_offset;
    k.value_length = peek().offset + peek().length - value_offset;
    ++pos_;
    return k;
  }

  std::string_view text_;
  std::vector<Token> toks_;
  std::size_t pos_ = 0;
  int nesting_ = 0;
  Program prog_;
};

}  // namespace

Program parse_syntax(std::string_view text) { return Parser(text).parse(); }

std::optional<bool> boolean_literal(std::string_view word) {
  if (word == "true" || word == "True") return true;
  if (word == "false" || word == "False") return false;
  return std::nullopt;
}

}  // namespace gs::parsing
