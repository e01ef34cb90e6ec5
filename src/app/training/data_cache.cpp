// The shared datasets (data_cache.h). No ImGui.
#include "app/training/data_cache.h"

namespace gs::app::training {

std::string data_key(const nn::DataSpec& spec) { return nn::to_json(spec).dump(); }

std::shared_ptr<const nn::DataSplit> DataCache::get(const nn::DataSpec& spec) {
  const std::string key = data_key(spec);
  std::promise<std::shared_ptr<const nn::DataSplit>> promise;
  std::shared_future<std::shared_ptr<const nn::DataSplit>> future;
  bool mine = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = loads_.find(key);
    if (it == loads_.end()) {
      future = promise.get_future().share();
      loads_.emplace(key, future);
      mine = true;
    } else {
      future = it->second;
    }
  }
  if (mine) {
    try {
      promise.set_value(std::make_shared<const nn::DataSplit>(nn::load_data(spec)));
    } catch (...) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        loads_.erase(key);
      }
      promise.set_exception(std::current_exception());
    }
  }
  return future.get();
}

void DataCache::trim() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = loads_.begin(); it != loads_.end();) {
    const auto& f = it->second;
    const bool ready = f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    bool unused = false;
    if (ready) {
      try {
        unused = f.get().use_count() <= 1;
      } catch (...) {
        unused = true;
      }
    }
    if (unused) it = loads_.erase(it);
    else ++it;
  }
}

}  // namespace gs::app::training
