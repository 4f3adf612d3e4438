#include "coverage.hpp"

#include <algorithm>

namespace earlywarn::scenarios {
namespace {

bool is_named_definition(const ruleset& rules, const expr_node& n) {
  const std::string_view text = rules.text_of(n);
  return std::any_of(rules.definitions.begin(), rules.definitions.end(),
                     [&](const definition& d) { return d.name == text; });
}

void collect(const ruleset& rules, std::uint32_t node, std::vector<std::uint32_t>& out) {
  const expr_node& n = rules.nodes[node];
  const bool joins =
      n.op == opcode::logical_and || n.op == opcode::logical_or || n.op == opcode::logical_not;
  if (joins && !is_named_definition(rules, n)) {
    collect(rules, n.a, out);
    if (n.op != opcode::logical_not) collect(rules, n.b, out);
    return;
  }
  // Compilation may share one node between equal expressions: count it once.
  for (const std::uint32_t seen : out)
    if (rules.nodes[seen].source_begin == n.source_begin &&
        rules.text_of(rules.nodes[seen]) == rules.text_of(n))
      return;
  out.push_back(node);
}

}  // namespace

std::vector<std::uint32_t> conditions_of(const ruleset& rules, std::uint32_t r) {
  std::vector<std::uint32_t> out;
  collect(rules, rules.rules[r].condition, out);
  return out;
}

coverage_counter::coverage_counter(const ruleset& rules) {
  coverage_.rules_file = rules.file_name;
  coverage_.ruleset_name = rules.name;
  coverage_.ruleset_version = rules.version;
  for (std::uint32_t r = 0; r < rules.rules.size(); ++r) {
    rule_coverage c;
    c.rule = rules.rules[r].name;
    nodes_.push_back(conditions_of(rules, r));
    for (const std::uint32_t node : nodes_.back()) {
      const expr_node& n = rules.nodes[node];
      c.conditions.push_back(
          {std::string(rules.text_of(n)), locate(rules.source, n.source_begin), 0, 0});
    }
    coverage_.rules.push_back(std::move(c));
  }
}

void coverage_counter::count(household_evaluator& e) {
  for (std::uint32_t r = 0; r < nodes_.size(); ++r) {
    rule_coverage& c = coverage_.rules[r];
    ++(e.fired(r) ? c.fired : c.not_fired);
    for (std::size_t k = 0; k < nodes_[r].size(); ++k)
      ++(e.condition(nodes_[r][k]) ? c.conditions[k].seen_true : c.conditions[k].seen_false);
  }
}

}  // namespace earlywarn::scenarios
