#include <optional>
#include <string>

#include "planner.hpp"

namespace earlywarn::rules_front {

// The worklist orders the rows of one severity by score (docs/language.md,
// Outputs): comparing days owed with money owed would order nothing a
// caseworker can use, so the scores of one severity need one unit.
void check_score_units(const ruleset_draft& draft, const source_map& source, diagnostic_log& log) {
  const ruleset& rs = draft.rules;
  std::optional<std::uint32_t> first[static_cast<int>(severity::critical) + 1];
  for (std::uint32_t r = 0; r < rs.rules.size(); ++r) {
    const rule& x = rs.rules[r];
    if (!x.score || draft.dimensions[*x.score].plain) continue;
    auto& f = first[static_cast<int>(x.level)];
    if (!f) {
      f = r;
      continue;
    }
    const rule& y = rs.rules[*f];
    if (draft.dimensions[*y.score] == draft.dimensions[*x.score]) continue;
    log.error(source.locate_at(rs.nodes[*x.score].source_begin),
              "rule '" + x.name + "' scores in " + describe(draft.dimensions[*x.score]) +
                  ", but rule '" + y.name + "' (line " + std::to_string(y.where.line) + "), also " +
                  std::string(to_string(x.level)) + ", scores in " +
                  describe(draft.dimensions[*y.score]) +
                  ": rows of one severity are ordered by score, so their scores need one unit "
                  "(score both by the amount owed, say: score arrears)");
  }
}

}  // namespace earlywarn::rules_front
