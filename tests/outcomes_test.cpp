// Outcomes (docs/language.md, Outcomes): recall, precision, lead time and
// recoveries, counted by hand on a small case and day by day on random ones.

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

const earlywarn::outcome_row& row_of(const earlywarn::outcome_report& r,
                                     const earlywarn::ruleset& rules, std::string_view rule) {
  for (const auto& row : r.rows)
    if (rules.rules[row.rule].name == rule) return row;
  ADD_FAILURE() << "no row for " << rule;
  return r.rows.front();
}

TEST(outcomes, a_small_case_counted_by_hand) {
  // A owes from 1 March and has a filing on 20 April (50 days later). B owes
  // from 1 March, pays on 10 March and has a filing on 1 December, long after.
  // C owes 1 May to 10 May and nothing follows.
  const auto rules = must_compile(
      "event filing neutral\n"
      "rule owing { when balance >= 100 }\n"
      "rule deep { when balance >= 100000 }");
  const auto l = make_ledger({
      {"A", "2024-03-01", "charge", 50000},
      {"A", "2024-04-20", "filing", 0},
      {"B", "2024-03-01", "charge", 50000},
      {"B", "2024-03-10", "payment", 50000},
      {"B", "2024-12-01", "filing", 0},
      {"C", "2024-05-01", "charge", 50000},
      {"C", "2024-05-10", "payment", 50000},
  });
  const day from = date("2024-03-01"), to = date("2024-12-31");
  const auto alerts = earlywarn::backtest(rules, l, from, to);
  earlywarn::outcome_options options;
  options.types = {"filing"};
  options.horizon_days = 90;
  const auto report = earlywarn::evaluate_outcomes(alerts, rules, l, from, to, options);
  EXPECT_EQ(report.outcomes, 2u);
  EXPECT_EQ(report.households, 2u);
  ASSERT_EQ(report.rows.size(), 2u);
  EXPECT_EQ(rules.rules[report.rows[0].rule].name, "deep");  // rule-name order

  const auto& owing = row_of(report, rules, "owing");
  EXPECT_EQ(owing.warned, 1u);  // A's filing; B's came 266 days after its alert cleared
  EXPECT_EQ(owing.recall(), 0.5);
  EXPECT_EQ(owing.raises, 3u);    // A, B, C: all raised by early May, horizon within the year
  EXPECT_EQ(owing.followed, 1u);  // A's, 50 days on
  EXPECT_NEAR(*owing.precision(), 1.0 / 3, 1e-12);
  EXPECT_EQ(owing.lead_median, 50);
  EXPECT_EQ(owing.lead_q1, 50);
  EXPECT_EQ(owing.lead_q3, 50);
  EXPECT_EQ(owing.cleared, 2u);    // B on 10 March, C on 10 May; A never clears
  EXPECT_EQ(owing.recovered, 2u);  // neither had an outcome within 90 days of its clear

  const auto& deep = row_of(report, rules, "deep");
  EXPECT_EQ(deep.warned, 0u);
  EXPECT_EQ(deep.raises, 0u);
  EXPECT_FALSE(deep.precision());
  EXPECT_FALSE(deep.lead_median);

  EXPECT_EQ(earlywarn::outcomes_csv(report, rules),
            "rule,outcomes,warned,recall,raises,followed,precision,lead_days_q1,lead_days_median,"
            "lead_days_q3,cleared,recovered\n"
            "deep,2,0,0.000,0,0,,,,,0,0\n"
            "owing,2,1,0.500,3,1,0.333,50,50,50,2,2\n");
  EXPECT_NE(earlywarn::outcomes_json(report, rules)
                .find("{\"rule\":\"deep\",\"outcome_types\":[\"filing\"],\"horizon_days\":90,"),
            std::string::npos);

  // A horizon short of B's 266 days still warns of nothing more; a long one
  // reaches it, and the lead is from B's raise.
  options.horizon_days = 300;
  const auto wide = earlywarn::evaluate_outcomes(alerts, rules, l, from, to, options);
  EXPECT_EQ(row_of(wide, rules, "owing").warned, 2u);
  EXPECT_EQ(row_of(wide, rules, "owing").lead_q3, 275);  // 1 March to 1 December
}

TEST(outcomes, misuse_is_refused_with_the_reason) {
  const auto rules = must_compile("rule owing { when balance >= 100 }");
  const auto l = make_ledger({{"A", "2024-03-01", "charge", 50000}});
  const auto alerts = earlywarn::backtest(rules, l, date("2024-03-01"), date("2024-03-31"));
  earlywarn::outcome_options options;
  EXPECT_THROW(earlywarn::evaluate_outcomes(alerts, rules, l, date("2024-03-01"),
                                            date("2024-03-31"), options),
               std::invalid_argument);
  options.types = {"evicton"};
  try {
    (void)earlywarn::evaluate_outcomes(alerts, rules, l, date("2024-03-01"), date("2024-03-31"),
                                       options);
    ADD_FAILURE() << "a type with no event was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "outcome type 'evicton' has no event in the ledger");
  }
  options.types = {"charge"};
  options.horizon_days = -1;
  EXPECT_THROW(earlywarn::evaluate_outcomes(alerts, rules, l, date("2024-03-01"),
                                            date("2024-03-31"), options),
               std::invalid_argument);
}

// The report counted another way: for every outcome, every day of its
// horizon looked at; for every raise and clear, every day after it.
TEST(outcomes, equal_counting_day_by_day_on_random_ledgers) {
  const auto rules = must_compile(
      "rule late { when arrears_days > 20  clear_after 10d }\n"
      "rule owing { when arrears > 300  cooldown 2w }\n"
      "rule silent { when arrears > 0 and days_since(payment) > 40  raise_after 5d }");
  std::mt19937_64 rng(23);
  std::uint64_t warned_total = 0;
  for (int i = 0; i < 20; ++i) {
    const auto loaded = earlywarn::parse_ledger_csv(make_ledger(rng, 10).csv);
    ASSERT_TRUE(loaded.ok());
    const earlywarn::ledger& l = loaded.events;
    const day from = date("2022-03-01") + static_cast<day>(rng() % 200),
              to = date("2024-06-30") - static_cast<day>(rng() % 200);
    earlywarn::outcome_options options;
    options.types = {"payment"};  // any type with events: the counting is what is tested
    options.horizon_days = static_cast<std::int32_t>(rng() % 120);
    const std::int32_t h = options.horizon_days;
    const auto alerts = earlywarn::backtest(rules, l, from, to);
    const auto report = earlywarn::evaluate_outcomes(alerts, rules, l, from, to, options);

    // Per household and rule: open on each day of the period, and the raises and clears.
    std::map<std::pair<std::string, std::uint32_t>, std::vector<bool>> open;
    std::map<std::pair<std::string, std::uint32_t>, std::vector<std::pair<day, bool>>> changes;
    for (const auto& a : alerts)
      changes[{a.household_id, a.rule}].push_back(
          {a.date, a.state != earlywarn::alert_state::cleared});
    std::map<std::pair<std::string, std::uint32_t>, std::vector<day>> raised_on;
    std::set<std::pair<std::string, std::uint32_t>> opened_at_start;
    for (const auto& a : alerts)
      if (a.state == earlywarn::alert_state::open) opened_at_start.insert({a.household_id, a.rule});
    // Alerts that cleared: from their raise (or open) to their clear.
    std::map<std::pair<std::string, std::uint32_t>, std::vector<std::pair<day, day>>> closed;
    for (const auto& [key, list] : changes) {
      std::vector<bool>& days = open[key];
      days.assign(static_cast<std::size_t>(to - from + 1), false);
      bool now = false;
      std::size_t next = 0;
      for (day d = from; d <= to; ++d) {
        for (; next < list.size() && list[next].first == d; ++next) now = list[next].second;
        days[static_cast<std::size_t>(d - from)] = now;
      }
    }
    for (const auto& a : alerts) {
      if (a.state == earlywarn::alert_state::raised)
        raised_on[{a.household_id, a.rule}].push_back(a.date);
    }
    for (const auto& [key, list] : changes) {
      day opened = from;
      for (const auto& [d, opens] : list) {
        if (opens)
          opened = d;
        else
          closed[key].push_back({opened, d});
      }
    }
    std::map<std::string, std::vector<day>> outcome_days;
    std::uint64_t outcomes = 0;
    for (earlywarn::household_index x = 0; x < l.household_count(); ++x) {
      const auto ev = l.events(x);
      for (std::size_t k = 0; k < ev.size(); ++k) {
        auto& days = outcome_days[std::string(l.household_id(x))];
        if (l.types().name(ev.types[k]) == "payment" && ev.dates[k] >= from && ev.dates[k] <= to &&
            (days.empty() || days.back() != ev.dates[k])) {
          days.push_back(ev.dates[k]);
          ++outcomes;
        }
      }
    }
    auto outcome_between = [&](const std::string& household, day first, day last) {
      for (const day d : outcome_days[household])
        if (d >= first && d <= last) return true;
      return false;
    };
    for (const auto& row : report.rows) {
      const std::string where = rules.rules[row.rule].name + " in ledger " + std::to_string(i);
      std::uint64_t warned = 0, raises = 0, followed = 0, cleared = 0, recovered = 0;
      for (const auto& [household, days] : outcome_days)
        for (const day d : days) {
          const auto it = open.find({household, row.rule});
          // An alert open on the first day was open the day before it too.
          bool any = d - h <= from - 1 && opened_at_start.count({household, row.rule}) > 0;
          for (day x = std::max(from, d - h); x < d && it != open.end(); ++x)
            any = any || it->second[static_cast<std::size_t>(x - from)];
          warned += any ? 1 : 0;
        }
      for (const auto& [key, days] : raised_on) {
        if (key.second != row.rule) continue;
        for (const day s : days)
          if (s + h <= to) {
            ++raises;
            followed += outcome_between(key.first, s + 1, s + h) ? 1 : 0;
          }
      }
      for (const auto& [key, spans] : closed) {
        if (key.second != row.rule) continue;
        for (const auto& [start, c] : spans) {
          if (c + h > to) continue;
          ++cleared;
          recovered += outcome_between(key.first, start, c + h) ? 0 : 1;
        }
      }
      EXPECT_EQ(row.outcomes, outcomes) << where;
      EXPECT_EQ(row.warned, warned) << where;
      EXPECT_EQ(row.raises, raises) << where;
      EXPECT_EQ(row.followed, followed) << where;
      EXPECT_EQ(row.cleared, cleared) << where;
      EXPECT_EQ(row.recovered, recovered) << where;
      warned_total += warned;
    }
  }
  EXPECT_GT(warned_total, 50u);  // worth something only if warnings happen
}

}  // namespace
