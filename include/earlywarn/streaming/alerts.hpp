#pragma once
/// \file alerts.hpp
/// Alerts in order and as text: sorted as streams emit them, as JSON lines
/// and as CSV (docs/language.md, Alerts). The alert and its lifecycle are in
/// alert_tracker.hpp.

#include <algorithm>
#include <string>
#include <vector>

#include "earlywarn/evaluation/worklist.hpp"
#include "earlywarn/streaming/alert_tracker.hpp"

namespace earlywarn {

/// Orders alerts by date, household id, rule name: the order streams and
/// back-tests emit them in.
inline void sort_alerts(std::vector<alert>& alerts, const ruleset& rules) {
  std::sort(alerts.begin(), alerts.end(), [&](const alert& a, const alert& b) {
    if (a.date != b.date) return a.date < b.date;
    if (a.household_id != b.household_id) return a.household_id < b.household_id;
    if (a.rule != b.rule) return rules.rules[a.rule].name < rules.rules[b.rule].name;
    return opens_first(a, b);
  });
}

/// One alert of a rule of `rules` as a JSON line: date, household, rule,
/// severity, state, message and the name, version and fingerprint of the
/// ruleset `by` that raised or cleared it (a reload clears the alerts of
/// removed rules under the new ruleset: docs/streams.md, Reloading rules).
inline std::string alert_json(const alert& a, const ruleset& rules, const ruleset& by) {
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
  append_json_string(out, by.name);
  out += ",\"version\":" + std::to_string(by.version) + ",\"fingerprint\":\"" + by.fingerprint +
         "\"}\n";
  return out;
}

/// alert_json() of an alert raised or cleared by `rules` itself.
inline std::string alert_json(const alert& a, const ruleset& rules) {
  return alert_json(a, rules, rules);
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

}  // namespace earlywarn
