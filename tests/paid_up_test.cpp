// Which rules cannot hold while nothing is owed: streams and back-tests skip
// paid-up households on the strength of it, so a rule wrongly marked would
// lose alerts. Each case here is one shape of condition.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "earlywarn.hpp"

namespace {

// Whether the single rule of `when` is false for every paid-up household.
bool false_when_paid_up(const std::string& when,
                        std::vector<std::pair<std::string, std::string>> params = {}) {
  const auto load = earlywarn::compile_rules(
      "param days = 15\nparam money = 100\nparam span = 3m\nrule r { when " + when + " }",
      "r.rules", params);
  EXPECT_TRUE(load.ok()) << load.report();
  if (!load.ok()) return false;
  return earlywarn::rules_false_when_paid_up(*load.rules).at(0);
}

TEST(paid_up, arrears_and_arrears_days_are_zero) {
  EXPECT_TRUE(false_when_paid_up("arrears_days > days"));
  EXPECT_TRUE(false_when_paid_up("arrears_days > 0"));
  EXPECT_FALSE(false_when_paid_up("arrears_days >= 0"));
  EXPECT_TRUE(false_when_paid_up("arrears_days >= 1"));
  EXPECT_TRUE(false_when_paid_up("arrears_days == 40"));
  EXPECT_FALSE(false_when_paid_up("arrears_days == 0"));
  EXPECT_FALSE(false_when_paid_up("arrears_days < 5"));
  EXPECT_TRUE(false_when_paid_up("arrears_days > 90d"));
  EXPECT_TRUE(false_when_paid_up("arrears_days >= span"));
  EXPECT_TRUE(false_when_paid_up("arrears > money"));
  EXPECT_TRUE(false_when_paid_up("arrears != 0"));
  EXPECT_FALSE(false_when_paid_up("arrears <= money"));
}

TEST(paid_up, comparisons_read_from_either_side) {
  EXPECT_TRUE(false_when_paid_up("days < arrears_days"));
  EXPECT_TRUE(false_when_paid_up("1 <= arrears"));
  EXPECT_FALSE(false_when_paid_up("0 <= arrears"));
  EXPECT_FALSE(false_when_paid_up("days > arrears_days"));
}

TEST(paid_up, balance_is_zero_or_below) {
  EXPECT_TRUE(false_when_paid_up("balance > 0"));
  EXPECT_TRUE(false_when_paid_up("balance >= 1"));
  EXPECT_FALSE(false_when_paid_up("balance >= 0"));
  EXPECT_FALSE(false_when_paid_up("balance == 0"));
  EXPECT_FALSE(false_when_paid_up("balance < money"));
}

TEST(paid_up, a_threshold_set_from_outside_counts) {
  EXPECT_TRUE(false_when_paid_up("arrears > money", {{"money", "0"}}));
  EXPECT_FALSE(false_when_paid_up("arrears >= money", {{"money", "0"}}));
  // A negative value is an expression (negation), never taken as fixed.
  EXPECT_FALSE(false_when_paid_up("arrears_days > -1"));
}

TEST(paid_up, a_day_closing_with_nothing_owed_ends_a_plan) {
  EXPECT_TRUE(false_when_paid_up("plan_breached"));
  EXPECT_TRUE(false_when_paid_up("plan_active"));
  EXPECT_FALSE(false_when_paid_up("not plan_breached"));
}

TEST(paid_up, and_needs_one_side_or_needs_both) {
  EXPECT_TRUE(false_when_paid_up("count(credit, 6m) >= 3 and arrears > 0"));
  EXPECT_TRUE(false_when_paid_up("arrears > 0 and count(credit, 6m) >= 3"));
  EXPECT_FALSE(false_when_paid_up("arrears > 0 or count(credit, 6m) >= 3"));
  EXPECT_TRUE(false_when_paid_up("arrears > 0 or plan_breached"));
  EXPECT_FALSE(false_when_paid_up("missing(days_since(payment))"));
  EXPECT_FALSE(false_when_paid_up("not (arrears > 0)"));
  EXPECT_FALSE(false_when_paid_up("arrears >= 2 * last(charge)"));
  EXPECT_FALSE(false_when_paid_up("days_since(contact) > 90"));
}

TEST(paid_up, a_rule_reference_reads_the_rule) {
  const auto load = earlywarn::compile_rules(
      "rule owing { when arrears > 0 }\n"
      "rule quiet { when days_since(contact) > 90 }\n"
      "rule both { when owing and quiet }\n"
      "rule either { when owing or quiet }\n",
      "r.rules");
  ASSERT_TRUE(load.ok()) << load.report();
  EXPECT_EQ(earlywarn::rules_false_when_paid_up(*load.rules),
            (std::vector<bool>{true, false, true, false}));
  EXPECT_FALSE(earlywarn::all_rules_false_when_paid_up(*load.rules));
}

TEST(paid_up, every_rule_of_the_standard_ruleset_needs_something_owed) {
  std::ifstream in(std::string(EARLYWARN_SOURCE_DIR) + "/rules/housing-early-warning.rules");
  std::stringstream text;
  text << in.rdbuf();
  const auto load = earlywarn::compile_rules(text.str(), "housing-early-warning.rules");
  ASSERT_TRUE(load.ok()) << load.report();
  EXPECT_TRUE(earlywarn::all_rules_false_when_paid_up(*load.rules));
}

}  // namespace
