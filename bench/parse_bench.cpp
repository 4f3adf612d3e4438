// Loading a ruleset: parse, check and compile the standard rules.

#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "bench_data.hpp"

namespace {

void parse_standard_rules(benchmark::State& state) {
  std::ifstream in(EARLYWARN_SOURCE_DIR "/rules/housing-early-warning.rules");
  std::ostringstream text;
  text << in.rdbuf();
  const std::string source = text.str();
  for (auto _ : state) {
    auto load = earlywarn::compile_rules(source, "housing-early-warning.rules");
    benchmark::DoNotOptimize(load);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * source.size()));
}
BENCHMARK(parse_standard_rules);

}  // namespace
