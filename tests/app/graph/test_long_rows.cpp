// Rows of a huge fan-in cut before a frame pays for them (issue 10): after Run backward on a
// fan-out graph, x's reverse row sums thousands of partial adjoints. The step banner keeps four
// lines inside the window and says how many terms it left out; a lecture's banner is the whole
// row, as before. Drawn in an ImGui context without a renderer, checked through the frame record.
// No GL.
#include "app/graph/long_rows.h"
#include "app/widgets/text_wrap.h"
#include "app/graph/view_toolbar.h"
#include "app/graph/view_trace.h"
#include "app/base/i18n.h"

#include "../headless_imgui.h"
#include "seed004_session.h"

#include <gtest/gtest.h>
#include <imgui_internal.h>

using namespace gs;
using namespace gs::app;

namespace {

// sin(x) + sin(x) + …: x's reverse row has (n − 1) / 2 partial adjoints.
GraphDocument long_rows_fanout(int n) {
  GraphDocument doc;
  const NodeId x = doc.graph.input("x", TensorD::scalar(0).shape());
  NodeId acc = doc.graph.op(Op::Sin, {x});
  while (doc.graph.size() + 2 <= n) acc = doc.graph.op(Op::Add, {acc, doc.graph.op(Op::Sin, {x})});
  doc.graph.set_output(acc);
  doc.values["x"] = TensorD::scalar(0.5);
  return doc;
}

// The step banner drawn alone in a window of the lab's size, as the Graph page draws it.
struct BannerDesk {
  explicit BannerDesk(Session s, ImVec2 size = ImVec2(1024, 768)) : imgui(size), size(size), session(std::move(s)) {}
  FrameRecord frame() {
    FrameRecord record;
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(size);
    ImGui::Begin("banner desk", nullptr, ImGuiWindowFlags_NoDecoration);
    ViewContext ctx{session, focus, fonts, redraw, &record};
    toolbar.draw_banner(ctx);
    line_height = ImGui::GetTextLineHeight();
    ImGui::End();
    ImGui::Render();
    return record;
  }
  test_support::HeadlessImGui imgui;
  ImVec2 size;
  Session session;
  Focus focus;
  FontSet fonts;
  RedrawTimer redraw;
  ToolbarView toolbar;
  float line_height = 0;
};

// One line of the wrap per character: a measure for the wrap without ImGui.
float long_rows_measure(std::string_view s) { return static_cast<float>(s.size()); }

}  // namespace

TEST(LongRows, FirstTermsKeepsThePrefixOfEachSumAndCountsTheRest) {
  Session s;
  s.load(long_rows_fanout(21), "");
  s.lesson().run_backward();
  const ReverseStep& full = s.lesson().reverse_rows().back();
  ASSERT_EQ(full.terms.size(), 10u);
  const ReverseStep cut = first_terms(full, 4);
  ASSERT_EQ(cut.terms.size(), 4u);
  const std::string more = " + \xE2\x80\xA6 (6 more terms)";
  for (const auto& [part, whole] : {std::pair{cut.symbolic, full.symbolic}, std::pair{cut.substituted, full.substituted},
                                    std::pair{cut.partial_sum, full.partial_sum}}) {
    ASSERT_GT(part.size(), more.size());
    EXPECT_EQ(part.substr(part.size() - more.size()), more) << part;
    const std::string head = part.substr(0, part.size() - more.size());
    EXPECT_EQ(whole.substr(0, head.size()), head);
    EXPECT_EQ(whole.substr(head.size(), 3), " + ") << "cut between terms: " << head;
  }
  EXPECT_EQ(cut.value, full.value);
  EXPECT_EQ(to_line(first_terms(full, 10)), to_line(full));
  EXPECT_EQ(more_count(49996, Tr::MoreTerms), " (49\xC2\xA0" "996 more terms)");
  EXPECT_EQ(more_count(999, Tr::MoreTerms), " (999 more terms)");
}

TEST(LongRows, WhatIsLeftOutIsSaidInTheInterfacesLanguage) {
  Session s;
  s.load(long_rows_fanout(21), "");
  s.lesson().run_backward();
  const ReverseStep& full = s.lesson().reverse_rows().back();
  set_language(Language::Chinese);
  const ReverseStep cut = first_terms(full, 4);
  const std::string text = cut_text(std::string(3000, 'a'), 2000);
  set_language(Language::English);
  const std::string more = " + \xE2\x80\xA6\xEF\xBC\x88\xE5\x8F\xA6\xE6\x9C\x89 6 \xE9\xA1\xB9\xEF\xBC\x89";  // + …（另有 6 项）
  for (const std::string& part : {cut.symbolic, cut.substituted, cut.partial_sum}) {
    ASSERT_GT(part.size(), more.size());
    EXPECT_EQ(part.substr(part.size() - more.size()), more) << part;
    EXPECT_EQ(part.find("more"), std::string::npos) << part;
  }
  EXPECT_EQ(text, std::string(2000, 'a') + "\xE2\x80\xA6\xEF\xBC\x88\xE5\x8F\xA6\xE6\x9C\x89 1\xC2\xA0" "000 \xE4\xB8\xAA\xE5\xAD\x97\xE7\xAC\xA6\xEF\xBC\x89");
  EXPECT_EQ(more_count(49996, Tr::MoreTerms), " (49\xC2\xA0" "996 more terms)") << "English again";
  EXPECT_EQ(more_count(3, Tr::MoreCharacters), " (3 more characters)");
}

TEST(LongRows, TheBannerOfAHugeFanInKeepsFourLinesInsideTheWindow) {
  Session s;
  s.load(long_rows_fanout(4001), "");
  s.lesson().run_backward();
  ASSERT_EQ(s.lesson().reverse_rows().back().terms.size(), 2000u);
  BannerDesk desk(std::move(s));
  desk.frame();
  const FrameRecord r = desk.frame();
  EXPECT_NE(r.banner.row.find("\xE2\x80\xA6 (1\xC2\xA0" "996 more terms)"), std::string::npos) << r.banner.row;
  EXPECT_LT(r.banner.row.size(), 1000u);
  EXPECT_GE(r.banner.rect[0], 0.0f);
  EXPECT_GE(r.banner.rect[1], 0.0f);
  EXPECT_LE(r.banner.rect[2], 1024.0f);
  EXPECT_LE(r.banner.rect[3], 768.0f);
  EXPECT_LE(r.banner.rect[3] - r.banner.rect[1], kBannerLines * desk.line_height + 1) << r.banner.row;
}

TEST(LongRows, ARowWrappedPastFourLinesEndsInAnEllipsisThatFits) {
  // A narrow window: the four-term row wraps to more than four lines.
  Session s;
  s.load(long_rows_fanout(41), "");
  s.lesson().run_backward();
  BannerDesk desk(std::move(s), ImVec2(180, 600));
  desk.frame();
  const FrameRecord r = desk.frame();
  EXPECT_LE(r.banner.rect[3] - r.banner.rect[1], kBannerLines * desk.line_height + 1) << r.banner.row;
  EXPECT_LE(r.banner.rect[2], 180.0f);
  ASSERT_GE(r.banner.row.size(), 3u);
  EXPECT_EQ(r.banner.row.substr(r.banner.row.size() - 3), "\xE2\x80\xA6");

  const std::vector<std::string> lines = widgets::FirstLines({"aa bb", "cc dd", "ee ff", "gg hh", "ii"}, 4, 5, long_rows_measure);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[3], "gg \xE2\x80\xA6") << "the last word goes so that the ellipsis fits";
  EXPECT_EQ(widgets::FirstLines({"aa", "bb"}, 4, 5, long_rows_measure).size(), 2u);
}

TEST(LongRows, ALecturesBannerIsTheWholeRow) {
  // Seed 004 at the lab's size: every row of the three traces, unchanged.
  BannerDesk desk(seed004_session());
  Lesson& l = desk.session.lesson();
  for (StepMode mode : {StepMode::Forward, StepMode::Reverse}) {
    for (int step = 1; step <= l.row_count(mode); ++step) {
      l.jump(Cursor{mode, step});
      desk.frame();
      const FrameRecord r = desk.frame();
      const std::string whole = on_screen(mode == StepMode::Forward ? to_line(l.forward_rows()[step - 1]) : to_line(l.reverse_rows()[step - 1]));
      EXPECT_EQ(r.banner.row, whole) << "step " << step;
    }
  }
  l.start_tangent();
  for (int step = 1; step <= l.row_count(StepMode::Tangent); ++step) {
    l.jump(Cursor{StepMode::Tangent, step});
    desk.frame();
    EXPECT_EQ(desk.frame().banner.row, on_screen(to_line(l.tangent_rows()[step - 1])));
  }
}

namespace {

// The trace tables drawn in a window of the lab's trace panel; the table of `name` in the record.
TableRecord long_rows_table(Session& session, const std::string& name) {
  test_support::HeadlessImGui imgui(ImVec2(560, 860));
  Focus focus;
  FontSet fonts;
  RedrawTimer redraw;
  TraceView trace;
  FrameRecord record;
  for (int frame = 0; frame < 3; ++frame) {
    record = FrameRecord{};
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(560, 860));
    ImGui::Begin("trace desk", nullptr, ImGuiWindowFlags_NoDecoration);
    ViewContext ctx{session, focus, fonts, redraw, &record};
    trace.draw(ctx);
    ImGui::End();
    ImGui::Render();
  }
  for (const TableRecord& t : record.tables)
    if (t.name == name) return t;
  ADD_FAILURE() << "no " << name << " table";
  return {};
}

}  // namespace

TEST(LongRows, AHugeFanInRowOfTheTraceTableIsCutWithWhatIsLeftOut) {
  Session s;
  s.load(long_rows_fanout(4001), "");
  s.lesson().run_backward();
  const TableRecord t = long_rows_table(s, "reverse");
  ASSERT_EQ(static_cast<int>(t.rows.size()), s.lesson().row_count(StepMode::Reverse));
  const std::string& x_row = t.rows.back();
  EXPECT_LE(x_row.size(), kTraceRowChars + 300) << "x's row";
  EXPECT_NE(x_row.find(" more terms)"), std::string::npos) << x_row;
  EXPECT_LE(t.highlighted_text.size(), kTraceRowChars + 300);
  // Its value is still the sum of all 2,000 terms: the row ends in it.
  const std::string value = on_screen(s.lesson().reverse_rows().back().value);
  EXPECT_EQ(x_row.substr(x_row.size() - value.size()), value);
  // The other rows are short and whole.
  EXPECT_EQ(t.rows[1], on_screen(to_line(s.lesson().reverse_rows()[1])));

  const std::string text(5000, 'a');
  const std::string cut = cut_text(text, 2000);
  EXPECT_EQ(cut, std::string(2000, 'a') + "\xE2\x80\xA6 (3\xC2\xA0" "000 more characters)");
  // Never inside a character, nor between v and its bar (v̄ = v, U+0304).
  std::string bars;
  for (int i = 0; i < 1000; ++i) bars += "v\xCC\x84";
  EXPECT_EQ(cut_text(bars, 1000).substr(0, 999), bars.substr(0, 999));
  EXPECT_EQ(cut_text(bars, 1000).substr(999, 3), "\xE2\x80\xA6");
  EXPECT_EQ(cut_text("short", 2000), "short");
}

TEST(LongRows, ALecturesTraceRowsAreWhole) {
  Session s = seed004_session();
  s.lesson().run_backward();
  const TableRecord t = long_rows_table(s, "reverse");
  ASSERT_EQ(static_cast<int>(t.rows.size()), s.lesson().row_count(StepMode::Reverse));
  for (std::size_t r = 0; r < t.rows.size(); ++r)
    EXPECT_EQ(t.rows[r], on_screen(to_line(s.lesson().reverse_rows()[r]))) << "row " << r;
}
