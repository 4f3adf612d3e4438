#pragma once
/// \file prefetch.hpp
/// A hint to start fetching memory that will be read soon.

#include <cstddef>

namespace earlywarn::detail {

/// Asks the processor to bring the cache lines of `size` bytes at `at` closer;
/// does nothing where the compiler offers no such hint. Never faults.
inline void prefetch(const void* at, std::size_t size = 1) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  const char* p = static_cast<const char*>(at);
  for (std::size_t offset = 0; offset < size; offset += 64) __builtin_prefetch(p + offset);
#else
  (void)at;
  (void)size;
#endif
}

}  // namespace earlywarn::detail
