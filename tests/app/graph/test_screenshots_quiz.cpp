// Screenshot tests of issue 9's lessons: predict the adjoint (--quiz, --answer) and lesson files
// (--lesson), in the lab and in presentation mode, through the frame record.
#include "../screenshot.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sys/wait.h>
#include <string>

using nlohmann::json;
using namespace gs::app::testing;

namespace {

// The source tree's shipped lessons.
std::string shipped_lesson_path(const std::string& name) {
  return (fs::path(__FILE__).parent_path() / "../../../assets/lessons" / (name + ".json")).lexically_normal().string();
}

bool rect_within(const json& r, float x0, float y0, float x1, float y1) {
  return r[0].get<float>() >= x0 && r[1].get<float>() >= y0 && r[2].get<float>() <= x1 && r[3].get<float>() <= y1;
}

bool rects_overlap(const json& a, const json& b) {
  return a[0].get<float>() < b[2].get<float>() && b[0].get<float>() < a[2].get<float>() && a[1].get<float>() < b[3].get<float>() &&
         b[1].get<float>() < a[3].get<float>();
}

}  // namespace

// TAKE_OR_SKIP at a given size (the projector's 1024×768).
#define QUIZ_SHOT_AT(var, name, args, size)                     \
  auto var##_opt = take(name, args, size);                      \
  if (!var##_opt) GTEST_SKIP() << "no xvfb-run and no DISPLAY"; \
  const json& var = var##_opt->drawn;                           \
  ASSERT_FALSE(var.is_null())

// Seed 004 mid-reverse: v̄2 answered right, v̄1 wrong; the row is revealed with its terms.
TEST(ScreenshotQuiz, RightThenWrongMidReverseWithTheScore) {
  TAKE_OR_SKIP(d, "quiz_reverse_1600", "--quiz --steps reverse:5 --answer 1.72 --answer 5");
  ASSERT_TRUE(d.contains("quiz"));
  const json& q = d["quiz"];
  EXPECT_EQ(d["mode"], "reverse");
  EXPECT_EQ(d["step"], 7) << "both rows revealed";
  EXPECT_EQ(q["verdict"], "wrong");
  EXPECT_EQ(q["score"], "Score 1/2");
  EXPECT_EQ(q["message"], "Not quite: you said 5, but v̄1 = 5.5: off by 0.5 (right within ±0.055)");
  EXPECT_TRUE(shows_text(d, "Reverse step 7 of 7"));
  EXPECT_EQ(d["banner"]["row"], "v̄1 = v̄4·v2 + v̄3·(1/v1) = 1·5 + 1·(1/2) = 5 + 0.5 = 5.5") << "the row and its chain-rule terms";
  const json* rev = table(d, "reverse");
  ASSERT_NE(rev, nullptr);
  EXPECT_EQ(rev->at("highlighted_row"), 6);
  EXPECT_FALSE(rects_overlap(q["message_rect"], d["canvas"]["rect"])) << "the verdict is not under the graph";
}

// The next row stays hidden while it is asked: the table shows five reverse rows and asks v̄2.
TEST(ScreenshotQuiz, TheAskedRowIsHiddenUntilAnswered) {
  QUIZ_SHOT_AT(d, "quiz_asking_1024", "--quiz --steps reverse:5", "1024x768");
  const json& q = d["quiz"];
  EXPECT_EQ(q["asking"], "v̄2");
  EXPECT_EQ(q["question"], "Predict v̄2 = v̄5·cos v2 + v̄4·v1");
  EXPECT_EQ(q["score"], "Score 0/0");
  const json* rev = table(d, "reverse");
  ASSERT_NE(rev, nullptr);
  for (const json& row : rev->at("rows")) EXPECT_EQ(row.get<std::string>().find("1.7163"), std::string::npos) << "v̄2 is not shown yet";
  const json* v2 = node(d, "v2");
  ASSERT_NE(v2, nullptr);
  EXPECT_FALSE(has_text(*v2, "1.7163"));
  EXPECT_TRUE(rect_within(q["field_rect"], 0, 0, 1024, 768));
}

// A typo: named, nothing counted, nothing revealed, the text kept in the field.
TEST(ScreenshotQuiz, ATypoIsNamedAndKept) {
  QUIZ_SHOT_AT(d, "quiz_typo_1024", "--quiz --steps reverse:5 --answer 1,72", "1024x768");
  const json& q = d["quiz"];
  EXPECT_EQ(d["step"], 5);
  EXPECT_EQ(q["verdict"], "not_a_number");
  EXPECT_EQ(q["draft"], "1,72");
  EXPECT_EQ(q["score"], "Score 0/0");
  EXPECT_NE(q["message"].get<std::string>().find("\"1,72\" is not a number"), std::string::npos);
  EXPECT_NE(q["message"].get<std::string>().find("1.72?"), std::string::npos);
}

// Presentation mode at the projector's size: the question, the field and the verdict in view,
// under the banner and above the graph.
TEST(ScreenshotQuiz, PresentationModeAsksToo) {
  QUIZ_SHOT_AT(d, "quiz_present_1024", "--present --quiz --steps reverse:5 --answer 1.7", "1024x768");
  EXPECT_TRUE(d["presenting"].get<bool>());
  const json& q = d["quiz"];
  EXPECT_EQ(q["asking"], "v̄1");
  EXPECT_EQ(q["verdict"], "right");
  EXPECT_TRUE(rect_within(q["field_rect"], 0, 0, 1024, 768));
  EXPECT_TRUE(rect_within(q["message_rect"], 0, 0, 1024, 768));
  EXPECT_LE(q["message_rect"][3].get<float>(), d["canvas"]["rect"][1].get<float>()) << "above the graph";
  EXPECT_GE(d["banner"]["rect"][3].get<float>(), 0.0f);
  EXPECT_LE(d["banner"]["rect"][3].get<float>(), q["field_rect"][1].get<float>()) << "under the banner";
}

// A lesson file's note goes with the step banner, in English and in Chinese, in the lab and in
// presentation mode; its hidden controls are not drawn.
TEST(ScreenshotLessonFile, TheStepsNoteIsShownWithTheBanner) {
  TAKE_OR_SKIP(d, "lesson_seed004_1600", "--lesson '" + shipped_lesson_path("seed004") + "' --steps reverse:6");
  ASSERT_TRUE(d.contains("lesson_file"));
  const json& l = d["lesson_file"];
  EXPECT_EQ(l["at"], "reverse:6");
  EXPECT_NE(l["note"].get<std::string>().find("multivariate chain rule"), std::string::npos);
  EXPECT_EQ(l["hidden"], json::array({"expression"}));
  EXPECT_EQ(d["expression"], "") << "the expression bar is hidden";
  EXPECT_GT(l["note_rect"][1].get<float>(), d["banner"]["rect"][1].get<float>());
  EXPECT_LE(l["note_rect"][3].get<float>(), d["canvas"]["rect"][1].get<float>()) << "above the canvas, not over it";
}

TEST(ScreenshotLessonFile, ChineseNotesInPresentationMode) {
  QUIZ_SHOT_AT(d, "lesson_sigmoid_zh_present_1024",
               "--lang zh --present --lesson '" + shipped_lesson_path("sigmoid_neuron") + "' --steps reverse:7", "1024x768");
  const json& l = d["lesson_file"];
  EXPECT_EQ(l["at"], "reverse:7");
  EXPECT_NE(l["note"].get<std::string>().find("乘法门"), std::string::npos);
  EXPECT_TRUE(rect_within(l["note_rect"], 0, 0, 1024, 768));
  EXPECT_LE(l["note_rect"][3].get<float>(), d["canvas"]["rect"][1].get<float>());
}

// A malformed lesson on the command line: exit status 2 and one line naming the problem and where.
TEST(ScreenshotLessonFile, AMalformedLessonIsRefusedAtStart) {
  if (!on_path("xvfb-run") && !std::getenv("DISPLAY")) GTEST_SKIP() << "no xvfb-run and no DISPLAY";
  const fs::path bad = fs::path(GRADSCOPE_SHOT_DIR) / "lesson_deep.json";
  fs::create_directories(GRADSCOPE_SHOT_DIR);
  std::ofstream(bad) << "{\"format\": \"gradscope-lesson\", \"steps\": " << std::string(100000, '[') << std::string(100000, ']') << "}";
  const fs::path err = fs::path(GRADSCOPE_SHOT_DIR) / "lesson_deep.err";
  const std::string launcher = on_path("xvfb-run") ? "xvfb-run -a " : "";
  const std::string cmd = launcher + "'" + GRADSCOPE_APP + "' --screenshot '" + (fs::path(GRADSCOPE_SHOT_DIR) / "lesson_deep.png").string() +
                          "' --lesson '" + bad.string() + "' 2>'" + err.string() + "'";
  const int rc = std::system(cmd.c_str());
  EXPECT_EQ(WEXITSTATUS(rc), 2);
  std::ifstream in(err);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("nested deeper than 64 levels at line 1, column"), std::string::npos) << text;
}

// A lesson file's "hide": the inspector panel is not drawn (the tables take the side) and the
// record lists what is hidden.
TEST(ScreenshotLessonFile, HiddenControlsAreNotDrawn) {
  const fs::path file = fs::path(GRADSCOPE_SHOT_DIR) / "lesson_hides.json";
  fs::create_directories(GRADSCOPE_SHOT_DIR);
  std::ofstream(file) << R"J({"format": "gradscope-lesson", "version": 1, "title": "hides",
    "graph": {"expression": "y = ln(x1) + x1*x2 - sin(x2)", "values": {"x1": 2, "x2": 5}},
    "hide": ["expression", "play", "timeline", "tangent", "inspector"],
    "steps": [{"at": "forward:3", "note": "v3 is ln of v1"}]})J";
  TAKE_OR_SKIP(d, "lesson_hides_1600", "--lesson '" + file.string() + "' --steps forward:3 --select v3");
  EXPECT_EQ(d["lesson_file"]["hidden"], json::array({"expression", "play", "timeline", "tangent", "inspector"}));
  EXPECT_EQ(d["lesson_file"]["note"], "v3 is ln of v1");
  EXPECT_TRUE(d["inspector"].empty()) << "the inspector is hidden even with v3 selected";
  EXPECT_EQ(d["expression"], "");
  const json* fwd = table(d, "forward");
  ASSERT_NE(fwd, nullptr);
  EXPECT_GE(fwd->at("rect")[3].get<float>() - fwd->at("rect")[1].get<float>(), 600.0f) << "the tables take the inspector's place";
}
