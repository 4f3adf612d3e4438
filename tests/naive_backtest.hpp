#pragma once
// The back-test without a change schedule: every household that exists, on
// every step day. The scheduled back-test must give exactly its alerts.

#include <string>
#include <vector>

#include "earlywarn.hpp"

namespace earlywarn::testing {

/// The alerts of evaluating every household on every step from `from` to `to`.
inline std::vector<alert> every_step(const ruleset& rules, const ledger& events, day from, day to,
                                     backtest_step every) {
  const bound_ruleset bound(rules, events);
  household_evaluator e(bound);
  const auto by_name = rules_by_name(rules);
  std::vector<alert_tracker> trackers(events.household_count(), alert_tracker(rules.rules.size()));
  std::vector<alert> out;
  for (std::int64_t k = 0;; ++k) {
    const day d = backtest_day(from, every, k);
    if (d > to) break;
    for (household_index h = 0; h < events.household_count(); ++h) {
      e.start(h, d);
      if (!e.exists()) continue;
      trackers[h].update(e, by_name, std::string(events.household_id(h)),
                         [&](alert&& a) { out.push_back(std::move(a)); });
    }
  }
  sort_alerts(out, rules);
  return out;
}

}  // namespace earlywarn::testing
