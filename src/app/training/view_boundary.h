// The plane of a 2-D dataset: the active run's decision boundary (from its published parameter
// snapshot, evaluated a few times a second, coloured by the GPU's colour-map shader), its training
// and test points on top with the misclassified ones marked, the accuracy, and optionally a small
// picture per hidden neuron of the first layers (TF Playground's). With the "points" data, clicks
// edit the setup's points: left click class A, Shift+click class B, Ctrl+click class C, right
// click removes the nearest. ImGui; no GL (pictures come from the page's ImageService).
#pragma once

#include "app/base/page.h"
#include "app/training/config_draft.h"
#include "app/training/inspect.h"
#include "app/training/session.h"

#include <memory>

namespace gs::app::training {

inline constexpr int kBoundaryGrid = 64;  // cells per side (the GPU interpolates between them)

// Class colours on the plane (0xRRGGBB): TF Playground's blue and orange first.
std::uint32_t class_colour(int k);

class BoundaryView {
 public:
  void draw(TrainingSession& session, ConfigDraft& draft, PageContext& ctx, ImVec2 size);
  bool neurons = false;  // the hidden neurons' pictures

  // The boundary last evaluated (for the frame record); null before the first.
  const Boundary* boundary() const { return has_ ? &boundary_ : nullptr; }
  // Re-evaluates now if the run's snapshot is newer than the boundary (screenshots: no waiting for
  // the next few-times-a-second slot).
  void refresh(const Run& run, double now, bool force);

 private:
  void edit_points(ConfigDraft& draft, ImVec2 origin, float side, const Plane& plane);
  void draw_neurons(PageContext& ctx, ImVec2 size);

  std::unique_ptr<nn::SnapshotModel> model_;
  int model_run_ = 0;  // the uid of the run model_ was built for
  Boundary boundary_;
  bool has_ = false;
  double evaluated_at_ = -1e9;
  std::string problem_;  // why the boundary could not be evaluated
};

}  // namespace gs::app::training
