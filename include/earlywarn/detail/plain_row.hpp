#pragma once
/// \file plain_row.hpp
/// One ledger CSV row of the common kind, read on its own: the stream's fast
/// path, beside the batch loader that reads rows by the million.

#include <cstddef>
#include <iterator>
#include <optional>
#include <string_view>

#include "earlywarn/detail/csv_chunk_parser.hpp"
#include "earlywarn/model/date.hpp"
#include "earlywarn/model/event_code.hpp"
#include "earlywarn/model/event_type.hpp"
#include "earlywarn/model/ledger.hpp"
#include "earlywarn/model/money.hpp"
#include "earlywarn/model/plan_frequency.hpp"

namespace earlywarn::detail {

/// The fields of a ledger row; the views point into the row.
struct plain_row {
  std::string_view household;
  day date = 0;
  std::string_view type;
  cents amount = 0;
  std::string_view code;  ///< empty for none
};

/// Reads `row` (one line, without its line break; a trailing '\r' is
/// allowed) of a ledger whose header has `columns` columns and its event codes
/// in column `code_column` (0-based; `no_code_column` for none), when it is of
/// the common kind: no quotes, exactly `columns` fields, a household id of
/// 1-64 printable ASCII bytes, a valid date, type name, amount and code.
/// Returns nullopt for anything else, good or bad: the caller then reads the
/// row with the full loader, which also words the error. Whatever this
/// accepts, the loader accepts with the same values (tests/plain_row_test.cpp).
inline std::optional<plain_row> read_plain_row(std::string_view row, std::size_t columns,
                                               std::size_t code_column) noexcept {
  if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
  if (columns < std::size(ledger_header_names) || row.find('"') != row.npos) return std::nullopt;
  std::string_view fields[4];
  std::string_view code;
  std::size_t start = 0;
  for (std::size_t i = 0; i < columns; ++i) {
    const std::size_t comma = row.find(',', start);
    const bool last = i + 1 == columns;
    // The last field runs to the end of the row; any other ends at a comma.
    if (last != (comma == row.npos)) return std::nullopt;
    if (i < 4) fields[i] = row.substr(start, last ? row.npos : comma - start);
    if (i == code_column) code = row.substr(start, last ? row.npos : comma - start);
    start = comma + 1;
  }
  if (code_problem(code)) return std::nullopt;
  plain_row out;
  out.code = code;
  out.household = fields[0];
  if (out.household.empty() || out.household.size() > max_household_id_length) return std::nullopt;
  for (const char c : out.household)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E)
      return std::nullopt;
  const std::optional<day> date = parse_date(fields[1]);
  if (!date) return std::nullopt;
  out.date = *date;
  out.type = fields[2];
  if (!is_valid_type_name(out.type)) return std::nullopt;
  // A plan's code is its frequency: any other the loader refuses, and words.
  if (out.type == builtin_type_names[builtin_type::plan] && !parse_plan_frequency(out.code))
    return std::nullopt;
  const std::string_view amount = fields[3];
  if (parse_two_place_amount(amount, out.amount)) return out;
  bool required = false;
  for (type_id t = 0; t < builtin_type::count; ++t)
    if (builtin_type_names[t] == out.type) required = builtin_requires_amount(t);
  if (amount.empty() && !required) return out;  // a neutral event without an amount
  const parsed_amount parsed = parse_amount(amount);
  if (parsed.error != amount_error::none) return std::nullopt;
  out.amount = parsed.value;
  return out;
}

}  // namespace earlywarn::detail
