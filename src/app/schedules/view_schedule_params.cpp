// A schedule's parameter editor (view_schedule_params.h). ImGui only; every number and message
// comes from the ScheduleLab, whose every number comes from src/nn.
//
// [SECTION] helpers
// [SECTION] parameters
#include "app/schedules/view_schedule_params.h"

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

std::string field_id(int uid, const MemberPath& member, const std::string& key) {
  std::string id = std::to_string(uid);
  for (int m : member) (id += '.') += std::to_string(m);
  (id += '/') += key;
  return id;
}

}  // namespace

std::string value_text(const nlohmann::json& v) {
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number()) return nn::format_number(v.get<double>());
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_array()) {
    std::string s;
    for (const nlohmann::json& x : v) {
      if (!s.empty()) s += ", ";
      s += value_text(x);
    }
    return s;
  }
  return {};
}

const nn::ScheduleInfo* info_of(const nlohmann::json* spec) {
  if (!spec || !spec->contains("name") || !(*spec)["name"].is_string()) return nullptr;
  return nn::find_schedule((*spec)["name"].get<std::string>());
}

void help_tooltip(const std::string& text) {
  if (text.empty() || !ImGui::IsItemHovered()) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

ReadableSliderGrab::ReadableSliderGrab() {
  for (ImGuiCol col : {ImGuiCol_SliderGrab, ImGuiCol_SliderGrabActive}) {
    ImVec4 c = ImGui::GetStyleColorVec4(col);
    c.w *= kSliderGrabOpacity;
    ImGui::PushStyleColor(col, c);
  }
}

ReadableSliderGrab::~ReadableSliderGrab() { ImGui::PopStyleColor(2); }

void error_text(const std::string& message, FrameRecord* record) {
  ImGui::PushStyleColor(ImGuiCol_Text, theme::kProblem);
  widgets::TextWrappedAtSpaces(message);
  ImGui::PopStyleColor();
  if (record) record->visible_text.push_back(message);
}

std::string& ScheduleParamsEditor::buffer(const std::string& id, const std::string& shown, bool editing) {
  std::string& b = buffers_[id];
  if (!editing) b = shown;  // follows the model unless the user is typing in it
  return b;
}

// [SECTION] parameters

void ScheduleParamsEditor::draw_member(ScheduleLab& lab, int i, const MemberPath& member, FrameRecord* record) {
  const nlohmann::json* spec = lab.draft_member(i, member);
  const nn::ScheduleInfo* info = info_of(spec);
  if (!info) return;
  const std::string table_id = "params" + field_id(0, member, "");
  if (ImGui::BeginTable(table_id.c_str(), 2, ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("name", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
    for (const nn::ScheduleParam& p : info->params)
      if (p.kind != nn::ParamKind::ScheduleList) draw_param_row(lab, i, member, p, record);
    ImGui::EndTable();
  }
  // A composite's members, each editable in place.
  if (info->composite && spec->contains("schedulers") && (*spec)["schedulers"].is_array()) {
    const int n = static_cast<int>((*spec)["schedulers"].size());
    for (int k = 0; k < n; ++k) {
      MemberPath sub = member;
      sub.push_back(k);
      const nn::ScheduleInfo* mi = info_of(lab.draft_member(i, sub));
      ImGui::PushID(k);
      const std::string title = trf(Tr::SchedMember, std::to_string(k + 1), mi ? mi->torch_class : "?");
      if (ImGui::TreeNodeEx("##member", ImGuiTreeNodeFlags_DefaultOpen, "%s", title.c_str())) {
        draw_member(lab, i, sub, record);
        ImGui::TreePop();
      }
      ImGui::PopID();
    }
  }
}

void ScheduleParamsEditor::draw_param_row(ScheduleLab& lab, int i, const MemberPath& member, const nn::ScheduleParam& p,
                                      FrameRecord* record) {
  const nlohmann::json* spec = lab.draft_member(i, member);
  const nlohmann::json value = spec->contains(p.key) ? (*spec)[p.key] : p.default_value;
  ImGui::PushID(p.key.c_str());
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(p.torch_name.c_str());
  {
    std::string tip = chinese() ? p.help_zh : p.help;
    (tip += '\n') += p.range.describe(p.kind);
    if (!p.absent.empty()) (tip += '\n') += trf(Tr::SchedDefault, p.absent);
    else if (!p.default_value.is_null()) (tip += '\n') += trf(Tr::SchedDefault, value_text(p.default_value));
    help_tooltip(tip);
  }
  ImGui::TableNextColumn();
  const std::string id = field_id(lab.entry(i).uid, member, p.key);
  bool absent_below = false;  // the meaning of the parameter left out goes under the row
  switch (p.kind) {
    case nn::ParamKind::Boolean: {
      bool v = value.is_boolean() && value.get<bool>();
      if (ImGui::Checkbox("##v", &v)) lab.set_param(i, member, p.key, v);
      break;
    }
    case nn::ParamKind::Choice: {
      const std::string current = value.is_string() ? value.get<std::string>() : "";
      ImGui::SetNextItemWidth(-1);
      if (ImGui::BeginCombo("##v", current.c_str())) {
        for (const std::string& c : p.choices)
          if (ImGui::Selectable(c.c_str(), c == current)) lab.set_param(i, member, p.key, c);
        ImGui::EndCombo();
      }
      break;
    }
    default: {
      // A slider where the table suggests a range (numbers and integers), and a field to type.
      const nlohmann::json* good_spec = lab.good_member(i, member);
      const nlohmann::json good_value = good_spec && good_spec->contains(p.key) ? (*good_spec)[p.key] : p.default_value;
      double lo = p.slider.lo, hi = p.slider.to_run_length ? static_cast<double>(lab.epochs()) : p.slider.hi;
      const bool scalar = p.kind == nn::ParamKind::Integer || p.kind == nn::ParamKind::Number;
      const bool slider = scalar && hi > lo;
      const float w = ImGui::GetContentRegionAvail().x;
      // A parameter left out shows what that means (the table's words) on its slider, or, where
      // they do not fit there (OneCycleLR's epochs at 1024 px: "total_steps or t"), on a line of
      // their own under the row, wrapped.
      absent_below = !good_value.is_number() && !p.absent.empty() &&
                     ImGui::CalcTextSize(p.absent.c_str()).x > (slider ? w * 0.55f : w) - ImGui::GetStyle().FramePadding.x * 2.0f;
      if (slider) {
        ImGui::SetNextItemWidth(w * 0.55f);
        // A parameter left out (the table says what that means) shows no number on its slider.
        std::string absent;
        if (!good_value.is_number() && !absent_below)
          for (char ch : p.absent) absent += ch == '%' ? std::string("%%") : std::string(1, ch);
        if (absent_below) absent.push_back(' ');  // no number, no words: they are under the row
        const ReadableSliderGrab light;
        if (p.kind == nn::ParamKind::Integer) {
          long long v = good_value.is_number() ? good_value.get<long long>() : static_cast<long long>(lo);
          const long long ilo = static_cast<long long>(std::ceil(lo)), ihi = static_cast<long long>(std::floor(hi));
          if (ImGui::SliderScalar("##s", ImGuiDataType_S64, &v, &ilo, &ihi, absent.empty() ? "%lld" : absent.c_str(), ImGuiSliderFlags_AlwaysClamp))
            lab.set_param(i, member, p.key, v);
        } else {
          double v = good_value.is_number() ? good_value.get<double>() : lo;
          if (ImGui::SliderScalar("##s", ImGuiDataType_Double, &v, &lo, &hi, absent.empty() ? "%.4g" : absent.c_str(),
                                  p.slider.log ? ImGuiSliderFlags_Logarithmic : ImGuiSliderFlags_None))
            lab.set_param(i, member, p.key, v);
        }
        record_last_item(record, "slider " + id, p.torch_name);
        ImGui::SameLine();
      }
      ImGui::SetNextItemWidth(-1);
      const bool editing = ImGui::GetActiveID() == ImGui::GetID("##t");
      std::string& text = buffer(id, spec->contains(p.key) ? value_text((*spec)[p.key]) : std::string(), editing);
      const std::string hint = absent_below ? std::string() : !p.absent.empty() ? p.absent : value_text(p.default_value);
      if (ImGui::InputTextWithHint("##t", hint.c_str(), &text)) {
        if (text.empty()) lab.reset_param(i, member, p.key);
        else lab.set_param_text(i, member, p.key, text);
      }
      break;
    }
  }
  if (absent_below) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TableNextColumn();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    widgets::TextWrappedAtSpaces(p.absent);
    ImGui::PopStyleColor();
    record_last_item(record, "absent " + id, p.absent);
    if (record) record->visible_text.push_back(p.absent);
  }
  // src/nn's message beside the field it is about.
  const LabEntry& e = lab.entry(i);
  if (!e.error.empty() && e.error_key == p.key && e.error_member == member) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TableNextColumn();
    error_text(e.error, record);
    // The plot and the table keep the entry's last good spec: name its value, so that one passed
    // on the way ("30, 6" while typing "30, 60") is not taken for what the field says.
    if (const nlohmann::json* good = lab.good_member(i, member)) {
      const std::string kept = trf(Tr::SchedKeptValue, p.torch_name,
                                   good->contains(p.key) ? value_text((*good)[p.key]) : trf(Tr::SchedDefault, value_text(p.default_value)));
      widgets::TextWrappedAtSpaces(kept);
      if (record) record->visible_text.push_back(kept);
    }
  }
  ImGui::PopID();
}

}  // namespace gs::app::schedules
