// explain() (docs/language.md, Outputs): for one household, every rule in file order, fired or not,
// with each value its condition read, as written in the rules file; and agreement with evaluate().
#include "earlywarn/evaluation/explain.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "earlywarn/evaluation/evaluate.hpp"
#include "earlywarn/loading/load_rules.hpp"
#include "earlywarn/model/ledger.hpp"
#include "support.hpp"

namespace earlywarn {
namespace {

using testing::date;

using testing::must_compile;

using testing::event;
using testing::make_ledger;

household_explanation explain_id(const ruleset& rules, const ledger& events, std::string_view id,
                                 std::string_view as_of) {
  const auto h = events.find_household(id);
  if (!h) {
    ADD_FAILURE() << "no household " << id;
    return {};
  }
  return explain(rules, events, *h, date(as_of));
}

/// Readings as (expression, value) pairs, which compare and print well.
using readings = std::vector<std::pair<std::string, std::string>>;
readings pairs(const std::vector<reading>& rs) {
  readings out;
  for (const reading& r : rs) out.emplace_back(r.expression, r.value);
  return out;
}

constexpr const char* explain_rules = R"(ruleset "explain-test" version 4
param grace_days = 15

rule late_rent {
  when arrears_days > grace_days and arrears >= 100
  severity low
  score arrears_days
  message "Rent unpaid for {arrears_days} days, owing {arrears}"
}

# a comment between rules
rule never_paid {
  when missing(days_since(payment)) or days_since(payment) > 45
  message "never paid {days_since(payment)}"
}

rule escalate {
  when late_rent and not (arrears_days  >  60 or arrears_days > grace_days * 5)
  severity high
  message "escalated"
}

rule quiet {
  when count(contact, 90d) == 0 and late_rent and plan_active
  severity critical
  score -arrears
}
)";

// HH42 as of 2024-03-14: charged 500.00 on 02-01; paid 100.00 and agreed a 50.00 plan on 02-20.
//   arrears 400.00; arrears_days = 03-14 − 02-01 = 28 + 14 = 42; days_since(payment) = 23;
//   plan: 0 months completed (02-20 + 1m = 03-20 > 03-14), allowed 400.00 → active, kept.
// HH43: charged 300.00 on 2024-03-10, never paid → arrears_days 4.
// HH99: first event on 2024-04-01 → does not exist as of 2024-03-14.
const std::vector<event> explain_events = {
    {"HH42", "2024-02-01", "charge", 50000}, {"HH42", "2024-02-20", "payment", 10000},
    {"HH42", "2024-02-20", "plan", 5000},    {"HH43", "2024-03-10", "charge", 30000},
    {"HH99", "2024-04-01", "charge", 30000},
};

TEST(explain, lists_every_rule_in_file_order_with_its_verdict) {
  const ruleset rules = must_compile(explain_rules);
  const ledger events = make_ledger(explain_events);
  const household_explanation x = explain_id(rules, events, "HH42", "2024-03-14");
  EXPECT_EQ(x.household_id, "HH42");
  EXPECT_EQ(x.as_of, date("2024-03-14"));
  EXPECT_TRUE(x.exists);
  EXPECT_EQ(x.ruleset_name, "explain-test");
  EXPECT_EQ(x.ruleset_version, 4);
  EXPECT_EQ(x.fingerprint, rules.fingerprint);
  ASSERT_EQ(x.rules.size(), 4u);
  EXPECT_EQ(x.rules[0].rule, "late_rent");
  EXPECT_EQ(x.rules[1].rule, "never_paid");
  EXPECT_EQ(x.rules[2].rule, "escalate");
  EXPECT_EQ(x.rules[3].rule, "quiet");
  EXPECT_TRUE(x.rules[0].fired);
  EXPECT_FALSE(x.rules[1].fired);
  EXPECT_TRUE(x.rules[2].fired);
  EXPECT_TRUE(x.rules[3].fired);
  EXPECT_EQ(x.rules[0].level, severity::low);
  EXPECT_EQ(x.rules[1].level, severity::medium);
  EXPECT_EQ(x.rules[2].level, severity::high);
  EXPECT_EQ(x.rules[3].level, severity::critical);
  EXPECT_EQ(x.rules[0].when, "arrears_days > grace_days and arrears >= 100");
  EXPECT_EQ(x.rules[2].when,
            "late_rent and not (arrears_days  >  60 or arrears_days > grace_days * 5)");
  EXPECT_EQ(x.rules[0].score.to_string(), "42");
  EXPECT_EQ(compare(x.rules[0].score, value::integer(42)), 0);
  EXPECT_EQ(x.rules[1].score.to_string(), "0");  // no score clause
  EXPECT_EQ(compare(x.rules[3].score, value::money(-40000)), 0);
}

TEST(explain, a_household_index_beyond_the_ledger_is_api_misuse_not_a_crash) {
  const ruleset rules = must_compile(explain_rules);
  const ledger events = make_ledger(explain_events);
  const auto n = static_cast<household_index>(events.household_count());
  try {
    (void)explain(rules, events, n, date("2024-03-14"));
    ADD_FAILURE() << "index " << n << " was taken";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "household index " + std::to_string(n) +
                                         " is out of range: the ledger has " + std::to_string(n) +
                                         " households");
  }
  EXPECT_THROW((void)explain(rules, events, UINT32_MAX, date("2024-03-14")), std::invalid_argument);
  EXPECT_THROW((void)explain(rules, events, 0, INT32_MAX), std::invalid_argument);
  // The evaluator under it refuses the same, and one bound to a type table
  // (a stream's) has no ledger to take an index into.
  const bound_ruleset bound(rules, events);
  household_evaluator evaluator(bound);
  EXPECT_THROW(evaluator.start(n, date("2024-03-14")), std::invalid_argument);
  evaluator.start(n - 1, date("2024-03-14"));
  const bound_ruleset to_types(rules, events.types(), events.codes());
  household_evaluator unbound(to_types);
  EXPECT_THROW(unbound.start(0, date("2024-03-14")), std::invalid_argument);
}

TEST(explain, message_only_for_fired_rules) {
  const ruleset rules = must_compile(explain_rules);
  const ledger events = make_ledger(explain_events);
  const household_explanation x = explain_id(rules, events, "HH42", "2024-03-14");
  ASSERT_EQ(x.rules.size(), 4u);
  EXPECT_EQ(x.rules[0].message, "Rent unpaid for 42 days, owing 400.00");
  EXPECT_EQ(x.rules[1].message, "");  // has a message clause, but did not fire
  EXPECT_EQ(x.rules[2].message, "escalated");
  EXPECT_EQ(x.rules[3].message, "");  // fired, no message clause
  const household_explanation y = explain_id(rules, events, "HH43", "2024-03-14");
  EXPECT_EQ(y.rules[1].message, "never paid n/a");
  EXPECT_EQ(y.rules[0].message, "");
}

TEST(explain, readings_are_leaves_and_comparisons_children_first_as_written) {
  const ruleset rules = must_compile(explain_rules);
  const ledger events = make_ledger(explain_events);
  const household_explanation x = explain_id(rules, events, "HH42", "2024-03-14");
  ASSERT_EQ(x.rules.size(), 4u);
  // Constants (100, 45, 60, 5, 0) are not readings: their value is their text.
  EXPECT_EQ(pairs(x.rules[0].readings), (readings{{"arrears_days", "42"},
                                                  {"grace_days", "15"},
                                                  {"arrears_days > grace_days", "true"},
                                                  {"arrears", "400.00"},
                                                  {"arrears >= 100", "true"}}));
  // days_since(payment) is read twice but listed once; `or` itself is not a reading.
  EXPECT_EQ(pairs(x.rules[1].readings), (readings{{"days_since(payment)", "23"},
                                                  {"missing(days_since(payment))", "false"},
                                                  {"days_since(payment) > 45", "false"}}));
  // A rule reference reads the other rule's verdict; `not`, `and`, `or` add nothing; the
  // source text keeps its spacing; arithmetic nodes are readings.
  EXPECT_EQ(pairs(x.rules[2].readings), (readings{{"late_rent", "true"},
                                                  {"arrears_days", "42"},
                                                  {"arrears_days  >  60", "false"},
                                                  {"grace_days", "15"},
                                                  {"grace_days * 5", "75"},
                                                  {"arrears_days > grace_days * 5", "false"}}));
  EXPECT_EQ(pairs(x.rules[3].readings), (readings{{"count(contact, 90d)", "0"},
                                                  {"count(contact, 90d) == 0", "true"},
                                                  {"late_rent", "true"},
                                                  {"plan_active", "true"}}));
}

TEST(explain, a_definition_is_read_by_its_name_after_what_it_is_made_of) {
  const ruleset rules = must_compile(R"(
param grace_days = 15
define behind = arrears_days > grace_days
define owed_twice = arrears * 2
rule late_rent { when behind and owed_twice >= 100  message "owes {owed_twice}" }
)");
  const ledger events = make_ledger(explain_events);
  const household_explanation x = explain_id(rules, events, "HH42", "2024-03-14");
  ASSERT_EQ(x.rules.size(), 1u);  // definitions are not rules
  EXPECT_TRUE(x.rules[0].fired);
  EXPECT_EQ(x.rules[0].message, "owes 800.00");
  // What a definition reads, then the definition by its name (standing for
  // its expression as written in the define line).
  EXPECT_EQ(pairs(x.rules[0].readings), (readings{{"arrears_days", "42"},
                                                  {"grace_days", "15"},
                                                  {"behind", "true"},
                                                  {"arrears", "400.00"},
                                                  {"owed_twice", "800.00"},
                                                  {"owed_twice >= 100", "true"}}));
}

TEST(explain, readings_show_no_value_and_rules_that_did_not_fire) {
  // HH43 as of 2024-03-14: arrears 300.00 for 4 days, never paid, no plan.
  const ruleset rules = must_compile(explain_rules);
  const ledger events = make_ledger(explain_events);
  const household_explanation x = explain_id(rules, events, "HH43", "2024-03-14");
  ASSERT_EQ(x.rules.size(), 4u);
  EXPECT_FALSE(x.rules[0].fired);
  EXPECT_TRUE(x.rules[1].fired);
  EXPECT_FALSE(x.rules[2].fired);
  EXPECT_FALSE(x.rules[3].fired);
  EXPECT_EQ(pairs(x.rules[0].readings), (readings{{"arrears_days", "4"},
                                                  {"grace_days", "15"},
                                                  {"arrears_days > grace_days", "false"},
                                                  {"arrears", "300.00"},
                                                  {"arrears >= 100", "true"}}));
  EXPECT_EQ(pairs(x.rules[1].readings), (readings{{"days_since(payment)", "n/a"},
                                                  {"missing(days_since(payment))", "true"},
                                                  {"days_since(payment) > 45", "false"}}));
  EXPECT_EQ(pairs(x.rules[2].readings), (readings{{"late_rent", "false"},
                                                  {"arrears_days", "4"},
                                                  {"arrears_days  >  60", "false"},
                                                  {"grace_days", "15"},
                                                  {"grace_days * 5", "75"},
                                                  {"arrears_days > grace_days * 5", "false"}}));
  EXPECT_EQ(pairs(x.rules[3].readings), (readings{{"count(contact, 90d)", "0"},
                                                  {"count(contact, 90d) == 0", "true"},
                                                  {"late_rent", "false"},
                                                  {"plan_active", "false"}}));
}

TEST(explain, readings_of_durations_arithmetic_and_parentheses_across_lines) {
  // HH42 as of 2024-03-14: balance 400.00; balance_at(1m) = balance on 02-14 = 500.00;
  // (400.00 − 500.00) / 2 = −50.00.
  const ruleset rules = must_compile(R"(
rule shrinking {
  when arrears_days >
         30d and
       (balance - balance_at(1m)) / 2 > 0
}
rule twice { when arrears > 100 or arrears > 100 and arrears_days > 5 }
rule param_override { when arrears_days >= limit }
param limit = 10
)",
                                     {{"limit", "42"}});
  const ledger events = make_ledger(explain_events);
  const household_explanation x = explain_id(rules, events, "HH42", "2024-03-14");
  ASSERT_EQ(x.rules.size(), 3u);
  EXPECT_EQ(pairs(x.rules[0].readings),
            (readings{{"arrears_days", "42"},
                      {"30d", "30"},
                      {"arrears_days >\n         30d", "true"},
                      {"balance", "400.00"},
                      {"balance_at(1m)", "500.00"},
                      {"balance - balance_at(1m)", "-100.00"},
                      {"(balance - balance_at(1m)) / 2", "-50.00"},
                      {"(balance - balance_at(1m)) / 2 > 0", "false"}}));
  EXPECT_FALSE(x.rules[0].fired);
  // The same comparison written twice is read once.
  EXPECT_EQ(pairs(x.rules[1].readings), (readings{{"arrears", "400.00"},
                                                  {"arrears > 100", "true"},
                                                  {"arrears_days", "42"},
                                                  {"arrears_days > 5", "true"}}));
  EXPECT_TRUE(x.rules[1].fired);
  // A param shows its effective (overridden) value.
  EXPECT_EQ(pairs(x.rules[2].readings),
            (readings{{"arrears_days", "42"}, {"limit", "42"}, {"arrears_days >= limit", "true"}}));
  EXPECT_TRUE(x.rules[2].fired);
}

TEST(explain, no_reading_repeats_within_a_rule) {
  const ruleset rules = must_compile(explain_rules);
  const ledger events = make_ledger(explain_events);
  for (const char* id : {"HH42", "HH43"}) {
    const household_explanation x = explain_id(rules, events, id, "2024-03-14");
    for (const rule_explanation& r : x.rules) {
      std::set<std::string> seen;
      for (const reading& g : r.readings)
        EXPECT_TRUE(seen.insert(g.expression).second)
            << id << " " << r.rule << ": " << g.expression;
    }
  }
}

TEST(explain, a_household_that_does_not_exist_yet_has_no_evaluated_rules) {
  const ruleset rules = must_compile(explain_rules);
  const ledger events = make_ledger(explain_events);
  const household_explanation x = explain_id(rules, events, "HH99", "2024-03-14");
  EXPECT_EQ(x.household_id, "HH99");
  EXPECT_FALSE(x.exists);
  ASSERT_EQ(x.rules.size(), 4u);
  for (const rule_explanation& r : x.rules) {
    EXPECT_FALSE(r.fired) << r.rule;
    EXPECT_TRUE(r.readings.empty()) << r.rule;
    EXPECT_EQ(r.message, "") << r.rule;
    EXPECT_FALSE(r.score.has_value()) << r.rule;
  }
  // The rules are still listed, with their conditions as written.
  EXPECT_EQ(x.rules[1].rule, "never_paid");
  EXPECT_EQ(x.rules[1].when, "missing(days_since(payment)) or days_since(payment) > 45");
  EXPECT_EQ(pairs(x.signals), (readings{{"balance", "0.00"},
                                        {"arrears", "0.00"},
                                        {"arrears_days", "0"},
                                        {"tenure_days", "0"},
                                        {"plan_active", "false"},
                                        {"plan_breached", "false"},
                                        {"plan_shortfall", "n/a"}}));
  // On its first date it exists.
  EXPECT_TRUE(explain_id(rules, events, "HH99", "2024-04-01").exists);
}

TEST(explain, built_in_signals_block) {
  const ruleset rules = must_compile(explain_rules);
  const ledger events = make_ledger(explain_events);
  EXPECT_EQ(pairs(explain_id(rules, events, "HH42", "2024-03-14").signals),
            (readings{{"balance", "400.00"},
                      {"arrears", "400.00"},
                      {"arrears_days", "42"},
                      {"tenure_days", "42"},
                      {"plan_active", "true"},
                      {"plan_breached", "false"},
                      {"plan_shortfall", "0.00"}}));
  // As of 2024-03-20 one month of the plan is completed: allowed 400.00 − 50.00 = 350.00 <
  // 400.00 → breached, 50.00 short. arrears_days 48, tenure 48.
  EXPECT_EQ(pairs(explain_id(rules, events, "HH42", "2024-03-20").signals),
            (readings{{"balance", "400.00"},
                      {"arrears", "400.00"},
                      {"arrears_days", "48"},
                      {"tenure_days", "48"},
                      {"plan_active", "true"},
                      {"plan_breached", "true"},
                      {"plan_shortfall", "50.00"}}));
  // A prepaid household: negative balance, no arrears.
  const ledger prepaid = make_ledger({{"P", "2024-01-01", "payment", 12345}});
  EXPECT_EQ(pairs(explain_id(rules, prepaid, "P", "2024-01-31").signals),
            (readings{{"balance", "-123.45"},
                      {"arrears", "0.00"},
                      {"arrears_days", "0"},
                      {"tenure_days", "30"},
                      {"plan_active", "false"},
                      {"plan_breached", "false"},
                      {"plan_shortfall", "n/a"}}));
}

TEST(explain, custom_types_count_in_the_signals_block) {
  // With `event clawback increases`, a 70.00 clawback is owed.
  const ruleset rules = must_compile("event clawback increases\nrule r { when balance > 0 }\n");
  const ledger events = make_ledger({{"C", "2024-03-01", "clawback", 7000}});
  const household_explanation x = explain_id(rules, events, "C", "2024-03-11");
  ASSERT_EQ(x.signals.size(), 7u);
  EXPECT_EQ(pairs(x.signals)[0], std::make_pair(std::string("balance"), std::string("70.00")));
  EXPECT_EQ(pairs(x.signals)[2], std::make_pair(std::string("arrears_days"), std::string("10")));
  EXPECT_TRUE(x.rules[0].fired);
}

// ---------------------------------------------------------------------------------------------
// Agreement with evaluate()

ledger random_ledger(std::size_t households, std::uint32_t seed) {
  std::mt19937 rng(seed);
  auto below = [&](std::uint32_t n) { return static_cast<std::int32_t>(rng() % n); };
  ledger_builder builder;
  const day first = date("2022-06-01"), last = date("2024-06-30");
  for (std::size_t i = 0; i < households; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "R%05zu", (i * 7919) % households);
    const day start = first + below(760);
    const cents rent = 30000 + below(50000);
    const int behaviour = below(4);
    for (int m = 0; m < 30; ++m) {
      const day due = add_months(start, m);
      if (due > last) break;
      builder.add(id, due, "charge", rent);
      const bool pays = behaviour == 0 || (behaviour == 1 && below(2) == 0) ||
                        (behaviour == 2 && m < 6) || behaviour == 3;
      if (pays)
        builder.add(id, due + below(behaviour == 1 ? 60 : 12), "payment",
                    behaviour == 3 ? rent / (1 + below(2)) : rent);
      if (below(9) == 0) builder.add(id, due + below(15), "credit", below(25000));
      if (below(25) == 0) builder.add(id, due + below(15), "plan", below(3) * 8000);
      if (below(10) == 0) builder.add(id, due + below(20), "contact", 0);
      if (below(30) == 0) builder.add(id, due, "refund", below(10000));
    }
  }
  return std::move(builder).build();
}

constexpr const char* agreement_rules = R"(
ruleset "agreement" version 1
event refund decreases
param grace = 20
param big = 1500
param window = 3m

rule late { when arrears_days > grace and arrears >= 100 severity low score arrears_days
            message "late {arrears_days} {arrears}" }
rule unpaid { when missing(days_since(payment)) or days_since(payment) > 2 * grace
              score days_since(payment) message "unpaid {days_since(payment)} {last(payment)}" }
rule rising { when trend(arrears, 4m) > 0 and arrears > big / 2 severity high
              score trend(arrears, 4m) message "rising {trend(arrears, 4m)}" }
rule plan_trouble { when plan_breached or (plan_active and sum(payment, window) < last(plan))
                    severity high score trend(arrears, 4m) * (arrears / last(charge)) }
rule low_credit { when not (avg(credit, 1y) > 50) and count(credit) > 0 severity info }
rule urgent { when late and (rising or plan_trouble) and count(contact, 60d) == 0
              severity critical score arrears message "urgent {arrears / max(charge, 6m)}" }
rule spread { when max(payment, 6m) - min(payment, 6m) > 0 and balance > balance_at(2m) }
)";

TEST(explain, verdicts_scores_and_messages_equal_the_worklist_for_every_household) {
  const ledger events = random_ledger(700, 4242);
  std::mt19937 rng(17);
  for (int round = 0; round < 4; ++round) {
    const param_overrides overrides = {{"grace", std::to_string(5 + rng() % 40)},
                                       {"big", std::to_string(500 + rng() % 3000)}};
    const ruleset rules = must_compile(agreement_rules, overrides);
    const day as_of = date("2023-03-01") + static_cast<day>(rng() % 480);
    SCOPED_TRACE("as of " + format_date(as_of) + ", grace " + overrides[0].second + ", big " +
                 overrides[1].second);
    evaluation_options options;
    options.threads = 2;
    const worklist w = evaluate(rules, events, as_of, options);
    std::map<std::pair<std::string, std::string>, const worklist_row*> listed;
    for (const worklist_row& r : w.rows) listed[{r.household_id, r.rule_name}] = &r;
    std::size_t fired = 0;
    for (household_index h = 0; h < events.household_count(); ++h) {
      const household_explanation x = explain(rules, events, h, as_of);
      const bool exists = events.events(h).dates.front() <= as_of;
      EXPECT_EQ(x.exists, exists) << x.household_id;
      ASSERT_EQ(x.rules.size(), rules.rules.size());
      for (const rule_explanation& r : x.rules) {
        const auto it = listed.find({x.household_id, r.rule});
        EXPECT_EQ(r.fired, it != listed.end()) << x.household_id << " " << r.rule;
        if (!r.fired || it == listed.end()) continue;
        ++fired;
        EXPECT_EQ(r.message, it->second->message) << x.household_id << " " << r.rule;
        EXPECT_EQ(r.score.has_value(), it->second->score.has_value());
        if (r.score && it->second->score) {
          EXPECT_EQ(compare(r.score, it->second->score), 0) << x.household_id << " " << r.rule;
        }
        EXPECT_EQ(r.level, it->second->level);
        // A fired rule's condition always reads something.
        EXPECT_FALSE(r.readings.empty()) << x.household_id << " " << r.rule;
      }
    }
    EXPECT_EQ(fired, w.rows.size());
    EXPECT_GT(w.rows.size(), 100u);
    std::set<std::string> rules_seen;
    for (const worklist_row& r : w.rows) rules_seen.insert(r.rule_name);
    EXPECT_GE(rules_seen.size(), 5u);
  }
}

}  // namespace
}  // namespace earlywarn
