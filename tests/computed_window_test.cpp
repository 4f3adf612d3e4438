// Windows computed per household and date (docs/language.md, Time): any
// expression in days, such as days_since(plan) or 3m + 52w.
#include <gtest/gtest.h>

#include <string>

#include "earlywarn.hpp"
#include "support.hpp"

namespace earlywarn {
namespace {

using testing::date;
using testing::first_message;
using testing::make_ledger;
using testing::must_compile;

TEST(computed_windows, reach_back_the_days_their_expression_gives_as_of_each_date) {
  const ruleset rules = must_compile(
      "event notice neutral\n"
      "rule r1 { when balance > balance_at(days_since(plan)) }\n"
      "rule r2 { when sum(payment, days_since(notice)) > 0 }\n"
      "rule r3 { when count(notice, 3m + 52w) >= 2 }\n");
  const ledger l = make_ledger({{"H", "2024-01-01", "charge", 50000},
                                {"H", "2024-01-01", "notice", 0},
                                {"H", "2024-01-15", "plan", 10000},
                                {"H", "2024-02-01", "charge", 50000},
                                {"H", "2024-02-03", "payment", 10000},
                                {"H", "2024-05-01", "notice", 0},
                                {"H", "2024-05-03", "payment", 1000}});
  // The balance on the plan's date, however long ago it was agreed.
  EXPECT_EQ(testing::value_read(rules, l, 0, "2024-02-10", "balance_at(days_since(plan))"),
            "500.00");
  EXPECT_EQ(testing::value_read(rules, l, 0, "2024-12-31", "balance_at(days_since(plan))"),
            "500.00");
  // Paid since the latest notice: (T − days_since(notice), T]; nothing on its day.
  EXPECT_EQ(testing::value_read(rules, l, 0, "2024-05-01", "sum(payment, days_since(notice))"),
            "0.00");
  EXPECT_EQ(testing::value_read(rules, l, 0, "2024-05-03", "sum(payment, days_since(notice))"),
            "10.00");
  // No notice yet: no window, no value.
  EXPECT_EQ(testing::value_read(rules, l, 0, "2023-12-31", "sum(payment, days_since(notice))"),
            "not read");
  std::string got;
  for (const alert& a : backtest(rules, l, date("2024-01-01"), date("2025-12-31")))
    got += format_date(a.date) + " " + rules.rules[a.rule].name + " " +
           std::string(to_string(a.state)) + "\n";
  // r2 clears on the second notice's day (a window of 0 days) until a payment.
  // r3: as of 2025-03-30, 3m spans 90 days and 3m + 52w reaches back to
  // 2024-01-01, leaving the first notice out.
  EXPECT_EQ(got,
            "2024-02-01 r1 raised\n"
            "2024-02-03 r2 raised\n"
            "2024-05-01 r2 cleared\n"
            "2024-05-01 r3 raised\n"
            "2024-05-03 r2 raised\n"
            "2025-03-30 r3 cleared\n");
}

TEST(computed_windows, make_a_stream_keep_all_history) {
  EXPECT_EQ(lookback_days(must_compile("rule r { when balance_at(days_since(plan)) > 0 }")),
            max_lateness_days + 1);
}

TEST(computed_windows, need_an_expression_in_days) {
  EXPECT_EQ(first_message("rule r { when count(payment, 30) > 1 }"),
            "count() needs a window here: a duration like 90d, 2w, 6m or 1y, a param holding "
            "one, week_to_date, month_to_date, year_to_date, or an expression in days like "
            "days_since(plan); 30 is a plain number");
  EXPECT_EQ(first_message("rule r { when sum(payment, arrears > 0) > 1 }"),
            "sum() needs a window here: a duration like 90d, 2w, 6m or 1y, a param holding one, "
            "week_to_date, month_to_date, year_to_date, or an expression in days like "
            "days_since(plan); arrears > 0 is a condition");
}

}  // namespace
}  // namespace earlywarn
