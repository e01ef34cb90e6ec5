// Helpers shared by the nn tests: fixture loading and comparisons whose failure message names the
// largest difference and where it is. Depends on GoogleTest and nlohmann-json.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace gs::nn::testing {

// Waits (without any timing assertion: up to 20 s, in 1 ms sleeps) for a condition another thread
// (the trainer's) will make true; true when it did.
template <class F>
bool eventually(F&& condition) {
  for (int i = 0; i < 20000; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return condition();
}

inline nlohmann::json load_fixture(const std::string& name) {
  std::ifstream in(std::string(GRADSCOPE_FIXTURES) + "/" + name);
  if (!in) throw std::runtime_error("missing fixture " + name);
  return nlohmann::json::parse(in);
}

// Passes when |a[i] − b[i]| ≤ abs_tol + rel_tol·|b[i]| for every i; otherwise reports the worst i.
template <class A, class B>
::testing::AssertionResult all_close(const A& actual, const B& expected, double rel_tol, double abs_tol = 0.0) {
  if (actual.size() != expected.size())
    return ::testing::AssertionFailure() << "sizes differ: " << actual.size() << " vs " << expected.size();
  bool failed = false;
  double worst_excess = 0;
  std::size_t where = 0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(actual.size()); ++i) {
    double a = actual[i], b = expected[i];
    double excess = std::abs(a - b) - (abs_tol + rel_tol * std::abs(b));
    if (std::isnan(a) != std::isnan(b)) excess = INFINITY;
    if (excess > 0 && (!failed || excess > worst_excess)) {
      failed = true;
      worst_excess = excess;
      where = i;
    }
  }
  if (!failed) return ::testing::AssertionSuccess();
  double worst = std::abs(static_cast<double>(actual[where]) - static_cast<double>(expected[where]));
  return ::testing::AssertionFailure() << "largest difference " << worst << " at index " << where << ": got "
                                       << static_cast<double>(actual[where]) << ", expected "
                                       << static_cast<double>(expected[where]);
}

}  // namespace gs::nn::testing
