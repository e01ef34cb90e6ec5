// Opening a large graph file off the UI thread (issue 10: a 100,000-node file froze the window for
// 3–4 s). The Graph page in the workbench, frame by frame in an ImGui context without a renderer:
// a file of 512 KB or more (graph or lesson) is read on a thread of its own while the page says
// "opening NAME…" and keeps the open graph, usable; the graph is replaced only when the file read
// and was not edited meanwhile (else the page asks); a malformed file names its error and changes
// nothing; opening again or quitting while a file is read is safe.
// The files are shipped examples padded with spaces past 512 KB (quick to read). No sleeps: the
// "still opening" state is made by holding the open before it reads (BackgroundOpen::hold), and
// its end is waited for (BackgroundOpen::wait). No GL.
#include "app/graph/page_graph.h"
#include "app/shell/pages.h"
#include "app/shell/workbench.h"

#include "../headless_imgui.h"
#include "../temp_path.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

using namespace gs;
using namespace gs::app;

namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// `text` followed by spaces up to 600,000 bytes: a large file, by size.
std::string padded_file(const std::string& name, const std::string& text) {
  const fs::path path = test_support::unique_temp_path(name);
  std::ofstream(path, std::ios::binary) << text << std::string(600000 - std::min<std::size_t>(text.size(), 600000), ' ');
  EXPECT_GE(fs::file_size(path), kBackgroundOpenBytes);
  return path.string();
}

std::string example_text(const std::string& name) { return read_all(fs::path(examples_dir()) / (name + ".json")); }

class BackgroundOpenPage : public ::testing::Test {
 protected:
  test_support::HeadlessImGui imgui_{ImVec2(1024, 768)};  // first: made before, gone after the rest
  std::unique_ptr<Workbench> bench_;
  GraphPage* page_ = nullptr;
  FontSet fonts_;
  FrameRequests requests_;
  FrameRecord record_;
  double now_ = 1.0;

  void SetUp() override {
    PageList pages = make_pages();
    pages.resize(1);
    page_ = dynamic_cast<GraphPage*>(pages[0].get());
    ASSERT_NE(page_, nullptr);
    ASSERT_TRUE(page_->start(LaunchOptions{}));  // seed 004
    bench_ = std::make_unique<Workbench>(std::move(pages));
    frame();
  }
  void frame() {
    record_ = FrameRecord{};
    requests_.redraw.clear();
    ImGui::NewFrame();
    PageContext ctx{fonts_, requests_, &record_, now_};
    bench_->draw(ctx);
    ImGui::Render();
    now_ += 1.0 / 60;
  }
  void open(const std::string& path) { bench_->commands().push(Command{CommandId::Open, path}); }
  Session& session() { return page_->session(); }
  // Frames until the running open is taken: its thread is waited for, then one frame takes it.
  void finish() {
    page_->background_open().wait();
    frame();
    ASSERT_FALSE(page_->background_open().busy());
  }
};

TEST_F(BackgroundOpenPage, ALargeFileOpensOffTheUIThreadWhileThePageSaysSoAndKeepsWorking) {
  const std::string file = padded_file("sigmoid neuron large.json", example_text("sigmoid_neuron"));
  const int generation = session().generation();
  const std::size_t nodes = session().model().nodes().size();
  page_->background_open().hold();
  open(file);
  for (int f = 0; f < 3; ++f) {
    frame();
    ASSERT_TRUE(page_->background_open().busy());
    EXPECT_EQ(record_.status, "opening sigmoid neuron large.json…");
    EXPECT_GT(requests_.redraw.due(), 0.0) << "the page asks for frames to look again";
    EXPECT_EQ(session().generation(), generation) << "the open graph stays until the file is read";
    EXPECT_EQ(session().model().nodes().size(), nodes);
  }
  // Still usable meanwhile: stepping the open graph.
  session().lesson().step_forward();
  frame();
  EXPECT_EQ(session().lesson().cursor().step, 1);
  page_->background_open().release();
  finish();
  EXPECT_EQ(session().generation(), generation + 1);
  EXPECT_EQ(session().path(), file);
  EXPECT_NE(session().model().nodes().size(), nodes) << "sigmoid_neuron's graph, not seed 004's";
  EXPECT_EQ(session().lesson().cursor().step, 0) << "a new lesson";
  EXPECT_FALSE(session().dirty());
  EXPECT_EQ(session().recent_files().front(), recent_spelling(file));
  frame();
  EXPECT_EQ(record_.status, "opened sigmoid neuron large.json");
  EXPECT_FALSE(page_->status().error);
}

TEST_F(BackgroundOpenPage, TheGraphMatchesTheSameFileOpenedOnTheUIThread) {
  const std::string file = padded_file("seed004 large.json", example_text("two_layer_ce"));
  open(file);
  frame();
  finish();
  Session direct;
  ASSERT_TRUE(direct.open_file(file));
  ASSERT_EQ(session().model().nodes().size(), direct.model().nodes().size());
  for (std::size_t i = 0; i < direct.model().nodes().size(); ++i) {
    EXPECT_EQ(session().model().nodes()[i].pos.x, direct.model().nodes()[i].pos.x) << "node " << i;
    EXPECT_EQ(session().model().nodes()[i].pos.y, direct.model().nodes()[i].pos.y) << "node " << i;
    EXPECT_EQ(session().node_sizes()[i].x, direct.node_sizes()[i].x) << "node " << i;
  }
  EXPECT_TRUE(session().lesson().ready());
  EXPECT_EQ(session().lesson().graph().size(), direct.lesson().graph().size());
}

TEST_F(BackgroundOpenPage, AMalformedLargeFileNamesItsErrorAndKeepsTheOpenGraph) {
  const std::string file = padded_file("broken large.json", "{\"nodes\": [ {\"op\": ");
  const int generation = session().generation();
  const std::size_t nodes = session().model().nodes().size();
  session().lesson().step_forward();
  open(file);
  frame();
  finish();
  frame();
  EXPECT_TRUE(page_->status().error);
  EXPECT_NE(record_.status.find("could not open"), std::string::npos) << record_.status;
  EXPECT_NE(record_.status.find("broken large.json"), std::string::npos) << record_.status;
  EXPECT_EQ(session().generation(), generation);
  EXPECT_EQ(session().model().nodes().size(), nodes);
  EXPECT_EQ(session().lesson().cursor().step, 1) << "the open graph's lesson where it was";
  EXPECT_TRUE(session().path().empty());
}

TEST_F(BackgroundOpenPage, OpeningAgainWhileAFileIsReadKeepsTheLastChoice) {
  const std::string first = padded_file("first large.json", example_text("sigmoid_neuron"));
  const std::string second = padded_file("second large.json", example_text("two_layer_ce"));
  page_->background_open().hold();
  open(first);
  frame();
  open(second);
  frame();
  EXPECT_EQ(record_.status, "opening second large.json…");
  page_->background_open().release();
  finish();
  for (int f = 0; f < 3; ++f) frame();
  EXPECT_EQ(session().path(), second);
  // A small file (opened at once) or an example chosen meanwhile wins the same way.
  page_->background_open().hold();
  open(first);
  frame();
  bench_->commands().push(Command{CommandId::OpenExample, "seed004"});
  frame();
  EXPECT_FALSE(page_->background_open().busy());
  const int generation = session().generation();
  page_->background_open().release();
  for (int f = 0; f < 3; ++f) frame();
  EXPECT_EQ(session().generation(), generation) << "the dropped open never replaces the example";
  EXPECT_TRUE(session().path().empty());
}

TEST_F(BackgroundOpenPage, QuittingWhileAFileIsReadIsSafe) {
  const std::string file = padded_file("quit large.json", example_text("sigmoid_neuron"));
  page_->background_open().hold();
  open(file);
  frame();
  ASSERT_TRUE(page_->background_open().busy());
  bench_.reset();  // the page goes with its held thread: released and waited for
  // And while it reads, not held.
  SetUp();
  open(file);
  frame();
  bench_.reset();
}

std::string lesson_text_of(const std::string& name) { return read_all(fs::path(examples_dir()) / ".." / "lessons" / (name + ".json")); }

// As graph files: read and parsed on the open's thread (the file is gone before the UI thread
// takes the result), the open graph kept meanwhile.
TEST_F(BackgroundOpenPage, ALargeLessonFileOpensAsALessonOffTheUIThread) {
  const std::string file = padded_file("lesson large.json", lesson_text_of("sigmoid_neuron"));
  const int generation = session().generation();
  page_->background_open().hold();
  open(file);
  for (int f = 0; f < 3; ++f) {
    frame();
    ASSERT_TRUE(page_->background_open().busy());
    EXPECT_EQ(record_.status, "opening lesson large.json…");
    EXPECT_EQ(session().generation(), generation);
    EXPECT_EQ(page_->lesson_file(), nullptr);
  }
  page_->background_open().release();
  page_->background_open().wait();
  fs::remove(file);  // the UI thread reads nothing
  frame();
  ASSERT_FALSE(page_->background_open().busy());
  ASSERT_NE(page_->lesson_file(), nullptr) << record_.status;
  EXPECT_EQ(page_->lesson_file()->notes.size(), 21u);
  EXPECT_EQ(session().generation(), generation + 1);
  EXPECT_EQ(session().lesson().graph().size(), 10) << "seed 001's flat code";
  EXPECT_TRUE(session().path().empty()) << "as a small lesson file: its graph is untitled";
  EXPECT_FALSE(session().dirty());
  frame();
  EXPECT_EQ(record_.status.rfind("lesson: Seed 001", 0), 0u) << record_.status;
  EXPECT_FALSE(page_->status().error);
}

TEST_F(BackgroundOpenPage, AMalformedLargeLessonNamesTheFileAndWhereAndKeepsTheOpenGraph) {
  std::string text = lesson_text_of("sigmoid_neuron");
  const std::size_t at = text.find("\"reverse:10\"");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 12, "\"reverse:12\"");
  const std::string file = padded_file("bad lesson large.json", text);
  const int generation = session().generation();
  session().lesson().step_forward();
  open(file);
  frame();
  page_->background_open().wait();
  fs::remove(file);
  frame();
  frame();
  EXPECT_TRUE(page_->status().error);
  EXPECT_NE(record_.status.find("bad lesson large.json"), std::string::npos) << record_.status;
  EXPECT_NE(record_.status.find("steps[20].at: \"reverse:12\" is past the end"), std::string::npos) << record_.status;
  EXPECT_EQ(session().generation(), generation);
  EXPECT_EQ(session().lesson().cursor().step, 1) << "the open graph's lesson where it was";
  EXPECT_EQ(page_->lesson_file(), nullptr);
}

bool shows(const FrameRecord& r, const std::string& text) {
  return std::find(r.visible_text.begin(), r.visible_text.end(), text) != r.visible_text.end();
}

// An edit made while a file is read is never replaced unasked: the file is held and a bar asks.
TEST_F(BackgroundOpenPage, AnEditMadeWhileAFileIsReadIsKeptUntilTheUserChooses) {
  const std::string file = padded_file("edited meanwhile.json", example_text("sigmoid_neuron"));
  auto edit_x1 = [&](double v) { session().edit([v](GraphModel& m) { m.find(DocId{0})->value = TensorD::scalar(v); }); };
  page_->background_open().hold();
  open(file);
  frame();
  edit_x1(3.0);
  const int generation = session().generation();
  page_->background_open().release();
  finish();
  for (int f = 0; f < 3; ++f) {
    frame();
    ASSERT_NE(page_->held_open(), nullptr);
    EXPECT_EQ(*page_->held_open(), file);
    EXPECT_TRUE(shows(record_, "The graph was edited while the file was read:"));
    EXPECT_TRUE(shows(record_, "Open edited meanwhile.json (discard the edits)"));
    EXPECT_TRUE(shows(record_, "Keep the edited graph"));
    EXPECT_EQ(session().generation(), generation) << "the edited graph stays meanwhile";
    EXPECT_EQ(session().lesson().built().bindings.at("x1").item(), 3.0);
  }
  page_->answer_held_open(false);
  frame();
  EXPECT_EQ(page_->held_open(), nullptr);
  EXPECT_FALSE(shows(record_, "Keep the edited graph"));
  EXPECT_EQ(record_.status, "kept the edited graph; edited meanwhile.json was not opened");
  EXPECT_EQ(session().generation(), generation);
  EXPECT_TRUE(session().dirty());
  EXPECT_EQ(session().lesson().built().bindings.at("x1").item(), 3.0);

  // Again, a node moved meanwhile; this time the file wins.
  page_->background_open().hold();
  open(file);
  frame();
  session().move_nodes({DocId{0}}, 20, 0);
  page_->background_open().release();
  finish();
  frame();
  ASSERT_NE(page_->held_open(), nullptr);
  page_->answer_held_open(true);
  frame();
  EXPECT_EQ(page_->held_open(), nullptr);
  EXPECT_EQ(session().path(), file);
  EXPECT_EQ(session().generation(), generation + 1);
  EXPECT_FALSE(session().dirty());
  EXPECT_EQ(record_.status, "opened edited meanwhile.json");

  // Held, and then something else opened: the last choice wins, the held file goes.
  page_->background_open().hold();
  open(file);
  frame();
  edit_x1(4.0);
  page_->background_open().release();
  finish();
  ASSERT_NE(page_->held_open(), nullptr);
  bench_->commands().push(Command{CommandId::OpenExample, "seed004"});
  frame();
  EXPECT_EQ(page_->held_open(), nullptr);
  EXPECT_TRUE(session().path().empty());
}

// A lesson file arriving after an edit is held the same way.
TEST_F(BackgroundOpenPage, ALargeLessonArrivingAfterAnEditIsHeldToo) {
  const std::string file = padded_file("held lesson large.json", lesson_text_of("sigmoid_neuron"));
  page_->background_open().hold();
  open(file);
  frame();
  session().relayout();
  page_->background_open().release();
  finish();
  frame();
  ASSERT_NE(page_->held_open(), nullptr);
  EXPECT_EQ(page_->lesson_file(), nullptr);
  page_->answer_held_open(true);
  frame();
  ASSERT_NE(page_->lesson_file(), nullptr);
  EXPECT_EQ(session().lesson().graph().size(), 10);
}

}  // namespace
