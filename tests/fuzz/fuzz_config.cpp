// Fuzz harness "config": a training config file's text (train --config, presets) -> JSON with its
// depth limit -> parse_config, and a config that reads must write back to JSON that reads again.
// Only nn::InputError may escape; anything else is a finding.
#include "fuzz_util.h"

#include "nn/config.h"
#include "nn/errors.h"
#include "nn/schedule_spec.h"

GRADSCOPE_FUZZ_HARNESS(config) {
  using namespace gs;
  if (size > 16384) return -1;
  try {
    nn::TrainConfig c = nn::parse_config(nn::parse_json_text(fuzz::text(data, size), "config"));
    nn::parse_config(nlohmann::json::parse(nn::to_json(c).dump()));
  } catch (const nn::InputError&) {
  }
  return 0;
}
