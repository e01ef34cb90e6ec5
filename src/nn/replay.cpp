// Replaying a training step inside the graph (replay.h). Sections: the network as a graph, the
// step's batch and the trainer's gradients, the comparison.
// Depends on the engine's graph, autodiff and graph files, and on the nn model, dataset, trainer.
#include "nn/replay.h"

#include "engine/autodiff.h"
#include "nn/errors.h"
#include "nn/trainer.h"

#include <algorithm>
#include <cmath>

namespace gs::nn {

namespace {

TensorD to_double(const TensorF& t) { return t.cast<double>(); }

TensorD one_hot(const std::vector<std::int32_t>& y, int classes) {
  TensorD t(Shape{static_cast<Index>(y.size()), static_cast<Index>(classes)});
  for (std::size_t i = 0; i < y.size(); ++i) t[static_cast<Index>(i) * classes + y[i]] = 1.0;
  return t;
}

const char* op_word(LayerKind k) {
  switch (k) {
    case LayerKind::Relu: return "relu";
    case LayerKind::Sigmoid: return "sigmoid";
    case LayerKind::Tanh: return "tanh";
    case LayerKind::MaxPool2D: return "maxpool";
    case LayerKind::AvgPool2D: return "avgpool";
    case LayerKind::Padding: return "pad";
    case LayerKind::Flatten: return "flatten";
    case LayerKind::Conv2D: return "conv2d";
    case LayerKind::Linear: return "@";
  }
  return "";
}

// The first `n` rows of a batch (N, …).
TensorF first_rows(const TensorF& x, Index n) {
  Shape s = x.shape();
  const Index row = x.size() / s[0];
  s[0] = n;
  TensorF out(s);
  std::copy(x.data(), x.data() + n * row, out.data());
  return out;
}

}  // namespace

// ---- [SECTION] the network as a graph --------------------------------------------------------

GraphDocument network_graph(const Model<float>& model, LossKind loss, const OptimizerConfig& optimizer,
                            const TensorF& x, const std::vector<std::int32_t>& y, int classes, const std::string& title) {
  GraphDocument doc;
  Graph& g = doc.graph;
  NodeId h = g.input("X", x.shape());
  doc.values["X"] = to_double(x);
  const NodeId targets = g.input("Y", Shape{static_cast<Index>(y.size()), static_cast<Index>(classes)});
  doc.values["Y"] = one_hot(y, classes);

  std::vector<NodeId> weights;  // every parameter's input node, in the trainer's order
  std::string chain = "X";
  int weighted = 0;
  for (int i = 0; i < model.size(); ++i) {
    const Layer<float>& layer = model.layer(i);
    const LayerSpec& spec = layer.layer_spec();
    OpAttrs at;
    switch (spec.kind) {
      case LayerKind::Linear:
      case LayerKind::Conv2D: {
        const auto& w = dynamic_cast<const WeightedLayer<float>&>(layer);
        const std::string k = std::to_string(++weighted);
        const NodeId W = g.input("W" + k, w.weight.shape()), b = g.input("b" + k, w.bias.shape());
        doc.values["W" + k] = to_double(w.weight);
        doc.values["b" + k] = to_double(w.bias);
        weights.push_back(W);
        weights.push_back(b);
        if (spec.kind == LayerKind::Linear) {
          h = g.op(Op::Add, {g.op(Op::MatMul, {h, W}), b});  // X·W + b, W (in, out) as in seed 002
          chain += (chain == "X" ? "" : " → ·") + std::string(" @ W") + k + " + b" + k;
        } else {
          at.stride = spec.stride;
          at.padding = spec.padding;
          h = g.op(Op::Conv2d, {h, W, b}, at);
          chain += " → conv2d(·, W" + k + ", b" + k + ")";
        }
        break;
      }
      case LayerKind::MaxPool2D:
      case LayerKind::AvgPool2D:
        at.kernel = spec.kernel;
        at.stride = spec.stride;
        at.padding = spec.padding;
        at.ceil_mode = spec.ceil_mode;
        at.count_include_pad = spec.count_include_pad;
        h = g.op(spec.kind == LayerKind::MaxPool2D ? Op::MaxPool : Op::AvgPool, {h}, at);
        chain += std::string(" → ") + op_word(spec.kind);
        break;
      case LayerKind::Padding:
        at.padding = spec.padding;
        h = g.op(Op::Pad, {h}, at);
        chain += " → pad";
        break;
      case LayerKind::Flatten:
        h = g.op(Op::Flatten, {h});
        chain += " → flatten";
        break;
      case LayerKind::Relu: h = g.op(Op::Relu, {h}); chain += " → relu"; break;
      case LayerKind::Sigmoid: h = g.op(Op::Sigmoid, {h}); chain += " → sigmoid"; break;
      case LayerKind::Tanh: h = g.op(Op::Tanh, {h}); chain += " → tanh"; break;
    }
  }
  const Op loss_op = loss == LossKind::CrossEntropy ? Op::CrossEntropy : loss == LossKind::Mse ? Op::Mse : Op::Hinge;
  NodeId out = g.op(loss_op, {h, targets});
  chain += std::string(" → ") + op_name(loss_op) + "(Z, Y)";

  // s: the regularisation whose gradient the optimizer adds (seed 003's J = L + s).
  const bool l2 = optimizer.weight_decay > 0 && optimizer.kind != OptimizerKind::AdamW;
  NodeId s;
  auto add_term = [&](NodeId term) { s = s.valid() ? g.op(Op::Add, {s, term}) : term; };
  if (l2) {
    NodeId squares;
    for (NodeId w : weights) {
      const NodeId sq = g.op(Op::Sum, {g.op(Op::Mul, {w, w})});
      squares = squares.valid() ? g.op(Op::Add, {squares, sq}) : sq;
    }
    add_term(g.op(Op::Mul, {g.constant(TensorD::scalar(optimizer.weight_decay / 2)), squares}));
    chain += " + (λ/2)·Σ‖W‖²";
  }
  if (optimizer.l1 > 0) {
    NodeId norms;
    for (NodeId w : weights) {
      const NodeId n = g.op(Op::L1Norm, {w});
      norms = norms.valid() ? g.op(Op::Add, {norms, n}) : n;
    }
    add_term(g.op(Op::Mul, {g.constant(TensorD::scalar(optimizer.l1)), norms}));
    chain += " + λ₁·Σ‖W‖₁";
  }
  if (s.valid()) out = g.op(Op::Add, {out, s});
  g.set_output(out);

  doc.title = title;
  doc.description = "X " + x.shape().to_string() + ": " + chain +
                    (optimizer.kind == OptimizerKind::AdamW && optimizer.weight_decay > 0
                         ? "; AdamW's weight decay acts on the weights directly, not through the gradient"
                         : "");
  return doc;
}

// ---- [SECTION] the step's batch, the trainer's gradients, the comparison -----------------------

StepReplay replay_step(const TrainConfig& config, std::int64_t step, Index samples) {
  TrainingRun run(config);
  if (step < 1 || step > run.total_steps())
    throw InputError("step must be between 1 and " + std::to_string(run.total_steps()) + " (the run's steps: " +
                     std::to_string(config.epochs) + " epochs of " + std::to_string(run.batches_per_epoch()) +
                     " batches), got " + std::to_string(step));
  if (samples < 0) throw InputError("samples must be positive, got " + std::to_string(samples));
  for (std::int64_t k = 1; k < step; ++k) run.step();

  // Step `step`'s batch: the batcher's order depends only on (seed, epoch), as the run's does.
  Batcher batcher(run.data().train, config.batch_size, config.seed);
  const std::int64_t bpe = run.batches_per_epoch();
  batcher.start_epoch(static_cast<int>((step - 1) / bpe));
  TensorF x;
  std::vector<std::int32_t> y;
  for (std::int64_t b = 0; b <= (step - 1) % bpe; ++b) batcher.next(x, y);
  if (samples > 0 && samples < static_cast<Index>(y.size())) {
    x = first_rows(x, samples);
    y.resize(static_cast<std::size_t>(samples));
  }

  // The trainer's gradients: its model's forward, loss and backward, as TrainingRun::step runs them.
  Model<float>& model = run.model();
  const TensorF& z = model.forward(x);
  TensorF dz;
  StepReplay r;
  r.step = step;
  r.samples = static_cast<Index>(y.size());
  r.loss_trainer = compute_loss(config.loss, z, y, &dz);
  model.zero_grad();
  model.backward(dz);

  r.document = network_graph(model, config.loss, config.optimizer, x, y, run.data().train.classes,
                             config.name + ", step " + std::to_string(step) + ": the network on " +
                                 std::to_string(r.samples) + " samples of its batch");
  const Graph& g = r.document.graph;
  const Evaluation ev = evaluate(g, r.document.values);
  const ReverseResult adj = reverse(g, ev, g.output(), false);
  r.objective_graph = ev[g.output()][0];
  // L: the loss node (the output, or the first input of J = L + s).
  NodeId loss_node = g.output();
  if (g.node(loss_node).op == Op::Add) loss_node = g.node(loss_node).inputs[0];
  r.loss_graph = ev[loss_node][0];

  const OptimizerConfig& o = config.optimizer;
  const double wd = o.kind != OptimizerKind::AdamW ? o.weight_decay : 0.0;
  const std::vector<Param<float>> params = model.params();
  for (std::size_t i = 0; i < params.size(); ++i) {
    const Param<float>& p = params[i];
    ParamReplay c;
    c.input = std::string(i % 2 == 0 ? "W" : "b") + std::to_string(i / 2 + 1);
    c.name = p.name;
    c.shape = p.value->shape();
    const TensorD& a = adj[g.find_input(c.input)];
    double scale = 0, diff = 0;
    for (Index k = 0; k < a.size(); ++k) {
      const double w = (*p.value)[k];
      const double t = static_cast<double>((*p.grad)[k]) + wd * w + o.l1 * static_cast<double>((w > 0) - (w < 0));
      scale = std::max(scale, std::abs(a[k]));
      diff = std::max(diff, std::abs(t - a[k]));
    }
    c.max_abs_diff = diff;
    c.max_rel_diff = scale > 0 ? diff / scale : diff;
    r.params.push_back(c);
  }
  return r;
}

}  // namespace gs::nn
