// "Open step k in the graph" (replay_in_graph.h): the replay on a helper thread, its graph written
// to a file, and the hand-over to the Graph page through the shell's commands. No ImGui, no GL.
#include "app/training/replay_in_graph.h"

#include "app/base/i18n.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

namespace gs::app::training {

namespace fs = std::filesystem;

Index replay_samples(const nn::TrainConfig& config) { return config.batch_size <= 64 ? std::max<Index>(config.batch_size, 1) : 16; }

std::optional<Index> parse_replay_samples(const std::string& text, const nn::TrainConfig& config, std::string* error) {
  const Index most = std::max<Index>(config.batch_size, 1);
  std::size_t begin = text.find_first_not_of(" \t"), end = text.find_last_not_of(" \t");
  const std::string t = begin == std::string::npos ? std::string() : text.substr(begin, end - begin + 1);
  const bool digits = !t.empty() && t.size() <= 12 && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
  const bool minus = t.size() > 1 && t[0] == '-' && std::all_of(t.begin() + 1, t.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits) {
    const Index n = static_cast<Index>(std::stoll(t));
    if (n >= 1 && n <= most) return n;
  }
  const std::string got = digits || minus ? t : "'" + t + "'";
  if (error) *error = trf(Tr::TrainReplaySamplesRange, std::to_string(most), got);
  return std::nullopt;
}

std::string replay_summary(const nn::StepReplay& r) {
  std::string diffs;
  for (const nn::ParamReplay& p : r.params) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s%s %.1e", diffs.empty() ? "" : " · ", p.input.c_str(), p.max_rel_diff);
    diffs += buf;
  }
  char loss[64];
  std::snprintf(loss, sizeof loss, "%.6g / %.6g", r.loss_trainer, r.loss_graph);
  return trf(Tr::TrainReplaySummary, std::to_string(r.step), std::to_string(r.samples), diffs, loss);
}

std::string replay_panel_json(const nn::StepReplay& r) {
  nlohmann::json params = nlohmann::json::array();
  for (const nn::ParamReplay& p : r.params) params.push_back({{"name", p.input}, {"max_rel_diff", p.max_rel_diff}});
  return nlohmann::json{{"step", r.step}, {"samples", r.samples}, {"loss_trainer", r.loss_trainer}, {"loss_graph", r.loss_graph}, {"params", params}}
      .dump();
}

void StepReplayer::begin(const nn::TrainConfig& config, std::int64_t step, Index samples, bool synchronous) {
  if (busy()) return;
  step_ = step;
  pending_ = std::async(synchronous ? std::launch::deferred : std::launch::async,
                        [config, step, samples] { return nn::replay_step(config, step, samples); });
}

bool StepReplayer::poll(CommandQueue& commands, StatusMessage* status, const std::string& dir) {
  if (!busy()) return false;
  // A deferred (synchronous) replay runs here; a helper thread's is taken once it is ready.
  if (pending_.wait_for(std::chrono::seconds(0)) == std::future_status::timeout) return false;
  try {
    const nn::StepReplay r = pending_.get();
    std::error_code ec;
    fs::create_directories(dir, ec);
    const std::string path = (fs::path(dir) / ("gradscope-replay-step-" + std::to_string(r.step) + ".json")).string();
    save_document(r.document, path);
    commands.push(CommandId::ShowPage, "graph");
    commands.push(CommandId::OpenUntitled, path);  // not a document of the temporary folder: Save asks where
    commands.push(CommandId::ShowReplay, replay_panel_json(r));
    commands.push(CommandId::ShowStatus, replay_summary(r));
    *status = {};
  } catch (const std::exception& e) {
    *status = StatusMessage{trf(Tr::TrainReplayFailed, std::to_string(step_), e.what()), true};
  }
  return true;
}

}  // namespace gs::app::training
