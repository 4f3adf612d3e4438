#pragma once
// The graph of rules referring to rules: an evaluation order, or the cycles.

#include <cstdint>
#include <utility>
#include <vector>

namespace earlywarn::rules_front {

struct rule_order {
  std::vector<std::uint32_t> order;                ///< dependencies first
  std::vector<std::vector<std::uint32_t>> cycles;  ///< each closed: a, b, …, a
};

/// `reads[r]` lists the rules rule r refers to.
rule_order order_rules(const std::vector<std::vector<std::uint32_t>>& reads);

}  // namespace earlywarn::rules_front
