// The command line of `gradscope`, parsed by the shell (shell/options.h) and read by each page
// when it starts: plain values, so that base/ knows no page. No ImGui, no GL.
#pragma once

#include "app/base/i18n.h"

#include <limits>
#include <string>
#include <vector>

namespace gs::app {

struct LaunchOptions {
  // [SECTION] the program
  // --view NAME: a page's name or one of its panels (Page::views()); the shell checks it against
  // the pages that exist. docs/APP.md states the rule.
  std::string view = "lab";
  Language lang = Language::English;
  std::string screenshot;  // PNG path; a JSON of what was drawn goes beside it
  int width = 1600, height = 900;
  int bench_frames = 0;
  bool present = false;   // start in presentation mode (--present)
  std::string state_dir;  // autosave and recent files; empty: none (the off-screen modes)

  // [SECTION] the Graph page
  std::string example;     // assets/examples/NAME.json; empty: the default example
  bool new_graph = false;  // --new: an empty graph instead of the default example
  std::string graph_file;
  std::string steps;       // "forward:K", "reverse:K" or "tangent:K" (checked by the shell)
  std::string expression;  // typed into the expression bar as if Enter was pressed
  std::string select;      // a node label ("v4") to select
  bool paths = false;      // light the selected input's paths to the output (--paths)
  std::string lesson_file;  // --lesson FILE: a lesson file (graph_page's LessonFile) opened at start
  bool quiz = false;        // --quiz: predict each value before it is shown
  std::vector<std::string> answers;  // --answer TEXT (repeatable): typed into the quiz, each then Enter

  // [SECTION] the Schedules page
  std::string schedules;   // --schedules SPECS: `name:key=value,…;…` or a JSON list of specs
  double schedule_lr = std::numeric_limits<double>::quiet_NaN();  // --lr (NaN: the list's)
  int schedule_epochs = 0;                                         // --epochs (0: the list's)
  std::vector<std::string> pitfalls;  // --pitfall KEY: on for every schedule it applies to
  bool log_y = false;                 // --log-y: the learning rate on a log axis

  // [SECTION] the Training page
  std::string train_preset;  // --preset NAME: assets/presets/NAME.json
  std::string train_config;  // --config FILE: a `gradscope-cli train --config` file
  int train_steps = 0;       // --train-steps K: steps taken synchronously before drawing
  bool open_in_graph = false;  // --open-in-graph: then the step reached opened on the Graph page
  std::string replay_samples;  // --replay-samples N: the run bar's samples field ("": its default)
  double recover = 0;          // --recover FACTOR: at the sentinel, go back with the lr × FACTOR and go on
  std::string bench_train;   // --train PRESET (with --bench-frames): time frames while it trains
};

}  // namespace gs::app
