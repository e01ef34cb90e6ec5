// Framebuffer objects, glReadPixels and PNG output. GL through glad; no ImGui.
#include "app/gl_capture.h"

#include <glad/gl.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cstring>

namespace gs::app {

OffscreenTarget::~OffscreenTarget() {
  if (color_) glDeleteTextures(1, &color_);
  if (fbo_) glDeleteFramebuffers(1, &fbo_);
}

bool OffscreenTarget::create(int width, int height) {
  width_ = width;
  height_ = height;
  glGenTextures(1, &color_);
  glBindTexture(GL_TEXTURE_2D, color_);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glGenFramebuffers(1, &fbo_);
  glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, color_, 0);
  const bool ok = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  return ok;
}

void OffscreenTarget::bind() const { glBindFramebuffer(GL_FRAMEBUFFER, fbo_); }

std::vector<unsigned char> read_pixels(int x, int y, int w, int h, int framebuffer_height) {
  std::vector<unsigned char> rgba(static_cast<std::size_t>(w) * h * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  // GL counts rows from the bottom.
  glReadPixels(x, framebuffer_height - y - h, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
  const std::size_t row = static_cast<std::size_t>(w) * 4;
  std::vector<unsigned char> tmp(row);
  for (int r = 0; r < h / 2; ++r) {
    unsigned char* a = rgba.data() + r * row;
    unsigned char* b = rgba.data() + (h - 1 - r) * row;
    std::memcpy(tmp.data(), a, row);
    std::memcpy(a, b, row);
    std::memcpy(b, tmp.data(), row);
  }
  for (std::size_t i = 3; i < rgba.size(); i += 4) rgba[i] = 255;  // opaque, whatever the clear alpha
  return rgba;
}

bool write_png(const std::string& path, int w, int h, const std::vector<unsigned char>& rgba, std::string* error) {
  if (!stbi_write_png(path.c_str(), w, h, 4, rgba.data(), w * 4)) {
    if (error) *error = "cannot write " + path;
    return false;
  }
  return true;
}

}  // namespace gs::app
