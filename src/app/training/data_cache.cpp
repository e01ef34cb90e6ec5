// The shared datasets (data_cache.h). No ImGui.
#include "app/training/data_cache.h"

namespace gs::app::training {

std::string data_key(const nn::DataSpec& spec) { return nn::to_json(spec).dump(); }

std::shared_ptr<const nn::DataSplit> DataCache::get(const nn::DataSpec& spec) {
  const std::string key = data_key(spec);
  std::promise<std::shared_ptr<const nn::DataSplit>> promise;
  std::shared_future<std::shared_ptr<const nn::DataSplit>> future;
  bool mine = false;
  std::shared_ptr<nn::LoadProgress> progress;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = loads_.find(key);
    if (it == loads_.end()) {
      future = promise.get_future().share();
      loads_.emplace(key, future);
      progress = progress_locked(key);
      mine = true;
    } else {
      future = it->second;
    }
  }
  if (mine) {
    try {
      promise.set_value(std::make_shared<const nn::DataSplit>(nn::load_data(spec, progress.get())));
    } catch (...) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        loads_.erase(key);
        progress_.erase(key);  // a later try counts from 0 (a run holding this one keeps it)
      }
      promise.set_exception(std::current_exception());
    }
  }
  return future.get();
}

std::shared_ptr<const nn::LoadProgress> DataCache::progress(const nn::DataSpec& spec) {
  std::lock_guard<std::mutex> lock(mutex_);
  return progress_locked(data_key(spec));
}

std::shared_ptr<nn::LoadProgress> DataCache::progress_locked(const std::string& key) {
  std::shared_ptr<nn::LoadProgress>& p = progress_[key];
  if (!p) p = std::make_shared<nn::LoadProgress>();
  return p;
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
  // A progress nobody holds, of a load no longer kept (or never started).
  std::erase_if(progress_, [&](const auto& kv) { return !loads_.contains(kv.first) && kv.second.use_count() <= 1; });
}

}  // namespace gs::app::training
