// Evaluating the standard ruleset as of a date over a city ledger.

#include <benchmark/benchmark.h>

#include "bench_data.hpp"

namespace {

void evaluate_standard_rules(benchmark::State& state) {
  const earlywarn::ledger& events = earlywarn::bench::bench_ledger();
  const earlywarn::ruleset& rules = earlywarn::bench::standard_rules();
  const earlywarn::day as_of = *events.last_date();
  earlywarn::evaluation_options options;
  options.threads = static_cast<unsigned>(state.range(0));
  std::size_t rows = 0;
  for (auto _ : state) {
    const auto w = earlywarn::evaluate(rules, events, as_of, options);
    rows = w.rows.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * events.event_count()));
  state.counters["events"] = static_cast<double>(events.event_count());
  state.counters["households"] = static_cast<double>(events.household_count());
  state.counters["worklist_rows"] = static_cast<double>(rows);
}
BENCHMARK(evaluate_standard_rules)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(3)
    ->UseRealTime();

}  // namespace
