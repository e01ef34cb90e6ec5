// The schedule lab's numbers for one list entry: markers where milestones, restarts, switches and
// peaks fall, plateau's metric (given or generated), and the same values as schedule_values.
#include "nn/errors.h"
#include "nn/schedule_lab.h"
#include "nn/schedule_metric.h"
#include "test_util.h"

namespace gs::nn {
namespace {

using nlohmann::json;

std::vector<std::pair<int, std::string>> marks(const json& spec, int epochs, MarkerKind kind,
                                               const std::vector<double>& metrics = {}) {
  std::vector<std::pair<int, std::string>> out;
  for (const ScheduleMarker& m : schedule_markers(spec, schedule_values(spec, 0.1, epochs, metrics)))
    if (m.kind == kind) out.emplace_back(m.epoch, m.label);
  return out;
}

using Marks = std::vector<std::pair<int, std::string>>;

TEST(ScheduleMarkers, MilestonesAndStepsAreDecays) {
  EXPECT_EQ(marks({{"name", "step"}, {"step_size", 30}, {"gamma", 0.1}}, 100, MarkerKind::Decay),
            (Marks{{30, "×0.1"}, {60, "×0.1"}, {90, "×0.1"}}));
  EXPECT_EQ(marks({{"name", "multistep"}, {"milestones", {80, 30, 60, 60, 200}}, {"gamma", 0.5}}, 100, MarkerKind::Decay),
            (Marks{{30, "×0.5"}, {60, "×0.25"}, {80, "×0.5"}}));
  EXPECT_TRUE(schedule_markers({{"name", "exponential"}, {"gamma", 0.9}}, std::vector<double>(50, 0.1)).empty());
}

TEST(ScheduleMarkers, RestartsPeaksAndSwitches) {
  EXPECT_EQ(marks({{"name", "warm-restarts"}, {"t_0", 10}, {"t_mult", 2}}, 100, MarkerKind::Restart),
            (Marks{{10, "T_i=20"}, {30, "T_i=40"}, {70, "T_i=80"}}));
  json cyclic = {{"name", "cyclic"}, {"base_lr", 0.01}, {"max_lr", 0.1}, {"step_size_up", 5}, {"step_size_down", 10}};
  EXPECT_EQ(marks(cyclic, 40, MarkerKind::Restart), (Marks{{15, "cycle 2"}, {30, "cycle 3"}}));
  EXPECT_EQ(marks(cyclic, 40, MarkerKind::Peak).size(), 3u);
  EXPECT_EQ(marks(cyclic, 40, MarkerKind::Peak)[0].first, 5);
  json onecycle = {{"name", "onecycle"}, {"max_lr", 0.3}};
  EXPECT_EQ(marks(onecycle, 100, MarkerKind::Peak), (Marks{{29, "0.3"}}));
  json warmup = {{"name", "sequential"},
                 {"milestones", {5}},
                 {"schedulers", {{{"name", "linear"}, {"start_factor", 0.1}, {"total_iters", 5}},
                                 {{"name", "step"}, {"step_size", 10}, {"gamma", 0.5}}}}};
  EXPECT_EQ(marks(warmup, 40, MarkerKind::Switch), (Marks{{5, "StepLR"}}));
  EXPECT_EQ(marks(warmup, 40, MarkerKind::Decay), (Marks{{15, "×0.5"}, {25, "×0.5"}, {35, "×0.5"}}));
  EXPECT_TRUE(marks(warmup, 40, MarkerKind::WarmupEnd).empty());  // LinearLR hands over at 5 itself
  EXPECT_EQ(marks({{"name", "linear"}, {"total_iters", 5}}, 20, MarkerKind::WarmupEnd), (Marks{{5, "total_iters=5"}}));
}

TEST(ScheduleMarkers, PlateauReductionsAreSeenInTheValues) {
  std::vector<double> metrics = {1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5};
  EXPECT_EQ(marks({{"name", "plateau"}, {"patience", 1}}, 10, MarkerKind::Decay, metrics),
            (Marks{{3, "×0.1"}, {7, "×0.1"}, {9, "×0.1"}}));
}

TEST(ScheduleEntry, CurvesEqualTheScheduleValues) {
  ScheduleListEntry e;
  e.spec = {{"name", "cyclic"}, {"base_lr", 0.01}, {"max_lr", 0.1}, {"step_size_up", 4}};
  ScheduleEntryCurves c = schedule_entry_curves(e, 0.1, 30);
  EXPECT_EQ(c.series.lr, schedule_values(e.spec, 0.1, 30));
  EXPECT_EQ(c.series.momentum.size(), 30u);
  EXPECT_EQ(c.label, "CyclicLR(base_lr=0.01, max_lr=0.1, step_size_up=4)");
  EXPECT_TRUE(c.metrics.empty());

  ScheduleListEntry p;
  p.spec = {{"name", "plateau"}};
  p.metric_seed = 4;
  p.label = "plateau on a generated loss";
  ScheduleEntryCurves pc = schedule_entry_curves(p, 0.1, 100);
  EXPECT_EQ(pc.metrics, synthetic_validation_loss(100, 4));
  EXPECT_EQ(pc.series.lr, schedule_values(p.spec, 0.1, 100, pc.metrics));
  EXPECT_FALSE(pc.markers.empty());
  EXPECT_EQ(pc.label, "plateau on a generated loss");
  p.metrics = {1, 1, 1};
  EXPECT_THROW(schedule_entry_curves(p, 0.1, 10), InputError);  // too short: one value per epoch but the last

  ScheduleListEntry bad;
  bad.spec = {{"name", "step"}, {"step_size", 0}};
  EXPECT_THROW(schedule_entry_curves(bad, 0.1, 10), ScheduleParamError);
}

}  // namespace
}  // namespace gs::nn
