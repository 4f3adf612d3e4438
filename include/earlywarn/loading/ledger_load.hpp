#pragma once
/// \file ledger_load.hpp
/// The outcome of loading a ledger: the ledger, or located problems (docs/limits.md).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "earlywarn/model/ledger.hpp"

namespace earlywarn {

/// A bad ledger row or file: where, and why.
struct ledger_error {
  std::uint64_t line = 0;    ///< 1-based; 0 when the whole file is at fault
  std::uint32_t column = 0;  ///< 1-based byte position in the line; 0 when unknown
  std::string message;
  std::string row;  ///< the raw text of the offending row, for rejects files
};

/// Renders `FILE:LINE:COL: message` (or `FILE: message` without a position).
inline std::string format_error(const ledger_error& e, std::string_view file_name) {
  std::string out(file_name);
  if (e.line > 0) {
    out += ':' + std::to_string(e.line);
    if (e.column > 0) out += ':' + std::to_string(e.column);
  }
  out += ": ";
  out += e.message;
  return out;
}

/// The outcome of loading a ledger.
struct [[nodiscard]] ledger_load {
  ledger events;                      ///< the ledger; empty when the load failed
  std::optional<ledger_error> error;  ///< why the load failed, if it did
  std::vector<ledger_error> rejects;  ///< rows skipped in rejects mode
  std::uint64_t rows_accepted = 0;
  /// The line of each event type's first row, by the ledger's type ids (0 for
  /// the built-in types), to point at a misspelt type (`unknown_event_types`).
  std::vector<std::uint64_t> type_first_line;
  bool ok() const noexcept { return !error.has_value(); }
};

}  // namespace earlywarn
