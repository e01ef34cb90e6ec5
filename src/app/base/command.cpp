// Command names and the shell's share of them. No ImGui.
#include "app/base/command.h"

#include <iterator>

namespace gs::app {

namespace {
// In CommandId order; the static_assert keeps the two in step.
constexpr const char* kNames[] = {
    "show_page", "set_language", "text_larger", "text_smaller", "text_reset", "export_png", "quit", "quit_without_saving",
    "present", "full_screen", "show_status", "ask_path",
    "new", "open", "open_example", "save", "save_as", "recover_autosave",
    "export_csv", "export_markdown", "export_latex", "export_torch",
    "undo", "redo", "copy", "paste", "delete", "select_all", "relayout", "second_derivative", "fit",
    "open_untitled", "show_replay", "save_lesson",
};
static_assert(std::size(kNames) == static_cast<std::size_t>(CommandId::kCount));
}  // namespace

bool is_shell_command(CommandId id) { return id <= CommandId::AskPath; }

const char* command_name(CommandId id) {
  const auto i = static_cast<std::size_t>(id);
  return i < std::size(kNames) ? kNames[i] : "?";
}

bool command_from_name(const std::string& name, CommandId* id) {
  for (std::size_t i = 0; i < std::size(kNames); ++i)
    if (name == kNames[i]) {
      *id = static_cast<CommandId>(i);
      return true;
    }
  return false;
}

}  // namespace gs::app
