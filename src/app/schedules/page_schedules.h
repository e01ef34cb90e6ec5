// The Schedules page (the schedule lab): StepLR, MultiStepLR, ExponentialLR and every other
// schedule of src/nn compared on one plot. It owns the ScheduleLab (the list and the run), its
// three views (the list with its editors, the plots, the table) arranged with splitters, and
// answers the menu: New, Open/Save the list as JSON, the presets as examples, the table as CSV or
// Markdown, the plots as PNG. No GL.
#pragma once

#include "app/base/page.h"
#include "app/schedules/lab_model.h"
#include "app/schedules/view_schedule_list.h"
#include "app/schedules/view_schedule_plot.h"
#include "app/schedules/view_schedule_table.h"

#include <string>
#include <vector>

namespace gs::app {

class SchedulesPage final : public Page {
 public:
  const char* name() const override { return "schedules"; }
  std::string title() const override;
  // --schedules SPECS, --lr, --epochs, --pitfall KEY, --log-y. False (status says why, the default
  // list stays) when SPECS or a value is bad: the same message as gradscope-cli.
  bool start(const LaunchOptions& options) override;

  void draw(PageContext& ctx, int view) override;
  void record(FrameRecord& record) const override;

  CommandState command_state(CommandId id) const override;
  bool apply(const Command& command, PageContext& ctx) override;
  std::string command_label(CommandId id) const override;
  PageDocument document() const override;
  std::vector<std::string> examples() const override;  // the presets, in the current language
  ScreenRect picture() const override;

  StatusMessage status() const override { return status_; }
  void set_status(std::string text, bool error) override { status_ = {std::move(text), error}; }
  const char* hint() const override;

  std::vector<BenchPass> bench_passes() override;

  schedules::ScheduleLab& lab() { return lab_; }

 private:
  // The plot widget's own menu asked to export a plot: written beside the list file (or in the
  // working directory) under a fresh name, said on the status line.
  void take_plot_exports(PageContext& ctx);
  bool save(const std::string& path);

  schedules::ScheduleLab lab_;
  schedules::ScheduleListView list_;
  schedules::SchedulePlotView plots_;
  schedules::ScheduleTableView table_;
  float right_fraction_ = 0.7f;  // width of the plots and the table (the list has the rest)
  float plot_fraction_ = 0.72f;  // height of the plots within the right side
  std::string path_;             // the list's file; "" until saved or opened
  std::string saved_json_;       // what the file holds (dirty: the list differs from it)
  StatusMessage status_;
  ScreenRect export_rect_;       // a plot being exported as PNG (the next frames' picture)
  int export_frames_ = 0;
};

}  // namespace gs::app
