// Menu bar, shortcuts, file dialogs (a path field and the files nearby: Dear ImGui has no native
// dialog and Debian has no ImGui file-dialog package) and the quit prompt. Every choice is a
// Command for the workbench. No GL.
#include "app/shell/view_menu.h"

#include "app/base/i18n.h"

#include <imgui.h>

#include <filesystem>

namespace gs::app {

namespace fs = std::filesystem;

namespace {

// The page's wording of an item, else the menu's own.
std::string item_label(const Page& page, CommandId id, Tr fallback) {
  std::string l = page.command_label(id);
  return l.empty() ? std::string(tr(fallback)) : l;
}

// A menu item for a page command: hidden, greyed out or ready, as the page says.
bool page_item(const Page& page, CommandId id, Tr text, const char* shortcut = nullptr) {
  const CommandState st = page.command_state(id);
  if (st == CommandState::Hidden) return false;
  return ImGui::MenuItem(item_label(page, id, text).c_str(), shortcut, false, st == CommandState::Enabled);
}

bool knows(const Page& page, std::initializer_list<CommandId> ids) {
  for (CommandId id : ids)
    if (page.command_state(id) != CommandState::Hidden) return true;
  return false;
}

// Letter and digit keys by their GLFW codes, which equal their ASCII capitals and digits (the
// GLFW backend fills io.KeysDown by GLFW key code; ImGui 1.86 names only A, C, V, X, Y, Z).
constexpr int kKeyEqual = '=', kKeyMinus = '-', kKeyPadSubtract = 333, kKeyPadAdd = 334;
constexpr int kKeyF5 = 294, kKeyF11 = 300;  // GLFW_KEY_F5, GLFW_KEY_F11

bool pressed(int key) { return ImGui::IsKeyPressed(key, false); }

}  // namespace

void MenuView::open_path_dialog(CommandId command, const std::string& initial, bool then_quit) {
  dialog_command_ = command;
  dialog_then_quit_ = then_quit;
  settle_frames_ = 4;
  replacing_.clear();
  std::snprintf(path_, sizeof path_, "%s", initial.c_str());
  open_dialog_popup_ = true;
}

void MenuView::ask_path(const MenuModel& m, CommandId command) {
  const PageDocument doc = m.page.document();
  switch (command) {
    case CommandId::SaveAs: open_path_dialog(command, doc.path.empty() ? doc.file_stem + ".json" : doc.path); break;
    case CommandId::ExportPng: open_path_dialog(command, doc.file_stem + ".png"); break;
    case CommandId::ExportCsv: open_path_dialog(command, doc.file_stem + ".csv"); break;
    case CommandId::ExportMarkdown: open_path_dialog(command, doc.file_stem + ".md"); break;
    case CommandId::ExportLatex: open_path_dialog(command, doc.file_stem + ".tex"); break;
    case CommandId::ExportTorch: open_path_dialog(command, doc.file_stem + ".py"); break;
    case CommandId::SaveLesson: open_path_dialog(command, doc.file_stem + ".lesson.json"); break;
    default: break;
  }
}

void MenuView::ask_quit(const PageDocument& doc) {
  ask_quit_ = true;
  prompt_document_ = doc.name;
}

void MenuView::submit(const MenuModel& m, CommandQueue& out, Command c) {
  const bool replaces = c.id == CommandId::New || c.id == CommandId::Open || c.id == CommandId::OpenExample;
  const PageDocument doc = m.page.document();
  if (replaces && doc.dirty) {
    // Opening replaces the document and its undo history: nothing unsaved goes without a yes.
    discard_pending_ = std::move(c);
    prompt_document_ = doc.name;
    open_discard_popup_ = true;
    return;
  }
  out.push(std::move(c));
}

void MenuView::save(const MenuModel& m, CommandQueue& out, bool then_quit) {
  const PageDocument doc = m.page.document();
  if (doc.path.empty()) open_path_dialog(CommandId::SaveAs, doc.file_stem + ".json", then_quit);
  else out.push(Command{CommandId::Save, {}, then_quit});
}

void MenuView::handle_keys(const MenuModel& m, CommandQueue& out) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  if (pressed(kKeyF5)) out.push(CommandId::Present);
  if (pressed(kKeyF11)) out.push(CommandId::FullScreen);
  if (!io.KeyCtrl) return;
  const Page& p = m.page;
  if (pressed('O') && p.can(CommandId::Open)) open_path_dialog(CommandId::Open, p.document().path);
  if (pressed('S') && p.can(CommandId::Save)) save(m, out, false);
  if (pressed('Q')) out.push(CommandId::Quit);
  const bool undo = pressed(ImGui::GetKeyIndex(ImGuiKey_Z)) && !io.KeyShift;
  const bool redo = pressed(ImGui::GetKeyIndex(ImGuiKey_Y)) || (pressed(ImGui::GetKeyIndex(ImGuiKey_Z)) && io.KeyShift);
  if (undo && p.can(CommandId::Undo)) out.push(CommandId::Undo);
  if (redo && p.can(CommandId::Redo)) out.push(CommandId::Redo);
  if (pressed(kKeyEqual) || pressed(kKeyPadAdd)) out.push(CommandId::TextLarger);
  if (pressed(kKeyMinus) || pressed(kKeyPadSubtract)) out.push(CommandId::TextSmaller);
  if (pressed('0')) out.push(CommandId::TextReset);
  for (int i = 0; i < static_cast<int>(m.names.size()) && i < 9; ++i)
    if (pressed('1' + i)) out.push(CommandId::ShowPage, m.names[i]);
}

void MenuView::draw(const MenuModel& m, CommandQueue& out) {
  const Page& p = m.page;
  const PageDocument doc = p.document();
  if (ImGui::BeginMenuBar()) {
    if (ImGui::BeginMenu(label(Tr::MenuFile, "file").c_str())) {
      if (page_item(p, CommandId::New, Tr::MenuNew)) submit(m, out, Command{CommandId::New, {}});
      if (const CommandState st = p.command_state(CommandId::Open); st != CommandState::Hidden) {
        if (ImGui::MenuItem(tr(Tr::MenuOpen), "Ctrl+O", false, st == CommandState::Enabled)) open_path_dialog(CommandId::Open, doc.path);
        const std::vector<std::string> recent = p.recent_files();
        if (ImGui::BeginMenu(tr(Tr::MenuOpenRecent), !recent.empty() && st == CommandState::Enabled)) {
          for (const std::string& r : recent)
            if (ImGui::MenuItem(r.c_str())) submit(m, out, Command{CommandId::Open, r});
          ImGui::EndMenu();
        }
        // Lesson files open through Open as well; this starts the dialog among the shipped ones.
        if (const std::string dir = p.lessons_dir(); !dir.empty() && ImGui::MenuItem(tr(Tr::MenuOpenLesson), nullptr, false, st == CommandState::Enabled))
          open_path_dialog(CommandId::Open, (fs::path(dir) / "").string());
      }
      if (const CommandState st = p.command_state(CommandId::Save); st != CommandState::Hidden)
        if (ImGui::MenuItem(tr(Tr::MenuSave), "Ctrl+S", false, st == CommandState::Enabled)) save(m, out, false);
      if (const CommandState st = p.command_state(CommandId::SaveAs); st != CommandState::Hidden)
        if (ImGui::MenuItem(tr(Tr::MenuSaveAs), nullptr, false, st == CommandState::Enabled))
          open_path_dialog(CommandId::SaveAs, doc.path.empty() ? doc.file_stem + ".json" : doc.path);
      if (page_item(p, CommandId::SaveLesson, Tr::MenuSaveLesson)) open_path_dialog(CommandId::SaveLesson, doc.file_stem + ".lesson.json");
      if (page_item(p, CommandId::RecoverAutosave, Tr::MenuRecover)) out.push(CommandId::RecoverAutosave);
      // Exports: the page's picture (captured by the main loop) and the formats it writes.
      const bool picture = !p.picture().empty();
      struct Export { CommandId id; Tr text; const char* extension; };
      const Export exports[] = {{CommandId::ExportCsv, Tr::MenuExportAsCsv, ".csv"},
                                {CommandId::ExportMarkdown, Tr::MenuExportAsMarkdown, ".md"},
                                {CommandId::ExportLatex, Tr::MenuExportAsLatex, ".tex"},
                                {CommandId::ExportTorch, Tr::MenuExportAsTorch, ".py"}};
      if ((picture || knows(p, {CommandId::ExportCsv, CommandId::ExportMarkdown, CommandId::ExportLatex,
                                CommandId::ExportTorch})) &&
          ImGui::BeginMenu(tr(Tr::MenuExport))) {
        if (picture && ImGui::MenuItem(item_label(p, CommandId::ExportPng, Tr::MenuExportPicture).c_str()))
          open_path_dialog(CommandId::ExportPng, doc.file_stem + ".png");
        for (const Export& e : exports) {
          const CommandState st = p.command_state(e.id);
          if (st != CommandState::Hidden && ImGui::MenuItem(item_label(p, e.id, e.text).c_str(), nullptr, false, st == CommandState::Enabled))
            open_path_dialog(e.id, doc.file_stem + e.extension);
        }
        ImGui::EndMenu();
      }
      ImGui::Separator();
      if (ImGui::MenuItem(tr(Tr::MenuQuit), "Ctrl+Q")) out.push(CommandId::Quit);
      ImGui::EndMenu();
    }
    const bool edits = knows(p, {CommandId::Undo, CommandId::Redo, CommandId::Copy, CommandId::Paste, CommandId::Delete,
                                 CommandId::SelectAll, CommandId::Relayout, CommandId::SecondDerivative});
    if (edits && ImGui::BeginMenu(label(Tr::MenuEdit, "edit").c_str())) {
      if (page_item(p, CommandId::Undo, Tr::MenuUndo, "Ctrl+Z")) out.push(CommandId::Undo);
      if (page_item(p, CommandId::Redo, Tr::MenuRedo, "Ctrl+Y")) out.push(CommandId::Redo);
      ImGui::Separator();
      if (page_item(p, CommandId::Copy, Tr::MenuCopy, "Ctrl+C")) out.push(CommandId::Copy);
      if (page_item(p, CommandId::Paste, Tr::MenuPaste, "Ctrl+V")) out.push(CommandId::Paste);
      if (page_item(p, CommandId::Delete, Tr::MenuDelete, "Del")) out.push(CommandId::Delete);
      if (page_item(p, CommandId::SelectAll, Tr::MenuSelectAll, "Ctrl+A")) out.push(CommandId::SelectAll);
      if (knows(p, {CommandId::Relayout, CommandId::SecondDerivative})) ImGui::Separator();
      if (page_item(p, CommandId::Relayout, Tr::MenuLayout)) out.push(CommandId::Relayout);
      if (page_item(p, CommandId::SecondDerivative, Tr::MenuSecondDerivative)) out.push(CommandId::SecondDerivative);
      ImGui::EndMenu();
    }
    if (p.command_state(CommandId::OpenExample) != CommandState::Hidden && ImGui::BeginMenu(label(Tr::MenuExamples, "examples").c_str())) {
      const bool enabled = p.can(CommandId::OpenExample);
      for (const std::string& name : p.examples())
        if (ImGui::MenuItem(name.c_str(), nullptr, false, enabled)) submit(m, out, Command{CommandId::OpenExample, name});
      ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(label(Tr::MenuView, "view").c_str())) {
      if (page_item(p, CommandId::Fit, Tr::MenuFitView, "F")) out.push(CommandId::Fit);
      if (m.titles.size() > 1) {
        ImGui::Separator();
        for (int i = 0; i < static_cast<int>(m.titles.size()); ++i) {
          const std::string shortcut = i < 9 ? "Ctrl+" + std::to_string(i + 1) : "";
          if (ImGui::MenuItem(m.titles[i].c_str(), shortcut.c_str(), i == m.shown)) out.push(CommandId::ShowPage, m.names[i]);
        }
        ImGui::Separator();
      }
      if (ImGui::BeginMenu(tr(Tr::MenuLanguage))) {
        if (ImGui::MenuItem("English", nullptr, language() == Language::English)) out.push(CommandId::SetLanguage, "en");
        // Without a CJK font the Chinese interface would draw boxes: offered greyed, with why.
        if (ImGui::MenuItem("简体中文", nullptr, language() == Language::Chinese, m.has_cjk)) out.push(CommandId::SetLanguage, "zh");
        if (!m.has_cjk) ImGui::TextDisabled("%s", tr(Tr::NoCjkFont));
        ImGui::EndMenu();
      }
      if (ImGui::MenuItem(tr(Tr::MenuPresent), "F5")) out.push(CommandId::Present);
      if (ImGui::MenuItem(tr(Tr::MenuFullScreen), "F11")) out.push(CommandId::FullScreen);
      if (ImGui::BeginMenu(tr(Tr::MenuTextSize))) {
        if (ImGui::MenuItem(tr(Tr::MenuLarger), "Ctrl+=")) out.push(CommandId::TextLarger);
        if (ImGui::MenuItem(tr(Tr::MenuSmaller), "Ctrl+-")) out.push(CommandId::TextSmaller);
        if (ImGui::MenuItem(tr(Tr::MenuTextReset), "Ctrl+0")) out.push(CommandId::TextReset);
        ImGui::EndMenu();
      }
      ImGui::EndMenu();
    }
    // The document's name, and a dot while there are unsaved changes.
    if (!doc.name.empty()) {
      const std::string title = doc.name + (doc.dirty ? " •" : "");
      ImGui::SameLine(ImGui::GetWindowWidth() - ImGui::CalcTextSize(title.c_str()).x - ImGui::GetStyle().ItemSpacing.x * 2);
      ImGui::TextDisabled("%s", title.c_str());
    }
    ImGui::EndMenuBar();
  }
  draw_dialog(m, out);
  draw_quit_prompt(m, out);
  draw_discard_prompt(m, out);
}

void MenuView::draw_dialog(const MenuModel& m, CommandQueue& out) {
  if (settle_frames_ > 0) --settle_frames_;
  if (open_dialog_popup_) {
    ImGui::OpenPopup("file_dialog");
    open_dialog_popup_ = false;
  }
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 36, 0), ImGuiCond_Appearing);
  if (!ImGui::BeginPopupModal("file_dialog", nullptr, ImGuiWindowFlags_NoTitleBar)) return;
  const int enter = ImGui::GetKeyIndex(ImGuiKey_Enter);
  if (!replacing_.empty()) {
    // The typed path (or a file the page writes beside it) exists: nothing is replaced without a yes.
    ImGui::PushTextWrapPos(0.0f);
    for (const std::string& f : replacing_) ImGui::TextUnformatted(trf(Tr::DlgReplace, f).c_str());
    ImGui::PopTextWrapPos();
    if (ImGui::Button(tr(Tr::DlgReplaceYes)) || ImGui::IsKeyPressed(enter, false)) {
      replacing_.clear();
      out.push(Command{dialog_command_, path_, dialog_then_quit_});
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button(tr(Tr::DlgCancel)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) replacing_.clear();
    ImGui::EndPopup();
    return;
  }
  ImGui::TextUnformatted(tr(Tr::DlgPath));
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  ImGui::SetNextItemWidth(-1);
  bool ok = ImGui::InputText("##path", path_, sizeof path_, ImGuiInputTextFlags_EnterReturnsTrue);
  // Enter is OK also once the field has lost the keyboard (after a click in the file list).
  ok |= !ImGui::IsItemActive() && ImGui::IsWindowFocused() && ImGui::IsKeyPressed(enter, false);
  if (dialog_command_ == CommandId::Open) {
    // The page's files in the folder of the typed path, and its examples.
    fs::path dir = fs::path(path_).parent_path();
    if (dir.empty()) dir = ".";
    ImGui::BeginChild("files", ImVec2(0, ImGui::GetFontSize() * 10), true);
    std::error_code ec;
    for (const fs::path& d : {dir, fs::path(m.page.examples_dir())}) {
      if (d.empty()) continue;
      for (const auto& e : fs::directory_iterator(d, ec))
        if (e.path().extension() == ".json" && ImGui::Selectable(e.path().string().c_str()))
          std::snprintf(path_, sizeof path_, "%s", e.path().string().c_str());
    }
    ImGui::EndChild();
  }
  ok |= ImGui::Button(tr(Tr::DlgOk));
  ImGui::SameLine();
  if (ImGui::Button(tr(Tr::DlgCancel)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
    ImGui::CloseCurrentPopup();
  } else if (ok && *path_) {
    if (dialog_command_ != CommandId::Open) {
      std::error_code ec;
      for (const std::string& f : m.page.outputs(dialog_command_, path_))
        if (fs::exists(f, ec)) replacing_.push_back(f);
    }
    if (replacing_.empty()) {
      submit(m, out, Command{dialog_command_, path_, dialog_then_quit_});
      ImGui::CloseCurrentPopup();
    }
  }
  ImGui::EndPopup();
}

void MenuView::draw_quit_prompt(const MenuModel& m, CommandQueue& out) {
  if (ask_quit_) {
    ImGui::OpenPopup("quit_prompt");
    ask_quit_ = false;
  }
  if (!ImGui::BeginPopupModal("quit_prompt", nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::TextUnformatted(trf(Tr::DlgUnsaved, prompt_document_).c_str());
  if (ImGui::Button(tr(Tr::DlgSaveAndQuit))) {
    ImGui::CloseCurrentPopup();
    save(m, out, true);
  }
  ImGui::SameLine();
  if (ImGui::Button(tr(Tr::DlgQuitAnyway))) {
    out.push(CommandId::QuitWithoutSaving);
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button(tr(Tr::DlgCancel))) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

void MenuView::draw_discard_prompt(const MenuModel& m, CommandQueue& out) {
  if (open_discard_popup_) {
    ImGui::OpenPopup("discard_prompt");
    open_discard_popup_ = false;
  }
  if (!ImGui::BeginPopupModal("discard_prompt", nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::TextUnformatted(trf(Tr::DlgDiscard, prompt_document_).c_str());
  if (ImGui::Button(tr(Tr::DlgDiscardChanges))) {
    if (discard_pending_) out.push(std::move(*discard_pending_));
    discard_pending_.reset();
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button(tr(Tr::DlgCancel)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
    discard_pending_.reset();
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

}  // namespace gs::app
