#pragma once
/// \file ledger_load.hpp
/// The outcome of loading a ledger: the ledger, or located errors (docs/errors.md).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "earlywarn/model/error.hpp"
#include "earlywarn/model/ledger.hpp"

namespace earlywarn {

/// The outcome of loading a ledger.
struct [[nodiscard]] ledger_load {
  ledger events;  ///< the ledger; empty when the load failed
  /// Why the load failed, if it did (kind ledger, or io for a file that
  /// cannot be read), at its line and byte column.
  std::optional<earlywarn::error> error;
  std::vector<earlywarn::error> rejects;  ///< rows skipped in rejects mode, with their text
  std::uint64_t rows_accepted = 0;
  /// The line of each event type's first row, by the ledger's type ids (0 for
  /// the built-in types), to point at a misspelt type (`unknown_event_types`).
  std::vector<std::uint64_t> type_first_line;
  bool ok() const noexcept { return !error.has_value(); }
};

}  // namespace earlywarn
