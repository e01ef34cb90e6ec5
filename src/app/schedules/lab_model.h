// The schedule lab's model: the list of schedules being compared (each with its spec, label,
// colour, visibility and pitfall toggles), the run (initial lr, epochs), and what each entry shows —
// its curves, markers and pitfall curves, all computed by src/nn (schedule_lab.h,
// schedule_pitfalls.h) and never here. Edits go through a draft: a bad value keeps the last good
// curve and remembers src/nn's message for the field. No ImGui: tests drive it without a window.
#pragma once

#include "nn/schedule_lab.h"
#include "nn/schedule_pitfalls.h"
#include "nn/schedule_spec.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gs::app::schedules {

// Where a parameter lives in an entry's spec: {} the schedule itself, {1} its member 1 (a
// sequential or chained schedule's "schedulers"), {1, 0} member 0 of that member.
using MemberPath = std::vector<int>;

// A pitfall toggled on for an entry: the wrong curve beside the right one, and why.
struct PitfallView {
  nn::Pitfall id = nn::Pitfall::GetLr;
  nn::PitfallCurve curve;  // curve.applies false: curve.explanation says why not
  std::string error;       // src/nn refused to compute it (a bad option)
};

struct LabEntry {
  int uid = 0;                     // stable while the entry lives (ImGui ids, edit buffers)
  nn::ScheduleListEntry entry;     // the last good entry: its spec, label, colour, hidden, pitfalls
  nlohmann::json draft;            // the spec as edited; equal to entry.spec unless `error`
  std::string error;               // src/nn's message for the draft (empty: the draft is good)
  MemberPath error_member;         // where the error's parameter is, when it names one
  std::string error_key;           // that parameter ("" when the message is about the whole spec)
  nn::ScheduleEntryCurves curves;  // of `entry`: lr and momentum per epoch, markers, label
  std::vector<PitfallView> pitfalls;
  std::uint32_t rgb = 0;           // the colour, 0xRRGGBB (entry.color, or the lab's palette)

  const std::string& label() const { return curves.label; }
  bool cycles_momentum() const { return !curves.series.momentum.empty(); }
};

class ScheduleLab {
 public:
  // Starts with DESIGN.md's default: StepLR(30, 0.1), MultiStepLR([30, 60, 80], 0.1),
  // ExponentialLR(0.95) at lr 0.1 over 100 epochs.
  ScheduleLab();

  // [SECTION] the run
  double lr() const { return lr_; }
  int epochs() const { return epochs_; }
  int batches_per_epoch() const { return batches_per_epoch_; }
  // A bad value (lr < 0 or not finite, epochs outside 1 … kMaxEpochs) is refused with a message
  // in run_error() and changes nothing.
  bool set_lr(double lr);
  bool set_epochs(int epochs);
  bool set_batches_per_epoch(int batches);
  const std::string& run_error() const { return run_error_; }
  static constexpr int kMaxEpochs = 100000;

  // [SECTION] whole lists
  // Replaces the list (entries that src/nn refuses keep their draft and message; nothing else).
  void load(const nn::ScheduleList& list);
  // A saved lab file, or a JSON list of specs. False (message in *error, the list unchanged) for a
  // malformed one. `source` names it in the message ("lab.json").
  bool load_json(std::string_view text, const std::string& source, std::string* error);
  // `--schedules` text: the compact `name:key=value,…;…` form or a JSON list. Entries replace the
  // list; the run is kept. False with the message in *error, the list unchanged.
  bool load_specs(std::string_view text, std::string* error);
  std::string save_json() const;
  nn::ScheduleList list() const;  // the last good entries, the run
  bool apply_preset(std::string_view key);  // schedule_list_presets()'s keys; false if unknown

  // [SECTION] entries
  int size() const { return static_cast<int>(entries_.size()); }
  const LabEntry& entry(int i) const { return entries_[static_cast<std::size_t>(i)]; }
  const std::vector<LabEntry>& entries() const { return entries_; }
  // A new entry of schedule `name` with starting values that show it well over this run (a step
  // size of 30 % of the run, milestones at 30/60/80 %, …). Returns its index, −1 for an unknown name.
  int add(std::string_view name);
  // A SequentialLR or ChainedScheduler ("sequential" / "chained") of copies of entries `members`
  // (sequential: handing over at evenly spaced milestones). −1 when fewer than two members.
  int add_composite(std::string_view name, const std::vector<int>& members);
  int duplicate(int i);
  void remove(int i);
  void move(int from, int to);
  void set_hidden(int i, bool hidden);
  void set_label(int i, std::string label);  // "" goes back to src/nn's description
  void set_color(int i, std::uint32_t rgb);

  // Edits one parameter of entry i's draft: `text` as typed in a field (typed by src/nn's table),
  // or a value (a slider, a checkbox, a choice). Returns true when the draft is good: its curves
  // replace the old ones. Otherwise the last good curves stay and error/error_key say why.
  bool set_param_text(int i, const MemberPath& member, const std::string& key, std::string_view text);
  bool set_param(int i, const MemberPath& member, const std::string& key, const nlohmann::json& value);
  // Back to the schedule's default (or left out, where the table allows it).
  bool reset_param(int i, const MemberPath& member, const std::string& key);
  // The draft's spec at `member` (what the editor's fields show), or null; and the last good one
  // (what its sliders show while a field holds a bad value).
  const nlohmann::json* draft_member(int i, const MemberPath& member) const;
  const nlohmann::json* good_member(int i, const MemberPath& member) const;
  // Plateau's metric: a seed for src/nn's synthetic validation loss, or an explicit curve.
  bool set_metric_seed(int i, std::uint64_t seed);
  bool set_metrics_text(int i, std::string_view text);

  void set_pitfall(int i, nn::Pitfall pitfall, bool on);
  bool has_pitfall(int i, nn::Pitfall pitfall) const;
  // Turns the pitfall on for every entry it applies to (the command line's --pitfall).
  void set_pitfall_everywhere(nn::Pitfall pitfall, bool on);

  // [SECTION] the table: epochs down, visible entries across
  std::vector<int> visible() const;
  // Full precision (CSV), or 6 significant digits under a header row (Markdown, for slides).
  std::string table_csv() const;
  std::string table_markdown() const;

 private:
  // Recomputes entry i from its draft; `edited_*` name the parameter just changed, so that an
  // error about it is shown beside its field.
  void refresh(int i);
  void refresh(int i, const MemberPath* edited_member, const std::string* edited_key);
  void refresh_all();
  std::uint32_t palette_colour(int i) const;

  int next_uid_ = 1;
  double lr_ = 0.1;
  int epochs_ = 100;
  int batches_per_epoch_ = 10;
  std::string run_error_;
  std::vector<LabEntry> entries_;
};

// A learning rate as the table shows it and the Markdown copy writes it: 6 significant digits.
std::string shown_lr(double v);

// "#1f77b4" ↔ 0x1f77b4. nullopt for text that is not "#rrggbb".
std::optional<std::uint32_t> parse_colour(std::string_view text);
std::string colour_text(std::uint32_t rgb);

}  // namespace gs::app::schedules
