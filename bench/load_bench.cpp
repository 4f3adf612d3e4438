// Loading a city ledger from CSV text in memory, on 1 and 2 threads.

#include <benchmark/benchmark.h>

#include "bench_data.hpp"

namespace {

void load_csv(benchmark::State& state) {
  const std::string& text = earlywarn::bench::bench_csv();
  earlywarn::ledger_csv_options options;
  options.threads = static_cast<unsigned>(state.range(0));
  std::size_t events = 0;
  for (auto _ : state) {
    auto load = earlywarn::parse_ledger_csv(text, options);
    events = load.events.event_count();
    benchmark::DoNotOptimize(load);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * events));
  state.counters["events"] = static_cast<double>(events);
}
// Wall time, as a city waits for it; the CPU time column shows the calling
// thread only.
BENCHMARK(load_csv)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(3)
    ->UseRealTime();

}  // namespace
