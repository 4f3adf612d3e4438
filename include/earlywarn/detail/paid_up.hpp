#pragma once
/// \file paid_up.hpp
/// Which rules cannot hold for a household that owes nothing.
///
/// Most households of a city are paid up most days. When every rule of a
/// ruleset needs something owed before it can hold, a household whose balance
/// is zero or in credit holds no rule, and none can start holding before its
/// next event: without events the balance stays where it is. Unless an alert
/// of it is open (or held back by a cooldown), evaluating it can raise or
/// clear nothing and schedule no check, so streams and back-tests skip it.

#include <cstdint>
#include <optional>
#include <vector>

#include "earlywarn/model/ruleset.hpp"
#include "earlywarn/streaming/alert_tracker.hpp"

namespace earlywarn {

namespace detail {

/// The sign of a node that is the same for every household and day
/// (a constant, a param, a duration in days); nothing for any other node.
inline std::optional<int> fixed_sign(const ruleset& rules, std::uint32_t n) {
  const expr_node& node = rules.nodes[n];
  switch (node.op) {
    case opcode::constant:
      return compare(rules.constants[node.a], value::integer(0));
    case opcode::param:
      return compare(rules.params()[node.a].number, value::integer(0));
    case opcode::duration_days:  // months vary in days, but never reach 0
      return rules.durations[node.a].count > 0 ? 1 : 0;
    default:
      return std::nullopt;
  }
}

/// Whether comparison `op` of a paid-up household's `kind` term (left) with
/// a number of sign `c` (right) is false, whatever the balance at or below 0.
inline bool false_when_paid_up(term_kind kind, opcode op, int c) {
  switch (kind) {
    case term_kind::arrears:
    case term_kind::arrears_days:  // both exactly 0 (docs/language.md, Signals and functions)
      return !comparison_holds(op, 0 > c ? 1 : (0 < c ? -1 : 0));
    case term_kind::balance:  // some b <= 0: false for all of them
      return (op == opcode::greater && c >= 0) ||
             ((op == opcode::greater_equal || op == opcode::equal) && c > 0);
    case term_kind::plan_shortfall:  // the plan ended for good: no value, every comparison false
      return true;
    default:
      return false;
  }
}

}  // namespace detail

/// For each rule, whether it is false for a household with a balance of 0 or
/// less and stays false until the household's next event. Conservative: a
/// rule marked false is, one marked true may or may not be.
///
/// Recognised: a comparison of arrears, arrears_days or balance with a
/// constant, param or duration that no balance at or below 0 satisfies;
/// plan_active and plan_breached (a day closing with nothing owed ends a plan
/// for good, docs/language.md, Signals and functions); `and` with such a side; `or` with two; a
/// reference to such a rule.
inline std::vector<bool> rules_false_when_paid_up(const ruleset& rules) {
  // Children precede their parents in `nodes`, and rules come after the
  // rules they read in evaluation_order, so one pass over each suffices.
  std::vector<bool> node_false(rules.nodes.size(), false), rule_false(rules.rules.size(), false);
  auto compute = [&](std::uint32_t n) {
    const expr_node& node = rules.nodes[n];
    switch (node.op) {
      case opcode::term: {
        const term_kind k = rules.terms[node.a].kind;
        return k == term_kind::plan_active || k == term_kind::plan_breached;
      }
      case opcode::rule:
        return static_cast<bool>(rule_false[node.a]);
      case opcode::logical_and:
        return node_false[node.a] || node_false[node.b];
      case opcode::logical_or:
        return node_false[node.a] && node_false[node.b];
      case opcode::less:
      case opcode::less_equal:
      case opcode::greater:
      case opcode::greater_equal:
      case opcode::equal:
      case opcode::not_equal: {
        const expr_node& left = rules.nodes[node.a];
        const expr_node& right = rules.nodes[node.b];
        if (left.op == opcode::term)
          if (const auto c = detail::fixed_sign(rules, node.b))
            return detail::false_when_paid_up(rules.terms[left.a].kind, node.op, *c);
        if (right.op == opcode::term)
          if (const auto c = detail::fixed_sign(rules, node.a))
            return detail::false_when_paid_up(rules.terms[right.a].kind, mirrored(node.op), *c);
        return false;
      }
      default:
        return false;
    }
  };
  // A node may be read by several rules: computing all nodes per rule in
  // evaluation order gives each rule reference its rule's answer first.
  for (const std::uint32_t r : rules.evaluation_order) {
    for (std::uint32_t n = 0; n <= rules.rules[r].when; ++n) node_false[n] = compute(n);
    rule_false[r] = node_false[rules.rules[r].when];
  }
  return rule_false;
}

/// Whether no rule of `rules` can hold for a paid-up household before its
/// next event.
inline bool all_rules_false_when_paid_up(const ruleset& rules) {
  for (const bool f : rules_false_when_paid_up(rules))
    if (!f) return false;
  return true;
}

/// Whether the household `e` has started on can neither raise nor clear an
/// alert before its next event, under a ruleset whose rules are all false
/// when paid up: it exists, owes nothing, and none of its alerts in
/// `tracker` is open or held back by a cooldown.
inline bool at_rest_while_paid_up(const household_evaluator& e, const alert_tracker& tracker) {
  return e.exists() && e.signals().balance() <= 0 && !tracker.any_open();
}

}  // namespace earlywarn
