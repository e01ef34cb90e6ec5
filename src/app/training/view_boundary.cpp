// The plane of a 2-D dataset (view_boundary.h). The boundary is src/nn's model evaluated by
// inspect.cpp; this file draws it and edits the setup's points.
//
// [SECTION] evaluation
// [SECTION] the plane
// [SECTION] the user's points
// [SECTION] neurons
#include "app/training/view_boundary.h"

#include "app/base/i18n.h"
#include "app/base/theme.h"
#include "app/schedules/view_schedule_params.h"
#include "app/widgets/heatmap.h"
#include "app/widgets/text_wrap.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace gs::app::training {

namespace {

constexpr std::uint32_t kClassColours[] = {0x0877bd, 0xf59322, 0x3a9e3a, 0x8e5ec2, 0xd64541, 0x8c564b, 0xe377c2, 0x7f7f7f};
constexpr int kClassColourCount = static_cast<int>(sizeof kClassColours / sizeof kClassColours[0]);

ImU32 u32(std::uint32_t rgb, int alpha = 255) { return IM_COL32((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff, alpha); }

// The CPU's picture of the boundary: each cell the classes' colours mixed by probability, pale
// where unsure (the shader does the same per pixel, with smooth edges and boundary lines).
ImU32 cell_colour(const Boundary& b, std::size_t cell) {
  float r = 0, g = 0, bl = 0, top = 0;
  for (int k = 0; k < b.classes; ++k) {
    const float p = b.probabilities[cell * static_cast<std::size_t>(b.classes) + static_cast<std::size_t>(k)];
    const std::uint32_t c = class_colour(k);
    r += p * static_cast<float>((c >> 16) & 0xff);
    g += p * static_cast<float>((c >> 8) & 0xff);
    bl += p * static_cast<float>(c & 0xff);
    top = std::max(top, p);
  }
  // Confidence from 1/K (no idea) to 1 (sure) sets how much colour the cell shows.
  const float chance = 1.0f / static_cast<float>(std::max(b.classes, 1));
  const float sure = std::clamp((top - chance) / std::max(1.0f - chance, 1e-6f), 0.0f, 1.0f);
  const float a = 0.25f + 0.5f * sure;
  auto mix = [&](float c) { return static_cast<int>(255.0f + (c - 255.0f) * a); };
  return IM_COL32(mix(r), mix(g), mix(bl), 255);
}

}  // namespace

std::uint32_t class_colour(int k) { return kClassColours[((k % kClassColourCount) + kClassColourCount) % kClassColourCount]; }

// [SECTION] evaluation

void BoundaryView::refresh(const Run& run, double now, bool force) {
  const nn::DataSplit* data = run.data();
  if (!data || run.snapshot().version == 0) return;
  if (data->train.x.rank() != 2 || data->train.x.dim(1) != 2) return;
  if (has_ && boundary_.version == run.snapshot().version && model_run_ == run.uid()) return;
  // A few times a second while training (each snapshot is at most ~10 a second anyway).
  if (!force && has_ && model_run_ == run.uid() && run.state() == RunState::Running && now - evaluated_at_ < 0.2) return;
  try {
    if (!model_ || model_run_ != run.uid()) {
      model_ = std::make_unique<nn::SnapshotModel>(run.config().model);
      model_run_ = run.uid();
    }
    boundary_ = evaluate_boundary(*model_, run.snapshot(), *data, kBoundaryGrid, neurons);
    has_ = true;
    problem_.clear();
  } catch (const std::exception& e) {
    problem_ = e.what();
  }
  evaluated_at_ = now;
}

// [SECTION] the plane

void BoundaryView::draw(TrainingSession& session, ConfigDraft& draft, PageContext& ctx, ImVec2 size) {
  Run* run = session.active_run();
  const bool editing_points = draft.json()["data"].value("name", "") == "points";
  const bool two_d = run && run->data() && run->data()->train.x.rank() == 2 && run->data()->train.x.dim(1) == 2;
  if (two_d) refresh(*run, ctx.now, ctx.record != nullptr);
  else has_ = false;

  // The header: accuracy and wrong points, the neurons switch.
  if (ImGui::Checkbox(tr(Tr::TrainNeurons), &neurons)) evaluated_at_ = -1e9, has_ = false;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(Tr::TrainNeuronsHelp));
  if (has_ && run) {
    ImGui::SameLine();
    const nn::DataSplit& d = *run->data();
    char line[160];
    std::snprintf(line, sizeof line, "%.1f", 100.0 * (1.0 - static_cast<double>(boundary_.train_wrong) / std::max<Index>(d.train.size(), 1)));
    std::string text = trf(Tr::TrainBoundaryAcc, line, std::to_string(boundary_.train_wrong));
    if (d.test.size() > 0) {
      std::snprintf(line, sizeof line, "%.1f", 100.0 * (1.0 - static_cast<double>(boundary_.test_wrong) / static_cast<double>(d.test.size())));
      text += "  ·  " + trf(Tr::TrainBoundaryTestAcc, line, std::to_string(boundary_.test_wrong));
    }
    text += "  ·  " + trf(Tr::TrainAtStep, std::to_string(boundary_.step));
    widgets::TextWrappedAtSpaces(text);
    if (ctx.record) ctx.record->visible_text.push_back(text);
  }
  if (!problem_.empty()) schedules::error_text(problem_, ctx.record);
  if (ctx.images && !ctx.images->problem().empty()) schedules::error_text(trf(Tr::TrainShaderProblem, ctx.images->problem()), ctx.record);

  const ImVec2 top = ImGui::GetCursorScreenPos();
  const float neurons_h = neurons && has_ && !boundary_.neurons.empty() ? std::min(size.y * 0.3f, ImGui::GetFontSize() * 7.0f) : 0.0f;
  const float avail_h = size.y - (top.y - (ImGui::GetCursorScreenPos().y - 0)) - neurons_h;
  const float side = std::max(ImGui::GetFontSize() * 6.0f, std::min(size.x, ImGui::GetContentRegionAvail().y - neurons_h));
  (void)avail_h;
  const ImVec2 origin(top.x + std::max(0.0f, (size.x - side) * 0.5f), top.y);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImGui::InvisibleButton("plane", ImVec2(side, side), ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  const ImVec2 end(origin.x + side, origin.y + side);
  dl->AddRectFilled(origin, end, IM_COL32(255, 255, 255, 255));

  Plane plane;
  if (has_) plane = boundary_.plane;
  else if (run && run->data() && two_d) plane = plane_of(*run->data());
  else if (editing_points) plane = Plane{-1, 1, -1, 1};

  // The boundary: the GPU's colour map, or cells drawn here.
  if (has_) {
    ImTextureID tex = nullptr;
    std::uint32_t colours[8];
    for (int k = 0; k < 8; ++k) colours[k] = class_colour(k);
    if (ctx.images && boundary_.classes <= 8)
      tex = ctx.images->class_map("training/boundary", boundary_.version + static_cast<std::uint64_t>(model_run_) * 1000003u,
                                  boundary_.probabilities.data(), boundary_.rows, boundary_.cols, boundary_.classes, colours, 4);
    if (tex) {
      dl->AddImage(tex, origin, end);
    } else {
      const float cell = side / static_cast<float>(boundary_.cols);
      for (int r = 0; r < boundary_.rows; ++r)
        for (int c = 0; c < boundary_.cols; ++c) {
          const ImVec2 a(origin.x + c * cell, origin.y + r * cell);
          dl->AddRectFilled(a, ImVec2(a.x + cell + 0.5f, a.y + cell + 0.5f),
                            cell_colour(boundary_, static_cast<std::size_t>(r) * boundary_.cols + static_cast<std::size_t>(c)));
        }
    }
  }
  const auto screen = [&](double x, double y) {
    return ImVec2(origin.x + static_cast<float>((x - plane.x0) / (plane.x1 - plane.x0)) * side,
                  origin.y + static_cast<float>((plane.y1 - y) / (plane.y1 - plane.y0)) * side);
  };
  // The points: training ones filled, test ones as rings; misclassified ones with a dark ring.
  const float radius = std::max(2.5f, side / 160.0f);
  if (run && two_d) {
    const nn::DataSplit& d = *run->data();
    for (int set = 0; set < 2; ++set) {
      const nn::Dataset& ds = set == 0 ? d.train : d.test;
      const std::vector<std::int32_t>& predicted = set == 0 ? boundary_.train_predicted : boundary_.test_predicted;
      for (Index n = 0; n < ds.size(); ++n) {
        const ImVec2 p = screen(ds.x[n * 2], ds.x[n * 2 + 1]);
        const int y = ds.y[static_cast<std::size_t>(n)];
        const bool wrong = has_ && static_cast<std::size_t>(n) < predicted.size() && predicted[static_cast<std::size_t>(n)] != y;
        if (set == 0) {
          dl->AddCircleFilled(p, radius, u32(class_colour(y)));
          dl->AddCircle(p, radius, IM_COL32(255, 255, 255, 255), 0, 1.0f);
        } else {
          dl->AddCircleFilled(p, radius, IM_COL32(255, 255, 255, 255));
          dl->AddCircle(p, radius, u32(class_colour(y)), 0, 2.0f);
        }
        if (wrong) dl->AddCircle(p, radius + 2.5f, IM_COL32(20, 20, 20, 255), 0, 2.0f);
      }
    }
  }
  if (editing_points) edit_points(draft, origin, side, plane);
  dl->AddRect(origin, end, theme::kBorder);
  // The extent at two corners, so that the axes' scale is known: on a light panel inside the
  // plane (grey on the colour map was unreadable over blue).
  auto corner_label = [&](double x, double y, bool bottom_left) {
    char corner[64];
    std::snprintf(corner, sizeof corner, "(%.3g, %.3g)", x, y);
    const ImVec2 t = ImGui::CalcTextSize(corner);
    const ImVec2 p0 = bottom_left ? ImVec2(origin.x + 1, end.y - t.y - 3) : ImVec2(end.x - t.x - 7, origin.y + 1);
    dl->AddRectFilled(p0, ImVec2(p0.x + t.x + 6, p0.y + t.y + 2), IM_COL32(255, 255, 255, 200), 2.0f);
    dl->AddText(ImVec2(p0.x + 3, p0.y + 1), theme::kText, corner);
  };
  corner_label(plane.x0, plane.y0, true);
  corner_label(plane.x1, plane.y1, false);
  // Hover: the point of the plane and what the model says there.
  if (has_ && ImGui::IsItemHovered()) {
    const ImVec2 m = ImGui::GetMousePos();
    const int c = std::clamp(static_cast<int>((m.x - origin.x) / side * boundary_.cols), 0, boundary_.cols - 1);
    const int r = std::clamp(static_cast<int>((m.y - origin.y) / side * boundary_.rows), 0, boundary_.rows - 1);
    const std::size_t cell = static_cast<std::size_t>(r) * boundary_.cols + static_cast<std::size_t>(c);
    std::string tip;
    char buf[64];
    std::snprintf(buf, sizeof buf, "(%.3g, %.3g)", plane.x0 + (m.x - origin.x) / side * (plane.x1 - plane.x0),
                  plane.y1 - (m.y - origin.y) / side * (plane.y1 - plane.y0));
    tip = buf;
    for (int k = 0; k < boundary_.classes; ++k) {
      std::snprintf(buf, sizeof buf, "\n%s %d: %.3f", tr(Tr::TrainClass), k, boundary_.probabilities[cell * static_cast<std::size_t>(boundary_.classes) + static_cast<std::size_t>(k)]);
      tip += buf;
    }
    ImGui::SetTooltip("%s", tip.c_str());
  }
  if (!has_ && !editing_points) {
    const std::string why = !run              ? tr(Tr::TrainNoRun)
                            : !run->data()    ? run->loading_text()
                            : two_d           ? tr(Tr::TrainStateLoading)
                                              : tr(Tr::TrainNot2d);
    const ImVec2 ts = ImGui::CalcTextSize(why.c_str());
    dl->AddText(ImVec2(origin.x + std::max(0.0f, side - ts.x) * 0.5f, origin.y + (side - ts.y) * 0.5f), theme::kTextDim, why.c_str());
    if (ctx.record) ctx.record->visible_text.push_back(why);
  }
  if (neurons_h > 0) draw_neurons(ctx, ImVec2(size.x, neurons_h));
}

// [SECTION] the user's points

void BoundaryView::edit_points(ConfigDraft& draft, ImVec2 origin, float side, const Plane& plane) {
  if (!ImGui::IsItemHovered()) return;
  const ImVec2 m = ImGui::GetMousePos();
  const double x = plane.x0 + (m.x - origin.x) / side * (plane.x1 - plane.x0);
  const double y = plane.y1 - (m.y - origin.y) / side * (plane.y1 - plane.y0);
  nlohmann::json points = draft.json()["data"].value("points", nlohmann::json::array());
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const auto screen = [&](double px, double py) {
    return ImVec2(origin.x + static_cast<float>((px - plane.x0) / (plane.x1 - plane.x0)) * side,
                  origin.y + static_cast<float>((plane.y1 - py) / (plane.y1 - plane.y0)) * side);
  };
  // The points as they are in the setup (a run made from them shows them too).
  for (const nlohmann::json& p : points)
    if (p.is_array() && p.size() == 3) dl->AddCircle(screen(p[0].get<double>(), p[1].get<double>()), 4.0f, u32(class_colour(p[2].get<int>())), 0, 2.0f);
  const ImGuiIO& io = ImGui::GetIO();
  if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
    const int k = io.KeyShift ? 1 : io.KeyCtrl ? 2 : 0;
    points.push_back({x, y, k});
    draft.set("data", "points", points);
  } else if (ImGui::IsMouseClicked(ImGuiMouseButton_Right) && !points.empty()) {
    // The nearest point within a few pixels.
    int best = -1;
    float best_d = 12.0f * 12.0f;
    for (int i = 0; i < static_cast<int>(points.size()); ++i) {
      const nlohmann::json& p = points[static_cast<std::size_t>(i)];
      if (!p.is_array() || p.size() != 3) continue;
      const ImVec2 s = screen(p[0].get<double>(), p[1].get<double>());
      const float d = (s.x - m.x) * (s.x - m.x) + (s.y - m.y) * (s.y - m.y);
      if (d < best_d) best_d = d, best = i;
    }
    if (best >= 0) {
      points.erase(points.begin() + best);
      draft.set("data", "points", points);
    }
  }
}

// [SECTION] neurons

void BoundaryView::draw_neurons(PageContext& ctx, ImVec2 size) {
  ImGui::BeginChild("neurons", size, false, ImGuiWindowFlags_HorizontalScrollbar);
  const float tile = std::max(ImGui::GetFontSize() * 2.5f, size.y - ImGui::GetTextLineHeightWithSpacing() * 2.2f);
  int last_layer = -1;
  for (std::size_t i = 0; i < boundary_.neurons.size(); ++i) {
    const NeuronMap& n = boundary_.neurons[i];
    if (n.layer != last_layer) {
      if (last_layer >= 0) ImGui::NewLine();
      ImGui::TextDisabled("%s", trf(Tr::TrainNeuronLayer, std::to_string(n.layer + 1)).c_str());
      last_layer = n.layer;
    } else {
      ImGui::SameLine();
    }
    ImGui::PushID(static_cast<int>(i));
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(tile, tile));
    const std::string key = "training/neuron/" + std::to_string(i);
    ImTextureID tex = ctx.images ? ctx.images->value_map(key.c_str(), boundary_.version, n.values.data(), boundary_.rows, boundary_.cols, n.max_abs) : nullptr;
    std::vector<double> values(n.values.begin(), n.values.end());
    widgets::HeatmapOptions o;
    o.texture = tex;
    o.max_cells = 24;
    widgets::DrawHeatmapEx(ImGui::GetWindowDrawList(), p, ImVec2(p.x + tile, p.y + tile), values.data(), boundary_.rows, boundary_.cols,
                           theme::kBorder, o);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s", trf(Tr::TrainNeuronTip, std::to_string(n.layer + 1), std::to_string(n.unit + 1)).c_str());
    ImGui::PopID();
  }
  ImGui::EndChild();
}

}  // namespace gs::app::training
