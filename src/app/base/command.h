// Commands: what the menu bar, its dialogs and the global shortcuts ask of the shell and of the
// shown page. The menu pushes them into a CommandQueue; the workbench takes them in order, does
// the shell's own (switching pages, language, text size, quitting, exporting a picture) and hands
// the rest to the shown page's apply(). So the menu holds no reference to any view, and a page
// answers only the commands it knows (Page::can). A page hands a document to another page through
// the same queue (PageContext::commands). No ImGui.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace gs::app {

enum class CommandId : std::uint8_t {
  // [SECTION] the shell's
  ShowPage,     // arg: the page's name ("graph")
  SetLanguage,  // arg: "en" or "zh"
  TextLarger,
  TextSmaller,
  TextReset,    // the text at its first size again (Ctrl+0)
  ExportPng,    // arg: path; the shown page's picture() region, captured by the main loop
  Quit,         // asks first when a page has unsaved changes
  QuitWithoutSaving,
  Present,      // presentation mode on/off (F5; Esc leaves it): the page large, no menu, tabs or status
  FullScreen,   // the window on the whole monitor and back (F11)
  ShowStatus,   // arg: a line for the shown page's status line (a page handing a document to
                // another says there what came with it: ShowPage, Open, then ShowStatus)
  AskPath,      // arg: a command's name ("export_torch"): the path dialog for it, as its menu item
                // opens it (a page's own button for a File menu command)
  // [SECTION] the shown page's
  New,
  Open,         // arg: path
  OpenExample,  // arg: a name from Page::examples()
  Save,         // to the document's own path
  SaveAs,       // arg: path
  RecoverAutosave,
  ExportCsv,       // arg: path
  ExportMarkdown,  // arg: path
  ExportLatex,     // arg: path
  ExportTorch,     // arg: path; a PyTorch script of the same computation (engine/torch_export.h)
  Undo,
  Redo,
  Copy,
  Paste,
  Delete,
  SelectAll,
  Relayout,
  SecondDerivative,
  Fit,
  OpenUntitled,  // arg: path; its document opened as new and unsaved (Save asks where): a document
                 // another page wrote to a temporary file (the Training page's replayed step)
  ShowReplay,    // arg: a replayed step's comparison as JSON (graph/view_replay.h): shown beside it
  SaveLesson,    // arg: path; the open graph as a lesson file (graph/lesson_file.h), a note per step
  kCount
};

// How the menu shows a page's command: not at all, greyed out, or ready.
enum class CommandState : std::uint8_t { Hidden, Disabled, Enabled };

// True for the commands the workbench does itself; the others go to the shown page.
bool is_shell_command(CommandId id);
const char* command_name(CommandId id);  // "save_as", for messages and tests
// The command named `name` (command_name's inverse); false when there is none.
bool command_from_name(const std::string& name, CommandId* id);

struct Command {
  CommandId id = CommandId::Fit;
  std::string arg;         // a path, an example or page name, a language code
  bool then_quit = false;  // quit (asking about other unsaved pages) once this succeeded
};

// First in, first out; the menu pushes during a frame and the workbench takes them all.
class CommandQueue {
 public:
  void push(Command c) { queue_.push_back(std::move(c)); }
  void push(CommandId id, std::string arg = {}) { queue_.push_back(Command{id, std::move(arg)}); }
  bool empty() const { return queue_.empty(); }
  std::vector<Command> take() { return std::exchange(queue_, {}); }

 private:
  std::vector<Command> queue_;
};

}  // namespace gs::app
