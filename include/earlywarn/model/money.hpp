#pragma once
/// \file money.hpp
/// Exact money: integer hundredths (docs/language.md, Ledger). No floating point decides a balance.

#include <cstdint>
#include <string>
#include <string_view>

namespace earlywarn {

/// An amount of money in hundredths of the currency unit (haléře, pence, cents).
using cents = std::int64_t;

/// The largest amount a ledger row may carry: 10^13 units, far beyond any rent
/// ledger, so that sums over a national ledger cannot overflow 64 bits.
inline constexpr cents max_amount = 1'000'000'000'000'000;
/// Why an amount field was refused.
enum class amount_error : std::uint8_t {
  none,
  empty,
  negative,
  too_precise,  ///< more than two decimal places
  not_a_number,
  too_large,
};

/// The outcome of parsing an amount: `error == none` means `value` holds it.
struct parsed_amount {
  cents value = 0;
  amount_error error = amount_error::none;
};

/// Parses a non-negative decimal with at most two decimal places and `.` as the
/// separator: `8532.50`, `12`, `0.5`. Signs, exponents, spaces and thousands
/// separators are refused.
constexpr parsed_amount parse_amount(std::string_view text) noexcept {
  if (text.empty()) return {0, amount_error::empty};
  if (text.front() == '-') return {0, amount_error::negative};
  std::size_t i = 0;
  cents whole = 0;
  std::size_t digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
    whole = whole * 10 + (text[i] - '0');
    if (whole > max_amount / 100) return {0, amount_error::too_large};
  }
  if (digits == 0) return {0, amount_error::not_a_number};
  cents fraction = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    std::size_t places = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++places) {
      if (places >= 2) {
        // Keep scanning so that "1.234x" reports the worse fault first.
        continue;
      }
      fraction = fraction * 10 + (text[i] - '0');
    }
    if (i != text.size()) return {0, amount_error::not_a_number};
    if (places == 0) return {0, amount_error::not_a_number};
    if (places > 2) return {0, amount_error::too_precise};
    if (places == 1) fraction *= 10;
  }
  if (i != text.size()) return {0, amount_error::not_a_number};
  if (whole * 100 + fraction > max_amount) return {0, amount_error::too_large};
  return {whole * 100 + fraction, amount_error::none};
}

/// A short English reason for an amount error, for diagnostics.
constexpr std::string_view describe(amount_error e) noexcept {
  switch (e) {
    case amount_error::none:
      return "valid";
    case amount_error::empty:
      return "amount is required for this event type";
    case amount_error::negative:
      return "amount must not be negative";
    case amount_error::too_precise:
      return "amount has more than 2 decimal places";
    case amount_error::not_a_number:
      return "amount is not a decimal number (expected digits, optionally '.' and 1-2 digits)";
    case amount_error::too_large:
      return "amount is too large (the largest accepted is 10000000000000.00)";
  }
  return "invalid amount";
}

/// Formats hundredths as a decimal with exactly two places: `-12.05`, `8532.50`.
inline std::string format_cents(cents amount) {
  const bool negative = amount < 0;
  // Work in unsigned so that the most negative value formats too.
  std::uint64_t magnitude =
      negative ? ~static_cast<std::uint64_t>(amount) + 1 : static_cast<std::uint64_t>(amount);
  char buffer[32];
  char* end = buffer + sizeof buffer;
  char* p = end;
  *--p = static_cast<char>('0' + magnitude % 10);
  magnitude /= 10;
  *--p = static_cast<char>('0' + magnitude % 10);
  magnitude /= 10;
  *--p = '.';
  do {
    *--p = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  if (negative) *--p = '-';
  return std::string(p, end);
}

}  // namespace earlywarn
