// The subcommands of gradscope-cli. Each lives in its own cmd_*.cpp and is registered by main.cpp
// with one line; a command reports bad input by throwing InputError (main prints one line
// "error: ..." on stderr and exits 2). Depends on CLI11 only; no engine types here.
#pragma once

#include <CLI/CLI.hpp>

#include <stdexcept>
#include <string>

namespace gs::cli {

// Bad input that no library error already describes (a missing value, a file that cannot be
// written). The message names the problem and where it is, in one line.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

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
