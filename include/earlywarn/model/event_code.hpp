#pragma once
/// \file event_code.hpp
/// Event codes: the optional text an event carries beside its amount, such as a court
/// outcome or a letter's kind (docs/language.md, Event codes).

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "earlywarn/detail/string_interner.hpp"
#include "earlywarn/detail/utf8.hpp"
#include "earlywarn/model/error.hpp"

namespace earlywarn {

/// Index of an event's code within one ledger's code table; 0 is "no code".
using code_id = std::uint16_t;

/// Most distinct codes one ledger may hold; ids are 16 bits, like type ids.
inline constexpr std::size_t max_event_codes = 65'535;

/// Longest accepted code, in bytes.
inline constexpr std::size_t max_code_length = 64;

/// The error for a ledger that names more codes than fit `code_id` (id 0 is
/// "no code", so 65,534 texts).
inline constexpr std::string_view too_many_codes_message =
    "too many distinct event codes (the limit is 65,534 per ledger)";

/// Why `code` cannot be an event's code, or nullopt when it can: at most 64
/// bytes of UTF-8 without control characters, quotes or backslashes, and no
/// space at either end (a code is matched exactly, so a stray space would
/// silently match nothing). The empty text means "no code" and is valid.
constexpr std::optional<std::string_view> code_problem(std::string_view code) noexcept {
  if (code.size() > max_code_length) return "is longer than 64 bytes";
  if (code.empty()) return std::nullopt;
  if (code.front() == ' ' || code.back() == ' ') return "begins or ends with a space";
  for (const char c : code)
    if (c == '"' || c == '\\' || c == '\t' || c == '\n' || c == '\r')
      return "holds a quote, backslash, tab or line break";
  if (!detail::is_clean_utf8(code)) return "is not UTF-8 text without control characters";
  return std::nullopt;
}

namespace detail {
/// Throws std::invalid_argument saying why `code` is refused, as the loaders word it.
[[noreturn]] inline void refuse_code(std::string_view code, std::string_view problem) {
  throw invalid_input(error_kind::ledger, "event code '" + std::string(code.substr(0, 80)) + "' " +
                                              std::string(problem));
}
}  // namespace detail

/// The codes one ledger has seen; the empty code has id 0.
class code_table {
 public:
  code_table() { names_.intern({}); }
  /// The id of `code`, adding it if new; throws std::invalid_argument for a
  /// code `code_problem` refuses or beyond `max_event_codes` codes.
  code_id intern(std::string_view code) {
    const std::int64_t found = names_.find(code);
    if (found >= 0) return static_cast<code_id>(found);
    if (const auto problem = code_problem(code)) detail::refuse_code(code, *problem);
    if (names_.count() >= max_event_codes)
      throw invalid_input(error_kind::ledger, std::string(too_many_codes_message));
    return static_cast<code_id>(names_.intern(code));
  }
  /// The id of `code`, if this ledger has it.
  std::optional<code_id> find(std::string_view code) const noexcept {
    const std::int64_t found = names_.find(code);
    return found < 0 ? std::nullopt : std::optional<code_id>(static_cast<code_id>(found));
  }
  std::string_view name(code_id id) const noexcept { return names_.get(id); }
  /// Codes known, the empty one included.
  std::size_t size() const noexcept { return names_.count(); }
  /// Of two codes on one date, the one code() reads: the later in byte
  /// order (any code before none), so the order of rows within a day never
  /// matters (docs/language.md, Event codes).
  code_id later(code_id a, code_id b) const noexcept { return name(a) < name(b) ? b : a; }

 private:
  detail::string_interner names_;
};

}  // namespace earlywarn
