// The Training page's run bar (view_run_bar.h): controls, progress, the sentinel's banner, runs.
// ImGui; every command goes to the TrainingSession.
//
// [SECTION] the sentinel's words
// [SECTION] controls and progress
// [SECTION] the banner
// [SECTION] runs
#include "app/training/view_run_bar.h"

#include "app/base/i18n.h"
#include "app/base/theme.h"
#include "app/training/replay_in_graph.h"
#include "app/widgets/text_wrap.h"
#include "nn/spec_reader.h"

#include <imgui.h>
#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace gs::app::training {

// [SECTION] the sentinel's words

namespace {

// `v` to `n` significant digits: the banner's numbers to read, not to round-trip.
std::string significant(double v, int n) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*g", n, v);
  return text;
}

}  // namespace

std::string non_finite_headline(const nn::NonFiniteReport& r) {
  const std::string step = std::to_string(r.step);
  const std::string layer = "layer " + std::to_string(r.layer + 1) + " " + r.layer_name;
  const std::string loss = nn::format_number(r.loss);
  if (r.quantity == "gradient") return trf(Tr::TrainNanGradient, step, r.parameter.empty() ? layer : r.parameter);
  if (r.quantity == "activation") return trf(Tr::TrainNanActivation, step, layer, loss);
  if (r.quantity == "input") return trf(Tr::TrainNanInput, step, loss);
  if (r.quantity == "exploded")
    return trf(Tr::TrainNanExploded, step, significant(r.loss, 4), significant(nn::kExplodedFactor, 4), significant(r.guessing_loss, 4));
  return trf(Tr::TrainNanOverflow, step, loss);
}

std::string non_finite_advice(const nn::NonFiniteReport& r, double lr, const nn::TrainConfig& c) {
  // The rate in force to 6 significant digits (a cosine schedule's 1.9999451967808295 reads
  // 1.99995), the suggestion to 2: a round number to type, not the rate's noise divided by ten.
  std::string advice = trf(r.quantity == "exploded" ? Tr::TrainNanAdviceLrExploded : Tr::TrainNanAdviceLr, significant(lr, 6), significant(lr / 10, 2));
  if (c.optimizer.clip_norm <= 0) {
    advice += ' ';
    advice += tr(Tr::TrainNanAdviceClip);
  }
  if (r.quantity == "input") advice = tr(Tr::TrainNanAdviceData);
  return advice;
}

namespace {

ImU32 colour(const Run& r, int alpha = 255) { return IM_COL32((r.rgb >> 16) & 0xff, (r.rgb >> 8) & 0xff, r.rgb & 0xff, alpha); }

std::string duration(double seconds) {
  char buf[32];
  if (seconds < 0) return "—";
  if (seconds < 60) std::snprintf(buf, sizeof buf, "%.0f s", std::ceil(seconds));
  else if (seconds < 3600) std::snprintf(buf, sizeof buf, "%d min %02d s", static_cast<int>(seconds) / 60, static_cast<int>(seconds) % 60);
  else std::snprintf(buf, sizeof buf, "%d h %02d min", static_cast<int>(seconds) / 3600, static_cast<int>(seconds) / 60 % 60);
  return buf;
}

const char* state_text(RunState s) {
  switch (s) {
    case RunState::Loading: return tr(Tr::TrainStateLoading);
    case RunState::LoadFailed: return tr(Tr::TrainStateLoadFailed);
    case RunState::Ready: return tr(Tr::TrainStateReady);
    case RunState::Running: return tr(Tr::TrainStateRunning);
    case RunState::Paused: return tr(Tr::TrainStatePaused);
    case RunState::Finished: return tr(Tr::TrainStateFinished);
    case RunState::Stopped: return tr(Tr::TrainStateStopped);
    case RunState::Failed: return tr(Tr::TrainStateFailed);
  }
  return "";
}

void tooltip(const char* text) {
  if (!ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 26.0f);
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

// A row of buttons; each goes to the frame record's controls (id: the label's "##" part, its text
// and rectangle), so that a test clicks what a person would.
struct FlowRow {
  FrameRecord* record = nullptr;
  bool first = true;
};

// A button that flows onto the next line when the row is full (the bar is narrow at 1024 pixels);
// `after`: the width of what goes on the same line after it (kept with it).
bool flow_button(const char* label, bool enabled, const char* help, FlowRow* row, float after = 0) {
  const float w = ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2 + after;
  if (!row->first) {
    const float right = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + w;
    if (right < ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
  }
  row->first = false;
  ImGui::BeginDisabled(!enabled);
  const bool clicked = ImGui::Button(label);
  ImGui::EndDisabled();
  if (row->record) {
    const std::string_view l(label);
    const std::size_t hashes = l.find("##");
    const std::string_view id = hashes == std::string_view::npos ? l : l.substr(l.find_first_not_of('#', hashes));  // "##id", "###id"
    record_last_item(row->record, std::string(id), std::string(l.substr(0, hashes)));
  }
  if (help) tooltip(help);
  return clicked && enabled;
}

// The way on after the sentinel: its controls on one row when the bar is wide enough, else two.
int way_on_rows() {
  const ImGuiStyle& st = ImGui::GetStyle();
  float w = ImGui::GetFontSize() * 22.0f + st.FramePadding.x * 4 + st.ItemSpacing.x * 9 + st.WindowPadding.x * 2;
  for (Tr t : {Tr::TrainNanLrFactor, Tr::TrainNanClip, Tr::TrainNanBackTo, Tr::TrainNanGoBack, Tr::TrainNanRestart})
    w += ImGui::CalcTextSize(tr(t)).x;
  return w <= ImGui::GetContentRegionAvail().x ? 1 : 2;
}

}  // namespace

// [SECTION] controls and progress

RunBarRequest RunBarView::draw(TrainingSession& session, const ConfigDraft& draft, FrameRecord* record) {
  RunBarRequest request = RunBarRequest::None;
  draw_controls(session, draft, record, &request);
  if (const Run* run = session.active_run()) {
    draw_progress(*run, record);
    if (run->state() == RunState::Failed || run->state() == RunState::LoadFailed || run->at_sentinel())
      draw_banner(session, *run, record, &request);
  }
  draw_runs(session, record, &request);
  return request;
}

void RunBarView::draw_controls(TrainingSession& session, const ConfigDraft& draft, FrameRecord* record, RunBarRequest* request) {
  Run* run = session.active_run();
  const int i = session.active();
  auto can = [&](Run::Command c) { return run && run->can(c); };
  FlowRow first{record};
  // The setup's config becomes a run: a new one, or the active one again from the start.
  if (flow_button(label(Tr::TrainNewRun, "new_run").c_str(), draft.ok(), draft.ok() ? tr(Tr::TrainNewRunHelp) : draft.error().c_str(), &first))
    *request = RunBarRequest::NewRun;
  if (flow_button(label(Tr::TrainStart, "start").c_str(), can(Run::Command::Start), tr(Tr::TrainStartHelp), &first))
    session.apply(i, Run::Command::Start);
  if (run && run->state() == RunState::Running) {
    if (flow_button(label(Tr::Pause, "pause").c_str(), true, tr(Tr::TrainPauseHelp), &first)) session.apply(i, Run::Command::Pause);
  } else if (flow_button(label(Tr::TrainResume, "resume").c_str(), can(Run::Command::Resume), tr(Tr::TrainResumeHelp), &first)) {
    session.apply(i, Run::Command::Resume);
  }
  if (flow_button(label(Tr::TrainOneBatch, "one_batch").c_str(), can(Run::Command::StepBatch), tr(Tr::TrainOneBatchHelp), &first))
    session.apply(i, Run::Command::StepBatch);
  if (flow_button(label(Tr::TrainOneEpoch, "one_epoch").c_str(), can(Run::Command::StepEpoch), tr(Tr::TrainOneEpochHelp), &first))
    session.apply(i, Run::Command::StepEpoch);
  if (flow_button(label(Tr::TrainStop, "stop").c_str(), can(Run::Command::Stop), tr(Tr::TrainStopHelp), &first))
    session.apply(i, Run::Command::Stop);
  if (flow_button(label(Tr::Reset, "reset").c_str(), run && run->state() != RunState::Loading, tr(Tr::TrainResetHelp), &first))
    session.reset(i);
  if (flow_button(label(Tr::TrainEvaluate, "evaluate").c_str(), can(Run::Command::EvaluateNow), tr(Tr::TrainEvaluateHelp), &first))
    session.apply(i, Run::Command::EvaluateNow);
  // The replay of the last step taken (replay_in_graph.h), once the run holds still.
  const std::int64_t step = run ? run->progress().step : 0;
  const bool still = run && (run->state() == RunState::Ready || run->state() == RunState::Paused ||
                             run->state() == RunState::Finished || run->state() == RunState::Stopped);
  const std::string open = trf(Tr::TrainOpenInGraph, std::to_string(std::max<std::int64_t>(step, 1))) + "###open_in_graph";
  const bool replayable = still && step > 0 && !run->adjusted() && !run->at_sentinel();
  // Beside it, how many samples of the step's batch the graph is built on (the user's choice).
  std::string samples_error;
  replay_samples = 0;
  std::string* samples_text = nullptr;
  if (run) {
    auto [it, added] = samples_text_.try_emplace(run->uid());
    if (added) it->second = std::to_string(training::replay_samples(run->config()));
    samples_text = &it->second;
    replay_samples = parse_replay_samples(*samples_text, run->config(), &samples_error).value_or(0);
  }
  const ImGuiStyle& st = ImGui::GetStyle();
  const float field = ImGui::GetFontSize() * 3.0f;
  const float after = samples_text ? st.ItemSpacing.x * 2 + field + ImGui::CalcTextSize(tr(Tr::TrainReplaySamples)).x : 0.0f;
  const char* open_help = run && run->adjusted() ? tr(Tr::TrainOpenInGraphAdjusted) : samples_error.empty() ? tr(Tr::TrainOpenInGraphHelp) : samples_error.c_str();
  if (flow_button(open.c_str(), replayable && replay_samples > 0, open_help, &first, after)) *request = RunBarRequest::OpenInGraph;
  const ImVec2 button_min = ImGui::GetItemRectMin(), button_max = ImGui::GetItemRectMax();
  if (record && replayable) record->visible_text.push_back(trf(Tr::TrainOpenInGraph, std::to_string(step)));
  if (samples_text) {
    const std::string batch = std::to_string(std::max(run->config().batch_size, 1));
    const std::string help = trf(Tr::TrainReplaySamplesHelp, std::to_string(std::max<std::int64_t>(step, 1)), batch);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(field);
    // Enter in the field opens the step, as the button does.
    const bool entered = ImGui::InputText("##replay_samples", samples_text, ImGuiInputTextFlags_CharsNoBlank | ImGuiInputTextFlags_EnterReturnsTrue);
    replay_samples = parse_replay_samples(*samples_text, run->config(), &samples_error).value_or(0);
    if (replay_samples > 0) samples_error.clear();
    if (entered && replayable && replay_samples > 0) *request = RunBarRequest::OpenInGraph;
    tooltip(help.c_str());
    const ImVec2 field_min = ImGui::GetItemRectMin(), field_max = ImGui::GetItemRectMax();
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(tr(Tr::TrainReplaySamples));
    tooltip(help.c_str());
    if (!samples_error.empty()) {
      // The problem in words, on the line below when it does not fit beside the field.
      const float w = ImGui::CalcTextSize(samples_error.c_str()).x;
      if (ImGui::GetItemRectMax().x + st.ItemSpacing.x + w < ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
      ImGui::TextColored(theme::vec(theme::kProblem), "%s", samples_error.c_str());
      if (record) record->visible_text.push_back(samples_error);
    }
    if (record) {
      record->training["replay"] = {{"samples", replay_samples > 0 ? nlohmann::json(replay_samples) : nlohmann::json(nullptr)},
                                    {"text", *samples_text},
                                    {"batch_size", run->config().batch_size},
                                    {"error", samples_error},
                                    {"enabled", replayable && replay_samples > 0},
                                    {"button_rect", {button_min.x, button_min.y, button_max.x, button_max.y}},
                                    {"field_rect", {field_min.x, field_min.y, field_max.x, field_max.y}}};
      record->visible_text.push_back(*samples_text + " " + tr(Tr::TrainReplaySamples));
    }
  }
  // The run's config as a PyTorch training script (File > Export > As PyTorch script does the same).
  if (flow_button(label(Tr::TrainExportTorch, "export_torch").c_str(), run != nullptr, tr(Tr::TrainExportTorchHelp), &first))
    *request = RunBarRequest::ExportTorch;
  if (record && run) record->visible_text.push_back(std::string(tr(Tr::TrainState)) + " " + state_text(run->state()));
}

void RunBarView::draw_progress(const Run& run, FrameRecord* record) {
  const RunProgress p = run.progress();
  std::string line = trf(Tr::TrainProgress, std::to_string(std::min(p.epoch + 1, std::max(p.epochs, 1))), std::to_string(p.epochs),
                         std::to_string(p.step), std::to_string(p.total_steps));
  if (p.samples_per_second > 0) {
    char rate[48];
    std::snprintf(rate, sizeof rate, "%.0f", p.samples_per_second);
    line += "  ·  " + trf(Tr::TrainRate, rate);
  }
  if (p.seconds_left >= 0) line += "  ·  " + trf(Tr::TrainTimeLeft, duration(p.seconds_left));
  ImGui::AlignTextToFramePadding();
  ImGui::PushStyleColor(ImGuiCol_Text, colour(run));
  ImGui::TextUnformatted("■");
  ImGui::PopStyleColor();
  ImGui::SameLine();
  ImGui::TextUnformatted(state_text(run.state()));
  ImGui::SameLine();
  ImGui::TextUnformatted(line.c_str());
  const float fraction = p.total_steps > 0 ? static_cast<float>(p.step) / static_cast<float>(p.total_steps) : 0.0f;
  ImGui::SameLine();
  ImGui::ProgressBar(fraction, ImVec2(std::max(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 4.0f), ImGui::GetFontSize() * 0.6f), "");
  if (run.history().missed > 0) {
    ImGui::TextColored(theme::vec(theme::kProblem), "%s", trf(Tr::TrainMissed, std::to_string(run.history().missed)).c_str());
  }
  if (record) record->visible_text.push_back(line);
  // Going back after the sentinel changed the run from the config: say so, each time.
  for (const Recovery& r : run.recoveries()) {
    const std::string note = trf(r.exploded ? Tr::TrainRecoveredExploded : Tr::TrainRecovered, nn::format_number(r.lr_factor), std::to_string(r.back_to),
                                 r.clip_norm > 0 ? nn::format_number(r.clip_norm) : "off", std::to_string(r.failed_step));
    ImGui::TextColored(theme::vec(theme::kProblem), "%s", note.c_str());
    if (record) record->visible_text.push_back(note);
  }
}

// [SECTION] the banner

void RunBarView::draw_banner(TrainingSession& session, const Run& run, FrameRecord* record, RunBarRequest* request) {
  std::string headline, advice;
  const bool sentinel = run.at_sentinel();
  if (run.state() == RunState::LoadFailed) {
    headline = trf(Tr::TrainLoadFailed, run.load_error());
  } else if (run.failure()) {
    headline = non_finite_headline(*run.failure());
    const double lr = run.history().steps.empty() ? run.config().optimizer.lr : run.history().steps.back().lr;
    advice = non_finite_advice(*run.failure(), lr, run.config());
  } else {
    headline = run.error();
  }
  const float wrap = ImGui::GetContentRegionAvail().x - ImGui::GetStyle().WindowPadding.x * 2;
  // The controls of the way on (two rows of frames at most, even at 1024 pixels).
  const float controls = sentinel ? ImGui::GetFrameHeightWithSpacing() * static_cast<float>(way_on_rows()) + ImGui::GetStyle().ItemSpacing.y : 0.0f;
  const float h = ImGui::CalcTextSize(headline.c_str(), nullptr, false, wrap).y +
                  (advice.empty() ? 0 : ImGui::CalcTextSize(advice.c_str(), nullptr, false, wrap).y + ImGui::GetStyle().ItemSpacing.y) +
                  controls + ImGui::GetStyle().WindowPadding.y * 2;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, IM_COL32(253, 232, 232, 255));
  ImGui::PushStyleColor(ImGuiCol_Border, theme::kProblem);
  ImGui::BeginChild("nan_banner", ImVec2(0, h), true, ImGuiWindowFlags_NoScrollbar);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::PushStyleColor(ImGuiCol_Text, theme::kProblem);
  ImGui::TextUnformatted(headline.c_str());
  ImGui::PopStyleColor();
  if (!advice.empty()) ImGui::TextUnformatted(advice.c_str());
  ImGui::PopTextWrapPos();
  if (sentinel) draw_way_on(session, run, record, request);
  ImGui::EndChild();
  ImGui::PopStyleColor(2);
  if (record) {
    record->visible_text.push_back(headline);
    if (!advice.empty()) record->visible_text.push_back(advice);
  }
}

// After the sentinel: the learning-rate factor, the clipping, the kept state to go back to, and
// the two ways on (go back and resume; start again with these settings).
void RunBarView::draw_way_on(TrainingSession& session, const Run& run, FrameRecord* record, RunBarRequest* request) {
  const std::pair<int, std::int64_t> here{run.uid(), run.failure()->step};
  if (sentinel_ != here) {  // a new failure: the defaults again
    sentinel_ = here;
    lr_factor = 0.1;
    clip_norm = run.config().optimizer.clip_norm;
    back_to = run.best_kept_step();
  }
  const float field = ImGui::GetFontSize() * 5.0f;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr(Tr::TrainNanLrFactor));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(field);
  if (ImGui::InputDouble("##lr_factor", &lr_factor, 0, 0, "%g")) lr_factor = std::clamp(lr_factor, 1e-6, 1.0e3);
  tooltip(tr(Tr::TrainNanLrFactorHelp));
  ImGui::SameLine();
  ImGui::TextUnformatted(tr(Tr::TrainNanClip));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(field);
  if (ImGui::InputDouble("##clip", &clip_norm, 0, 0, "%g")) clip_norm = std::max(clip_norm, 0.0);
  tooltip(tr(Tr::TrainNanClipHelp));
  const std::vector<std::int64_t> kept = run.kept_steps();
  auto kept_text = [&](std::int64_t k) {
    const double loss = run.loss_after(k);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", loss);
    return trf(Tr::TrainNanKept, std::to_string(k), std::isnan(loss) ? "—" : buf);
  };
  if (way_on_rows() == 1) ImGui::SameLine();  // one row when it fits (1600 pixels), else two
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr(Tr::TrainNanBackTo));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12.0f);
  if (ImGui::BeginCombo("##back_to", kept_text(back_to).c_str())) {
    for (std::int64_t k : kept)
      if (ImGui::Selectable(kept_text(k).c_str(), k == back_to)) back_to = k;
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  const int i = session.index_of(run.uid());
  if (ImGui::Button(label(Tr::TrainNanGoBack, "go_back").c_str()) && session.run(i).go_back(back_to, lr_factor, clip_norm))
    session.apply(i, Run::Command::Resume);
  tooltip((std::string(tr(Tr::TrainNanWayOn)) + "\n\n" + tr(Tr::TrainNanGoBackHelp)).c_str());
  ImGui::SameLine();
  if (ImGui::Button(label(Tr::TrainNanRestart, "restart").c_str())) *request = RunBarRequest::RestartAdjusted;
  tooltip(tr(Tr::TrainNanRestartHelp));
  if (record) {
    record->visible_text.push_back(tr(Tr::TrainNanGoBack));
    record->visible_text.push_back(tr(Tr::TrainNanBackTo) + std::string(" ") + kept_text(back_to));
    record->visible_text.push_back(tr(Tr::TrainNanRestart));
  }
}

// [SECTION] runs

void RunBarView::draw_runs(TrainingSession& session, FrameRecord* record, RunBarRequest* request) {
  if (session.size() == 0) return;
  ImGui::Spacing();
  const ImGuiTableFlags flags = ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH;
  int remove = -1;
  if (ImGui::BeginTable("runs", 7, flags)) {
    ImGui::TableSetupColumn("colour");
    ImGui::TableSetupColumn("shown");
    ImGui::TableSetupColumn("pinned");
    // The label and the figures share what the fixed columns leave, the figures wrapped onto more
    // lines where they do not fit: the row never runs past the bar's edge (with the setup open at
    // 1024 px the figures' one line pushed the delete button out of the window).
    ImGui::TableSetupColumn("label", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("state");
    ImGui::TableSetupColumn("figures", ImGuiTableColumnFlags_WidthStretch, 1.4f);
    ImGui::TableSetupColumn("delete");
    for (int i = 0; i < session.size(); ++i) {
      Run& r = session.run(i);
      ImGui::PushID(r.uid());
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      // The whole row selects the run the controls drive; the widgets on it still work.
      if (ImGui::Selectable("##row", i == session.active(), ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap,
                            ImVec2(0, ImGui::GetFrameHeight())))
        session.set_active(i);
      ImGui::SameLine(0, 0);
      float rgb[3] = {((r.rgb >> 16) & 0xff) / 255.0f, ((r.rgb >> 8) & 0xff) / 255.0f, (r.rgb & 0xff) / 255.0f};
      if (ImGui::ColorEdit3("##colour", rgb, ImGuiColorEditFlags_NoInputs | ImGuiColorEditFlags_NoLabel))
        r.rgb = (static_cast<std::uint32_t>(std::lround(rgb[0] * 255)) << 16) | (static_cast<std::uint32_t>(std::lround(rgb[1] * 255)) << 8) |
                static_cast<std::uint32_t>(std::lround(rgb[2] * 255));
      ImGui::TableNextColumn();
      bool shown = !r.hidden;
      if (ImGui::Checkbox("##shown", &shown)) r.hidden = !shown;
      tooltip(tr(Tr::TrainShowHelp));
      ImGui::TableNextColumn();
      ImGui::Checkbox(label(Tr::TrainPin, "pin").c_str(), &r.pinned);
      tooltip(tr(Tr::TrainPinHelp));
      ImGui::TableNextColumn();
      // The label: click to make it the active run, type to rename it.
      std::string& text = names_[r.uid()];
      if (ImGui::GetActiveID() != ImGui::GetID("##label")) text = r.label;
      ImGui::SetNextItemWidth(-1);
      if (ImGui::InputText("##label", &text)) session.rename(i, text);
      record_last_item(record, "label " + r.label, r.label);
      if (ImGui::IsItemActivated()) session.set_active(i);
      ImGui::TableNextColumn();
      ImGui::AlignTextToFramePadding();
      ImGui::TextUnformatted(state_text(r.state()));
      ImGui::TableNextColumn();
      std::string figures;
      if (!r.history().steps.empty()) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "%.4g", r.history().steps.back().loss);
        figures = trf(Tr::TrainRunLoss, buf);
        if (!r.history().epochs.empty()) {
          const nn::StepMetrics& e = r.history().epochs.back();
          // The running accuracy of the last epoch's batches (the weights moved during it), unlike
          // the boundary's figure of the model as it is now.
          std::snprintf(buf, sizeof buf, "%.1f", 100 * e.train_accuracy);
          figures += "  " + trf(Tr::TrainRunTrainAcc, buf);
          if (!std::isnan(e.test_accuracy)) {
            std::snprintf(buf, sizeof buf, "%.1f", 100 * e.test_accuracy);
            figures += "  " + trf(Tr::TrainRunTestAcc, buf);
          }
        }
      }
      widgets::TextWrappedAtSpaces(figures);
      ImGui::TableNextColumn();
      if (ImGui::SmallButton("×")) remove = i;
      record_last_item(record, "delete " + r.label, "×");
      tooltip(tr(Tr::TrainDeleteHelp));
      if (record) record->visible_text.push_back(r.label + " " + state_text(r.state()) + (figures.empty() ? "" : " " + figures));
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  if (remove >= 0) session.remove(remove);
  // Comparing: runs from the setup, each with one of the Schedules page's classic three; run them all.
  FlowRow first{record};
  if (flow_button(label(Tr::TrainCompareSchedules, "compare").c_str(), true, tr(Tr::TrainCompareSchedulesHelp), &first))
    *request = RunBarRequest::CompareSchedules;
  bool ready = false;
  for (int i = 0; i < session.size(); ++i) ready |= session.run(i).can(Run::Command::Start);
  if (flow_button(label(Tr::TrainRunAll, "run_all").c_str(), ready && !session.queued(), tr(Tr::TrainRunAllHelp), &first))
    *request = RunBarRequest::RunAll;
  ImGui::SameLine();
  ImGui::Checkbox(tr(Tr::TrainInterleaved), &interleaved);
  tooltip(tr(Tr::TrainInterleavedHelp));
  if (flow_button(label(Tr::TrainExportMetrics, "export").c_str(), true, tr(Tr::TrainExportMetricsHelp), &first))
    *request = RunBarRequest::ExportMetrics;
}

}  // namespace gs::app::training
