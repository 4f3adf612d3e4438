#pragma once
/// \file stream.hpp
/// The streaming engine: events one at a time, a clock, alerts as they happen
/// (docs/language.md, Alerts).

#include <algorithm>
#include <array>
#include <cstdint>
#include <queue>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "earlywarn/detail/change_schedule.hpp"
#include "earlywarn/detail/compiler.hpp"
#include "earlywarn/detail/folded_history.hpp"
#include "earlywarn/detail/packed_household.hpp"
#include "earlywarn/detail/paid_up.hpp"
#include "earlywarn/detail/prefetch.hpp"
#include "earlywarn/detail/string_interner.hpp"
#include "earlywarn/evaluation/attribute_facts.hpp"
#include "earlywarn/model/error.hpp"
#include "earlywarn/streaming/alert_tracker.hpp"

namespace earlywarn {

class stream_reload;

/// The first date a stream accepts: 0001-01-01, the first a ledger can hold.
inline constexpr day first_stream_date = to_day({1, 1, 1});
/// The last date a stream accepts: 9999-12-31, the last a ledger can hold.
inline constexpr day last_stream_date = to_day({9999, 12, 31});
/// The largest lateness allowance, in days: the whole supported calendar.
inline constexpr std::int32_t max_lateness_days = last_stream_date - first_stream_date;

/// The most distinct event types a stream holds, the five built-in ones
/// among them: a ledger's limit, so whatever loads as a ledger also streams.
inline constexpr std::size_t max_stream_types = max_event_types;

/// How a stream keeps history.
struct stream_options {
  /// How far before the clock, beyond the rules' longest window, a
  /// late-posted event may be dated. The stream keeps events individually
  /// for the rules' longest window plus this allowance and folds older ones
  /// into aggregates; an event dated before what it keeps is refused
  /// (push_result::too_old), whether or not its household is new.
  std::int32_t lateness_days = 92;
};

namespace detail {
/// Whether `table`'s first names are those of `prefix` (type or code
/// tables): a state's tables must begin with those the rules are bound to.
template <class Table>
bool begins_with(const Table& table, const Table& prefix) {
  if (table.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (table.name(static_cast<std::uint16_t>(i)) != prefix.name(static_cast<std::uint16_t>(i)))
      return false;
  return true;
}
}  // namespace detail

/// What became of a pushed event.
enum class push_result : std::uint8_t {
  accepted,
  /// Dated the rules' longest window plus the lateness allowance or more
  /// before the clock, or on or before the household's folded history: not
  /// applied. Applying it would lose history (its household's earlier days
  /// were never evaluated with it), so rows must come in date order, late by
  /// no more than the allowance.
  too_old,
};

/// Days of history term `t` reads back from the day it evaluates, as
/// lookback_days() counts them.
inline std::int32_t term_lookback_days(const term& t) {
  // A window computed per date may reach back any distance; events selected
  // by code are never folded, so reading them over all history keeps it all.
  if (t.window_days) return max_lateness_days + 1;
  const bool by_code = !t.codes.empty() && t.kind != term_kind::code_in &&
                       t.kind != term_kind::code_not_in && t.kind != term_kind::days_until;
  if (by_code && !t.window) return max_lateness_days + 1;
  if (!t.window) return 1;
  const duration w = *t.window;
  const std::int64_t count = w.count;
  const std::int64_t days = w.per == period::day             ? count
                            : w.per == period::week          ? 7 * count
                            : w.per == period::month         ? 31 * count
                            : w.per == period::year          ? 366 * count
                            : w.per == period::week_to_date  ? 7
                            : w.per == period::month_to_date ? 31
                                                             : 366;
  return static_cast<std::int32_t>(std::min<std::int64_t>(days, max_lateness_days) + 1);
}

/// Days of history a ruleset reads back from the day it evaluates: its
/// longest window (months counted as 31 days, years as 366, windows to date
/// as their longest period), plus one; at
/// most the supported calendar (max_lateness_days) plus one, as no window
/// reaches further back than that.
inline std::int32_t lookback_days(const ruleset& rules) {
  std::int32_t most = 1;
  for (const term& t : rules.terms) most = std::max(most, term_lookback_days(t));
  return most;
}

/// Consumes events in arrival order and raises and clears alerts.
///
/// Days close in order: all events of a date are applied before that date is
/// evaluated, so the order of events within a day never matters. A household
/// is evaluated on the days it receives events and on the days its change
/// schedule names, so time-driven rules fire on the exact day with no new
/// event, without visiting every household every day. An event dated before
/// the clock (a payment posted late) is applied and its household
/// re-evaluated as of the clock.
class stream_engine {
 public:
  /// The engine keeps a reference to `rules`, which must outlive it. Throws
  /// std::invalid_argument for a lateness outside 0 to max_lateness_days.
  explicit stream_engine(const ruleset& rules, const stream_options& options = {})
      : rules_(rules),
        by_name_(rules_by_name(rules)),
        schedule_(rules),
        keep_days_(lookback_days(rules) + checked_lateness(options.lateness_days)),
        silent_when_paid_up_(all_rules_false_when_paid_up(rules)),
        facts_(rules) {
    // Every type the rules name gets its id now, so the binding below stays
    // valid as new types arrive (those are neutral).
    intern_names(rules, types_, codes_);
    bound_.emplace(rules, types_, codes_, &facts_);
    evaluator_.emplace(*bound_);
    needs_ = fold_needs_of(*bound_);
  }
  /// A temporary ruleset would dangle: refused at compile time.
  explicit stream_engine(ruleset&&, const stream_options& = {}) = delete;
  stream_engine(const stream_engine&) = delete;
  stream_engine& operator=(const stream_engine&) = delete;

  /// Applies one event. Days before its date close first; their alerts are
  /// appended to `out`. An event of a type the rules declare scheduled never
  /// moves the clock: it may be dated ahead of it (docs/language.md, Scheduled
  /// events), and cannot be the first event of a stream, which has no clock
  /// yet. Throws std::invalid_argument for such a first event, for an invalid household
  /// id, type name, amount or date (before first_stream_date or after
  /// last_stream_date), for a type beyond max_stream_types, and for an
  /// amount that would take its household's total beyond a ledger's limit
  /// (INT64_MAX hundredths, docs/limits.md).
  [[nodiscard]] push_result push(std::string_view household, day date, std::string_view type,
                                 cents amount, std::vector<alert>& out) {
    return push(household, date, type, amount, {}, out);
  }
  /// push() of an event with a code (docs/language.md, Event codes); empty
  /// for none. Also throws std::invalid_argument for a code a ledger refuses
  /// (code_problem) or beyond max_event_codes.
  [[nodiscard]] push_result push(std::string_view household, day date, std::string_view type,
                                 cents amount, std::string_view code, std::vector<alert>& out) {
    detail::check_household_id(household);
    detail::check_amount(amount);
    check_date(date);
    check_event_code(type, code);
    if (types_.full() && !types_.find(type))
      throw invalid_input(error_kind::stream_event,
                          "a stream holds at most 65,535 distinct event types, the 5 "
                          "built-in ones among them; '" +
                              std::string(type) + "' would be one more");
    const type_id t = types_.intern(type);
    const code_id c = codes_.intern(code);
    const bool planned = bound_->effects().scheduled(t);
    if (planned && !started_)
      throw invalid_input(error_kind::stream_event,
                          "'" + std::string(type) +
                              "' is a scheduled type, which never moves the clock, and the "
                              "stream has no clock yet: push a recorded event first");
    // One lookup serves the age check and the append; closing days below
    // never adds households, so the index stays valid.
    // Too old for every household: a new one too, whose days before the
    // clock would never be evaluated with its events.
    if (started_ && date <= clock_ - keep_days_) return push_result::too_old;
    const std::int64_t known = ids_.find(household);
    if (known >= 0 && date <= households_[static_cast<std::size_t>(known)].folded_until)
      return push_result::too_old;
    // A ledger's bound on one household (docs/limits.md): below it every
    // balance, sum and window total fits 64 bits. Amounts are never
    // negative, so the running total is the largest sum there is.
    cents total = amount;
    if (known >= 0 &&
        __builtin_add_overflow(households_[static_cast<std::size_t>(known)].total, amount, &total))
      throw invalid_input(error_kind::stream_event, detail::beyond_total_message(household));
    if (started_ && date > clock_ && !planned) advance_to(date - 1, out);
    if (!started_ || (date > clock_ && !planned)) {
      clock_ = date;
      started_ = true;
    }
    open_ = true;
    const std::uint32_t h =
        known >= 0 ? static_cast<std::uint32_t>(known) : add_household(household);
    household_state& s = households_[h];
    s.total = total;
    // Applied when the day closes: a household is unpacked once a day, not
    // once an event.
    pending_.push_back({h, date, t, c, amount});
    if (!s.dirty) {
      s.dirty = true;
      dirty_.push_back(h);
    }
    ++events_;
    return push_result::accepted;
  }

  /// Sets household attribute `name` of `household` to `text` (empty: no
  /// value; docs/language.md, Household attributes). It holds from the
  /// clock's day on: a household with events is evaluated again as of the
  /// clock when the day closes, as after a late event; one without events
  /// takes it when its first event comes. Returns false, changing nothing,
  /// for a name the rules do not declare. Throws attribute_error for a text
  /// the declaration's kind cannot read, and std::invalid_argument for a
  /// household id push() refuses.
  bool set_attribute(std::string_view household, std::string_view name, std::string_view text) {
    const auto a = rules_.find_attribute(name);
    if (!a) return false;
    detail::check_household_id(household);
    const attribute_kind kind = rules_.attributes[*a].kind;
    if (const auto problem = attribute_problem(kind, text))
      throw attribute_error(std::string(household), std::string(name), std::string(text), *problem);
    // The same value again changes nothing (a file of attributes given anew
    // to a restored stream).
    const auto row = attributes_.find_household(household);
    const auto column = attributes_.find_column(name);
    if (row && column && attributes_.text(*row, *column) == text) return true;
    if (!row && text.empty()) return true;
    attributes_.set(household, name, text);
    const std::int64_t known = ids_.find(household);
    if (known < 0) return true;
    const auto h = static_cast<std::uint32_t>(known);
    facts_.set(h, *a, text);
    household_state& s = households_[h];
    if (!s.dirty) {
      s.dirty = true;
      dirty_.push_back(h);
    }
    open_ = true;
    return true;
  }

  /// Moves the clock to the end of `date`: closes the open day and every day
  /// up to `date` on which some household is due. Never moves backwards.
  /// Throws std::invalid_argument for a date push() would refuse.
  void advance(day date, std::vector<alert>& out) {
    check_date(date);
    if (!started_) return;
    if (date < clock_) return;
    advance_to(date, out);
    clock_ = date;
  }

  /// Closes the open day (the input ended).
  void finish(std::vector<alert>& out) {
    if (started_) advance_to(clock_, out);
  }

  /// The clock: the latest date advanced to or seen.
  day clock() const noexcept { return clock_; }
  bool started() const noexcept { return started_; }
  std::size_t household_count() const noexcept { return households_.size(); }
  std::uint64_t event_count() const noexcept { return events_; }
  const ruleset& rules() const noexcept { return rules_; }

  /// Heap bytes held for households: their packed state, the id index and
  /// the schedule (allocator overhead, about 16 bytes per household, aside).
  std::size_t memory_bytes() const noexcept {
    std::size_t total = households_.capacity() * sizeof(household_state);
    for (const household_state& s : households_) total += s.packed.memory_bytes();
    if (!rules_.attributes.empty()) total += attributes_.memory_bytes() + facts_.memory_bytes();
    return total + ids_.memory_bytes() + queue_.size() * sizeof(due) +
           dirty_.capacity() * sizeof(std::uint32_t) + pending_.capacity() * sizeof(pending_event);
  }

  // The state a checkpoint saves and restores (streaming/checkpoint.hpp):
  // read through the accessors below, restored whole by restore().

  /// One household as a checkpoint saves it.
  struct household_view {
    std::string_view id;
    /// Its events, folded history and alert states (detail::packed_household),
    /// the open day's events applied.
    std::span<const std::uint8_t> packed;
    day next_check = never;  ///< the next day its change schedule names (`never`: none)
    bool open_day = false;   ///< it has events or attributes of the open day
    cents total = 0;         ///< every amount accepted for it, folded ones included
  };
  /// Calls `visit(household_view)` for every household, in index order. The
  /// views live until `visit` returns.
  template <class Visit>
  void for_each_household(Visit&& visit) const {
    std::vector<pending_event> pending = pending_;
    group_by_household(pending);
    detail::household_work work;
    detail::packed_household packed;
    for (std::uint32_t h = 0; h < households_.size(); ++h) {
      const household_state& s = households_[h];
      // Only a household with events of the open day needs packing anew;
      // the others' bytes are already what packing would give
      // (packed_household_test).
      std::span<const std::uint8_t> bytes = s.packed.bytes();
      if (const auto [first, last] = pending_of(pending, h); first != last) {
        unpack(h, work, pending);
        packed.pack(work);
        bytes = packed.bytes();
      }
      visit(household_view{ids_.get(h), bytes, s.next_check, s.dirty, s.total});
    }
  }
  /// Whether the clock's day has events (or attributes) not yet evaluated.
  bool day_open() const noexcept { return open_; }
  /// The households with events or attributes of the open day, in the order
  /// they came.
  std::span<const std::uint32_t> open_day_households() const noexcept { return dirty_; }
  /// The event types seen, those the rules name first.
  const type_table& types() const noexcept { return types_; }
  /// The event codes seen, those the rules name first.
  const code_table& codes() const noexcept { return codes_; }
  /// The household attributes as set, by household id.
  const household_attributes& attributes() const noexcept { return attributes_; }
  /// How each event type moves the balance under the rules.
  const effect_table& effects() const noexcept { return bound_->effects(); }

  /// A whole state, as a checkpoint read and checked it.
  struct restored_state {
    /// One household, by index.
    struct household {
      detail::packed_household packed;
      day next_check = never;
      bool open_day = false;
      cents total = 0;
    };
    day clock = 0;
    bool started = false;
    bool open = false;
    std::uint64_t events = 0;
    type_table types;  ///< beginning with the engine's types()
    code_table codes;  ///< beginning with the engine's codes()
    detail::string_interner ids;
    std::vector<household> households;
    std::vector<std::uint32_t> open_day_households;
    household_attributes attributes;  ///< values the rules' declarations read
  };
  /// Takes `state` whole into this newly made engine. Throws
  /// std::invalid_argument when the engine has started or holds households,
  /// or when the state's type or code table does not begin with the
  /// engine's (what its rules are bound to).
  void restore(restored_state state) {
    if (started_ || !households_.empty())
      throw invalid_input(error_kind::misuse, "restore needs a newly made stream_engine");
    if (!detail::begins_with(state.types, types_) || !detail::begins_with(state.codes, codes_))
      throw invalid_input(error_kind::checkpoint,
                          "the state's event types or codes do not begin with the rules'");
    if (state.ids.count() != state.households.size())
      throw invalid_input(error_kind::checkpoint,
                          "the state has a household without an id or an id without one");
    // Moved into the same objects: the bound ruleset refers to them.
    types_ = std::move(state.types);
    codes_ = std::move(state.codes);
    ids_ = std::move(state.ids);
    households_.resize(state.households.size());
    for (std::uint32_t h = 0; h < households_.size(); ++h) {
      restored_state::household& from = state.households[h];
      household_state& s = households_[h];
      s.packed = std::move(from.packed);
      s.next_check = from.next_check;
      s.dirty = from.open_day;
      s.total = from.total;
      s.packed.unpack(work_, rules_.rules.size());
      if (work_.folded.any) s.folded_until = work_.folded.boundary;
      if (s.next_check != never) queue_.emplace(s.next_check, h);
    }
    dirty_ = std::move(state.open_day_households);
    attributes_ = std::move(state.attributes);
    for (std::uint32_t row = 0; row < attributes_.household_count(); ++row) {
      const std::int64_t h = ids_.find(attributes_.household_id(row));
      if (h < 0) continue;
      for (std::uint32_t a = 0; a < rules_.attributes.size(); ++a)
        if (const auto column = attributes_.find_column(rules_.attributes[a].name))
          facts_.set(static_cast<std::uint32_t>(h), a, attributes_.text(row, *column));
    }
    clock_ = state.clock;
    started_ = state.started;
    open_ = state.open;
    events_ = state.events;
  }

 private:
  friend class stream_reload;

  static std::int32_t checked_lateness(std::int32_t days) {
    if (days < 0 || days > max_lateness_days)
      throw invalid_input(error_kind::misuse,
                          "lateness must be 0 to " + std::to_string(max_lateness_days) +
                              " days (the supported calendar), not " + std::to_string(days));
    return days;
  }
  static void check_date(day date) {
    if (date < first_stream_date || date > last_stream_date)
      throw invalid_input(
          error_kind::misuse,
          "a stream's dates run from 0001-01-01 to 9999-12-31, not day " + std::to_string(date));
  }

  struct household_state {
    detail::packed_household packed;  // events, folded history, alert states
    day next_check = never;
    day folded_until = INT32_MIN;  // the folded history's boundary, if any
    // Every amount accepted for the household, folded ones included: held
    // to a ledger's bound on one household's total.
    cents total = 0;
    // What the last evaluation left, for append_at_rest(): the balance and
    // the first and last dates of the events kept one by one. Current while
    // `resting`, which also says that no alert is open or held back.
    cents balance = 0;
    day first_kept = never;
    day last_kept = never;
    bool resting = false;
    bool dirty = false;
  };
  using due = std::pair<day, std::uint32_t>;  // (day, household), earliest first

  std::uint32_t add_household(std::string_view id) {
    const std::uint32_t h = ids_.intern(id);
    households_.emplace_back();
    // Attributes set before its first event.
    if (const auto row = attributes_.find_household(id))
      for (std::uint32_t a = 0; a < rules_.attributes.size(); ++a)
        if (const auto column = attributes_.find_column(rules_.attributes[a].name))
          facts_.set(h, a, attributes_.text(*row, *column));
    return h;
  }

  // Closes the open day (if any), then every day up to `last` with households due.
  void advance_to(day last, std::vector<alert>& out) {
    if (open_) {
      close_day(clock_, out);
      open_ = false;
    }
    while (!queue_.empty() && queue_.top().first <= last) {
      const day d = std::max(queue_.top().first, clock_);
      std::vector<std::uint32_t> due_now;
      while (!queue_.empty() && std::max(queue_.top().first, clock_) == d) {
        const auto [when, h] = queue_.top();
        queue_.pop();
        if (households_[h].next_check == when) due_now.push_back(h);  // else: stale entry
      }
      evaluate(due_now, d, out);
    }
  }

  void close_day(day d, std::vector<alert>& out) {
    std::vector<std::uint32_t> now;
    now.swap(dirty_);
    for (const std::uint32_t h : now) households_[h].dirty = false;
    // Group the day's events by household, each group in arrival order.
    group_by_household(pending_);
    while (!queue_.empty() && queue_.top().first <= d) {
      const auto [when, h] = queue_.top();
      queue_.pop();
      if (households_[h].next_check == when) now.push_back(h);
    }
    evaluate(now, d, out);
    pending_.clear();
  }

  // Evaluates households as of `d` and schedules each anew; the alerts come
  // out in household id order.
  void evaluate(std::vector<std::uint32_t>& households, day d, std::vector<alert>& out) {
    // Each household once, in index order (integers sort fast, and the
    // states are then read in memory order); the alerts, far fewer than the
    // households, are put in id order after.
    std::sort(households.begin(), households.end());
    households.erase(std::unique(households.begin(), households.end()), households.end());
    const std::size_t first_alert = out.size();
    for (std::size_t i = 0; i < households.size(); ++i) {
      // A city's states do not fit in cache: fetch a household's state a
      // few evaluations ahead, and its bytes once that state has arrived.
      if (i + 8 < households.size()) detail::prefetch(&households_[households[i + 8]]);
      if (i + 4 < households.size()) {
        const std::span<const std::uint8_t> b = households_[households[i + 4]].packed.bytes();
        detail::prefetch(b.data(), b.size());
      }
      const std::uint32_t h = households[i];
      household_state& s = households_[h];
      if (silent_when_paid_up_ && append_at_rest(h, d)) continue;
      detail::household_work& w = work_;
      unpack(h, w, pending_);
      fold_old_events(w, d);
      if (w.folded.any) s.folded_until = w.folded.boundary;
      evaluator_->start(w.events(), d, &w.folded, facts_.of(h));
      // A scheduled event ahead (a hearing) is an event day when it comes,
      // as it is to a back-test: the household is looked at then.
      const day ahead = !w.dates.empty() && w.dates.back() > d
                            ? *std::upper_bound(w.dates.begin(), w.dates.end(), d)
                            : never;
      if (silent_when_paid_up_ && at_rest_while_paid_up(*evaluator_, w.tracker)) {
        // Nothing can happen before its next event that moves the balance.
        s.next_check = never;
      } else if (evaluator_->exists()) {
        w.tracker.update(*evaluator_, by_name_, ids_.get(h), [&](alert&& a) {
          a.household = h;
          out.push_back(std::move(a));
        });
        // At least the next day, so a schedule mistake can never keep the
        // clock on one day.
        s.next_check = std::max(d + 1, std::min({schedule_.next_change(*evaluator_),
                                                 w.tracker.next_due(rules_), ahead}));
        if (s.next_check != never) queue_.emplace(s.next_check, h);
      } else if (ahead != never) {
        s.next_check = ahead;  // only scheduled events, ahead: it exists from the first
        queue_.emplace(s.next_check, h);
      }
      s.packed.pack(w);
      if (silent_when_paid_up_) {
        s.resting = !w.dates.empty() && !w.tracker.any_open();
        if (s.resting) {
          s.balance = evaluator_->signals().balance();
          s.first_kept = w.dates.front();
          s.last_kept = w.dates.back();
        }
      }
    }
    order_by_household(out, first_alert);
  }

  // A household that owes nothing once its events of the day are in, has no
  // alert open, and no event old enough to fold, can neither raise nor clear
  // an alert before its next event (paid_up.hpp): its events are appended to
  // its bytes without unpacking or evaluating it. Needs a ruleset whose every
  // rule is false when paid up. False, with nothing changed, for any other
  // household: it takes the full way.
  bool append_at_rest(std::uint32_t h, day d) {
    household_state& s = households_[h];
    if (!s.resting || s.first_kept <= d - keep_days_) return false;
    auto [first, last] = pending_of(pending_, h);
    constexpr auto most = detail::packed_household::most_appended;
    if (first == last || static_cast<std::size_t>(last - first) > most) return false;
    std::array<detail::stored_event, most> events;
    std::size_t n = 0;
    cents balance = s.balance;
    for (day previous = s.last_kept; first != last; ++first) {
      if (first->date < previous) return false;  // back-dated among stored events
      previous = first->date;
      balance += bound_->effects().signed_amount(first->type, first->amount);
      events[n++] = {first->date, first->type, first->code, first->amount};
    }
    if (balance > 0 || !s.packed.append(s.last_kept, std::span(events.data(), n))) return false;
    s.balance = balance;
    s.last_kept = events[n - 1].date;
    s.next_check = never;
    return true;
  }

  // Orders the alerts from `first` on by household id; each household's are
  // together and in rule-name order already.
  static void order_by_household(std::vector<alert>& out, std::size_t first) {
    if (out.size() - first < 2) return;
    std::stable_sort(
        out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
        [](const alert& a, const alert& b) { return a.household_id < b.household_id; });
  }

  struct pending_event {
    std::uint32_t h;
    day date;
    type_id type;
    code_id code;  // beside the type: the event stays 24 bytes
    cents amount;
  };
  static bool by_household(const pending_event& a, const pending_event& b) { return a.h < b.h; }
  static void group_by_household(std::vector<pending_event>& pending) {
    std::stable_sort(pending.begin(), pending.end(), by_household);
  }

  // Household `h` with its events in `pending` applied; `pending` is grouped
  // by household, each group in arrival order.
  void unpack(std::uint32_t h, detail::household_work& w,
              const std::vector<pending_event>& pending) const {
    households_[h].packed.unpack(w, rules_.rules.size());
    if (pending.empty()) return;
    auto [first, last] = pending_of(pending, h);
    // Keep date order; an event joins the end of its date, after earlier arrivals.
    for (; first != last; ++first) w.add(first->date, first->type, first->amount, first->code);
  }

  // Household `h`'s events in `pending`, grouped by household, each group in
  // arrival order.
  static std::pair<std::vector<pending_event>::const_iterator,
                   std::vector<pending_event>::const_iterator>
  pending_of(const std::vector<pending_event>& pending, std::uint32_t h) {
    return std::equal_range(pending.begin(), pending.end(), pending_event{h, 0, 0, 0, 0},
                            by_household);
  }

  // Gives every event type and code `rules` name an id in the tables.
  static void intern_names(const ruleset& rules, type_table& types, code_table& codes) {
    for (const term& t : rules.terms) {
      t.for_each_type([&](const std::string& name) { types.intern(name); });
      for (const std::string& code : t.codes) codes.intern(code);
    }
    for (const event_declaration& e : rules.events) types.intern(e.name);
  }

  // What the rules read from folded events of each type.
  static fold_needs fold_needs_of(const bound_ruleset& bound) {
    fold_needs needs;
    for (std::uint32_t t = 0; t < bound.rules().terms.size(); ++t) add_fold_needs(bound, t, needs);
    return needs;
  }

  // Adds what term `t` reads from folded events to `needs`.
  static void add_fold_needs(const bound_ruleset& bound, std::uint32_t t, fold_needs& needs) {
    const ruleset& rs = bound.rules();
    auto need = [](std::vector<std::uint8_t>& flags, type_id type) {
      if (flags.size() <= type) flags.resize(type + 1u, 0);
      flags[type] = 1;
    };
    // latest(...) reads the latest event of each of its types.
    for (const auto& type : bound.term_types_of(t))
      if (type) need(needs.latest, *type);
    const event_selector& selector = bound.term_type(t);
    // Events selected by code are never folded (lookback_days keeps them).
    if (!selector.type || selector.by_code) return;
    const term_kind k = rs.terms[t].kind;
    if (k == term_kind::last || k == term_kind::days_since || k == term_kind::code ||
        k == term_kind::code_in || k == term_kind::code_not_in)
      need(needs.latest, *selector.type);
    else if (!rs.terms[t].window &&
             (k == term_kind::sum || k == term_kind::count || k == term_kind::avg ||
              k == term_kind::min || k == term_kind::max))
      need(needs.totals, *selector.type);
  }

  // Folds events no window can reach any more (from day `d` on) into the summary.
  void fold_old_events(detail::household_work& w, day d) {
    const day boundary = d - keep_days_;
    if (w.dates.empty() || w.dates.front() > boundary) return;
    const auto n = static_cast<std::size_t>(
        std::upper_bound(w.dates.begin(), w.dates.end(), boundary) - w.dates.begin());
    fold(w.folded,
         household_events{std::span(w.dates).first(n), std::span(w.types).first(n),
                          std::span(w.amounts).first(n), std::span(w.codes).first(n)},
         bound_->effects(), needs_, boundary, codes_);
    w.drop_front(n);
  }

  const ruleset& rules_;
  std::vector<std::uint32_t> by_name_;
  change_schedule schedule_;
  std::int32_t keep_days_;    // days of events kept one by one before the clock
  bool silent_when_paid_up_;  // no rule can hold while nothing is owed
  fold_needs needs_;
  household_attributes attributes_;  // as set, by household id: the checkpoint's record
  attribute_facts facts_;            // typed, by household index: what evaluation reads
  type_table types_;
  code_table codes_;
  std::optional<bound_ruleset> bound_;
  std::optional<household_evaluator> evaluator_;
  detail::string_interner ids_;
  std::vector<household_state> households_;
  std::vector<std::uint32_t> dirty_;
  detail::household_work work_;         // the household being changed or evaluated, unpacked
  std::vector<pending_event> pending_;  // events of the open day, not yet in households_
  std::priority_queue<due, std::vector<due>, std::greater<due>> queue_;
  day clock_ = 0;
  bool started_ = false;
  bool open_ = false;  // the clock's day has events not yet evaluated
  std::uint64_t events_ = 0;
};

}  // namespace earlywarn
