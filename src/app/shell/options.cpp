// Command-line parsing with CLI11 and the start of a session from it. No GL.
#include "app/shell/options.h"

#include "app/graph/layout.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <random>

namespace gs::app {

bool parse_steps(const std::string& text, Cursor* out) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) return false;
  const std::string mode = text.substr(0, colon), count = text.substr(colon + 1);
  if (count.empty() || count.find_first_not_of("0123456789") != std::string::npos || count.size() > 6) return false;
  Cursor c;
  if (mode == "forward") c.mode = StepMode::Forward;
  else if (mode == "reverse") c.mode = StepMode::Reverse;
  else if (mode == "tangent") c.mode = StepMode::Tangent;
  else return false;
  c.step = std::stoi(count);
  *out = c;
  return true;
}

bool parse_size(const std::string& text, int* w, int* h) {
  int a = 0, b = 0;
  char x = 0, extra = 0;
  if (std::sscanf(text.c_str(), "%d%c%d%c", &a, &x, &b, &extra) != 3 || (x != 'x' && x != 'X')) return false;
  if (a < 200 || b < 150 || a > 8192 || b > 8192) return false;
  *w = a;
  *h = b;
  return true;
}

int parse_options(int argc, char** argv, LaunchOptions* out) {
  CLI::App cli{"gradscope: build a computation graph, step its forward and reverse traces"};
  std::string steps, view = "lab", size, lang = "en";
  auto* example = cli.add_option("--example", out->example, "example graph from assets/examples (default seed004)");
  cli.add_option("--graph", out->graph_file, "graph file (JSON)")->excludes(example);
  cli.add_option("--steps", steps, "forward:K, reverse:K or tangent:K");
  cli.add_option("--view", view, "lab, graph, traces or inspector");
  cli.add_option("--lang", lang, "en or zh");
  cli.add_option("--expression", out->expression, "build the graph from this expression");
  cli.add_option("--select", out->select, "select the node with this label (v3)");
  cli.add_option("--screenshot", out->screenshot, "render off-screen into this PNG (and FILE.json) and exit");
  cli.add_option("--size", size, "window or picture size WxH");
  cli.add_option("--bench-frames", out->bench_frames, "draw N frames of a 500-node graph and print CPU ms per frame");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
  Cursor c;
  if (!steps.empty()) {
    if (!parse_steps(steps, &c)) {
      std::fprintf(stderr, "error: --steps '%s' is not forward:K, reverse:K or tangent:K\n", steps.c_str());
      return 2;
    }
    out->steps = c;
  }
  if (!layout_from_name(view, &out->layout)) {
    std::fprintf(stderr, "error: --view '%s' is not lab, graph, traces or inspector\n", view.c_str());
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
  if (out->bench_frames < 0) {
    std::fprintf(stderr, "error: --bench-frames must be positive\n");
    return 2;
  }
  return -1;
}

bool start_session(const LaunchOptions& opt, Session* s, Focus* focus) {
  set_language(opt.lang);
  bool ok = true;
  if (opt.bench_frames > 0) s->load(benchmark_mlp(), "");
  else if (!opt.graph_file.empty()) ok = s->open_file(opt.graph_file);
  else ok = s->open_example(opt.example);
  if (!ok && s->model().nodes().empty()) s->open_example(kDefaultExample);
  if (!opt.expression.empty()) s->set_expression(opt.expression);
  Lesson& l = s->lesson();
  if (opt.steps) {
    if (opt.steps->mode == StepMode::Tangent) l.start_tangent();
    l.jump(*opt.steps);
  }
  if (!opt.select.empty())
    for (int i = 0; i < l.graph().size(); ++i)
      if (l.graph().label(NodeId{i}) == opt.select) focus->selected = l.built().doc_of[i];
  return ok;
}

GraphModel benchmark_mlp() {
  // Built node by node so the count is exact: 3 inputs, layers of 8, 8, 8 and 1 tanh units.
  GraphModel m;
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<DocId> layer;
  for (int i = 0; i < 3; ++i) layer.push_back(m.add_input("x" + std::to_string(i + 1), TensorD::scalar(u(rng)), {}));
  int w = 0;
  for (int width : {8, 8, 8, 1}) {
    std::vector<DocId> next;
    for (int j = 0; j < width; ++j) {
      DocId acc = m.add_input("b" + std::to_string(w++), TensorD::scalar(u(rng)), {});
      for (DocId in : layer) {
        DocId weight = m.add_input("w" + std::to_string(w++), TensorD::scalar(u(rng)), {});
        DocId prod = m.add_op(Op::Mul, {}, {});
        m.connect(weight, prod, 0, nullptr);
        m.connect(in, prod, 1, nullptr);
        DocId sum = m.add_op(Op::Add, {}, {});
        m.connect(acc, sum, 0, nullptr);
        m.connect(prod, sum, 1, nullptr);
        acc = sum;
      }
      DocId act = m.add_op(Op::Tanh, {}, {});
      m.connect(acc, act, 0, nullptr);
      next.push_back(act);
    }
    layer = next;
  }
  m.title = "mlp-500";
  layered_layout(&m);
  return m;
}

}  // namespace gs::app
