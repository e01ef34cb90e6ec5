// Tests of gradscope's JSON conventions apart from graph files (src/engine/json_text.h): numbers
// at full precision with NaN and infinities as strings, tensors as nested lists, the readable
// layout of any JSON, and clean error text.
#include "engine/json_text.h"

#include <gtest/gtest.h>

#include <cmath>

namespace gs {
namespace {

TEST(JsonText, NumbersAndTensors) {
  EXPECT_EQ(number_to_json(0.1).dump(), "0.1");
  EXPECT_EQ(number_to_json(std::log(2.0)).dump(), "0.6931471805599453");
  EXPECT_EQ(number_to_json(NAN), "nan");
  EXPECT_EQ(number_to_json(-INFINITY), "-inf");
  const TensorD t = TensorD::from(Shape{2, 2}, {1, 2, INFINITY, 4});
  EXPECT_EQ(tensor_to_json(t).dump(), "[[1.0,2.0],[\"inf\",4.0]]");
  const TensorD back = tensor_from_json(tensor_to_json(t), "t");
  EXPECT_EQ(back.shape(), t.shape());
  EXPECT_TRUE(std::isinf(back[2]));
  try {
    tensor_from_json(nlohmann::json::parse("[1, \"two\"]"), "values.x");
    FAIL() << "no error";
  } catch (const FileError& e) {
    EXPECT_EQ(std::string(e.what()), "values.x row 2: expected a number (or \"nan\", \"inf\", \"-inf\"), found the string \"two\"");
  }
  EXPECT_EQ(describe_json(nlohmann::json::array()), "a list");
}

TEST(JsonText, LayoutKeepsInsertionOrderAndShortThingsOnOneLine) {
  nlohmann::ordered_json j;
  j["zeta"] = 1;
  j["alpha"] = {1, 2, 3};
  j["step"] = {{"node", "v1"}, {"value", 2.5}};
  EXPECT_EQ(pretty_json(j), R"({"zeta": 1, "alpha": [1, 2, 3], "step": {"node": "v1", "value": 2.5}})");
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (int i = 0; i < 30; ++i) rows.push_back({{"step", i}, {"line", "v" + std::to_string(i) + " = something long"}});
  const std::string text = pretty_json(nlohmann::ordered_json{{"rows", rows}});
  EXPECT_EQ(text.rfind("{\n  \"rows\": [\n    {\"step\": 0, \"line\": \"v0 = something long\"},\n", 0), 0u) << text;
}

TEST(JsonText, ErrorTextHasNoPrefixAndNoRawBytes) {
  EXPECT_EQ(clean_json_message("[json.exception.parse_error.101] parse error at line 1"), "parse error at line 1");
  EXPECT_EQ(clean_json_message("bad \x01 byte"), "bad \\x01 byte");
}

}  // namespace
}  // namespace gs
