// Checked reading of spec objects: one message format for every bad value in src/nn's inputs.
// Depends on nlohmann-json only.
#include "nn/spec_reader.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cstdint>
#include <cmath>

namespace gs::nn {

std::string format_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

SpecReader::SpecReader(const nlohmann::json& spec, std::string where) : spec_(spec), where_(std::move(where)) {
  if (!spec_.is_object()) throw InputError(where_ + ": expected a JSON object, got " + spec_.dump());
}

bool SpecReader::has(const std::string& key) const { return spec_.contains(key); }

const nlohmann::json* SpecReader::find(const std::string& key) {
  used_.insert(key);
  auto it = spec_.find(key);
  return it == spec_.end() || it->is_null() ? nullptr : &*it;
}

void SpecReader::fail(const std::string& key, const std::string& problem) const {
  throw InputError(where_ + ": " + key + " " + problem);
}

const nlohmann::json& SpecReader::raw(const std::string& key) {
  const nlohmann::json* v = find(key);
  if (!v) fail(key, "is missing");
  return *v;
}

double SpecReader::number(const std::string& key, std::optional<double> fallback) {
  const nlohmann::json* v = find(key);
  if (!v) {
    if (!fallback) fail(key, "is missing");
    return *fallback;
  }
  if (!v->is_number()) fail(key, "must be a number, got " + v->dump());
  return v->get<double>();
}

long long SpecReader::integer(const std::string& key, std::optional<long long> fallback) {
  const nlohmann::json* v = find(key);
  if (!v) {
    if (!fallback) fail(key, "is missing");
    return *fallback;
  }
  if (!v->is_number_integer()) fail(key, "must be an integer, got " + v->dump());
  if (v->is_number_unsigned() && v->get<unsigned long long>() > static_cast<unsigned long long>(LLONG_MAX))
    fail(key, "must be an integer up to " + std::to_string(LLONG_MAX) + ", got " + v->dump());
  return v->get<long long>();
}

long long SpecReader::integer_in(const std::string& key, long long lo, long long hi, std::optional<long long> fallback) {
  const nlohmann::json* v = find(key);
  const std::string range = "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
  if (!v) {
    if (!fallback) fail(key, "is missing");
    return *fallback;
  }
  if (!v->is_number_integer()) fail(key, range + ", got " + v->dump());
  if ((v->is_number_unsigned() && v->get<unsigned long long>() > static_cast<unsigned long long>(std::max(hi, 0LL))) ||
      v->get<long long>() < lo || v->get<long long>() > hi)
    fail(key, range + ", got " + v->dump());
  return v->get<long long>();
}

std::uint64_t SpecReader::seed(const std::string& key, std::uint64_t fallback) {
  const nlohmann::json* v = find(key);
  if (!v) return fallback;
  if (!v->is_number_integer() || (!v->is_number_unsigned() && v->get<long long>() < 0))
    fail(key, std::string("must be an integer from 0 to ").append(std::to_string(UINT64_MAX)) + ", got " + v->dump());
  return v->get<std::uint64_t>();
}

bool SpecReader::boolean(const std::string& key, std::optional<bool> fallback) {
  const nlohmann::json* v = find(key);
  if (!v) {
    if (!fallback) fail(key, "is missing");
    return *fallback;
  }
  if (!v->is_boolean()) fail(key, "must be true or false, got " + v->dump());
  return v->get<bool>();
}

std::string SpecReader::text(const std::string& key, std::optional<std::string> fallback) {
  const nlohmann::json* v = find(key);
  if (!v) {
    if (!fallback) fail(key, "is missing");
    return *fallback;
  }
  if (!v->is_string()) fail(key, "must be a string, got " + v->dump());
  return v->get<std::string>();
}

std::vector<long long> SpecReader::integers(const std::string& key, std::optional<std::vector<long long>> fallback) {
  const nlohmann::json* v = find(key);
  if (!v) {
    if (!fallback) fail(key, "is missing");
    return *fallback;
  }
  if (!v->is_array()) fail(key, "must be a list of integers, got " + v->dump());
  std::vector<long long> out;
  for (const auto& e : *v) {
    if (!e.is_number_integer()) fail(key, "must hold integers only, got " + e.dump());
    out.push_back(e.get<long long>());
  }
  return out;
}

double SpecReader::positive(const std::string& key, std::optional<double> fallback) {
  double v = number(key, fallback);
  if (!(v > 0) || !std::isfinite(v)) fail(key, "must be > 0, got " + format_number(v));
  return v;
}

double SpecReader::non_negative(const std::string& key, std::optional<double> fallback) {
  double v = number(key, fallback);
  if (!(v >= 0) || !std::isfinite(v)) fail(key, "must be >= 0, got " + format_number(v));
  return v;
}

long long SpecReader::positive_integer(const std::string& key, std::optional<long long> fallback) {
  long long v = integer(key, fallback);
  if (v <= 0) fail(key, "must be a positive integer, got " + std::to_string(v));
  return v;
}

long long SpecReader::non_negative_integer(const std::string& key, std::optional<long long> fallback) {
  long long v = integer(key, fallback);
  if (v < 0) fail(key, "must be a non-negative integer, got " + std::to_string(v));
  return v;
}

std::string SpecReader::choice(const std::string& key, const std::vector<std::string>& allowed,
                               std::optional<std::string> fallback) {
  std::string v = text(key, fallback);
  for (const auto& a : allowed)
    if (a == v) return v;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  fail(key, "must be one of " + list + ", got '" + v + "'");
}

void SpecReader::reject_unknown_keys(const std::set<std::string>& also_allowed) const {
  for (auto it = spec_.begin(); it != spec_.end(); ++it)
    if (!used_.count(it.key()) && !also_allowed.count(it.key()))
      throw InputError(where_ + ": unknown key '" + it.key() + "'");
}

}  // namespace gs::nn
