// Back-tests evaluate a household only where something can change; they must
// produce exactly the alerts of evaluating every household on every step day.

#include <gtest/gtest.h>

#include "earlywarn.hpp"
#include "naive_backtest.hpp"
#include "owing_rules.hpp"
#include "random_ledger.hpp"
#include "support.hpp"

namespace {

// Time-driven conditions of every kind the change schedule must foresee.
constexpr const char* rules_text = R"(
event clawback increases
event refund decreases
param t_days = 30
param t_money = 1000
param quiet = 20d

rule late { when arrears_days > t_days  cooldown quiet  message "{arrears_days} days late" }
rule exactly { when arrears_days == 40 or days_since(payment) == t_days }
rule silent { when arrears > 0 and (missing(days_since(payment)) or days_since(payment) > 45) }
rule window_days { when count(payment, 30d) == 0 and tenure_days > 60  raise_after 1w }
rule settled { when arrears == 0  clear_after quiet }
rule window_weeks { when sum(payment, 6w) < t_money }
rule window_months { when count(charge, 2m) >= 3  cooldown 1m }
rule window_year { when max(credit, 1y) > 0 }
rule looking_back { when balance > balance_at(1m) + 100 }
rule spiral { when trend(balance, 4m) > 0 }
rule plan_kept { when plan_active and not plan_breached }
rule plan_broken { when plan_breached  cooldown 2w }
rule falling { when 100 - days_since(charge) > 70 }
rule chained { when late and not silent }
rule custom { when sum(clawback, 3m) > 0 or count(refund, 2m) > 0 }
rule reversed_window { when t_money > sum(payment, 2m) and 2 <= count(charge, 3m) }
rule arrears_spiral { when t_money <= trend(arrears, 6m) }
rule long_spiral { when trend(balance, 12m) > t_days }
rule mirrored { when t_days < arrears_days }
rule mirrored_since { when 45 >= days_since(payment) }
)";

// Conditions the schedule cannot solve exactly (it checks them the next day)
// or that move with month lengths; kept apart so that they do not hide
// scheduling mistakes in the rules above by forcing daily checks.
constexpr const char* unsolvable_rules_text = R"(
param t_days = 30
param t_money = 1000
rule months_as_days { when arrears_days >= 2m }
rule product { when arrears_days * tenure_days > 40000 }
rule ratio { when arrears_days / (tenure_days + 1) > 0.25 }
rule owing { when arrears > t_money }
)";

using earlywarn::testing::alerts_text;
using earlywarn::testing::every_step;
using earlywarn::testing::owing_rules_text;

void compare_on_random_ledgers(earlywarn::backtest_step every, int iterations, std::uint64_t seed,
                               const char* text = rules_text) {
  std::mt19937_64 rng(seed);
  std::size_t total = 0;
  for (int i = 0; i < iterations; ++i) {
    const auto load = earlywarn::compile_rules(
        text, "backtest.rules",
        {{"t_days", std::to_string(std::uniform_int_distribution<int>(0, 90)(rng))},
         {"t_money", std::to_string(std::uniform_int_distribution<int>(0, 20000)(rng))}});
    ASSERT_TRUE(load.ok()) << load.report();
    const random_ledger data = make_ledger(rng, 12);
    const auto loaded = earlywarn::parse_ledger_csv(data.csv);
    ASSERT_TRUE(loaded.ok());
    const day from = earlywarn::to_day({2022, 1, 1}) +
                     static_cast<day>(std::uniform_int_distribution<int>(0, 300)(rng));
    const day to = earlywarn::to_day({2024, 12, 31});
    earlywarn::backtest_options options;
    options.every = every;
    options.threads = 2;
    const auto scheduled = earlywarn::backtest(*load.rules, loaded.events, from, to, options);
    const auto naive = every_step(*load.rules, loaded.events, from, to, every);
    ASSERT_EQ(alerts_text(scheduled, *load.rules), alerts_text(naive, *load.rules))
        << "iteration " << i << " from " << earlywarn::format_date(from);
    total += naive.size();
  }
  EXPECT_GT(total, 1000u);  // the comparison is worth something only if alerts happen
}

TEST(backtest, steps_are_named_day_week_or_month) {
  EXPECT_EQ(earlywarn::parse_backtest_step("day"), earlywarn::backtest_step::day);
  EXPECT_EQ(earlywarn::parse_backtest_step("week"), earlywarn::backtest_step::week);
  EXPECT_EQ(earlywarn::parse_backtest_step("month"), earlywarn::backtest_step::month);
  EXPECT_FALSE(earlywarn::parse_backtest_step("Day"));
  EXPECT_FALSE(earlywarn::parse_backtest_step("days"));
  EXPECT_FALSE(earlywarn::parse_backtest_step(""));
}

// Month arithmetic is defined on the calendar a ledger holds; a date beyond
// it is API misuse, not an overflow.
TEST(backtest, dates_outside_the_calendar_are_api_misuse) {
  auto load = earlywarn::compile_rules("rule owing { when arrears > 0 }", "r.rules");
  ASSERT_TRUE(load.ok());
  earlywarn::ledger_builder builder;
  builder.add("A", *earlywarn::parse_date("2024-01-01"), "charge", 100);
  const earlywarn::ledger l = std::move(builder).build();
  const day first = *earlywarn::parse_date("0001-01-01"),
            last = *earlywarn::parse_date("9999-12-31");
  EXPECT_THROW(earlywarn::backtest(*load.rules, l, first - 1, last), std::invalid_argument);
  EXPECT_THROW(earlywarn::backtest(*load.rules, l, first, last + 1), std::invalid_argument);
  EXPECT_THROW(earlywarn::backtest(*load.rules, l, INT32_MIN, INT32_MAX), std::invalid_argument);
  earlywarn::backtest_options monthly;
  monthly.every = earlywarn::backtest_step::month;
  EXPECT_EQ(earlywarn::backtest(*load.rules, l, first, last, monthly).size(), 1u);  // raised once
}

// Several rulesets at once: one list of alerts each, in the order given; a
// null ruleset is API misuse. (Equal to each alone: schedule_property_test.)
TEST(backtest, several_rulesets_give_a_list_each_and_a_null_one_is_api_misuse) {
  auto owing = earlywarn::compile_rules("rule owing { when arrears > 0 }", "r.rules");
  auto late =
      earlywarn::compile_rules("rule owing { when arrears > 0\n clear_after 10d }", "r.rules");
  ASSERT_TRUE(owing.ok() && late.ok());
  earlywarn::ledger_builder builder;
  builder.add("A", *earlywarn::parse_date("2024-01-01"), "charge", 100);
  builder.add("A", *earlywarn::parse_date("2024-01-05"), "payment", 100);
  const earlywarn::ledger l = std::move(builder).build();
  const day from = *earlywarn::parse_date("2024-01-01"), to = *earlywarn::parse_date("2024-02-01");
  const auto each = earlywarn::backtest_each({&*late.rules, &*owing.rules}, l, from, to);
  ASSERT_EQ(each.size(), 2u);
  ASSERT_EQ(each[0].size(), 2u);
  EXPECT_EQ(earlywarn::format_date(each[0][1].date), "2024-01-15");  // cleared 10 days on
  ASSERT_EQ(each[1].size(), 2u);
  EXPECT_EQ(earlywarn::format_date(each[1][1].date), "2024-01-05");
  EXPECT_TRUE(earlywarn::backtest_each({}, l, from, to).empty());
  EXPECT_THROW(earlywarn::backtest_each({&*owing.rules, nullptr}, l, from, to),
               std::invalid_argument);
}

TEST(backtest, daily_equals_evaluating_every_household_every_day) {
  compare_on_random_ledgers(earlywarn::backtest_step::day, 40, 11);
}

TEST(backtest, weekly_equals_evaluating_every_household_every_week) {
  compare_on_random_ledgers(earlywarn::backtest_step::week, 25, 12);
}

TEST(backtest, monthly_equals_evaluating_every_household_every_month) {
  compare_on_random_ledgers(earlywarn::backtest_step::month, 25, 13);
}

TEST(backtest, conditions_without_an_exact_schedule_are_checked_daily) {
  compare_on_random_ledgers(earlywarn::backtest_step::day, 15, 14, unsolvable_rules_text);
}

TEST(backtest, skipping_paid_up_households_changes_no_alert) {
  const auto load = earlywarn::compile_rules(owing_rules_text, "owing.rules");
  ASSERT_TRUE(load.ok()) << load.report();
  ASSERT_TRUE(earlywarn::all_rules_false_when_paid_up(*load.rules));  // else nothing is skipped
  compare_on_random_ledgers(earlywarn::backtest_step::day, 30, 15, owing_rules_text);
  compare_on_random_ledgers(earlywarn::backtest_step::week, 10, 16, owing_rules_text);
}

TEST(backtest, a_time_driven_rule_fires_on_the_exact_day_with_no_new_event) {
  const auto load = earlywarn::compile_rules(
      "rule late { when arrears_days > 30  message \"{arrears_days} days\" }", "r.rules");
  ASSERT_TRUE(load.ok());
  const auto ledger = earlywarn::parse_ledger_csv(
      "household,date,type,amount\nA,2024-01-01,charge,500\nA,2024-03-15,payment,500\n");
  ASSERT_TRUE(ledger.ok());
  const auto alerts =
      earlywarn::backtest(*load.rules, ledger.events, *earlywarn::parse_date("2024-01-01"),
                          *earlywarn::parse_date("2024-06-30"));
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(earlywarn::format_date(alerts[0].date), "2024-02-01");  // day 31 of arrears
  EXPECT_EQ(alerts[0].state, earlywarn::alert_state::raised);
  EXPECT_EQ(alerts[0].message, "31 days");
  EXPECT_EQ(earlywarn::format_date(alerts[1].date), "2024-03-15");  // paid up
  EXPECT_EQ(alerts[1].state, earlywarn::alert_state::cleared);
}

TEST(backtest, cooldown_holds_back_a_new_raise_until_it_ends) {
  const auto load =
      earlywarn::compile_rules("rule owing { when arrears > 0  cooldown 30d }", "r.rules");
  ASSERT_TRUE(load.ok());
  const auto ledger = earlywarn::parse_ledger_csv(
      "household,date,type,amount\nA,2024-01-01,charge,500\nA,2024-01-05,payment,500\n"
      "A,2024-01-10,charge,500\n");
  const auto alerts =
      earlywarn::backtest(*load.rules, ledger.events, *earlywarn::parse_date("2024-01-01"),
                          *earlywarn::parse_date("2024-03-01"));
  ASSERT_EQ(alerts.size(), 3u) << alerts_text(alerts, *load.rules);
  EXPECT_EQ(earlywarn::format_date(alerts[0].date), "2024-01-01");
  EXPECT_EQ(earlywarn::format_date(alerts[1].date), "2024-01-05");
  EXPECT_EQ(alerts[1].state, earlywarn::alert_state::cleared);
  // Owing again on 01-10, but within 30 days of the raise on 01-01: raised when it ends.
  EXPECT_EQ(earlywarn::format_date(alerts[2].date), "2024-01-31");
  EXPECT_EQ(alerts[2].state, earlywarn::alert_state::raised);
}

}  // namespace

namespace {

// A month or year used as a number counts the days back from T, so its day
// count moves with T: 3m is 92 days as of 2020-09-02 and 91 as of 2020-12-02.
// The schedule must see that change however far ahead it is.
TEST(backtest, a_month_compared_as_a_number_fires_on_the_day_its_day_count_reaches) {
  const auto ledger = earlywarn::parse_ledger_csv("household,date,type,amount\nA,2020-09-02,x,\n");
  ASSERT_TRUE(ledger.ok());
  const day from = *earlywarn::parse_date("2020-09-02"), to = *earlywarn::parse_date("2022-12-31");
  for (const char* text :
       {"rule r { when days_since(x) >= 3m }", "rule r { when days_since(x) >= 1y - 2m }",
        "rule r { when days_since(x) >= 3m + 2w }", "rule r { when days_since(x) == 2 * 6m }",
        "param p = 5m\nrule r { when days_since(x) > p }",
        "rule r { when days_since(x) - 1y <= 0 }"}) {
    const auto load = earlywarn::compile_rules(text, "r.rules");
    ASSERT_TRUE(load.ok()) << load.report();
    const auto naive =
        every_step(*load.rules, ledger.events, from, to, earlywarn::backtest_step::day);
    ASSERT_FALSE(naive.empty()) << text;
    EXPECT_EQ(alerts_text(earlywarn::backtest(*load.rules, ledger.events, from, to), *load.rules),
              alerts_text(naive, *load.rules))
        << text;
  }
  // The reported case, by date: run as of 2020-12-02 fires.
  const auto load = earlywarn::compile_rules("rule r { when days_since(x) >= 3m }", "r.rules");
  const auto alerts = earlywarn::backtest(*load.rules, ledger.events, from, to);
  ASSERT_FALSE(alerts.empty());
  EXPECT_EQ(earlywarn::format_date(alerts[0].date), "2020-12-02");
}

}  // namespace
