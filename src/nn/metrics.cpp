// The metrics channel and the metrics file (metrics.h). Depends on metrics.h and spec_reader.h
// (number text).
#include "nn/metrics.h"

#include "nn/errors.h"
#include "nn/spec_reader.h"

#include <algorithm>

namespace gs::nn {

// [SECTION] MetricsChannel

MetricsChannel::MetricsChannel(std::size_t capacity, std::size_t epoch_capacity)
    : ring_(std::max<std::size_t>(capacity, 1)), epochs_(std::max<std::size_t>(epoch_capacity, 1)) {}

void MetricsChannel::publish(const StepMetrics& m) {
  std::lock_guard<std::mutex> lock(mutex_);
  ring_[static_cast<std::size_t>(written_) % ring_.size()] = m;
  ++written_;
  if (!std::isnan(m.train_accuracy)) {
    epochs_[static_cast<std::size_t>(epochs_written_) % epochs_.size()] = m;
    ++epochs_written_;
  }
}

void MetricsChannel::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  written_ = epochs_written_ = 0;
}

bool MetricsChannel::read_since(std::int64_t* cursor, std::vector<StepMetrics>* out, std::int64_t* missed) const {
  std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return false;
  const auto cap = static_cast<std::int64_t>(ring_.size());
  // Records are numbered 1… in publish order; the ring holds the last `cap` of them.
  std::int64_t first = std::max(*cursor + 1, written_ - cap + 1);
  if (missed) *missed = std::max<std::int64_t>(0, first - (*cursor + 1));
  for (std::int64_t k = std::max<std::int64_t>(first, 1); k <= written_; ++k)
    out->push_back(ring_[static_cast<std::size_t>((k - 1) % cap)]);
  *cursor = std::max(*cursor, written_);
  return true;
}

bool MetricsChannel::read_epochs(int first_epoch, std::vector<StepMetrics>* out) const {
  std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return false;
  const auto cap = static_cast<std::int64_t>(epochs_.size());
  for (std::int64_t k = std::max<std::int64_t>(0, epochs_written_ - cap); k < epochs_written_; ++k) {
    const StepMetrics& m = epochs_[static_cast<std::size_t>(k % cap)];
    if (m.epoch >= first_epoch) out->push_back(m);
  }
  return true;
}

bool MetricsChannel::latest(StepMetrics* out) const {
  std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return false;
  *out = written_ == 0 ? StepMetrics{} : ring_[static_cast<std::size_t>((written_ - 1) % static_cast<std::int64_t>(ring_.size()))];
  return true;
}

// [SECTION] the metrics file

const std::vector<std::string>& metrics_csv_columns() {
  static const std::vector<std::string> columns = {"step",           "epoch",      "batch",         "loss",
                                                   "accuracy",       "lr",         "grad_norm",     "samples_per_second",
                                                   "epoch_loss",     "train_accuracy", "test_accuracy"};
  return columns;
}

std::string metrics_csv_header() {
  std::string h;
  for (const std::string& c : metrics_csv_columns()) h += (h.empty() ? "" : ",") + c;
  return h;
}

namespace {
std::string csv_number(double v) { return std::isnan(v) ? "" : format_number(v); }
}  // namespace

std::string metrics_csv_row(const StepMetrics& m) {
  return std::to_string(m.step) + "," + std::to_string(m.epoch) + "," + std::to_string(m.batch) + "," +
         csv_number(m.loss) + "," + csv_number(m.accuracy) + "," + csv_number(m.lr) + "," + csv_number(m.grad_norm) +
         "," + csv_number(std::round(m.samples_per_second)) + "," + csv_number(m.epoch_loss) + "," +
         csv_number(m.train_accuracy) + "," + csv_number(m.test_accuracy);
}

namespace {
// Runs one step of the file, turning its FileError into the CLI's one-line InputError.
template <class F>
void metrics_file(F&& f) {
  try {
    f();
  } catch (const FileError& e) {
    throw InputError(std::string("metrics: ") + e.what());
  }
}
}  // namespace

MetricsCsvWriter::MetricsCsvWriter(const std::string& path) {
  metrics_file([&] {
    out_ = std::make_unique<AtomicFileWriter>(path);
    out_->write(metrics_csv_header() + "\n");
  });
}

void MetricsCsvWriter::write(const StepMetrics& m) {
  metrics_file([&] { out_->write(metrics_csv_row(m) + "\n"); });
}

void MetricsCsvWriter::close() {
  metrics_file([&] { out_->commit(); });
}

}  // namespace gs::nn
