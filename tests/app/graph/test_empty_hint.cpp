// The empty canvas says what to do next (issue 9): after File ▸ New, and after every node was
// deleted, a hint over the canvas — a formula to type (with seed 004's as the example), an example
// or a lesson to open, nodes to add from the palette — whole inside the canvas, above its key line,
// in text of 12 px or more at 1024×768, in English and in Chinese; none on a graph with nodes. The
// Graph page in the workbench with the program's fonts, in an ImGui context without a renderer,
// read through the frame record. No GL.
#include "app/base/fonts.h"
#include "app/base/i18n.h"
#include "app/base/style.h"
#include "app/graph/page_graph.h"
#include "app/graph/view_empty_hint.h"
#include "app/shell/options.h"
#include "app/shell/pages.h"
#include "app/shell/workbench.h"
#include "app/widgets/canvas.h"

#include "../headless_imgui.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

using namespace gs;
using namespace gs::app;

namespace {

class EmptyHint : public ::testing::Test {
 protected:
  void SetUp() override {
    apply_style(1.0f);
    load_fonts(&fonts_, 17.0f);
    PageList pages = make_pages();
    EXPECT_TRUE(pages[0]->start(LaunchOptions{}));  // seed 004, as the program starts
    bench_ = std::make_unique<Workbench>(std::move(pages));
  }
  void TearDown() override {
    set_language(Language::English);
    widgets::SetCanvasFontLadder({});
  }

  FrameRecord frames(int n = 3) {
    FrameRecord record;
    for (int f = 0; f < n; ++f) {
      record = FrameRecord{};
      ImGui::NewFrame();
      PageContext ctx{fonts_, requests_, &record, 1.0};
      bench_->draw(ctx);
      ImGui::Render();
    }
    return record;
  }

  // The hint is whole inside the canvas, above its bottom line, in lines that do not overlap, at
  // 12 px or more; it names the example formula.
  static void expect_readable(const FrameRecord& r, const std::string& what) {
    ASSERT_GE(r.canvas_hint.size(), 5u) << what;
    ASSERT_EQ(r.canvas_hint_rects.size(), r.canvas_hint.size());
    EXPECT_NE(std::find(r.canvas_hint.begin(), r.canvas_hint.end(), kEmptyHintFormula), r.canvas_hint.end()) << what;
    const float* c = r.canvas_rect;
    ASSERT_GT(c[2] - c[0], 100.0f) << what;
    for (std::size_t i = 0; i < r.canvas_hint.size(); ++i) {
      const auto& b = r.canvas_hint_rects[i];
      const std::string line = what + ": '" + r.canvas_hint[i] + "'";
      EXPECT_GE(b[0], c[0]) << line;
      EXPECT_GE(b[1], c[1]) << line;
      EXPECT_LE(b[2], c[2]) << line;
      EXPECT_LE(b[3], c[3]) << line;
      EXPECT_GE(r.canvas_hint_px[i], 12.0f) << line;
      if (i > 0) { EXPECT_GE(b[1], r.canvas_hint_rects[i - 1][3]) << line << " overlaps the line above"; }
      for (const auto& n : r.canvas_note_rects) EXPECT_LE(b[3], n[1]) << line << " covers the canvas's key line";
    }
  }

  Session& session() { return static_cast<GraphPage&>(*bench_->pages()[0]).session(); }
  static bool shows(const FrameRecord& r, const std::string& text) {
    return std::find(r.visible_text.begin(), r.visible_text.end(), text) != r.visible_text.end();
  }

  test_support::HeadlessImGui imgui_{ImVec2(1024, 768)};
  FontSet fonts_;
  FrameRequests requests_;
  std::unique_ptr<Workbench> bench_;
};

}  // namespace

TEST_F(EmptyHint, NewShowsWhatToDoNextAt1024x768) {
  EXPECT_TRUE(frames().canvas_hint.empty()) << "seed 004 has nodes: no hint";
  bench_->commands().push(CommandId::New);
  const FrameRecord r = frames();
  ASSERT_EQ(r.nodes.size(), 0u);
  expect_readable(r, "after New");
  EXPECT_EQ(r.canvas_hint.front(), tr(Tr::EmptyGraphTitle));
  EXPECT_NE(std::find(r.canvas_hint.begin(), r.canvas_hint.end(), std::string(tr(Tr::EmptyGraphOpen))), r.canvas_hint.end());
  EXPECT_NE(std::find(r.canvas_hint.begin(), r.canvas_hint.end(), std::string(tr(Tr::EmptyGraphPalette))), r.canvas_hint.end());
  // A formula typed: the graph is built and the hint goes.
  static_cast<GraphPage&>(*bench_->pages()[0]).session().set_expression(kEmptyHintFormula);
  const FrameRecord built = frames();
  EXPECT_GT(built.nodes.size(), 0u);
  EXPECT_TRUE(built.canvas_hint.empty());
}

TEST_F(EmptyHint, TheNewFlagStartsOnTheEmptyCanvas) {
  char prog[] = "gradscope", flag[] = "--new";
  char* argv[] = {prog, flag};
  LaunchOptions opt;
  ASSERT_EQ(parse_options(2, argv, {"lab"}, &opt), -1);
  PageList pages = make_pages();
  ASSERT_TRUE(pages[0]->start(opt));
  bench_ = std::make_unique<Workbench>(std::move(pages));
  const FrameRecord r = frames();
  ASSERT_EQ(r.nodes.size(), 0u);
  for (const TableRecord& t : r.tables) EXPECT_TRUE(t.rows.empty()) << t.name;
  expect_readable(r, "--new");
  EXPECT_EQ(r.canvas_hint.front(), tr(Tr::EmptyGraphTitle));
}

TEST_F(EmptyHint, AGraphWhoseEveryNodeWasDeletedShowsItToo) {
  bench_->commands().push(CommandId::SelectAll);  // Edit ▸ Select all, then Edit ▸ Delete
  bench_->commands().push(CommandId::Delete);
  const FrameRecord r = frames();
  ASSERT_EQ(r.nodes.size(), 0u);
  expect_readable(r, "every node deleted");
}

TEST_F(EmptyHint, ChineseAndPresentedReadToo) {
  if (!fonts_.has_cjk) GTEST_SKIP() << "no CJK font";
  set_language(Language::Chinese);
  bench_->commands().push(CommandId::New);
  const FrameRecord r = frames();
  expect_readable(r, "Chinese");
  EXPECT_EQ(r.canvas_hint.front(), tr(Tr::EmptyGraphTitle, Language::Chinese));
  bench_->set_presenting(true);
  const FrameRecord p = frames();
  expect_readable(p, "Chinese, presented");
  EXPECT_NE(std::find(p.canvas_hint.begin(), p.canvas_hint.end(), std::string(tr(Tr::EmptyGraphPresenting))), p.canvas_hint.end())
      << "a presentation hides the expression box: the hint says how to get it back";
}

// Nothing to step is explained, not reported as a fault: the trace panel of a fresh empty graph
// says what to do (never "nothing to step: -"), a constant output says why there is no step, and
// the banner reads "Nothing to step yet" rather than "Forward step 0 of 0". Only a problem (a
// shape mismatch built on the canvas) says "nothing to step: <why>". English and Chinese.
TEST_F(EmptyHint, NothingToStepIsAHintUnlessSomethingIsWrong) {
  for (Language lang : {Language::English, Language::Chinese}) {
    if (lang == Language::Chinese && !fonts_.has_cjk) continue;
    set_language(lang);
    const std::string where = lang == Language::English ? "en" : "zh";
    bench_->commands().push(CommandId::New);
    FrameRecord r = frames();
    EXPECT_TRUE(shows(r, tr(Tr::TraceEmptyGraph))) << where;
    EXPECT_EQ(r.banner.where, tr(Tr::StepNothingYet)) << where;
    EXPECT_FALSE(shows(r, trf(Tr::NothingToStep, "-"))) << where;

    session().set_expression("y = 2");
    r = frames();
    ASSERT_EQ(r.nodes.size(), 1u) << where;
    EXPECT_TRUE(shows(r, tr(Tr::TraceConstantOutput))) << where;
    EXPECT_EQ(r.banner.where, tr(Tr::StepNothingYet)) << where;
    EXPECT_EQ(no_steps(session().lesson(), StepMode::Tangent), NoSteps::NoInput) << where;

    session().set_expression("y = x");  // an input alone is a graph with a step
    r = frames();
    EXPECT_EQ(r.banner.where, trf(Tr::StepOf, tr(Tr::ModeForward), "0", "1")) << where;
    ASSERT_FALSE(r.tables.empty()) << where;
    EXPECT_EQ(r.tables[0].rows.size(), 1u) << where;
    EXPECT_FALSE(shows(r, tr(Tr::TraceConstantOutput)) || shows(r, tr(Tr::TraceEmptyGraph))) << where;

    session().edit([](GraphModel& m) {
      m = GraphModel{};
      const DocId a = m.add_input("A", TensorD(Shape{2, 3}), {});
      const DocId b = m.add_input("B", TensorD(Shape{2, 2}), {});
      const DocId mm = m.add_op(Op::MatMul, {}, {});
      m.connect(a, mm, 0, nullptr);
      m.connect(b, mm, 1, nullptr);
    });
    r = frames();
    const Lesson& l = session().lesson();
    ASSERT_FALSE(l.problem().empty()) << where;
    EXPECT_EQ(r.banner.where, tr(Tr::StepNothing)) << where;
    EXPECT_TRUE(shows(r, trf(Tr::NothingToStep, translate(l.problem())))) << where << ": " << l.problem();
  }
}
