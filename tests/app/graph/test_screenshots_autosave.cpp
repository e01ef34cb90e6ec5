// The autosave offer as a person sees it at start-up (issue 10): the question and both buttons
// on the Graph page, whole at 1600×900 and at the projector's 1024×768, and the autosave still
// there afterwards (offered, not overwritten).
#include "../screenshot.h"

#include <filesystem>

namespace gs::app::testing {
namespace {

TEST(ScreenshotAutosave, TheOfferIsShownWholeAtBothSizes) {
  const std::string dir = std::string(GRADSCOPE_SHOT_DIR) + "/autosave_state";
  fs::remove_all(dir);
  fs::create_directories(dir);
  // An example graph stands for what a crashed session autosaved (the source tree's assets).
  fs::copy_file(fs::path(__FILE__).parent_path() / "../../../assets/examples/fanout.json", dir + "/autosave.json");
  for (const char* size : {"1600x900", "1024x768"}) {
    const auto shot = take(std::string("autosave_offer_") + size, "--state-dir '" + dir + "'", size);
    if (!shot) GTEST_SKIP() << "no display";
    const json& d = shot->drawn;
    EXPECT_TRUE(shows_text(d, "gradscope did not close normally: a graph was autosaved at ")) << size;
    EXPECT_TRUE(shows_text(d, "Recover it")) << size;
    EXPECT_TRUE(shows_text(d, "Discard")) << size;
    EXPECT_FALSE(shows_text(d, "(autosave offer cut off)")) << size;
    EXPECT_TRUE(fs::exists(dir + "/autosave.json")) << "still there after a session that did not answer";
  }
}

}  // namespace
}  // namespace gs::app::testing
