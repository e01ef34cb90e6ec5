// The window's arrangement: the menu bar, the page tabs under it, the shown page, the status
// line. It owns the pages (through the Page interface: it knows none of them by type), shows one,
// and passes the menu's commands: its own (pages, language, text size, picture export, quitting)
// it does itself, the rest go to the shown page. No model, no view of its own. No GL.
#pragma once

#include "app/base/page.h"
#include "app/shell/view_menu.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gs::app {

using PageList = std::vector<std::unique_ptr<Page>>;

class Workbench {
 public:
  explicit Workbench(PageList pages);

  // Shows the page that lists `view` among its views() (the page itself, or one panel alone:
  // what --view asks). False when no page has that view.
  bool show_view(std::string_view view);
  // Every name show_view() accepts, in tab order: lab, graph, traces, inspector, …
  std::vector<std::string> views() const;

  // One frame: commands, menu, tabs, the shown page, the status line.
  void draw(PageContext& ctx);
  // Commands to run at the start of the next frame (the window's close button sends Quit).
  CommandQueue& commands() { return commands_; }

  Page& shown() { return *pages_[shown_]; }
  const Page& shown() const { return *pages_[shown_]; }
  const PageList& pages() const { return pages_; }
  bool has_cjk = false;  // the Chinese interface can be offered
  // Presentation mode (F5, View menu, --present): no menu bar, tabs or status line; the page
  // draws its presentation (PageContext::presenting). Esc leaves it.
  bool presenting() const { return presenting_; }
  void set_presenting(bool on) { presenting_ = on; }
  // A presentation clicker's blank-screen key (B or .) blanks the screen to black; any key brings
  // it back (and does nothing else).
  bool blanked() const { return blanked_; }

 private:
  MenuModel menu_model() const;
  void run_commands(PageContext& ctx);
  void quit(PageContext& ctx);
  void show(int page, int view = 0);
  void draw_tabs(PageContext& ctx);
  bool blank_keys();  // true when this frame's keys went to blanking or unblanking

  PageList pages_;
  MenuView menu_;
  CommandQueue commands_;
  int shown_ = 0;
  int view_ = 0;             // index into the shown page's views()
  bool presenting_ = false;
  bool blanked_ = false;
  int select_tab_ = 0;       // >= 0: the tab bar selects this tab in the next frame
};

}  // namespace gs::app
