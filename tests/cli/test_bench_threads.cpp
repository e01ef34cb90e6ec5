// gradscope-cli bench's threads_used: the threads the forward/backward's batch parts ran on (the
// step's bulk), not those of the step's last job, the optimizer update, which for lenet's small
// parameter arena runs on one thread (threads_used used to say 1.00 for lenet on two threads).
#include "run_cli.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace gs::test {
namespace {

TEST(CliBench, ThreadsUsedCountsTheBatchPartsNotTheUpdate) {
  CliRun two = run_cli({"bench", "lenet", "--steps", "3", "--threads", "2", "--fixed-threads", "--json"});
  ASSERT_EQ(two.status, 0) << two.err;
  EXPECT_EQ(nlohmann::json::parse(two.out)["threads_used"].get<double>(), 2.0) << two.out;
  CliRun one = run_cli({"bench", "lenet", "--steps", "3", "--threads", "1", "--json"});
  ASSERT_EQ(one.status, 0) << one.err;
  EXPECT_EQ(nlohmann::json::parse(one.out)["threads_used"].get<double>(), 1.0) << one.out;
}

}  // namespace
}  // namespace gs::test
