#pragma once
// The household id table of the CSV loader's inner loop: id text to a dense
// handle. A city ledger looks up an id on every row (a posting journal names
// a different household each row), so a lookup must cost one cache line of
// the table and one of the id text, and no call into the C library.

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "earlywarn/detail/compiler.hpp"

namespace earlywarn::detail {

inline std::uint64_t load_u64(const char* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

inline std::uint32_t load_u32(const char* p) noexcept {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

/// True when the `n` bytes at `a` and `b` are equal. Reads only those bytes:
/// longer strings use overlapping word loads, so it never reads past the end
/// of a memory-mapped file.
inline bool equal_bytes(const char* a, const char* b, std::size_t n) noexcept {
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8)
      if (load_u64(a + i) != load_u64(b + i)) return false;
    return load_u64(a + n - 8) == load_u64(b + n - 8);
  }
  if (n >= 4) return load_u32(a) == load_u32(b) && load_u32(a + n - 4) == load_u32(b + n - 4);
  if (n == 0) return true;
  return a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1];
}

/// A 64-bit hash of a short byte string, reading it as `equal_bytes` does.
inline std::uint64_t hash_id(const char* s, std::size_t n) noexcept {
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xFF51AFD7ED558CCDull);
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) h = (h ^ load_u64(s + i)) * 0xBF58476D1CE4E5B9ull;
    h ^= load_u64(s + n - 8);
  } else if (n >= 4) {
    h ^= (static_cast<std::uint64_t>(load_u32(s)) << 32) | load_u32(s + n - 4);
  } else if (n > 0) {
    h ^= (static_cast<std::uint64_t>(static_cast<unsigned char>(s[0])) << 16) |
         (static_cast<std::uint64_t>(static_cast<unsigned char>(s[n / 2])) << 8) |
         static_cast<unsigned char>(s[n - 1]);
  }
  h = (h ^ (h >> 31)) * 0x94D049BB133111EBull;
  return h ^ (h >> 29);
}

/// Open addressing over 32-byte slots that hold the hash, and ids of up to
/// 16 bytes themselves: a lookup reads one cache line, which the caller can
/// prefetch while it parses the next rows.
class id_table {
 public:
  static constexpr std::uint32_t none = UINT32_MAX;

  /// The handle of the `n` bytes at `s` with hash `h` (from `hash_id`), or `none`.
  std::uint32_t find(const char* s, std::size_t n, std::uint64_t h) const noexcept {
    if (slots_.empty()) return none;
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const slot& e = slots_[i];
      if (e.handle_plus_one == 0) return none;
      if (e.hash == h && e.size == n &&
          equal_bytes(n <= sizeof e.id ? e.id : chars_.data() + offsets_[e.handle_plus_one - 1], s,
                      n))
        return e.handle_plus_one - 1;
    }
  }

  /// Adds an id that `find` did not find; returns its handle (ids are
  /// numbered 0, 1, … in the order they are added).
  std::uint32_t insert(const char* s, std::size_t n, std::uint64_t h) {
    if ((size() + 1) * 2 > slots_.size()) grow();
    const auto handle = static_cast<std::uint32_t>(size());
    slot e;
    e.hash = h;
    e.handle_plus_one = handle + 1;
    e.size = static_cast<std::uint32_t>(n);
    if (n <= sizeof e.id) std::memcpy(e.id, s, n);
    place(e);
    chars_.insert(chars_.end(), s, s + n);
    offsets_.push_back(chars_.size());
    return handle;
  }

  /// Hints that the slot for hash `h` will be probed soon.
  void prefetch(std::uint64_t h) const noexcept {
    if (!slots_.empty()) __builtin_prefetch(slots_.data() + (h & mask_));
  }

  std::string_view id(std::uint32_t handle) const noexcept {
    return {chars_.data() + offsets_[handle], offsets_[handle + 1] - offsets_[handle]};
  }
  std::size_t size() const noexcept { return offsets_.size() - 1; }

 private:
  struct alignas(32) slot {
    std::uint64_t hash = 0;
    std::uint32_t handle_plus_one = 0;  // 0: empty
    std::uint32_t size = 0;
    char id[16] = {};
  };

  void place(const slot& e) noexcept {
    std::size_t i = e.hash & mask_;
    while (slots_[i].handle_plus_one != 0) i = (i + 1) & mask_;
    slots_[i] = e;
  }

  void grow() {
    std::vector<slot> old(slots_.empty() ? 64 : slots_.size() * 2);
    old.swap(slots_);
    mask_ = slots_.size() - 1;
    for (const slot& e : old)
      if (e.handle_plus_one != 0) place(e);
  }

  std::vector<slot> slots_;
  std::size_t mask_ = 0;
  std::vector<char> chars_;
  std::vector<std::uint64_t> offsets_{0};
};

}  // namespace earlywarn::detail
