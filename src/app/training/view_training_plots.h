// The Training page's live plots, linked by one x cursor: the loss per step (raw faint, smoothed
// bold with TensorBoard's debiased EMA), train and test accuracy per epoch, the learning rate in
// force (a staircase, never smoothed), and the global and per-layer gradient norms on a log axis;
// x in steps or epochs. Every run shown overlays in its colour. Each run's curves (run_curves.h)
// take at most a frame's worth of new steps per frame into bounded PlotBuffers: a frame costs the
// same however long the run. ImGui; computes nothing.
#pragma once

#include "app/base/frame_record.h"
#include "app/training/run_curves.h"
#include "app/training/session.h"
#include "app/widgets/plot.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gs::app::training {

inline constexpr const char* kTrainingLink = "training";
// The learning-rate plot's fitted view spans at least this fraction of the rate (its minimum span).
inline constexpr double kLrMinSpan = 0.2;

class TrainingPlotsView {
 public:
  // Draws the controls and the four plots into `size`.
  void draw(const TrainingSession& session, ImVec2 size, FrameRecord* record);

  bool x_in_epochs = false;
  float smoothing = 0.6f;  // TensorBoard's default is 0.6
  // The x of the linked cursor in the unit shown, when the plots are hovered (the step the graph
  // lab's replay would open).
  bool cursor(double* x) const;
  // The key above the plots (runs by colour, the line styles), `width` wide.
  void draw_key(const TrainingSession& session, float width, FrameRecord* record);
  // History records each run's curves take per frame (a picture takes them all).
  std::size_t ingest_per_frame = kIngestPerFrame;
  // Some run's curves did not take all of its history in the last draw (frames should follow).
  bool behind() const { return behind_; }
  // The last draw needed more height than it was given: the plots kept a readable height and
  // the column should scroll.
  bool too_short() const { return too_short_; }
  // The last draw chose the row under the loss by tabs (accuracy and learning rate, or the
  // gradient norm): the column holds one row of plots at a readable height, not two.
  bool tabbed() const { return tabbed_; }

 private:
  void draw_loss(const TrainingSession& s, ImVec2 size);
  void draw_accuracy(const TrainingSession& s, ImVec2 size);
  void draw_lr(const TrainingSession& s, ImVec2 size);
  void draw_grad(const TrainingSession& s, ImVec2 size, FrameRecord* record);
  void draw_grad_curves(const TrainingSession& s);  // inside BeginPlot … EndPlot
  std::string grad_note(const TrainingSession& s) const;  // zero_gradient_note of the selected run
  const char* x_label() const;

  std::map<int, RunCurves> curves_;  // by run uid
  bool behind_ = false, too_short_ = false, tabbed_ = false;
  int lower_tab_ = 0;  // tabbed: 0 accuracy and learning rate, 1 the gradient norm
  std::string grad_note_;                    // this frame's note under the gradient plot
  std::vector<std::string> grad_note_lines_;  // wrapped to the column
};

// The gradient-norm plot's note of norms exactly 0, in words a lecturer reads ("layers 1 and 3:
// gradient exactly 0 in 99 steps — not drawable on a log axis (▼ at the bottom)"); empty when no
// norm was 0. `layers`: the model's layer number (1-based) of each layer with parameters;
// `zero_steps`: the steps its norm was 0 in (RunCurves::layer_zero_steps).
std::string zero_gradient_note(const std::vector<int>& layers, const std::vector<std::int64_t>& zero_steps);

// The marker of a run's accuracy points: a circle alone; compared, a shape of its own in list
// order (circle, square, diamond, triangle), so that the runs are told apart without colour (a
// projector's washed-out colours, a grey printout); and its symbol in the key ("●", "■", "◆", "▲").
widgets::PlotMarker run_marker(const TrainingSession& session, const Run& run);
const char* marker_symbol(widgets::PlotMarker marker);

// The train-accuracy markers: a radius (pixels) per run in list order, the first run's largest and
// each a visible ring larger than the next, so that where runs' accuracies coincide the markers
// nest (each with a white rim); and every how many epochs one is drawn, so that neighbours do not
// overlap (three runs' markers at every epoch were one band at 1024 × 768): `runs` shown runs
// whose epochs are `epoch_px` apart on screen, in a font of `font_px`. No radii when a marker
// would stand for more than kMaxMarkEvery epochs: too dense, the lines alone.
struct AccuracyMarks {
  std::vector<float> radii;
  int every = 1;
};
inline constexpr int kMaxMarkEvery = 4;
AccuracyMarks accuracy_marks(int runs, float epoch_px, float font_px);
// Which of `count` epochs get a marker: every `every`-th counted back from the newest (the live end
// always marked); none before the first epoch.
std::vector<int> marked_epochs(int count, int every);

// The line weight (pixels) of a run's curves: 2.2 alone; compared, the first shown run widest and
// each later one thinner, so that coinciding curves nest instead of hiding each other.
float run_line_weight(const TrainingSession& session, const Run& run);

}  // namespace gs::app::training
