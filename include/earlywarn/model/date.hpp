#pragma once
/// \file date.hpp
/// Calendar dates as day numbers, and the month arithmetic windows need (docs/language.md, Time).

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "earlywarn/model/error.hpp"

namespace earlywarn {

/// A calendar date as the number of days since 1970-01-01 (negative before).
using day = std::int32_t;

/// A year, month (1–12) and day of month (1–31).
struct civil_date {
  int year;
  int month;
  int day_of_month;
};

/// True for Gregorian leap years.
constexpr bool is_leap_year(int year) noexcept {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/// Number of days in the month (1–12) of the year.
constexpr int days_in_month(int year, int month) noexcept {
  constexpr int lengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : lengths[month - 1];
}

/// The earliest and latest dates a ledger, an `--as-of` or `parse_date`
/// accepts: the four-digit years of `YYYY-MM-DD`.
inline constexpr std::string_view first_supported_date = "0001-01-01";
inline constexpr std::string_view last_supported_date = "9999-12-31";

/// The largest year magnitude `to_day` converts: its day numbers stay far
/// inside 32 bits.
inline constexpr int max_civil_year = 1'000'000;

namespace detail {
/// The day number of a civil date already known to be valid (no checks):
/// Howard Hinnant's days_from_civil, with the year shifted to start in March
/// so that the leap day is the last day of the year.
constexpr day days_from_civil(civil_date d) noexcept {
  const int y = d.year - (d.month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = static_cast<unsigned>(d.month > 2 ? d.month - 3 : d.month + 9);
  const unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(d.day_of_month) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<day>(era * 146097 + static_cast<int>(doe) - 719468);
}
}  // namespace detail

/// True when the month is 1–12, the day exists in that month, and the year is
/// within ±`max_civil_year`.
constexpr bool is_calendar_date(civil_date d) noexcept {
  return d.year >= -max_civil_year && d.year <= max_civil_year && d.month >= 1 && d.month <= 12 &&
         d.day_of_month >= 1 && d.day_of_month <= days_in_month(d.year, d.month);
}

/// The day number of a civil date (proleptic Gregorian calendar); throws
/// std::invalid_argument naming the date when it is not one (2024-02-30,
/// month 13), instead of rolling it over into the next month or year.
constexpr day to_day(civil_date d) {
  if (!is_calendar_date(d))
    throw invalid_input(error_kind::misuse, "not a calendar date: year " + std::to_string(d.year) +
                                                ", month " + std::to_string(d.month) + ", day " +
                                                std::to_string(d.day_of_month));
  return detail::days_from_civil(d);
}

/// The civil date of a day number.
constexpr civil_date to_civil(day n) noexcept {
  const int z = n + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y = static_cast<int>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
  return {y, m, d};
}

/// The date `months` months after `d` (before, if negative), keeping the day of
/// month and clamping it to the last day of a shorter month: 2024-03-31 − 1
/// month = 2024-02-29.
constexpr day add_months(day d, int months) noexcept {
  const civil_date c = to_civil(d);
  const int index = c.year * 12 + (c.month - 1) + months;
  const int year = index >= 0 ? index / 12 : (index - 11) / 12;
  const int month = index - year * 12 + 1;
  const int dom =
      c.day_of_month < days_in_month(year, month) ? c.day_of_month : days_in_month(year, month);
  return detail::days_from_civil({year, month, dom});
}

/// Parses exactly `YYYY-MM-DD` naming a real calendar date from
/// `first_supported_date` to `last_supported_date`; nothing else.
constexpr std::optional<day> parse_date(std::string_view text) noexcept {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int fields[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8};
  const int widths[3] = {4, 2, 2};
  for (int f = 0; f < 3; ++f) {
    for (int i = 0; i < widths[f]; ++i) {
      const char ch = text[static_cast<std::size_t>(starts[f] + i)];
      if (ch < '0' || ch > '9') return std::nullopt;
      fields[f] = fields[f] * 10 + (ch - '0');
    }
  }
  if (fields[0] < 1 || fields[1] < 1 || fields[1] > 12 || fields[2] < 1 ||
      fields[2] > days_in_month(fields[0], fields[1]))
    return std::nullopt;
  return detail::days_from_civil({fields[0], fields[1], fields[2]});
}

/// Why `parse_date` refused `text`, for messages: the expected form, or, for
/// text of that form, that it names no date of the supported calendar.
inline std::string describe_bad_date(std::string_view text) {
  bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-';
  for (std::size_t i = 0; shaped && i < text.size(); ++i)
    if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9')) shaped = false;
  if (!shaped) return "expected a date YYYY-MM-DD";
  return "not a calendar date (dates from " + std::string(first_supported_date) + " to " +
         std::string(last_supported_date) + " are supported)";
}

/// Writes `YYYY-MM-DD` into `out`, which must hold 10 characters.
inline void format_date(day d, char* out) noexcept {
  const civil_date c = to_civil(d);
  const int values[3] = {c.year, c.month, c.day_of_month};
  const int widths[3] = {4, 2, 2};
  int pos = 0;
  for (int f = 0; f < 3; ++f) {
    if (f > 0) out[pos++] = '-';
    int v = values[f];
    for (int i = widths[f] - 1; i >= 0; --i) {
      out[pos + i] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
    pos += widths[f];
  }
}

/// The date as `YYYY-MM-DD`.
inline std::string format_date(day d) {
  std::string s(10, '0');
  format_date(d, s.data());
  return s;
}

}  // namespace earlywarn
