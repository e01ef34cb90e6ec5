// Shared by the libFuzzer harnesses of tests/fuzz: how a harness is declared (GRADSCOPE_FUZZ_HARNESS),
// input bytes as text, a scratch file for the readers that take a path, and the rule every harness
// enforces — bad input may only raise the reader's own error type (a clear message); anything else
// escapes and libFuzzer reports it. Depends on the standard library and POSIX only.
//
// All harnesses live in one libFuzzer program, gradscope_fuzz (tests/fuzz/CMakeLists.txt): nine
// separately linked programs cost CI nine links of the sanitized libraries. The build puts a link
// fuzz_NAME beside it for each harness, and the program runs the harness named by the name it was
// called by (run_harness.cpp): `build-fuzz/tests/fuzz/fuzz_csv CORPUS…` is libFuzzer on "csv".
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>

namespace gs::fuzz {

// One harness: libFuzzer's LLVMFuzzerTestOneInput for one reader. Returns 0, or -1 for an input
// the harness refuses to take into its corpus (too large to be worth searching).
using Harness = int (*)(const std::uint8_t* data, std::size_t size);

// Makes `harness` runnable as NAME (called by GRADSCOPE_FUZZ_HARNESS while the program starts).
bool add_harness(const char* name, Harness harness);

// GRADSCOPE_FUZZ_HARNESS(NAME) { … } defines harness NAME, its body that of LLVMFuzzerTestOneInput
// (parameters `data` and `size`); NAME is the corpus folder's name, tests/fuzz/corpus/NAME.
#define GRADSCOPE_FUZZ_HARNESS(NAME)                                                             \
  static int fuzz_harness_##NAME(const std::uint8_t* data, std::size_t size);                 \
  [[maybe_unused]] static const bool fuzz_harness_##NAME##_added =                            \
      gs::fuzz::add_harness(#NAME, fuzz_harness_##NAME);                                      \
  static int fuzz_harness_##NAME(const std::uint8_t* data, std::size_t size)

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A file holding `bytes`, one per harness process, rewritten for every input: in /dev/shm (memory)
// where it can be written, else /tmp. On the team's machine writing and reading back a small file
// takes 2.5 ms in /tmp (ext4) and 0.03 ms in /dev/shm: the harnesses that read files (csv, idx,
// checkpoint) ran at tens of inputs a second for their scratch files alone.
inline std::string scratch_file(const char* tag, std::string_view bytes) {
  const char* dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  const std::string path = std::string(dir) + "/gradscope_fuzz_" + std::to_string(getpid()) + "_" + tag;
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

}  // namespace gs::fuzz
