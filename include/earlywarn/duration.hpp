#pragma once
/// \file duration.hpp
/// Durations and the windows they make (docs/language.md, Time): `90d`, `2w`, `6m`, `1y`.

#include <cstdint>
#include <string>

#include "earlywarn/date.hpp"

namespace earlywarn {

/// The calendar unit of a duration.
enum class period : std::uint8_t { day, week, month, year };

/// A count of days, weeks, months or years.
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
  }
  return as_of;
}

/// The number of days a duration spans when it ends on `as_of`; used where a
/// duration is compared as a number (`arrears_days > 3m`).
constexpr std::int32_t days_in(duration d, day as_of) noexcept {
  return as_of - subtract(as_of, d);
}

/// `90d`, `2w`, `6m`, `1y`.
inline std::string to_string(duration d) {
  constexpr char units[] = {'d', 'w', 'm', 'y'};
  return std::to_string(d.count) + units[static_cast<int>(d.per)];
}

}  // namespace earlywarn
