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
    if (short_form && language() == Language::English) {
      // Never cut inside a word ("Pullov.", "Ankle ." were hard to read from the back of a room).
      if (const auto slash = name.find('/'); slash != std::string::npos) name.resize(slash);
      if (const auto space = name.rfind(' '); space != std::string::npos) {
        name.erase(0, space + 1);
        if (!name.empty() && name[0] >= 'a' && name[0] <= 'z') name[0] = static_cast<char>(name[0] - 'a' + 'A');
      }
    }
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
    if (run.data()) {
      ImGui::TextDisabled("%s", tr(Tr::TrainNotImages));
      if (ctx.record) ctx.record->visible_text.push_back(tr(Tr::TrainNotImages));
      return;
    }
    // Reading Fashion-MNIST takes a moment: say what is read and what will show here.
    const std::string title = data_title(run.config().data);
    for (const std::string& text : {run.loading_text(), trf(Tr::TrainLoadingImagesNote, title)}) {
      ImGui::PushStyleColor(ImGuiCol_Text, theme::kTextDim);
      widgets::TextWrappedAtSpaces(text);
      ImGui::PopStyleColor();
      if (ctx.record) ctx.record->visible_text.push_back(text);
    }
    return;
  }
  if (filters) {
    draw_filters(run, ctx, size);
    return;
  }
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float left = std::floor((size.x - gap) * 0.5f);
  ImGui::BeginChild("image_grid", ImVec2(left, size.y), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoBackground);
  draw_grid(run, ctx, ImVec2(left, size.y));
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("confusion", ImVec2(size.x - left - gap, size.y), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoBackground);
  draw_confusion(run, ctx, ImVec2(size.x - left - gap, size.y));
  ImGui::EndChild();
}

// [SECTION] the grid

void ImagesView::draw_grid(const Run& run, PageContext& ctx, ImVec2 size) {
  const nn::DataSplit& data = *run.data();
  const nn::Dataset& d = grid_.from_test ? data.test : data.train;
  const int all = static_cast<int>(grid_.samples.size());
  const int h = static_cast<int>(d.x.dim(2)), w = static_cast<int>(d.x.dim(3));
  // The labels under each tile: the predicted class (red when wrong; the tile then carries a red
  // "✗" in its corner: beside the name it made the widest label wider than a projector's column),
  // and under a wrong one a second line, the true class in green (green is the true class under a
  // right one too). A key under the head says so: "predicted / true" in those colours ("true:
  // Pullover" under each made three columns too wide for 1024 × 768). Every row keeps room for two
  // lines once any image is wrong, so that the rows stay even.
  std::vector<std::string> texts(static_cast<std::size_t>(all)), true_texts(static_cast<std::size_t>(all));
  float label_w = 0;
  bool any_wrong = false;
  for (int i = 0; i < all; ++i) {
    const std::size_t k = static_cast<std::size_t>(i);
    texts[k] = class_name(run.config(), grid_.predicted[k], true);
    label_w = std::max(label_w, ImGui::CalcTextSize(texts[k].c_str()).x);
    const int truth = d.y[static_cast<std::size_t>(grid_.samples[k])];
    if (truth == grid_.predicted[k]) continue;
    any_wrong = true;
    true_texts[k] = class_name(run.config(), truth, true);
    label_w = std::max(label_w, ImGui::CalcTextSize(true_texts[k].c_str()).x);
  }
  const float line_h = ImGui::GetTextLineHeight();
  const float label_h = line_h * (any_wrong ? 2.0f : 1.0f);
  const auto head_for = [&](int shown, int wrong) {
    return trf(grid_.from_test ? Tr::TrainGridTest : Tr::TrainGridTrain, std::to_string(shown), std::to_string(wrong), std::to_string(grid_.step));
  };
  const float head_h = ImGui::CalcTextSize(head_for(all, all).c_str(), nullptr, false, size.x).y + ImGui::GetStyle().ItemSpacing.y +
                       (any_wrong ? line_h + ImGui::GetStyle().ItemSpacing.y : 0.0f);
  const ImVec2 avail(size.x, size.y - ImGui::GetCursorPos().y - head_h);
  // Columns as wide as their tile or their label, whichever is wider (a label is never cut: "✗
  // Sand" at a projector's 1024 px), and tiles of a comfortable size before many of them: where
  // the 24 would be small (32 px at 1024 × 768) fewer rows are shown, larger (at least 12 images).
  // Only where not even three columns of labels fit are the labels cut at the tile (whole in the
  // tooltip).
  constexpr float kGap = 4.0f, kComfortable = 48.0f;
  int cols = 0, rows = 0;
  float tile = 0, best = -1;
  bool labels_fit = false;
  for (int pass = 0; pass < 2 && cols == 0; ++pass) {
    labels_fit = pass == 0;
    for (int c = 3; c <= 8; ++c)
      for (int r = (all + c - 1) / c; r >= 1 && (c * r >= std::min(all, 12)); --r) {
        const float t = std::min(avail.x / c - kGap, avail.y / r - label_h - kGap);
        if (labels_fit && c * (std::max(t, label_w) + kGap) > avail.x + 0.5f) continue;
        // Comfortable tiles first, then more images, then larger tiles.
        const float score = std::min(t, kComfortable) * 1000.0f + static_cast<float>(std::min(all, c * r)) + t * 1e-3f;
        if (score > best) best = score, tile = t, cols = c, rows = r;
      }
  }
  const int n = std::min(all, cols * rows);
  int wrong = 0;
  for (int i = 0; i < n; ++i)
    wrong += grid_.predicted[static_cast<std::size_t>(i)] != d.y[static_cast<std::size_t>(grid_.samples[static_cast<std::size_t>(i)])];
  const std::string head = head_for(n, wrong);
  widgets::TextWrappedAtSpaces(head);
  if (ctx.record) ctx.record->visible_text.push_back(head);
  if (any_wrong) {
    // The key of the two label lines, in their colours.
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(theme::kProblem), "%s", tr(Tr::TrainImageKeyPredicted));
    ImGui::SameLine(0, 0);
    ImGui::TextDisabled(" / ");
    ImGui::SameLine(0, 0);
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(theme::kOk), "%s", tr(Tr::TrainImageKeyTrue));
    if (ctx.record) ctx.record->visible_text.push_back(std::string(tr(Tr::TrainImageKeyPredicted)) + " / " + tr(Tr::TrainImageKeyTrue));
  }
  tile = std::max(std::floor(tile), 16.0f);
  const float column = labels_fit ? std::max(tile, label_w) : tile;
  // One texture for the whole grid: the images side by side (uploaded once per evaluation).
  rows = (n + cols - 1) / cols;
  ImTextureID tex = nullptr;
  if (ctx.images) {
    if (atlas_version_ != grid_.version || atlas_cols_ != cols || atlas_.size() != static_cast<std::size_t>(rows * h * cols * w)) {
      atlas_.assign(static_cast<std::size_t>(rows * h * cols * w), 0.0f);
      for (int i = 0; i < n; ++i) {
        const std::vector<float> img = d.x.row(grid_.samples[static_cast<std::size_t>(i)]);
        const int r0 = (i / cols) * h, c0 = (i % cols) * w;
        for (int y = 0; y < h; ++y)
          for (int x = 0; x < w; ++x) atlas_[static_cast<std::size_t>((r0 + y) * cols * w + c0 + x)] = img[static_cast<std::size_t>(y * w + x)];
      }
      atlas_version_ = grid_.version;
      atlas_cols_ = cols;
    }
    float lo = INFINITY, hi = -INFINITY;
    for (float v : atlas_) lo = std::min(lo, v), hi = std::max(hi, v);
    tex = ctx.images->grey_map("training/images", grid_.version * 1024 + static_cast<std::uint64_t>(cols * 32 + rows), atlas_.data(), rows * h, cols * w, lo, hi);
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  nlohmann::json record_images = nlohmann::json::array();
  for (int i = 0; i < n; ++i) {
    const int sample = grid_.samples[static_cast<std::size_t>(i)];
    const int truth = d.y[static_cast<std::size_t>(sample)], pred = grid_.predicted[static_cast<std::size_t>(i)];
    // The tile in the middle of its column, its label centred under it.
    const float cx = o.x + (i % cols) * (column + kGap) + std::floor((column - tile) * 0.5f);
    const ImVec2 a(cx, o.y + (i / cols) * (tile + label_h + kGap));
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
    const std::string& text = texts[static_cast<std::size_t>(i)];
    const std::string& true_text = true_texts[static_cast<std::size_t>(i)];
    for (int line = 0; line < (right ? 1 : 2); ++line) {
      const std::string& t = line == 0 ? text : true_text;
      const float text_x = labels_fit ? std::floor(a.x + (tile - ImGui::CalcTextSize(t.c_str()).x) * 0.5f) : a.x;
      const float y = b.y + 1.0f + line * line_h;
      ImGui::PushClipRect(ImVec2(labels_fit ? text_x : a.x, y), ImVec2(labels_fit ? text_x + label_w + 2.0f : b.x + 2.0f, y + line_h + 1.0f), true);
      dl->AddText(ImVec2(text_x, y), line == 0 && !right ? theme::kProblem : theme::kOk, t.c_str());
      ImGui::PopClipRect();
    }
    if (!right) {
      const char* mark = "\u2717";
      const ImVec2 m = ImGui::CalcTextSize(mark);
      const ImVec2 m0(b.x - m.x - 4.0f, a.y);
      dl->AddRectFilled(m0, ImVec2(b.x, a.y + m.y), theme::kProblem);
      dl->AddText(ImVec2(m0.x + 2.0f, a.y), IM_COL32(255, 255, 255, 255), mark);
    }
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
    // "text": the label as read, the corner's mark first ("✗ Sandal"); "true_text": the second
    // line under a wrong one, the true class ("Pullover").
    nlohmann::json shown = {{"sample", sample}, {"predicted", pred}, {"label", truth}, {"text", (right ? "" : "\u2717 ") + text}};
    if (!right) shown["true_text"] = true_text;
    record_images.push_back(std::move(shown));
  }
  ImGui::SetCursorScreenPos(ImVec2(o.x, o.y + rows * (tile + label_h + kGap)));
  ImGui::Dummy(ImVec2(1, 1));
  if (ctx.record) {
    ctx.record->training["images"] = {{"step", grid_.step}, {"from_test", grid_.from_test}, {"wrong", wrong}, {"shown", record_images},
                                      {"tile", tile}, {"texture", tex != nullptr}, {"columns", cols},
                                      {"label_width", label_w}, {"column_width", column}, {"labels_cut", !labels_fit},
                                      {"label_lines", any_wrong ? 2 : 1},
                                      {"grid_width", cols * (column + kGap) - kGap}, {"width", size.x}};
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
