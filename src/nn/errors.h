// The one exception type src/nn throws for bad input (a config, a flag, a data file): its message is
// a single line naming the problem and where it is, ready for the CLI's "error: ..." (exit 2).
// Programming errors stay std::logic_error. Depends on the standard library only.
#pragma once

#include <stdexcept>
#include <string>

namespace gs::nn {

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace gs::nn
