// The "see inside" computations (inspect.h): forward passes of a snapshot through src/nn's
// SnapshotModel, and the engine's softmax. No ImGui.
//
// [SECTION] the plane and the decision boundary
// [SECTION] confusion matrix and image grid
// [SECTION] conv filters and activation maps
// [SECTION] parameters as matrices
#include "app/training/inspect.h"

#include "engine/kernels.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace gs::app::training {

// [SECTION] the plane and the decision boundary

Plane plane_of(const nn::DataSplit& data) {
  double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
  for (const nn::Dataset* d : {&data.train, &data.test}) {
    if (d->size() == 0 || d->x.rank() != 2 || d->x.dim(1) != 2) continue;
    for (Index n = 0; n < d->size(); ++n)
      for (int k = 0; k < 2; ++k) {
        const double v = d->x[n * 2 + k];
        if (!std::isfinite(v)) continue;
        lo[k] = std::min(lo[k], v);
        hi[k] = std::max(hi[k], v);
      }
  }
  Plane p;
  if (!(lo[0] <= hi[0]) || !(lo[1] <= hi[1])) return p;
  // Square, centred on the points, 10 % of margin; never narrower than 2 (a single point).
  const double half = std::max({hi[0] - lo[0], hi[1] - lo[1], 2.0}) * 0.55;
  const double cx = (lo[0] + hi[0]) / 2, cy = (lo[1] + hi[1]) / 2;
  p.x0 = cx - half;
  p.x1 = cx + half;
  p.y0 = cy - half;
  p.y1 = cy + half;
  return p;
}

namespace {

// The outputs of a batch turned into class probabilities (softmax over each row).
void probabilities_of(const TensorF& z, TensorF* p) { kernels::softmax_rows(z, *p); }

void predict_points(nn::SnapshotModel& model, const nn::Dataset& d, std::vector<std::int32_t>* out, int* wrong) {
  out->clear();
  *wrong = 0;
  if (d.size() == 0) return;
  const TensorF& z = model.forward(d.x.floats());  // 2-D points are held as floats
  for (Index n = 0; n < d.size(); ++n) {
    const auto k = static_cast<std::int32_t>(nn::predicted_class(z.data() + n * z.dim(1), z.dim(1)));
    out->push_back(k);
    *wrong += k != d.y[static_cast<std::size_t>(n)];
  }
}

}  // namespace

Boundary evaluate_boundary(nn::SnapshotModel& model, const nn::ModelSnapshot& snapshot, const nn::DataSplit& data,
                           int grid, bool neurons) {
  if (data.train.x.rank() != 2 || data.train.x.dim(1) != 2) throw std::logic_error("evaluate_boundary: the data is not 2-D");
  model.load(snapshot);
  Boundary b;
  b.version = snapshot.version;
  b.step = snapshot.step;
  b.rows = b.cols = grid;
  b.plane = plane_of(data);
  TensorF x(Shape{static_cast<Index>(grid) * grid, 2});
  for (int r = 0; r < grid; ++r)
    for (int c = 0; c < grid; ++c) {
      const Index n = static_cast<Index>(r) * grid + c;
      x[n * 2] = static_cast<float>(b.plane.x_at(c, grid));
      x[n * 2 + 1] = static_cast<float>(b.plane.y_at(r, grid));
    }
  const TensorF& z = model.forward(x);
  TensorF p(z.shape());
  probabilities_of(z, &p);
  b.classes = static_cast<int>(z.dim(1));
  b.probabilities.assign(p.begin(), p.end());
  b.argmax.resize(static_cast<std::size_t>(grid) * grid);
  b.fractions.assign(static_cast<std::size_t>(b.classes), 0.0);
  for (Index n = 0; n < static_cast<Index>(grid) * grid; ++n) {
    const auto k = static_cast<std::int32_t>(nn::predicted_class(z.data() + n * b.classes, b.classes));
    b.argmax[static_cast<std::size_t>(n)] = k;
    b.fractions[static_cast<std::size_t>(k)] += 1.0;
  }
  for (double& f : b.fractions) f /= static_cast<double>(grid) * grid;
  if (neurons) {
    // The outputs of the first (at most two) hidden layers of ≤ 16 units: an activation layer's
    // output after a linear layer, as TF Playground draws its neurons.
    const nn::ModelSpec& spec = model.model().spec();
    int taken = 0;
    for (int i = 0; i + 1 < static_cast<int>(spec.layers.size()) && taken < 2; ++i) {
      const nn::LayerKind k = spec.layers[static_cast<std::size_t>(i)].kind;
      const bool activation = k == nn::LayerKind::Relu || k == nn::LayerKind::Tanh || k == nn::LayerKind::Sigmoid;
      if (!activation || spec.shapes[static_cast<std::size_t>(i)].rank() != 1) continue;
      const Index units = spec.shapes[static_cast<std::size_t>(i)][0];
      if (units > 16) continue;
      const TensorF& a = model.activation(i);
      for (Index u = 0; u < units; ++u) {
        NeuronMap m;
        m.layer = i;
        m.unit = static_cast<int>(u);
        m.values.resize(static_cast<std::size_t>(grid) * grid);
        for (Index n = 0; n < static_cast<Index>(grid) * grid; ++n) {
          const float v = a[n * units + u];
          m.values[static_cast<std::size_t>(n)] = v;
          if (std::isfinite(v)) m.max_abs = std::max(m.max_abs, std::fabs(v));
        }
        b.neurons.push_back(std::move(m));
      }
      ++taken;
    }
  }
  predict_points(model, data.train, &b.train_predicted, &b.train_wrong);
  predict_points(model, data.test, &b.test_predicted, &b.test_wrong);
  return b;
}

// [SECTION] confusion matrix and image grid

std::optional<Confusion> confusion_of(const nn::ModelSnapshot& snapshot, const nn::Dataset& test) {
  if (snapshot.predictions_step < 0 || snapshot.predictions.size() != static_cast<std::size_t>(test.size()) ||
      test.size() == 0)
    return std::nullopt;
  Confusion c;
  c.classes = test.classes;
  for (std::int32_t p : snapshot.predictions) c.classes = std::max(c.classes, static_cast<int>(p) + 1);
  c.step = snapshot.predictions_step;
  c.counts.assign(static_cast<std::size_t>(c.classes) * c.classes, 0);
  std::vector<std::int64_t> per_class(static_cast<std::size_t>(c.classes), 0);
  std::int64_t correct = 0;
  for (Index n = 0; n < test.size(); ++n) {
    const int t = test.y[static_cast<std::size_t>(n)], p = snapshot.predictions[static_cast<std::size_t>(n)];
    ++c.counts[static_cast<std::size_t>(t) * c.classes + p];
    ++per_class[static_cast<std::size_t>(t)];
    correct += t == p;
  }
  c.total = test.size();
  c.accuracy = static_cast<double>(correct) / static_cast<double>(c.total);
  for (int k = 0; k < c.classes; ++k)
    c.per_class_accuracy.push_back(per_class[static_cast<std::size_t>(k)] > 0
                                       ? static_cast<double>(c.counts[static_cast<std::size_t>(k) * c.classes + k]) /
                                             static_cast<double>(per_class[static_cast<std::size_t>(k)])
                                       : NAN);
  return c;
}

namespace {

// Rows `samples` of a dataset as one batch.
TensorF gather(const nn::Dataset& d, const std::vector<int>& samples) {
  Shape s = d.x.shape();
  s[0] = static_cast<Index>(samples.size());
  TensorF x(s);
  const Index per = d.x.row_size();
  for (std::size_t i = 0; i < samples.size(); ++i) d.x.copy_rows(samples[i], samples[i] + 1, x.data() + static_cast<Index>(i) * per);
  return x;
}

}  // namespace

ImageGrid evaluate_images(nn::SnapshotModel& model, const nn::ModelSnapshot& snapshot, const nn::DataSplit& data, int count) {
  ImageGrid g;
  g.version = snapshot.version;
  g.step = snapshot.step;
  g.from_test = data.test.size() > 0;
  const nn::Dataset& d = g.from_test ? data.test : data.train;
  for (int i = 0; i < count && i < d.size(); ++i) g.samples.push_back(i);
  if (g.samples.empty()) return g;
  model.load(snapshot);
  const TensorF& z = model.forward(gather(d, g.samples));
  TensorF p(z.shape());
  probabilities_of(z, &p);
  for (std::size_t i = 0; i < g.samples.size(); ++i) {
    const Index k = nn::predicted_class(z.data() + static_cast<Index>(i) * z.dim(1), z.dim(1));
    g.predicted.push_back(static_cast<int>(k));
    g.confidence.push_back(p[static_cast<Index>(i) * p.dim(1) + k]);
  }
  return g;
}

// [SECTION] conv filters and activation maps

ConvView conv_view(nn::SnapshotModel& model, const nn::ModelSnapshot& snapshot, const nn::DataSplit& data, int sample) {
  ConvView v;
  const nn::ModelSpec& spec = model.model().spec();
  for (int i = 0; i < static_cast<int>(spec.layers.size()); ++i)
    if (spec.layers[static_cast<std::size_t>(i)].kind == nn::LayerKind::Conv2D) {
      v.layer = i;
      break;
    }
  if (v.layer < 0) return v;
  v.name = nn::describe(spec.layers[static_cast<std::size_t>(v.layer)]);
  for (std::size_t p = 0; p < snapshot.values.size(); ++p) {
    if (snapshot.layers[p] != v.layer || snapshot.values[p].rank() != 4) continue;
    const TensorF& w = snapshot.values[p];  // (F, C, KH, KW)
    v.filters = static_cast<int>(w.dim(0));
    v.channels = static_cast<int>(w.dim(1));
    v.kernel = static_cast<int>(w.dim(2));
    v.weights.assign(w.begin(), w.end());
    break;
  }
  const nn::Dataset& d = data.test.size() > 0 ? data.test : data.train;
  if (sample < 0 || sample >= d.size()) return v;
  v.sample = sample;
  // The maps after the conv's activation when one follows it directly (what the next layer sees).
  v.map_layer = v.layer;
  if (v.layer + 1 < static_cast<int>(spec.layers.size())) {
    const nn::LayerKind next = spec.layers[static_cast<std::size_t>(v.layer + 1)].kind;
    if (next == nn::LayerKind::Relu || next == nn::LayerKind::Tanh || next == nn::LayerKind::Sigmoid) v.map_layer = v.layer + 1;
  }
  model.load(snapshot);
  model.forward(gather(d, {sample}));
  const TensorF& a = model.activation(v.map_layer);  // (1, F, H, W)
  if (a.rank() == 4) {
    v.map_h = static_cast<int>(a.dim(2));
    v.map_w = static_cast<int>(a.dim(3));
    v.maps.assign(a.begin(), a.end());
  }
  return v;
}

// [SECTION] parameters as matrices

LayerMatrix layer_matrix(const nn::ModelSnapshot& snapshot, int parameter, bool gradient) {
  LayerMatrix m;
  if (parameter < 0 || parameter >= static_cast<int>(snapshot.values.size())) return m;
  const TensorF& t = gradient ? snapshot.grads[static_cast<std::size_t>(parameter)] : snapshot.values[static_cast<std::size_t>(parameter)];
  m.name = snapshot.names[static_cast<std::size_t>(parameter)];
  m.shape = t.shape().to_string();
  m.cols = t.rank() == 0 ? 1 : static_cast<int>(t.dim(t.rank() - 1));
  m.rows = m.cols == 0 ? 0 : static_cast<int>(t.size() / m.cols);
  m.values.assign(t.begin(), t.end());
  for (double v : m.values) {
    if (!std::isfinite(v)) ++m.non_finite;
    else m.max_abs = std::max(m.max_abs, std::fabs(v));
  }
  return m;
}

}  // namespace gs::app::training
