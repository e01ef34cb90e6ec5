// Command-line parsing with CLI11. No GL.
#include "app/shell/options.h"

#include "app/graph/lesson.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>

namespace gs::app {

bool parse_size(const std::string& text, int* w, int* h) {
  int a = 0, b = 0;
  char x = 0, extra = 0;
  if (std::sscanf(text.c_str(), "%d%c%d%c", &a, &x, &b, &extra) != 3 || (x != 'x' && x != 'X')) return false;
  if (a < 200 || b < 150 || a > 8192 || b > 8192) return false;
  *w = a;
  *h = b;
  return true;
}

int parse_options(int argc, char** argv, const std::vector<std::string>& views, LaunchOptions* out) {
  CLI::App cli{"gradscope: build a computation graph, step its forward and reverse traces"};
  std::string view_list;
  for (const std::string& v : views) view_list += (view_list.empty() ? "" : ", ") + v;
  std::string size, lang = "en";
  auto* example = cli.add_option("--example", out->example, "example graph from assets/examples (default seed004)");
  auto* graph = cli.add_option("--graph", out->graph_file, "graph file (JSON)")->excludes(example);
  auto* lesson = cli.add_option("--lesson", out->lesson_file, "open a lesson file (assets/lessons/*.json): a graph with a note per step")
      ->excludes(example)
      ->excludes(graph);
  cli.add_flag("--new", out->new_graph, "start with an empty graph (as File > New) instead of seed 004's example")
      ->excludes(example)
      ->excludes(graph)
      ->excludes(lesson);
  cli.add_flag("--quiz", out->quiz, "quiz mode: predict each value before it is shown (Q toggles it)");
  cli.add_option("--answer", out->answers, "with --quiz: type this answer to the step asked, then Enter (repeatable)");
  cli.add_option("--state-dir", out->state_dir, "where autosave and recent files live (default $XDG_STATE_HOME/gradscope; "
                                                "the off-screen modes use none unless given)");
  cli.add_option("--steps", out->steps, "forward:K, reverse:K or tangent:K");
  cli.add_option("--view", out->view, "a page or one of its panels: " + view_list);
  cli.add_option("--lang", lang, "en or zh");
  cli.add_option("--expression", out->expression, "build the graph from this expression");
  cli.add_option("--select", out->select, "select the node with this label (v3)");
  cli.add_flag("--paths", out->paths, "with --select of an input: show its paths to the output (the chain rule as paths)");
  cli.add_option("--schedules", out->schedules, "Schedules page: the schedules to compare, as gradscope-cli schedule sequential --schedulers takes them");
  cli.add_option("--lr", out->schedule_lr, "Schedules page: the initial learning rate (default 0.1)");
  cli.add_option("--epochs", out->schedule_epochs, "Schedules page: the number of epochs (default 100)");
  cli.add_option("--pitfall", out->pitfalls, "Schedules page: show this pitfall for every schedule it applies to (repeatable)");
  cli.add_flag("--present", out->present, "start in presentation mode (F5 toggles it, Esc leaves it)");
  cli.add_flag("--log-y", out->log_y, "Schedules page: the learning rate on a log axis");
  auto* preset = cli.add_option("--preset", out->train_preset, "Training page: start from this preset (assets/presets/NAME.json)");
  cli.add_option("--config", out->train_config, "Training page: start from this training config (gradscope-cli train --config)")
      ->excludes(preset);
  cli.add_option("--train-steps", out->train_steps, "Training page: train K steps synchronously from the config's seed before drawing");
  cli.add_option("--recover", out->recover, "Training page: when the sentinel pauses the run within --train-steps K, go back to the kept state with the lowest loss with the learning rate x FACTOR (the banner's \"Go back and resume\") and go on to step K");
  cli.add_flag("--open-in-graph", out->open_in_graph, "Training page: then open the step reached (--train-steps K) on the Graph page, as the run bar's \"Open step k in the graph\" does");
  cli.add_option("--replay-samples", out->replay_samples, "Training page: the samples field beside \"Open step k in the graph\": build the graph on the batch's first N samples (1 ... the batch size)");
  cli.add_option("--train", out->bench_train, "with --bench-frames: time frames of the Training page while PRESET trains");
  cli.add_option("--screenshot", out->screenshot, "render off-screen into this PNG (and FILE.json) and exit");
  cli.add_option("--size", size, "window or picture size WxH");
  cli.set_version_flag("--version", "gradscope " GRADSCOPE_VERSION "\nbuilt for " GRADSCOPE_CPU_TARGET,
                       "Print the version and the instruction set it was built for");
  cli.add_option("--bench-frames", out->bench_frames, "draw N frames of a 500-node graph and print CPU ms per frame");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --version: printed on stdout, status 0
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
  Cursor c;
  if (!out->steps.empty() && !parse_steps(out->steps, &c)) {
    std::fprintf(stderr, "error: --steps '%s' is not forward:K, reverse:K or tangent:K\n", out->steps.c_str());
    return 2;
  }
  if (std::find(views.begin(), views.end(), out->view) == views.end()) {
    std::fprintf(stderr, "error: --view '%s' is not one of %s\n", out->view.c_str(), view_list.c_str());
    return 2;
  }
  if (!size.empty() && !parse_size(size, &out->width, &out->height)) {
    std::fprintf(stderr, "error: --size '%s' is not WxH (200x150 to 8192x8192)\n", size.c_str());
    return 2;
  }
  if (lang == "zh") out->lang = Language::Chinese;
  else if (lang != "en") {
    std::fprintf(stderr, "error: --lang '%s' is not en or zh\n", lang.c_str());
    return 2;
  }
  if (out->train_steps < 0) {
    std::fprintf(stderr, "error: --train-steps must be 0 or more\n");
    return 2;
  }
  if (out->open_in_graph && out->train_steps <= 0) {
    std::fprintf(stderr, "error: --open-in-graph goes with --train-steps K (the step to open)\n");
    return 2;
  }
  if (out->recover != 0 && (out->train_steps <= 0 || !(out->recover > 0))) {
    std::fprintf(stderr, "error: --recover FACTOR needs a factor above 0 and --train-steps K\n");
    return 2;
  }
  if (!out->answers.empty() && !out->quiz && out->lesson_file.empty()) {
    std::fprintf(stderr, "error: --answer goes with --quiz (it answers the step the quiz asks)\n");
    return 2;
  }
  if (!out->bench_train.empty() && out->bench_frames <= 0) {
    std::fprintf(stderr, "error: --train PRESET goes with --bench-frames N\n");
    return 2;
  }
  if (out->bench_frames < 0) {
    std::fprintf(stderr, "error: --bench-frames must be positive\n");
    return 2;
  }
  return -1;
}

}  // namespace gs::app
