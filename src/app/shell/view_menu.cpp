// Menu bar, file dialogs (a path field and the graph files nearby: Dear ImGui has no native
// dialog and Debian has no ImGui file-dialog package) and the quit prompt. No GL.
#include "app/shell/view_menu.h"

#include "app/base/i18n.h"
#include "app/base/theme.h"
#include "app/graph/trace_export.h"
#include "app/graph/view_graph.h"

#include <cctype>
#include <filesystem>
#include <fstream>

namespace gs::app {

namespace fs = std::filesystem;

void MenuView::open_dialog(Dialog d, const std::string& initial) {
  dialog_ = d;
  std::snprintf(path_, sizeof path_, "%s", initial.c_str());
  open_dialog_popup_ = true;
}

void MenuView::request_quit(ViewContext& ctx) {
  if (ctx.session.dirty()) ask_quit_ = true;
  else ctx.requests.quit = true;
}

void MenuView::handle_keys(ViewContext& ctx) {
  const ImGuiIO& io = ImGui::GetIO();
  if (!io.KeyCtrl || io.WantTextInput) return;
  auto pressed = [](ImGuiKey k) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(k), false); };
  if (pressed(ImGuiKey_Z)) io.KeyShift ? (void)ctx.session.redo() : (void)ctx.session.undo();
  if (pressed(ImGuiKey_Y)) ctx.session.redo();
}

namespace {
// A file name from a title: "Seed 004: y = ln(x1) ..." -> "Seed_004_y_ln_x1".
std::string file_stem(const std::string& title) {
  std::string out;
  for (char c : title) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '-';
    if (keep) out += c;
    else if (!out.empty() && out.back() != '_') out += '_';
    if (out.size() >= 32) break;
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "graph" : out;
}
}  // namespace

void MenuView::draw(ViewContext& ctx, GraphView& graph) {
  Session& s = ctx.session;
  const std::string stem = s.path().empty() ? file_stem(s.display_name()) : fs::path(s.path()).stem().string();
  if (ImGui::BeginMenuBar()) {
    if (ImGui::BeginMenu(label(Tr::MenuFile, "file").c_str())) {
      if (ImGui::MenuItem(tr(Tr::MenuNew))) s.load(GraphModel{}, "");
      if (ImGui::MenuItem(tr(Tr::MenuOpen), "Ctrl+O")) open_dialog(Dialog::Open, s.path());
      if (ImGui::BeginMenu(tr(Tr::MenuOpenRecent), !s.recent_files().empty())) {
        for (const std::string& r : s.recent_files())
          if (ImGui::MenuItem(r.c_str())) s.open_file(r);
        ImGui::EndMenu();
      }
      if (ImGui::MenuItem(tr(Tr::MenuSave), "Ctrl+S")) {
        if (s.path().empty()) open_dialog(Dialog::SaveAs, stem + ".json");
        else s.save_file(s.path());
      }
      if (ImGui::MenuItem(tr(Tr::MenuSaveAs))) open_dialog(Dialog::SaveAs, s.path().empty() ? stem + ".json" : s.path());
      if (ImGui::MenuItem(tr(Tr::MenuRecover))) s.recover_autosave();
      if (ImGui::BeginMenu(tr(Tr::MenuExport))) {
        if (ImGui::MenuItem(tr(Tr::MenuExportPng))) open_dialog(Dialog::ExportPng, stem + ".png");
        if (ImGui::MenuItem(tr(Tr::MenuExportCsv))) open_dialog(Dialog::ExportCsv, stem + ".csv");
        if (ImGui::MenuItem(tr(Tr::MenuExportMarkdown))) open_dialog(Dialog::ExportMarkdown, stem + ".md");
        if (ImGui::MenuItem(tr(Tr::MenuExportLatex))) open_dialog(Dialog::ExportLatex, stem + ".tex");
        ImGui::EndMenu();
      }
      ImGui::Separator();
      if (ImGui::MenuItem(tr(Tr::MenuQuit), "Ctrl+Q")) request_quit(ctx);
      ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(label(Tr::MenuEdit, "edit").c_str())) {
      if (ImGui::MenuItem(tr(Tr::MenuUndo), "Ctrl+Z", false, s.can_undo())) s.undo();
      if (ImGui::MenuItem(tr(Tr::MenuRedo), "Ctrl+Y", false, s.can_redo())) s.redo();
      ImGui::Separator();
      if (ImGui::MenuItem(tr(Tr::MenuCopy), "Ctrl+C", false, graph.has_selection())) graph.copy_selection(s);
      if (ImGui::MenuItem(tr(Tr::MenuPaste), "Ctrl+V", false, graph.can_paste())) graph.paste(s);
      if (ImGui::MenuItem(tr(Tr::MenuDelete), "Del", false, graph.has_selection())) graph.delete_selection(s);
      if (ImGui::MenuItem(tr(Tr::MenuSelectAll), "Ctrl+A")) graph.select_all(s);
      ImGui::Separator();
      if (ImGui::MenuItem(tr(Tr::MenuLayout))) {
        s.relayout();
        graph.fit();
      }
      if (ImGui::MenuItem(tr(Tr::MenuSecondDerivative), nullptr, false, s.lesson().ready())) {
        if (s.extend_with_adjoints()) graph.fit();
      }
      ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(label(Tr::MenuExamples, "examples").c_str())) {
      for (const std::string& name : example_names())
        if (ImGui::MenuItem(name.c_str())) {
          if (s.open_example(name)) ctx.focus = Focus{};
        }
      ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(label(Tr::MenuView, "view").c_str())) {
      if (ImGui::MenuItem(tr(Tr::MenuFit), "F")) graph.fit();
      if (ImGui::BeginMenu(tr(Tr::MenuLanguage))) {
        if (ImGui::MenuItem("English", nullptr, language() == Language::English)) set_language(Language::English);
        // Without a CJK font the Chinese interface would draw boxes: offered greyed, with why.
        if (ImGui::MenuItem("简体中文", nullptr, language() == Language::Chinese, ctx.fonts.has_cjk)) set_language(Language::Chinese);
        if (!ctx.fonts.has_cjk) ImGui::TextDisabled("%s", tr(Tr::NoCjkFont));
        ImGui::EndMenu();
      }
      if (ImGui::BeginMenu(tr(Tr::MenuTextSize))) {
        if (ImGui::MenuItem(tr(Tr::MenuLarger), "Ctrl++")) ctx.requests.text_size_delta = +1;
        if (ImGui::MenuItem(tr(Tr::MenuSmaller), "Ctrl+-")) ctx.requests.text_size_delta = -1;
        ImGui::EndMenu();
      }
      ImGui::EndMenu();
    }
    // The file name, and a dot while there are unsaved changes.
    const std::string title = s.display_name() + (s.dirty() ? " •" : "");
    ImGui::SameLine(ImGui::GetWindowWidth() - ImGui::CalcTextSize(title.c_str()).x - ImGui::GetStyle().ItemSpacing.x * 2);
    ImGui::TextDisabled("%s", title.c_str());
    ImGui::EndMenuBar();
  }
  // Letter keys by their GLFW codes, which equal their ASCII capitals (the GLFW backend fills
  // io.KeysDown by GLFW key code; ImGui 1.86 names only A, C, V, X, Y, Z).
  const ImGuiIO& io = ImGui::GetIO();
  if (io.KeyCtrl && !io.WantTextInput) {
    if (ImGui::IsKeyPressed('O', false)) open_dialog(Dialog::Open, s.path());
    if (ImGui::IsKeyPressed('S', false)) {
      if (s.path().empty()) open_dialog(Dialog::SaveAs, stem + ".json");
      else s.save_file(s.path());
    }
    if (ImGui::IsKeyPressed('Q', false)) request_quit(ctx);
  }
  draw_dialog(ctx);
  draw_quit_prompt(ctx);
}

void MenuView::run_dialog(ViewContext& ctx) {
  Session& s = ctx.session;
  const std::string path = path_;
  auto write_text = [&](TraceFormat f) {
    std::ofstream out(path);
    out << export_traces(s.lesson(), f);
    if (out) s.set_status(trf(Tr::MsgExported, path));
    else s.set_status(trf(Tr::MsgOpenFailed, path, "write failed"), true);
  };
  switch (dialog_) {
    case Dialog::Open: s.open_file(path); ctx.focus = Focus{}; break;
    case Dialog::SaveAs:
      if (s.save_file(path) && quit_after_save_) ctx.requests.quit = true;
      break;
    case Dialog::ExportPng: ctx.requests.export_canvas_png = path; break;
    case Dialog::ExportCsv: write_text(TraceFormat::Csv); break;
    case Dialog::ExportMarkdown: write_text(TraceFormat::Markdown); break;
    case Dialog::ExportLatex: write_text(TraceFormat::Latex); break;
    case Dialog::None: break;
  }
  quit_after_save_ = false;
  dialog_ = Dialog::None;
}

void MenuView::draw_dialog(ViewContext& ctx) {
  if (open_dialog_popup_) {
    ImGui::OpenPopup("file_dialog");
    open_dialog_popup_ = false;
  }
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 36, 0), ImGuiCond_Appearing);
  if (!ImGui::BeginPopupModal("file_dialog", nullptr, ImGuiWindowFlags_NoTitleBar)) return;
  ImGui::TextUnformatted(tr(Tr::DlgPath));
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  ImGui::SetNextItemWidth(-1);
  bool ok = ImGui::InputText("##path", path_, sizeof path_, ImGuiInputTextFlags_EnterReturnsTrue);
  if (dialog_ == Dialog::Open) {
    // Graph files in the folder of the typed path, and the examples.
    fs::path dir = fs::path(path_).parent_path();
    if (dir.empty()) dir = ".";
    ImGui::BeginChild("files", ImVec2(0, ImGui::GetFontSize() * 10), true);
    std::error_code ec;
    for (const fs::path& d : {dir, fs::path(assets_dir()) / "examples"})
      for (const auto& e : fs::directory_iterator(d, ec))
        if (e.path().extension() == ".json" && ImGui::Selectable(e.path().string().c_str()))
          std::snprintf(path_, sizeof path_, "%s", e.path().string().c_str());
    ImGui::EndChild();
  }
  ok |= ImGui::Button(tr(Tr::DlgOk));
  ImGui::SameLine();
  if (ImGui::Button(tr(Tr::DlgCancel)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
    dialog_ = Dialog::None;
    quit_after_save_ = false;
    ImGui::CloseCurrentPopup();
  } else if (ok && *path_) {
    run_dialog(ctx);
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

void MenuView::draw_quit_prompt(ViewContext& ctx) {
  if (ask_quit_) {
    ImGui::OpenPopup("quit_prompt");
    ask_quit_ = false;
  }
  if (!ImGui::BeginPopupModal("quit_prompt", nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::TextUnformatted(tr(Tr::DlgUnsaved));
  Session& s = ctx.session;
  if (ImGui::Button(tr(Tr::DlgSaveAndQuit))) {
    ImGui::CloseCurrentPopup();
    if (s.path().empty()) {
      quit_after_save_ = true;
      open_dialog(Dialog::SaveAs, file_stem(s.display_name()) + ".json");
    } else if (s.save_file(s.path())) {
      ctx.requests.quit = true;
    }
  }
  ImGui::SameLine();
  if (ImGui::Button(tr(Tr::DlgQuitAnyway))) {
    ctx.requests.quit = true;
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button(tr(Tr::DlgCancel))) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

}  // namespace gs::app
