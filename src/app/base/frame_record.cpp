// FrameRecord to JSON. No ImGui.
#include "app/base/frame_record.h"

namespace gs::app {

nlohmann::json FrameRecord::to_json() const {
  nlohmann::json j;
  j["language"] = language;
  j["view"] = view;
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
                          {"selected", n.selected}, {"heatmap", n.heatmap}, {"problem", n.problem}});
  j["links"] = nlohmann::json::array();
  for (const LinkRecord& l : links) j["links"].push_back({{"from", l.from}, {"to", l.to}, {"label", l.label}});
  j["tables"] = nlohmann::json::array();
  for (const TableRecord& t : tables)
    j["tables"].push_back({{"name", t.name}, {"rows", t.rows}, {"highlighted_row", t.highlighted_row},
                           {"highlighted_text", t.highlighted_text}});
  j["inspector"] = inspector;
  j["visible_text"] = visible_text;
  return j;
}

}  // namespace gs::app
