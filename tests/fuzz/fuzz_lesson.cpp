// Fuzz harness "lesson": a lesson file's text (File > Open lesson, --lesson) -> lesson_from_text,
// with its graph built and traced; a lesson that reads must write back (lesson_text) to a text that
// reads again to the same text, as a Save as lesson then Open makes. Only FileError may escape;
// anything else is a finding. The lesson reader is the desktop program's (src/app/graph) but needs
// no ImGui or GL: tests/fuzz/CMakeLists.txt links its sources as a small library where the desktop
// program is not configured.
#include "fuzz_util.h"

#include "app/graph/lesson_file.h"

#include <cstdlib>

GRADSCOPE_FUZZ_HARNESS(lesson) {
  using namespace gs;
  if (size > 16384) return -1;
  app::LessonFile lesson;
  try {
    lesson = app::lesson_from_text(fuzz::text(data, size), "fuzz.json");
  } catch (const FileError&) {
    return 0;
  }
  const std::string written = app::lesson_text(lesson);
  const std::string again = app::lesson_text(app::lesson_from_text(written, "round trip"));  // must not throw
  if (again != written) std::abort();  // a saved lesson must read back as it was saved
  return 0;
}
