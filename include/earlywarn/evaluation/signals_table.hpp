#pragma once
/// \file signals_table.hpp
/// The built-in signals of every household as of a date (the CLI's `signals`).

#include <string>
#include <vector>

#include "earlywarn/evaluation/evaluate.hpp"
#include "earlywarn/evaluation/household_signals.hpp"

namespace earlywarn {

/// One household's built-in signals.
struct signal_row {
  std::string household_id;
  cents balance = 0;
  cents arrears = 0;
  std::int32_t arrears_days = 0;
  std::int32_t tenure_days = 0;
  bool plan_active = false;
  bool plan_breached = false;
};

/// Signals of the households existing as of `as_of`, ordered by id. Custom
/// types declared by `rules` count towards the balance when given.
[[nodiscard]] inline std::vector<signal_row> compute_signals(
    const ledger& events, day as_of, const ruleset* rules = nullptr,
    const evaluation_options& options = {}) {
  const effect_table effects =
      rules ? effect_table(events.types(), *rules) : effect_table(events.types());
  std::vector<signal_row> rows(events.household_count());
  std::vector<char> present(events.household_count(), 0);
  detail::parallel_chunks(events.household_count(), options.threads, options.progress,
                          [&](std::size_t first, std::size_t last, unsigned) {
                            std::vector<cents> scratch;
                            for (std::size_t h = first; h < last; ++h) {
                              const auto index = static_cast<household_index>(h);
                              household_signals s(events.events(index), as_of, effects, scratch,
                                                  nullptr, nullptr, &events.codes());
                              if (!s.exists()) continue;
                              const plan_status plan = s.plan();
                              rows[h] = {std::string(events.household_id(index)),
                                         s.balance(),
                                         s.arrears(),
                                         s.arrears_days(),
                                         s.tenure_days(),
                                         plan.active,
                                         plan.breached};
                              present[h] = 1;
                            }
                          });
  std::vector<signal_row> out;
  for (std::size_t h = 0; h < rows.size(); ++h)
    if (present[h]) out.push_back(std::move(rows[h]));
  return out;
}

/// The signals as CSV, one household a line.
inline std::string signals_csv(const std::vector<signal_row>& rows) {
  std::string out =
      "household,balance,arrears,arrears_days,tenure_days,plan_active,plan_breached\n";
  for (const signal_row& r : rows) {
    append_csv_field(out, r.household_id);
    out += ',' + format_cents(r.balance) + ',' + format_cents(r.arrears) + ',' +
           std::to_string(r.arrears_days) + ',' + std::to_string(r.tenure_days) + ',' +
           (r.plan_active ? "true" : "false") + ',' + (r.plan_breached ? "true" : "false") + '\n';
  }
  return out;
}

/// The signals as one JSON document: `as_of` and `rows`, one object per
/// household with the columns of signals_csv(), amounts and days as numbers,
/// plan states as booleans (docs/cli.md, JSON).
inline std::string signals_json(const std::vector<signal_row>& rows, day as_of) {
  std::string out = "{\"as_of\":\"" + format_date(as_of) + "\",\"rows\":[";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const signal_row& r = rows[i];
    out += i == 0 ? "\n" : ",\n";
    out += "{\"household\":";
    append_json_string(out, r.household_id);
    out += ",\"balance\":" + format_cents(r.balance) + ",\"arrears\":" + format_cents(r.arrears) +
           ",\"arrears_days\":" + std::to_string(r.arrears_days) +
           ",\"tenure_days\":" + std::to_string(r.tenure_days) +
           ",\"plan_active\":" + (r.plan_active ? "true" : "false") +
           ",\"plan_breached\":" + (r.plan_breached ? "true" : "false") + '}';
  }
  out += "\n]}\n";
  return out;
}

}  // namespace earlywarn
