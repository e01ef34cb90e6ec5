// Runs the built gradscope-cli (path from the GRADSCOPE_CLI compile definition, or from the
// environment variable of that name) with arguments,
// no shell interpretation of them, and returns what it printed and its exit status. For every
// test file in tests/cli. Depends on POSIX and GoogleTest (its temporary folder).
#pragma once

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace gs::test {

struct CliRun {
  int status = -1;  // exit status; 128 + signal number when killed by a signal (a crash)
  std::string out;
  std::string err;
};

inline std::string read_all(int fd) {
  std::string s;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) s.append(buf, static_cast<std::size_t>(n));
  return s;
}

// stdout and stderr go to temporary files rather than pipes, so that a large output cannot
// block the child while the test waits for it.
inline CliRun run_cli(const std::vector<std::string>& args) {
  char out_name[] = "/tmp/gradscope_cli_out_XXXXXX";
  char err_name[] = "/tmp/gradscope_cli_err_XXXXXX";
  int out_fd = mkstemp(out_name);
  int err_fd = mkstemp(err_name);
  if (out_fd < 0 || err_fd < 0) throw std::runtime_error("run_cli: cannot create temporary files");
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("run_cli: fork failed");
  if (pid == 0) {
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    std::vector<char*> argv;
    // GRADSCOPE_CLI in the environment runs another build of the program (scripts/test-asan: the
    // sanitizer tree's), with the same tests.
    const char* other = std::getenv("GRADSCOPE_CLI");
    std::string program = other && *other ? other : GRADSCOPE_CLI;
    argv.push_back(program.data());
    std::vector<std::string> copies = args;
    for (std::string& a : copies) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(program.c_str(), argv.data());
    _exit(127);
  }
  int wstatus = 0;
  waitpid(pid, &wstatus, 0);
  CliRun r;
  r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
  lseek(out_fd, 0, SEEK_SET);
  lseek(err_fd, 0, SEEK_SET);
  r.out = read_all(out_fd);
  r.err = read_all(err_fd);
  close(out_fd);
  close(err_fd);
  unlink(out_name);
  unlink(err_name);
  return r;
}

// A run as a failure message shows it: the exit status, then stdout and stderr (each cut at 4000
// characters).
// A file name in GoogleTest's temporary folder.
inline std::string temp_path(const std::string& name) {
  return (std::filesystem::path(::testing::TempDir()) / name).string();
}

inline std::string describe(const CliRun& r) {
  return "exit " + std::to_string(r.status) + "\n--- stdout ---\n" + r.out.substr(0, 4000) + "--- stderr ---\n" +
         r.err.substr(0, 4000);
}

}  // namespace gs::test
