// What an image model makes of its data (Fashion-MNIST): a grid of test images with the predicted
// and true labels (wrong ones marked), the confusion matrix as a heatmap with its counts, the
// accuracy of each class, the first conv layer's filters and the activation maps of one image
// (the one clicked in the grid). From the run's published snapshot: the grid and the maps are
// evaluated again after each epoch, or when the run stops moving; the confusion matrix comes from
// the trainer's own evaluation of the test set. ImGui; no GL.
#pragma once

#include "app/base/page.h"
#include "app/training/inspect.h"
#include "app/training/session.h"

#include <memory>
#include <string>

namespace gs::app::training {

// Class names of a dataset: Fashion-MNIST's ten (translated), else "0", "1", …. The short form
// (under a thumbnail, beside the confusion matrix) of a name of several parts is its main word:
// "T-shirt/top" → "T-shirt", "Ankle boot" → "Boot"; short names are whole.
std::string class_name(const nn::TrainConfig& config, int k, bool short_form = false);

class ImagesView {
 public:
  // The grid, the confusion matrix and per-class accuracy (`filters` false), or the first conv
  // layer's filters and the chosen image's activation maps (`filters` true).
  void draw(const Run& run, PageContext& ctx, ImVec2 size, bool filters);
  void refresh(const Run& run, bool force);

  const ImageGrid* grid() const { return has_grid_ ? &grid_ : nullptr; }
  const std::optional<Confusion>& confusion() const { return confusion_; }
  int chosen() const { return chosen_; }

 private:
  void draw_grid(const Run& run, PageContext& ctx, ImVec2 size);
  void draw_confusion(const Run& run, PageContext& ctx, ImVec2 size);
  void draw_filters(const Run& run, PageContext& ctx, ImVec2 size);

  std::unique_ptr<nn::SnapshotModel> model_;
  int model_run_ = 0;
  ImageGrid grid_;
  bool has_grid_ = false;
  int grid_epoch_ = -1;
  std::int64_t grid_predictions_ = -2;
  std::optional<Confusion> confusion_;
  ConvView conv_;
  std::uint64_t conv_version_ = 0;
  int chosen_ = 0;  // the image whose activation maps are shown (index into the grid's samples)
  std::vector<float> atlas_;  // the grid's images side by side, for one texture
  std::uint64_t atlas_version_ = 0;
  int atlas_cols_ = 0;
};

}  // namespace gs::app::training
