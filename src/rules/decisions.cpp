#include <algorithm>
#include <bit>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "planner.hpp"

namespace earlywarn::rules_front {
namespace {

// A node the compiler adds (not written in the file), with the source
// range of node `text_from`.
std::uint32_t synthesized(ruleset_draft& draft, opcode op, std::uint32_t a, std::uint32_t b,
                          std::uint32_t text_from) {
  const expr_node& t = draft.rules.nodes[text_from];
  return draft.add_node({op, expr_type::boolean, unit::number, a, b, t.source_begin, t.source_end});
}

}  // namespace

// Gives each rule of a `first` or `priority` decision the condition it
// fires under: its own, and not the own condition of any rule before it in
// precedence order (the rule that fires there is the first of those that
// hold, so "no rule before it fired" is the same). Built from the
// ordinary operations, so run, back-test and stream need nothing new and
// agree by construction. The "any before it holds" of each rule is an `or`
// of at most log2(n) shared blocks of a balanced tree over the
// conditions: n rules take O(n) nodes and log depth, not n² or n deep.
rule_reads apply_decisions(ruleset_draft& draft, diagnostic_log& log) {
  ruleset& rs = draft.rules;
  rule_reads own_reads;
  for (rule& r : rs.rules) {
    r.condition = r.when;
    own_reads.push_back(r.reads_rules);
  }
  for (decision& d : rs.decisions) {
    if (d.policy == hit_policy::priority)
      std::stable_sort(d.rules.begin(), d.rules.end(), [&](std::uint32_t a, std::uint32_t b) {
        return rs.rules[a].level > rs.rules[b].level;
      });
    if (d.policy == hit_policy::collect) continue;
    std::map<std::pair<std::size_t, std::size_t>, std::uint32_t> blocks;
    // The `or` of the conditions of d.rules[start, start + size), size a power of two.
    auto block = [&](auto& self, std::size_t start, std::size_t size) -> std::uint32_t {
      if (size == 1) return rs.rules[d.rules[start]].condition;
      const auto found = blocks.find({start, size});
      if (found != blocks.end()) return found->second;
      const std::uint32_t left = self(self, start, size / 2);
      const std::uint32_t right = self(self, start + size / 2, size / 2);
      const std::uint32_t n = synthesized(draft, opcode::logical_or, left, right, left);
      blocks[{start, size}] = n;
      return n;
    };
    std::vector<std::uint32_t> reads_before;
    for (std::size_t i = 0; i < d.rules.size(); ++i) {
      rule& r = rs.rules[d.rules[i]];
      if (i > 0) {
        std::optional<std::uint32_t> before;
        std::size_t start = 0;
        for (std::size_t size = std::bit_floor(i); size > 0; size /= 2) {
          if ((i & size) == 0) continue;
          const std::uint32_t b = block(block, start, size);
          before = before ? synthesized(draft, opcode::logical_or, *before, b, b) : b;
          start += size;
        }
        const std::uint32_t none_before =
            synthesized(draft, opcode::logical_not, *before, 0, r.condition);
        r.when = synthesized(draft, opcode::logical_and, r.condition, none_before, r.condition);
        r.reads_rules.insert(r.reads_rules.end(), reads_before.begin(), reads_before.end());
        std::sort(r.reads_rules.begin(), r.reads_rules.end());
        r.reads_rules.erase(std::unique(r.reads_rules.begin(), r.reads_rules.end()),
                            r.reads_rules.end());
        if (draft.depth[r.when] > max_expression_depth)
          log.error(r.where, "rule '" + r.name + "' is too deep to evaluate in decision '" +
                                 d.name +
                                 "': its condition and those of the rules before it hold more "
                                 "than " +
                                 std::to_string(max_expression_depth) +
                                 " operations inside one another; split its condition into rules");
      }
      const auto& own = draft.when_reads[d.rules[i]];
      reads_before.insert(reads_before.end(), own.begin(), own.end());
    }
  }
  return own_reads;
}

}  // namespace earlywarn::rules_front
