// The subcommands of gradscope-cli. Each lives in its own cmd_*.cpp and is registered by main.cpp
// with one line; a command reports bad input by throwing InputError (main prints one line
// "error: ..." on stderr and exits 2). Depends on CLI11 only; no engine types here.
#pragma once

#include <CLI/CLI.hpp>

#include <charconv>
#include <stdexcept>
#include <string>

namespace gs::cli {

// Bad input that no library error already describes (a missing value, a file that cannot be
// written). The message names the problem and where it is, in one line.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An integer option read into the type it is used as and checked against [lo, hi] as given, never
// cut to a narrower type: InputError "--epochs must be an integer from 1 to 2147483647, got
// '2147483648'" for anything else (a fraction, a sign on an unsigned value, too many digits).
template <class T>
T parse_integer_option(const std::string& name, const std::string& text, T lo, T hi) {
  T value{};
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || stop != end || value < lo || value > hi)
    throw InputError(name + " must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got '" +
                     text + "'");
  return value;
}

template <class T>
CLI::Option* add_integer_option(CLI::App* app, const std::string& name, T& target, T lo, T hi, const std::string& help) {
  return app
      ->add_option_function<std::string>(
          name, [&target, name, lo, hi](const std::string& text) { target = parse_integer_option(name, text, lo, hi); },
          help)
      ->type_name("N");
}

// A command that ran but must exit non-zero without a message of main's (check found a wrong
// gradient: its report says so) throws CLI::RuntimeError(status).

void add_eval_command(CLI::App& app);   // cmd_eval.cpp
void add_check_command(CLI::App& app);  // cmd_check.cpp
void add_bench_command(CLI::App& app);  // cmd_bench.cpp
void add_train_command(CLI::App& app);     // cmd_train.cpp
void add_schedule_command(CLI::App& app);  // cmd_schedule.cpp
void add_export_command(CLI::App& app);    // cmd_export.cpp
void add_replay_command(CLI::App& app);    // cmd_replay.cpp
// More commands: declare `void add_NAME_command(CLI::App& app);` here, define it in cmd_NAME.cpp
// and add one line in main.cpp (train, schedule: the nn colleague; bench: the lead).

}  // namespace gs::cli
