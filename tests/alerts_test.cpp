// Alerts (docs/language.md, Alerts): when they are raised and cleared, how
// `raise_after` and `clear_after` hold them back, and what a back-test that
// starts inside an open alert reports.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "earlywarn.hpp"
#include "support.hpp"

namespace {

using earlywarn::day;
using earlywarn::testing::date;
using earlywarn::testing::event;
using earlywarn::testing::first_message;
using earlywarn::testing::make_ledger;
using earlywarn::testing::must_compile;

// Alerts as `date rule state` lines, short enough to read in a failure.
std::string brief(const std::vector<earlywarn::alert>& alerts, const earlywarn::ruleset& rules) {
  std::string out;
  for (const earlywarn::alert& a : alerts)
    out += earlywarn::format_date(a.date) + " " + rules.rules[a.rule].name + " " +
           std::string(earlywarn::to_string(a.state)) + "\n";
  return out;
}

std::string backtest(const earlywarn::ruleset& rules, const earlywarn::ledger& l,
                     std::string_view from, std::string_view to) {
  return brief(earlywarn::backtest(rules, l, date(from), date(to)), rules);
}

// Owing from 1 March; a part payment on the 10th brings the balance under
// 100 until the next charge on the 14th; paid up on 1 May.
const earlywarn::ledger owing = make_ledger({
    {"A", "2024-03-01", "charge", 50000},
    {"A", "2024-03-10", "payment", 49950},
    {"A", "2024-03-14", "charge", 50000},
    {"A", "2024-05-01", "payment", 50050},
});

TEST(alerts, without_clauses_an_alert_follows_the_rule_day_by_day) {
  const auto rules = must_compile("rule owing { when balance >= 100 }");
  EXPECT_EQ(backtest(rules, owing, "2024-03-01", "2024-06-01"),
            "2024-03-01 owing raised\n"
            "2024-03-10 owing cleared\n"
            "2024-03-14 owing raised\n"
            "2024-05-01 owing cleared\n");
}

TEST(alerts, raise_after_waits_until_the_rule_has_held_that_long) {
  // Held 9 days from 1 March, not long enough; from 14 March, raised on 24 March.
  const auto rules = must_compile("rule owing { when balance >= 100  raise_after 10d }");
  EXPECT_EQ(backtest(rules, owing, "2024-03-01", "2024-06-01"),
            "2024-03-24 owing raised\n"
            "2024-05-01 owing cleared\n");
  // Exactly as long as it held: 9 days from 1 March is 10 March, the day it stopped.
  const auto nine = must_compile("rule owing { when balance >= 100  raise_after 9d }");
  EXPECT_EQ(backtest(nine, owing, "2024-03-01", "2024-06-01"),
            "2024-03-23 owing raised\n"
            "2024-05-01 owing cleared\n");
  const auto eight = must_compile("rule owing { when balance >= 100  raise_after 8d }");
  EXPECT_EQ(backtest(eight, owing, "2024-03-01", "2024-06-01"),
            "2024-03-09 owing raised\n"
            "2024-03-10 owing cleared\n"
            "2024-03-22 owing raised\n"
            "2024-05-01 owing cleared\n");
}

TEST(alerts, clear_after_keeps_an_alert_through_a_short_lapse) {
  // Stops on 10 March for 4 days: within 7 days, the alert stays raised.
  const auto rules = must_compile("rule owing { when balance >= 100  clear_after 7d }");
  EXPECT_EQ(backtest(rules, owing, "2024-03-01", "2024-06-01"),
            "2024-03-01 owing raised\n"
            "2024-05-08 owing cleared\n");
  const auto short_wait = must_compile("rule owing { when balance >= 100  clear_after 3d }");
  EXPECT_EQ(backtest(short_wait, owing, "2024-03-01", "2024-06-01"),
            "2024-03-01 owing raised\n"
            "2024-03-13 owing cleared\n"
            "2024-03-14 owing raised\n"
            "2024-05-04 owing cleared\n");
  // A clear_after of months counts calendar months, as windows do.
  const auto month = must_compile("rule owing { when balance >= 100  clear_after 1m }");
  EXPECT_EQ(backtest(month, owing, "2024-03-01", "2024-06-30"),
            "2024-03-01 owing raised\n"
            "2024-06-01 owing cleared\n");
}

TEST(alerts, a_cooldown_counts_from_the_raise_and_a_raise_after_from_the_first_day_held) {
  // Raised 1 March; held again from 14 March, long enough on 16 March, but
  // the cooldown of 20 days from 1 March holds it back until 21 March.
  const auto rules =
      must_compile("rule owing { when balance >= 100  raise_after 2d  cooldown 20d }");
  const auto l = make_ledger({
      {"A", "2024-02-28", "charge", 50000},
      {"A", "2024-03-10", "payment", 49950},
      {"A", "2024-03-14", "charge", 50000},
  });
  EXPECT_EQ(backtest(rules, l, "2024-02-28", "2024-04-01"),
            "2024-03-01 owing raised\n"
            "2024-03-10 owing cleared\n"
            "2024-03-21 owing raised\n");
}

TEST(alerts, a_backtest_starting_inside_an_open_alert_reports_it_open) {
  const auto rules =
      must_compile("rule owing { when balance >= 100  message \"owing {balance}\" }");
  EXPECT_EQ(backtest(rules, owing, "2024-04-01", "2024-06-01"),
            "2024-04-01 owing open\n"
            "2024-05-01 owing cleared\n");
  const auto alerts = earlywarn::backtest(rules, owing, date("2024-04-01"), date("2024-06-01"));
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].message, "owing 500.50");  // as of the first day
  // Cleared on the first day: open, then cleared, in that order.
  EXPECT_EQ(backtest(rules, owing, "2024-03-10", "2024-03-20"),
            "2024-03-10 owing open\n"
            "2024-03-10 owing cleared\n"
            "2024-03-14 owing raised\n");
  // Raised on the first day itself: raised, not open.
  EXPECT_EQ(backtest(rules, owing, "2024-03-14", "2024-03-20"), "2024-03-14 owing raised\n");
}

TEST(alerts, whether_an_alert_is_open_at_the_start_depends_on_its_whole_history) {
  // On 1 April the rule has held since 14 March; with raise_after 30d it is
  // not yet raised, and is raised on 13 April, not reported open.
  const auto rules = must_compile("rule owing { when balance >= 100  raise_after 30d }");
  EXPECT_EQ(backtest(rules, owing, "2024-04-01", "2024-06-01"),
            "2024-04-13 owing raised\n"
            "2024-05-01 owing cleared\n");
  // With clear_after, an alert can be open on a day the rule does not hold.
  const auto lapse = must_compile("rule owing { when balance >= 100  clear_after 7d }");
  EXPECT_EQ(backtest(lapse, owing, "2024-05-05", "2024-06-01"),
            "2024-05-05 owing open\n"
            "2024-05-08 owing cleared\n");
}

TEST(alerts, a_stream_restored_in_the_middle_of_a_wait_goes_on_waiting) {
  const auto rules = must_compile(
      "rule owing { when balance >= 100  raise_after 10d  clear_after 7d }\n"
      "rule late { when arrears_days > 5  clear_after 2w }");
  const auto expected = earlywarn::backtest(rules, owing, date("2024-03-01"), date("2024-06-01"));
  for (const char* stop : {"2024-03-05", "2024-03-12", "2024-03-20", "2024-05-03"}) {
    std::vector<earlywarn::alert> got;
    auto engine = std::make_unique<earlywarn::stream_engine>(rules);
    bool restored = false;
    for (const auto& row : earlywarn::testing::postings_of(owing)) {
      if (!restored && row.date > date(stop)) {
        for (day d = engine->clock() + 1; d <= date(stop); ++d) engine->advance(d, got);
        const std::string bytes = earlywarn::stream_checkpoint::serialize(*engine, {});
        engine = std::make_unique<earlywarn::stream_engine>(rules);
        earlywarn::checkpoint_position position;
        const auto error = earlywarn::stream_checkpoint::restore(*engine, bytes, position);
        ASSERT_FALSE(error) << error->message;
        restored = true;
      }
      for (day d = engine->clock() + 1; d < row.date; ++d) engine->advance(d, got);
      EXPECT_EQ(engine->push(row.household, row.date, row.type, row.amount, row.code, got),
                earlywarn::push_result::accepted);
    }
    for (day d = engine->clock() + 1; d <= date("2024-06-01"); ++d) engine->advance(d, got);
    EXPECT_EQ(brief(got, rules), brief(expected, rules)) << "stopped on " << stop;
  }
}

TEST(alerts, the_clauses_take_a_duration_or_a_duration_param) {
  const auto rules = must_compile(
      "param settle = 2w\n"
      "rule owing { when balance > 0  raise_after settle  clear_after 1m }");
  EXPECT_EQ(earlywarn::to_string(*rules.rules[0].raise_after), "2w");
  EXPECT_EQ(earlywarn::to_string(*rules.rules[0].clear_after), "1m");
  EXPECT_EQ(first_message("param n = 3\nrule owing { when balance > 0  raise_after n }"),
            "param 'n' is a number; raise_after needs a duration (like 30d)");
  EXPECT_EQ(first_message("param settle = 2w\nrule owing { when balance > 0  clear_after setle }"),
            "unknown name 'setle': clear_after needs a duration (like 30d) or a param holding "
            "one; did you mean 'settle'?");
  EXPECT_EQ(first_message("rule owing { when balance > 0  raise_after 2d  raise_after 3d }"),
            "rule 'owing' has more than one raise_after clause");
  EXPECT_EQ(first_message("rule owing { when balance > 0  clear_after }"),
            "expected a duration (like 30d) or a param name, found '}'");
  // Clause words are keywords: never names.
  EXPECT_EQ(first_message("param raise_after = 3\nrule owing { when balance > 0 }"),
            "expected a name, found the keyword 'raise_after' (a keyword cannot be a name: rename "
            "it)");
}

}  // namespace
