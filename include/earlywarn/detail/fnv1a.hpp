#pragma once
// FNV-1a, 64 bits: the checksum of a checkpoint and the ruleset's
// fingerprint. Not cryptographic: it catches damage, not intent.

#include <cstdint>
#include <string_view>

namespace earlywarn::detail {

inline std::uint64_t fnv1a(std::string_view bytes) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

}  // namespace earlywarn::detail
