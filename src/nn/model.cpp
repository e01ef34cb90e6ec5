// The model spec (read and shape-checked once), the sequential model built from it, its forward
// and reverse sweeps, and the loss entry points (thin calls into kernels.h, where the loss
// derivatives live).
// Depends on layers.h, spec_reader.h and the engine's kernels.
#include "nn/model.h"

#include "engine/kernels.h"
#include "nn/spec_reader.h"

namespace gs::nn {

namespace {

// Arena offsets start on 64-byte boundaries.
template <class T>
Index line_up(Index n) {
  constexpr Index kLine = static_cast<Index>(kStorageAlignment / sizeof(T));
  return (n + kLine - 1) / kLine * kLine;
}

}  // namespace

ModelSpec parse_model_spec(const nlohmann::json& spec) {
  SpecReader r(spec, "model");
  ModelSpec m;
  std::vector<long long> input = r.integers("input");
  if (input.empty() || input.size() > 3) r.fail("input", "must list 1 to 3 extents per sample, e.g. [2] or [1, 28, 28]");
  double sample_values = 1;
  for (long long d : input) {
    if (d <= 0) r.fail("input", "extents must be positive");
    sample_values *= static_cast<double>(d);
    m.input.push_back(d);
  }
  if (sample_values > static_cast<double>(kMaxSampleValues))
    r.fail("input", "has " + format_number(sample_values) + " values per sample; at most " +
                        std::to_string(kMaxSampleValues));
  const nlohmann::json& layers = r.raw("layers");
  if (!layers.is_array() || layers.empty()) r.fail("layers", "must be a non-empty list of layers");
  r.reject_unknown_keys();
  Shape in = m.input, shown = m.input;
  double parameters = 0;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    LayerSpec layer = parse_layer_spec(layers[i], in, "layer " + std::to_string(i + 1), shown);
    Shape out = output_shape(layer, in);
    // Sizes are checked before anything is allocated (a width of 10^12 was std::bad_alloc).
    const std::string where = "model: layer " + std::to_string(i + 1) + " " + describe(layer);
    double values = 1;
    for (int a = 0; a < out.rank(); ++a) values *= static_cast<double>(out[a]);
    if (values > static_cast<double>(kMaxSampleValues))
      throw InputError(where + " gives " + format_number(values) + " values per sample; at most " +
                       std::to_string(kMaxSampleValues));
    const double in_values = layer.kind == LayerKind::Conv2D ? static_cast<double>(layer.in) * layer.kernel * layer.kernel
                                                             : static_cast<double>(layer.in);
    if (layer.kind == LayerKind::Linear || layer.kind == LayerKind::Conv2D)
      parameters += static_cast<double>(layer.out) * (in_values + 1);
    if (parameters > static_cast<double>(kMaxParameters))
      throw InputError(where + " brings the model to " + format_number(parameters) + " parameters; at most " +
                       std::to_string(kMaxParameters));
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
  m.parts_.resize(1);
  Part& part = m.parts_[0];
  for (const LayerSpec& l : spec.layers) part.layers.push_back(make_layer<T>(l));
  part.acts.resize(part.layers.size());
  part.d_input.resize(part.layers.size());
  // The arena: the layers' parameters (zeros so far) move into one block.
  Index total = 0;
  for (const Param<T>& p : m.raw_params(0)) {
    m.offsets_.push_back(total);
    total = line_up<T>(total + p.value->size());
  }
  m.values_ = AlignedBuffer<T>(total);
  m.grads_ = AlignedBuffer<T>(total);
  m.bind(0, m.grads_.data());
  return m;
}

template <class T>
Model<T> Model<T>::build(const nlohmann::json& spec) {
  return build(parse_model_spec(spec));
}

template <class T>
std::vector<Param<T>> Model<T>::raw_params(int part) {
  std::vector<Param<T>> out;
  const auto& layers = parts_[static_cast<std::size_t>(part)].layers;
  for (std::size_t i = 0; i < layers.size(); ++i)
    for (auto p : layers[i]->params()) {
      p.layer = static_cast<int>(i);
      out.push_back(p);
    }
  return out;
}

// Points part `part`'s parameters at the shared values and its gradients at `grads`.
template <class T>
void Model<T>::bind(int part, T* grads) {
  std::vector<Param<T>> ps = raw_params(part);
  for (std::size_t j = 0; j < ps.size(); ++j) {
    T* value = values_.data() + offsets_[j];
    if (part == 0) std::copy(ps[j].value->begin(), ps[j].value->end(), value);
    ps[j].value->borrow(value);
    ps[j].grad->borrow(grads + offsets_[j]);
  }
}

template <class T>
void Model<T>::set_parts(int parts) {
  parts = std::max(parts, 1);
  if (parts < this->parts()) {
    parts_.resize(static_cast<std::size_t>(parts));
    return;
  }
  while (this->parts() < parts) {
    Part p;
    const Part& first = parts_[0];
    for (const auto& l : first.layers) p.layers.push_back(make_layer<T>(l->layer_spec()));
    p.acts.resize(p.layers.size());
    p.d_input.resize(p.layers.size());
    p.grads = AlignedBuffer<T>(values_.size());
    parts_.push_back(std::move(p));
    bind(this->parts() - 1, parts_.back().grads.data());
  }
}

template <class T>
Index Model<T>::parameter_count() const {
  Index n = 0;
  for (const auto& l : parts_[0].layers)
    for (const auto& p : const_cast<Layer<T>&>(*l).params()) n += p.value->size();
  return n;
}

template <class T>
double Model<T>::flops_per_sample() const {
  double flops = 0;
  for (std::size_t i = 0; i < spec_.shapes.size(); ++i) {
    const Shape& out = spec_.shapes[i];
    std::vector<Param<T>> ps = const_cast<Layer<T>&>(*parts_[0].layers[i]).params();
    if (ps.empty())
      flops += static_cast<double>(out.size());
    else  // every weight meets every output position: 2·|W|·(outputs per channel)
      flops += 2.0 * static_cast<double>(ps[0].value->size()) * static_cast<double>(out.size() / out[0]);
  }
  return flops;
}

template <class T>
void Model<T>::init(std::uint64_t seed) {
  Rng rng(seed);
  for (auto& l : parts_[0].layers) l->init(rng);
}

template <class T>
const Tensor<T>& Model<T>::forward(const Tensor<T>& x, int part) {
  Part& p = parts_.at(static_cast<std::size_t>(part));
  p.x = &x;
  const Tensor<T>* in = &x;
  for (std::size_t i = 0; i < p.layers.size(); ++i) {
    p.layers[i]->forward(*in, p.acts[i]);
    in = &p.acts[i];
  }
  return *in;
}

template <class T>
void Model<T>::backward(const Tensor<T>& d_output, Tensor<T>* dx, int part, GradMode mode) {
  Part& p = parts_.at(static_cast<std::size_t>(part));
  const Tensor<T>* g = &d_output;
  for (std::size_t i = p.layers.size(); i-- > 0;) {
    const Tensor<T>& in = i == 0 ? *p.x : p.acts[i - 1];
    // The first layer's dX is only needed when the caller asks (never in training).
    Tensor<T>* gx = i == 0 ? dx : &p.d_input[i];
    p.layers[i]->backward(in, p.acts[i], *g, gx, mode);
    g = gx;
  }
}

template <class T>
void Model<T>::zero_grad() {
  std::fill(grads_.data(), grads_.data() + grads_.size(), T(0));
  for (std::size_t k = 1; k < parts_.size(); ++k) {
    AlignedBuffer<T>& g = parts_[k].grads;
    std::fill(g.data(), g.data() + g.size(), T(0));
  }
}

template <class T>
void Model<T>::add_part_grads(int parts, Index begin, Index end) {
  T* __restrict g = grads_.data();
  for (int k = 1; k < std::min(parts, this->parts()); ++k) {
    const T* __restrict h = parts_[static_cast<std::size_t>(k)].grads.data();
    for (Index i = begin; i < end; ++i) g[i] += h[i];
  }
}

template <class T>
std::vector<Param<T>> Model<T>::params() {
  std::vector<Param<T>> out = raw_params(0);
  for (Param<T>& p : out)
    p.name = "layer " + std::to_string(p.layer + 1) + " " + parts_[0].layers[static_cast<std::size_t>(p.layer)]->describe() +
             " " + p.name;
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
T compute_loss(LossKind kind, const Tensor<T>& z, const std::int32_t* labels, Tensor<T>* dz, Index batch_rows) {
  if (z.rank() != 2) throw std::invalid_argument("compute_loss: outputs " + z.shape().to_string() + " are not rows");
  const Index n = z.dim(0), c = z.dim(1);
  for (Index r = 0; r < n; ++r)
    if (labels[r] < 0 || labels[r] >= c)
      throw InputError("label " + std::to_string(labels[r]) + " is outside the model's " + std::to_string(c) + " outputs");
  switch (kind) {
    case LossKind::CrossEntropy: return kernels::softmax_cross_entropy_labels(z, labels, dz, batch_rows);
    case LossKind::Hinge: return kernels::hinge_labels(z, labels, dz, batch_rows);
    case LossKind::Mse: {
      Tensor<T> onehot(z.shape());
      for (Index r = 0; r < n; ++r) onehot[r * c + labels[r]] = T(1);
      return kernels::mse(z, onehot, dz, batch_rows);
    }
  }
  return T(0);
}

template <class T>
T compute_loss(LossKind kind, const Tensor<T>& z, const std::vector<std::int32_t>& labels, Tensor<T>* dz) {
  if (z.rank() != 2 || z.dim(0) != static_cast<Index>(labels.size()))
    throw std::invalid_argument("compute_loss: outputs " + z.shape().to_string() + " for " +
                                std::to_string(labels.size()) + " labels");
  return compute_loss(kind, z, labels.data(), dz, z.dim(0));
}

template <class T>
Index count_correct(const Tensor<T>& z, const std::int32_t* labels) {
  Index correct = 0;
  const Index c = z.dim(1);
  for (Index n = 0; n < z.dim(0); ++n) {
    const T* row = z.data() + n * c;
    correct += predicted_class(row, c) == labels[static_cast<std::size_t>(n)];
  }
  return correct;
}

template <class T>
Index count_correct(const Tensor<T>& z, const std::vector<std::int32_t>& labels) {
  return count_correct(z, labels.data());
}

template class Model<float>;
template class Model<double>;
template float compute_loss(LossKind, const TensorF&, const std::vector<std::int32_t>&, TensorF*);
template double compute_loss(LossKind, const TensorD&, const std::vector<std::int32_t>&, TensorD*);
template float compute_loss(LossKind, const TensorF&, const std::int32_t*, TensorF*, Index);
template double compute_loss(LossKind, const TensorD&, const std::int32_t*, TensorD*, Index);
template Index count_correct(const TensorF&, const std::vector<std::int32_t>&);
template Index count_correct(const TensorD&, const std::vector<std::int32_t>&);
template Index count_correct(const TensorF&, const std::int32_t*);
template Index count_correct(const TensorD&, const std::int32_t*);

}  // namespace gs::nn
