#pragma once
// Small helpers shared by the tests.

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "earlywarn/evaluation/evaluate.hpp"
#include "earlywarn/evaluation/explain.hpp"
#include "earlywarn/loading/load_rules.hpp"
#include "earlywarn/model/date.hpp"
#include "earlywarn/model/ledger.hpp"
#include "earlywarn/streaming/alerts.hpp"
#include "earlywarn/streaming/stream.hpp"

namespace earlywarn::testing {

/// A date written in a test; a typo fails the test instead of passing quietly.
inline day date(std::string_view text) {
  const auto d = parse_date(text);
  if (!d) ADD_FAILURE() << "bad date in test: " << text;
  return d.value_or(0);
}

/// Rules written in a test; errors fail the test with the report.
inline ruleset must_compile(const std::string& text, const param_overrides& overrides = {}) {
  rules_load load = compile_rules(text, "test.rules", overrides);
  if (!load.ok()) {
    ADD_FAILURE() << load.report();
    return ruleset{};
  }
  return std::move(*load.rules);
}

/// The first diagnostic compiling `text` gives, or "" when there is none.
inline std::string first_message(const std::string& text) {
  const rules_load load = compile_rules(text, "test.rules");
  return load.diagnostics.empty() ? std::string() : load.diagnostics.front().message;
}

/// The value `explain` shows for `expression` in household `h`'s rules as
/// of `as_of`, or "not read".
inline std::string value_read(const ruleset& rules, const ledger& l, household_index h,
                              std::string_view as_of, std::string_view expression) {
  for (const rule_explanation& r : explain(rules, l, h, date(as_of)).rules)
    for (const reading& v : r.readings)
      if (v.expression == expression) return v.value;
  return "not read";
}

/// The worklist as of `as_of` as `household:rule ` pairs in worklist order:
/// one string to compare, readable when it differs.
inline std::string fired(const ruleset& rules, const ledger& l, std::string_view as_of) {
  std::string out;
  for (const worklist_row& row : evaluate(rules, l, date(as_of)).rows)
    out += std::string(row.household_id) + ":" + row.rule_name + " ";
  return out;
}

/// An event written in a test, dates as text.
struct event {
  std::string_view household;
  std::string_view date;
  std::string_view type;
  cents amount;
  std::string_view code = {};  ///< empty for none
};

/// A ledger of events written in a test.
inline ledger make_ledger(const std::vector<event>& events) {
  ledger_builder builder;
  for (const event& e : events) builder.add(e.household, date(e.date), e.type, e.amount, e.code);
  return std::move(builder).build();
}

/// Alerts as JSON lines: one string to compare, readable when it differs.
inline std::string alerts_text(const std::vector<alert>& alerts, const ruleset& rules) {
  std::string out;
  for (const alert& a : alerts) out += alert_json(a, rules);
  return out;
}

/// One event as a stream receives it.
struct posting {
  std::string household;
  day date;
  std::string type;
  cents amount;
  std::string code;  ///< empty for none
};

/// A ledger's events as postings, household by household (callers reorder).
inline std::vector<posting> postings_of(const ledger& l) {
  std::vector<posting> rows;
  for (household_index h = 0; h < l.household_count(); ++h) {
    const household_events ev = l.events(h);
    for (std::size_t i = 0; i < ev.size(); ++i)
      rows.push_back({std::string(l.household_id(h)), ev.dates[i],
                      std::string(l.types().name(ev.types[i])), ev.amounts[i],
                      std::string(l.codes().name(ev.code(i)))});
  }
  return rows;
}

/// Sets on `engine` every attribute of `table` its rules declare, as a
/// caller would before the stream's first event.
inline void set_attributes(stream_engine& engine, const household_attributes& table) {
  for (std::uint32_t row = 0; row < table.household_count(); ++row)
    for (const attribute_declaration& d : engine.rules().attributes)
      if (const auto column = table.find_column(d.name))
        engine.set_attribute(table.household_id(row), d.name, table.text(row, *column));
}

}  // namespace earlywarn::testing
