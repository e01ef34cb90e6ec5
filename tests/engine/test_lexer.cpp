// Tests of the expression language's lexer and syntax parser on their own (src/engine/lexer.h,
// syntax.h, internal to the engine): tokens, statements, the flat tree, and the column of an
// error raised before any name is resolved.
#include "engine/syntax.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gs::parsing {
namespace {

std::vector<Tok> kinds(const std::string& text) {
  std::vector<Tok> out;
  for (const Token& t : lex(text)) out.push_back(t.kind);
  return out;
}

TEST(Lexer, TokensOfOperatorsNumbersAndNames) {
  EXPECT_EQ(kinds("x1**2 @ W"), (std::vector<Tok>{Tok::Name, Tok::Caret, Tok::Number, Tok::At, Tok::Name, Tok::End}));
  const std::vector<Token> t = lex("y = .5e1 # a comment");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[2].kind, Tok::Number);
  EXPECT_EQ(t[2].number, 5.0);
  EXPECT_EQ(token_text("y = .5e1", t[2]), ".5e1");
}

TEST(Lexer, NewlinesSeparateStatementsOutsideParenthesesOnly) {
  EXPECT_EQ(kinds("a\nb"), (std::vector<Tok>{Tok::Name, Tok::Separator, Tok::Name, Tok::End}));
  EXPECT_EQ(kinds("f(a,\nb)"),
            (std::vector<Tok>{Tok::Name, Tok::LParen, Tok::Name, Tok::Comma, Tok::Name, Tok::RParen, Tok::End}));
  EXPECT_EQ(kinds("a; b"), (std::vector<Tok>{Tok::Name, Tok::Separator, Tok::Name, Tok::End}));
}

TEST(Lexer, ErrorsNameTheColumnBeforeAnyParsing) {
  try {
    lex("x + (y");
    FAIL() << "no error";
  } catch (const ParseError& e) {
    EXPECT_EQ(std::string(e.what()), "unbalanced parenthesis: '(' at column 5 is never closed");
    EXPECT_EQ(e.column(), 5);
  }
  EXPECT_THROW(lex("1e+"), ParseError);
}

TEST(Syntax, StatementsAndTheFlatTree) {
  const Program p = parse_syntax("h = -x^2; y = f(h, axis=1)");
  ASSERT_EQ(p.statements.size(), 2u);
  EXPECT_EQ(p.statements[0].target_offset, 0);
  const Expr& neg = p.exprs[static_cast<std::size_t>(p.statements[0].expr)];
  EXPECT_EQ(neg.kind, ExprKind::Neg) << "-x^2 is -(x^2)";
  const Expr& call = p.exprs[static_cast<std::size_t>(p.statements[1].expr)];
  EXPECT_EQ(call.kind, ExprKind::Call);
  EXPECT_EQ(call.args.size(), 1u);
  ASSERT_EQ(call.keywords.size(), 1u);
  EXPECT_EQ(call.keywords[0].value, 1.0);
  // Unknown names are not the syntax parser's business: f parses, the builder refuses it later.
  EXPECT_NO_THROW(parse_syntax("frobnicate(1, 2, 3)"));
}

}  // namespace
}  // namespace gs::parsing
