// The optimizer updates, in torch.optim 1.13's order of operations (sgd.py _single_tensor_sgd,
// adam.py / adamw.py _single_tensor_adam[w]): scalars in double as Python computes them, tensor
// arithmetic in the parameter's type. Depends on tensor.h, spec_reader.h, nlohmann-json.
#include "nn/optimizer.h"

#include "nn/spec_reader.h"

#include <algorithm>
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
void Optimizer<T>::attach(std::vector<Param<T>> params, Arena arena) {
  params_ = std::move(params);
  param_offset_.clear();
  pieces_.clear();
  has_m_ = first_ = false;
  steps_ = 0;
  if (arena.values) {
    for (const Param<T>& p : params_) {
      const Index at = p.value->data() - arena.values;
      if (at < 0 || at + p.value->size() > arena.size || p.grad->data() != arena.grads + at)
        throw std::logic_error("Optimizer::attach: " + p.name + " is not in the arena");
      param_offset_.push_back(at);
    }
    pieces_.push_back({arena.values, arena.grads, 0, arena.size});
    flat_size_ = arena.size;
    in_arena_ = true;
  } else {
    in_arena_ = false;
    Index at = 0;
    for (const Param<T>& p : params_) {
      param_offset_.push_back(at);
      pieces_.push_back({p.value->data(), p.grad->data(), at, p.value->size()});
      at += p.value->size();
    }
    flat_size_ = at;
  }
}

template <class T>
void Optimizer<T>::set_momentum(double m) {
  if (config_.kind == OptimizerKind::Sgd)
    config_.momentum = m;
  else
    config_.beta1 = m;
}

template <class T>
void Optimizer<T>::allocate_state() {
  m_ = AlignedBuffer<T>(flat_size_);
  if (config_.kind != OptimizerKind::Sgd) {
    v_ = AlignedBuffer<T>(flat_size_);
    if (config_.amsgrad) v_max_ = AlignedBuffer<T>(flat_size_);
  }
  has_m_ = true;
}

template <class T>
double Optimizer<T>::step() {
  const double norm = begin_step();
  update_range(0, flat_size_);
  return norm;
}

template <class T>
double Optimizer<T>::begin_step() {
  // Parameters of their own may have been given new storage since attach() (a tensor assigned a
  // temporary takes over its elements): read where they are now.
  if (!in_arena_)
    for (std::size_t j = 0; j < params_.size(); ++j) {
      pieces_[j].value = params_[j].value->data();
      pieces_[j].grad = params_[j].grad->data();
    }
  if (config_.l1 > 0) {
    // L1: ∂(λ Σ|W|)/∂W = λ·sign(W), added as part of the loss gradient (before clipping).
    const T l1 = static_cast<T>(config_.l1);
    for (auto& p : params_) {
      T* g = p.grad->data();
      const T* w = p.value->data();
      for (Index i = 0, n = p.value->size(); i < n; ++i) g[i] += l1 * static_cast<T>((w[i] > 0) - (w[i] < 0));
    }
  }
  const double norm = config_.clip_norm > 0 ? clip_grad_norm(params_, config_.clip_norm) : NAN;
  // The scalars of this step, rounded to T once, as torch rounds Python numbers.
  k_.lr = static_cast<T>(config_.lr);
  k_.neg_lr = static_cast<T>(-config_.lr);
  k_.wd = static_cast<T>(config_.weight_decay);
  if (config_.kind == OptimizerKind::Sgd) {
    k_.mu = static_cast<T>(config_.momentum);
    k_.keep = static_cast<T>(1 - config_.dampening);
    first_ = false;
    if (config_.momentum != 0 && !has_m_) {
      allocate_state();  // seed 002's v starts at zero; PyTorch's takes g on this first step
      first_ = true;
    }
  } else {
    if (!has_m_) allocate_state();
    steps_ += 1;
    const double b1 = config_.beta1, b2 = config_.beta2;
    k_.shrink = static_cast<T>(1 - config_.lr * config_.weight_decay);
    k_.beta1 = static_cast<T>(b1);
    k_.beta2 = static_cast<T>(b2);
    k_.one_minus_b1 = static_cast<T>(1 - b1);
    k_.one_minus_b2 = static_cast<T>(1 - b2);
    const double bias1 = 1 - std::pow(b1, steps_);
    const double bias2 = 1 - std::pow(b2, steps_);
    k_.neg_step = static_cast<T>(-(config_.lr / bias1));
    k_.bias2_sqrt = static_cast<T>(std::sqrt(bias2));
    k_.eps = static_cast<T>(config_.eps);
  }
  return norm;
}

template <class T>
void Optimizer<T>::update_range(Index begin, Index end) {
  for (const Piece& p : pieces_) {
    const Index b = std::max(begin, p.offset), e = std::min(end, p.offset + p.size);
    if (b < e) update(p, b - p.offset, e - p.offset);
  }
}

// Elements [begin, end) of one piece. The updates are plain loops rather than Eigen expressions,
// each element on its own in a fixed order of operations, so that vector lanes and the scalar
// remainder round alike; every loop reads its settings from locals so that it vectorises.
template <class T>
void Optimizer<T>::update(const Piece& piece, Index begin, Index end) {
  const Index n = end - begin;
  T* __restrict theta = piece.value + begin;
  const T* __restrict g = piece.grad + begin;
  const Scalars k = k_;
  if (config_.kind == OptimizerKind::Sgd) {
    const bool l2 = config_.weight_decay != 0;
    const T wd = k.wd, mu = k.mu, lr = k.lr, neg_lr = k.neg_lr, keep = k.keep;
    if (config_.momentum == 0) {
      // θ = θ − η(g + λθ)
      if (l2)
        for (Index i = 0; i < n; ++i) theta[i] += neg_lr * (g[i] + wd * theta[i]);
      else
        for (Index i = 0; i < n; ++i) theta[i] += neg_lr * g[i];
      return;
    }
    T* __restrict v = m_.data() + piece.offset + begin;
    if (config_.form == MomentumForm::Seed002) {
      // seed 002: v = μv − η·d_p (v starts at zero), θ = θ + v, with d_p = g + λθ
      for (Index i = 0; i < n; ++i) {
        const T d_p = l2 ? g[i] + wd * theta[i] : g[i];
        v[i] = v[i] * mu - lr * d_p;
        theta[i] += v[i];
      }
      return;
    }
    // PyTorch: v = d_p on the first step, then v = μv + (1 − dampening)·d_p;
    // θ = θ − η·(Nesterov ? d_p + μv : v)
    const bool first = first_, nesterov = config_.nesterov;
    for (Index i = 0; i < n; ++i) {
      const T d_p = l2 ? g[i] + wd * theta[i] : g[i];
      v[i] = first ? d_p : v[i] * mu + keep * d_p;
      theta[i] += nesterov ? neg_lr * (d_p + mu * v[i]) : neg_lr * v[i];
    }
    return;
  }
  const bool decoupled = config_.kind == OptimizerKind::AdamW;
  const bool l2 = config_.weight_decay != 0;
  T* __restrict m = m_.data() + piece.offset + begin;
  T* __restrict v = v_.data() + piece.offset + begin;
  T* __restrict v_max = config_.amsgrad ? v_max_.data() + piece.offset + begin : nullptr;
  for (Index i = 0; i < n; ++i) {
    T grad = g[i];
    if (decoupled)
      theta[i] *= k.shrink;  // AdamW: θ ·= 1 − ηλ
    else if (l2)
      grad = grad + k.wd * theta[i];  // L2: g + λθ
    m[i] = m[i] * k.beta1 + k.one_minus_b1 * grad;         // m = β1 m + (1 − β1) g
    v[i] = v[i] * k.beta2 + k.one_minus_b2 * grad * grad;  // v = β2 v + (1 − β2) g²
    T second = v[i];
    if (v_max) second = v_max[i] = std::max(v_max[i], v[i]);
    // θ −= η/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
    theta[i] += k.neg_step * (m[i] / (std::sqrt(second) / k.bias2_sqrt + k.eps));
  }
}

template <class T>
nlohmann::json Optimizer<T>::state() const {
  nlohmann::json slots = nlohmann::json::array();
  for (std::size_t j = 0; j < params_.size(); ++j) {
    const Index at = param_offset_[j], n = params_[j].value->size();
    auto dump = [&](const AlignedBuffer<T>& b) { return std::vector<T>(b.data() + at, b.data() + at + n); };
    nlohmann::json s = {{"has_m", has_m_}, {"steps", steps_}};
    if (has_m_) {
      s["m"] = dump(m_);
      if (config_.kind != OptimizerKind::Sgd) s["v"] = dump(v_);
      if (config_.amsgrad && config_.kind != OptimizerKind::Sgd) s["v_max"] = dump(v_max_);
    }
    slots.push_back(std::move(s));
  }
  return {{"config", to_json(config_)}, {"slots", slots}};
}

template <class T>
void Optimizer<T>::load_state(const nlohmann::json& state) {
  const auto& slots = state.at("slots");
  if (slots.size() != params_.size()) throw InputError("checkpoint: optimizer state has a different parameter count");
  config_.lr = state.at("config").at("lr").get<double>();
  bool has_m = false;
  double steps = 0;
  for (const auto& j : slots) {
    has_m = has_m || j.at("has_m").get<bool>();
    steps = std::max(steps, j.at("steps").get<double>());
  }
  has_m_ = false;
  if (has_m) allocate_state();
  steps_ = steps;
  auto fill = [&](AlignedBuffer<T>& b, std::size_t j, const nlohmann::json& values) {
    auto v = values.get<std::vector<T>>();
    if (static_cast<Index>(v.size()) != params_[j].value->size())
      throw InputError("checkpoint: optimizer state has the wrong size");
    std::copy(v.begin(), v.end(), b.data() + param_offset_[j]);
  };
  for (std::size_t j = 0; j < slots.size() && has_m; ++j) {
    const auto& s = slots[j];
    if (s.contains("m")) fill(m_, j, s.at("m"));
    if (s.contains("v") && v_.size() > 0) fill(v_, j, s.at("v"));
    if (s.contains("v_max") && v_max_.size() > 0) fill(v_max_, j, s.at("v_max"));
  }
}

template <class T>
void Optimizer<T>::save_state(RawState& out) const {
  auto copy = [&](const AlignedBuffer<T>& b, std::vector<T>& to) {
    if (!has_m_ || b.size() == 0) {
      to.clear();
      return;
    }
    to.assign(b.data(), b.data() + b.size());
  };
  copy(m_, out.m);
  copy(v_, out.v);
  copy(v_max_, out.v_max);
  out.has_m = has_m_;
  out.steps = steps_;
  out.lr = config_.lr;
}

template <class T>
void Optimizer<T>::load_state(const RawState& in) {
  has_m_ = false;
  if (in.has_m) allocate_state();
  steps_ = in.steps;
  config_.lr = in.lr;
  auto fill = [&](AlignedBuffer<T>& b, const std::vector<T>& from) {
    if (static_cast<Index>(from.size()) == b.size()) std::copy(from.begin(), from.end(), b.data());
  };
  if (in.has_m) {
    fill(m_, in.m);
    fill(v_, in.v);
    fill(v_max_, in.v_max);
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
