// Fuzz harness "tensor_literal": the tensor literals of `--at NAME=VALUE` and the value fields of
// the desktop program ("[[1, 2], [3, 4]]", "nan", "-inf"). Only ParseError may escape; anything
// else is a finding.
#include "fuzz_util.h"

#include "engine/parse.h"

GRADSCOPE_FUZZ_HARNESS(tensor_literal) {
  if (size > 65536) return -1;
  try {
    gs::parse_tensor_literal(gs::fuzz::text(data, size));
  } catch (const gs::ParseError&) {
  }
  return 0;
}
