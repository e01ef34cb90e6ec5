// Session: edits with undo, expression parsing, files, autosave and recent files. The engine does
// the parsing, building and evaluating (parse.h, graph_json.h, lesson.h). No ImGui, no GL.
#include "app/graph/session.h"

#include "app/base/i18n.h"
#include "app/graph/layout.h"
#include "engine/parse.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace gs::app {

namespace fs = std::filesystem;

namespace {
constexpr std::size_t kRecentLimit = 8;
constexpr double kAutosaveDelay = 2.0;  // seconds after the last edit
}  // namespace

void Session::changed() {
  lesson_.rebuild(model_);
  dirty_ = true;
  autosave_pending_ = true;
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
  if (!history_.undo(&model_)) return false;
  changed();
  return true;
}

bool Session::redo() {
  if (!history_.redo(&model_)) return false;
  changed();
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
  const std::vector<char> tensor = tensor_nodes();
  edit([&](GraphModel& m) { layered_layout(&m, tensor); });
}

bool Session::extend_with_adjoints() {
  if (!lesson_.ready()) return false;
  GraphDocument doc;
  try {
    GradientGraph gg = gradient_graph(lesson_.graph(), lesson_.graph().output());
    doc.graph = std::move(gg.graph);
  } catch (const std::exception& e) {
    set_status(e.what(), true);
    return false;
  }
  doc.values = lesson_.built().bindings;
  doc.title = model_.title;
  replace_model(GraphModel::from_document(doc));
  return true;
}

// A new document from an edit that rebuilds the graph: undoable, laid out anew, lesson restarted.
void Session::replace_model(GraphModel next) {
  history_.record(model_);
  model_ = std::move(next);
  ++generation_;
  lesson_.rebuild(model_);
  layered_layout(&model_, tensor_nodes());
  lesson_.reset();
  dirty_ = true;
  autosave_pending_ = true;
}

bool Session::set_expression(const std::string& text) {
  ShapeMap shapes;
  for (const DocNode& n : model_.nodes())
    if (n.kind == NodeKind::Input) shapes[n.name] = n.value.shape();
  GraphDocument doc;
  try {
    doc.graph = parse_expression(text, shapes);
  } catch (const ParseError& e) {
    expression_error_ = ExpressionError{text, e.what(), std::max(e.column(), 1), std::max(e.length(), 1)};
    return false;
  } catch (const std::exception& e) {
    expression_error_ = ExpressionError{text, e.what(), 1, 1};
    return false;
  }
  expression_error_ = {};
  // Inputs keep the values they had under the same name; new ones start at 1.
  for (NodeId id : doc.graph.inputs()) {
    const Node& n = doc.graph.node(id);
    TensorD value(n.shape, 1.0);
    for (const DocNode& old : model_.nodes())
      if (old.kind == NodeKind::Input && old.name == n.name && old.value.shape() == n.shape) value = old.value;
    doc.values[n.name] = value;
  }
  doc.expression = text;
  replace_model(GraphModel::from_document(doc));
  return true;
}

void Session::load(GraphModel model, const std::string& path) {
  model_ = std::move(model);
  ++generation_;
  history_.clear();
  lesson_ = Lesson{};
  lesson_.rebuild(model_);
  bool placed = std::any_of(model_.nodes().begin(), model_.nodes().end(),
                            [](const DocNode& n) { return n.pos.x != 0.0f || n.pos.y != 0.0f; });
  if (!placed) layered_layout(&model_, tensor_nodes());
  path_ = path;
  dirty_ = false;
  expression_error_ = {};
}

bool Session::open_file(const std::string& path) {
  try {
    GraphDocument doc = load_document(path);
    load(GraphModel::from_document(doc), path);
    remember_recent(path);
    set_status(trf(Tr::MsgOpened, fs::path(path).filename().string()));
    return true;
  } catch (const std::exception& e) {
    set_status(trf(Tr::MsgOpenFailed, path, e.what()), true);
    return false;
  }
}

bool Session::save_file(const std::string& path) {
  try {
    save_document(to_document(model_, lesson_.built()), path);
  } catch (const std::exception& e) {
    set_status(e.what(), true);
    return false;
  }
  path_ = path;
  dirty_ = false;
  remember_recent(path);
  set_status(trf(Tr::MsgSaved, path));
  return true;
}

bool Session::open_example(const std::string& name) {
  const fs::path file = fs::path(assets_dir()) / "examples" / (name + ".json");
  if (!fs::exists(file) && name == kDefaultExample) {
    load(builtin_seed004(), "");
    return true;
  }
  try {
    load(GraphModel::from_document(load_document(file.string())), "");
    model_.title = model_.title.empty() ? name : model_.title;
    return true;
  } catch (const std::exception& e) {
    set_status(trf(Tr::MsgOpenFailed, file.string(), e.what()), true);
    return false;
  }
}

std::string Session::display_name() const {
  if (!path_.empty()) return fs::path(path_).filename().string();
  return model_.title.empty() ? std::string(tr(Tr::Untitled)) : model_.title;
}

// [SECTION] persistence

void Session::enable_persistence(const std::string& state_dir) {
  state_dir_ = state_dir;
  std::error_code ec;
  fs::create_directories(state_dir_, ec);
  std::ifstream in(fs::path(state_dir_) / "recent.txt");
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && recent_.size() < kRecentLimit) recent_.push_back(line);
}

void Session::remember_recent(const std::string& path) {
  if (path.empty()) return;
  const std::string abs = fs::absolute(path).string();
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
  if (!pending_write_ || now_seconds - last_change_ < kAutosaveDelay) return;
  pending_write_ = false;
  try {
    // Written beside and renamed over, so that a crash mid-write keeps the previous autosave.
    const fs::path tmp = fs::path(state_dir_) / "autosave.json.tmp";
    save_document(to_document(model_, lesson_.built()), tmp.string());
    fs::rename(tmp, fs::path(state_dir_) / "autosave.json");
  } catch (const std::exception&) {
    // An incomplete graph (an unconnected slot) cannot be saved yet; the next edit tries again.
  }
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
    set_status(tr(Tr::MsgRecovered));
    return true;
  } catch (const std::exception& e) {
    set_status(trf(Tr::MsgOpenFailed, file.string(), e.what()), true);
    return false;
  }
}

// [SECTION] examples

std::string assets_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const fs::path& p : {exe.parent_path() / "assets", exe.parent_path().parent_path() / "share" / "gradscope" / "assets"})
      if (fs::is_directory(p / "examples")) return p.string();
  }
  return GRADSCOPE_ASSETS_DIR;
}

std::vector<std::string> example_names() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(fs::path(assets_dir()) / "examples", ec))
    if (e.path().extension() == ".json") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  auto it = std::find(names.begin(), names.end(), kDefaultExample);
  if (it != names.end()) std::rotate(names.begin(), it, it + 1);
  if (names.empty()) names.push_back(kDefaultExample);
  return names;
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
