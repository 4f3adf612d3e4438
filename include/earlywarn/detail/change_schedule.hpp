#pragma once
/// \file change_schedule.hpp
/// When, if no new event arrives, a household's rule outcomes can next change.
///
/// Streams and back-tests use this to evaluate a household only on the days
/// something can happen to it, not every day (docs/language.md, Alerts). Without new events,
/// every term is either piecewise constant (window totals, balance_at, trend,
/// plan months, months and years used as numbers) with known breakpoints, or
/// grows by one a day (arrears_days, tenure_days, days_since), or falls by
/// one a day to a scheduled date and jumps the day after (days_until). Conditions are
/// read as linear functions of the days ahead; a comparison of linear
/// functions flips on a day found exactly. Anything non-linear (a product of
/// two growing terms) is checked tomorrow, so the answer is never late, only
/// sometimes early.

#include <algorithm>
#include <climits>
#include <cstdint>
#include <optional>
#include <vector>

#include "earlywarn/detail/compiler.hpp"
#include "earlywarn/evaluation/household_evaluator.hpp"

namespace earlywarn {

/// A day far beyond any ledger: nothing will change.
inline constexpr day never = INT32_MAX;

namespace detail {

/// The first day on which an event dated `d` is outside a window of
/// `months` months ending that day, for dates of years 1…9999 (every ledger
/// date): window_exit()'s month arithmetic without to_civil() and to_day(),
/// which the trend look ahead would otherwise call for every event a lane
/// passes. Days count in a calendar whose years start on 1 March (the leap
/// day last), shifted by whole 400-year cycles so every number is unsigned;
/// the date is split by multiplications (Neri and Schneider, "Euclidean
/// affine functions and their application to calendar algorithms", 2022).
inline day months_exit(day d, std::int32_t months) {
  constexpr std::uint32_t cycles = 82;                       // 400-year cycles before year 0
  constexpr std::uint32_t shift = 719468 + 146097 * cycles;  // 1970-01-01 in this count
  const std::uint32_t n = static_cast<std::uint32_t>(d) + shift;
  const std::uint32_t n1 = 4 * n + 3;
  const std::uint32_t century = n1 / 146097;
  const std::uint32_t n2 = (n1 % 146097) | 3;  // 4 × day of the century + 3
  const std::uint64_t p2 = std::uint64_t{2939745} * n2;
  const std::uint32_t year = 100 * century + static_cast<std::uint32_t>(p2 >> 32);
  const std::uint32_t day_of_year = static_cast<std::uint32_t>(p2) / 2939745 / 4;
  const std::uint32_t n3 = 2141 * day_of_year + 197913;
  const std::uint32_t month = n3 / 65536 - 3;            // 0 = March … 11 = February
  const std::uint32_t day_of_month = n3 % 65536 / 2141;  // from 0
  // The same day of month `months` on; a day the month lacks leaves on the
  // 1st after it.
  const std::uint32_t index = year * 12 + month + static_cast<std::uint32_t>(months);
  const std::uint32_t y = index / 12, m = index % 12;
  const std::uint32_t month_start = (153 * m + 2) / 5;
  const std::uint32_t length = m == 11 ? (is_leap_year(static_cast<int>(y + 1)) ? 29 : 28)
                                       : (153 * m + 155) / 5 - month_start;
  const std::uint32_t year_start = 365 * y + y / 4 - y / 100 + y / 400;
  return static_cast<day>(year_start + month_start + std::min(day_of_month, length) - shift);
}

/// months_exit() is exact for these days (years 1…9999).
inline constexpr day first_fast_day = -719162, last_fast_day = 2932896;

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
      if (d >= first_fast_day && d <= last_fast_day && months >= 0 && months <= 12 * 1000)
        return months_exit(d, months);
      // Without clamping, d + n months is the day. When d's day of month does
      // not exist n months on (01-31 + 1m), every day of that month still
      // reaches back to before d, so the event leaves on the 1st after it.
      const civil_date c = to_civil(d);
      const int index = c.year * 12 + (c.month - 1) + months;
      const int year = index / 12, month = index % 12 + 1;
      if (c.day_of_month <= days_in_month(year, month))
        return to_day({year, month, c.day_of_month});
      return to_day({year, month, days_in_month(year, month)}) + 1;
    }
    // The start of the next period after d's: every event of a period
    // leaves the window together.
    case period::week_to_date:
      return d - weekday(d) + 7;
    case period::month_to_date: {
      const civil_date c = to_civil(d);
      return d - c.day_of_month + 1 + days_in_month(c.year, c.month);
    }
    case period::year_to_date:
      return detail::days_from_civil({to_civil(d).year + 1, 1, 1});
  }
  return never;
}

/// The first day after `as_of` on which a month or year duration compared as
/// a number (days_in()) spans another count of days than it does on `as_of`;
/// `limit` when no day before `limit` does (callers pass the earliest change
/// already known, and at most about five years ahead, after which the
/// household is simply looked at again).
inline day span_change(duration d, day as_of, day limit) {
  if (d.count == 0 || d.per == period::day || d.per == period::week) return limit;
  // Checked at most this far ahead: 4y spans 1461 days until 2100 drops a
  // leap day, and a day named before the change only costs an evaluation.
  constexpr day horizon = 5 * 366;
  if (static_cast<std::int64_t>(limit) - as_of > horizon) limit = as_of + horizon;
  const std::int32_t now = days_in(d, as_of);
  // days_in(d, t) − days_in(d, t − 1) is 1 minus the step of subtract(t, d)
  // from the day before. Within a month that step is one day unless t's day
  // of month is clamped in the shorter month it falls back to (the 29th to
  // the 31st), so only those days and the 1st can change the count.
  const civil_date c = to_civil(as_of);
  int year = c.year, month = c.month;
  day month_start = as_of - (c.day_of_month - 1);
  for (;;) {
    const int length = days_in_month(year, month);
    for (int dom = 29; dom <= length; ++dom) {
      const day t = month_start + dom - 1;
      if (t <= as_of) continue;
      if (t >= limit) return limit;
      if (days_in(d, t) != now) return t;
    }
    month_start += length;  // the 1st of the next month
    if (month_start >= limit) return limit;
    if (days_in(d, month_start) != now) return month_start;
    if (++month > 12) {
      month = 1;
      ++year;
    }
  }
}

/// A number as a function of the days Δ after the as-of date: at + per_day·Δ.
struct linear {
  value at;
  value per_day = value::integer(0);
  bool exact = true;  ///< false: not linear, assume it may change any day
};

inline bool is_zero(const value& v) { return !v || v.numerator() == 0; }

/// Exactly linear and not moving with the days.
inline bool is_constant(const linear& x) {
  return x.exact && x.per_day && x.per_day.numerator() == 0;
}

}  // namespace detail

/// What a ruleset's conditions read, gathered once per ruleset.
class change_schedule {
 public:
  /// Keeps a reference to `rules`: a temporary ruleset is refused.
  explicit change_schedule(const ruleset&&) = delete;
  explicit change_schedule(const ruleset& rules)
      : rules_(rules),
        subtree_terms_(rules.nodes.size()),
        subtree_calendar_(rules.nodes.size()),
        grows_(rules.nodes.size(), 0),
        moves_(rules.nodes.size(), 0),
        ahead_side_(rules.nodes.size(), 0),
        growing_side_(rules.nodes.size(), 0),
        shared_slot_(rules.nodes.size(), no_slot) {
    share_repeated_comparisons();
    // Children always precede their parents in `nodes`, so one forward pass
    // gathers each node's terms and calendar durations from its children.
    for (std::uint32_t n = 0; n < rules.nodes.size(); ++n) {
      const expr_node& node = rules.nodes[n];
      auto take = [&](std::uint32_t child) {
        for (const std::uint32_t t : subtree_terms_[child]) add_unique(subtree_terms_[n], t);
        for (const duration d : subtree_calendar_[child]) subtree_calendar_[n].push_back(d);
        grows_[n] |= grows_[child];
        moves_[n] |= moves_[child];
      };
      switch (node.op) {
        case opcode::constant:
        case opcode::param:
        case opcode::rule:
          break;
        case opcode::duration_days: {
          const duration d = rules.durations[node.a];
          if (d.per == period::month || d.per == period::year) {
            subtree_calendar_[n].push_back(d);
            moves_[n] = 1;
          }
          break;
        }
        case opcode::term: {
          subtree_terms_[n].push_back(node.a);
          grows_[n] = moves_by_the_day(rules.terms[node.a].kind);
          moves_[n] = has_breakpoints(rules.terms[node.a]);
          break;
        }
        default:
          take(node.a);
          if (operand_count(node.op) == 1) break;
          take(node.b);
          if (node.type == expr_type::boolean && rules.nodes[node.a].type == expr_type::number) {
            ahead_side_[n] =
                static_cast<std::uint8_t>(walkable(rules, node.a) && fixed(rules, node.b)   ? 1
                                          : walkable(rules, node.b) && fixed(rules, node.a) ? 2
                                                                                            : 0);
            growing_side_[n] = static_cast<std::uint8_t>(
                growing_term(rules, node.a) && fixed(rules, node.b)   ? 1
                : growing_term(rules, node.b) && fixed(rules, node.a) ? 2
                                                                      : 0);
          }
      }
    }
  }

  /// The first day after the evaluator's as-of date on which, with no new
  /// events, any rule may fire or stop firing; `never` if none can.
  day next_change(household_evaluator& e) const {
    // Per-evaluation memos (thread-local: the schedule is shared by threads).
    thread_local std::vector<day> rule_memo, term_memo, shared_memo;
    rule_memo.assign(rules_.rules.size(), unknown);
    term_memo.assign(rules_.terms.size(), unknown);
    shared_memo.assign(shared_slots_, unknown);
    memo m{rule_memo, term_memo, shared_memo};
    day next = never;
    for (const std::uint32_t r : rules_.evaluation_order) {
      rule_memo[r] = condition_change(e, rules_.rules[r].when, m);
      next = std::min(next, rule_memo[r]);
      m.bound = next;
    }
    return next;
  }

 private:
  static constexpr day unknown = INT32_MIN;
  struct memo {
    std::vector<day>& rules;   // next change of each rule's condition
    std::vector<day>& terms;   // next breakpoint of each term
    std::vector<day>& shared;  // next change of each repeated comparison
    // The earliest change found so far. A look ahead stops at it: a day it
    // would find beyond cannot lower the minimum next_change() returns, and
    // the day it stops on is still no later than the one it would find, so
    // every day computed (memos included) stays between min(exact, bound)
    // and exact, and the minimum over the rules is the exact one.
    day bound = never;
  };
  static constexpr std::uint32_t no_slot = UINT32_MAX;

  // Gives each comparison that several rules repeat (`arrears_days >
  // grace_days`) a memo slot, so its day is found once per evaluation.
  void share_repeated_comparisons() {
    const std::vector<std::uint32_t> first = first_equal_nodes(rules_);
    std::vector<std::uint32_t> copies(first.size(), 0);
    for (const std::uint32_t f : first) ++copies[f];
    for (std::uint32_t n = 0; n < first.size(); ++n) {
      const expr_node& node = rules_.nodes[n];
      const bool comparison = node.type == expr_type::boolean && node.op >= opcode::less &&
                              node.op <= opcode::not_equal;
      if (!comparison || copies[first[n]] < 2) continue;
      if (shared_slot_[first[n]] == no_slot) shared_slot_[first[n]] = shared_slots_++;
      shared_slot_[n] = shared_slot_[first[n]];
    }
  }

  static void add_unique(std::vector<std::uint32_t>& v, std::uint32_t x) {
    if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
  }

  // The first day a condition may change truth. `a and b` that is false
  // because of b cannot turn true before b does, whatever a does: following
  // the logic keeps households with nothing owed from being checked every
  // time a window under some other condition moves.
  day condition_change(household_evaluator& e, std::uint32_t n, memo& m) const {
    const expr_node& node = rules_.nodes[n];
    switch (node.op) {
      case opcode::term:
        return term_change(e, node.a, m);
      case opcode::rule:  // evaluation order computes referenced rules first
        return m.rules[node.a] != unknown ? m.rules[node.a]
                                          : condition_change(e, rules_.rules[node.a].when, m);
      case opcode::logical_not:
        return condition_change(e, node.a, m);
      case opcode::logical_and:
      case opcode::logical_or: {
        // The value that decides: false for `and`, true for `or`. While the
        // left side decides, nothing changes before it does, whatever the
        // right side does (evaluation never looked at the right side either).
        const bool deciding = node.op == opcode::logical_or;
        const day ca = condition_change(e, node.a, m);
        if (e.condition(node.a) == deciding) return ca;
        const day cb = condition_change(e, node.b, m);
        if (e.condition(node.b) == deciding) return cb;
        return std::min(ca, cb);
      }
      case opcode::missing: {
        // Whether a number has a value changes with its terms' breakpoints,
        // or, where it is not linear in the days ahead, on any day: a count
        // divided by days_since(plan) has none on the plan's day (division
        // by zero) and one the day after.
        const day next = number_change(e, node.a, m);
        if (grows_[node.a] && !linear_of(e, node.a).exact)
          return std::min(next, e.signals().as_of() + 1);
        return next;
      }
      case opcode::member:
        return member_change(e, n, m);
      default:
        if (rules_.nodes[node.a].type == expr_type::boolean)  // == and != of conditions
          return std::min(condition_change(e, node.a, m), condition_change(e, node.b, m));
        if (shared_slot_[n] == no_slot) return comparison_change(e, n, m);
        day& shared = m.shared[shared_slot_[n]];
        if (shared == unknown) shared = comparison_change(e, n, m);
        return shared;
    }
  }

  // condition_change() of `x in (a, b, …)`: where x's pieces change, and
  // where a line x meets an item or leaves it.
  // Out of line, as look_ahead(): rarely taken, it would make condition_change() heavier.
  __attribute__((noinline)) day member_change(household_evaluator& e, std::uint32_t n,
                                              memo& m) const {
    const expr_node& node = rules_.nodes[n];
    const day as_of = e.signals().as_of();
    day next = number_change(e, node.a, m);
    if (!grows_[node.a]) return next;
    const detail::linear x = linear_of(e, node.a);
    if (!x.exact) return std::min(next, as_of + 1);
    if (!x.at || !x.per_day || x.per_day.numerator() == 0) return next;
    for (const value& v : rules_.value_sets[node.b])
      next = std::min(next, crossing(x.at - v, x.per_day, opcode::equal, as_of));
    return next;
  }

  // condition_change() of a comparison of numbers.
  day comparison_change(household_evaluator& e, std::uint32_t n, memo& m) const {
    const expr_node& node = rules_.nodes[n];
    if (ahead_side_[n] != 0) return look_ahead(e, n, m.bound);
    // Without a term that grows by the day, only events change a comparison.
    const day flips = grows_[node.a] || grows_[node.b] ? flip(e, n, e.signals().as_of()) : never;
    return std::min({flips, number_change(e, node.a, m), number_change(e, node.b, m)});
  }

  // The first day a number's piecewise-constant parts may change.
  day number_change(household_evaluator& e, std::uint32_t n, memo& m) const {
    // Most numbers are constants or terms without breakpoints: answered here,
    // without a call.
    return moves_[n] ? moving_number_change(e, n, m) : never;
  }
  day moving_number_change(household_evaluator& e, std::uint32_t n, memo& m) const {
    const day as_of = e.signals().as_of();
    day next = never;
    for (const std::uint32_t t : subtree_terms_[n]) next = std::min(next, term_change(e, t, m));
    // days_in(3m, T) shifts where month lengths differ, however far ahead:
    // 3m spans 92 days from 2020-09-02 to 2020-11-30, then 91.
    for (const duration d : subtree_calendar_[n])
      next = std::min(next, detail::span_change(d, as_of, std::min(next, m.bound)));
    return next;
  }

  day term_change(household_evaluator& e, std::uint32_t t, memo& m) const {
    if (m.terms[t] == unknown) m.terms[t] = breakpoint(e, t);
    return m.terms[t];
  }

  // The next day a piecewise-constant term changes value.
  // Out of line, as look_ahead(): inlined into condition_change(), rarely
  // taken paths make every node's visit heavier.
  __attribute__((noinline)) day breakpoint(household_evaluator& e, std::uint32_t t) const {
    const term& def = rules_.terms[t];
    const household_signals& s = e.signals();
    const household_events& ev = s.events();
    // The first event after `start` (of `type` if given) leaves the window first.
    auto first_after = [&](day start, const event_selector* type) -> std::optional<day> {
      auto i = std::upper_bound(ev.dates.begin(), ev.dates.end(), start) - ev.dates.begin();
      for (; i < static_cast<std::ptrdiff_t>(ev.size()); ++i)
        if (!type || type->matches(ev, static_cast<std::size_t>(i)))
          return ev.dates[static_cast<std::size_t>(i)];
      return std::nullopt;
    };
    // A window computed per date moves with what it is computed from: looked
    // at again the next day.
    if (def.window_days) return s.as_of() + 1;
    switch (def.kind) {
      case term_kind::sum:
      case term_kind::count:
      case term_kind::avg:
      case term_kind::min:
      case term_kind::max: {
        if (!def.window) return never;
        const event_selector& type = e.bound().term_type(t);
        if (!type.type) return never;
        const auto oldest = first_after(s.before(*def.window), &type);
        return oldest ? detail::window_exit(*oldest, *def.window) : never;
      }
      case term_kind::balance_at: {
        const auto next = first_after(s.before(*def.window), nullptr);
        return next ? detail::window_exit(*next, *def.window) : never;
      }
      case term_kind::trend_balance:
      case term_kind::trend_arrears: {
        day next = never;
        for (std::int32_t j = 1; j < def.window->count; ++j) {
          const duration back{j, period::month};
          if (const auto d = first_after(s.before(back), nullptr))
            next = std::min(next, detail::window_exit(*d, back));
        }
        return next;
      }
      case term_kind::plan_active:
      case term_kind::plan_breached:
      case term_kind::plan_shortfall: {
        const plan_status p = s.plan();
        return p.active ? p.next_due() : never;
      }
      case term_kind::days_until: {
        // The day after the next scheduled date it counts down to, the count
        // moves on to the one after (or to no value).
        const auto next = s.next_of(e.bound().term_type(t));
        return next ? *next + 1 : never;
      }
      case term_kind::attribute_days_since:
      case term_kind::attribute_days_until: {
        // A date attribute: days_since() has a value from the date on,
        // days_until() none from the day after it.
        const std::uint32_t a = e.bound().term_attribute(t);
        const auto facts = e.facts();
        if (a >= facts.size() || !facts[a]) return never;
        const day date = static_cast<day>(facts[a].numerator());
        if (def.kind == term_kind::attribute_days_since) return date > s.as_of() ? date : never;
        return date >= s.as_of() ? date + 1 : never;
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
          case term_kind::attribute_days_since:
            return {v, v ? one_a_day : value::integer(0)};
          case term_kind::days_until:  // until its breakpoint, the day after the date
          case term_kind::attribute_days_until:
            return {v, v ? -one_a_day : value::integer(0)};
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
      case opcode::minimum:
      case opcode::maximum: {
        // Piecewise linear: exact only while neither side moves.
        const detail::linear l = linear_of(e, node.a), r = linear_of(e, node.b);
        const bool still = detail::is_constant(l) && detail::is_constant(r);
        return {e.number(n), value::integer(0), still};
      }
      default:
        return {e.number(n)};  // constants, params, fixed durations
    }
  }

  // The first day after `as_of` on which comparison node `n` changes truth.
  // Kept out of line: inlined, it makes condition_change() heavier for every node.
  __attribute__((noinline)) day flip(household_evaluator& e, std::uint32_t n, day as_of) const {
    // comparison_change() calls this only where a side grows by the day.
    const expr_node& node = rules_.nodes[n];
    if (growing_side_[n] != 0) {
      if (const auto quick = flip_in_days(e, n, as_of)) return *quick;
    }
    const detail::linear l = linear_of(e, node.a), r = linear_of(e, node.b);
    if (!l.exact || !r.exact) return as_of + 1;
    if (!l.at || !r.at) return never;  // no value stays no value without events
    // A growing term standing still (arrears_days with nothing owed) and
    // constants: nothing moves without events.
    if (detail::is_constant(l) && detail::is_constant(r)) return never;
    value at = l.at - r.at, slope = l.per_day - r.per_day;  // truth of `at + slope·Δ op 0`
    if (!at || !slope) return as_of + 1;
    if (slope.numerator() == 0) return never;
    return crossing(at, slope, node.op, as_of);
  }

  // The first day after `as_of` on which `at + slope·Δ op 0` changes truth
  // (slope non-zero).
  static day crossing(value at, value slope, opcode op, day as_of) {
    if (at.denominator() == 1 && slope.denominator() == 1)
      return crossing_in_days(at.numerator(), slope.numerator(), op, as_of);
    if (op == opcode::less || op == opcode::less_equal) {
      at = -at;
      slope = -slope;
      op = op == opcode::less ? opcode::greater : opcode::greater_equal;
    }
    const value root = -at / slope;  // where the line crosses zero
    const std::int64_t floor = detail::floor_of(root);
    return turning_day({compare(at, value::integer(0)), slope.numerator() > 0, floor,
                        detail::ceil_of(root), compare(root, value::integer(floor)) == 0},
                       op, as_of);
  }

  // crossing() for whole numbers, the usual case (days against a threshold
  // in days): the same answer without rational arithmetic.
  static day crossing_in_days(std::int64_t at, std::int64_t slope, opcode op, day as_of) {
    if (op == opcode::less || op == opcode::less_equal) {
      at = -at;
      slope = -slope;
      op = op == opcode::less ? opcode::greater : opcode::greater_equal;
    }
    // The root is -at / slope; ⌊⌋ and ⌈⌉ of it in integers.
    const std::int64_t n = -at, d = slope;
    const std::int64_t floor = n / d - ((n % d != 0) && ((n < 0) != (d < 0)) ? 1 : 0);
    const bool whole = n % d == 0;
    return turning_day(
        {at > 0 ? 1 : (at < 0 ? -1 : 0), slope > 0, floor, floor + (whole ? 0 : 1), whole}, op,
        as_of);
  }

  // A line `at + slope·Δ` as crossing() and crossing_in_days() see it.
  struct line {
    int sign;            // of `at`
    bool rising;         // slope > 0
    std::int64_t floor;  // ⌊root⌋ and ⌈root⌉ of the root −at/slope
    std::int64_t ceil;
    bool whole_root;
  };

  // The first day after `as_of` on which `line op 0` changes truth (op is
  // >, >=, == or !=).
  static day turning_day(const line& x, opcode op, day as_of) {
    std::int64_t delta = 0;
    switch (op) {
      case opcode::greater:  // true while at + slope·Δ > 0
        if (x.sign > 0 && !x.rising)
          delta = x.ceil;
        else if (x.sign <= 0 && x.rising)
          delta = x.floor + 1;
        break;
      case opcode::greater_equal:
        if (x.sign >= 0 && !x.rising)
          delta = x.floor + 1;
        else if (x.sign < 0 && x.rising)
          delta = x.ceil;
        break;
      default:  // == and !=: truth changes where the line meets zero, and right after
        if (x.sign == 0)
          delta = 1;
        else if (x.whole_root && x.floor > 0)
          delta = x.floor;
    }
    return after(as_of, delta);
  }

  // The day `delta` days after `as_of`; never for no positive delta or beyond any date.
  static day after(day as_of, std::int64_t delta) {
    if (delta <= 0) return never;
    return delta >= static_cast<std::int64_t>(never) - as_of ? never
                                                             : as_of + static_cast<day>(delta);
  }

  // flip() for the usual comparison, a term growing by the day against a
  // constant (arrears_days > grace_days), in whole days: what linear_of()
  // and crossing() would find, without building rationals. Nothing when the
  // numbers are not whole or would leave 64 bits: flip() goes the long way.
  std::optional<day> flip_in_days(household_evaluator& e, std::uint32_t n, day as_of) const {
    const expr_node& node = rules_.nodes[n];
    const bool term_left = growing_side_[n] == 1;
    const std::uint32_t t = rules_.nodes[term_left ? node.a : node.b].a;
    const value& v = e.term_view(t);
    if (!v) return never;  // no value stays no value without events
    // arrears_days stands still while nothing is owed; the others grow.
    if (rules_.terms[t].kind == term_kind::arrears_days && e.signals().balance() <= 0) return never;
    const value& c = e.number_view(term_left ? node.b : node.a);
    if (v.denominator() != 1 || c.denominator() != 1) return std::nullopt;
    std::int64_t at;
    if (__builtin_sub_overflow(term_left ? v.numerator() : c.numerator(),
                               term_left ? c.numerator() : v.numerator(), &at) ||
        at == INT64_MIN)
      return std::nullopt;
    return crossing_in_days(at, term_left ? 1 : -1, node.op, as_of);
  }

  // The terms that grow by one a day without events (arrears_days only while
  // something is owed).
  static bool grows_by_the_day(term_kind k) {
    return k == term_kind::arrears_days || k == term_kind::tenure_days ||
           k == term_kind::days_since || k == term_kind::attribute_days_since;
  }
  // Those and days_until, which falls by one a day: linear between breakpoints.
  static bool moves_by_the_day(term_kind k) {
    return grows_by_the_day(k) || k == term_kind::days_until ||
           k == term_kind::attribute_days_until;
  }
  static bool growing_term(const ruleset& rules, std::uint32_t n) {
    const expr_node& node = rules.nodes[n];
    return node.op == opcode::term && grows_by_the_day(rules.terms[node.a].kind);
  }

  // Comparisons of a term with a constant where the term's course without
  // events is known step by step, so the day the comparison turns is found
  // exactly rather than the term's next step (which would check a household
  // in arrears every few days for `trend(balance, 6m) > 500`, or each month
  // a credit leaves `count(credit, 2m) == 0` while the next is still in it):
  // - a count or sum over a window only falls, as events leave it (amounts
  //   are never negative);
  // - a trend changes as its monthly samples pass events.
  static bool walkable(const ruleset& rules, std::uint32_t n) {
    const expr_node& node = rules.nodes[n];
    if (node.op != opcode::term) return false;
    const term& t = rules.terms[node.a];
    return (t.window && (t.kind == term_kind::count || t.kind == term_kind::sum)) ||
           t.kind == term_kind::trend_balance || t.kind == term_kind::trend_arrears;
  }
  static bool fixed(const ruleset& rules, std::uint32_t n) {
    const opcode o = rules.nodes[n].op;
    return o == opcode::constant || o == opcode::param;
  }

  // The first day after the as-of date on which comparison `n` (ahead_side_
  // non-zero) may change truth without new events.
  // Out of line: see breakpoint().
  __attribute__((noinline)) day look_ahead(household_evaluator& e, std::uint32_t n,
                                           day bound) const {
    const expr_node& node = rules_.nodes[n];
    const bool term_left = ahead_side_[n] == 1;
    const std::uint32_t t = rules_.nodes[term_left ? node.a : node.b].a;
    const value& constant = e.number_view(term_left ? node.b : node.a);
    const bool now = e.condition(n);
    // The comparison's truth for the term's value `v` on a later day.
    auto turns = [&](const value& v) {
      if (!v) return now;  // no value: false, as compare_numbers() has it
      return comparison_holds(node.op, term_left ? compare(v, constant) : compare(constant, v)) !=
             now;
    };
    const term_kind kind = rules_.terms[t].kind;
    if (kind == term_kind::trend_balance || kind == term_kind::trend_arrears) {
      // turns() of the slope numerator / denominator: while both fit 64 bits
      // the slope is that fraction unreduced, and compare() is the sign of
      // the cross products (denominators are positive), without building it.
      auto slope_turns = [&](detail::int128 numerator, detail::int128 denominator) {
        if (numerator > detail::int64_max || numerator < -detail::int64_max ||
            denominator > detail::int64_max)
          return turns(value::fraction(numerator, denominator, unit::money));
        const detail::int128 l = numerator * constant.denominator(),
                             r = static_cast<detail::int128>(constant.numerator()) * denominator;
        const int c = l < r ? -1 : (l > r ? 1 : 0);
        return comparison_holds(node.op, term_left ? c : -c) != now;
      };
      return trend_turns(e, rules_.terms[t], bound, slope_turns);
    }
    return window_turns(e, t, bound, turns);
  }

  template <class Turns>
  day window_turns(household_evaluator& e, std::uint32_t t, day bound, Turns&& turns) const {
    const term& def = rules_.terms[t];
    const event_selector& type = e.bound().term_type(t);
    if (!type.type) return never;  // a type no event has: the term stays 0
    const household_signals& s = e.signals();
    const household_events& ev = s.events();
    const bool counting = def.kind == term_kind::count;
    // A count is a whole number, a sum money in hundredths: both the numerator.
    std::int64_t left = e.term_view(t).numerator();
    auto i = static_cast<std::size_t>(
        std::upper_bound(ev.dates.begin(), ev.dates.end(), s.before(*def.window)) -
        ev.dates.begin());
    auto next_of_type = [&](std::size_t k) {
      while (k < ev.size() && !type.matches(ev, k)) ++k;
      return k;
    };
    // Events leave in date order; those leaving on the same day leave
    // together: of one date, or of dates a month's end maps to one day.
    // Each exit is found once: the one that ends a group opens the next.
    i = next_of_type(i);
    day leaves = i < ev.size() ? detail::window_exit(ev.dates[i], *def.window) : never;
    while (i < ev.size()) {
      if (leaves >= bound) return leaves;  // no earlier than the minimum already found
      day exit = leaves;                   // of the event at i
      for (day date = ev.dates[i];;) {
        left -= counting ? 1 : ev.amounts[i];
        i = next_of_type(i + 1);
        if (i >= ev.size()) break;
        if (ev.dates[i] != date) {
          exit = detail::window_exit(ev.dates[i], *def.window);
          if (exit != leaves) break;
          date = ev.dates[i];
        }
      }
      if (turns(counting ? value::integer(left) : value::money(left))) return leaves;
      leaves = exit;
    }
    return never;
  }

  template <class Turns>
  day trend_turns(household_evaluator& e, const term& def, day bound, Turns&& turns) const {
    const household_signals& s = e.signals();
    const household_events& ev = s.events();
    const auto months = static_cast<std::size_t>(def.window->count);
    if (months < 2) return never;  // the balance alone: it moves only with events
    // Sample j (T − j months) takes in an event dated x on window_exit(x, j
    // months); the trend changes only on those days. One lane per sample
    // walks its events in date order, so a step costs one slope and the
    // exits of the events taken in, not a whole trend's dates and searches.
    // Sample 0 is the balance: no events are ahead of it.
    struct lane {
      std::size_t next;  // the first event the sample has not taken in
      day takes;         // the day it does; never when none is left
    };
    thread_local std::vector<lane> lanes;
    thread_local std::vector<cents> ys;  // each sample as the slope reads it
    lanes.assign(months, lane{0, never});
    ys.assign(months, 0);
    const bool of_arrears = def.kind == term_kind::trend_arrears;
    // The slope reads the samples only through Σy and Σxy (x = −j): a step
    // that moves a few samples updates the two sums, not all of them.
    auto y_of = [&](cents b) { return of_arrears ? std::max<cents>(b, 0) : b; };
    // In 128 bits, as in least_squares_trend(): balances near the 64-bit
    // limit add up beyond it.
    detail::int128 sum_y = y_of(s.balance()), sum_xy = 0;
    for (std::size_t j = 1; j < months; ++j) {
      const day start = s.before({static_cast<std::int32_t>(j), period::month});
      const auto next = static_cast<std::size_t>(
          std::upper_bound(ev.dates.begin(), ev.dates.end(), start) - ev.dates.begin());
      // balance_on(start) without searching again (before any event, the folded balance).
      const cents y = y_of(next > 0 ? s.balance_through(next - 1) : s.balance_on(start));
      ys[j] = y;
      sum_y += y;
      sum_xy += -static_cast<detail::int128>(j) * y;
      lanes[j].next = next;
    }
    // Ledger dates (years 1…9999) need no range check per exit.
    const bool fast = !ev.empty() && ev.dates.front() >= detail::first_fast_day &&
                      ev.dates.back() <= detail::last_fast_day && months <= 12 * 1000;
    auto aim = [&](std::size_t j) {
      lane& l = lanes[j];
      const day d = l.next < ev.size() ? ev.dates[l.next] : never;
      l.takes = d == never ? never
                : fast     ? detail::months_exit(d, static_cast<std::int32_t>(j))
                           : detail::window_exit(d, {static_cast<std::int32_t>(j), period::month});
    };
    for (std::size_t j = 1; j < months; ++j) aim(j);
    const detail::int128 denominator =
        household_signals::trend_denominator(static_cast<std::int32_t>(months));
    // Far ahead, a check on the day is cheaper than walking on.
    constexpr int most_steps = 64;
    for (int step = 0;; ++step) {
      day next = never;
      for (std::size_t j = 1; j < months; ++j) next = std::min(next, lanes[j].takes);
      if (next == never) return never;  // every sample is the balance from here on
      // (and no step at or after the minimum already found can lower it)
      if (step == most_steps || next >= bound) return next;
      for (std::size_t j = 1; j < months; ++j) {
        lane& l = lanes[j];
        if (l.takes != next) continue;
        // Events of one date leave together; so may a few dates at a month's end.
        const day date = ev.dates[l.next];
        while (l.next < ev.size() && ev.dates[l.next] == date) ++l.next;
        aim(j);
        while (l.takes == next) {
          const day later = ev.dates[l.next];
          while (l.next < ev.size() && ev.dates[l.next] == later) ++l.next;
          aim(j);
        }
        // l.next is past every event of its date: the sample is the
        // balance after the event before it.
        const cents y = y_of(s.balance_through(l.next - 1));
        const detail::int128 change = static_cast<detail::int128>(y) - ys[j];
        sum_y += change;
        sum_xy += -static_cast<detail::int128>(j) * change;
        ys[j] = y;
      }
      if (turns(
              household_signals::trend_numerator(static_cast<std::int32_t>(months), sum_y, sum_xy),
              denominator))
        return next;
    }
  }

  // Whether a term is piecewise constant with breakpoints breakpoint() finds
  // (the others are constant or grow by a day, which flip() handles).
  static bool has_breakpoints(const term& t) {
    if (t.window_days) return true;
    switch (t.kind) {
      case term_kind::sum:
      case term_kind::count:
      case term_kind::avg:
      case term_kind::min:
      case term_kind::max:
        return t.window.has_value();
      case term_kind::balance_at:
      case term_kind::trend_balance:
      case term_kind::trend_arrears:
      case term_kind::plan_active:
      case term_kind::plan_breached:
      case term_kind::plan_shortfall:
      case term_kind::days_until:
      case term_kind::attribute_days_since:
      case term_kind::attribute_days_until:
        return true;
      default:
        return false;
    }
  }

  const ruleset& rules_;
  std::vector<std::vector<std::uint32_t>> subtree_terms_;  // per node: the terms it reads
  std::vector<std::vector<duration>> subtree_calendar_;    // per node: month/year durations
  // Per node: reads a term that grows by a day.
  std::vector<std::uint8_t> grows_;
  // Per node: reads a term with breakpoints or a calendar duration.
  std::vector<std::uint8_t> moves_;
  // Per comparison: 1 or 2 where that side is a term look_ahead() follows, the other a constant.
  std::vector<std::uint8_t> ahead_side_;
  // Per comparison: 1 or 2 where that side is a term growing by the day, the other a constant.
  std::vector<std::uint8_t> growing_side_;
  // Per comparison repeated in the rules: its slot in memo::shared; no_slot otherwise.
  std::vector<std::uint32_t> shared_slot_;
  std::uint32_t shared_slots_ = 0;
};

}  // namespace earlywarn
