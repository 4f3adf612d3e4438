// The engine against a deliberately simple, independent implementation of
// docs/language.md (tests/reference) on many random ledgers, thresholds and dates:
// both must flag exactly the same (household, rule) pairs.

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "earlywarn.hpp"
#include "random_ledger.hpp"
#include "reference/reference_model.hpp"

namespace {

using earlywarn::day;

constexpr const char* rules_text = R"(
ruleset "property" version 7
event clawback increases
event refund decreases
param t_days = 30
param t_money = 1000

rule r_arrears_days { when arrears_days > t_days  score arrears_days }
rule r_balance { when balance >= t_money }
rule r_tenure { when tenure_days > 400 }
rule r_sum_window { when sum(payment, 3m) < t_money }
rule r_count { when count(charge, 8w) >= 2 }
rule r_avg { when avg(payment, 6m) < 0.5 * last(charge) }
rule r_spread { when max(payment, 1y) - min(payment, 1y) > t_money }
rule r_last { when last(payment) >= last(charge) }
rule r_days_since { when missing(days_since(payment)) or days_since(payment) > t_days }
rule r_balance_at { when balance > balance_at(1m) + 100 }
rule r_trend { when trend(balance, 6m) > 0  severity high  score trend(balance, 6m) }
rule r_trend_arrears { when trend(arrears, 3m) >= t_money / 10 }
rule r_plan_active { when plan_active }
rule r_plan_breached { when plan_breached }
rule r_ratio { when arrears / last(charge) >= 2 }
rule r_reference { when r_arrears_days and not r_plan_active }
rule r_months_as_days { when arrears_days >= 2m }
rule r_custom { when sum(clawback, 1y) > 0 or count(refund) > 1 }
rule r_all_history { when sum(credit) > t_money and count(contact, 90d) == 0 }
rule r_min_missing { when not (min(credit, 2m) > 0) }
)";

using reference::fraction;
using reference::make_fraction;

struct reference_rule {
  std::string name;
  std::function<bool(const reference::household&, reference::date, long long t_days,
                     long long t_money)>
      fires;
};

fraction money(long long cents) { return make_fraction(cents, 100); }

std::vector<reference_rule> reference_rules() {
  using H = reference::household;
  using D = reference::date;
  return {
      {"r_arrears_days",
       [](const H& h, D t, long long d, long long) { return h.arrears_days(t) > d; }},
      {"r_balance",
       [](const H& h, D t, long long, long long m) { return h.balance(t) >= m * 100; }},
      {"r_tenure", [](const H& h, D t, long long, long long) { return h.tenure_days(t) > 400; }},
      {"r_sum_window",
       [](const H& h, D t, long long, long long m) {
         return h.sum("payment", {3, 'm'}, t) < make_fraction(m);
       }},
      {"r_count",
       [](const H& h, D t, long long, long long) {
         return h.count("charge", {8, 'w'}, t) >= 2;
       }},
      {"r_avg",
       [](const H& h, D t, long long, long long) {
         const auto a = h.avg("payment", {6, 'm'}, t);
         const auto l = h.last("charge", t);
         return a && l && *a < make_fraction(1, 2) * *l;
       }},
      {"r_spread",
       [](const H& h, D t, long long, long long m) {
         const auto hi = h.max("payment", {1, 'y'}, t), lo = h.min("payment", {1, 'y'}, t);
         return hi && lo && *hi - *lo > make_fraction(m);
       }},
      {"r_last",
       [](const H& h, D t, long long, long long) {
         const auto p = h.last("payment", t), c = h.last("charge", t);
         return p && c && *p >= *c;
       }},
      {"r_days_since",
       [](const H& h, D t, long long d, long long) {
         const auto s = h.days_since("payment", t);
         return !s || *s > make_fraction(d);
       }},
      {"r_balance_at",
       [](const H& h, D t, long long, long long) {
         return money(h.balance(t)) > h.balance_at({1, 'm'}, t) + make_fraction(100);
       }},
      {"r_trend", [](const H& h, D t, long long,
                     long long) { return h.trend(false, 6, t) > make_fraction(0); }},
      {"r_trend_arrears", [](const H& h, D t, long long,
                             long long m) { return h.trend(true, 3, t) >= make_fraction(m, 10); }},
      {"r_plan_active", [](const H& h, D t, long long, long long) { return h.plan_active(t); }},
      {"r_plan_breached", [](const H& h, D t, long long, long long) { return h.plan_breached(t); }},
      {"r_ratio",
       [](const H& h, D t, long long, long long) {
         const auto c = h.last("charge", t);
         if (!c || c->num == 0) return false;
         return money(h.arrears(t)) >= make_fraction(2) * *c;
       }},
      {"r_reference", [](const H& h, D t, long long d,
                         long long) { return h.arrears_days(t) > d && !h.plan_active(t); }},
      {"r_months_as_days",
       [](const H& h, D t, long long, long long) {
         return h.arrears_days(t) >= t - reference::window_start_exclusive({2, 'm'}, t);
       }},
      {"r_custom",
       [](const H& h, D t, long long, long long) {
         return h.sum("clawback", {1, 'y'}, t) > make_fraction(0) ||
                h.count("refund", {100, 'y'}, t) > 1;
       }},
      {"r_all_history",
       [](const H& h, D t, long long, long long m) {
         return h.sum("credit", {100, 'y'}, t) > make_fraction(m) &&
                h.count("contact", {90, 'd'}, t) == 0;
       }},
      {"r_min_missing",
       [](const H& h, D t, long long, long long) {
         const auto lo = h.min("credit", {2, 'm'}, t);
         return !(lo && *lo > make_fraction(0));
       }},
  };
}

std::vector<day> as_of_dates(std::mt19937_64& rng) {
  std::vector<day> dates = {earlywarn::to_day({2021, 12, 31}), earlywarn::to_day({2023, 3, 31}),
                            earlywarn::to_day({2024, 2, 29}), earlywarn::to_day({2024, 12, 31})};
  for (int i = 0; i < 4; ++i)
    dates.push_back(earlywarn::to_day({2022, 1, 1}) +
                    static_cast<day>(std::uniform_int_distribution<int>(0, 1400)(rng)));
  return dates;
}

TEST(property, engine_flags_exactly_what_the_reference_flags) {
  const std::vector<reference_rule> expected_rules = reference_rules();
  const std::map<std::string, int> effects = {
      {"charge", 1}, {"payment", -1}, {"credit", -1}, {"clawback", 1}, {"refund", -1}};
  std::mt19937_64 rng(20261122);
  std::size_t compared = 0, fired = 0;
  for (int iteration = 0; iteration < 120; ++iteration) {
    const long long t_days = std::uniform_int_distribution<long long>(0, 120)(rng);
    const long long t_money = std::uniform_int_distribution<long long>(0, 20000)(rng);
    const auto load = earlywarn::compile_rules(
        rules_text, "property.rules",
        {{"t_days", std::to_string(t_days)}, {"t_money", std::to_string(t_money)}});
    ASSERT_TRUE(load.ok()) << load.report();
    ASSERT_EQ(load.rules->rules.size(), expected_rules.size());
    const random_ledger data = make_ledger(rng, 25);
    const auto loaded = earlywarn::parse_ledger_csv(data.csv);
    ASSERT_TRUE(loaded.ok()) << loaded.error->render();

    for (const day as_of : as_of_dates(rng)) {
      const earlywarn::worklist w =
          earlywarn::evaluate(*load.rules, loaded.events, as_of, {.threads = 2, .progress = {}});
      std::set<std::pair<std::string, std::string>> engine;
      for (const auto& row : w.rows) engine.emplace(row.household_id, row.rule_name);

      std::set<std::pair<std::string, std::string>> expected;
      const reference::date t = reference::from_iso(earlywarn::format_date(as_of));
      for (const auto& [id, events] : data.events) {
        const reference::household h(events, effects);
        if (!h.exists(t)) continue;
        for (const reference_rule& r : expected_rules)
          if (r.fires(h, t, t_days, t_money)) expected.emplace(id, r.name);
        for (const auto& row : w.rows) {
          if (row.household_id != id) continue;
          if (row.rule_name == "r_arrears_days") {
            EXPECT_EQ(row.score.to_string(), std::to_string(h.arrears_days(t)));
          }
          if (row.rule_name == "r_trend") {
            const fraction slope = h.trend(false, 6, t);
            EXPECT_TRUE(static_cast<reference::int128>(row.score.numerator()) * slope.den ==
                        slope.num * row.score.denominator())
                << id << " trend " << row.score.to_string() << " vs " << slope;
          }
        }
        ++compared;
      }
      fired += expected.size();
      ASSERT_EQ(engine, expected) << "iteration " << iteration << " as of "
                                  << earlywarn::format_date(as_of) << " t_days=" << t_days
                                  << " t_money=" << t_money;
    }
  }
  // The comparison means something only if many households exist and rules fire.
  EXPECT_GT(compared, 10000u);
  EXPECT_GT(fired, 10000u);
}

TEST(property, signals_match_the_reference) {
  const std::map<std::string, int> effects = {{"charge", 1}, {"payment", -1}, {"credit", -1}};
  std::mt19937_64 rng(7);
  for (int iteration = 0; iteration < 60; ++iteration) {
    const random_ledger data = make_ledger(rng, 20);
    const auto loaded = earlywarn::parse_ledger_csv(data.csv);
    ASSERT_TRUE(loaded.ok());
    for (const day as_of : as_of_dates(rng)) {
      const auto rows = earlywarn::compute_signals(loaded.events, as_of);
      const reference::date t = reference::from_iso(earlywarn::format_date(as_of));
      std::size_t existing = 0;
      for (const auto& [id, events] : data.events)
        existing += reference::household(events, effects).exists(t);
      ASSERT_EQ(rows.size(), existing);
      for (const auto& row : rows) {
        const reference::household h(data.events.at(row.household_id), effects);
        ASSERT_EQ(row.balance, h.balance(t)) << row.household_id;
        EXPECT_EQ(row.arrears, h.arrears(t));
        EXPECT_EQ(row.arrears_days, h.arrears_days(t))
            << row.household_id << " as of " << earlywarn::format_date(as_of);
        EXPECT_EQ(row.tenure_days, h.tenure_days(t));
        EXPECT_EQ(row.plan_active, h.plan_active(t)) << row.household_id;
        EXPECT_EQ(row.plan_breached, h.plan_breached(t)) << row.household_id;
      }
    }
  }
}

}  // namespace
