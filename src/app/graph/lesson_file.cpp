// Lesson files: reading (every value checked, the place named), writing, finding them. The graph
// inside is read by the engine's graph reader (graph_json.h). No ImGui, no GL.
#include "app/graph/lesson_file.h"

#include "engine/text_file.h"
#include "nn/assets.h"
#include "nn/errors.h"
#include "nn/schedule_spec.h"

#include <algorithm>

namespace gs::app {

using nlohmann::json;

namespace {

constexpr const char* kControlNames[] = {"expression", "play", "timeline", "tangent", "inspector"};
static_assert(std::size(kControlNames) == static_cast<std::size_t>(LessonControl::kCount));

[[noreturn]] void lesson_fail(const std::string& where, const std::string& what) {
  throw FileError(where.empty() ? what : where + ": " + what);
}

const json* lesson_member(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

// Unknown keys are refused: a misspelt "notes" would otherwise silently lose every note.
void lesson_known_keys(const json& obj, std::initializer_list<const char*> known, const std::string& where) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (std::any_of(known.begin(), known.end(), [&](const char* k) { return it.key() == k; })) continue;
    std::string list;
    for (const char* k : known) list += std::string(list.empty() ? "" : ", ") + k;
    lesson_fail(where, "unknown key \"" + it.key() + "\" (a lesson has " + list + ")");
  }
}

std::string lesson_string(const json& j, const std::string& where) {
  if (!j.is_string()) lesson_fail(where, "expected a string, found " + describe_json(j));
  return j.get<std::string>();
}

LocalText local_text(const json& j, const std::string& where) {
  LocalText t;
  if (j.is_string()) {
    t.en = t.zh = j.get<std::string>();
  } else if (j.is_object()) {
    lesson_known_keys(j, {"en", "zh"}, where);
    if (const json* en = lesson_member(j, "en")) t.en = lesson_string(*en, where + ".en");
    if (const json* zh = lesson_member(j, "zh")) t.zh = lesson_string(*zh, where + ".zh");
  } else {
    lesson_fail(where, "expected a string or {\"en\": ..., \"zh\": ...}, found " + describe_json(j));
  }
  if (t.empty()) lesson_fail(where, "is empty");
  return t;
}

json local_text_json(const LocalText& t) {
  if (t.en == t.zh) return t.en;
  json j = json::object();
  if (!t.en.empty()) j["en"] = t.en;
  if (!t.zh.empty()) j["zh"] = t.zh;
  return j;
}

std::string cursor_text(Cursor c) { return std::string(step_mode_name(c.mode)) + ":" + std::to_string(c.step); }

LessonFile lesson_from_json(const json& j) {
  if (!j.is_object()) lesson_fail("", "expected a lesson object, found " + describe_json(j));
  lesson_known_keys(j, {"format", "version", "title", "graph", "hide", "quiz", "steps"}, "");
  const json* format = lesson_member(j, "format");
  if (!format) lesson_fail("", std::string("missing \"format\": \"") + kLessonFormat + "\" (is this a gradscope lesson?)");
  if (lesson_string(*format, "format") != kLessonFormat)
    lesson_fail("format", format->dump() + " is not \"" + kLessonFormat + "\"");
  const json* version = lesson_member(j, "version");
  if (!version) lesson_fail("", "missing \"version\"");
  if (!version->is_number_integer()) lesson_fail("version", "expected a whole number, found " + describe_json(*version));
  const auto v = version->get<std::int64_t>();
  if (v < 1 || v > kLessonFileVersion)
    lesson_fail("version", std::to_string(v) + " is not a version this program reads (1 to " + std::to_string(kLessonFileVersion) + ")");

  LessonFile lesson;
  if (const json* title = lesson_member(j, "title")) lesson.title = local_text(*title, "title");

  const json* graph = lesson_member(j, "graph");
  if (!graph) lesson_fail("", "missing \"graph\" (the graph the lesson steps through)");
  if (!graph->is_object()) lesson_fail("graph", "expected a graph object, found " + describe_json(*graph));
  json doc = *graph;
  if (!doc.contains("format")) doc["format"] = "gradscope-graph";
  if (!doc.contains("version")) doc["version"] = kGraphFileVersion;
  try {
    lesson.graph = document_from_json(doc);
  } catch (const FileError& e) {
    lesson_fail("graph", e.what());
  }
  if (lesson.graph.title.empty()) lesson.graph.title = lesson.title.en;

  if (const json* hide = lesson_member(j, "hide")) {
    if (!hide->is_array()) lesson_fail("hide", "expected a list of control names, found " + describe_json(*hide));
    for (std::size_t i = 0; i < hide->size(); ++i) {
      const std::string where = "hide[" + std::to_string(i) + "]";
      const std::string name = lesson_string((*hide)[i], where);
      const auto* found = std::find(std::begin(kControlNames), std::end(kControlNames), name);
      if (found == std::end(kControlNames)) {
        std::string list;
        for (const char* k : kControlNames) list += std::string(list.empty() ? "" : ", ") + k;
        lesson_fail(where, "unknown control \"" + name + "\" (one of " + list + ")");
      }
      lesson.hidden[static_cast<std::size_t>(found - std::begin(kControlNames))] = true;
    }
  }
  if (const json* quiz = lesson_member(j, "quiz")) {
    if (!quiz->is_boolean()) lesson_fail("quiz", "expected true or false, found " + describe_json(*quiz));
    lesson.quiz = quiz->get<bool>();
  }

  const json* steps = lesson_member(j, "steps");
  if (!steps) lesson_fail("", "missing \"steps\" (a note per step)");
  if (!steps->is_array()) lesson_fail("steps", "expected a list of steps, found " + describe_json(*steps));
  // The traces' lengths, to refuse a note for a step the graph does not have.
  Lesson probe;
  {
    GraphDocument copy = lesson.graph;
    probe.adopt(adopt_graph(GraphModel::from_document(copy), copy.graph));
  }
  if (!probe.ready()) lesson_fail("graph", probe.problem());
  for (std::size_t i = 0; i < steps->size(); ++i) {
    const std::string where = "steps[" + std::to_string(i) + "]";
    const json& s = (*steps)[i];
    if (!s.is_object()) lesson_fail(where, "expected {\"at\": \"forward:1\", \"note\": ...}, found " + describe_json(s));
    lesson_known_keys(s, {"at", "note"}, where);
    const json* at = lesson_member(s, "at");
    if (!at) lesson_fail(where, "missing \"at\" (the step: \"forward:K\", \"reverse:K\" or \"tangent:K\")");
    const json* note = lesson_member(s, "note");
    if (!note) lesson_fail(where, "missing \"note\"");
    LessonNote n;
    const std::string at_text = lesson_string(*at, where + ".at");
    if (!parse_steps(at_text, &n.at))
      lesson_fail(where + ".at", "\"" + at_text + "\" is not forward:K, reverse:K or tangent:K");
    if (n.at.mode == StepMode::Tangent) probe.start_tangent();
    const int rows = probe.row_count(n.at.mode);
    if (n.at.step > rows)
      lesson_fail(where + ".at", "\"" + at_text + "\" is past the end: the graph's " + step_mode_name(n.at.mode) + " trace has " +
                                     std::to_string(rows) + " steps");
    for (const LessonNote& before : lesson.notes)
      if (before.at == n.at) lesson_fail(where + ".at", "a second note for \"" + at_text + "\"");
    n.text = local_text(*note, where + ".note");
    lesson.notes.push_back(std::move(n));
  }
  return lesson;
}

}  // namespace

const std::string& LocalText::in(Language lang) const {
  if (lang == Language::Chinese) return zh.empty() ? en : zh;
  return en.empty() ? zh : en;
}

const char* lesson_control_name(LessonControl c) { return kControlNames[static_cast<std::size_t>(c)]; }

const LocalText* LessonFile::note_at(Cursor c) const {
  for (const LessonNote& n : notes)
    if (n.at == c) return &n.text;
  return nullptr;
}

LessonFile lesson_from_text(std::string_view text, const std::string& source) {
  const std::string prefix = source.empty() ? "" : source + ": ";
  json j;
  try {
    // Depth is checked on the text before anything is built (a file nested 100000 deep).
    j = nn::parse_json_text(text, source.empty() ? "lesson" : source, kMaxLessonDepth);
  } catch (const nn::InputError& e) {
    throw FileError(e.what());
  }
  try {
    return lesson_from_json(j);
  } catch (const FileError& e) {
    throw FileError(prefix + e.what());
  }
}

LessonFile load_lesson(const std::string& path) { return lesson_from_text(read_text_file(path), path); }

bool is_lesson_text(std::string_view text) {
  try {
    const json j = nn::parse_json_text(text, "lesson", kMaxLessonDepth);
    return j.is_object() && j.contains("format") && j["format"] == kLessonFormat;
  } catch (const std::exception&) {
    return false;
  }
}

bool is_lesson_file(const std::string& path) {
  try {
    return is_lesson_text(read_text_file(path));
  } catch (const std::exception&) {
    return false;
  }
}

std::string lesson_text(const LessonFile& lesson) {
  nlohmann::ordered_json j;
  j["format"] = kLessonFormat;
  j["version"] = kLessonFileVersion;
  if (!lesson.title.empty()) j["title"] = local_text_json(lesson.title);
  // The graph as a graph file writes it, keys in the same reading order.
  j["graph"] = nlohmann::ordered_json::parse(document_text(lesson.graph));
  nlohmann::ordered_json hide = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < lesson.hidden.size(); ++i)
    if (lesson.hidden[i]) hide.push_back(kControlNames[i]);
  if (!hide.empty()) j["hide"] = hide;
  if (lesson.quiz) j["quiz"] = true;
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (const LessonNote& n : lesson.notes) {
    nlohmann::ordered_json s;
    s["at"] = cursor_text(n.at);
    s["note"] = local_text_json(n.text);
    steps.push_back(s);
  }
  j["steps"] = steps;
  return pretty_json(j);
}

LessonFile lesson_template(const GraphDocument& doc, const Lesson& lesson, const LessonFile* base) {
  LessonFile out;
  if (base) {
    out.title = base->title;
    out.hidden = base->hidden;
    out.quiz = base->quiz;
  }
  out.graph = doc;
  if (out.title.empty()) out.title.en = out.title.zh = doc.title.empty() ? doc.expression : doc.title;
  auto add = [&](Cursor at, const std::string& row) {
    if (const LocalText* kept = base ? base->note_at(at) : nullptr) out.notes.push_back({at, *kept});
    else if (!row.empty()) out.notes.push_back({at, LocalText{row, row}});
  };
  add({StepMode::Forward, 0}, out.title.en);
  for (int k = 1; k <= lesson.row_count(StepMode::Forward); ++k) add({StepMode::Forward, k}, to_line(lesson.forward_rows()[k - 1]));
  for (int k = 1; k <= lesson.row_count(StepMode::Reverse); ++k) add({StepMode::Reverse, k}, to_line(lesson.reverse_rows()[k - 1]));
  // Tangent notes of the base are kept as they were.
  if (base)
    for (const LessonNote& n : base->notes)
      if (n.at.mode == StepMode::Tangent) out.notes.push_back(n);
  return out;
}

std::string lessons_dir() {
  try {
    return nn::asset_path("lessons");
  } catch (const std::exception&) {
    return {};
  }
}

}  // namespace gs::app
