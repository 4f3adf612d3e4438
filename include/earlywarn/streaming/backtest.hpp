#pragma once
/// \file backtest.hpp
/// Back-tests: the alerts a stream would have produced over a period of history.

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "earlywarn/detail/change_schedule.hpp"
#include "earlywarn/detail/paid_up.hpp"
#include "earlywarn/evaluation/evaluate.hpp"
#include "earlywarn/model/error.hpp"
#include "earlywarn/streaming/alert_tracker.hpp"
#include "earlywarn/streaming/rule_changes.hpp"

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
  /// false: alerts carry an empty message, which saves time and memory where
  /// only their dates, households, rules and states are read (summaries,
  /// outcome figures, tuning).
  bool messages = true;
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

namespace detail {

/// What decides whether a ruleset's rules fire, as text: each rule's name and
/// meaning (rule_meaning()) without its alert clauses. Two rulesets with the
/// same text fire alike for every household and day and differ at most in
/// `cooldown`, `raise_after` and `clear_after`.
inline std::string firing_meaning(const ruleset& rules) {
  ruleset bare = rules;
  for (rule& r : bare.rules) r.cooldown = r.raise_after = r.clear_after = std::nullopt;
  std::string out;
  for (std::uint32_t r = 0; r < bare.rules.size(); ++r) {
    out += bare.rules[r].name;
    out += '\n';
    out += rule_meaning(bare, r);
    out += '\n';
  }
  return out;
}

/// Rulesets that fire alike, evaluated once per household for all of them.
struct backtest_group {
  backtest_group(const ruleset& first, const ledger& events)
      : rules(first),
        bound(first, events),
        schedule(first),
        silent_when_paid_up(all_rules_false_when_paid_up(first)) {}
  const ruleset& rules;  ///< evaluated; its members' alert clauses shape their alerts
  bound_ruleset bound;
  change_schedule schedule;
  bool silent_when_paid_up;
  bool remember = false;             ///< a member's alerts remember (alerts_remember())
  std::vector<std::size_t> members;  ///< indices into the back-test's rulesets
};

}  // namespace detail

/// Back-tests several rulesets over the same history in one pass over the
/// households: the `i`-th list is exactly `backtest(*rulesets[i], events,
/// from, to, options)`. Rulesets whose rules fire alike, such as one ruleset
/// with different values of a param read only by `cooldown`, `raise_after` or
/// `clear_after`, share one evaluation of each household, so a sweep of such
/// a param costs about one back-test. Throws std::invalid_argument for a date
/// outside 0001-01-01 to 9999-12-31 or a null ruleset.
[[nodiscard]] inline std::vector<std::vector<alert>> backtest_each(
    const std::vector<const ruleset*>& rulesets, const ledger& events, day from, day to,
    const backtest_options& options = {}) {
  detail::check_calendar_date(from, "the back-test's first date");
  detail::check_calendar_date(to, "the back-test's last date");
  for (const ruleset* r : rulesets)
    if (r == nullptr) throw invalid_input(error_kind::misuse, "backtest_each: a ruleset is null");
  const std::size_t n = rulesets.size();
  if (from > to || n == 0) return std::vector<std::vector<alert>>(n);
  std::vector<std::unique_ptr<detail::backtest_group>> groups;
  {
    std::vector<std::string> meanings;
    for (std::size_t i = 0; i < n; ++i) {
      std::size_t g = groups.size();
      if (n > 1) {
        std::string meaning = detail::firing_meaning(*rulesets[i]);
        g = static_cast<std::size_t>(std::find(meanings.begin(), meanings.end(), meaning) -
                                     meanings.begin());
        if (g == meanings.size()) meanings.push_back(std::move(meaning));
      }
      if (g == groups.size())
        groups.push_back(std::make_unique<detail::backtest_group>(*rulesets[i], events));
      groups[g]->members.push_back(i);
      groups[g]->remember = groups[g]->remember || alerts_remember(*rulesets[i]);
    }
  }
  std::vector<std::vector<std::uint32_t>> by_name(n);
  for (std::size_t i = 0; i < n; ++i) by_name[i] = rules_by_name(*rulesets[i]);
  const unsigned threads = detail::thread_count(options.threads);
  // What a worker found for one ruleset: small records, and their messages
  // apart, so that gathering and sorting millions of alerts moves no strings.
  struct found {
    day date;
    std::uint32_t household;
    std::uint32_t rule;
    alert_state state;
    std::uint32_t order = 0;    // the rule's place by name, `open` first (set when sorting)
    std::uint32_t worker = 0;   // whose messages hold its message
    std::uint32_t message = 0;  // index into them, if messages are kept
  };
  struct found_by_worker {
    std::vector<found> alerts;
    std::vector<std::string> messages;
  };
  // per_thread[worker][i]: what that worker's households gave ruleset i
  std::vector<std::vector<found_by_worker>> per_thread(threads, std::vector<found_by_worker>(n));
  detail::parallel_chunks(
      events.household_count(), threads, options.progress,
      [&](std::size_t first, std::size_t last, unsigned worker) {
        std::vector<household_evaluator> evaluators;
        evaluators.reserve(groups.size());
        for (const auto& g : groups) evaluators.emplace_back(g->bound);
        std::vector<alert_tracker> trackers;
        for (std::size_t h = first; h < last; ++h) {
          const auto index = static_cast<household_index>(h);
          const household_events all = events.events(index);
          if (all.empty() || all.dates.front() > to) continue;
          for (std::size_t gi = 0; gi < groups.size(); ++gi) {
            const detail::backtest_group& g = *groups[gi];
            household_evaluator& e = evaluators[gi];
            trackers.assign(g.members.size(), alert_tracker(g.rules.rules.size()));
            // The tracker is given no id: the household's index says it, and
            // its id is written once per alert when the lists are made.
            auto emitter = [&](std::size_t i) {
              return [&out = per_thread[worker][i], h, worker, &options](alert&& a) {
                found f{a.date, static_cast<std::uint32_t>(h), a.rule, a.state};
                f.worker = worker;
                if (options.messages) {
                  f.message = static_cast<std::uint32_t>(out.messages.size());
                  out.messages.push_back(std::move(a.message));
                }
                out.alerts.push_back(f);
              };
            };
            auto at_rest = [&] {
              if (!g.silent_when_paid_up) return false;
              for (const alert_tracker& t : trackers)
                if (!at_rest_while_paid_up(e, t)) return false;
              return true;
            };
            // Walks the steps from `d` on, evaluating where something can
            // change, up to `last_day`; `quiet`: the states move, nothing is
            // said (before `from`).
            auto walk = [&](day d, day last_day, backtest_step every, day first_step, bool quiet) {
              while (d <= last_day) {
                e.start(all, d, nullptr, g.bound.facts_of(index));
                day next = never;  // paid up and at rest: nothing happens before the next event
                if (!at_rest()) {
                  next = g.schedule.next_change(e);
                  for (std::size_t m = 0; m < g.members.size(); ++m) {
                    const std::size_t i = g.members[m];
                    if (quiet)
                      trackers[m].update<false>(e, *rulesets[i], by_name[i], {}, emitter(i));
                    else
                      trackers[m].update(e, *rulesets[i], by_name[i], {}, emitter(i),
                                         options.messages);
                    next = std::min(next, trackers[m].next_due(*rulesets[i]));
                  }
                  // The schedule names a day after d; were it ever not to, the
                  // walk still moves on a day: a mistake costs time, never a hang.
                  next = std::max(d + 1, next);
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
              walk(g.remember ? all.dates.front() : from - 1, from - 1, backtest_step::day,
                   all.dates.front(), true);
              bool started = false;
              for (std::size_t m = 0; m < g.members.size(); ++m) {
                if (!trackers[m].any_raised()) continue;
                if (!started) e.start(all, from, nullptr, g.bound.facts_of(index)), started = true;
                const std::size_t i = g.members[m];
                auto emit = emitter(i);
                for (const std::uint32_t r : by_name[i])
                  if (trackers[m].states()[r].raised)
                    emit(alert{from, std::string(), r, alert_state::open,
                               options.messages ? e.message(r) : std::string()});
              }
              start = from;
            }
            walk(start, to, options.every, from, false);
          }
        }
      });
  std::vector<std::vector<alert>> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::uint32_t> rank(rulesets[i]->rules.size());
    for (std::uint32_t k = 0; k < by_name[i].size(); ++k) rank[by_name[i][k]] = k;
    std::vector<found> all;
    std::size_t total = 0;
    for (const auto& part : per_thread) total += part[i].alerts.size();
    all.reserve(total);
    for (auto& part : per_thread) {
      for (found f : part[i].alerts) {
        f.order = rank[f.rule] * 2 + (f.state == alert_state::open ? 0u : 1u);
        all.push_back(f);
      }
      std::vector<found>().swap(part[i].alerts);
    }
    // Ledger indices follow id order, so they sort as the ids would.
    std::sort(all.begin(), all.end(), [](const found& a, const found& b) {
      if (a.date != b.date) return a.date < b.date;
      if (a.household != b.household) return a.household < b.household;
      return a.order < b.order;
    });
    out[i].reserve(total);
    for (const found& f : all) {
      alert& a = out[i].emplace_back();
      a.date = f.date;
      a.household_id = events.household_id(static_cast<household_index>(f.household));
      a.rule = f.rule;
      a.state = f.state;
      if (options.messages) a.message = std::move(per_thread[f.worker][i].messages[f.message]);
      a.household = f.household;
    }
    for (auto& part : per_thread) std::vector<std::string>().swap(part[i].messages);
  }
  return out;
}

/// Evaluates the rules on every step from `from` to `to` (inclusive) as a
/// stream advanced on those days would, and returns the raise and clear
/// alerts, ordered by date, household and rule. An alert raised before
/// `from` and not cleared before it comes as one `open` alert on `from`, with
/// the rule's message as of `from` (before `from` the stream is advanced
/// daily). A household is evaluated only on the steps where an event
/// arrived or its outcomes can change. Throws std::invalid_argument for a
/// date outside 0001-01-01 to 9999-12-31.
[[nodiscard]] inline std::vector<alert> backtest(const ruleset& rules, const ledger& events,
                                                 day from, day to,
                                                 const backtest_options& options = {}) {
  return std::move(backtest_each({&rules}, events, from, to, options).front());
}

}  // namespace earlywarn
