// The datasets the training page's runs train on, loaded once per data spec and shared: four runs
// compared on Fashion-MNIST read the files once, and the views draw the points and images from
// the same copy. Loading happens on the caller's thread (a run's loader thread). No ImGui.
#pragma once

#include "nn/dataset.h"

#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace gs::app::training {

class DataCache {
 public:
  // The data of `spec`, loaded (or generated) on the first call and shared afterwards. Throws
  // nn::InputError (a missing file, a malformed CSV); a failed load is not kept, so a later call
  // tries again. Thread-safe: concurrent calls for one spec load it once.
  std::shared_ptr<const nn::DataSplit> get(const nn::DataSpec& spec);
  // How far get() has read the files of `spec` (nn::LoadProgress: bytes of the stored files read
  // of their total): the one a load writes, whichever run's thread loads, made here when no load
  // has asked for it yet. Any thread; the object stays valid while held.
  std::shared_ptr<const nn::LoadProgress> progress(const nn::DataSpec& spec);
  // Drops data no run uses any more (each run holds its own reference).
  void trim();

 private:
  // What one load made: the data, or why it failed. Every caller throws an error of its own made
  // from the message: no exception object is shared between the loaders' threads.
  struct Loaded {
    std::shared_ptr<const nn::DataSplit> data;
    std::string error;         // empty when loaded
    bool input_error = false;  // it was an nn::InputError (else a std::runtime_error)
  };
  // A spec's load (not valid until get() starts one) and its progress (made by whichever of
  // get() and progress() asks first).
  struct Load {
    std::shared_future<Loaded> result;
    std::shared_ptr<nn::LoadProgress> progress;
  };
  Load& load_locked(const std::string& key);
  std::mutex mutex_;
  std::map<std::string, Load> loads_;
};

// The key a spec is cached under: its JSON, every key written.
std::string data_key(const nn::DataSpec& spec);

}  // namespace gs::app::training
