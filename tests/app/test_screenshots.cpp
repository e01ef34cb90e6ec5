// Screenshot tests: `gradscope --screenshot` under xvfb-run (or on the current display), then
// checks of what a person would see, read from the JSON the program writes beside the PNG (the
// highlighted node, the numbers on the nodes, the table rows, the language, the error).
#include "screenshot.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

using nlohmann::json;
using namespace gs::app::testing;

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
    if (l["from"] == "v6" && l["to"] == "v7") { EXPECT_EQ(l["label"], "v̄₆→₇ = 1"); }
    if (l["from"] == "v1" && l["to"] == "v3") { EXPECT_EQ(l["label"], ""); }  // v3's step is later
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

TEST(Screenshot, RecordNamesThePageAndViewAndUnknownViewsAreRefused) {
  TAKE_OR_SKIP(d, "graph_page_canvas", "--view graph --steps forward:2");
  EXPECT_EQ(d["page"], "graph");
  EXPECT_EQ(d["view"], "graph");  // the canvas alone, with the toolbar
  EXPECT_EQ(d["nodes"].size(), 7u);
  EXPECT_TRUE(d["tables"].empty());
  if (!d["tabs"].empty()) {
    EXPECT_EQ(d["tabs"][0], "Graph");  // tabs appear once a second page exists
  }
  // An unknown view: exit status 2 and one line that lists the names there are, no window.
  const std::string err = std::string(GRADSCOPE_SHOT_DIR) + "/bad_view.txt";
  const int rc = std::system((std::string("'") + GRADSCOPE_APP + "' --view nonsense --screenshot /dev/null 2>'" + err + "'").c_str());
  EXPECT_EQ(WEXITSTATUS(rc), 2);
  std::ifstream in(err);
  std::string line;
  std::getline(in, line);
  EXPECT_NE(line.find("--view 'nonsense'"), std::string::npos) << line;
  EXPECT_NE(line.find("lab, graph, traces, inspector"), std::string::npos) << line;
}

namespace {
// Every drawn node's rect and every drawn label's label_rect, named, as [x0, y0, x1, y1].
std::vector<std::pair<std::string, json>> drawn_boxes(const json& d) {
  std::vector<std::pair<std::string, json>> out;
  for (const json& n : d["nodes"]) out.emplace_back(n["title"].get<std::string>(), n["rect"]);
  for (const json& l : d["links"])
    if (!l["label_rect"].is_null()) out.emplace_back(l["label"].get<std::string>(), l["label_rect"]);
  return out;
}
}  // namespace

TEST(Screenshot, NoNodeOrPartialAdjointLabelCoversAnother) {
  for (const auto& [example, size] : {std::pair{"seed004", "1600x900"}, std::pair{"seed004", "1024x768"},
                                      std::pair{"sigmoid_neuron", "1600x900"}, std::pair{"one_hidden_l2", "1024x768"}}) {
    const std::string name = std::string("boxes_") + example + "_" + size;
    auto shot = take(name, std::string("--example ") + example + " --steps reverse:99", size);
    if (!shot) GTEST_SKIP() << "no xvfb-run and no DISPLAY";
    const auto boxes = drawn_boxes(shot->drawn);
    int labels = 0;
    for (const json& l : shot->drawn["links"]) labels += !l["label_rect"].is_null();
    EXPECT_GE(labels, 7) << name;  // every partial adjoint is on screen, each with its box
    for (std::size_t i = 0; i < boxes.size(); ++i) {
      const json& a = boxes[i].second;
      ASSERT_EQ(a.size(), 4u);
      EXPECT_LT(a[0].get<double>(), a[2].get<double>()) << boxes[i].first;
      EXPECT_LT(a[1].get<double>(), a[3].get<double>()) << boxes[i].first;
      for (std::size_t j = i + 1; j < boxes.size(); ++j) {
        const json& b = boxes[j].second;
        const bool overlap = a[0].get<double>() < b[2].get<double>() - 0.5 && b[0].get<double>() < a[2].get<double>() - 0.5 &&
                             a[1].get<double>() < b[3].get<double>() - 0.5 && b[1].get<double>() < a[3].get<double>() - 0.5;
        EXPECT_FALSE(overlap) << name << ": '" << boxes[i].first << "' " << a.dump() << " and '" << boxes[j].first << "' " << b.dump();
      }
    }
  }
}
