#include "earlywarn/model/money.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

namespace earlywarn {

void PrintTo(amount_error e, std::ostream* os) { *os << describe(e); }

namespace {

cents accepted(std::string_view text) {
  const parsed_amount p = parse_amount(text);
  EXPECT_EQ(p.error, amount_error::none) << "'" << text << "': " << describe(p.error);
  return p.value;
}

amount_error refused(std::string_view text) { return parse_amount(text).error; }

TEST(parse_amount, accepts_whole_numbers) {
  EXPECT_EQ(accepted("0"), 0);
  EXPECT_EQ(accepted("12"), 1200);
  EXPECT_EQ(accepted("8532"), 853200);
  EXPECT_EQ(accepted("007"), 700);
}

TEST(parse_amount, accepts_one_or_two_decimal_places) {
  EXPECT_EQ(accepted("0.5"), 50);
  EXPECT_EQ(accepted("0.05"), 5);
  EXPECT_EQ(accepted("8532.50"), 853250);
  EXPECT_EQ(accepted("8532.5"), 853250);
  EXPECT_EQ(accepted("8532.37"), 853237);
  EXPECT_EQ(accepted("0.00"), 0);
  EXPECT_EQ(accepted("0.01"), 1);
}

TEST(parse_amount, accepts_the_largest_ledger_amount) {
  EXPECT_EQ(accepted("10000000000000"), max_amount);
  EXPECT_EQ(accepted("10000000000000.00"), max_amount);
  EXPECT_EQ(accepted("9999999999999.99"), max_amount - 1);
}

TEST(parse_amount, refuses_empty_text) { EXPECT_EQ(refused(""), amount_error::empty); }

TEST(parse_amount, refuses_negative_amounts) {
  EXPECT_EQ(refused("-5"), amount_error::negative);
  EXPECT_EQ(refused("-0.01"), amount_error::negative);
}

TEST(parse_amount, refuses_more_than_two_decimal_places) {
  EXPECT_EQ(refused("1.234"), amount_error::too_precise);
  EXPECT_EQ(refused("0.001"), amount_error::too_precise);
  EXPECT_EQ(refused("8532.500"), amount_error::too_precise);
}

TEST(parse_amount, refuses_exponents_commas_spaces_and_signs) {
  EXPECT_EQ(refused("1e5"), amount_error::not_a_number);
  EXPECT_EQ(refused("1E5"), amount_error::not_a_number);
  EXPECT_EQ(refused("5,00"), amount_error::not_a_number);
  EXPECT_EQ(refused("1,000.00"), amount_error::not_a_number);
  EXPECT_EQ(refused(" 5"), amount_error::not_a_number);
  EXPECT_EQ(refused("5 "), amount_error::not_a_number);
  EXPECT_EQ(refused("+5"), amount_error::not_a_number);
  EXPECT_EQ(refused("abc"), amount_error::not_a_number);
  EXPECT_EQ(refused("5x"), amount_error::not_a_number);
  EXPECT_EQ(refused("1.2.3"), amount_error::not_a_number);
  EXPECT_EQ(refused("NaN"), amount_error::not_a_number);
}

TEST(parse_amount, refuses_a_dot_without_digits_on_both_sides) {
  EXPECT_EQ(refused("5."), amount_error::not_a_number);
  EXPECT_EQ(refused(".5"), amount_error::not_a_number);
  EXPECT_EQ(refused("."), amount_error::not_a_number);
}

TEST(parse_amount, refuses_amounts_above_the_ledger_maximum) {
  EXPECT_EQ(refused("10000000000001"), amount_error::too_large);
  EXPECT_EQ(refused("99999999999999999999999999"), amount_error::too_large);
  EXPECT_EQ(refused("99999999999999999999999999.99"), amount_error::too_large);
}

TEST(parse_amount, refuses_cents_past_the_ledger_maximum) {
  // max_amount is the largest amount a row may carry, so a fraction of a unit
  // above it must be refused here rather than passed on as valid.
  const parsed_amount p = parse_amount("10000000000000.01");
  EXPECT_EQ(p.error, amount_error::too_large) << "value " << p.value << " > " << max_amount;
}

TEST(parse_amount, is_usable_at_compile_time) {
  static_assert(parse_amount("8532.50").value == 853250);
  static_assert(parse_amount("1.234").error == amount_error::too_precise);
}

TEST(describe, names_each_fault) {
  EXPECT_NE(describe(amount_error::empty).find("required"), std::string_view::npos);
  EXPECT_NE(describe(amount_error::negative).find("negative"), std::string_view::npos);
  EXPECT_NE(describe(amount_error::too_precise).find("2 decimal places"), std::string_view::npos);
  EXPECT_NE(describe(amount_error::not_a_number).find("not a decimal number"),
            std::string_view::npos);
  EXPECT_NE(describe(amount_error::too_large).find("too large"), std::string_view::npos);
  // The message states the limit it enforces.
  EXPECT_NE(describe(amount_error::too_large).find(format_cents(max_amount)),
            std::string_view::npos);
}

TEST(format_cents, writes_two_decimals) {
  EXPECT_EQ(format_cents(0), "0.00");
  EXPECT_EQ(format_cents(5), "0.05");
  EXPECT_EQ(format_cents(50), "0.50");
  EXPECT_EQ(format_cents(100), "1.00");
  EXPECT_EQ(format_cents(853250), "8532.50");
  EXPECT_EQ(format_cents(max_amount), "10000000000000.00");
}

TEST(format_cents, writes_negative_amounts_with_a_minus_sign) {
  EXPECT_EQ(format_cents(-1), "-0.01");
  EXPECT_EQ(format_cents(-50), "-0.50");
  EXPECT_EQ(format_cents(-1205), "-12.05");
  EXPECT_EQ(format_cents(-853250), "-8532.50");
}

TEST(format_cents, writes_the_extremes_of_64_bits) {
  EXPECT_EQ(format_cents(INT64_MAX), "92233720368547758.07");
  EXPECT_EQ(format_cents(INT64_MIN), "-92233720368547758.08");
}

TEST(format_cents, round_trips_through_parse_amount) {
  for (const cents c : {cents{0}, cents{1}, cents{99}, cents{100}, cents{853237}, max_amount})
    EXPECT_EQ(accepted(format_cents(c)), c) << c;
}

}  // namespace
}  // namespace earlywarn
