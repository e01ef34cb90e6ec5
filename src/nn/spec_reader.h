// Reads the keys of one JSON object of a spec (a schedule, an optimizer, a layer, a dataset) with
// defaults, types and ranges checked, so that every bad value becomes one InputError line naming
// its place ("step: gamma must be > 0, got -0.5"), and a misspelt key is an error, not a silent
// default. Depends on nlohmann-json and errors.h only.
#pragma once

#include "nn/errors.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace gs::nn {

class SpecReader {
 public:
  // `where` prefixes every message ("step", "optimizer", "layer 3 (conv)").
  SpecReader(const nlohmann::json& spec, std::string where);

  const std::string& where() const { return where_; }
  bool has(const std::string& key) const;

  double number(const std::string& key, std::optional<double> fallback = std::nullopt);
  // Integers must be written as integers: 30 is one, 30.5 and 30.0 are not.
  long long integer(const std::string& key, std::optional<long long> fallback = std::nullopt);
  bool boolean(const std::string& key, std::optional<bool> fallback = std::nullopt);
  std::string text(const std::string& key, std::optional<std::string> fallback = std::nullopt);
  std::vector<long long> integers(const std::string& key,
                                  std::optional<std::vector<long long>> fallback = std::nullopt);
  const nlohmann::json& raw(const std::string& key);

  // Range checks that throw "WHERE: KEY must be ..., got VALUE".
  double positive(const std::string& key, std::optional<double> fallback = std::nullopt);
  double non_negative(const std::string& key, std::optional<double> fallback = std::nullopt);
  long long positive_integer(const std::string& key, std::optional<long long> fallback = std::nullopt);
  long long non_negative_integer(const std::string& key, std::optional<long long> fallback = std::nullopt);
  // An integer in [lo, hi], the range of the type it is used as or a stated limit, read whole
  // (never cut to a narrower type): "WHERE: KEY must be an integer from LO to HI, got V".
  long long integer_in(const std::string& key, long long lo, long long hi,
                       std::optional<long long> fallback = std::nullopt);
  // A seed: any integer from 0 to 18446744073709551615 (2^64 − 1), the same message beyond.
  std::uint64_t seed(const std::string& key, std::uint64_t fallback = 0);
  std::string choice(const std::string& key, const std::vector<std::string>& allowed,
                     std::optional<std::string> fallback = std::nullopt);

  [[noreturn]] void fail(const std::string& key, const std::string& problem) const;
  // Throws on any key that no getter asked for (call after reading them all).
  void reject_unknown_keys(const std::set<std::string>& also_allowed = {}) const;

 private:
  const nlohmann::json* find(const std::string& key);
  const nlohmann::json& spec_;
  std::string where_;
  std::set<std::string> used_;
};

// A number as the CLI and the messages print it (shortest form that reads back the same).
std::string format_number(double v);

}  // namespace gs::nn
