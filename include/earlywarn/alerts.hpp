#pragma once
/// \file alerts.hpp
/// Alerts: a rule starting or stopping to hold for a household (docs/language.md, Alerts).

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "earlywarn/household_evaluator.hpp"
#include "earlywarn/worklist.hpp"

namespace earlywarn {

/// Whether an alert opens or closes.
enum class alert_state : std::uint8_t { raised, cleared };

constexpr std::string_view to_string(alert_state s) noexcept {
  return s == alert_state::raised ? "raised" : "cleared";
}

/// A rule started (raised) or stopped (cleared) holding for a household.
struct alert {
  day date = 0;
  std::string household_id;
  std::uint32_t rule = 0;  ///< index into ruleset::rules
  alert_state state = alert_state::raised;
  std::string message;          ///< the rule's message as of `date`
  std::uint32_t household = 0;  ///< the household's index where one applies (a ledger's)
};

/// Orders alerts by date, household id, rule name: the order streams and
/// back-tests emit them in.
inline void sort_alerts(std::vector<alert>& alerts, const ruleset& rules) {
  std::sort(alerts.begin(), alerts.end(), [&](const alert& a, const alert& b) {
    if (a.date != b.date) return a.date < b.date;
    if (a.household_id != b.household_id) return a.household_id < b.household_id;
    return rules.rules[a.rule].name < rules.rules[b.rule].name;
  });
}

/// One alert as a JSON line: date, household, rule, severity, state, message
/// and the ruleset's name, version and fingerprint.
inline std::string alert_json(const alert& a, const ruleset& rules) {
  std::string out = "{\"date\":\"" + format_date(a.date) + "\",\"household\":";
  append_json_string(out, a.household_id);
  out += ",\"rule\":";
  append_json_string(out, rules.rules[a.rule].name);
  out += ",\"severity\":\"";
  out += to_string(rules.rules[a.rule].level);
  out += "\",\"state\":\"";
  out += to_string(a.state);
  out += "\",\"message\":";
  append_json_string(out, a.message);
  out += ",\"ruleset\":";
  append_json_string(out, rules.name);
  out += ",\"version\":" + std::to_string(rules.version) + ",\"fingerprint\":\"" +
         rules.fingerprint + "\"}\n";
  return out;
}

/// Alerts as CSV: `date,household,rule,severity,state,message`.
inline std::string alerts_csv(const std::vector<alert>& alerts, const ruleset& rules) {
  std::string out = "date,household,rule,severity,state,message\n";
  for (const alert& a : alerts) {
    out += format_date(a.date) + ',';
    append_csv_field(out, a.household_id);
    out += ',';
    append_csv_field(out, rules.rules[a.rule].name);
    out += ',';
    out += to_string(rules.rules[a.rule].level);
    out += ',';
    out += to_string(a.state);
    out += ',';
    append_csv_field(out, a.message);
    out += '\n';
  }
  return out;
}

/// The end of a cooldown that began on `raised`.
constexpr day cooldown_end(day raised, duration cooldown) noexcept {
  return cooldown.per == period::month || cooldown.per == period::year
             ? add_months(raised,
                          cooldown.per == period::year ? 12 * cooldown.count : cooldown.count)
             : raised + days_in(cooldown, raised);
}

/// The alert state of one household: which rules are raised, and when each
/// was last raised (for cooldowns).
class alert_tracker {
 public:
  explicit alert_tracker(std::size_t rules) : rules_(rules) {}

  /// Evaluates every rule as of the evaluator's date and emits the alerts
  /// that result, in rule-name order (`by_name` lists rule indices so).
  template <class Emit>
  void update(household_evaluator& e, const std::vector<std::uint32_t>& by_name,
              std::string_view household_id, Emit&& emit) {
    const ruleset& rs = e.bound().rules();
    const day d = e.signals().as_of();
    for (const std::uint32_t r : by_name) {
      state& s = rules_[r];
      const bool holds = e.fired(r);
      s.waiting = false;
      if (holds && !s.raised) {
        const auto& cooldown = rs.rules[r].cooldown;
        if (s.ever_raised && cooldown && d < cooldown_end(s.last_raised, *cooldown)) {
          s.waiting = true;  // due when the cooldown ends, if it still holds
          continue;
        }
        s.raised = true;
        s.ever_raised = true;
        s.last_raised = d;
        emit(alert{d, std::string(household_id), r, alert_state::raised, e.message(r)});
      } else if (!holds && s.raised) {
        s.raised = false;
        emit(alert{d, std::string(household_id), r, alert_state::cleared, e.message(r)});
      }
    }
  }

  /// The first day after the last update on which a cooldown ends for a rule
  /// that holds but was held back; `never` if none.
  day next_due(const ruleset& rs) const {
    day next = INT32_MAX;
    for (std::size_t r = 0; r < rules_.size(); ++r)
      if (rules_[r].waiting)
        next = std::min(next, cooldown_end(rules_[r].last_raised, *rs.rules[r].cooldown));
    return next;
  }

  /// Whether some rule's alert is raised, or held back by a cooldown.
  bool any_open() const noexcept {
    for (const state& s : rules_)
      if (s.raised || s.waiting) return true;
    return false;
  }

  /// Per-rule state, for checkpoints.
  struct state {
    bool raised = false;
    bool ever_raised = false;
    bool waiting = false;
    day last_raised = 0;
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
