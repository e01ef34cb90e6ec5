// Whole files read and written with errors that name the file and what went wrong, for every
// file gradscope reads or writes (graph files, configs, checkpoints, lessons, schedule lists,
// metrics files). Writes never destroy what was there: the text goes to a temporary file beside
// the target, every write is checked, and only a complete file is renamed over the old one.
// Depends on json_text.h (FileError) only.
#pragma once

#include "json_text.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace gs {

inline constexpr std::uintmax_t kMaxTextFileBytes = std::uintmax_t{256} << 20;  // 256 MB

// The bytes of a regular file. FileError: "cannot open 'PATH': No such file or directory",
// "'PATH' is a directory, not a file", "'PATH' is larger than 256 MB (N bytes)", read errors.
std::string read_text_file(const std::string& path, std::uintmax_t max_bytes = kMaxTextFileBytes);

// A file written piece by piece that replaces `path` only when commit() succeeds. Opening creates
// PATH.tmp-PID beside the target, so a path that cannot be written (no such folder, a folder, no
// permission) fails at once, before any work whose output it is; the old file stays as it was
// until commit() has flushed, synced and renamed a complete file over it. Without commit() (an
// error, an exception) the temporary file is removed and `path` is untouched. A target that exists
// and is not a regular file (/dev/stdout, a pipe, /dev/full) is written directly, never replaced.
// Every failure is FileError "cannot write 'PATH': REASON" (a full disk: "No space left on
// device"), from the open, the write() that finds it, or commit().
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(std::string path);
  ~AtomicFileWriter();  // abandons an uncommitted file
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  void write(std::string_view text);
  void commit();
  const std::string& path() const { return path_; }

 private:
  [[noreturn]] void fail(int err);
  std::string path_, temp_;  // temp_ empty when writing the target directly
  std::FILE* file_ = nullptr;
};

// Replaces `path` with `text` atomically (an AtomicFileWriter written once and committed): on any
// failure (a full disk, a folder that cannot be written) the old file is untouched and FileError
// says "cannot write 'PATH': REASON".
void write_file_atomically(const std::string& path, std::string_view text);

}  // namespace gs
