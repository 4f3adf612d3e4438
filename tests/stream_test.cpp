// The streaming engine: fed a ledger in date order and advanced day by day,
// it raises exactly the alerts of the day-by-day back-test (docs/language.md, Alerts).

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <type_traits>

#include "earlywarn.hpp"
#include "owing_rules.hpp"
#include "random_ledger.hpp"
#include "support.hpp"

namespace {

constexpr const char* rules_text = R"(
ruleset "stream-test" version 3
event clawback increases
event refund decreases
param t_days = 30
param t_money = 1000
rule late { when arrears_days > t_days  cooldown 20d  message "{arrears_days} days, {arrears}" }
rule silent { when arrears > 0 and (missing(days_since(payment)) or days_since(payment) > 45) }
rule window_weeks { when sum(payment, 6w) < t_money }
rule window_months { when count(charge, 2m) >= 3  cooldown 1m }
rule looking_back { when balance > balance_at(1m) + 100 }
rule spiral { when arrears_days > 10 and trend(balance, 4m) > 0 }
rule plan_broken { when plan_breached  cooldown 2w }
rule months_as_days { when arrears_days >= 2m }
rule chained { when late and not silent }
rule custom { when sum(clawback, 3m) > 0 or count(refund, 2m) > 0 }
rule history { when sum(credit) > t_money and tenure_days > 300 and max(payment) >= last(charge) }
rule quiet_plan { when plan_active and count(plan) >= 1 and min(payment) < 100 }
rule contact_long_ago { when days_since(contact) > 200 and arrears_days > 90 }
)";

using row = earlywarn::testing::posting;

// The ledger's events in date order, shuffled within each date.
std::vector<row> arrival_order(const earlywarn::ledger& l, std::mt19937_64& rng) {
  std::vector<row> rows = earlywarn::testing::postings_of(l);
  std::shuffle(rows.begin(), rows.end(), rng);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const row& a, const row& b) { return a.date < b.date; });
  return rows;
}

using earlywarn::testing::alerts_text;
using earlywarn::testing::owing_rules_text;

void stream_equals_backtest(const char* text, int iterations, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::size_t total = 0;
  for (int i = 0; i < iterations; ++i) {
    const auto load = earlywarn::compile_rules(
        text, "stream.rules",
        {{"t_days", std::to_string(std::uniform_int_distribution<int>(0, 90)(rng))},
         {"t_money", std::to_string(std::uniform_int_distribution<int>(0, 20000)(rng))}});
    ASSERT_TRUE(load.ok()) << load.report();
    const auto loaded = earlywarn::parse_ledger_csv(make_ledger(rng, 15).csv);
    ASSERT_TRUE(loaded.ok());
    const auto& l = loaded.events;
    const day to = *l.last_date() + 100;  // time-driven alerts after the last event too
    const auto expected = earlywarn::backtest(*load.rules, l, *l.first_date(), to);

    // A short lateness allowance folds old events into aggregates early and
    // often; the alerts must not change.
    earlywarn::stream_options options;
    options.lateness_days = i % 3 == 0 ? 92 : (i % 3 == 1 ? 0 : 5);
    earlywarn::stream_engine engine(*load.rules, options);
    std::vector<earlywarn::alert> got;
    for (const row& r : arrival_order(l, rng)) {
      // Sometimes advance day by day before the next event, as a nightly job would.
      if (engine.started() && r.date > engine.clock() + 1 && rng() % 3 == 0)
        for (day d = engine.clock(); d < r.date; ++d) engine.advance(d, got);
      EXPECT_EQ(engine.push(r.household, r.date, r.type, r.amount, r.code, got),
                earlywarn::push_result::accepted);
    }
    engine.advance(to, got);
    ASSERT_EQ(alerts_text(got, *load.rules), alerts_text(expected, *load.rules))
        << "iteration " << i;
    total += got.size();
  }
  EXPECT_GT(total, 2000u);
}

TEST(stream, equals_the_day_by_day_backtest_on_random_ledgers) {
  stream_equals_backtest(rules_text, 90, 99);
}

TEST(stream, skipping_paid_up_households_keeps_the_backtest_alerts) {
  const auto load = earlywarn::compile_rules(owing_rules_text, "owing.rules");
  ASSERT_TRUE(load.ok()) << load.report();
  ASSERT_TRUE(earlywarn::all_rules_false_when_paid_up(*load.rules));  // else nothing is skipped
  stream_equals_backtest(owing_rules_text, 40, 98);
}

earlywarn::ruleset compile(const char* text) {
  auto load = earlywarn::compile_rules(text, "r.rules");
  EXPECT_TRUE(load.ok()) << load.report();
  return std::move(*load.rules);
}

TEST(stream, a_time_driven_rule_fires_on_its_day_with_no_new_event_and_only_once) {
  const auto rules = compile("rule late { when arrears_days > 30 }");
  earlywarn::stream_engine engine(rules);
  std::vector<earlywarn::alert> out;
  EXPECT_EQ(engine.push("A", *earlywarn::parse_date("2024-01-01"), "charge", 50000, out),
            earlywarn::push_result::accepted);
  engine.advance(*earlywarn::parse_date("2024-01-31"), out);
  EXPECT_TRUE(out.empty());
  engine.advance(*earlywarn::parse_date("2024-06-30"), out);  // one jump over many days
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(earlywarn::format_date(out[0].date), "2024-02-01");
  EXPECT_EQ(out[0].state, earlywarn::alert_state::raised);
  EXPECT_EQ(engine.push("A", *earlywarn::parse_date("2024-07-02"), "payment", 50000, out),
            earlywarn::push_result::accepted);
  engine.finish(out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(earlywarn::format_date(out[1].date), "2024-07-02");
  EXPECT_EQ(out[1].state, earlywarn::alert_state::cleared);
}

TEST(stream, a_back_dated_payment_clears_as_of_the_clock) {
  const auto rules = compile("rule owing { when arrears > 0 }");
  earlywarn::stream_engine engine(rules);
  std::vector<earlywarn::alert> out;
  EXPECT_EQ(engine.push("A", *earlywarn::parse_date("2024-03-01"), "charge", 100, out),
            earlywarn::push_result::accepted);
  engine.advance(*earlywarn::parse_date("2024-03-10"), out);
  ASSERT_EQ(out.size(), 1u);  // raised on 03-01
  // Posted on the 10th with the value date of the 4th.
  EXPECT_EQ(engine.push("A", *earlywarn::parse_date("2024-03-04"), "payment", 100, out),
            earlywarn::push_result::accepted);
  engine.finish(out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(earlywarn::format_date(out[1].date), "2024-03-10");
  EXPECT_EQ(out[1].state, earlywarn::alert_state::cleared);
}

TEST(stream, the_order_of_events_within_a_day_changes_nothing) {
  const auto rules =
      compile("rule owing { when arrears > 0 }\nrule paid { when last(payment) > 0 }");
  for (const bool payment_first : {true, false}) {
    earlywarn::stream_engine engine(rules);
    std::vector<earlywarn::alert> out;
    const day d = *earlywarn::parse_date("2024-03-01");
    if (payment_first) {
      EXPECT_EQ(engine.push("A", d, "payment", 100, out), earlywarn::push_result::accepted);
    }
    EXPECT_EQ(engine.push("A", d, "charge", 100, out), earlywarn::push_result::accepted);
    if (!payment_first) {
      EXPECT_EQ(engine.push("A", d, "payment", 100, out), earlywarn::push_result::accepted);
    }
    engine.finish(out);
    ASSERT_EQ(out.size(), 1u) << payment_first;  // only 'paid'; never owing at a day's end
    EXPECT_EQ(rules.rules[out[0].rule].name, "paid");
  }
}

TEST(stream, an_event_older_than_the_folded_history_is_refused_not_applied) {
  const auto rules = compile("rule owing { when sum(charge, 10d) > 0 }");
  earlywarn::stream_options options;
  options.lateness_days = 3;
  earlywarn::stream_engine engine(rules, options);
  std::vector<earlywarn::alert> out;
  const auto on = [](const char* d) { return *earlywarn::parse_date(d); };
  EXPECT_EQ(engine.push("A", on("2024-01-01"), "charge", 5, out), earlywarn::push_result::accepted);
  EXPECT_EQ(engine.push("A", on("2024-03-01"), "charge", 5, out), earlywarn::push_result::accepted);
  EXPECT_EQ(engine.push("A", on("2024-03-02"), "charge", 5, out),
            earlywarn::push_result::accepted);  // closes 03-01: January is folded
  // Within the kept history (03-02 - 10 - 3 days and later): applied.
  EXPECT_EQ(engine.push("A", on("2024-02-25"), "payment", 5, out),
            earlywarn::push_result::accepted);
  EXPECT_EQ(engine.push("A", on("2024-01-05"), "payment", 5, out), earlywarn::push_result::too_old);
  EXPECT_EQ(engine.event_count(), 4u);
}

TEST(stream, an_event_older_than_the_allowance_is_refused_for_a_new_household_too) {
  const auto rules = compile("rule owing { when sum(charge, 10d) > 0 }");
  earlywarn::stream_options options;
  options.lateness_days = 3;  // keeps 11 + 3 days: 02-16 and before are too old on 03-01
  earlywarn::stream_engine engine(rules, options);
  std::vector<earlywarn::alert> out;
  const auto on = [](const char* d) { return *earlywarn::parse_date(d); };
  EXPECT_EQ(engine.push("A", on("2024-03-01"), "charge", 5, out), earlywarn::push_result::accepted);
  EXPECT_EQ(engine.push("B", on("2024-02-16"), "charge", 5, out), earlywarn::push_result::too_old);
  EXPECT_EQ(engine.household_count(), 1u);  // refused before the household is added
  EXPECT_EQ(engine.push("B", on("2024-02-17"), "charge", 5, out), earlywarn::push_result::accepted);
  EXPECT_EQ(engine.household_count(), 2u);
  EXPECT_EQ(engine.event_count(), 2u);
}

// Rows sorted by household instead of by date: the second household's first
// events are years behind the clock the first one left. Taken at face value
// they would raise a few alerts as of the clock instead of the history's.
TEST(stream, a_ledger_sorted_by_household_is_refused) {
  auto load = earlywarn::load_rules(std::string(EARLYWARN_SOURCE_DIR) +
                                    "/rules/housing-early-warning.rules");
  ASSERT_TRUE(load.ok()) << load.report();
  const auto loaded =
      earlywarn::load_ledger_csv(std::string(EARLYWARN_SOURCE_DIR) + "/examples/sample-ledger.csv");
  ASSERT_TRUE(loaded.ok());
  std::vector<row> rows = earlywarn::testing::postings_of(loaded.events);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const row& a, const row& b) { return a.household < b.household; });
  earlywarn::stream_engine engine(*load.rules);
  std::vector<earlywarn::alert> out;
  std::size_t refused_at = rows.size();
  for (std::size_t i = 0; i < rows.size() && refused_at == rows.size(); ++i)
    if (engine.push(rows[i].household, rows[i].date, rows[i].type, rows[i].amount, rows[i].code,
                    out) == earlywarn::push_result::too_old)
      refused_at = i;
  ASSERT_LT(refused_at, rows.size());
  EXPECT_NE(rows[refused_at].household, rows[0].household);
  EXPECT_EQ(engine.household_count(), 1u);
}

// The rules raised for each household at the end of `alerts`.
std::set<std::pair<std::string, std::uint32_t>> raised_at_end(
    const std::vector<earlywarn::alert>& alerts) {
  std::set<std::pair<std::string, std::uint32_t>> raised;
  for (const earlywarn::alert& a : alerts) {
    if (a.state == earlywarn::alert_state::raised)
      raised.insert({a.household_id, a.rule});
    else
      raised.erase({a.household_id, a.rule});
  }
  return raised;
}

// A household is stored with its events last so that a day's events are
// appended to its bytes; one posted late, among them, or folding the oldest
// rewrites them. Late events apply as of the clock, so the oracle is the
// state: after every day, the rules raised are those the back-test of the
// events so far has raised as of the clock (these rules have no cooldown).
TEST(stream, late_events_among_appended_ones_and_folds_keep_the_backtest_state) {
  const auto rules = compile(
      "event clawback increases\n"
      "rule owing { when arrears > 0 }\n"
      "rule lately { when sum(charge, 20d) > 250 }\n"
      "rule paid { when last(payment) >= 100 and count(payment) >= 2 }\n"
      "rule clawed { when sum(clawback, 15d) > 0 }\n");
  const auto on = [](const char* d) { return *earlywarn::parse_date(d); };
  struct posting {
    const char* date;
    const char* type;
    earlywarn::cents amount;  ///< whole currency units
  };
  // Appended day after day; a payment dated before the last two charges
  // (after the folded history); a clawback (a type id past the one-byte
  // ones) a day late; a payment after January is folded.
  const std::vector<posting> postings = {
      {"2024-01-01", "charge", 100},  {"2024-01-05", "charge", 100}, {"2024-01-09", "charge", 100},
      {"2024-01-12", "payment", 50},  {"2024-01-20", "charge", 100}, {"2024-01-25", "charge", 100},
      {"2024-01-18", "payment", 300}, {"2024-02-10", "charge", 100}, {"2024-02-11", "payment", 100},
      {"2024-02-11", "clawback", 7},  {"2024-02-10", "clawback", 9}, {"2024-03-30", "payment", 150},
      {"2024-03-29", "payment", 350}};
  earlywarn::stream_options options;
  options.lateness_days = 10;  // folds January while February arrives
  earlywarn::stream_engine engine(rules, options);
  std::vector<earlywarn::alert> got;
  for (std::size_t k = 0; k < postings.size(); ++k) {
    const posting& p = postings[k];
    ASSERT_EQ(engine.push("A", on(p.date), p.type, 100 * p.amount, got),
              earlywarn::push_result::accepted)
        << p.date;
    engine.advance(engine.clock(), got);  // closes the day
    earlywarn::ledger_builder builder;
    for (std::size_t i = 0; i <= k; ++i)
      builder.add("A", on(postings[i].date), postings[i].type, 100 * postings[i].amount);
    const earlywarn::ledger l = std::move(builder).build();
    EXPECT_EQ(raised_at_end(got),
              raised_at_end(earlywarn::backtest(rules, l, on("2024-01-01"), engine.clock())))
        << p.date;
  }
  EXPECT_GE(got.size(), 6u);
}

// 65,535 types fit, and saving them ends (a 16-bit loop counter over type
// ids never ends at 65,536 names and wrote names until memory ran out).
TEST(stream, holds_65535_event_types_saves_them_and_refuses_one_more) {
  const auto rules = compile("rule owing { when arrears > 0 }");
  earlywarn::stream_engine engine(rules);
  std::vector<earlywarn::alert> out;
  const day d = *earlywarn::parse_date("2024-03-01");
  for (std::size_t t = 5; t < earlywarn::max_stream_types; ++t) {
    std::string name = "t";  // not "t" + ...: g++ 12's false -Wrestrict (GCC bug 105329)
    name += std::to_string(t);
    EXPECT_EQ(engine.push("A", d, name, 1, out), earlywarn::push_result::accepted);
  }
  try {
    EXPECT_EQ(engine.push("A", d, "one_more", 1, out), earlywarn::push_result::accepted);
    ADD_FAILURE() << "a 65,536th type was taken";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("at most 65,535 distinct event types"), std::string::npos)
        << e.what();
  }
  const std::string bytes = earlywarn::stream_checkpoint::serialize(engine, {1, 0});
  earlywarn::stream_engine restored(rules);
  earlywarn::checkpoint_position position;
  ASSERT_FALSE(earlywarn::stream_checkpoint::restore(restored, bytes, position));
  EXPECT_EQ(restored.event_count(), earlywarn::max_stream_types - 5);
  EXPECT_EQ(restored.push("A", d, "t65534", 1, out), earlywarn::push_result::accepted);
  EXPECT_THROW(static_cast<void>(restored.push("A", d, "one_more", 1, out)), std::invalid_argument);
}

// The engine keeps a reference to its rules: a temporary would dangle
// (stream_engine e(*compile_rules(text).rules) read freed memory).
static_assert(std::is_constructible_v<earlywarn::stream_engine, const earlywarn::ruleset&>);
static_assert(std::is_constructible_v<earlywarn::stream_engine, earlywarn::ruleset&>);
static_assert(!std::is_constructible_v<earlywarn::stream_engine, earlywarn::ruleset&&>);
static_assert(!std::is_constructible_v<earlywarn::stream_engine, earlywarn::ruleset&&,
                                       const earlywarn::stream_options&>);

TEST(stream, refuses_invalid_events) {
  const auto rules = compile("rule owing { when arrears > 0 }");
  earlywarn::stream_engine engine(rules);
  std::vector<earlywarn::alert> out;
  EXPECT_THROW(static_cast<void>(engine.push("", 0, "charge", 1, out)), std::invalid_argument);
  EXPECT_THROW(static_cast<void>(engine.push("A", 0, "Charge", 1, out)), std::invalid_argument);
  EXPECT_THROW(static_cast<void>(engine.push("A", 0, "charge", -1, out)), std::invalid_argument);
  EXPECT_THROW(
      static_cast<void>(engine.push("A", earlywarn::first_stream_date - 1, "charge", 1, out)),
      std::invalid_argument);
  EXPECT_THROW(
      static_cast<void>(engine.push("A", earlywarn::last_stream_date + 1, "charge", 1, out)),
      std::invalid_argument);
  EXPECT_THROW(engine.advance(INT32_MAX, out), std::invalid_argument);
  EXPECT_EQ(engine.household_count(), 0u);
  for (const std::int32_t lateness : {-1, earlywarn::max_lateness_days + 1})
    EXPECT_THROW(earlywarn::stream_engine(rules, earlywarn::stream_options{lateness}),
                 std::invalid_argument);
}

TEST(stream, refuses_an_amount_beyond_a_ledger_s_bound_on_one_household_s_total) {
  // A ledger holds 9,223 of the largest amounts for one household and
  // refuses a 9,224th (ledger_test); so does a stream, at the push, and the
  // sums the rules read over those 9,223 stay within 64 bits.
  const auto rules = compile(
      "rule owing { when arrears > 0 and sum(charge, 1y) > 0 and trend(balance, 3m) > 0 }\n"
      "rule big { when max(charge, 1y) >= 10000000000000 and count(charge, 2y) > 9000 }");
  earlywarn::stream_engine engine(rules);
  std::vector<earlywarn::alert> out;
  const day first = *earlywarn::parse_date("2024-01-01");
  for (int i = 0; i < 9'223; ++i)
    ASSERT_EQ(engine.push("HUGE", first + i / 25, "charge", earlywarn::max_amount, out),
              earlywarn::push_result::accepted);
  const day last = first + 9'222 / 25;
  try {
    EXPECT_EQ(engine.push("HUGE", last, "payment", earlywarn::max_amount, out),
              earlywarn::push_result::accepted);
    ADD_FAILURE() << "a household beyond 64 bits was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "household 'HUGE': its amounts add up to more than 92233720368547758.07, the most "
              "one household's balance can hold in 64 bits");
  }
  EXPECT_EQ(engine.event_count(), 9'223u);  // the refused event changed nothing
  EXPECT_EQ(engine.clock(), last);
  // What is left of the bound still takes events; other households are apart.
  EXPECT_EQ(engine.push("HUGE", last, "payment", INT64_MAX - 9'223 * earlywarn::max_amount, out),
            earlywarn::push_result::accepted);
  EXPECT_THROW(static_cast<void>(engine.push("HUGE", last, "payment", 1, out)),
               std::invalid_argument);
  EXPECT_EQ(engine.push("OTHER", last, "charge", earlywarn::max_amount, out),
            earlywarn::push_result::accepted);
  engine.advance(last + 400, out);
  engine.finish(out);
  EXPECT_TRUE(std::any_of(out.begin(), out.end(), [](const earlywarn::alert& a) {
    return a.household_id == "HUGE" && a.rule == 1;
  }));
}

}  // namespace
