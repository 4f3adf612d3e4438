#pragma once
// The back-test without a change schedule: every household that exists, on
// every step day. The scheduled back-test must give exactly its alerts.

#include <string>
#include <vector>

#include "earlywarn.hpp"

namespace earlywarn::testing {

/// The alerts of evaluating every household on every step from `from` to
/// `to`, after every day from the ledger's first to the day before `from`
/// (alerts then open come as `open` on `from`).
inline std::vector<alert> every_step(const ruleset& rules, const ledger& events, day from, day to,
                                     backtest_step every) {
  const bound_ruleset bound(rules, events);
  household_evaluator e(bound);
  const auto by_name = rules_by_name(rules);
  std::vector<alert_tracker> trackers(events.household_count(), alert_tracker(rules.rules.size()));
  std::vector<alert> out;
  if (from > to) return out;
  auto evaluate_all = [&](day d, bool quiet) {
    for (household_index h = 0; h < events.household_count(); ++h) {
      e.start(h, d);
      if (!e.exists()) continue;
      trackers[h].update(e, by_name, std::string(events.household_id(h)), [&](alert&& a) {
        if (!quiet) out.push_back(std::move(a));
      });
    }
  };
  day first = from;
  for (household_index h = 0; h < events.household_count(); ++h)
    if (!events.events(h).empty()) first = std::min(first, events.events(h).dates.front());
  for (day d = first; d < from; ++d) evaluate_all(d, true);
  for (household_index h = 0; h < events.household_count(); ++h) {
    e.start(h, from);
    for (std::uint32_t r = 0; r < rules.rules.size(); ++r)
      if (trackers[h].states()[r].raised)
        out.push_back(
            alert{from, std::string(events.household_id(h)), r, alert_state::open, e.message(r)});
  }
  for (std::int64_t k = 0;; ++k) {
    const day d = backtest_day(from, every, k);
    if (d > to) break;
    evaluate_all(d, false);
  }
  sort_alerts(out, rules);
  return out;
}

}  // namespace earlywarn::testing
