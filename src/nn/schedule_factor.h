// The factor of LambdaLR and MultiplicativeLR: an expression in `epoch` typed in gradscope's own
// expression language (`0.95^epoch`, `1/(1 + 0.1*epoch)`), parsed into an engine Graph once and
// evaluated by the engine at each epoch (torch's lr_lambda(last_epoch)). Depends on the engine's
// parser and evaluator and on schedule_params.h (its error type); no threads.
#pragma once

#include "engine/autodiff.h"
#include "engine/graph.h"

#include <memory>
#include <string>

namespace gs::nn {

class EpochFunction {
 public:
  // Parses `text`. Throws ScheduleParamError(where, key, ...) for a syntax error ("is not a valid
  // expression: unknown function 'sine' at column 1 (did you mean 'sin'?)"), a name other than
  // `epoch` ("uses 'epoh', but the only name it may use is epoch (did you mean 'epoch'?)") or a
  // result that is not one number.
  EpochFunction(std::string text, std::string where, std::string key, bool top_level);

  // The factor at `epoch` (a scheduler step count, ≥ 0). Throws ScheduleParamError when it is
  // NaN or infinite ("gives nan at epoch 0"), as torch would hand such a value to the optimizer.
  double operator()(int epoch) const;

  const std::string& text() const { return text_; }

  // Parses without keeping the graph (the spec checker).
  static void check(const std::string& text, const std::string& where, const std::string& key, bool top_level);

 private:
  std::string text_, where_, key_;
  bool top_level_;
  std::shared_ptr<const Graph> graph_;  // shared: schedules are rebuilt often, graphs never change
  bool uses_epoch_ = false;
  mutable TensorD epoch_value_;
  mutable Evaluation evaluation_;
};

}  // namespace gs::nn
