// The main menu bar and its dialogs: files (open, save, recent, autosave recovery, export),
// edit (undo/redo, copy/paste, delete, layout), examples, view (fit, language, text size), and
// the prompt on quitting with unsaved changes. Commands only; no GL (exports of the canvas are
// handed to the main loop through FrameRequests).
#pragma once

#include "app/graph/view_context.h"

#include <string>

namespace gs::app {

class GraphView;

class MenuView {
 public:
  void draw(ViewContext& ctx, GraphView& graph);
  // The window's close button: quits at once when saved, else asks.
  void request_quit(ViewContext& ctx);
  void handle_keys(ViewContext& ctx);

 private:
  enum class Dialog : std::uint8_t { None, Open, SaveAs, ExportPng, ExportCsv, ExportMarkdown, ExportLatex };
  void open_dialog(Dialog d, const std::string& initial);
  void draw_dialog(ViewContext& ctx);
  void draw_quit_prompt(ViewContext& ctx);
  void run_dialog(ViewContext& ctx);

  Dialog dialog_ = Dialog::None;
  bool open_dialog_popup_ = false;
  char path_[1024] = "";
  bool ask_quit_ = false;
  bool quit_after_save_ = false;
};

}  // namespace gs::app
