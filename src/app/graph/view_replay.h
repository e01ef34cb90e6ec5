// The comparison that comes with a replayed training step ("Open step k in the graph", issue 11):
// a wrapped panel above the Graph page's canvas with every parameter's largest relative
// difference between the trainer's gradient and the graph's adjoint, and both losses. The Training
// page sends it as Command ShowReplay (its JSON, replay_panel_json); it stays while that graph is
// the one shown (the session's generation) and until closed. ImGui.
#pragma once

#include "app/base/frame_record.h"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace gs::app {

// What the panel shows: {"step", "samples", "loss_trainer", "loss_graph", "params": [{"name",
// "max_rel_diff"}, …]}, in the graph's parameter order.
struct ReplayComparison {
  long long step = 0, samples = 0;
  double loss_trainer = 0, loss_graph = 0;
  std::vector<std::pair<std::string, double>> params;  // name, largest relative difference
};
// False (nothing changed) when `text` is not such an object.
bool parse_replay_comparison(const std::string& text, ReplayComparison* out);

class ReplayPanel {
 public:
  // Shows `text` (ShowReplay's argument) for the graph of session generation `generation`.
  bool set(const std::string& text, int generation);
  // Draws it while `generation` is the one it came with; records its lines.
  void draw(int generation, FrameRecord* record);
  bool shown(int generation) const { return open_ && generation == generation_; }

 private:
  ReplayComparison c_;
  int generation_ = -1;
  bool open_ = false;
};

}  // namespace gs::app
