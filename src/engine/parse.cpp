// The expression language of DESIGN.md turned into a Graph: a lexer that also balances the
// parentheses, a recursive-descent parser into a flat syntax tree, and a builder that resolves
// names and calls against the op catalogue (names, arguments, keywords and their checks all come
// from the ops' OpDef entries; the parser keeps no list of functions). Every error names a
// 1-based column.
// Depends on graph.h and op.h only: no I/O, no printing.
//
// [SECTION] places and errors
// [SECTION] names and suggestions
// [SECTION] lexer
// [SECTION] syntax tree and parser
// [SECTION] calls, resolved against the op catalogue
// [SECTION] building the graph
// [SECTION] tensor literals

#include "parse.h"

#include "nested_list.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

namespace gs {
namespace {

// Deep nesting must end in an error, not in a stack overflow: parentheses and unary signs
// recurse in the parser, and every operator adds a level to the builder's recursion.
constexpr int kMaxNesting = 500;
constexpr int kMaxTreeDepth = 4000;

// =================================================================================================
// [SECTION] places and errors
// =================================================================================================

struct Place {
  int line = 1;
  int column = 1;
};

// Columns count characters, not bytes: a comment in Chinese before the error must not shift it.
Place place_of(std::string_view text, std::size_t offset) {
  Place p;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++p.line;
      p.column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++p.column;
    }
  }
  return p;
}

bool has_several_lines(std::string_view text) {
  std::size_t last = text.find_last_not_of(" \t\r\n");
  return last != std::string_view::npos && text.substr(0, last).find('\n') != std::string_view::npos;
}

// "at column 5", or "at line 2, column 5" in a text of several statements on several lines.
std::string at_text(std::string_view text, std::size_t offset) {
  Place p = place_of(text, offset);
  return has_several_lines(text) ? "at line " + std::to_string(p.line) + ", column " + std::to_string(p.column)
                                 : "at column " + std::to_string(p.column);
}

// Throws a ParseError. `message` may hold "{at}" where the place goes; otherwise it is appended,
// so that suggestions in parentheses can follow the place.
[[noreturn]] void fail_at(std::string_view text, std::size_t offset, std::string message, int length = 1) {
  Place p = place_of(text, offset);
  std::string at = at_text(text, offset);
  std::size_t slot = message.find("{at}");
  if (slot == std::string::npos)
    message += " " + at;
  else
    message.replace(slot, 4, at);
  throw ParseError(std::move(message), p.column, std::max(1, length), p.line);
}

// The UTF-8 character starting at `offset`, for "unexpected character 'θ'"; a byte that is not
// UTF-8 is shown as \xFF rather than written raw to a terminal.
std::string character_at(std::string_view text, std::size_t offset) {
  unsigned char c = static_cast<unsigned char>(text[offset]);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  bool valid = n > 0 && offset + n <= text.size();
  for (std::size_t k = 1; valid && k < n; ++k) valid = (static_cast<unsigned char>(text[offset + k]) & 0xC0) == 0x80;
  if (valid) return std::string(text.substr(offset, n));
  const char* hex = "0123456789ABCDEF";
  return std::string("\\x") + hex[c >> 4] + hex[c & 0xF];
}

// =================================================================================================
// [SECTION] names and suggestions
// =================================================================================================

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }

// Optimal string alignment distance, ignoring case: "sine"→"sin" 1, "tahn"→"tanh" 1.
int edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<int> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<int>(i);
    for (std::size_t j = 1; j <= m; ++j) {
      int cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

// The op a call names (by its name or an alias), among the ops the language can call.
const OpDef* find_callable(std::string_view name) {
  Op op;
  if (!op_from_name(name, &op) || !op_def(op).callable()) return nullptr;
  return &op_def(op);
}

// =================================================================================================
// [SECTION] lexer
// =================================================================================================

enum class Tok : std::uint8_t {
  Number, Name, Plus, Minus, Star, Slash, At, Caret, LParen, RParen, Comma, Assign, Separator, End
};

struct Token {
  Tok kind = Tok::End;
  int offset = 0;  // bytes
  int length = 0;
  double number = 0;
};

// Reads one number of the language (no sign: unary minus is an operator): 1, 2.5, .5, 1e-3.
std::size_t scan_number(std::string_view text, std::size_t i, double* value) {
  const std::size_t start = i;
  while (i < text.size() && is_digit(text[i])) ++i;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && is_digit(text[i])) ++i;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < text.size() && (text[j] == '+' || text[j] == '-')) ++j;
    if (j >= text.size() || !is_digit(text[j])) {
      std::size_t end = j;
      while (end < text.size() && is_name_char(text[end])) ++end;
      fail_at(text, start,
              "malformed number '" + std::string(text.substr(start, end - start)) + "' {at} (an exponent needs digits: 1e-3)",
              static_cast<int>(end - start));
    }
    i = j;
    while (i < text.size() && is_digit(text[i])) ++i;
  }
  auto [ptr, ec] = std::from_chars(text.data() + start, text.data() + i, *value);
  if (ec == std::errc::result_out_of_range || !std::isfinite(*value))
    fail_at(text, start, "number '" + std::string(text.substr(start, i - start)) + "' is out of range {at}",
            static_cast<int>(i - start));
  if (ec != std::errc() || ptr != text.data() + i)
    fail_at(text, start, "malformed number '" + std::string(text.substr(start, i - start)) + "'",
            static_cast<int>(i - start));
  return i;
}

// Tokens of the whole text. Newlines separate statements except inside parentheses, where a
// long call may be broken over lines. Parentheses are balanced here, so that an unclosed one
// is reported where it opens rather than wherever the parser gives up.
std::vector<Token> lex(std::string_view text) {
  std::vector<Token> toks;
  std::vector<int> open;  // offsets of unclosed '('
  std::size_t i = 0;
  auto push = [&](Tok kind, std::size_t at, std::size_t length) {
    toks.push_back(Token{kind, static_cast<int>(at), static_cast<int>(length), 0});
  };
  while (i < text.size()) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '\n' || c == ';') {
      if (c == ';' || open.empty()) push(Tok::Separator, i, 1);
      ++i;
    } else if (is_digit(c) || (c == '.' && i + 1 < text.size() && is_digit(text[i + 1]))) {
      Token t{Tok::Number, static_cast<int>(i), 0, 0};
      std::size_t end = scan_number(text, i, &t.number);
      t.length = static_cast<int>(end - i);
      toks.push_back(t);
      i = end;
    } else if (is_name_start(c)) {
      std::size_t end = i;
      while (end < text.size() && is_name_char(text[end])) ++end;
      push(Tok::Name, i, end - i);
      i = end;
    } else {
      Tok kind = Tok::End;
      std::size_t length = 1;
      switch (c) {
        case '+': kind = Tok::Plus; break;
        case '-': kind = Tok::Minus; break;
        case '*':
          // Python's ** is accepted as ^: students arrive from NumPy.
          if (i + 1 < text.size() && text[i + 1] == '*') {
            kind = Tok::Caret;
            length = 2;
          } else {
            kind = Tok::Star;
          }
          break;
        case '/': kind = Tok::Slash; break;
        case '@': kind = Tok::At; break;
        case '^': kind = Tok::Caret; break;
        case ',': kind = Tok::Comma; break;
        case '=': kind = Tok::Assign; break;
        case '(':
          kind = Tok::LParen;
          open.push_back(static_cast<int>(i));
          break;
        case ')':
          if (open.empty()) fail_at(text, i, "unbalanced parenthesis: ')' {at} has no matching '('");
          kind = Tok::RParen;
          open.pop_back();
          break;
        default: {
          fail_at(text, i, "unexpected character '" + character_at(text, i) + "'");
        }
      }
      push(kind, i, length);
      i += length;
    }
  }
  if (!open.empty()) fail_at(text, static_cast<std::size_t>(open.back()), "unbalanced parenthesis: '(' {at} is never closed");
  push(Tok::End, text.size(), 0);
  return toks;
}

// =================================================================================================
// [SECTION] syntax tree and parser
// =================================================================================================

enum class ExprKind : std::uint8_t { Number, Name, Neg, Binary, Call };

struct Keyword {
  int name_offset = 0;
  int name_length = 0;
  double value = 0;
  int value_offset = 0;
  int value_length = 0;
};

// One node of the syntax tree. The tree is a flat arena (indices, not pointers), so that a
// long expression is neither destroyed nor copied recursively.
struct Expr {
  ExprKind kind = ExprKind::Number;
  int begin = 0, end = 0;      // bytes of the whole expression in the text
  int op_offset = 0;           // the operator, or the function's name
  int op_length = 1;
  Tok op = Tok::End;           // Binary
  double number = 0;           // Number
  std::vector<int> args;       // operands, or a call's positional arguments
  std::vector<Keyword> keywords;
  int depth = 1;
};

struct Statement {
  int target_offset = -1;  // `name = ...`, or -1
  int target_length = 0;
  int expr = -1;
};

struct Program {
  std::vector<Expr> exprs;
  std::vector<Statement> statements;
};

std::string_view token_text(std::string_view text, const Token& t) {
  return text.substr(static_cast<std::size_t>(t.offset), static_cast<std::size_t>(t.length));
}

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
      default: return "'" + std::string(token_text(text_, t)) + "'";
    }
  }

  // "unexpected 'x' at column 3 (missing an operator?)" with the most useful hint for the case.
  [[noreturn]] void unexpected(std::string_view expected) const {
    const Token& t = peek();
    const Token* before = pos_ > 0 ? &toks_[pos_ - 1] : nullptr;
    std::string hint;
    bool after_value = before && (before->kind == Tok::Number || before->kind == Tok::Name || before->kind == Tok::RParen);
    if ((t.kind == Tok::Name || t.kind == Tok::Number || t.kind == Tok::LParen) && after_value) {
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

// =================================================================================================
// [SECTION] calls, resolved against the op catalogue
// =================================================================================================

std::vector<std::string> callable_names() {
  std::vector<std::string> names;
  for (const FunctionInfo& f : expression_functions()) names.push_back(f.name);
  return names;
}

// A call with its arguments sorted into graph inputs and attributes.
struct ResolvedCall {
  const OpDef* def = nullptr;
  std::vector<int> tensors;        // expr indices
  OpAttrs attrs;
  std::vector<double> dims;        // reshape's target extents, as written
  std::vector<int> dim_offsets;
};

std::string plural(int n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

class CallResolver {
 public:
  CallResolver(std::string_view text, const Program& prog) : text_(text), prog_(prog) {}

  ResolvedCall resolve(int call) const {
    const Expr& e = prog_.exprs[call];
    const std::size_t at = static_cast<std::size_t>(e.op_offset);
    const std::string name(text_.substr(at, static_cast<std::size_t>(e.op_length)));
    ResolvedCall r;
    r.def = find_callable(name);
    if (!r.def) {
      std::string guess = closest_name(name, callable_names());
      fail_at(text_, at, "unknown function '" + name + "'" + (guess.empty() ? "" : " {at} (did you mean '" + guess + "'?)"),
              e.op_length);
    }
    const OpDef& def = *r.def;
    const int keywords = def.keyword_count();
    r.attrs = default_attrs(def.op);
    std::array<bool, kMaxKeywords> given{};
    auto set_keyword = [&](int k, double v, int offset, int length) {
      const OpKeyword& kw = def.keywords[static_cast<std::size_t>(k)];
      if (given[static_cast<std::size_t>(k)])
        fail_at(text_, static_cast<std::size_t>(offset), "argument '" + std::string(kw.name) + "' given twice", length);
      given[static_cast<std::size_t>(k)] = true;
      if (std::string problem = check_keyword_value(kw, v); !problem.empty())
        fail_at(text_, static_cast<std::size_t>(offset), problem, length);
      set_attr_value(&r.attrs, kw.slot, v);
    };

    // Positional arguments: the tensors first; a number literal once the required tensors are
    // there is a keyword's value (sum(x, 1) is an axis; conv2d(x, W, b) has a bias).
    int next_keyword = 0;
    const int positional = static_cast<int>(e.args.size());
    for (int i = 0; i < positional; ++i) {
      const Expr& arg = prog_.exprs[e.args[i]];
      const bool literal = arg.kind == ExprKind::Number;
      const int have = static_cast<int>(r.tensors.size());
      const bool takes_tensor = have < def.min_arity || (have < def.max_arity && (!literal || keywords == 0));
      if (def.sizes && !r.tensors.empty()) {
        if (!literal) fail_at(text_, static_cast<std::size_t>(arg.begin), name + "'s sizes must be numbers", arg.end - arg.begin);
        r.dims.push_back(arg.number);
        r.dim_offsets.push_back(arg.begin);
      } else if (takes_tensor) {
        r.tensors.push_back(e.args[i]);
      } else if (next_keyword < keywords) {
        if (!literal)
          fail_at(text_, static_cast<std::size_t>(arg.begin),
                  name + "'s argument " + std::to_string(i + 1) + " (" +
                      def.keywords[static_cast<std::size_t>(next_keyword)].name + ") must be a number",
                  arg.end - arg.begin);
        set_keyword(next_keyword++, arg.number, arg.begin, arg.end - arg.begin);
      } else {
        arity_error(r, name, e, positional);
      }
    }
    for (const Keyword& kw : e.keywords) {
      std::string key(text_.substr(static_cast<std::size_t>(kw.name_offset), static_cast<std::size_t>(kw.name_length)));
      int k = 0;
      while (k < keywords && key != def.keywords[static_cast<std::size_t>(k)].name) ++k;
      if (k == keywords) {
        std::vector<std::string> known;
        for (int j = 0; j < keywords; ++j) known.emplace_back(def.keywords[static_cast<std::size_t>(j)].name);
        std::string guess = closest_name(key, known);
        fail_at(text_, static_cast<std::size_t>(kw.name_offset),
                name + " has no argument '" + key + "' {at}" + (guess.empty() ? "" : " (did you mean '" + guess + "'?)"),
                kw.name_length);
      }
      set_keyword(k, kw.value, kw.value_offset, kw.value_length);
    }
    bool required_missing = false;
    for (int k = 0; k < keywords; ++k)
      required_missing = required_missing || (def.keywords[static_cast<std::size_t>(k)].required && !given[static_cast<std::size_t>(k)]);
    if (static_cast<int>(r.tensors.size()) < def.min_arity || required_missing || (def.sizes && r.dims.empty()))
      arity_error(r, name, e, positional);
    // Keywords whose default is another's value (a pool's stride = its kernel) follow it.
    for (int k = 0; k < keywords; ++k) {
      const OpKeyword& kw = def.keywords[static_cast<std::size_t>(k)];
      if (!given[static_cast<std::size_t>(k)] && kw.default_from != AttrSlot::None)
        set_attr_value(&r.attrs, kw.slot, attr_value(r.attrs, kw.default_from));
    }
    return r;
  }

 private:
  // "ln takes 1 argument, got 2 at column 1"; functions with options also show their usage.
  [[noreturn]] void arity_error(const ResolvedCall& r, const std::string& name, const Expr& e, int got) const {
    const OpDef& def = *r.def;
    int required = 0;
    for (int k = 0; k < def.keyword_count(); ++k) required += def.keywords[static_cast<std::size_t>(k)].required ? 1 : 0;
    const int lo = def.min_arity + required, hi = def.max_arity + def.keyword_count();
    std::string takes;
    if (def.sizes)
      takes = "takes a tensor and its new sizes";
    else if (lo == hi)
      takes = "takes " + plural(lo, "argument");
    else
      takes = "takes " + std::to_string(lo) + " to " + std::to_string(hi) + " arguments";
    const bool show_usage = lo != hi || def.keyword_count() > 0 || def.sizes;
    fail_at(text_, static_cast<std::size_t>(e.op_offset),
            name + " " + takes + ", got " + std::to_string(got) + " {at}" +
                (show_usage ? " (usage: " + op_usage(def, name) + ")" : ""),
            e.op_length);
  }

  std::string_view text_;
  const Program& prog_;
};

// =================================================================================================
// [SECTION] building the graph
// =================================================================================================

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

// =================================================================================================
// [SECTION] tensor literals
// =================================================================================================

// Nested lists read depth first; NestedListShape checks that they form a tensor.
class LiteralParser {
 public:
  explicit LiteralParser(std::string_view text) : text_(text) {}

  TensorD parse() {
    skip_space();
    if (pos_ >= text_.size()) throw ParseError("empty value: write a number or a list such as [1, 2]", 0);
    value(0);
    skip_space();
    if (pos_ < text_.size())
      fail_at(text_, pos_, "unexpected '" + shown(pos_) + "' {at} after the value", static_cast<int>(word_at(pos_).size()));
    TensorD t = TensorD::uninitialized(shape_.shape());
    std::copy(values_.begin(), values_.end(), t.data());
    return t;
  }

 private:
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) ++pos_;
  }

  // The number-like word at `at`, or the single character there.
  std::string_view word_at(std::size_t at) const {
    std::size_t end = at;
    while (end < text_.size() && (is_name_char(text_[end]) || text_[end] == '.' || text_[end] == '+' || text_[end] == '-')) ++end;
    if (end == at) end = at + 1;
    return text_.substr(at, end - at);
  }
  // For messages: non-UTF-8 bytes escaped.
  std::string shown(std::size_t at) const {
    std::string_view w = word_at(at);
    return w.size() == 1 ? character_at(text_, at) : std::string(w);
  }

  void value(int depth) {
    skip_space();
    if (pos_ >= text_.size()) fail_at(text_, pos_, "unexpected end of value {at} (expected a number or '[')");
    if (text_[pos_] == '[') {
      list(depth);
    } else {
      number(depth);
    }
  }

  void list(int depth) {
    const std::size_t open = pos_;
    if (std::string problem = shape_.enter_list(depth); !problem.empty()) fail_at(text_, open, problem);
    ++pos_;
    Index count = 0;
    while (true) {
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ']') break;
      shape_.enter_item(depth, static_cast<int>(count) + 1);
      value(depth + 1);
      ++count;
      skip_space();
      if (pos_ >= text_.size()) fail_at(text_, open, "unbalanced bracket: '[' {at} is never closed");
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (text_[pos_] != ']')
        fail_at(text_, pos_, "expected ',' or ']' {at}, found '" + shown(pos_) + "'",
                static_cast<int>(word_at(pos_).size()));
    }
    ++pos_;  // ']'
    if (std::string problem = shape_.leave_list(depth, count); !problem.empty()) fail_at(text_, open, problem);
  }

  void number(int depth) {
    std::size_t start = pos_;
    std::string_view word = word_at(start);
    std::size_t skip = (!word.empty() && word[0] == '+') ? 1 : 0;
    double v = 0;
    auto [ptr, ec] = std::from_chars(word.data() + skip, word.data() + word.size(), v);
    bool ok = ec == std::errc() && ptr == word.data() + word.size() && word.size() > skip;
    if (!ok && ec == std::errc::result_out_of_range)
      fail_at(text_, start, "number '" + std::string(word) + "' is out of range", static_cast<int>(word.size()));
    if (!ok) fail_at(text_, start, "expected a number, found '" + shown(start) + "'", static_cast<int>(word.size()));
    if (std::string problem = shape_.number(depth); !problem.empty())
      fail_at(text_, start, problem, static_cast<int>(word.size()));
    values_.push_back(v);
    pos_ = start + word.size();
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  NestedListShape shape_;
  std::vector<double> values_;
};

}  // namespace

// =================================================================================================
// public functions
// =================================================================================================

ParsedExpression parse_program(std::string_view text, const ShapeMap& input_shapes) {
  Program prog = Parser(text).parse();
  ParsedExpression out;
  Builder(text, prog, &input_shapes, &out).run();
  out.spans.resize(static_cast<std::size_t>(out.graph.size()));
  return out;
}

Graph parse_expression(std::string_view text, const ShapeMap& input_shapes) {
  return std::move(parse_program(text, input_shapes).graph);
}

std::vector<std::string> expression_inputs(std::string_view text) {
  Program prog = Parser(text).parse();
  Builder dry(text, prog, nullptr, nullptr);
  dry.run();
  return dry.inputs();
}

TensorD parse_tensor_literal(std::string_view text) { return LiteralParser(text).parse(); }

const std::vector<FunctionInfo>& expression_functions() {
  // Catalogue order, each op's own name before its aliases: suggestions prefer the common name.
  static const std::vector<FunctionInfo> infos = [] {
    std::vector<FunctionInfo> v;
    for (const OpDef& d : op_catalogue()) {
      if (!d.callable()) continue;
      for (const char* n : {d.name, d.aliases[0], d.aliases[1]})
        if (n) v.push_back(FunctionInfo{n, op_usage(d, n), d.op});
    }
    return v;
  }();
  return infos;
}

std::string closest_name(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  int best_distance = std::numeric_limits<int>::max();
  // Short words allow one slip, longer ones two: "sine"→"sin", "sigmiod"→"sigmoid", but "foo"
  // suggests nothing rather than something random.
  const int allowed = word.size() >= 5 ? 2 : 1;
  for (const std::string& c : candidates) {
    int d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best_distance <= allowed && best != word ? best : std::string();
}

bool is_identifier(std::string_view name) {
  if (name.empty() || !is_name_start(name[0])) return false;
  return std::all_of(name.begin(), name.end(), is_name_char);
}

}  // namespace gs
