#pragma once
// Lints: warnings about a ruleset that loads but says something its author
// cannot have meant (docs/language.md, Lints).

#include <vector>

#include "earlywarn/loading/diagnostic.hpp"
#include "earlywarn/model/ruleset.hpp"

namespace earlywarn::rules_front {

/// Rules that can never fire, as far as their text shows: a condition whose
/// comparisons of one value with constants contradict each other (`arrears
/// > 500 and arrears < 100`), or that needs a rule which can never fire; and
/// rules a decision shadows, under `first` or `priority`, because a rule
/// before them holds whenever they do. Needs a compiled ruleset whose
/// decisions are applied.
std::vector<diagnostic> lint(const ruleset& rules);

}  // namespace earlywarn::rules_front
