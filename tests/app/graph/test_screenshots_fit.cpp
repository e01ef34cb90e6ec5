// The graph on a 1024×768 projector, through the frame record (issue 9): where the text is small
// the canvas says so on its bottom line, honestly rounded, covering no node and no label; one
// minus sign (U+2212) everywhere numbers and formulas are drawn. (12 px for every shipped graph:
// test_projector_fit.cpp, headless.)
#include "../screenshot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

using nlohmann::json;
using namespace gs::app::testing;

namespace {

bool fit_rects_overlap(const json& a, const json& b) {
  return a[0].get<float>() < b[2].get<float>() && b[0].get<float>() < a[2].get<float>() && a[1].get<float>() < b[3].get<float>() &&
         b[1].get<float>() < a[3].get<float>();
}

// An ASCII hyphen used as a minus sign: before a digit, or alone between spaces.
bool has_ascii_minus(const std::string& text) {
  static const std::regex kMinus("(^|[^A-Za-z_])-([0-9.]|inf| )");
  return std::regex_search(text, kMinus);
}

}  // namespace

// Where the text is small the bottom line of the canvas says how small, rounded down to one
// decimal ("11.6", never "12"), and neither it nor the key hint covers a node or a label, also
// with the expression's error line taking height from the canvas. At 800×600: at 1024×768 the
// stacked lab now gives the canvas the height 12 px needs, error line or not.
TEST(ScreenshotFit, TheSmallTextWarningIsHonestAndCoversNothing) {
  auto shot = take("fit_warning_800", "--example one_hidden_l2 --expression 'y = sinn(x)' --steps reverse:999", "800x600");
  if (!shot) GTEST_SKIP() << "no xvfb-run and no DISPLAY";
  const json& d = shot->drawn;
  ASSERT_FALSE(d.is_null());
  ASSERT_NE(d["error"].get<std::string>(), "") << "the error line is shown";
  const float px = d["canvas"]["min_text_px"].get<float>();
  ASSERT_LT(px, 12.0f) << "this case needs small text";
  const json& notes = d["canvas"]["notes"];
  ASSERT_GE(notes.size(), 1u);
  char want[32];
  std::snprintf(want, sizeof want, "text is %.1f px here, under 12", std::floor(px * 10.0f) / 10.0f);
  EXPECT_NE(notes[0].get<std::string>().find(want), std::string::npos) << notes[0] << " for " << px << " px";
  for (const json& r : d["canvas"]["note_rects"]) {
    for (const json& n : d["nodes"]) EXPECT_FALSE(fit_rects_overlap(r, n["rect"])) << "a note covers " << n["label"];
    for (const json& l : d["links"])
      if (!l["label_rect"].is_null()) { EXPECT_FALSE(fit_rects_overlap(r, l["label_rect"])) << "a note covers " << l["label"]; }
  }
}

// One minus sign on screen: the trace tables, the banner, the nodes, the link labels and the
// inspector's paths write −, never '-' ("1·(−1) = −1", "0.28366·(−1)").
TEST(ScreenshotFit, NumbersAndFormulasUseOneMinusSign) {
  auto shot = take("fit_minus_1024", "--steps reverse:7 --select v2 --paths", "1024x768");
  if (!shot) GTEST_SKIP() << "no xvfb-run and no DISPLAY";
  const json& d = shot->drawn;
  ASSERT_FALSE(d.is_null());
  std::vector<std::string> texts = {d["banner"]["row"].get<std::string>()};
  for (const json& t : d["tables"])
    for (const json& r : t["rows"]) texts.push_back(r.get<std::string>());
  for (const json& n : d["nodes"])
    for (const json& t : n["texts"]) texts.push_back(t.get<std::string>());
  for (const json& l : d["links"]) texts.push_back(l["label"].get<std::string>());
  for (const json& line : d["inspector"]) texts.push_back(line.get<std::string>());
  bool unicode_minus = false, path_minus = false;
  for (const std::string& t : texts) {
    EXPECT_FALSE(has_ascii_minus(t)) << t;
    unicode_minus = unicode_minus || t.find("\u2212") != std::string::npos;
    path_minus = path_minus || t.find("\u00b7(\u22121)") != std::string::npos;
  }
  EXPECT_TRUE(unicode_minus);
  EXPECT_TRUE(path_minus) << "v2's path through sin and the subtraction: ·(−1)";
}
