// The optimizer updates, in torch.optim 1.13's order of operations (sgd.py _single_tensor_sgd,
// adam.py / adamw.py _single_tensor_adam[w]): scalars in double as Python computes them, tensor
// arithmetic in the parameter's type. Depends on tensor.h, spec_reader.h, nlohmann-json.
#include "nn/optimizer.h"

#include "nn/spec_reader.h"

#include <cmath>

namespace gs::nn {

OptimizerConfig parse_optimizer(const nlohmann::json& spec) {
  SpecReader r(spec, "optimizer");
  OptimizerConfig c;
  std::string name = r.choice("name", {"sgd", "adam", "adamw"});
  c.kind = name == "sgd" ? OptimizerKind::Sgd : name == "adam" ? OptimizerKind::Adam : OptimizerKind::AdamW;
  c.lr = r.non_negative("lr", 0.01);
  c.weight_decay = r.non_negative("weight_decay", c.kind == OptimizerKind::AdamW ? 0.01 : 0.0);
  c.l1 = r.non_negative("l1", 0.0);
  c.clip_norm = r.non_negative("clip_norm", 0.0);
  if (c.kind == OptimizerKind::Sgd) {
    c.momentum = r.non_negative("momentum", 0.0);
    c.dampening = r.non_negative("dampening", 0.0);
    c.nesterov = r.boolean("nesterov", false);
    c.form = r.choice("form", {"pytorch", "seed002"}, "pytorch") == "seed002" ? MomentumForm::Seed002
                                                                               : MomentumForm::PyTorch;
    if (c.nesterov && (c.momentum <= 0 || c.dampening != 0))
      r.fail("nesterov", "needs momentum > 0 and dampening 0");
    if (c.form == MomentumForm::Seed002 && (c.nesterov || c.dampening != 0))
      r.fail("form", "seed002 has no Nesterov or dampening variant");
  } else {
    if (r.has("betas")) {
      const nlohmann::json& b = r.raw("betas");
      if (!b.is_array() || b.size() != 2 || !b[0].is_number() || !b[1].is_number())
        r.fail("betas", "must be a list of two numbers, got " + b.dump());
      c.beta1 = b[0].get<double>();
      c.beta2 = b[1].get<double>();
      if (!(c.beta1 >= 0 && c.beta1 < 1) || !(c.beta2 >= 0 && c.beta2 < 1))
        r.fail("betas", "must lie in [0, 1), got " + b.dump());
    }
    c.eps = r.non_negative("eps", 1e-8);
    c.amsgrad = r.boolean("amsgrad", false);
  }
  r.reject_unknown_keys();
  return c;
}

nlohmann::ordered_json to_json(const OptimizerConfig& c) {
  nlohmann::ordered_json j;
  j["name"] = c.kind == OptimizerKind::Sgd ? "sgd" : c.kind == OptimizerKind::Adam ? "adam" : "adamw";
  j["lr"] = c.lr;
  if (c.kind == OptimizerKind::Sgd) {
    j["momentum"] = c.momentum;
    j["dampening"] = c.dampening;
    j["nesterov"] = c.nesterov;
    j["form"] = c.form == MomentumForm::Seed002 ? "seed002" : "pytorch";
  } else {
    j["betas"] = {c.beta1, c.beta2};
    j["eps"] = c.eps;
    j["amsgrad"] = c.amsgrad;
  }
  j["weight_decay"] = c.weight_decay;
  j["l1"] = c.l1;
  j["clip_norm"] = c.clip_norm;
  return j;
}

template <class T>
double sum_of_squares(const Tensor<T>& t) {
  // Eight partial sums by index modulo 8, combined in a fixed order: vectorisable, and the same
  // bits wherever the tensor lives.
  constexpr Index kLanes = 8;
  double lanes[kLanes] = {};
  const T* p = t.data();
  const Index n = t.size(), whole = n - n % kLanes;
  for (Index i = 0; i < whole; i += kLanes)
    for (Index k = 0; k < kLanes; ++k) lanes[k] += static_cast<double>(p[i + k]) * static_cast<double>(p[i + k]);
  for (Index i = whole; i < n; ++i) lanes[i - whole] += static_cast<double>(p[i]) * static_cast<double>(p[i]);
  double s = 0.0;
  for (double l : lanes) s += l;
  return s;
}

template <class T>
double grad_norm(const std::vector<Param<T>>& params) {
  double total = 0.0;
  for (const auto& p : params) total += sum_of_squares(*p.grad);
  return std::sqrt(total);
}

template <class T>
double clip_grad_norm(const std::vector<Param<T>>& params, double max_norm) {
  double total = grad_norm(params);
  double coef = max_norm / (total + 1e-6);
  if (coef > 1.0) coef = 1.0;
  for (const auto& p : params)
    for (T& g : *p.grad) g *= static_cast<T>(coef);
  return total;
}

template <class T>
Optimizer<T>::Optimizer(const OptimizerConfig& config) : config_(config) {}

template <class T>
void Optimizer<T>::attach(std::vector<Param<T>> params) {
  params_ = std::move(params);
  slots_.assign(params_.size(), Slot{});
  Index largest = 0;
  for (const auto& p : params_) largest = std::max(largest, p.value->size());
  scratch_ = Tensor<T>(Shape{largest});
}

template <class T>
void Optimizer<T>::set_momentum(double m) {
  if (config_.kind == OptimizerKind::Sgd)
    config_.momentum = m;
  else
    config_.beta1 = m;
}

template <class T>
double Optimizer<T>::step() {
  if (config_.l1 > 0) {
    // L1: ∂(λ Σ|W|)/∂W = λ·sign(W), added as part of the loss gradient (before clipping).
    const T l1 = static_cast<T>(config_.l1);
    for (auto& p : params_) {
      T* g = p.grad->data();
      const T* w = p.value->data();
      for (Index i = 0, n = p.value->size(); i < n; ++i) g[i] += l1 * static_cast<T>((w[i] > 0) - (w[i] < 0));
    }
  }
  double norm = config_.clip_norm > 0 ? clip_grad_norm(params_, config_.clip_norm) : NAN;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    if (config_.kind == OptimizerKind::Sgd)
      update_sgd(params_[i], slots_[i]);
    else
      update_adam(params_[i], slots_[i]);
  }
  return norm;
}

// The updates are plain loops rather than Eigen expressions: Eigen's vectorised float sqrt is an
// approximation refined by a Newton step while its scalar path (the elements it peels off to reach
// alignment) is exact, so the same numbers would round differently depending on the address.
template <class T>
void Optimizer<T>::update_sgd(Param<T>& p, Slot& s) {
  // Every loop below reads its settings from locals, so that the compiler may vectorise it.
  const Index n = p.value->size();
  T* __restrict theta = p.value->data();
  const T* __restrict g = p.grad->data();
  T* __restrict scratch = scratch_.data();
  const bool momentum = config_.momentum != 0;
  const T wd = static_cast<T>(config_.weight_decay);
  const T mu = static_cast<T>(config_.momentum);
  const T lr = static_cast<T>(config_.lr);
  const T neg_lr = static_cast<T>(-config_.lr);
  // L2: d_p = g + λθ (seed 002's grad += λW); without decay d_p is the gradient itself.
  const T* __restrict d_p = g;
  if (wd != 0) {
    for (Index i = 0; i < n; ++i) scratch[i] = g[i] + wd * theta[i];
    d_p = scratch;
  }
  if (!momentum) {
    for (Index i = 0; i < n; ++i) theta[i] += neg_lr * d_p[i];  // θ = θ − ηg
    return;
  }
  const bool first = !s.has_m;
  if (first) {
    s.m = Tensor<T>(p.value->shape());
    s.has_m = true;
  }
  T* __restrict v = s.m.data();
  if (config_.form == MomentumForm::Seed002) {
    // seed 002: v = μv − ηg (v starts at zero), θ = θ + v
    for (Index i = 0; i < n; ++i) {
      v[i] = v[i] * mu - lr * d_p[i];
      theta[i] += v[i];
    }
    return;
  }
  // PyTorch: v = g on the first step, then v = μv + (1 − dampening)g; θ = θ − η·(Nesterov ? g + μv : v)
  const T keep = static_cast<T>(1 - config_.dampening);
  if (first)
    std::copy(d_p, d_p + n, v);
  else
    for (Index i = 0; i < n; ++i) v[i] = v[i] * mu + keep * d_p[i];
  if (config_.nesterov)
    for (Index i = 0; i < n; ++i) theta[i] += neg_lr * (d_p[i] + mu * v[i]);
  else
    for (Index i = 0; i < n; ++i) theta[i] += neg_lr * v[i];
}

template <class T>
void Optimizer<T>::update_adam(Param<T>& p, Slot& s) {
  const Index n = p.value->size();
  T* __restrict theta = p.value->data();
  const T* __restrict g = p.grad->data();
  if (!s.has_m) {
    s.m = Tensor<T>(p.value->shape());
    s.v = Tensor<T>(p.value->shape());
    if (config_.amsgrad) s.v_max = Tensor<T>(p.value->shape());
    s.has_m = true;
  }
  s.steps += 1;
  const bool decoupled = config_.kind == OptimizerKind::AdamW;
  const bool l2 = config_.weight_decay != 0;
  const T shrink = static_cast<T>(1 - config_.lr * config_.weight_decay);
  const T wd = static_cast<T>(config_.weight_decay);
  const double b1 = config_.beta1, b2 = config_.beta2;
  const T beta1 = static_cast<T>(b1), beta2 = static_cast<T>(b2);
  const T one_minus_b1 = static_cast<T>(1 - b1), one_minus_b2 = static_cast<T>(1 - b2);
  const double bias1 = 1 - std::pow(b1, s.steps);
  const double bias2 = 1 - std::pow(b2, s.steps);
  const T neg_step = static_cast<T>(-(config_.lr / bias1));
  const T bias2_sqrt = static_cast<T>(std::sqrt(bias2));
  const T eps = static_cast<T>(config_.eps);
  T* __restrict m = s.m.data();
  T* __restrict v = s.v.data();
  T* __restrict v_max = config_.amsgrad ? s.v_max.data() : nullptr;
  for (Index i = 0; i < n; ++i) {
    T grad = g[i];
    if (decoupled)
      theta[i] *= shrink;  // AdamW: θ ·= 1 − ηλ
    else if (l2)
      grad = grad + wd * theta[i];  // L2: g + λθ
    m[i] = m[i] * beta1 + one_minus_b1 * grad;         // m = β1 m + (1 − β1) g
    v[i] = v[i] * beta2 + one_minus_b2 * grad * grad;  // v = β2 v + (1 − β2) g²
    T second = v[i];
    if (v_max) second = v_max[i] = std::max(v_max[i], v[i]);
    // θ −= η/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
    theta[i] += neg_step * (m[i] / (std::sqrt(second) / bias2_sqrt + eps));
  }
}

template <class T>
nlohmann::json Optimizer<T>::state() const {
  nlohmann::json slots = nlohmann::json::array();
  auto dump = [](const Tensor<T>& t) { return std::vector<T>(t.begin(), t.end()); };
  for (const auto& s : slots_) {
    nlohmann::json j = {{"has_m", s.has_m}, {"steps", s.steps}};
    if (s.has_m) j["m"] = dump(s.m);
    if (s.v.size() > 1 || config_.kind != OptimizerKind::Sgd) j["v"] = dump(s.v);
    if (config_.amsgrad) j["v_max"] = dump(s.v_max);
    slots.push_back(std::move(j));
  }
  return {{"config", to_json(config_)}, {"slots", slots}};
}

template <class T>
void Optimizer<T>::load_state(const nlohmann::json& state) {
  const auto& slots = state.at("slots");
  if (slots.size() != slots_.size()) throw InputError("checkpoint: optimizer state has a different parameter count");
  config_.lr = state.at("config").at("lr").get<double>();
  auto fill = [](Tensor<T>& t, const Shape& shape, const nlohmann::json& values) {
    t = Tensor<T>(shape);
    auto v = values.get<std::vector<T>>();
    if (static_cast<Index>(v.size()) != t.size()) throw InputError("checkpoint: optimizer state has the wrong size");
    std::copy(v.begin(), v.end(), t.begin());
  };
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    const auto& j = slots[i];
    Slot& s = slots_[i];
    const Shape& shape = params_[i].value->shape();
    s.has_m = j.at("has_m").get<bool>();
    s.steps = j.at("steps").get<double>();
    if (s.has_m) fill(s.m, shape, j.at("m"));
    if (j.contains("v")) fill(s.v, shape, j.at("v"));
    if (j.contains("v_max")) fill(s.v_max, shape, j.at("v_max"));
  }
}

template class Optimizer<float>;
template class Optimizer<double>;
template double clip_grad_norm(const std::vector<Param<float>>&, double);
template double clip_grad_norm(const std::vector<Param<double>>&, double);
template double grad_norm(const std::vector<Param<float>>&);
template double grad_norm(const std::vector<Param<double>>&);
template double sum_of_squares(const TensorF&);
template double sum_of_squares(const TensorD&);

}  // namespace gs::nn
