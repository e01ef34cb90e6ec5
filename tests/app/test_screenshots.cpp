// Screenshot tests: `gradscope --screenshot` under xvfb-run (or on the current display), then
// checks of what a person would see, read from the JSON the program writes beside the PNG (the
// highlighted node, the numbers on the nodes, the table rows, the language, the error).
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

bool on_path(const char* tool) {
  return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0;
}

struct Shot {
  json drawn;
  int width = 0, height = 0;
  std::uintmax_t png_bytes = 0;
};

// Width and height from the PNG's IHDR chunk.
bool png_size(const std::string& path, int* w, int* h) {
  std::ifstream in(path, std::ios::binary);
  unsigned char b[24] = {};
  if (!in.read(reinterpret_cast<char*>(b), sizeof b) || b[1] != 'P' || b[2] != 'N' || b[3] != 'G') return false;
  *w = (b[16] << 24) | (b[17] << 16) | (b[18] << 8) | b[19];
  *h = (b[20] << 24) | (b[21] << 16) | (b[22] << 8) | b[23];
  return true;
}

// Runs the program; nullopt (and the test is skipped) when there is no display to be had.
std::optional<Shot> take(const std::string& name, const std::string& args) {
  std::string launcher;
  if (on_path("xvfb-run")) launcher = "xvfb-run -a -s '-screen 0 1920x1200x24' ";
  else if (!std::getenv("DISPLAY")) return std::nullopt;
  fs::create_directories(GRADSCOPE_SHOT_DIR);
  const std::string png = std::string(GRADSCOPE_SHOT_DIR) + "/" + name + ".png";
  const std::string js = std::string(GRADSCOPE_SHOT_DIR) + "/" + name + ".json";
  fs::remove(png);
  fs::remove(js);
  const std::string cmd = launcher + "'" + GRADSCOPE_APP + "' --screenshot '" + png + "' --size 1600x900 " + args;
  const int rc = std::system(cmd.c_str());
  EXPECT_EQ(rc, 0) << cmd;
  Shot s;
  EXPECT_TRUE(png_size(png, &s.width, &s.height)) << "no PNG written by: " << cmd;
  std::ifstream in(js);
  EXPECT_TRUE(in.good()) << "no JSON written by: " << cmd;
  if (!in.good()) return s;
  s.drawn = json::parse(in);
  s.png_bytes = fs::file_size(png);
  return s;
}

const json* node(const json& drawn, const std::string& label) {
  for (const json& n : drawn["nodes"])
    if (n["label"] == label) return &n;
  return nullptr;
}

bool has_text(const json& n, const std::string& text) {
  for (const json& t : n["texts"])
    if (t.get<std::string>().find(text) != std::string::npos) return true;
  return false;
}

const json* table(const json& drawn, const std::string& name) {
  for (const json& t : drawn["tables"])
    if (t["name"] == name) return &t;
  return nullptr;
}

#define TAKE_OR_SKIP(var, name, args)                                 \
  auto var##_opt = take(name, args);                                  \
  if (!var##_opt) GTEST_SKIP() << "no xvfb-run and no DISPLAY";       \
  const json& var = var##_opt->drawn;                                 \
  ASSERT_FALSE(var.is_null())

}  // namespace

TEST(Screenshot, DefaultExampleAtStepZeroShowsTheGraphWithoutNumbers) {
  TAKE_OR_SKIP(d, "seed004_step0", "");
  EXPECT_EQ(d_opt->width, 1600);
  EXPECT_EQ(d_opt->height, 900);
  EXPECT_GT(d_opt->png_bytes, 20000u);  // a drawn window, not a blank one
  EXPECT_EQ(d["mode"], "forward");
  EXPECT_EQ(d["step"], 0);
  EXPECT_EQ(d["step_count"], 7);
  EXPECT_EQ(d["highlighted_node"], "");
  EXPECT_EQ(d["nodes"].size(), 7u);
  const json* v3 = node(d, "v3");
  ASSERT_NE(v3, nullptr);
  EXPECT_EQ((*v3)["title"], "v3 = ln v1");
  EXPECT_TRUE((*v3)["texts"].empty());  // nothing computed yet
  const json* fwd = table(d, "forward");
  ASSERT_NE(fwd, nullptr);
  EXPECT_EQ((*fwd)["rows"].size(), 7u);
  EXPECT_EQ((*fwd)["rows"][2], "v3 = ln v1");
  EXPECT_EQ((*fwd)["highlighted_row"], -1);
}

TEST(Screenshot, FourForwardStepsHighlightV4AndItsRow) {
  TAKE_OR_SKIP(d, "seed004_forward4", "--steps forward:4");
  EXPECT_EQ(d["highlighted_node"], "v4");
  const json* v4 = node(d, "v4");
  ASSERT_NE(v4, nullptr);
  EXPECT_TRUE((*v4)["highlighted"]);
  EXPECT_TRUE(has_text(*v4, "= 10"));
  EXPECT_TRUE(has_text(*node(d, "v3"), "= 0.69315"));
  EXPECT_TRUE((*node(d, "v5"))["texts"].empty());  // v5 comes next
  const json* fwd = table(d, "forward");
  ASSERT_NE(fwd, nullptr);
  EXPECT_EQ((*fwd)["highlighted_row"], 3);
  EXPECT_EQ((*fwd)["highlighted_text"], "v4 = v1·v2 = 2·5 = 10");
  EXPECT_EQ((*fwd)["rows"][2], "v3 = ln v1 = ln 2 = 0.69315");
}

TEST(Screenshot, FourReverseStepsPutPartialAdjointsOnLinks) {
  TAKE_OR_SKIP(d, "seed004_reverse4", "--steps reverse:4");
  EXPECT_EQ(d["mode"], "reverse");
  EXPECT_EQ(d["highlighted_node"], "v4");
  EXPECT_TRUE(has_text(*node(d, "v4"), "v̄4 = 1"));
  EXPECT_TRUE(has_text(*node(d, "v7"), "= 11.652"));  // forward values all shown
  EXPECT_FALSE(has_text(*node(d, "v1"), "v̄1"));      // not reached yet
  int labelled = 0;
  for (const json& l : d["links"]) {
    if (l["from"] == "v6" && l["to"] == "v7") EXPECT_EQ(l["label"], "v̄₆→₇ = 1");
    if (l["from"] == "v1" && l["to"] == "v3") EXPECT_EQ(l["label"], "");  // v3's step is later
    if (!l["label"].get<std::string>().empty()) ++labelled;
  }
  EXPECT_EQ(labelled, 7);  // sent by v7 (2), v6 (2), v5 (1) and v4 (2)
  const json* rev = table(d, "reverse");
  ASSERT_NE(rev, nullptr);
  EXPECT_EQ((*rev)["highlighted_row"], 3);
}

TEST(Screenshot, FullReverseShowsTheAccumulationAtTheFanOut) {
  TAKE_OR_SKIP(d, "seed004_reverse7", "--steps reverse:7");
  EXPECT_EQ(d["highlighted_node"], "v1");
  EXPECT_TRUE(has_text(*node(d, "v1"), "v̄1 = 5.5"));
  EXPECT_TRUE(has_text(*node(d, "v2"), "v̄2 = 1.7163"));
  EXPECT_TRUE(has_text(*node(d, "v1"), "✓"));  // gradient check passed
  const json* rev = table(d, "reverse");
  ASSERT_NE(rev, nullptr);
  EXPECT_EQ((*rev)["highlighted_text"], "v̄1 = v̄4·v2 + v̄3·(1/v1) = 1·5 + 1·(1/2) = 5 + 0.5 = 5.5");
}

TEST(Screenshot, ChineseInterface) {
  TAKE_OR_SKIP(d, "seed004_zh", "--lang zh --steps forward:3");
  EXPECT_EQ(d["language"], "zh");
  ASSERT_FALSE(d["visible_text"].empty());
  EXPECT_EQ(d["visible_text"][0], "前向：第 3 步，共 7 步");
  EXPECT_EQ(d["highlighted_node"], "v3");
}

TEST(Screenshot, TensorExampleShowsShapesAndHeatmaps) {
  TAKE_OR_SKIP(d, "matmul_forward", "--example matmul --steps forward:99");
  int heatmaps = 0;
  bool shape_shown = false;
  for (const json& n : d["nodes"]) {
    heatmaps += n["heatmap"].get<bool>();
    for (const json& t : n["texts"]) shape_shown |= t.get<std::string>().find("×") != std::string::npos;
  }
  EXPECT_GE(heatmaps, 2);
  EXPECT_TRUE(shape_shown);
  EXPECT_EQ(d["error"], "");
}

TEST(Screenshot, ExpressionErrorShowsTheColumnAndKeepsTheGraph) {
  TAKE_OR_SKIP(d, "error_state", "--expression 'ln(x1) + sine(x2)'");
  EXPECT_EQ(d["error_column"], 10);
  EXPECT_NE(d["error"].get<std::string>().find("sine"), std::string::npos);
  EXPECT_EQ(d["expression"], "ln(x1) + sine(x2)");
  EXPECT_EQ(d["nodes"].size(), 7u);  // the seed 004 graph is still there
}

TEST(Screenshot, NonFiniteValueIsMarkedWhereItAppears) {
  TAKE_OR_SKIP(d, "nan_state", "--expression 'exp(ln(x1 - 3))' --steps forward:9");
  bool marked = false;
  for (const json& n : d["nodes"])
    if (!n["problem"].get<std::string>().empty()) {
      marked = true;
      EXPECT_NE(n["title"].get<std::string>().find("ln"), std::string::npos) << n.dump();
    }
  EXPECT_TRUE(marked);
}

TEST(Screenshot, SingleViewAndBadArguments) {
  TAKE_OR_SKIP(d, "traces_only", "--view traces --steps reverse:2");
  EXPECT_EQ(d["view"], "traces");
  EXPECT_TRUE(d["nodes"].empty());
  ASSERT_NE(table(d, "reverse"), nullptr);
  // A bad argument: exit status 2 and one line, no window.
  const int rc = std::system((std::string("'") + GRADSCOPE_APP + "' --steps sideways:3 2>/dev/null").c_str());
  EXPECT_EQ(WEXITSTATUS(rc), 2);
}
