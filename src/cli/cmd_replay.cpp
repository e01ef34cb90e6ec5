// `gradscope-cli replay (--preset NAME | --config FILE) --step K [--samples N] [--json]
// [--graph-out FILE.json]`: trains to step K, builds the network's computation graph on that step's
// batch with the weights of step K (nn/replay.h), and prints the loss from both and the largest
// relative difference per parameter between the trainer's gradients and the graph's adjoints;
// --json: {"step", "loss_trainer", "loss_graph", "max_rel_diff": {param: number}}; --graph-out
// writes the graph file the desktop program opens. Depends on src/nn, the engine's graph files, CLI11.
#include "commands.h"
#include "graph_input.h"

#include "engine/error_text.h"
#include "engine/graph_json.h"
#include "nn/config.h"
#include "nn/replay.h"

#include <iostream>
#include <memory>

namespace gs::cli {
namespace {

struct ReplayOptions {
  std::string preset, config_file, graph_out;
  long long step = 0, samples = 0;
  bool json = false;
};

void run_replay(const ReplayOptions& o) {
  if (!o.preset.empty() && !o.config_file.empty()) throw InputError("give --preset or --config, not both");
  if (o.preset.empty() && o.config_file.empty()) throw InputError("replay needs --preset NAME or --config FILE");
  const nn::TrainConfig config = nn::parse_config(o.preset.empty() ? nn::read_config_file(o.config_file) : nn::preset(o.preset));
  const nn::StepReplay r = nn::replay_step(config, o.step, static_cast<Index>(o.samples));
  if (!o.graph_out.empty()) save_document(r.document, o.graph_out);

  if (o.json) {
    nlohmann::ordered_json j;
    j["step"] = r.step;
    j["samples"] = r.samples;
    j["loss_trainer"] = number_to_json(r.loss_trainer);
    j["loss_graph"] = number_to_json(r.loss_graph);
    j["objective_graph"] = number_to_json(r.objective_graph);
    nlohmann::ordered_json diffs = nlohmann::ordered_json::object();
    for (const nn::ParamReplay& p : r.params) diffs[p.input] = number_to_json(p.max_rel_diff);
    j["max_rel_diff"] = diffs;
    std::cout << j.dump() << "\n";
    return;
  }
  const Graph& g = r.document.graph;
  std::cout << printable_text(r.document.title) << "\n  " << printable_text(r.document.description) << "\n  " << g.size()
            << " nodes\n\n";
  std::cout << "  loss   trainer (float32) " << precise_number(r.loss_trainer) << "\n"
            << "         graph (float64)   " << precise_number(r.loss_graph) << "\n";
  if (r.objective_graph != r.loss_graph)
    std::cout << "  J = L + s (graph)        " << precise_number(r.objective_graph) << "\n";
  std::cout << "\n";
  TextTable t({"param", "shape", "trainer's name", "max rel diff", "max abs diff"});
  for (const nn::ParamReplay& p : r.params) {
    char rel[32], abs[32];
    std::snprintf(rel, sizeof rel, "%.3g", p.max_rel_diff);
    std::snprintf(abs, sizeof abs, "%.3g", p.max_abs_diff);
    t.add_row({p.input, p.shape.to_string(), p.name, rel, abs});
  }
  std::cout << t.render() << "\n  (max rel diff: the largest |trainer's gradient − graph's adjoint| over a parameter, "
               "divided by its largest adjoint)\n";
  if (!o.graph_out.empty()) std::cout << "\n  graph written to " << o.graph_out << " (open it in gradscope)\n";
}

}  // namespace

void add_replay_command(CLI::App& app) {
  auto o = std::make_shared<ReplayOptions>();
  CLI::App* sub = app.add_subcommand(
      "replay",
      "Replay training step K inside the graph: the network on that step's batch with the weights of step K, its "
      "adjoints compared with the trainer's gradients");
  sub->add_option("--preset", o->preset, "a training preset (assets/presets/NAME.json)");
  sub->add_option("--config", o->config_file, "a training config file (JSON)");
  sub->add_option("--step", o->step, "the step to replay: 1 … the run's steps (the metrics' step column)")->required();
  sub->add_option("--samples", o->samples, "only the batch's first N samples (default: the whole batch)");
  sub->add_flag("--json", o->json, "one JSON object: step, loss_trainer, loss_graph, max_rel_diff per parameter");
  sub->add_option("--graph-out", o->graph_out, "write the graph file (JSON) the desktop program opens");
  sub->callback([o] { run_replay(*o); });
}

}  // namespace gs::cli
