// The schedule lab's table of learning rates. The numbers are the ScheduleLab's (src/nn's), shown
// with 6 significant digits; the copies keep full precision (CSV) or the shown digits (Markdown).
#include "app/schedules/view_schedule_table.h"

#include "app/base/i18n.h"
#include "app/base/theme.h"
#include "nn/schedule_params.h"

#include <cstdio>

namespace gs::app::schedules {

namespace {

// A column's header: the schedule's torch class (or its own label), numbered when two share it.
std::string short_name(const ScheduleLab& lab, int i) {
  const LabEntry& e = lab.entry(i);
  if (!e.entry.label.empty()) return e.entry.label;
  const nlohmann::json& spec = e.entry.spec;
  const nn::ScheduleInfo* info = spec.contains("name") && spec["name"].is_string() ? nn::find_schedule(spec["name"].get<std::string>()) : nullptr;
  const std::string cls = info ? info->torch_class : "?";
  int same = 0, index = 0;
  for (int j : lab.visible()) {
    const nlohmann::json& s = lab.entry(j).entry.spec;
    if (s.contains("name") && s["name"] == spec["name"]) {
      ++same;
      if (j <= i) ++index;
    }
  }
  return same > 1 ? cls + " " + std::to_string(index) : cls;
}

}  // namespace

std::string ScheduleTableView::draw(const ScheduleLab& lab, ImVec2 size, int hovered_epoch, FrameRecord* record) {
  std::string status;
  const std::vector<int> cols = lab.visible();
  ImGui::BeginGroup();
  ImGui::TextUnformatted(tr(Tr::SchedTable));
  ImGui::SameLine();
  if (ImGui::SmallButton(tr(Tr::SchedCopyCsv))) {
    ImGui::SetClipboardText(lab.table_csv().c_str());
    status = trf(Tr::SchedCopied, std::to_string(lab.epochs()), "CSV");
  }
  ImGui::SameLine();
  if (ImGui::SmallButton(tr(Tr::SchedCopyMarkdown))) {
    ImGui::SetClipboardText(lab.table_markdown().c_str());
    status = trf(Tr::SchedCopied, std::to_string(lab.epochs()), "Markdown");
  }
  const float table_h = size.y - ImGui::GetFrameHeightWithSpacing();
  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_BordersOuter | ImGuiTableFlags_SizingFixedFit;
  TableRecord rec;
  rec.name = "lr";
  if (ImGui::BeginTable("lr_table", 1 + static_cast<int>(cols.size()), flags, ImVec2(size.x, table_h))) {
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableSetupColumn(tr(Tr::SchedEpoch));
    std::string header = tr(Tr::SchedEpoch);
    for (int c : cols) {
      const std::string name = short_name(lab, c);
      ImGui::TableSetupColumn(name.c_str());
      header += " | " + name;
    }
    // The header row, each schedule's name in its colour.
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    for (int k = 0; k <= static_cast<int>(cols.size()); ++k) {
      ImGui::TableSetColumnIndex(k);
      if (k > 0) {
        const LabEntry& e = lab.entry(cols[static_cast<std::size_t>(k - 1)]);
        ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32((e.rgb >> 16) & 0xff, (e.rgb >> 8) & 0xff, e.rgb & 0xff, 255));
      }
      ImGui::TableHeader(ImGui::TableGetColumnName(k));
      if (k > 0) {
        ImGui::PopStyleColor();
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", lab.entry(cols[static_cast<std::size_t>(k - 1)]).label().c_str());
      }
    }
    rec.rows.push_back(header);
    // Keep the hovered epoch's row in view.
    const float row_h = ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2.0f;
    if (hovered_epoch >= 0 && hovered_epoch != scrolled_to_) {
      const float y = hovered_epoch * row_h;
      const float visible = table_h - row_h * 2.0f;
      if (y < ImGui::GetScrollY() || y > ImGui::GetScrollY() + visible) ImGui::SetScrollY(std::max(0.0f, y - visible * 0.5f));
      scrolled_to_ = hovered_epoch;
    }
    ImGuiListClipper clipper;
    clipper.Begin(lab.epochs());
    while (clipper.Step())
      for (int ep = clipper.DisplayStart; ep < clipper.DisplayEnd; ++ep) {
        ImGui::TableNextRow();
        if (ep == hovered_epoch) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, theme::kRowCurrent);
        ImGui::TableSetColumnIndex(0);
        ImGui::Text("%d", ep);
        for (std::size_t k = 0; k < cols.size(); ++k) {
          ImGui::TableSetColumnIndex(static_cast<int>(k) + 1);
          const std::vector<double>& lr = lab.entry(cols[k]).curves.series.lr;
          if (ep < static_cast<int>(lr.size())) ImGui::TextUnformatted(shown_lr(lr[static_cast<std::size_t>(ep)]).c_str());
        }
      }
    ImGui::EndTable();
  }
  ImGui::EndGroup();
  if (record) {
    // Every row as a person would read it, whether scrolled into view or not.
    for (int ep = 0; ep < lab.epochs(); ++ep) {
      std::string row = std::to_string(ep);
      for (int c : cols) {
        const std::vector<double>& lr = lab.entry(c).curves.series.lr;
        row += " | " + (ep < static_cast<int>(lr.size()) ? shown_lr(lr[static_cast<std::size_t>(ep)]) : std::string());
      }
      rec.rows.push_back(row);
    }
    if (hovered_epoch >= 0 && hovered_epoch < lab.epochs()) {
      rec.highlighted_row = hovered_epoch + 1;  // after the header
      rec.highlighted_text = rec.rows[static_cast<std::size_t>(rec.highlighted_row)];
    }
    record->tables.push_back(std::move(rec));
  }
  return status;
}

}  // namespace gs::app::schedules
