// The Graph page: its start from the command line, the arrangement of its views, its commands.
// No GL.
//
// [SECTION] start
// [SECTION] each frame
// [SECTION] commands
// [SECTION] benchmark
#include "app/graph/page_graph.h"

#include "app/base/i18n.h"
#include "app/graph/layout.h"
#include "app/graph/node_face.h"
#include "app/graph/trace_export.h"
#include "app/graph/view_empty_hint.h"
#include "app/widgets/canvas.h"
#include "app/widgets/splitter.h"
#include "engine/text_file.h"
#include "engine/torch_export.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <random>

namespace gs::app {

namespace fs = std::filesystem;

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

// Node boxes measured with the canvas font: its text's width and 4 % more.
TextMeasure canvas_measure(std::function<float(std::string_view, float)> width) {
  return [width = std::move(width)](std::string_view text, float size) { return width(text, size) * 1.04f; };
}
}  // namespace

std::string GraphPage::title() const { return tr(Tr::PageGraph); }

const char* GraphPage::hint() const { return tr(Tr::KeysHelp); }

// [SECTION] start

bool GraphPage::start(const LaunchOptions& opt) {
  Session& s = session_;
  // Boxes are sized with the canvas font once the program has loaded it (tests: an estimate).
  if (widgets::HasCanvasFonts())
    s.set_text_measure(canvas_measure([](std::string_view text, float size) {
      return widgets::CalcCanvasTextSize(size, std::string(text).c_str()).x;
    }));
  if (!opt.state_dir.empty()) s.enable_persistence(opt.state_dir);
  bool ok = true;
  const std::string example = opt.example.empty() ? kDefaultExample : opt.example;
  if (opt.bench_frames > 0) s.load(benchmark_mlp(), "");
  else if (!opt.lesson_file.empty()) ok = open_lesson(opt.lesson_file);
  else if (!opt.graph_file.empty()) ok = s.open_file(opt.graph_file);
  else if (opt.new_graph) s.load(GraphModel{}, "");  // as File ▸ New
  else ok = s.open_example(example);
  if (!ok && s.model().nodes().empty()) s.open_example(kDefaultExample);
  if (!opt.expression.empty()) s.set_expression(opt.expression);
  Lesson& l = s.lesson();
  Cursor c;
  if (!opt.steps.empty() && parse_steps(opt.steps, &c)) {
    if (c.mode == StepMode::Tangent) l.start_tangent();
    l.jump(c);
  }
  if (!opt.select.empty())
    for (int i = 0; i < l.graph().size(); ++i)
      if (l.graph().label(NodeId{i}) == opt.select) {
        focus_.selected = l.built().doc_of[i];
        if (opt.paths && l.graph().node(NodeId{i}).kind == NodeKind::Input) focus_.paths_of = focus_.selected;
      }
  quiz_generation_ = s.generation();
  if (opt.quiz) quiz_.set_on(true);
  // Each answer as if typed into the quiz's field and entered (a non-number stays in the field).
  for (const std::string& a : opt.answers) {
    quiz_.draft = a;
    quiz_.next(l);
  }
  return ok;
}

// [SECTION] each frame

ViewContext GraphPage::view_context(PageContext& ctx) {
  return ViewContext{session_, focus_, ctx.fonts, ctx.requests.redraw, ctx.record, ctx.now, ctx.presenting, &quiz_, lesson_file(), export_frames_ > 0};
}

const LessonFile* GraphPage::lesson_file() const {
  return lesson_file_ && lesson_generation_ == session_.generation() ? &*lesson_file_ : nullptr;
}

bool GraphPage::save_lesson(const std::string& path) {
  try {
    const Lesson& l = session_.lesson();
    GraphDocument doc = to_document(session_.model(), l.built());
    if (doc.title.empty()) doc.title = session_.display_name();
    LessonFile file = lesson_template(doc, l, lesson_file());
    write_file_atomically(path, lesson_text(file));
    session_.set_status(trf(Tr::MsgLessonSaved, path, std::to_string(file.notes.size())));
    lesson_file_ = std::move(file);
    lesson_generation_ = session_.generation();
    return true;
  } catch (const std::exception& e) {
    session_.set_status(translate(e.what()), true);
    return false;
  }
}

bool GraphPage::open_lesson(const std::string& path) {
  LessonFile file;
  try {
    file = load_lesson(path);
  } catch (const std::exception& e) {
    session_.set_status(open_failed_message(path, e.what()), true);
    return false;
  }
  session_.load(file.graph, "");
  show_lesson(std::move(file), path);
  return true;
}

void GraphPage::show_lesson(LessonFile file, const std::string& path) {
  lesson_file_ = std::move(file);
  lesson_generation_ = quiz_generation_ = session_.generation();
  quiz_.set_on(lesson_file_->quiz);
  quiz_.reset_score();
  focus_ = Focus{};
  graph_.fit();
  const std::string& title = lesson_file_->title.in(language());
  session_.set_status(trf(Tr::MsgLessonOpened, title.empty() ? fs::path(path).filename().string() : title,
                          std::to_string(lesson_file_->notes.size())));
}

std::string GraphPage::document_text() const {
  std::string text = session_.model().title;
  for (const DocNode& n : session_.model().nodes()) text += n.name;
  if (const LessonFile* l = lesson_file()) {
    text += l->title.en + l->title.zh;
    for (const LessonNote& note : l->notes) text += note.text.en + note.text.zh;
  }
  return text;
}

void GraphPage::update(PageContext& ctx) {
  // A large file opened off the UI thread: taken when ready, else looked for again soon (the main
  // loop sleeps until input otherwise).
  if (opening_.busy()) {
    if (std::optional<BackgroundOpen::Result> done = opening_.take()) finish_open(std::move(*done));
    else ctx.requests.redraw.request_at(ctx.now + 0.05);
  }
  // Shown or not: an edit made before switching pages is still saved.
  session_.autosave_if_due(ctx.now);
  // Another graph: its own words (a lesson's Chinese notes: the 拓 of 拓扑 is not among the common
  // characters the fonts carry, and was drawn as "?", issue 9) go into the fonts before the next
  // frame.
  if (glyphs_generation_ != session_.generation()) {
    glyphs_generation_ = session_.generation();
    if (const std::string add = glyphs_to_add(ctx.fonts, document_text()); !add.empty()) {
      ctx.requests.glyphs += add;
      ctx.requests.redraw.request_at(ctx.now);
    }
  }
  // Another graph: the quiz starts counting again.
  if (quiz_generation_ != session_.generation()) {
    quiz_generation_ = session_.generation();
    quiz_.reset_score();
  }
  ctx.requests.redraw.request_at(session_.autosave_due());
}

void GraphPage::handle_keys(PageContext& ctx) {
  ViewContext vc = view_context(ctx);
  // Typing an answer keeps the arrows for the caret; a clicker's Page Down / Up still steps.
  if (notes_.answer_active()) {
    const bool down = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_PageDown));
    const bool up = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_PageUp));
    if (down) ToolbarView::next(vc);
    if (up) ToolbarView::previous(vc);
    if (down || up) notes_.release_answer();
    return;
  }
  toolbar_.handle_keys(vc);
}

void GraphPage::draw(PageContext& ctx, int view) {
  // File ▸ Export ▸ PNG asked this frame: the next frames (the main loop reads the second after
  // this one) draw the picture as it is exported — the step banner above the canvas, no help line.
  if (!ctx.requests.capture_png.empty()) export_frames_ = 4;
  else if (export_frames_ > 0) --export_frames_;
  ViewContext vc = view_context(ctx);
  // Entering or leaving presentation mode changes the canvas: show the whole graph again.
  if (ctx.presenting != presented_) {
    presented_ = ctx.presenting;
    graph_.fit();
  }
  if (ctx.presenting && view == kLab) {
    canvas_drawn_ = true;
    draw_presentation(vc);
    return;
  }
  canvas_drawn_ = view == kLab || view == kCanvas;
  draw_autosave_offer(vc);
  draw_held_open(vc);
  if (canvas_drawn_) {
    toolbar_.draw(vc);
    notes_.draw(vc);
  }
  if (view == kLab) replay_panel_.draw(session_.generation(), ctx.record);  // a replayed step's comparison
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  switch (view) {
    case kCanvas:
      ImGui::BeginChild("single_panel", avail, false, ImGuiWindowFlags_NoScrollbar);
      draw_canvas(vc);
      ImGui::EndChild();
      break;
    case kTraces:
    case kInspector:
      ImGui::BeginChild("single_panel", avail, true);
      if (view == kTraces) traces_.draw(vc);
      else inspector_.draw(vc);
      ImGui::EndChild();
      break;
    default: draw_lab(vc); break;
  }
}

void GraphPage::draw_lab(ViewContext& vc) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float bar = std::max(5.0f, ImGui::GetFontSize() * 0.3f);
  // Narrow windows (a projector at 1024 × 768, or large text) stack the canvas above the tables
  // when that shows the graph larger (a wide graph: the whole width; a tall one stays beside the
  // tables). Decided when the graph or the window changes, not while a node is dragged.
  const bool narrow = avail.x < ImGui::GetFontSize() * kStackBelowEm;
  if (!narrow) {
    stacked_ = false;
  } else if (arranged_generation_ != session_.generation() || arranged_size_.x != avail.x || arranged_size_.y != avail.y) {
    arranged_generation_ = session_.generation();
    arranged_size_ = avail;
    const auto [lo, hi] = session_.bounds();
    const float w = std::max(hi.x - lo.x, 1.0f) , h = std::max(hi.y - lo.y, 1.0f);
    auto fit = [&](float cw, float ch) { return std::min((cw - 48) / w, (ch - 48) / h); };
    // Stacked, the split follows need (issue 9). The canvas takes the height its graph needs
    // for 12 px text (the labels, 16 canvas units, are its smallest) where the width allows that
    // zoom: never less, whatever the tables lose (the 12 px rule wins). Beyond that it grows to
    // 56 % of the page only while the tables keep what a lecture needs (TraceView::
    // lecture_height: the current row and the one before it, two lines each); unless the
    // splitter was dragged.
    if (stack_fraction_ == auto_stack_fraction_) {
      const float zoom = std::min(12.5f / face::kLabelSize, (avail.x - 48) / w);
      const float page = std::max(avail.y - bar, 1.0f);
      const float tables = TraceView::lecture_height(vc) + ImGui::GetStyle().WindowPadding.y * 2 + ImGui::GetStyle().ItemSpacing.y;
      const float need = (h * zoom + 48) / page;
      auto_stack_fraction_ = stack_fraction_ = std::min(std::max(need, std::min(0.56f, 1 - tables / page)), kLabMaxGraphFraction);
    }
    const float side = fit(avail.x * (1 - side_fraction_) - bar, avail.y);
    const float stack = fit(avail.x, (avail.y - bar) * stack_fraction_);
    stacked_ = stack >= side;
  }
  if (!stacked_) {
    // The canvas on the left; the trace tables above the inspector on the right.
    const float bottom = ImGui::GetCursorScreenPos().y + avail.y;
    const float side_w = std::floor(avail.x * side_fraction_);
    const float graph_w = avail.x - side_w - bar;
    ImGui::BeginChild("graph_panel", ImVec2(graph_w, avail.y), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    draw_canvas(vc);
    ImGui::EndChild();
    ImGui::SameLine(0, 0);
    widgets::Splitter("split_side", widgets::SplitterAxis::Vertical, bar, avail.y, avail.x, &side_fraction_, 0.2f, 0.7f);
    ImGui::SameLine(0, 0);
    ImGui::BeginGroup();
    if (lesson_hides(vc, LessonControl::Inspector)) {  // a lesson file hid it: the tables take the side
      ImGui::BeginChild("trace_panel", ImVec2(side_w, avail.y), true);
      traces_.draw(vc);
      ImGui::EndChild();
      ImGui::EndGroup();
      return;
    }
    const float trace_h = std::floor((avail.y - bar) * trace_fraction_);
    ImGui::BeginChild("trace_panel", ImVec2(side_w, trace_h), true);
    traces_.draw(vc);
    ImGui::EndChild();
    widgets::Splitter("split_trace", widgets::SplitterAxis::Horizontal, bar, side_w, avail.y, &trace_fraction_, 0.15f, 0.85f);
    // What is left below the bar (item spacing sits on both sides of it).
    ImGui::BeginChild("inspector_panel", ImVec2(side_w, bottom - ImGui::GetCursorScreenPos().y), true);
    inspector_.draw(vc);
    ImGui::EndChild();
    ImGui::EndGroup();
    return;
  }
  // The canvas above; the trace tables below, the inspector a tab beside them.
  const float graph_h = std::floor((avail.y - bar) * stack_fraction_);
  ImGui::BeginChild("graph_panel", ImVec2(avail.x, graph_h), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  draw_canvas(vc);
  ImGui::EndChild();
  widgets::Splitter("split_stack", widgets::SplitterAxis::Horizontal, bar, avail.x, avail.y, &stack_fraction_, 0.25f, kLabMaxGraphFraction);
  const float bottom = ImGui::GetCursorScreenPos().y + (avail.y - graph_h - bar - ImGui::GetStyle().ItemSpacing.y);
  const float low_h = std::max(bottom - ImGui::GetCursorScreenPos().y, 50.0f);
  // The tables below take the whole width, so that a tensor row's chain-rule arithmetic keeps to
  // as few lines as it can in the height the canvas's 12 px leave (issue 9: at 1024 × 768 the
  // current row was whole only in the banner); the inspector is a tab beside the traces' (a node
  // picked on the canvas shows it, a step shows the trace again) unless a lesson file hid it.
  ImGui::BeginChild("trace_panel", ImVec2(avail.x, low_h), true);
  if (lesson_hides(vc, LessonControl::Inspector)) traces_.draw(vc);
  else traces_.draw(vc, [&] { inspector_.draw(vc); });
  ImGui::EndChild();
}

// The canvas in the rest of the current panel, and on an empty graph what to do next.
void GraphPage::draw_canvas(ViewContext& vc) {
  graph_.draw(vc, ImGui::GetContentRegionAvail());
  EmptyCanvasHint::draw(vc, graph_.region_min(), graph_.region_max());
}

namespace {
// A question above the page until it is answered: a bar in the colour of a notice, its text and
// two buttons; 1 or 2 when one was pressed. The frame record has the text, the buttons and
// `cut_off` when the buttons end beyond the bar (a narrow window).
int notice_bar(const char* id, const std::string& text, const char* first, const char* second, FrameRecord* record,
               const char* cut_off) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float h = ImGui::GetFrameHeight() + style.WindowPadding.y * 2;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.99f, 0.93f, 0.70f, 1.0f));
  ImGui::PushStyleColor(ImGuiCol_Border, ImVec4(0.80f, 0.60f, 0.10f, 1.0f));
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.15f, 0.12f, 0.05f, 1.0f));
  ImGui::BeginChild(id, ImVec2(0, h), true, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  const ImVec2 top_left = ImGui::GetWindowPos();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(text.c_str());
  ImGui::SameLine();
  ImGui::PopStyleColor();  // the buttons in the theme's own colours
  const bool pressed_first = ImGui::Button(first);
  ImGui::SameLine();
  const bool pressed_second = ImGui::Button(second);
  const float right = ImGui::GetItemRectMax().x;
  ImGui::EndChild();
  ImGui::PopStyleColor(2);
  if (record) {
    record->visible_text.push_back(text);
    record->visible_text.push_back(first);
    record->visible_text.push_back(second);
    if (right > top_left.x + ImGui::GetItemRectSize().x) record->visible_text.push_back(cut_off);
  }
  return pressed_first ? 1 : pressed_second ? 2 : 0;
}
}  // namespace

// The last session's autosave, offered above everything until it is answered (Session keeps it
// from being overwritten meanwhile).
void GraphPage::draw_autosave_offer(ViewContext& vc) {
  const Session::AutosaveOffer& offer = session_.autosave_offer();
  if (offer.file.empty()) return;
  const std::string text = trf(Tr::AutosaveOfferText, offer.written.empty() ? "?" : offer.written);
  const int answer = notice_bar("autosave_offer", text, tr(Tr::AutosaveRecover), tr(Tr::AutosaveDiscard), vc.record,
                                "(autosave offer cut off)");
  if (answer == 1) session_.recover_autosave();
  if (answer == 2) session_.discard_autosave();
}

// A large file that arrived after the graph was edited: neither is dropped unasked.
void GraphPage::draw_held_open(ViewContext& vc) {
  if (!held_) return;
  const std::string name = fs::path(held_->path).filename().string();
  const std::string open = trf(Tr::HeldOpenOpen, name), keep = tr(Tr::HeldOpenKeep);
  const int answer = notice_bar("held_open", tr(Tr::HeldOpenText), open.c_str(), keep.c_str(), vc.record,
                                "(held open cut off)");
  if (answer != 0) answer_held_open(answer == 1);
}

// Presentation mode: the step banner large, the graph, and below it the trace being stepped in
// the large mono font across the whole width, so that the "with numbers" column is never cut.
// The controls are hidden; the stepping keys (→ ← Page Up/Down, Home, End, Space) still work.
void GraphPage::draw_presentation(ViewContext& vc) {
  toolbar_.draw_banner(vc, true);
  notes_.draw(vc, true);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float bar = std::max(5.0f, ImGui::GetFontSize() * 0.3f);
  // The graph takes the height it needs for 12 px text where the width allows that zoom, from
  // 58 % to 76 % of the height below the banner: the table keeps three rows or more.
  const auto [lo, hi] = session_.bounds();
  const float w = std::max(hi.x - lo.x, 1.0f), h = std::max(hi.y - lo.y, 1.0f);
  const float zoom = std::min(12.5f / face::kLabelSize, (avail.x - 48) / w);
  const float fraction = std::clamp((h * zoom + 48) / std::max(avail.y - bar, 1.0f), kPresentGraphFraction, kPresentMaxGraphFraction);
  const float graph_h = std::floor((avail.y - bar) * fraction);
  ImGui::BeginChild("graph_panel", ImVec2(avail.x, graph_h), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  draw_canvas(vc);
  ImGui::EndChild();
  ImGui::Dummy(ImVec2(avail.x, bar));
  ImGui::BeginChild("trace_panel", ImGui::GetContentRegionAvail(), true);
  traces_.draw(vc);
  ImGui::EndChild();
}

void GraphPage::record(FrameRecord& r) const {
  const Lesson& l = session_.lesson();
  const Cursor c = l.cursor();
  const NodeId cur = l.current_node();
  r.mode = step_mode_name(c.mode);
  r.step = c.step;
  r.step_count = l.row_count(c.mode);
  r.highlighted_node = cur.valid() ? l.graph().label(cur) : "";
}

ScreenRect GraphPage::picture() const {
  if (!canvas_drawn_) return {};
  // The step banner (where the lesson is, the row just computed) heads the picture: a slide says
  // which step it shows.
  const float top = toolbar_.banner_top() > 0 ? std::min(toolbar_.banner_top(), graph_.region_min().y) : graph_.region_min().y;
  return ScreenRect{graph_.region_min().x, top, graph_.region_max().x, graph_.region_max().y};
}

// [SECTION] commands

CommandState GraphPage::command_state(CommandId id) const {
  auto when = [](bool ready) { return ready ? CommandState::Enabled : CommandState::Disabled; };
  switch (id) {
    case CommandId::Undo: return when(session_.can_undo());
    case CommandId::Redo: return when(session_.can_redo());
    case CommandId::Copy:
    case CommandId::Delete: return when(graph_.has_selection());
    case CommandId::Paste: return when(graph_.can_paste());
    case CommandId::ExportTorch: return when(session_.lesson().ready());
    case CommandId::SaveLesson: return when(session_.lesson().ready());
    case CommandId::SecondDerivative: return when(session_.lesson().ready());
    case CommandId::New:
    case CommandId::Open:
    case CommandId::OpenUntitled:
    case CommandId::ShowReplay:
    case CommandId::OpenExample:
    case CommandId::Save:
    case CommandId::SaveAs:
    case CommandId::RecoverAutosave:
    case CommandId::ExportCsv:
    case CommandId::ExportMarkdown:
    case CommandId::ExportLatex:
    case CommandId::SelectAll:
    case CommandId::Relayout:
    case CommandId::Fit: return CommandState::Enabled;
    default: return CommandState::Hidden;
  }
}

void GraphPage::open_in_background(const std::string& path) {
  opening_edits_ = session_.edit_count();
  // Boxes measured off the UI thread with a copy of the canvas fonts (they may be rebuilt meanwhile).
  opening_.start(path, widgets::HasCanvasFonts() ? canvas_measure(widgets::CanvasTextWidthCopy()) : session_.text_measure());
}

void GraphPage::finish_open(BackgroundOpen::Result result) {
  if (!result.session) {  // the open graph stays
    session_.set_status(open_failed_message(result.path, result.error), true);
    return;
  }
  // Edited since Open was chosen: the edits would be lost unasked; the bar asks.
  if (session_.edit_count() != opening_edits_) held_ = std::move(result);
  else take_open(std::move(result));
}

void GraphPage::take_open(BackgroundOpen::Result result) {
  focus_ = Focus{};
  if (result.lesson) {  // its graph is untitled, as open_lesson() makes it
    session_.take_opened(std::move(*result.session), "");
    show_lesson(std::move(*result.lesson), result.path);
    return;
  }
  session_.take_opened(std::move(*result.session), result.path);
}

void GraphPage::answer_held_open(bool open) {
  if (!held_) return;
  BackgroundOpen::Result result = std::move(*held_);
  held_.reset();
  if (open) take_open(std::move(result));
  else session_.set_status(trf(Tr::MsgHeldOpenKept, fs::path(result.path).filename().string()));
}

StatusMessage GraphPage::status() const {
  if (opening_.busy()) return StatusMessage{trf(Tr::MsgOpeningFile, fs::path(opening_.path()).filename().string()), false};
  return session_.status();
}

bool GraphPage::apply(const Command& c, PageContext& ctx) {
  Session& s = session_;
  // Whatever replaces the graph drops a file still being opened: the last choice wins.
  if (c.id == CommandId::New || c.id == CommandId::Open || c.id == CommandId::OpenUntitled ||
      c.id == CommandId::OpenExample || c.id == CommandId::RecoverAutosave) {
    opening_.abandon();
    held_.reset();
  }
  auto write_traces = [&](TraceFormat f) {
    std::ofstream out(c.arg);
    out << export_traces(s.lesson(), f);
    if (out) s.set_status(trf(Tr::MsgExported, c.arg));
    else s.set_status(trf(Tr::MsgWriteFailed, c.arg), true);
    return static_cast<bool>(out);
  };
  switch (c.id) {
    case CommandId::New:
      s.load(GraphModel{}, "");
      focus_ = Focus{};
      return true;
    case CommandId::Open:
      if (std::error_code ec; fs::file_size(c.arg, ec) >= kBackgroundOpenBytes && !ec) {
        open_in_background(c.arg);  // a lesson file too
        ctx.requests.redraw.request_at(ctx.now);  // update() looks from the next frame on
        return true;
      }
      if (is_lesson_file(c.arg)) return open_lesson(c.arg);
      if (!s.open_file(c.arg)) return false;
      focus_ = Focus{};
      return true;
    case CommandId::OpenUntitled:
      if (!s.open_untitled(c.arg)) return false;
      focus_ = Focus{};
      return true;
    case CommandId::ShowReplay: return replay_panel_.set(c.arg, s.generation());
    case CommandId::OpenExample:
      if (!s.open_example(example_named(c.arg).empty() ? c.arg : example_named(c.arg))) return false;
      focus_ = Focus{};
      return true;
    case CommandId::Save: return !s.path().empty() && s.save_file(s.path());
    case CommandId::SaveAs: return s.save_file(c.arg);
    case CommandId::RecoverAutosave: return s.recover_autosave();
    case CommandId::SaveLesson: return save_lesson(c.arg);
    case CommandId::ExportCsv: return write_traces(TraceFormat::Csv);
    case CommandId::ExportMarkdown: return write_traces(TraceFormat::Markdown);
    case CommandId::ExportLatex: return write_traces(TraceFormat::Latex);
    case CommandId::ExportTorch: {
      const BuiltGraph& b = s.lesson().built();
      std::string script;
      try {
        script = torch_script(b.graph, b.bindings, "gradscope's Graph page: " + s.display_name());
      } catch (const std::exception& e) {  // a gradient op of an extended graph: said, nothing written
        s.set_status(trf(Tr::MsgOpenFailed, c.arg, translate(e.what())), true);
        return false;
      }
      std::ofstream out(c.arg);
      out << script;
      if (out) s.set_status(trf(Tr::MsgExported, c.arg));
      else s.set_status(trf(Tr::MsgWriteFailed, c.arg), true);
      return static_cast<bool>(out);
    }
    case CommandId::Undo: return s.undo();
    case CommandId::Redo: return s.redo();
    case CommandId::Copy: graph_.copy_selection(s); return true;
    case CommandId::Paste: graph_.paste(s); return true;
    case CommandId::Delete: graph_.delete_selection(s); return true;
    case CommandId::SelectAll: graph_.select_all(s); return true;
    case CommandId::Relayout:
      s.relayout();
      graph_.fit();
      return true;
    case CommandId::SecondDerivative:
      if (!s.extend_with_adjoints()) return false;
      graph_.fit();
      return true;
    case CommandId::Fit: graph_.fit(); return true;
    default: return false;
  }
}

std::string GraphPage::command_label(CommandId id) const {
  switch (id) {
    case CommandId::ExportPng: return tr(Tr::MenuExportPng);
    case CommandId::ExportCsv: return tr(Tr::MenuExportCsv);
    case CommandId::ExportMarkdown: return tr(Tr::MenuExportMarkdown);
    case CommandId::ExportLatex: return tr(Tr::MenuExportLatex);
    case CommandId::ExportTorch: return tr(Tr::MenuExportTorch);
    case CommandId::Fit: return tr(Tr::MenuFit);
    default: return {};
  }
}

PageDocument GraphPage::document() const {
  PageDocument d;
  d.name = session_.display_name();
  d.path = session_.path();
  d.file_stem = session_.path().empty() ? file_stem(d.name) : fs::path(session_.path()).stem().string();
  d.dirty = session_.dirty();
  return d;
}

std::vector<std::string> GraphPage::examples() const {
  // Titles in the interface's language (the files' names mean little to a student); the
  // command carries the title back and example_named() finds the file.
  std::vector<std::string> titles;
  for (const std::string& name : example_names()) titles.push_back(example_title(name));
  return titles;
}

std::string GraphPage::examples_dir() const { return gs::app::examples_dir(); }

std::string GraphPage::lessons_dir() const { return gs::app::lessons_dir(); }

std::vector<std::string> GraphPage::recent_files() const { return session_.recent_files(); }

// [SECTION] benchmark

std::vector<BenchPass> GraphPage::bench_passes() {
  // The whole graph fitted to the window (every node and link, text too small to draw), then
  // 1:1 zoom (a screenful of nodes with all their text and partial-adjoint labels). Every value,
  // adjoint and partial adjoint is on screen in both.
  const std::string nodes = std::to_string(session_.model().nodes().size()) + " nodes";
  return {
      {nodes + ", fitted", [this] { session_.lesson().run_backward(); }, 0.0, {}},
      {nodes + ", zoom 1", [this] { graph_.zoom_to(1.0f); }, 0.0, {}},
  };
}

GraphModel benchmark_mlp() {
  // Built node by node so the count is exact: 3 inputs, layers of 8, 8, 8 and 1 tanh units.
  GraphModel m;
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<DocId> layer;
  for (int i = 0; i < 3; ++i) layer.push_back(m.add_input("x" + std::to_string(i + 1), TensorD::scalar(u(rng)), {}));
  int w = 0;
  for (int width : {8, 8, 8, 1}) {
    std::vector<DocId> next;
    for (int j = 0; j < width; ++j) {
      DocId acc = m.add_input(std::string("b").append(std::to_string(w++)), TensorD::scalar(u(rng)), {});
      for (DocId in : layer) {
        DocId weight = m.add_input(std::string("w").append(std::to_string(w++)), TensorD::scalar(u(rng)), {});
        DocId prod = m.add_op(Op::Mul, {}, {});
        m.connect(weight, prod, 0, nullptr);
        m.connect(in, prod, 1, nullptr);
        DocId sum = m.add_op(Op::Add, {}, {});
        m.connect(acc, sum, 0, nullptr);
        m.connect(prod, sum, 1, nullptr);
        acc = sum;
      }
      DocId act = m.add_op(Op::Tanh, {}, {});
      m.connect(acc, act, 0, nullptr);
      next.push_back(act);
    }
    layer = next;
  }
  m.title = "mlp-500";
  layered_layout(&m);
  return m;
}

}  // namespace gs::app
