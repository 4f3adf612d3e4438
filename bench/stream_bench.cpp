// The streaming engine on one thread: the city ledger's events pushed in
// posting order (date, household), the way housing software would post them.

#include <benchmark/benchmark.h>

#include "bench_data.hpp"

namespace {

struct posting {
  std::uint32_t household;
  earlywarn::day date;
  std::string_view type;
  earlywarn::cents amount;
};

const std::vector<posting>& postings() {
  static const std::vector<posting> rows = [] {
    std::vector<posting> out;
    earlywarn::bench::generate_ledger(earlywarn::bench::bench_options(),
                                      [&](const earlywarn::bench::generated_event& e) {
                                        out.push_back({e.household, e.date, e.type, e.cents});
                                      });
    return out;
  }();
  return rows;
}

const std::vector<std::string>& ids() {
  static const std::vector<std::string> out = [] {
    std::vector<std::string> v;
    for (std::uint32_t h = 0; h < earlywarn::bench::bench_households(); ++h)
      v.push_back(earlywarn::bench::household_id(h));
    return v;
  }();
  return out;
}

void stream_push(benchmark::State& state) {
  const auto& rows = postings();
  const auto& names = ids();
  std::size_t alerts = 0, bytes = 0, households = 0;
  for (auto _ : state) {
    earlywarn::stream_engine engine(earlywarn::bench::standard_rules());
    std::vector<earlywarn::alert> out;
    for (const posting& p : rows) {
      engine.push(names[p.household], p.date, p.type, p.amount, out);
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
  state.counters["bytes_per_household"] = static_cast<double>(bytes) / static_cast<double>(households);
}
BENCHMARK(stream_push)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
