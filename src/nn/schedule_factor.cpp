// LambdaLR's and MultiplicativeLR's factor as an engine graph in the one input `epoch`. Every
// arithmetic step is the engine's op in double precision, so `0.95^epoch` is C's pow(0.95, e),
// the same call Python's `0.95 ** epoch` makes: the values equal torch's bit for bit.
// Depends on the engine (parse, autodiff) and schedule_params.h.
#include "nn/schedule_factor.h"

#include "engine/parse.h"
#include "nn/schedule_params.h"
#include "nn/spec_reader.h"

#include <cmath>

namespace gs::nn {

namespace {

constexpr const char* kEpoch = "epoch";

}  // namespace

EpochFunction::EpochFunction(std::string text, std::string where, std::string key, bool top_level)
    : text_(std::move(text)), where_(std::move(where)), key_(std::move(key)), top_level_(top_level) {
  auto fail = [&](const std::string& problem) { throw ScheduleParamError(where_, key_, problem, top_level_); };
  bool blank = text_.find_first_not_of(" \t\r\n") == std::string::npos;
  if (blank) fail("is empty (give an expression in epoch, such as 0.95^epoch)");
  try {
    for (const std::string& name : expression_inputs(text_)) {
      if (name == kEpoch) continue;
      std::string guess = closest_name(name, {kEpoch});
      fail("uses '" + name + "', but the only name it may use is epoch" +
           (guess.empty() ? "" : " (did you mean 'epoch'?)"));
    }
    graph_ = std::make_shared<const Graph>(parse_expression(text_));
  } catch (const ParseError& e) {
    fail(std::string("is not a valid expression: ") + e.what());
  } catch (const GraphError& e) {
    fail(std::string("is not a valid expression: ") + e.what());
  }
  const Shape& out = graph_->node(graph_->output()).shape;
  if (!out.is_scalar()) fail("must give one number, but gives a " + out.to_string() + " tensor");
  uses_epoch_ = graph_->find_input(kEpoch).valid();
  epoch_value_ = TensorD::scalar(0.0);
}

void EpochFunction::check(const std::string& text, const std::string& where, const std::string& key,
                          bool top_level) {
  EpochFunction f(text, where, key, top_level);
}

double EpochFunction::operator()(int epoch) const {
  epoch_value_.data()[0] = static_cast<double>(epoch);
  const TensorD* inputs[] = {&epoch_value_};
  evaluate_into(*graph_, uses_epoch_ ? inputs : nullptr, &evaluation_);
  const double v = evaluation_[graph_->output()].data()[0];
  if (!std::isfinite(v))
    throw ScheduleParamError(where_, key_, "gives " + format_number(v) + " at epoch " + std::to_string(epoch) + " ('" +
                                               text_ + "')",
                             top_level_);
  return v;
}

}  // namespace gs::nn
