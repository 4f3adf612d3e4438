#pragma once
/// \file backtest_summary.hpp
/// What a back-test's alerts mean for caseworkers, per rule and per month:
/// raises, households, the open alerts they carry, how long alerts stay
/// open, how often one comes back soon after it cleared
/// (docs/language.md, Back-test summaries).

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "earlywarn/model/date.hpp"
#include "earlywarn/model/error.hpp"
#include "earlywarn/model/ledger.hpp"
#include "earlywarn/model/ruleset.hpp"
#include "earlywarn/streaming/alerts.hpp"

namespace earlywarn {

/// How to summarise a back-test.
struct summary_options {
  /// A raise this many days or fewer after the same rule cleared for the
  /// same household counts as a re-raise.
  std::int32_t reraise_days = 30;
};

/// One rule over the whole period (`month` empty) or over one month.
struct summary_row {
  std::uint32_t rule = 0;        ///< index into ruleset::rules
  std::optional<day> month;      ///< the month's first day; none: the whole period
  std::uint64_t raises = 0;      ///< `raised` alerts
  std::uint64_t households = 0;  ///< distinct households raised, or open on the first day
  std::uint64_t open = 0;        ///< distinct households with the alert open on some day: the load
  std::uint64_t reraises = 0;    ///< raises within `reraise_days` of the previous clear
  /// Open time in days (clear date minus raise date) of the alerts raised in
  /// the period and cleared by its end: how many, median and 90th
  /// percentile (nearest rank); none when no alert was raised and cleared.
  std::uint64_t closed = 0;
  std::optional<std::int32_t> median_open_days;
  std::optional<std::int32_t> p90_open_days;
  /// Whole period only: raises per household-year (the days households
  /// existed within the period, over 365.25), and the open alerts on an
  /// average day.
  double raises_per_household_year = 0;
  double mean_open = 0;
};

/// A back-test's summary: every rule over the whole period, then every rule
/// in every month of the period; rules in rule-name order.
struct backtest_summary {
  day from = 0, to = 0;
  std::int32_t reraise_days = 30;
  double household_years = 0;
  std::vector<summary_row> rows;
};

namespace detail {

// The k-th smallest by nearest rank: the value at rank ceil(q * n).
inline std::optional<std::int32_t> nearest_rank(std::vector<std::int32_t>& values, int percent) {
  if (values.empty()) return std::nullopt;
  const std::size_t n = values.size();
  const std::size_t rank =
      std::max<std::size_t>(1, (n * static_cast<std::size_t>(percent) + 99) / 100);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(rank - 1),
                   values.end());
  return values[rank - 1];
}

inline day first_of_month(day d) {
  const civil_date c = to_civil(d);
  return to_day({c.year, c.month, 1});
}

/// One alert of a back-test, from its raise (or its `open` on the first
/// day) to its clear.
struct alert_span {
  std::uint32_t household = 0;        ///< the alert's household index
  std::uint32_t rule = 0;             ///< index into ruleset::rules
  day start = 0;                      ///< the day it was raised, or found open
  bool raised = false;                ///< false: `open` on the back-test's first day
  bool cleared = false;               ///< false: still open at the end
  day cleared_on = 0;                 ///< the day it was cleared, when it was
  std::optional<day> previous_clear;  ///< the same rule's last clear for the household before
};

/// Calls `visit(span)` for every alert span of a back-test's `alerts`,
/// household by household, rule by rule, in date order. An alert naming a
/// rule or household past `rules` or `households` is API misuse:
/// std::invalid_argument, saying what `report` was not given.
template <class Visit>
void for_each_alert_span(const std::vector<alert>& alerts, std::size_t rules,
                         std::size_t households, const char* report, Visit&& visit) {
  // Sorted as small keys held together, not through indices into the
  // alerts: a city's millions of alerts sort in a fraction of the time.
  struct key {
    std::uint32_t household, rule;
    day date;
    std::uint32_t at;  // last: an `open` stays before a clear on the first day
  };
  std::vector<key> keys(alerts.size());
  for (std::uint32_t i = 0; i < keys.size(); ++i) {
    const alert& a = alerts[i];
    if (a.rule >= rules || a.household >= households)
      throw invalid_input(error_kind::misuse, std::string("an alert names a rule or household ") +
                                                  report + " was not given");
    keys[i] = {a.household, a.rule, a.date, i};
  }
  std::sort(keys.begin(), keys.end(), [](const key& x, const key& y) {
    if (x.household != y.household) return x.household < y.household;
    if (x.rule != y.rule) return x.rule < y.rule;
    if (x.date != y.date) return x.date < y.date;
    return x.at < y.at;
  });
  for (std::size_t i = 0; i < keys.size();) {
    const alert& head = alerts[keys[i].at];
    alert_span span;
    span.household = head.household;
    span.rule = head.rule;
    bool opened = false;
    for (; i < keys.size() && keys[i].household == head.household && keys[i].rule == head.rule;
         ++i) {
      const alert& a = alerts[keys[i].at];
      if (a.state == alert_state::cleared) {
        if (opened) {
          span.cleared = true;
          span.cleared_on = a.date;
          visit(static_cast<const alert_span&>(span));
        }
        opened = false;
        span.previous_clear = a.date;
        continue;
      }
      opened = true;
      span.start = a.date;
      span.raised = a.state == alert_state::raised;
      span.cleared = false;
    }
    if (opened) visit(static_cast<const alert_span&>(span));
  }
}

}  // namespace detail

/// Summarises the alerts `backtest(rules, events, from, to)` returned
/// (docs/language.md, Back-test summaries). Alerts of households or rules
/// the ledger and rules do not have are API misuse: std::invalid_argument.
[[nodiscard]] inline backtest_summary summarize_backtest(const std::vector<alert>& alerts,
                                                         const ruleset& rules, const ledger& events,
                                                         day from, day to,
                                                         const summary_options& options = {}) {
  detail::check_calendar_date(from, "the back-test's first date");
  detail::check_calendar_date(to, "the back-test's last date");
  if (options.reraise_days < 0)
    throw invalid_input(error_kind::misuse,
                        "reraise_days is negative: " + std::to_string(options.reraise_days));
  backtest_summary out;
  out.from = from;
  out.to = to;
  out.reraise_days = options.reraise_days;
  for (household_index h = 0; h < events.household_count(); ++h) {
    const household_events ev = events.events(h);
    if (ev.empty() || ev.dates.front() > to) continue;
    out.household_years += static_cast<double>(to - std::max(from, ev.dates.front()) + 1) / 365.25;
  }

  // The months of the period, and each alert's span: from its raise (or the
  // first day) to its clear, or past the last day.
  std::vector<day> months;
  for (day m = detail::first_of_month(from); m <= to; m = add_months(m, 1)) months.push_back(m);
  auto month_of = [&](day d) {
    return static_cast<std::size_t>(std::upper_bound(months.begin(), months.end(), d) -
                                    months.begin() - 1);
  };
  const std::size_t per_rule = months.size() + 1;
  // Spans come household by household, so a household is counted once
  // where it differs from the last one counted.
  struct distinct_households {
    std::uint64_t count = 0;
    std::int64_t last = -1;
    void add(std::uint32_t h) {
      if (static_cast<std::int64_t>(h) == last) return;
      last = h;
      ++count;
    }
  };
  struct tally {
    summary_row row;
    distinct_households raised_households, open_households;
    std::vector<std::int32_t> open_days;
    std::uint64_t open_day_total = 0;
  };
  std::vector<tally> tallies(rules.rules.size() * per_rule);
  for (std::uint32_t r = 0; r < rules.rules.size(); ++r)
    for (std::size_t k = 0; k < per_rule; ++k) {
      tally& t = tallies[r * per_rule + k];
      t.row.rule = r;
      if (k > 0) t.row.month = months[k - 1];
    }

  detail::for_each_alert_span(
      alerts, rules.rules.size(), events.household_count(), "the summary",
      [&](const detail::alert_span& span) {
        tally& whole = tallies[span.rule * per_rule];
        const std::size_t first_month = month_of(span.start);
        tally& month = tallies[span.rule * per_rule + first_month + 1];
        whole.raised_households.add(span.household);
        month.raised_households.add(span.household);
        if (span.raised) {
          ++whole.row.raises;
          ++month.row.raises;
          if (span.previous_clear && span.start - *span.previous_clear <= options.reraise_days) {
            ++whole.row.reraises;
            ++month.row.reraises;
          }
        }
        // Open on each day of [start, end).
        const day end = span.cleared ? span.cleared_on : to + 1;
        whole.open_day_total += static_cast<std::uint64_t>(end - span.start);
        const std::size_t last_month = month_of(std::max(end - 1, span.start));
        for (std::size_t k = first_month; k <= last_month; ++k)
          tallies[span.rule * per_rule + k + 1].open_households.add(span.household);
        whole.open_households.add(span.household);
        if (span.cleared && span.raised) {
          const auto days = static_cast<std::int32_t>(end - span.start);
          whole.open_days.push_back(days);
          month.open_days.push_back(days);
        }
      });

  const std::vector<std::uint32_t> by_name = rules_by_name(rules);
  const double days = static_cast<double>(to - from + 1);
  for (std::size_t k = 0; k < per_rule; ++k)
    for (const std::uint32_t r : by_name) {
      tally& t = tallies[r * per_rule + k];
      t.row.households = t.raised_households.count;
      t.row.open = t.open_households.count;
      t.row.closed = t.open_days.size();
      t.row.median_open_days = detail::nearest_rank(t.open_days, 50);
      t.row.p90_open_days = detail::nearest_rank(t.open_days, 90);
      if (k == 0) {
        t.row.raises_per_household_year =
            out.household_years > 0 ? static_cast<double>(t.row.raises) / out.household_years : 0;
        t.row.mean_open = static_cast<double>(t.open_day_total) / days;
      }
      out.rows.push_back(std::move(t.row));
    }
  return out;
}

/// The summary as CSV, one line per row: `rule,month,raises,households,
/// open,reraises,closed,median_open_days,p90_open_days,
/// raises_per_household_year,mean_open`; `month` is `all` for the whole
/// period, and the last two columns are empty on month rows.
inline std::string summary_csv(const backtest_summary& s, const ruleset& rules) {
  std::string out =
      "rule,month,raises,households,open,reraises,closed,median_open_days,p90_open_days,"
      "raises_per_household_year,mean_open\n";
  char number[64];
  for (const summary_row& row : s.rows) {
    append_csv_field(out, rules.rules[row.rule].name);
    out += ',';
    out += row.month ? format_date(*row.month).substr(0, 7) : std::string("all");
    for (const std::uint64_t v : {row.raises, row.households, row.open, row.reraises, row.closed})
      out += ',' + std::to_string(v);
    for (const auto& v : {row.median_open_days, row.p90_open_days})
      out += ',' + (v ? std::to_string(*v) : std::string());
    if (row.month) {
      out += ",,\n";
      continue;
    }
    std::snprintf(number, sizeof number, ",%.3f,%.3f\n", row.raises_per_household_year,
                  row.mean_open);
    out += number;
  }
  return out;
}

/// The summary as JSON lines, one object per row, with the ruleset's name,
/// version and fingerprint; `month` is null for the whole period.
inline std::string summary_json(const backtest_summary& s, const ruleset& rules) {
  std::string out;
  char number[64];
  for (const summary_row& row : s.rows) {
    out += "{\"rule\":";
    append_json_string(out, rules.rules[row.rule].name);
    out += ",\"month\":";
    out += row.month ? "\"" + format_date(*row.month).substr(0, 7) + "\"" : std::string("null");
    out += ",\"raises\":" + std::to_string(row.raises) +
           ",\"households\":" + std::to_string(row.households) +
           ",\"open\":" + std::to_string(row.open) +
           ",\"reraises\":" + std::to_string(row.reraises) +
           ",\"reraise_days\":" + std::to_string(s.reraise_days) +
           ",\"closed\":" + std::to_string(row.closed);
    for (const auto& [name, v] : {std::pair{"median_open_days", row.median_open_days},
                                  std::pair{"p90_open_days", row.p90_open_days}})
      out += std::string(",\"") + name + "\":" + (v ? std::to_string(*v) : std::string("null"));
    if (!row.month) {
      std::snprintf(number, sizeof number, ",\"raises_per_household_year\":%.3f,\"mean_open\":%.3f",
                    row.raises_per_household_year, row.mean_open);
      out += number;
    }
    out += ",\"ruleset\":";
    append_json_string(out, rules.name);
    out += ",\"version\":" + std::to_string(rules.version) + ",\"fingerprint\":\"" +
           rules.fingerprint + "\"}\n";
  }
  return out;
}

}  // namespace earlywarn
