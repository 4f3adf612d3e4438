// Fuzzed rules over a small fixed ledger, differential: the worklist of
// `evaluate` as of a date against the alerts a day-by-day back-test has open
// on that date. A rule without a cooldown is open exactly where it fired; a
// cooldown may hold a raise back, so with one, open implies fired. The first
// two bytes choose the date; the rest is the rules text.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "earlywarn/evaluation/evaluate.hpp"
#include "earlywarn/loading/ledger_csv.hpp"
#include "earlywarn/loading/load_rules.hpp"
#include "earlywarn/streaming/backtest.hpp"
#include "fuzz_support.hpp"

namespace {

using earlywarn::fuzz::finding;

// Six households over a year and a half: rent on the 1st, payments on time,
// late, partial or stopping, a repayment plan kept and one broken, contacts,
// custom event types, a late starter and one that never pays.
const earlywarn::ledger& fixed_ledger() {
  static const earlywarn::ledger events = [] {
    std::string csv = "household,date,type,amount\n";
    auto row = [&](const char* h, int year, int month, int day, const char* type,
                   const char* amount) {
      char date[16];
      std::snprintf(date, sizeof date, "%04d-%02d-%02d", year, month, day);
      csv += std::string(h) + ',' + date + ',' + type + ',' + amount + '\n';
    };
    for (int m = 0; m < 18; ++m) {
      const int year = 2023 + m / 12, month = 1 + m % 12;
      row("A-punctual", year, month, 1, "charge", "700.00");
      row("A-punctual", year, month, 2, "payment", "700.00");
      row("B-late", year, month, 1, "charge", "650.00");
      row("B-late", year, month, 25, "payment", "650.00");
      row("C-stops", year, month, 1, "charge", "800.00");
      if (m < 6) row("C-stops", year, month, 3, "payment", "800.00");
      if (m == 9) row("C-stops", year, month, 14, "contact", "");
      if (m == 11) row("C-stops", year, month, 20, "plan", "120.00");
      if (m >= 12 && m < 15) row("C-stops", year, month, 28, "payment", "120.00");
      row("D-partial", year, month, 1, "charge", "900.50");
      row("D-partial", year, month, 10, "payment", m % 3 == 0 ? "300.00" : "900.50");
      if (m % 4 == 1) row("D-partial", year, month, 12, "credit", "150.25");
      if (m == 5) row("D-partial", year, month, 15, "benefit_clawback", "220.00");
      if (m % 5 == 2) row("D-partial", year, month, 18, "letter_sent", "");
      if (m >= 8) {
        row("E-late-starter", year, month, 1, "charge", "500.00");
        if (m % 2 == 0) row("E-late-starter", year, month, 5, "payment", "1000.00");
      }
      row("F-never-pays", year, month, 1, "charge", "450.00");
      if (m == 4) row("F-never-pays", year, month, 2, "plan", "50.00");
      if (m == 4) row("F-never-pays", year, month, 9, "payment", "50.00");
    }
    earlywarn::ledger_csv_options options;
    options.threads = 1;
    earlywarn::ledger_load load = earlywarn::parse_ledger_csv(csv, options);
    if (!load.ok()) finding("the fixed ledger does not load: " + load.error->message);
    return std::move(load.events);
  }();
  return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  earlywarn::fuzz::input_bytes input(data, size);
  const unsigned offset = input.take() | unsigned(input.take()) << 8;
  const earlywarn::rules_load load =
      earlywarn::compile_rules(std::string(input.rest()), "fuzz.rules");
  if (!load.ok()) return 0;
  const earlywarn::ruleset& rules = *load.rules;
  const earlywarn::ledger& events = fixed_ledger();
  const earlywarn::day first = *events.first_date();
  const earlywarn::day span = *events.last_date() - first + 60;  // and two months beyond
  const earlywarn::day as_of = first + static_cast<earlywarn::day>(offset % span);

  earlywarn::evaluation_options evaluation;
  evaluation.threads = 1;
  const earlywarn::worklist worklist = earlywarn::evaluate(rules, events, as_of, evaluation);
  std::set<std::pair<std::uint32_t, std::uint32_t>> fired;  // (household, rule)
  for (const earlywarn::worklist_row& r : worklist.rows) fired.emplace(r.household, r.rule);

  earlywarn::backtest_options replay;
  replay.threads = 1;
  std::map<std::pair<std::uint32_t, std::uint32_t>, bool> open;
  for (const earlywarn::alert& a : earlywarn::backtest(rules, events, first, as_of, replay)) {
    if (a.date > as_of) finding("the back-test went past its last day");
    open[{a.household, a.rule}] = a.state == earlywarn::alert_state::raised;
  }
  for (const auto& [key, is_open] : open)
    if (is_open && !fired.count(key))
      finding("rule " + rules.rules[key.second].name + " is open in the back-test for " +
              std::string(events.household_id(key.first)) + " but did not fire in evaluate");
  for (const auto& key : fired) {
    const auto it = open.find(key);
    const bool is_open = it != open.end() && it->second;
    if (!is_open && !rules.rules[key.second].cooldown)
      finding("rule " + rules.rules[key.second].name + " fired in evaluate for " +
              std::string(events.household_id(key.first)) +
              " but is not open in the back-test, and has no cooldown");
  }
  return 0;
}
