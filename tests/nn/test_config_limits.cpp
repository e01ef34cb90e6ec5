// Integers read into the type they are used as, and sizes refused before anything is allocated
// (issue 10, "silently wrong integers" and "allocation before validation"): every config integer
// beyond its type or its stated limit is one InputError naming the field and the limit, and the
// whole range of each type is accepted. A NUL byte from a file does not cut a message short.
#include "nn/config.h"
#include "nn/errors.h"
#include "nn/schedule_spec.h"
#include "nn/trainer.h"

#include <gtest/gtest.h>

#include <string>

namespace gs::nn {
namespace {

std::string config_error(const nlohmann::json& config) {
  try {
    parse_config(config);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

nlohmann::json with(const std::string& key, const nlohmann::json& value) {
  nlohmann::json c = preset("spiral");
  c[key] = value;
  return c;
}

TEST(ConfigLimits, RunIntegersAreRefusedBeyondTheirTypeNamingTheLimit) {
  // The examples: 2^31 epochs were cut to 0 (0 epochs trained, exit 0); a batch size of
  // 2^32 + 1 was cut to 1.
  EXPECT_EQ(config_error(with("epochs", 2147483648LL)), "config: epochs must be an integer from 1 to 2147483647, got 2147483648");
  EXPECT_EQ(config_error(with("batch_size", 4294967297LL)),
            "config: batch_size must be an integer from 1 to 2147483647, got 4294967297");
  EXPECT_EQ(config_error(with("epochs", 0)), "config: epochs must be an integer from 1 to 2147483647, got 0");
  EXPECT_EQ(config_error(with("epochs", 2.5)), "config: epochs must be an integer from 1 to 2147483647, got 2.5");
  EXPECT_EQ(config_error(with("epochs", 18446744073709551615ULL)),
            "config: epochs must be an integer from 1 to 2147483647, got 18446744073709551615");
  EXPECT_EQ(config_error(with("threads", 65)), "config: threads must be an integer from 1 to 64, got 65");
  EXPECT_EQ(config_error(with("threads", 4294967297LL)), "config: threads must be an integer from 1 to 64, got 4294967297");
  // Without a schedule (whose whole length is checked: at most 10^7 steps) every int is accepted.
  nlohmann::json constant = with("epochs", 2147483647);
  constant["schedule"] = nullptr;
  EXPECT_EQ(parse_config(constant).epochs, 2147483647);
  EXPECT_EQ(config_error(with("epochs", 10000001)).rfind("config: a schedule is checked over at most 10000000 epochs; epochs is 10000001", 0), 0u)
      << config_error(with("epochs", 10000001));
  EXPECT_EQ(parse_config(with("batch_size", 2147483647)).batch_size, 2147483647);
}

TEST(ConfigLimits, SeedsTakeTheWhole64BitRangeAndNothingBeyond) {
  // Seeds above 2^63 − 1 were read as negative numbers; now every uint64 seed is itself.
  const TrainConfig c = parse_config(with("seed", 18446744073709551615ULL));
  EXPECT_EQ(c.seed, 18446744073709551615ULL);
  EXPECT_EQ(parse_config(to_json(c)).seed, c.seed) << "written back and read again";
  EXPECT_EQ(config_error(with("seed", -1)), "config: seed must be an integer from 0 to 18446744073709551615, got -1");
  EXPECT_EQ(config_error(with("seed", nlohmann::json::parse("18446744073709551616"))).rfind(
                "config: seed must be an integer from 0 to 18446744073709551615, got 1.8446744073709552e+19", 0),
            0u);
  nlohmann::json data = preset("spiral")["data"];
  data["seed"] = 9223372036854775808ULL;
  nlohmann::json config = preset("spiral");
  config["data"] = data;
  EXPECT_EQ(parse_config(config).data.seed, 9223372036854775808ULL);
}

TEST(ConfigLimits, DataAndModelSizesAreRefusedBeforeAnythingIsAllocated) {
  nlohmann::json c = preset("spiral");
  c["data"]["size"] = 1000000000;
  EXPECT_EQ(config_error(c), "data: size must be an integer from 1 to 1000000, got 1000000000");
  c = preset("spiral");
  c["data"]["classes"] = 2147483648LL;
  EXPECT_EQ(config_error(c), "data: classes must be an integer from 2 to 65536, got 2147483648");

  // A layer width of 10^12 was std::bad_alloc when the model was built.
  c = preset("spiral");
  c["model"]["layers"][0]["out"] = 1000000000000LL;
  EXPECT_EQ(config_error(c).rfind("model: layer 1 Linear(2,1000000000000) gives 1e+12 values per sample; at most 16777216",
                              0),
            0u)
      << config_error(c);
  c = preset("spiral");
  c["model"]["layers"][0]["out"] = 10000000;  // 10^7 outputs fit a sample, but 10^14 weights follow
  const std::string e = config_error(c);
  EXPECT_NE(e.find("parameters; at most 100000000"), std::string::npos) << e;
  EXPECT_EQ(e.rfind("model: layer 3 ", 0), 0u) << e;
  c = preset("spiral");
  c["model"]["input"] = {100000, 100000, 100000};
  EXPECT_EQ(config_error(c).rfind("model: input has 1e+15 values per sample; at most 16777216", 0), 0u) << config_error(c);
}

// A per-batch schedule is stepped an int number of times: a run longer than the schedule's limit
// is refused by name rather than wrapped to a negative step count.
TEST(ConfigLimits, APerBatchScheduleLongerThanItsLimitIsRefused) {
  nlohmann::json c = preset("spiral");
  c["epochs"] = 5000000;  // 10 batches each: 5 × 10^7 steps
  c["schedule"] = {{"name", "step"}, {"step_size", 1000}, {"gamma", 0.5}};
  c["schedule_step"] = "batch";
  try {
    TrainingRun run(parse_config(c));
    ADD_FAILURE() << "accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("config: a schedule stepped per batch runs at most 10000000 steps; this run has ", 0), 0u)
        << e.what();
  }
}

// what() is a C string: a NUL byte from a file ended the message there ("unknown loss 'x").
TEST(ConfigLimits, ANulByteFromAFileDoesNotCutTheMessage) {
  EXPECT_EQ(config_error(with("loss", std::string("x\0y", 3))),
            "config: loss: unknown loss 'x\\x00y' (known: cross_entropy, mse, hinge)");
}

}  // namespace
}  // namespace gs::nn

namespace gs::nn {
namespace {

// A JSON number beyond a double's range (1e999) is not a parse error to nlohmann's parser but an
// out_of_range exception, which escaped every reader of config, checkpoint, schedule-list and
// lesson text (found by fuzz_schedule_list: `error: [json.exception.out_of_range.406] …`, naming no
// file; uncaught where only InputError was expected). It is a clear message with the place now.
TEST(ConfigLimits, ANumberBeyondADoublesRangeIsNamedWithItsPlace) {
  try {
    parse_json_text("{\n  \"name\": 1e999\n}", "big.json");
    FAIL() << "1e999 was read";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("big.json: not valid JSON at line 2, column 11"), std::string::npos) << m;
    EXPECT_NE(m.find("'1e999'"), std::string::npos) << m;
    EXPECT_NE(m.find("beyond the range of a double"), std::string::npos) << m;
  }
  EXPECT_THROW(read_schedule_list(" 0.12e22222221229018982222212", "list"), InputError);  // the fuzzer's input
}

}  // namespace
}  // namespace gs::nn
