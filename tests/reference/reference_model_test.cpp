// Tests of the reference model itself on small hand-worked examples. Every expected value is
// worked out by hand in the comment next to it; none is computed by the code under test.
#include "reference/reference_model.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace reference {
namespace {

/// Shorthand for from_iso.
date d(const char* iso) { return from_iso(iso); }

/// Shorthand for an event.
event ev(const char* iso, const char* type, long long cents) { return {d(iso), type, cents}; }

/// Shorthand for a currency value n/den (e.g. cur(15050, 100) = 150.50).
fraction cur(long long n, long long den = 1) { return make_fraction(n, den); }

// ---------------------------------------------------------------------------------------------
// Dates

TEST(ReferenceDate, KnownDayDifferences) {
  // 2024 is a leap year: Feb 28 -> Feb 29 -> Mar 1 is 2 days.
  EXPECT_EQ(d("2024-03-01") - d("2024-02-28"), 2);
  // 2023 is not: Feb 28 -> Mar 1 is 1 day.
  EXPECT_EQ(d("2023-03-01") - d("2023-02-28"), 1);
  // 1900 is not a leap year (divisible by 100), 2000 is (divisible by 400).
  EXPECT_EQ(d("1900-03-01") - d("1900-02-28"), 1);
  EXPECT_EQ(d("2000-03-01") - d("2000-02-28"), 2);
  // 1970-01-01 .. 2000-01-01: 30 years * 365 + 7 leap days (72,76,80,84,88,92,96) = 10957.
  EXPECT_EQ(d("2000-01-01") - d("1970-01-01"), 10957);
  // A leap year has 366 days, a common year 365.
  EXPECT_EQ(d("2025-01-01") - d("2024-01-01"), 366);
  EXPECT_EQ(d("2024-01-01") - d("2023-01-01"), 365);
  // Day 0 is 0001-01-01.
  EXPECT_EQ(d("0001-01-01"), 0);
}

TEST(ReferenceDate, RoundTripEveryDay) {
  // Every day from 1899-12-01 to 2101-01-31 survives to_iso(from_iso(...)) and is consecutive.
  date first = d("1899-12-01"), last = d("2101-01-31");
  for (date t = first; t <= last; ++t) {
    ASSERT_EQ(from_iso(to_iso(t)), t) << to_iso(t);
    if (t > first) {
      ASSERT_EQ(from_iso(to_iso(t)) - from_iso(to_iso(t - 1)), 1);
    }
  }
  EXPECT_EQ(to_iso(d("2024-02-29")), "2024-02-29");
  EXPECT_EQ(to_iso(d("0987-06-05")), "0987-06-05");
}

TEST(ReferenceDate, RejectsMalformed) {
  EXPECT_THROW(from_iso("2023-02-29"), std::invalid_argument);  // not a leap year
  EXPECT_THROW(from_iso("2024-13-01"), std::invalid_argument);
  EXPECT_THROW(from_iso("2024-04-31"), std::invalid_argument);
  EXPECT_THROW(from_iso("2024-4-01"), std::invalid_argument);
  EXPECT_THROW(from_iso("2024/04/01"), std::invalid_argument);
  EXPECT_THROW(from_iso("2024-04-0x"), std::invalid_argument);
  EXPECT_THROW(from_iso(""), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// Fractions

TEST(ReferenceFraction, ArithmeticAndComparison) {
  EXPECT_EQ(cur(1, 2) + cur(1, 3), cur(5, 6));
  EXPECT_EQ(cur(1, 2) - cur(1, 3), cur(1, 6));
  EXPECT_EQ(cur(2, 3) * cur(3, 4), cur(1, 2));
  EXPECT_EQ(cur(1, 2) / cur(1, 4), cur(2));
  EXPECT_EQ(cur(2, 4), cur(1, 2));    // equal by cross-multiplication
  EXPECT_EQ(cur(1, -2), cur(-1, 2));  // sign moves to the numerator
  EXPECT_EQ(cur(1, -2).den, 2);
  EXPECT_LT(cur(1, 3), cur(1, 2));
  EXPECT_LE(cur(1, 2), cur(2, 4));
  EXPECT_GT(cur(-1, 3), cur(-1, 2));
  EXPECT_GE(cur(0), cur(-1, 100));
  EXPECT_NE(cur(1, 3), cur(33, 100));
  EXPECT_EQ(to_string(cur(6, 4)), "3/2");
  EXPECT_EQ(to_string(cur(-500, 100)), "-5");
  EXPECT_THROW(make_fraction(1, 0), std::domain_error);
}

// ---------------------------------------------------------------------------------------------
// Windows

TEST(ReferenceWindow, DayAndWeekStarts) {
  // 30d at 2024-03-31: start 2024-03-01 (31 - 30 = day 1).
  EXPECT_EQ(window_start_exclusive({30, 'd'}, d("2024-03-31")), d("2024-03-01"));
  // 2w = 14 days: 2024-03-10 - 14 = 2024-02-25.
  EXPECT_EQ(window_start_exclusive({2, 'w'}, d("2024-03-10")), d("2024-02-25"));
  // 0d: start = T, so the window (T, T] is empty.
  EXPECT_EQ(window_start_exclusive({0, 'd'}, d("2024-03-10")), d("2024-03-10"));
  EXPECT_THROW(window_start_exclusive({1, 'x'}, d("2024-03-10")), std::invalid_argument);
}

TEST(ReferenceWindow, MonthClamping) {
  // 2024-03-31 - 1m: Feb 2024 has 29 days -> 2024-02-29.
  EXPECT_EQ(window_start_exclusive({1, 'm'}, d("2024-03-31")), d("2024-02-29"));
  // 2024-03-31 - 2m: computed from T directly, January has 31 -> 2024-01-31 (not 01-29).
  EXPECT_EQ(window_start_exclusive({2, 'm'}, d("2024-03-31")), d("2024-01-31"));
  // 2023-03-31 - 1m: Feb 2023 has 28 days -> 2023-02-28.
  EXPECT_EQ(window_start_exclusive({1, 'm'}, d("2023-03-31")), d("2023-02-28"));
  // 2024-02-29 - 12m = 2024-02-29 - 1y -> 2023-02-28.
  EXPECT_EQ(window_start_exclusive({12, 'm'}, d("2024-02-29")), d("2023-02-28"));
  EXPECT_EQ(window_start_exclusive({1, 'y'}, d("2024-02-29")), d("2023-02-28"));
  // 2024-03-31 - 13m -> 2023-02-31 clamped -> 2023-02-28.
  EXPECT_EQ(window_start_exclusive({13, 'm'}, d("2024-03-31")), d("2023-02-28"));
  // 2024-05-31 - 3m -> 2024-02-29; 2024-05-31 - 1m -> 2024-04-30.
  EXPECT_EQ(window_start_exclusive({3, 'm'}, d("2024-05-31")), d("2024-02-29"));
  EXPECT_EQ(window_start_exclusive({1, 'm'}, d("2024-05-31")), d("2024-04-30"));
  // Crossing a year: 2024-01-15 - 1m = 2023-12-15; 2024-01-15 - 14m = 2022-11-15.
  EXPECT_EQ(window_start_exclusive({1, 'm'}, d("2024-01-15")), d("2023-12-15"));
  EXPECT_EQ(window_start_exclusive({14, 'm'}, d("2024-01-15")), d("2022-11-15"));
  // 2y from 2024-02-29 -> 2022-02-28.
  EXPECT_EQ(window_start_exclusive({2, 'y'}, d("2024-02-29")), d("2022-02-28"));
}

TEST(ReferenceWindow, StartExcludedEndIncluded) {
  household h({ev("2024-03-01", "payment", 100), ev("2024-03-02", "payment", 200),
               ev("2024-03-31", "payment", 400), ev("2024-04-01", "payment", 800)});
  // 30d at 2024-03-31 = (03-01, 03-31]: 03-01 excluded, 03-02 and 03-31 in, 04-01 after T.
  // sum = (200 + 400) cents = 6.00, count = 2.
  EXPECT_EQ(h.sum("payment", {30, 'd'}, d("2024-03-31")), cur(6));
  EXPECT_EQ(h.count("payment", {30, 'd'}, d("2024-03-31")), 2);
  // 31d includes 03-01 too: 1 + 2 + 4 = 7.00, count 3.
  EXPECT_EQ(h.sum("payment", {31, 'd'}, d("2024-03-31")), cur(7));
  EXPECT_EQ(h.count("payment", {31, 'd'}, d("2024-03-31")), 3);
  // 0d: empty window.
  EXPECT_EQ(h.count("payment", {0, 'd'}, d("2024-03-31")), 0);
}

TEST(ReferenceWindow, MonthWindowAtLeapMonthEnd) {
  household h({ev("2024-02-29", "charge", 1000), ev("2024-03-01", "charge", 2000),
               ev("2024-01-31", "charge", 4000)});
  // 1m at 2024-03-31 = (02-29, 03-31]: only 03-01 -> 20.00.
  EXPECT_EQ(h.sum("charge", {1, 'm'}, d("2024-03-31")), cur(20));
  // 2m at 2024-03-31 = (01-31, 03-31]: 02-29 and 03-01 -> 30.00; 01-31 excluded.
  EXPECT_EQ(h.sum("charge", {2, 'm'}, d("2024-03-31")), cur(30));
  // 1y at 2025-02-28 = (2024-02-28, 2025-02-28]: 02-29 and 03-01 in,
  // 2024-01-31 before the start -> 30.00.
  EXPECT_EQ(h.sum("charge", {1, 'y'}, d("2025-02-28")), cur(30));
}

// ---------------------------------------------------------------------------------------------
// Balance, arrears, arrears_days, tenure_days, exists

TEST(ReferenceSignals, ExistsAndTenure) {
  household h({ev("2024-02-10", "letter", 0), ev("2024-03-01", "charge", 100)});
  EXPECT_FALSE(h.exists(d("2024-02-09")));
  EXPECT_TRUE(h.exists(d("2024-02-10")));  // a neutral event is enough
  // Tenure from the neutral letter: 2024-02-10 -> 2024-03-10 = 19 (rest of Feb) + 10 = 29.
  EXPECT_EQ(h.tenure_days(d("2024-03-10")), 29);
  EXPECT_EQ(h.tenure_days(d("2024-02-10")), 0);
  EXPECT_THROW(h.tenure_days(d("2024-02-09")), std::logic_error);
  // Before any event: balance 0.
  EXPECT_EQ(h.balance(d("2024-01-01")), 0);
}

TEST(ReferenceSignals, BalanceWithCustomAndNeutralTypes) {
  household h(
      {ev("2024-01-01", "charge", 10000), ev("2024-01-05", "payment", 3000),
       ev("2024-01-06", "credit", 2000), ev("2024-01-07", "plan", 5000),
       ev("2024-01-08", "contact", 0), ev("2024-01-09", "mystery", 99999),
       ev("2024-01-10", "benefit_clawback", 700), ev("2024-01-11", "refund", 200)},
      {{"charge", 1}, {"payment", -1}, {"credit", -1}, {"benefit_clawback", 1}, {"refund", -1}});
  // 100.00 - 30.00 - 20.00 = 50.00 (plan, contact, mystery neutral).
  EXPECT_EQ(h.balance(d("2024-01-09")), 5000);
  // + 7.00 clawback = 57.00; - 2.00 refund = 55.00.
  EXPECT_EQ(h.balance(d("2024-01-10")), 5700);
  EXPECT_EQ(h.balance(d("2024-01-11")), 5500);
  // With default effects the custom types are neutral: 50.00.
  household plain({ev("2024-01-01", "charge", 10000), ev("2024-01-05", "payment", 3000),
                   ev("2024-01-06", "credit", 2000), ev("2024-01-10", "benefit_clawback", 700)});
  EXPECT_EQ(plain.balance(d("2024-01-31")), 5000);
}

TEST(ReferenceSignals, ArrearsDaysFifo) {
  // Charges of 1.00 on Jan 1, Feb 1, Mar 1 (2024); payments 0.70 + 0.80 = 1.50 total.
  household h({ev("2024-03-01", "charge", 100), ev("2024-01-01", "charge", 100),
               ev("2024-02-01", "charge", 100), ev("2024-03-05", "payment", 70),
               ev("2024-01-20", "payment", 80)});
  // As of 03-10: paid 150; Jan covered (100 <= 150), Feb cumulative 200 > 150 -> D = 02-01.
  // 02-01 -> 03-01 = 29 days (leap Feb) + 9 = 38. Balance 300 - 150 = 150.
  EXPECT_EQ(h.balance(d("2024-03-10")), 150);
  EXPECT_EQ(h.arrears(d("2024-03-10")), 150);
  EXPECT_EQ(h.arrears_days(d("2024-03-10")), 38);
  // As of 03-04: the 03-05 payment is not seen. Paid 80 < 100 -> D = 01-01; 31 + 29 + 3 = 63.
  EXPECT_EQ(h.arrears_days(d("2024-03-04")), 63);
  // As of 01-25: charges 100, paid 80 -> D = 01-01, 24 days.
  EXPECT_EQ(h.arrears_days(d("2024-01-25")), 24);
}

TEST(ReferenceSignals, ArrearsDaysExactCoverage) {
  // Charges 1.00 on Jan 1 and Feb 1, 2.00 on Mar 1; payments total 2.00 cover Jan and Feb
  // exactly (cumulative 200 == 200 is covered) -> D = 03-01; T = 03-10 -> 9 days.
  household h({ev("2024-01-01", "charge", 100), ev("2024-02-01", "charge", 100),
               ev("2024-03-01", "charge", 200), ev("2024-02-15", "payment", 200)});
  EXPECT_EQ(h.arrears_days(d("2024-03-10")), 9);
  // Charge on T itself uncovered: as of 03-01 -> 0 days, but arrears 2.00.
  EXPECT_EQ(h.arrears_days(d("2024-03-01")), 0);
  EXPECT_EQ(h.arrears(d("2024-03-01")), 200);
}

TEST(ReferenceSignals, ArrearsDaysSeveralChargesOneDay) {
  // Two charges of 0.50 on Jan 1, one payment of 0.60: the second Jan 1 charge is uncovered
  // whichever order -> D = 01-01; T = 01-31 -> 30.
  household h({ev("2024-01-01", "charge", 50), ev("2024-01-01", "charge", 50),
               ev("2024-01-02", "payment", 60), ev("2024-01-15", "charge", 100)});
  EXPECT_EQ(h.arrears_days(d("2024-01-31")), 30);
  // Payment 1.00 would cover both Jan 1 charges exactly -> D = 01-15 -> 16.
  household g({ev("2024-01-01", "charge", 50), ev("2024-01-01", "charge", 50),
               ev("2024-01-02", "payment", 100), ev("2024-01-15", "charge", 100)});
  EXPECT_EQ(g.arrears_days(d("2024-01-31")), 16);
}

TEST(ReferenceSignals, PrepaymentZeroAndNeverPaid) {
  // Prepayment: pay 5.00, charge 1.00 -> balance -4.00, arrears 0, arrears_days 0.
  household pre({ev("2024-01-01", "payment", 500), ev("2024-01-02", "charge", 100)});
  EXPECT_EQ(pre.balance(d("2024-02-01")), -400);
  EXPECT_EQ(pre.arrears(d("2024-02-01")), 0);
  EXPECT_EQ(pre.arrears_days(d("2024-02-01")), 0);
  // Zero balance: charge 1.00, payment 1.00 -> 0, arrears_days 0.
  household zero({ev("2024-01-01", "charge", 100), ev("2024-01-05", "payment", 100)});
  EXPECT_EQ(zero.balance(d("2024-03-01")), 0);
  EXPECT_EQ(zero.arrears_days(d("2024-03-01")), 0);
  // Never paid: charge on 2024-01-01, T = 2024-01-31 -> 30 days; T = 2024-12-31 -> 365.
  household never({ev("2024-01-01", "charge", 100)});
  EXPECT_EQ(never.arrears_days(d("2024-01-31")), 30);
  EXPECT_EQ(never.arrears_days(d("2024-12-31")), 365);
  // Credits count as payments: credit 1.00 covers the 01-01 charge; 02-01 open -> 10 days.
  household credit({ev("2024-01-01", "charge", 100), ev("2024-02-01", "charge", 100),
                    ev("2024-01-03", "credit", 100)});
  EXPECT_EQ(credit.arrears_days(d("2024-02-11")), 10);
}

TEST(ReferenceSignals, ArrearsDaysCustomIncreasingType) {
  // Custom increasing type counts as a charge for FIFO: clawback 0.30 on 01-05, charge 1.00 on
  // 01-10, payment 0.20 -> clawback uncovered, D = 01-05; T = 01-20 -> 15.
  household h({ev("2024-01-05", "benefit_clawback", 30), ev("2024-01-10", "charge", 100),
               ev("2024-01-11", "payment", 20)},
              {{"charge", 1}, {"payment", -1}, {"credit", -1}, {"benefit_clawback", 1}});
  EXPECT_EQ(h.arrears_days(d("2024-01-20")), 15);
}

// ---------------------------------------------------------------------------------------------
// sum, count, avg, min, max, last, days_since

TEST(ReferenceFunctions, AggregatesOverWindow) {
  household h({ev("2024-03-05", "payment", 1050), ev("2024-03-10", "payment", 2000),
               ev("2024-03-10", "payment", 25), ev("2024-02-01", "payment", 99900),
               ev("2024-03-12", "charge", 50000)});
  date T = d("2024-03-31");
  // 1m = (02-29, 03-31]: payments 10.50, 20.00, 0.25 -> sum 30.75, count 3.
  EXPECT_EQ(h.sum("payment", {1, 'm'}, T), cur(3075, 100));
  EXPECT_EQ(h.count("payment", {1, 'm'}, T), 3);
  // avg = 30.75 / 3 = 10.25.
  EXPECT_EQ(h.avg("payment", {1, 'm'}, T), maybe(cur(1025, 100)));
  // min/max over single events (not per-day sums): 0.25 and 20.00 (not 20.25).
  EXPECT_EQ(h.min("payment", {1, 'm'}, T), maybe(cur(25, 100)));
  EXPECT_EQ(h.max("payment", {1, 'm'}, T), maybe(cur(20)));
  // avg with a non-terminating value: 10.50 + 20.00 + 0.25 + 999.00 = 1029.75 over 2m -> / 4
  // = 257.4375 = 102975 / 400.
  EXPECT_EQ(h.avg("payment", {2, 'm'}, T), maybe(cur(102975, 400)));
  // None in window: sum 0, count 0, avg/min/max no value.
  EXPECT_EQ(h.sum("payment", {7, 'd'}, T), cur(0));
  EXPECT_EQ(h.count("payment", {7, 'd'}, T), 0);
  EXPECT_FALSE(h.avg("payment", {7, 'd'}, T).has_value());
  EXPECT_FALSE(h.min("payment", {7, 'd'}, T).has_value());
  EXPECT_FALSE(h.max("payment", {7, 'd'}, T).has_value());
  // Events after T are invisible: as of 03-09 the 1m window (02-09, 03-09] has only 10.50.
  EXPECT_EQ(h.sum("payment", {1, 'm'}, d("2024-03-09")), cur(1050, 100));
}

TEST(ReferenceFunctions, AnyTypeName) {
  // Neutral and unknown types: plan amounts, contact with empty (0) amount, unknown "notice".
  household h({ev("2024-01-10", "plan", 30000), ev("2024-01-20", "contact", 0),
               ev("2024-01-25", "contact", 0), ev("2024-01-15", "notice", 123)});
  date T = d("2024-01-31");
  EXPECT_EQ(h.count("contact", {30, 'd'}, T), 2);
  EXPECT_EQ(h.sum("plan", {1, 'm'}, T), cur(300));
  EXPECT_EQ(h.max("notice", {1, 'm'}, T), maybe(cur(123, 100)));
  EXPECT_EQ(h.min("contact", {1, 'm'}, T), maybe(cur(0)));  // a value, not "no value"
  EXPECT_EQ(h.count("nothing_like_this", {1, 'y'}, T), 0);
  // days_since(contact) = 01-31 - 01-25 = 6; last(notice) = 1.23.
  EXPECT_EQ(h.days_since("contact", T), maybe(cur(6)));
  EXPECT_EQ(h.last("notice", T), maybe(cur(123, 100)));
}

TEST(ReferenceFunctions, LastAndDaysSince) {
  household h({ev("2024-01-05", "payment", 100), ev("2024-02-10", "payment", 250),
               ev("2024-02-10", "payment", 50), ev("2024-03-01", "payment", 7)});
  // As of 02-20: latest payment date 02-10, two payments that day -> 2.50 + 0.50 = 3.00.
  EXPECT_EQ(h.last("payment", d("2024-02-20")), maybe(cur(3)));
  // days_since = 02-20 - 02-10 = 10.
  EXPECT_EQ(h.days_since("payment", d("2024-02-20")), maybe(cur(10)));
  // As of 02-10 itself: 3.00 and 0 days.
  EXPECT_EQ(h.last("payment", d("2024-02-10")), maybe(cur(3)));
  EXPECT_EQ(h.days_since("payment", d("2024-02-10")), maybe(cur(0)));
  // As of 02-09: 01-05 -> 1.00 and 35 days (26 in Jan + 9).
  EXPECT_EQ(h.last("payment", d("2024-02-09")), maybe(cur(1)));
  EXPECT_EQ(h.days_since("payment", d("2024-02-09")), maybe(cur(35)));
  // Never paid before 01-05 / no such type: no value.
  EXPECT_FALSE(h.last("payment", d("2024-01-04")).has_value());
  EXPECT_FALSE(h.days_since("payment", d("2024-01-04")).has_value());
  EXPECT_FALSE(h.days_since("credit", d("2024-12-31")).has_value());
}

// ---------------------------------------------------------------------------------------------
// balance_at, trend

TEST(ReferenceFunctions, BalanceAt) {
  household h({ev("2024-01-31", "charge", 10000), ev("2024-02-29", "charge", 10000),
               ev("2024-03-01", "payment", 5000), ev("2024-03-31", "charge", 10000)});
  // T = 2024-03-31: balance 100 + 100 - 50 + 100 = 250.00.
  EXPECT_EQ(h.balance_at({0, 'd'}, d("2024-03-31")), cur(250));
  // 1m -> as of 2024-02-29 (events dated <= it): 200.00.
  EXPECT_EQ(h.balance_at({1, 'm'}, d("2024-03-31")), cur(200));
  // 30d -> as of 2024-03-01: 150.00.
  EXPECT_EQ(h.balance_at({30, 'd'}, d("2024-03-31")), cur(150));
  // 2m -> as of 2024-01-31: 100.00; 3m -> 2023-12-31: before first event, 0.
  EXPECT_EQ(h.balance_at({2, 'm'}, d("2024-03-31")), cur(100));
  EXPECT_EQ(h.balance_at({3, 'm'}, d("2024-03-31")), cur(0));
}

TEST(ReferenceFunctions, TrendLinearGrowth) {
  // 100.00 charged on the 1st of each month Jan..Jun 2024, T = 2024-06-15, N = 6: samples at
  // 06-15, 05-15, ..., 01-15 are 600, 500, ..., 100 at x = 0, -1, ..., -5 -> slope exactly 100.
  std::vector<event> events;
  for (const char* iso :
       {"2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01", "2024-06-01"}) {
    events.push_back(ev(iso, "charge", 10000));
  }
  household h(events);
  EXPECT_EQ(h.trend(false, 6, d("2024-06-15")), cur(100));
  EXPECT_EQ(h.trend(true, 6, d("2024-06-15")), cur(100));
  // N = 2: samples 600 (06-15) and 500 (05-15) -> slope 100.
  EXPECT_EQ(h.trend(false, 2, d("2024-06-15")), cur(100));
  // N = 8 reaches before the first event (2023-12-15, 2023-11-15: balance 0): y = 600, 500, 400,
  // 300, 200, 100, 0, 0 at x = 0..-7. x̄ = -3.5, ȳ = 262.5, Σ(x-x̄)² = 42,
  // Σ(x-x̄)(y-ȳ) = 3.5*337.5 + 2.5*237.5 + 1.5*137.5 + 0.5*37.5 - 0.5*(-62.5) - 1.5*(-162.5)
  //               - 2.5*(-262.5) - 3.5*(-262.5) = 1181.25 + 593.75 + 206.25 + 18.75 + 31.25
  //               + 243.75 + 656.25 + 918.75 = 3850 -> slope 3850 / 42 = 275 / 3.
  EXPECT_EQ(h.trend(false, 8, d("2024-06-15")), cur(275, 3));
  EXPECT_THROW(h.trend(false, 1, d("2024-06-15")), std::invalid_argument);
}

TEST(ReferenceFunctions, TrendBalanceVersusArrears) {
  // Samples for T = 2024-03-31, N = 4 at 03-31, 02-29, 01-31, 2023-12-31 (clamped from T).
  household h({ev("2023-12-31", "charge", 1000), ev("2024-01-31", "charge", 3000),
               ev("2024-02-10", "payment", 5000), ev("2024-03-31", "charge", 7000)});
  // Balances: 12-31: 10; 01-31: 40; 02-29: -10; 03-31: 60 -> y = 60, -10, 40, 10 at x = 0..-3.
  // x̄ = -1.5, dx = 1.5, .5, -.5, -1.5, Σdx² = 5; ȳ = 25, dy = 35, -35, 15, -15;
  // Σdx·dy = 52.5 - 17.5 - 7.5 + 22.5 = 50 -> slope 10.
  EXPECT_EQ(h.trend(false, 4, d("2024-03-31")), cur(10));
  // Arrears: y = 60, 0, 40, 10; ȳ = 27.5, dy = 32.5, -27.5, 12.5, -17.5;
  // Σdx·dy = 48.75 - 13.75 - 6.25 + 26.25 = 55 -> slope 11.
  EXPECT_EQ(h.trend(true, 4, d("2024-03-31")), cur(11));
}

TEST(ReferenceFunctions, TrendInCents) {
  // Balance 0.01 at T - 1m and 0.04 at T (N = 2) -> slope 0.03 per month.
  household h({ev("2024-01-01", "charge", 1), ev("2024-02-01", "charge", 3)});
  EXPECT_EQ(h.trend(false, 2, d("2024-02-01")), cur(3, 100));
}

// ---------------------------------------------------------------------------------------------
// Plans

/// Debt 1000.00 on 2024-01-01, plan of 200.00/month agreed 2024-01-15.
std::vector<event> plan_base() {
  return {ev("2024-01-01", "charge", 100000), ev("2024-01-15", "plan", 20000)};
}

TEST(ReferencePlan, KeptPlan) {
  std::vector<event> e = plan_base();
  e.push_back(ev("2024-02-10", "payment", 20000));
  e.push_back(ev("2024-03-10", "payment", 20000));
  household h(e);
  // Before the plan: not active.
  EXPECT_FALSE(h.plan_active(d("2024-01-14")));
  // On its date: active, 0 months completed -> allowed 1000 - 0 = 1000; balance 1000 not >.
  EXPECT_TRUE(h.plan_active(d("2024-01-15")));
  EXPECT_FALSE(h.plan_breached(d("2024-01-15")));
  // T = 03-20: 01-15 + 2m = 03-15 <= T, + 3m = 04-15 > T -> 2 months; allowed 1000 - 400 = 600;
  // balance 1000 - 400 = 600, not > 600 -> kept.
  EXPECT_TRUE(h.plan_active(d("2024-03-20")));
  EXPECT_FALSE(h.plan_breached(d("2024-03-20")));
}

TEST(ReferencePlan, BreachedPlan) {
  std::vector<event> e = plan_base();
  e.push_back(ev("2024-02-10", "payment", 20000));
  household h(e);
  // T = 03-14: 1 month completed (02-15 <= T, 03-15 > T) -> allowed 800; balance 800 -> kept.
  EXPECT_FALSE(h.plan_breached(d("2024-03-14")));
  // T = 03-15: 2 months -> allowed 600; balance 800 > 600 -> breached.
  EXPECT_TRUE(h.plan_active(d("2024-03-15")));
  EXPECT_TRUE(h.plan_breached(d("2024-03-15")));
  // T = 02-14: 0 months completed; allowed 1000; balance 800 -> kept.
  EXPECT_FALSE(h.plan_breached(d("2024-02-14")));
}

TEST(ReferencePlan, EndedByZeroPlan) {
  std::vector<event> e = plan_base();
  e.push_back(ev("2024-02-20", "plan", 0));
  household h(e);
  EXPECT_TRUE(h.plan_active(d("2024-02-19")));
  EXPECT_TRUE(h.plan_breached(d("2024-02-19")));  // 1 month, allowed 800, balance 1000
  EXPECT_FALSE(h.plan_active(d("2024-02-20")));
  EXPECT_FALSE(h.plan_breached(d("2024-02-20")));
  EXPECT_FALSE(h.plan_active(d("2024-05-01")));
}

TEST(ReferencePlan, EndedByBalanceReachingZero) {
  std::vector<event> e = plan_base();
  e.push_back(ev("2024-02-01", "payment", 100000));  // balance 0 on 02-01
  e.push_back(ev("2024-03-01", "charge", 50000));    // owes 500.00 again
  household h(e);
  EXPECT_TRUE(h.plan_active(d("2024-01-31")));
  EXPECT_FALSE(h.plan_active(d("2024-02-01")));
  // Ended for good, though the balance is positive again later.
  EXPECT_FALSE(h.plan_active(d("2024-03-20")));
  EXPECT_FALSE(h.plan_breached(d("2024-03-20")));
  // Balance <= 0 on the plan's own date: never active.
  household g({ev("2024-01-01", "payment", 100), ev("2024-01-15", "plan", 20000),
               ev("2024-01-20", "charge", 5000)});
  EXPECT_FALSE(g.plan_active(d("2024-01-25")));
}

TEST(ReferencePlan, IntraDayMovesDoNotEndIt) {
  // Balance goes to 0 and back within one day: only the end-of-day balance counts.
  std::vector<event> e = plan_base();
  e.push_back(ev("2024-02-01", "payment", 100000));
  e.push_back(ev("2024-02-01", "charge", 30000));  // end of 02-01: 300.00 owed
  household h(e);
  EXPECT_TRUE(h.plan_active(d("2024-02-20")));
}

TEST(ReferencePlan, SameDayPlansAndReplacement) {
  // Two plan events on one date: instalment = the larger (300.00), even with a 0 among them.
  household h({ev("2024-01-01", "charge", 100000), ev("2024-01-15", "plan", 0),
               ev("2024-01-15", "plan", 30000)});
  EXPECT_TRUE(h.plan_active(d("2024-01-20")));
  // T = 02-15: 1 month -> allowed 1000 - 300 = 700; balance 1000 > 700 -> breached.
  EXPECT_TRUE(h.plan_breached(d("2024-02-15")));
  // A later plan replaces it with its own date and balance(D): charge 100.00 on 03-01,
  // new plan 50.00 on 03-05 (balance(D) = 1100), payment 50.00 on 04-01.
  household r({ev("2024-01-01", "charge", 100000), ev("2024-01-15", "plan", 30000),
               ev("2024-03-01", "charge", 10000), ev("2024-03-05", "plan", 5000),
               ev("2024-04-01", "payment", 5000)});
  // T = 04-05: 1 month since 03-05 -> allowed 1100 - 50 = 1050; balance 1050 -> kept.
  EXPECT_FALSE(r.plan_breached(d("2024-04-05")));
  // As of 03-04 the old plan still rules: 1 month since 01-15 -> allowed 1000 - 300 = 700;
  // balance 1100 (charge of 03-01) > 700 -> breached.
  EXPECT_TRUE(r.plan_breached(d("2024-03-04")));
  // Plan events after T are invisible.
  EXPECT_FALSE(h.plan_active(d("2024-01-14")));
}

TEST(ReferencePlan, MonthsCompletedClamped) {
  // Plan on 2024-01-31 (instalment 100.00), debt 1000.00. 01-31 + 1m = 02-29 (clamped).
  household h({ev("2024-01-01", "charge", 100000), ev("2024-01-31", "plan", 10000)});
  // T = 02-28: 0 months -> allowed 1000, balance 1000 -> kept.
  EXPECT_FALSE(h.plan_breached(d("2024-02-28")));
  // T = 02-29: 1 month -> allowed 900 -> breached.
  EXPECT_TRUE(h.plan_breached(d("2024-02-29")));
  // Paying 100.00 on 02-29 keeps it; 01-31 + 2m = 03-31, so as of 03-30 still 1 month.
  household k({ev("2024-01-01", "charge", 100000), ev("2024-01-31", "plan", 10000),
               ev("2024-02-29", "payment", 10000)});
  EXPECT_FALSE(k.plan_breached(d("2024-03-30")));
  EXPECT_TRUE(k.plan_breached(d("2024-03-31")));  // 2 months: allowed 800, balance 900
}

}  // namespace
}  // namespace reference
