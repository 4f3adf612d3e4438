#include "earlywarn/model/date.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>

#include "earlywarn/model/duration.hpp"

namespace earlywarn {
namespace {

day d(int year, int month, int day_of_month) { return to_day({year, month, day_of_month}); }

std::string text(day n) { return format_date(n); }

TEST(date, epoch_is_day_zero) {
  EXPECT_EQ(to_day({1970, 1, 1}), 0);
  EXPECT_EQ(to_day({1970, 1, 2}), 1);
  EXPECT_EQ(to_day({1969, 12, 31}), -1);
}

TEST(date, known_day_numbers) {
  // Reference values from Python's datetime.date ordinal arithmetic.
  EXPECT_EQ(d(2024, 3, 1), 19783);
  EXPECT_EQ(d(2000, 3, 1), 11017);
  EXPECT_EQ(d(1900, 1, 1), -25567);
  EXPECT_EQ(d(2400, 2, 29), 157113);
  EXPECT_EQ(d(1600, 3, 1), -135080);
  EXPECT_EQ(d(1, 1, 1), -719162);
  EXPECT_EQ(d(9999, 12, 31), 2932896);
}

TEST(date, to_civil_inverts_to_day_over_ten_thousand_years) {
  // Walk every day from 0001-01-01 to 9999-12-31 and check that the civil
  // dates advance one day at a time and convert back to the same number.
  civil_date expected{1, 1, 1};
  for (day n = d(1, 1, 1); n <= d(9999, 12, 31); ++n) {
    const civil_date c = to_civil(n);
    ASSERT_EQ(c.year, expected.year) << n;
    ASSERT_EQ(c.month, expected.month) << n;
    ASSERT_EQ(c.day_of_month, expected.day_of_month) << n;
    ASSERT_EQ(to_day(c), n);
    if (++expected.day_of_month > days_in_month(expected.year, expected.month)) {
      expected.day_of_month = 1;
      if (++expected.month > 12) {
        expected.month = 1;
        ++expected.year;
      }
    }
  }
}

TEST(date, to_day_refuses_dates_that_are_not_in_the_calendar) {
  // Rolled over, these would silently be 2024-03-01 and 2025-01-01.
  for (const civil_date bad :
       {civil_date{2024, 2, 30}, civil_date{2024, 13, 1}, civil_date{2023, 2, 29},
        civil_date{2024, 0, 1}, civil_date{2024, 4, 31}, civil_date{2024, 1, 0},
        civil_date{2024, 1, -1}, civil_date{2'000'000, 1, 1}}) {
    try {
      (void)to_day(bad);
      ADD_FAILURE() << bad.year << '-' << bad.month << '-' << bad.day_of_month << " accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("not a calendar date: year " + std::to_string(bad.year)),
                std::string::npos)
          << e.what();
    }
  }
  EXPECT_EQ(to_day({2024, 2, 29}), 19782);
  EXPECT_EQ(to_day({2024, 12, 31}), 20088);
}

TEST(date, describe_bad_date_states_the_form_or_the_supported_range) {
  EXPECT_EQ(describe_bad_date("2024-02-30"),
            "not a calendar date (dates from 0001-01-01 to 9999-12-31 are supported)");
  EXPECT_EQ(describe_bad_date("0000-01-01"),
            "not a calendar date (dates from 0001-01-01 to 9999-12-31 are supported)");
  EXPECT_EQ(describe_bad_date("2024-2-3"), "expected a date YYYY-MM-DD");
  EXPECT_EQ(describe_bad_date("tomorrow"), "expected a date YYYY-MM-DD");
  EXPECT_EQ(parse_date(first_supported_date), d(1, 1, 1));
  EXPECT_EQ(parse_date(last_supported_date), d(9999, 12, 31));
}

TEST(date, to_civil_round_trips_far_before_year_one) {
  for (day n = -1'000'000; n <= -700'000; n += 37) ASSERT_EQ(to_day(to_civil(n)), n);
}

TEST(date, leap_years_follow_the_gregorian_rule) {
  EXPECT_TRUE(is_leap_year(2024));
  EXPECT_TRUE(is_leap_year(2000));
  EXPECT_TRUE(is_leap_year(2400));
  EXPECT_FALSE(is_leap_year(2023));
  EXPECT_FALSE(is_leap_year(1900));
  EXPECT_FALSE(is_leap_year(2100));
  EXPECT_EQ(days_in_month(2024, 2), 29);
  EXPECT_EQ(days_in_month(2023, 2), 28);
  EXPECT_EQ(days_in_month(1900, 2), 28);
  EXPECT_EQ(days_in_month(2024, 4), 30);
  EXPECT_EQ(days_in_month(2024, 12), 31);
}

TEST(parse_date, accepts_real_calendar_dates) {
  EXPECT_EQ(parse_date("2024-03-01"), std::optional<day>(19783));
  EXPECT_EQ(parse_date("1970-01-01"), std::optional<day>(0));
  EXPECT_EQ(parse_date("2024-02-29"), std::optional<day>(d(2024, 2, 29)));
  EXPECT_EQ(parse_date("2000-02-29"), std::optional<day>(d(2000, 2, 29)));
  EXPECT_EQ(parse_date("2023-12-31"), std::optional<day>(d(2023, 12, 31)));
  EXPECT_EQ(parse_date("0001-01-01"), std::optional<day>(d(1, 1, 1)));
  EXPECT_EQ(parse_date("9999-12-31"), std::optional<day>(d(9999, 12, 31)));
}

TEST(parse_date, refuses_impossible_dates) {
  EXPECT_EQ(parse_date("2024-13-01"), std::nullopt);
  EXPECT_EQ(parse_date("2024-00-10"), std::nullopt);
  EXPECT_EQ(parse_date("2024-01-00"), std::nullopt);
  EXPECT_EQ(parse_date("2024-01-32"), std::nullopt);
  EXPECT_EQ(parse_date("2024-04-31"), std::nullopt);
  EXPECT_EQ(parse_date("2023-02-29"), std::nullopt);
  EXPECT_EQ(parse_date("1900-02-29"), std::nullopt);
  EXPECT_EQ(parse_date("2024-02-30"), std::nullopt);
  EXPECT_EQ(parse_date("0000-01-01"), std::nullopt);
}

TEST(parse_date, refuses_other_separators) {
  EXPECT_EQ(parse_date("2024/03/01"), std::nullopt);
  EXPECT_EQ(parse_date("2024.03.01"), std::nullopt);
  EXPECT_EQ(parse_date("2024-03/01"), std::nullopt);
  EXPECT_EQ(parse_date("2024 03 01"), std::nullopt);
}

TEST(parse_date, refuses_letters_and_signs) {
  EXPECT_EQ(parse_date("2024-0a-01"), std::nullopt);
  EXPECT_EQ(parse_date("abcd-ef-gh"), std::nullopt);
  EXPECT_EQ(parse_date("2024-03-1x"), std::nullopt);
  EXPECT_EQ(parse_date("+024-03-01"), std::nullopt);
  EXPECT_EQ(parse_date("2024-+3-01"), std::nullopt);
  EXPECT_EQ(parse_date("2024--3-01"), std::nullopt);
}

TEST(parse_date, refuses_wrong_lengths) {
  EXPECT_EQ(parse_date(""), std::nullopt);
  EXPECT_EQ(parse_date("2024-3-01"), std::nullopt);
  EXPECT_EQ(parse_date("2024-03-1"), std::nullopt);
  EXPECT_EQ(parse_date("24-03-01"), std::nullopt);
  EXPECT_EQ(parse_date("20240301"), std::nullopt);
  EXPECT_EQ(parse_date("2024-03-01 "), std::nullopt);
  EXPECT_EQ(parse_date(" 2024-03-01"), std::nullopt);
  EXPECT_EQ(parse_date("2024-03-01T00:00"), std::nullopt);
  EXPECT_EQ(parse_date("02024-03-01"), std::nullopt);
}

TEST(parse_date, is_usable_at_compile_time) {
  static_assert(parse_date("1970-01-02") == std::optional<day>(1));
  static_assert(!parse_date("2023-02-29").has_value());
}

TEST(format_date, writes_iso_dates_with_zero_padding) {
  EXPECT_EQ(text(0), "1970-01-01");
  EXPECT_EQ(text(19783), "2024-03-01");
  EXPECT_EQ(text(d(2024, 2, 29)), "2024-02-29");
  EXPECT_EQ(text(d(1, 1, 1)), "0001-01-01");
  EXPECT_EQ(text(d(999, 9, 9)), "0999-09-09");
  EXPECT_EQ(text(d(9999, 12, 31)), "9999-12-31");
  EXPECT_EQ(text(-1), "1969-12-31");
}

TEST(format_date, writes_exactly_ten_characters_into_a_buffer) {
  char buffer[12] = "XXXXXXXXXXX";
  format_date(d(2024, 12, 5), buffer);
  EXPECT_EQ(std::string(buffer, 10), "2024-12-05");
  EXPECT_EQ(buffer[10], 'X');
}

TEST(format_date, round_trips_through_parse_date) {
  for (day n = d(1, 1, 1); n <= d(9999, 12, 31); n += 13) {
    const std::optional<day> back = parse_date(text(n));
    ASSERT_TRUE(back.has_value()) << text(n);
    ASSERT_EQ(*back, n);
  }
}

TEST(add_months, clamps_to_the_end_of_a_shorter_month) {
  EXPECT_EQ(text(add_months(d(2024, 3, 31), -1)), "2024-02-29");
  EXPECT_EQ(text(add_months(d(2023, 3, 31), -1)), "2023-02-28");
  EXPECT_EQ(text(add_months(d(2024, 2, 29), -12)), "2023-02-28");
  EXPECT_EQ(text(add_months(d(2024, 1, 31), 1)), "2024-02-29");
  EXPECT_EQ(text(add_months(d(2023, 1, 31), 1)), "2023-02-28");
  EXPECT_EQ(text(add_months(d(2024, 5, 31), -1)), "2024-04-30");
  EXPECT_EQ(text(add_months(d(2024, 2, 29), 12)), "2025-02-28");
  EXPECT_EQ(text(add_months(d(2024, 2, 29), 48)), "2028-02-29");
}

TEST(add_months, keeps_the_day_of_month_when_it_exists) {
  EXPECT_EQ(text(add_months(d(2024, 3, 15), -1)), "2024-02-15");
  EXPECT_EQ(text(add_months(d(2024, 3, 15), 0)), "2024-03-15");
  EXPECT_EQ(text(add_months(d(2024, 2, 29), 1)), "2024-03-29");
  EXPECT_EQ(text(add_months(d(2024, 1, 31), 2)), "2024-03-31");
}

TEST(add_months, crosses_year_boundaries_both_ways) {
  EXPECT_EQ(text(add_months(d(2024, 1, 15), -1)), "2023-12-15");
  EXPECT_EQ(text(add_months(d(2024, 1, 15), -13)), "2022-12-15");
  EXPECT_EQ(text(add_months(d(2023, 12, 15), 1)), "2024-01-15");
  EXPECT_EQ(text(add_months(d(2023, 11, 30), 14)), "2025-01-30");
  EXPECT_EQ(text(add_months(d(2024, 6, 30), -120)), "2014-06-30");
  EXPECT_EQ(text(add_months(d(1970, 1, 31), -1)), "1969-12-31");
}

TEST(subtract, days_and_weeks_are_exact) {
  const day t = d(2024, 3, 31);
  EXPECT_EQ(subtract(t, {90, period::day}), t - 90);
  EXPECT_EQ(subtract(t, {0, period::day}), t);
  EXPECT_EQ(subtract(t, {2, period::week}), t - 14);
  EXPECT_EQ(text(subtract(t, {1, period::day})), "2024-03-30");
}

TEST(subtract, months_and_years_clamp_like_add_months) {
  EXPECT_EQ(text(subtract(d(2024, 3, 31), {1, period::month})), "2024-02-29");
  EXPECT_EQ(text(subtract(d(2023, 3, 31), {1, period::month})), "2023-02-28");
  EXPECT_EQ(text(subtract(d(2024, 3, 31), {6, period::month})), "2023-09-30");
  EXPECT_EQ(text(subtract(d(2024, 2, 29), {1, period::year})), "2023-02-28");
  EXPECT_EQ(text(subtract(d(2024, 2, 29), {4, period::year})), "2020-02-29");
  EXPECT_EQ(subtract(d(2024, 7, 14), {2, period::year}),
            subtract(d(2024, 7, 14), {24, period::month}));
}

TEST(days_in, counts_days_spanned_ending_on_the_date) {
  EXPECT_EQ(days_in({90, period::day}, d(2024, 3, 31)), 90);
  EXPECT_EQ(days_in({2, period::week}, d(2024, 3, 31)), 14);
  EXPECT_EQ(days_in({1, period::month}, d(2024, 3, 31)), 31);  // back to 2024-02-29
  EXPECT_EQ(days_in({1, period::month}, d(2024, 3, 15)), 29);
  EXPECT_EQ(days_in({1, period::month}, d(2023, 3, 15)), 28);
  EXPECT_EQ(days_in({3, period::month}, d(2024, 6, 30)), 92);  // back to 2024-03-30
  EXPECT_EQ(days_in({1, period::year}, d(2024, 2, 29)), 366);  // back to 2023-02-28
  EXPECT_EQ(days_in({1, period::year}, d(2023, 6, 1)), 365);
  EXPECT_EQ(days_in({1, period::year}, d(2024, 6, 1)), 366);
}

TEST(duration, prints_count_and_unit) {
  EXPECT_EQ(to_string(duration{90, period::day}), "90d");
  EXPECT_EQ(to_string(duration{2, period::week}), "2w");
  EXPECT_EQ(to_string(duration{6, period::month}), "6m");
  EXPECT_EQ(to_string(duration{1, period::year}), "1y");
}

TEST(duration, compares_by_count_and_unit) {
  EXPECT_EQ((duration{7, period::day}), (duration{7, period::day}));
  EXPECT_NE((duration{7, period::day}), (duration{1, period::week}));
  EXPECT_NE((duration{1, period::month}), (duration{2, period::month}));
  EXPECT_EQ(duration{}, (duration{0, period::day}));
}

}  // namespace
}  // namespace earlywarn
