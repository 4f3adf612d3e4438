#pragma once
/// \file alert_tracker.hpp
/// Alerts and their lifecycle: a rule starting or stopping to hold for a
/// household, with cooldowns, `raise_after` and `clear_after`
/// (docs/language.md, Alerts). The writers are in alerts.hpp.

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "earlywarn/evaluation/household_evaluator.hpp"

namespace earlywarn {

/// Whether an alert opens or closes; `open`: a back-test's first day finds it
/// raised before (docs/language.md, Alerts).
enum class alert_state : std::uint8_t { raised, cleared, open };

constexpr std::string_view to_string(alert_state s) noexcept {
  switch (s) {
    case alert_state::raised:
      return "raised";
    case alert_state::cleared:
      return "cleared";
    case alert_state::open:
      return "open";
  }
  return "raised";
}

/// A rule's alert opened (raised), closed (cleared), or was found open on
/// the first day of a back-test (open).
struct alert {
  day date = 0;
  std::string household_id;
  std::uint32_t rule = 0;  ///< index into ruleset::rules
  alert_state state = alert_state::raised;
  std::string message;          ///< the rule's message as of `date`
  std::uint32_t household = 0;  ///< the household's index where one applies (a ledger's)
};

/// Of one rule's alerts on one day: a back-test's `open` comes before the
/// clear that may follow it.
constexpr bool opens_first(const alert& a, const alert& b) noexcept {
  return a.state == alert_state::open && b.state != alert_state::open;
}

/// The day `span` after `start`: the end of a cooldown, of the wait of
/// `raise_after` or of `clear_after` that began on `start`.
constexpr day span_end(day start, duration span) noexcept {
  return span.per == period::month || span.per == period::year
             ? add_months(start, span.per == period::year ? 12 * span.count : span.count)
             : start + days_in(span, start);
}

/// The end of a cooldown that began on `raised`.
constexpr day cooldown_end(day raised, duration cooldown) noexcept {
  return span_end(raised, cooldown);
}

/// The alert state of one household: which rules are raised, when each was
/// last raised (cooldowns), since when a rule waiting out its `raise_after`
/// has held and since when a raised rule waiting out its `clear_after` has
/// not (docs/language.md, Alerts).
class alert_tracker {
 public:
  explicit alert_tracker(std::size_t rules) : rules_(rules) {}

  /// Evaluates every rule as of the evaluator's date and emits the alerts
  /// that result, in rule-name order (`by_name` lists rule indices so).
  /// `Say` false moves the states only, emitting nothing and writing no
  /// message (a back-test's days before its first).
  template <bool Say = true, class Emit>
  void update(household_evaluator& e, const std::vector<std::uint32_t>& by_name,
              std::string_view household_id, Emit&& emit) {
    update<Say>(e, e.bound().rules(), by_name, household_id, std::forward<Emit>(emit));
  }

  /// As update() above, with the alert clauses (`cooldown`, `raise_after`,
  /// `clear_after`) of `clauses`, a ruleset whose rules fire as the
  /// evaluator's do: a back-test of several variants of a ruleset evaluates
  /// each household once for all variants that differ only in those clauses.
  /// `messages` false: the alerts carry no message, which saves writing it
  /// where nobody reads it (summaries and outcome figures).
  template <bool Say = true, class Emit>
  void update(household_evaluator& e, const ruleset& clauses,
              const std::vector<std::uint32_t>& by_name, std::string_view household_id, Emit&& emit,
              bool messages = true) {
    const ruleset& rs = clauses;
    const day d = e.signals().as_of();
    for (const std::uint32_t r : by_name) {
      state& s = rules_[r];
      const rule& rl = rs.rules[r];
      s.waiting = false;
      if (e.fired(r)) {
        s.lapsing = false;
        if (s.raised) continue;
        if (rl.raise_after) {
          if (!s.holding) s.holding = true, s.held_since = d;
          if (d < span_end(s.held_since, *rl.raise_after)) continue;  // not held long enough
        }
        if (s.ever_raised && rl.cooldown && d < cooldown_end(s.last_raised, *rl.cooldown)) {
          s.waiting = true;  // due when the cooldown ends, if it still holds
          continue;
        }
        s.raised = true;
        s.holding = false;
        s.ever_raised = true;
        s.last_raised = d;
        if constexpr (Say)
          emit(alert{d, std::string(household_id), r, alert_state::raised,
                     messages ? e.message(r) : std::string()});
      } else {
        s.holding = false;
        if (!s.raised) continue;
        if (rl.clear_after) {
          if (!s.lapsing) s.lapsing = true, s.lapsed_since = d;
          if (d < span_end(s.lapsed_since, *rl.clear_after)) continue;  // not stopped long enough
          s.lapsing = false;
        }
        s.raised = false;
        if constexpr (Say)
          emit(alert{d, std::string(household_id), r, alert_state::cleared,
                     messages ? e.message(r) : std::string()});
      }
    }
  }

  /// The first day after the last update on which a wait ends: a cooldown
  /// for a rule that holds but was held back, a `raise_after` or a
  /// `clear_after`; `never` if none.
  day next_due(const ruleset& rs) const {
    day next = INT32_MAX;
    for (std::size_t r = 0; r < rules_.size(); ++r) {
      const state& s = rules_[r];
      const rule& rl = rs.rules[r];
      if (s.waiting)
        next = std::min(next, cooldown_end(s.last_raised, *rl.cooldown));
      else if (s.holding)
        next = std::min(next, span_end(s.held_since, *rl.raise_after));
      if (s.lapsing) next = std::min(next, span_end(s.lapsed_since, *rl.clear_after));
    }
    return next;
  }

  /// Whether some rule's alert is raised, held back by a cooldown, or waiting
  /// out its `raise_after`.
  bool any_open() const noexcept {
    for (const state& s : rules_)
      if (s.raised || s.waiting || s.holding) return true;
    return false;
  }

  /// Whether some rule's alert is raised.
  bool any_raised() const noexcept {
    return std::any_of(rules_.begin(), rules_.end(), [](const state& s) { return s.raised; });
  }

  /// Per-rule state, for checkpoints.
  struct state {
    bool raised = false;
    bool ever_raised = false;
    bool waiting = false;  ///< held back by its cooldown
    bool holding = false;  ///< holds, not raised, waiting out its `raise_after`
    bool lapsing = false;  ///< raised, does not hold, waiting out its `clear_after`
    day last_raised = 0;
    day held_since = 0;    ///< while `holding`
    day lapsed_since = 0;  ///< while `lapsing`

    /// Whether anything is kept: a state with none of the flags is the
    /// state of a rule never raised nor waiting.
    bool kept() const noexcept { return raised || ever_raised || waiting || holding || lapsing; }
  };
  const std::vector<state>& states() const noexcept { return rules_; }
  std::vector<state>& states() noexcept { return rules_; }

 private:
  std::vector<state> rules_;
};

/// Rule indices ordered by rule name.
inline std::vector<std::uint32_t> rules_by_name(const ruleset& rules) {
  std::vector<std::uint32_t> order(rules.rules.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return rules.rules[a].name < rules.rules[b].name;
  });
  return order;
}

}  // namespace earlywarn
