// The schedule lab's model: list edits through drafts, recomputation through src/nn, the table's
// text. No ImGui.
//
// [SECTION] colours
// [SECTION] starting values
// [SECTION] the run and whole lists
// [SECTION] entries
// [SECTION] recomputing an entry
// [SECTION] the table
#include "app/schedules/lab_model.h"

#include "nn/errors.h"
#include "nn/schedule_params.h"
#include "nn/spec_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace gs::app::schedules {

// [SECTION] colours

namespace {
// Distinct on a projector and for most colour-blind viewers in the first five.
constexpr std::uint32_t kPalette[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                      0x8c564b, 0xe377c2, 0x17becf, 0xbcbd22, 0x7f7f7f};
}  // namespace

std::optional<std::uint32_t> parse_colour(std::string_view text) {
  if (text.size() != 7 || text[0] != '#') return std::nullopt;
  std::uint32_t v = 0;
  for (char c : text.substr(1)) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return std::nullopt;
    v = v * 16 + static_cast<std::uint32_t>(d);
  }
  return v;
}

std::string colour_text(std::uint32_t rgb) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%06x", rgb & 0xffffffu);
  return buf;
}

std::uint32_t ScheduleLab::palette_colour(int i) const {
  // The first palette colour no other entry uses, so that a new entry never repeats one on screen.
  for (std::uint32_t c : kPalette) {
    bool used = false;
    for (int j = 0; j < size() && !used; ++j) used = j != i && entries_[static_cast<std::size_t>(j)].rgb == c;
    if (!used) return c;
  }
  return kPalette[static_cast<std::size_t>(i) % std::size(kPalette)];
}

// [SECTION] starting values

namespace {

// A new entry's spec: the table's required parameters given values that show the schedule well
// over this run (what a lecturer would type first), optional ones left to their defaults except
// where torch's default suits a batch-stepped run and not an epoch one (CyclicLR's 2000 steps).
nlohmann::json starting_spec(const nn::ScheduleInfo& info, double lr, int epochs) {
  auto part = [epochs](double f) { return std::max<long long>(1, std::llround(epochs * f)); };
  nlohmann::json s = {{"name", info.name}};
  const std::string& n = info.name;
  if (n == "step") s["step_size"] = part(0.3), s["gamma"] = 0.1;
  else if (n == "multistep") s["milestones"] = {part(0.3), part(0.6), part(0.8)}, s["gamma"] = 0.1;
  else if (n == "exponential") s["gamma"] = 0.95;
  else if (n == "cosine") s["t_max"] = epochs;
  else if (n == "onecycle") s["max_lr"] = lr > 0 ? lr : 0.1;
  else if (n == "warm-restarts") s["t_0"] = part(0.2);
  else if (n == "cyclic") s["base_lr"] = (lr > 0 ? lr : 0.1) / 100, s["max_lr"] = lr > 0 ? lr : 0.1, s["step_size_up"] = part(0.1);
  else if (n == "multiplicative") s["factor"] = "0.95";
  else if (n == "lambda") s["factor"] = "0.95^epoch";
  // Any other required parameter (a schedule added to the table later): from its slider.
  for (const nn::ScheduleParam& p : info.params) {
    if (!p.required() || s.contains(p.key) || p.kind == nn::ParamKind::ScheduleList) continue;
    const double mid = p.slider.log ? std::sqrt(p.slider.lo * p.slider.hi) : 0.5 * (p.slider.lo + p.slider.hi);
    switch (p.kind) {
      case nn::ParamKind::Integer: s[p.key] = part(0.3); break;
      case nn::ParamKind::IntegerList: s[p.key] = {part(0.3), part(0.6), part(0.8)}; break;
      case nn::ParamKind::Number: s[p.key] = mid; break;
      case nn::ParamKind::Boolean: s[p.key] = false; break;
      case nn::ParamKind::Choice: s[p.key] = p.choices.empty() ? "" : p.choices.front(); break;
      case nn::ParamKind::Expression: s[p.key] = "1"; break;
      case nn::ParamKind::ScheduleList: break;
    }
  }
  return s;
}

// The spec object at `member` inside `spec`, or nullptr (const or not).
template <typename Json>
Json* member_of(Json& spec, const MemberPath& member) {
  Json* s = &spec;
  for (int k : member) {
    if (!s->is_object() || !s->contains("schedulers") || !(*s)["schedulers"].is_array()) return nullptr;
    Json& list = (*s)["schedulers"];
    if (k < 0 || k >= static_cast<int>(list.size())) return nullptr;
    s = &list[static_cast<std::size_t>(k)];
  }
  return s->is_object() ? s : nullptr;
}

}  // namespace

// [SECTION] the run and whole lists

ScheduleLab::ScheduleLab() { apply_preset("classic"); }

bool ScheduleLab::set_lr(double lr) {
  if (!(lr >= 0.0) || !std::isfinite(lr)) {
    run_error_ = "lr must be >= 0, got " + nn::format_number(lr);
    return false;
  }
  run_error_.clear();
  lr_ = lr;
  refresh_all();
  return true;
}

bool ScheduleLab::set_epochs(int epochs) {
  if (epochs < 1 || epochs > kMaxEpochs) {
    run_error_ = "epochs must be between 1 and " + std::to_string(kMaxEpochs) + ", got " + std::to_string(epochs);
    return false;
  }
  run_error_.clear();
  epochs_ = epochs;
  refresh_all();
  return true;
}

bool ScheduleLab::set_batches_per_epoch(int batches) {
  if (batches < 1 || batches > 10000) {
    run_error_ = "batches per epoch must be between 1 and 10000, got " + std::to_string(batches);
    return false;
  }
  run_error_.clear();
  batches_per_epoch_ = batches;
  refresh_all();
  return true;
}

void ScheduleLab::load(const nn::ScheduleList& list) {
  lr_ = list.lr;
  epochs_ = std::clamp(list.epochs, 1, kMaxEpochs);
  batches_per_epoch_ = std::max(list.batches_per_epoch, 1);
  run_error_.clear();
  entries_.clear();
  for (const nn::ScheduleListEntry& e : list.schedules) {
    LabEntry le;
    le.uid = next_uid_++;
    le.entry = e;
    le.draft = e.spec;
    entries_.push_back(std::move(le));
  }
  for (int i = 0; i < size(); ++i) entries_[static_cast<std::size_t>(i)].rgb = 0;
  refresh_all();
}

bool ScheduleLab::load_json(std::string_view text, const std::string& source, std::string* error) {
  try {
    load(nn::read_schedule_list(text, source));
    return true;
  } catch (const std::exception& e) {  // InputError, and anything else: never replace the list
    if (error) *error = e.what();
    return false;
  }
}

bool ScheduleLab::load_specs(std::string_view text, std::string* error) {
  try {
    const nlohmann::json specs = nn::parse_schedule_list_text(text, "--schedules");
    nn::ScheduleList l = list();
    l.schedules.clear();
    for (const nlohmann::json& s : specs) {
      nn::ScheduleListEntry e;
      e.spec = s;
      l.schedules.push_back(std::move(e));
    }
    load(l);
    return true;
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return false;
  }
}

nn::ScheduleList ScheduleLab::list() const {
  nn::ScheduleList l;
  l.lr = lr_;
  l.epochs = epochs_;
  l.batches_per_epoch = batches_per_epoch_;
  for (const LabEntry& e : entries_) {
    nn::ScheduleListEntry s = e.entry;
    if (s.color.empty()) s.color = colour_text(e.rgb);
    l.schedules.push_back(std::move(s));
  }
  return l;
}

std::string ScheduleLab::save_json() const { return nn::write_schedule_list(list()); }

bool ScheduleLab::apply_preset(std::string_view key) {
  for (const nn::ScheduleListPreset& p : nn::schedule_list_presets())
    if (p.key == key) {
      load(p.list);
      return true;
    }
  return false;
}

// [SECTION] entries

int ScheduleLab::add(std::string_view name) {
  const nn::ScheduleInfo* info = nn::find_schedule(name);
  if (!info || info->composite) return -1;
  LabEntry e;
  e.uid = next_uid_++;
  e.entry.spec = starting_spec(*info, lr_, epochs_);
  e.draft = e.entry.spec;
  entries_.push_back(std::move(e));
  refresh(size() - 1);
  return size() - 1;
}

int ScheduleLab::add_composite(std::string_view name, const std::vector<int>& members) {
  if ((name != "sequential" && name != "chained") || members.size() < 2) return -1;
  nlohmann::json list = nlohmann::json::array();
  for (int m : members) {
    if (m < 0 || m >= size()) return -1;
    list.push_back(entries_[static_cast<std::size_t>(m)].entry.spec);  // the last good spec
  }
  nlohmann::json spec = {{"name", std::string(name)}, {"schedulers", list}};
  if (name == "sequential") {
    // Evenly spaced hand-overs: n members switch at N/n, 2N/n, ….
    nlohmann::json milestones = nlohmann::json::array();
    const int n = static_cast<int>(members.size());
    for (int k = 1; k < n; ++k) milestones.push_back(std::max(1, static_cast<int>(std::llround(static_cast<double>(epochs_) * k / n))));
    spec["milestones"] = milestones;
  }
  LabEntry e;
  e.uid = next_uid_++;
  e.entry.spec = spec;
  e.draft = spec;
  entries_.push_back(std::move(e));
  refresh(size() - 1);
  return size() - 1;
}

int ScheduleLab::duplicate(int i) {
  if (i < 0 || i >= size()) return -1;
  LabEntry copy = entries_[static_cast<std::size_t>(i)];
  copy.uid = next_uid_++;
  copy.entry.color.clear();  // a colour of its own
  copy.rgb = 0;
  entries_.insert(entries_.begin() + i + 1, std::move(copy));
  refresh(i + 1);
  return i + 1;
}

void ScheduleLab::remove(int i) {
  if (i < 0 || i >= size()) return;
  entries_.erase(entries_.begin() + i);
}

void ScheduleLab::move(int from, int to) {
  if (from < 0 || from >= size() || to < 0 || to >= size() || from == to) return;
  LabEntry e = std::move(entries_[static_cast<std::size_t>(from)]);
  entries_.erase(entries_.begin() + from);
  entries_.insert(entries_.begin() + to, std::move(e));
}

void ScheduleLab::set_hidden(int i, bool hidden) {
  if (i >= 0 && i < size()) entries_[static_cast<std::size_t>(i)].entry.hidden = hidden;
}

void ScheduleLab::set_label(int i, std::string label) {
  if (i < 0 || i >= size()) return;
  entries_[static_cast<std::size_t>(i)].entry.label = std::move(label);
  refresh(i);
}

void ScheduleLab::set_color(int i, std::uint32_t rgb) {
  if (i < 0 || i >= size()) return;
  LabEntry& e = entries_[static_cast<std::size_t>(i)];
  e.entry.color = colour_text(rgb);
  e.rgb = rgb & 0xffffffu;
}

const nlohmann::json* ScheduleLab::draft_member(int i, const MemberPath& member) const {
  if (i < 0 || i >= size()) return nullptr;
  return member_of(entries_[static_cast<std::size_t>(i)].draft, member);
}

const nlohmann::json* ScheduleLab::good_member(int i, const MemberPath& member) const {
  if (i < 0 || i >= size()) return nullptr;
  return member_of(entries_[static_cast<std::size_t>(i)].entry.spec, member);
}

bool ScheduleLab::set_param_text(int i, const MemberPath& member, const std::string& key, std::string_view text) {
  if (i < 0 || i >= size()) return false;
  const nlohmann::json* spec = draft_member(i, member);
  if (!spec || !spec->contains("name") || !(*spec)["name"].is_string()) return false;
  const nn::ScheduleInfo* info = nn::find_schedule((*spec)["name"].get<std::string>());
  return set_param(i, member, key, nn::typed_param_value(info ? info->find(key) : nullptr, text));
}

bool ScheduleLab::set_param(int i, const MemberPath& member, const std::string& key, const nlohmann::json& value) {
  if (i < 0 || i >= size()) return false;
  nlohmann::json* spec = member_of(entries_[static_cast<std::size_t>(i)].draft, member);
  if (!spec || key == "name") return false;
  (*spec)[key] = value;
  refresh(i, &member, &key);
  return entries_[static_cast<std::size_t>(i)].error.empty();
}

bool ScheduleLab::reset_param(int i, const MemberPath& member, const std::string& key) {
  if (i < 0 || i >= size()) return false;
  nlohmann::json* spec = member_of(entries_[static_cast<std::size_t>(i)].draft, member);
  if (!spec) return false;
  spec->erase(key);
  refresh(i, &member, &key);
  return entries_[static_cast<std::size_t>(i)].error.empty();
}

bool ScheduleLab::set_metric_seed(int i, std::uint64_t seed) {
  if (i < 0 || i >= size()) return false;
  LabEntry& e = entries_[static_cast<std::size_t>(i)];
  e.entry.metric_seed = seed;
  e.entry.metrics.clear();
  refresh(i);
  return e.error.empty();
}

bool ScheduleLab::set_metrics_text(int i, std::string_view text) {
  if (i < 0 || i >= size()) return false;
  LabEntry& e = entries_[static_cast<std::size_t>(i)];
  // Read as src/nn reads a list of numbers (the CLI's --metrics): "2.3, 2.1, 2.0".
  nn::ScheduleParam numbers;
  numbers.kind = nn::ParamKind::IntegerList;
  const nlohmann::json v = nn::typed_param_value(&numbers, text);
  std::vector<double> values;
  bool ok = v.is_array();
  if (ok)
    for (const nlohmann::json& x : v) {
      if (!x.is_number()) {
        ok = false;
        break;
      }
      values.push_back(x.get<double>());
    }
  if (!ok) {
    e.error = "plateau: metrics must be numbers separated by commas, got '" + std::string(text) + "'";
    e.error_key = "metrics";
    e.error_member.clear();
    return false;
  }
  const std::vector<double> before = e.entry.metrics;
  e.entry.metrics = values;
  refresh(i);
  if (!e.error.empty()) e.entry.metrics = before;
  return e.error.empty();
}

void ScheduleLab::set_pitfall(int i, nn::Pitfall pitfall, bool on) {
  if (i < 0 || i >= size()) return;
  const nn::PitfallInfo& info = nn::pitfall_table()[static_cast<std::size_t>(pitfall)];
  std::vector<std::string>& keys = entries_[static_cast<std::size_t>(i)].entry.pitfalls;
  const bool now = std::find(keys.begin(), keys.end(), info.key) != keys.end();
  if (on == now) return;
  if (on) keys.push_back(info.key);
  else std::erase(keys, info.key);
  refresh(i);
}

bool ScheduleLab::has_pitfall(int i, nn::Pitfall pitfall) const {
  if (i < 0 || i >= size()) return false;
  const std::vector<std::string>& keys = entries_[static_cast<std::size_t>(i)].entry.pitfalls;
  return std::find(keys.begin(), keys.end(), nn::pitfall_table()[static_cast<std::size_t>(pitfall)].key) != keys.end();
}

void ScheduleLab::set_pitfall_everywhere(nn::Pitfall pitfall, bool on) {
  for (int i = 0; i < size(); ++i) {
    const nlohmann::json& spec = entries_[static_cast<std::size_t>(i)].entry.spec;
    if (!on || (spec.contains("name") && spec["name"].is_string() && nn::pitfall_applies_to(pitfall, spec["name"].get<std::string>())))
      set_pitfall(i, pitfall, on);
  }
}

// [SECTION] recomputing an entry

void ScheduleLab::refresh_all() {
  for (int i = 0; i < size(); ++i) refresh(i);
}

void ScheduleLab::refresh(int i) { refresh(i, nullptr, nullptr); }

void ScheduleLab::refresh(int i, const MemberPath* edited_member, const std::string* edited_key) {
  LabEntry& e = entries_[static_cast<std::size_t>(i)];
  auto curves_of = [&](const nlohmann::json& spec, std::string* error, std::string* key, bool* top_level) {
    nn::ScheduleListEntry candidate = e.entry;
    candidate.spec = spec;
    try {
      return std::optional<nn::ScheduleEntryCurves>(nn::schedule_entry_curves(candidate, lr_, epochs_));
    } catch (const nn::ScheduleParamError& ex) {
      *error = ex.what();
      *key = ex.key();
      *top_level = ex.top_level();
    } catch (const std::exception& ex) {  // InputError, and anything unforeseen: a message, never a crash
      *error = ex.what();
    }
    return std::optional<nn::ScheduleEntryCurves>();
  };
  std::string error, key;
  bool top_level = false;
  if (auto c = curves_of(e.draft, &error, &key, &top_level)) {
    e.entry.spec = e.draft;
    e.curves = std::move(*c);
    e.error.clear();
    e.error_key.clear();
    e.error_member.clear();
  } else {
    e.error = error;
    // The field the message is about: the one just edited if it names it, else a top-level one.
    if (!key.empty() && edited_key && *edited_key == key) {
      e.error_key = key;
      e.error_member = *edited_member;
    } else if (!key.empty() && top_level) {
      e.error_key = key;
      e.error_member.clear();
    } else {
      e.error_key.clear();
      e.error_member.clear();
    }
    // The last good spec, redrawn for the current run where it still holds.
    std::string ignored, ignored_key;
    bool ignored_top = false;
    if (!e.entry.spec.is_null() && e.entry.spec != e.draft)
      if (auto c = curves_of(e.entry.spec, &ignored, &ignored_key, &ignored_top)) e.curves = std::move(*c);
    if (e.curves.label.empty()) e.curves.label = e.entry.label.empty() ? nn::describe_schedule(e.draft) : e.entry.label;
  }
  // A label of the user's own wins over src/nn's description (schedule_entry_curves applies it).
  if (!e.entry.label.empty()) e.curves.label = e.entry.label;

  e.pitfalls.clear();
  if (!e.entry.spec.is_null())
    for (const std::string& pk : e.entry.pitfalls) {
      const nn::PitfallInfo* info = nn::find_pitfall(pk);
      if (!info) continue;
      PitfallView v;
      v.id = info->id;
      try {
        nn::PitfallOptions po;
        po.batches_per_epoch = batches_per_epoch_;
        po.metrics = e.curves.metrics;
        v.curve = nn::pitfall_curve(info->id, e.entry.spec, lr_, epochs_, po);
      } catch (const std::exception& ex) {
        v.error = ex.what();
      }
      e.pitfalls.push_back(std::move(v));
    }
  if (const auto c = parse_colour(e.entry.color)) e.rgb = *c;
  else if (e.rgb == 0) e.rgb = palette_colour(i);
}

// [SECTION] the table

std::vector<int> ScheduleLab::visible() const {
  std::vector<int> v;
  for (int i = 0; i < size(); ++i)
    if (!entries_[static_cast<std::size_t>(i)].entry.hidden && !entries_[static_cast<std::size_t>(i)].curves.series.lr.empty()) v.push_back(i);
  return v;
}

namespace {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  q += '"';
  return q;
}

std::string md_cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string shown_lr(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string ScheduleLab::table_csv() const {
  const std::vector<int> cols = visible();
  std::string out = "epoch";
  for (int c : cols) {
    out += ',';
    out += csv_field(entry(c).label());
  }
  out += '\n';
  for (int ep = 0; ep < epochs_; ++ep) {
    out += std::to_string(ep);
    for (int c : cols) {
      out += ',';
      const std::vector<double>& lr = entry(c).curves.series.lr;
      if (ep < static_cast<int>(lr.size())) out += nn::format_number(lr[static_cast<std::size_t>(ep)]);
    }
    out += '\n';
  }
  return out;
}

std::string ScheduleLab::table_markdown() const {
  const std::vector<int> cols = visible();
  std::string out = "| epoch |";
  std::string rule = "|---:|";
  for (int c : cols) {
    out += ' ';
    out += md_cell(entry(c).label());
    out += " |";
    rule += "---:|";
  }
  out += '\n';
  out += rule;
  out += '\n';
  for (int ep = 0; ep < epochs_; ++ep) {
    out += "| " + std::to_string(ep) + " |";
    for (int c : cols) {
      const std::vector<double>& lr = entry(c).curves.series.lr;
      out += ' ';
      if (ep < static_cast<int>(lr.size())) out += shown_lr(lr[static_cast<std::size_t>(ep)]);
      out += " |";
    }
    out += '\n';
  }
  return out;
}

}  // namespace gs::app::schedules
