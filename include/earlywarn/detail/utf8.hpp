#pragma once
// UTF-8 validation: the ledger refuses ids it could not print back, and the
// rules front end refuses files that are not UTF-8 text.

#include <cstdint>
#include <string_view>

namespace earlywarn::detail {

/// The length of the well-formed UTF-8 sequence starting at `s[i]` (1 to 4),
/// or 0 when the bytes there are not UTF-8 (stray continuation byte, cut-off,
/// overlong or surrogate sequence, beyond U+10FFFF).
constexpr std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  std::size_t extra;
  std::uint32_t cp;
  if ((c & 0xE0) == 0xC0) {
    extra = 1;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    extra = 2;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    extra = 3;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + extra >= s.size()) return 0;
  for (std::size_t k = 1; k <= extra; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
  if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) ||
      (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
    return 0;
  return extra + 1;
}

/// True when `s` is well-formed UTF-8 without control characters.
constexpr bool is_clean_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80 && ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)) return false;
    const std::size_t length = utf8_sequence_length(s, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

}  // namespace earlywarn::detail
