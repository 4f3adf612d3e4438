#pragma once
// The stages after checking, which plan how the checked rules are evaluated
// and ranked: the units of scores across rules, the conditions decisions
// give their rules, and the evaluation order. They read the ruleset draft,
// never the syntax tree, so they compile without X3's headers.

#include <cstdint>
#include <vector>

#include "diagnostic_log.hpp"
#include "ruleset_draft.hpp"
#include "source_map.hpp"

namespace earlywarn::rules_front {

/// Per rule: the rules it reads.
using rule_reads = std::vector<std::vector<std::uint32_t>>;

/// An error for each scored rule whose score has another unit than the first
/// scored rule of its severity (score_units.cpp).
void check_score_units(const ruleset_draft& draft, const source_map& source, diagnostic_log& log);

/// Makes each rule of a `first` or `priority` decision fire only where no rule
/// before it holds; per rule, the rules its own clauses read (decisions.cpp).
rule_reads apply_decisions(ruleset_draft& draft, diagnostic_log& log);

/// Sets the evaluation order, rules before the rules that read them; errors for
/// cycles and for chains of rules too deep to evaluate (rule_order.cpp).
void set_evaluation_order(ruleset_draft& draft, const rule_reads& own_reads, diagnostic_log& log);

}  // namespace earlywarn::rules_front
