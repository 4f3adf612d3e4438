#pragma once
/// \file change_schedule.hpp
/// When, if no new event arrives, a household's rule outcomes can next change.
///
/// Streams and back-tests use this to evaluate a household only on the days
/// something can happen to it, not every day (SPEC §6). Without new events,
/// every term is either piecewise constant (window totals, balance_at, trend,
/// plan months) with known breakpoints, or grows by one a day (arrears_days,
/// tenure_days, days_since). Conditions are read as linear functions of the
/// days ahead; a comparison of linear functions flips on a day found exactly.
/// Anything non-linear (a product of two growing terms) is checked tomorrow,
/// so the answer is never late, only sometimes early.

#include <algorithm>
#include <climits>
#include <cstdint>
#include <vector>

#include "earlywarn/household_evaluator.hpp"

namespace earlywarn {

/// A day far beyond any ledger: nothing will change.
inline constexpr day never = INT32_MAX;

namespace detail {

/// The first day on which an event dated `d` is outside a window `w` ending
/// that day: the least t with subtract(t, w) >= d.
inline day window_exit(day d, duration w) {
  switch (w.per) {
    case period::day:
      return d + w.count;
    case period::week:
      return d + 7 * w.count;
    case period::month:
    case period::year: {
      const int months = w.per == period::year ? 12 * w.count : w.count;
      day t = add_months(d, months);
      while (subtract(t, w) < d) ++t;  // clamping at month ends: at most three days
      return t;
    }
  }
  return never;
}

/// A number as a function of the days Δ after the as-of date: at + per_day·Δ.
struct linear {
  value at;
  value per_day = value::integer(0);
  bool exact = true;  ///< false: not linear, assume it may change any day
};

inline bool is_zero(const value& v) { return !v || v.numerator() == 0; }

/// ⌊q⌋ of a present rational.
inline std::int64_t floor_of(const value& q) {
  const std::int64_t n = q.numerator(), d = q.denominator();
  return n / d - ((n % d != 0) && ((n < 0) != (d < 0)) ? 1 : 0);
}
inline std::int64_t ceil_of(const value& q) { return -floor_of(-q); }

}  // namespace detail

/// What a ruleset's conditions read, gathered once per ruleset.
class change_schedule {
 public:
  explicit change_schedule(const ruleset& rules) : rules_(rules) {
    std::vector<char> seen(rules.nodes.size(), 0);
    std::vector<char> term_seen(rules.terms.size(), 0);
    std::vector<std::uint32_t> stack;
    for (const rule& r : rules.rules) stack.push_back(r.when);
    while (!stack.empty()) {
      const std::uint32_t n = stack.back();
      stack.pop_back();
      if (seen[n]) continue;
      seen[n] = 1;
      const expr_node& node = rules.nodes[n];
      switch (node.op) {
        case opcode::constant:
        case opcode::param:
        case opcode::rule:
          break;
        case opcode::duration_days: {
          const duration d = rules.durations[node.a];
          if (d.per == period::month || d.per == period::year) calendar_durations_.push_back(d);
          break;
        }
        case opcode::term:
          if (!term_seen[node.a]) terms_.push_back(node.a);
          term_seen[node.a] = 1;
          break;
        case opcode::negate:
        case opcode::logical_not:
        case opcode::missing:
          stack.push_back(node.a);
          break;
        default:
          stack.push_back(node.a);
          stack.push_back(node.b);
      }
      const bool numeric_comparison = (node.op >= opcode::less && node.op <= opcode::not_equal) &&
                                      rules.nodes[node.a].type == expr_type::number;
      if (numeric_comparison) comparisons_.push_back(n);
    }
  }

  /// The first day after the evaluator's as-of date on which, with no new
  /// events, any rule may fire or stop firing; `never` if none can.
  day next_change(household_evaluator& e) const {
    const day as_of = e.signals().as_of();
    day next = never;
    for (const std::uint32_t t : terms_) next = std::min(next, breakpoint(e, t));
    for (const duration d : calendar_durations_) {
      // days_in(3m, T) shifts where month lengths differ.
      for (day t = as_of + 1; t <= as_of + 62; ++t)
        if (days_in(d, t) != days_in(d, as_of)) {
          next = std::min(next, t);
          break;
        }
    }
    for (const std::uint32_t c : comparisons_) next = std::min(next, flip(e, c, as_of));
    return next;
  }

 private:
  // The next day a piecewise-constant term changes value.
  day breakpoint(household_evaluator& e, std::uint32_t t) const {
    const term& def = rules_.terms[t];
    const household_signals& s = e.signals();
    const household_events& ev = s.events();
    const day as_of = s.as_of();
    // The first event after `start` (of `type` if given) leaves the window first.
    auto first_after = [&](day start, std::optional<type_id> type) -> std::optional<day> {
      auto i = std::upper_bound(ev.dates.begin(), ev.dates.end(), start) - ev.dates.begin();
      for (; i < static_cast<std::ptrdiff_t>(ev.size()); ++i)
        if (!type || ev.types[static_cast<std::size_t>(i)] == *type)
          return ev.dates[static_cast<std::size_t>(i)];
      return std::nullopt;
    };
    switch (def.kind) {
      case term_kind::sum:
      case term_kind::count:
      case term_kind::avg:
      case term_kind::min:
      case term_kind::max: {
        if (!def.window) return never;
        const auto type = e.bound().term_type(t);
        if (!type) return never;
        const auto oldest = first_after(subtract(as_of, *def.window), type);
        return oldest ? detail::window_exit(*oldest, *def.window) : never;
      }
      case term_kind::balance_at: {
        const auto next = first_after(subtract(as_of, *def.window), std::nullopt);
        return next ? detail::window_exit(*next, *def.window) : never;
      }
      case term_kind::trend_balance:
      case term_kind::trend_arrears: {
        day next = never;
        for (std::int32_t j = 1; j < def.window->count; ++j) {
          const duration back{j, period::month};
          if (const auto d = first_after(subtract(as_of, back), std::nullopt))
            next = std::min(next, detail::window_exit(*d, back));
        }
        return next;
      }
      case term_kind::plan_active:
      case term_kind::plan_breached: {
        const plan_status p = s.plan();
        return p.active ? add_months(p.agreed, p.months_completed + 1) : never;
      }
      default:
        return never;  // constant, or growing by a day (handled as linear)
    }
  }

  detail::linear linear_of(household_evaluator& e, std::uint32_t n) const {
    const expr_node& node = rules_.nodes[n];
    const value one_a_day = value::integer(1, unit::days);
    switch (node.op) {
      case opcode::term: {
        const value v = e.term_value(node.a);
        const household_signals& s = e.signals();
        switch (rules_.terms[node.a].kind) {
          case term_kind::arrears_days:
            return {v, s.balance() > 0 ? one_a_day : value::integer(0)};
          case term_kind::tenure_days:
            return {v, one_a_day};
          case term_kind::days_since:
            return {v, v ? one_a_day : value::integer(0)};
          default:
            return {v};
        }
      }
      case opcode::negate: {
        const detail::linear x = linear_of(e, node.a);
        return {-x.at, -x.per_day, x.exact};
      }
      case opcode::add:
      case opcode::subtract: {
        const detail::linear l = linear_of(e, node.a), r = linear_of(e, node.b);
        const bool add = node.op == opcode::add;
        return {add ? l.at + r.at : l.at - r.at,
                add ? l.per_day + r.per_day : l.per_day - r.per_day, l.exact && r.exact};
      }
      case opcode::multiply: {
        const detail::linear l = linear_of(e, node.a), r = linear_of(e, node.b);
        if (!l.exact || !r.exact) return {l.at * r.at, value::integer(0), false};
        if (detail::is_zero(l.per_day)) return {l.at * r.at, l.at * r.per_day};
        if (detail::is_zero(r.per_day)) return {l.at * r.at, l.per_day * r.at};
        return {l.at * r.at, value::integer(0), false};
      }
      case opcode::divide: {
        const detail::linear l = linear_of(e, node.a), r = linear_of(e, node.b);
        if (!l.exact || !r.exact || !detail::is_zero(r.per_day))
          return {l.at / r.at, value::integer(0), false};
        return {l.at / r.at, l.per_day / r.at};
      }
      default:
        return {e.number(n)};  // constants, params, fixed durations
    }
  }

  // The first day after `as_of` on which comparison node `n` changes truth.
  day flip(household_evaluator& e, std::uint32_t n, day as_of) const {
    const expr_node& node = rules_.nodes[n];
    const detail::linear l = linear_of(e, node.a), r = linear_of(e, node.b);
    if (!l.exact || !r.exact) return as_of + 1;
    if (!l.at || !r.at) return never;  // no value stays no value without events
    value at = l.at - r.at, slope = l.per_day - r.per_day;  // truth of `at + slope·Δ op 0`
    if (!at || !slope) return as_of + 1;
    if (slope.numerator() == 0) return never;
    opcode op = node.op;
    if (op == opcode::less || op == opcode::less_equal) {
      at = -at;
      slope = -slope;
      op = op == opcode::less ? opcode::greater : opcode::greater_equal;
    }
    const value root = -at / slope;  // where the line crosses zero
    std::int64_t delta = 0;
    const int sign = compare(at, value::integer(0));
    const bool rising = slope.numerator() > 0;
    switch (op) {
      case opcode::greater:  // true while at + slope·Δ > 0
        if (sign > 0 && !rising)
          delta = detail::ceil_of(root);
        else if (sign <= 0 && rising)
          delta = detail::floor_of(root) + 1;
        break;
      case opcode::greater_equal:
        if (sign >= 0 && !rising)
          delta = detail::floor_of(root) + 1;
        else if (sign < 0 && rising)
          delta = detail::ceil_of(root);
        break;
      default:  // == and !=: truth changes where the line meets zero, and right after
        if (sign == 0)
          delta = 1;
        else if (compare(root, value::integer(detail::floor_of(root))) == 0 &&
                 detail::floor_of(root) > 0)
          delta = detail::floor_of(root);
    }
    if (delta <= 0) return never;
    return delta >= static_cast<std::int64_t>(never) - as_of ? never
                                                             : as_of + static_cast<day>(delta);
  }

  const ruleset& rules_;
  std::vector<std::uint32_t> terms_;        // terms the conditions read
  std::vector<std::uint32_t> comparisons_;  // numeric comparisons in the conditions
  std::vector<duration> calendar_durations_;
};

}  // namespace earlywarn
