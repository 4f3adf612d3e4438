// Back-testing the standard ruleset day by day over ten years of history.

#include <benchmark/benchmark.h>

#include "bench_data.hpp"

namespace {

void backtest_daily(benchmark::State& state) {
  const earlywarn::ledger& events = earlywarn::bench::bench_ledger();
  const earlywarn::ruleset& rules = earlywarn::bench::standard_rules();
  earlywarn::backtest_options options;
  options.threads = static_cast<unsigned>(state.range(0));
  std::size_t alerts = 0;
  for (auto _ : state)
    alerts = earlywarn::backtest(rules, events, *events.first_date(), *events.last_date(), options)
                 .size();
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * events.event_count()));
  state.counters["households"] = static_cast<double>(events.household_count());
  state.counters["alerts"] = static_cast<double>(alerts);
}
BENCHMARK(backtest_daily)->Arg(2)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

}  // namespace
