// The PyTorch training script of a config (torch_export.h). Sections: data, model, loss and
// optimizer, schedule (from the schedule table's torch names), the loop.
// Depends on the nn config, dataset, schedule table and the engine's graph export.
#include "nn/torch_export.h"

#include "engine/error_text.h"
#include "engine/parse.h"
#include "engine/text_file.h"
#include "engine/torch_export.h"
#include "nn/errors.h"
#include "nn/schedule_params.h"

#include <cstdio>
#include <filesystem>
#include <sstream>

namespace gs::nn {

namespace {

std::string num(double v) { return python_float(v); }

std::string python_value(const nlohmann::json& v) {
  if (v.is_boolean()) return v.get<bool>() ? "True" : "False";
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number()) return num(v.get<double>());
  if (v.is_string()) return nlohmann::json(v.get<std::string>()).dump();
  if (v.is_array()) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + python_value(v[i]);
    return s + "]";
  }
  return "None";
}

// ---- [SECTION] data -------------------------------------------------------------------------

// Features with 9 significant digits (a float32 reads back exactly), then the label.
std::string csv_text(const Dataset& d) {
  std::string s;
  const Index n = d.size(), width = n ? d.x.size() / n : 0;
  for (Index j = 0; j < width; ++j) s.append("x").append(std::to_string(j)).append(",");
  s += "label\n";
  char buf[32];
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < width; ++j) {
      std::snprintf(buf, sizeof buf, "%.9g,", static_cast<double>(d.x[i * width + j]));
      s += buf;
    }
    s += std::to_string(d.y[static_cast<std::size_t>(i)]) + "\n";
  }
  return s;
}

std::string sample_shape_text(const Shape& s) {
  std::string t;
  for (int i = 0; i < s.rank(); ++i) t += ", " + std::to_string(s[i]);
  return t;
}

void write_data(const TrainConfig& c, const DataSplit& data, const std::string& stem, std::ostringstream& s,
                TorchTrainingScript* out) {
  const DataSpec& d = c.data;
  const bool idx = d.kind == DataKind::FashionMnist || d.kind == DataKind::Idx;
  if (!idx) {
    out->files.emplace_back(stem + "_train.csv", csv_text(data.train));
    if (data.test.size() > 0) out->files.emplace_back(stem + "_test.csv", csv_text(data.test));
    s << "# Data: " << data.description << ", written beside this script as gradscope trains on it";
    s << (d.normalize != Normalize::None ? " (already normalised)" : "") << ".\n";
    s << "def read_csv(name):\n"
         "    with open(os.path.join(HERE, name)) as f:\n"
         "        rows = list(csv.reader(f))[1:]\n"
         "    x = torch.tensor([[float(v) for v in r[:-1]] for r in rows], dtype=torch.float32)\n"
         "    y = torch.tensor([int(r[-1]) for r in rows])\n"
         "    return x.reshape(-1"
      << sample_shape_text(c.model.input) << "), y\n\n\n";
    s << "x_train, y_train = read_csv(\"" << stem << "_train.csv\")\n";
    if (data.test.size() > 0)
      s << "x_test, y_test = read_csv(\"" << stem << "_test.csv\")\n";
    else
      s << "x_test, y_test = None, None\n";
    s << "classes = " << data.train.classes << "\n\n";
    return;
  }
  const bool fashion = d.kind == DataKind::FashionMnist;
  auto path = [&](const std::string& file, const std::string& given) { return fashion ? d.dir + "/" + file : given; };
  s << "# Data: " << data.description << ", read from the same IDX files (images scaled to [0, 1]).\n";
  s << "def read_idx(path, limit=0):\n"
       "    \"\"\"An MNIST-format IDX file (gzip-compressed when it ends in .gz).\"\"\"\n"
       "    with (gzip.open if path.endswith(\".gz\") else open)(path, \"rb\") as f:\n"
       "        data = f.read()\n"
       "    rank = data[3]\n"
       "    dims = struct.unpack(\">\" + \"I\" * rank, data[4:4 + 4 * rank])\n"
       "    t = torch.frombuffer(bytearray(data[4 + 4 * rank:]), dtype=torch.uint8).reshape(dims)\n"
       "    return t[:limit] if limit > 0 else t\n\n\n";
  s << "x_train = read_idx(" << nlohmann::json(path("train-images-idx3-ubyte.gz", d.train_images)).dump() << ", "
    << d.train_limit << ").float().div(255).unsqueeze(1)\n";
  s << "y_train = read_idx(" << nlohmann::json(path("train-labels-idx1-ubyte.gz", d.train_labels)).dump() << ", "
    << d.train_limit << ").long()\n";
  if (data.test.size() > 0) {
    s << "x_test = read_idx(" << nlohmann::json(path("t10k-images-idx3-ubyte.gz", d.test_images)).dump() << ", "
      << d.test_limit << ").float().div(255).unsqueeze(1)\n";
    s << "y_test = read_idx(" << nlohmann::json(path("t10k-labels-idx1-ubyte.gz", d.test_labels)).dump() << ", "
      << d.test_limit << ").long()\n";
  } else {
    s << "x_test, y_test = None, None\n";
  }
  if (d.normalize == Normalize::Global) {
    s << "# One mean and standard deviation over every value of the training images (torchvision's Normalize).\n"
         "mean, std = x_train.double().mean().item(), x_train.double().std(unbiased=False).item()\n"
         "x_train = (x_train - mean) / std\n"
         "x_test = (x_test - mean) / std if x_test is not None else None\n";
  } else if (d.normalize == Normalize::Standard) {
    s << "# Each pixel standardised with the training images' mean and standard deviation (0 kept at 1).\n"
         "mean, std = x_train.mean(dim=0), x_train.std(dim=0, unbiased=False)\n"
         "std[std == 0] = 1\n"
         "x_train = (x_train - mean) / std\n"
         "x_test = (x_test - mean) / std if x_test is not None else None\n";
  }
  s << "classes = 10\n\n";
}

// ---- [SECTION] model ------------------------------------------------------------------------

std::string layer_text(const LayerSpec& l) {
  switch (l.kind) {
    case LayerKind::Linear: return "nn.Linear(" + std::to_string(l.in) + ", " + std::to_string(l.out) + ")";
    case LayerKind::Conv2D:
      return "nn.Conv2d(" + std::to_string(l.in) + ", " + std::to_string(l.out) + ", kernel_size=" + std::to_string(l.kernel) +
             ", stride=" + std::to_string(l.stride) + ", padding=" + std::to_string(l.padding) + ")";
    case LayerKind::MaxPool2D:
    case LayerKind::AvgPool2D: {
      const bool max = l.kind == LayerKind::MaxPool2D;
      std::string t = std::string(max ? "nn.MaxPool2d(" : "nn.AvgPool2d(") + std::to_string(l.kernel) +
                      ", stride=" + std::to_string(l.stride);
      if (l.padding) t += ", padding=" + std::to_string(l.padding);
      if (l.ceil_mode) t += ", ceil_mode=True";
      if (!max && !l.count_include_pad) t += ", count_include_pad=False";
      return t + ")";
    }
    case LayerKind::Padding: return "nn.ZeroPad2d(" + std::to_string(l.padding) + ")";
    case LayerKind::Flatten: return "nn.Flatten()";
    case LayerKind::Relu: return "nn.ReLU()";
    case LayerKind::Sigmoid: return "nn.Sigmoid()";
    case LayerKind::Tanh: return "nn.Tanh()";
  }
  return "";
}

// ---- [SECTION] optimizer and schedule -------------------------------------------------------

std::string optimizer_text(const OptimizerConfig& o) {
  std::string s;
  switch (o.kind) {
    case OptimizerKind::Sgd:
      s = "torch.optim.SGD(model.parameters(), lr=" + num(o.lr) + ", momentum=" + num(o.momentum) +
          ", dampening=" + num(o.dampening) + ", weight_decay=" + num(o.weight_decay) +
          ", nesterov=" + (o.nesterov ? "True" : "False") + ")";
      break;
    case OptimizerKind::Adam:
    case OptimizerKind::AdamW:
      s = std::string(o.kind == OptimizerKind::Adam ? "torch.optim.Adam" : "torch.optim.AdamW") +
          "(model.parameters(), lr=" + num(o.lr) + ", betas=(" + num(o.beta1) + ", " + num(o.beta2) + "), eps=" + num(o.eps) +
          ", weight_decay=" + num(o.weight_decay) + ", amsgrad=" + (o.amsgrad ? "True" : "False") + ")";
      break;
  }
  return s;
}

struct ScheduleWriter {
  const TrainConfig& config;
  long long run_length;  // scheduler steps in the run: epochs, or every batch
  std::ostringstream& lines;

  // Writes the schedulers a spec needs, members first (var_1, var_2, …), then its own as `var`.
  void write(const ScheduleSpec& spec, const std::string& var) {
    const ScheduleInfo& info = spec.info();
    std::vector<std::string> members;
    for (std::size_t i = 0; i < spec.members.size(); ++i) {
      members.push_back(var + "_" + std::to_string(i + 1));
      write(spec.members[i], members.back());
    }
    std::string args;
    auto arg = [&](const std::string& text) { args += (args.empty() ? "" : ", ") + text; };
    if (spec.name != "chained") arg("optimizer");
    for (const ScheduleParam& p : info.params) {
      if (p.kind == ParamKind::ScheduleList) {
        std::string list;
        for (const std::string& m : members) list += (list.empty() ? "" : ", ") + m;
        arg(spec.name == "chained" ? "[" + list + "]" : p.torch_name + "=[" + list + "]");
        continue;
      }
      if (!spec.values.contains(p.key)) {
        // OneCycleLR's length: the run's, when neither total_steps nor epochs is given.
        if (spec.name == "onecycle" && p.key == "total_steps" && !spec.values.contains("epochs"))
          arg("total_steps=" + std::to_string(run_length));
        continue;
      }
      const nlohmann::json& v = spec.values[p.key];
      arg(p.torch_name + "=" + (p.kind == ParamKind::Expression ? torch_lambda(v.get<std::string>()) : python_value(v)));
    }
    // torch's CyclicLR cycles momentum by default and then needs SGD's momentum; gradscope cycles
    // it only where the optimizer has one.
    if (spec.name == "cyclic" && !spec.values.contains("cycle_momentum") && config.optimizer.kind != OptimizerKind::Sgd)
      arg("cycle_momentum=False");
    lines << var << " = torch.optim.lr_scheduler." << info.torch_class << "(" << args << ")\n";
  }
};

}  // namespace

std::string torch_lambda(const std::string& expression) {
  const Graph g = parse_expression(expression);
  std::vector<std::string> text(static_cast<std::size_t>(g.size()));
  for (NodeId id : g.order()) {
    const Node& n = g.node(id);
    if (n.kind == NodeKind::Input) {
      text[id.index] = "torch.tensor(float(" + n.name + "))";
    } else if (n.kind == NodeKind::Constant) {
      const TensorD& c = g.constant_value(id);
      text[id.index] = c.rank() == 0 ? std::string("(").append(python_float(c[0])).append(")")
                                     : std::string("torch.tensor(").append(python_list(c)).append(")");
    } else {
      std::vector<std::string> args;
      for (int i = 0; i < n.arity; ++i) args.push_back(text[n.inputs[static_cast<std::size_t>(i)].index]);
      text[id.index] = std::string("(").append(torch_op_expression(g, id, args)).append(")");
    }
  }
  return std::string("lambda epoch: float").append(g.size() ? text[g.output().index] : std::string("(1.0)"));
}

TorchTrainingScript torch_training_script(const TrainConfig& c, const std::string& stem) {
  TorchTrainingScript out;
  const DataSplit data = load_data(c.data);
  const long long batches = (data.train.size() + c.batch_size - 1) / c.batch_size;
  const bool per_batch = c.schedule && c.schedule->per_batch;
  std::ostringstream s;
  s << "#!/usr/bin/env python3\n"
       "# Written by gradscope-cli export torch from the training config \""
    << printable_text(c.name) << "\"" << (c.description.empty() ? "" : ":\n#   " + printable_text(c.description)) << "\n";
  s << "# The same run with PyTorch: model, initialisation scheme (torch's defaults, which gradscope uses),\n"
       "# loss, optimizer, learning-rate schedule, batch size, epochs and data. Only the random numbers\n"
       "# (initial weights, batch order) differ from gradscope's.\n"
       "import csv\nimport gzip\nimport json\nimport os\nimport struct\n\n"
       "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n"
       "HERE = os.path.dirname(os.path.abspath(__file__))\n"
    << "torch.manual_seed(" << c.seed << ")\n"
    << "torch.set_num_threads(" << c.threads << ")\n\n";
  write_data(c, data, stem, s, &out);

  s << "model = nn.Sequential(\n";
  for (const LayerSpec& l : c.model.layers) s << "    " << layer_text(l) << ",\n";
  s << ")\n\n";

  switch (c.loss) {
    case LossKind::CrossEntropy: s << "loss_fn = nn.CrossEntropyLoss()\n"; break;
    case LossKind::Mse:
      s << "def loss_fn(z, y):\n"
           "    \"\"\"Mean squared difference between the outputs and one-hot targets (gradscope's mse).\"\"\"\n"
           "    return F.mse_loss(z, F.one_hot(y, z.shape[1]).to(z.dtype))\n";
      break;
    case LossKind::Hinge:
      s << "def loss_fn(z, y):\n"
           "    \"\"\"Multi-class SVM loss (seed 001): mean over samples of sum over j != y of max(0, z_j - z_y + 1).\n"
           "    torch's multi_margin_loss also divides by the number of classes: multiplied back.\"\"\"\n"
           "    return F.multi_margin_loss(z, y) * z.shape[1]\n";
      break;
  }
  const OptimizerConfig& o = c.optimizer;
  s << "optimizer = " << optimizer_text(o) << "\n";
  if (o.kind == OptimizerKind::Sgd && o.form == MomentumForm::Seed002 && o.momentum != 0)
    s << "# gradscope's config uses seed 002's momentum form (v = mu*v - lr*g; w += v). torch's form (v = mu*v + g;\n"
         "# w -= lr*v) takes the same steps while the learning rate is constant.\n";
  const std::string scheduler = "scheduler";
  if (c.schedule) {
    std::ostringstream sched;
    ScheduleWriter{c, per_batch ? batches * c.epochs : c.epochs, sched}.write(c.schedule->spec, scheduler);
    s << sched.str();
  }
  const bool plateau = c.schedule && c.schedule->spec.name == "plateau";

  s << "\n\ndef evaluate(x, y):\n"
       "    \"\"\"Mean loss and accuracy over a whole set, in chunks.\"\"\"\n"
       "    total, correct = 0.0, 0\n"
       "    with torch.no_grad():\n"
       "        for i in range(0, len(y), 1000):\n"
       "            z = model(x[i:i + 1000])\n"
       "            total += loss_fn(z, y[i:i + 1000]).item() * len(z)\n"
       "            correct += (z.argmax(dim=1) == y[i:i + 1000]).sum().item()\n"
       "    return total / len(y), correct / len(y)\n\n\n";
  s << "batch_size, epochs = " << c.batch_size << ", " << c.epochs << "\n"
    << "lrs = []\n"
       "for epoch in range(epochs):\n"
       "    lrs.append(optimizer.param_groups[0][\"lr\"])\n"
       "    order = torch.randperm(len(y_train))\n"
       "    loss_sum, correct, batches = 0.0, 0, 0\n"
       "    for i in range(0, len(y_train), batch_size):\n"
       "        idx = order[i:i + batch_size]\n"
       "        optimizer.zero_grad()\n"
       "        z = model(x_train[idx])\n"
       "        loss = loss_fn(z, y_train[idx])\n";
  if (o.l1 > 0)
    s << "        # L1 regularisation: " << num(o.l1) << " * sum |w| over every parameter (its gradient is l1 * sign w).\n"
      << "        objective = loss + " << num(o.l1) << " * sum(p.abs().sum() for p in model.parameters())\n"
      << "        objective.backward()\n";
  else
    s << "        loss.backward()\n";
  if (o.clip_norm > 0) s << "        torch.nn.utils.clip_grad_norm_(model.parameters(), " << num(o.clip_norm) << ")\n";
  s << "        optimizer.step()\n";
  if (per_batch) s << "        if epoch * " << batches << " + batches + 1 < epochs * " << batches << ":\n"
                   << "            " << scheduler << ".step()  # stepped per batch, after optimizer.step()\n";
  s << "        loss_sum += loss.item()\n"
       "        correct += (z.argmax(dim=1) == y_train[idx]).sum().item()\n"
       "        batches += 1\n"
       "    epoch_loss, train_accuracy = loss_sum / batches, correct / len(y_train)\n"
       "    test_loss, test_accuracy = evaluate(x_test, y_test) if y_test is not None else (None, None)\n";
  if (c.schedule && !per_batch) {
    s << "    if epoch + 1 < epochs:\n";
    if (plateau)
      s << "        " << scheduler
        << ".step(test_loss if test_loss is not None else epoch_loss)  # the held-out loss when there is one\n";
    else
      s << "        " << scheduler << ".step()  # once per epoch, after the epoch's optimizer steps\n";
  }
  s << "    print(f\"epoch {epoch + 1}/{epochs}: loss {epoch_loss:.4f}, train accuracy {train_accuracy:.4f}\"\n"
       "          + (f\", test accuracy {test_accuracy:.4f}\" if test_accuracy is not None else \"\")\n"
       "          + f\", lr {lrs[-1]:.6g}\")\n\n"
       "print(json.dumps({\"train_accuracy\": train_accuracy, \"test_accuracy\": test_accuracy,\n"
       "                  \"final_loss\": epoch_loss, \"lr\": lrs}))\n";
  out.script = s.str();
  return out;
}

std::vector<std::string> write_torch_training_script(const TrainConfig& config, const std::string& path) {
  const std::filesystem::path out(path);
  const TorchTrainingScript script = torch_training_script(config, out.stem().string());
  std::vector<std::string> written;
  try {
    for (const auto& [name, text] : script.files) {
      written.push_back((out.parent_path() / name).string());
      write_file_atomically(written.back(), text);
    }
    write_file_atomically(path, script.script);
  } catch (const FileError& e) {
    throw InputError(e.what());
  }
  return written;
}

std::vector<std::string> torch_training_data_files(const TrainConfig& config, const std::string& path) {
  if (config.data.kind == DataKind::FashionMnist || config.data.kind == DataKind::Idx) return {};
  const std::filesystem::path out(path);
  const std::string stem = out.stem().string();
  return {(out.parent_path() / (stem + "_train.csv")).string(), (out.parent_path() / (stem + "_test.csv")).string()};
}

}  // namespace gs::nn
