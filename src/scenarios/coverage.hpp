#pragma once
// Coverage of a ruleset by scenarios (docs/rule-tests.md, Coverage): how
// often each rule fired and did not, and each condition of its `when` was
// true and false, over the households and dates the scenarios check.

#include <cstdint>
#include <string>
#include <vector>

#include "earlywarn/evaluation/household_evaluator.hpp"
#include "earlywarn/rule_tests/scenarios.hpp"

namespace earlywarn::scenarios {

/// The conditions of rule `r`'s `when`: the parts joined by `and`, `or` and
/// `not`, down to comparisons, flags, rule references and definitions used
/// by name; each node once, in the order written.
std::vector<std::uint32_t> conditions_of(const ruleset& rules, std::uint32_t r);

/// Counts, for one rules file, what the scenarios' evaluations exercised.
class coverage_counter {
 public:
  /// Starts counting for `rules` (any params: the structure is the text's).
  explicit coverage_counter(const ruleset& rules);

  /// Counts the current household of `e` (started, existing), bound to a
  /// ruleset compiled from the same text as the one given to the constructor.
  void count(household_evaluator& e);

  const ruleset_coverage& result() const noexcept { return coverage_; }

 private:
  std::vector<std::vector<std::uint32_t>> nodes_;  // per rule, its conditions' nodes
  ruleset_coverage coverage_;
};

}  // namespace earlywarn::scenarios
