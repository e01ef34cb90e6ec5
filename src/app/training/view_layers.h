// Any layer's weights and gradients as heatmaps, side by side: a parameter chosen from the run's
// snapshot (every trainable tensor: "layer 3 Linear(16,16) weight"), its values and its last
// batch's gradient on one diverging scale each, large ones drawn as textures by the GPU, with the
// tensor's name, shape and the hovered element's index and value on hover; NaN and infinities
// black, counted. ImGui; no GL.
#pragma once

#include "app/base/page.h"
#include "app/training/inspect.h"
#include "app/training/session.h"

namespace gs::app::training {

class LayersView {
 public:
  void draw(const Run& run, PageContext& ctx, ImVec2 size);
  int parameter = 0;  // index into the snapshot's parameters

 private:
  void draw_matrix(const LayerMatrix& m, const char* key, std::uint64_t revision, PageContext& ctx, ImVec2 size, bool gradient);
};

}  // namespace gs::app::training
