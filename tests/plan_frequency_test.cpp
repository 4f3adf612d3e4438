// Plan frequencies (docs/language.md, Ledger and Signals and functions): a
// plan event's code says how often its instalment falls due, weekly,
// fortnightly, four-weekly or monthly; any other code is refused.
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

const char* const plan_rules =
    "rule broken { when plan_breached }\n"
    "rule short { when plan_shortfall > 0 message \"{plan_shortfall}\" }\n";

// 400.00 owed, a plan of 50.00 agreed on Monday 2024-01-01 with `frequency`
// as its code, and one payment of 50.00 on 01-03.
ledger plan_ledger(std::string_view frequency) {
  return make_ledger({{"H", "2024-01-01", "charge", 40000},
                      {"H", "2024-01-01", "plan", 5000, frequency},
                      {"H", "2024-01-03", "payment", 5000}});
}

std::string shortfall(std::string_view frequency, const char* as_of) {
  return testing::value_read(must_compile(plan_rules), plan_ledger(frequency), 0, as_of,
                             "plan_shortfall");
}

TEST(plan_frequency, an_instalment_falls_due_each_period_of_the_plan_s_code) {
  // One instalment is paid: the plan is kept until the second falls due.
  EXPECT_EQ(shortfall("weekly", "2024-01-14"), "0.00");   // 1 due (01-08)
  EXPECT_EQ(shortfall("weekly", "2024-01-15"), "50.00");  // 2 due (01-15)
  EXPECT_EQ(shortfall("weekly", "2024-01-22"), "100.00");
  EXPECT_EQ(shortfall("fortnightly", "2024-01-28"), "0.00");
  EXPECT_EQ(shortfall("fortnightly", "2024-01-29"), "50.00");  // 2 due (01-15, 01-29)
  EXPECT_EQ(shortfall("four_weekly", "2024-02-25"), "0.00");
  EXPECT_EQ(shortfall("four_weekly", "2024-02-26"), "50.00");  // 2 due (01-29, 02-26)
  EXPECT_EQ(shortfall("monthly", "2024-02-29"), "0.00");
  EXPECT_EQ(shortfall("monthly", "2024-03-01"), "50.00");  // 2 due (02-01, 03-01)
  EXPECT_EQ(shortfall("", "2024-03-01"), "50.00");         // no code: monthly
}

TEST(plan_frequency, the_backtest_and_the_stream_raise_on_the_day_an_instalment_is_missed) {
  const ruleset rules = must_compile(plan_rules);
  for (const char* frequency : {"weekly", "fortnightly", "four_weekly", "monthly"}) {
    const ledger l = plan_ledger(frequency);
    const auto alerts = backtest(rules, l, date("2024-01-01"), date("2024-04-01"));
    ASSERT_EQ(alerts.size(), 2u) << frequency;
    const char* expected = std::string_view(frequency) == "weekly"        ? "2024-01-15"
                           : std::string_view(frequency) == "fortnightly" ? "2024-01-29"
                           : std::string_view(frequency) == "four_weekly" ? "2024-02-26"
                                                                          : "2024-03-01";
    EXPECT_EQ(format_date(alerts[0].date), expected) << frequency;
    stream_options options;
    options.lateness_days = 0;  // the plan is folded long before it is breached
    stream_engine engine(rules, options);
    std::vector<alert> got;
    for (const auto& p : testing::postings_of(l))
      EXPECT_EQ(engine.push(p.household, p.date, p.type, p.amount, p.code, got),
                earlywarn::push_result::accepted);
    engine.advance(date("2024-04-01"), got);
    EXPECT_EQ(testing::alerts_text(got, rules), testing::alerts_text(alerts, rules)) << frequency;
  }
}

TEST(plan_frequency, of_plans_agreed_on_one_day_the_largest_instalment_counts_in_any_order) {
  const ruleset rules = must_compile(plan_rules);
  for (const bool reversed : {false, true}) {
    std::vector<testing::event> events = {{"H", "2024-01-01", "charge", 40000},
                                          {"H", "2024-01-01", "plan", 5000, "weekly"},
                                          {"H", "2024-01-01", "plan", 5000, "monthly"},
                                          {"H", "2024-01-01", "plan", 2000, "fortnightly"}};
    if (reversed) std::reverse(events.begin() + 1, events.end());
    // 50.00 either weekly or monthly: the code later in byte order, weekly.
    EXPECT_EQ(testing::value_read(rules, make_ledger(events), 0, "2024-01-08", "plan_shortfall"),
              "50.00")
        << reversed;
  }
}

TEST(plan_frequency, a_plan_code_that_is_no_frequency_is_refused_everywhere) {
  const auto loaded = parse_ledger_csv(
      "household,date,type,amount,code\nH,2024-01-01,plan,50,weekly\nH,2024-01-08,plan,50,"
      "fortnighly\n");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error->line, 3u);
  EXPECT_EQ(loaded.error->column, 22u);
  EXPECT_EQ(loaded.error->message,
            "event code 'fortnighly' is not a plan frequency: a plan's code is weekly, "
            "fortnightly, four_weekly or monthly (none: monthly)");
  ledger_builder builder;
  EXPECT_THROW(builder.add("H", date("2024-01-01"), "plan", 5000, "Weekly"), std::invalid_argument);
  EXPECT_EQ(builder.event_count(), 0u);
  builder.add("H", date("2024-01-01"), "letter", 0, "Weekly");  // any code for other types
  const ruleset rules = must_compile(plan_rules);
  stream_engine engine(rules);
  std::vector<alert> out;
  EXPECT_THROW(
      static_cast<void>(engine.push("H", date("2024-01-01"), "plan", 5000, "biweekly", out)),
      std::invalid_argument);
  EXPECT_EQ(engine.event_count(), 0u);
}

}  // namespace
}  // namespace earlywarn
