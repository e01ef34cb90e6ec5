// Session: edits with undo, expression parsing, files, autosave and recent files. The engine does
// the parsing, building and evaluating (parse.h, graph_json.h, lesson.h). No ImGui, no GL.
#include "app/graph/session.h"

#include "app/base/i18n.h"
#include "app/graph/layout.h"
#include "engine/parse.h"
#include "engine/text_file.h"
#include "engine/trace.h"
#include "nn/assets.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>

namespace gs::app {

namespace fs = std::filesystem;

namespace {
constexpr std::size_t kRecentLimit = 8;
constexpr double kAutosaveDelay = 2.0;  // seconds after the last edit
}  // namespace

void Session::rebuild_lesson() {
  lesson_.rebuild(model_);
  measure_faces();
}

void Session::adopt_lesson(Graph graph) {
  lesson_.adopt(adopt_graph(model_, std::move(graph)));
  measure_faces();
}

void Session::measure_faces() {
  // The partial adjoint on each link, by (consumer, slot), for the labels' widths: one look-up
  // per link instead of a pass over every partial (a 100,000-node graph: 10^10 comparisons).
  partial_of_link_.assign(static_cast<std::size_t>(lesson_.graph().size()) * kMaxInputs, -1);
  if (lesson_.ready()) {
    const std::vector<PartialAdjoint>& partials = lesson_.reverse_result().partials;
    for (std::size_t k = 0; k < partials.size(); ++k) {
      const std::size_t at = link_index(partials[k].to, partials[k].slot);
      if (partials[k].to.valid() && at < partial_of_link_.size()) partial_of_link_[at] = static_cast<int>(k);  // the last, as before
    }
  }
  faces_ = node_faces(model_, lesson_);
  size_faces();
}

void Session::size_faces() {
  ++layout_version_;
  sizes_.resize(faces_.size());
  for (std::size_t i = 0; i < faces_.size(); ++i) {
    break_title(&faces_[i], measure_);
    sizes_[i] = face_size(faces_[i], measure_);
  }
}

void Session::set_text_measure(TextMeasure measure) {
  measure_ = std::move(measure);
  size_faces();
}

float Session::label_width(std::size_t index, int slot) const {
  const BuiltGraph& built = lesson_.built();
  if (index >= model_.nodes().size() || index >= built.engine_of.size()) return 0.0f;
  const NodeId to = built.engine_of[index];
  const NodeId from = built.engine(model_, model_.nodes()[index].inputs[slot]);
  if (!to.valid() || !from.valid() || !built.graph.node(from).requires_grad) return 0.0f;
  // A scalar partial carries its number under its name (two lines); a tensor one its name only
  // (view_graph.cpp). The number is today's, with room for one more character (an edited value;
  // a wider one finds room above or below its link, view_graph.cpp), or a typical number's before
  // the graph is evaluated: gaps as narrow as the labels in them keep the graph's text large.
  const std::string name = partial_adjoint_name(built.graph, from, to);
  float w = measure_(name, face::kLabelSize);
  if (built.graph.node(from).shape.size() == 1) {
    std::string number = face::kTypicalNumber;
    const std::size_t at = link_index(to, slot);
    if (lesson_.ready() && at < partial_of_link_.size() && partial_of_link_[at] >= 0)
      number = on_screen(format_tensor(lesson_.reverse_result().partials[static_cast<std::size_t>(partial_of_link_[at])].value, 1)) + "0";
    w = std::max(w, measure_(label_number_line(number), face::kLabelSize));
  }
  return w + 2 * face::kLabelPadX;
}

std::pair<Point, Point> Session::bounds() const {
  const auto& n = model_.nodes();
  if (n.empty()) return {};
  Point lo{n[0].pos}, hi{n[0].pos.x + sizes_[0].x, n[0].pos.y + sizes_[0].y};
  for (std::size_t i = 1; i < n.size(); ++i) {
    lo = Point{std::min(lo.x, n[i].pos.x), std::min(lo.y, n[i].pos.y)};
    hi = Point{std::max(hi.x, n[i].pos.x + sizes_[i].x), std::max(hi.y, n[i].pos.y + sizes_[i].y)};
  }
  return {lo, hi};
}

void Session::lay_out() {
  ++layout_version_;
  std::vector<std::array<float, 3>> labels(model_.nodes().size(), {0, 0, 0});
  for (std::size_t i = 0; i < labels.size(); ++i)
    for (int s = 0; s < model_.nodes()[i].arity; ++s) labels[i][s] = label_width(i, s);
  LayoutParams params;
  params.label_height = face::kLabelHeight;
  std::vector<char> beside(faces_.size(), 0);  // constants' pills beside their consumer
  for (std::size_t i = 0; i < faces_.size() && i < beside.size(); ++i) beside[i] = faces_[i].compact && !faces_[i].problem;
  work_.layout = layered_layout(&model_, sizes_, labels, params, beside);
}

Point Session::free_offset(const std::vector<Point>& pos, const std::vector<Point>& size, Point prefer) const {
  const float gap = LayoutParams{}.row_gap;
  const auto& n = model_.nodes();
  // Steps of a quarter of the group's smallest box: fine enough to stay near, few enough to try.
  float step_x = 40.0f, step_y = 40.0f;
  for (const Point& s : size) {
    step_x = std::max(step_x, s.x * 0.25f);
    step_y = std::max(step_y, s.y * 0.25f);
  }
  constexpr int kReach = 24;
  // Only the nodes some try could touch are compared (a 100,000-node graph has a few near):
  // those within the box every try of every new box lies in, and a gap.
  Point reach_lo{INFINITY, INFINITY}, reach_hi{-INFINITY, -INFINITY};
  for (std::size_t k = 0; k < pos.size(); ++k) {
    reach_lo = Point{std::min(reach_lo.x, pos[k].x + prefer.x - kReach * step_x), std::min(reach_lo.y, pos[k].y + prefer.y - kReach * step_y)};
    reach_hi = Point{std::max(reach_hi.x, pos[k].x + size[k].x + prefer.x + kReach * step_x),
                     std::max(reach_hi.y, pos[k].y + size[k].y + prefer.y + kReach * step_y)};
  }
  std::vector<std::size_t> near;
  for (std::size_t i = 0; i < n.size() && i < sizes_.size(); ++i) {
    const Point b = n[i].pos, sb = sizes_[i];
    if (b.x < reach_hi.x + gap && reach_lo.x < b.x + sb.x + gap && b.y < reach_hi.y + gap && reach_lo.y < b.y + sb.y + gap) near.push_back(i);
  }
  auto free_at = [&](Point off) {
    for (std::size_t k = 0; k < pos.size(); ++k) {
      const Point a{pos[k].x + off.x, pos[k].y + off.y}, sa = size[k];
      for (std::size_t i : near) {
        const Point b = n[i].pos, sb = sizes_[i];
        if (a.x < b.x + sb.x + gap && b.x < a.x + sa.x + gap && a.y < b.y + sb.y + gap && b.y < a.y + sa.y + gap) return false;
      }
    }
    return true;
  };
  std::vector<Point> tries;
  for (int i = -kReach; i <= kReach; ++i)
    for (int j = -kReach; j <= kReach; ++j) tries.push_back(Point{prefer.x + i * step_x, prefer.y + j * step_y});
  // Nearest first; of two as near, below before above and right before left (where one reads on).
  auto cost = [&](Point p) {
    const float dx = (p.x - prefer.x) / step_x, dy = (p.y - prefer.y) / step_y;
    return dx * dx + dy * dy - 0.01f * (dy > 0) - 0.005f * (dx > 0);
  };
  std::stable_sort(tries.begin(), tries.end(), [&](Point a, Point b) { return cost(a) < cost(b); });
  for (const Point& t : tries)
    if (free_at(t)) return t;
  // Everything near is taken: below the whole graph.
  const auto [lo, hi] = bounds();
  float top = INFINITY;
  for (const Point& p : pos) top = std::min(top, p.y);
  return Point{prefer.x, hi.y + gap - (pos.empty() ? 0.0f : top)};
}

bool Session::boxes_overlap() const {
  // A grid of cells as large as the largest box: a box can only overlap boxes whose top-left
  // corner is in its own cell or a neighbouring one, so each is compared with the few near it
  // (every pair of a 100,000-node file was 5·10^9 comparisons).
  const auto& n = model_.nodes();
  const std::size_t count = std::min(n.size(), sizes_.size());
  work_.overlap_pairs = 0;
  if (count < 2) return false;
  float cw = 1.0f, ch = 1.0f;
  for (std::size_t i = 0; i < count; ++i) {
    cw = std::max(cw, sizes_[i].x);
    ch = std::max(ch, sizes_[i].y);
  }
  auto cell = [&](std::size_t i) {
    auto at = [](float v, float step) { return static_cast<std::int64_t>(std::clamp(std::floor(static_cast<double>(v) / step), -1e15, 1e15)); };
    return std::pair<std::int64_t, std::int64_t>{at(n[i].pos.x, cw), at(n[i].pos.y, ch)};
  };
  std::vector<std::pair<std::pair<std::int64_t, std::int64_t>, std::size_t>> by_cell(count);
  for (std::size_t i = 0; i < count; ++i) by_cell[i] = {cell(i), i};
  std::sort(by_cell.begin(), by_cell.end());
  for (std::size_t i = 0; i < count; ++i) {
    const auto [cx, cy] = cell(i);
    for (std::int64_t dx = -1; dx <= 1; ++dx)
      for (std::int64_t dy = -1; dy <= 1; ++dy) {
        const std::pair<std::int64_t, std::int64_t> c{cx + dx, cy + dy};
        auto it = std::lower_bound(by_cell.begin(), by_cell.end(), std::pair{c, std::size_t{0}});
        for (; it != by_cell.end() && it->first == c; ++it) {
          const std::size_t j = it->second;
          if (j <= i) continue;  // each pair once
          ++work_.overlap_pairs;
          const Point a = n[i].pos, b = n[j].pos, sa = sizes_[i], sb = sizes_[j];
          if (a.x < b.x + sb.x && b.x < a.x + sa.x && a.y < b.y + sb.y && b.y < a.y + sa.y) return true;
        }
      }
  }
  return false;
}

void Session::changed() {
  rebuild_lesson();
  edited();
}

void Session::edited() {
  dirty_ = true;
  autosave_pending_ = true;
  ++edit_count_;
}

void Session::moved() {
  ++layout_version_;
  edited();
}

void Session::move_nodes(const std::vector<DocId>& ids, float dx, float dy) {
  history_.record(model_);
  model_.move(ids, dx, dy);
  moved();
}

void Session::edit(const std::function<void(GraphModel&)>& change) {
  history_.record(model_);
  change(model_);
  changed();
}

void Session::begin_continuous_edit() { history_.record(model_); }

void Session::continuous_edit(const std::function<void(GraphModel&)>& change) {
  change(model_);
  changed();
}

bool Session::undo() {
  const GraphModel before = model_;
  if (!history_.undo(&model_)) return false;
  // Undoing a move changes positions only: the lesson stands.
  if (same_except_positions(before, model_)) moved();
  else changed();
  return true;
}

bool Session::redo() {
  const GraphModel before = model_;
  if (!history_.redo(&model_)) return false;
  if (same_except_positions(before, model_)) moved();
  else changed();
  return true;
}

std::vector<char> Session::tensor_nodes() const {
  const auto& built = lesson_.built();
  std::vector<char> out(model_.nodes().size(), 0);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const NodeId id = i < built.engine_of.size() ? built.engine_of[i] : NodeId{};
    out[i] = id.valid() ? built.graph.node(id).shape.rank() > 0 : model_.nodes()[i].value.rank() > 0;
  }
  return out;
}

void Session::relayout() {
  history_.record(model_);
  lay_out();
  edited();
}

bool Session::extend_with_adjoints() {
  if (!lesson_.ready()) return false;
  GraphDocument doc;
  GradientGraph gg;
  try {
    gg = gradient_graph(lesson_.graph(), lesson_.graph().output());
  } catch (const std::exception& e) {
    set_status(translate(e.what()), true);
    return false;
  }
  // Seed 004's figure: the nodes that hold adjoints are named v̄i after the node of the original
  // graph whose adjoint they are (its v-number before the extension renumbers), the partial
  // adjoints that feed their sums v̄i→j (an adjoint's own name wins where v̄i is its one partial),
  // and every node the extension adds is drawn in the adjoint colour with dashed links.
  const Graph& original = lesson_.graph();
  for (const GradientGraph::Partial& p : gg.partials)
    if (p.node.index >= gg.original_size) gg.graph.set_op_name(p.node, partial_adjoint_name(original, p.from, p.to));
  for (int i = 0; i < gg.original_size; ++i) {
    const NodeId a = gg.adjoint[static_cast<std::size_t>(i)];
    if (a.valid() && a.index >= gg.original_size) gg.graph.set_op_name(a, adjoint_label(original.label(NodeId{i})));
  }
  doc.graph = std::move(gg.graph);
  doc.values = lesson_.built().bindings;
  doc.title = model_.title;
  GraphModel next = GraphModel::from_document(doc);
  next.mark_reverse(gg.original_size);
  replace_model(std::move(next), std::move(doc.graph));
  return true;
}

// A new document from an edit that rebuilds the graph: undoable, laid out anew, lesson restarted.
void Session::replace_model(GraphModel next, Graph graph) {
  history_.record(model_);
  model_ = std::move(next);
  ++generation_;
  adopt_lesson(std::move(graph));
  lay_out();
  lesson_.reset();
  edited();
}

namespace {
// name → the text of the statement that gives that input its value (`randn(2, 3)`), or nothing
// when the text does not parse.
std::map<std::string, std::string> given_texts(const ParsedExpression& parsed, const std::string& text) {
  std::map<std::string, std::string> out;
  for (const GivenValue& g : parsed.given)
    out[g.name] = text.substr(static_cast<std::size_t>(g.span.begin), static_cast<std::size_t>(g.span.end - g.span.begin));
  return out;
}
std::map<std::string, std::string> given_texts(const std::string& text, const ShapeMap& shapes) {
  if (text.empty()) return {};
  try {
    return given_texts(parse_program(text, shapes), text);
  } catch (const std::exception&) {
    return {};
  }
}
}  // namespace

bool Session::set_expression(const std::string& text) {
  // Scalars are every input's default: only other shapes are passed on, so that an input that
  // never had a value is named when a matrix product needs one ("'x' has no value yet …").
  ShapeMap shapes;
  for (const DocNode& n : model_.nodes())
    if (n.kind == NodeKind::Input && n.value.rank() > 0) shapes[n.name] = n.value.shape();
  GraphDocument doc;
  std::map<std::string, TensorD> given;
  std::map<std::string, std::string> given_text;
  try {
    ParsedExpression parsed = parse_program(text, shapes);
    name_statements(parsed);
    given_text = given_texts(parsed, text);
    for (GivenValue& g : parsed.given) given[g.name] = std::move(g.value);
    doc.graph = std::move(parsed.graph);
  } catch (const ParseError& e) {
    expression_error_ = ExpressionError{text, e.what(), std::max(e.column(), 1), std::max(e.length(), 1)};
    return false;
  } catch (const std::exception& e) {
    expression_error_ = ExpressionError{text, e.what(), 1, 1};
    return false;
  }
  expression_error_ = {};
  // Inputs keep the values they had under the same name; new ones start at 1. An input whose
  // value the formula gives takes that value when its statement is new or changed (an edit in
  // the input editor survives retyping the rest of the formula).
  const std::map<std::string, std::string> old_given = given_texts(model_.expression, shapes);
  for (NodeId id : doc.graph.inputs()) {
    const Node& n = doc.graph.node(id);
    TensorD value(n.shape, 1.0);
    bool kept = false;
    for (const DocNode& old : model_.nodes())
      if (old.kind == NodeKind::Input && old.name == n.name && old.value.shape() == n.shape) {
        value = old.value;
        kept = true;
      }
    if (auto g = given.find(n.name); g != given.end()) {
      auto before = old_given.find(n.name);
      if (!kept || before == old_given.end() || before->second != given_text[n.name]) value = g->second;
    }
    doc.values[n.name] = value;
  }
  doc.expression = text;
  GraphModel next = GraphModel::from_document(doc);
  replace_model(std::move(next), std::move(doc.graph));
  return true;
}

void Session::load(GraphModel model, const std::string& path) {
  model_ = std::move(model);
  ++generation_;
  history_.clear();
  lesson_ = Lesson{};
  rebuild_lesson();
  after_load(path);
}

void Session::load(const GraphDocument& file, const std::string& path) {
  GraphDocument doc = file;
  restore_statement_names(&doc);
  model_ = GraphModel::from_document(doc);
  ++generation_;
  history_.clear();
  lesson_ = Lesson{};
  adopt_lesson(doc.graph);
  after_load(path);
}

void name_statements(ParsedExpression& parsed) {
  // Later statements win: after `b = a`, the node is called b.
  for (const auto& [name, id] : parsed.names) parsed.graph.set_op_name(id, name);
}

void restore_statement_names(GraphDocument* doc) {
  if (doc->expression.empty()) return;
  try {
    ShapeMap shapes;
    for (const auto& [name, value] : doc->values) shapes[name] = value.shape();
    ParsedExpression parsed = parse_program(doc->expression, shapes);
    if (parsed.graph.size() != doc->graph.size()) return;
    for (int i = 0; i < parsed.graph.size(); ++i)
      if (parsed.graph.formula(NodeId{i}) != doc->graph.formula(NodeId{i})) return;  // edited since
    for (const auto& [name, id] : parsed.names) doc->graph.set_op_name(id, name);
  } catch (const std::exception&) {
    // An expression that no longer parses names nothing; the graph is the file's.
  }
}

void Session::after_load(const std::string& path) {
  // Laid out anew when the file places no node, or places two over each other (boxes grow with
  // what they show: a file arranged for smaller boxes must not put one node over another).
  bool placed = std::any_of(model_.nodes().begin(), model_.nodes().end(),
                            [](const DocNode& n) { return n.pos.x != 0.0f || n.pos.y != 0.0f; });
  if (!placed || boxes_overlap()) lay_out();
  loaded_from(path);
}

void Session::loaded_from(const std::string& path) {
  path_ = path;
  dirty_ = false;
  expression_error_ = {};
}

Session Session::opened(const GraphDocument& doc, const std::string& path, TextMeasure measure) {
  Session ready;
  ready.measure_ = std::move(measure);
  ready.load(doc, path);
  return ready;
}

void Session::take_opened(Session&& ready, const std::string& path) {
  model_ = std::move(ready.model_);
  lesson_ = std::move(ready.lesson_);
  faces_ = std::move(ready.faces_);
  sizes_ = std::move(ready.sizes_);
  partial_of_link_ = std::move(ready.partial_of_link_);
  work_ = ready.work_;
  ++generation_;
  history_.clear();
  loaded_from(path);  // after_load()'s part that is not layout: the boxes are laid out already
  remember_recent(path);
  set_status(trf(Tr::MsgOpened, fs::path(path).filename().string()));
}

bool Session::open_file(const std::string& path) {
  try {
    take_opened(opened(load_document(path), path, measure_), path);
    return true;
  } catch (const std::exception& e) {
    set_status(open_failed_message(path, e.what()), true);
    return false;
  }
}

bool Session::open_untitled(const std::string& path) {
  try {
    const GraphDocument doc = load_document(path);
    load(doc, "");
    edited();
    set_status(trf(Tr::MsgOpened, doc.title.empty() ? fs::path(path).filename().string() : doc.title));
    return true;
  } catch (const std::exception& e) {
    set_status(open_failed_message(path, e.what()), true);
    return false;
  }
}

bool Session::save_file(const std::string& path) {
  try {
    save_document(to_document(model_, lesson_.built()), path);
  } catch (const std::exception& e) {
    set_status(translate(e.what()), true);
    return false;
  }
  path_ = path;
  dirty_ = false;
  remember_recent(path);
  set_status(trf(Tr::MsgSaved, path));
  return true;
}

bool Session::open_example(const std::string& name) {
  const std::string dir = examples_dir();
  const fs::path file = fs::path(dir.empty() ? "assets/examples" : dir) / (name + ".json");
  if ((dir.empty() || !fs::exists(file)) && name == kDefaultExample) {
    load(builtin_seed004(), "");
    return true;
  }
  try {
    load(load_document(file.string()), "");
    model_.title = model_.title.empty() ? name : model_.title;
    return true;
  } catch (const std::exception& e) {
    set_status(open_failed_message(file.string(), e.what()), true);
    return false;
  }
}

std::string Session::display_name() const {
  if (!path_.empty()) return fs::path(path_).filename().string();
  return model_.title.empty() ? std::string(tr(Tr::Untitled)) : translate(model_.title);
}

// [SECTION] persistence

void Session::end_persistence() {
  if (state_dir_.empty() || !offer_.file.empty()) return;
  std::error_code ec;
  fs::remove(fs::path(state_dir_) / "autosave.json", ec);
  state_dir_.clear();
}

void Session::enable_persistence(const std::string& state_dir) {
  state_dir_ = state_dir;
  std::error_code ec;
  fs::create_directories(state_dir_, ec);
  const fs::path autosave = fs::path(state_dir_) / "autosave.json";
  if (fs::is_regular_file(autosave, ec)) {
    offer_.file = autosave.string();
    const auto written = fs::last_write_time(autosave, ec);
    if (!ec) {
      const std::time_t t = std::chrono::system_clock::to_time_t(
          std::chrono::time_point_cast<std::chrono::system_clock::duration>(
              written - fs::file_time_type::clock::now() + std::chrono::system_clock::now()));
      char buf[32];
      std::tm tm{};
      localtime_r(&t, &tm);
      std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
      offer_.written = buf;
    }
  }
  // A list written before paths were spelled one way may hold a file twice: once is enough.
  std::ifstream in(fs::path(state_dir_) / "recent.txt");
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || recent_.size() >= kRecentLimit) continue;
    line = recent_spelling(line);
    if (std::find(recent_.begin(), recent_.end(), line) == recent_.end()) recent_.push_back(line);
  }
}

std::string recent_spelling(const std::string& path) {
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(fs::absolute(path), ec);
  return ec ? fs::absolute(path).lexically_normal().string() : canonical.string();
}

void Session::remember_recent(const std::string& path) {
  if (path.empty()) return;
  const std::string abs = recent_spelling(path);
  std::erase(recent_, abs);
  recent_.insert(recent_.begin(), abs);
  if (recent_.size() > kRecentLimit) recent_.resize(kRecentLimit);
  if (state_dir_.empty()) return;
  std::ofstream out(fs::path(state_dir_) / "recent.txt");
  for (const std::string& r : recent_) out << r << '\n';
}

void Session::autosave_if_due(double now_seconds) {
  if (state_dir_.empty()) return;
  if (autosave_pending_) {
    autosave_pending_ = false;
    last_change_ = now_seconds;
    pending_write_ = true;
  }
  // The last session's autosave is not overwritten before it has been offered and answered.
  if (!pending_write_ || now_seconds - last_change_ < kAutosaveDelay || !offer_.file.empty()) return;
  pending_write_ = false;
  GraphDocument doc;
  try {
    doc = to_document(model_, lesson_.built());
  } catch (const std::exception&) {
    return;  // an incomplete graph (an unconnected slot) cannot be saved yet; the next edit tries again
  }
  try {
    // save_document writes a temporary file and renames it: a crash mid-write keeps the last one.
    save_document(doc, (fs::path(state_dir_) / "autosave.json").string());
    autosave_failed_ = false;
  } catch (const std::exception& e) {
    if (!autosave_failed_) set_status(trf(Tr::MsgAutosaveFailed, e.what()), true);
    autosave_failed_ = true;
  }
}

void Session::discard_autosave() {
  if (offer_.file.empty()) return;
  std::error_code ec;
  fs::rename(offer_.file, fs::path(state_dir_) / "autosave-discarded.json", ec);
  offer_ = {};
  set_status(tr(Tr::MsgAutosaveDiscarded));
}

double Session::autosave_due() const {
  return (!state_dir_.empty() && pending_write_) ? last_change_ + kAutosaveDelay : 0.0;
}

bool Session::recover_autosave() {
  const fs::path file = fs::path(state_dir_) / "autosave.json";
  if (state_dir_.empty() || !fs::exists(file)) {
    set_status(tr(Tr::MsgNoAutosave), true);
    return false;
  }
  try {
    GraphModel m = GraphModel::from_document(load_document(file.string()));
    history_.record(model_);
    model_ = std::move(m);
    ++generation_;
    changed();
    offer_ = {};  // answered: autosaving goes on, starting with the recovered graph
    set_status(tr(Tr::MsgRecovered));
    return true;
  } catch (const std::exception& e) {
    set_status(open_failed_message(file.string(), e.what()), true);
    return false;
  }
}

// [SECTION] examples

std::string examples_dir() {
  try {
    return nn::asset_path("examples");
  } catch (const std::exception&) {
    return {};  // no assets anywhere: the built-in seed 004 still opens
  }
}

std::vector<std::string> example_names() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(fs::path(examples_dir()), ec))
    if (e.path().extension() == ".json") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  auto it = std::find(names.begin(), names.end(), kDefaultExample);
  if (it != names.end()) std::rotate(names.begin(), it, it + 1);
  if (names.empty()) names.push_back(kDefaultExample);
  return names;
}

std::string open_failed_message(const std::string& path, const std::string& what) {
  std::string why = what;
  if (!path.empty() && why.rfind(path + ": ", 0) == 0) why.erase(0, path.size() + 2);
  if (!path.empty() && why.find(path) != std::string::npos) return translate(why);
  return trf(Tr::MsgOpenFailed, path, translate(why));
}

std::string example_title(const std::string& name) {
  try {
    const fs::path file = fs::path(examples_dir()) / (name + ".json");
    const nlohmann::json j = nlohmann::json::parse(read_text_file(file.string()));
    const std::string title = j.value("title", std::string());
    return title.empty() ? name : translate(title);
  } catch (const std::exception&) {
    return name == kDefaultExample ? translate("Seed 004: y = ln(x1) + x1·x2 − sin(x2)") : name;
  }
}

std::string example_named(const std::string& name_or_title) {
  // A title in either language (a command recorded before the language changed).
  for (const std::string& name : example_names()) {
    if (name_or_title == name || name_or_title == example_title(name)) return name;
    try {
      const nlohmann::json j = nlohmann::json::parse(read_text_file((fs::path(examples_dir()) / (name + ".json")).string()));
      const std::string title = j.value("title", std::string());
      if (!title.empty() && (name_or_title == title || name_or_title == translate(title, Language::Chinese))) return name;
    } catch (const std::exception&) {
    }
  }
  return {};
}

GraphModel builtin_seed004() {
  GraphDocument doc;
  doc.expression = "ln(x1) + x1*x2 - sin(x2)";
  doc.graph = parse_expression(doc.expression);
  doc.values["x1"] = TensorD::scalar(2.0);
  doc.values["x2"] = TensorD::scalar(5.0);
  doc.title = "seed004";
  return GraphModel::from_document(doc);
}

}  // namespace gs::app
