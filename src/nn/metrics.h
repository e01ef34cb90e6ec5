// What one training step reports (StepMetrics), the one channel that carries it from the training
// thread to readers (MetricsChannel), and the metrics file: its columns and its writer, so that
// `gradscope-cli train --metrics` and the desktop program's training page write and read the same
// CSV. Depends on the standard library (mutex) and engine/text_file.h (the file's atomic writer).
#pragma once

#include "engine/text_file.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace gs::nn {

inline constexpr int kMaxReportedLayers = 16;  // per-layer gradient norms kept per record

// One training step's numbers; fixed size so that publishing never allocates.
struct StepMetrics {
  std::int64_t step = 0;      // 1, 2, … (batches done)
  int epoch = 0;              // 0-based epoch of this batch
  int batch = 0;              // 0-based batch within the epoch
  double loss = 0;            // this batch's loss
  double accuracy = 0;        // this batch's accuracy
  double lr = 0;              // learning rate used for this batch
  double grad_norm = 0;       // global gradient norm (before clipping)
  double samples_per_second = 0;
  int layers = 0;             // entries used in layer_grad_norm
  std::array<float, kMaxReportedLayers> layer_grad_norm{};  // per layer with parameters, in order
  // Filled on the last batch of an epoch; NaN otherwise (and test_accuracy when there is no test set).
  double epoch_loss = NAN, train_accuracy = NAN, test_accuracy = NAN;
};

// The one channel from the training thread to readers (UI, CLI).
//
// Contract: a single writer (the training thread) calls publish(); any number of readers call
// read_since(). Both take the same mutex, but the writer holds it only to copy one fixed-size
// record into a ring buffer (no allocation, no I/O), and readers only try_lock it: a reader that
// finds it held returns false at once and draws what it already has, so a 60 Hz frame never
// waits on training. Bounded: the ring keeps the last `capacity` records; a reader that falls
// further behind is told how many it missed. Epoch-end records are also kept in a second ring of
// their own, so the per-epoch curve survives long runs.
class MetricsChannel {
 public:
  explicit MetricsChannel(std::size_t capacity = 1 << 16, std::size_t epoch_capacity = 4096);

  void publish(const StepMetrics& m);
  void clear();

  // Appends every record published since *cursor (a count of records read so far, 0 at first;
  // not a step number: a resumed run starts counting again) to `out`, advances *cursor, and sets
  // *missed to the number that had already left the ring. False (nothing copied) if the lock was busy.
  bool read_since(std::int64_t* cursor, std::vector<StepMetrics>* out, std::int64_t* missed = nullptr) const;
  // The epoch-end records with epoch ≥ first_epoch; false if the lock was busy.
  bool read_epochs(int first_epoch, std::vector<StepMetrics>* out) const;
  // The latest record (step 0 before the first); false if the lock was busy.
  bool latest(StepMetrics* out) const;

 private:
  mutable std::mutex mutex_;
  std::vector<StepMetrics> ring_, epochs_;
  std::int64_t written_ = 0, epochs_written_ = 0;
};

// ============================================================================================
// The metrics file: one CSV row per step
// ============================================================================================

// The columns, in order: step, epoch, batch, loss, accuracy, lr, grad_norm, samples_per_second,
// epoch_loss, train_accuracy, test_accuracy (the last three filled on an epoch's last batch).
const std::vector<std::string>& metrics_csv_columns();
std::string metrics_csv_header();  // the columns joined by commas, no newline
// One row, no newline: numbers in their shortest exact form, samples per second rounded, NaN
// (an epoch figure on a batch that is not the epoch's last) as an empty field.
std::string metrics_csv_row(const StepMetrics& m);

// Writes the header when opened, then one row per write(), to a temporary file beside `path`
// (engine/text_file.h's AtomicFileWriter) that close() renames over `path`: a file the user had
// stays as it was until a complete one replaces it, and a writer destroyed without close() (the
// run failed before its end) leaves it untouched. Opening checks that the file can be written, so
// a bad path fails before any training. InputError "metrics: cannot write 'PATH': REASON" from
// the constructor, the write() that finds a full disk, or close().
class MetricsCsvWriter {
 public:
  explicit MetricsCsvWriter(const std::string& path);
  void write(const StepMetrics& m);
  void close();

 private:
  std::unique_ptr<AtomicFileWriter> out_;
};

}  // namespace gs::nn
