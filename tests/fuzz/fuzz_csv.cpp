// Fuzz harness "csv": a CSV data set (the "csv" data kind of a training config), label column last.
// Only nn::InputError may escape; anything else is a finding.
#include "fuzz_util.h"

#include "nn/dataset.h"
#include "nn/errors.h"

GRADSCOPE_FUZZ_HARNESS(csv) {
  using namespace gs;
  if (size > 65536) return -1;
  const std::string path = fuzz::scratch_file("data.csv", fuzz::text(data, size));
  try {
    nn::read_csv(path);
  } catch (const nn::InputError&) {
  }
  return 0;
}
