#pragma once
/// \file evaluate.hpp
/// Batch evaluation as of a date: a ruleset over a whole ledger (docs/language.md, Outputs).

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "earlywarn/detail/task_pool.hpp"
#include "earlywarn/evaluation/household_evaluator.hpp"
#include "earlywarn/evaluation/worklist.hpp"

namespace earlywarn {

/// How to run an evaluation.
struct evaluation_options {
  /// Worker threads; 0 means one per hardware thread. The output is the same
  /// for any number.
  unsigned threads = 0;
  /// Called on the calling thread now and then with households done and total.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

namespace detail {

/// Runs `work(first, last, worker)` over [0, total) in chunks of
/// households on `threads` threads (run_tasks: the calling thread is worker
/// 0), reporting progress from the calling thread.
inline void parallel_chunks(
    std::size_t total, unsigned threads,
    const std::function<void(std::size_t done, std::size_t total)>& progress,
    const std::function<void(std::size_t, std::size_t, unsigned)>& work) {
  constexpr std::size_t chunk = 512;
  std::atomic<std::size_t> done{0};
  run_tasks((total + chunk - 1) / chunk, threads,
            [&](std::size_t c, unsigned worker) {
              const std::size_t first = c * chunk, last = std::min(total, first + chunk);
              work(first, last, worker);
              done.fetch_add(last - first, std::memory_order_relaxed);
            },
            progress ? std::function<void()>([&] { progress(done.load(), total); })
                     : std::function<void()>());
  if (progress && total > 0) progress(total, total);
}

}  // namespace detail

/// The date evaluation defaults to (docs/cli.md, As of): the latest date of
/// an event whose type `rules` does not declare scheduled, as a scheduled
/// event (a hearing) may lie in the future; none when there is no such event.
inline std::optional<day> latest_recorded_date(const ledger& events, const ruleset& rules) {
  const effect_table effects(events.types(), rules);
  bool any = false;
  for (std::size_t t = 0; t < events.types().size(); ++t)
    any = any || effects.scheduled(static_cast<type_id>(t));
  if (!any) return events.last_date();
  std::optional<day> latest;
  const auto dates = events.dates();
  const auto types = events.type_ids();
  for (std::size_t i = 0; i < dates.size(); ++i)
    if (!effects.scheduled(types[i]) && (!latest || dates[i] > *latest)) latest = dates[i];
  return latest;
}

/// Evaluates every rule for every household existing as of `as_of` and
/// returns the worklist, sorted (docs/language.md, Outputs). Deterministic on any thread count.
/// Throws std::invalid_argument for a date outside 0001-01-01 to 9999-12-31.
[[nodiscard]] inline worklist evaluate(const ruleset& rules, const ledger& events, day as_of,
                                       const evaluation_options& options = {}) {
  detail::check_calendar_date(as_of, "as_of");
  const bound_ruleset bound(rules, events);
  const std::size_t households = events.household_count();
  const unsigned threads = detail::thread_count(options.threads);
  std::vector<std::vector<worklist_row>> per_thread(threads);
  detail::parallel_chunks(households, threads, options.progress,
                          [&](std::size_t first, std::size_t last, unsigned worker) {
                            household_evaluator evaluator(bound);
                            std::vector<worklist_row>& rows = per_thread[worker];
                            for (std::size_t h = first; h < last; ++h) {
                              const auto household = static_cast<household_index>(h);
                              evaluator.start(household, as_of);
                              if (!evaluator.exists()) continue;
                              for (std::uint32_t r = 0; r < rules.rules.size(); ++r) {
                                if (!evaluator.fired(r)) continue;
                                worklist_row row;
                                row.household = household;
                                row.rule = r;
                                row.household_id = std::string(events.household_id(household));
                                row.rule_name = rules.rules[r].name;
                                row.level = rules.rules[r].level;
                                row.score = evaluator.score(r);
                                row.message = evaluator.message(r);
                                rows.push_back(std::move(row));
                              }
                            }
                          });
  worklist out;
  out.as_of = as_of;
  out.ruleset_name = rules.name;
  out.ruleset_version = rules.version;
  out.fingerprint = rules.fingerprint;
  std::size_t total = 0;
  for (const auto& rows : per_thread) total += rows.size();
  out.rows.reserve(total);
  for (auto& rows : per_thread)
    for (worklist_row& row : rows) out.rows.push_back(std::move(row));
  sort_worklist(out.rows);
  return out;
}

}  // namespace earlywarn
