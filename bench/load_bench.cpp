// Loading a city ledger from CSV text in memory (one core).

#include <benchmark/benchmark.h>

#include "bench_data.hpp"

namespace {

void load_csv(benchmark::State& state) {
  const std::string& text = earlywarn::bench::bench_csv();
  std::size_t events = 0;
  for (auto _ : state) {
    auto load = earlywarn::parse_ledger_csv(text);
    events = load.events.event_count();
    benchmark::DoNotOptimize(load);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * events));
  state.counters["events"] = static_cast<double>(events);
}
BENCHMARK(load_csv)->Unit(benchmark::kMillisecond)->MinTime(3);

}  // namespace
