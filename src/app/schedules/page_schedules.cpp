// The Schedules page: its start from the command line, the arrangement of its views, its
// commands. No GL.
//
// [SECTION] start
// [SECTION] each frame
// [SECTION] commands
// [SECTION] benchmark
#include "app/schedules/page_schedules.h"

#include "app/base/i18n.h"
#include "app/widgets/plot.h"
#include "app/widgets/splitter.h"
#include "nn/schedule_pitfalls.h"

#include <imgui.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace gs::app {

namespace fs = std::filesystem;

std::string SchedulesPage::title() const { return tr(Tr::PageSchedules); }

const char* SchedulesPage::hint() const { return tr(Tr::SchedHint); }

// [SECTION] start

bool SchedulesPage::start(const LaunchOptions& opt) {
  auto fail = [&](const std::string& message) {
    set_status(message, true);
    return false;
  };
  if (!opt.schedules.empty()) {
    std::string error;
    if (!lab_.load_specs(opt.schedules, &error)) return fail(error);
  }
  if (!std::isnan(opt.schedule_lr) && !lab_.set_lr(opt.schedule_lr)) return fail("--lr: " + lab_.run_error());
  if (opt.schedule_epochs != 0 && !lab_.set_epochs(opt.schedule_epochs)) return fail("--epochs: " + lab_.run_error());
  for (const std::string& key : opt.pitfalls) {
    const nn::PitfallInfo* p = nn::find_pitfall(key);
    if (!p) {
      std::string keys;
      for (const nn::PitfallInfo& q : nn::pitfall_table()) keys += (keys.empty() ? "" : ", ") + q.key;
      return fail("--pitfall must be one of " + keys + ", got '" + key + "'");
    }
    lab_.set_pitfall_everywhere(p->id, true);
  }
  plots_.log_y = opt.log_y;
  saved_json_ = lab_.save_json();
  // A value src/nn refuses: the page shows it beside its field, and a picture says so.
  for (const schedules::LabEntry& e : lab_.entries())
    if (!e.error.empty()) return fail(e.error);
  return true;
}

// [SECTION] each frame

void SchedulesPage::draw(PageContext& ctx, int view) {
  // The list on the left; on the right the plots above the table.
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float bottom = ImGui::GetCursorScreenPos().y + avail.y;
  const float bar = std::max(5.0f, ImGui::GetFontSize() * 0.3f);
  // The list keeps room for its editors (about 23 characters) on a projector's 1024 pixels.
  const float list_min = std::min(ImGui::GetFontSize() * 23.0f, avail.x * 0.5f);
  const float right_w = std::floor(std::min(avail.x * right_fraction_, avail.x - bar - list_min));
  const float list_w = avail.x - right_w - bar;
  ImGui::BeginChild("schedule_list", ImVec2(list_w, avail.y), true);
  list_.draw(lab_, ctx.record);
  ImGui::EndChild();
  ImGui::SameLine(0, 0);
  widgets::Splitter("split_list", widgets::SplitterAxis::Vertical, bar, avail.y, avail.x, &right_fraction_, 0.5f, 0.8f);
  ImGui::SameLine(0, 0);
  ImGui::BeginGroup();
  const float plot_h = std::floor((avail.y - bar) * plot_fraction_);
  // The wheel zooms the plots: their child window must not scroll with it.
  ImGui::BeginChild("schedule_plots", ImVec2(right_w, plot_h), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  plots_.draw(lab_, ImGui::GetContentRegionAvail(), ctx.record);
  for (const auto& [uid, hidden] : plots_.take_visibility_requests())
    for (int i = 0; i < lab_.size(); ++i)
      if (lab_.entry(i).uid == uid) lab_.set_hidden(i, hidden);
  ImGui::EndChild();
  widgets::Splitter("split_table", widgets::SplitterAxis::Horizontal, bar, right_w, avail.y, &plot_fraction_, 0.3f, 0.85f);
  ImGui::BeginChild("schedule_table", ImVec2(right_w, bottom - ImGui::GetCursorScreenPos().y), false, ImGuiWindowFlags_NoScrollbar);
  double cursor = 0.0;
  const int epoch = widgets::GetLinkedCursor(schedules::kScheduleLink, &cursor) && cursor >= 0.0 ? static_cast<int>(std::floor(cursor)) : -1;
  const std::string copied = table_.draw(lab_, ImGui::GetContentRegionAvail(), epoch < lab_.epochs() ? epoch : -1, ctx.record);
  if (!copied.empty()) set_status(copied, false);
  ImGui::EndChild();
  ImGui::EndGroup();
  take_plot_exports(ctx);
  if (export_frames_ > 0) --export_frames_;
}

void SchedulesPage::record(FrameRecord& r) const {
  r.mode = plots_.log_y ? "log" : "linear";
  r.step_count = lab_.epochs();
}

ScreenRect SchedulesPage::picture() const {
  if (export_frames_ > 0) return export_rect_;
  return ScreenRect{plots_.rect_min().x, plots_.rect_min().y, plots_.rect_max().x, plots_.rect_max().y};
}

void SchedulesPage::take_plot_exports(PageContext& ctx) {
  widgets::PlotExportRequest req;
  while (widgets::TakePlotExportRequest(&req)) {
    // "Learning rate##lr" → schedules-lr.png, schedules-lr-2.png, …
    const std::string part = req.plot_id.substr(req.plot_id.find("##") == std::string::npos ? 0 : req.plot_id.find("##") + 2);
    const fs::path dir = path_.empty() ? fs::current_path() : fs::path(path_).parent_path();
    const std::string stem = document().file_stem + "-" + part;
    const char* ext = req.kind == widgets::PlotExportKind::Png ? ".png" : ".csv";
    fs::path out = dir / (stem + ext);
    std::error_code ec;
    for (int k = 2; fs::exists(out, ec) && k < 1000; ++k) out = dir / (stem + "-" + std::to_string(k) + ext);
    if (req.kind == widgets::PlotExportKind::Png) {
      export_rect_ = ScreenRect{req.min.x, req.min.y, req.max.x, req.max.y};
      export_frames_ = 4;  // the main loop reads picture() two frames later
      ctx.requests.capture_png = out.string();
    } else {
      std::ofstream f(out);
      f << widgets::PlotDataCsv(req.data);
      if (f) set_status(trf(Tr::MsgExported, out.string()), false);
      else set_status(trf(Tr::MsgOpenFailed, out.string(), "write failed"), true);
    }
  }
}

// [SECTION] commands

CommandState SchedulesPage::command_state(CommandId id) const {
  switch (id) {
    case CommandId::New:
    case CommandId::Open:
    case CommandId::OpenExample:
    case CommandId::SaveAs:
    case CommandId::ExportCsv:
    case CommandId::ExportMarkdown:
    case CommandId::Save: return CommandState::Enabled;  // the menu asks for a path while there is none
    default: return CommandState::Hidden;
  }
}

bool SchedulesPage::save(const std::string& path) {
  const std::string text = lab_.save_json();
  std::ofstream out(path);
  out << text;
  if (!out) {
    set_status(trf(Tr::MsgOpenFailed, path, "write failed"), true);
    return false;
  }
  path_ = path;
  saved_json_ = text;
  set_status(trf(Tr::MsgSaved, path), false);
  return true;
}

bool SchedulesPage::apply(const Command& c, PageContext& ctx) {
  auto write = [&](const std::string& text) {
    std::ofstream out(c.arg);
    out << text;
    if (out) set_status(trf(Tr::MsgExported, c.arg), false);
    else set_status(trf(Tr::MsgOpenFailed, c.arg, "write failed"), true);
    return static_cast<bool>(out);
  };
  switch (c.id) {
    case CommandId::New:
      lab_ = schedules::ScheduleLab();
      path_.clear();
      saved_json_ = lab_.save_json();
      return true;
    case CommandId::Open: {
      std::ifstream in(c.arg);
      std::stringstream text;
      text << in.rdbuf();
      std::string error;
      if (!in || !lab_.load_json(text.str(), fs::path(c.arg).filename().string(), &error)) {
        // A file that cannot be read or is malformed leaves the open list as it was.
        set_status(in ? error : trf(Tr::MsgOpenFailed, c.arg, "cannot read it"), true);
        return false;
      }
      path_ = c.arg;
      saved_json_ = lab_.save_json();
      set_status(trf(Tr::MsgOpened, c.arg), false);
      return true;
    }
    case CommandId::OpenExample:
      for (const nn::ScheduleListPreset& p : nn::schedule_list_presets())
        if (c.arg == p.title || c.arg == p.title_zh || c.arg == p.key) {
          lab_.apply_preset(p.key);
          return true;
        }
      return false;
    case CommandId::Save: return !path_.empty() && save(path_);
    case CommandId::SaveAs: return save(c.arg);
    case CommandId::ExportCsv: return write(lab_.table_csv());
    case CommandId::ExportMarkdown: return write(lab_.table_markdown());
    default: return false;
  }
}

std::string SchedulesPage::command_label(CommandId id) const {
  switch (id) {
    case CommandId::ExportPng: return tr(Tr::SchedExportPng);
    case CommandId::ExportCsv: return tr(Tr::SchedExportCsv);
    case CommandId::ExportMarkdown: return tr(Tr::SchedExportMarkdown);
    default: return {};
  }
}

PageDocument SchedulesPage::document() const {
  PageDocument d;
  d.name = path_.empty() ? std::string(tr(Tr::PageSchedules)) : fs::path(path_).filename().string();
  d.path = path_;
  d.file_stem = path_.empty() ? "schedules" : fs::path(path_).stem().string();
  // A value being typed that src/nn refuses is unsaved work too: quitting asks.
  bool drafts = false;
  for (const schedules::LabEntry& e : lab_.entries()) drafts |= !e.error.empty();
  d.dirty = drafts || lab_.save_json() != saved_json_;
  return d;
}

std::vector<std::string> SchedulesPage::examples() const {
  std::vector<std::string> names;
  for (const nn::ScheduleListPreset& p : nn::schedule_list_presets()) names.push_back(language() == Language::Chinese ? p.title_zh : p.title);
  return names;
}

// [SECTION] benchmark

std::vector<BenchPass> SchedulesPage::bench_passes() {
  return {{"the classic three over 100 epochs, one pitfall", [this] {
             lab_ = schedules::ScheduleLab();
             lab_.set_pitfall(1, nn::Pitfall::GetLr, true);
           }, 0.0, {}}};
}

}  // namespace gs::app
