// The entry points libFuzzer calls in gradscope_fuzz, the one program that holds every harness of
// tests/fuzz: LLVMFuzzerInitialize picks the harness named by the name the program was called by
// (fuzz_NAME, a link the build makes for each harness; the corpus is tests/fuzz/corpus/NAME),
// LLVMFuzzerTestOneInput runs it. A name that is no harness's stops the program with the list.
#include "fuzz_util.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

namespace gs::fuzz {
namespace {

std::map<std::string, Harness>& harnesses() {
  static std::map<std::string, Harness> all;  // filled while the program starts, read after
  return all;
}

Harness chosen_harness = nullptr;

}  // namespace

bool add_harness(const char* name, Harness harness) {
  harnesses()[name] = harness;
  return true;
}

}  // namespace gs::fuzz

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  using namespace gs::fuzz;
  const std::string called = *argc > 0 ? (*argv)[0] : "";
  std::string name = called.substr(called.find_last_of('/') + 1);
  if (name.rfind("fuzz_", 0) == 0) name.erase(0, 5);
  const auto found = harnesses().find(name);
  if (found == harnesses().end()) {
    std::fprintf(stderr, "gradscope_fuzz: called as '%s', which names no harness: run it through one of the links"
                 " the build makes beside it:", called.c_str());
    for (const auto& [known, harness] : harnesses()) std::fprintf(stderr, " fuzz_%s", known.c_str());
    std::fprintf(stderr, "\n");
    std::exit(2);
  }
  chosen_harness = found->second;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return gs::fuzz::chosen_harness(data, size);
}
