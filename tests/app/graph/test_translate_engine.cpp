// The Chinese interface shows the engine's messages in Chinese (issue 9): parse errors, NaN
// reasons and the shipped examples' titles go through translate() and its phrase table. The
// messages are the engine's own (a Session parses and evaluates), so that a change of wording in
// the engine that the table misses fails here. No GL.
#include "app/base/i18n.h"
#include "app/graph/session.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
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
    EXPECT_NE(translate(title, Language::Chinese), title) << e.path().filename() << ": \"" << title << "\" is not in i18n_table.h";
    ++seen;
  }
  EXPECT_GE(seen, 8);
  EXPECT_EQ(translate("Seed 004: y = ln(x1) + x1·x2 − sin(x2)", Language::English), "Seed 004: y = ln(x1) + x1·x2 − sin(x2)");
}
