// Units of measure in the checker (docs/language.md, Units): money, days, a
// count, a ratio, money per month, and plain numbers that take the unit of
// what they meet. Adding, subtracting or comparing unlike units is an error
// naming both; the scores of one severity need one unit, so that the
// worklist's order within a severity means something.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "earlywarn.hpp"

namespace earlywarn {
namespace {

// Every diagnostic as "LINE:COL: message".
std::vector<std::string> diagnostics_of(std::string_view text, const param_overrides& o = {}) {
  const rules_load load = compile_rules(std::string(text), "test.rules", o);
  std::vector<std::string> out;
  for (const diagnostic& d : load.diagnostics)
    out.push_back(std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " +
                  d.message);
  return out;
}

// Rules that must load without a word.
void expect_loads(std::string_view text) {
  EXPECT_EQ(diagnostics_of(text), std::vector<std::string>{}) << text;
}

TEST(units, like_with_like_and_plain_numbers_load) {
  for (const char* when : {
           "arrears_days > 60d",                             // days and days
           "arrears_days > 15",                              // a plain number takes days
           "arrears >= 2 * last(charge)",                    // money and money
           "arrears / last(charge) > 2",                     // a ratio and a plain number
           "count(payment, 2m) == 0",                        // a count and a plain number
           "count(payment) * last(payment) > sum(payment)",  // a count multiplies as a number
           "sum(payment, 6m) / count(payment, 6m) < last(charge)",  // money over a count
           "trend(balance, 6m) > 500",                              // money per month and plain
           "trend(balance, 6m) > trend(arrears, 3m)",               // money per month both
           "max(balance, 0) > 5",                                   // min/max of money and plain
           "days_since(payment) - arrears_days > 1m + 2w",          // days throughout
           "arrears / arrears_days > last(charge) / 30d",           // money per day both
           "tenure_days / 365 > 2",  // days over a plain number: days
           "-arrears < 0",
       })
    expect_loads(std::string("rule r { when ") + when + " }");
}

TEST(units, comparing_unlike_units_is_an_error_naming_both) {
  EXPECT_EQ(diagnostics_of("rule r { when arrears > 60d }"),
            (std::vector<std::string>{"1:23: '>' compares arrears (money) and 60d (days): both "
                                      "sides need one unit (docs/language.md, Units)"}));
  EXPECT_EQ(diagnostics_of("rule r { when count(payment) > 30d }"),
            (std::vector<std::string>{"1:30: '>' compares count(payment) (a count) and 30d "
                                      "(days): both sides need one unit (docs/language.md, "
                                      "Units)"}));
  EXPECT_EQ(diagnostics_of("rule r { when trend(balance, 6m) >= arrears }"),
            (std::vector<std::string>{"1:34: '>=' compares trend(balance, 6m) (money per month) "
                                      "and arrears (money): both sides need one unit "
                                      "(docs/language.md, Units)"}));
  EXPECT_EQ(diagnostics_of("rule r { when arrears / arrears_days == arrears }"),
            (std::vector<std::string>{"1:38: '==' compares arrears / arrears_days (money per "
                                      "day) and arrears (money): both sides need one unit "
                                      "(docs/language.md, Units)"}));
}

TEST(units, adding_unlike_units_is_an_error_too) {
  EXPECT_EQ(diagnostics_of("rule r { when arrears + arrears_days > 0 }"),
            (std::vector<std::string>{"1:23: '+' adds arrears (money) and arrears_days (days): "
                                      "both sides need one unit (docs/language.md, Units)"}));
  EXPECT_EQ(diagnostics_of("rule r { when days_since(payment) - count(payment) > 0 }"),
            (std::vector<std::string>{"1:35: '-' subtracts days_since(payment) (days) and "
                                      "count(payment) (a count): both sides need one unit "
                                      "(docs/language.md, Units)"}));
  EXPECT_EQ(diagnostics_of("rule r { when max(arrears, arrears_days) > 0 }"),
            (std::vector<std::string>{"1:15: max() of two numbers takes arrears (money) and "
                                      "arrears_days (days): both sides need one unit "
                                      "(docs/language.md, Units)"}));
}

TEST(units, definitions_and_params_carry_their_units) {
  EXPECT_EQ(diagnostics_of("define owed = arrears\nrule r { when owed > 60d }"),
            (std::vector<std::string>{"2:20: '>' compares owed (money) and 60d (days): both "
                                      "sides need one unit (docs/language.md, Units)"}));
  EXPECT_EQ(diagnostics_of("param wait = 60d\nrule r { when arrears > wait }"),
            (std::vector<std::string>{"2:23: '>' compares arrears (money) and wait (days): both "
                                      "sides need one unit (docs/language.md, Units)"}));
  expect_loads("param wait = 60\nrule r { when arrears > wait }");
  // A plain param given a duration from outside: the check sees its value.
  EXPECT_EQ(diagnostics_of("param wait = 60\nrule r { when arrears > wait }", {{"wait", "60d"}}),
            (std::vector<std::string>{"2:23: '>' compares arrears (money) and wait (days): both "
                                      "sides need one unit (docs/language.md, Units)"}));
}

TEST(units, the_scores_of_one_severity_need_one_unit) {
  EXPECT_EQ(
      diagnostics_of("rule a { when arrears > 0 severity high score arrears }\n"
                     "rule b { when arrears > 0 severity high score arrears_days }\n"),
      (std::vector<std::string>{
          "2:47: rule 'b' scores in days, but rule 'a' (line 1), also high, scores in money: rows "
          "of one severity are ordered by score, so their scores need one unit (score both by the "
          "amount owed, say: score arrears)"}));
  // Different severities, plain scores and rules without a score are fine.
  expect_loads(
      "rule a { when arrears > 0 severity high score arrears }\n"
      "rule b { when arrears > 0 severity low score arrears_days }\n"
      "rule c { when arrears > 0 severity high score 5 }\n"
      "rule d { when arrears > 0 severity high }\n"
      "rule e { when arrears > 0 severity high score sum(payment, 6m) / count(payment, 6m) }\n");
}

TEST(units, the_standard_ruleset_scores_every_severity_in_money) {
  const rules_load load =
      load_rules(std::string(EARLYWARN_SOURCE_DIR) + "/rules/housing-early-warning.rules");
  ASSERT_TRUE(load.ok()) << load.report();
  for (const rule& r : load.rules->rules) {
    ASSERT_TRUE(r.score) << r.name;
    EXPECT_EQ(load.rules->text_of(load.rules->nodes[*r.score]), "arrears") << r.name;
  }
}

}  // namespace
}  // namespace earlywarn
