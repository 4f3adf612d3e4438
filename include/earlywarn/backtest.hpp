#pragma once
/// \file backtest.hpp
/// Back-tests: the alerts a stream would have produced over a period of history.

#include <algorithm>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "earlywarn/alerts.hpp"
#include "earlywarn/change_schedule.hpp"
#include "earlywarn/evaluate.hpp"
#include "earlywarn/paid_up.hpp"

namespace earlywarn {

/// How often a back-test evaluates.
enum class backtest_step : std::uint8_t { day, week, month };

/// The step named `day`, `week` or `month`; nothing for any other text.
inline std::optional<backtest_step> parse_backtest_step(std::string_view name) noexcept {
  if (name == "day") return backtest_step::day;
  if (name == "week") return backtest_step::week;
  if (name == "month") return backtest_step::month;
  return std::nullopt;
}

/// How to run a back-test.
struct backtest_options {
  backtest_step every = backtest_step::day;
  unsigned threads = 0;  ///< 0: one per hardware thread; the output is the same for any
  std::function<void(std::size_t done, std::size_t total)> progress;
};

/// The `k`-th evaluation day of a back-test starting on `from`.
constexpr day backtest_day(day from, backtest_step every, std::int64_t k) noexcept {
  switch (every) {
    case backtest_step::day:
      return static_cast<day>(from + k);
    case backtest_step::week:
      return static_cast<day>(from + 7 * k);
    case backtest_step::month:
      return add_months(from, static_cast<int>(k));
  }
  return from;
}

/// The first evaluation day on or after `d`.
inline day first_step_on_or_after(day from, backtest_step every, day d) {
  if (d <= from) return from;
  switch (every) {
    case backtest_step::day:
      return d;
    case backtest_step::week:
      return from + (d - from + 6) / 7 * 7;
    case backtest_step::month: {
      const civil_date a = to_civil(from), b = to_civil(d);
      std::int64_t k = (b.year - a.year) * 12 + (b.month - a.month) - 1;
      if (k < 0) k = 0;
      while (backtest_day(from, every, k) < d) ++k;
      return backtest_day(from, every, k);
    }
  }
  return d;
}

/// Whether a rule's alert depends on more than whether the rule fires as of
/// the day before: a cooldown, `raise_after` or `clear_after` remembers.
inline bool alerts_remember(const ruleset& rules) noexcept {
  return std::any_of(rules.rules.begin(), rules.rules.end(),
                     [](const rule& r) { return r.cooldown || r.raise_after || r.clear_after; });
}

/// Evaluates the rules on every step from `from` to `to` (inclusive) as a
/// stream advanced on those days would, and returns the raise and clear
/// alerts, ordered by date, household and rule. An alert raised before
/// `from` and not cleared before it comes as one `open` alert on `from`, with
/// the rule's message as of `from` (before `from` the stream is advanced
/// daily). A household is evaluated only on the steps where an event
/// arrived or its outcomes can change. Throws std::invalid_argument for a
/// date outside 0001-01-01 to 9999-12-31.
inline std::vector<alert> backtest(const ruleset& rules, const ledger& events, day from, day to,
                                   const backtest_options& options = {}) {
  detail::check_calendar_date(from, "the back-test's first date");
  detail::check_calendar_date(to, "the back-test's last date");
  if (from > to) return {};
  const bound_ruleset bound(rules, events);
  const change_schedule schedule(rules);
  const bool silent_when_paid_up = all_rules_false_when_paid_up(rules);
  const bool remember = alerts_remember(rules);
  const std::vector<std::uint32_t> by_name = rules_by_name(rules);
  const unsigned threads = detail::worker_count(options.threads);
  std::vector<std::vector<alert>> per_thread(threads);
  detail::parallel_chunks(
      events.household_count(), threads, options.progress,
      [&](std::size_t first, std::size_t last, unsigned worker) {
        household_evaluator e(bound);
        std::vector<alert>& out = per_thread[worker];
        std::uint32_t current = 0;
        auto emit = [&](alert&& a) {
          a.household = current;
          out.push_back(std::move(a));
        };
        for (std::size_t h = first; h < last; ++h) {
          current = static_cast<std::uint32_t>(h);
          const auto index = static_cast<household_index>(h);
          const household_events all = events.events(index);
          if (all.empty() || all.dates.front() > to) continue;
          const std::string_view id = events.household_id(index);
          alert_tracker tracker(rules.rules.size());
          // Walks the steps from `d` on, evaluating where something can
          // change, up to `last_day`; `quiet`: the states move, nothing is
          // said (before `from`).
          auto walk = [&](day d, day last_day, backtest_step every, day first_step, bool quiet) {
            while (d <= last_day) {
              e.start(all, d, nullptr, bound.facts_of(index));
              day next = never;  // paid up and at rest: nothing happens before the next event
              if (!silent_when_paid_up || !at_rest_while_paid_up(e, tracker)) {
                if (quiet)
                  tracker.update<false>(e, by_name, id, emit);
                else
                  tracker.update(e, by_name, id, emit);
                // The schedule names a day after d; were it ever not to, the
                // walk still moves on a day: a mistake costs time, never a hang.
                next = std::max(d + 1, std::min(schedule.next_change(e), tracker.next_due(rules)));
              }
              const auto later = std::upper_bound(all.dates.begin(), all.dates.end(), d);
              if (later != all.dates.end()) next = std::min(next, *later);
              // Past the end (a schedule may look centuries ahead): step
              // arithmetic stays within the calendar.
              if (next > last_day) break;
              d = first_step_on_or_after(first_step, every, next);
            }
          };
          day start = first_step_on_or_after(from, options.every, all.dates.front());
          if (all.dates.front() < from) {
            // The alerts open when the period starts, as a stream that ran
            // from the household's first event has them; without a clause
            // that remembers, the day before decides.
            walk(remember ? all.dates.front() : from - 1, from - 1, backtest_step::day,
                 all.dates.front(), true);
            if (tracker.any_raised()) {
              e.start(all, from, nullptr, bound.facts_of(index));
              for (const std::uint32_t r : by_name)
                if (tracker.states()[r].raised)
                  emit(alert{from, std::string(id), r, alert_state::open, e.message(r)});
            }
            start = from;
          }
          walk(start, to, options.every, from, false);
        }
      });
  std::vector<alert> out;
  std::size_t total = 0;
  for (const auto& part : per_thread) total += part.size();
  out.reserve(total);
  for (auto& part : per_thread)
    for (alert& a : part) out.push_back(std::move(a));
  // Ledger indices follow id order, so integers sort as the ids would.
  std::vector<std::uint32_t> rank(rules.rules.size());
  for (std::uint32_t i = 0; i < by_name.size(); ++i) rank[by_name[i]] = i;
  std::sort(out.begin(), out.end(), [&](const alert& a, const alert& b) {
    if (a.date != b.date) return a.date < b.date;
    if (a.household != b.household) return a.household < b.household;
    if (a.rule != b.rule) return rank[a.rule] < rank[b.rule];
    return opens_first(a, b);
  });
  return out;
}

}  // namespace earlywarn
