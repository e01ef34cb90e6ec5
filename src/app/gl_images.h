// The pages' ImageService on OpenGL: data uploaded as float textures, coloured by the colour-map
// shader of shaders/ (colormap.vert, colormap.frag, compiled once through glad) into a texture per
// picture, which the pages draw with ImGui::Image. When a shader file is missing or does not
// compile, problem() names the file and the compiler's message, and every call returns nullptr:
// the pages draw their cells on the CPU. Needs a current GL 3.3 context; part of the executable.
#pragma once

#include "app/base/images.h"

#include <cstdint>
#include <map>
#include <string>

namespace gs::app {

// Where the shaders are: $GRADSCOPE_SHADERS, an installed copy beside the program
// (<bin>/../share/gradscope/shaders), or the source tree's shaders/ (compiled in).
std::string shaders_dir(const char* argv0);

class GlImages final : public ImageService {
 public:
  explicit GlImages(const std::string& shader_dir);
  ~GlImages() override;
  GlImages(const GlImages&) = delete;
  GlImages& operator=(const GlImages&) = delete;

  ImTextureID class_map(const char* key, std::uint64_t revision, const float* p, int rows, int cols, int classes,
                        const std::uint32_t* rgb, int upscale) override;
  ImTextureID value_map(const char* key, std::uint64_t revision, const float* values, int rows, int cols, float max_abs) override;
  ImTextureID grey_map(const char* key, std::uint64_t revision, const float* values, int rows, int cols, float lo, float hi) override;
  const std::string& problem() const override { return problem_; }

 private:
  struct Picture {
    unsigned data[2] = {0, 0};  // input textures (float)
    unsigned output = 0, fbo = 0;
    int out_w = 0, out_h = 0, in_w = 0, in_h = 0, in_textures = 0;
    std::uint64_t revision = ~std::uint64_t(0);
  };
  // Uploads `planes` input textures of w × h texels (`channels` floats each) and renders the
  // picture at out_w × out_h with `mode`; the caller has set the mode's uniforms.
  Picture& prepare(const char* key, int in_w, int in_h, int planes, int out_w, int out_h, bool linear);
  void render(Picture& p, int mode);
  // One float channel coloured by the shader's `mode` (1: diverging around 0, 2: grey) over [lo, hi].
  ImTextureID single_channel(const char* key, std::uint64_t revision, const float* values, int rows, int cols, float lo, float hi, int mode);

  unsigned program_ = 0, vao_ = 0, vbo_ = 0;
  int u_mode_ = -1, u_data0_ = -1, u_data1_ = -1, u_classes_ = -1, u_rgb_ = -1, u_lo_ = -1, u_hi_ = -1;
  std::map<std::string, Picture> pictures_;
  std::string problem_;
};

}  // namespace gs::app
