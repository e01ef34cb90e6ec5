// The model spec (read and shape-checked once), the sequential model built from it, its forward
// and reverse sweeps, and the loss entry points (thin calls into kernels.h, where the loss
// derivatives live).
// Depends on layers.h, spec_reader.h and the engine's kernels.
#include "nn/model.h"

#include "engine/kernels.h"
#include "nn/spec_reader.h"

namespace gs::nn {

ModelSpec parse_model_spec(const nlohmann::json& spec) {
  SpecReader r(spec, "model");
  ModelSpec m;
  std::vector<long long> input = r.integers("input");
  if (input.empty() || input.size() > 3) r.fail("input", "must list 1 to 3 extents per sample, e.g. [2] or [1, 28, 28]");
  for (long long d : input) {
    if (d <= 0) r.fail("input", "extents must be positive");
    m.input.push_back(d);
  }
  const nlohmann::json& layers = r.raw("layers");
  if (!layers.is_array() || layers.empty()) r.fail("layers", "must be a non-empty list of layers");
  r.reject_unknown_keys();
  Shape in = m.input, shown = m.input;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    LayerSpec layer = parse_layer_spec(layers[i], in, "layer " + std::to_string(i + 1), shown);
    Shape out = output_shape(layer, in);
    // Name a flattened image by its image shape in later messages, as a reader would.
    if (layer.kind != LayerKind::Flatten) shown = out;
    m.layers.push_back(layer);
    m.shapes.push_back(out);
    in = out;
  }
  if (in.rank() != 1) throw InputError("model: the last layer gives " + in.to_string() + " per sample; end with flatten and linear");
  return m;
}

nlohmann::ordered_json to_json(const ModelSpec& spec) {
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (const LayerSpec& l : spec.layers) layers.push_back(to_json(l));
  return {{"input", std::vector<Index>(spec.input.begin(), spec.input.end())}, {"layers", layers}};
}

template <class T>
Model<T> Model<T>::build(const ModelSpec& spec) {
  Model m;
  m.spec_ = spec;
  for (const LayerSpec& l : spec.layers) m.layers_.push_back(make_layer<T>(l));
  m.acts_.resize(m.layers_.size());
  m.d_input_.resize(m.layers_.size());
  return m;
}

template <class T>
Model<T> Model<T>::build(const nlohmann::json& spec) {
  return build(parse_model_spec(spec));
}

template <class T>
Index Model<T>::parameter_count() const {
  Index n = 0;
  for (const auto& l : layers_)
    for (const auto& p : const_cast<Layer<T>&>(*l).params()) n += p.value->size();
  return n;
}

template <class T>
void Model<T>::init(std::uint64_t seed) {
  Rng rng(seed);
  for (auto& l : layers_) l->init(rng);
}

template <class T>
const Tensor<T>& Model<T>::forward(const Tensor<T>& x) {
  x_ = &x;
  const Tensor<T>* in = &x;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    layers_[i]->forward(*in, acts_[i]);
    in = &acts_[i];
  }
  return *in;
}

template <class T>
void Model<T>::backward(const Tensor<T>& d_output, Tensor<T>* dx) {
  const Tensor<T>* g = &d_output;
  for (std::size_t i = layers_.size(); i-- > 0;) {
    const Tensor<T>& in = i == 0 ? *x_ : acts_[i - 1];
    // The first layer's dX is only needed when the caller asks (never in training).
    Tensor<T>* gx = i == 0 ? dx : &d_input_[i];
    layers_[i]->backward(in, acts_[i], *g, gx);
    g = gx;
  }
}

template <class T>
void Model<T>::zero_grad() {
  for (auto& l : layers_) l->zero_grad();
}

template <class T>
std::vector<Param<T>> Model<T>::params() {
  std::vector<Param<T>> out;
  for (std::size_t i = 0; i < layers_.size(); ++i)
    for (auto p : layers_[i]->params()) {
      p.name = "layer " + std::to_string(i + 1) + " " + layers_[i]->describe() + " " + p.name;
      p.layer = static_cast<int>(i);
      out.push_back(p);
    }
  return out;
}

LossKind parse_loss(const std::string& name) {
  if (name == "cross_entropy") return LossKind::CrossEntropy;
  if (name == "mse") return LossKind::Mse;
  if (name == "hinge") return LossKind::Hinge;
  throw InputError("loss: unknown loss '" + name + "' (known: cross_entropy, mse, hinge)");
}

std::string loss_name(LossKind kind) {
  return kind == LossKind::CrossEntropy ? "cross_entropy" : kind == LossKind::Mse ? "mse" : "hinge";
}

template <class T>
T compute_loss(LossKind kind, const Tensor<T>& z, const std::vector<std::int32_t>& labels, Tensor<T>* dz) {
  if (z.rank() != 2 || z.dim(0) != static_cast<Index>(labels.size()))
    throw std::invalid_argument("compute_loss: outputs " + z.shape().to_string() + " for " +
                                std::to_string(labels.size()) + " labels");
  for (std::int32_t l : labels)
    if (l < 0 || l >= z.dim(1))
      throw InputError("label " + std::to_string(l) + " is outside the model's " + std::to_string(z.dim(1)) + " outputs");
  switch (kind) {
    case LossKind::CrossEntropy: return kernels::softmax_cross_entropy_labels(z, labels.data(), dz);
    case LossKind::Hinge: return kernels::hinge_labels(z, labels.data(), dz);
    case LossKind::Mse: {
      Tensor<T> onehot(z.shape());
      for (std::size_t n = 0; n < labels.size(); ++n) onehot[static_cast<Index>(n) * z.dim(1) + labels[n]] = T(1);
      return kernels::mse(z, onehot, dz);
    }
  }
  return T(0);
}

template <class T>
Index count_correct(const Tensor<T>& z, const std::vector<std::int32_t>& labels) {
  Index correct = 0;
  const Index c = z.dim(1);
  for (Index n = 0; n < z.dim(0); ++n) {
    const T* row = z.data() + n * c;
    correct += predicted_class(row, c) == labels[static_cast<std::size_t>(n)];
  }
  return correct;
}

template class Model<float>;
template class Model<double>;
template float compute_loss(LossKind, const TensorF&, const std::vector<std::int32_t>&, TensorF*);
template double compute_loss(LossKind, const TensorD&, const std::vector<std::int32_t>&, TensorD*);
template Index count_correct(const TensorF&, const std::vector<std::int32_t>&);
template Index count_correct(const TensorD&, const std::vector<std::int32_t>&);

}  // namespace gs::nn
