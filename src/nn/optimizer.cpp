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

nlohmann::json to_json(const OptimizerConfig& c) {
  nlohmann::json j;
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
double grad_norm(const std::vector<Param<T>>& params) {
  double total = 0.0;
  for (const auto& p : params) {
    double n = p.grad->array().template cast<double>().matrix().norm();
    total += n * n;
  }
  return std::sqrt(total);
}

template <class T>
double clip_grad_norm(const std::vector<Param<T>>& params, double max_norm) {
  double total = grad_norm(params);
  double coef = max_norm / (total + 1e-6);
  if (coef > 1.0) coef = 1.0;
  for (const auto& p : params) p.grad->array() *= static_cast<T>(coef);
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
    for (auto& p : params_) p.grad->array() += l1 * p.value->array().sign();
  }
  double norm = config_.clip_norm > 0 ? clip_grad_norm(params_, config_.clip_norm) : grad_norm(params_);
  for (std::size_t i = 0; i < params_.size(); ++i) {
    if (config_.kind == OptimizerKind::Sgd)
      update_sgd(params_[i], slots_[i]);
    else
      update_adam(params_[i], slots_[i]);
  }
  return norm;
}

template <class T>
void Optimizer<T>::update_sgd(Param<T>& p, Slot& s) {
  const Index n = p.value->size();
  auto theta = p.value->array();
  auto g = p.grad->array();
  auto d_p = VectorMap<T>(scratch_.data(), n);
  // L2: d_p = g + λθ (seed 002's grad += λW)
  if (config_.weight_decay != 0)
    d_p = g + static_cast<T>(config_.weight_decay) * theta;
  else
    d_p = g;

  const T mu = static_cast<T>(config_.momentum);
  if (config_.form == MomentumForm::Seed002 && config_.momentum != 0) {
    // seed 002: v = μv − ηg, θ = θ + v (v starts at zero)
    if (!s.has_m) {
      s.m = Tensor<T>(p.value->shape());
      s.has_m = true;
    }
    auto v = s.m.array();
    v = v * mu - static_cast<T>(config_.lr) * d_p;
    theta += v;
    return;
  }
  if (config_.momentum != 0) {
    // PyTorch: v = μv + (1 − dampening)g (v starts as g), θ = θ − η·(Nesterov ? g + μv : v)
    if (!s.has_m) {
      s.m = Tensor<T>::uninitialized(p.value->shape());
      s.m.array() = d_p;
      s.has_m = true;
    } else {
      auto v = s.m.array();
      v = v * mu + static_cast<T>(1 - config_.dampening) * d_p;
    }
    if (config_.nesterov)
      d_p = d_p + mu * s.m.array();
    else
      d_p = s.m.array();
  }
  theta += static_cast<T>(-config_.lr) * d_p;
}

template <class T>
void Optimizer<T>::update_adam(Param<T>& p, Slot& s) {
  const Index n = p.value->size();
  auto theta = p.value->array();
  auto g = p.grad->array();
  auto grad = VectorMap<T>(scratch_.data(), n);
  if (!s.has_m) {
    s.m = Tensor<T>(p.value->shape());
    s.v = Tensor<T>(p.value->shape());
    if (config_.amsgrad) s.v_max = Tensor<T>(p.value->shape());
    s.has_m = true;
  }
  s.steps += 1;
  grad = g;
  if (config_.kind == OptimizerKind::AdamW)
    theta *= static_cast<T>(1 - config_.lr * config_.weight_decay);  // decoupled: θ ·= 1 − ηλ
  else if (config_.weight_decay != 0)
    grad = g + static_cast<T>(config_.weight_decay) * theta;  // L2: g + λθ

  const double b1 = config_.beta1, b2 = config_.beta2;
  auto m = s.m.array();
  auto v = s.v.array();
  m = m * static_cast<T>(b1) + static_cast<T>(1 - b1) * grad;         // m = β1 m + (1 − β1) g
  v = v * static_cast<T>(b2) + static_cast<T>(1 - b2) * grad * grad;  // v = β2 v + (1 − β2) g²

  const double bias1 = 1 - std::pow(b1, s.steps);
  const double bias2 = 1 - std::pow(b2, s.steps);
  const double step_size = config_.lr / bias1;
  const T bias2_sqrt = static_cast<T>(std::sqrt(bias2));
  const T eps = static_cast<T>(config_.eps);
  // θ −= η/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
  if (config_.amsgrad) {
    auto vm = s.v_max.array();
    vm = vm.max(v);
    theta += static_cast<T>(-step_size) * (m / (vm.sqrt() / bias2_sqrt + eps));
  } else {
    theta += static_cast<T>(-step_size) * (m / (v.sqrt() / bias2_sqrt + eps));
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

}  // namespace gs::nn
