#include "earlywarn/model/value.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace earlywarn {
namespace {

value number(std::int64_t n) { return value::integer(n); }
value ratio(std::int64_t num, std::int64_t den) { return value::fraction(num, den, unit::number); }
value money(cents c) { return value::money(c); }

TEST(value, default_is_no_value) {
  const value v;
  EXPECT_FALSE(v.has_value());
  EXPECT_FALSE(static_cast<bool>(v));
  EXPECT_TRUE(number(0).has_value());
  EXPECT_TRUE(money(0).has_value());
}

TEST(value, three_rents_are_exactly_three_times_one_rent) {
  const value rent = money(853237);
  const value three = number(3) * rent;
  EXPECT_EQ(three, money(2559711));
  EXPECT_EQ(compare(three, money(2559711)), 0);
  EXPECT_EQ(rent + rent + rent, money(2559711));
  EXPECT_EQ(three.to_string(), "25597.11");
}

TEST(value, decimal_fractions_add_exactly) {
  EXPECT_EQ(ratio(1, 10) + ratio(2, 10), ratio(3, 10));
  EXPECT_EQ(money(10) + money(20), money(30));
  EXPECT_EQ(ratio(1, 3) + ratio(1, 3) + ratio(1, 3), number(1));
  EXPECT_EQ(ratio(1, 10) + ratio(1, 5), ratio(3, 10));
}

TEST(value, equal_fractions_compare_equal_whatever_their_form) {
  EXPECT_EQ(ratio(1, 2), ratio(2, 4));
  EXPECT_EQ(ratio(-1, 2), ratio(1, -2));
  EXPECT_EQ(money(150), ratio(3, 2));
  EXPECT_EQ(number(42), value::integer(42, unit::days));
}

TEST(value, no_value_propagates_through_arithmetic) {
  const value none;
  const value one = number(1);
  EXPECT_FALSE((none + one).has_value());
  EXPECT_FALSE((one + none).has_value());
  EXPECT_FALSE((none - one).has_value());
  EXPECT_FALSE((one - none).has_value());
  EXPECT_FALSE((none * one).has_value());
  EXPECT_FALSE((one * none).has_value());
  EXPECT_FALSE((none / one).has_value());
  EXPECT_FALSE((one / none).has_value());
  EXPECT_FALSE((-none).has_value());
  EXPECT_FALSE((none * number(0)).has_value());
}

TEST(value, division_by_zero_gives_no_value) {
  EXPECT_FALSE((number(1) / number(0)).has_value());
  EXPECT_FALSE((money(100) / money(0)).has_value());
  EXPECT_FALSE((number(0) / number(0)).has_value());
  EXPECT_FALSE((money(100) / ratio(0, 7)).has_value());
}

TEST(value, arithmetic_is_exact) {
  EXPECT_EQ(number(7) - number(10), number(-3));
  EXPECT_EQ(number(1) / number(3) * number(3), number(1));
  EXPECT_EQ(money(100) / number(3), ratio(1, 3));
  EXPECT_EQ(number(6) / number(-4), ratio(-3, 2));
  EXPECT_EQ(-money(1205), money(-1205));
  EXPECT_EQ(money(853250) * ratio(1, 2), money(426625));
}

TEST(value, arithmetic_leaving_64_bits_gives_no_value) {
  EXPECT_FALSE((number(INT64_MAX) + number(1)).has_value());
  EXPECT_FALSE((number(INT64_MAX) * number(2)).has_value());
  EXPECT_FALSE((number(INT64_MIN) * number(-1)).has_value());
  EXPECT_TRUE((number(INT64_MAX) - number(1)).has_value());
}

TEST(value, large_intermediates_are_reduced_to_fit) {
  // 2^62 * 4 / 8 overflows 64 bits in the numerator on the way but not in the result.
  const value big = number(std::int64_t{1} << 62);
  EXPECT_EQ(big * ratio(4, 8), number(std::int64_t{1} << 61));
}

TEST(value, compare_orders_present_values) {
  EXPECT_EQ(compare(number(1), number(2)), -1);
  EXPECT_EQ(compare(number(2), number(1)), 1);
  EXPECT_EQ(compare(number(2), number(2)), 0);
  EXPECT_EQ(compare(ratio(1, 3), ratio(1, 2)), -1);
  EXPECT_EQ(compare(ratio(-1, 3), ratio(-1, 2)), 1);
  EXPECT_EQ(compare(money(-1), number(0)), -1);
  EXPECT_EQ(compare(money(853250), ratio(17065, 2)), 0);
  EXPECT_EQ(compare(number(INT64_MAX), number(INT64_MAX - 1)), 1);
}

TEST(value, no_value_equals_nothing_not_even_itself) {
  const value none;
  EXPECT_FALSE(none == none);
  EXPECT_FALSE(none == number(0));
  EXPECT_FALSE(number(0) == none);
  EXPECT_TRUE(number(0) == number(0));
}

TEST(value, money_prints_with_two_decimals) {
  EXPECT_EQ(money(1706500).to_string(), "17065.00");
  EXPECT_EQ(money(0).to_string(), "0.00");
  EXPECT_EQ(money(5).to_string(), "0.05");
  EXPECT_EQ(money(-1205).to_string(), "-12.05");
  EXPECT_EQ((money(100) / number(3)).to_string(), "0.33");
  EXPECT_EQ((money(200) / number(3)).to_string(), "0.67");
  EXPECT_EQ((money(1) / number(2)).to_string(), "0.01");
  EXPECT_EQ((money(-1) / number(2)).to_string(), "-0.01");
}

TEST(value, whole_numbers_print_as_integers) {
  EXPECT_EQ(number(42).to_string(), "42");
  EXPECT_EQ(number(0).to_string(), "0");
  EXPECT_EQ(number(-7).to_string(), "-7");
  EXPECT_EQ(ratio(84, 2).to_string(), "42");
  EXPECT_EQ(value::integer(45, unit::days).to_string(), "45");
  EXPECT_EQ((money(300) / money(100)).to_string(), "3");
}

TEST(value, fractions_print_rounded_half_away_from_zero) {
  EXPECT_EQ(ratio(4, 3).to_string(), "1.33");
  EXPECT_EQ(ratio(5, 3).to_string(), "1.67");
  EXPECT_EQ(ratio(1, 2).to_string(), "0.50");
  EXPECT_EQ(ratio(1, 200).to_string(), "0.01");
  EXPECT_EQ(ratio(-1, 200).to_string(), "-0.01");
  EXPECT_EQ(ratio(1, 201).to_string(), "0.00");
  EXPECT_EQ(ratio(2499, 1000).to_string(), "2.50");
  EXPECT_EQ(ratio(-2245, 1000).to_string(), "-2.25");
  EXPECT_EQ(ratio(-4, 3).to_string(), "-1.33");
  EXPECT_EQ(ratio(-5, 3).to_string(), "-1.67");
}

TEST(value, no_value_prints_as_n_a) { EXPECT_EQ(value().to_string(), "n/a"); }

TEST(value, units_of_results) {
  EXPECT_EQ((money(100) * number(3)).unit(), unit::money);
  EXPECT_EQ((number(3) * money(100)).unit(), unit::money);
  EXPECT_EQ((money(100) / number(3)).unit(), unit::money);
  EXPECT_EQ((money(100) / money(300)).unit(), unit::number);
  EXPECT_EQ((money(100) + money(300)).unit(), unit::money);
  EXPECT_EQ((money(100) - money(300)).unit(), unit::money);
  EXPECT_EQ((money(100) + number(1)).unit(), unit::money);
  EXPECT_EQ((number(1) + money(100)).unit(), unit::money);
  EXPECT_EQ((-money(100)).unit(), unit::money);
  EXPECT_EQ((number(2) * number(3)).unit(), unit::number);
  const value days = value::integer(30, unit::days);
  EXPECT_EQ((days + number(1)).unit(), unit::days);
  EXPECT_EQ((days / value::integer(7, unit::days)).unit(), unit::number);
}

TEST(value, unit_decides_printing_not_comparison) {
  const value hundred = value::integer(100);
  EXPECT_EQ(hundred.with_unit(unit::money).to_string(), "100.00");
  EXPECT_EQ(hundred.to_string(), "100");
  EXPECT_EQ(hundred.with_unit(unit::money), hundred);
}

TEST(value, to_double_approximates_for_display) {
  EXPECT_DOUBLE_EQ(money(853250).to_double(), 8532.5);
  EXPECT_DOUBLE_EQ(ratio(1, 4).to_double(), 0.25);
  EXPECT_DOUBLE_EQ(value().to_double(), 0.0);
}

}  // namespace
}  // namespace earlywarn
