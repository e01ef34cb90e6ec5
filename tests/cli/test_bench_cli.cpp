// gradscope-cli bench as tests/bench/compare.sh uses it: one JSON line with the step time, the
// threads the steps used and the step's matrix-product FLOPs; --breakdown names every phase of a
// step. No time is asserted (benchmarks are measured, never tested for speed).
#include "run_cli.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace gs::test {
namespace {

TEST(CliBench, JsonLineWithBreakdownOfEveryLayer) {
  CliRun r = run_cli({"bench", "spiral", "--steps", "20", "--threads", "2", "--json", "--breakdown"});
  ASSERT_EQ(r.status, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["workload"], "spiral");
  EXPECT_GT(j["ms_per_step"].get<double>(), 0);
  EXPECT_GE(j["threads_used"].get<double>(), 1);
  // spiral: Linear(2,16), Linear(16,16), Linear(16,3); forward, dW, and dX past the first layer.
  const double per_sample = 2.0 * (2 * 16 * 2 + 16 * 16 * 3 + 16 * 3 * 3);
  EXPECT_DOUBLE_EQ(j["gemm_flops"].get<double>(), per_sample * 32);
  const nlohmann::json& b = j["breakdown"];
  ASSERT_EQ(b.size(), 5u + 1 + 5 + 1) << b.dump();  // 5 layers forward, loss, 5 backward, update
  EXPECT_EQ(b[0]["phase"], "1 Linear(2,16) forward");
  EXPECT_EQ(b[5]["phase"], "loss (softmax-CE)");
  EXPECT_EQ(b[6]["phase"], "5 Linear(16,3) backward");
  EXPECT_EQ(b[11]["phase"], "optimizer update");
  for (const auto& p : b) EXPECT_GE(p["ms"].get<double>(), 0) << p.dump();
}

TEST(CliBench, UnknownWorkloadNamesTheKnownOnes) {
  CliRun r = run_cli({"bench", "resnet"});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("unknown workload 'resnet'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("mlp"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace gs::test
