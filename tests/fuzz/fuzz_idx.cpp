// Fuzz harness "idx": MNIST-format IDX image and label files (Fashion-MNIST, or a user's own). The
// input's first byte says where the images file ends; the rest is the labels file. Only
// nn::InputError may escape; anything else is a finding.
#include "fuzz_util.h"

#include "nn/dataset.h"
#include "nn/errors.h"

GRADSCOPE_FUZZ_HARNESS(idx) {
  using namespace gs;
  if (size < 1 || size > 65536) return -1;
  const std::string_view rest = fuzz::text(data + 1, size - 1);
  const std::size_t cut = std::min<std::size_t>(rest.size(), static_cast<std::size_t>(data[0]) * rest.size() / 255);
  const std::string images = fuzz::scratch_file("images.idx", rest.substr(0, cut));
  const std::string labels = fuzz::scratch_file("labels.idx", rest.substr(cut));
  try {
    nn::read_idx(images, labels);
  } catch (const nn::InputError&) {
  }
  return 0;
}
