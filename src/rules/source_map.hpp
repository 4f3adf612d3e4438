#pragma once
// The rules text as the checker points into it: where each line begins, and
// which bytes are code rather than comment or quoted text.

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "earlywarn/loading/diagnostic.hpp"

namespace earlywarn::rules_front {

/// Line starts and code bytes of one rules text, found once.
class source_map {
 public:
  /// Maps `source`, which must outlive the map.
  explicit source_map(std::string_view source);

  /// The rules text.
  std::string_view text() const { return source_; }

  /// The line and column of byte `offset` (clamped to the end), as locate() gives them.
  source_location locate_at(std::size_t offset) const;

  /// [b, e) widened so that its parentheses balance: `(a + b) * c` keeps its '('.
  std::pair<std::uint32_t, std::uint32_t> balanced(std::uint32_t b, std::uint32_t e) const;

  /// The offset of the operator after a left operand ending at byte `end`: the
  /// first byte past it that is neither blank nor a closing parenthesis.
  std::size_t operator_after(std::size_t end) const;

 private:
  std::string_view source_;
  std::vector<bool> is_code_;                // per byte: not in a comment or quoted text
  std::vector<std::size_t> line_starts_{0};  // byte offsets where lines begin
};

}  // namespace earlywarn::rules_front
