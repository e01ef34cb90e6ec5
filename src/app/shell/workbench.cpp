// Panel arrangement with splitters (ImGui 1.86 has no docking in Debian's build). No GL.
#include "app/shell/workbench.h"

#include "app/base/i18n.h"
#include "app/base/theme.h"

#include <algorithm>

namespace gs::app {

namespace {

// A bar between two panels, dragged to resize; `fraction` is of `total` along the bar's axis.
void splitter(const char* id, bool vertical, float thickness, float length, float total, float* fraction, float lo, float hi) {
  const ImVec2 size = vertical ? ImVec2(thickness, length) : ImVec2(length, thickness);
  ImGui::InvisibleButton(id, size);
  const bool active = ImGui::IsItemActive();
  if (ImGui::IsItemHovered() || active) ImGui::SetMouseCursor(vertical ? ImGuiMouseCursor_ResizeEW : ImGuiMouseCursor_ResizeNS);
  if (active) {
    const float d = vertical ? ImGui::GetIO().MouseDelta.x : ImGui::GetIO().MouseDelta.y;
    // A vertical bar left of the side panel: dragging right makes the side narrower.
    *fraction = std::clamp(*fraction + (vertical ? -d : d) / total, lo, hi);
  }
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ImGui::GetWindowDrawList()->AddRectFilled(a, b, active ? IM_COL32(120, 150, 220, 255) : IM_COL32(215, 218, 226, 255));
}

}  // namespace

bool layout_from_name(std::string_view name, Layout* out) {
  for (Layout l : {Layout::Lab, Layout::Graph, Layout::Traces, Layout::Inspector})
    if (name == layout_name(l)) {
      *out = l;
      return true;
    }
  return false;
}

const char* layout_name(Layout l) {
  switch (l) {
    case Layout::Lab: return "lab";
    case Layout::Graph: return "graph";
    case Layout::Traces: return "traces";
    case Layout::Inspector: return "inspector";
  }
  return "lab";
}

void Workbench::draw(ViewContext& ctx, Layout layout) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_MenuBar | ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::Begin("gradscope", nullptr, flags);
  ImGui::PopStyleVar(2);
  if (ctx.record) {
    ctx.record->language = language_code(language());
    ctx.record->view = layout_name(layout);
  }

  menu_.draw(ctx, graph_);
  menu_.handle_keys(ctx);
  toolbar_.handle_keys(ctx);
  if (layout == Layout::Lab || layout == Layout::Graph) toolbar_.draw(ctx);

  const StatusMessage& status = ctx.session.status();
  const float status_h = ImGui::GetFrameHeightWithSpacing();
  ImVec2 avail = ImGui::GetContentRegionAvail();
  avail.y -= status_h;
  const float bar = std::max(5.0f, ImGui::GetFontSize() * 0.3f);

  if (layout == Layout::Lab) {
    const float side_w = std::floor(avail.x * side_fraction_);
    const float graph_w = avail.x - side_w - bar;
    ImGui::BeginChild("graph_panel", ImVec2(graph_w, avail.y), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    graph_.draw(ctx, ImGui::GetContentRegionAvail());
    ImGui::EndChild();
    ImGui::SameLine(0, 0);
    splitter("split_side", true, bar, avail.y, avail.x, &side_fraction_, 0.2f, 0.7f);
    ImGui::SameLine(0, 0);
    ImGui::BeginGroup();
    const float trace_h = std::floor((avail.y - bar) * trace_fraction_);
    ImGui::BeginChild("trace_panel", ImVec2(side_w, trace_h), true);
    traces_.draw(ctx);
    ImGui::EndChild();
    splitter("split_trace", false, bar, side_w, avail.y, &trace_fraction_, 0.15f, 0.85f);
    ImGui::BeginChild("inspector_panel", ImVec2(side_w, avail.y - trace_h - bar), true);
    inspector_.draw(ctx);
    ImGui::EndChild();
    ImGui::EndGroup();
  } else {
    ImGui::BeginChild("single_panel", avail, layout != Layout::Graph, layout == Layout::Graph ? ImGuiWindowFlags_NoScrollbar : 0);
    if (layout == Layout::Graph) graph_.draw(ctx, ImGui::GetContentRegionAvail());
    else if (layout == Layout::Traces) traces_.draw(ctx);
    else inspector_.draw(ctx);
    ImGui::EndChild();
  }
  ctx.requests.canvas_min[0] = graph_.region_min().x;
  ctx.requests.canvas_min[1] = graph_.region_min().y;
  ctx.requests.canvas_max[0] = graph_.region_max().x;
  ctx.requests.canvas_max[1] = graph_.region_max().y;

  // Status line: the last message (errors in red).
  if (!status.text.empty()) {
    ImGui::TextColored(theme::vec(status.error ? theme::kProblem : theme::kTextDim), "%s", status.text.c_str());
    if (ctx.record) ctx.record->status = status.text;
  } else {
    ImGui::TextDisabled("%s", tr(Tr::KeysHelp));
  }
  ImGui::End();
}

}  // namespace gs::app
