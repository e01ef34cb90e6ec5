// Pictures the GPU colours for the pages: a decision boundary from class probabilities, a large
// matrix on the heatmap's diverging scale, grey images. The executable implements this with
// OpenGL and the colour-map shader of shaders/ (gl_images.cpp); pages know only this interface, so
// they stay free of GL, and they draw what they get with ImGui::Image. Without an implementation
// (unit tests) or when the shader failed to compile (problem() says why), pages draw the same
// values cell by cell on the draw list. No GL here.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <string>

namespace gs::app {

class ImageService {
 public:
  virtual ~ImageService() = default;

  // Each call names its picture with `key` (a texture is kept per key) and says with `revision`
  // whether the values changed since the last call with that key (equal: nothing is uploaded or
  // drawn again). The texture returned is valid until the next call with the key; nullptr when the
  // GPU path is off.

  // Class probabilities `p` (rows × cols × classes, row 0 at the top): each texel the classes'
  // colours (0xRRGGBB) mixed by probability, paler where the model is unsure, with a dark line
  // where the most probable class changes. Drawn `upscale` times larger than the grid, the GPU
  // interpolating the probabilities between cells. At most 8 classes (else nullptr).
  virtual ImTextureID class_map(const char* key, std::uint64_t revision, const float* p, int rows, int cols, int classes,
                                const std::uint32_t* rgb, int upscale) = 0;
  // Values (rows × cols, row-major) on the heatmap's scale: white at 0, red at +max_abs, blue at
  // −max_abs; NaN and infinities black. One texel per value.
  virtual ImTextureID value_map(const char* key, std::uint64_t revision, const float* values, int rows, int cols,
                                float max_abs) = 0;
  // Grey levels (rows × cols): black at `lo`, white at `hi` (images as a person sees them).
  virtual ImTextureID grey_map(const char* key, std::uint64_t revision, const float* values, int rows, int cols, float lo,
                               float hi) = 0;
  // Why the GPU path is off ("shaders/colormap.frag:12: syntax error …"); "" when it works.
  virtual const std::string& problem() const = 0;
};

}  // namespace gs::app
