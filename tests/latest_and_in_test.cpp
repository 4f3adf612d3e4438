// latest(TYPE, …) and `in` (docs/language.md, Signals and functions and
// Expressions): which of several types had the latest event, and whether a
// value is one of a list.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "earlywarn.hpp"
#include "support.hpp"

namespace earlywarn {
namespace {

using testing::date;
using testing::fired;
using testing::first_message;
using testing::make_ledger;
using testing::must_compile;

const char* const ladder =
    "event sms neutral\nevent letter_one neutral\nevent letter_two neutral\n"
    "define last_step = latest(sms, letter_one, letter_two)\n"
    "rule after_letter_one { when last_step == letter_one }\n"
    "rule after_a_letter { when last_step in (letter_one, letter_two) }\n"
    "rule not_after_sms { when last_step != sms }\n";

TEST(latest, names_the_type_of_the_latest_event_and_on_one_date_the_one_written_last) {
  const ruleset rules = must_compile(ladder);
  const ledger l = make_ledger({{"A", "2024-01-01", "sms", 0},
                                {"A", "2024-01-08", "letter_one", 0},
                                // On one date: letter_two is written after letter_one.
                                {"B", "2024-01-08", "letter_two", 0},
                                {"B", "2024-01-08", "letter_one", 0},
                                {"C", "2024-01-10", "sms", 0},
                                {"D", "2024-01-10", "charge", 100}});
  EXPECT_EQ(fired(rules, l, "2024-01-07"), "");  // A's latest is its sms
  EXPECT_EQ(fired(rules, l, "2024-01-09"),
            "A:after_a_letter A:after_letter_one A:not_after_sms B:after_a_letter "
            "B:not_after_sms ");
  // D has none of the types: no value, and every comparison with it is false.
  EXPECT_EQ(fired(rules, l, "2024-01-10"),
            "A:after_a_letter A:after_letter_one A:not_after_sms B:after_a_letter "
            "B:not_after_sms ");
  const household_explanation x = explain(rules, l, 1, date("2024-01-09"));
  EXPECT_EQ(x.rules[0].readings.front().expression, "last_step");
  EXPECT_EQ(x.rules[0].readings.front().value, "letter_two");
}

TEST(in_a_list, holds_for_a_number_equal_to_an_item_and_the_schedule_finds_the_days) {
  const ruleset rules = must_compile(
      "param month = 28\n"
      "rule reminder { when days_since(charge) in (7, 14, month) }\n");
  const ledger l = make_ledger({{"H", "2024-01-01", "charge", 100}});
  std::string got;
  for (const alert& a : backtest(rules, l, date("2024-01-01"), date("2024-03-01")))
    got += format_date(a.date) + " " + std::string(to_string(a.state)) + "\n";
  EXPECT_EQ(got,
            "2024-01-08 raised\n2024-01-09 cleared\n2024-01-15 raised\n2024-01-16 cleared\n"
            "2024-01-29 raised\n2024-01-30 cleared\n");
}

TEST(latest_and_in, are_refused_where_they_mean_nothing) {
  const std::string types = "event sms neutral\nevent letter_one neutral\n";
  EXPECT_EQ(first_message(types + "rule r { when latest(sms, letter_one) > 1 }"),
            "'>' takes numbers; latest(sms, letter_one) is an event type: compare it with ==, != "
            "or in, like latest(sms, letter_one) == sms");
  EXPECT_EQ(first_message(types + "rule r { when latest(sms, letter_one) == leter_one }"),
            "'leter_one' is not one of the types latest(sms, letter_one) chooses from (sms, "
            "letter_one); did you mean 'letter_one'?");
  EXPECT_EQ(first_message(types + "rule r { when latest(sms, sms) == sms }"),
            "latest() names 'sms' twice");
  EXPECT_EQ(first_message(types + "rule r { when arrears > 0 score latest(sms) }"),
            "a score takes numbers; latest(sms) is an event type: compare it with ==, != or in, "
            "like latest(sms) == sms");
  EXPECT_EQ(first_message("rule r { when arrears in (arrears_days) }"),
            "the items of 'in' are numbers or params holding numbers");
  EXPECT_EQ(first_message("rule r { when arrears_days in (5, 30d) }"),
            "the items of 'in' are numbers or params holding numbers");
  EXPECT_EQ(first_message("rule r { when (arrears > 0) in (1) }"),
            "'in' needs a number, latest(...) or code(...) on its left, not a condition");
  EXPECT_EQ(first_message("param p = 3m\nrule r { when arrears_days in (p) }"),
            "the items of 'in' are numbers or params holding numbers");
  EXPECT_EQ(first_message("rule in { when arrears > 0 }"),
            "expected a name, found the keyword 'in' (a keyword cannot be a name: rename it)");
}

}  // namespace
}  // namespace earlywarn
