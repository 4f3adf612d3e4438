// Batch evaluation (docs/language.md, Outputs): the worklist's order and contents, its CSV and JSON
// forms, the summary by household, determinism across thread counts, progress reporting, and the
// semantics of rules evaluated over whole ledgers (rule references, no value, durations).
#include "earlywarn/evaluation/evaluate.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "earlywarn/evaluation/worklist.hpp"
#include "earlywarn/loading/load_rules.hpp"
#include "earlywarn/model/ledger.hpp"
#include "support.hpp"

namespace earlywarn {
namespace {

using testing::date;

using testing::must_compile;

evaluation_options on_threads(unsigned threads) {
  evaluation_options options;
  options.threads = threads;
  return options;
}

using testing::event;
using testing::make_ledger;

/// The fired (household, rule) pairs of a worklist, in worklist order.
std::vector<std::pair<std::string, std::string>> pairs_of(const worklist& w) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const worklist_row& r : w.rows) out.emplace_back(r.household_id, r.rule_name);
  return out;
}

using pair_list = std::vector<std::pair<std::string, std::string>>;

/// A ledger of `households` households over 2022–2024 with rent, full and partial payments,
/// credits, plans, contacts, letters and a custom `clawback` type; ids added in shuffled order.
/// Some households start after 2024-03-31.
ledger random_ledger(std::size_t households, std::uint32_t seed) {
  std::mt19937 rng(seed);
  auto below = [&](std::uint32_t n) { return static_cast<std::int32_t>(rng() % n); };
  std::vector<std::size_t> order(households);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::shuffle(order.begin(), order.end(), rng);
  ledger_builder builder;
  const day first = date("2022-01-01"), last = date("2024-06-30");
  for (const std::size_t i : order) {
    char id[32];
    std::snprintf(id, sizeof id, "HH%07zu", i);
    const day start = first + below(900);
    const cents rent = 40000 + below(60000);
    const int behaviour = below(4);  // 0 pays, 1 pays late, 2 pays part, 3 stops paying
    for (int m = 0; m < 40; ++m) {
      const day due = add_months(start, m);
      if (due > last) break;
      builder.add(id, due, "charge", rent);
      if (below(3) == 0) builder.add(id, due, "charge", 1000 + below(5000));  // service charge
      const bool pays = behaviour == 0 || (behaviour == 1 && below(3) != 0) || behaviour == 2 ||
                        (behaviour == 3 && m < 8);
      if (pays)
        builder.add(id, due + below(behaviour == 1 ? 50 : 10), "payment",
                    behaviour == 2 ? rent / (1 + below(3)) : rent);
      if (below(8) == 0) builder.add(id, due + below(20), "credit", below(20000));
      if (below(30) == 0) builder.add(id, due + below(20), "plan", below(3) * 10000);
      if (below(12) == 0) builder.add(id, due + below(25), "contact", 0);
      if (below(20) == 0) builder.add(id, due + below(25), "letter", 0);
      if (below(40) == 0) builder.add(id, due, "clawback", below(30000));
    }
  }
  return std::move(builder).build();
}

constexpr const char* random_rules = R"(
ruleset "random" version 3
event clawback increases
param grace_days = 15
param money = 250

rule late_rent {
  when arrears_days > grace_days and arrears >= 100
  severity low
  score arrears_days
  message "Rent unpaid for {arrears_days} days, owing {arrears}"
}
rule no_payment {
  when missing(days_since(payment)) or days_since(payment) > 45
  severity medium
  score days_since(payment)
  message "No payment for {days_since(payment)} days, last {last(payment)}"
}
rule growing {
  when trend(balance, 6m) > 100
  severity high
  score arrears
  message "Debt grows by {trend(balance, 6m)} a month; ratio {arrears / last(charge)}"
}
rule broken_plan {
  when plan_breached
  severity high
  score arrears / 3
  message "Plan of {last(plan)} broken, {plan_active}"
}
rule escalate {
  when late_rent and (growing or broken_plan) and count(contact, 90d) == 0
  severity critical
  score arrears
  message "Several signals, avg payment {avg(payment, 3m)}, max {max(credit, 1y)}"
}
rule quiet {
  when arrears > money and not late_rent
  severity info
  message "owes {arrears} but recently {balance_at(1m)} {sum(clawback)}"
}
)";

// ---------------------------------------------------------------------------------------------
// Order

// Four households as of 2024-03-31:
//   HA: charged 200.00 on 03-01, paid 100.00 on 03-11 → arrears 100.00, paid 20 days ago
//   HB: the same as HA
//   HC: charged 400.00, paid 100.00 on 03-21 → arrears 300.00, paid 10 days ago
//   HD: charged 50.00, never paid
//   HE: first event on 2024-04-01 → does not exist yet
const std::vector<event> order_events = {
    {"HE", "2024-04-01", "charge", 99900},  {"HD", "2024-03-01", "charge", 5000},
    {"HC", "2024-03-21", "payment", 10000}, {"HC", "2024-03-01", "charge", 40000},
    {"HB", "2024-03-01", "charge", 20000},  {"HB", "2024-03-11", "payment", 10000},
    {"HA", "2024-03-01", "charge", 20000},  {"HA", "2024-03-11", "payment", 10000},
};

// tie_b is declared before tie_a: ties are broken by rule name, not file order.
constexpr const char* order_rules = R"(
ruleset "order" version 2
rule zz_crit {
  when arrears >= 100
  severity critical
  score arrears
  message "owes {arrears}"
}
rule since {
  when arrears > 0
  severity high
  score days_since(payment) - 100
  message "last paid {days_since(payment)} days ago"
}
rule tie_b { when arrears > 0 score 7 }
rule tie_a { when arrears > 0 score 7 }
rule note { when arrears > 0 severity info }
)";

TEST(worklist_order, severity_then_score_with_no_value_last_then_household_then_rule) {
  const ledger events = make_ledger(order_events);
  const ruleset rules = must_compile(order_rules);
  const worklist w = evaluate(rules, events, date("2024-03-31"), on_threads(1));
  // critical: 300.00 before 100.00; HA and HB tie on 100.00 → by id.
  // high: scores −80 (HA, HB), −90 (HC), no value (HD) last, after every number.
  // medium: all 7 → by household, then tie_a before tie_b.
  EXPECT_EQ(worklist_csv(w),
            "household,rule,severity,score,message\n"
            "HC,zz_crit,critical,300.00,owes 300.00\n"
            "HA,zz_crit,critical,100.00,owes 100.00\n"
            "HB,zz_crit,critical,100.00,owes 100.00\n"
            "HA,since,high,-80,last paid 20 days ago\n"
            "HB,since,high,-80,last paid 20 days ago\n"
            "HC,since,high,-90,last paid 10 days ago\n"
            "HD,since,high,,last paid n/a days ago\n"
            "HA,tie_a,medium,7,\n"
            "HA,tie_b,medium,7,\n"
            "HB,tie_a,medium,7,\n"
            "HB,tie_b,medium,7,\n"
            "HC,tie_a,medium,7,\n"
            "HC,tie_b,medium,7,\n"
            "HD,tie_a,medium,7,\n"
            "HD,tie_b,medium,7,\n"
            "HA,note,info,0,\n"
            "HB,note,info,0,\n"
            "HC,note,info,0,\n"
            "HD,note,info,0,\n");
  EXPECT_EQ(w.as_of, date("2024-03-31"));
  EXPECT_EQ(w.ruleset_name, "order");
  EXPECT_EQ(w.ruleset_version, 2);
  EXPECT_EQ(w.fingerprint, rules.fingerprint);
  ASSERT_EQ(w.rows.size(), 19u);
  EXPECT_EQ(w.rows[0].household, *events.find_household("HC"));
  EXPECT_EQ(w.rows[0].rule, *rules.find_rule("zz_crit"));
  EXPECT_EQ(w.rows[0].level, severity::critical);
  EXPECT_FALSE(w.rows[6].score.has_value());
}

TEST(worklist_order, an_as_of_date_outside_the_calendar_is_api_misuse) {
  const ledger events = make_ledger(order_events);
  const ruleset rules = must_compile("rule always { when tenure_days >= 0 }\n");
  EXPECT_THROW(evaluate(rules, events, INT32_MAX, on_threads(1)), std::invalid_argument);
  EXPECT_THROW(evaluate(rules, events, date("0001-01-01") - 1, on_threads(1)),
               std::invalid_argument);
  EXPECT_EQ(evaluate(rules, events, date("9999-12-31"), on_threads(1)).rows.size(), 5u);
}

TEST(worklist_order, households_without_events_up_to_the_as_of_date_are_absent) {
  const ledger events = make_ledger(order_events);
  const ruleset rules = must_compile("rule always { when tenure_days >= 0 }\n");
  const worklist before = evaluate(rules, events, date("2024-03-31"), on_threads(1));
  EXPECT_EQ(pairs_of(before),
            (pair_list{{"HA", "always"}, {"HB", "always"}, {"HC", "always"}, {"HD", "always"}}));
  // On HE's first date it exists and appears (tenure 0 ≥ 0).
  const worklist on = evaluate(rules, events, date("2024-04-01"), on_threads(1));
  EXPECT_EQ(on.rows.size(), 5u);
  EXPECT_EQ(on.rows.back().household_id, "HE");
  // Before every event nobody exists, even for a rule that holds for everyone.
  const ruleset negated = must_compile("rule none_yet { when not (tenure_days > 0) }\n");
  EXPECT_TRUE(evaluate(negated, events, date("2024-02-29"), on_threads(1)).rows.empty());
}

TEST(worklist_order, worklist_before_is_a_total_order_on_rows) {
  worklist_row a, b;
  a.household_id = b.household_id = "H";
  a.rule_name = "a";
  b.rule_name = "b";
  a.level = b.level = severity::low;
  a.score = value::money(500);
  b.score = value::integer(5);  // 5 == 5.00: equal scores in different units
  EXPECT_TRUE(worklist_before(a, b));
  EXPECT_FALSE(worklist_before(b, a));
  b.score = value();  // no value sorts after any number, even a negative one
  a.score = value::integer(-1000000);
  EXPECT_TRUE(worklist_before(a, b));
  EXPECT_FALSE(worklist_before(b, a));
  a.score = value();
  EXPECT_TRUE(worklist_before(a, b));  // both no value: rule name decides
  EXPECT_FALSE(worklist_before(a, a));
}

// ---------------------------------------------------------------------------------------------
// Summary by household

TEST(summary, by_household_takes_its_top_row_s_severity_score_and_message_never_a_total) {
  const ledger events = make_ledger(order_events);
  const worklist w = evaluate(must_compile(order_rules), events, date("2024-03-31"), on_threads(1));
  const std::vector<household_summary> s = summarize_by_household(w);
  // Top rows: HC zz_crit 300.00, HA and HB zz_crit 100.00 (tied, by id), HD
  // since (high, no value). Scores of different rules are never added.
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[0].household_id, "HC");
  EXPECT_EQ(s[1].household_id, "HA");
  EXPECT_EQ(s[2].household_id, "HB");
  EXPECT_EQ(s[3].household_id, "HD");
  EXPECT_EQ(s[0].level, severity::critical);
  EXPECT_EQ(s[3].level, severity::high);
  EXPECT_EQ(compare(s[0].score, value::money(30000)), 0) << s[0].score.to_string();
  EXPECT_EQ(compare(s[1].score, value::money(10000)), 0) << s[1].score.to_string();
  EXPECT_FALSE(s[3].score.has_value()) << s[3].score.to_string();
  EXPECT_EQ(s[0].rules, (std::vector<std::string>{"zz_crit", "since", "tie_a", "tie_b", "note"}));
  EXPECT_EQ(s[3].rules, (std::vector<std::string>{"since", "tie_a", "tie_b", "note"}));
  EXPECT_EQ(s[0].message, "owes 300.00");
  EXPECT_EQ(s[3].message, "last paid n/a days ago");
  EXPECT_EQ(households_csv(s),
            "household,severity,score,rules,message\n"
            "HC,critical,300.00,zz_crit;since;tie_a;tie_b;note,owes 300.00\n"
            "HA,critical,100.00,zz_crit;since;tie_a;tie_b;note,owes 100.00\n"
            "HB,critical,100.00,zz_crit;since;tie_a;tie_b;note,owes 100.00\n"
            "HD,high,,since;tie_a;tie_b;note,last paid n/a days ago\n");
}

TEST(summary, a_lower_score_with_a_higher_severity_comes_first) {
  // HX fires only the critical rule (score 1); HY fires the high rule with a large score.
  const ledger events = make_ledger({{"HX", "2024-03-01", "charge", 100},
                                     {"HY", "2024-03-01", "charge", 900000},
                                     {"HY", "2024-03-01", "letter", 0}});
  const ruleset rules = must_compile(R"(
rule crit { when arrears < 10 severity critical score 1 message "small" }
rule big { when arrears >= 10 severity high score arrears message "big {arrears}" }
rule big_too { when count(letter) > 0 severity low score 0.5 }
)");
  const worklist w = evaluate(rules, events, date("2024-03-31"), on_threads(1));
  const std::vector<household_summary> s = summarize_by_household(w);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].household_id, "HX");
  EXPECT_EQ(s[1].household_id, "HY");
  EXPECT_EQ(s[1].rules, (std::vector<std::string>{"big", "big_too"}));
  // The top row's score alone: 9000.00, not 9000.00 + 0.5.
  EXPECT_EQ(compare(s[1].score, value::money(900000)), 0) << s[1].score.to_string();
  EXPECT_EQ(s[1].message, "big 9000.00");
  // The shape of worklist_json(): the date and ruleset, then the rows.
  EXPECT_EQ(households_json(w, s),
            "{\"as_of\":\"2024-03-31\",\"ruleset\":\"" + w.ruleset_name + "\",\"version\":" +
                std::to_string(w.ruleset_version) + ",\"fingerprint\":\"" + w.fingerprint +
                "\",\"rows\":[\n"
                "{\"household\":\"HX\",\"severity\":\"critical\",\"score\":1,\"rules\":[\"crit\"],"
                "\"message\":\"small\"},\n"
                "{\"household\":\"HY\",\"severity\":\"high\",\"score\":9000.00,\"rules\":[\"big\","
                "\"big_too\"],\"message\":\"big 9000.00\"}\n"
                "]}\n");
}

// ---------------------------------------------------------------------------------------------
// Determinism and progress

TEST(determinism, the_same_bytes_for_any_thread_count) {
  const ledger events = random_ledger(5000, 20240331);
  ASSERT_EQ(events.household_count(), 5000u);
  const ruleset rules = must_compile(random_rules);
  const day as_of = date("2024-03-31");
  const worklist one = evaluate(rules, events, as_of, on_threads(1));
  const std::string csv = worklist_csv(one);
  const std::string json = worklist_json(one);
  const std::string by_household = households_csv(summarize_by_household(one));
  // The ledger is meant to make every rule fire for many households.
  std::map<std::string, int> per_rule;
  for (const worklist_row& r : one.rows) ++per_rule[r.rule_name];
  for (const rule& r : rules.rules) EXPECT_GT(per_rule[r.name], 10) << r.name;
  EXPECT_TRUE(std::is_sorted(one.rows.begin(), one.rows.end(), worklist_before));
  for (const unsigned threads : {2u, 3u, 8u}) {
    const worklist w = evaluate(rules, events, as_of, on_threads(threads));
    EXPECT_EQ(worklist_csv(w), csv) << threads << " threads";
    EXPECT_EQ(worklist_json(w), json) << threads << " threads";
    EXPECT_EQ(households_csv(summarize_by_household(w)), by_household) << threads << " threads";
  }
  // Every (household, rule) pair at most once.
  std::set<std::pair<std::string, std::string>> seen;
  for (const worklist_row& r : one.rows)
    EXPECT_TRUE(seen.emplace(r.household_id, r.rule_name).second) << r.household_id;
}

TEST(determinism, the_worklist_equals_rule_by_rule_evaluation_of_each_household) {
  const ledger events = random_ledger(1200, 7);
  const ruleset rules = must_compile(random_rules);
  const day as_of = date("2024-01-15");
  std::vector<worklist_row> expected;
  const bound_ruleset bound(rules, events);
  for (household_index h = 0; h < events.household_count(); ++h) {
    household_evaluator e(bound);  // a fresh evaluator per household
    e.start(h, as_of);
    if (!e.exists()) continue;
    for (std::uint32_t r = 0; r < rules.rules.size(); ++r) {
      if (!e.fired(r)) continue;
      worklist_row row;
      row.household_id = std::string(events.household_id(h));
      row.rule_name = rules.rules[r].name;
      row.level = rules.rules[r].level;
      row.score = e.score(r);
      row.message = e.message(r);
      expected.push_back(std::move(row));
    }
  }
  sort_worklist(expected);
  worklist want;
  want.rows = std::move(expected);
  EXPECT_EQ(worklist_csv(evaluate(rules, events, as_of, on_threads(3))), worklist_csv(want));
}

TEST(progress, reaches_total_of_total_and_never_goes_back) {
  const ledger events = random_ledger(3000, 99);
  const ruleset rules = must_compile(random_rules);
  for (const unsigned threads : {1u, 4u}) {
    std::vector<std::pair<std::size_t, std::size_t>> calls;
    evaluation_options options;
    options.threads = threads;
    options.progress = [&](std::size_t done, std::size_t total) {
      calls.emplace_back(done, total);
    };
    (void)evaluate(rules, events, date("2024-03-31"), options);
    ASSERT_FALSE(calls.empty()) << threads << " threads";
    EXPECT_EQ(calls.back(), std::make_pair(std::size_t{3000}, std::size_t{3000}))
        << threads << " threads";
    for (std::size_t i = 0; i < calls.size(); ++i) {
      EXPECT_EQ(calls[i].second, 3000u);
      EXPECT_LE(calls[i].first, 3000u);
      if (i > 0) {
        EXPECT_GE(calls[i].first, calls[i - 1].first) << threads << " threads";
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Messages, CSV and JSON

TEST(messages, interpolate_money_days_fractions_no_value_and_conditions) {
  // HM as of 2024-03-31: charges 100.00 (01-01, 02-01, 03-01) and 50.00 (03-01), never paid.
  //   arrears 350.00; arrears_days 31 + 29 + 30 = 90; 90 / 7 = 12.857… → 12.86;
  //   count(charge) = 4: 4 / 3 → 1.33, 4 / 2 → 2; avg(charge) = 350.00 / 4 = 87.50;
  //   last(charge) = 150.00 (both of 03-01), × 2 = 300.00; days_since(payment) → n/a.
  // HN: paid 0.05 in advance → balance −0.05, half of it −0.025 → −0.03 (half away from 0).
  const ledger events = make_ledger({{"HM", "2024-01-01", "charge", 10000},
                                     {"HM", "2024-02-01", "charge", 10000},
                                     {"HM", "2024-03-01", "charge", 10000},
                                     {"HM", "2024-03-01", "charge", 5000},
                                     {"HN", "2024-03-01", "payment", 5}});
  const ruleset rules = must_compile(R"(
rule owing {
  when arrears > 0
  message "owing {arrears}; {arrears_days} days; {arrears_days / 7} weeks; {count(charge) / 3} thirds; {count(charge) / 2} halves; paid {days_since(payment)} ago; avg {avg(charge)}; twice {last(charge) * 2}; plan {plan_active}; big {arrears > 300}; {{literal}}"
}
rule in_credit {
  when balance < 0
  message "credit {balance}, half {balance / 2}, {arrears}"
}
)");
  const worklist w = evaluate(rules, events, date("2024-03-31"), on_threads(1));
  ASSERT_EQ(w.rows.size(), 2u);
  EXPECT_EQ(w.rows[0].message,
            "owing 350.00; 90 days; 12.86 weeks; 1.33 thirds; 2 halves; paid n/a ago; avg 87.50; "
            "twice 300.00; plan false; big true; {literal}");
  EXPECT_EQ(w.rows[1].message, "credit -0.05, half -0.03, 0.00");
}

TEST(messages, csv_quotes_fields_with_commas_quotes_and_newlines) {
  // Household ids may hold any byte; the message holds a comma and quotes.
  const ledger events = make_ledger({{"HH 7, flat \"B\"", "2024-03-01", "charge", 10000},
                                     {"HH\n8", "2024-03-01", "charge", 10000},
                                     {"HH9", "2024-03-01", "charge", 10000}});
  const ruleset rules = must_compile(R"(
rule quoted { when arrears > 0 and count(letter) == 0 message "Owes {arrears}, call \"soon\"" }
rule plain { when arrears > 0 severity low message "Owes {arrears}" }
)");
  const worklist w = evaluate(rules, events, date("2024-03-31"), on_threads(2));
  // Ids sort bytewise: "HH\n8" (0x0A) < "HH 7…" (0x20) < "HH9".
  EXPECT_EQ(worklist_csv(w),
            "household,rule,severity,score,message\n"
            "\"HH\n8\",quoted,medium,0,\"Owes 100.00, call \"\"soon\"\"\"\n"
            "\"HH 7, flat \"\"B\"\"\",quoted,medium,0,\"Owes 100.00, call \"\"soon\"\"\"\n"
            "HH9,quoted,medium,0,\"Owes 100.00, call \"\"soon\"\"\"\n"
            "\"HH\n8\",plain,low,0,Owes 100.00\n"
            "\"HH 7, flat \"\"B\"\"\",plain,low,0,Owes 100.00\n"
            "HH9,plain,low,0,Owes 100.00\n");
}

TEST(messages, csv_quotes_a_message_with_a_line_break) {
  worklist w;
  worklist_row row;
  row.household_id = "H1";
  row.rule_name = "r";
  row.level = severity::high;
  row.score = value::fraction(4, 3, unit::number);
  row.message = "line one\nline two";
  w.rows.push_back(row);
  row.message = "carriage\rreturn";
  row.score = value();
  w.rows.push_back(row);
  EXPECT_EQ(worklist_csv(w),
            "household,rule,severity,score,message\n"
            "H1,r,high,1.33,\"line one\nline two\"\n"
            "H1,r,high,,\"carriage\rreturn\"\n");
}

TEST(messages, json_escapes_quotes_backslashes_and_control_characters) {
  // The rules text escapes \" and \\; the message also holds a literal tab.
  const ledger events = make_ledger({{"HJ", "2024-03-01", "charge", 10000}});
  const ruleset rules = must_compile(
      "ruleset \"json \\\"test\\\"\" version 9\n"
      "rule esc { when arrears > 0 score days_since(payment) message \"path C:\\\\dir "
      "\\\"x\\\" {arrears}\tend\" }\n"
      "rule half { when arrears > 0 score 5 / 2 message \"ok\" }\n");
  ASSERT_EQ(rules.name, "json \"test\"");
  const worklist w = evaluate(rules, events, date("2024-03-31"), on_threads(1));
  ASSERT_EQ(w.rows.size(), 2u);
  EXPECT_EQ(w.rows[1].message, "path C:\\dir \"x\" 100.00\tend");
  EXPECT_EQ(worklist_json(w),
            "{\"as_of\":\"2024-03-31\",\"ruleset\":\"json \\\"test\\\"\",\"version\":9,"
            "\"fingerprint\":\"" +
                rules.fingerprint +
                "\",\"rows\":[\n"
                "{\"household\":\"HJ\",\"rule\":\"half\",\"severity\":\"medium\",\"score\":2.50,"
                "\"message\":\"ok\"},\n"
                "{\"household\":\"HJ\",\"rule\":\"esc\",\"severity\":\"medium\",\"score\":null,"
                "\"message\":\"path C:\\\\dir \\\"x\\\" 100.00\\tend\"}\n"
                "]}\n");
}

TEST(messages, json_escapes_every_control_character_as_unicode) {
  worklist w;
  w.as_of = date("2024-01-02");
  w.ruleset_name = "r";
  w.ruleset_version = 1;
  w.fingerprint = "abc";
  worklist_row row;
  row.household_id = std::string(
      "A\x01"
      "B\x1f",
      4);
  row.rule_name = "rule";
  row.level = severity::info;
  row.score = value::money(-150);
  row.message = std::string("nl\ncr\rtab\tbs\bff\fnul") + std::string(1, '\0') + "\x7f";
  w.rows.push_back(row);
  EXPECT_EQ(worklist_json(w),
            "{\"as_of\":\"2024-01-02\",\"ruleset\":\"r\",\"version\":1,\"fingerprint\":\"abc\","
            "\"rows\":[\n"
            "{\"household\":\"A\\u0001B\\u001f\",\"rule\":\"rule\",\"severity\":\"info\","
            "\"score\":-1.50,\"message\":\"nl\\ncr\\rtab\\tbs\\u0008ff\\u000cnul\\u0000\x7f\"}\n"
            "]}\n");
  // An empty worklist is still a complete document.
  w.rows.clear();
  EXPECT_EQ(worklist_json(w),
            "{\"as_of\":\"2024-01-02\",\"ruleset\":\"r\",\"version\":1,\"fingerprint\":\"abc\","
            "\"rows\":[\n]}\n");
}

// ---------------------------------------------------------------------------------------------
// Rule semantics over a ledger

TEST(rule_semantics, rules_refer_to_rules_that_fired_or_did_not) {
  // HS owes 500.00, HL owes 2000.00.
  const ledger events =
      make_ledger({{"HS", "2024-03-01", "charge", 50000}, {"HL", "2024-03-01", "charge", 200000}});
  const ruleset rules = must_compile(R"(
rule derived { when not base and arrears > 0 }
rule both { when base and arrears > 0 }
rule base { when arrears > 1000 }
rule neither { when not base and not derived }
rule same { when base == both }
)");
  const worklist w = evaluate(rules, events, date("2024-03-31"), on_threads(1));
  std::set<std::pair<std::string, std::string>> fired;
  for (const worklist_row& r : w.rows) fired.emplace(r.household_id, r.rule_name);
  EXPECT_EQ(
      fired,
      (std::set<std::pair<std::string, std::string>>{
          {"HL", "base"}, {"HL", "both"}, {"HL", "same"}, {"HS", "derived"}, {"HS", "same"}}));
}

TEST(rule_semantics, division_by_zero_is_no_value_and_every_comparison_with_it_is_false) {
  // HP: arrears 100.00 and a 50.00 payment in the last 30 days → ratio 2.
  // HQ: arrears 100.00, never paid → sum(payment, 30d) = 0 → the ratio has no value.
  const ledger events = make_ledger({{"HP", "2024-03-01", "charge", 15000},
                                     {"HP", "2024-03-20", "payment", 5000},
                                     {"HQ", "2024-03-01", "charge", 10000}});
  const ruleset rules = must_compile(R"(
rule gt { when arrears / sum(payment, 30d) > 1 }
rule le { when arrears / sum(payment, 30d) <= 1 }
rule eq { when arrears / sum(payment, 30d) == 2 }
rule ne { when arrears / sum(payment, 30d) != 2 }
rule by_zero { when arrears / 0 != 5 or arrears / 0 == 5 }
rule no_ratio { when missing(arrears / sum(payment, 30d)) }
rule not_gt { when not (arrears / sum(payment, 30d) > 1) }
rule arithmetic { when arrears / sum(payment, 30d) + 1 - 1 < 1000000 }
rule message_na { when missing(arrears / 0) message "ratio {arrears / 0}" }
)");
  const worklist w = evaluate(rules, events, date("2024-03-31"), on_threads(1));
  std::set<std::pair<std::string, std::string>> fired;
  for (const worklist_row& r : w.rows) fired.emplace(r.household_id, r.rule_name);
  EXPECT_EQ(fired, (std::set<std::pair<std::string, std::string>>{{"HP", "gt"},
                                                                  {"HP", "eq"},
                                                                  {"HP", "arithmetic"},
                                                                  {"HP", "message_na"},
                                                                  {"HQ", "no_ratio"},
                                                                  {"HQ", "not_gt"},
                                                                  {"HQ", "message_na"}}));
  for (const worklist_row& r : w.rows)
    if (r.rule_name == "message_na") {
      EXPECT_EQ(r.message, "ratio n/a");
    }
}

TEST(rule_semantics, missing_is_true_exactly_when_there_is_no_value) {
  const ledger events = make_ledger({{"PAID", "2024-03-01", "charge", 10000},
                                     {"PAID", "2024-03-02", "payment", 100},
                                     {"NEVER", "2024-03-01", "charge", 10000}});
  const ruleset rules = must_compile(R"(
rule never_paid { when missing(days_since(payment)) }
rule catch_both { when missing(days_since(payment)) or days_since(payment) > 20 }
rule naive { when days_since(payment) > 20 }
rule never_missing { when missing(arrears) or missing(count(payment)) or missing(sum(credit)) }
rule no_avg { when missing(avg(credit)) }
)");
  const worklist w = evaluate(rules, events, date("2024-03-31"), on_threads(1));
  std::set<std::pair<std::string, std::string>> fired;
  for (const worklist_row& r : w.rows) fired.emplace(r.household_id, r.rule_name);
  // PAID last paid 29 days ago: catch_both and naive; NEVER only through missing().
  EXPECT_EQ(fired, (std::set<std::pair<std::string, std::string>>{{"NEVER", "never_paid"},
                                                                  {"NEVER", "catch_both"},
                                                                  {"NEVER", "no_avg"},
                                                                  {"PAID", "catch_both"},
                                                                  {"PAID", "naive"},
                                                                  {"PAID", "no_avg"}}));
}

TEST(rule_semantics, a_month_compared_as_a_number_counts_the_days_back_to_t_minus_a_month) {
  // As of 2024-03-31, T − 1m = 2024-02-29, so 1m compares as 31 days (02-29 → 03-31).
  //   M31: charged 2024-02-29 → arrears_days 31 → fires;  M30: charged 03-01 → 30 → does not.
  // As of 2024-03-01, T − 1m = 2024-02-01: 1m is 29 days.
  //   M29: charged 2024-02-01 → 29 → fires; M28: charged 02-02 → 28 → does not.
  const ledger events = make_ledger({{"M31", "2024-02-29", "charge", 10000},
                                     {"M30", "2024-03-01", "charge", 10000},
                                     {"M29", "2024-02-01", "charge", 10000},
                                     {"M28", "2024-02-02", "charge", 10000}});
  const ruleset rules = must_compile(R"(
param long = 1m
rule a_month { when arrears_days >= 1m score 1m message "{1m} days, {long} by param" }
rule by_param { when arrears_days >= long }
)");
  const worklist end_of_march = evaluate(rules, events, date("2024-03-31"), on_threads(1));
  EXPECT_EQ(worklist_csv(end_of_march),
            "household,rule,severity,score,message\n"
            "M28,a_month,medium,31,\"31 days, 31 by param\"\n"
            "M29,a_month,medium,31,\"31 days, 31 by param\"\n"
            "M31,a_month,medium,31,\"31 days, 31 by param\"\n"
            "M28,by_param,medium,0,\n"
            "M29,by_param,medium,0,\n"
            "M31,by_param,medium,0,\n");
  const worklist first_of_march = evaluate(rules, events, date("2024-03-01"), on_threads(1));
  EXPECT_EQ(worklist_csv(first_of_march),
            "household,rule,severity,score,message\n"
            "M29,a_month,medium,29,\"29 days, 29 by param\"\n"
            "M29,by_param,medium,0,\n");
}

TEST(rule_semantics, weeks_and_years_compare_as_their_days) {
  // 2w = 14 days. As of 2024-02-29, T − 1y = 2023-02-28 → 366 days; as of 2023-06-15,
  // T − 1y = 2022-06-15 → 365 days.
  const ledger events = make_ledger({{"H", "2020-01-01", "charge", 100}});
  const ruleset rules =
      must_compile("rule r { when tenure_days > 2w score 1y message \"{2w}\" }\n");
  const worklist leap = evaluate(rules, events, date("2024-02-29"), on_threads(1));
  ASSERT_EQ(leap.rows.size(), 1u);
  EXPECT_EQ(leap.rows[0].score.to_string(), "366");
  EXPECT_EQ(leap.rows[0].message, "14");
  const worklist common = evaluate(rules, events, date("2023-06-15"), on_threads(1));
  ASSERT_EQ(common.rows.size(), 1u);
  EXPECT_EQ(common.rows[0].score.to_string(), "365");
}

TEST(rule_semantics, arithmetic_beyond_64_bits_gives_no_value) {
  // HUGE owes the largest amount a row may carry, 10^13 units = 10^15 hundredths:
  // arrears × arrears = 10^26 does not fit 64 bits even reduced → no value; × 1000 = 10^16
  // still fits. SMALL owes 100.00: its square is 10000.
  const ledger events = make_ledger(
      {{"HUGE", "2024-03-01", "charge", max_amount}, {"SMALL", "2024-03-01", "charge", 10000}});
  const ruleset rules = must_compile(R"(
rule square_missing { when missing(arrears * arrears) }
rule square_positive { when arrears * arrears > 0 }
rule thousandfold { when arrears * 1000 > 0 }
rule square_small { when arrears * arrears == 10000 }
)");
  const worklist w = evaluate(rules, events, date("2024-03-31"), on_threads(1));
  EXPECT_EQ(pairs_of(w), (pair_list{{"HUGE", "square_missing"},
                                    {"HUGE", "thousandfold"},
                                    {"SMALL", "square_positive"},
                                    {"SMALL", "square_small"},
                                    {"SMALL", "thousandfold"}}));
}

TEST(rule_semantics, exact_rationals_compare_three_months_of_rent_without_rounding) {
  // Rent 333.33 a month, three months unpaid: arrears 999.99 == 3 × last(charge) exactly, and
  // arrears / 3 == last(charge).
  const ledger events = make_ledger({{"HR", "2024-01-01", "charge", 33333},
                                     {"HR", "2024-02-01", "charge", 33333},
                                     {"HR", "2024-03-01", "charge", 33333}});
  const ruleset rules = must_compile(R"(
rule three_months { when arrears == 3 * last(charge) }
rule a_third { when arrears / 3 == last(charge) and avg(charge) * 3 == arrears }
rule not_more { when arrears > 3 * last(charge) }
rule tenth { when arrears / 10 == 99.999 }
)");
  const worklist w = evaluate(rules, events, date("2024-03-31"), on_threads(1));
  EXPECT_EQ(pairs_of(w), (pair_list{{"HR", "a_third"}, {"HR", "tenth"}, {"HR", "three_months"}}));
}

}  // namespace
}  // namespace earlywarn
