// The one exception type src/nn throws for bad input (a config, a flag, a data file): its message is
// a single line naming the problem and where it is, ready for the CLI's "error: ..." (exit 2).
// Programming errors stay std::logic_error. Depends on engine/error_text.h (a NUL byte kept as \x00).
#pragma once

#include "engine/error_text.h"

#include <stdexcept>
#include <string>

namespace gs::nn {

class InputError : public std::runtime_error {
 public:
  explicit InputError(std::string message) : std::runtime_error(error_text(std::move(message))) {}
};

}  // namespace gs::nn
