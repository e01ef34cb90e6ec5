// The workbench with the real Graph page and a test page beside it, drawn in an ImGui context
// without a renderer: tabs only for pages that exist, Ctrl+1/2 switching, keys going to the shown
// page only, the menu's commands reaching the shown page through the queue, --view names, the
// quit prompt for unsaved work, and the frame record naming the page. No GL.
#include "app/graph/page_graph.h"
#include "app/shell/pages.h"
#include "app/shell/workbench.h"

#include "../headless_imgui.h"
#include "../temp_path.h"

#include <gtest/gtest.h>
#include <imgui_internal.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

using namespace gs;
using namespace gs::app;

namespace {

// A page that only counts what the workbench asks of it.
class CountingPage final : public Page {
 public:
  const char* name() const override { return "counting"; }
  std::string title() const override { return "Counting"; }
  std::vector<std::string> views() const override { return {"counting", "counting_table"}; }
  void update(PageContext& ctx) override {
    ++updates;
    if (redraw_at > 0) ctx.requests.redraw.request_at(redraw_at);
  }
  void handle_keys(PageContext&) override { ++keys; }
  void draw(PageContext&, int view) override {
    ++draws;
    last_view = view;
    ImGui::TextUnformatted("counting page");
  }
  void record(FrameRecord& r) const override { r.visible_text.push_back("counting page"); }
  CommandState command_state(CommandId id) const override {
    return id == CommandId::Fit || id == CommandId::Save ? CommandState::Enabled : CommandState::Hidden;
  }
  bool apply(const Command& c, PageContext&) override {
    applied.push_back(c.id);
    if (c.id == CommandId::Save) dirty = false;
    return true;
  }
  PageDocument document() const override { return PageDocument{"counting.json", "/tmp/counting.json", "counting", dirty}; }

  int updates = 0, keys = 0, draws = 0, last_view = -1;
  double redraw_at = 0;
  bool dirty = false;
  std::vector<CommandId> applied;
};

// GLFW's key codes, as the GLFW backend fills io.KeysDown.
constexpr int kRight = 262, kLeft = 263, kDigit1 = '1', kDigit2 = '2';

class WorkbenchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ImGui::GetIO().KeyMap[ImGuiKey_RightArrow] = kRight;
    ImGui::GetIO().KeyMap[ImGuiKey_LeftArrow] = kLeft;
  }

  // A workbench of the Graph page (started on seed 004) and, when asked, the counting page.
  void make(bool with_counting) {
    PageList pages = make_pages();
    pages.resize(1);  // the Graph page alone, so that the counting page is the second tab
    graph = dynamic_cast<GraphPage*>(pages[0].get());
    ASSERT_NE(graph, nullptr);
    EXPECT_TRUE(graph->start(LaunchOptions{}));
    if (with_counting) {
      auto c = std::make_unique<CountingPage>();
      counting = c.get();
      pages.push_back(std::move(c));
    }
    bench = std::make_unique<Workbench>(std::move(pages));
  }

  // One frame; `key` is held down during it (with Ctrl when asked), then released.
  void frame(int key = -1, bool ctrl = false) {
    ImGuiIO& io = ImGui::GetIO();
    if (key >= 0) io.KeysDown[key] = true;
    io.KeyCtrl = ctrl;
    record = FrameRecord{};
    ImGui::NewFrame();
    PageContext ctx{fonts, requests, &record, now};
    bench->draw(ctx);
    ImGui::Render();
    if (key >= 0) io.KeysDown[key] = false;
    io.KeyCtrl = false;
    now += 1.0 / 60.0;
  }

  // The innermost open popup (a menu, a list) was drawn this frame, not hidden to be measured.
  static bool popup_shown() {
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    const ImGuiWindow* w = g.OpenPopupStack.empty() ? nullptr : g.OpenPopupStack.back().Window;
    return w && w->Active && !w->Hidden;
  }
  // A click at `at` (press, then release) opens a popup that shows in the frame after the one it
  // opened in, which the workbench asks for at once: the main loop draws it with no more input.
  void expect_popup_in_the_frame_after_the_click(ImVec2 at) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = at;
    frame();
    for (bool down : {true, false}) {  // a menu opens at the press, a combo at the release
      io.MouseDown[0] = down;
      requests.redraw.clear();
      frame();
      if (!ImGui::GetCurrentContext()->OpenPopupStack.empty()) break;
    }
    ASSERT_FALSE(ImGui::GetCurrentContext()->OpenPopupStack.empty()) << "the click opened nothing";
    EXPECT_FALSE(popup_shown()) << "ImGui draws a popup hidden in its first frame";
    ASSERT_TRUE(requests.redraw.pending());
    EXPECT_LE(requests.redraw.due(), now);
    requests.redraw.clear();
    frame();  // the frame asked for: nothing changed in the input
    EXPECT_TRUE(popup_shown());
    EXPECT_FALSE(requests.redraw.pending());  // then the program waits for input again
    io.MouseDown[0] = false;
  }

  app::test_support::HeadlessImGui imgui{ImVec2(1024, 768)};
  FontSet fonts;
  FrameRequests requests;
  FrameRecord record;
  double now = 1.0;
  std::unique_ptr<Workbench> bench;
  GraphPage* graph = nullptr;
  CountingPage* counting = nullptr;
};

}  // namespace

TEST_F(WorkbenchTest, OnePageHasNoTabsAndTheRecordNamesIt) {
  make(false);
  frame();
  EXPECT_TRUE(record.tabs.empty());
  EXPECT_EQ(record.page, "graph");
  EXPECT_EQ(record.view, "lab");
  EXPECT_EQ(record.nodes.size(), 7u);  // the Graph page drew its canvas
}

TEST_F(WorkbenchTest, EveryPageGetsATabInOrder) {
  make(true);
  frame();
  EXPECT_EQ(record.tabs, (std::vector<std::string>{"Graph", "Counting"}));
  EXPECT_EQ(record.page, "graph");
}

TEST_F(WorkbenchTest, CtrlDigitShowsThatPage) {
  make(true);
  frame();
  frame(kDigit2, true);
  frame();
  EXPECT_EQ(record.page, "counting");
  EXPECT_EQ(&bench->shown(), counting);
  EXPECT_GT(counting->draws, 0);
  EXPECT_TRUE(record.nodes.empty());  // the graph is not drawn behind it
  frame(kDigit1, true);
  frame();
  EXPECT_EQ(record.page, "graph");
  EXPECT_EQ(record.nodes.size(), 7u);
}

TEST_F(WorkbenchTest, ArrowKeysStepTheLessonOnlyOnTheGraphPage) {
  make(true);
  frame();
  frame(kRight);
  EXPECT_EQ(graph->session().lesson().cursor(), (Cursor{StepMode::Forward, 1}));
  bench->commands().push(CommandId::ShowPage, "counting");
  frame();
  const int keys_before = counting->keys;
  frame(kRight);
  frame(kRight);
  EXPECT_EQ(graph->session().lesson().cursor(), (Cursor{StepMode::Forward, 1}));  // not stepped
  EXPECT_EQ(counting->keys, keys_before + 2);                                     // the shown page had them
}

TEST_F(WorkbenchTest, HiddenPagesStillUpdate) {
  make(true);
  frame();
  frame();
  EXPECT_EQ(counting->updates, 2);
  EXPECT_EQ(counting->draws, 0);
}

TEST_F(WorkbenchTest, CommandsGoToTheShownPageOnly) {
  make(true);
  frame();
  // Select all on the Graph page, then Fit and SelectAll while the counting page is shown.
  bench->commands().push(CommandId::SelectAll);
  frame();
  bench->commands().push(CommandId::ShowPage, "counting");
  bench->commands().push(CommandId::Fit);
  bench->commands().push(CommandId::SelectAll);  // hidden on the counting page: not applied
  frame();
  EXPECT_EQ(counting->applied, (std::vector<CommandId>{CommandId::Fit}));
  // Delete reaches the Graph page once it is shown again, with its selection.
  bench->commands().push(CommandId::ShowPage, "graph");
  bench->commands().push(CommandId::Delete);
  frame();
  EXPECT_TRUE(graph->session().model().nodes().empty());
  bench->commands().push(CommandId::Undo);
  frame();
  EXPECT_EQ(graph->session().model().nodes().size(), 7u);
}

TEST_F(WorkbenchTest, ViewNamesSelectAPageOrOneOfItsPanels) {
  make(true);
  EXPECT_EQ(bench->views(), (std::vector<std::string>{"lab", "graph", "traces", "inspector", "counting", "counting_table"}));
  ASSERT_TRUE(bench->show_view("traces"));
  frame();
  EXPECT_EQ(record.page, "graph");
  EXPECT_EQ(record.view, "traces");
  EXPECT_TRUE(record.nodes.empty());
  EXPECT_FALSE(record.tables.empty());
  ASSERT_TRUE(bench->show_view("counting_table"));
  frame();
  EXPECT_EQ(record.page, "counting");
  EXPECT_EQ(record.view, "counting_table");
  EXPECT_EQ(counting->last_view, 1);
  EXPECT_FALSE(bench->show_view("schedules"));  // not a page of this program (yet)
}

TEST_F(WorkbenchTest, QuitAsksAboutUnsavedWorkOnEachPage) {
  make(true);
  frame();
  bench->commands().push(CommandId::Quit);
  frame();
  EXPECT_TRUE(requests.quit);  // nothing unsaved: quits at once

  requests.quit = false;
  counting->dirty = true;
  bench->commands().push(CommandId::Quit);
  frame();
  EXPECT_FALSE(requests.quit);
  EXPECT_EQ(&bench->shown(), counting);  // shown, and the prompt asks about it
  // "Save and quit": saved, then quitting asks again, and nothing else is unsaved.
  bench->commands().push(Command{CommandId::Save, {}, true});
  frame();
  EXPECT_EQ(counting->applied.back(), CommandId::Save);
  EXPECT_TRUE(requests.quit);
}

TEST_F(WorkbenchTest, QuitWithoutSavingDropsOnlyWhenAsked) {
  make(false);
  frame();
  graph->session().edit([](GraphModel& m) { m.move({m.nodes().front().id}, 10, 0); });
  bench->commands().push(CommandId::Quit);
  frame();
  EXPECT_FALSE(requests.quit);
  bench->commands().push(CommandId::QuitWithoutSaving);
  frame();
  EXPECT_TRUE(requests.quit);
}

TEST_F(WorkbenchTest, SaveAsThenQuitWritesTheGraph) {
  make(false);
  frame();
  graph->session().edit([](GraphModel& m) { m.move({m.nodes().front().id}, 10, 0); });
  const std::string path = test_support::unique_temp_path("gradscope_workbench_test.json").string();
  std::filesystem::remove(path);
  bench->commands().push(Command{CommandId::SaveAs, path, true});
  frame();
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_FALSE(graph->session().dirty());
  EXPECT_TRUE(requests.quit);
  std::filesystem::remove(path);
}

TEST_F(WorkbenchTest, RedrawIsTheEarliestAnyPageAsked) {
  make(true);
  frame();
  // Space starts the Graph page's player, which takes its first step in the same frame. From
  // then on it asks, while drawing, for its next step 1/1.5 s ahead: after every page's update()
  // has asked for its own time.
  ImGui::GetIO().KeyMap[ImGuiKey_Space] = ' ';
  const double next_step = now + 1.0 / 1.5;
  frame(' ');
  EXPECT_EQ(graph->session().lesson().cursor().step, 1);
  // The hidden page asks for an earlier time before the player asks: the earlier one stands.
  counting->redraw_at = now + 0.2;
  requests.redraw.clear();
  frame();
  EXPECT_DOUBLE_EQ(requests.redraw.due(), counting->redraw_at);
  // And for a later one: the player's stands.
  counting->redraw_at = now + 5.0;
  requests.redraw.clear();
  frame();
  EXPECT_DOUBLE_EQ(requests.redraw.due(), next_step);
}

TEST_F(WorkbenchTest, OpeningOverUnsavedWorkAsksFirst) {
  make(true);
  counting->dirty = false;
  MenuView menu;
  CommandQueue out;
  const MenuModel clean{*counting, {"Counting"}, {"counting"}, 0, false};
  menu.submit(clean, out, Command{CommandId::Open, "a.json"});
  EXPECT_FALSE(menu.asking_to_discard());
  EXPECT_EQ(out.take().size(), 1u);
  counting->dirty = true;
  const MenuModel dirty{*counting, {"Counting"}, {"counting"}, 0, false};
  for (CommandId id : {CommandId::New, CommandId::Open, CommandId::OpenExample}) {
    menu.submit(dirty, out, Command{id, "x"});
    EXPECT_TRUE(menu.asking_to_discard()) << command_name(id);
    EXPECT_TRUE(out.empty()) << command_name(id);  // nothing replaced until the user says so
  }
  menu.submit(dirty, out, Command{CommandId::Save, {}});  // saving does not replace anything
  EXPECT_EQ(out.take().size(), 1u);
}

TEST_F(WorkbenchTest, ExportAsPyTorchScriptWritesTheShownGraph) {
  make(false);
  frame();
  EXPECT_EQ(graph->command_state(CommandId::ExportTorch), CommandState::Enabled);
  const std::string path = test_support::unique_temp_path("gradscope_workbench_test.py").string();
  std::filesystem::remove(path);
  bench->commands().push(Command{CommandId::ExportTorch, path, false});
  frame();
  std::ifstream in(path);
  const std::string script((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The default example, seed 004, line by line as the traces name it.
  EXPECT_NE(script.find("x1 = torch.tensor(2.0, requires_grad=True)  # v1"), std::string::npos) << script;
  EXPECT_NE(script.find("v3 = torch.log(x1)  # v3 = ln v1"), std::string::npos) << script;
  EXPECT_NE(script.find("print(\"dy/dx2 =\", grad(x2))"), std::string::npos) << script;
  std::filesystem::remove(path);
}

// A page hands a document to another through the queue (the Training page's "Open step k in the
// graph"): ShowPage, OpenUntitled (the file's graph as a new, unsaved document: Save asks where,
// never into the temporary folder), ShowReplay (the comparison's panel above the canvas) and
// ShowStatus (the shown page's status line). AskPath opens the path dialog a menu item would.
TEST_F(WorkbenchTest, APageHandsADocumentToAnotherThroughTheQueue) {
  make(true);
  frame();
  const std::string path = test_support::unique_temp_path("gradscope_workbench_handover.json").string();
  bench->commands().push(Command{CommandId::SaveAs, path, false});
  frame();
  ASSERT_TRUE(std::filesystem::exists(path));
  bench->commands().push(CommandId::ShowPage, "counting");
  frame();
  ASSERT_EQ(&bench->shown(), counting);
  bench->commands().push(CommandId::ShowPage, "graph");
  bench->commands().push(CommandId::OpenUntitled, path);
  bench->commands().push(CommandId::ShowReplay,
                         R"({"step": 5, "samples": 32, "loss_trainer": 0.958074, "loss_graph": 0.9580741,)"
                         R"( "params": [{"name": "W1", "max_rel_diff": 1e-7}, {"name": "b3", "max_rel_diff": 8e-8}]})");
  bench->commands().push(CommandId::ShowStatus, "the comparison, in one line");
  frame();
  frame();
  ASSERT_EQ(&bench->shown(), graph);
  EXPECT_EQ(graph->status().text, "the comparison, in one line");
  EXPECT_FALSE(graph->status().error);
  EXPECT_TRUE(graph->document().path.empty());  // Save asks for a place
  EXPECT_TRUE(graph->document().dirty);         // quitting asks first
  auto shown = [&](const std::string& text) {
    return std::find(record.visible_text.begin(), record.visible_text.end(), text) != record.visible_text.end();
  };
  EXPECT_TRUE(shown("Step 5 replayed: the trainer's gradients against the graph's adjoints (32 samples)"));
  EXPECT_TRUE(shown("max relative difference: W1 1.0e-07 · b3 8.0e-08"));
  EXPECT_TRUE(shown("loss: trainer 0.958074 (float), graph 0.958074 (double)"));
  // Another graph: the panel goes with the one it came with.
  bench->commands().push(CommandId::OpenExample, "seed004");
  frame();
  EXPECT_FALSE(shown("max relative difference: W1 1.0e-07 · b3 8.0e-08"));
  // AskPath: the path dialog, as File > Export > As PyTorch script opens it.
  EXPECT_EQ(ImGui::GetCurrentContext()->OpenPopupStack.Size, 0);
  bench->commands().push(CommandId::AskPath, "export_torch");
  frame();
  frame();
  EXPECT_EQ(ImGui::GetCurrentContext()->OpenPopupStack.Size, 1);
  std::filesystem::remove(path);
}

// Presentation mode: a clicker's blank-screen key (B or .) blanks the screen; any key brings it
// back without stepping; the next key steps again (issue 9).
TEST_F(WorkbenchTest, ABlankScreenKeyBlanksAPresentationUntilAnyKey) {
  make(false);
  bench->set_presenting(true);
  frame();
  for (const ImWchar blank : {ImWchar('b'), ImWchar('.'), ImWchar('B')}) {
    ImGui::GetIO().AddInputCharacter(blank);
    frame();
    EXPECT_TRUE(bench->blanked()) << static_cast<char>(blank);
    const Cursor before = graph->session().lesson().cursor();
    frame();
    EXPECT_TRUE(bench->blanked()) << "stays black";
    frame(kRight);
    EXPECT_FALSE(bench->blanked()) << "any key brings it back";
    EXPECT_EQ(graph->session().lesson().cursor(), before) << "and does nothing else";
    frame();  // the key up (ImGui 1.86 sees a press only after a frame without it)
    frame(kRight);
    EXPECT_NE(graph->session().lesson().cursor(), before);
  }
  bench->set_presenting(false);
  ImGui::GetIO().AddInputCharacter('b');
  frame();
  EXPECT_FALSE(bench->blanked()) << "only in a presentation";
}

// ImGui draws a popup hidden in the frame it opens (to measure it): the workbench asks for the
// next frame at once for every popup of the program, the shell's menus and the pages' lists alike
// (the Graph page's lists and the menus once appeared only at the next mouse move; issue 8).
TEST_F(WorkbenchTest, AGraphPageListShowsInTheFrameAfterTheClickWithoutInput) {
  make(false);
  frame();
  const ControlRecord* speed = nullptr;
  for (const ControlRecord& c : record.controls)
    if (c.id == "speed") speed = &c;
  ASSERT_NE(speed, nullptr);
  expect_popup_in_the_frame_after_the_click(ImVec2((speed->rect[0] + speed->rect[2]) / 2, (speed->rect[1] + speed->rect[3]) / 2));
}

TEST_F(WorkbenchTest, AMenuShowsInTheFrameAfterTheClickWithoutInput) {
  make(false);
  frame();
  const ImGuiWindow* window = ImGui::FindWindowByName("gradscope");
  ASSERT_NE(window, nullptr);
  const ImRect bar = window->MenuBarRect();  // File is the bar's first menu, at its padding
  const float x = bar.Min.x + std::max(ImGui::GetStyle().WindowPadding.x, ImGui::GetStyle().ItemSpacing.x) + 4;
  expect_popup_in_the_frame_after_the_click(ImVec2(x, (bar.Min.y + bar.Max.y) / 2));
}

// View ▸ Text size's keys (issue 9): Ctrl+= and Ctrl+- ask for fonts 2 px larger or smaller,
// Ctrl+0 for the size the program started with; each asks for the next frame at once, drawn
// with the new fonts (they showed only at the next input when asked in the loop's last frame).
TEST_F(WorkbenchTest, TextSizeKeysAskForNewFontsAndAFrameAtOnce) {
  make(false);
  frame();
  struct Case {
    int key;
    int delta;
    bool reset;
  };
  for (const Case c : {Case{'=', +1, false}, Case{'-', -1, false}, Case{'0', 0, true}}) {
    requests.redraw.clear();
    frame(c.key, true);
    frame();
    EXPECT_EQ(requests.text_size_delta, c.delta) << static_cast<char>(c.key);
    EXPECT_EQ(requests.text_size_reset, c.reset) << static_cast<char>(c.key);
    ASSERT_TRUE(requests.redraw.pending()) << static_cast<char>(c.key) << ": no frame asked for";
    EXPECT_LE(requests.redraw.due(), now) << static_cast<char>(c.key);
    requests.text_size_delta = 0;  // as the main loop takes them
    requests.text_size_reset = false;
  }
}
