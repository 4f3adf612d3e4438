#include <algorithm>
#include <string>

#include "planner.hpp"
#include "rule_graph.hpp"

namespace earlywarn::rules_front {
namespace {

// Why rule `from` reads rule `to` when its own clauses do not: a rule
// before it in its decision reads `to` in its when clause.
std::string decision_edge(const ruleset_draft& draft, const rule_reads& own_reads,
                          std::uint32_t from, std::uint32_t to) {
  const ruleset& rs = draft.rules;
  const auto& own = own_reads[from];
  if (std::find(own.begin(), own.end(), to) != own.end() || !rs.rules[from].in_decision) return {};
  const decision& d = rs.decisions[*rs.rules[from].in_decision];
  for (const std::uint32_t before : d.rules) {
    if (before == from) break;
    const auto& reads = draft.when_reads[before];
    if (std::find(reads.begin(), reads.end(), to) != reads.end())
      return "'" + rs.rules[from].name + "' comes after '" + rs.rules[before].name +
             "' in decision '" + d.name + "', so it fires only where '" + rs.rules[before].name +
             "' does not hold, and '" + rs.rules[before].name + "' reads '" + rs.rules[to].name +
             "'; ";
  }
  return {};
}

// Evaluating a rule recurses into the rules it reads, so the depth to
// bound is that of its expressions with each rule it reads in place:
// reach(r) = depth of r's expressions + max over rules d it reads of
// 1 + reach(d) (an upper bound, whatever the place of d in them). Only the
// first rule of a chain to go past the limit is reported: it is the one to
// change.
void limit_reach(const ruleset_draft& draft, diagnostic_log& log) {
  const ruleset& rs = draft.rules;
  std::vector<std::uint32_t> reach(rs.rules.size(), 0);
  std::vector<bool> beyond(rs.rules.size(), false);
  // A rule whose expressions failed to compile has no nodes to read.
  auto depth_of = [&](std::uint32_t node) {
    return node < draft.depth.size() ? draft.depth[node] : std::uint32_t{0};
  };
  for (const std::uint32_t r : rs.evaluation_order) {
    const rule& x = rs.rules[r];
    std::uint32_t local = depth_of(x.when);
    if (x.score) local = std::max(local, depth_of(*x.score));
    for (const message_part& part : x.message)
      if (part.expression) local = std::max(local, depth_of(*part.expression));
    std::uint32_t below = 0;
    bool inherited = false;
    for (const std::uint32_t d : x.reads_rules) {
      below = std::max(below, 1 + reach[d]);
      inherited = inherited || beyond[d];
    }
    reach[r] = local + below;
    beyond[r] = inherited || reach[r] > max_expression_depth;
    if (beyond[r] && !inherited)
      log.error(x.where, "rule '" + x.name +
                             "' is too deep to evaluate: with the rules it reads, " +
                             "and the rules they read, its conditions hold more than " +
                             std::to_string(max_expression_depth) +
                             " operations inside one another; read fewer rules in a chain");
  }
}

}  // namespace

// `own_reads` tells an edge a rule's clauses make from one its decision
// adds, so that a cycle through a decision says how the decision made it.
void set_evaluation_order(ruleset_draft& draft, const rule_reads& own_reads, diagnostic_log& log) {
  ruleset& rs = draft.rules;
  std::vector<std::vector<std::uint32_t>> reads;
  for (const rule& r : rs.rules) reads.push_back(r.reads_rules);
  const rule_order result = order_rules(reads);
  for (const auto& cycle : result.cycles) {
    std::string path, why;
    for (std::size_t i = 0; i < cycle.size(); ++i) {
      path += (path.empty() ? "" : " -> ") + rs.rules[cycle[i]].name;
      if (i + 1 < cycle.size()) why += decision_edge(draft, own_reads, cycle[i], cycle[i + 1]);
    }
    log.error(rs.rules[cycle.front()].where, "rules refer to each other in a cycle: " + path +
                                                 " (" + why + "a rule cannot depend on itself)");
  }
  rs.evaluation_order = result.order;
  limit_reach(draft, log);
}

}  // namespace earlywarn::rules_front
