// The schedule lab's plots and the pitfalls' explanations. Draws what the ScheduleLab holds through
// the plot widget; computes nothing.
#include "app/schedules/view_schedule_plot.h"

#include "app/schedules/view_schedule_params.h"

#include "app/base/i18n.h"
#include "app/base/theme.h"
#include "app/widgets/plot.h"
#include "app/widgets/text_wrap.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

namespace gs::app::schedules {

namespace {

namespace w = widgets;

bool chinese() { return language() == Language::Chinese; }

ImU32 colour_of(const LabEntry& e, int alpha = 255) {
  return IM_COL32((e.rgb >> 16) & 0xff, (e.rgb >> 8) & 0xff, e.rgb & 0xff, alpha);
}

w::PlotMarker marker_for(nn::MarkerKind k) {
  switch (k) {
    case nn::MarkerKind::Decay: return w::PlotMarker::Down;
    case nn::MarkerKind::Restart: return w::PlotMarker::Up;
    case nn::MarkerKind::Switch: return w::PlotMarker::Square;
    case nn::MarkerKind::Peak: return w::PlotMarker::Diamond;
    case nn::MarkerKind::WarmupEnd: return w::PlotMarker::Circle;
  }
  return w::PlotMarker::Circle;
}

// "label##uid": the legend shows the label, the widget tells entries with equal labels apart.
std::string item_id(const std::string& label, int uid, const char* part = "") { return label + "##" + std::to_string(uid) + part; }

std::string pitfall_title(nn::Pitfall p) {
  const nn::PitfallInfo& info = nn::pitfall_table()[static_cast<std::size_t>(p)];
  return chinese() ? info.title_zh : info.title;
}

// The entry's own label if it has one, else its schedule's torch class ("MultiStepLR").
std::string short_name(const LabEntry& e) {
  if (!e.entry.label.empty()) return e.entry.label;
  const nlohmann::json& spec = e.entry.spec;
  const nn::ScheduleInfo* info = spec.contains("name") && spec["name"].is_string() ? nn::find_schedule(spec["name"].get<std::string>()) : nullptr;
  return info ? info->torch_class : e.label();
}

// The dashed curve's name: "MultiStepLR: get_lr() instead of get_last_lr()".
std::string pitfall_name(const LabEntry& e, nn::Pitfall p) { return short_name(e) + ": " + pitfall_title(p); }

struct Note {
  std::string text;
  ImU32 colour;
};

std::vector<Note> notes_of(const ScheduleLab& lab) {
  std::vector<Note> notes;
  for (int i : lab.visible()) {
    const LabEntry& e = lab.entry(i);
    for (const PitfallView& p : e.pitfalls) {
      const std::string why = !p.error.empty() ? p.error : chinese() ? p.curve.explanation_zh : p.curve.explanation;
      notes.push_back({pitfall_name(e, p.id) + " — " + why, colour_of(e)});
    }
  }
  return notes;
}

}  // namespace

void SchedulePlotView::draw(const ScheduleLab& lab, ImVec2 size, FrameRecord* record) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::Checkbox(tr(Tr::SchedLogY), &log_y);
  ImGui::SameLine();
  ImGui::TextDisabled("%s", tr(Tr::SchedPlotHint));
  const std::vector<Note> notes = notes_of(lab);
  const float indent = ImGui::GetFontSize() * 1.5f;
  float notes_h = 0.0f;
  for (const Note& n : notes)
    notes_h += ImGui::CalcTextSize(n.text.c_str(), nullptr, false, size.x - indent - ImGui::GetStyle().ScrollbarSize).y + ImGui::GetStyle().ItemSpacing.y;
  // The explanations take at most a quarter of the height (then they scroll): the plot stays readable.
  notes_h = std::min(notes_h, size.y * 0.25f);
  float key_h = 0.0f;
  const std::vector<KeyEntry> key = key_layout(lab, size.x, &key_h);
  const float plots_h = std::max(size.y - (ImGui::GetCursorScreenPos().y - origin.y) - notes_h - key_h, ImGui::GetFontSize() * 10.0f);
  bool momentum = false;
  for (int i : lab.visible()) momentum |= lab.entry(i).cycles_momentum();
  if (momentum) {
    const float lr_h = std::floor(plots_h * 0.64f);
    draw_lr(lab, ImVec2(size.x, lr_h));
    draw_momentum(lab, ImVec2(size.x, plots_h - lr_h - ImGui::GetStyle().ItemSpacing.y));
  } else {
    draw_lr(lab, ImVec2(size.x, plots_h));
  }
  draw_key(key, record);
  rect_min_ = origin;
  rect_max_ = ImVec2(origin.x + size.x, ImGui::GetCursorScreenPos().y);
  if (notes.empty()) return;
  // One entry per pitfall that is on, under the plots: a dashed swatch in its schedule's colour
  // (as the curve is drawn) and src/nn's explanation.
  ImGui::BeginChild("pitfall_notes", ImVec2(size.x, notes_h), false);
  for (const Note& n : notes) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetTextLineHeight();
    for (float x = 0; x < ImGui::GetFontSize() * 1.2f; x += 7.0f)
      ImGui::GetWindowDrawList()->AddLine(ImVec2(p.x + x, p.y + h * 0.5f), ImVec2(p.x + x + 4.0f, p.y + h * 0.5f), n.colour, 2.5f);
    ImGui::Indent(indent);
    widgets::TextWrappedAtSpaces(n.text);
    ImGui::Unindent(indent);
    if (record) record->visible_text.push_back(n.text);
  }
  ImGui::EndChild();
}

void SchedulePlotView::draw_lr(const ScheduleLab& lab, ImVec2 size) {
  const std::vector<int> shown = lab.visible();
  bool metric = false;
  for (int i : shown) metric |= !lab.entry(i).curves.metrics.empty();
  const std::string title = std::string(tr(Tr::SchedLrPlot)) + "##lr";
  if (!w::BeginPlot(title.c_str(), size, w::PlotFlags::NoLegend)) return;  // the key under the plots names them
  w::SetupAxis(w::PlotAxis::X, tr(Tr::SchedEpoch), w::PlotAxisFlags::Integer);
  w::SetupAxis(w::PlotAxis::Y1, tr(Tr::SchedLrAxis), log_y ? w::PlotAxisFlags::Log : w::PlotAxisFlags::None);
  if (metric) w::SetupAxis(w::PlotAxis::Y2, tr(Tr::SchedMetricAxis));
  w::SetupLink(kScheduleLink, w::PlotLinkFlags::Cursor | w::PlotLinkFlags::X);
  // The list's "shown", the key and the plot's menu are one switch: the widget shows what the list
  // says, and a series switched in the plot's menu since the last frame is passed back to the list.
  for (int i = 0; i < lab.size(); ++i) {
    const LabEntry& e = lab.entry(i);
    if (e.curves.series.lr.empty()) continue;
    const std::string id = item_id(e.label(), e.uid);
    const bool hidden_in_plot = w::IsPlotItemHidden(id.c_str());
    const auto synced = synced_.find(id);
    if (synced != synced_.end() && synced->second != hidden_in_plot) {
      requests_.push_back({e.uid, hidden_in_plot});
      synced->second = hidden_in_plot;
    } else {
      w::SetPlotItemHidden(id.c_str(), e.entry.hidden);
      synced_[id] = e.entry.hidden;
    }
  }
  int marker_count = 0;
  for (int i : shown) marker_count += static_cast<int>(lab.entry(i).curves.markers.size());
  // A schedule that runs on another's values (StepLR and MultiStepLR until epoch 80) is drawn
  // wider underneath it, so that both stay visible.
  std::vector<std::vector<double>> shown_lr;
  for (int i : shown) shown_lr.push_back(lab.entry(i).curves.series.lr);
  const std::vector<float> widths = w::UnderlayWidths(shown_lr, 1.2f);
  for (int i = 0; i < lab.size(); ++i) {
    const LabEntry& e = lab.entry(i);
    const std::vector<double>& lr = e.curves.series.lr;
    if (lr.empty()) continue;
    const auto at = std::find(shown.begin(), shown.end(), i);
    const float width = at == shown.end() ? 1.0f : widths[static_cast<std::size_t>(at - shown.begin())];
    // The entry under the mouse in the key stands out.
    const float hover = e.uid == hovered_uid_ ? 1.8f : 1.0f;
    w::SetNextLineStyle(colour_of(e), width > 1.0f || hover > 1.0f ? w::PlotLineWeight() * width * hover : -1.0f);
    w::PlotStairs(item_id(e.label(), e.uid).c_str(), lr.data(), static_cast<int>(lr.size()));
    if (e.entry.hidden) continue;  // greyed in the legend, a click shows it again
    for (const PitfallView& p : e.pitfalls) {
      if (!p.curve.applies) continue;
      w::SetNextLineStyle(colour_of(e, 230), -1.0f, w::PlotLineStyle::Dashed);
      const std::string id = item_id(pitfall_name(e, p.id), e.uid, nn::pitfall_table()[static_cast<std::size_t>(p.id)].key.c_str());
      w::PlotStairs(id.c_str(), p.curve.x.data(), p.curve.y.data(), static_cast<int>(p.curve.y.size()));
    }
    // Milestones, restarts, switches and peaks, at the first epoch of the new value: one marker
    // series per kind ("decay", "restart", …), tagged with src/nn's label when there are few.
    for (nn::MarkerKind kind : {nn::MarkerKind::Decay, nn::MarkerKind::Restart, nn::MarkerKind::Switch, nn::MarkerKind::Peak,
                                nn::MarkerKind::WarmupEnd}) {
      std::vector<double> xs, ys;
      for (const nn::ScheduleMarker& m : e.curves.markers) {
        if (m.kind != kind || m.epoch < 0 || m.epoch >= static_cast<int>(lr.size())) continue;
        xs.push_back(m.epoch);
        ys.push_back(lr[static_cast<std::size_t>(m.epoch)]);
        if (marker_count <= 12 && !m.label.empty())
          w::PlotText(m.label.c_str(), xs.back(), ys.back(), ImVec2(ImGui::GetFontSize() * 0.4f, -ImGui::GetTextLineHeight() * 1.3f),
                      colour_of(e));
      }
      if (xs.empty()) continue;
      w::SetNextMarkerStyle(marker_for(kind), ImGui::GetFontSize() * 0.3f, colour_of(e));
      const std::string id = item_id(e.label() + " · " + nn::marker_kind_name(kind), e.uid, nn::marker_kind_name(kind));
      w::PlotScatter(id.c_str(), xs.data(), ys.data(), static_cast<int>(xs.size()), w::PlotItemFlags::NoLegend | w::PlotItemFlags::NoFit | w::PlotItemFlags::NoReadout);
    }
  }
  if (metric) {
    w::SetAxes(w::PlotAxis::Y2);
    for (int i : shown) {
      const LabEntry& e = lab.entry(i);
      if (e.curves.metrics.empty()) continue;
      w::SetNextLineStyle(colour_of(e, 150), 1.5f, w::PlotLineStyle::Dotted);
      const std::string id = item_id(trf(Tr::SchedMetricName, e.label()), e.uid, "metric");
      w::PlotLine(id.c_str(), e.curves.metrics.data(), static_cast<int>(e.curves.metrics.size()));
    }
  }
  w::EndPlot();
}

void SchedulePlotView::draw_momentum(const ScheduleLab& lab, ImVec2 size) {
  const std::string title = std::string(tr(Tr::SchedMomentumPlot)) + "##momentum";
  if (!w::BeginPlot(title.c_str(), size, w::PlotFlags::NoLegend)) return;  // the key under the plots names them
  w::SetupAxis(w::PlotAxis::X, tr(Tr::SchedEpoch), w::PlotAxisFlags::Integer);
  w::SetupAxis(w::PlotAxis::Y1, tr(Tr::SchedMomentumAxis));
  w::SetupLink(kScheduleLink, w::PlotLinkFlags::Cursor | w::PlotLinkFlags::X);
  for (int i : lab.visible()) {
    const LabEntry& e = lab.entry(i);
    if (!e.cycles_momentum()) continue;
    const std::vector<double>& m = e.curves.series.momentum;
    w::SetNextLineStyle(colour_of(e));
    w::PlotStairs(item_id(e.label(), e.uid, "momentum").c_str(), m.data(), static_cast<int>(m.size()));
  }
  w::EndPlot();
}

// Each entry on the first row with room for it (in list order), else on a new row: the key takes
// as few rows as it can from the plot's height (at 1024 px the classic three take two: StepLR and
// ExponentialLR side by side, MultiStepLR under them). A label wider than the whole width goes
// on two lines or more, broken at spaces. Never cut: a lecturer comparing StepLR(step_size=30,
// gamma=0.1) with MultiStepLR(milestones=[30, 60, 80], gamma=0.1) reads both.
std::vector<SchedulePlotView::KeyEntry> SchedulePlotView::key_layout(const ScheduleLab& lab, float width, float* height) const {
  std::vector<KeyEntry> key;
  const float font = ImGui::GetFontSize(), line_h = ImGui::GetTextLineHeight();
  const float swatch = std::round(font * 1.6f), gap = std::round(font * 0.4f), between = std::round(font * 1.2f);
  const float row_gap = ImGui::GetStyle().ItemSpacing.y * 0.5f;
  const auto measure = w::ImGuiTextWidth;
  std::vector<float> row_x;  // where the next entry of each row would start
  std::vector<int> row_of;
  auto add = [&](KeyEntry e) {
    e.lines = w::WrapAtSpaces(e.label, std::max(width - swatch - gap, font * 4.0f), measure);
    float text_w = 0.0f;
    for (const std::string& l : e.lines) text_w = std::max(text_w, measure(l));
    e.size = ImVec2(swatch + gap + text_w, line_h * static_cast<float>(e.lines.size()));
    std::size_t row = 0;
    while (row < row_x.size() && row_x[row] + e.size.x > width) ++row;
    if (row == row_x.size()) row_x.push_back(0.0f);
    e.pos.x = row_x[row];
    row_x[row] += e.size.x + between;
    row_of.push_back(static_cast<int>(row));
    key.push_back(std::move(e));
  };
  for (int i = 0; i < lab.size(); ++i) {
    const LabEntry& e = lab.entry(i);
    if (!e.curves.series.lr.empty()) add({e.uid, e.label(), {}, e.entry.hidden, false, e.rgb});
  }
  for (int i : lab.visible()) {
    const LabEntry& e = lab.entry(i);
    if (!e.curves.metrics.empty()) add({e.uid, trf(Tr::SchedMetricName, e.label()), {}, false, true, e.rgb});
  }
  // Each row as high as its tallest entry (a wrapped label), one under the other.
  std::vector<float> row_h(row_x.size(), 0.0f);
  for (std::size_t k = 0; k < key.size(); ++k) row_h[static_cast<std::size_t>(row_of[k])] = std::max(row_h[static_cast<std::size_t>(row_of[k])], key[k].size.y);
  std::vector<float> row_y(row_x.size(), 0.0f);
  for (std::size_t r = 1; r < row_y.size(); ++r) row_y[r] = row_y[r - 1] + row_h[r - 1] + row_gap;
  for (std::size_t k = 0; k < key.size(); ++k) key[k].pos.y = row_y[static_cast<std::size_t>(row_of[k])];
  *height = key.empty() ? 0.0f : row_y.back() + row_h.back() + ImGui::GetStyle().ItemSpacing.y;
  return key;
}

void SchedulePlotView::draw_key(const std::vector<KeyEntry>& key, FrameRecord* record) {
  if (key.empty()) return;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float font = ImGui::GetFontSize(), line_h = ImGui::GetTextLineHeight();
  const float swatch = std::round(font * 1.6f), gap = std::round(font * 0.4f);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 grey = ImGui::GetColorU32(ImGuiCol_TextDisabled), text = ImGui::GetColorU32(ImGuiCol_Text);
  ImVec2 end = origin;
  hovered_uid_ = -1;
  for (const KeyEntry& e : key) {
    const ImVec2 p(origin.x + e.pos.x, origin.y + e.pos.y);
    ImGui::SetCursorScreenPos(p);
    ImGui::PushID(e.uid);
    if (ImGui::InvisibleButton(e.metric ? "##metric_key" : "##key", e.size)) requests_.push_back({e.uid, !e.hidden});
    ImGui::PopID();
    const bool hovered = ImGui::IsItemHovered();
    if (hovered) {
      hovered_uid_ = e.uid;
      help_tooltip(tr(Tr::SchedKeyHelp));
      dl->AddRectFilled(ImVec2(p.x - 2.0f, p.y), ImVec2(p.x + e.size.x + 2.0f, p.y + e.size.y), IM_COL32(232, 238, 250, 255), 3.0f);
    }
    // The swatch as the curve is drawn: solid, or dotted for plateau's metric; grey while hidden.
    const ImU32 col = e.hidden ? grey : IM_COL32((e.rgb >> 16) & 0xff, (e.rgb >> 8) & 0xff, e.rgb & 0xff, 255);
    const float cy = std::round(p.y + line_h * 0.5f);
    if (e.metric)
      for (float x = 0.0f; x < swatch; x += 6.0f) dl->AddLine(ImVec2(p.x + x, cy), ImVec2(p.x + std::min(x + 2.5f, swatch), cy), col, 2.0f);
    else
      dl->AddLine(ImVec2(p.x, cy), ImVec2(p.x + swatch, cy), col, w::PlotLineWeight());
    for (std::size_t k = 0; k < e.lines.size(); ++k)
      dl->AddText(ImVec2(p.x + swatch + gap, p.y + line_h * static_cast<float>(k)), e.hidden ? grey : text, e.lines[k].c_str());
    record_last_item(record, std::string(e.metric ? "metric key " : "key ") + std::to_string(e.uid), e.label);
    if (record) record->visible_text.push_back(e.label);
    end = ImVec2(std::max(end.x, p.x + e.size.x), std::max(end.y, p.y + e.size.y));
  }
  ImGui::SetCursorScreenPos(origin);
  ImGui::Dummy(ImVec2(end.x - origin.x, end.y - origin.y));
}

}  // namespace gs::app::schedules
