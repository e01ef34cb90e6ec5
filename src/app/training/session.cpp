// The Training page's runs (session.h). No ImGui.
#include "app/training/session.h"

#include "app/base/i18n.h"
#include "nn/config.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace gs::app::training {

namespace {

// Run colours: the first four of matplotlib's tab10, as the Schedules page colours its curves.
constexpr std::uint32_t kRunColours[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b};

}  // namespace

TrainingSession::~TrainingSession() {
  for (auto& r : runs_) retire(std::move(r));
  for (auto& j : joining_) j.wait();
}

std::string file_safe(const std::string& label) {
  std::string out;
  for (unsigned char ch : label) {
    if (std::isalnum(ch) || ch == '.' || ch == '_' || ch >= 0x80) out += static_cast<char>(ch);
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && (out.back() == '-' || out.back() == '.')) out.pop_back();
  return out.empty() ? "run" : out;
}

std::string default_run_label(const nn::TrainConfig& config) {
  const std::string kind = nn::data_kind_name(config.data.kind);
  bool names_other_data = config.name.empty() || config.name == "custom";
  if (!names_other_data) {
    try {
      names_other_data = nn::preset(config.name).value("data", nlohmann::json::object()).value("name", "") != kind;
    } catch (const std::exception&) {
      // Not a preset: a name the user gave the config.
    }
  }
  if (!names_other_data) return config.name;
  if (config.data.kind == nn::DataKind::Points) return trf(Tr::TrainPointsLabel, std::to_string(config.data.points.size()));
  if (config.data.kind == nn::DataKind::Csv && !config.data.path.empty()) return std::filesystem::path(config.data.path).filename().string();
  return kind;
}

void TrainingSession::set_active(int i) {
  if (i >= 0 && i < size()) active_ = i;
}

int TrainingSession::index_of(int uid) const {
  for (int i = 0; i < size(); ++i)
    if (runs_[static_cast<std::size_t>(i)]->uid() == uid) return i;
  return -1;
}

std::uint32_t TrainingSession::free_colour() const {
  for (std::uint32_t c : kRunColours) {
    bool used = false;
    for (const auto& r : runs_) used |= r->rgb == c;
    if (!used) return c;
  }
  return kRunColours[0];
}

int TrainingSession::new_run(const nn::TrainConfig& config, const std::string& label, bool synchronous, std::string* error) {
  int at = -1;
  if (active_ >= 0 && !run(active_).pinned) at = active_;
  if (at < 0) {
    // A run nobody pinned takes the place, before the list grows.
    for (int i = size() - 1; i >= 0 && at < 0; --i)
      if (!run(i).pinned) at = i;
  }
  if (at < 0 && size() >= kMaxRuns) {
    if (error) *error = "four runs are kept: unpin or delete one first";
    return -1;
  }
  std::uint32_t colour = at >= 0 ? run(at).rgb : free_colour();
  if (at >= 0) {
    retire(std::move(runs_[static_cast<std::size_t>(at)]));
  } else {
    runs_.emplace_back();
    at = size() - 1;
  }
  auto r = std::make_unique<Run>(next_uid_++, config);
  r->label = label.empty() ? default_run_label(config) : label;
  r->rgb = colour;
  if (synchronous) r->build_now(cache_);
  else r->begin_loading(cache_);
  runs_[static_cast<std::size_t>(at)] = std::move(r);
  active_ = at;
  return at;
}

void TrainingSession::reset(int i, bool synchronous, const nn::TrainConfig* config) {
  if (i < 0 || i >= size()) return;
  const Run& old = run(i);
  auto r = std::make_unique<Run>(next_uid_++, config ? *config : old.config());
  r->label = old.label;
  r->rgb = old.rgb;
  r->hidden = old.hidden;
  r->pinned = old.pinned;
  retire(std::move(runs_[static_cast<std::size_t>(i)]));
  if (synchronous) r->build_now(cache_);
  else r->begin_loading(cache_);
  runs_[static_cast<std::size_t>(i)] = std::move(r);
}

void TrainingSession::remove(int i) {
  if (i < 0 || i >= size()) return;
  retire(std::move(runs_[static_cast<std::size_t>(i)]));
  runs_.erase(runs_.begin() + i);
  if (active_ >= size()) active_ = size() - 1;
  else if (active_ > i) --active_;
  cache_.trim();
}

void TrainingSession::rename(int i, std::string label) {
  if (i >= 0 && i < size()) run(i).label = std::move(label);
}

void TrainingSession::retire(std::unique_ptr<Run> r) {
  if (!r) return;
  // Stopping is a request; joining waits for the step (or the test evaluation) in progress, and a
  // run still loading waits for its loader: both happen on a thread of their own. The Run (and its
  // data reference) goes with them.
  std::unique_ptr<nn::Trainer> t = r->release_trainer();
  if (t) t->stop();
  if (!t && r->state() != RunState::Loading) return;  // nothing to wait for
  joining_.push_back(std::async(std::launch::async, [t = std::move(t), r = std::move(r)]() mutable {
    t.reset();
    r.reset();
  }));
}

// [SECTION] running

void TrainingSession::apply(int i, Run::Command c) {
  if (i < 0 || i >= size()) return;
  run(i).apply(c);
}

void TrainingSession::run_all(bool interleaved) {
  queue_ = !interleaved;
  if (!interleaved) return;  // poll() starts them one at a time
  for (auto& r : runs_)
    if (r->can(Run::Command::Start)) r->apply(Run::Command::Start);
}

bool TrainingSession::poll(double now) {
  bool moved = false;
  for (auto& r : runs_) moved |= r->poll(now);
  if (queue_) {
    bool running = false, waiting = false;
    for (const auto& r : runs_) {
      running |= r->state() == RunState::Running || r->state() == RunState::Loading;
      waiting |= r->state() == RunState::Ready;
    }
    if (!running) {
      for (auto& r : runs_)
        if (r->state() == RunState::Ready) {
          r->apply(Run::Command::Start);
          moved = true;
          break;
        }
      if (!waiting) queue_ = false;
    }
  }
  std::erase_if(joining_, [](std::future<void>& f) { return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready; });
  return moved;
}

bool TrainingSession::busy() const {
  if (!joining_.empty() || queue_) return true;
  for (const auto& r : runs_)
    if (r->busy()) return true;
  return false;
}

// [SECTION] export

std::vector<std::string> TrainingSession::export_metrics(const std::string& path, std::string* error) const {
  namespace fs = std::filesystem;
  std::vector<std::string> written;
  try {
    for (int i = 0; i < size(); ++i) {
      std::string out = path;
      if (size() > 1) {
        const fs::path p(path);
        const std::string ext = p.has_extension() ? p.extension().string() : ".csv";
        out = (p.parent_path() / (p.stem().string() + "-" + file_safe(run(i).label) + ext)).string();
        // Two runs with one label keep both files.
        for (int k = 2; std::find(written.begin(), written.end(), out) != written.end(); ++k)
          out = (p.parent_path() / (p.stem().string() + "-" + file_safe(run(i).label) + "-" + std::to_string(k) + ext)).string();
      }
      nn::MetricsCsvWriter w(out);
      for (const nn::StepMetrics& m : run(i).history().steps) w.write(m);
      w.close();
      written.push_back(out);
    }
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return {};
  }
  return written;
}

}  // namespace gs::app::training
