// Lesson files: the shipped lessons load with a note for every step in both languages, every note
// is drawn with the step banner (frame record), malformed files are refused with the place named
// and leave the open graph as it was.
#include "app/base/fonts.h"
#include "app/graph/lesson_file.h"
#include "app/graph/page_graph.h"
#include "app/shell/pages.h"
#include "app/shell/workbench.h"
#include "app/graph/view_step_notes.h"

#include "../headless_imgui.h"
#include "step_notes_frame.h"

#include <gtest/gtest.h>
#include <imgui_internal.h>

#include <filesystem>
#include <fstream>

using namespace gs;
using namespace gs::app;

namespace {

std::string shipped_lesson(const std::string& name) { return (std::filesystem::path(lessons_dir()) / (name + ".json")).string(); }

// The message lesson_from_text throws for `text`, "" when it reads.
std::string lesson_error(const std::string& text) {
  try {
    lesson_from_text(text, "l.json");
  } catch (const FileError& e) {
    return e.what();
  }
  return "";
}

const std::string kLessonHead = R"J({"format": "gradscope-lesson", "version": 1, "graph": {"expression": "y = ln(x1) + x1*x2 - sin(x2)", "values": {"x1": 2, "x2": 5}}, )J";

std::string lesson_with_steps(const std::string& steps) { return kLessonHead + "\"steps\": " + steps + "}"; }

// The frame record's lesson_file entry with the interface in `lang`.
nlohmann::json drawn_note(Session& session, const LessonFile& file, Language lang) {
  set_language(lang);
  const FrameRecord record = draw_step_notes_once(session, &file, nullptr);
  set_language(Language::English);
  return record.lesson_file;
}

}  // namespace

TEST(LessonFile, ShippedLessonsHaveANoteForEveryStepInBothLanguages) {
  for (const char* name : {"seed004", "sigmoid_neuron"}) {
    const LessonFile l = load_lesson(shipped_lesson(name));
    EXPECT_FALSE(l.title.en.empty()) << name;
    EXPECT_FALSE(l.title.zh.empty()) << name;
    Session s;
    s.load(l.graph, "");
    const Lesson& lesson = s.lesson();
    ASSERT_TRUE(lesson.ready()) << name << ": " << lesson.problem();
    std::vector<Cursor> every;
    for (int k = 0; k <= lesson.row_count(StepMode::Forward); ++k) every.push_back({StepMode::Forward, k});
    for (int k = 1; k <= lesson.row_count(StepMode::Reverse); ++k) every.push_back({StepMode::Reverse, k});
    EXPECT_EQ(l.notes.size(), every.size()) << name;
    for (const Cursor c : every) {
      const LocalText* note = l.note_at(c);
      ASSERT_NE(note, nullptr) << name << " has no note at " << step_mode_name(c.mode) << ":" << c.step;
      EXPECT_FALSE(note->en.empty());
      EXPECT_FALSE(note->zh.empty());
      EXPECT_NE(note->en, note->zh) << "both languages written";
    }
  }
}

TEST(LessonFile, Seed004IsTheSeedsGraphWithItsNumbers) {
  const LessonFile l = load_lesson(shipped_lesson("seed004"));
  Session s;
  s.load(l.graph, "");
  s.lesson().run_backward();
  const auto& rows = s.lesson().reverse_rows();
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows.back().lhs, "v̄1");
  EXPECT_EQ(rows.back().value, "5.5");
  EXPECT_TRUE(l.hides(LessonControl::Expression));
  EXPECT_FALSE(l.hides(LessonControl::Inspector));
  // The seed's own words, in the seed's own language.
  EXPECT_NE(l.note_at({StepMode::Reverse, 6})->zh.find("多元链式法则"), std::string::npos);
  EXPECT_NE(l.note_at({StepMode::Reverse, 1})->zh.find("伴随变量"), std::string::npos);
}

TEST(LessonFile, EveryStepsNoteIsDrawnWithTheBanner) {
  const test_support::HeadlessImGui imgui(ImVec2(1024, 768));
  for (const char* name : {"seed004", "sigmoid_neuron"}) {
    const LessonFile l = load_lesson(shipped_lesson(name));
    Session s;
    s.load(l.graph, "");
    for (const LessonNote& n : l.notes) {
      if (n.at.mode == StepMode::Tangent) s.lesson().start_tangent();
      s.lesson().jump(n.at);
      ASSERT_EQ(s.lesson().cursor(), n.at);
      for (Language lang : {Language::English, Language::Chinese}) {
        const nlohmann::json rec = drawn_note(s, l, lang);
        ASSERT_FALSE(rec.is_null());
        EXPECT_EQ(rec["note"], n.text.in(lang)) << name << " at " << rec["at"];
        EXPECT_EQ(rec["at"], std::string(step_mode_name(n.at.mode)) + ":" + std::to_string(n.at.step));
        EXPECT_GT(rec["note_rect"][3].get<float>(), rec["note_rect"][1].get<float>());
      }
    }
  }
}

TEST(LessonFile, WritingAndReadingGiveTheSameLesson) {
  const LessonFile l = load_lesson(shipped_lesson("sigmoid_neuron"));
  const LessonFile again = lesson_from_text(lesson_text(l));
  EXPECT_EQ(again.title.en, l.title.en);
  EXPECT_EQ(again.title.zh, l.title.zh);
  EXPECT_EQ(again.hidden, l.hidden);
  EXPECT_EQ(again.graph.expression, l.graph.expression);
  ASSERT_EQ(again.notes.size(), l.notes.size());
  for (std::size_t i = 0; i < l.notes.size(); ++i) {
    EXPECT_EQ(again.notes[i].at, l.notes[i].at);
    EXPECT_EQ(again.notes[i].text.en, l.notes[i].text.en);
    EXPECT_EQ(again.notes[i].text.zh, l.notes[i].text.zh);
  }
}

TEST(LessonFile, ANoteInOneLanguageIsShownInBoth) {
  const LessonFile l = lesson_from_text(lesson_with_steps(R"J([{"at": "forward:3", "note": "ln of v1"}])J"));
  ASSERT_NE(l.note_at({StepMode::Forward, 3}), nullptr);
  EXPECT_EQ(l.note_at({StepMode::Forward, 3})->in(Language::Chinese), "ln of v1");
  EXPECT_EQ(l.note_at({StepMode::Forward, 2}), nullptr);
}

TEST(LessonFile, MalformedFilesAreRefusedWithThePlaceNamed) {
  // Not JSON: the line and column.
  EXPECT_EQ(lesson_error("{\n  \"format\": \"gradscope-lesson\",\n  \"version\": 1,,\n}").substr(0, 37),
            "l.json: not valid JSON at line 3, col");
  // Missing fields.
  EXPECT_EQ(lesson_error(R"J({"version": 1, "graph": {}, "steps": []})J"),
            "l.json: missing \"format\": \"gradscope-lesson\" (is this a gradscope lesson?)");
  EXPECT_EQ(lesson_error(R"J({"format": "gradscope-lesson", "version": 1, "steps": []})J"),
            "l.json: missing \"graph\" (the graph the lesson steps through)");
  EXPECT_EQ(lesson_error(kLessonHead.substr(0, kLessonHead.size() - 2) + "}"), "l.json: missing \"steps\" (a note per step)");
  EXPECT_EQ(lesson_error(lesson_with_steps(R"J([{"at": "forward:1", "note": "a"}, {"note": "b"}])J")),
            "l.json: steps[1]: missing \"at\" (the step: \"forward:K\", \"reverse:K\" or \"tangent:K\")");
  EXPECT_EQ(lesson_error(lesson_with_steps(R"J([{"at": "forward:1"}])J")), "l.json: steps[0]: missing \"note\"");
  // Wrong types.
  EXPECT_EQ(lesson_error(lesson_with_steps(R"J({"at": "forward:1"})J")), "l.json: steps: expected a list of steps, found an object");
  EXPECT_EQ(lesson_error(lesson_with_steps(R"J([{"at": 3, "note": "a"}])J")), "l.json: steps[0].at: expected a string, found the number 3");
  EXPECT_EQ(lesson_error(lesson_with_steps(R"J([{"at": "forward:1", "note": {"en": 5}}])J")),
            "l.json: steps[0].note.en: expected a string, found the number 5");
  EXPECT_EQ(lesson_error(lesson_with_steps(R"J([{"at": "forward:1", "note": ["a"]}])J")),
            "l.json: steps[0].note: expected a string or {\"en\": ..., \"zh\": ...}, found a list");
  EXPECT_EQ(lesson_error(kLessonHead + R"J("quiz": "yes", "steps": []})J"), "l.json: quiz: expected true or false, found the string \"yes\"");
  EXPECT_EQ(lesson_error(R"J({"format": "gradscope-lesson", "version": "1", "graph": {}, "steps": []})J"),
            "l.json: version: expected a whole number, found the string \"1\"");
  EXPECT_EQ(lesson_error("[1, 2]"), "l.json: expected a lesson object, found a list");
  // Values that are not what a lesson holds.
  EXPECT_EQ(lesson_error(lesson_with_steps(R"J([{"at": "backward:1", "note": "a"}])J")),
            "l.json: steps[0].at: \"backward:1\" is not forward:K, reverse:K or tangent:K");
  EXPECT_EQ(lesson_error(lesson_with_steps(R"J([{"at": "reverse:9", "note": "a"}])J")),
            "l.json: steps[0].at: \"reverse:9\" is past the end: the graph's reverse trace has 7 steps");
  EXPECT_EQ(lesson_error(lesson_with_steps(R"J([{"at": "forward:1", "note": "a"}, {"at": "forward:1", "note": "b"}])J")),
            "l.json: steps[1].at: a second note for \"forward:1\"");
  EXPECT_EQ(lesson_error(lesson_with_steps(R"J([{"at": "forward:1", "note": ""}])J")), "l.json: steps[0].note: is empty");
  EXPECT_EQ(lesson_error(kLessonHead + R"J("hide": ["inspektor"], "steps": []})J"),
            "l.json: hide[0]: unknown control \"inspektor\" (one of expression, play, timeline, tangent, inspector)");
  EXPECT_EQ(lesson_error(kLessonHead + R"J("notes": [], "steps": []})J"),
            "l.json: unknown key \"notes\" (a lesson has format, version, title, graph, hide, quiz, steps)");
  // The graph inside: the graph reader's own checks, under "graph".
  const std::string unknown_op = lesson_error(
      R"J({"format": "gradscope-lesson", "version": 1, "graph": {"nodes": [{"id": 0, "kind": "input", "name": "x"}, {"id": 1, "kind": "op", "op": "sine", "inputs": [0]}], "output": 1, "values": {"x": 1}}, "steps": []})J");
  EXPECT_EQ(unknown_op.rfind("l.json: graph: ", 0), 0u) << unknown_op;
  EXPECT_NE(unknown_op.find("unknown op 'sine'"), std::string::npos) << unknown_op;
  const std::string bad_expression = lesson_error(R"J({"format": "gradscope-lesson", "version": 1, "graph": {"expression": "y = sine(x)"}, "steps": []})J");
  EXPECT_EQ(bad_expression.rfind("l.json: graph: ", 0), 0u) << bad_expression;
  EXPECT_NE(bad_expression.find("sine"), std::string::npos) << bad_expression;
}

TEST(LessonFile, NestingAHundredThousandDeepIsRefusedBeforeParsing) {
  const std::string deep = kLessonHead + "\"steps\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
  const std::string e = lesson_error(deep);
  EXPECT_EQ(e.rfind("l.json: nested deeper than 64 levels at line 1, column ", 0), 0u) << e.substr(0, 200);
}

TEST(LessonFile, AMalformedLessonKeepsTheOpenGraph) {
  GraphPage page;
  LaunchOptions opt;
  ASSERT_TRUE(page.start(opt));
  page.session().set_expression("y = x*x + 1");
  const std::string before = page.session().model().expression;
  const std::filesystem::path bad = std::filesystem::path(::testing::TempDir()) / "lesson_bad_type.json";
  std::ofstream(bad) << lesson_with_steps(R"J([{"at": "forward:1", "note": 7}])J");
  EXPECT_TRUE(is_lesson_file(bad.string()));
  EXPECT_FALSE(page.open_lesson(bad.string()));
  EXPECT_EQ(page.session().model().expression, before);
  EXPECT_TRUE(page.status().error);
  EXPECT_NE(page.status().text.find("steps[0].note: expected a string or"), std::string::npos) << page.status().text;
  EXPECT_EQ(page.lesson_file(), nullptr);
}

TEST(LessonFile, OpenTakesALessonAndItEndsWhenAnotherGraphIsTyped) {
  GraphPage page;
  LaunchOptions opt;
  opt.lesson_file = shipped_lesson("sigmoid_neuron");
  ASSERT_TRUE(page.start(opt)) << page.status().text;
  ASSERT_NE(page.lesson_file(), nullptr);
  EXPECT_NE(page.status().text.find("(notes: 21)"), std::string::npos) << page.status().text;
  EXPECT_FALSE(page.session().dirty());
  EXPECT_EQ(page.session().path(), "") << "Save must not write a graph over the lesson file";
  EXPECT_EQ(page.session().lesson().row_count(StepMode::Forward), 10);
  page.session().set_expression("y = x*x");
  EXPECT_EQ(page.lesson_file(), nullptr) << "the notes were for the lesson's graph";
}

// File > Save as lesson: a lecturer starts a lesson in the app. Every step gets a note (the open
// lesson file's, else the step's row to rewrite) and the file opens again as the same lesson.
TEST(LessonFile, SaveAsLessonWritesANoteForEveryStepAndReadsBack) {
  GraphPage page;
  ASSERT_TRUE(page.start(LaunchOptions{}));
  const std::filesystem::path out = std::filesystem::path(::testing::TempDir()) / "lesson_saved_seed004.json";
  std::filesystem::remove(out);
  ASSERT_TRUE(page.save_lesson(out.string())) << page.status().text;
  ASSERT_NE(page.lesson_file(), nullptr) << "the saved lesson is the open one";
  const LessonFile saved = load_lesson(out.string());
  EXPECT_EQ(saved.notes.size(), 15u) << "forward 0…7, reverse 1…7";
  ASSERT_NE(saved.note_at({StepMode::Forward, 3}), nullptr);
  EXPECT_EQ(saved.note_at({StepMode::Forward, 3})->en, "v3 = ln v1 = ln 2 = 0.69315");
  EXPECT_EQ(saved.note_at({StepMode::Reverse, 7})->en, "v̄1 = v̄4·v2 + v̄3·(1/v1) = 1·5 + 1·(1/2) = 5 + 0.5 = 5.5");

  // From a lesson file: its notes, title and hidden controls are kept.
  ASSERT_TRUE(page.open_lesson(shipped_lesson("seed004")));
  const LessonFile shipped = load_lesson(shipped_lesson("seed004"));
  ASSERT_TRUE(page.save_lesson(out.string()));
  const LessonFile again = load_lesson(out.string());
  EXPECT_EQ(again.title.zh, shipped.title.zh);
  EXPECT_EQ(again.hidden, shipped.hidden);
  ASSERT_EQ(again.notes.size(), shipped.notes.size());
  for (const LessonNote& n : shipped.notes) {
    ASSERT_NE(again.note_at(n.at), nullptr);
    EXPECT_EQ(again.note_at(n.at)->zh, n.text.zh);
  }
  // A folder that cannot be written: said, and the open lesson stays.
  EXPECT_FALSE(page.save_lesson("/nonexistent/dir/l.json"));
  EXPECT_TRUE(page.status().error);
  EXPECT_NE(page.status().text.find("cannot write '/nonexistent/dir/l.json'"), std::string::npos) << page.status().text;
}

// A lesson's Chinese notes are drawn in glyphs the fonts have (issue 9: seed 004's reverse step 2
// read "按照计算图的反向?扑顺序", the 拓 of 拓扑 not among the common characters the fonts carry).
// The Graph page asks for the characters its document brings; the fonts rebuilt with them, as the
// main loop does, have every character of both shipped lessons, and the frame's text is whole.
TEST(LessonFile, EveryCharacterOfTheShippedLessonsIsInTheFonts) {
  test_support::HeadlessImGui imgui(ImVec2(1024, 768));
  FontSet fonts;
  load_fonts(&fonts, 17.0f);
  if (!fonts.has_cjk) GTEST_SKIP() << "no CJK font on this machine";
  // The characters of `text` the interface font has no glyph for.
  auto lacking = [&](const std::string& text) {
    std::string out;
    for (const char* s = text.c_str(); *s;) {
      unsigned int c = 0;
      const int n = ImTextCharFromUtf8(&c, s, nullptr);
      if (c >= 0x2E80 && c <= 0xFFFF && !fonts.ui->FindGlyphNoFallback(static_cast<ImWchar>(c))) out.append(s, static_cast<std::size_t>(n));
      s += n;
    }
    return out;
  };
  set_language(Language::Chinese);
  for (const char* name : {"seed004", "sigmoid_neuron"}) {
    LaunchOptions o;
    o.lesson_file = shipped_lesson(name);
    o.steps = "reverse:2";
    PageList pages = make_pages();
    ASSERT_TRUE(pages[0]->start(o)) << name;
    Workbench bench(std::move(pages));
    FrameRequests requests;
    FrameRecord record;
    for (int f = 0; f < 4; ++f) {
      if (!requests.glyphs.empty()) {  // as the main loop does before a frame
        fonts.extra_text += requests.glyphs;
        requests.glyphs.clear();
        load_fonts(&fonts, 17.0f);
      }
      record = FrameRecord{};
      ImGui::NewFrame();
      PageContext ctx{fonts, requests, &record, 1.0};
      bench.draw(ctx);
      ImGui::Render();
    }
    const LessonFile lesson = load_lesson(shipped_lesson(name));
    std::string text = lesson.title.zh;
    for (const LessonNote& n : lesson.notes) text += n.text.zh;
    EXPECT_EQ(lacking(text), "") << name << ": drawn as '?'";
    std::string seen;
    for (const std::string& t : record.visible_text) seen += t;
    EXPECT_EQ(lacking(seen), "") << name << " reverse:2";
  }
  set_language(Language::English);
  widgets::SetCanvasFontLadder({});
}
