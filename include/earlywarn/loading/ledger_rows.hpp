#pragma once
/// \file ledger_rows.hpp
/// A ledger CSV read one row at a time as rows arrive (a stream's input),
/// with the checks and messages of the batch loader (docs/language.md,
/// Ledger; README, The ledger).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "earlywarn/detail/plain_row.hpp"
#include "earlywarn/loading/ledger_csv.hpp"

namespace earlywarn {

/// One event of a row (household, date, type, amount, code; the code empty
/// for none); the views are valid until the reader's next read().
using ledger_row = detail::plain_row;

/// Reads the rows of a ledger CSV one by one, after its header row. Every
/// row is checked as load_ledger_csv() checks it, and a bad row gives the
/// same error, at the row's line of the input. Rows of the common kind (no
/// quotes, the values well formed) are read in place; any other goes
/// through the batch loader, which words what is wrong.
class ledger_row_reader {
 public:
  /// For a ledger whose header row is `header` (without its line break). A
  /// bad header is reported by each read(), at line 1.
  explicit ledger_row_reader(std::string header) : header_(std::move(header)) {
    if (!header_.empty() && header_.back() == '\r') header_.pop_back();
    std::size_t body = 0;
    std::uint64_t line = 1;
    if (detail::read_ledger_header(header_ + "\n", body, line, columns_, code_column_))
      columns_ = 0;
  }

  /// Reads `row`: one row of the input without its last line break (a quoted
  /// field may hold line breaks), which begins on line `line` of the input
  /// (the header is line 1). Returns the row's error, or nullopt with its
  /// event in `out` (nullopt too for a blank row, which holds none).
  [[nodiscard]] std::optional<error> read(std::string_view row, std::uint64_t line,
                                          std::optional<ledger_row>& out) {
    out.reset();
    if (row.empty() || row == "\r") return std::nullopt;
    if (columns_ != 0)
      if (const auto plain = detail::read_plain_row(row, columns_, code_column_)) {
        out = *plain;
        return std::nullopt;
      }
    ledger_csv_options one_thread;
    one_thread.threads = 1;
    std::string text;
    text.reserve(header_.size() + row.size() + 2);
    text.append(header_).append("\n").append(row).append("\n");
    ledger_load parsed = parse_ledger_csv(text, one_thread);
    if (!parsed.ok()) {
      error e = *std::move(parsed.error);
      // In the text above the row is line 2; in the input it is `line`.
      if (e.line > 1) e.line += line - 2;
      return e;
    }
    last_ = std::move(parsed.events);
    const household_events ev = last_.events(0);
    out = ledger_row{last_.household_id(0), ev.dates[0], last_.types().name(ev.types[0]),
                     ev.amounts[0], last_.codes().name(ev.code(0))};
    return std::nullopt;
  }

 private:
  std::string header_;
  std::size_t columns_ = 0;  // 0: a header the fast path cannot take
  std::size_t code_column_ = detail::no_code_column;
  ledger last_;  // the row the batch loader read last, which `out` views
};

}  // namespace earlywarn
