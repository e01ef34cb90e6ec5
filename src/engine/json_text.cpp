// gradscope's JSON conventions (json_text.h): numbers, tensors, the pretty layout, error text.
// Depends on json_text.h, nested_list.h and graph.h (the element limit of any tensor).
#include "json_text.h"

#include "error_text.h"

#include "graph.h"
#include "nested_list.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

namespace gs {

using nlohmann::json;
using ojson = nlohmann::ordered_json;

namespace {
[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw FileError(where.empty() ? what : where + ": " + what);
}
}  // namespace

// [SECTION] numbers and tensors

json number_to_json(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  // nlohmann writes the shortest text that reads back as the same double: full precision
  // (up to 17 significant digits) without trailing noise such as 5.5000000000000000.
  return v;
}

json tensor_to_json(const TensorD& t) {
  if (t.rank() == 0) return number_to_json(t[0]);
  if (t.size() == 0) return json::array();
  // Built from the innermost axis outwards: rows of numbers, then lists of rows, ...
  std::vector<json> level;
  level.reserve(static_cast<std::size_t>(t.size()));
  for (Index i = 0; i < t.size(); ++i) level.push_back(number_to_json(t[i]));
  for (int axis = t.rank() - 1; axis >= 0; --axis) {
    const std::size_t extent = static_cast<std::size_t>(t.dim(axis));
    std::vector<json> outer;
    outer.reserve(level.size() / extent);
    for (std::size_t start = 0; start < level.size(); start += extent) {
      json list = json::array();
      for (std::size_t k = 0; k < extent; ++k) list.push_back(std::move(level[start + k]));
      outer.push_back(std::move(list));
    }
    level = std::move(outer);
  }
  return std::move(level.front());
}

std::string describe_json(const json& j) {
  switch (j.type()) {
    case json::value_t::object: return "an object";
    case json::value_t::array: return "a list";
    case json::value_t::string: return "the string " + j.dump();
    case json::value_t::boolean: return j.get<bool>() ? "true" : "false";
    case json::value_t::null: return "null";
    default: return "the number " + j.dump();
  }
}

namespace {

double number_from_json(const json& j, const std::string& where) {
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-inf") return -std::numeric_limits<double>::infinity();
  }
  fail(where, "expected a number (or \"nan\", \"inf\", \"-inf\"), found " + describe_json(j));
}

// Nested lists, checked like parse_tensor_literal's (NestedListShape).
class JsonTensorReader {
 public:
  explicit JsonTensorReader(std::string where) : where_(std::move(where)) {}

  TensorD read(const json& j) {
    visit(j, 0);
    TensorD t = TensorD::uninitialized(shape_.shape());
    std::copy(values_.begin(), values_.end(), t.data());
    return t;
  }

 private:
  void check(const std::string& problem) const {
    if (!problem.empty()) fail(where_, problem);
  }

  void visit(const json& j, int depth) {
    if (!j.is_array()) {
      check(shape_.number(depth));
      values_.push_back(number_from_json(j, depth == 0 ? where_ : where_ + " " + shape_.item(depth)));
      return;
    }
    check(shape_.enter_list(depth));
    for (std::size_t k = 0; k < j.size(); ++k) {
      shape_.enter_item(depth, static_cast<int>(k) + 1);
      visit(j[k], depth + 1);
      if (static_cast<Index>(values_.size()) > kMaxTensorElements) fail(where_, "too many numbers");
    }
    check(shape_.leave_list(depth, static_cast<Index>(j.size())));
  }

  std::string where_;
  NestedListShape shape_;
  std::vector<double> values_;
};

}  // namespace

TensorD tensor_from_json(const json& j, const std::string& where) { return JsonTensorReader(where).read(j); }

// [SECTION] layout

namespace {

// One line with spaces after ',' and ':', given up once `out` holds more than `limit` bytes (the
// caller then lays the value out on lines; so every level of a large document costs at most
// `limit`, not its whole size again: linear in the document, never depth × size).
void write_inline(const ojson& j, std::string& out, std::size_t limit) {
  if (out.size() > limit) return;
  if (j.is_object()) {
    out += '{';
    bool first = true;
    for (const auto& [key, value] : j.items()) {
      if (out.size() > limit) return;
      out += first ? "" : ", ";
      first = false;
      out += ojson(key).dump() + ": ";
      write_inline(value, out, limit);
    }
    out += '}';
  } else if (j.is_array()) {
    out += '[';
    for (std::size_t i = 0; i < j.size(); ++i) {
      if (out.size() > limit) return;
      if (i) out += ", ";
      write_inline(j[i], out, limit);
    }
    out += ']';
  } else {
    out += j.dump();
  }
}

// A record of scalars, short lists and small attribute objects (a graph node, a trace step):
// one line reads best for it even when somewhat long.
bool is_record(const ojson& j) {
  if (!j.is_object()) return false;
  for (const auto& member : j) {
    if (!member.is_structured()) continue;
    for (const auto& inner : member)
      if (inner.is_structured()) return false;
  }
  return true;
}

void write_pretty(const ojson& j, int indent, std::string& out) {
  constexpr std::size_t kLineWidth = 100;
  constexpr std::size_t kRecordWidth = 400;
  std::string line;
  write_inline(j, line, kRecordWidth);  // a scalar whole; a container only while it may fit
  const std::size_t width = line.size() + static_cast<std::size_t>(indent);
  if (width <= kLineWidth || (width <= kRecordWidth && is_record(j)) || !j.is_structured() || j.empty()) {
    out += line;
    return;
  }
  const std::string pad(static_cast<std::size_t>(indent) + 2, ' ');
  if (j.is_object()) {
    out += "{\n";
    bool first = true;
    for (const auto& [key, value] : j.items()) {
      out += first ? "" : ",\n";
      first = false;
      out += pad + ojson(key).dump() + ": ";
      write_pretty(value, indent + 2, out);
    }
  } else {
    out += "[\n";
    for (std::size_t i = 0; i < j.size(); ++i) {
      out += i ? ",\n" : "";
      out += pad;
      write_pretty(j[i], indent + 2, out);
    }
  }
  out += '\n';
  out.append(static_cast<std::size_t>(indent), ' ');
  out += j.is_object() ? '}' : ']';
}

}  // namespace

std::string pretty_json(const ojson& j) {
  std::string out;
  write_pretty(j, 0, out);
  return out;
}

// [SECTION] error text

std::string printable_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  char buf[12];
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) {
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned char>(text[++i]));
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string clean_json_message(const std::string& what) {
  std::string msg = what;
  if (!msg.empty() && msg[0] == '[') {
    std::size_t close = msg.find("] ");
    if (close != std::string::npos) msg = msg.substr(close + 2);
  }
  std::string out;
  for (unsigned char c : msg) {
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace gs
