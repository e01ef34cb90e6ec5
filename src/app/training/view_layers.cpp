// Weights and gradients as heatmaps (view_layers.h). The matrices come from inspect.cpp.
#include "app/training/view_layers.h"

#include "app/base/i18n.h"
#include "app/base/theme.h"
#include "app/widgets/heatmap.h"
#include "nn/spec_reader.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace gs::app::training {

void LayersView::draw(const Run& run, PageContext& ctx, ImVec2 size) {
  const nn::ModelSnapshot& s = run.snapshot();
  if (s.values.empty()) {
    ImGui::TextDisabled("%s", tr(Tr::TrainStateLoading));
    return;
  }
  parameter = std::clamp(parameter, 0, static_cast<int>(s.values.size()) - 1);
  ImGui::SetNextItemWidth(std::min(size.x, ImGui::GetFontSize() * 22.0f));
  if (ImGui::BeginCombo("##parameter", s.names[static_cast<std::size_t>(parameter)].c_str(), ImGuiComboFlags_HeightLarge)) {
    for (int i = 0; i < static_cast<int>(s.names.size()); ++i)
      if (ImGui::Selectable((s.names[static_cast<std::size_t>(i)] + "  " + s.values[static_cast<std::size_t>(i)].shape().to_string()).c_str(),
                            i == parameter))
        parameter = i;
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::TextDisabled("%s", trf(Tr::TrainAtStep, std::to_string(s.step)).c_str());
  const LayerMatrix values = layer_matrix(s, parameter, false), grads = layer_matrix(s, parameter, true);
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float half = std::floor((size.x - gap) * 0.5f);
  const float h = size.y - ImGui::GetCursorPosY() + ImGui::GetCursorStartPos().y;
  const std::uint64_t revision = s.version * 1024 + static_cast<std::uint64_t>(parameter);
  ImGui::BeginGroup();
  draw_matrix(values, "training/weights", revision, ctx, ImVec2(half, h), false);
  ImGui::EndGroup();
  ImGui::SameLine();
  ImGui::BeginGroup();
  draw_matrix(grads, "training/grads", revision, ctx, ImVec2(size.x - half - gap, h), true);
  ImGui::EndGroup();
  if (ctx.record)
    ctx.record->training["layer_heatmaps"] = {{"parameter", values.name}, {"shape", values.shape}, {"rows", values.rows}, {"cols", values.cols},
                                              {"max_abs", values.max_abs}, {"grad_max_abs", grads.max_abs},
                                              {"non_finite", values.non_finite}, {"grad_non_finite", grads.non_finite}};
}

void LayersView::draw_matrix(const LayerMatrix& m, const char* key, std::uint64_t revision, PageContext& ctx, ImVec2 size, bool gradient) {
  const std::string head = trf(gradient ? Tr::TrainGradHead : Tr::TrainWeightsHead, m.shape, nn::format_number(m.max_abs));
  ImGui::TextUnformatted(head.c_str());
  if (m.non_finite > 0) {
    ImGui::SameLine();
    ImGui::TextColored(theme::vec(theme::kProblem), "%s", trf(Tr::TrainNonFiniteCount, std::to_string(m.non_finite)).c_str());
  }
  if (ctx.record) ctx.record->visible_text.push_back(head);
  const ImVec2 a = ImGui::GetCursorScreenPos();
  const float side = std::max(ImGui::GetFontSize() * 4.0f, std::min(size.x, size.y - ImGui::GetTextLineHeightWithSpacing() * 1.5f));
  ImGui::Dummy(ImVec2(size.x, side));
  widgets::HeatmapOptions o;
  o.max_cells = 48;
  o.square = true;
  // A matrix larger than the cells the widget draws is coloured by the GPU at full resolution.
  if (ctx.images && (m.rows > o.max_cells || m.cols > o.max_cells)) {
    const std::vector<float> f(m.values.begin(), m.values.end());
    o.texture = ctx.images->value_map(key, revision, f.data(), m.rows, m.cols, static_cast<float>(m.max_abs));
  }
  const widgets::HeatmapHit hit =
      widgets::DrawHeatmapEx(ImGui::GetWindowDrawList(), a, ImVec2(a.x + size.x, a.y + side), m.values.data(), m.rows, m.cols, theme::kBorder, o);
  std::string name = m.name;
  if (gradient) name += " (grad)";
  if (hit.hovered)
    ImGui::SetTooltip("%s", trf(Tr::TrainElementTip, name, m.shape,
                                std::string("[").append(std::to_string(hit.row)).append(", ").append(std::to_string(hit.col)).append("]"), nn::format_number(hit.value))
                                .c_str());
}

}  // namespace gs::app::training
