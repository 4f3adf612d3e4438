// The streaming engine on one thread: the city ledger's events pushed in
// posting order (date, household), the way housing software would post them.

#include <benchmark/benchmark.h>

#include "postings.hpp"

namespace {

void stream_push(benchmark::State& state) {
  const auto& rows = earlywarn::bench::postings();
  const auto& names = earlywarn::bench::household_ids();
  std::size_t alerts = 0, bytes = 0, households = 0;
  for (auto _ : state) {
    earlywarn::stream_engine engine(earlywarn::bench::standard_rules());
    std::vector<earlywarn::alert> out;
    for (const earlywarn::bench::posting& p : rows) {
      if (engine.push(names[p.household], p.date, p.type, p.amount, out) !=
          earlywarn::push_result::accepted) {
        state.SkipWithError("the postings are not in date order: an event was refused");
        return;
      }
      alerts += out.size();
      out.clear();
    }
    engine.finish(out);  // the last day's alerts
    alerts += out.size();
    bytes = engine.memory_bytes();
    households = engine.household_count();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows.size()));
  state.counters["alerts"] = static_cast<double>(alerts / state.iterations());
  state.counters["bytes_per_household"] =
      static_cast<double>(bytes) / static_cast<double>(households);
}
BENCHMARK(stream_push)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
