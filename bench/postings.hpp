#pragma once
// The city ledger's events in posting order (date, household), the way
// housing software would post them to a stream, built once per process.

#include <string>
#include <string_view>
#include <vector>

#include "bench_data.hpp"

namespace earlywarn::bench {

/// One event as a stream receives it; `household` indexes household_ids().
struct posting {
  std::uint32_t household;
  day date;
  std::string_view type;
  cents amount;
};

inline const std::vector<posting>& postings() {
  static const std::vector<posting> rows = [] {
    std::vector<posting> out;
    generate_ledger(bench_options(), [&](const generated_event& e) {
      out.push_back({e.household, e.date, e.type, e.cents});
    });
    return out;
  }();
  return rows;
}

/// The households' id texts, by index.
inline const std::vector<std::string>& household_ids() {
  static const std::vector<std::string> out = [] {
    std::vector<std::string> v;
    for (std::uint32_t h = 0; h < bench_households(); ++h) v.push_back(household_id(h));
    return v;
  }();
  return out;
}

}  // namespace earlywarn::bench
