// The image model's inside (view_images.h): grid, confusion matrix, per-class accuracy, filters and
// activation maps. Values come from inspect.cpp; pictures from the page's ImageService or, without
// one, the heatmap widget's cells.
//
// [SECTION] class names and refreshing
// [SECTION] the grid
// [SECTION] confusion matrix and per-class accuracy
// [SECTION] filters and activation maps
#include "app/training/view_images.h"

#include "app/base/i18n.h"
#include "app/base/theme.h"
#include "app/widgets/heatmap.h"
#include "app/widgets/text_wrap.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace gs::app::training {

// [SECTION] class names and refreshing

std::string class_name(const nn::TrainConfig& config, int k, bool short_form) {
  static constexpr Tr kFashion[] = {Tr::FashionTshirt, Tr::FashionTrouser, Tr::FashionPullover, Tr::FashionDress, Tr::FashionCoat,
                                    Tr::FashionSandal, Tr::FashionShirt,   Tr::FashionSneaker,  Tr::FashionBag,   Tr::FashionBoot};
  if (config.data.kind == nn::DataKind::FashionMnist && k >= 0 && k < 10) {
    std::string name = tr(kFashion[k]);
    if (short_form && language() == Language::English && name.size() > 7) name = name.substr(0, 6) + ".";
    return name;
  }
  return std::to_string(k);
}

void ImagesView::refresh(const Run& run, bool force) {
  const nn::DataSplit* data = run.data();
  const nn::ModelSnapshot& s = run.snapshot();
  if (!data || s.version == 0 || data->train.x.rank() != 4) return;
  if (!model_ || model_run_ != run.uid()) {
    model_ = std::make_unique<nn::SnapshotModel>(run.config().model);
    model_run_ = run.uid();
    has_grid_ = false;
    grid_epoch_ = -1;
    grid_predictions_ = -2;
    conv_version_ = 0;
  }
  // The grid after each epoch (and whenever the run is not moving: paused, one batch at a time,
  // stopped, a picture): a frame never evaluates it while the curve runs within an epoch.
  const bool still = run.state() != RunState::Running;
  if (force || !has_grid_ || s.epoch != grid_epoch_ || s.predictions_step != grid_predictions_ || (still && grid_.version != s.version)) {
    grid_ = evaluate_images(*model_, s, *data, 24);
    has_grid_ = true;
    grid_epoch_ = s.epoch;
    grid_predictions_ = s.predictions_step;
    conv_version_ = 0;
  }
  if (!confusion_ || confusion_->step != s.predictions_step || model_run_ != run.uid()) confusion_ = confusion_of(s, data->test);
  if (conv_version_ != grid_.version && !grid_.samples.empty()) {
    chosen_ = std::clamp(chosen_, 0, static_cast<int>(grid_.samples.size()) - 1);
    conv_ = conv_view(*model_, s, *data, grid_.samples[static_cast<std::size_t>(chosen_)]);
    conv_version_ = grid_.version;
  }
}

void ImagesView::draw(const Run& run, PageContext& ctx, ImVec2 size, bool filters) {
  refresh(run, ctx.record != nullptr && !has_grid_);
  if (!has_grid_) {
    ImGui::TextDisabled("%s", run.data() ? tr(Tr::TrainNotImages) : tr(Tr::TrainStateLoading));
    return;
  }
  if (filters) {
    draw_filters(run, ctx, size);
    return;
  }
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float left = std::floor((size.x - gap) * 0.5f);
  ImGui::BeginChild("image_grid", ImVec2(left, size.y), false, ImGuiWindowFlags_NoScrollbar);
  draw_grid(run, ctx, ImVec2(left, size.y));
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("confusion", ImVec2(size.x - left - gap, size.y), false, ImGuiWindowFlags_NoScrollbar);
  draw_confusion(run, ctx, ImVec2(size.x - left - gap, size.y));
  ImGui::EndChild();
}

// [SECTION] the grid

void ImagesView::draw_grid(const Run& run, PageContext& ctx, ImVec2 size) {
  const nn::DataSplit& data = *run.data();
  const nn::Dataset& d = grid_.from_test ? data.test : data.train;
  int wrong = 0;
  for (std::size_t i = 0; i < grid_.samples.size(); ++i) wrong += grid_.predicted[i] != d.y[static_cast<std::size_t>(grid_.samples[i])];
  const std::string head = trf(grid_.from_test ? Tr::TrainGridTest : Tr::TrainGridTrain, std::to_string(grid_.samples.size()),
                               std::to_string(wrong), std::to_string(grid_.step));
  widgets::TextWrappedAtSpaces(head);
  if (ctx.record) ctx.record->visible_text.push_back(head);
  const int n = static_cast<int>(grid_.samples.size());
  const int h = static_cast<int>(d.x.dim(2)), w = static_cast<int>(d.x.dim(3));
  const float label_h = ImGui::GetTextLineHeight();
  const ImVec2 avail(size.x, size.y - ImGui::GetCursorPos().y);
  // As many columns as make the tiles largest.
  int cols = 6;
  float tile = 0;
  for (int c = 3; c <= 8; ++c) {
    const int r = (n + c - 1) / c;
    const float t = std::min(avail.x / c - 4.0f, avail.y / r - label_h - 4.0f);
    if (t > tile) tile = t, cols = c;
  }
  tile = std::max(tile, 16.0f);
  // One texture for the whole grid: the images side by side (uploaded once per evaluation).
  const int rows = (n + cols - 1) / cols;
  ImTextureID tex = nullptr;
  if (ctx.images) {
    if (atlas_version_ != grid_.version || atlas_.size() != static_cast<std::size_t>(rows * h * cols * w)) {
      atlas_.assign(static_cast<std::size_t>(rows * h * cols * w), 0.0f);
      for (int i = 0; i < n; ++i) {
        const std::vector<float> img = d.x.row(grid_.samples[static_cast<std::size_t>(i)]);
        const int r0 = (i / cols) * h, c0 = (i % cols) * w;
        for (int y = 0; y < h; ++y)
          for (int x = 0; x < w; ++x) atlas_[static_cast<std::size_t>((r0 + y) * cols * w + c0 + x)] = img[static_cast<std::size_t>(y * w + x)];
      }
      atlas_version_ = grid_.version;
    }
    float lo = INFINITY, hi = -INFINITY;
    for (float v : atlas_) lo = std::min(lo, v), hi = std::max(hi, v);
    tex = ctx.images->grey_map("training/images", grid_.version * 16 + static_cast<std::uint64_t>(cols), atlas_.data(), rows * h, cols * w, lo, hi);
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  nlohmann::json record_images = nlohmann::json::array();
  for (int i = 0; i < n; ++i) {
    const int sample = grid_.samples[static_cast<std::size_t>(i)];
    const int truth = d.y[static_cast<std::size_t>(sample)], pred = grid_.predicted[static_cast<std::size_t>(i)];
    const ImVec2 a(o.x + (i % cols) * (tile + 4.0f), o.y + (i / cols) * (tile + label_h + 4.0f));
    const ImVec2 b(a.x + tile, a.y + tile);
    if (tex) {
      const float u0 = static_cast<float>(i % cols) / cols, v0 = static_cast<float>(i / cols) / rows;
      dl->AddImage(tex, a, b, ImVec2(u0, v0), ImVec2(u0 + 1.0f / cols, v0 + 1.0f / rows));
    } else {
      const std::vector<float> values = d.x.row(sample);
      std::vector<double> img(values.begin(), values.end());
      widgets::HeatmapOptions opt;
      opt.scale = widgets::HeatmapScale::Grey;
      widgets::DrawHeatmapEx(dl, a, b, img.data(), h, w, 0, opt);
    }
    const bool right = pred == truth;
    dl->AddRect(a, b, right ? theme::kOk : theme::kProblem, 0, 0, i == chosen_ ? 3.0f : (right ? 1.0f : 2.0f));
    const std::string text = right ? class_name(run.config(), pred, true) : "✗ " + class_name(run.config(), pred, true);
    ImGui::PushClipRect(ImVec2(a.x, b.y), ImVec2(b.x + 2.0f, b.y + label_h + 2.0f), true);
    dl->AddText(ImVec2(a.x, b.y + 1.0f), right ? theme::kOk : theme::kProblem, text.c_str());
    ImGui::PopClipRect();
    // Hover: the whole story; click: its activation maps on the Filters tab.
    ImGui::SetCursorScreenPos(a);
    ImGui::PushID(i);
    ImGui::InvisibleButton("img", ImVec2(tile, tile));
    if (ImGui::IsItemClicked()) {
      chosen_ = i;
      conv_version_ = 0;
    }
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s", trf(Tr::TrainImageTip, std::to_string(sample), class_name(run.config(), pred), class_name(run.config(), truth),
                                  std::to_string(static_cast<int>(std::lround(100 * grid_.confidence[static_cast<std::size_t>(i)])))).c_str());
    ImGui::PopID();
    record_images.push_back({{"sample", sample}, {"predicted", pred}, {"label", truth}, {"text", text}});
  }
  ImGui::SetCursorScreenPos(ImVec2(o.x, o.y + rows * (tile + label_h + 4.0f)));
  ImGui::Dummy(ImVec2(1, 1));
  if (ctx.record) {
    ctx.record->training["images"] = {{"step", grid_.step}, {"from_test", grid_.from_test}, {"wrong", wrong}, {"shown", record_images},
                                      {"tile", tile}, {"texture", tex != nullptr}};
  }
}

// [SECTION] confusion matrix and per-class accuracy

void ImagesView::draw_confusion(const Run& run, PageContext& ctx, ImVec2 size) {
  if (!confusion_) {
    widgets::TextWrappedAtSpaces(tr(Tr::TrainNoConfusion));
    if (ctx.record) ctx.record->visible_text.push_back(tr(Tr::TrainNoConfusion));
    return;
  }
  const Confusion& c = *confusion_;
  char acc[32];
  std::snprintf(acc, sizeof acc, "%.2f%%", 100 * c.accuracy);
  const std::string head = trf(Tr::TrainConfusionHead, std::to_string(c.total), std::to_string(c.step), acc);
  widgets::TextWrappedAtSpaces(head);
  if (ctx.record) ctx.record->visible_text.push_back(head);
  // Rows: the true class; columns: the predicted one. Names at the left, indices on top.
  float name_w = 0;
  for (int k = 0; k < c.classes; ++k) name_w = std::max(name_w, ImGui::CalcTextSize(class_name(run.config(), k, true).c_str()).x);
  name_w += 6.0f;
  const float line = ImGui::GetTextLineHeight();
  const float bars_h = c.classes * line * 1.05f + line * 1.5f;
  const float side = std::max(line * 6, std::min(size.x - name_w, size.y - ImGui::GetCursorPosY() - line * 2.4f - bars_h));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  dl->AddText(ImVec2(o.x + name_w, o.y), theme::kTextDim, tr(Tr::TrainPredicted));
  const float cell = side / c.classes;
  for (int k = 0; k < c.classes; ++k) {
    const std::string idx = std::to_string(k);
    dl->AddText(ImVec2(o.x + name_w + (k + 0.5f) * cell - ImGui::CalcTextSize(idx.c_str()).x * 0.5f, o.y + line), theme::kTextDim, idx.c_str());
    const std::string name = class_name(run.config(), k, true);
    dl->AddText(ImVec2(o.x, o.y + line * 2.2f + (k + 0.5f) * cell - line * 0.5f), theme::kText, name.c_str());
  }
  std::vector<double> counts(c.counts.begin(), c.counts.end());
  widgets::HeatmapOptions opt;
  opt.scale = widgets::HeatmapScale::Sequential;
  opt.cell_format = "%.0f";
  const ImVec2 a(o.x + name_w, o.y + line * 2.2f);
  const widgets::HeatmapHit hit = widgets::DrawHeatmapEx(dl, a, ImVec2(a.x + side, a.y + side), counts.data(), c.classes, c.classes, theme::kBorder, opt);
  ImGui::SetCursorScreenPos(ImVec2(o.x, a.y + side + 4.0f));
  if (hit.hovered)
    ImGui::SetTooltip("%s", trf(Tr::TrainConfusionTip, class_name(run.config(), static_cast<int>(hit.row)),
                                class_name(run.config(), static_cast<int>(hit.col)), std::to_string(static_cast<long long>(hit.value)))
                                .c_str());
  // Per-class accuracy as bars, worst ones stand out.
  ImGui::TextUnformatted(tr(Tr::TrainPerClass));
  const ImVec2 bo = ImGui::GetCursorScreenPos();
  const float bar_w = std::max(line * 4, size.x - name_w - line * 3.5f);
  nlohmann::json per_class = nlohmann::json::array();
  for (int k = 0; k < c.classes; ++k) {
    const double v = c.per_class_accuracy[static_cast<std::size_t>(k)];
    const float y = bo.y + k * line * 1.05f;
    dl->AddText(ImVec2(bo.x, y), theme::kText, class_name(run.config(), k, true).c_str());
    const ImVec2 p0(bo.x + name_w, y + 2.0f);
    dl->AddRectFilled(p0, ImVec2(p0.x + bar_w, y + line - 2.0f), IM_COL32(235, 236, 240, 255));
    if (std::isfinite(v)) {
      dl->AddRectFilled(p0, ImVec2(p0.x + bar_w * static_cast<float>(v), y + line - 2.0f), v < c.accuracy - 0.1 ? theme::kProblem : theme::kValue);
      char pct[16];
      std::snprintf(pct, sizeof pct, "%.0f%%", 100 * v);
      dl->AddText(ImVec2(p0.x + bar_w + 4.0f, y), theme::kText, pct);
    }
    per_class.push_back(std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr));
  }
  ImGui::Dummy(ImVec2(1, c.classes * line * 1.05f));
  if (ctx.record) {
    ctx.record->training["confusion"] = {{"classes", c.classes}, {"step", c.step},  {"total", c.total},
                                         {"accuracy", c.accuracy}, {"counts", c.counts}, {"per_class_accuracy", per_class},
                                         {"rect", {a.x, a.y, a.x + side, a.y + side}}};
  }
}

// [SECTION] filters and activation maps

void ImagesView::draw_filters(const Run& run, PageContext& ctx, ImVec2 size) {
  if (conv_.layer < 0) {
    widgets::TextWrappedAtSpaces(tr(Tr::TrainNoConv));
    return;
  }
  const float line = ImGui::GetTextLineHeight();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const std::string head = trf(Tr::TrainFiltersHead, std::to_string(conv_.layer + 1), conv_.name);
  ImGui::TextUnformatted(head.c_str());
  if (ctx.record) ctx.record->visible_text.push_back(head);
  // The filters, each channel of each one a small diverging heatmap on one common scale.
  const int per = conv_.channels * conv_.kernel * conv_.kernel;
  double max_abs = 0;
  for (double v : conv_.weights)
    if (std::isfinite(v)) max_abs = std::max(max_abs, std::fabs(v));
  const float tile = std::clamp((size.x - 8.0f * conv_.filters) / std::max(conv_.filters, 1), line * 2.0f, line * 5.0f);
  ImVec2 o = ImGui::GetCursorScreenPos();
  for (int f = 0; f < conv_.filters; ++f) {
    const std::vector<double> w(conv_.weights.begin() + f * per, conv_.weights.begin() + f * per + conv_.kernel * conv_.kernel);  // channel 0
    // One scale for every filter: the cell colours compare across them.
    widgets::HeatmapOptions opt;
    opt.range = max_abs;
    const ImVec2 a(o.x + f * (tile + 8.0f), o.y);
    const widgets::HeatmapHit hit = widgets::DrawHeatmapEx(dl, a, ImVec2(a.x + tile, a.y + tile), w.data(), conv_.kernel, conv_.kernel, theme::kBorder, opt);
    if (hit.hovered) ImGui::SetTooltip("%s", trf(Tr::TrainFilterTip, std::to_string(f + 1), std::to_string(hit.row), std::to_string(hit.col), std::to_string(hit.value)).c_str());
  }
  ImGui::Dummy(ImVec2(size.x, tile + 4.0f));
  // The chosen image and what the layer makes of it.
  const nn::DataSplit& data = *run.data();
  const nn::Dataset& d = data.test.size() > 0 ? data.test : data.train;
  const std::string maps_head = trf(Tr::TrainMapsHead, std::to_string(conv_.sample), class_name(run.config(), d.y[static_cast<std::size_t>(conv_.sample)]),
                                    std::to_string(conv_.map_layer + 1));
  widgets::TextWrappedAtSpaces(maps_head);
  if (ctx.record) ctx.record->visible_text.push_back(maps_head);
  const float map_tile = std::clamp((size.x - 8.0f * (conv_.filters + 1)) / (conv_.filters + 1), line * 3.0f, size.y - ImGui::GetCursorPosY() - line);
  o = ImGui::GetCursorScreenPos();
  {
    const int h = static_cast<int>(d.x.dim(2)), w = static_cast<int>(d.x.dim(3));
    const std::vector<float> values = d.x.row(conv_.sample);
    std::vector<double> img(values.begin(), values.end());
    widgets::HeatmapOptions opt;
    opt.scale = widgets::HeatmapScale::Grey;
    widgets::DrawHeatmapEx(dl, o, ImVec2(o.x + map_tile, o.y + map_tile), img.data(), h, w, theme::kBorder, opt);
  }
  const int hw = conv_.map_h * conv_.map_w;
  for (int f = 0; f < conv_.filters && hw > 0; ++f) {
    const ImVec2 a(o.x + (f + 1) * (map_tile + 8.0f), o.y);
    std::vector<double> m(conv_.maps.begin() + f * hw, conv_.maps.begin() + (f + 1) * hw);
    widgets::HeatmapOptions opt;
    opt.max_cells = 28;
    const std::vector<float> mf(m.begin(), m.end());
    double ma = 0;
    for (double v : m)
      if (std::isfinite(v)) ma = std::max(ma, std::fabs(v));
    const std::string key = "training/map/" + std::to_string(f);
    if (ctx.images) opt.texture = ctx.images->value_map(key.c_str(), conv_version_ * 64 + static_cast<std::uint64_t>(chosen_), mf.data(), conv_.map_h, conv_.map_w, static_cast<float>(ma));
    widgets::DrawHeatmapEx(dl, a, ImVec2(a.x + map_tile, a.y + map_tile), m.data(), conv_.map_h, conv_.map_w, theme::kBorder, opt);
  }
  ImGui::Dummy(ImVec2(size.x, map_tile + 4.0f));
  if (ctx.record)
    ctx.record->training["filters"] = {{"layer", conv_.layer + 1}, {"filters", conv_.filters}, {"kernel", conv_.kernel},
                                       {"sample", conv_.sample}, {"maps", conv_.maps.empty() ? 0 : conv_.filters},
                                       {"map_size", {conv_.map_h, conv_.map_w}}};
}

}  // namespace gs::app::training
