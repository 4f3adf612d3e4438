// first_equal_nodes() lets the evaluator and the change schedule compute a
// sub-expression that several rules repeat once per household: it must join
// exactly the nodes that compute the same thing.

#include <gtest/gtest.h>

#include <string_view>

#include "earlywarn.hpp"

namespace {

// The node of `rules` whose text is `text`, the `nth` such (0 first).
std::uint32_t node_of(const earlywarn::ruleset& rules, std::string_view text, int nth = 0) {
  for (std::uint32_t n = 0; n < rules.nodes.size(); ++n)
    if (rules.text_of(rules.nodes[n]) == text && nth-- == 0) return n;
  ADD_FAILURE() << "no node " << text;
  return 0;
}

TEST(first_equal_nodes, joins_repeated_expressions_and_nothing_else) {
  const auto load = earlywarn::compile_rules(
      "param grace = 15\n"
      "param other = 15\n"
      "rule a { when arrears_days > grace and arrears >= 100 }\n"
      "rule b { when arrears_days > grace and arrears > 100 }\n"
      "rule c { when arrears_days > other or arrears >= 100.00 }\n"
      "rule d { when count(credit, 2m) == 0 and count(credit, 3m) == 0 }\n",
      "first_equal.rules");
  ASSERT_TRUE(load.ok()) << load.report();
  const earlywarn::ruleset& rules = *load.rules;
  const std::vector<std::uint32_t> first = earlywarn::first_equal_nodes(rules);
  ASSERT_EQ(first.size(), rules.nodes.size());
  const auto same = [&](std::uint32_t x, std::uint32_t y) { return first[x] == first[y]; };
  // The same comparison in two rules, and its operands.
  EXPECT_TRUE(
      same(node_of(rules, "arrears_days > grace"), node_of(rules, "arrears_days > grace", 1)));
  EXPECT_TRUE(same(node_of(rules, "arrears"), node_of(rules, "arrears", 1)));
  // Another operator, another param (even of equal value), another window.
  EXPECT_FALSE(same(node_of(rules, "arrears >= 100"), node_of(rules, "arrears > 100")));
  EXPECT_FALSE(
      same(node_of(rules, "arrears_days > grace"), node_of(rules, "arrears_days > other")));
  EXPECT_FALSE(
      same(node_of(rules, "count(credit, 2m) == 0"), node_of(rules, "count(credit, 3m) == 0")));
  // Whole conditions that differ in one operand stay apart.
  EXPECT_FALSE(same(rules.rules[0].when, rules.rules[1].when));
  // Every node's first equal node is itself a first, and no later than it.
  for (std::uint32_t n = 0; n < first.size(); ++n) {
    EXPECT_LE(first[n], n);
    EXPECT_EQ(first[first[n]], first[n]);
  }
}

}  // namespace
