#pragma once
// Numbered tasks run on a few threads, the calling thread among them, so that
// a caller's callback (progress, which Python must receive on its own
// thread) can run between tasks without a thread of its own.

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace earlywarn::detail {

/// Threads for a `threads` option: 0 means one per hardware thread.
inline unsigned thread_count(unsigned threads) noexcept {
  return threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : threads;
}

/// Runs `task(index, worker)` for every index in [0, count), each exactly
/// once, on up to `threads` workers numbered from 0 (0 is the calling
/// thread). `after_each` runs on the calling thread after each task it ran.
/// The first exception a task throws stops the remaining tasks and is
/// rethrown here once every worker has stopped.
inline void run_tasks(std::size_t count, unsigned threads,
                      const std::function<void(std::size_t index, unsigned worker)>& task,
                      const std::function<void()>& after_each = {}) {
  const auto workers = static_cast<unsigned>(std::min<std::size_t>(thread_count(threads), count));
  std::atomic<std::size_t> next{0};
  std::mutex m;
  std::exception_ptr failure;
  auto work = [&](unsigned worker) {
    try {
      for (std::size_t i; (i = next.fetch_add(1)) < count;) {
        task(i, worker);
        if (worker == 0 && after_each) after_each();
      }
    } catch (...) {
      const std::lock_guard lock(m);
      if (!failure) failure = std::current_exception();
      next.store(count);
    }
  };
  std::vector<std::thread> pool;
  try {
    for (unsigned w = 1; w < workers; ++w) pool.emplace_back(work, w);
  } catch (...) {
    // No thread could be started: the calling thread does all the work.
  }
  work(0);
  for (std::thread& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace earlywarn::detail
