// earlywarn's side of the comparison with DuckDB and pandas (bench/compare/run):
// the time to load a ledger CSV and, separately, the time of one in-memory
// evaluation of a ruleset as of a date, measured in one process the way the
// Node and pandas scripts measure theirs. `earlywarn run` has no timings
// option, and subtracting a load-only run from a full run would leave a
// 45 ms figure inside the noise of two 1.3 s loads.
//
//   compare_evaluate_timing --rules RULES --ledger LEDGER --as-of DATE [--threads N]
//
// Prints one line of JSON: load_seconds, evaluate_seconds, events,
// households, worklist_rows.

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "earlywarn.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

int usage() {
  std::fputs(
      "usage: compare_evaluate_timing --rules RULES --ledger LEDGER --as-of DATE [--threads N]\n",
      stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string rules_path, ledger_path, as_of_text;
  unsigned threads = 2;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const char* text = argv[i + 1];
    if (name == "--rules")
      rules_path = text;
    else if (name == "--ledger")
      ledger_path = text;
    else if (name == "--as-of")
      as_of_text = text;
    else if (name == "--threads")
      threads = static_cast<unsigned>(std::strtoul(text, nullptr, 10));
    else
      return usage();
  }
  if (argc % 2 == 0 || rules_path.empty() || ledger_path.empty() || as_of_text.empty())
    return usage();
  const auto as_of = earlywarn::parse_date(as_of_text);
  if (!as_of) return usage();

  auto rules = earlywarn::load_rules(rules_path);
  if (!rules.ok()) {
    std::fputs(rules.report().c_str(), stderr);
    return 1;
  }

  const auto load_start = clock_type::now();
  const earlywarn::ledger_load ledger = earlywarn::load_ledger_csv(ledger_path);
  const double load_seconds = seconds_since(load_start);
  if (!ledger.ok()) {
    std::fprintf(stderr, "%s\n", ledger.error->render().c_str());
    return 1;
  }

  earlywarn::evaluation_options options;
  options.threads = threads;
  const auto evaluate_start = clock_type::now();
  const earlywarn::worklist result =
      earlywarn::evaluate(*rules.rules, ledger.events, *as_of, options);
  const double evaluate_seconds = seconds_since(evaluate_start);

  std::printf(
      "{\"load_seconds\": %.6f, \"evaluate_seconds\": %.6f, \"events\": %zu, "
      "\"households\": %zu, \"worklist_rows\": %zu}\n",
      load_seconds, evaluate_seconds, ledger.events.event_count(), ledger.events.household_count(),
      result.rows.size());
  return 0;
}
