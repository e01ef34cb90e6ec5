// A training config as a PyTorch training script: the same model (torch.nn layers in the same
// order, with torch's default initialisation, which is gradscope's scheme), loss, optimizer
// (torch.optim with the same settings; L1 added to the loss, clipping by clip_grad_norm_),
// schedule (the torch.optim.lr_scheduler classes of the schedule table, stepped after
// optimizer.step(), per epoch or per batch as the run does), batch size, epochs and data: the
// synthetic and CSV sets written beside the script as CSV exactly as gradscope trains on them,
// Fashion-MNIST and IDX sets read from the same IDX files and normalised the same way. The run
// differs only in its random numbers (initial weights, batch order).
// Depends on the nn config, dataset, schedule table and engine/torch_export.h.
#pragma once

#include "nn/config.h"

#include <string>
#include <utility>
#include <vector>

namespace gs::nn {

struct TorchTrainingScript {
  std::string script;                                       // the Python text
  std::vector<std::pair<std::string, std::string>> files;   // data files to write beside it: name, text
};

// `stem` names the data files ("spiral" → spiral_train.csv, spiral_test.csv). Loads the data (an
// InputError names a missing file). The script prints one line per epoch and, last, one JSON line
// {"train_accuracy", "test_accuracy" (null without a test split), "final_loss", "lr": [per epoch]}.
TorchTrainingScript torch_training_script(const TrainConfig& config, const std::string& stem);

// Writes torch_training_script(config, STEM) to `path` (STEM its file name's stem) and its data files
// beside it, each replaced atomically: what `gradscope-cli export torch --config` and the training
// lab's File ▸ Export ▸ As PyTorch script write. Returns the data files' paths. InputError names
// the data problem or the file that cannot be written (nothing is written when the data fail).
std::vector<std::string> write_torch_training_script(const TrainConfig& config, const std::string& path);
// The data files it may write beside `path` (without loading the data): STEM_train.csv and
// STEM_test.csv for 2-D and CSV sets; none for Fashion-MNIST and IDX sets, read where they are.
std::vector<std::string> torch_training_data_files(const TrainConfig& config, const std::string& path);

// A schedule expression in `epoch` (LambdaLR's and MultiplicativeLR's factor) as a Python lambda
// computing it with torch in float64: "lambda epoch: float(0.95 ** torch.tensor(float(epoch)))".
std::string torch_lambda(const std::string& expression);

}  // namespace gs::nn
