// src/nn's random number generator is the engine's (engine/rng.h): one generator, so that the same
// seed gives the same numbers in training data, weights and the expression language's randn.
#pragma once

#include "engine/rng.h"

namespace gs::nn {
using Rng = gs::Rng;
}  // namespace gs::nn
