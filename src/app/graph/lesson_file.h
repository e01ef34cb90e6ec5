// Lesson files ("format": "gradscope-lesson"): a graph, a note per step in English and Chinese,
// and the controls to hide, so that a lecturer prepares a walk-through once and replays it in
// class (assets/lessons/). Named LessonFile, not Lesson: `Lesson` (lesson.h) is the Graph page's
// stepping model over the engine's traces; a LessonFile is what is read from disk and shown beside
// it. Reading trusts nothing: every failure is FileError naming the place (JSON path, or line and
// column for text that is not JSON), and nothing is returned half-read. No ImGui, no GL.
#pragma once

#include "app/base/i18n.h"
#include "app/graph/lesson.h"
#include "engine/graph_json.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gs::app {

inline constexpr const char* kLessonFormat = "gradscope-lesson";
inline constexpr int kLessonFileVersion = 1;
inline constexpr int kMaxLessonDepth = 64;  // nested arrays/objects; deeper is refused before parsing

// A text in the interface's languages: "note": "text" (one language, shown in both) or
// "note": {"en": "...", "zh": "..."}.
struct LocalText {
  std::string en, zh;
  // The text in `lang`, else the other language's.
  const std::string& in(Language lang) const;
  bool empty() const { return en.empty() && zh.empty(); }
};

// Controls a lesson can hide ("hide": ["expression", "tangent"]): the expression bar, Play and its
// speed, the timeline slider, forward mode (tangents), the inspector panel.
enum class LessonControl : std::uint8_t { Expression, Play, Timeline, Tangent, Inspector, kCount };
const char* lesson_control_name(LessonControl c);  // "expression", as the file writes it

struct LessonNote {
  Cursor at;  // the step it is shown at ("at": "reverse:3"; "forward:0" before the first step)
  LocalText text;
};

struct LessonFile {
  LocalText title;
  GraphDocument graph;  // "graph": a graph file's object (its "format" and "version" may be left out)
  std::vector<LessonNote> notes;
  std::array<bool, static_cast<std::size_t>(LessonControl::kCount)> hidden{};
  bool quiz = false;  // start in quiz mode (predict each value before it is shown)

  bool hides(LessonControl c) const { return hidden[static_cast<std::size_t>(c)]; }
  // The note written for cursor `c`, null when there is none.
  const LocalText* note_at(Cursor c) const;
};

// Reads a lesson from its text; `source` names it in messages ("seed004.json: steps[3].at: ...").
// The graph is built and its traces counted, so that a note for a step the graph does not have is
// refused too. Throws FileError.
LessonFile lesson_from_text(std::string_view text, const std::string& source = "");
LessonFile load_lesson(const std::string& path);  // throws FileError
// Whether the file at `path` says it is a lesson ("format": "gradscope-lesson"); false for
// anything else, unreadable or not JSON (the graph reader then says what is wrong with it).
bool is_lesson_file(const std::string& path);
bool is_lesson_text(std::string_view text);  // the same for a file's text

// The text of a lesson file (keys in reading order, one note to a line), which lesson_from_text
// reads back to the same lesson.
std::string lesson_text(const LessonFile& lesson);

// The lesson file a lecturer starts from: the graph `doc` with `notes` (the open lesson file's,
// when it is one), and a note for every other step of the forward and reverse traces of `lesson`
// — the step's row ("v3 = ln v1 = ln 2 = 0.69315"; the graph's title before the first) — to be
// rewritten in an editor. `base` gives the title, the hidden controls and the quiz flag.
LessonFile lesson_template(const GraphDocument& doc, const Lesson& lesson, const LessonFile* base);

// assets/lessons as nn::assets_dir() finds it; empty when there are no assets.
std::string lessons_dir();

}  // namespace gs::app
