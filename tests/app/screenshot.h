// Taking `gradscope --screenshot` in a test and reading its frame record: under xvfb-run (or on
// the current display), a PNG and the JSON beside it (DESIGN.md's contract). Shared by every
// test_screenshots*.cpp (the app_screenshot_tests executable defines GRADSCOPE_APP, the program,
// and GRADSCOPE_SHOT_DIR, where the pictures go). No GL in the test itself.
#pragma once

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

namespace gs::app::testing {

namespace fs = std::filesystem;
using nlohmann::json;

inline bool on_path(const char* tool) {
  return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0;
}

struct Shot {
  json drawn;
  int width = 0, height = 0;
  std::uintmax_t png_bytes = 0;
};

// Width and height from the PNG's IHDR chunk.
inline bool png_size(const std::string& path, int* w, int* h) {
  std::ifstream in(path, std::ios::binary);
  unsigned char b[24] = {};
  if (!in.read(reinterpret_cast<char*>(b), sizeof b) || b[1] != 'P' || b[2] != 'N' || b[3] != 'G') return false;
  *w = (b[16] << 24) | (b[17] << 16) | (b[18] << 8) | b[19];
  *h = (b[20] << 24) | (b[21] << 16) | (b[22] << 8) | b[23];
  return true;
}

// Runs the program with `args` at `size`, writing GRADSCOPE_SHOT_DIR/NAME.png and NAME.json;
// nullopt (and the test is skipped) when there is no display to be had.
inline std::optional<Shot> take(const std::string& name, const std::string& args, const std::string& size = "1600x900") {
  std::string launcher;
  if (on_path("xvfb-run")) launcher = "xvfb-run -a -s '-screen 0 1920x1200x24' ";
  else if (!std::getenv("DISPLAY")) return std::nullopt;
  fs::create_directories(GRADSCOPE_SHOT_DIR);
  const std::string png = std::string(GRADSCOPE_SHOT_DIR) + "/" + name + ".png";
  const std::string js = std::string(GRADSCOPE_SHOT_DIR) + "/" + name + ".json";
  fs::remove(png);
  fs::remove(js);
  const std::string cmd = launcher + "'" + GRADSCOPE_APP + "' --screenshot '" + png + "' --size " + size + " " + args;
  const int rc = std::system(cmd.c_str());
  EXPECT_EQ(rc, 0) << cmd;
  Shot s;
  EXPECT_TRUE(png_size(png, &s.width, &s.height)) << "no PNG written by: " << cmd;
  std::ifstream in(js);
  EXPECT_TRUE(in.good()) << "no JSON written by: " << cmd;
  if (!in.good()) return s;
  s.drawn = json::parse(in);
  s.png_bytes = fs::file_size(png);
  return s;
}

inline const json* node(const json& drawn, const std::string& label) {
  for (const json& n : drawn["nodes"])
    if (n["label"] == label) return &n;
  return nullptr;
}

inline bool has_text(const json& n, const std::string& text) {
  for (const json& t : n["texts"])
    if (t.get<std::string>().find(text) != std::string::npos) return true;
  return false;
}

inline const json* table(const json& drawn, const std::string& name) {
  for (const json& t : drawn["tables"])
    if (t["name"] == name) return &t;
  return nullptr;
}

// The plot whose id is `id` ("Loss##loss"), and a series of a plot by name; null when absent.
inline const json* plot(const json& drawn, const std::string& id) {
  for (const json& p : drawn["plots"])
    if (p["id"] == id) return &p;
  return nullptr;
}

inline const json* series(const json& p, const std::string& name) {
  for (const json& s : p["series"])
    if (s["name"] == name) return &s;
  return nullptr;
}

// Whether some visible text contains `text`.
inline bool shows_text(const json& drawn, const std::string& text) {
  for (const json& t : drawn["visible_text"])
    if (t.get<std::string>().find(text) != std::string::npos) return true;
  return false;
}

#define TAKE_OR_SKIP(var, name, args)                                 \
  auto var##_opt = take(name, args);                                  \
  if (!var##_opt) GTEST_SKIP() << "no xvfb-run and no DISPLAY";       \
  const json& var = var##_opt->drawn;                                 \
  ASSERT_FALSE(var.is_null())

}  // namespace gs::app::testing
