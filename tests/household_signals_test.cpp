// The signals and functions of docs/language.md on hand-worked ledgers, one household at a time:
// window boundaries, month-end and leap-day clamping, FIFO arrears, custom balance effects,
// trends and repayment plans. Every expected value is worked out by hand in a comment.
#include "earlywarn/evaluation/household_signals.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "earlywarn/detail/effect_table.hpp"
#include "earlywarn/evaluation/household_evaluator.hpp"
#include "earlywarn/evaluation/signals_table.hpp"
#include "earlywarn/loading/load_rules.hpp"
#include "earlywarn/model/ledger.hpp"
#include "support.hpp"

namespace earlywarn {
namespace {

using testing::date;

/// One event of the household under test; amounts in hundredths.
struct event {
  std::string_view date;
  std::string_view type;
  cents amount;
};

constexpr duration days(std::int32_t n) { return {n, period::day}; }
constexpr duration weeks(std::int32_t n) { return {n, period::week}; }
constexpr duration months(std::int32_t n) { return {n, period::month}; }
constexpr duration years(std::int32_t n) { return {n, period::year}; }

/// Compiles rules that must load cleanly.
using testing::must_compile;

/// A ledger holding one household, `HH1`, and the signals of it as of any date.
class household {
 public:
  explicit household(const std::vector<event>& events, const ruleset* rules = nullptr) {
    ledger_builder builder;
    for (const event& e : events) builder.add("HH1", date(e.date), e.type, e.amount);
    ledger_ = std::move(builder).build();
    effects_.emplace(rules ? effect_table(ledger_.types(), *rules) : effect_table(ledger_.types()));
  }

  /// The signals as of `as_of`; each call has its own scratch, so several may live at once.
  household_signals at(std::string_view as_of) {
    scratch_.emplace_back();
    return household_signals(ledger_.events(0), date(as_of), *effects_, scratch_.back());
  }
  std::optional<type_id> type(std::string_view name) const { return ledger_.types().find(name); }
  window_totals totals(std::string_view as_of, std::string_view type_name,
                       std::optional<duration> window) {
    return at(as_of).totals(type(type_name), window);
  }
  const ledger& events() const { return ledger_; }

 private:
  ledger ledger_;
  std::optional<effect_table> effects_;
  std::deque<std::vector<cents>> scratch_;
};

/// The value of the numeric rules expression `expr` for the ledger's first household as of
/// `as_of`, computed by the evaluator exactly as a rule's score would be.
value number_of(const ledger& events, std::string_view expr, std::string_view as_of,
                std::string_view declarations = "") {
  const ruleset rules =
      must_compile(std::string(declarations) + "\nrule probe {\n  when tenure_days >= 0\n  score " +
                   std::string(expr) + "\n}\n");
  if (rules.rules.empty()) return {};
  const bound_ruleset bound(rules, events);
  household_evaluator evaluator(bound);
  evaluator.start(0, date(as_of));
  return evaluator.score(0);
}

/// Whether the condition `when` holds for the ledger's first household as of `as_of`.
bool holds(const ledger& events, std::string_view when, std::string_view as_of) {
  const ruleset rules = must_compile("rule probe {\n  when " + std::string(when) + "\n}\n");
  if (rules.rules.empty()) return false;
  const bound_ruleset bound(rules, events);
  household_evaluator evaluator(bound);
  evaluator.start(0, date(as_of));
  return evaluator.fired(0);
}

// What keeps a reference to an argument refuses a temporary at compile time.
static_assert(std::is_constructible_v<bound_ruleset, const ruleset&, const ledger&>);
static_assert(!std::is_constructible_v<bound_ruleset, ruleset&&, const ledger&>);
static_assert(!std::is_constructible_v<bound_ruleset, const ruleset&, ledger&&>);
static_assert(!std::is_constructible_v<bound_ruleset, ruleset&&, ledger&&>);
static_assert(
    std::is_constructible_v<bound_ruleset, const ruleset&, const type_table&, const code_table&>);
static_assert(
    !std::is_constructible_v<bound_ruleset, ruleset&&, const type_table&, const code_table&>);
static_assert(
    !std::is_constructible_v<bound_ruleset, const ruleset&, const type_table&, code_table&&>);
static_assert(std::is_constructible_v<household_evaluator, const bound_ruleset&>);
static_assert(!std::is_constructible_v<household_evaluator, bound_ruleset&&>);
static_assert(std::is_constructible_v<household_signals, household_events, day, const effect_table&,
                                      std::vector<cents>&>);
static_assert(!std::is_constructible_v<household_signals, household_events, day, effect_table&&,
                                       std::vector<cents>&>);
static_assert(!std::is_constructible_v<household_signals, household_events, day,
                                       const effect_table&, std::vector<cents>&&>);

/// `v` is present and exactly equal to `expected`.
::testing::AssertionResult exactly(const value& v, const value& expected) {
  if (!v) return ::testing::AssertionFailure() << "no value, expected " << expected.to_string();
  if (compare(v, expected) != 0)
    return ::testing::AssertionFailure()
           << v.numerator() << "/" << v.denominator() << " (" << v.to_string() << "), expected "
           << expected.numerator() << "/" << expected.denominator();
  return ::testing::AssertionSuccess();
}

// ---------------------------------------------------------------------------------------------
// Windows (T − W, T]

TEST(windows, day_window_excludes_its_start_and_includes_the_as_of_date) {
  // T = 2024-03-31, 10d: (2024-03-21, 2024-03-31]. The payment on 03-21 is out, 03-22 and
  // 03-31 are in, 04-01 is after T and never seen: 10.00 + 100.00 = 110.00 in 2 payments.
  household h({{"2024-03-21", "payment", 100},
               {"2024-03-22", "payment", 1000},
               {"2024-03-31", "payment", 10000},
               {"2024-04-01", "payment", 100000}});
  const window_totals w = h.totals("2024-03-31", "payment", days(10));
  EXPECT_EQ(w.sum, 11000);
  EXPECT_EQ(w.count, 2);
  EXPECT_EQ(w.min, 1000);
  EXPECT_EQ(w.max, 10000);
  // 11d: (03-20, 03-31] now holds 03-21 too: 1.00 + 10.00 + 100.00.
  EXPECT_EQ(h.totals("2024-03-31", "payment", days(11)).sum, 11100);
}

TEST(windows, week_window_is_seven_days_per_week) {
  // T = 2024-03-31, 2w = 14 days: (2024-03-17, 2024-03-31]; 03-17 out, 03-18 in.
  household h({{"2024-03-17", "charge", 100}, {"2024-03-18", "charge", 1000}});
  const window_totals w = h.totals("2024-03-31", "charge", weeks(2));
  EXPECT_EQ(w.sum, 1000);
  EXPECT_EQ(w.count, 1);
  EXPECT_EQ(h.totals("2024-03-31", "charge", days(15)).count, 2);
}

TEST(windows, month_window_from_the_31st_starts_after_the_leap_day) {
  // 2024-03-31 − 1m = 2024-02-29 (clamped): the window is (02-29, 03-31] = March.
  // 02-28 and 02-29 are out, 03-01 and 03-31 are in: 10.00 + 100.00.
  household h({{"2024-02-28", "payment", 1},
               {"2024-02-29", "payment", 10},
               {"2024-03-01", "payment", 1000},
               {"2024-03-31", "payment", 10000}});
  const window_totals w = h.totals("2024-03-31", "payment", months(1));
  EXPECT_EQ(w.sum, 11000);
  EXPECT_EQ(w.count, 2);
  // As of 2024-03-30, 1m starts after 2024-02-29 as well (30 → clamped 29): 03-01 only.
  EXPECT_EQ(h.totals("2024-03-30", "payment", months(1)).sum, 1000);
  // As of 2024-03-29 it starts after 2024-02-29 exactly (no clamping): again 03-01 only.
  EXPECT_EQ(h.totals("2024-03-29", "payment", months(1)).sum, 1000);
  // As of 2024-03-28 it starts after 2024-02-28: 02-29 and 03-01 are in.
  EXPECT_EQ(h.totals("2024-03-28", "payment", months(1)).sum, 1010);
}

TEST(windows, several_months_are_subtracted_in_one_step_not_month_by_month) {
  // 2024-03-31 − 2m = 2024-01-31 (January has a 31st). Month by month it would be
  // 03-31 → 02-29 → 01-29, which would let 01-30 and 01-31 in. Only 02-01 is in.
  household h({{"2024-01-29", "payment", 1},
               {"2024-01-30", "payment", 10},
               {"2024-01-31", "payment", 100},
               {"2024-02-01", "payment", 1000}});
  EXPECT_EQ(h.totals("2024-03-31", "payment", months(2)).sum, 1000);
  // 2024-05-31 − 3m = 2024-02-29 (clamped once): 02-29 out, 03-01 in.
  household k({{"2024-02-29", "payment", 1}, {"2024-03-01", "payment", 10}});
  EXPECT_EQ(k.totals("2024-05-31", "payment", months(3)).sum, 10);
}

TEST(windows, month_window_from_the_31st_in_a_common_year_starts_after_the_28th) {
  // 2023-03-31 − 1m = 2023-02-28: 02-28 is out, 03-01 in.
  household h({{"2023-02-27", "payment", 1},
               {"2023-02-28", "payment", 10},
               {"2023-03-01", "payment", 100}});
  EXPECT_EQ(h.totals("2023-03-31", "payment", months(1)).sum, 100);
  // 3m from 2023-05-31 also lands on 2023-02-28 (31 → 28).
  EXPECT_EQ(h.totals("2023-05-31", "payment", months(3)).sum, 100);
}

TEST(windows, year_window_from_the_leap_day_starts_after_the_28th_of_february) {
  // 2024-02-29 − 1y = 2023-02-29, which does not exist: clamped to 2023-02-28.
  // 2023-02-28 is out, 2023-03-01 in.
  household h(
      {{"2023-02-28", "credit", 1}, {"2023-03-01", "credit", 10}, {"2024-02-29", "credit", 100}});
  EXPECT_EQ(h.totals("2024-02-29", "credit", years(1)).sum, 110);
  // 1y = 12m: the same window.
  EXPECT_EQ(h.totals("2024-02-29", "credit", months(12)).sum, 110);
}

TEST(windows, year_window_ending_on_the_28th_of_february_contains_the_previous_leap_day) {
  // 2025-02-28 − 1y = 2024-02-28: 2024-02-28 is out, 2024-02-29 is in.
  household h({{"2024-02-28", "charge", 1}, {"2024-02-29", "charge", 10}});
  const window_totals w = h.totals("2025-02-28", "charge", years(1));
  EXPECT_EQ(w.sum, 10);
  EXPECT_EQ(w.count, 1);
}

TEST(windows, no_window_means_all_history_up_to_the_as_of_date) {
  household h({{"2010-01-01", "payment", 1},
               {"2024-03-31", "payment", 10},
               {"2024-04-01", "payment", 100}});
  const window_totals w = h.totals("2024-03-31", "payment", std::nullopt);
  EXPECT_EQ(w.sum, 11);
  EXPECT_EQ(w.count, 2);
}

TEST(windows, windowed_functions_through_the_evaluator_see_the_same_boundaries) {
  // As of 2024-03-31: sum(payment, 1m) = 03-01 + 03-31 = 10.00 + 100.00; count 2;
  // sum(payment, 1y): 2023-03-31 is out, 2023-04-01 in: + 1000.00.
  household h({{"2023-03-31", "payment", 1},
               {"2023-04-01", "payment", 100000},
               {"2024-02-29", "payment", 10},
               {"2024-03-01", "payment", 1000},
               {"2024-03-31", "payment", 10000}});
  EXPECT_TRUE(
      exactly(number_of(h.events(), "sum(payment, 1m)", "2024-03-31"), value::money(11000)));
  EXPECT_TRUE(
      exactly(number_of(h.events(), "count(payment, 1m)", "2024-03-31"), value::integer(2)));
  // 1y: 2024-03-31 − 12m = 2023-03-31 excluded: 1000.00 + 0.10 + 10.00 + 100.00 = 1110.10.
  EXPECT_TRUE(
      exactly(number_of(h.events(), "sum(payment, 1y)", "2024-03-31"), value::money(111010)));
  // 52w = 364 days: (2023-04-02, 2024-03-31]: 0.10 + 10.00 + 100.00.
  EXPECT_TRUE(
      exactly(number_of(h.events(), "sum(payment, 52w)", "2024-03-31"), value::money(11010)));
}

TEST(windows, aggregates_of_an_empty_window_are_zero_or_no_value) {
  // The only payment (2024-01-10) lies outside (2024-02-29, 2024-03-31].
  household h({{"2024-01-10", "payment", 5000}, {"2024-03-05", "charge", 5000}});
  const ledger& l = h.events();
  EXPECT_TRUE(exactly(number_of(l, "sum(payment, 1m)", "2024-03-31"), value::money(0)));
  EXPECT_TRUE(exactly(number_of(l, "count(payment, 1m)", "2024-03-31"), value::integer(0)));
  EXPECT_FALSE(number_of(l, "avg(payment, 1m)", "2024-03-31").has_value());
  EXPECT_FALSE(number_of(l, "min(payment, 1m)", "2024-03-31").has_value());
  EXPECT_FALSE(number_of(l, "max(payment, 1m)", "2024-03-31").has_value());
  // An event type the ledger has never seen: sums 0, no last, no days_since.
  EXPECT_TRUE(exactly(number_of(l, "sum(eviction_notice)", "2024-03-31"), value::money(0)));
  EXPECT_FALSE(number_of(l, "last(eviction_notice)", "2024-03-31").has_value());
  EXPECT_FALSE(number_of(l, "days_since(eviction_notice)", "2024-03-31").has_value());
}

// ---------------------------------------------------------------------------------------------
// Several events on one date; last, min, max, avg

TEST(same_day_events, last_charge_sums_the_charges_of_the_latest_charge_date) {
  // 2024-03-01 carries rent 800.00 and a service charge 150.00: last(charge) = 950.00.
  household h({{"2024-02-01", "charge", 90000},
               {"2024-03-01", "charge", 80000},
               {"2024-03-01", "payment", 100},
               {"2024-03-01", "charge", 15000}});
  EXPECT_EQ(h.at("2024-03-31").last(h.type("charge")), std::optional<cents>(95000));
  EXPECT_TRUE(exactly(number_of(h.events(), "last(charge)", "2024-03-31"), value::money(95000)));
  // last(payment) is the single 1.00 of that day; the charges do not mix in.
  EXPECT_EQ(h.at("2024-03-31").last(h.type("payment")), std::optional<cents>(100));
  // As of 2024-02-29 the latest charge is 2024-02-01's 900.00.
  EXPECT_EQ(h.at("2024-02-29").last(h.type("charge")), std::optional<cents>(90000));
}

TEST(same_day_events, min_and_max_see_single_events_not_day_totals) {
  // Charges 900.00 (02-01), 800.00 and 150.00 (03-01). Day totals would be 900 and 950;
  // single events give max 900.00 and min 150.00. avg = 1850.00 / 3 = 616.666… → 616.67.
  household h({{"2024-02-01", "charge", 90000},
               {"2024-03-01", "charge", 80000},
               {"2024-03-01", "charge", 15000}});
  const window_totals w = h.totals("2024-03-31", "charge", std::nullopt);
  EXPECT_EQ(w.max, 90000);
  EXPECT_EQ(w.min, 15000);
  EXPECT_EQ(w.count, 3);
  EXPECT_EQ(w.sum, 185000);
  const ledger& l = h.events();
  EXPECT_TRUE(exactly(number_of(l, "max(charge)", "2024-03-31"), value::money(90000)));
  EXPECT_TRUE(exactly(number_of(l, "min(charge)", "2024-03-31"), value::money(15000)));
  const value avg = number_of(l, "avg(charge)", "2024-03-31");
  EXPECT_TRUE(exactly(avg, value::fraction(185000, 300, unit::money)));
  EXPECT_EQ(avg.to_string(), "616.67");
}

TEST(same_day_events, days_since_counts_from_the_latest_event_of_the_type) {
  // Latest payment 2024-03-11; T = 2024-03-31 → 20 days. On its own date → 0.
  household h({{"2024-02-01", "payment", 100}, {"2024-03-11", "payment", 100}});
  EXPECT_EQ(h.at("2024-03-31").days_since(h.type("payment")), std::optional<std::int32_t>(20));
  EXPECT_EQ(h.at("2024-03-11").days_since(h.type("payment")), std::optional<std::int32_t>(0));
  // 2024-03-10: the latest is 2024-02-01 → 29 + 9 = 38 days (February 2024 has 29).
  EXPECT_EQ(h.at("2024-03-10").days_since(h.type("payment")), std::optional<std::int32_t>(38));
}

// ---------------------------------------------------------------------------------------------
// Balance, arrears, arrears_days

TEST(balance, prepayment_gives_a_negative_balance_and_no_arrears) {
  // Paid 800.00 on 2023-12-20 before the 500.00 charge of 2024-01-01: balance −300.00.
  household h({{"2023-12-20", "payment", 80000}, {"2024-01-01", "charge", 50000}});
  const household_signals s = h.at("2024-01-15");
  EXPECT_EQ(s.balance(), -30000);
  EXPECT_EQ(s.arrears(), 0);
  EXPECT_EQ(s.arrears_days(), 0);
}

TEST(balance, zero_balance_has_no_arrears_and_no_arrears_days) {
  household h({{"2024-01-01", "charge", 50000}, {"2024-01-20", "payment", 50000}});
  const household_signals s = h.at("2024-03-15");
  EXPECT_EQ(s.balance(), 0);
  EXPECT_EQ(s.arrears(), 0);
  EXPECT_EQ(s.arrears_days(), 0);
}

TEST(balance, never_paid_counts_arrears_days_from_the_first_charge) {
  // Charges 2024-01-01 and 2024-02-01, no payment; T = 2024-03-15:
  // arrears_days = 31 (Jan) + 29 (Feb) + 14 = 74; days_since(payment) has no value.
  household h({{"2024-01-01", "charge", 50000}, {"2024-02-01", "charge", 50000}});
  const household_signals s = h.at("2024-03-15");
  EXPECT_EQ(s.balance(), 100000);
  EXPECT_EQ(s.arrears(), 100000);
  EXPECT_EQ(s.arrears_days(), 74);
  EXPECT_EQ(s.days_since(h.type("payment")), std::nullopt);
  EXPECT_EQ(s.last(h.type("payment")), std::nullopt);
  EXPECT_FALSE(number_of(h.events(), "days_since(payment)", "2024-03-15").has_value());
  EXPECT_FALSE(number_of(h.events(), "last(payment)", "2024-03-15").has_value());
}

TEST(balance, arrears_days_allocates_payments_and_credits_oldest_charge_first) {
  // Charges 500.00 on 01-01, 02-01, 03-01; payment 300.00 (03-10) and credit 400.00 (03-20),
  // both paid late. FIFO: 700.00 covers January (500) and 200 of February, so February is the
  // oldest uncovered charge: T = 2024-03-31 → 29 (rest of Feb from 02-01) + 31 = 59 days.
  // Balance 1500.00 − 700.00 = 800.00.
  household h({{"2024-01-01", "charge", 50000},
               {"2024-02-01", "charge", 50000},
               {"2024-03-01", "charge", 50000},
               {"2024-03-10", "payment", 30000},
               {"2024-03-20", "credit", 40000}});
  const household_signals s = h.at("2024-03-31");
  EXPECT_EQ(s.balance(), 80000);
  EXPECT_EQ(s.arrears_days(), 59);
  // Before the credit (T = 2024-03-15): 300.00 covers part of January only → 74 days.
  EXPECT_EQ(h.at("2024-03-15").arrears_days(), 74);
  // Before any payment (T = 2024-03-05): January is uncovered → 31 + 29 + 4 = 64 days.
  EXPECT_EQ(h.at("2024-03-05").arrears_days(), 64);
}

TEST(balance, a_charge_covered_exactly_is_not_in_arrears) {
  // Charges 500.00 on 01-01 and 02-01 and 03-01, payments totalling exactly 1000.00: January
  // and February are covered to the cent; March is the oldest uncovered → 03-31 − 03-01 = 30.
  household h({{"2024-01-01", "charge", 50000},
               {"2024-02-01", "charge", 50000},
               {"2024-03-01", "charge", 50000},
               {"2024-03-25", "payment", 99999},
               {"2024-03-26", "credit", 1}});
  EXPECT_EQ(h.at("2024-03-31").arrears_days(), 30);
  // One cent short of covering February (as of 03-25): February counts → 29 + 24 = 53.
  EXPECT_EQ(h.at("2024-03-25").arrears_days(), 53);
}

TEST(balance, several_charges_on_the_oldest_uncovered_date_count_from_that_date) {
  // 800.00 + 150.00 on 2024-03-01, 900.00 paid: the 150.00 is uncovered → 03-31 − 03-01 = 30.
  household h({{"2024-03-01", "charge", 80000},
               {"2024-03-01", "charge", 15000},
               {"2024-03-02", "payment", 90000}});
  const household_signals s = h.at("2024-03-31");
  EXPECT_EQ(s.balance(), 5000);
  EXPECT_EQ(s.arrears_days(), 30);
}

TEST(balance, custom_types_move_the_balance_as_the_ruleset_declares) {
  // clawback increases (like a charge), refund decreases (like a payment), letter is neutral.
  // Balance: 500.00 − 500.00 + 200.00 − 50.00 = 150.00. FIFO: increases 500 (01-01) and
  // 200 (02-10); decreases 550 cover January, not the clawback → 2024-03-01 − 02-10 = 20 days.
  const ruleset rules = must_compile(
      "event clawback increases\nevent refund decreases\nevent letter neutral\n"
      "rule r { when balance > 0 }\n");
  const std::vector<event> events = {{"2024-01-01", "charge", 50000},
                                     {"2024-01-05", "payment", 50000},
                                     {"2024-02-10", "clawback", 20000},
                                     {"2024-02-20", "refund", 5000},
                                     {"2024-02-21", "letter", 99900}};
  household with_rules(events, &rules);
  const household_signals s = with_rules.at("2024-03-01");
  EXPECT_EQ(s.balance(), 15000);
  EXPECT_EQ(s.arrears(), 15000);
  EXPECT_EQ(s.arrears_days(), 20);
  // Without the declarations every custom type is neutral: 500.00 − 500.00 = 0.
  household builtin_only(events);
  const household_signals b = builtin_only.at("2024-03-01");
  EXPECT_EQ(b.balance(), 0);
  EXPECT_EQ(b.arrears_days(), 0);
}

TEST(balance, balance_on_is_zero_before_the_first_event_and_closes_each_day) {
  // Charge 500.00 and payment 200.00 on 2024-01-10 (the first events), charge 100.00 on 02-10.
  household h({{"2024-01-10", "charge", 50000},
               {"2024-01-10", "payment", 20000},
               {"2024-02-10", "charge", 10000}});
  const household_signals s = h.at("2024-03-01");
  EXPECT_EQ(s.balance_on(date("2024-01-09")), 0);
  EXPECT_EQ(s.balance_on(date("1990-01-01")), 0);
  EXPECT_EQ(s.balance_on(date("2024-01-10")), 30000);  // end of that day
  EXPECT_EQ(s.balance_on(date("2024-02-09")), 30000);
  EXPECT_EQ(s.balance_on(date("2024-02-10")), 40000);
  // balance_at(1m) as of 2024-02-09 reads 2024-01-09: before the first event → 0.00;
  // as of 2024-02-10 it reads 2024-01-10 → 300.00.
  EXPECT_TRUE(exactly(number_of(h.events(), "balance_at(1m)", "2024-02-09"), value::money(0)));
  EXPECT_TRUE(exactly(number_of(h.events(), "balance_at(1m)", "2024-02-10"), value::money(30000)));
  // balance_at(31d) as of 2024-02-10 reads 2024-01-10 as well.
  EXPECT_TRUE(exactly(number_of(h.events(), "balance_at(31d)", "2024-02-10"), value::money(30000)));
}

TEST(tenure, tenure_days_counts_from_the_first_event_of_any_type) {
  // First event: a (neutral) letter on 2023-03-01; 2023-03-01 → 2024-03-01 spans 366 days
  // because 2024-02-29 lies in between.
  household h({{"2023-03-01", "letter", 0}, {"2023-04-01", "charge", 100}});
  EXPECT_EQ(h.at("2024-03-01").tenure_days(), 366);
  EXPECT_EQ(h.at("2023-03-01").tenure_days(), 0);
  EXPECT_TRUE(
      exactly(number_of(h.events(), "tenure_days", "2024-03-01"), value::integer(366, unit::days)));
}

// ---------------------------------------------------------------------------------------------
// Trend

TEST(trend, linear_balance_gives_its_exact_monthly_slope) {
  // 100.00 charged on the 1st of each month from January to June 2024. Samples as of
  // 2024-06-30 at 06-30, 05-30, 04-30, 03-30, 02-29 (clamped), 01-30: 600, 500, …, 100.
  // x = 0, −1, …, −5: the slope is exactly 100.00 per month.
  std::vector<event> events;
  for (const char* d :
       {"2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01", "2024-06-01"})
    events.push_back({d, "charge", 10000});
  household h(events);
  const value slope = h.at("2024-06-30").trend(false, 6);
  EXPECT_TRUE(exactly(slope, value::money(10000)));
  EXPECT_EQ(slope.to_string(), "100.00");
  EXPECT_TRUE(
      exactly(number_of(h.events(), "trend(balance, 6m)", "2024-06-30"), value::money(10000)));
  // A decreasing balance: paying 100.00 a month off a 1000.00 debt gives −100.00.
  household paying({{"2023-12-15", "charge", 100000},
                    {"2024-01-01", "payment", 10000},
                    {"2024-02-01", "payment", 10000},
                    {"2024-03-01", "payment", 10000}});
  EXPECT_TRUE(exactly(paying.at("2024-03-20").trend(false, 3), value::money(-10000)));
}

TEST(trend, slope_is_an_exact_fraction_not_a_rounded_one) {
  // Samples (x, y): (0, 0.01), (−1, 0), (−2, 0). n = 3, Σx = −3, Σx² = 5, Σy = 0.01,
  // Σxy = 0. slope = (3·0 − (−3)(0.01)) / (3·5 − 9) = 0.03 / 6 = 0.005 exactly.
  household h({{"2024-03-10", "charge", 1}});
  const value slope = h.at("2024-03-15").trend(false, 3);
  EXPECT_TRUE(exactly(slope, value::fraction(1, 200, unit::money)));
  EXPECT_EQ(slope.to_string(), "0.01");  // half a cent rounds away from zero
}

TEST(trend, arrears_trend_clamps_each_sample_at_zero) {
  // Paid 200.00 in advance on 2024-01-01, charged 500.00 on 2024-03-01; T = 2024-03-15.
  // Balance samples (x, y): (0, 300), (−1, −200), (−2, −200).
  //   balance: Σy = −100, Σxy = 0 + 200 + 400 = 600; slope = (3·600 − (−3)(−100)) / 6 = 250.
  //   arrears: (0, 300), (−1, 0), (−2, 0); Σy = 300, Σxy = 0; slope = (0 + 900) / 6 = 150.
  household h({{"2024-01-01", "payment", 20000}, {"2024-03-01", "charge", 50000}});
  const household_signals s = h.at("2024-03-15");
  EXPECT_TRUE(exactly(s.trend(false, 3), value::money(25000)));
  EXPECT_TRUE(exactly(s.trend(true, 3), value::money(15000)));
  EXPECT_TRUE(
      exactly(number_of(h.events(), "trend(arrears, 3m)", "2024-03-15"), value::money(15000)));
}

TEST(trend, samples_before_the_first_event_are_zero) {
  // Charges 100.00 on 2024-02-01 and 2024-03-01; T = 2024-03-15; 6 samples on the 15th from
  // March back to October 2023: y = 200, 100, 0, 0, 0, 0 at x = 0 … −5.
  // n = 6, Σx = −15, Σx² = 55, Σy = 300, Σxy = −100.
  // slope = (6·(−100) − (−15)(300)) / (6·55 − 225) = 3900 / 105 = 260/7 = 37.142857…
  household h({{"2024-02-01", "charge", 10000}, {"2024-03-01", "charge", 10000}});
  const value slope = h.at("2024-03-15").trend(false, 6);
  EXPECT_TRUE(exactly(slope, value::fraction(260, 7, unit::money)));
  EXPECT_EQ(slope.to_string(), "37.14");
  // trend(balance, 1y) samples 12 months; as 12m the same function.
  EXPECT_TRUE(exactly(number_of(h.events(), "trend(balance, 1y)", "2024-03-15"),
                      number_of(h.events(), "trend(balance, 12m)", "2024-03-15")));
}

TEST(trend, flat_balance_has_zero_slope) {
  household h({{"2020-01-01", "charge", 123456}});
  EXPECT_TRUE(exactly(h.at("2024-03-15").trend(false, 4), value::money(0)));
}

// ---------------------------------------------------------------------------------------------
// Repayment plans

// The plan household: owes 1000.00 from 2024-01-01 and agrees on 2024-01-15 to repay 200.00 a
// month; pays 200.00 on 02-10 and `second` on 03-10.
std::vector<event> plan_events(cents second) {
  return {{"2024-01-01", "charge", 100000},
          {"2024-01-15", "plan", 20000},
          {"2024-02-10", "payment", 20000},
          {"2024-03-10", "payment", second}};
}

TEST(plans, a_kept_plan_is_active_and_not_breached) {
  // T = 2024-03-20: months completed = 2 (01-15 + 2m = 03-15 ≤ 03-20).
  // Allowed: 1000.00 − 2 × 200.00 = 600.00; balance 600.00 is not above it.
  household h(plan_events(20000));
  const plan_status p = h.at("2024-03-20").plan();
  EXPECT_TRUE(p.active);
  EXPECT_FALSE(p.breached);
  EXPECT_EQ(p.agreed, date("2024-01-15"));
  EXPECT_EQ(p.instalment, 20000);
  EXPECT_EQ(p.balance_agreed, 100000);
  EXPECT_EQ(p.instalments_due, 2);
}

TEST(plans, the_allowed_balance_of_a_largest_instalment_over_centuries_does_not_overflow) {
  // Instalment max_amount (10^15 hundredths) agreed on 0001-01-01 with 0.01
  // owed; T = 0769-09-01: 9,224 months completed. Allowed: 0.01 − 9,224 ×
  // 10^15 (beyond 64 bits; wrapped, it read as about +9.2 × 10^18 and the
  // plan as kept). Balance 0.01 is above it → breached.
  household h({{"0001-01-01", "charge", 1}, {"0001-01-01", "plan", max_amount}});
  const plan_status p = h.at("0769-09-01").plan();
  EXPECT_TRUE(p.active);
  EXPECT_EQ(p.instalments_due, 9224);
  EXPECT_TRUE(p.breached);
}

TEST(plans, a_plan_is_breached_one_cent_above_the_allowed_balance) {
  // Second payment 199.99: balance 600.01 > 600.00 allowed → breached (still active).
  household h(plan_events(19999));
  const plan_status p = h.at("2024-03-20").plan();
  EXPECT_TRUE(p.active);
  EXPECT_TRUE(p.breached);
  // As of 2024-03-14 only one month is completed (03-15 > 03-14): allowed 800.00 ≥ 600.01.
  const plan_status earlier = h.at("2024-03-14").plan();
  EXPECT_EQ(earlier.instalments_due, 1);
  EXPECT_FALSE(earlier.breached);
  // On its own date: 0 months, allowed = 1000.00 = balance → kept.
  const plan_status first_day = h.at("2024-01-15").plan();
  EXPECT_TRUE(first_day.active);
  EXPECT_EQ(first_day.instalments_due, 0);
  EXPECT_FALSE(first_day.breached);
}

TEST(plans, plan_active_and_plan_breached_are_conditions_for_rules) {
  household h(plan_events(19999));
  EXPECT_TRUE(holds(h.events(), "plan_breached", "2024-03-20"));
  EXPECT_TRUE(holds(h.events(), "plan_active", "2024-03-20"));
  EXPECT_FALSE(holds(h.events(), "plan_active", "2024-01-14"));
  EXPECT_FALSE(holds(h.events(), "plan_breached", "2024-03-14"));
  EXPECT_TRUE(holds(h.events(), "plan_active and not plan_breached", "2024-03-14"));
}

TEST(plans, the_shortfall_is_how_far_the_balance_is_above_what_the_plan_allows) {
  // Second payment 199.99: as of 2024-03-20 the balance 600.01 is 0.01 above the 600.00
  // allowed; as of 03-14 (one month completed, 800.00 allowed) nothing is short.
  household h(plan_events(19999));
  EXPECT_EQ(h.at("2024-03-20").plan_shortfall().to_string(), "0.01");
  EXPECT_EQ(h.at("2024-03-14").plan_shortfall().to_string(), "0.00");
  EXPECT_FALSE(h.at("2024-01-14").plan_shortfall().has_value());  // no plan yet: no value
  // A tolerance before a plan counts as broken is a comparison.
  EXPECT_TRUE(holds(h.events(), "plan_shortfall > 0", "2024-03-20"));
  EXPECT_FALSE(holds(h.events(), "plan_shortfall > 50", "2024-03-20"));
  EXPECT_TRUE(holds(h.events(), "missing(plan_shortfall)", "2024-01-14"));
  // Greater than 0 exactly where plan_breached holds, on every day.
  for (day d = date("2024-01-01"); d <= date("2024-12-31"); ++d) {
    const household_signals s = h.at(format_date(d));
    const value v = s.plan_shortfall();
    EXPECT_EQ(v.has_value() && compare(v, value::money(0)) > 0, s.plan().breached)
        << format_date(d);
  }
}

TEST(plans, a_plan_with_amount_zero_ends_the_plan) {
  // Nothing paid, so the 200.00 plan would be breached by 2024-02-15; a plan of 0 on 02-01
  // ends it: neither active nor breached.
  household h(
      {{"2024-01-01", "charge", 100000}, {"2024-01-15", "plan", 20000}, {"2024-02-01", "plan", 0}});
  const plan_status p = h.at("2024-03-20").plan();
  EXPECT_FALSE(p.active);
  EXPECT_FALSE(p.breached);
  // Before the 0 plan it is active, and 0 months in it is kept.
  EXPECT_TRUE(h.at("2024-01-31").plan().active);
}

TEST(plans, a_plan_ends_for_good_when_a_day_closes_with_nothing_owed) {
  // Plan 2024-01-15; 1000.00 paid on 02-10 brings the balance to 0; new debt on 03-01 does not
  // revive the plan.
  household h({{"2024-01-01", "charge", 100000},
               {"2024-01-15", "plan", 20000},
               {"2024-02-10", "payment", 100000},
               {"2024-03-01", "charge", 50000}});
  EXPECT_TRUE(h.at("2024-02-09").plan().active);
  EXPECT_FALSE(h.at("2024-02-10").plan().active);
  const plan_status later = h.at("2024-05-20").plan();
  EXPECT_FALSE(later.active);
  EXPECT_FALSE(later.breached);
  EXPECT_EQ(h.at("2024-05-20").balance(), 50000);
}

TEST(plans, a_new_plan_after_a_plan_ended_by_the_balance_is_active) {
  // The first plan ends on 02-10 (paid off); new debt on 03-01 and a new plan of 100.00 on
  // 03-05 (balance 500.00). T = 2024-04-05: 1 month, allowed 400.00, nothing paid → breached.
  household h({{"2024-01-01", "charge", 100000},
               {"2024-01-15", "plan", 20000},
               {"2024-02-10", "payment", 100000},
               {"2024-03-01", "charge", 50000},
               {"2024-03-05", "plan", 10000}});
  const plan_status p = h.at("2024-04-05").plan();
  EXPECT_TRUE(p.active);
  EXPECT_EQ(p.agreed, date("2024-03-05"));
  EXPECT_EQ(p.balance_agreed, 50000);
  EXPECT_EQ(p.instalments_due, 1);
  EXPECT_TRUE(p.breached);
}

TEST(plans, a_balance_of_zero_within_a_day_does_not_end_the_plan) {
  // On 02-10 a payment of 1000.00 (balance 0) is followed by a 500.00 charge the same day:
  // the day closes at 500.00, so the plan lives on. As of 02-20 one month is completed
  // (01-15 + 1m = 02-15): allowed 1000.00 − 200.00 = 800.00 ≥ 500.00 → kept.
  household h({{"2024-01-01", "charge", 100000},
               {"2024-01-15", "plan", 20000},
               {"2024-02-10", "payment", 100000},
               {"2024-02-10", "charge", 50000}});
  const plan_status p = h.at("2024-02-20").plan();
  EXPECT_TRUE(p.active);
  EXPECT_FALSE(p.breached);
  EXPECT_EQ(p.instalments_due, 1);
}

TEST(plans, a_plan_agreed_when_nothing_is_owed_is_not_active) {
  household h({{"2024-01-01", "payment", 100000}, {"2024-01-15", "plan", 20000}});
  EXPECT_FALSE(h.at("2024-03-01").plan().active);
}

TEST(plans, several_plan_events_on_one_date_take_the_largest_instalment) {
  // 150.00, 300.00 and 0 on the same day: instalment 300.00, in any order.
  // T = 2024-02-15: 1 month completed, allowed 1000.00 − 300.00 = 700.00; balance 750.00 → breached
  // (with 150.00 it would be kept: 850.00).
  for (const auto& order :
       std::vector<std::vector<cents>>{{15000, 30000, 0}, {0, 30000, 15000}, {30000, 0, 15000}}) {
    std::vector<event> events = {{"2024-01-01", "charge", 100000},
                                 {"2024-01-20", "payment", 25000}};
    for (const cents amount : order) events.push_back({"2024-01-15", "plan", amount});
    household h(events);
    const plan_status p = h.at("2024-02-15").plan();
    EXPECT_TRUE(p.active);
    EXPECT_EQ(p.instalment, 30000);
    EXPECT_EQ(p.instalments_due, 1);
    EXPECT_EQ(p.balance_agreed, 100000);
    EXPECT_TRUE(p.breached);
  }
  // All zero on one date: the plan is ended.
  household ended({{"2024-01-01", "charge", 100000},
                   {"2024-01-10", "plan", 20000},
                   {"2024-01-15", "plan", 0},
                   {"2024-01-15", "plan", 0}});
  EXPECT_FALSE(ended.at("2024-02-15").plan().active);
}

TEST(plans, a_new_plan_replaces_the_old_one) {
  // Old plan 200.00 from 2024-01-15 (would be breached: nothing paid); new plan 50.00 agreed on
  // 2024-03-01 when the balance closed at 1000.00 + 100.00 = 1100.00. T = 2024-04-01: one
  // month of the new plan, allowed 1050.00; paid 60.00 on 03-20 → 1040.00 → kept.
  household h({{"2024-01-01", "charge", 100000},
               {"2024-01-15", "plan", 20000},
               {"2024-03-01", "charge", 10000},
               {"2024-03-01", "plan", 5000},
               {"2024-03-20", "payment", 6000}});
  const plan_status p = h.at("2024-04-01").plan();
  EXPECT_TRUE(p.active);
  EXPECT_EQ(p.agreed, date("2024-03-01"));
  EXPECT_EQ(p.instalment, 5000);
  EXPECT_EQ(p.balance_agreed, 110000);
  EXPECT_EQ(p.instalments_due, 1);
  EXPECT_FALSE(p.breached);
  // As of 2024-02-29 the old plan is in force: 1 month, allowed 800.00 < 1000.00 → breached.
  const plan_status old = h.at("2024-02-29").plan();
  EXPECT_EQ(old.agreed, date("2024-01-15"));
  EXPECT_TRUE(old.breached);
}

TEST(plans, instalments_due_clamps_to_the_end_of_shorter_months) {
  // Agreed 2024-01-31. 01-31 + 1m = 02-29 (clamped): completed on 02-29, not on 02-28.
  // 01-31 + 2m = 03-31: so on 03-30 still 1 month, on 03-31 2 months.
  household h({{"2024-01-01", "charge", 100000}, {"2024-01-31", "plan", 10000}});
  EXPECT_EQ(h.at("2024-02-28").plan().instalments_due, 0);
  EXPECT_EQ(h.at("2024-02-29").plan().instalments_due, 1);
  EXPECT_EQ(h.at("2024-03-30").plan().instalments_due, 1);
  EXPECT_EQ(h.at("2024-03-31").plan().instalments_due, 2);
  EXPECT_EQ(h.at("2024-04-30").plan().instalments_due, 3);  // 01-31 + 3m = 04-30
  EXPECT_EQ(h.at("2025-01-31").plan().instalments_due, 12);
  // Breach follows: as of 02-29, allowed 1000.00 − 100.00 = 900.00 < 1000.00 → breached;
  // as of 02-28 (0 months) it is kept.
  EXPECT_TRUE(h.at("2024-02-29").plan().breached);
  EXPECT_FALSE(h.at("2024-02-28").plan().breached);
}

// ---------------------------------------------------------------------------------------------
// Events after T

TEST(as_of, events_after_the_as_of_date_are_never_seen) {
  // As of 2024-01-31 the payment, plan, contact and second charge of February do not exist.
  household h({{"2024-01-01", "charge", 50000},
               {"2024-02-01", "payment", 50000},
               {"2024-02-01", "plan", 10000},
               {"2024-02-01", "contact", 0},
               {"2024-02-01", "charge", 70000}});
  const household_signals s = h.at("2024-01-31");
  EXPECT_TRUE(s.exists());
  EXPECT_EQ(s.events().size(), 1u);
  EXPECT_EQ(s.balance(), 50000);
  EXPECT_EQ(s.arrears_days(), 30);
  EXPECT_EQ(s.tenure_days(), 30);
  EXPECT_EQ(s.balance_on(date("2024-12-31")), 50000);
  EXPECT_EQ(s.last(h.type("payment")), std::nullopt);
  EXPECT_EQ(s.last(h.type("charge")), std::optional<cents>(50000));
  EXPECT_EQ(s.days_since(h.type("contact")), std::nullopt);
  EXPECT_EQ(s.totals(h.type("payment"), std::nullopt).count, 0);
  EXPECT_EQ(s.totals(h.type("charge"), std::nullopt).sum, 50000);
  EXPECT_FALSE(s.plan().active);
  // The trend samples only dates up to T.
  EXPECT_TRUE(exactly(s.trend(false, 2), value::money(50000)));
  const ledger& l = h.events();
  EXPECT_TRUE(exactly(number_of(l, "count(contact)", "2024-01-31"), value::integer(0)));
  EXPECT_FALSE(number_of(l, "max(payment)", "2024-01-31").has_value());
}

TEST(as_of, a_household_does_not_exist_before_its_first_event) {
  household h({{"2024-02-01", "charge", 50000}});
  const household_signals before = h.at("2024-01-31");
  EXPECT_FALSE(before.exists());
  EXPECT_EQ(before.balance(), 0);
  EXPECT_EQ(before.arrears_days(), 0);
  EXPECT_EQ(before.tenure_days(), 0);
  EXPECT_FALSE(before.plan().active);
  const household_signals on = h.at("2024-02-01");
  EXPECT_TRUE(on.exists());
  EXPECT_EQ(on.tenure_days(), 0);
  EXPECT_EQ(on.arrears_days(), 0);
  EXPECT_EQ(on.balance(), 50000);
}

// ---------------------------------------------------------------------------------------------
// The signals table

TEST(signals_table, lists_existing_households_by_id_with_their_signals) {
  // As of 2024-03-31:
  //   "A,1": charged 500.00 on 02-01, paid 100.00 → 400.00 for 59 days, tenure 59.
  //   B: plan of 100.00 agreed 02-15 on a 300.00 debt, nothing paid: 1 month completed
  //      (03-15 ≤ 03-31), allowed 200.00 < 300.00 → breached. Tenure 03-31 − 01-10 = 81.
  //   C: a 50.00 clawback (increases under the ruleset) on 03-21 → 10 days; without the
  //      ruleset it is neutral and C owes nothing.
  //   D: first event after T → absent.
  ledger_builder builder;
  builder.add("D", date("2024-04-01"), "charge", 100);
  builder.add("C", date("2024-03-21"), "clawback", 5000);
  builder.add("B", date("2024-01-10"), "charge", 30000);
  builder.add("B", date("2024-02-15"), "plan", 10000);
  builder.add("A,1", date("2024-02-01"), "charge", 50000);
  builder.add("A,1", date("2024-02-10"), "payment", 10000);
  const ledger events = std::move(builder).build();
  const ruleset rules = must_compile("event clawback increases\nrule r { when balance > 0 }\n");
  evaluation_options two_threads;
  two_threads.threads = 2;
  const std::vector<signal_row> rows =
      compute_signals(events, date("2024-03-31"), &rules, two_threads);
  EXPECT_EQ(signals_csv(rows),
            "household,balance,arrears,arrears_days,tenure_days,plan_active,plan_breached\n"
            "\"A,1\",400.00,400.00,59,59,false,false\n"
            "B,300.00,300.00,81,81,true,true\n"
            "C,50.00,50.00,10,10,false,false\n");
  const std::vector<signal_row> builtin = compute_signals(events, date("2024-03-31"));
  ASSERT_EQ(builtin.size(), 3u);
  EXPECT_EQ(builtin[2].household_id, "C");
  EXPECT_EQ(builtin[2].balance, 0);
  EXPECT_EQ(builtin[2].arrears_days, 0);
  EXPECT_TRUE(compute_signals(events, date("2024-01-09")).empty());
}

}  // namespace
}  // namespace earlywarn

namespace earlywarn {
namespace {

TEST(two_number_extremes, min_and_max_of_two_numbers_keep_the_unit_and_no_value) {
  // Charges 900.00 (02-01) and 800.00 (03-01), paid 1000.00 (03-05): owing 700.00.
  household h({{"2024-02-01", "charge", 90000},
               {"2024-03-01", "charge", 80000},
               {"2024-03-05", "payment", 100000}});
  const ledger& l = h.events();
  EXPECT_TRUE(exactly(number_of(l, "max(balance, 0)", "2024-03-31"), value::money(70000)));
  // The plain 0 chosen is money, as in `balance + 0`.
  EXPECT_TRUE(exactly(number_of(l, "min(balance, 0)", "2024-03-31"), value::money(0)));
  EXPECT_EQ(number_of(l, "min(balance, 0)", "2024-03-31").to_string(), "0.00");
  EXPECT_TRUE(exactly(number_of(l, "max(days_since(payment), 30d)", "2024-03-31"),
                      value::integer(30, unit::days)));
  EXPECT_TRUE(exactly(number_of(l, "min(arrears_days, 90)", "2024-03-31"),
                      number_of(l, "arrears_days", "2024-03-31")));
  // No value on either side: no value.
  EXPECT_FALSE(number_of(l, "max(days_since(credit), 5)", "2024-03-31"));
  EXPECT_FALSE(number_of(l, "min(0, days_since(credit))", "2024-03-31"));
  // With a window the first argument is an event type, as before.
  EXPECT_TRUE(exactly(number_of(l, "max(charge, 6m)", "2024-03-31"), value::money(90000)));
  // Arithmetic and definitions as the first argument.
  EXPECT_TRUE(
      exactly(number_of(l, "max(arrears - 1000, owed / 2)", "2024-03-31", "define owed = arrears"),
              value::money(35000)));
}

}  // namespace
}  // namespace earlywarn
