// Pixels out of OpenGL: an off-screen framebuffer for --screenshot (a hidden window under Xvfb
// may have no visible pixels to read), read-back of a screen region (exporting the canvas), and
// PNG writing with stb_image_write. Needs a current GL 3.3 context; no ImGui.
#pragma once

#include <string>
#include <vector>

namespace gs::app {

class OffscreenTarget {
 public:
  OffscreenTarget() = default;
  OffscreenTarget(const OffscreenTarget&) = delete;
  OffscreenTarget& operator=(const OffscreenTarget&) = delete;
  ~OffscreenTarget();
  bool create(int width, int height);
  void bind() const;  // render into it
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  unsigned fbo_ = 0, color_ = 0;
  int width_ = 0, height_ = 0;
};

// RGBA rows top to bottom of the region (x, y from the top-left) of the bound read framebuffer,
// whose height is `framebuffer_height`.
std::vector<unsigned char> read_pixels(int x, int y, int w, int h, int framebuffer_height);
bool write_png(const std::string& path, int w, int h, const std::vector<unsigned char>& rgba, std::string* error);

}  // namespace gs::app
