// What the "see inside" views show, worked out on the UI thread from a run's published parameter
// snapshot (never from the live model): for 2-D data the decision boundary over the plane, each
// hidden neuron's own picture and which points are misclassified; for images a grid of test
// samples with their predictions, the confusion matrix and per-class accuracy, the first conv
// layer's filters and one image's activation maps; for any layer its weights and gradients as
// matrices. The forward passes run through src/nn's SnapshotModel (one thread). No ImGui.
#pragma once

#include "nn/dataset.h"
#include "nn/model.h"
#include "nn/snapshot.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gs::app::training {

// The plane a 2-D dataset is drawn on: its points' extent with a margin, square in data units.
struct Plane {
  double x0 = -1, x1 = 1, y0 = -1, y1 = 1;
  // Cell (r, c) of a rows × cols grid, row 0 at the top (y1): its centre in data units.
  double x_at(int c, int cols) const { return x0 + (x1 - x0) * (c + 0.5) / cols; }
  double y_at(int r, int rows) const { return y1 - (y1 - y0) * (r + 0.5) / rows; }
};
Plane plane_of(const nn::DataSplit& data);

// One hidden unit's output over the plane (TF Playground's small pictures).
struct NeuronMap {
  int layer = 0;  // 0-based layer whose output it is (an activation after a linear layer)
  int unit = 0;
  std::vector<float> values;  // rows × cols
  float max_abs = 0;
};

struct Boundary {
  std::uint64_t version = 0;  // the snapshot's
  std::int64_t step = 0;
  int rows = 0, cols = 0, classes = 0;
  Plane plane;
  std::vector<float> probabilities;  // rows × cols × classes: softmax of the outputs, row 0 at the top
  std::vector<std::int32_t> argmax;  // rows × cols
  std::vector<double> fractions;     // the share of the plane each class is given
  std::vector<NeuronMap> neurons;    // hidden units of the first hidden layers (when asked)
  std::vector<std::int32_t> train_predicted, test_predicted;  // per point
  int train_wrong = 0, test_wrong = 0;
};

// Evaluates the model of a snapshot over a grid of the plane and at the data points.
// `neurons`: also every unit of the hidden layers whose output has at most 16 units (at most two
// such layers). Throws std::logic_error for data that is not 2-D.
Boundary evaluate_boundary(nn::SnapshotModel& model, const nn::ModelSnapshot& snapshot, const nn::DataSplit& data,
                           int grid, bool neurons);

// A confusion matrix: counts[true × classes + predicted].
struct Confusion {
  int classes = 0;
  std::int64_t step = -1;  // the parameters' step
  std::vector<std::int64_t> counts;
  std::vector<double> per_class_accuracy;  // NaN for a class with no sample
  double accuracy = 0;
  std::int64_t total = 0;
};
// From a snapshot's test-set predictions; nullopt when it has none.
std::optional<Confusion> confusion_of(const nn::ModelSnapshot& snapshot, const nn::Dataset& test);

// Test images with what the model says of them.
struct ImageGrid {
  std::uint64_t version = 0;
  std::int64_t step = 0;
  std::vector<int> samples;    // indices into the test set (the training set when there is none)
  std::vector<int> predicted;  // the class predicted for each
  std::vector<float> confidence;  // its softmax probability
  bool from_test = true;
};
// The first `count` samples of the test set (or of the training set) with their predictions.
ImageGrid evaluate_images(nn::SnapshotModel& model, const nn::ModelSnapshot& snapshot, const nn::DataSplit& data, int count);

// The first Conv2D layer: its filters (F, C, KH, KW) from the snapshot, and the maps it (and the
// activation after it) makes of one image.
struct ConvView {
  int layer = -1;  // 0-based; −1 when the model has no conv layer
  std::string name;
  int filters = 0, channels = 0, kernel = 0;
  std::vector<double> weights;  // F × C × K × K
  int sample = -1;              // the image whose maps these are
  int map_layer = -1;           // the layer whose output the maps are (the activation after the conv, if any)
  int map_h = 0, map_w = 0;
  std::vector<double> maps;     // F × H × W
};
ConvView conv_view(nn::SnapshotModel& model, const nn::ModelSnapshot& snapshot, const nn::DataSplit& data, int sample);

// A parameter (weight, bias) or its gradient as a matrix: the last axis across, the others down
// (as the Graph page shows tensors), with its shape.
struct LayerMatrix {
  std::string name;   // "layer 1 Linear(2,16) weight"
  std::string shape;  // "[2×16]"
  int rows = 0, cols = 0;
  std::vector<double> values;
  double max_abs = 0;
  int non_finite = 0;
};
LayerMatrix layer_matrix(const nn::ModelSnapshot& snapshot, int parameter, bool gradient);

}  // namespace gs::app::training
