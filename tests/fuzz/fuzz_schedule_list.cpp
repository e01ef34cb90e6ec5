// Fuzz harness "schedule_list": a schedule list's text (schedule --schedules, the Schedules page's
// files), in its JSON and compact forms. Only nn::InputError may escape; anything else is a
// finding.
#include "fuzz_util.h"

#include "nn/errors.h"
#include "nn/schedule_spec.h"

GRADSCOPE_FUZZ_HARNESS(schedule_list) {
  using namespace gs;
  if (size > 8192) return -1;
  try {
    nn::ScheduleList list = nn::read_schedule_list(fuzz::text(data, size), "fuzz");
    nn::read_schedule_list(nn::write_schedule_list(list), "round trip");
  } catch (const nn::InputError&) {
  }
  return 0;
}
