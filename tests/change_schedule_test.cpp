// The change schedule names the day a household's rules can next change with
// no new event. It must never be late (the back-test tests compare it with
// evaluating every day); these tests pin that it is not needlessly early
// where the day can be found exactly.

#include <gtest/gtest.h>

#include <type_traits>

#include "earlywarn.hpp"
#include "support.hpp"

namespace {

using earlywarn::testing::date;

// The next change for household "A" of `events` as of `as_of` under `text`.
earlywarn::day next_change(const char* text, const std::vector<earlywarn::testing::event>& events,
                           const char* as_of) {
  const auto load = earlywarn::compile_rules(text, "schedule.rules");
  EXPECT_TRUE(load.ok()) << load.report();
  const earlywarn::ledger l = earlywarn::testing::make_ledger(events);
  const earlywarn::bound_ruleset bound(*load.rules, l);
  earlywarn::household_evaluator e(bound);
  e.start(0, date(as_of));
  return earlywarn::change_schedule(*load.rules).next_change(e);
}

TEST(change_schedule, a_window_count_turns_when_its_last_event_leaves_not_its_first) {
  const std::vector<earlywarn::testing::event> credits = {
      {"A", "2024-01-10", "credit", 100},
      {"A", "2024-02-10", "credit", 100},
      {"A", "2024-03-10", "credit", 100},
  };
  // Two credits in the window on 03-15: `== 0` holds only once the 03-10
  // credit has left, on 05-10; the count itself changes first on 04-10.
  EXPECT_EQ(next_change("rule stopped { when count(credit, 2m) == 0 }", credits, "2024-03-15"),
            date("2024-05-10"));
  // Written the other way round, and as a sum against a param.
  EXPECT_EQ(next_change("rule stopped { when 0 == count(credit, 2m) }", credits, "2024-03-15"),
            date("2024-05-10"));
  EXPECT_EQ(next_change("param low = 0.50\nrule little { when sum(credit, 2m) < low }", credits,
                        "2024-03-15"),
            date("2024-05-10"));
  // `>= 2` turns false when the first of the two leaves.
  EXPECT_EQ(next_change("rule two { when count(credit, 2m) >= 2 }", credits, "2024-03-15"),
            date("2024-04-10"));
  // Nothing in the window: nothing can leave it.
  EXPECT_EQ(next_change("rule stopped { when count(credit, 2m) == 0 }", credits, "2024-06-01"),
            earlywarn::never);
}

TEST(change_schedule, a_trend_threshold_is_found_where_the_trend_crosses_it) {
  // Rent of 10.00 charged monthly and never paid: balance 10, 20, 30. As of
  // 03-20 the samples are 30 (03-20), 20 (02-20), 10 (01-20): a trend of
  // 10.00 a month. Without events it falls to 5.00 on 04-05 (02-05 and 03-05
  // enter the older samples) and to 0 on 05-05.
  const std::vector<earlywarn::testing::event> rent = {
      {"A", "2024-01-05", "charge", 1000},
      {"A", "2024-02-05", "charge", 1000},
      {"A", "2024-03-05", "charge", 1000},
  };
  EXPECT_EQ(next_change("rule spiral { when trend(balance, 3m) > 5 }", rent, "2024-03-20"),
            date("2024-04-05"));
  // Above 4: still true on 04-05; turns on 05-05, not at the first step.
  EXPECT_EQ(next_change("rule spiral { when trend(balance, 3m) > 4 }", rent, "2024-03-20"),
            date("2024-05-05"));
  EXPECT_EQ(
      next_change("param t = 4\nrule spiral { when t < trend(arrears, 3m) }", rent, "2024-03-20"),
      date("2024-05-05"));
  // Never above 20: it only falls from here.
  EXPECT_EQ(next_change("rule spiral { when trend(balance, 3m) > 20 }", rent, "2024-03-20"),
            earlywarn::never);
}

TEST(change_schedule, a_look_ahead_bounded_by_an_earlier_rule_still_finds_the_earliest_day) {
  // The same rent as above: the trend falls to 5.00 on 04-05 and to 0 on
  // 05-05. An earlier rule's day bounds the walk; the answer is the earlier
  // of the two days, whichever rule finds it and in whichever order.
  const std::vector<earlywarn::testing::event> rent = {
      {"A", "2024-01-05", "charge", 1000},
      {"A", "2024-02-05", "charge", 1000},
      {"A", "2024-03-05", "charge", 1000},
  };
  // arrears_days (owed since 01-05: 75 on 03-20) passes 100 on 04-15, after
  // the trend passes 5.
  EXPECT_EQ(next_change("rule late { when arrears_days > 100 }\n"
                        "rule spiral { when trend(balance, 3m) > 5 }",
                        rent, "2024-03-20"),
            date("2024-04-05"));
  // It passes 80 on 03-26, before the trend passes 4 (05-05): the walk may
  // stop there.
  EXPECT_EQ(next_change("rule late { when arrears_days > 80 }\n"
                        "rule spiral { when trend(balance, 3m) > 4 }",
                        rent, "2024-03-20"),
            date("2024-03-26"));
  EXPECT_EQ(next_change("rule spiral { when trend(balance, 3m) > 4 }\n"
                        "rule late { when arrears_days > 80 }",
                        rent, "2024-03-20"),
            date("2024-03-26"));
}

TEST(change_schedule, a_growing_term_against_a_constant_flips_on_the_exact_day) {
  const std::vector<earlywarn::testing::event> owing = {
      {"A", "2024-03-01", "charge", 1000},
      {"A", "2024-03-04", "payment", 100},
  };
  // 03-01 + 31 days: arrears_days becomes 31 on 04-01.
  EXPECT_EQ(next_change("rule late { when arrears_days > 30 }", owing, "2024-03-10"),
            date("2024-04-01"));
  EXPECT_EQ(next_change("param t = 30\nrule late { when t < arrears_days }", owing, "2024-03-10"),
            date("2024-04-01"));
  // Not whole: 30.5 is passed on the same day, by the rational path.
  EXPECT_EQ(next_change("rule late { when arrears_days > 30.5 }", owing, "2024-03-10"),
            date("2024-04-01"));
  // Already true: `<=` turns false the day after it is last true.
  EXPECT_EQ(next_change("rule recent { when days_since(payment) <= 10 }", owing, "2024-03-10"),
            date("2024-03-15"));
  EXPECT_EQ(next_change("rule equal { when tenure_days == 40 }", owing, "2024-03-10"),
            date("2024-04-10"));
  // Nothing owed: arrears_days stands still at 0.
  const std::vector<earlywarn::testing::event> paid = {
      {"A", "2024-03-01", "charge", 1000},
      {"A", "2024-03-04", "payment", 1000},
  };
  EXPECT_EQ(next_change("rule late { when arrears_days > 30 }", paid, "2024-03-10"),
            earlywarn::never);
}

}  // namespace

namespace {

TEST(change_schedule, a_month_as_a_number_changes_its_day_count_on_the_calendar_day_it_does) {
  using earlywarn::detail::span_change;
  const earlywarn::duration three_months{3, earlywarn::period::month};
  // 3m spans 92 days from 2020-09-02 to 11-30 (back to June 2 … Aug 30), 91 on 12-01.
  EXPECT_EQ(span_change(three_months, date("2020-09-02"), earlywarn::never), date("2020-12-01"));
  // Not beyond the earliest change already known.
  EXPECT_EQ(span_change(three_months, date("2020-09-02"), date("2020-10-15")), date("2020-10-15"));
  // 1y spans 366 days while a 29 February is in (T − 1y, T]: from 2024-02-29 to 2025-02-28.
  const earlywarn::duration year{1, earlywarn::period::year};
  EXPECT_EQ(span_change(year, date("2021-03-01"), earlywarn::never), date("2024-02-29"));
  EXPECT_EQ(span_change(year, date("2024-02-29"), earlywarn::never), date("2025-03-01"));
  // 4y spans 1461 days until 2100 drops a leap day: looked at again after about five years.
  const earlywarn::duration four_years{4, earlywarn::period::year};
  EXPECT_EQ(span_change(four_years, date("2020-03-01"), earlywarn::never),
            date("2020-03-01") + 5 * 366);
  // Days and weeks never change their count.
  EXPECT_EQ(span_change({90, earlywarn::period::day}, date("2020-03-01"), earlywarn::never),
            earlywarn::never);
  // Every answer is the first day whose count differs.
  for (const char* as_of : {"2019-12-31", "2020-01-30", "2020-02-28", "2020-02-29", "2020-07-31"})
    for (const earlywarn::duration d : {earlywarn::duration{1, earlywarn::period::month},
                                        earlywarn::duration{13, earlywarn::period::month}, year}) {
      const earlywarn::day from = date(as_of), to = span_change(d, from, earlywarn::never);
      for (earlywarn::day t = from + 1; t < to; ++t)
        ASSERT_EQ(earlywarn::days_in(d, t), earlywarn::days_in(d, from)) << as_of;
      EXPECT_NE(earlywarn::days_in(d, to), earlywarn::days_in(d, from)) << as_of;
    }
}

TEST(change_schedule, missing_of_a_number_that_is_not_linear_in_the_days_is_checked_the_next_day) {
  // count(bump, 1y) / days_since(plan) has no value on the plan's day
  // (division by zero) and has one the next day, with no event between.
  const char* rules =
      "event bump increases\nrule r { when missing(count(bump, 1y) / days_since(plan)) }";
  const std::vector<earlywarn::testing::event> events = {{"A", "2021-01-05", "bump", 1000},
                                                         {"A", "2021-05-11", "plan", 9500}};
  EXPECT_EQ(next_change(rules, events, "2021-05-11"), date("2021-05-12"));
  // A bare growing term keeps its value as days pass: no daily check.
  EXPECT_EQ(next_change("rule r { when missing(days_since(plan)) }", events, "2021-05-11"),
            earlywarn::never);
}

}  // namespace

// The schedule keeps a reference to its rules: a temporary must not compile.
static_assert(std::is_constructible_v<earlywarn::change_schedule, const earlywarn::ruleset&>);
static_assert(!std::is_constructible_v<earlywarn::change_schedule, earlywarn::ruleset&&>);
