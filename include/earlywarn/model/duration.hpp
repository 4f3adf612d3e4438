#pragma once
/// \file duration.hpp
/// Durations and the windows they make (docs/language.md, Time): `90d`, `2w`, `6m`, `1y`.

#include <cstdint>
#include <string>

#include "earlywarn/model/date.hpp"

namespace earlywarn {

/// The calendar unit of a duration, or a window aligned to the calendar:
/// `week_to_date` (from the Monday of the as-of date's week), `month_to_date`
/// (from the 1st) and `year_to_date` (from 1 January), each with a count of 1.
enum class period : std::uint8_t {
  day,
  week,
  month,
  year,
  week_to_date,
  month_to_date,
  year_to_date
};

/// The day of the week of `d`: 0 for Monday … 6 for Sunday (ISO 8601).
constexpr int weekday(day d) noexcept {
  return static_cast<int>(((static_cast<std::int64_t>(d) + 3) % 7 + 7) % 7);  // 1970-01-01: Thu
}

/// A count of days, weeks, months or years; or a window to date.
struct duration {
  std::int32_t count = 0;
  period per = period::day;

  friend bool operator==(const duration&, const duration&) = default;
};

/// The date `d` before `as_of`: days and weeks exactly, months and years
/// keeping the day of month, clamped to the end of a shorter month.
constexpr day subtract(day as_of, duration d) noexcept {
  switch (d.per) {
    case period::day:
      return as_of - d.count;
    case period::week:
      return as_of - 7 * d.count;
    case period::month:
      return add_months(as_of, -d.count);
    case period::year:
      return add_months(as_of, -12 * d.count);
    // The day before the period of `as_of` began: the window (that day, T]
    // is the period so far.
    case period::week_to_date:
      return as_of - weekday(as_of) - 1;
    case period::month_to_date:
      return as_of - to_civil(as_of).day_of_month;
    case period::year_to_date:
      return detail::days_from_civil({to_civil(as_of).year, 1, 1}) - 1;
  }
  return as_of;
}

/// The number of days a duration spans when it ends on `as_of`; used where a
/// duration is compared as a number (`arrears_days > 3m`).
constexpr std::int32_t days_in(duration d, day as_of) noexcept {
  return as_of - subtract(as_of, d);
}

/// `90d`, `2w`, `6m`, `1y`, `week_to_date`, `month_to_date`, `year_to_date`.
inline std::string to_string(duration d) {
  switch (d.per) {
    case period::week_to_date:
      return "week_to_date";
    case period::month_to_date:
      return "month_to_date";
    case period::year_to_date:
      return "year_to_date";
    default:
      break;
  }
  constexpr char units[] = {'d', 'w', 'm', 'y'};
  return std::to_string(d.count) + units[static_cast<int>(d.per)];
}

}  // namespace earlywarn
