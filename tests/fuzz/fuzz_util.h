// Shared by the libFuzzer harnesses of tests/fuzz: input bytes as text, a scratch file for the
// readers that take a path, and the rule every harness enforces — bad input may only raise the
// reader's own error type (a clear message); anything else escapes and libFuzzer reports it.
// Depends on the standard library and POSIX only.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>

namespace gs::fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A file holding `bytes`, one per harness process, rewritten for every input.
inline std::string scratch_file(const char* tag, std::string_view bytes) {
  const std::string path = "/tmp/gradscope_fuzz_" + std::to_string(getpid()) + "_" + tag;
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

}  // namespace gs::fuzz
