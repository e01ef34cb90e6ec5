// The shared datasets (data_cache.h). No ImGui.
#include "app/training/data_cache.h"

#include "nn/errors.h"

#include <stdexcept>

namespace gs::app::training {

std::string data_key(const nn::DataSpec& spec) { return nn::to_json(spec).dump(); }

std::shared_ptr<const nn::DataSplit> DataCache::get(const nn::DataSpec& spec) {
  const std::string key = data_key(spec);
  std::promise<Loaded> promise;
  std::shared_future<Loaded> future;
  std::shared_ptr<nn::LoadProgress> progress;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Load& load = load_locked(key);
    if (!load.result.valid()) {
      load.result = promise.get_future().share();
      progress = load.progress;  // this call loads
    }
    future = load.result;
  }
  if (progress) {
    Loaded out;
    try {
      out.data = std::make_shared<const nn::DataSplit>(nn::load_data(spec, progress.get()));
    } catch (const nn::InputError& e) {
      out.error = e.what();
      out.input_error = true;
    } catch (const std::exception& e) {
      out.error = e.what();
    } catch (...) {
      out.error = "unexpected error while loading data";
    }
    if (!out.data) {
      // Not kept: a later try loads again, counting from 0 (a run holding this progress keeps it).
      std::lock_guard<std::mutex> lock(mutex_);
      loads_.erase(key);
    }
    promise.set_value(std::move(out));
  }
  const Loaded& got = future.get();
  if (got.data) return got.data;
  if (got.input_error) throw nn::InputError(got.error);
  throw std::runtime_error(got.error);
}

std::shared_ptr<const nn::LoadProgress> DataCache::progress(const nn::DataSpec& spec) {
  std::lock_guard<std::mutex> lock(mutex_);
  return load_locked(data_key(spec)).progress;
}

DataCache::Load& DataCache::load_locked(const std::string& key) {
  Load& load = loads_[key];
  if (!load.progress) load.progress = std::make_shared<nn::LoadProgress>();
  return load;
}

void DataCache::trim() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::erase_if(loads_, [](const auto& kv) {
    const Load& load = kv.second;
    // A progress nobody holds, of a load never started.
    if (!load.result.valid()) return load.progress.use_count() <= 1;
    // A load done whose data no run uses any more (each run holds its own reference).
    return load.result.wait_for(std::chrono::seconds(0)) == std::future_status::ready && load.result.get().data.use_count() <= 1;
  });
}

}  // namespace gs::app::training
