// The schedule lab's list and editors. ImGui only; every number comes from the ScheduleLab, whose
// every number comes from src/nn.
//
// [SECTION] helpers
// [SECTION] the run and the actions
// [SECTION] one entry
#include "app/schedules/view_schedule_list.h"

#include "app/base/frame_record.h"
#include "app/base/i18n.h"
#include "app/base/theme.h"
#include "app/widgets/text_wrap.h"
#include "nn/schedule_params.h"
#include "nn/spec_reader.h"

#include <imgui.h>
#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>

namespace gs::app::schedules {

// [SECTION] helpers

namespace {

bool chinese() { return language() == Language::Chinese; }

ImU32 colour_of(const LabEntry& e) {
  return IM_COL32((e.rgb >> 16) & 0xff, (e.rgb >> 8) & 0xff, e.rgb & 0xff, 255);
}

}  // namespace

std::string& ScheduleListView::buffer(const std::string& id, const std::string& shown, bool editing) {
  std::string& b = buffers_[id];
  if (!editing) b = shown;  // follows the model unless the user is typing in it
  return b;
}

// [SECTION] the run and the actions

void ScheduleListView::draw(ScheduleLab& lab, FrameRecord* record) {
  draw_run(lab, record);
  draw_actions(lab, record);
  ImGui::Separator();
  ImGui::BeginChild("entries", ImVec2(0, 0), false);
  for (int i = 0; i < lab.size(); ++i) draw_entry(lab, i, record);
  if (lab.size() == 0) ImGui::TextDisabled("%s", tr(Tr::SchedEmpty));
  ImGui::EndChild();
}

void ScheduleListView::draw_run(ScheduleLab& lab, FrameRecord* record) {
  const float field = ImGui::GetFontSize() * 5.5f;
  auto run_field = [&](const char* label, const char* id, std::string* text, const std::string& shown, auto apply) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(label);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(field);
    const bool editing = ImGui::GetActiveID() == ImGui::GetID(id);
    if (!editing) *text = shown;
    if (ImGui::InputText(id, text, ImGuiInputTextFlags_CharsScientific | ImGuiInputTextFlags_AutoSelectAll)) apply(*text);
  };
  run_field(tr(Tr::SchedLr), "##lr", &lr_text_, nn::format_number(lab.lr()), [&](const std::string& t) {
    char* end = nullptr;
    const double v = std::strtod(t.c_str(), &end);
    if (end != t.c_str() && *end == '\0') lab.set_lr(v);
  });
  ImGui::SameLine();
  run_field(tr(Tr::SchedEpochs), "##epochs", &epochs_text_, std::to_string(lab.epochs()), [&](const std::string& t) {
    char* end = nullptr;
    const long v = std::strtol(t.c_str(), &end, 10);
    if (end != t.c_str() && *end == '\0') lab.set_epochs(static_cast<int>(std::clamp<long>(v, -1, ScheduleLab::kMaxEpochs + 1)));
  });
  // Batches per epoch matter only to the per-batch pitfall: shown when one is on.
  bool per_batch = false;
  for (int i = 0; i < lab.size(); ++i) per_batch |= lab.has_pitfall(i, nn::Pitfall::PerBatchMilestones);
  if (per_batch) {
    run_field(tr(Tr::SchedBatches), "##batches", &batches_text_, std::to_string(lab.batches_per_epoch()), [&](const std::string& t) {
      char* end = nullptr;
      const long v = std::strtol(t.c_str(), &end, 10);
      if (end != t.c_str() && *end == '\0') lab.set_batches_per_epoch(static_cast<int>(std::clamp<long>(v, 0, 100000)));
    });
  }
  if (!lab.run_error().empty()) error_text(lab.run_error(), record);
}

void ScheduleListView::draw_actions(ScheduleLab& lab, FrameRecord* record) {
  // Each menu as wide as its name and arrow, the room left shared out; where the three do not fit
  // one row (the 1024×768 panel, or Chinese), Combine takes a row of its own: a third of the row
  // each cut "Add schedule" to "Add schedu".
  const ImGuiStyle& style = ImGui::GetStyle();
  const auto natural = [&](Tr id) { return ImGui::CalcTextSize(tr(id)).x + style.FramePadding.x * 2.0f + ImGui::GetFrameHeight(); };
  const float avail = ImGui::GetContentRegionAvail().x, gap = style.ItemSpacing.x;
  const float need[3] = {natural(Tr::SchedPresets), natural(Tr::SchedAdd), natural(Tr::SchedCombine)};
  const bool one_row = need[0] + need[1] + need[2] + 2.0f * gap <= avail;
  const int per_row = one_row ? 3 : 2;
  float width[3];
  for (int k = 0; k < 3; ++k) width[k] = need[k];
  const float spare_first = avail - need[0] - need[1] - (one_row ? need[2] : 0.0f) - (per_row - 1) * gap;
  for (int k = 0; k < per_row; ++k) width[k] += std::max(0.0f, spare_first) / per_row;
  if (!one_row) width[2] = std::max(need[2], width[0]);
  ImGui::SetNextItemWidth(width[0]);
  if (ImGui::BeginCombo("##preset", tr(Tr::SchedPresets), ImGuiComboFlags_HeightLarge)) {
    for (const nn::ScheduleListPreset& p : nn::schedule_list_presets())
      if (ImGui::Selectable((chinese() ? p.title_zh : p.title).c_str())) lab.apply_preset(p.key);
    ImGui::EndCombo();
  }
  record_last_item(record, "presets", tr(Tr::SchedPresets));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(width[1]);
  if (ImGui::BeginCombo("##add", tr(Tr::SchedAdd), ImGuiComboFlags_HeightLarge)) {
    for (const nn::ScheduleInfo& info : nn::schedule_table()) {
      if (info.composite) continue;
      if (ImGui::Selectable(info.torch_class.c_str())) lab.add(info.name);
      help_tooltip(chinese() ? info.summary_zh : info.summary);
    }
    ImGui::EndCombo();
  }
  record_last_item(record, "add_schedule", tr(Tr::SchedAdd));
  if (one_row) ImGui::SameLine();
  // SequentialLR / ChainedScheduler from the entries ticked in the list.
  std::vector<int> members;
  for (int i = 0; i < lab.size(); ++i)
    if (std::find(combine_.begin(), combine_.end(), lab.entry(i).uid) != combine_.end()) members.push_back(i);
  ImGui::SetNextItemWidth(width[2]);
  ImGui::BeginDisabled(members.size() < 2);
  if (ImGui::BeginCombo("##combine", tr(Tr::SchedCombine))) {
    for (const char* name : {"sequential", "chained"})
      if (ImGui::Selectable(nn::schedule_info(name).torch_class.c_str())) {
        lab.add_composite(name, members);
        combine_.clear();
      }
    ImGui::EndCombo();
  }
  ImGui::EndDisabled();
  record_last_item(record, "combine", tr(Tr::SchedCombine));
  if (members.size() < 2 && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) help_tooltip(tr(Tr::SchedCombineHelp));
}

// [SECTION] one entry

void ScheduleListView::draw_entry(ScheduleLab& lab, int i, FrameRecord* record) {
  const LabEntry& e = lab.entry(i);
  const int uid = e.uid;
  ImGui::PushID(uid);
  // Header: colour, shown, ticked for combining, the schedule's class, buttons on the right.
  float rgb[3] = {((e.rgb >> 16) & 0xff) / 255.0f, ((e.rgb >> 8) & 0xff) / 255.0f, (e.rgb & 0xff) / 255.0f};
  if (ImGui::ColorEdit3("##colour", rgb, ImGuiColorEditFlags_NoInputs | ImGuiColorEditFlags_NoLabel))
    lab.set_color(i, (static_cast<std::uint32_t>(std::lround(rgb[0] * 255)) << 16) | (static_cast<std::uint32_t>(std::lround(rgb[1] * 255)) << 8) |
                         static_cast<std::uint32_t>(std::lround(rgb[2] * 255)));
  ImGui::SameLine();
  bool shown = !e.entry.hidden;
  if (ImGui::Checkbox("##shown", &shown)) lab.set_hidden(i, !shown);
  help_tooltip(tr(Tr::SchedShow));
  ImGui::SameLine();
  const nn::ScheduleInfo* info = info_of(&e.draft);
  const std::string title = e.entry.label.empty() ? (info ? info->torch_class : std::string("?")) : e.entry.label;
  const float buttons_w = ImGui::GetFrameHeight() * 4.0f + ImGui::GetStyle().ItemSpacing.x * 3.0f;
  const float title_end = ImGui::GetCursorPosX() + ImGui::GetTreeNodeToLabelSpacing() + ImGui::CalcTextSize(title.c_str()).x +
                          ImGui::GetStyle().ItemSpacing.x;
  ImGui::PushStyleColor(ImGuiCol_Text, e.entry.hidden ? theme::kTextDim : colour_of(e));
  const bool open = ImGui::TreeNodeEx("##entry", ImGuiTreeNodeFlags_AllowItemOverlap | ImGuiTreeNodeFlags_DefaultOpen, "%s", title.c_str());
  ImGui::PopStyleColor();
  help_tooltip(e.label());
  if (record) record->visible_text.push_back(e.label());
  // The buttons at the right of the title, or under it when the panel is too narrow for both.
  const float buttons_x = ImGui::GetContentRegionMax().x - buttons_w;
  if (buttons_x >= title_end) ImGui::SameLine(buttons_x);
  else ImGui::SetCursorPosX(std::max(buttons_x, ImGui::GetCursorPosX()));
  bool removed = false;
  if (ImGui::ArrowButton("##up", ImGuiDir_Up) && i > 0) lab.move(i, i - 1);
  help_tooltip(tr(Tr::SchedMoveUp));
  ImGui::SameLine();
  if (ImGui::ArrowButton("##down", ImGuiDir_Down) && i + 1 < lab.size()) lab.move(i, i + 1);
  help_tooltip(tr(Tr::SchedMoveDown));
  ImGui::SameLine();
  if (ImGui::Button("+", ImVec2(ImGui::GetFrameHeight(), 0))) lab.duplicate(i);
  help_tooltip(tr(Tr::SchedDuplicate));
  ImGui::SameLine();
  if (ImGui::Button("×", ImVec2(ImGui::GetFrameHeight(), 0))) removed = true;
  help_tooltip(tr(Tr::SchedRemove));
  if (removed) {
    if (open) ImGui::TreePop();
    ImGui::PopID();
    lab.remove(i);
    return;
  }
  if (open) {
    // The entry moved (up/down) this frame: draw what is at i now; ids follow uids.
    const LabEntry& now = lab.entry(i);
    if (const nn::ScheduleInfo* ni = info_of(&now.draft)) {
      ImGui::PushStyleColor(ImGuiCol_Text, theme::kTextDim);
      widgets::TextWrappedAtSpaces(chinese() ? ni->summary_zh : ni->summary);
      ImGui::PopStyleColor();
    }
    params_.draw(lab, i, record);
    if (info && info->needs_metric) draw_metric(lab, i);
    // Ticked entries make up the next SequentialLR or ChainedScheduler (the Combine button).
    bool ticked = std::find(combine_.begin(), combine_.end(), uid) != combine_.end();
    if (ImGui::Checkbox(tr(Tr::SchedCombineTick), &ticked)) {
      if (ticked) combine_.push_back(uid);
      else std::erase(combine_, uid);
    }
    // The entry's own label (the legend's and the table's), src/nn's description when empty.
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(tr(Tr::SchedLabel));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-1);
    const std::string id = std::to_string(uid) + "/label";
    std::string& text = buffer(id, lab.entry(i).entry.label, ImGui::GetActiveID() == ImGui::GetID("##label"));
    if (ImGui::InputTextWithHint("##label", nn::describe_schedule(lab.entry(i).draft).c_str(), &text)) lab.set_label(i, text);
    draw_pitfalls(lab, i, record);
    ImGui::TreePop();
  }
  // A message no field owns (a rule between parameters, a member's value).
  const LabEntry& after = lab.entry(i);
  if (!after.error.empty() && after.error_key.empty()) error_text(after.error, record);
  ImGui::PopID();
  ImGui::Spacing();
}

void ScheduleListView::draw_metric(ScheduleLab& lab, int i) {
  const LabEntry& e = lab.entry(i);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr(Tr::SchedMetricSeed));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.0f);
  ImU64 seed = e.entry.metric_seed;
  const ImU64 step = 1;
  if (ImGui::InputScalar("##seed", ImGuiDataType_U64, &seed, &step)) lab.set_metric_seed(i, seed);
  help_tooltip(tr(Tr::SchedMetricSeedHelp));
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr(Tr::SchedMetrics));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  std::string shown;
  for (double v : e.entry.metrics) shown += (shown.empty() ? "" : ", ") + nn::format_number(v);
  const std::string id = std::to_string(e.uid) + "/metrics";
  std::string& text = buffer(id, shown, ImGui::GetActiveID() == ImGui::GetID("##metrics"));
  if (ImGui::InputTextWithHint("##metrics", tr(Tr::SchedMetricsHint), &text, ImGuiInputTextFlags_EnterReturnsTrue)) {
    if (text.empty()) lab.set_metric_seed(i, lab.entry(i).entry.metric_seed);
    else lab.set_metrics_text(i, text);
  }
  if (lab.entry(i).error_key == "metrics") error_text(lab.entry(i).error, nullptr);
}

void ScheduleListView::draw_pitfalls(ScheduleLab& lab, int i, FrameRecord* record) {
  int on = 0;
  for (const nn::PitfallInfo& p : nn::pitfall_table()) on += lab.has_pitfall(i, p.id) ? 1 : 0;
  const std::string title = trf(Tr::SchedPitfalls, std::to_string(on));
  if (!ImGui::TreeNodeEx("##pitfalls", on > 0 ? ImGuiTreeNodeFlags_DefaultOpen : 0, "%s", title.c_str())) return;
  const nlohmann::json& spec = lab.entry(i).entry.spec;
  const std::string name = spec.contains("name") && spec["name"].is_string() ? spec["name"].get<std::string>() : "";
  const nn::ScheduleInfo* info = nn::find_schedule(name);
  for (const nn::PitfallInfo& p : nn::pitfall_table()) {
    const bool applies = nn::pitfall_applies_to(p.id, name);
    bool checked = lab.has_pitfall(i, p.id);
    const std::string text = chinese() ? p.title_zh : p.title;
    ImGui::BeginDisabled(!applies);
    // The title whole: where it is wider than the list (at 1024 px "scheduler.step() before
    // optimizer.step()" was cut at the panel's edge) it wraps beside the box, and a click on it
    // ticks the box as a click on a checkbox's own label does.
    const ImGuiStyle& st = ImGui::GetStyle();
    const bool fits = ImGui::GetFrameHeight() + st.ItemInnerSpacing.x + ImGui::CalcTextSize(text.c_str()).x <= ImGui::GetContentRegionAvail().x;
    ImGui::BeginGroup();
    if (fits) {
      if (ImGui::Checkbox(text.c_str(), &checked)) lab.set_pitfall(i, p.id, checked);
    } else {
      if (ImGui::Checkbox(("##" + p.key).c_str(), &checked)) lab.set_pitfall(i, p.id, checked);
      ImGui::SameLine(0, st.ItemInnerSpacing.x);
      widgets::TextWrappedAtSpaces(text);
      if (applies && ImGui::IsItemClicked()) lab.set_pitfall(i, p.id, !checked);
    }
    ImGui::EndGroup();
    ImGui::EndDisabled();
    record_last_item(record, "pitfall " + std::to_string(lab.entry(i).uid) + "/" + p.key, text);
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
      std::string tip = p.code;
      if (!applies) (tip += '\n') += trf(Tr::SchedPitfallNotHere, info ? info->torch_class : name);
      help_tooltip(tip);
    }
  }
  ImGui::TreePop();
}

}  // namespace gs::app::schedules
