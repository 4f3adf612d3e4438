// Back-test summaries (docs/language.md, Back-test summaries): a small case
// counted by hand, and random ledgers counted day by day.

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "earlywarn.hpp"
#include "random_ledger.hpp"
#include "support.hpp"

namespace {

using earlywarn::day;
using earlywarn::testing::date;
using earlywarn::testing::make_ledger;
using earlywarn::testing::must_compile;

const earlywarn::summary_row& row_of(const earlywarn::backtest_summary& s,
                                     const earlywarn::ruleset& rules, std::string_view rule,
                                     std::optional<day> month) {
  for (const auto& r : s.rows)
    if (rules.rules[r.rule].name == rule && r.month == month) return r;
  ADD_FAILURE() << "no row for " << rule;
  return s.rows.front();
}

TEST(backtest_summary, a_small_case_counted_by_hand) {
  // A owes from 1 March, pays on 10 March, owes again from 14 March until
  // 1 May: raised 1 and 14 March, cleared 10 March and 1 May. B owes from
  // 20 February and is still owing at the end.
  const auto rules = must_compile("rule owing { when balance >= 100 }");
  const auto l = make_ledger({
      {"A", "2024-03-01", "charge", 50000},
      {"A", "2024-03-10", "payment", 49950},
      {"A", "2024-03-14", "charge", 50000},
      {"A", "2024-05-01", "payment", 50050},
      {"B", "2024-02-20", "charge", 50000},
  });
  const day from = date("2024-03-01"), to = date("2024-05-31");
  const auto alerts = earlywarn::backtest(rules, l, from, to);
  const auto s = earlywarn::summarize_backtest(alerts, rules, l, from, to);
  ASSERT_EQ(s.rows.size(), 4u);  // the whole period, March, April, May

  const auto& whole = row_of(s, rules, "owing", std::nullopt);
  EXPECT_EQ(whole.raises, 2u);      // A twice; B was open on the first day
  EXPECT_EQ(whole.households, 2u);  // A raised, B open
  EXPECT_EQ(whole.open, 2u);
  EXPECT_EQ(whole.reraises, 1u);  // 14 March, 4 days after the clear
  EXPECT_EQ(whole.closed, 2u);    // 9 days and 48 days
  EXPECT_EQ(whole.median_open_days, 9);
  EXPECT_EQ(whole.p90_open_days, 48);
  // Exposure: A 92 days, B 92 days; open days: A 9 + 48, B 92.
  EXPECT_NEAR(s.household_years, 184 / 365.25, 1e-12);
  EXPECT_NEAR(whole.raises_per_household_year, 2 / (184 / 365.25), 1e-9);
  EXPECT_NEAR(whole.mean_open, (9.0 + 48 + 92) / 92, 1e-12);

  const auto& march = row_of(s, rules, "owing", date("2024-03-01"));
  EXPECT_EQ(march.raises, 2u);
  EXPECT_EQ(march.households, 2u);
  EXPECT_EQ(march.open, 2u);
  EXPECT_EQ(march.reraises, 1u);
  const auto& may = row_of(s, rules, "owing", date("2024-05-01"));
  EXPECT_EQ(may.raises, 0u);
  EXPECT_EQ(may.open, 1u);  // A was cleared on 1 May: open until 30 April
  EXPECT_FALSE(may.median_open_days);

  const std::string csv = earlywarn::summary_csv(s, rules);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "rule,month,raises,households,open,reraises,closed,median_open_days,p90_open_days,"
            "raises_per_household_year,mean_open");
  EXPECT_NE(csv.find("\nowing,all,2,2,2,1,2,9,48,3.970,1.620\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\nowing,2024-05,0,0,1,0,0,,,,\n"), std::string::npos) << csv;
  const std::string json = earlywarn::summary_json(s, rules);
  EXPECT_NE(json.find("{\"rule\":\"owing\",\"month\":null,\"raises\":2,"), std::string::npos);
  EXPECT_NE(json.find("\"median_open_days\":null"), std::string::npos);

  earlywarn::summary_options none;
  none.reraise_days = 3;  // 14 March is 4 days after the clear
  EXPECT_EQ(row_of(earlywarn::summarize_backtest(alerts, rules, l, from, to, none), rules, "owing",
                   std::nullopt)
                .reraises,
            0u);
}

// The summary counted another way: each household's open state walked day
// by day from the alerts.
TEST(backtest_summary, equals_counting_day_by_day_on_random_ledgers) {
  const auto rules = must_compile(
      "rule late { when arrears_days > 20  clear_after 10d }\n"
      "rule owing { when arrears > 300  cooldown 2w }\n"
      "rule silent { when arrears > 0 and days_since(payment) > 40  raise_after 5d }");
  std::mt19937_64 rng(17);
  std::size_t raises = 0;
  for (int i = 0; i < 20; ++i) {
    const auto loaded = earlywarn::parse_ledger_csv(make_ledger(rng, 10).csv);
    ASSERT_TRUE(loaded.ok());
    const earlywarn::ledger& l = loaded.events;
    const day from = date("2022-03-01") + static_cast<day>(rng() % 200),
              to = date("2024-06-30") - static_cast<day>(rng() % 200);
    const auto alerts = earlywarn::backtest(rules, l, from, to);
    const auto s = earlywarn::summarize_backtest(alerts, rules, l, from, to);

    // Per rule: month (0: whole) -> counts.
    struct counts {
      std::uint64_t raises = 0, reraises = 0;
      std::set<std::string> households, open;
      std::vector<std::int32_t> days;
      std::uint64_t open_days = 0;
    };
    std::map<std::pair<std::uint32_t, day>, counts> expected;
    auto month_of = [](day d) {
      const auto c = earlywarn::to_civil(d);
      return earlywarn::to_day({c.year, c.month, 1});
    };
    std::map<std::pair<std::string, std::uint32_t>, std::vector<const earlywarn::alert*>> by_pair;
    for (const auto& a : alerts) by_pair[{a.household_id, a.rule}].push_back(&a);
    for (const auto& [key, list] : by_pair) {
      const auto& [household, rule] = key;
      std::size_t next = 0;
      bool open = false;
      day opened = 0, last_clear = 0;
      bool raised = false, ever_cleared = false;
      for (day d = from; d <= to; ++d) {
        for (; next < list.size() && list[next]->date == d; ++next) {
          const auto& a = *list[next];
          if (a.state == earlywarn::alert_state::cleared) {
            if (raised) {
              expected[{rule, 0}].days.push_back(d - opened);
              expected[{rule, month_of(opened)}].days.push_back(d - opened);
            }
            open = false;
            ever_cleared = true;
            last_clear = d;
            continue;
          }
          open = true;
          opened = d;
          raised = a.state == earlywarn::alert_state::raised;
          for (const day m : {day{0}, month_of(d)}) {
            expected[{rule, m}].households.insert(household);
            if (!raised) continue;
            ++expected[{rule, m}].raises;
            if (ever_cleared && d - last_clear <= 30) ++expected[{rule, m}].reraises;
          }
          // An alert open on the first day and cleared that day counts in the load.
          if (!raised) expected[{rule, 0}].open.insert(household);
          if (!raised) expected[{rule, month_of(d)}].open.insert(household);
        }
        if (open) {
          expected[{rule, 0}].open.insert(household);
          expected[{rule, month_of(d)}].open.insert(household);
          ++expected[{rule, 0}].open_days;
        }
      }
    }
    for (const auto& row : s.rows) {
      const counts& c = expected[{row.rule, row.month.value_or(0)}];
      const std::string where = rules.rules[row.rule].name + " " +
                                (row.month ? earlywarn::format_date(*row.month) : "all") +
                                " in ledger " + std::to_string(i);
      EXPECT_EQ(row.raises, c.raises) << where;
      EXPECT_EQ(row.reraises, c.reraises) << where;
      EXPECT_EQ(row.households, c.households.size()) << where;
      EXPECT_EQ(row.open, c.open.size()) << where;
      EXPECT_EQ(row.closed, c.days.size()) << where;
      std::vector<std::int32_t> days = c.days;
      std::sort(days.begin(), days.end());
      if (days.empty()) {
        EXPECT_FALSE(row.median_open_days) << where;
      } else {
        EXPECT_EQ(row.median_open_days, days[(days.size() + 1) / 2 - 1]) << where;
        EXPECT_EQ(row.p90_open_days, days[(days.size() * 9 + 9) / 10 - 1]) << where;
      }
      if (!row.month) {
        EXPECT_NEAR(row.mean_open, static_cast<double>(c.open_days) / (to - from + 1), 1e-9)
            << where;
      }
      raises += row.month ? 0 : row.raises;
    }
  }
  EXPECT_GT(raises, 100u);  // worth something only if alerts happen
}

TEST(backtest_summary, alerts_of_another_ledger_are_api_misuse) {
  const auto rules = must_compile("rule owing { when balance >= 100 }");
  const auto l = make_ledger({{"A", "2024-03-01", "charge", 50000}});
  std::vector<earlywarn::alert> alerts(1);
  alerts[0].household = 5;
  EXPECT_THROW(
      earlywarn::summarize_backtest(alerts, rules, l, date("2024-03-01"), date("2024-03-31")),
      std::invalid_argument);
  earlywarn::summary_options negative;
  negative.reraise_days = -1;
  EXPECT_THROW(
      earlywarn::summarize_backtest({}, rules, l, date("2024-03-01"), date("2024-03-31"), negative),
      std::invalid_argument);
}

}  // namespace
