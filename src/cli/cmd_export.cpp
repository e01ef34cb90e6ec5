// `gradscope-cli export torch (--expr EXPR [--at NAME=VALUE]... | --graph FILE) [-o FILE.py]`: a
// PyTorch script of the same computation (engine/torch_export.h), on stdout or into FILE.py.
// `gradscope-cli export torch (--preset NAME | --config FILE) -o FILE.py`: a PyTorch training
// script of the same run (nn/torch_export.h), with the data it needs written beside it.
// Depends on the engine, src/nn and CLI11.
#include "commands.h"
#include "graph_input.h"

#include "engine/text_file.h"
#include "engine/torch_export.h"
#include "nn/config.h"
#include "nn/torch_export.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

namespace gs::cli {
namespace {

struct ExportOptions {
  GraphOptions graph;
  std::string preset, config_file, output;
};

// Atomically (engine/text_file.h): a failed write keeps the script that was there.
void write_text(const std::string& path, const std::string& text) { write_file_atomically(path, text); }

void run_torch(const ExportOptions& o) {
  const bool graph = !o.graph.expr.empty() || !o.graph.graph_file.empty();
  const bool training = !o.preset.empty() || !o.config_file.empty();
  if (graph && training) throw InputError("give a graph (--expr or --graph) or a training run (--preset or --config), not both");
  if (!graph && !training)
    throw InputError("export torch needs a graph (--expr EXPR or --graph FILE) or a training run (--preset NAME or --config FILE)");
  if (graph) {
    GraphInput in = load_graph_input(o.graph);
    std::string source = in.from_file ? "the graph file " + std::filesystem::path(in.source).filename().string() +
                                            (in.title.empty() ? "" : " (" + in.title + ")")
                                      : in.source;
    for (const std::string& at : o.graph.at) source += "\n  --at " + at;
    const std::string script = torch_script(in.graph, in.values, source);
    if (o.output.empty() || o.output == "-")
      std::cout << script;
    else
      write_text(o.output, script);
    return;
  }
  if (!o.preset.empty() && !o.config_file.empty()) throw InputError("give --preset or --config, not both");
  if (o.output.empty() || o.output == "-")
    throw InputError("a training script needs -o FILE.py: its data files are written beside it");
  const nlohmann::json c = o.preset.empty() ? nn::read_config_file(o.config_file) : nn::preset(o.preset);
  const nn::TrainConfig config = nn::parse_config(c);
  nn::write_torch_training_script(config, o.output);
}

}  // namespace

void add_export_command(CLI::App& app) {
  CLI::App* exp = app.add_subcommand("export", "Write the same computation or training run in another framework's terms");
  exp->require_subcommand(1);
  auto o = std::make_shared<ExportOptions>();
  CLI::App* torch = exp->add_subcommand(
      "torch",
      "A PyTorch script: of a graph (float64, requires_grad on the inputs, backward(), the output and every gradient "
      "printed), or of a training run (the same model, initialisation scheme, loss, optimizer, schedule, batch size, "
      "epochs and data)");
  add_graph_options(torch, &o->graph);
  torch->add_option("--preset", o->preset, "a training preset (assets/presets/NAME.json)");
  torch->add_option("--config", o->config_file, "a training config file (JSON)");
  torch->add_option("-o,--output", o->output, "the script to write (a graph's goes to stdout without it)");
  torch->callback([o] { run_torch(*o); });
}

}  // namespace gs::cli
