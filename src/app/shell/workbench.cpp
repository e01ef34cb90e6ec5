// The workbench: pages behind tabs, commands passed to them, the status line. No GL.
#include "app/shell/workbench.h"

#include "app/base/i18n.h"
#include "app/base/theme.h"
#include "app/widgets/popup.h"
#include "app/widgets/text_wrap.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace gs::app {

Workbench::Workbench(PageList pages) : pages_(std::move(pages)) { assert(!pages_.empty() && "a workbench needs a page"); }

bool Workbench::show_view(std::string_view view) {
  for (int p = 0; p < static_cast<int>(pages_.size()); ++p) {
    const std::vector<std::string> views = pages_[p]->views();
    for (int v = 0; v < static_cast<int>(views.size()); ++v)
      if (views[v] == view) {
        show(p, v);
        return true;
      }
  }
  return false;
}

std::vector<std::string> Workbench::views() const {
  std::vector<std::string> out;
  for (const auto& p : pages_)
    for (const std::string& v : p->views()) out.push_back(v);
  return out;
}

void Workbench::show(int page, int view) {
  shown_ = page;
  view_ = view;
  select_tab_ = page;
}

MenuModel Workbench::menu_model() const {
  MenuModel m{shown(), {}, {}, shown_, has_cjk};
  for (const auto& p : pages_) {
    m.titles.push_back(p->title());
    m.names.push_back(p->name());
  }
  return m;
}

// Quitting asks about each page with unsaved changes in turn, showing it first; a command with
// then_quit comes back here once it has saved.
void Workbench::quit(PageContext& ctx) {
  for (int i = 0; i < static_cast<int>(pages_.size()); ++i) {
    const PageDocument doc = pages_[i]->document();
    if (doc.dirty) {
      show(i);
      menu_.ask_quit(doc);
      return;
    }
  }
  ctx.requests.quit = true;
}

void Workbench::run_commands(PageContext& ctx) {
  for (const Command& c : commands_.take()) {
    switch (c.id) {
      case CommandId::ShowPage:
        for (int i = 0; i < static_cast<int>(pages_.size()); ++i)
          if (c.arg == pages_[i]->name()) show(i);
        break;
      case CommandId::SetLanguage:
        if (c.arg == "zh" && has_cjk) set_language(Language::Chinese);
        else if (c.arg == "en") set_language(Language::English);
        break;
      case CommandId::Present: presenting_ = !presenting_; break;
      case CommandId::FullScreen: ctx.requests.toggle_full_screen = true; break;
      // The main loop rebuilds the fonts before the next frame, which must then be drawn: asked
      // by a key in the last frame before the loop sleeps, the new size showed only at the next
      // input (issue 9: Ctrl+= seemed to do nothing until the mouse moved).
      case CommandId::TextLarger:
        ctx.requests.text_size_delta = +1;
        ctx.requests.redraw.request_at(ctx.now);
        break;
      case CommandId::TextSmaller:
        ctx.requests.text_size_delta = -1;
        ctx.requests.redraw.request_at(ctx.now);
        break;
      case CommandId::TextReset:
        ctx.requests.text_size_reset = true;
        ctx.requests.redraw.request_at(ctx.now);
        break;
      case CommandId::ExportPng: ctx.requests.capture_png = c.arg; break;
      case CommandId::Quit: quit(ctx); break;
      case CommandId::QuitWithoutSaving: ctx.requests.quit = true; break;
      case CommandId::ShowStatus: shown().set_status(c.arg, false); break;
      case CommandId::AskPath: {
        CommandId id;
        if (command_from_name(c.arg, &id)) menu_.ask_path(menu_model(), id);
        break;
      }
      default:
        // Checked again here: a shortcut or a dialog may have asked while the page changed.
        if (shown().can(c.id) && shown().apply(c, ctx) && c.then_quit) quit(ctx);
        break;
    }
  }
}

void Workbench::draw_tabs(PageContext& ctx) {
  // Slim tabs: the Graph page needs every pixel of height at 1024 × 768.
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(ImGui::GetFontSize() * 0.8f, ImGui::GetFontSize() * 0.12f));
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, ImGui::GetFontSize() * 0.2f));
  if (ImGui::BeginTabBar("pages", ImGuiTabBarFlags_NoTooltip)) {
    for (int i = 0; i < static_cast<int>(pages_.size()); ++i) {
      const std::string title = pages_[i]->title();
      if (ctx.record) ctx.record->tabs.push_back(title);
      // A switch by key or menu takes effect in the tab bar a frame later: until then the old
      // tab may still report itself open, and is not taken for a click.
      const ImGuiTabItemFlags flags = i == select_tab_ ? ImGuiTabItemFlags_SetSelected : 0;
      const std::string id = title + "###page_" + pages_[i]->name();  // the same tab in every language
      if (ImGui::BeginTabItem(id.c_str(), nullptr, flags)) {
        if (select_tab_ < 0 && i != shown_) show(i);
        if (i == select_tab_) select_tab_ = -1;
        ImGui::EndTabItem();
      }
    }
    ImGui::EndTabBar();
  }
  ImGui::PopStyleVar(2);
}

bool Workbench::blank_keys() {
  if (!presenting_) return blanked_ = false;
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return false;
  if (blanked_) {
    bool any = !io.InputQueueCharacters.empty();
    for (int k = 0; k < IM_ARRAYSIZE(io.KeysDown) && !any; ++k) any = ImGui::IsKeyPressed(k, false);
    if (any) blanked_ = false;
    return true;  // blanked, or the key that ends it: no step, no command
  }
  for (const ImWchar c : io.InputQueueCharacters)
    if (c == 'b' || c == 'B' || c == '.') blanked_ = true;
  return blanked_;
}

void Workbench::draw(PageContext& ctx) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
  // Presentation mode has no menu bar (F5 and Esc still work: the menu's keys are read). No
  // background: the main loop clears the screen in the style's WindowBg colour, and a
  // software GL driver (llvmpipe: no GPU) spends about a third of a frame's CPU filling this
  // screen-sized rectangle a second time.
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                                 (presenting_ ? 0 : ImGuiWindowFlags_MenuBar) | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                 ImGuiWindowFlags_NoBackground;
  ImGui::Begin("gradscope", nullptr, flags);
  ImGui::PopStyleVar(2);

  ctx.commands = &commands_;
  for (auto& p : pages_) p->update(ctx);
  run_commands(ctx);
  const bool blank_frame = blank_keys();
  {
    const MenuModel m = menu_model();
    if (!presenting_) menu_.draw(m, commands_);
    if (!blank_frame) menu_.handle_keys(m, commands_);
    if (presenting_ && !blank_frame && !ImGui::GetIO().WantTextInput && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false))
      commands_.push(CommandId::Present);
  }
  // What the menu asked this frame is done now, so that the page draws its result.
  run_commands(ctx);
  ctx.presenting = presenting_;
  if (pages_.size() > 1 && !presenting_) draw_tabs(ctx);

  Page& page = shown();
  if (ctx.record) {
    ctx.record->language = language_code(language());
    ctx.record->page = page.name();
    ctx.record->view = page.views()[view_];
  }
  if (!blank_frame) page.handle_keys(ctx);
  // The page in a child window above the status line: the page's last message (errors in red),
  // else its keys, on as many lines as it needs at this text size (View ▸ Text size), at most 3.
  const StatusMessage status = page.status();
  const std::string status_text = status.text.empty() ? std::string(page.hint()) : status.text;
  // As many lines as the text wraps to at spaces (as drawn below), up to 3.
  const float line_w = std::max(ImGui::GetContentRegionAvail().x, 1.0f);
  const auto measure = widgets::ImGuiTextWidth;
  const auto wrapped = widgets::WrapAtSpaces(status_text, line_w, measure);
  const int status_lines = std::clamp(static_cast<int>(wrapped.size()), 1, 3);
  // Longer: three lines, the third ending in "…" (whole words), the whole text in a tooltip.
  std::string shown_status = status_text;
  if (wrapped.size() > 3) {
    shown_status.clear();
    for (const std::string& line : widgets::FirstLines(wrapped, 3, line_w, measure)) shown_status += (shown_status.empty() ? "" : "\n") + line;
  }
  const float status_h = presenting_ ? 0.0f : ImGui::GetTextLineHeightWithSpacing() * static_cast<float>(status_lines);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  ImGui::BeginChild((std::string("page_") + page.name()).c_str(), ImVec2(avail.x, avail.y - status_h), false,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBackground);
  page.draw(ctx, view_);
  ImGui::EndChild();
  // Every popup of the frame is drawn now (the menus', the page's lists): one that opened this
  // frame is drawn hidden, to be measured, and shows in the next, which no input will bring.
  if (menu_.wants_frames() || widgets::PopupWantsNextFrame()) ctx.requests.redraw.request_at(ctx.now);
  if (ctx.record) page.record(*ctx.record);

  if (presenting_) {
    if (ctx.record) ctx.record->presenting = true;
    if (blanked_) ImGui::GetForegroundDrawList()->AddRectFilled(vp->Pos, ImVec2(vp->Pos.x + vp->Size.x, vp->Pos.y + vp->Size.y), IM_COL32(0, 0, 0, 255));
    ImGui::End();
    return;
  }
  // Status line, wrapped at spaces (a number is never split) where it does not fit one line.
  ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(status.error ? theme::kProblem : theme::kTextDim));
  widgets::TextWrappedAtSpaces(shown_status);
  ImGui::PopStyleColor();
  if (shown_status != status_text && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", status_text.c_str());
  if (ctx.record) {
    if (!status.text.empty()) ctx.record->status = status.text;
    ctx.record->status_line_rect = {ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y, ImGui::GetItemRectMax().x, ImGui::GetItemRectMax().y};
  }
  ImGui::End();
}

}  // namespace gs::app
