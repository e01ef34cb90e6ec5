// The Chinese interface shows the engine's messages in Chinese (issue 9): parse errors, NaN
// reasons and the shipped examples' titles go through translate() and its phrase table. The
// messages are the engine's own (a Session parses and evaluates), so that a change of wording in
// the engine that the table misses fails here. No GL.
#include "app/base/i18n.h"
#include "app/graph/session.h"

#include "../temp_path.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

using namespace gs;
using namespace gs::app;

namespace {

std::string zh_parse_error(const std::string& text) {
  Session s;
  EXPECT_FALSE(s.set_expression(text)) << text;
  return translate(s.expression_error().message, Language::Chinese);
}

std::string zh_nan_reason(const std::string& text) {
  Session s;
  EXPECT_TRUE(s.set_expression(text)) << text;
  EXPECT_TRUE(s.lesson().non_finite().node.valid()) << text;
  return translate(s.lesson().non_finite().reason, Language::Chinese);
}

// No English word left (ASCII letters in names and function names inside quotes are fine).
bool reads_chinese(const std::string& text) {
  return text.find("unknown") == std::string::npos && text.find("unexpected") == std::string::npos &&
         text.find("column") == std::string::npos && text.find("number") == std::string::npos;
}

}  // namespace

TEST(TranslateEngine, ParseErrorsReadInChinese) {
  EXPECT_EQ(zh_parse_error("f = sinn(x)"), "第 5 列：未知函数“sinn”（是不是“sin”？）");
  EXPECT_EQ(zh_parse_error("y = 2 x"), "第 7 列：意外的 'x'（缺少运算符？请写 2*x）");
  for (const char* bad : {"y = x $ 2", "y = ln(x", "y = ln x", "y = ln(x, 2)", "y = x +", "y = sin(x)\nz = cosine(y)"}) {
    const std::string zh = zh_parse_error(bad);
    EXPECT_TRUE(reads_chinese(zh)) << bad << " → " << zh;
  }
}

TEST(TranslateEngine, NanReasonsReadInChinese) {
  EXPECT_EQ(zh_nan_reason("x = -2\ny = sqrt(x)"), "负数的平方根");
  EXPECT_EQ(zh_nan_reason("x = -2\ny = ln(x)"), "负数的对数无定义");
  EXPECT_EQ(zh_nan_reason("x = 0\ny = 1 / x"), "除以零");
  EXPECT_EQ(zh_nan_reason("x = 1000\ny = exp(x)"), "exp 溢出（自变量大于约 709）");
}

TEST(TranslateEngine, EveryShippedExampleHasAChineseTitle) {
  namespace fs = std::filesystem;
  int seen = 0;
  for (const auto& e : fs::directory_iterator(fs::path(__FILE__).parent_path() / "../../../assets/examples")) {
    if (e.path().extension() != ".json") continue;
    std::ifstream in(e.path());
    const std::string title = nlohmann::json::parse(in).value("title", "");
    // Its own entry, not only "where: what" with the colon translated: no English phrase left.
    const std::string zh = translate(title, Language::Chinese);
    EXPECT_FALSE(std::regex_search(zh, std::regex("[A-Za-z]+ [A-Za-z]+ [A-Za-z]+"))) << e.path().filename() << ": \"" << title << "\" is not in i18n_table.h";
    ++seen;
  }
  EXPECT_GE(seen, 8);
  EXPECT_EQ(translate("Seed 004: y = ln(x1) + x1·x2 − sin(x2)", Language::English), "Seed 004: y = ln(x1) + x1·x2 − sin(x2)");
}

// Shape errors of a formula and graph-file errors: the engine's own messages (a Session builds
// and opens), whole, with where they are.
TEST(TranslateEngine, ShapeAndFileErrorsReadInChinese) {
  Session s;
  EXPECT_FALSE(s.set_expression("X = [[1, 2], [3, 4]]\nW = [[1, 2, 3]]\ny = X @ W"));
  const std::string shape = translate(s.expression_error().message, Language::Chinese);
  EXPECT_NE(shape.find("[2×2] @ [1×3] 的形状不匹配"), std::string::npos) << s.expression_error().message << " → " << shape;
  EXPECT_FALSE(s.set_expression("a = [1, 2, 3]\nb = [1, 2]\ny = a + b"));
  const std::string broadcast = translate(s.expression_error().message, Language::Chinese);
  EXPECT_NE(broadcast.find("无法广播"), std::string::npos) << s.expression_error().message << " → " << broadcast;

  namespace fs = std::filesystem;
  const fs::path dir = test_support::unique_temp_path("gs_translate_engine");
  fs::create_directories(dir);
  auto opened = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    EXPECT_FALSE(s.open_file((dir / name).string())) << name;
    return s.status().text;
  };
  set_language(Language::Chinese);
  const std::string not_json = opened("broken.json", "{\"format\": ");
  const std::string not_graph = opened("other.json", "{\"version\": 1}");
  const std::string typo = opened("typo.json", R"({"format": "gradscope-graph", "version": 1, "expresion": "y = x"})");
  const std::string bad_op = opened("op.json", R"({"format": "gradscope-graph", "version": 1, "nodes": [{"id": 1, "kind": "input", "name": "x"},
      {"id": 2, "kind": "op", "op": "sinn", "inputs": [1]}], "output": 2})");
  const std::string missing = [&] {
    EXPECT_FALSE(s.open_file((dir / "none.json").string()));
    return s.status().text;
  }();
  set_language(Language::English);
  fs::remove_all(dir);
  for (const std::string& m : {not_json, not_graph, typo, bad_op, missing})
    EXPECT_TRUE(reads_chinese(m) && m.find("无法打开") == 0 && m.find("error") == std::string::npos) << m;
  EXPECT_NE(typo.find("未知的键“expresion”（是不是“expression”？）"), std::string::npos) << typo;
  EXPECT_NE(not_json.find("不是有效的 JSON"), std::string::npos) << not_json;
  EXPECT_NE(not_graph.find("这是 gradscope 的图文件吗"), std::string::npos) << not_graph;
  EXPECT_NE(bad_op.find("未知运算“sinn”（是不是“sin”？）"), std::string::npos) << bad_op;
  EXPECT_NE(missing.find("没有这个文件或目录"), std::string::npos) << missing;
}

// The Examples menu lists titles in the interface's language; a title (either language) or a
// file name opens the file.
TEST(TranslateEngine, TheExamplesMenuListsTitles) {
  set_language(Language::Chinese);
  const std::string zh = example_title("seed004");
  const std::string fanout_zh = example_title("fanout");
  set_language(Language::English);
  EXPECT_EQ(zh, "种子 004：y = ln(x1) + x1·x2 − sin(x2)");
  EXPECT_EQ(example_title("fanout"), "Fan-out: one input used three times");
  EXPECT_EQ(example_named(fanout_zh), "fanout");
  EXPECT_EQ(example_named("Fan-out: one input used three times"), "fanout");
  EXPECT_EQ(example_named("fanout"), "fanout");
  EXPECT_EQ(example_named("no such example"), "");
}
