#pragma once
// The ruleset while it is compiled, with what the compiler knows of it that
// the finished ruleset does not keep. The checker fills it from the syntax
// tree; the stages after it (planner.hpp) read and extend it.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "dimension.hpp"
#include "earlywarn/model/ruleset.hpp"

namespace earlywarn::rules_front {

/// A ruleset being compiled, and the depth and unit of each of its nodes.
class ruleset_draft {
 public:
  /// The ruleset itself: the loader takes it when no pass found an error.
  ruleset rules;
  /// Per node of rules.nodes: how many operations it holds inside one another.
  std::vector<std::uint32_t> depth;
  /// Per node of rules.nodes: its unit.
  std::vector<dimension> dimensions;
  /// Per rule: the rules its when clause reads.
  std::vector<std::vector<std::uint32_t>> when_reads;

  /// The ruleset's params, as the checker declares them.
  std::vector<param>& params() noexcept { return rules.params_; }
  /// Appends node `n` with its depth and unit; its index.
  std::uint32_t add_node(expr_node n);
  /// Appends a node without operands over the source range `range`; its index.
  std::uint32_t leaf(opcode op, expr_type type, unit u, std::uint32_t index,
                     std::pair<std::uint32_t, std::uint32_t> range);
  /// The index of the term equal to `t`, appended if there is none: equal
  /// calls share one term.
  std::uint32_t add_term(const term& t);
  /// The text of node `node` for a diagnostic, cut short when long.
  std::string short_text(std::uint32_t node) const;

 private:
  /// The unit of node `n`, from its operation and its operands' units.
  dimension dimension_of(const expr_node& n) const;

  std::unordered_map<std::string, std::uint32_t> term_index_;  // by kind, window and type
};

}  // namespace earlywarn::rules_front
