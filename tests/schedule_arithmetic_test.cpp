// The change schedule's shortcuts must answer exactly what the plain
// arithmetic answers: month exits without civil dates, and a trend slope from
// running sums.

#include <gtest/gtest.h>

#include <vector>

#include "earlywarn.hpp"

namespace {

using earlywarn::day;

// window_exit() for months as it reads in words: the same day of month
// `months` on, or the 1st after a month that lacks it.
day reference_exit(day d, int months) {
  const earlywarn::civil_date c = earlywarn::to_civil(d);
  const int index = c.year * 12 + (c.month - 1) + months;
  const int year = index / 12, month = index % 12 + 1;
  if (c.day_of_month <= earlywarn::days_in_month(year, month))
    return earlywarn::to_day({year, month, c.day_of_month});
  return earlywarn::to_day({year, month, earlywarn::days_in_month(year, month)}) + 1;
}

TEST(schedule_arithmetic, month_exits_match_civil_date_arithmetic_for_every_ledger_date) {
  const day first = earlywarn::to_day({1, 1, 1}), last = earlywarn::to_day({9999, 12, 31});
  EXPECT_EQ(first, earlywarn::detail::first_fast_day);
  EXPECT_EQ(last, earlywarn::detail::last_fast_day);
  for (const int months : {0, 1, 2, 3, 5, 6, 11, 12, 13, 24, 36, 120}) {
    for (day d = first; d <= last; ++d) {
      if (earlywarn::detail::months_exit(d, months) != reference_exit(d, months)) {
        ADD_FAILURE() << "day " << d << " + " << months << " months";
        return;
      }
    }
  }
}

TEST(schedule_arithmetic, window_exit_outside_the_fast_range_still_answers) {
  const day d = earlywarn::detail::last_fast_day + 400;
  EXPECT_EQ(earlywarn::detail::window_exit(d, {2, earlywarn::period::month}), reference_exit(d, 2));
  EXPECT_EQ(earlywarn::detail::window_exit(d, {1, earlywarn::period::year}), reference_exit(d, 12));
}

TEST(schedule_arithmetic, a_trend_from_sums_equals_the_trend_of_its_samples) {
  const std::vector<earlywarn::cents> samples = {120000, -5000, 33333, 0, 777, 250000, -1, 98765};
  for (std::int32_t months = 2; months <= static_cast<std::int32_t>(samples.size()); ++months) {
    for (const bool of_arrears : {false, true}) {
      std::int64_t sum_y = 0, sum_xy = 0;
      for (std::int32_t j = 0; j < months; ++j) {
        const auto y = of_arrears ? std::max<earlywarn::cents>(samples[j], 0) : samples[j];
        sum_y += y;
        sum_xy += -j * y;
      }
      const earlywarn::value direct = earlywarn::household_signals::least_squares_trend(
          months, of_arrears, [&](std::int32_t j) { return samples[j]; });
      // The fraction the look ahead compares with a threshold.
      const earlywarn::value from_sums = earlywarn::value::fraction(
          earlywarn::household_signals::trend_numerator(months, sum_y, sum_xy),
          earlywarn::household_signals::trend_denominator(months), earlywarn::unit::money);
      EXPECT_EQ(direct.numerator(), from_sums.numerator());
      EXPECT_EQ(direct.denominator(), from_sums.denominator());
    }
  }
  // Three samples 0, 1, 2 months back of 300, 200, 100: rising 100 a month.
  const earlywarn::value rising = earlywarn::household_signals::least_squares_trend(
      3, false, [](std::int32_t j) { return earlywarn::cents{30000 - 10000 * j}; });
  EXPECT_EQ(rising, earlywarn::value::integer(100));
}

// Balances near the 64-bit limit (a ledger allows a household's amounts up to
// it): their sums over months are beyond 64 bits, and the slope is still
// exact (summed in 64 bits, Σy wrapped and a flat balance read as a trend).
TEST(schedule_arithmetic, a_trend_of_balances_near_the_64_bit_limit_is_exact) {
  const earlywarn::cents high = INT64_MAX - 7;
  const auto flat = earlywarn::household_signals::least_squares_trend(
      12, false, [&](std::int32_t) { return high; });
  EXPECT_EQ(flat, earlywarn::value::integer(0));
  // Falling from the limit by a whole hundredth a month: rising, x = −j.
  const auto rising = earlywarn::household_signals::least_squares_trend(
      6, true, [&](std::int32_t j) { return earlywarn::cents{high - 100 * j}; });
  EXPECT_EQ(rising, earlywarn::value::integer(1));
  const earlywarn::detail::int128 sum_y = static_cast<earlywarn::detail::int128>(high) * 12;
  earlywarn::detail::int128 sum_xy = 0;
  for (std::int32_t j = 0; j < 12; ++j) sum_xy += -static_cast<earlywarn::detail::int128>(j) * high;
  EXPECT_EQ(earlywarn::household_signals::trend_numerator(12, sum_y, sum_xy), 0);
}

}  // namespace
