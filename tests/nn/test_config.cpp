// Tests of the training config as typed parts (src/nn/config.h): read once, written back by
// to_json and read again to the same config; the model's shapes checked without building it; the
// presets as files in assets/presets/, found through the one assets lookup (src/nn/assets.h).
#include "nn/assets.h"
#include "nn/config.h"
#include "nn/errors.h"
#include "nn/trainer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace gs::nn {
namespace {

namespace fs = std::filesystem;

TEST(Config, EveryPresetRoundTripsThroughToJson) {
  const std::vector<std::string> names = preset_names();
  for (const char* expected : {"spiral", "moons", "circles", "xor", "blobs", "fashion-mlp", "fashion-lenet"})
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    const TrainConfig c = parse_config(preset(name));
    EXPECT_EQ(c.name, name);
    EXPECT_FALSE(c.description.empty()) << "a preset says what it trains";
    const TrainConfig back = parse_config(to_json(c));
    EXPECT_EQ(to_json(back), to_json(c));
    EXPECT_TRUE(back.data == c.data);
    EXPECT_TRUE(back.model == c.model);
    EXPECT_EQ(back.schedule.has_value(), c.schedule.has_value());
  }
}

TEST(Config, PartsAreTypedAndTheModelIsCheckedWithoutBuildingIt) {
  const TrainConfig c = parse_config(preset("fashion-lenet"));
  EXPECT_EQ(c.data.kind, DataKind::FashionMnist);
  EXPECT_EQ(c.data.normalize, Normalize::Global);
  EXPECT_EQ(c.model.input, (Shape{1, 28, 28}));
  ASSERT_EQ(c.model.layers.size(), 12u);
  EXPECT_EQ(c.model.layers[7].kind, LayerKind::Linear);
  EXPECT_EQ(c.model.layers[7].in, 400) << "inferred from the shape the layer follows";
  EXPECT_EQ(c.model.shapes[5], (Shape{16, 5, 5}));
  EXPECT_EQ(c.model.outputs(), 10);
  ASSERT_TRUE(c.schedule.has_value());
  EXPECT_EQ(c.schedule->spec.name, "step");
  EXPECT_FALSE(c.schedule->per_batch);
  // The model built from the spec has the spec's shapes.
  const Model<float> m = Model<float>::build(c.model);
  EXPECT_EQ(m.shapes(), c.model.shapes);
  EXPECT_EQ(m.layer(7).describe(), "Linear(400,120)");
}

TEST(Config, DataSpecsRoundTripForEveryKind) {
  for (const nlohmann::json& j :
       {nlohmann::json{{"name", "blobs"}, {"classes", 4}, {"noise", 0.5}, {"seed", 3}, {"test_fraction", 0.25}},
        nlohmann::json{{"name", "xor"}},
        nlohmann::json{{"name", "idx"}, {"train_images", "a.gz"}, {"train_labels", "b.gz"}, {"train_limit", 10}},
        nlohmann::json{{"name", "csv"}, {"path", "d.csv"}, {"label", 2}, {"normalize", "standard"}}}) {
    SCOPED_TRACE(j.dump());
    const DataSpec d = parse_data_spec(j);
    EXPECT_TRUE(parse_data_spec(to_json(d)) == d);
  }
  EXPECT_EQ(parse_data_spec({{"name", "moons"}}).classes, 2);
  EXPECT_EQ(parse_data_spec({{"name", "blobs"}}).noise, 1.0);
  EXPECT_EQ(parse_data_spec({{"name", "csv"}, {"path", "d.csv"}, {"label", 2}}).label, "2");
}

TEST(Config, UnknownPresetsAreNamedWithASuggestion) {
  try {
    preset("spirl");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown preset 'spirl' (did you mean 'spiral'?)"), std::string::npos) << e.what();
  }
}

// Sets an environment variable for one scope.
struct ScopedEnv {
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_.empty()) unsetenv(name_);
    else setenv(name_, old_.c_str(), 1);
  }
  const char* name_;
  std::string old_;
};

TEST(Assets, TheEnvironmentOverridesTheBuildTree) {
  EXPECT_TRUE(fs::is_regular_file(asset_path("presets/spiral.json"))) << assets_dir();
  const fs::path dir = fs::path(::testing::TempDir()) / "gradscope_assets_override";
  fs::create_directories(dir / "presets");
  std::ofstream(dir / "presets" / "tiny.json") << preset("xor").dump();
  {
    ScopedEnv env("GRADSCOPE_ASSETS", dir.string());
    EXPECT_EQ(assets_dir(), dir.string());
    EXPECT_EQ(preset_names(), std::vector<std::string>{"tiny"});
    EXPECT_EQ(parse_config(preset("tiny")).name, "xor");
  }
  {
    ScopedEnv env("GRADSCOPE_ASSETS", (dir / "nowhere").string());
    EXPECT_THROW(assets_dir(), InputError);
  }
  EXPECT_NE(assets_dir(), dir.string());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gs::nn
