// Whole files read and written with errors that name the file and what went wrong, for every
// file gradscope reads or writes (graph files, configs, checkpoints, lessons, schedule lists).
// Writes never destroy what was there: the text goes to a temporary file beside the target, every
// write is checked, and only a complete file is renamed over the old one.
// Depends on json_text.h (FileError) only.
#pragma once

#include "json_text.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace gs {

inline constexpr std::uintmax_t kMaxTextFileBytes = std::uintmax_t{256} << 20;  // 256 MB

// The bytes of a regular file. FileError: "cannot open 'PATH': No such file or directory",
// "'PATH' is a directory, not a file", "'PATH' is larger than 256 MB (N bytes)", read errors.
std::string read_text_file(const std::string& path, std::uintmax_t max_bytes = kMaxTextFileBytes);

// Replaces `path` with `text` atomically (PATH.tmp-PID written, flushed, checked, renamed): on any
// failure (a full disk, a folder that cannot be written) the old file is untouched and FileError
// says "cannot write 'PATH': REASON".
void write_file_atomically(const std::string& path, std::string_view text);

}  // namespace gs
