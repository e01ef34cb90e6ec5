// The replayed step's comparison above the Graph page's canvas (view_replay.h). ImGui.
#include "app/graph/view_replay.h"

#include "app/base/i18n.h"
#include "app/base/theme.h"

#include <imgui.h>

#include <cstdio>
#include <initializer_list>

namespace gs::app {

bool parse_replay_comparison(const std::string& text, ReplayComparison* out) {
  try {
    const nlohmann::json j = nlohmann::json::parse(text);
    ReplayComparison c;
    c.step = j.at("step").get<long long>();
    c.samples = j.at("samples").get<long long>();
    c.loss_trainer = j.at("loss_trainer").get<double>();
    c.loss_graph = j.at("loss_graph").get<double>();
    for (const nlohmann::json& p : j.at("params")) c.params.emplace_back(p.at("name").get<std::string>(), p.at("max_rel_diff").get<double>());
    *out = std::move(c);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

bool ReplayPanel::set(const std::string& text, int generation) {
  if (!parse_replay_comparison(text, &c_)) return false;
  generation_ = generation;
  open_ = true;
  return true;
}

void ReplayPanel::draw(int generation, FrameRecord* record) {
  if (!shown(generation)) return;
  std::string title = trf(Tr::ReplayPanelTitle, std::to_string(c_.step), std::to_string(c_.samples));
  // Every parameter, wrapped as the width allows: "W1 1.0e-07 · b1 1.1e-07 · …".
  std::string diffs = std::string(tr(Tr::ReplayPanelDiff)) + ":";
  for (std::size_t i = 0; i < c_.params.size(); ++i) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s %s %.1e", i == 0 ? "" : " ·", c_.params[i].first.c_str(), c_.params[i].second);
    diffs += buf;
  }
  char trainer[32], graph[32];
  std::snprintf(trainer, sizeof trainer, "%.6g", c_.loss_trainer);
  std::snprintf(graph, sizeof graph, "%.6g", c_.loss_graph);
  std::string loss = trf(Tr::ReplayPanelLoss, trainer, graph);

  const ImGuiStyle& st = ImGui::GetStyle();
  const float wrap = ImGui::GetContentRegionAvail().x - st.WindowPadding.x * 2 - ImGui::GetFrameHeight() - st.ItemSpacing.x;
  float h = st.WindowPadding.y * 2 + st.ItemSpacing.y * 2;
  for (const std::string* s : std::initializer_list<const std::string*>{&title, &diffs, &loss}) h += ImGui::CalcTextSize(s->c_str(), nullptr, false, wrap).y;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, IM_COL32(236, 244, 252, 255));
  ImGui::BeginChild("replay_comparison", ImVec2(0, h), true, ImGuiWindowFlags_NoScrollbar);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
  ImGui::TextUnformatted(title.c_str());
  ImGui::TextUnformatted(diffs.c_str());
  ImGui::TextUnformatted(loss.c_str());
  ImGui::PopTextWrapPos();
  // Closed with ×, top right.
  ImGui::SetCursorPos(ImVec2(ImGui::GetWindowContentRegionMax().x - ImGui::GetFrameHeight(), st.WindowPadding.y));
  if (ImGui::Button("×##close_replay", ImVec2(ImGui::GetFrameHeight(), ImGui::GetFrameHeight()))) open_ = false;
  ImGui::EndChild();
  ImGui::PopStyleColor();
  if (record)
    for (const std::string* s : std::initializer_list<const std::string*>{&title, &diffs, &loss}) record->visible_text.push_back(*s);
}

}  // namespace gs::app
