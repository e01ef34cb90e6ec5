// Text forms of schedule specs: JSON with a depth limit, the compact `name:key=value,…;…` list,
// torch-style labels and the lab's saved list. Depends on nlohmann-json, schedule_params.h,
// schedule_pitfalls.h (pitfall keys), spec_reader.h and the engine's closest_name.
//
// [SECTION] JSON with a depth limit
// [SECTION] typed values
// [SECTION] the compact list
// [SECTION] labels
// [SECTION] the lab's list file
// [SECTION] presets
#include "nn/schedule_spec.h"

#include "engine/parse.h"
#include "nn/schedule_pitfalls.h"
#include "nn/spec_reader.h"

#include <charconv>
#include <cmath>

namespace gs::nn {
namespace {

// 1-based line and column of byte `at` in `text`.
std::string line_column(std::string_view text, std::size_t at) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < at && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;  // count characters, not UTF-8 continuation bytes
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

// ============================================================================================
// [SECTION] JSON with a depth limit
// ============================================================================================

nlohmann::json parse_json_text(std::string_view text, const std::string& what, int max_depth) {
  // Depth first, in one pass over the text (strings skipped), so that a hostile file is refused
  // before the parser builds anything.
  int depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') {
      if (++depth > max_depth)
        throw InputError(what + ": nested deeper than " + std::to_string(max_depth) + " levels at " +
                         line_column(text, i));
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    std::string message = e.what();
    const std::string marker = "parse error ";
    std::size_t at = message.find(marker);
    if (at != std::string::npos) message = message.substr(at + marker.size());
    if (message.rfind("at line", 0) != 0) message = "at " + line_column(text, e.byte) + ": " + message;
    throw InputError(what + ": not valid JSON " + message);
  } catch (const nlohmann::json::exception& e) {  // a number beyond a double's range: out_of_range.406
    std::string message = e.what();
    const std::size_t tag_end = message.find("] ");
    if (message.rfind("[json.exception.", 0) == 0 && tag_end != std::string::npos) message.erase(0, tag_end + 2);
    // The number the parser quotes ("number overflow parsing '1e999'"), found in the text for its place.
    const std::size_t open = message.find('\''), close = message.rfind('\'');
    std::string place;
    if (open != std::string::npos && close > open) {
      const std::size_t at = text.find(message.substr(open + 1, close - open - 1));
      if (at != std::string_view::npos) place = "at " + line_column(text, at) + ": ";
    }
    throw InputError(what + ": not valid JSON " + place + message + " (beyond the range of a double, ±1.8e308)");
  }
}

// ============================================================================================
// [SECTION] typed values
// ============================================================================================

namespace {

std::optional<nlohmann::json> as_number(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (*first == '+') ++first;
  long long i;
  auto [pi, ei] = std::from_chars(first, last, i);
  if (ei == std::errc() && pi == last) return nlohmann::json(i);
  double d;
  auto [pd, ed] = std::from_chars(first, last, d);
  if (ed == std::errc() && pd == last) return nlohmann::json(d);
  return std::nullopt;
}

std::string unquoted(std::string_view text) {
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') && text.back() == text.front())
    return std::string(text.substr(1, text.size() - 2));
  return std::string(text);
}

}  // namespace

nlohmann::json typed_param_value(const ScheduleParam* param, std::string_view raw) {
  std::string_view text = trim(raw);
  const ParamKind kind = param ? param->kind : ParamKind::Number;
  switch (kind) {
    case ParamKind::Choice:
    case ParamKind::Expression:
      return unquoted(text);
    case ParamKind::Boolean:
      if (text == "true") return true;
      if (text == "false") return false;
      return std::string(text);
    case ParamKind::IntegerList: {
      if (!text.empty() && text.front() == '[') {
        try {
          return parse_json_text(text, "list", 4);
        } catch (const InputError&) {
          return std::string(text);
        }
      }
      nlohmann::json list = nlohmann::json::array();
      if (text.empty()) return list;
      std::size_t start = 0;
      while (start <= text.size()) {
        std::size_t comma = text.find(',', start);
        std::string_view item = trim(text.substr(start, comma == std::string_view::npos ? std::string_view::npos
                                                                                        : comma - start));
        auto n = as_number(item);
        if (!n) return std::string(text);  // the spec check says "must be a list of integers"
        list.push_back(*n);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
      }
      return list;
    }
    case ParamKind::ScheduleList:
      return parse_schedule_list_text(text, param->flag());
    case ParamKind::Integer:
    case ParamKind::Number:
      break;
  }
  if (auto n = as_number(text)) return *n;
  if (!param) {
    if (text == "true") return true;
    if (text == "false") return false;
  }
  return unquoted(text);
}

// ============================================================================================
// [SECTION] the compact list
// ============================================================================================

namespace {

struct Piece {
  std::string_view text;
  std::size_t offset = 0;  // of text.front() in the whole input
};

Piece trimmed(Piece p) {
  std::string_view t = p.text;
  std::size_t lead = 0;
  while (lead < t.size() && std::isspace(static_cast<unsigned char>(t[lead]))) ++lead;
  return {trim(t), p.offset + lead};
}

class CompactReader {
 public:
  CompactReader(std::string_view all, std::string what) : all_(all), what_(std::move(what)) {}

  [[noreturn]] void fail(const std::string& where, const std::string& problem, std::size_t at) const {
    throw InputError(what_ + ": " + (where.empty() ? "" : where + ": ") + problem + " at column " +
                     std::to_string(column(at)));
  }

  // Pieces of `p` between separators `sep` outside parentheses, brackets, braces and quotes.
  std::vector<Piece> split(Piece p, char sep, const std::string& where) const {
    std::vector<Piece> out;
    std::vector<char> open;
    char quote = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < p.text.size(); ++i) {
      const char c = p.text[i];
      if (quote) {
        if (c == quote) quote = 0;
        continue;
      }
      if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '(' || c == '[' || c == '{') {
        open.push_back(c);
      } else if (c == ')' || c == ']' || c == '}') {
        const char want = c == ')' ? '(' : c == ']' ? '[' : '{';
        if (open.empty() || open.back() != want) fail(where, std::string("unmatched '") + c + "'", p.offset + i);
        open.pop_back();
      } else if (c == sep && open.empty()) {
        out.push_back({p.text.substr(start, i - start), p.offset + start});
        start = i + 1;
      }
    }
    if (quote) fail(where, std::string("unclosed ") + quote, p.offset + p.text.size());
    if (!open.empty()) fail(where, std::string("unclosed '") + open.back() + "'", p.offset + p.text.size());
    out.push_back({p.text.substr(start), p.offset + start});
    return out;
  }

  nlohmann::json schedule(Piece segment, const std::string& where) const {
    Piece s = trimmed(segment);
    if (!s.text.empty() && s.text.front() == '{') {
      try {
        return parse_json_text(s.text, what_ + ": " + where);
      } catch (const InputError& e) {
        throw InputError(std::string(e.what()) + " (of the object at column " + std::to_string(column(s.offset)) + ")");
      }
    }
    std::size_t colon = s.text.find(':');
    Piece name = trimmed({s.text.substr(0, colon), s.offset});
    if (name.text.empty()) fail(where, "expected a schedule name, such as step:step_size=30", s.offset);
    const ScheduleInfo* info = find_schedule(name.text);
    if (!info) {
      std::string guess = closest_name(name.text, schedule_names_list());
      fail(where, "unknown schedule '" + std::string(name.text) + "'" +
                      (guess.empty() ? "" : " (did you mean '" + guess + "'?)"),
           name.offset);
    }
    nlohmann::json spec = {{"name", info->name}};
    if (colon == std::string_view::npos) return spec;
    Piece rest{s.text.substr(colon + 1), s.offset + colon + 1};
    std::string last_key;
    for (Piece token : split(rest, ',', where)) {
      Piece t = trimmed(token);
      if (t.text.empty()) {
        if (rest.text.find_first_not_of(" \t") == std::string_view::npos) break;  // "step:" alone
        fail(where, "empty key=value", t.offset);
      }
      const std::size_t eq = t.text.find('=');
      if (eq == std::string_view::npos) {
        // A bare number continues the list before it: milestones=30,60,80.
        const ScheduleParam* prev = last_key.empty() ? nullptr : info->find(last_key);
        if (prev && prev->kind == ParamKind::IntegerList && spec[last_key].is_array() && as_number(t.text)) {
          spec[last_key].push_back(*as_number(t.text));
          continue;
        }
        fail(where, "expected key=value, got '" + std::string(t.text) + "'", t.offset);
      }
      Piece key = trimmed({t.text.substr(0, eq), t.offset});
      Piece value = trimmed({t.text.substr(eq + 1), t.offset + eq + 1});
      std::string k(key.text);
      std::replace(k.begin(), k.end(), '-', '_');
      if (k.empty()) fail(where, "a value without a key", t.offset);
      if (spec.contains(k)) fail(where, "'" + k + "' is given twice", key.offset);
      if (value.text.empty()) fail(where, "'" + k + "' has no value", value.offset);
      const ScheduleParam* param = info->find(k);
      try {
        spec[k] = typed_param_value(param, value.text);
      } catch (const InputError& e) {
        fail(where, k + ": " + e.what(), value.offset);
      }
      last_key = k;
    }
    return spec;
  }

  nlohmann::json list(std::string_view text) const {
    nlohmann::json out = nlohmann::json::array();
    std::vector<Piece> segments = split({text, 0}, ';', "");
    for (std::size_t i = 0; i < segments.size(); ++i) {
      Piece s = trimmed(segments[i]);
      const bool last = i + 1 == segments.size();
      if (s.text.empty()) {
        if (last && i > 0) break;  // a trailing ';'
        fail("", out.empty() && last ? "no schedule given" : "empty schedule between ';'", s.offset);
      }
      out.push_back(schedule(s, "schedule " + std::to_string(out.size() + 1)));
    }
    return out;
  }

 private:
  std::size_t column(std::size_t at) const {
    std::size_t c = 1;
    for (std::size_t i = 0; i < at && i < all_.size(); ++i)
      if ((static_cast<unsigned char>(all_[i]) & 0xC0) != 0x80) ++c;
    return c;
  }
  static const std::vector<std::string>& schedule_names_list() {
    static const std::vector<std::string> names = [] {
      std::vector<std::string> n;
      for (const auto& s : schedule_table()) n.push_back(s.name);
      return n;
    }();
    return names;
  }

  std::string_view all_;
  std::string what_;
};

}  // namespace

nlohmann::json parse_schedule_list_text(std::string_view text, const std::string& what) {
  std::string_view t = trim(text);
  if (!t.empty() && (t.front() == '[' || t.front() == '{') ) {
    nlohmann::json j = parse_json_text(t, what);
    if (j.is_object()) j = nlohmann::json::array({j});
    if (!j.is_array() || j.empty()) throw InputError(what + ": expected a non-empty JSON list of schedules");
    for (std::size_t i = 0; i < j.size(); ++i)
      if (!j[i].is_object())
        throw InputError(what + ": schedule " + std::to_string(i + 1) + ": expected a JSON object such as "
                                "{\"name\": \"step\", \"step_size\": 30}, got " + j[i].dump());
    return j;
  }
  // A '[' or '{' after leading text is the compact form's own business (a list value).
  return CompactReader(text, what).list(text);
}

// ============================================================================================
// [SECTION] labels
// ============================================================================================

namespace {

std::string python_value(const nlohmann::json& v) {
  if (v.is_boolean()) return v.get<bool>() ? "True" : "False";
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number()) return format_number(v.get<double>());
  if (v.is_string()) return "'" + v.get<std::string>() + "'";
  if (v.is_array()) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + python_value(v[i]);
    return s + "]";
  }
  return v.dump();
}

}  // namespace

std::string describe_schedule(const nlohmann::json& spec) {
  if (!spec.is_object() || !spec.contains("name") || !spec["name"].is_string()) return "?";
  const std::string name = spec["name"].get<std::string>();
  const ScheduleInfo* info = find_schedule(name);
  if (!info) return name + "(?)";
  std::string args;
  auto add = [&](const std::string& a) { args += (args.empty() ? "" : ", ") + a; };
  for (const ScheduleParam& p : info->params) {
    auto it = spec.find(p.key);
    if (it == spec.end() || it->is_null()) continue;
    if (p.kind == ParamKind::ScheduleList) {
      std::string members = "[";
      if (it->is_array())
        for (std::size_t i = 0; i < it->size(); ++i) members += (i ? ", " : "") + describe_schedule((*it)[i]);
      add(members + "]");
    } else if (p.kind == ParamKind::Expression) {
      add(p.torch_name + "=lambda epoch: " + (it->is_string() ? it->get<std::string>() : it->dump()));
    } else {
      add(p.torch_name + "=" + python_value(*it));
    }
  }
  return info->torch_class + "(" + args + ")";
}

// ============================================================================================
// [SECTION] the lab's list file
// ============================================================================================

namespace {

constexpr const char* kListFormat = "gradscope-schedules";
constexpr int kMaxEpochs = 1000000;

bool is_colour(const std::string& c) {
  if (c.size() != 7 || c[0] != '#') return false;
  return std::all_of(c.begin() + 1, c.end(), [](char h) { return std::isxdigit(static_cast<unsigned char>(h)); });
}

ScheduleListEntry read_entry(const nlohmann::json& j, const std::string& where) {
  ScheduleListEntry e;
  if (j.is_object() && !j.contains("spec") && j.contains("name")) {
    e.spec = j;  // a bare spec in the list
  } else {
    SpecReader r(j, where);
    e.spec = r.raw("spec");
    e.label = r.text("label", "");
    e.color = r.text("color", "");
    if (!e.color.empty() && !is_colour(e.color)) r.fail("color", "must be \"#rrggbb\", got '" + e.color + "'");
    e.hidden = r.boolean("hidden", false);
    if (r.has("pitfalls")) {
      const nlohmann::json& list = r.raw("pitfalls");
      if (!list.is_array()) r.fail("pitfalls", "must be a list of pitfall names, got " + list.dump());
      for (const auto& p : list) {
        if (!p.is_string() || !find_pitfall(p.get<std::string>())) {
          std::string known;
          for (const auto& info : pitfall_table()) known += (known.empty() ? "" : ", ") + info.key;
          r.fail("pitfalls", "holds an unknown pitfall " + p.dump() + " (known: " + known + ")");
        }
        e.pitfalls.push_back(p.get<std::string>());
      }
    }
    if (r.has("metrics")) {
      const nlohmann::json& m = r.raw("metrics");
      if (!m.is_array()) r.fail("metrics", "must be a list of numbers, got " + m.dump());
      for (const auto& v : m) {
        if (!v.is_number()) r.fail("metrics", "must hold numbers only, got " + v.dump());
        e.metrics.push_back(v.get<double>());
      }
    }
    e.metric_seed = static_cast<std::uint64_t>(r.non_negative_integer("metric_seed", 1));
    r.reject_unknown_keys();
  }
  try {
    check_schedule_spec(e.spec);
  } catch (const InputError& err) {
    throw InputError(where + ".spec: " + err.what());
  }
  return e;
}

}  // namespace

ScheduleList read_schedule_list(std::string_view text, const std::string& source) {
  nlohmann::json j = parse_json_text(text, source);
  ScheduleList list;
  const nlohmann::json* entries = &j;
  std::string prefix = source + ": ";
  if (j.is_object()) {
    SpecReader r(j, source);
    std::string format = r.text("format", kListFormat);
    if (format != kListFormat) r.fail("format", "must be \"" + std::string(kListFormat) + "\", got '" + format + "'");
    long long version = r.integer("version", 1);
    if (version != 1) r.fail("version", "must be 1 (this gradscope reads version 1), got " + std::to_string(version));
    list.lr = r.non_negative("lr", 0.1);
    long long epochs = r.positive_integer("epochs", 100);
    if (epochs > kMaxEpochs) r.fail("epochs", "must be at most " + std::to_string(kMaxEpochs) + ", got " + std::to_string(epochs));
    list.epochs = static_cast<int>(epochs);
    long long batches = r.positive_integer("batches_per_epoch", 10);
    if (batches > 100000) r.fail("batches_per_epoch", "must be at most 100000, got " + std::to_string(batches));
    list.batches_per_epoch = static_cast<int>(batches);
    entries = &r.raw("schedules");
    r.reject_unknown_keys();
    prefix = source + ": ";
  }
  if (!entries->is_array()) throw InputError(prefix + "schedules must be a list, got " + entries->dump());
  for (std::size_t i = 0; i < entries->size(); ++i)
    list.schedules.push_back(read_entry((*entries)[i], source + ": schedules[" + std::to_string(i + 1) + "]"));
  return list;
}

std::string write_schedule_list(const ScheduleList& list) {
  nlohmann::ordered_json j;
  j["format"] = kListFormat;
  j["version"] = 1;
  j["lr"] = list.lr;
  j["epochs"] = list.epochs;
  j["batches_per_epoch"] = list.batches_per_epoch;
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (const auto& e : list.schedules) {
    nlohmann::ordered_json o;
    o["spec"] = nlohmann::ordered_json::parse(e.spec.dump());
    if (!e.label.empty()) o["label"] = e.label;
    if (!e.color.empty()) o["color"] = e.color;
    o["hidden"] = e.hidden;
    if (!e.pitfalls.empty()) o["pitfalls"] = e.pitfalls;
    if (!e.metrics.empty()) o["metrics"] = e.metrics;
    o["metric_seed"] = e.metric_seed;
    entries.push_back(o);
  }
  j["schedules"] = entries;
  return j.dump(2) + "\n";
}

// ============================================================================================
// [SECTION] presets
// ============================================================================================

namespace {

ScheduleList list_of(double lr, int epochs, std::vector<nlohmann::json> specs) {
  ScheduleList l;
  l.lr = lr;
  l.epochs = epochs;
  for (auto& s : specs) {
    ScheduleListEntry e;
    e.spec = std::move(s);
    l.schedules.push_back(std::move(e));
  }
  return l;
}

}  // namespace

const std::vector<ScheduleListPreset>& schedule_list_presets() {
  using nlohmann::json;
  static const std::vector<ScheduleListPreset> presets = {
      {"classic", "The classic three", "经典三种",
       list_of(0.1, 100,
               {{{"name", "step"}, {"step_size", 30}, {"gamma", 0.1}},
                {{"name", "multistep"}, {"milestones", {30, 60, 80}}, {"gamma", 0.1}},
                {{"name", "exponential"}, {"gamma", 0.95}}})},
      {"warmup-cosine", "Warm-up then cosine (SequentialLR)", "预热后余弦（SequentialLR）",
       list_of(0.1, 100,
               {{{"name", "sequential"},
                 {"milestones", {5}},
                 {"schedulers", {{{"name", "linear"}, {"start_factor", 0.1}, {"total_iters", 5}},
                                 {{"name", "cosine"}, {"t_max", 95}}}}},
                {{"name", "cosine"}, {"t_max", 100}}})},
      {"onecycle", "One-cycle", "单周期（OneCycleLR）",
       list_of(0.1, 100,
               {{{"name", "onecycle"}, {"max_lr", 0.1}},
                {{"name", "onecycle"}, {"max_lr", 0.1}, {"three_phase", true}}})},
      {"cyclic", "Cyclic", "循环学习率（CyclicLR）",
       list_of(0.1, 100,
               {{{"name", "cyclic"}, {"base_lr", 0.001}, {"max_lr", 0.1}, {"step_size_up", 10}},
                {{"name", "cyclic"}, {"base_lr", 0.001}, {"max_lr", 0.1}, {"step_size_up", 10}, {"mode", "triangular2"}},
                {{"name", "cyclic"},
                 {"base_lr", 0.001},
                 {"max_lr", 0.1},
                 {"step_size_up", 10},
                 {"mode", "exp_range"},
                 {"gamma", 0.98}}})},
      {"warm-restarts", "Cosine with warm restarts", "带热重启的余弦",
       list_of(0.1, 100,
               {{{"name", "warm-restarts"}, {"t_0", 10}},
                {{"name", "warm-restarts"}, {"t_0", 10}, {"t_mult", 2}, {"eta_min", 0.001}}})},
  };
  return presets;
}

}  // namespace gs::nn
