#pragma once
/// \file outcomes.hpp
/// How early and how precisely each rule warned of the bad outcomes a ledger
/// records (a court filing, an eviction): recall, precision, lead time and
/// alerts that cleared without an outcome (docs/language.md, Outcomes).

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "earlywarn/model/error.hpp"
#include "earlywarn/model/ledger.hpp"
#include "earlywarn/model/ruleset.hpp"
#include "earlywarn/streaming/alerts.hpp"
#include "earlywarn/streaming/backtest_summary.hpp"

namespace earlywarn {

/// Which events are bad outcomes, and how far around them to look.
struct outcome_options {
  std::vector<std::string> types;   ///< event types that mark a bad outcome
  std::int32_t horizon_days = 180;  ///< how long before an outcome an alert counts as a warning
};

/// One rule's record against the outcomes of a back-test's period.
struct outcome_row {
  std::uint32_t rule = 0;       ///< index into ruleset::rules
  std::uint64_t outcomes = 0;   ///< outcomes in the period: (household, date) pairs
  std::uint64_t warned = 0;     ///< of them, with the rule's alert open in the horizon before
  std::uint64_t raises = 0;     ///< raises whose horizon ends within the period
  std::uint64_t followed = 0;   ///< of them, followed by an outcome within the horizon
  std::uint64_t cleared = 0;    ///< alerts cleared a horizon or more before the period ends
  std::uint64_t recovered = 0;  ///< of them, with no outcome from the raise to a horizon on
  /// Days from the alert's raise to the outcome, over the warned outcomes:
  /// quartiles by nearest rank; none when nothing was warned.
  std::optional<std::int32_t> lead_q1, lead_median, lead_q3;

  /// warned / outcomes, or none.
  std::optional<double> recall() const {
    return outcomes ? std::optional<double>(static_cast<double>(warned) / outcomes) : std::nullopt;
  }
  /// followed / raises, or none.
  std::optional<double> precision() const {
    return raises ? std::optional<double>(static_cast<double>(followed) / raises) : std::nullopt;
  }
};

/// Every rule's record, in rule-name order.
struct outcome_report {
  day from = 0, to = 0;
  outcome_options options;
  std::uint64_t outcomes = 0;    ///< (household, date) pairs of an outcome type in the period
  std::uint64_t households = 0;  ///< households with at least one
  std::vector<outcome_row> rows;
};

/// Measures the alerts `backtest(rules, events, from, to)` returned against
/// the outcome events of `events` (docs/language.md, Outcomes). Throws
/// std::invalid_argument for no outcome type, a type with no event in the
/// ledger (a misspelt type would otherwise measure nothing), a negative
/// horizon, or alerts of another ledger or ruleset.
[[nodiscard]] inline outcome_report evaluate_outcomes(const std::vector<alert>& alerts,
                                                      const ruleset& rules, const ledger& events,
                                                      day from, day to,
                                                      const outcome_options& options) {
  detail::check_calendar_date(from, "the back-test's first date");
  detail::check_calendar_date(to, "the back-test's last date");
  if (options.types.empty()) throw invalid_input(error_kind::misuse, "no outcome event type given");
  if (options.horizon_days < 0)
    throw invalid_input(error_kind::misuse, "the horizon is negative: " +
                                                std::to_string(options.horizon_days) + " days");
  std::vector<bool> is_outcome(events.types().size());
  for (const std::string& name : options.types) {
    const auto t = events.types().find(name);
    if (!t)
      throw invalid_input(error_kind::misuse,
                          "outcome type '" + name + "' has no event in the ledger");
    is_outcome[*t] = true;
  }
  const std::int32_t horizon = options.horizon_days;
  outcome_report out;
  out.from = from;
  out.to = to;
  out.options = options;

  // Each household's outcome dates in the period, distinct, in order.
  std::vector<std::vector<day>> dated(events.household_count());
  std::vector<std::uint64_t> first_index(events.household_count() + 1);
  for (household_index h = 0; h < events.household_count(); ++h) {
    const household_events ev = events.events(h);
    for (std::size_t i = 0; i < ev.size(); ++i)
      if (is_outcome[ev.types[i]] && ev.dates[i] >= from && ev.dates[i] <= to &&
          (dated[h].empty() || dated[h].back() != ev.dates[i]))
        dated[h].push_back(ev.dates[i]);
    first_index[h + 1] = first_index[h] + dated[h].size();
    out.households += dated[h].empty() ? 0 : 1;
  }
  out.outcomes = first_index.back();

  const std::size_t n_rules = rules.rules.size();
  std::vector<outcome_row> rows(n_rules);
  // Per rule and outcome: the longest lead of an alert open in its horizon, or -1.
  std::vector<std::int32_t> lead(n_rules * out.outcomes, -1);
  for (std::uint32_t r = 0; r < n_rules; ++r) rows[r].rule = r, rows[r].outcomes = out.outcomes;

  detail::for_each_alert_span(
      alerts, n_rules, events.household_count(), "the report", [&](const detail::alert_span& span) {
        const std::vector<day>& d = dated[span.household];
        outcome_row& row = rows[span.rule];
        // Outcomes after the raise, up to `last`: whether there is one.
        auto any_in = [&](day after, day last) {
          const auto it = std::upper_bound(d.begin(), d.end(), after);
          return it != d.end() && *it <= last;
        };
        if (span.raised && span.start + horizon <= to) {
          ++row.raises;
          if (any_in(span.start, span.start + horizon)) ++row.followed;
        }
        if (span.cleared && span.cleared_on + horizon <= to) {
          ++row.cleared;
          if (!any_in(span.start - 1, span.cleared_on + horizon)) ++row.recovered;
        }
        // The outcomes on whose horizon [date - horizon, date - 1] the span lies;
        // an alert open on the first day was open the day before too.
        const day end = span.cleared ? span.cleared_on : to + 1;
        const day open_since = span.raised ? span.start : span.start - 1;
        for (auto it = std::upper_bound(d.begin(), d.end(), open_since); it != d.end(); ++it) {
          if (end <= *it - horizon) continue;  // closed before this outcome's horizon
          std::int32_t& l = lead[span.rule * out.outcomes + first_index[span.household] +
                                 static_cast<std::uint64_t>(it - d.begin())];
          l = std::max(l, static_cast<std::int32_t>(*it - span.start));
        }
      });

  for (std::uint32_t r = 0; r < n_rules; ++r) {
    std::vector<std::int32_t> leads;
    for (std::uint64_t o = 0; o < out.outcomes; ++o)
      if (const std::int32_t l = lead[r * out.outcomes + o]; l >= 0) leads.push_back(l);
    rows[r].warned = leads.size();
    rows[r].lead_q1 = detail::nearest_rank(leads, 25);
    rows[r].lead_median = detail::nearest_rank(leads, 50);
    rows[r].lead_q3 = detail::nearest_rank(leads, 75);
  }
  for (const std::uint32_t r : rules_by_name(rules)) out.rows.push_back(rows[r]);
  return out;
}

/// The report as CSV: `rule,outcomes,warned,recall,raises,followed,precision,
/// lead_days_q1,lead_days_median,lead_days_q3,cleared,recovered`; ratios to
/// three decimals, empty where there is nothing to divide by.
inline std::string outcomes_csv(const outcome_report& report, const ruleset& rules) {
  std::string out =
      "rule,outcomes,warned,recall,raises,followed,precision,lead_days_q1,lead_days_median,"
      "lead_days_q3,cleared,recovered\n";
  auto ratio = [](std::optional<double> v) {
    if (!v) return std::string();
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", *v);
    return std::string(text);
  };
  auto days = [](std::optional<std::int32_t> v) { return v ? std::to_string(*v) : std::string(); };
  for (const outcome_row& row : report.rows) {
    append_csv_field(out, rules.rules[row.rule].name);
    out += ',' + std::to_string(row.outcomes) + ',' + std::to_string(row.warned) + ',' +
           ratio(row.recall()) + ',' + std::to_string(row.raises) + ',' +
           std::to_string(row.followed) + ',' + ratio(row.precision()) + ',' + days(row.lead_q1) +
           ',' + days(row.lead_median) + ',' + days(row.lead_q3) + ',' +
           std::to_string(row.cleared) + ',' + std::to_string(row.recovered) + '\n';
  }
  return out;
}

/// The report as JSON lines, one object per rule, with the outcome types,
/// the horizon and the ruleset's name, version and fingerprint.
inline std::string outcomes_json(const outcome_report& report, const ruleset& rules) {
  std::string types = "[";
  for (const std::string& t : report.options.types) {
    if (types.size() > 1) types += ',';
    append_json_string(types, t);
  }
  types += ']';
  auto ratio = [](std::optional<double> v) {
    if (!v) return std::string("null");
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", *v);
    return std::string(text);
  };
  auto days = [](std::optional<std::int32_t> v) {
    return v ? std::to_string(*v) : std::string("null");
  };
  std::string out;
  for (const outcome_row& row : report.rows) {
    out += "{\"rule\":";
    append_json_string(out, rules.rules[row.rule].name);
    out += ",\"outcome_types\":" + types +
           ",\"horizon_days\":" + std::to_string(report.options.horizon_days) +
           ",\"outcomes\":" + std::to_string(row.outcomes) +
           ",\"warned\":" + std::to_string(row.warned) + ",\"recall\":" + ratio(row.recall()) +
           ",\"raises\":" + std::to_string(row.raises) +
           ",\"followed\":" + std::to_string(row.followed) +
           ",\"precision\":" + ratio(row.precision()) + ",\"lead_days_q1\":" + days(row.lead_q1) +
           ",\"lead_days_median\":" + days(row.lead_median) +
           ",\"lead_days_q3\":" + days(row.lead_q3) +
           ",\"cleared\":" + std::to_string(row.cleared) +
           ",\"recovered\":" + std::to_string(row.recovered) + ",\"ruleset\":";
    append_json_string(out, rules.name);
    out += ",\"version\":" + std::to_string(rules.version) + ",\"fingerprint\":\"" +
           rules.fingerprint + "\"}\n";
  }
  return out;
}

}  // namespace earlywarn
