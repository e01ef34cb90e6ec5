// FrameRecord to JSON. No ImGui. Numbers follow gradscope-cli's JSON conventions (engine's
// number_to_json): full precision, NaN and infinities as "nan", "inf", "-inf".
#include "app/base/frame_record.h"

#include "engine/graph_json.h"

#include <imgui.h>

#include <cstdio>

namespace gs::app {

namespace {

nlohmann::json numbers(const std::vector<double>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (double x : v) a.push_back(number_to_json(x));
  return a;
}

nlohmann::json range(const double r[2]) { return {number_to_json(r[0]), number_to_json(r[1])}; }
nlohmann::json rect(const float r[4]) { return {r[0], r[1], r[2], r[3]}; }

// DESIGN.md's `plots` entry: id, title, x_label, y_label, log_y, series [{name, kind, x, y}], and
// what else a test may check (second axis, limits, tick labels, notes, readout, rectangles).
nlohmann::json plot_json(const widgets::PlotRecord& p) {
  nlohmann::json j{{"id", p.id},           {"title", p.title},         {"x_label", p.x_label},
                   {"y_label", p.y_label}, {"y2_label", p.y2_label},   {"log_x", p.log_x},
                   {"log_y", p.log_y},     {"log_y2", p.log_y2},       {"x_range", range(p.x_range)},
                   {"y_range", range(p.y_range)}, {"y2_range", range(p.y2_range)}, {"x_ticks", p.x_ticks},
                   {"y_ticks", p.y_ticks}, {"y2_ticks", p.y2_ticks},   {"hidden", p.hidden},
                   {"notes", p.notes},     {"readout", p.readout},     {"cursor", p.cursor},
                   {"rect", rect(p.rect)}, {"area", rect(p.area)},     {"legend_rect", rect(p.legend_rect)},
                   {"notes_rect", rect(p.notes_rect)}};
  j["cursor_x"] = p.cursor ? number_to_json(p.cursor_x) : nlohmann::json(nullptr);
  j["series"] = nlohmann::json::array();
  for (const widgets::PlotSeriesRecord& s : p.series) {
    // The colour as drawn, "#rrggbbaa" (aa: its opacity, ff opaque).
    char colour[10];
    std::snprintf(colour, sizeof colour, "#%02x%02x%02x%02x", s.color & 0xff, (s.color >> 8) & 0xff, (s.color >> 16) & 0xff, (s.color >> 24) & 0xff);
    j["series"].push_back({{"name", s.name},       {"kind", s.kind},       {"x", numbers(s.x)},
                           {"y", numbers(s.y)},    {"y_axis", s.y_axis},   {"dashed", s.dashed}, {"weight", s.weight},
                           {"colour", colour},     {"marker", s.marker},   {"marker_size", s.marker_size},
                           {"nan", s.nan},         {"pos_inf", s.pos_inf}, {"neg_inf", s.neg_inf},
                           {"nonpositive", s.nonpositive}, {"auxiliary", s.auxiliary}});
  }
  j["shaded"] = nlohmann::json::array();
  for (const widgets::PlotShadedRecord& s : p.shaded)
    j["shaded"].push_back({{"name", s.name}, {"x", numbers(s.x)}, {"y_low", numbers(s.y_low)}, {"y_high", numbers(s.y_high)},
                           {"y_axis", s.y_axis}});
  j["vlines"] = nlohmann::json::array();
  for (const widgets::PlotVLinesRecord& v : p.vlines) j["vlines"].push_back({{"name", v.name}, {"x", numbers(v.x)}, {"texts", v.texts}});
  return j;
}

}  // namespace

nlohmann::json FrameRecord::to_json() const {
  nlohmann::json j;
  j["language"] = language;
  j["page"] = page;
  j["view"] = view;
  j["presenting"] = presenting;
  j["tabs"] = tabs;
  j["mode"] = mode;
  j["step"] = step;
  j["step_count"] = step_count;
  j["highlighted_node"] = highlighted_node;
  j["expression"] = expression;
  j["error"] = error;
  j["error_column"] = error_column;
  j["status"] = status;
  j["nodes"] = nlohmann::json::array();
  for (const NodeRecord& n : nodes)
    j["nodes"].push_back({{"label", n.label}, {"title", n.title}, {"texts", n.texts}, {"highlighted", n.highlighted},
                          {"selected", n.selected}, {"heatmap", n.heatmap}, {"output", n.output},
                          {"adjoint_node", n.adjoint_node}, {"problem", n.problem}, {"rect", rect(n.rect)}});
  j["links"] = nlohmann::json::array();
  // label_rect is null where no label is drawn.
  for (const LinkRecord& l : links) {
    nlohmann::json points = nlohmann::json::array();
    for (const auto& p : l.points) points.push_back({p[0], p[1]});
    j["links"].push_back({{"from", l.from}, {"to", l.to}, {"label", l.label},
                          {"label_rect", l.label_drawn ? rect(l.label_rect) : nlohmann::json(nullptr)},
                          {"dashed", l.dashed}, {"on_path", l.on_path}, {"points", points}});
  }
  j["canvas"] = {{"rect", rect(canvas_rect)}, {"zoom", canvas_zoom}, {"min_text_px", min_text_px}, {"small_text_reason", small_text_reason}};
  j["canvas"]["notes"] = canvas_notes;
  j["status_line_rect"] = rect(status_line_rect.data());
  j["canvas"]["note_rects"] = nlohmann::json::array();
  for (const auto& r : canvas_note_rects) j["canvas"]["note_rects"].push_back(rect(r.data()));
  j["canvas"]["hint"] = canvas_hint;
  j["canvas"]["hint_rects"] = nlohmann::json::array();
  for (const auto& r : canvas_hint_rects) j["canvas"]["hint_rects"].push_back(rect(r.data()));
  j["canvas"]["hint_px"] = canvas_hint_px;
  j["tables"] = nlohmann::json::array();
  for (const TableRecord& t : tables)
    j["tables"].push_back({{"name", t.name}, {"rows", t.rows}, {"highlighted_row", t.highlighted_row},
                           {"highlighted_text", t.highlighted_text}, {"rect", rect(t.rect)}, {"text_right", t.text_right},
                           {"lines_per_row", t.lines_per_row}, {"rows_in_view", t.rows_in_view},
                           {"current_row_whole", t.current_row_whole}});
  j["inspector"] = inspector;
  j["visible_text"] = visible_text;
  j["controls"] = nlohmann::json::array();
  for (const ControlRecord& c : controls) j["controls"].push_back({{"id", c.id}, {"text", c.text}, {"rect", rect(c.rect)}});
  j["banner"] = {{"where", banner.where}, {"row", banner.row}, {"rect", rect(banner.rect)}};
  j["plots"] = nlohmann::json::array();
  for (const widgets::PlotRecord& p : plots) j["plots"].push_back(plot_json(p));
  if (!training.is_null()) j["training"] = training;
  if (!quiz.is_null()) j["quiz"] = quiz;
  if (!lesson_file.is_null()) j["lesson_file"] = lesson_file;
  return j;
}

void record_last_item(FrameRecord* record, std::string id, std::string text) {
  if (!record) return;
  ControlRecord c;
  c.id = std::move(id);
  c.text = std::move(text);
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  c.rect[0] = a.x;
  c.rect[1] = a.y;
  c.rect[2] = b.x;
  c.rect[3] = b.y;
  record->controls.push_back(std::move(c));
}

}  // namespace gs::app
