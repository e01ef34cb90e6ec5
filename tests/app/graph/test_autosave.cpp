// Autosave that cannot be lost (issue 10): an autosave the last session left is offered at
// start-up and never overwritten before the user answers; a normal end removes the autosave, an
// unanswered offer keeps it; a write that fails (a folder in the way, a full disk) is said on the
// status line, once. No GL.
#include "app/graph/session.h"

#include <sys/resource.h>

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace gs;
using namespace gs::app;

namespace {

namespace fs = std::filesystem;

std::string contents(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string fresh_dir(const std::string& name) {
  const std::string dir = ::testing::TempDir() + "/" + name;
  fs::remove_all(dir);
  return dir;
}

// A session that edits x1 to `value` and autosaves it (the edit, then two seconds later).
void edit_and_autosave(Session& s, double value, double at) {
  s.edit([value](GraphModel& m) { m.find(DocId{0})->value = TensorD::scalar(value); });
  s.autosave_if_due(at);
  s.autosave_if_due(at + 3.0);
}

// What a crash leaves: a session that autosaved and never ended normally.
void crashed_session(const std::string& dir, double value) {
  Session s;
  s.enable_persistence(dir);
  s.load(builtin_seed004(), "");
  edit_and_autosave(s, value, 100.0);
  ASSERT_TRUE(fs::exists(dir + "/autosave.json"));
}

}  // namespace

// The example: nothing offered the crash autosave, and the next session's first edit
// overwrote it.
TEST(Autosave, TheLastSessionsAutosaveIsOfferedAndNotOverwrittenUntilAnswered) {
  const std::string dir = fresh_dir("gradscope_autosave_offer");
  crashed_session(dir, 4.0);
  const std::string crashed = contents(dir + "/autosave.json");

  Session next;
  next.enable_persistence(dir);
  next.load(builtin_seed004(), "");
  ASSERT_EQ(next.autosave_offer().file, dir + "/autosave.json");
  EXPECT_EQ(next.autosave_offer().written.size(), 16u) << "YYYY-MM-DD HH:MM: " << next.autosave_offer().written;
  edit_and_autosave(next, 7.0, 200.0);
  EXPECT_EQ(contents(dir + "/autosave.json"), crashed) << "not overwritten before the offer is answered";
  EXPECT_GT(next.autosave_due(), 0.0) << "the edit still waits to be autosaved";

  // Discarded: set aside (a slip can be undone by hand), and autosaving goes on with the new edit.
  next.discard_autosave();
  EXPECT_TRUE(next.autosave_offer().file.empty());
  EXPECT_EQ(contents(dir + "/autosave-discarded.json"), crashed);
  next.autosave_if_due(210.0);
  ASSERT_TRUE(fs::exists(dir + "/autosave.json"));
  EXPECT_NE(contents(dir + "/autosave.json"), crashed);

  // A normal end removes the autosave: the session after it is offered nothing.
  next.end_persistence();
  EXPECT_FALSE(fs::exists(dir + "/autosave.json"));
  Session after;
  after.enable_persistence(dir);
  EXPECT_TRUE(after.autosave_offer().file.empty());
}

TEST(Autosave, RecoveringAnswersTheOfferAndAnUnansweredOfferSurvivesANormalEnd) {
  const std::string dir = fresh_dir("gradscope_autosave_recover");
  crashed_session(dir, 4.0);
  {
    Session ignored;
    ignored.enable_persistence(dir);
    ignored.load(builtin_seed004(), "");
    ignored.end_persistence();  // closed without answering
  }
  EXPECT_TRUE(fs::exists(dir + "/autosave.json")) << "still there to be offered next time";

  Session s;
  s.enable_persistence(dir);
  s.load(builtin_seed004(), "");
  ASSERT_FALSE(s.autosave_offer().file.empty());
  ASSERT_TRUE(s.recover_autosave()) << s.status().text;
  EXPECT_EQ(s.lesson().built().bindings.at("x1").item(), 4.0);
  EXPECT_TRUE(s.autosave_offer().file.empty());
  edit_and_autosave(s, 9.0, 300.0);
  Session check;
  check.enable_persistence(dir);
  check.load(builtin_seed004(), "");
  ASSERT_TRUE(check.recover_autosave());
  EXPECT_EQ(check.lesson().built().bindings.at("x1").item(), 9.0) << "autosaving went on after the recovery";
}

// The other example: with the autosave folder unwritable or the disk full, autosave failed
// silently.
TEST(Autosave, AWriteThatFailsIsSaidOnceOnTheStatusLine) {
  const std::string dir = fresh_dir("gradscope_autosave_blocked");
  fs::create_directories(dir + "/autosave.json");  // a folder where the file should go
  Session s;
  s.enable_persistence(dir);
  s.load(builtin_seed004(), "");
  EXPECT_TRUE(s.autosave_offer().file.empty()) << "a folder is not an autosave to offer";
  edit_and_autosave(s, 5.0, 100.0);
  EXPECT_TRUE(s.status().error);
  EXPECT_NE(s.status().text.find("autosave cannot write: cannot write '" + dir + "/autosave.json': it is a directory"),
            std::string::npos)
      << s.status().text;
  EXPECT_NE(s.status().text.find("your edits are not being saved"), std::string::npos);
  s.set_status("something else");
  edit_and_autosave(s, 6.0, 200.0);
  EXPECT_EQ(s.status().text, "something else") << "said once, not at every edit";
  fs::remove_all(dir);

  // A full disk (a file-size limit stands in for it: EFBIG instead of ENOSPC).
  const std::string full = fresh_dir("gradscope_autosave_full");
  Session t;
  t.enable_persistence(full);
  t.load(builtin_seed004(), "");
  rlimit old{};
  getrlimit(RLIMIT_FSIZE, &old);
  auto* handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit tiny = old;
  tiny.rlim_cur = 64;
  setrlimit(RLIMIT_FSIZE, &tiny);
  edit_and_autosave(t, 5.0, 100.0);
  setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, handler);
  EXPECT_TRUE(t.status().error);
  EXPECT_NE(t.status().text.find("File too large"), std::string::npos) << t.status().text;
  EXPECT_FALSE(fs::exists(full + "/autosave.json")) << "no half-written autosave";
}
