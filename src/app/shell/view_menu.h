// The main menu bar and its dialogs: File (new, open, recent, save, autosave recovery, export,
// quit), Edit, Examples, View (fit, pages, language, text size), the global shortcuts, and the
// prompt on quitting with unsaved changes. It reads the shown page through the Page interface
// (which items it knows, its document) and turns every choice into a Command; it calls no view.
// No GL.
#pragma once

#include "app/base/command.h"
#include "app/base/page.h"

#include <optional>
#include <string>
#include <vector>

namespace gs::app {

// What the menu shows this frame, gathered by the workbench.
struct MenuModel {
  const Page& page;                 // the shown page
  std::vector<std::string> titles;  // every page's tab title, in tab order
  std::vector<std::string> names;   // and its name (Command ShowPage's argument)
  int shown = 0;
  bool has_cjk = false;  // offer the Chinese interface
};

class MenuView {
 public:
  // The menu bar, the open dialog and the quit prompt; choices are pushed into `out`.
  void draw(const MenuModel& m, CommandQueue& out);
  // Shortcuts that work wherever the keyboard is not typing text: Ctrl+O, Ctrl+S, Ctrl+Q,
  // Ctrl+Z, Ctrl+Y (Ctrl+Shift+Z), Ctrl+= / Ctrl+- (text size), Ctrl+1…9 (pages).
  void handle_keys(const MenuModel& m, CommandQueue& out);
  // Asks whether to save `doc` before quitting (the workbench shows its page first).
  void ask_quit(const PageDocument& doc);
  // Pushes `c`; but a command that replaces the shown page's document (New, Open, OpenExample)
  // while it has unsaved changes waits for the user to discard them (a prompt) or cancel.
  void submit(const MenuModel& m, CommandQueue& out, Command c);
  bool asking_to_discard() const { return discard_pending_.has_value(); }
  // A dialog is opening: its field takes the keyboard only frames later, and the main loop sleeps
  // between events (the first key pressed in it, Enter, was lost). Draw again at once.
  bool wants_frames() const { return settle_frames_ > 0; }
  // The path dialog for `command` (a File menu command with a path: Save As, an export), with the
  // name its menu item proposes: a page's own button asks through Command AskPath.
  void ask_path(const MenuModel& m, CommandId command);

 private:
  // A dialog that asks for a path, then pushes `command` with it.
  void open_path_dialog(CommandId command, const std::string& initial, bool then_quit = false);
  void save(const MenuModel& m, CommandQueue& out, bool then_quit);
  void draw_dialog(const MenuModel& m, CommandQueue& out);
  void draw_quit_prompt(const MenuModel& m, CommandQueue& out);
  void draw_discard_prompt(const MenuModel& m, CommandQueue& out);

  CommandId dialog_command_ = CommandId::Open;
  bool dialog_then_quit_ = false;
  bool open_dialog_popup_ = false;
  char path_[1024] = "";
  int settle_frames_ = 0;
  std::vector<std::string> replacing_;  // files the typed path would replace: the dialog asks first
  bool ask_quit_ = false;
  std::string prompt_document_;  // the document the quit or discard prompt names
  std::optional<Command> discard_pending_;  // waits for "Discard changes"
  bool open_discard_popup_ = false;
};

}  // namespace gs::app
