#pragma once
// Interns short strings (household ids, type names) into dense indices.

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace earlywarn::detail {

/// 64-bit hash of a short byte string; fast for ids of 8–16 bytes.
inline std::uint64_t hash_bytes(std::string_view s) noexcept {
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t chunk;
    std::memcpy(&chunk, s.data() + i, 8);
    h = (h ^ chunk) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 29;
  }
  std::uint64_t tail = 0;
  // An empty view may have no data at all (the empty code, `std::string_view{}`),
  // and memcpy from a null pointer is undefined even for 0 bytes.
  if (i < s.size()) std::memcpy(&tail, s.data() + i, s.size() - i);
  h = (h ^ tail) * 0x94D049BB133111EBull;
  return h ^ (h >> 31);
}

/// Open-addressing interner: the strings live in one buffer, so millions of
/// ids cost a few bytes of overhead each and no allocation per id.
class string_interner {
 public:
  /// The index of `s`, adding it if new.
  std::uint32_t intern(std::string_view s) {
    if ((count() + 1) * 2 > slots_.size()) grow();
    const std::uint64_t h = hash_bytes(s);
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const std::uint32_t slot = slots_[i];
      if (slot == empty) {
        const auto index = static_cast<std::uint32_t>(count());
        slots_[i] = index;
        hashes_.push_back(h);
        chars_.insert(chars_.end(), s.begin(), s.end());
        offsets_.push_back(chars_.size());
        return index;
      }
      if (hashes_[slot] == h && get(slot) == s) return slot;
    }
  }

  /// The index of `s`, or -1 when absent.
  std::int64_t find(std::string_view s) const noexcept {
    if (slots_.empty()) return -1;
    const std::uint64_t h = hash_bytes(s);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const std::uint32_t slot = slots_[i];
      if (slot == empty) return -1;
      if (hashes_[slot] == h && get(slot) == s) return slot;
    }
  }

  std::string_view get(std::uint32_t index) const noexcept {
    return {chars_.data() + offsets_[index], offsets_[index + 1] - offsets_[index]};
  }
  std::size_t count() const noexcept { return offsets_.size() - 1; }
  /// Heap bytes held.
  std::size_t memory_bytes() const noexcept {
    return chars_.capacity() + offsets_.capacity() * sizeof(std::size_t) +
           hashes_.capacity() * sizeof(std::uint64_t) + slots_.capacity() * sizeof(std::uint32_t);
  }

 private:
  static constexpr std::uint32_t empty = UINT32_MAX;

  void grow() {
    const std::size_t size = slots_.empty() ? 16 : slots_.size() * 2;
    slots_.assign(size, empty);
    const std::size_t mask = size - 1;
    for (std::uint32_t index = 0; index < count(); ++index) {
      std::size_t i = hashes_[index] & mask;
      while (slots_[i] != empty) i = (i + 1) & mask;
      slots_[i] = index;
    }
  }

  std::vector<char> chars_;
  std::vector<std::size_t> offsets_{0};
  std::vector<std::uint64_t> hashes_;
  std::vector<std::uint32_t> slots_;
};

}  // namespace earlywarn::detail
