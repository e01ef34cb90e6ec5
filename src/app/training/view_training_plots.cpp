// The Training page's plots (view_training_plots.h). Draws the runs' histories through the plot
// widget; the only computation is TensorBoard's smoothing of the loss.
#include "app/training/view_training_plots.h"

#include "app/base/i18n.h"
#include "app/base/theme.h"
#include "app/schedules/view_schedule_params.h"
#include "app/widgets/text_wrap.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>

namespace gs::app::training {

namespace {

namespace w = widgets;

ImU32 colour(const Run& r, int alpha = 255) {
  return IM_COL32((r.rgb >> 16) & 0xff, (r.rgb >> 8) & 0xff, r.rgb & 0xff, alpha);
}

// "label##uid/part": the legend shows the label, the widget tells runs with equal labels apart.
std::string item(const std::string& label, int uid, const char* part) { return label + "##" + std::to_string(uid) + part; }

// One series of a plot, collected so that it is given to the fit before it is drawn.
struct Curve {
  std::string label;
  const w::PlotBuffer* data = nullptr;
  ImU32 color = 0;
  float weight = -1.0f;
  w::PlotLineStyle style = w::PlotLineStyle::Solid;
  w::PlotItemFlags flags = w::PlotItemFlags::None;
  w::PlotMarker marker = w::PlotMarker::None;
  float marker_size = -1.0f;
  ImU32 marker_outline = 0;
  bool stairs = false;
  std::vector<double> xs{}, ys{};  // markers only (PlotScatter) at these points, when data is null
};

// The axes fit this frame's data (a live curve that grew since the last frame stays inside the
// plot), then the curves are drawn.
void fit(const std::vector<Curve>& curves) {
  for (const Curve& c : curves)
    if (c.data && !has(c.flags, w::PlotItemFlags::NoFit)) w::SetupFitData(c.label.c_str(), *c.data, c.stairs);
}
void draw_curves(const std::vector<Curve>& curves) {
  for (const Curve& c : curves) {
    w::SetNextLineStyle(c.color, c.weight, c.style);
    if (c.marker != w::PlotMarker::None) w::SetNextMarkerStyle(c.marker, c.marker_size, c.color, c.marker_outline);
    if (!c.data) w::PlotScatter(c.label.c_str(), c.xs.data(), c.ys.data(), static_cast<int>(c.ys.size()), c.flags);
    else if (c.stairs) w::PlotStairs(c.label.c_str(), *c.data, c.flags);
    else w::PlotLine(c.label.c_str(), *c.data, c.flags);
  }
}
void fit_and_draw(const std::vector<Curve>& curves) {
  fit(curves);
  draw_curves(curves);
}

// A white rim around each accuracy marker: nested markers of coinciding runs stay apart.
constexpr ImU32 kMarkerRim = IM_COL32(255, 255, 255, 255);

// The widget's size of a marker whose outermost point is 1 px from its centre: a square's corner
// and a diamond's or a triangle's tip reach further than a circle of the same size.
float marker_scale(w::PlotMarker m) {
  switch (m) {
    case w::PlotMarker::Square: return 0.75f;  // corners at 1.06
    case w::PlotMarker::Diamond:
    case w::PlotMarker::Up: return 0.8f;  // tips at 1.04
    default: return 1.0f;
  }
}

std::vector<const Run*> shown_runs(const TrainingSession& s) {
  std::vector<const Run*> runs;
  for (int i = 0; i < s.size(); ++i)
    if (!s.run(i).hidden) runs.push_back(&s.run(i));
  return runs;
}

}  // namespace

float run_line_weight(const TrainingSession& s, const Run& run) {
  // Runs compared from one seed coincide (the same loss until their schedules part; StepLR's lr
  // under MultiStepLR's): drawn in list order, widest first, each later run thinner, so that
  // where curves coincide every one still shows as a coloured edge around the next.
  const std::vector<const Run*> runs = shown_runs(s);
  if (runs.size() <= 1) return 2.2f;
  static constexpr float kNested[] = {6.0f, 4.0f, 2.4f, 1.2f};
  const auto at = std::find(runs.begin(), runs.end(), &run) - runs.begin();
  return kNested[std::min<std::ptrdiff_t>(at, 3)];
}

w::PlotMarker run_marker(const TrainingSession& s, const Run& run) {
  static constexpr w::PlotMarker kShapes[] = {w::PlotMarker::Circle, w::PlotMarker::Square, w::PlotMarker::Diamond, w::PlotMarker::Up};
  const std::vector<const Run*> runs = shown_runs(s);
  const auto at = std::find(runs.begin(), runs.end(), &run) - runs.begin();
  return runs.size() <= 1 ? w::PlotMarker::Circle : kShapes[std::min<std::ptrdiff_t>(at, 3)];
}

const char* marker_symbol(w::PlotMarker m) {
  switch (m) {
    case w::PlotMarker::Square: return "\u25a0";
    case w::PlotMarker::Diamond: return "\u25c6";
    case w::PlotMarker::Up: return "\u25b2";
    default: return "\u25cf";
  }
}

AccuracyMarks accuracy_marks(int runs, float epoch_px, float font_px) {
  AccuracyMarks m;
  if (runs <= 0 || !(epoch_px > 0.0f)) return m;
  const float smallest = std::max(3.5f, 0.25f * font_px);
  const float ring = std::max(2.5f, 0.15f * font_px);  // beyond the next one's rim, a visible edge
  if (runs == 1) m.radii = {smallest + 0.5f * ring};
  else
    for (int k = 0; k < runs; ++k) m.radii.push_back(smallest + static_cast<float>(runs - 1 - k) * ring);
  // Neighbours may touch (their rims keep them apart) but not overlap by more than a tenth.
  const float pitch = 1.8f * (m.radii.front() + w::kMarkerOutlinePx);
  m.every = static_cast<int>(std::ceil(pitch / epoch_px - 1e-4f));
  if (m.every > kMaxMarkEvery) m = {};  // too dense: the lines alone
  m.every = std::max(m.every, 1);
  return m;
}

std::vector<int> marked_epochs(int count, int every) {
  std::vector<int> at;
  if (count <= 0 || every <= 0) return at;  // no epoch yet: (−1) % every would index −1
  for (int k = (count - 1) % every; k < count; k += every) at.push_back(k);
  return at;
}

const char* TrainingPlotsView::x_label() const { return x_in_epochs ? tr(Tr::TrainEpochAxis) : tr(Tr::TrainStepAxis); }

bool TrainingPlotsView::cursor(double* x) const { return w::GetLinkedCursor(kTrainingLink, x); }

void TrainingPlotsView::draw(const TrainingSession& session, ImVec2 size, FrameRecord* record) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  // Controls: x unit, smoothing.
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr(Tr::TrainXAxis));
  ImGui::SameLine();
  int unit = x_in_epochs ? 1 : 0;
  ImGui::RadioButton(tr(Tr::TrainSteps), &unit, 0);
  ImGui::SameLine();
  ImGui::RadioButton(tr(Tr::TrainEpochs), &unit, 1);
  x_in_epochs = unit == 1;
  ImGui::SameLine();
  ImGui::TextUnformatted(tr(Tr::TrainSmoothing));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(std::min(ImGui::GetFontSize() * 8.0f, ImGui::GetContentRegionAvail().x));
  {
    const schedules::ReadableSliderGrab light;  // its digits are drawn over the grab
    ImGui::SliderFloat("##smoothing", &smoothing, 0.0f, 0.999f, "%.3f");
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(Tr::TrainSmoothingHelp));
  record_last_item(record, "smoothing", std::to_string(smoothing).substr(0, 5));
  if (record) record->visible_text.push_back(std::string(tr(Tr::TrainSmoothing)) + " " + std::to_string(smoothing).substr(0, 5));

  // Curves of runs that no longer exist are dropped; the others are brought up to date.
  for (auto it = curves_.begin(); it != curves_.end();)
    it = session.index_of(it->first) < 0 ? curves_.erase(it) : std::next(it);
  behind_ = false;
  for (int i = 0; i < session.size(); ++i) {
    const Run& run = session.run(i);
    RunCurves& c = curves_[run.uid()];
    c.update(run.history(), run.batches_per_epoch(), x_in_epochs, smoothing, ingest_per_frame);
    behind_ |= c.behind(run.history());
  }

  draw_key(session, size.x, record);
  // The gradient plot's note of norms exactly 0, under it: its height is taken from the plots'.
  grad_note_ = grad_note(session);
  grad_note_lines_.clear();
  if (!grad_note_.empty())
    grad_note_lines_ = w::WrapAtSpaces(grad_note_, size.x, w::ImGuiTextWidth);
  const float note_h = static_cast<float>(grad_note_lines_.size()) * ImGui::GetTextLineHeightWithSpacing();

  const float gap = ImGui::GetStyle().ItemSpacing.y;
  // Loss on top, wider; accuracy and learning rate side by side; gradient norms below.
  const float half = std::floor((size.x - ImGui::GetStyle().ItemSpacing.x) * 0.5f);
  const bool side_by_side = half >= ImGui::GetFontSize() * 12.0f;
  // Every plot keeps a readable height (about eight lines of text: ticks, labels, some curve).
  // Where the column is shorter (the sentinel's banner above it at 1024 × 768 left the small
  // plots 15 px of curve) the plots keep that height and the column scrolls (too_short()).
  const float min_plot = std::max(130.0f, ImGui::GetFontSize() * 8.0f);
  const float have = size.y - (ImGui::GetCursorScreenPos().y - origin.y);
  const float need = side_by_side ? 3 * min_plot + 2 * gap : 4 * min_plot + 3 * gap;
  // Where the column holds the loss and one row of plots at a readable height but not two (three
  // runs compared at 1024 × 768: the run list and the key above take half the height), the row
  // under the loss is chosen by tabs, accuracy and learning rate or the gradient norm: each a
  // click away, none below the fold (the column used to scroll, the gradient norm out of sight).
  const float tab_h = ImGui::GetFrameHeightWithSpacing();
  tabbed_ = side_by_side && have < need && have >= 2 * min_plot + gap + tab_h;
  const float avail_h = std::max(have, tabbed_ ? have : need);
  too_short_ = avail_h > have;
  // The note's lines come out of the gradient plot's height, down to a plot of five and a half
  // lines (at 1024 × 768 every plot is at its minimum already: the note there scrolled away).
  const auto grad_h = [&](float h) { return std::max(h - note_h, std::min(h, ImGui::GetFontSize() * 5.5f)); };
  if (tabbed_) {
    const float loss_h = std::max(std::floor((avail_h - tab_h - gap) * 0.5f), min_plot);
    const float row_h = avail_h - loss_h - tab_h - gap;
    draw_loss(session, ImVec2(size.x, loss_h));
    if (ImGui::BeginTabBar("lower_plots")) {
      for (int k = 0; k < 2; ++k) {
        const char* name = tr(k == 0 ? Tr::TrainPlotsTabCurves : Tr::TrainGradPlot);
        const bool open = ImGui::BeginTabItem((std::string(name) + (k == 0 ? "###curves_tab" : "###grad_tab")).c_str());
        record_last_item(record, k == 0 ? "curves_tab" : "grad_tab", name);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(Tr::TrainPlotsTabsHelp));
        if (open) {
          lower_tab_ = k;
          ImGui::EndTabItem();
        }
      }
      ImGui::EndTabBar();
    }
    if (lower_tab_ == 0) {
      draw_accuracy(session, ImVec2(half, row_h));
      ImGui::SameLine();
      draw_lr(session, ImVec2(size.x - half - ImGui::GetStyle().ItemSpacing.x, row_h));
    } else {
      draw_grad(session, ImVec2(size.x, grad_h(row_h)), record);
    }
    if (record) record->training["plot_tab"] = lower_tab_ == 0 ? "curves" : "grad";
  } else if (side_by_side) {
    const float loss_h = std::max(std::floor(avail_h * 0.36f), min_plot);
    const float row_h = std::max(std::floor((avail_h - loss_h - 2 * gap) * 0.5f), min_plot);
    draw_loss(session, ImVec2(size.x, loss_h));
    draw_accuracy(session, ImVec2(half, row_h));
    ImGui::SameLine();
    draw_lr(session, ImVec2(size.x - half - ImGui::GetStyle().ItemSpacing.x, row_h));
    draw_grad(session, ImVec2(size.x, grad_h(std::max(avail_h - loss_h - row_h - 2 * gap, min_plot))), record);
  } else {
    // Too narrow for two plots side by side (a projector's 1024 px): four rows, the loss taller.
    const float loss_h = std::max(std::floor(avail_h * 0.31f), min_plot);
    const float row_h = std::max(std::floor((avail_h - loss_h - 3 * gap) / 3.0f), min_plot);
    draw_loss(session, ImVec2(size.x, loss_h));
    draw_accuracy(session, ImVec2(size.x, row_h));
    draw_lr(session, ImVec2(size.x, row_h));
    draw_grad(session, ImVec2(size.x, grad_h(std::max(avail_h - loss_h - 2 * row_h - 3 * gap, min_plot))), record);
  }
}

// One key for every plot, on the controls' line and below it as needed: the runs by colour, then
// what the line styles mean when they fit (else they are the runs' tooltip). The plots' own legends
// covered the curves of plots this small.
void TrainingPlotsView::draw_key(const TrainingSession& s, float width, FrameRecord* record) {
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMin().x + width;
  const float gap = ImGui::GetStyle().ItemSpacing.x * 2;
  auto place = [&](float w) {
    if (ImGui::GetItemRectMax().x + gap + w <= right) ImGui::SameLine(0, gap);
  };
  bool any = false;
  const std::vector<const Run*> runs = shown_runs(s);
  // The runs' labels whole, on as many lines as they need ("StepLR(step_size=3..." beside two
  // others told a comparison's runs apart by colour only); a label wider than the whole column
  // goes on two lines or more, broken at spaces (it was cut with "...": "MultiStepLR(milestones=
  // [30, 60, 80], ga..." with the setup open at 1024 px).
  const float swatch = ImGui::GetFontSize() * 1.3f;
  const float each = std::max(ImGui::GetFontSize() * 6.0f, width - swatch);
  const auto measure = w::ImGuiTextWidth;
  for (const Run* r : runs) {
    std::string text;
    for (const std::string& line : w::WrapAtSpaces(r->label, each, measure)) {
      if (!text.empty()) text += '\n';
      text += line;
    }
    place(ImGui::CalcTextSize(text.c_str()).x + swatch);
    ImGui::BeginGroup();
    ImGui::PushStyleColor(ImGuiCol_Text, colour(*r));
    ImGui::TextUnformatted(marker_symbol(run_marker(s, *r)));  // the shape of its accuracy markers
    ImGui::PopStyleColor();
    ImGui::SameLine(0, ImGui::GetFontSize() * 0.3f);
    ImGui::TextUnformatted(text.c_str());
    ImGui::EndGroup();
    record_last_item(record, "key " + r->label, r->label);
    any = true;
    if (record) record->visible_text.push_back(r->label);
  }
  // A line of their own only where the window has height to spare (not at 1024 × 768).
  bool line_left = ImGui::GetIO().DisplaySize.y >= 850.0f;
  std::string folded;
  for (Tr t : {Tr::TrainLegendAccuracy, Tr::TrainLegendGrad}) {
    const float w = ImGui::CalcTextSize(tr(t)).x;
    const bool fits = ImGui::GetItemRectMax().x + gap + w <= right;
    if (fits || (line_left && w <= width)) {  // never cut at the panel's edge: else the tooltip
      if (fits) ImGui::SameLine(0, gap);
      else line_left = false;
      ImGui::TextDisabled("%s", tr(t));
      if (record) record->visible_text.push_back(tr(t));
    } else {
      folded += std::string(folded.empty() ? "" : "\n") + tr(t);
    }
  }
  if (any && !folded.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", folded.c_str());
}

void TrainingPlotsView::draw_loss(const TrainingSession& s, ImVec2 size) {
  const std::string title = std::string(tr(Tr::TrainLossPlot)) + "##loss";
  if (!w::BeginPlot(title.c_str(), size, w::PlotFlags::NoLegend)) return;  // the key above says it
  w::SetupAxis(w::PlotAxis::X, x_label());
  w::SetupAxis(w::PlotAxis::Y1, tr(Tr::TrainLossAxis));
  w::SetupLink(kTrainingLink, w::PlotLinkFlags::Cursor | w::PlotLinkFlags::X);
  w::SetupLegend(w::PlotLocation::NorthEast);
  std::vector<Curve> curves;
  for (const Run* r : shown_runs(s)) {
    const RunCurves& c = curves_.at(r->uid());
    // The raw loss faint and out of the legend and the readout; the smoothed one bold.
    curves.push_back({item(r->label + " (raw)", r->uid(), "raw"), &c.loss, colour(*r, 70), 1.0f});
    curves.back().flags = w::PlotItemFlags::NoLegend | w::PlotItemFlags::NoReadout;
    curves.push_back({item(r->label, r->uid(), "loss"), &c.smooth, colour(*r), run_line_weight(s, *r)});
  }
  fit_and_draw(curves);
  w::EndPlot();
}

void TrainingPlotsView::draw_accuracy(const TrainingSession& s, ImVec2 size) {
  const std::string title = std::string(tr(Tr::TrainAccuracyPlot)) + "##accuracy";
  if (!w::BeginPlot(title.c_str(), size, w::PlotFlags::NoLegend)) return;  // the key above says it
  w::SetupAxis(w::PlotAxis::X, x_label());
  w::SetupAxis(w::PlotAxis::Y1, tr(Tr::TrainAccuracyAxis));
  w::SetupAxisLimits(w::PlotAxis::Y1, 0.0, 1.0, w::PlotCond::Once);
  w::SetupLink(kTrainingLink, w::PlotLinkFlags::Cursor | w::PlotLinkFlags::X);
  w::SetupLegend(w::PlotLocation::SouthEast);
  const std::vector<const Run*> runs = shown_runs(s);
  std::vector<std::vector<Curve>> per_run;  // each run's train line, its markers, its test line
  for (const Run* r : runs) {
    const RunCurves& c = curves_.at(r->uid());
    std::vector<Curve>& curves = per_run.emplace_back();
    // Train wide with markers of the run's shape, test thin and dashed with small ones of the same
    // shape on top: where the two accuracies coincide both stay visible.
    const float weight = run_line_weight(s, *r);
    curves.push_back({item(r->label + " " + tr(Tr::TrainTrain), r->uid(), "train"), &c.train_accuracy, colour(*r), weight + 1.5f});
    if (c.any_test) {
      // A darker shade of the run's colour: the dashes show on the train line beneath.
      const ImU32 dark = IM_COL32(((r->rgb >> 16) & 0xff) * 5 / 10, ((r->rgb >> 8) & 0xff) * 5 / 10, (r->rgb & 0xff) * 5 / 10, 255);
      curves.push_back({item(r->label + " " + tr(Tr::TrainTest), r->uid(), "test"), &c.test_accuracy, dark, std::max(1.2f, weight - 0.8f),
                        w::PlotLineStyle::Dashed});
      curves.back().marker = run_marker(s, *r);
      curves.back().marker_size = 3.0f;
    }
    fit(curves);
  }
  w::SetupFinish();
  // The markers' sizes and how many epochs apart, from the gap between two epochs as drawn this
  // frame (zoomed in, every epoch has its marker again).
  ImVec2 area_min, area_max;
  w::GetPlotArea(&area_min, &area_max);
  double x_min = 0, x_max = 1;
  w::GetPlotLimits(w::PlotAxis::X, &x_min, &x_max);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const double epoch = x_in_epochs ? 1.0 : static_cast<double>(std::max<std::int64_t>(runs[i]->batches_per_epoch(), 1));
    const float epoch_px = static_cast<float>((area_max.x - area_min.x) * epoch / std::max(x_max - x_min, 1e-12));
    const AccuracyMarks m = accuracy_marks(static_cast<int>(runs.size()), epoch_px, ImGui::GetFontSize());
    const Curve& line = per_run[i].front();
    if (m.radii.empty()) continue;  // too dense: the line alone
    Curve c{item(runs[i]->label + " " + tr(Tr::TrainTrain), runs[i]->uid(), "marks"), nullptr, line.color};
    c.flags = w::PlotItemFlags::NoLegend | w::PlotItemFlags::NoReadout | w::PlotItemFlags::NoFit;
    c.marker = run_marker(s, *runs[i]);
    c.marker_size = m.radii[i] * marker_scale(c.marker);
    c.marker_outline = kMarkerRim;
    for (int k : marked_epochs(line.data->size(), m.every)) {
      c.xs.push_back(line.data->xs()[k]);
      c.ys.push_back(line.data->ys()[k]);
    }
    per_run[i].insert(per_run[i].begin() + 1, std::move(c));
  }
  for (const std::vector<Curve>& curves : per_run) draw_curves(curves);
  w::EndPlot();
}

void TrainingPlotsView::draw_lr(const TrainingSession& s, ImVec2 size) {
  const std::string title = std::string(tr(Tr::TrainLrPlot)) + "##lr";
  if (!w::BeginPlot(title.c_str(), size, w::PlotFlags::NoLegend)) return;  // the key above says it
  w::SetupAxis(w::PlotAxis::X, x_label());
  w::SetupAxis(w::PlotAxis::Y1, tr(Tr::SchedLrAxis));
  // A rate that has barely moved yet (a cosine schedule's first steps, 0.02 → 0.019998) is shown
  // as the flat line it is: the view spans at least a fifth of the rate, as a constant rate's
  // does (±10 %), instead of stretching a change in the fifth digit into a cliff.
  w::SetupAxisFitMinSpan(w::PlotAxis::Y1, kLrMinSpan);
  w::SetupLink(kTrainingLink, w::PlotLinkFlags::Cursor | w::PlotLinkFlags::X);
  w::SetupLegend(w::PlotLocation::NorthEast);
  std::vector<Curve> curves;
  for (const Run* r : shown_runs(s)) {
    curves.push_back({item(r->label, r->uid(), "lr"), &curves_.at(r->uid()).lr, colour(*r), run_line_weight(s, *r)});
    curves.back().stairs = true;
  }
  fit_and_draw(curves);
  w::EndPlot();
}

std::string zero_gradient_note(const std::vector<int>& layers, const std::vector<std::int64_t>& zero_steps) {
  std::vector<std::string> named;
  std::int64_t lo = 0, hi = 0;
  for (std::size_t k = 0; k < zero_steps.size(); ++k) {
    if (zero_steps[k] <= 0) continue;
    named.push_back(std::to_string(k < layers.size() ? layers[k] : static_cast<int>(k) + 1));
    lo = named.size() == 1 ? zero_steps[k] : std::min(lo, zero_steps[k]);
    hi = std::max(hi, zero_steps[k]);
  }
  if (named.empty()) return {};
  std::string which;
  if (named.size() == zero_steps.size() && named.size() > 1) {
    which = tr(Tr::TrainLayersEvery);
  } else if (named.size() == 1) {
    which = trf(Tr::TrainLayerNorm, named[0]);
  } else {
    std::string list = named[0];
    for (std::size_t i = 1; i < named.size(); ++i) list += (i + 1 == named.size() ? tr(Tr::TrainListLast) : tr(Tr::TrainListSep)) + named[i];
    which = trf(Tr::TrainLayersList, list);
  }
  const std::string steps = lo == hi ? std::to_string(hi) : std::to_string(lo) + "\u2013" + std::to_string(hi);
  return trf(Tr::TrainGradZeroNote, which, steps);
}

std::string TrainingPlotsView::grad_note(const TrainingSession& s) const {
  const Run* active = s.active_run();
  if (!active || active->hidden || !curves_.count(active->uid())) return {};
  std::vector<int> layer_numbers;
  const nn::ModelSnapshot& snap = active->snapshot();
  for (std::size_t p = 0; p < snap.layers.size(); ++p)
    if (p == 0 || snap.layers[p] != snap.layers[p - 1]) layer_numbers.push_back(snap.layers[p] + 1);
  return zero_gradient_note(layer_numbers, curves_.at(active->uid()).layer_zero_steps);
}

void TrainingPlotsView::draw_grad(const TrainingSession& s, ImVec2 size, FrameRecord* record) {
  const std::string title = std::string(tr(Tr::TrainGradPlot)) + "##grad";
  // Norms of exactly 0 (a log axis cannot draw them): the selected run's, in words under the plot
  // (grad_note_, wrapped in draw(), never cut); the widget's own per-series note ("layer 1
  // Linear(2,16): 99 ≤ 0 on a log axis not drawn") is left out of this plot.
  if (w::BeginPlot(title.c_str(), size, w::PlotFlags::NoLegend | w::PlotFlags::NoNonPositiveNote))  // the key above says it
    draw_grad_curves(s);
  if (grad_note_.empty()) return;
  std::string wrapped;
  for (const std::string& line : grad_note_lines_) wrapped += (wrapped.empty() ? "" : "\n") + line;
  ImGui::PushStyleColor(ImGuiCol_Text, theme::kProblem);
  ImGui::TextUnformatted(wrapped.c_str());
  ImGui::PopStyleColor();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(Tr::TrainGradZeroHelp));
  if (record) {
    record->visible_text.push_back(grad_note_);
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    record->training["grad_note"] = {{"text", grad_note_}, {"lines", grad_note_lines_.size()}, {"rect", {a.x, a.y, b.x, b.y}}};
  }
}

void TrainingPlotsView::draw_grad_curves(const TrainingSession& s) {
  w::SetupAxis(w::PlotAxis::X, x_label());
  w::SetupAxis(w::PlotAxis::Y1, tr(Tr::TrainGradAxis), w::PlotAxisFlags::Log);
  w::SetupLink(kTrainingLink, w::PlotLinkFlags::Cursor | w::PlotLinkFlags::X);
  w::SetupLegend(w::PlotLocation::NorthEast);
  // The selected run in full: its global norm bold, its per-layer norms thin and dashed under it.
  // The other runs' global norms faint and thin behind it (three runs' nested widths on a log
  // axis were a tangle): select a run in the list to bring its norms forward.
  const Run* active = s.active_run();
  const std::vector<const Run*> runs = shown_runs(s);
  std::vector<Curve> curves;
  for (const Run* r : runs) {
    if (r == active) continue;
    curves.push_back({item(r->label + " " + tr(Tr::TrainGlobalNorm), r->uid(), "grad"), &curves_.at(r->uid()).grad, colour(*r, 90), 1.2f});
  }
  for (const Run* r : runs) {
    if (r != active) continue;
    const RunCurves& c = curves_.at(r->uid());
    // The k-th norm is the k-th layer with parameters: named as the snapshot names its tensors
    // ("layer 3 Linear(16,16) weight" → "layer 3 Linear(16,16)").
    std::vector<std::string> names;
    const nn::ModelSnapshot& snap = r->snapshot();
    for (std::size_t p = 0; p < snap.names.size(); ++p)
      if (p == 0 || snap.layers[p] != snap.layers[p - 1]) names.push_back(snap.names[p].substr(0, snap.names[p].rfind(' ')));
    for (std::size_t k = 0; k < c.layers.size(); ++k) {
      const std::string name = k < names.size() ? names[k] : trf(Tr::TrainLayerNorm, std::to_string(k + 1));
      // Alone, the palette's colours tell the layers apart best; compared, shades of the run's
      // own colour, darkest first (the palette's colours are the other runs' colours).
      const double f = 0.35 + 0.45 * static_cast<double>(k) / static_cast<double>(std::max<std::size_t>(c.layers.size() - 1, 1));
      const auto shade = [&](int shift) { return static_cast<int>(((r->rgb >> shift) & 0xff) * f); };
      curves.push_back({item(name, r->uid(), ("layer" + std::to_string(k)).c_str()), &c.layers[k],
                        runs.size() == 1 ? 0 : IM_COL32(shade(16), shade(8), shade(0), 255), 1.2f, w::PlotLineStyle::Dashed});
    }
    curves.push_back({item(r->label + " " + tr(Tr::TrainGlobalNorm), r->uid(), "grad"), &c.grad, colour(*r), 2.2f});
  }
  fit_and_draw(curves);
  w::EndPlot();
}

}  // namespace gs::app::training
