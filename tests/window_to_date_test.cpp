// Windows aligned to the calendar (docs/language.md, Time): week_to_date
// from the Monday of the as-of date's week, month_to_date from the 1st,
// year_to_date from 1 January, each up to and including the as-of date.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "earlywarn.hpp"
#include "support.hpp"

namespace earlywarn {
namespace {

using testing::date;
using testing::make_ledger;

using testing::must_compile;

TEST(windows_to_date, start_on_the_monday_the_first_and_the_first_of_january) {
  // 2024-03-04 is a Monday; 2024 is a leap year.
  EXPECT_EQ(weekday(date("2024-03-04")), 0);
  EXPECT_EQ(weekday(date("1970-01-01")), 3);  // a Thursday
  EXPECT_EQ(weekday(date("0001-01-01")), 0);  // a Monday (proleptic Gregorian)
  const duration week{1, period::week_to_date}, month{1, period::month_to_date},
      year{1, period::year_to_date};
  EXPECT_EQ(subtract(date("2024-03-06"), week), date("2024-03-03"));
  EXPECT_EQ(subtract(date("2024-03-04"), week), date("2024-03-03"));  // Monday: itself only
  EXPECT_EQ(subtract(date("2024-03-10"), week), date("2024-03-03"));  // Sunday: the whole week
  EXPECT_EQ(subtract(date("2024-03-01"), month), date("2024-02-29"));
  EXPECT_EQ(subtract(date("2024-03-31"), month), date("2024-02-29"));
  EXPECT_EQ(subtract(date("2024-12-31"), year), date("2023-12-31"));
  EXPECT_EQ(subtract(date("0001-01-01"), year), date("0001-01-01") - 1);
  // An event leaves on the first day of the next period.
  EXPECT_EQ(detail::window_exit(date("2024-03-06"), week), date("2024-03-11"));
  EXPECT_EQ(detail::window_exit(date("2024-03-10"), week), date("2024-03-11"));
  EXPECT_EQ(detail::window_exit(date("2024-02-29"), month), date("2024-03-01"));
  EXPECT_EQ(detail::window_exit(date("2024-12-01"), month), date("2025-01-01"));
  EXPECT_EQ(detail::window_exit(date("2024-06-30"), year), date("2025-01-01"));
  EXPECT_EQ(to_string(week), "week_to_date");
  EXPECT_EQ(to_string(month), "month_to_date");
  EXPECT_EQ(to_string(year), "year_to_date");
}

TEST(windows_to_date, sums_and_counts_cover_the_period_so_far) {
  const ruleset rules = must_compile(
      "rule paid_this_week { when sum(payment, week_to_date) >= 100 }\n"
      "rule paid_this_month { when count(payment, month_to_date) > 0 }\n"
      "rule paid_this_year { when sum(payment, year_to_date) >= 200 }\n"
      "rule owed_at_month_start { when balance_at(month_to_date) > 0 }\n");
  const ledger l = make_ledger({{"H", "2023-12-01", "charge", 50000},
                                {"H", "2023-12-29", "payment", 20000},
                                {"H", "2024-01-05", "payment", 10000},    // a Friday
                                {"H", "2024-01-08", "payment", 10000}});  // the Monday after
  auto fired_on = [&](const char* d) {
    std::string out;
    for (const worklist_row& row : evaluate(rules, l, date(d)).rows) out += row.rule_name + " ";
    return out;
  };
  // 2023-12-29 is a Friday; the balance before December's charge was 0.
  EXPECT_EQ(fired_on("2023-12-31"), "paid_this_month paid_this_week paid_this_year ");
  EXPECT_EQ(fired_on("2024-01-01"), "owed_at_month_start ");  // a new week, month and year
  EXPECT_EQ(fired_on("2024-01-05"), "owed_at_month_start paid_this_month paid_this_week ");
  EXPECT_EQ(fired_on("2024-01-07"), "owed_at_month_start paid_this_month paid_this_week ");
  EXPECT_EQ(fired_on("2024-01-08"),
            "owed_at_month_start paid_this_month paid_this_week paid_this_year ");
  EXPECT_EQ(fired_on("2024-01-15"), "owed_at_month_start paid_this_month paid_this_year ");
  EXPECT_EQ(fired_on("2024-02-01"), "owed_at_month_start paid_this_year ");
}

TEST(windows_to_date, the_back_test_raises_on_the_first_day_of_a_period_with_no_event) {
  const ruleset rules = must_compile(
      "rule nothing_paid_this_month {\n"
      "  when arrears > 0 and count(payment, month_to_date) == 0\n"
      "}\n");
  const ledger l = make_ledger({{"H", "2024-01-01", "charge", 50000},
                                {"H", "2024-01-10", "payment", 10000},
                                {"H", "2024-02-20", "payment", 10000}});
  std::string got;
  for (const alert& a : backtest(rules, l, date("2024-01-01"), date("2024-04-30")))
    got += format_date(a.date) + " " + std::string(to_string(a.state)) + "\n";
  EXPECT_EQ(got,
            "2024-01-01 raised\n"
            "2024-01-10 cleared\n"
            "2024-02-01 raised\n"
            "2024-02-20 cleared\n"
            "2024-03-01 raised\n");
}

TEST(windows_to_date, are_windows_only_with_clear_errors) {
  EXPECT_EQ(testing::first_message("rule r { when arrears_days > month_to_date }"),
            "'month_to_date' is a window, not a number: use it in a function, like "
            "sum(payment, month_to_date)");
  EXPECT_EQ(testing::first_message("rule r { when trend(balance, year_to_date) > 0 }"),
            "trend() samples monthly: give months or years, like 6m");
  EXPECT_EQ(testing::first_message("param week_to_date = 7\nrule r { when arrears > 0 }"),
            "param name 'week_to_date' is already a window");
  EXPECT_EQ(testing::first_message("rule r { when arrears > 0 cooldown month_to_date }"),
            "unknown name 'month_to_date': a cooldown needs a duration (like 30d) or a param "
            "holding one");
}

TEST(windows_to_date, a_stream_keeps_a_year_of_history_for_year_to_date) {
  const ruleset week = must_compile("rule r { when count(payment, week_to_date) > 0 }");
  const ruleset year = must_compile("rule r { when count(payment, year_to_date) > 0 }");
  EXPECT_EQ(lookback_days(week), 8);
  EXPECT_EQ(lookback_days(year), 367);
}

}  // namespace
}  // namespace earlywarn
