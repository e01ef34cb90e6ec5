// A NUL byte in text from a file or a caller (a graph file's value name, an expression, an input
// name) is kept in every engine error's message as \x00: what() is a C string, and the message
// used to end at the NUL ("values: \"x"). The same rule as nn::InputError (test_config_limits.cpp).
#include "engine/autodiff.h"
#include "engine/error_text.h"
#include "engine/graph.h"
#include "engine/graph_json.h"
#include "engine/json_text.h"
#include "engine/parse.h"

#include <gtest/gtest.h>

#include <string>

namespace gs {
namespace {

using namespace std::string_literals;

// what() read as the C string every front end prints.
template <class E, class F>
std::string message_of_throw(F f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  ADD_FAILURE() << "nothing was thrown";
  return {};
}

TEST(ErrorText, ANulByteIsKeptAsBackslashX00) {
  EXPECT_EQ(error_text("a\0b"s), "a\\x00b");
  EXPECT_EQ(error_text("plain"), "plain");
}

TEST(ErrorText, AGraphFileWithANulInAValueNameIsNamedWhole) {
  const std::string text =
      R"json({"format": "gradscope-graph", "version": 1, "expression": "y = ln(x1) + x1*x2 - sin(x2)",)json"
      R"json( "values": {"x\u00001": 2, "x2": 5}})json";
  const std::string m = message_of_throw<FileError>([&] { document_from_text(text, "nul.json"); });
  EXPECT_NE(m.find("x\\x001"), std::string::npos) << m;
}

TEST(ErrorText, AnExpressionWithANulIsNamedWhole) {
  const std::string m = message_of_throw<ParseError>([] { parse_expression("x + \0y"s); });
  EXPECT_NE(m.find("\\x00"), std::string::npos) << m;
}

TEST(ErrorText, GraphAndBindingErrorsQuoteANulInAName) {
  Graph g;
  g.input("a\0b"s, Shape{});
  const std::string twice = message_of_throw<GraphError>([&] { g.input("a\0b"s, Shape{}); });
  EXPECT_EQ(twice, "input 'a\\x00b' is defined twice");
  g.set_output(g.op(Op::Tanh, {NodeId{0}}));
  Bindings b;
  b["a\0b"s] = TensorD(Shape{});
  b["c\0d"s] = TensorD(Shape{});
  const std::string binding = message_of_throw<BindingError>([&] { check_bindings(g, b); });
  EXPECT_NE(binding.find("c\\x00d"), std::string::npos) << binding;
  EXPECT_NE(binding.find("a\\x00b"), std::string::npos) << binding;
}

}  // namespace
}  // namespace gs
