// The Chinese interface through the frame record (issue 9): the engine's parse error under the
// expression bar and its NaN reason on the node and in the trace read in Chinese, with the minus
// sign of the screen. One screenshot.
#include "../screenshot.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

using nlohmann::json;
using namespace gs::app::testing;

namespace {

// y = sqrt(x) at x = −2: NaN, "square root of a negative number".
std::string negative_sqrt_file() {
  const std::string path = std::string(GRADSCOPE_SHOT_DIR) + "/chinese_negative_sqrt.json";
  fs::create_directories(GRADSCOPE_SHOT_DIR);
  std::ofstream(path) << R"json({"format": "gradscope-graph", "version": 1, "expression": "y = sqrt(x)", "values": {"x": -2}})json";
  return path;
}

bool chinese_text_shown(const json& d, const std::string& part) {
  for (const json& t : d["visible_text"])
    if (t.get<std::string>().find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST(ScreenshotChinese, EngineMessagesReadInChinese) {
  auto shot = take("chinese_messages_1024", "--lang zh --graph '" + negative_sqrt_file() + "' --expression 'f = sinn(x)' --steps forward:2",
                   "1024x768");
  if (!shot) GTEST_SKIP() << "no xvfb-run and no DISPLAY";
  const json& d = shot->drawn;
  ASSERT_FALSE(d.is_null());
  EXPECT_EQ(d["language"], "zh");
  EXPECT_TRUE(chinese_text_shown(d, "第 5 列：未知函数“sinn”（是不是“sin”？）")) << d["visible_text"].dump(1);
  const json* y = node(d, "v2");
  ASSERT_NE(y, nullptr);
  EXPECT_TRUE(has_text(*y, "⚠ 负数的平方根")) << (*y)["texts"].dump();
  const json* fwd = table(d, "forward");
  ASSERT_NE(fwd, nullptr);
  bool noted = false;
  for (const json& r : (*fwd)["rows"]) noted = noted || r.get<std::string>().find("负数的平方根") != std::string::npos;
  EXPECT_TRUE(noted) << (*fwd)["rows"].dump(1);
}
