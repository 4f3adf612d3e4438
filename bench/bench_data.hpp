#pragma once
// Synthetic inputs shared by the benchmarks: the city-sized ledger as CSV text
// and as a loaded ledger, built once per process.

#include <cstdio>
#include <cstdlib>
#include <string>

#include "earlywarn.hpp"
#include "ledger_generator.hpp"

namespace earlywarn::bench {

/// Households in the benchmark ledger: 50,000 over 10 years (~11 M events)
/// unless EARLYWARN_BENCH_HOUSEHOLDS says otherwise.
inline std::uint32_t bench_households() {
  const char* text = std::getenv("EARLYWARN_BENCH_HOUSEHOLDS");
  return text ? static_cast<std::uint32_t>(std::strtoul(text, nullptr, 10)) : 50000;
}

inline generator_options bench_options() {
  generator_options options;
  options.households = bench_households();
  options.years = 10;
  options.start = to_day({2015, 1, 1});
  options.seed = 7;
  return options;
}

/// The benchmark ledger as CSV text.
inline const std::string& bench_csv() {
  static const std::string text = [] {
    char* buffer = nullptr;
    std::size_t size = 0;
    std::FILE* out = ::open_memstream(&buffer, &size);
    write_ledger_csv(bench_options(), out);
    std::fclose(out);
    std::string copy(buffer, size);
    std::free(buffer);
    return copy;
  }();
  return text;
}

/// The benchmark ledger, loaded.
inline const ledger& bench_ledger() {
  static const ledger events = [] {
    ledger_builder builder;
    generate_ledger(bench_options(), [&](const generated_event& e) {
      builder.add(household_id(e.household), e.date, e.type, e.cents);
    });
    return std::move(builder).build();
  }();
  return events;
}

/// The standard ruleset shipped in rules/.
inline const ruleset& standard_rules() {
  static const ruleset rules = [] {
    auto load = load_rules(EARLYWARN_SOURCE_DIR "/rules/housing-early-warning.rules");
    if (!load.ok()) std::abort();
    return std::move(*load.rules);
  }();
  return rules;
}

}  // namespace earlywarn::bench
