// The command line of `gradscope` (DESIGN.md's contract):
//   gradscope [--example NAME | --graph FILE] [--steps forward:K|reverse:K|tangent:K]
//             [--view lab|graph|traces|inspector] [--lang en|zh] [--expression TEXT]
//             [--screenshot FILE.png] [--size WxH] [--bench-frames N]
// and how the session starts from it. No GL.
#pragma once

#include "app/base/i18n.h"
#include "app/graph/lesson.h"
#include "app/shell/workbench.h"

#include <optional>
#include <string>

namespace gs::app {

struct LaunchOptions {
  std::string example = kDefaultExample;
  std::string graph_file;
  std::optional<Cursor> steps;
  Layout layout = Layout::Lab;
  Language lang = Language::English;
  std::string expression;  // typed into the expression bar as if Enter was pressed
  std::string select;      // a node label ("v4") to select
  std::string screenshot;  // PNG path; a JSON of what was drawn goes beside it
  int width = 1600, height = 900;
  int bench_frames = 0;
};

// Parses argv; on a bad argument prints one line on stderr and returns the exit status (2),
// on --help prints usage and returns 0; returns -1 when the program should go on.
int parse_options(int argc, char** argv, LaunchOptions* out);
// "forward:4" -> {Forward, 4}.
bool parse_steps(const std::string& text, Cursor* out);
bool parse_size(const std::string& text, int* w, int* h);

// Loads the graph the options name, types the expression, steps the cursor, selects the node.
// Returns false (with the message in the session's status) when the graph cannot be loaded.
bool start_session(const LaunchOptions& opt, Session* session, Focus* focus);

// A generated scalar MLP of about 500 nodes (3-8-8-8-1, tanh, weights as inputs): the drawing
// benchmark's graph.
GraphModel benchmark_mlp();

}  // namespace gs::app
